#include "text/url_filter.h"

#include <array>

namespace dateline {

namespace {

bool IsControlOrSpace(unsigned char c) { return c <= 0x20 || c == 0x7f; }

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// The scheme of a normalised URL, lower-cased, or empty when it has none
// (relative reference or fragment).
std::string SchemeOf(std::string_view url) {
  const std::size_t end = url.find_first_of(":/?#");
  if (end == std::string_view::npos || url[end] != ':') return {};
  return Lower(url.substr(0, end));
}

}  // namespace

std::optional<std::string> FilterUrl(std::string_view url) {
  std::size_t begin = 0;
  std::size_t end = url.size();
  while (begin < end && IsControlOrSpace(static_cast<unsigned char>(url[begin]))) ++begin;
  while (end > begin && IsControlOrSpace(static_cast<unsigned char>(url[end - 1]))) --end;

  std::string normal;
  normal.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c < 0x20 || c == 0x7f) continue;  // tabs, newlines and other controls
    normal += static_cast<char>(c);
  }

  // A ':' anywhere before the path, query or fragment starts a scheme.
  const std::size_t colon = normal.find(':');
  const std::size_t path = normal.find_first_of("/?#");
  if (colon == std::string::npos || (path != std::string::npos && path < colon)) {
    return normal;  // relative reference or fragment
  }
  static constexpr std::array<std::string_view, 4> kAllowed = {"http", "https", "mailto", "tel"};
  const std::string scheme = SchemeOf(normal);
  for (std::string_view allowed : kAllowed) {
    if (scheme == allowed) return normal;
  }
  return std::nullopt;
}

bool IsAbsoluteHttpUrl(std::string_view filtered_url) {
  if (filtered_url.starts_with("//")) return true;
  const std::string scheme = SchemeOf(filtered_url);
  return scheme == "http" || scheme == "https";
}

std::optional<std::string> HttpsHost(std::string_view filtered_url) {
  if (SchemeOf(filtered_url) != "https") return std::nullopt;
  std::string_view rest = filtered_url.substr(6);  // after "https:"
  // Browsers treat '\' like '/' in special URLs; skip any mix of both.
  std::size_t slashes = 0;
  while (slashes < rest.size() && (rest[slashes] == '/' || rest[slashes] == '\\')) ++slashes;
  if (slashes != 2) return std::nullopt;
  rest.remove_prefix(2);
  std::string_view authority = rest.substr(0, rest.find_first_of("/\\?#"));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    for (char c : authority.substr(colon + 1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    authority = authority.substr(0, colon);
  }
  while (!authority.empty() && authority.back() == '.') authority.remove_suffix(1);
  if (authority.empty() || authority.find_first_of("[]%") != std::string_view::npos) {
    return std::nullopt;
  }
  return Lower(authority);
}

}  // namespace dateline
