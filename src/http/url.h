// URL pieces of a request target: splitting, percent-decoding, query lookup.
//
// DecodePath is strict because its output names a resource: an invalid
// escape ("%zz", a truncated "%4"), an encoded NUL ("%00") or a raw control
// byte fails with InvalidArgument (the server answers 400). '+' in a path is
// a literal plus. DecodeQueryComponent is lenient because query strings come
// from forms and hand-typed links: '+' becomes a space, valid escapes are
// decoded, and anything undecodable (including "%00") is kept literally.
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace dateline::http {

struct TargetParts {
  std::string_view path;   // raw, still percent-encoded
  std::string_view query;  // raw, without the '?'; empty if none
};

// Splits "/a/b?x=1" into {"/a/b", "x=1"}. Any fragment is dropped.
TargetParts SplitTarget(std::string_view target);

// Percent-decodes a raw path; see the header comment for what fails.
Result<std::string> DecodePath(std::string_view raw_path);

// Decodes one query key or value ('+' is a space).
std::string DecodeQueryComponent(std::string_view raw);

// The decoded value of the first `name` parameter in a raw query string,
// or "" when it is absent. A bare key ("a&b") has the value "".
std::string FindQueryParam(std::string_view raw_query, std::string_view name);

}  // namespace dateline::http
