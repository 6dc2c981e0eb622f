// Server behaviour over real sockets: responses, keep-alive, HEAD, handler
// errors, decoding.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

#include "http/response_cache.h"
#include "server_fixture.h"

namespace dateline::http::testing {
namespace {

using ServerTest = ServerFixture;

TEST_F(ServerTest, GetReturnsHandlerBodyWithHeaders) {
  StartServer([](const Request&) {
    return Response{200, "text/html; charset=utf-8", {}, "<p>hello</p>"};
  });
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->version, "HTTP/1.1");
  EXPECT_EQ(r->body, "<p>hello</p>");
  EXPECT_EQ(r->HeaderOr("content-length"), "12");
  EXPECT_EQ(r->HeaderOr("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->HeaderOr("server"), "dateline");
  EXPECT_TRUE(std::regex_match(
      r->HeaderOr("date"),
      std::regex(
          R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT)")))
      << r->HeaderOr("date");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  auto first = c.RoundTrip(Get("/one"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "GET|/one||");
  EXPECT_EQ(first->Header("connection"), nullptr);
  auto second = c.RoundTrip(Get("/two"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "GET|/two||");
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  ASSERT_TRUE(c.Send(Get("/a") + Get("/b")));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "GET|/a||");
  EXPECT_EQ(b->body, "GET|/b||");
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveAsked) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  auto r = c.RoundTrip("GET /old HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, "HTTP/1.0");
  EXPECT_EQ(r->body, "GET|/old||");
  EXPECT_TRUE(c.WaitForClose(TestClient::Ms(2000)));

  TestClient k = Connect();
  auto r1 = k.RoundTrip("GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->HeaderOr("connection"), "keep-alive");
  auto r2 = k.RoundTrip("GET /2 HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, "GET|/2||");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/", "Connection: close\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->HeaderOr("connection"), "close");
  EXPECT_TRUE(c.WaitForClose(TestClient::Ms(2000)));
}

TEST_F(ServerTest, HeadHasNoBodyButTheGetContentLength) {
  StartServer([](const Request& r) {
    Response out = Response::Text(200, "0123456789");
    out.headers.emplace_back("X-Method", r.method);
    return out;
  });
  TestClient c = Connect();
  ASSERT_TRUE(c.Send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = c.Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->HeaderOr("content-length"), "10");
  EXPECT_EQ(head->HeaderOr("x-method"), "HEAD");
  EXPECT_EQ(c.pending(), "");
  // The next response on the connection starts right after the HEAD headers.
  auto get = c.RoundTrip(Get("/x"));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, "0123456789");
}

TEST_F(ServerTest, PostBodyReachesHandler) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  auto r = c.RoundTrip("POST /api HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST|/api||hello");
}

TEST_F(ServerTest, ExpectContinueGets100ThenResponse) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  ASSERT_TRUE(
      c.Send("PUT /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto cont = c.Read();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  auto r = c.RoundTrip("abc");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "PUT|/a||abc");
}

TEST_F(ServerTest, HandlerExceptionGives500AndServerKeepsRunning) {
  StartServer([](const Request& r) -> Response {
    if (r.path == "/boom") throw std::runtime_error("<script>secret</script>");
    return Response::Text(200, "fine");
  });
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/boom"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->HeaderOr("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->body.find("secret"), std::string::npos);
  EXPECT_EQ(r->body.find("<script>"), std::string::npos);
  auto next = c.RoundTrip(Get("/ok"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "fine");
}

TEST_F(ServerTest, APreparedCacheHitIsTheSameAnswerAsThePlainOne) {
  // One cache answers through the worker (ResponseCache::Serve: a Response
  // framed field by field by Beast) and, while `fast_on`, through the fast
  // handler (Lookup: a 200 as bytes prepared once). For each kind of
  // request both answers must be the same: status line, every header but
  // Date in order, and body.
  ResponseCache cache(1 << 20);
  std::atomic<bool> fast_on{false};
  std::atomic<int> renders{0}, prepared{0};
  const std::string page = "<p>" + std::string(3000, 'x') + "</p>";
  auto render = [&] {
    ++renders;
    ResponseCache::Rendered out;
    out.response = Response{200, "text/html; charset=utf-8",
                            {{"Cache-Control", "public, max-age=60"},
                             {"Last-Modified", "Sat, 28 Nov 2026 10:00:00 GMT"}},
                            page};
    out.cacheable = true;
    return out;
  };
  ServerOptions options;
  options.worker_threads = 1;
  StartServer([&](const Request& r) { return cache.Serve(r, r.path, render); }, options,
              [&](const Request& r) -> std::optional<Response> {
                if (!fast_on) return std::nullopt;
                std::optional<Response> answer = cache.Lookup(r, r.path);
                if (answer && answer->prepared) ++prepared;
                return answer;
              });
  auto without_date = [](const RawResponse& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& h : r.headers) {
      if (h.first != "date") out.push_back(h);
    }
    return out;
  };
  auto fetch = [&](const std::string& request, bool head) {
    TestClient client = Connect();
    return client.RoundTrip(request, head);
  };
  auto first = fetch(Get("/page"), false);  // renders
  ASSERT_TRUE(first);
  const std::string etag = first->HeaderOr("etag");
  ASSERT_FALSE(etag.empty());
  struct Case {
    std::string name, request;
    bool head = false;
    bool expect_prepared = true;
  };
  const std::vector<Case> cases = {
      {"identity", Get("/page")},
      {"gzip", Get("/page", "Accept-Encoding: gzip\r\n")},
      {"brotli", Get("/page", "Accept-Encoding: gzip, br\r\n")},
      {"head", "HEAD /page HTTP/1.1\r\nHost: test\r\nAccept-Encoding: br\r\n\r\n", true},
      {"close", Get("/page", "Connection: close\r\n")},
      {"not modified", Get("/page", "If-None-Match: " + etag + "\r\n"), false, false},
      {"http/1.0", "GET /page HTTP/1.0\r\nHost: test\r\n\r\n", false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    fast_on = false;
    const int before = prepared.load();
    auto plain = fetch(c.request, c.head);
    fast_on = true;
    auto fast = fetch(c.request, c.head);
    ASSERT_TRUE(plain);
    ASSERT_TRUE(fast);
    EXPECT_EQ(prepared.load() - before, c.expect_prepared ? 1 : 0);
    EXPECT_EQ(fast->version, plain->version);
    EXPECT_EQ(fast->status, plain->status);
    EXPECT_EQ(without_date(*fast), without_date(*plain));
    EXPECT_EQ(fast->body, plain->body);
    EXPECT_FALSE(fast->HeaderOr("date").empty());
  }
  // The codings really differ, and a prepared answer carries its body.
  fast_on = true;
  auto br = fetch(Get("/page", "Accept-Encoding: br\r\n"), false);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->HeaderOr("content-encoding"), "br");
  EXPECT_LT(br->body.size(), page.size());
  // Pipelined on one connection: each answer whole, in order.
  TestClient client = Connect();
  ASSERT_TRUE(client.Send(Get("/page") + Get("/page", "Accept-Encoding: gzip\r\n") + Get("/page")));
  for (int i = 0; i < 3; ++i) {
    auto r = client.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->HeaderOr("content-encoding"), i == 1 ? "gzip" : "") << i;
    if (i != 1) {
      EXPECT_EQ(r->body, page) << i;
    }
  }
  EXPECT_EQ(renders.load(), 1);
}

TEST_F(ServerTest, WorkersRenderWhileTheIoThreadAnswersFromMemory) {
  // One I/O thread, one worker. The worker is held inside a slow render
  // of /slow; meanwhile a cached page (the fast handler) and a HEAD are
  // answered on another connection, then /slow completes in order with
  // what follows it on its own connection.
  std::mutex mu;
  std::condition_variable cv;
  bool rendering = false, release = false;
  // Whatever fails below, the held render ends with the test.
  struct Release {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& release;
    ~Release() {
      {
        std::lock_guard lock(mu);
        release = true;
      }
      cv.notify_all();
    }
  } guard{mu, cv, release};
  ServerOptions options;
  options.threads = 1;
  options.worker_threads = 1;
  StartServer(
      [&](const Request& r) -> Response {
        if (r.path == "/slow") {
          std::unique_lock lock(mu);
          rendering = true;
          cv.notify_all();
          cv.wait(lock, [&] { return release; });
          return Response::Text(200, "rendered slowly");
        }
        if (r.path == "/boom") throw std::runtime_error("worker failure");
        return Response::Text(200, "rendered " + r.path);
      },
      options,
      [](const Request& r) -> std::optional<Response> {
        if (r.path == "/cached") return Response::Text(200, "from memory");
        if (r.path == "/fast-boom") throw std::runtime_error("fast failure");
        return std::nullopt;
      });
  TestClient slow = Connect();
  ASSERT_TRUE(slow.Send(Get("/slow") + Get("/after")));  // pipelined behind it
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return rendering; }));
  }
  TestClient other = Connect();
  auto cached = other.RoundTrip(Get("/cached"));
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->body, "from memory");
  auto failed = other.RoundTrip(Get("/fast-boom"));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(rendering);  // the worker is still held
    release = true;
  }
  cv.notify_all();
  auto first = slow.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "rendered slowly");
  auto second = slow.Read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "rendered /after");
  auto boom = other.RoundTrip(Get("/boom"));
  ASSERT_TRUE(boom);
  EXPECT_EQ(boom->status, 500);
  auto head = other.RoundTrip("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n", /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->HeaderOr("content-length"), std::to_string(std::string("rendered /x").size()));
  EXPECT_TRUE(head->body.empty());
}

