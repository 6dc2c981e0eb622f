// AutoP: WordPress's wpautop() for imported post content: blank lines
// separate paragraphs, which become <p> elements, and single line breaks
// inside a paragraph become <br />.
//
// Like wpautop, it knows the block-level elements (table, div, ul, li, h1-h6,
// blockquote, figure, pre, p, section, ...): text is never wrapped across
// them, a block element's start and end always separate paragraphs, text on
// its own inside a <blockquote> gets its <p>, and the content of <pre> is
// left exactly as it is. Line breaks inside a tag become spaces. Content
// written with the block editor (it holds "<!-- wp:" comments) is returned
// unchanged, as WordPress does not run wpautop on it either. "\r\n" and "\r"
// count as "\n".
//
// The result is HTML for the sanitizer, not a promise of valid nesting: the
// input is untrusted and is not parsed here. Pure, thread-safe, never fails.
#pragma once

#include <string>
#include <string_view>

namespace dateline {

std::string AutoP(std::string_view text);

}  // namespace dateline
