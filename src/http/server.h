// Server: the HTTP/1.1 listener that feeds requests to one Handler.
//
// Built on Boost.Beast/Asio: `threads` I/O threads, each running its own
// io_context, connections handed to them in turn; one session per connection handling its requests one at a time (keep-alive
// and pipelining for HTTP/1.1, opt-in keep-alive for HTTP/1.0). With
// worker_threads = 0 the handler runs on an I/O thread, so it must be
// thread-safe and should not block long. With worker_threads > 0 the
// handler runs on one of that many worker threads and the I/O threads only
// parse, answer what the fast handler (if any) answers from memory, and
// write: a page that takes milliseconds to render, or waits for another
// request's render of the same page, holds no I/O thread.
//
// Limits are on by default. A header block over max_header_bytes is answered
// 431, a body over max_body_bytes 413, a malformed request or a bad target
// 400; each then closes the connection. A request not fully received within
// request_timeout of its first byte (or of the accept, for the first request)
// gets 408 and a close; an idle keep-alive connection is closed after
// keep_alive_timeout. A handler exception is logged and answered with a fixed
// 500 page; the server keeps running. Every response carries Date and
// "Server: dateline"; HEAD gets the GET headers without the body.
//
// Logging: one line per response on the spdlog logger "access"
// ("GET /2025/05/06/x/ 200 5123 142us": method, raw path, status, body bytes
// sent, microseconds from first byte to last byte written). If no logger of
// that name is registered when the Server is constructed, a stdout logger is
// created. Errors (handler exceptions, accept failures) go to the default
// spdlog logger.
//
// Lifecycle: construct, Listen() once, Run() once (it blocks), Stop() from
// any thread (including before Run, or from a signal thread). Stop is
// graceful: it stops accepting, closes idle connections, lets requests in
// flight finish with "Connection: close", and force-closes whatever remains
// after shutdown_timeout; Run then returns. The destructor must not run while
// Run is executing on another thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/message.h"

namespace dateline::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address or a resolvable name
  unsigned short port = 8080;      // 0 = pick a free port (see Listen)
  int threads = 0;                 // 0 = one per core
  int worker_threads = 0;          // handler threads; 0 = the I/O threads
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds request_timeout{30};     // per request: read, then write
  std::chrono::seconds keep_alive_timeout{30};  // idle time between requests
  std::chrono::seconds shutdown_timeout{10};    // Stop(): bound on draining
};

class Server {
 public:
  Server(ServerOptions options, Handler handler, FastHandler fast = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the actual port (useful with port 0). Fails
  // with InvalidArgument (host does not resolve), IOError (bind/listen, e.g.
  // "listen 127.0.0.1:8080: Address already in use") or Conflict (called
  // twice). Call before Run.
  Result<unsigned short> Listen();

  // Runs the I/O threads (the caller's thread is one of them) until Stop()
  // has drained the server. Returns at once if Listen has not succeeded.
  // Installs no signal handlers.
  void Run();

  // Graceful stop (see header comment). Thread-safe, idempotent, non-blocking.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `server` until SIGINT or SIGTERM arrives, then stops it gracefully and
// returns when Run returns. Uses its own io_context and thread for the
// signals (boost::asio::signal_set); returns also if something else calls
// Stop().
void RunUntilSignal(Server& server);

}  // namespace dateline::http
