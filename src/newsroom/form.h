// Form and cookie parsing for the newsroom's HTML pages.
//
// Form reads an application/x-www-form-urlencoded body (what an HTML form
// posts): '&'-separated name=value pairs, '+' and %XX decoded by
// http::DecodeQueryComponent, and every CRLF in a value turned into LF
// (browsers send textarea line breaks as CRLF; stories keep LF). Values
// are bytes as sent: the caller validates them. At most kMaxFields pairs
// are read; the rest are ignored.
//
// CookieValue finds one cookie in a request's Cookie header(s) ("a=1;
// b=2"). SetCookie builds a Set-Cookie header value. SplitList and
// JoinList turn "a, b , c" into {"a", "b", "c"} and back, for the
// comma-separated inputs (tags, authors, related pins).
//
// Pure values and functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace dateline::newsroom {

class Form {
 public:
  static constexpr std::size_t kMaxFields = 1000;

  Form() = default;
  static Form Parse(std::string_view body);

  // The first value of `name`, or "" when absent.
  std::string Get(std::string_view name) const;
  // The first value of `name`, or nullopt when absent.
  std::optional<std::string> Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name).has_value(); }
  // Replaces every value of `name` with `value`.
  void Set(std::string_view name, std::string value);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// The value of cookie `name` in the request, or "" when it has none.
std::string CookieValue(const http::Request& req, std::string_view name);

struct CookieOptions {
  std::string path = "/";
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";    // "Lax", "Strict" or "None"
  std::optional<long> max_age;      // seconds; nullopt = a browser-session cookie
};

// "name=value; Path=/; HttpOnly; SameSite=Lax[; Secure][; Max-Age=N]".
// `value` must already be cookie-safe (the newsroom only stores hex tokens).
std::string SetCookie(std::string_view name, std::string_view value, const CookieOptions& options);

// "a, b ,,c" -> {"a", "b", "c"}: split at commas, trimmed, empty items dropped.
std::vector<std::string> SplitList(std::string_view text);
// {"a", "b"} -> "a, b".
std::string JoinList(const std::vector<std::string>& items);

}  // namespace dateline::newsroom
