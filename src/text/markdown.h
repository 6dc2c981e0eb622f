// Markdown and article bodies to safe HTML.
//
// MarkdownToHtml renders GitHub-flavoured Markdown with cmark-gfm (the
// CommonMark reference parser plus the table, strikethrough and autolink
// extensions). Quotes and dashes are kept as typed (no "smart" punctuation).
// Raw HTML in the Markdown is let through by cmark-gfm and the whole result is
// then passed through SanitizeHtml (text/sanitize.h), so raw HTML is filtered
// by the same allowlist as an HTML body, and links written in Markdown
// ("[x](javascript:...)") by the same URL filter. When the syntax tree holds
// no raw HTML and no image, the same bytes are written straight from the
// tree instead (MarkdownToHtmlDirect, below).
//
// One difference from an HTML body, as on GitHub: the raw-text tags title,
// textarea, style, xmp, noembed, noframes, script and plaintext have their
// '<' escaped before sanitising (GFM's "tagfilter"), so "use the <script>
// tag" in prose shows as text instead of swallowing the rest of the article.
// Unlike GFM's tagfilter, <iframe> is not escaped, so an iframe from one of
// options.iframe_hosts works in Markdown too; the cmark-gfm extension is
// therefore not attached and markdown.cc applies the same rule itself.

// RenderBody picks the path by the article's BodyFormat: Markdown goes
// through MarkdownToHtml, HTML through SanitizeHtml.
//
// Never fails: any byte string gives HTML, possibly empty. Invalid UTF-8 is
// replaced with U+FFFD.
//
// Thread-safe. The extensions are registered once (std::call_once). cmark-gfm
// 0.29 keeps the table of inline "special characters" in a process-wide array
// that every parse with extensions writes to (github/cmark-gfm PR #176), so
// the Markdown parse itself is serialised by a mutex inside markdown.cc;
// sanitising, the larger part of the work, runs in parallel.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/article.h"
#include "text/sanitize.h"

namespace dateline {

std::string MarkdownToHtml(std::string_view markdown, const SanitizeOptions& options = {});

// The two ways MarkdownToHtml takes, for tests and comparisons. Markdown
// whose syntax tree holds no raw HTML and no image (most stories) is
// written as safe HTML straight from the tree (Direct): the bytes the
// sanitiser makes of cmark-gfm's HTML of it, at a fraction of the cost
// (parsing HTML back was most of rendering a body). Direct is nullopt for
// any other tree; ViaSanitizer takes the long way for every input.
std::optional<std::string> MarkdownToHtmlDirect(std::string_view markdown);
std::string MarkdownToHtmlViaSanitizer(std::string_view markdown, const SanitizeOptions& options = {});

std::string RenderBody(std::string_view body, BodyFormat format,
                       const SanitizeOptions& options = {});

// The text of MarkdownToHtml(markdown) as HtmlToText (text/excerpt.h)
// reads it, up to runs of whitespace (HtmlToText and the excerpts collapse
// them), taken from cmark-gfm's syntax tree without making HTML: text and
// code as written, a space at each block's edges (paragraph, heading,
// quote, list, item, code block, rule, table, row, cell) and at a line
// break, nothing at inline markup (emphasis, links, strikethrough).
// Nullopt when the tree holds what only the HTML path can read: raw HTML
// (which the sanitiser may drop, unwrap or fill with an iframe) or an image
// (dropped with a bad source, else a space). An excerpt is cut from this
// text without rendering, sanitising and parsing back its HTML.
std::optional<std::string> MarkdownText(std::string_view markdown);

// HtmlToText(RenderBody(body, format, options)) (the text the search index
// reads): from MarkdownText when it can read the body, without the HTML.
std::string BodyText(std::string_view body, BodyFormat format, const SanitizeOptions& options = {});

}  // namespace dateline
