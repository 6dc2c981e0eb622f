// Slugs: the URL-safe names of articles, sections, tags and authors.
//
// Slugify makes a slug from any text in any script: ICU's "Any-Latin;
// Latin-ASCII" transliteration (Cyrillic "Привет мир" -> "Privet mir",
// Bengali, Devanagari, Greek, Han (pinyin), kana, Hangul likewise; accents
// folded: "Café" -> "Cafe", "ß" -> "ss"), then ASCII lower case; apostrophes
// are removed ("Don't" -> "dont"); every run of other characters outside
// [a-z0-9] becomes one '-'; leading and trailing '-' are trimmed. A slug
// longer than kMaxSlugifyLength is cut at the last '-' within the limit (or
// hard at the limit when there is none). Text that leaves nothing (empty,
// only punctuation, or a script ICU cannot romanise) gives "story". Only the
// first 1000 UTF-16 units of the input are read. Invalid UTF-8 is replaced
// with U+FFFD (which becomes a separator). If ICU's transliteration data is
// missing, non-ASCII characters simply act as separators.
//
// UniqueSlug returns `base` when `taken(base)` is false, else the first of
// base-2, base-3, ... that is free; an empty base is treated as "story".
// `taken` is called once per candidate, in order, and must eventually say
// false (it is the caller's lookup, typically a store query).
//
// IsValidSlug (core/article.h) checks the shape every stored slug has.
//
// Thread-safe. The transliterator is built once per process (it takes
// milliseconds); each thread transliterates with its own clone, because an
// ICU Transliterator must not be used by two threads at once.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/article.h"

namespace dateline {

inline constexpr std::size_t kMaxSlugifyLength = 80;

std::string Slugify(std::string_view text);

std::string UniqueSlug(std::string_view base, const std::function<bool(std::string_view)>& taken);

}  // namespace dateline
