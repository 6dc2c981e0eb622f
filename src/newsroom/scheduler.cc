#include "newsroom/scheduler.h"

#include <spdlog/spdlog.h>

namespace dateline::newsroom {

Result<std::vector<std::int64_t>> Scheduler::RunOnce() {
  auto ids = store_.PublishDue(clock_.Now());
  if (ids && !ids->empty()) {
    for (std::int64_t id : *ids) spdlog::info("scheduler: published story {}", id);
  }
  return ids;
}

void Scheduler::Start(std::chrono::milliseconds period) {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto ids = RunOnce();
      if (!ids) spdlog::error("scheduler: {}", ids.error().ToString());
      lock.lock();
      wake_.wait_for(lock, period, [this] { return stopping_; });
    }
  });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dateline::newsroom
