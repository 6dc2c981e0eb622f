#include "base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace dateline {
namespace {

TEST(ParallelFor, CallsEveryIndexOnceOnSeveralThreads) {
  const std::size_t n = 2000;
  std::vector<std::atomic<int>> calls(n);
  std::mutex mu;
  std::set<std::thread::id> seen;
  ParallelFor(n, 3, [&](std::size_t i) {
    ++calls[i];
    std::lock_guard lock(mu);
    seen.insert(std::this_thread::get_id());
  });
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(calls[i].load(), 1) << i;
  EXPECT_GE(seen.size(), 1u);
  EXPECT_LE(seen.size(), 3u);
  ParallelFor(0, 4, [&](std::size_t) { FAIL() << "no index to call"; });
}

TEST(ParallelFor, RethrowsTheFailureOnceEveryCallHasReturned) {
  std::atomic<int> unfinished{0};
  try {
    ParallelFor(1000, 2, [&](std::size_t i) {
      ++unfinished;
      if (i == 10) throw std::runtime_error("story 10");
      std::this_thread::yield();
      --unfinished;
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "story 10");
  }
  EXPECT_EQ(unfinished.load(), 1);  // only the call that threw: no other was still running
}

}  // namespace
}  // namespace dateline
