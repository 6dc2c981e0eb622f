// Plain text and excerpts from article HTML, with Unicode word counting.
//
// HtmlToText parses the HTML with gumbo (as a fragment, like SanitizeHtml)
// and keeps only the text a reader sees: entities are decoded, the content of
// script, style, template, forms, embedded documents, SVG/MathML and metadata
// elements is dropped, every element that is not inline phrasing (p, h1-h6,
// li, br, div, blockquote, tr, td, figure, figcaption, img, ...) separates
// words, whitespace (including no-break and other Unicode spaces and control
// characters) collapses to one ASCII space, and the result is trimmed. So
// "<p>Dhaka, Bangladesh</p><p>Despite</p>" is "Dhaka, Bangladesh Despite",
// while "<b>Dha</b>ka" stays one word.
//
// Words are counted with ICU's word BreakIterator (root locale): a word is a
// segment whose rule status is not UBRK_WORD_NONE, i.e. letters, numbers,
// kana or ideographs. Spaces and punctuation are not words. Scripts without
// spaces between words (Thai, Lao, Khmer, Chinese, Japanese) are segmented
// with ICU's dictionaries; Bengali, Devanagari etc. count their
// space-separated words with their combining marks.
//
// MakeExcerpt follows WordPress's wp_trim_words without its defects (words
// fused across block boundaries, non-Latin text counted as one word): the
// text is HtmlToText(html); when it has more than max_words words it is cut
// right after the max_words-th word, keeping punctuation attached to that
// word (a closing quote, comma, full stop or danda directly after it, up to
// the next space), and " […]" (space, '[', U+2026, ']') is appended.
// Otherwise the whole text is returned with nothing appended. A hand-written
// excerpt is the caller's business: it is used as typed, not passed here.
//
// All functions take UTF-8, replace invalid sequences with U+FFFD, never fail
// and never throw. max_words == 0 gives an empty string. If ICU cannot create
// a word iterator (missing data), words are whitespace-separated runs.
//
// Thread-safe: each thread uses its own ICU BreakIterator (thread_local).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dateline {

inline constexpr std::size_t kDefaultExcerptWords = 55;
// What MakeExcerpt appends when it cut the text short (UTF-8).
inline constexpr std::string_view kExcerptMore = " [\u2026]";

std::string HtmlToText(std::string_view html);

// Text that is already plain, with HtmlToText's spacing: whitespace and
// control characters collapsed to one space, the ends trimmed.
std::string CollapsedText(std::string_view text);

std::string MakeExcerpt(std::string_view html, std::size_t max_words = kDefaultExcerptWords);

// The same cut on text that is already plain (whitespace is collapsed and
// trimmed first, as HtmlToText does).
std::string ExcerptFromText(std::string_view text, std::size_t max_words = kDefaultExcerptWords);

std::size_t CountWords(std::string_view text);

}  // namespace dateline
