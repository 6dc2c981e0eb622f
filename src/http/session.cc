#include "http/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdint>
#include <exception>
#include <utility>

#include "http/http_date.h"

namespace dateline::http {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kAwaitReadSize = 4096;
// Room beyond one maximal request: chunk framing, the start of a pipelined one.
constexpr std::size_t kBufferSlack = 64 * 1024;
constexpr auto kLingerTimeout = std::chrono::seconds(1);
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;
constexpr std::size_t kMaxLoggedPath = 512;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The Date header value, formatted at most once per second per thread.
std::string_view CurrentHttpDate() {
  thread_local std::int64_t cached_second = -1;
  thread_local std::string cached;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (now != cached_second) {
    cached = FormatHttpDate(now);
    cached_second = now;
  }
  return cached;
}

// A raw target path as it may appear in a log line: printable ASCII only
// (anything else percent-encoded), truncated.
std::string LoggablePath(std::string_view target) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : target.substr(0, target.find('?'))) {
    if (out.size() >= kMaxLoggedPath) {
      out += "...";
      break;
    }
    if (c > 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out.empty() ? "-" : out;
}

bool IsClientGone(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::operation_aborted || ec == net::error::bad_descriptor ||
         ec == net::error::broken_pipe;
}

}  // namespace

Session::Session(Socket socket, SessionEnv& env)
    : env_(env),
      socket_(std::move(socket)),
      deadline_(socket_.get_executor()),
      buffer_(env.options.max_header_bytes + env.options.max_body_bytes + kBufferSlack) {
  error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  remote_address_ = ec ? std::string("-") : endpoint.address().to_string();
}

Session::~Session() {
  if (env_.on_closed) env_.on_closed(this);
}

void Session::Start() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Await(); });
}

void Session::Shutdown() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    if (self->state_ == State::kAwaiting) self->Close();
  });
}

void Session::ForceClose() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Close(); });
}

// ---------------------------------------------------------------------------
// Reading

void Session::Await() {
  if (state_ == State::kClosed) return;
  if (shutting_down_ || env_.stopping.load()) {
    Close();
    return;
  }
  parser_.emplace();
  parser_->header_limit(
      static_cast<std::uint32_t>(std::min<std::size_t>(env_.options.max_header_bytes, UINT32_MAX)));
  parser_->body_limit(static_cast<std::uint64_t>(env_.options.max_body_bytes));
  log_method_ = "-";
  log_path_ = "-";
  timed_out_ = false;
  if (buffer_.size() > 0) {  // a pipelined request is already here
    started_ = Clock::now();
    Arm(env_.options.request_timeout);
    ReadHeader();
    return;
  }
  if (buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();
  state_ = State::kAwaiting;
  // Before the first request the whole request_timeout runs from the accept.
  Arm(first_request_ ? env_.options.request_timeout : env_.options.keep_alive_timeout);
  socket_.async_read_some(
      buffer_.prepare(kAwaitReadSize),
      [self = shared_from_this()](error_code ec, std::size_t n) { self->OnAwait(ec, n); });
}

void Session::OnAwait(error_code ec, std::size_t n) {
  if (state_ == State::kClosed) return;
  if (ec) {  // the client closed, went away, or stayed idle too long
    Close();
    return;
  }
  buffer_.commit(n);
  started_ = Clock::now();
  if (!first_request_) Arm(env_.options.request_timeout);
  ReadHeader();
}

void Session::ReadHeader() {
  state_ = State::kReading;
  bhttp::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](error_code ec, std::size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec) {
    OnReadError(ec);
    return;
  }
  NoteRequestLine();
  const auto& header = parser_->get();
  auto expect = header[bhttp::field::expect];
  if (!parser_->is_done() && header.version() >= 11 && expect.size() == 12 &&
      boost::beast::iequals(expect, "100-continue")) {
    net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       if (self->state_ == State::kClosed) return;
                       if (ec) {
                         self->OnReadError(ec);
                       } else {
                         self->ReadBody();
                       }
                     });
    return;
  }
  ReadBody();
}

void Session::ReadBody() {
  if (parser_->is_done()) {
    Respond();
    return;
  }
  bhttp::async_read(socket_, buffer_, *parser_,
                    [self = shared_from_this()](error_code ec, std::size_t) { self->OnBody(ec); });
}

void Session::OnBody(error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec) {
    OnReadError(ec);
    return;
  }
  Respond();
}

