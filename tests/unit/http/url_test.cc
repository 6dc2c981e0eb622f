#include "http/url.h"

#include <gtest/gtest.h>

namespace dateline::http {
namespace {

TEST(SplitTarget, PathAndQuery) {
  auto p = SplitTarget("/a/b?x=1&y=2");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "x=1&y=2");
}

TEST(SplitTarget, NoQueryAndFragment) {
  EXPECT_EQ(SplitTarget("/a").query, "");
  EXPECT_EQ(SplitTarget("/a?").query, "");
  auto p = SplitTarget("/a?q=1#frag");
  EXPECT_EQ(p.path, "/a");
  EXPECT_EQ(p.query, "q=1");
}

TEST(DecodePath, DecodesEscapesAndKeepsPlus) {
  EXPECT_EQ(DecodePath("/a%20b/c+d").value(), "/a b/c+d");
  EXPECT_EQ(DecodePath("/caf%C3%A9").value(), "/caf\xC3\xA9");
  EXPECT_EQ(DecodePath("/%2f%2F").value(), "///");
  EXPECT_EQ(DecodePath("/").value(), "/");
}

TEST(DecodePath, RejectsEncodedNul) {
  auto r = DecodePath("/a%00b");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().IsInvalidArgument());
}

TEST(DecodePath, RejectsInvalidEscapes) {
  for (const char* bad : {"/%", "/%4", "/%zz", "/%4g", "/a%"}) {
    EXPECT_FALSE(DecodePath(bad)) << bad;
  }
}

TEST(DecodePath, RejectsControlBytes) {
  EXPECT_FALSE(DecodePath(std::string_view("/a\x01", 3)));
  EXPECT_FALSE(DecodePath("/a\x7f"));
}

TEST(DecodePath, RejectsDotDotSegments) {
  EXPECT_FALSE(DecodePath("/../etc/passwd"));
  EXPECT_FALSE(DecodePath("/a/%2e%2e/b"));
  EXPECT_FALSE(DecodePath("/a/.."));
  EXPECT_TRUE(DecodePath("/a/..b/c..").has_value());
  EXPECT_TRUE(DecodePath("/a/./b").has_value());
}

TEST(DecodeQueryComponent, PlusAndEscapes) {
  EXPECT_EQ(DecodeQueryComponent("a+b%2Bc%26"), "a b+c&");
  EXPECT_EQ(DecodeQueryComponent("%E2%82%AC"), "\xE2\x82\xAC");
}

TEST(DecodeQueryComponent, KeepsUndecodableLiterally) {
  EXPECT_EQ(DecodeQueryComponent("100%"), "100%");
  EXPECT_EQ(DecodeQueryComponent("%zz%4"), "%zz%4");
  EXPECT_EQ(DecodeQueryComponent("a%00b"), "a%00b");
}

TEST(FindQueryParam, FirstOccurrenceDecoded) {
  EXPECT_EQ(FindQueryParam("q=a+b&q=second", "q"), "a b");
  EXPECT_EQ(FindQueryParam("x=1&page=2", "page"), "2");
  EXPECT_EQ(FindQueryParam("a%20b=c", "a b"), "c");
}

TEST(FindQueryParam, AbsentBareAndEmpty) {
  EXPECT_EQ(FindQueryParam("", "q"), "");
  EXPECT_EQ(FindQueryParam("x=1", "q"), "");
  EXPECT_EQ(FindQueryParam("flag&q=", "flag"), "");
  EXPECT_EQ(FindQueryParam("&&q=1&", "q"), "1");
  EXPECT_EQ(FindQueryParam("qq=1", "q"), "");
}

}  // namespace
}  // namespace dateline::http
