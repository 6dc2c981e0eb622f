#include "http/url.h"

namespace dateline::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape starting at raw[i] ('%'); -1 if it is not "%XY".
int DecodeEscape(std::string_view raw, std::size_t i) {
  if (i + 2 >= raw.size()) return -1;
  int hi = HexValue(raw[i + 1]);
  int lo = HexValue(raw[i + 2]);
  if (hi < 0 || lo < 0) return -1;
  return hi * 16 + lo;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool HasDotDotSegment(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (path.substr(start, end - start) == "..") return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

}  // namespace

TargetParts SplitTarget(std::string_view target) {
  if (auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

Result<std::string> DecodePath(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (IsControl(static_cast<unsigned char>(c))) {
      return Fail(Status::InvalidArgument("path: control byte at offset " + std::to_string(i)));
    }
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    int v = DecodeEscape(raw, i);
    if (v < 0) {
      return Fail(Status::InvalidArgument("path: invalid escape at offset " + std::to_string(i)));
    }
    if (v == 0) return Fail(Status::InvalidArgument("path: encoded NUL (%00)"));
    out.push_back(static_cast<char>(v));
    i += 2;
  }
  if (HasDotDotSegment(out)) return Fail(Status::InvalidArgument("path: \"..\" segment"));
  return out;
}

std::string DecodeQueryComponent(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '+') {
      out.push_back(' ');
      continue;
    }
    int v = c == '%' ? DecodeEscape(raw, i) : -1;
    if (v > 0) {
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FindQueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (DecodeQueryComponent(key) != name) continue;
    return eq == std::string_view::npos ? std::string() : DecodeQueryComponent(pair.substr(eq + 1));
  }
  return {};
}

}  // namespace dateline::http
