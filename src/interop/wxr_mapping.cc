#include "interop/wxr_mapping.h"

#include <cstdio>

#include "interop/wpautop.h"
#include "text/sanitize.h"
#include "text/slug.h"

namespace dateline {

std::optional<Seconds> WpDate(std::string_view text) {
  if (text.size() < 19 || text.starts_with("0000")) return std::nullopt;
  std::string iso(text.substr(0, 19));
  iso[10] = 'T';
  auto t = ParseRfc3339(iso + "Z");
  if (!t) return std::nullopt;
  return *t;
}

std::optional<Seconds> WpLocalDate(std::string_view text, const TimeZone& zone) {
  auto naive = WpDate(text);
  if (!naive) return std::nullopt;
  // The instant whose local wall-clock time is `naive`: two rounds settle
  // the offset, also across a DST change.
  Seconds t = *naive - zone.ToCivil(*naive).offset_seconds;
  t = *naive - zone.ToCivil(t).offset_seconds;
  return t;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 &&
        hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string WpSlug(std::string_view wp_slug, std::string_view fallback) {
  std::string decoded = PercentDecode(wp_slug);
  for (char& c : decoded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (IsValidSlug(decoded)) return decoded;
  if (decoded.find_first_not_of(" -_") != std::string::npos) return Slugify(decoded);
  return Slugify(fallback);
}

std::string LinkPath(std::string_view link) {
  std::size_t start = 0;
  if (std::size_t scheme = link.find("://"); scheme != std::string_view::npos) {
    start = link.find('/', scheme + 3);
    if (start == std::string_view::npos) {
      std::size_t q = link.find('?', scheme + 3);
      if (q == std::string_view::npos) return "/";
      return "/" + std::string(link.substr(q));
    }
  }
  std::string_view rest = link.substr(start);
  if (rest.empty()) return "";
  std::size_t hash = rest.find('#');
  rest = rest.substr(0, hash);
  std::size_t q = rest.find('?');
  std::string path = PercentDecode(rest.substr(0, q));
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  if (q != std::string_view::npos) path += rest.substr(q);
  return path;
}

std::string WpBodyToHtml(std::string_view content, const ShortcodeContext& ctx,
                         ShortcodeReport& report) {
  std::string html = EmbedBareUrls(content, ctx, report);
  html = ExpandShortcodes(html, ctx, report);
  html = AutoP(html);
  return SanitizeHtml(html, SanitizeOptions{ctx.iframe_hosts});
}

Fingerprint& Fingerprint::Add(std::string_view s) {
  for (unsigned char c : s) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  h_ ^= 0xff;  // field separator: ("ab","c") differs from ("a","bc")
  h_ *= 1099511628211ull;
  return *this;
}

Fingerprint& Fingerprint::Add(std::optional<Seconds> t) {
  return Add(t ? std::to_string(*t) : std::string("-"));
}

std::string Fingerprint::Hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
  return buf;
}

}  // namespace dateline
