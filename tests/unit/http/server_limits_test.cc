// Server limits and malformed input: each refused request gets its status and
// a closed connection.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "server_fixture.h"

namespace dateline::http::testing {
namespace {

using ServerLimitsTest = ServerFixture;
using Ms = TestClient::Ms;

TEST_F(ServerLimitsTest, OversizedHeaderGets431AndClose) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/", "X-Pad: " + std::string(4000, 'a') + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->HeaderOr("connection"), "close");
  EXPECT_TRUE(c.WaitForClose(Ms(3000)));
}

TEST_F(ServerLimitsTest, HeaderJustUnderTheLimitIsServed) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  auto r = c.RoundTrip(Get("/", "X-Pad: " + std::string(900, 'a') + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerLimitsTest, OversizedBodyGets413AndClose) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  const std::string body(5000, 'b');
  auto r = c.RoundTrip("POST /api HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.WaitForClose(Ms(3000)));
}

TEST_F(ServerLimitsTest, OversizedChunkedBodyGets413) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  auto r = c.RoundTrip("POST /api HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       std::string("800\r\n") + std::string(2048, 'c') + "\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerLimitsTest, GarbageRequestLineGets400AndClose) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  auto r = c.RoundTrip("\x01\x02 garbage \x7f\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.WaitForClose(Ms(3000)));
}

TEST_F(ServerLimitsTest, BadVersionGets400) {
  StartServer(EchoHandler);
  TestClient c = Connect();
  auto r = c.RoundTrip("GET / HTTP/9\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.WaitForClose(Ms(3000)));
}

TEST_F(ServerLimitsTest, BadTargetsGet400) {
  StartServer(EchoHandler);
  for (const char* target : {"/a%00b", "/a%zz", "/a%4", "http://example.com/", "*", "/../x"}) {
    TestClient c = Connect();
    auto r = c.RoundTrip(Get(target));
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_TRUE(c.WaitForClose(Ms(3000))) << target;
  }
}

TEST_F(ServerLimitsTest, SilentClientIsDisconnected) {
  ServerOptions o;
  o.request_timeout = std::chrono::seconds(1);
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  ASSERT_TRUE(c.connected());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(Ms(4000)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, Ms(900));
}

TEST_F(ServerLimitsTest, ClientStallingMidRequestGets408) {
  ServerOptions o;
  o.request_timeout = std::chrono::seconds(1);
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  ASSERT_TRUE(c.Send("GET /slow HTTP/1.1\r\nHost: t\r\n"));  // header never ends
  auto r = c.Read(false, Ms(4000));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.WaitForClose(Ms(3000)));
}

TEST_F(ServerLimitsTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.keep_alive_timeout = std::chrono::seconds(1);
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  ASSERT_TRUE(c.RoundTrip(Get("/")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(Ms(4000)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, Ms(900));
}

TEST_F(ServerLimitsTest, ABusyKeepAliveConnectionOutlivesItsTimeouts) {
  // Requests every 300 ms for 2.4 s on one connection with 1 s timeouts:
  // each phase's deadline moves with it, so the connection stays open; once
  // idle for a second it is closed.
  ServerOptions o;
  o.keep_alive_timeout = std::chrono::seconds(1);
  o.request_timeout = std::chrono::seconds(1);
  StartServer(EchoHandler, o);
  TestClient c = Connect();
  for (int i = 0; i < 8; ++i) {
    auto r = c.RoundTrip(Get("/n" + std::to_string(i)));
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->body, "GET|/n" + std::to_string(i) + "||");
    std::this_thread::sleep_for(Ms(300));
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(Ms(4000)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, Ms(600));
}

}  // namespace
}  // namespace dateline::http::testing
