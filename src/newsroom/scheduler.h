// Scheduler: publishes scheduled stories when their time comes, with
// nobody acting.
//
// A background thread calls Store::PublishDue(now) once per period. The
// store flips each due story from scheduled to published in one
// transaction guarded by its current status, so every story is published
// exactly once, across restarts and even with two servers on one
// database; each flip is a change-log entry, so caches, the search index
// and related lists follow within a round of IndexSync. Readers already see
// a scheduled story from its time on (IsVisible), so a scheduler that runs
// late never hides a story that is due; the newsroom (admin pages and API)
// runs this same step itself when it reads a due story (Stories::Get, List),
// so editors never see "Scheduled" for a story readers already have.
//
// Start() once, Stop() (or the destructor) joins the thread. RunOnce() is
// the same step, for tests and for catching up before the server listens.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "store/store.h"

namespace dateline::newsroom {

class Scheduler {
 public:
  Scheduler(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  ~Scheduler() { Stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Publishes what is due now; returns the ids published.
  Result<std::vector<std::int64_t>> RunOnce();

  void Start(std::chrono::milliseconds period = std::chrono::seconds(1));
  void Stop();

 private:
  Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace dateline::newsroom
