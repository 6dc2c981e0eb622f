// FormatHttpDate: the IMF-fixdate form of a time (RFC 9110 section 5.6.7),
// as sent in the Date, Last-Modified and Expires headers:
// "Sun, 06 Nov 1994 08:49:37 GMT". Independent of the process locale.
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dateline::http {

// `unix_seconds` is seconds since 1970-01-01T00:00:00Z.
std::string FormatHttpDate(std::int64_t unix_seconds);

// Parses the IMF-fixdate form back (If-Modified-Since); nullopt for any
// other form or a malformed value (which callers then ignore).
std::optional<std::int64_t> ParseHttpDate(std::string_view text);

}  // namespace dateline::http
