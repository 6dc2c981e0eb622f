// Session: one accepted connection, internal to the http layer.
//
// A session reads one request at a time with a fresh Beast request_parser
// (header and body limits from ServerOptions), calls the handler, writes the
// response, and loops while the connection is kept alive. It follows the
// Beast example shape do_x/on_x, here Await -> ReadHeader -> ReadBody ->
// Respond -> OnWrite. One steady_timer bounds every phase: idle wait
// (keep_alive_timeout, or request_timeout before the first request), reading
// a request (request_timeout, answered 408), writing (request_timeout) and
// the lingering close after an error response (1 s).
//
// Ownership: a session is owned by the shared_ptrs its pending operations
// hold; it ends when its last operation completes. SessionEnv is owned by the
// Server and outlives every session; `on_closed` runs in the destructor.
// Threading: all session state lives on the socket's executor (one thread
// at a time); Start,
// Shutdown and ForceClose may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/server.h"
#include "http/wire.h"

namespace spdlog {
class logger;
}

namespace dateline::http {

class Session;

struct SessionEnv {
  ServerOptions options;
  Handler handler;
  FastHandler fast;                            // may be empty
  boost::asio::thread_pool* workers = nullptr;  // null: the handler runs on the I/O thread
  std::shared_ptr<spdlog::logger> access_log;  // may be null: no access log
  std::atomic<bool> stopping{false};           // set once by Server::Stop
  std::function<void(Session*)> on_closed;     // from ~Session, any thread
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  // `socket`'s executor must run one handler at a time (an io_context run
  // by one thread, or a strand).
  Session(Socket socket, SessionEnv& env);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  // Graceful: closes the connection now if it is idle, otherwise after the
  // response in flight (which is sent with "Connection: close").
  void Shutdown();
  // Closes the socket now; pending operations complete with errors.
  void ForceClose();

 private:
  enum class State { kAwaiting, kReading, kResponding, kLingering, kClosed };

  void Await();
  void OnAwait(boost::system::error_code ec, std::size_t n);
  void ReadHeader();
  void OnHeader(boost::system::error_code ec);
  void ReadBody();
  void OnBody(boost::system::error_code ec);
  void OnReadError(boost::system::error_code ec);
  void Respond();
  // The handler's (or the fast handler's) answer, or a 500 when it throws
  // (logged with the request line).
  template <typename Fn>
  auto Call(const Fn& handler, const Request& request) const -> decltype(handler(request));
  void Send(Response response, unsigned version, bool head, bool close);
  void SendPrepared(std::shared_ptr<const PreparedResponse> prepared, int status, bool head,
                    bool close);
  void OnWrite(boost::system::error_code ec);
  void FailRequest(int status);
  void Linger();
  void OnLinger(boost::system::error_code ec, std::size_t n);
  void Close();

  void Arm(std::chrono::steady_clock::duration timeout);
  void Disarm();
  void Wait(std::chrono::steady_clock::time_point until);
  void OnTimer();
  void OnDeadline();

  void NoteRequestLine();
  void LogAccess();

  SessionEnv& env_;
  Socket socket_;
  boost::asio::steady_timer deadline_;
  std::uint64_t deadline_generation_ = 0;
  std::optional<std::chrono::steady_clock::time_point> due_;  // the armed phase's deadline
  bool waiting_ = false;                                      // a wait is pending
  std::chrono::steady_clock::time_point waiting_until_;       // ... until then
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  wire::BeastResponse response_;
  // A prepared answer in flight (kept alive until written) and its Date line.
  std::shared_ptr<const PreparedResponse> prepared_;
  std::string date_line_;
  std::string remote_address_;
  State state_ = State::kAwaiting;
  bool first_request_ = true;
  bool timed_out_ = false;
  bool close_after_write_ = false;
  bool linger_after_write_ = false;
  bool shutting_down_ = false;
  std::size_t lingered_bytes_ = 0;
  std::array<char, 4096> linger_buffer_{};

  // The request in flight, for the access log.
  std::string log_method_;
  std::string log_path_;
  int log_status_ = 0;
  std::size_t log_bytes_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace dateline::http