void Session::OnReadError(error_code ec) {
  if (timed_out_) {
    FailRequest(408);
  } else if (ec == bhttp::error::header_limit) {
    FailRequest(431);
  } else if (ec == bhttp::error::body_limit) {
    FailRequest(413);
  } else if (IsClientGone(ec)) {
    Close();
  } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    FailRequest(400);  // malformed: bad method, target, version, field, chunk...
  } else {
    Close();
  }
}

// ---------------------------------------------------------------------------
// Responding

void Session::Respond() {
  Disarm();
  state_ = State::kResponding;
  wire::BeastRequest request = parser_->release();
  const bool keep_alive = request.keep_alive();
  const bool head = request.method() == bhttp::verb::head;
  const unsigned version = request.version();
  Result<Request> converted = wire::FromBeast(std::move(request), remote_address_);
  if (!converted) {
    spdlog::debug("http: 400 for {} {}: {}", log_method_, log_path_, converted.error().ToString());
    linger_after_write_ = true;
    Send(wire::ErrorPage(400), version, head, /*close=*/true);
    return;
  }
  if (env_.fast && version == 11) {
    std::optional<Response> quick = Call(env_.fast, *converted);
    if (quick) {
      Send(std::move(*quick), version, head, !keep_alive);
      return;
    }
  }
  if (env_.workers == nullptr) {
    Send(Call(env_.handler, *converted), version, head, !keep_alive);
    return;
  }
  // On a worker; the answer comes back to this session's io_context, which
  // counts the job as work so that it keeps running for the answer (at
  // shutdown it may hold no other work). A session closed meanwhile
  // (shutdown's force close) drops it.
  auto home = net::prefer(socket_.get_executor(), net::execution::outstanding_work.tracked);
  net::post(*env_.workers, [self = shared_from_this(), home, request = std::move(*converted),
                            version, head, keep_alive]() mutable {
    Response response = self->Call(self->env_.handler, request);
    net::post(home, [self, response = std::move(response), version, head,
                     keep_alive]() mutable {
      if (self->state_ == State::kClosed) return;
      self->Send(std::move(response), version, head, !keep_alive);
    });
  });
}

template <typename Fn>
auto Session::Call(const Fn& handler, const Request& request) const -> decltype(handler(request)) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    spdlog::error("http: handler threw on {} {}: {}", log_method_, log_path_, e.what());
  } catch (...) {
    spdlog::error("http: handler threw a non-exception on {} {}", log_method_, log_path_);
  }
  return wire::ErrorPage(500);
}

void Session::Send(Response response, unsigned version, bool head, bool close) {
  close = close || shutting_down_ || env_.stopping.load();
  if (response.prepared) {
    SendPrepared(std::move(response.prepared), response.status, head, close);
    return;
  }
  wire::Framing framing{version, !close, head, CurrentHttpDate()};
  Result<wire::BeastResponse> built = wire::ToBeast(std::move(response), framing);
  if (!built) {
    spdlog::error("http: bad response for {} {}: {}", log_method_, log_path_,
                  built.error().ToString());
    built = wire::ToBeast(wire::ErrorPage(500), framing);
  }
  response_ = std::move(*built);
  log_status_ = response_.result_int();
  log_bytes_ = response_.body().size();
  close_after_write_ = close;
  state_ = State::kResponding;
  Arm(env_.options.request_timeout);
  bhttp::async_write(socket_, response_, [self = shared_from_this()](error_code ec, std::size_t) {
    self->OnWrite(ec);
  });
}

// A prepared answer (a render-cache hit) goes out as it was made, with only
// the Date line formatted now: no header fields built, no body copied.
void Session::SendPrepared(std::shared_ptr<const PreparedResponse> prepared, int status, bool head,
                           bool close) {
  static constexpr std::string_view kClose = "Connection: close\r\n";
  static constexpr std::string_view kEnd = "\r\n";
  prepared_ = std::move(prepared);
  date_line_.assign("Date: ");
  date_line_.append(CurrentHttpDate());
  date_line_.append("\r\n");
  const std::string_view body = head ? std::string_view() : prepared_->body;
  const std::array<net::const_buffer, 6> buffers{
      net::buffer(prepared_->head), net::buffer(date_line_), net::buffer(prepared_->tail),
      close ? net::buffer(kClose.data(), kClose.size()) : net::const_buffer(),
      net::buffer(kEnd.data(), kEnd.size()), net::buffer(body.data(), body.size())};
  log_status_ = status;
  log_bytes_ = body.size();
  close_after_write_ = close;
  state_ = State::kResponding;
  Arm(env_.options.request_timeout);
  net::async_write(socket_, buffers, [self = shared_from_this()](error_code ec, std::size_t) {
    self->OnWrite(ec);
  });
}

