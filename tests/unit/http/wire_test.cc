#include "http/wire.h"

#include <gtest/gtest.h>

namespace dateline::http::wire {
namespace {

namespace bhttp = boost::beast::http;

BeastRequest MakeRequest(std::string_view target) {
  BeastRequest r;
  r.method(bhttp::verb::get);
  r.target(boost::beast::string_view(target.data(), target.size()));
  r.version(11);
  r.set("X-Mixed-Case", "Value");
  r.body() = "payload";
  return r;
}

TEST(FromBeast, FillsRequest) {
  auto r = FromBeast(MakeRequest("/caf%C3%A9/a+b?q=x+y"), "10.0.0.1");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->target, "/caf%C3%A9/a+b?q=x+y");
  EXPECT_EQ(r->path, "/caf\xC3\xA9/a+b");
  EXPECT_EQ(r->query, "q=x+y");
  ASSERT_NE(r->Header("x-mixed-case"), nullptr);
  EXPECT_EQ(*r->Header("x-mixed-case"), "Value");
  EXPECT_EQ(r->body, "payload");
  EXPECT_EQ(r->remote_address, "10.0.0.1");
}

TEST(FromBeast, RejectsBadTargets) {
  for (const char* bad : {"http://example.com/", "*", "a/b", "/%00", "/%zz", "/a/../b"}) {
    auto r = FromBeast(MakeRequest(bad), "");
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(r.error().IsInvalidArgument());
  }
}

Framing DefaultFraming() { return Framing{11, true, false, "Thu, 01 Jan 1970 00:00:00 GMT"}; }

TEST(ToBeast, SetsFraming) {
  Response in;
  in.body = "<p>hi</p>";
  auto out = ToBeast(in, DefaultFraming());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result_int(), 200u);
  EXPECT_EQ((*out)[bhttp::field::content_length], "9");
  EXPECT_EQ((*out)[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*out)[bhttp::field::server], "dateline");
  EXPECT_EQ((*out)[bhttp::field::date], "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(out->body(), "<p>hi</p>");
  EXPECT_TRUE(out->keep_alive());
}

TEST(ToBeast, HeadKeepsLengthDropsBody) {
  Framing f = DefaultFraming();
  f.head = true;
  auto out = ToBeast(Response::Text(200, "12345"), f);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[bhttp::field::content_length], "5");
  EXPECT_TRUE(out->body().empty());
}

TEST(ToBeast, PassesHandlerHeadersButOwnsFraming) {
  Response in = Response::Redirect(302, "/new");
  in.headers.emplace_back("Cache-Control", "max-age=60");
  in.headers.emplace_back("Content-Length", "999");
  in.headers.emplace_back("Connection", "keep-alive");
  in.headers.emplace_back("Content-Type", "application/rss+xml");
  Framing f = DefaultFraming();
  f.keep_alive = false;
  auto out = ToBeast(in, f);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[bhttp::field::location], "/new");
  EXPECT_EQ((*out)[bhttp::field::cache_control], "max-age=60");
  EXPECT_EQ((*out)[bhttp::field::content_length], "0");
  EXPECT_EQ((*out)[bhttp::field::content_type], "application/rss+xml");
  EXPECT_EQ(out->count(bhttp::field::content_type), 1u);
  EXPECT_FALSE(out->keep_alive());
}

TEST(ToBeast, NoContentStatusesHaveNoLength) {
  Response in;
  in.status = 304;
  in.body = "ignored";
  auto out = ToBeast(in, DefaultFraming());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->count(bhttp::field::content_length), 0u);
  EXPECT_TRUE(out->body().empty());
}

TEST(ToBeast, RejectsResponseSplittingAndBadStatus) {
  Response split = Response::Redirect(302, "/a\r\nSet-Cookie: x=1");
  EXPECT_FALSE(ToBeast(split, DefaultFraming()));
  Response bad_name;
  bad_name.headers.emplace_back("Bad Name", "v");
  EXPECT_FALSE(ToBeast(bad_name, DefaultFraming()));
  Response bad_status;
  bad_status.status = 99;
  EXPECT_FALSE(ToBeast(bad_status, DefaultFraming()));
}

TEST(Prepare, SplitsTheHeaderAroundDate) {
  Response r{200, "text/plain", {{"ETag", "\"x\""}}, "hello"};
  auto p = Prepare(r);
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->head, "HTTP/1.1 200 OK\r\nETag: \"x\"\r\nServer: dateline\r\n");
  EXPECT_EQ(p->tail, "Content-Type: text/plain\r\nContent-Length: 5\r\n");
  // Not prepared: another status, or a handler's own Date (no line to cut).
  r.status = 404;
  EXPECT_FALSE(Prepare(r));
  r.status = 200;
  r.headers.emplace_back("Date", "Sat, 28 Nov 2026 10:00:00 GMT");
  EXPECT_FALSE(Prepare(r));
}

TEST(ErrorPage, FixedHtml) {
  Response r = ErrorPage(431);
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("Request Header Fields Too Large"), std::string::npos);
}

}  // namespace
}  // namespace dateline::http::wire
