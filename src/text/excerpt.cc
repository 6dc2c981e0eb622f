#include "text/excerpt.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>
#include <vector>

#include "text/gumbo_fragment.h"

namespace dateline {

namespace {

// One ICU word iterator per thread: BreakIterator objects are not
// thread-safe, and creating one per call costs more than the segmentation.
icu::BreakIterator* WordIterator() {
  thread_local const std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  return iterator.get();
}

bool IsSpaceLike(char16_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f) || u_isUWhiteSpace(c); }

// Runs of whitespace and control characters become one U+0020; the result
// has no leading or trailing space.
icu::UnicodeString CollapseWhitespace(const icu::UnicodeString& in) {
  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < in.length(); ++i) {
    const char16_t c = in.charAt(i);
    if (IsSpaceLike(c)) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (pending_space) out.append(u' ');
    pending_space = false;
    out.append(c);
  }
  return out;
}

icu::UnicodeString FromUtf8(std::string_view s) {
  // Invalid sequences become U+FFFD. ICU strings are int32_t-indexed; text
  // beyond 1 GiB (far past any request limit) is not looked at.
  constexpr std::size_t kMaxBytes = std::size_t{1} << 30;
  if (s.size() > kMaxBytes) s = s.substr(0, kMaxBytes);
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

struct Segment {
  int32_t start;
  int32_t end;
  bool is_word;
};

// Word and non-word segments of `text` (which must outlive the call).
std::vector<Segment> Segments(const icu::UnicodeString& text) {
  std::vector<Segment> segments;
  if (icu::BreakIterator* it = WordIterator()) {
    it->setText(text);
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
      segments.push_back({start, end, it->getRuleStatus() >= UBRK_WORD_NONE_LIMIT});
      start = end;
    }
    return segments;
  }
  // Fallback without ICU data: whitespace-separated runs are words.
  int32_t start = 0;
  for (int32_t i = 0; i <= text.length(); ++i) {
    const bool boundary = i == text.length() || IsSpaceLike(text.charAt(i));
    if (!boundary) continue;
    if (i > start) segments.push_back({start, i, true});
    if (i < text.length()) segments.push_back({i, i + 1, false});
    start = i + 1;
  }
  return segments;
}

bool ContainsSpace(const icu::UnicodeString& text, const Segment& s) {
  for (int32_t i = s.start; i < s.end; ++i) {
    if (IsSpaceLike(text.charAt(i))) return true;
  }
  return false;
}

// The excerpt of collapsed, trimmed `text` (see excerpt.h).
icu::UnicodeString Cut(const icu::UnicodeString& text, std::size_t max_words) {
  if (max_words == 0) return {};
  const std::vector<Segment> segments = Segments(text);
  std::size_t words = 0;
  std::size_t last = 0;  // index of the max_words-th word segment
  bool longer = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].is_word) continue;
    if (++words == max_words) last = i;
    if (words > max_words) {
      longer = true;
      break;
    }
  }
  if (!longer) return text;

  // Keep punctuation glued to the last word ("said," "end.\"") unless it
  // runs straight into the next word ("U.S", "well—known").
  int32_t cut = segments[last].end;
  int32_t extended = cut;
  for (std::size_t i = last + 1; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    if (s.is_word) {
      extended = cut;
      break;
    }
    if (ContainsSpace(text, s)) {
      int32_t p = s.start;
      while (p < s.end && !IsSpaceLike(text.charAt(p))) ++p;
      extended = p;
      break;
    }
    extended = s.end;
  }
  icu::UnicodeString out = text.tempSubString(0, extended);
  out.append(icu::UnicodeString::fromUTF8(
      icu::StringPiece(kExcerptMore.data(), static_cast<int32_t>(kExcerptMore.size()))));
  return out;
}

icu::UnicodeString HtmlToUnicodeText(std::string_view html) {
  const text_internal::GumboFragment fragment(html);
  if (fragment.root() == nullptr) return {};
  std::string raw;
  raw.reserve(html.size());
  auto separates = [](const GumboNode& n) {
    return !text_internal::IsInlineElement(n.v.element.tag);
  };
  text_internal::TreeVisitor visitor;
  visitor.enter = [&](const GumboNode& n) {
    if (separates(n)) raw += ' ';
    // Children of script, style, template, SVG, ... are not page text.
    return n.type != GUMBO_NODE_TEMPLATE && n.v.element.tag_namespace == GUMBO_NAMESPACE_HTML &&
           !text_internal::IsDroppedWithContent(n.v.element.tag);
  };
  visitor.leave = [&](const GumboNode& n) {
    if (separates(n)) raw += ' ';
  };
  visitor.leaf = [&](const GumboNode& n) {
    if (n.type == GUMBO_NODE_TEXT || n.type == GUMBO_NODE_WHITESPACE) raw += n.v.text.text;
  };
  text_internal::Walk(*fragment.root(), visitor);
  return CollapseWhitespace(FromUtf8(raw));
}

}  // namespace

std::string HtmlToText(std::string_view html) { return ToUtf8(HtmlToUnicodeText(html)); }

std::string CollapsedText(std::string_view text) {
  return ToUtf8(CollapseWhitespace(FromUtf8(text)));
}

std::string MakeExcerpt(std::string_view html, std::size_t max_words) {
  return ToUtf8(Cut(HtmlToUnicodeText(html), max_words));
}

std::string ExcerptFromText(std::string_view text, std::size_t max_words) {
  return ToUtf8(Cut(CollapseWhitespace(FromUtf8(text)), max_words));
}

std::size_t CountWords(std::string_view text) {
  const icu::UnicodeString unicode = CollapseWhitespace(FromUtf8(text));
  std::size_t words = 0;
  for (const Segment& s : Segments(unicode)) words += s.is_word ? 1 : 0;
  return words;
}

}  // namespace dateline
