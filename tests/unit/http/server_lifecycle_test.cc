// Server lifecycle: Listen errors, graceful Stop, signals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
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

TEST_F(ServerLifecycleTest, TheBufferedAccessLogIsWrittenWithinASecondAndWhollyAtStop) {
  // The access logger a server makes for itself (BufferedLogSink) writes
  // lines in blocks: they reach the file by the periodic flush while the
  // server runs, and every one of them by the time Run returns.
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  spdlog::drop("access");
  auto logger = std::make_shared<spdlog::logger>("access", BufferedLogSink(file));
  logger->set_pattern("%v");
  spdlog::register_logger(logger);
  auto written = [&] {
    std::string out;
    char chunk[4096];
    off_t at = 0;
    ssize_t n;
    while ((n = ::pread(fileno(file), chunk, sizeof chunk, at)) > 0) {
      out.append(chunk, static_cast<std::size_t>(n));
      at += n;
    }
    return out;
  };
  auto lines = [](const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  };
  StartServer(EchoHandler);
  TestClient c = Connect();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.RoundTrip(Get("/first/" + std::to_string(i))));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (lines(written()) < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(Ms(50));
  }
  EXPECT_EQ(lines(written()), 3) << written();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(c.RoundTrip(Get("/then/" + std::to_string(i))));
  StopServer();
  const std::string all = written();
  EXPECT_EQ(lines(all), 5) << all;
  EXPECT_NE(all.find("GET /then/1 200"), std::string::npos) << all;
  spdlog::drop("access");
  std::fclose(file);
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
