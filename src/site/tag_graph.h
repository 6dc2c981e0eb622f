// TagGraph: every story's tags and visibility, held in memory, and the
// Related Posts ranking over them.
//
// Related Posts (a story page's "more on this topic") ranks the visible
// stories that share the story's tags, each tag weighing 1 / (stories
// with it, of every status), most weight first, then the newer story,
// then the higher id. Asked of the store, the ranking read every visible
// story of the tags it walked (a row of the articles table each, read
// through the body's overflow pages) and each candidate's tags: 45% of a
// story page's view model on a 10,000-story site (bench/render_speed).
// Here the graph is read from the store once (Store::ReadTagLinks, about
// three rows a story) and kept up to date from the store's change log:
// every write of a story's tags, status or time logs an "article" change,
// and the graph reads again the stories the log names since the
// sequence number it holds (all of them when they are many).
//
// Rank(seq, ...) first brings the graph up to change-log sequence `seq`
// (the page's SiteSnapshot), so a page never ranks by data older than its
// snapshot; it may rank by newer data (another thread caught up further),
// as the cards it then reads from the store are newer too.
//
// Thread-safety: every method may be called from any thread (one mutex;
// a ranking takes microseconds).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace dateline {

class TagGraph {
 public:
  explicit TagGraph(Store& store) : store_(store) {}

  // The ids of at most `limit` stories visible at `now` that share a tag
  // with story `id`, best first (see the header comment), leaving out
  // `id` and `exclude`; the graph first caught up to sequence `seq`.
  Result<std::vector<std::int64_t>> Rank(std::int64_t seq, std::int64_t id, Seconds now,
                                         const std::vector<std::int64_t>& exclude, int limit);

  // Catch-ups that read every story again (the first one included).
  std::uint64_t full_reads() const;

  // More changed stories than this share of the graph (or than
  // kMinFullRead) are read by reading everything again.
  static constexpr std::size_t kFullReadShare = 4;  // a quarter
  static constexpr std::size_t kMinFullRead = 1000;

 private:
  struct Story {
    std::int64_t id = 0;  // 0: a free slot
    PublishState status = PublishState::kDraft;
    std::optional<Seconds> published;
    std::vector<std::int64_t> tags;
  };

  Status CatchUp(std::int64_t seq);  // under mu_
  Status ReadAll(std::int64_t seq);
  void Forget(std::int64_t id);
  void Add(const TagLinks& t);

  Store& store_;
  mutable std::mutex mu_;
  bool loaded_ = false;
  std::int64_t seq_ = 0;
  std::uint64_t full_reads_ = 0;
  // Stories in slots; a tag lists its stories' slots, so the walk reads
  // them by position (a hash lookup per story was most of a ranking on
  // 100,000 stories, where a tag has about a thousand).
  std::vector<Story> stories_;
  std::vector<std::uint32_t> free_;  // slots of forgotten stories
  std::unordered_map<std::int64_t, std::uint32_t> slot_of_;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> tagged_;  // tag -> slots
};

}  // namespace dateline
