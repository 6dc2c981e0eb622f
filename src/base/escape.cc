#include "base/escape.h"

#include <array>
#include <cstdint>

namespace dateline {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  std::uint8_t c = b(i);
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  // surrogates
  return n;
}

// Per byte: whether it passes through unchanged (printable ASCII, tab, LF
// and CR) and is not one of `special`.
constexpr std::array<bool, 256> PlainBytes(std::string_view special) {
  std::array<bool, 256> plain{};
  for (int u = 0; u < 256; ++u) {
    plain[static_cast<std::size_t>(u)] = (u >= 0x20 && u < 0x7F) || u == '\t' || u == '\n' || u == '\r';
  }
  for (char c : special) plain[static_cast<std::uint8_t>(c)] = false;
  return plain;
}

constexpr std::array<bool, 256> kPlainText = PlainBytes("");
constexpr std::array<bool, 256> kPlainMarkup = PlainBytes("&<>\"'");
constexpr std::array<bool, 256> kPlainJsonInHtml = PlainBytes("\"\\<>&\t\n\r");

// Walks valid UTF-8 code points, calling `ascii(c)` for bytes < 0x80 that are
// allowed and appending multi-byte sequences as they are. Runs of `plain`
// bytes (which `ascii` must append unchanged) are appended whole.
template <typename F>
std::string Walk(std::string_view s, F ascii, const std::array<bool, 256>& plain) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t run = i;
    while (run < s.size() && plain[static_cast<std::uint8_t>(s[run])]) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    std::size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (n == 1) {
      char c = s[i];
      auto u = static_cast<std::uint8_t>(c);
      if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) {
        ++i;
        continue;
      }
      ascii(out, c);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

void MarkupChar(std::string& out, char c) {
  switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
  }
}

}  // namespace

std::string EscapeHtml(std::string_view s) { return Walk(s, MarkupChar, kPlainMarkup); }

std::string EscapeXml(std::string_view s) { return Walk(s, MarkupChar, kPlainMarkup); }

std::string EscapeJsonInHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  AppendJsonInHtml(out, s);
  return out;
}

void AppendJsonInHtml(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size();) {
    std::size_t run = i;  // printable ASCII needing no escape, appended whole
    while (run < s.size() && kPlainJsonInHtml[static_cast<std::uint8_t>(s[run])]) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    std::size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (n > 1) {
      std::string_view seq = s.substr(i, n);
      // U+2028 and U+2029 end lines in older JavaScript parsers.
      if (seq == "\xE2\x80\xA8") out += "\\u2028";
      else if (seq == "\xE2\x80\xA9") out += "\\u2029";
      else out.append(seq);
      i += n;
      continue;
    }
    char c = s[i++];
    auto u = static_cast<std::uint8_t>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
}

std::string PercentEncode(std::string_view s, std::string_view kept) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<std::uint8_t>(c);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                kept.find(c) != std::string_view::npos;
    if (keep) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

std::string EscapeUrlComponent(std::string_view s) { return PercentEncode(s, "-._~"); }

std::string ValidUtf8(std::string_view s) {
  return Walk(s, [](std::string& out, char c) { out += c; }, kPlainText);
}

}  // namespace dateline
