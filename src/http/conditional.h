// Conditional GET (RFC 9110 section 13): validators on a response and the
// 304 answer to a request that already holds the current representation.
//
// ApplyConditionalGet sets a strong ETag (a hash of the body) and, when
// `last_modified` is given, Last-Modified. If the request's If-None-Match
// lists that ETag (or "*"), or it has no If-None-Match and its
// If-Modified-Since is at or after `last_modified`, the response becomes a
// 304 with no body (headers kept). Only 200 answers to GET/HEAD are touched.
// Pure functions: thread-safe; unparsable request headers are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "http/message.h"

namespace dateline::http {

// "\"<16 hex digits>\"": a 64-bit hash of the bytes (std::hash), quoted;
// the same bytes give the same tag in every process.
std::string StrongEtag(std::string_view body);

// True when an If-None-Match header value lists `etag` (weak compare, as
// RFC 9110 asks for If-None-Match) or is "*".
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

void ApplyConditionalGet(const Request& req, Response& resp,
                         std::optional<Seconds> last_modified);

}  // namespace dateline::http
