#include "http/conditional.h"

#include <gtest/gtest.h>

#include "http/http_date.h"

namespace dateline::http {
namespace {

constexpr Seconds kModified = 1746504300;  // Tue, 06 May 2025 04:05:00 GMT

Request Get(HeaderList headers = {}) {
  Request r;
  r.method = "GET";
  r.path = "/feed/";
  r.headers = std::move(headers);
  return r;
}

Response Ok() {
  Response r;
  r.body = "<rss>feed</rss>";
  return r;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(HttpDate, ParsesWhatItFormats) {
  for (Seconds t : {Seconds{0}, kModified, Seconds{951782400} /* 2000-02-29 */}) {
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(t)), t) << FormatHttpDate(t);
  }
  EXPECT_EQ(ParseHttpDate("Tue, 06 May 2025 04:05:00 GMT"), kModified);
  for (const char* bad : {"", "Tue, 06 May 2025 04:05:00 UTC", "Tuesday, 06-May-25 04:05:00 GMT",
                          "Tue, 31 Feb 2025 04:05:00 GMT", "Tue, 06 Foo 2025 04:05:00 GMT",
                          "Tue, 06 May 2025 24:05:00 GMT", "Tue, 0x May 2025 04:05:00 GMT"}) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
}

TEST(Etag, StrongQuotedAndDependsOnEveryByte) {
  std::string a = StrongEtag("abc"), b = StrongEtag("abd");
  EXPECT_EQ(a.size(), 18u);
  EXPECT_EQ(a.front(), '"');
  EXPECT_EQ(a.back(), '"');
  EXPECT_NE(a, b);
  EXPECT_EQ(a, StrongEtag("abc"));
  // A page-sized body changed by one byte anywhere (the hash reads eight
  // bytes a step, then the tail) gets another tag.
  std::string page(24 * 1024 + 5, 'p');
  const std::string tag = StrongEtag(page);
  for (std::size_t at : {std::size_t{0}, std::size_t{7}, std::size_t{8}, page.size() / 2, page.size() - 6,
                         page.size() - 1}) {
    std::string changed = page;
    changed[at] = 'q';
    EXPECT_NE(StrongEtag(changed), tag) << at;
  }
  EXPECT_NE(StrongEtag(page + "p"), tag);
}

// The tag is a pure function of the bytes, with no per-process seed: servers
// of one site (and a restarted one) give a CDN the same tag for the same page.
TEST(Etag, SameInEveryProcess) { EXPECT_EQ(StrongEtag("abc"), "\"32d82bf8ed3dba39\""); }

TEST(Etag, IfNoneMatchListsWeakAndStar) {
  std::string e = StrongEtag("x");
  EXPECT_TRUE(EtagMatches(e, e));
  EXPECT_TRUE(EtagMatches("\"zzz\", " + e, e));
  EXPECT_TRUE(EtagMatches(" W/" + e + " ", e));
  EXPECT_TRUE(EtagMatches("*", e));
  EXPECT_FALSE(EtagMatches("\"zzz\"", e));
  EXPECT_FALSE(EtagMatches("", e));
  EXPECT_FALSE(EtagMatches(e.substr(0, e.size() - 1), e));
}

TEST(ConditionalGet, SetsValidatorsOnAPlainGet) {
  Response r = Ok();
  ApplyConditionalGet(Get(), r, kModified);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(HeaderOf(r, "ETag"), StrongEtag("<rss>feed</rss>"));
  EXPECT_EQ(HeaderOf(r, "Last-Modified"), "Tue, 06 May 2025 04:05:00 GMT");
  EXPECT_EQ(r.body, "<rss>feed</rss>");
}

TEST(ConditionalGet, MatchingEtagAnswers304WithoutBody) {
  Response r = Ok();
  ApplyConditionalGet(Get({{"if-none-match", StrongEtag("<rss>feed</rss>")}}), r, kModified);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(HeaderOf(r, "ETag").empty());
}

TEST(ConditionalGet, StaleEtagWinsOverAFreshDate) {
  Response r = Ok();
  ApplyConditionalGet(Get({{"if-none-match", "\"old\""},
                           {"if-modified-since", "Tue, 06 May 2025 04:05:00 GMT"}}),
                      r, kModified);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.empty());
}

TEST(ConditionalGet, IfModifiedSinceComparesSeconds) {
  Response same = Ok();
  ApplyConditionalGet(Get({{"if-modified-since", "Tue, 06 May 2025 04:05:00 GMT"}}), same,
                      kModified);
  EXPECT_EQ(same.status, 304);
  Response later = Ok();
  ApplyConditionalGet(Get({{"if-modified-since", "Tue, 06 May 2025 05:00:00 GMT"}}), later,
                      kModified);
  EXPECT_EQ(later.status, 304);
  Response older = Ok();
  ApplyConditionalGet(Get({{"if-modified-since", "Tue, 06 May 2025 04:04:59 GMT"}}), older,
                      kModified);
  EXPECT_EQ(older.status, 200);
  Response garbage = Ok();
  ApplyConditionalGet(Get({{"if-modified-since", "yesterday"}}), garbage, kModified);
  EXPECT_EQ(garbage.status, 200);
  Response no_date = Ok();  // no Last-Modified known: a date alone proves nothing
  ApplyConditionalGet(Get({{"if-modified-since", "Tue, 06 May 2025 05:00:00 GMT"}}), no_date,
                      std::nullopt);
  EXPECT_EQ(no_date.status, 200);
  EXPECT_EQ(HeaderOf(no_date, "Last-Modified"), "");
}

TEST(ConditionalGet, LeavesErrorsAndOtherMethodsAlone) {
  Response missing = Ok();
  missing.status = 404;
  ApplyConditionalGet(Get({{"if-none-match", "*"}}), missing, kModified);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(HeaderOf(missing, "ETag"), "");
  Request post = Get({{"if-none-match", "*"}});
  post.method = "POST";
  Response r = Ok();
  ApplyConditionalGet(post, r, kModified);
  EXPECT_EQ(r.status, 200);
  Request head = Get({{"if-none-match", "*"}});
  head.method = "HEAD";
  Response h = Ok();
  ApplyConditionalGet(head, h, kModified);
  EXPECT_EQ(h.status, 304);
}

}  // namespace
}  // namespace dateline::http
