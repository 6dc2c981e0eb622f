// IndexSync: keeps the search index and the stored Related News lists in
// step with the store.
//
// It follows the store's change log from the sequence the index last
// applied (kept in the index), so after a crash or a stop it catches up on
// start; it also indexes stories whose publish time has come since the
// last check, so a scheduled story becomes searchable without anyone
// acting. Each story that changes gets its Related News list recomputed,
// and so do the lists of the stories it is most related to (bounded work).
// Rebuild() makes a fresh index from the whole store (`dateline reindex`).
//
// Thread-safety: CatchUp() and Rebuild() must not run at the same time;
// Start() runs CatchUp() on a background thread every `period` until Stop()
// (or destruction). Errors from the background loop are logged and kept in
// last_error(); the next round tries again.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/settings.h"
#include "search/index.h"
#include "store/store.h"

namespace dateline {

class IndexSync {
 public:
  IndexSync(Store& store, SearchIndex& index, const SiteSettings& settings, const Clock& clock);
  ~IndexSync();

  // Applies what changed since the last round; returns how many stories
  // were (re)indexed or removed.
  Result<int> CatchUp();
  // Indexes every visible story and computes every Related News list.
  Status Rebuild();

  // Called after each round with the cache tags the round made stale:
  // "a:<id>" for every story changed or whose Related News changed, "list"
  // when a story appeared or disappeared (listings and More News move),
  // "feeds" when any story changed, "*" when something other than a story
  // changed (sections, tags, authors, redirects, pages).
  void OnStale(std::function<void(const std::vector<std::string>&)> fn) { on_stale_ = std::move(fn); }

  void Start(std::chrono::milliseconds period);
  void Stop();
  Status last_error() const;

  static constexpr int kStoredRelated = 10;  // kept per story, 6 shown
  static constexpr int kNeighbourRefresh = 6;

 private:
  // Puts each story in the index when readers may see it, else removes it.
  // Returns, per id, whether it is now in the index.
  Result<std::vector<bool>> ApplyAll(const std::vector<std::int64_t>& ids, Seconds now);
  // Puts these (visible) stories in the index, in order.
  Status PutAll(const std::vector<const Article*>& stories);
  // Computes and stores the Related News lists of `stories`; returns them.
  Result<std::vector<std::vector<std::int64_t>>> RefreshRelated(
      const std::vector<std::int64_t>& stories);
  IndexDocument IndexDocumentFor(const Article& a) const;

  Store& store_;
  SearchIndex& index_;
  const SiteSettings& settings_;
  const Clock& clock_;
  RelatedOptions related_;
  std::function<void(const std::vector<std::string>&)> on_stale_;
  Seconds checked_until_ = -1;  // due stories were indexed up to here

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  mutable std::mutex error_mu_;
  Status last_error_;
};

}  // namespace dateline
