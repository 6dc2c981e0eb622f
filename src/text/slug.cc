#include "text/slug.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

namespace dateline {

namespace {

constexpr int32_t kMaxInputUnits = 1000;
constexpr std::string_view kFallbackSlug = "story";

// The process-wide prototype; null when ICU lacks the transliteration data.
const icu::Transliterator* Prototype() {
  static const std::unique_ptr<icu::Transliterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        icu::UnicodeString(u"Any-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  return prototype.get();
}

// This thread's own transliterator (see slug.h), or null.
icu::Transliterator* ThreadTransliterator() {
  thread_local const std::unique_ptr<icu::Transliterator> local = [] {
    static std::mutex clone_mutex;  // cloning reads the shared prototype
    const std::lock_guard<std::mutex> lock(clone_mutex);
    const icu::Transliterator* prototype = Prototype();
    return std::unique_ptr<icu::Transliterator>(prototype ? prototype->clone() : nullptr);
  }();
  return local.get();
}

icu::UnicodeString BoundedInput(std::string_view text) {
  // Enough bytes for kMaxInputUnits UTF-16 units (at most 4 bytes each).
  const std::size_t max_bytes = static_cast<std::size_t>(kMaxInputUnits) * 4;
  if (text.size() > max_bytes) text = text.substr(0, max_bytes);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (u.length() > kMaxInputUnits) u.truncate(u.getChar32Start(kMaxInputUnits));  // whole pairs
  return u;
}

std::string CapLength(std::string slug) {
  if (slug.size() <= kMaxSlugifyLength) return slug;
  std::size_t end = kMaxSlugifyLength;
  if (slug[end] != '-') {
    const std::size_t hyphen = slug.rfind('-', end);
    if (hyphen != std::string::npos && hyphen > 0) end = hyphen;
  }
  slug.resize(end);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

}  // namespace

std::string Slugify(std::string_view text) {
  std::string latin;
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // ASCII is already Latin-ASCII: the transliterator would return it as
    // it is (one ASCII character is one UTF-16 unit, so the same bound).
    // Most names are ASCII, and ICU was a tenth of an import's time.
    latin = text.substr(0, static_cast<std::size_t>(kMaxInputUnits));
  } else {
    icu::UnicodeString unicode = BoundedInput(text);
    if (icu::Transliterator* t = ThreadTransliterator()) t->transliterate(unicode);
    unicode.toUTF8String(latin);
  }

  std::string slug;
  slug.reserve(latin.size());
  bool pending_hyphen = false;
  for (char raw : latin) {
    char c = raw;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_hyphen) slug += '-';
      pending_hyphen = false;
      slug += c;
    } else if (c != '\'') {  // apostrophes vanish: "don't" -> "dont"
      pending_hyphen = !slug.empty();
    }
  }
  slug = CapLength(std::move(slug));
  if (slug.empty()) return std::string(kFallbackSlug);
  return slug;
}

std::string UniqueSlug(std::string_view base, const std::function<bool(std::string_view)>& taken) {
  if (base.empty()) base = kFallbackSlug;
  if (!taken(base)) return std::string(base);
  for (std::size_t n = 2;; ++n) {
    const std::string suffix = "-" + std::to_string(n);
    std::string candidate(base);
    if (candidate.size() + suffix.size() > kMaxSlugLength && suffix.size() < kMaxSlugLength) {
      candidate.resize(kMaxSlugLength - suffix.size());  // keep base-N a valid length
      while (!candidate.empty() && candidate.back() == '-') candidate.pop_back();
    }
    candidate += suffix;
    if (!taken(candidate)) return candidate;
  }
}

}  // namespace dateline
