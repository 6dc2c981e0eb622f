// ServerFixture: runs a real Server on 127.0.0.1 (port 0) on a background
// thread for one test, captures the "access" log, and stops the server in
// TearDown. Tests talk to it with TestClient.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "http/server.h"
#include "test_client.h"

namespace dateline::http::testing {

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::drop("access");
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(access_log_, /*force_flush=*/true);
    auto logger = std::make_shared<spdlog::logger>("access", sink);
    logger->set_pattern("%v");
    spdlog::register_logger(logger);
  }

  void TearDown() override {
    StopServer();
    spdlog::drop("access");
  }

  // Starts a server with `options` (host and port are overridden) serving
  // `handler`. Fails the test if Listen fails.
  void StartServer(Handler handler, ServerOptions options = {}, FastHandler fast = nullptr) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<Server>(std::move(options), std::move(handler), std::move(fast));
    auto port = server_->Listen();
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }

  // Call only after StopServer(): the server threads write to it.
  std::string AccessLog() const { return access_log_.str(); }

  TestClient Connect() { return TestClient(port_); }

  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::ostringstream access_log_;
};

// A handler that echoes what it saw: "method|path|query|body".
inline Response EchoHandler(const Request& r) {
  Response out = Response::Text(200, r.method + "|" + r.path + "|" + r.query + "|" + r.body);
  return out;
}

inline std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

}  // namespace dateline::http::testing
