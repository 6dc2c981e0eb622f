// Server lifecycle: Listen errors, graceful Stop, signals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <thread>

#include "server_fixture.h"

namespace dateline::http::testing {
namespace {

using ServerLifecycleTest = ServerFixture;
using Ms = TestClient::Ms;

TEST_F(ServerLifecycleTest, StopLetsASlowRequestInFlightFinish) {
  std::promise<void> entered;
  std::atomic<bool> once{false};
  StartServer([&](const Request& r) {
    if (r.path == "/slow") {
      if (!once.exchange(true)) entered.set_value();
      std::this_thread::sleep_for(Ms(300));
    }
    return Response::Text(200, "done " + r.path);
  });
  TestClient slow = Connect();
  TestClient idle = Connect();
  ASSERT_TRUE(idle.RoundTrip(Get("/warm")));  // an idle keep-alive connection
  ASSERT_TRUE(slow.Send(Get("/slow")));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);

  const auto start = std::chrono::steady_clock::now();
  server_->Stop();
  auto r = slow.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done /slow");
  EXPECT_EQ(r->HeaderOr("connection"), "close");
  EXPECT_TRUE(idle.WaitForClose(Ms(2000)));
  thread_.join();  // Run returned
  EXPECT_LT(std::chrono::steady_clock::now() - start, Ms(3000));
  // No longer accepting.
  TestClient late(port_);
  EXPECT_FALSE(late.connected() && late.RoundTrip(Get("/")).has_value());
}

TEST_F(ServerLifecycleTest, StopIsIdempotentAndRunReturnsPromptly) {
  StartServer(EchoHandler);
  const auto start = std::chrono::steady_clock::now();
  server_->Stop();
  server_->Stop();
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, Ms(2000));
}

TEST_F(ServerLifecycleTest, StopBeforeRunMakesRunReturn) {
  Server server({.host = "127.0.0.1", .port = 0, .threads = 1}, EchoHandler);
  ASSERT_TRUE(server.Listen());
  server.Stop();
  auto done = std::async(std::launch::async, [&] { server.Run(); });
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST_F(ServerLifecycleTest, RunWithoutListenReturns) {
  Server server({.host = "127.0.0.1", .port = 0, .threads = 1}, EchoHandler);
  auto done = std::async(std::launch::async, [&] { server.Run(); });
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST_F(ServerLifecycleTest, ListenOnABusyPortNamesHostPortAndReason) {
  StartServer(EchoHandler);
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = port_;
  Server second(o, EchoHandler);
  auto r = second.Listen();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
      << r.error().ToString();
  EXPECT_NE(r.error().message().find("in use"), std::string::npos) << r.error().ToString();
}

TEST_F(ServerLifecycleTest, ListenTwiceIsAConflict) {
  Server server({.host = "127.0.0.1", .port = 0, .threads = 1}, EchoHandler);
  ASSERT_TRUE(server.Listen());
  auto again = server.Listen();
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().IsConflict());
}

TEST_F(ServerLifecycleTest, UnresolvableHostIsInvalidArgument) {
  Server server({.host = "no such host.invalid", .port = 0, .threads = 1}, EchoHandler);
  auto r = server.Listen();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().IsInvalidArgument()) << r.error().ToString();
}

TEST_F(ServerLifecycleTest, RunUntilSignalStopsOnSigterm) {
  Server server({.host = "127.0.0.1", .port = 0, .threads = 1}, EchoHandler);
  auto port = server.Listen();
  ASSERT_TRUE(port);
  auto done = std::async(std::launch::async, [&] { RunUntilSignal(server); });
  // A served request proves Run has started, hence the signal_set exists.
  TestClient c(*port);
  ASSERT_TRUE(c.RoundTrip(Get("/")));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

}  // namespace
}  // namespace dateline::http::testing
