#include "text/url_filter.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace dateline {
namespace {

using namespace std::string_literals;

TEST(FilterUrlTest, KeepsSafeSchemesAndRelativeUrls) {
  const struct {
    std::string in;
    std::string out;
  } kKept[] = {
      {"https://example.com/a?b=1&c=2#d", "https://example.com/a?b=1&c=2#d"},
      {"HTTP://EXAMPLE.COM", "HTTP://EXAMPLE.COM"},
      {"mailto:desk@example.com", "mailto:desk@example.com"},
      {"tel:+880 2 555", "tel:+880 2 555"},
      {"/2025/05/06/story/", "/2025/05/06/story/"},
      {"../up", "../up"},
      {"story", "story"},
      {"#section-2", "#section-2"},
      {"?page=2", "?page=2"},
      {"//cdn.example/img.png", "//cdn.example/img.png"},
      {"/search?q=a:b", "/search?q=a:b"},  // ':' after the path starts
      {"  https://example.com/x \n", "https://example.com/x"},
      {"ht\ttps://example.com/", "https://example.com/"},
      {"", ""},
      // Not decoded here (the HTML parser did that): '#' starts a fragment,
      // and the value is escaped again on output, so it stays inert.
      {"jav&#x09;ascript:alert(1)", "jav&#x09;ascript:alert(1)"},
  };
  for (const auto& k : kKept) {
    EXPECT_EQ(FilterUrl(k.in), std::optional<std::string>(k.out)) << k.in;
  }
}

TEST(FilterUrlTest, RefusesEverythingElse) {
  for (const std::string& bad : {
           "javascript:alert(1)"s,
           "JavaScript:alert(1)"s,
           " \t javascript:alert(1)"s,
           "jav\tascript:alert(1)"s,
           "jav\nascript:alert(1)"s,
           "java\x01script:alert(1)"s,
           "java\0script:alert(1)"s,
           "\x0e javascript:alert(1)"s,
           "vbscript:msgbox(1)"s,
           "data:text/html,<script>alert(1)</script>"s,
           "DATA:image/png;base64,AAAA"s,
           "file:///etc/passwd"s,
           "javascript&colon;alert(1):"s,
           ":no-scheme"s,
           "feed:https://example.com"s,
       }) {
    EXPECT_EQ(FilterUrl(bad), std::nullopt) << bad;
  }
}

TEST(IsAbsoluteHttpUrlTest, OnlyLinksThatLeaveTheSite) {
  EXPECT_TRUE(IsAbsoluteHttpUrl("https://example.com/"));
  EXPECT_TRUE(IsAbsoluteHttpUrl("Http://example.com/"));
  EXPECT_TRUE(IsAbsoluteHttpUrl("//example.com/"));
  EXPECT_FALSE(IsAbsoluteHttpUrl("/local"));
  EXPECT_FALSE(IsAbsoluteHttpUrl("mailto:a@b"));
  EXPECT_FALSE(IsAbsoluteHttpUrl("#top"));
}

TEST(HttpsHostTest, ExtractsTheHostOfHttpsUrls) {
  EXPECT_EQ(HttpsHost("https://Player.Example/v/1"), "player.example");
  EXPECT_EQ(HttpsHost("https://player.example:8443/v"), "player.example");
  EXPECT_EQ(HttpsHost("https://player.example./v"), "player.example");
  EXPECT_EQ(HttpsHost("https://player.example?x"), "player.example");
  EXPECT_EQ(HttpsHost("http://player.example/"), std::nullopt);
  EXPECT_EQ(HttpsHost("https://user@evil.example/"), std::nullopt);
  EXPECT_EQ(HttpsHost("https://player.example:x@evil.example/"), std::nullopt);
  EXPECT_EQ(HttpsHost("https:///path"), std::nullopt);
  EXPECT_EQ(HttpsHost("https:/player.example/"), std::nullopt);
  EXPECT_EQ(HttpsHost("//player.example/"), std::nullopt);
}

}  // namespace
}  // namespace dateline
