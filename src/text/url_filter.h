// URL filtering for HTML attributes that hold a URL (href, src, cite).
//
// A URL is kept only when a browser would resolve it to one of the schemes
// http, https, mailto or tel, or when it is relative (path, "//host/...",
// "?query") or a fragment ("#id"). The value given is the attribute as the
// HTML parser decoded it (entities already resolved). Before the scheme is
// read, the value is normalised the way a browser's URL parser does it and a
// little more: leading and trailing spaces and control characters are
// trimmed and every remaining ASCII control character (tab, newline, ...) is
// removed, so "jav\tascript:" and " JAVASCRIPT:" are seen as javascript: and
// refused. Scheme comparison is case-insensitive. Any ':' before the first
// '/', '?' or '#' makes the prefix a scheme, so unusual prefixes are refused
// rather than guessed at.
//
// Pure functions; thread-safe. Refusal is std::nullopt, never an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dateline {

// The normalised URL when it is safe to emit, std::nullopt otherwise.
std::optional<std::string> FilterUrl(std::string_view url);

// True when a filtered URL leaves the site: http(s) scheme or "//host".
bool IsAbsoluteHttpUrl(std::string_view filtered_url);

// For "https://host[:port]/..." the lower-cased host (no port, no trailing
// dot); std::nullopt for any other scheme, for URLs with user info
// ("https://a@b/") and for an empty host.
std::optional<std::string> HttpsHost(std::string_view filtered_url);

}  // namespace dateline
