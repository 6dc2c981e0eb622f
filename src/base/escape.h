// Escapers, one per output context. Every byte of text that reaches a page
// goes through exactly one of these: templates use EscapeHtml for {{x}},
// and the sanitizer uses it when it writes text and attribute values back.
//
// All of them treat input as UTF-8: an invalid sequence becomes U+FFFD and
// C0 control characters other than tab, LF and CR are dropped (they are not
// allowed in HTML or XML), so output is always valid UTF-8. Pure functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace dateline {

// HTML text and quoted attribute values: & < > " ' escaped.
std::string EscapeHtml(std::string_view s);

// XML text and attributes (RSS, Atom, sitemaps): & < > " ' escaped.
std::string EscapeXml(std::string_view s);

// The inside of a JSON string placed in HTML (<script type="application/ld+json">):
// quotes, backslashes and controls escaped, and < > & as \u003c \u003e \u0026
// so the text can never close the script element.
std::string EscapeJsonInHtml(std::string_view s);
// The same, appended to `out`.
void AppendJsonInHtml(std::string& out, std::string_view s);

// Percent-encodes (%XX, upper-case hex) every byte but ASCII letters, digits
// and the characters of `kept`.
std::string PercentEncode(std::string_view s, std::string_view kept);

// Percent-encodes everything outside RFC 3986 unreserved characters, for a
// value placed in a URL's path segment or query.
std::string EscapeUrlComponent(std::string_view s);

// Replaces invalid UTF-8 with U+FFFD and drops disallowed control characters.
std::string ValidUtf8(std::string_view s);

}  // namespace dateline
