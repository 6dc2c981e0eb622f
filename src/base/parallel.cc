#include "base/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace dateline {

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void ParallelFor(std::size_t n, int threads, const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::exception_ptr first;
  auto work = [&] {
    while (!stop.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        fn(i);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!first) first = std::current_exception();
        stop = true;
      }
    }
  };
  const std::size_t count = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, threads)));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

Status Pipeline(const std::function<bool(int slot)>& make,
                const std::function<Status(int slot)>& use) {
  std::mutex mu;
  std::condition_variable changed;
  std::int64_t made = 0, used = 0;  // chunks
  bool ended = false, stop = false;
  std::exception_ptr make_failed;
  std::thread helper([&] {
    for (std::int64_t k = 0;; ++k) {
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return stop || k < used + 2; });
        if (stop) break;
      }
      bool more = false;
      try {
        more = make(static_cast<int>(k % 2));
      } catch (...) {
        make_failed = std::current_exception();
      }
      std::lock_guard lock(mu);
      if (more) {
        made = k + 1;
      } else {
        ended = true;
      }
      changed.notify_all();
      if (!more) break;
    }
  });
  auto finish = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
      changed.notify_all();
    }
    helper.join();
  };
  Status status;
  try {
    for (std::int64_t k = 0;; ++k) {
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return made > k || ended; });
        if (made <= k) break;
      }
      status = use(static_cast<int>(k % 2));
      std::lock_guard lock(mu);
      if (!status.ok()) break;  // finish() stops the helper
      used = k + 1;
      changed.notify_all();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
  if (make_failed && status.ok()) std::rethrow_exception(make_failed);
  return status;
}

}  // namespace dateline
