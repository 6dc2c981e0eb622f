#include "http/server.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/session.h"

namespace dateline::http {

namespace net = boost::asio;
using boost::system::error_code;
using tcp = net::ip::tcp;

namespace {

constexpr auto kAcceptBackoff = std::chrono::milliseconds(100);

std::shared_ptr<spdlog::logger> AccessLogger() {
  if (auto existing = spdlog::get("access")) return existing;
  try {
    return spdlog::stdout_logger_mt("access");
  } catch (const spdlog::spdlog_ex&) {  // registered meanwhile by another thread
    return spdlog::get("access");
  }
}

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// One io_context per I/O thread, each run by that thread alone (hint 1).
std::vector<std::unique_ptr<net::io_context>> MakeContexts(int threads) {
  std::vector<std::unique_ptr<net::io_context>> out;
  for (int i = 0; i < threads; ++i) out.push_back(std::make_unique<net::io_context>(1));
  return out;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, FastHandler fast)
      : threads_(ThreadCount(options.threads)),
        contexts_(MakeContexts(threads_)),
        main_(contexts_.front()->get_executor()),
        acceptor_(main_),
        drain_timer_(main_),
        backoff_timer_(main_) {
    env_.options = std::move(options);
    env_.handler = std::move(handler);
    env_.fast = std::move(fast);
    if (env_.options.worker_threads > 0) {
      workers_.emplace(static_cast<std::size_t>(env_.options.worker_threads));
      env_.workers = &*workers_;
    }
    env_.access_log = AccessLogger();
    env_.on_closed = [this](Session* s) { OnSessionClosed(s); };
  }

  ~Impl() {
    // Sessions still queued in an io_context are destroyed with it (after
    // the I/O objects below); their on_closed must not post to a dying one.
    {
      std::lock_guard lock(mu_);
      destroying_ = true;
    }
    // A worker still rendering posts its answer to an io_context: finish
    // before they go.
    if (workers_) workers_->join();
  }

  Result<unsigned short> Listen();
  void Run();
  void Stop();

 private:
  void DoAccept();
  void OnAccept(error_code ec, tcp::socket socket);
  void DoShutdown();
  void OnSessionClosed(Session* session);

  // State shared with sessions; declared before the io_contexts so it
  // outlives them.
  SessionEnv env_;
  std::optional<net::thread_pool> workers_;  // joined in ~Impl
  std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by mu_
  bool shutting_down_ = false;                                     // guarded by mu_
  bool destroying_ = false;                                        // guarded by mu_
  bool listening_ = false;
  std::atomic<bool> running_{false};
  const int threads_;

