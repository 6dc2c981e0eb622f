#include "base/escape.h"

#include <array>
#include <cstdint>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

// Which bytes pass through unchanged: printable ASCII, tab, LF and CR,
// less the `special` ones (at most eight).
struct PlainSet {
  std::array<bool, 256> plain{};
  std::array<char, 8> special{};
  int specials = 0;
};

constexpr PlainSet PlainBytes(std::string_view special) {
  PlainSet set;
  for (int u = 0; u < 256; ++u) {
    set.plain[static_cast<std::size_t>(u)] =
        (u >= 0x20 && u < 0x7F) || u == '\t' || u == '\n' || u == '\r';
  }
  for (char c : special) {
    set.plain[static_cast<std::uint8_t>(c)] = false;
    if (static_cast<std::uint8_t>(c) >= 0x20) {
      set.special[static_cast<std::size_t>(set.specials++)] = c;
    }
  }
  return set;
}

constexpr PlainSet kPlainText = PlainBytes("");
constexpr PlainSet kPlainMarkup = PlainBytes("&<>\"'");
constexpr PlainSet kPlainJsonInHtml = PlainBytes("\"\\<>&\t\n\r");
static_assert(kPlainMarkup.specials == 5 && kPlainJsonInHtml.specials == 5);

// The end of the run of plain bytes that starts at s[i]. With SSE2 (every
// x86-64) sixteen bytes are tested at a step: a byte below 0x20 or from
// 0x7F up, or a special one, ends the run there; tab, LF and CR end it too
// (plain, but below 0x20), which only sends them the slow way. The escapes
// spent most of their time in the byte-at-a-time loop below (callgrind:
// 9% of a story page, some 240 strings a page).
std::size_t PlainRunEnd(std::string_view s, std::size_t i, const PlainSet& set) {
#ifdef __SSE2__
  if (i + 16 <= s.size()) {
    __m128i special[8];
    for (int k = 0; k < set.specials; ++k) {
      special[k] = _mm_set1_epi8(set.special[static_cast<std::size_t>(k)]);
    }
    const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
    for (; i + 16 <= s.size(); i += 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      // Signed: the bytes from 0x80 up are negative, below 0x20 too.
      __m128i stop = _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del));
      for (int k = 0; k < set.specials; ++k) {
        stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, special[k]));
      }
      const int mask = _mm_movemask_epi8(stop);
      if (mask != 0) {
        return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
      }
    }
  }
#endif
  while (i < s.size() && set.plain[static_cast<std::uint8_t>(s[i])]) ++i;
  return i;
}

// Walks valid UTF-8 code points, calling `ascii(c)` for bytes < 0x80 that are
// allowed and appending multi-byte sequences as they are. Runs of `plain`
// bytes (which `ascii` must append unchanged) are appended whole.
template <typename F>
std::string Walk(std::string_view s, F ascii, const PlainSet& plain) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t run = PlainRunEnd(s, i, plain);
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
    // Printable ASCII needing no escape, appended whole.
    std::size_t run = PlainRunEnd(s, i, kPlainJsonInHtml);
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