void Session::OnWrite(error_code ec) {
  prepared_.reset();  // an idle connection holds no cache entry
  LogAccess();
  if (state_ == State::kClosed) return;
  Disarm();
  if (ec) {
    Close();
    return;
  }
  first_request_ = false;
  if (!close_after_write_) {
    Await();
  } else if (linger_after_write_) {
    Linger();
  } else {
    error_code ignored;
    socket_.shutdown(Socket::shutdown_send, ignored);
    Close();
  }
}

// Answers a request the server refuses before the handler sees it, then
// closes the connection.
void Session::FailRequest(int status) {
  if (log_method_ == "-" && parser_ && parser_->is_header_done()) NoteRequestLine();
  linger_after_write_ = true;
  Send(wire::ErrorPage(status), 11, /*head=*/false, /*close=*/true);
}

// After an error response the client may still be sending (a body over the
// limit, a header we stopped reading). Closing with unread data would make
// the kernel send a reset that can destroy our response before the client
// reads it, so stop sending, read and discard for a bounded time, then close.
void Session::Linger() {
  state_ = State::kLingering;
  error_code ignored;
  socket_.shutdown(Socket::shutdown_send, ignored);
  Arm(kLingerTimeout);
  socket_.async_read_some(
      net::buffer(linger_buffer_),
      [self = shared_from_this()](error_code ec, std::size_t n) { self->OnLinger(ec, n); });
}

void Session::OnLinger(error_code ec, std::size_t n) {
  if (state_ == State::kClosed) return;
  lingered_bytes_ += n;
  if (ec || lingered_bytes_ > kMaxLingerBytes) {
    Close();
    return;
  }
  socket_.async_read_some(
      net::buffer(linger_buffer_),
      [self = shared_from_this()](error_code ec, std::size_t n) { self->OnLinger(ec, n); });
}

void Session::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  Disarm();
  ++deadline_generation_;
  deadline_.cancel();  // the pending wait holds this session alive
  error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
}

// ---------------------------------------------------------------------------
// Deadline

// The timer is not cancelled and restarted for every phase of every
// request (three times per request: idle, read, write), which cost a
// timer-queue update and an aborted completion each time. Arm records when
// the current phase is due and starts a wait only when none is pending or
// the pending one would fire too late; a wait that fires early starts again
// for what is due then. Disarm only forgets the due time; Close cancels.
void Session::Arm(Clock::duration timeout) {
  const Clock::time_point due = Clock::now() + timeout;
  due_ = due;
  if (!waiting_ || waiting_until_ > due) Wait(due);
}

void Session::Disarm() { due_.reset(); }

void Session::Wait(Clock::time_point until) {
  const std::uint64_t generation = ++deadline_generation_;
  waiting_ = true;
  waiting_until_ = until;
  deadline_.expires_at(until);  // cancels a pending wait: its generation is old
  deadline_.async_wait([self = shared_from_this(), generation](error_code ec) {
    if (ec || generation != self->deadline_generation_) return;
    self->OnTimer();
  });
}

void Session::OnTimer() {
  waiting_ = false;
  if (state_ == State::kClosed || !due_) return;
  if (Clock::now() < *due_) {
    Wait(*due_);  // armed again since this wait began
    return;
  }
  due_.reset();
  OnDeadline();
}

void Session::OnDeadline() {
  if (state_ == State::kReading) {
    // Cancel the read; OnReadError sees timed_out_ and answers 408.
    timed_out_ = true;
    error_code ignored;
    socket_.cancel(ignored);
    return;
  }
  Close();  // idle, slow writer, or lingering
}

// ---------------------------------------------------------------------------
// Access log

void Session::NoteRequestLine() {
  const auto& header = parser_->get();
  log_method_ = std::string(header.method_string());
  if (log_method_.empty()) log_method_ = "-";
  const auto target = header.target();
  log_path_ = LoggablePath(std::string_view(target.data(), target.size()));
}

void Session::LogAccess() {
  if (!env_.access_log) return;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count();
  env_.access_log->info("{} {} {} {} {}us", log_method_, log_path_, log_status_, log_bytes_,
                        micros);
}

}  // namespace dateline::http