TEST_F(ServerTest, StopWaitsForAWorkerRenderInFlight) {
  // A request still rendering on a worker when Stop comes is answered
  // (with Connection: close) before the server stops.
  std::atomic<bool> started{false};
  ServerOptions options;
  options.worker_threads = 1;
  StartServer(
      [&](const Request&) {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return Response::Text(200, "late but whole");
      },
      options);
  TestClient c = Connect();
  ASSERT_TRUE(c.Send(Get("/x")));
  for (int i = 0; i < 500 && !started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(started);
  server_->Stop();
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "late but whole");
  EXPECT_EQ(r->HeaderOr("connection"), "close");
  StopServer();
}

TEST_F(ServerTest, HeaderThatWouldSplitTheResponseGives500) {
  StartServer([](const Request&) { return Response::Redirect(302, "/x\r\nSet-Cookie: a=b"); });
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->Header("set-cookie"), nullptr);
}

TEST_F(ServerTest, QueryParamsAreDecoded) {
  StartServer([](const Request& r) {
    return Response::Text(200, r.QueryParam("q") + "|" + r.QueryParam("tag") + "|" +
                                   r.QueryParam("missing") + "|" + r.query);
  });
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/search?q=breaking+news%21&tag=%C3%A9lection&q=second"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body,
            "breaking news!|\xC3\xA9lection||q=breaking+news%21&tag=%C3%A9lection&q=second");
}

