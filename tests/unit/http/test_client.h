// TestClient: a tiny blocking HTTP/1.x client over a raw Asio socket, for
// server tests. It writes bytes exactly as given and parses responses by hand
// (status line, headers, Content-Length body), so tests see the wire and not
// Beast's reading of it. Every read has a deadline; nothing blocks forever.
// Not thread-safe: one client per thread.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dateline::http::testing {

struct RawResponse {
  int status = 0;
  std::string version;                                       // "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  const std::string* Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return &value;
    }
    return nullptr;
  }
  std::string HeaderOr(std::string_view lower_name, std::string fallback = "") const {
    const std::string* v = Header(lower_name);
    return v ? *v : fallback;
  }
};

class TestClient {
 public:
  using Ms = std::chrono::milliseconds;

  explicit TestClient(unsigned short port) : socket_(ioc_) {
    boost::system::error_code ec;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    connected_ = !ec;
  }

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(data.data(), data.size()), ec);
    return !ec;
  }

  // Reads one response. `head`: the response has no body whatever its
  // Content-Length says. Returns nullopt on close, error or timeout.
  std::optional<RawResponse> Read(bool head = false, Ms timeout = Ms(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    RawResponse r;
    std::string_view head_block(buffer_.data(), end + 2);
    std::size_t line_end = head_block.find("\r\n");
    std::string_view status_line = head_block.substr(0, line_end);
    std::size_t sp = status_line.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    r.version = std::string(status_line.substr(0, sp));
    r.status = std::atoi(std::string(status_line.substr(sp + 1, 3)).c_str());
    std::size_t pos = line_end + 2;
    while (pos < head_block.size()) {
      std::size_t eol = head_block.find("\r\n", pos);
      std::string_view line = head_block.substr(pos, eol - pos);
      pos = eol + 2;
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
      }
      r.headers.emplace_back(std::move(name), std::string(value));
    }
    buffer_.erase(0, end + 4);
    std::size_t length = 0;
    if (const std::string* cl = r.Header("content-length"); cl && !head) {
      length = std::strtoul(cl->c_str(), nullptr, 10);
    }
    while (buffer_.size() < length) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // Sends `request` and reads its response.
  std::optional<RawResponse> RoundTrip(std::string_view request, bool head = false) {
    if (!Send(request)) return std::nullopt;
    return Read(head);
  }

  // True if the server closes the connection within `timeout` (any unread
  // response bytes are discarded).
  bool WaitForClose(Ms timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (ReadMore(deadline)) buffer_.clear();
    return closed_;
  }

  // Bytes received but not consumed by Read.
  const std::string& pending() const { return buffer_; }

 private:
  // Appends what arrives before `deadline`; false on close, error or timeout.
  bool ReadMore(std::chrono::steady_clock::time_point deadline) {
    char chunk[4096];
    bool done = false;
    boost::system::error_code result;
    std::size_t got = 0;
    socket_.async_read_some(boost::asio::buffer(chunk),
                            [&](boost::system::error_code ec, std::size_t n) {
                              result = ec;
                              got = n;
                              done = true;
                            });
    ioc_.restart();
    ioc_.run_until(deadline);
    if (!done) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      ioc_.restart();
      ioc_.run();
      return false;  // timed out: the connection is still open
    }
    buffer_.append(chunk, got);
    if (result) closed_ = true;  // EOF or reset
    return !result;
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

}  // namespace dateline::http::testing
