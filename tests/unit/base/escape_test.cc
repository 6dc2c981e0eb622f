#include "base/escape.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dateline {
namespace {

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(const std::string& s) { return ValidUtf8(s) == s; }

TEST(EscapeHtml, EveryByteIsSafe) {
  for (int b = 0; b < 256; ++b) {
    std::string in(1, static_cast<char>(b));
    std::string out = EscapeHtml(in);
    EXPECT_EQ(out.find('<'), std::string::npos) << b;
    EXPECT_EQ(out.find('>'), std::string::npos) << b;
    EXPECT_EQ(out.find('"'), std::string::npos) << b;
    EXPECT_EQ(out.find('\''), std::string::npos) << b;
    EXPECT_TRUE(IsValidUtf8(out)) << b;
    if (b == '&') {
      EXPECT_EQ(out, "&amp;");
    } else if (b >= 0x80) {
      EXPECT_EQ(out, "\xEF\xBF\xBD") << b;  // a lone high byte is not UTF-8
    } else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
      EXPECT_EQ(out, "") << b;  // controls HTML does not allow
    }
  }
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(EscapeHtml, KeepsValidUtf8AndReplacesInvalid) {
  EXPECT_EQ(EscapeHtml("বাংলা हिन्दी Ελληνικά 😀"), "বাংলা हिन्दी Ελληνικά 😀");
  EXPECT_EQ(EscapeHtml("a\xC3"), "a\xEF\xBF\xBD");                  // truncated
  EXPECT_EQ(EscapeHtml("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");    // overlong '/'
  EXPECT_EQ(EscapeHtml("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(EscapeHtml("\xF4\x90\x80\x80").substr(0, 3), "\xEF\xBF\xBD");  // > U+10FFFF
  EXPECT_EQ(EscapeHtml("\xE0\x80\xBC"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '<'
}

TEST(EscapeHtml, TextAroundAnyByteIsKeptAsItIs) {
  // Plain text is copied in runs; whatever stops a run is escaped as alone.
  for (int b = 0; b < 256; ++b) {
    std::string byte(1, static_cast<char>(b));
    EXPECT_EQ(EscapeHtml("Plain text, " + byte + " then more."),
              "Plain text, " + EscapeHtml(byte) + " then more.") << b;
    EXPECT_EQ(ValidUtf8("tab\t" + byte + "\r\n"), "tab\t" + ValidUtf8(byte) + "\r\n") << b;
  }
  EXPECT_EQ(EscapeHtml("x<y & z\xC3\xA9 \x01ok\xFF\"end\""),
            "x&lt;y &amp; z\xC3\xA9 ok\xEF\xBF\xBD&quot;end&quot;");
  EXPECT_EQ(EscapeXml("a'b"), "a&#39;b");
}

TEST(Escapes, AByteOrCharacterIsEscapedAloneWhereverItStandsInALongText) {
  // Runs of plain text are found sixteen bytes at a time: every position in
  // three blocks, every byte, and characters of 2 to 4 bytes across a block
  // boundary, for each escape.
  std::vector<std::string> pieces;
  for (int b = 0; b < 256; ++b) pieces.emplace_back(1, static_cast<char>(b));
  for (const char* c : {"\xC3\xA9", "\xE2\x80\xA8", "\xF0\x9F\x98\x80", "\xE0\x80\xBC", "a\xC3"}) {
    pieces.emplace_back(c);
  }
  const std::string text = "The quick brown fox jumps over the lazy dog and keeps running far";
  for (const std::string& piece : pieces) {
    for (std::size_t at = 0; at <= 48; ++at) {
      const std::string before = text.substr(0, at), after = text.substr(at, 40);
      const std::string in = before + piece + after;
      EXPECT_EQ(EscapeHtml(in), before + EscapeHtml(piece) + after) << at;
      EXPECT_EQ(EscapeXml(in), before + EscapeXml(piece) + after) << at;
      EXPECT_EQ(EscapeJsonInHtml(in), before + EscapeJsonInHtml(piece) + after) << at;
      EXPECT_EQ(ValidUtf8(in), before + ValidUtf8(piece) + after) << at;
    }
  }
}

TEST(EscapeXml, EveryByteIsSafe) {
  for (int b = 0; b < 256; ++b) {
    std::string out = EscapeXml(std::string(1, static_cast<char>(b)));
    EXPECT_EQ(out.find('<'), std::string::npos) << b;
    EXPECT_TRUE(IsValidUtf8(out)) << b;
    // XML 1.0 forbids C0 controls except tab, LF, CR.
    for (char c : out) {
      auto u = static_cast<unsigned char>(c);
      EXPECT_FALSE(u < 0x20 && c != '\t' && c != '\n' && c != '\r') << b;
    }
  }
}

TEST(EscapeJsonInHtml, CannotCloseAScriptOrBreakTheString) {
  for (int b = 0; b < 256; ++b) {
    std::string out = EscapeJsonInHtml(std::string(1, static_cast<char>(b)));
    EXPECT_EQ(out.find('<'), std::string::npos) << b;
    EXPECT_EQ(out.find('>'), std::string::npos) << b;
    EXPECT_TRUE(out.find('"') == std::string::npos || out == "\\\"") << b;
    for (char c : out) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << b;
    EXPECT_TRUE(IsValidUtf8(out)) << b;
  }
  EXPECT_EQ(EscapeJsonInHtml("</script><b>"), "\\u003c/script\\u003e\\u003cb\\u003e");
  EXPECT_EQ(EscapeJsonInHtml("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(EscapeJsonInHtml("\xE2\x80\xA8"), "\\u2028");
  EXPECT_EQ(EscapeJsonInHtml("\x01"), "\\u0001");
  EXPECT_EQ(EscapeJsonInHtml("\xFF"), "\\ufffd");
}

TEST(EscapeUrlComponent, EncodesAllButUnreserved) {
  for (int b = 0; b < 256; ++b) {
    char c = static_cast<char>(b);
    std::string out = EscapeUrlComponent(std::string(1, c));
    bool unreserved = std::isalnum(b) || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved && b < 0x80) {
      EXPECT_EQ(out, std::string(1, c));
    } else {
      ASSERT_EQ(out.size(), 3u) << b;
      EXPECT_EQ(out[0], '%');
    }
  }
  EXPECT_EQ(EscapeUrlComponent("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

}  // namespace
}  // namespace dateline