TEST_F(ServerTest, PathIsPercentDecodedAndHeadersLowerCased) {
  StartServer([](const Request& r) {
    const std::string* h = r.Header("x-custom");
    return Response::Text(
        200, r.path + "|" + r.target + "|" + (h ? *h : "none") + "|" + r.remote_address);
  });
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/2025/05/06/caf%C3%A9%20au+lait/", "X-Custom: Yes\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body,
            "/2025/05/06/caf\xC3\xA9 au+lait/|/2025/05/06/caf%C3%A9%20au+lait/|Yes|127.0.0.1");
}

TEST_F(ServerTest, HandlerHeadersPassThrough) {
  StartServer([](const Request&) {
    Response out;
    out.status = 404;
    out.headers = {{"Cache-Control", "no-store"}, {"Link", "</feed.xml>; rel=\"alternate\""}};
    out.body = "missing";
    return out;
  });
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/nope"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->HeaderOr("cache-control"), "no-store");
  EXPECT_EQ(r->HeaderOr("link"), "</feed.xml>; rel=\"alternate\"");
  EXPECT_EQ(r->HeaderOr("server"), "dateline");
}

TEST_F(ServerTest, AccessLogHasOneLinePerRequest) {
  StartServer([](const Request&) { return Response::Text(200, "12345"); });
  {
    TestClient c = Connect();
    ASSERT_TRUE(c.RoundTrip(Get("/2025/05/06/x/?utm=1")));
    ASSERT_TRUE(c.Send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(c.Read(/*head=*/true));
  }
  StopServer();
  std::string log = AccessLog();
  EXPECT_TRUE(std::regex_search(log, std::regex(R"(^GET /2025/05/06/x/ 200 5 \d+us\n)"))) << log;
  EXPECT_TRUE(std::regex_search(log, std::regex(R"(\nHEAD /h 200 0 \d+us\n$)"))) << log;
}

}  // namespace
}  // namespace dateline::http::testing
