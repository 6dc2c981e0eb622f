// Clock: the seam through which every layer asks "what time is it now".
//
// Visibility of scheduled stories, "Updated" stamps and the change log all
// depend on the current time; tests substitute a FakeClock to move time
// without sleeping. SystemClock is stateless; FakeClock is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace dateline {

using Seconds = std::int64_t;  // Unix time in seconds, UTC.

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Seconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Seconds Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Seconds now) : now_(now) {}
  Seconds Now() const override { return now_.load(); }
  void Set(Seconds now) { now_.store(now); }
  void Advance(Seconds by) { now_.fetch_add(by); }

 private:
  std::atomic<Seconds> now_;
};

// Seconds of wall time since it was made (or restarted), for reporting
// how long a step took; a monotonic clock, not the Clock above.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void Restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

// The process-wide default clock (a SystemClock).
const Clock& DefaultClock();

}  // namespace dateline