  // Each connection lives on one io_context, run by one thread, so its
  // handlers run one at a time without a strand, and the threads share no
  // queue (with one io_context for all, its lock and the wake-ups between
  // threads cost a futex call for most requests). Connections are handed
  // out in turn; the acceptor and timers live on the first.
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;  // until shutdown
  std::size_t next_context_ = 0;  // on main_
  // I/O objects: all on main_ (the first io_context), destroyed before it.
  net::io_context::executor_type main_;
  tcp::acceptor acceptor_;
  net::steady_timer drain_timer_;
  net::steady_timer backoff_timer_;
};

Result<unsigned short> Server::Impl::Listen() {
  const std::string& host = env_.options.host;
  const std::string where = host + ":" + std::to_string(env_.options.port);
  if (listening_) return Fail(Status::Conflict("listen " + where + ": already listening"));
  error_code ec;
  tcp::resolver resolver(main_);
  auto results = resolver.resolve(host, std::to_string(env_.options.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Fail(Status::InvalidArgument(
        "listen " + where + ": cannot resolve host: " + (ec ? ec.message() : "no address")));
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  auto fail = [&](const char* step) {
    error_code ignored;
    acceptor_.close(ignored);
    return Fail(Status::IOError("listen " + where + ": " + step + ": " + ec.message()));
  };
  if (acceptor_.open(endpoint.protocol(), ec); ec) return fail("open");
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return fail("set SO_REUSEADDR");
  }
  if (acceptor_.bind(endpoint, ec); ec) return fail("bind");
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) return fail("listen");
  const tcp::endpoint local = acceptor_.local_endpoint(ec);
  if (ec) return fail("local address");
  listening_ = true;
  return local.port();
}

void Server::Impl::Run() {
  if (!listening_) {
    spdlog::error("http: Server::Run called without a successful Listen");
    return;
  }
  if (running_.exchange(true)) {
    spdlog::error("http: Server::Run called twice");
    return;
  }
  // Every io_context runs until shutdown, with or without connections;
  // DoShutdown lets go, and each then ends with its last connection.
  for (auto& context : contexts_) guards_.push_back(net::make_work_guard(*context));
  net::post(main_, [this] {
    if (!env_.stopping.load()) DoAccept();
  });
  auto run = [](net::io_context& context) {
    for (;;) {
      try {
        context.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: I/O thread caught: {}", e.what());
      }
    }
  };
  std::vector<std::thread> extra;
  for (int i = 1; i < threads_; ++i) {
    extra.emplace_back(run, std::ref(*contexts_[static_cast<std::size_t>(i)]));
  }
  run(*contexts_.front());
  for (auto& t : extra) t.join();
}

void Server::Impl::Stop() {
  if (env_.stopping.exchange(true)) return;
  net::post(main_, [this] { DoShutdown(); });
}

void Server::Impl::DoAccept() {
  net::io_context& context = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_.async_accept(context, [this](error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open() || ec == net::error::operation_aborted) return;
  if (ec) {
    // E.g. out of file descriptors: back off instead of spinning.
    spdlog::warn("http: accept: {}", ec.message());
    backoff_timer_.expires_after(kAcceptBackoff);
    backoff_timer_.async_wait([this](error_code wait_ec) {
      if (!wait_ec && !env_.stopping.load()) DoAccept();
    });
    return;
  }
  if (env_.stopping.load()) return;  // the socket closes as it goes out of scope
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto session = std::make_shared<Session>(std::move(socket), env_);
  {
    std::lock_guard lock(mu_);
    sessions_.emplace(session.get(), session);
  }
  session->Start();
  DoAccept();
}

void Server::Impl::DoShutdown() {
  error_code ignored;
  acceptor_.close(ignored);
  backoff_timer_.cancel();
  for (auto& guard : guards_) guard.reset();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
    for (auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  if (live.empty()) return;  // nothing to drain: the io_contexts run out of work
  drain_timer_.expires_after(env_.options.shutdown_timeout);
  drain_timer_.async_wait([this](error_code ec) {
    if (ec) return;  // every session closed in time
    std::vector<std::shared_ptr<Session>> stuck;
    {
      std::lock_guard lock(mu_);
      for (auto& [raw, weak] : sessions_) {
        if (auto s = weak.lock()) stuck.push_back(std::move(s));
      }
    }
    spdlog::warn("http: shutdown timeout, closing {} connection(s)", stuck.size());
    for (auto& s : stuck) s->ForceClose();
  });
  for (auto& s : live) s->Shutdown();
}

void Server::Impl::OnSessionClosed(Session* session) {
  bool last = false;
  {
    std::lock_guard lock(mu_);
    sessions_.erase(session);
    last = shutting_down_ && !destroying_ && sessions_.empty();
  }
  if (last) net::post(main_, [this] { drain_timer_.cancel(); });
}

// ---------------------------------------------------------------------------

Server::Server(ServerOptions options, Handler handler, FastHandler fast)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(fast))) {}

Server::~Server() = default;

Result<unsigned short> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

void RunUntilSignal(Server& server) {
  net::io_context signal_ioc(1);
  net::signal_set signals(signal_ioc, SIGINT, SIGTERM);
  signals.async_wait([&server](error_code ec, int signal_number) {
    if (ec) return;
    spdlog::info("http: signal {} received, stopping", signal_number);
    server.Stop();
  });
  std::thread signal_thread([&signal_ioc] { signal_ioc.run(); });
  server.Run();
  net::post(signal_ioc, [&signals] {
    error_code ignored;
    signals.cancel(ignored);
  });
  signal_thread.join();
}

}  // namespace dateline::http
