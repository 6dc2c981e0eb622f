#include "http/message.h"

#include <gtest/gtest.h>

namespace dateline::http {
namespace {

TEST(Request, HeaderFindsFirstLowerCasedName) {
  Request r;
  r.headers = {{"accept", "text/html"}, {"x-a", "1"}, {"x-a", "2"}};
  ASSERT_NE(r.Header("x-a"), nullptr);
  EXPECT_EQ(*r.Header("x-a"), "1");
  EXPECT_EQ(r.Header("missing"), nullptr);
}

TEST(Request, QueryParamDecodes) {
  Request r;
  r.query = "q=news+today&tag=%C3%A9t%C3%A9";
  EXPECT_EQ(r.QueryParam("q"), "news today");
  EXPECT_EQ(r.QueryParam("tag"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(r.QueryParam("none"), "");
}

TEST(Response, Defaults) {
  Response r;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
}

TEST(Response, Text) {
  Response r = Response::Text(404, "not here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "not here");
}

TEST(Response, Redirect) {
  Response r = Response::Redirect(301, "/2025/05/06/x/");
  EXPECT_EQ(r.status, 301);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Location");
  EXPECT_EQ(r.headers[0].second, "/2025/05/06/x/");
  EXPECT_TRUE(r.body.empty());
}

}  // namespace
}  // namespace dateline::http
