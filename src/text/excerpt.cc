#include "text/excerpt.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>
#include <optional>
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
  // Written into one buffer: appending a character at a time to a
  // UnicodeString was most of an excerpt's cost.
  icu::UnicodeString out;
  const int32_t n = in.length();
  char16_t* buf = out.getBuffer(n);
  if (buf == nullptr) return out;  // out of memory: an empty text
  int32_t len = 0;
  bool pending_space = false;
  for (int32_t i = 0; i < n; ++i) {
    const char16_t c = in.charAt(i);
    if (IsSpaceLike(c)) {
      pending_space = len > 0;
      continue;
    }
    if (pending_space) buf[len++] = u' ';
    pending_space = false;
    buf[len++] = c;
  }
  out.releaseBuffer(len);
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

// The word and non-word segments of `text` (which must outlive the
// cursor), one at a time: an excerpt needs the first 55 words of a text
// that may hold hundreds.
class Segments {
 public:
  explicit Segments(const icu::UnicodeString& text) : text_(text), it_(WordIterator()) {
    if (it_ != nullptr) {
      it_->setText(text);
      start_ = it_->first();
    }
  }

  std::optional<Segment> Next() {
    if (it_ != nullptr) {
      const int32_t end = it_->next();
      if (end == icu::BreakIterator::DONE) return std::nullopt;
      Segment s{start_, end, it_->getRuleStatus() >= UBRK_WORD_NONE_LIMIT};
      start_ = end;
      return s;
    }
    // Without ICU data: whitespace-separated runs are words.
    if (has_pending_) {
      has_pending_ = false;
      return pending_;
    }
    for (; i_ <= text_.length(); ++i_) {
      const bool boundary = i_ == text_.length() || IsSpaceLike(text_.charAt(i_));
      if (!boundary) continue;
      const bool word = i_ > start_, space = i_ < text_.length();
      const Segment w{start_, i_, true}, sp{i_, i_ + 1, false};
      start_ = ++i_;
      if (word) {
        pending_ = sp;
        has_pending_ = space;
        return w;
      }
      if (space) return sp;
    }
    return std::nullopt;
  }

 private:
  const icu::UnicodeString& text_;
  icu::BreakIterator* it_;
  int32_t start_ = 0;
  int32_t i_ = 0;
  bool has_pending_ = false;  // a space segment after the word returned
  Segment pending_{0, 0, false};
};

bool ContainsSpace(const icu::UnicodeString& text, const Segment& s) {
  for (int32_t i = s.start; i < s.end; ++i) {
    if (IsSpaceLike(text.charAt(i))) return true;
  }
  return false;
}

// The excerpt of collapsed, trimmed `text` (see excerpt.h).
icu::UnicodeString Cut(const icu::UnicodeString& text, std::size_t max_words) {
  if (max_words == 0) return {};
  Segments segments(text);
  std::size_t words = 0;
  std::vector<Segment> after;  // the segments after the max_words-th word
  int32_t cut = 0;             // where that word ends
  bool longer = false;
  while (std::optional<Segment> s = segments.Next()) {
    if (words == max_words) after.push_back(*s);
    if (!s->is_word) continue;
    if (++words == max_words) cut = s->end;
    if (words > max_words) {
      longer = true;
      break;
    }
  }
  if (!longer) return text;

  // Keep punctuation glued to the last word ("said," "end.\"") unless it
  // runs straight into the next word ("U.S", "well—known").
  int32_t extended = cut;
  for (const Segment& s : after) {
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
  Segments segments(unicode);
  while (std::optional<Segment> s = segments.Next()) words += s->is_word ? 1 : 0;
  return words;
}

}  // namespace dateline
