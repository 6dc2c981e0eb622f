// SiteTables: the small lookups every page repeats (the sections, with
// their names and order) and the sizes of listings, remembered for one
// change-log generation of the store.
//
// Current() asks the store for its last change-log sequence number (one
// indexed query) and returns the snapshot made at that number, making a new
// one (one more query, ListSections) when the store has changed since. Every
// write to sections, tags, authors, articles, pages and redirects appends to
// the change log in its own transaction, so a snapshot never outlives the
// data it was read from; a page that pins one snapshot for its whole
// rendering makes two store queries for all its section lookups instead of
// one per listed story.
//
// Listing counts are remembered in the snapshot too, keyed by the query and
// the visibility time it was asked at (a scheduled story's time coming
// changes a count without a write): the static build pages each listing
// through one count instead of one per page.
//
// Failure: when the store cannot answer, Current() returns null and callers
// ask the store directly, as they would without the tables.
// Thread-safety: all methods may be called from any thread; a snapshot is
// immutable apart from its mutex-guarded count memo.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace dateline {

class SiteSnapshot {
 public:
  SiteSnapshot(std::int64_t seq, std::vector<Section> sections);

  std::int64_t seq() const { return seq_; }
  // Every section, in the store's order (position, then name).
  const std::vector<Section>& sections() const { return sections_; }
  // The section with this slug, or null.
  const Section* FindSection(std::string_view slug) const;

  // CountArticles(q) for this generation, asked of `store` once per
  // distinct query (q.visible_at included).
  Result<std::int64_t> Count(Store& store, const ArticleQuery& q) const;

  static constexpr std::size_t kMaxCounts = 100000;

 private:
  static std::string CountKey(const ArticleQuery& q);

  const std::int64_t seq_;
  const std::vector<Section> sections_;
  std::unordered_map<std::string, std::size_t> by_slug_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::int64_t> counts_;
};

class SiteTables {
 public:
  explicit SiteTables(Store& store) : store_(store) {}

  std::shared_ptr<const SiteSnapshot> Current();

 private:
  Store& store_;
  std::mutex mu_;
  std::shared_ptr<const SiteSnapshot> current_;
};

}  // namespace dateline
