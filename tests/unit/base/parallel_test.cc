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

TEST(Pipeline, UsesEveryChunkInOrderWhileTheNextIsMadeOnAnotherThread) {
  const int chunks = 50;
  int slots[2] = {-1, -1};  // the chunk each slot holds
  std::atomic<int> made{0};
  std::vector<int> used;
  std::set<std::thread::id> makers;
  int most_ahead = 0;
  Status s = Pipeline(
      [&](int slot) {
        if (made == chunks) return false;
        makers.insert(std::this_thread::get_id());
        slots[slot] = made;
        ++made;
        return true;
      },
      [&](int slot) {
        used.push_back(slots[slot]);
        most_ahead = std::max(most_ahead, made.load() - static_cast<int>(used.size()));
        std::this_thread::yield();
        return Status::Ok();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(used.size(), static_cast<std::size_t>(chunks));
  for (int k = 0; k < chunks; ++k) EXPECT_EQ(used[k], k);
  ASSERT_EQ(makers.size(), 1u);
  EXPECT_NE(*makers.begin(), std::this_thread::get_id());
  EXPECT_LE(most_ahead, 1);  // one chunk made ahead of the one in use, never two
  auto none = [](int) { return false; };
  EXPECT_TRUE(Pipeline(none, [](int) { return Status::Internal("nothing to use"); }).ok());
}

TEST(Pipeline, AFailedUseStopsTheMaking) {
  std::atomic<int> made{0};
  int used = 0;
  Status s = Pipeline(
      [&](int) { return ++made < 1000; },
      [&](int) { return ++used == 3 ? Status::InvalidArgument("chunk 3") : Status::Ok(); });
  EXPECT_EQ(s.message(), "chunk 3");
  EXPECT_EQ(used, 3);
  EXPECT_LE(made.load(), 4);  // at most the one chunk made ahead of the failed use
}

TEST(Pipeline, RethrowsAFailureOfEitherStage) {
  EXPECT_THROW(Pipeline([](int) -> bool { throw std::runtime_error("make"); },
                        [](int) { return Status::Ok(); }),
               std::runtime_error);
  int made = 0;
  EXPECT_THROW(Pipeline([&](int) { return ++made < 100; },
                        [](int) -> Status { throw std::runtime_error("use"); }),
               std::runtime_error);
  EXPECT_LE(made, 2);  // the helper stopped
}

}  // namespace
}  // namespace dateline
