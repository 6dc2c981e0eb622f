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
// Listings are remembered in the snapshot too: the ids of every story a
// listing shows, in order, asked of the store once (ListArticleIds, which
// reads the listing's own index) and then cut into pages in memory, its
// count being their number. A listing of what readers may see depends on
// the time as well as the data: a scheduled story's time coming changes it
// without a write. So the listings belong to a span of time in which no
// publish time falls (from a time asked at to the store's
// NextVisibleAfter of it), and a time outside the span starts a new one.
// The static build pages every listing, and each page used to ask the
// store for its stories at an OFFSET, reading the listing up to it.
//
// A story page needs only the first few stories of the site's and its
// section's listings: their heads (the first 64 ids or more) are read with
// a LIMIT and kept beside the listings. And each story a page lists is
// kept as a card (its item JSON, status and publish time), so a story
// listed on many pages is read from the store once per generation.
//
// Failure: when the store cannot answer, Current() returns null and callers
// ask the store directly, as they would without the tables.
// Thread-safety: all methods may be called from any thread; a snapshot is
// immutable apart from its mutex-guarded listing memo.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "render/renderer.h"
#include "site/tag_graph.h"
#include "store/store.h"

namespace dateline {

class SiteSnapshot {
 public:
  SiteSnapshot(std::int64_t seq, std::vector<Section> sections,
               std::size_t max_cards = kServeCards);

  std::int64_t seq() const { return seq_; }
  // Every section, in the store's order (position, then name).
  const std::vector<Section>& sections() const { return sections_; }
  // The section with this slug, or null.
  const Section* FindSection(std::string_view slug) const;

  using Ids = std::shared_ptr<const std::vector<std::int64_t>>;
  // The ids of every story `q` matches when readers look at time `now`
  // (q.visible_at becomes `now`; q.limit and q.offset are ignored), in
  // q.order: Store::ListArticleIds, asked once per distinct query in this
  // generation and span of time (see the header comment).
  Result<Ids> Listing(Store& store, const ArticleQuery& q, Seconds now) const;

  // The first `n` ids of that listing, or all when it has fewer: cut from
  // the whole listing when this generation has read it, else from its head
  // (Store::FirstArticleIds, at least kHeadIds ids), remembered beside the
  // listings. A story page lists the newest stories of the site and of its
  // section; this reads the first few of them, not every story.
  Result<Ids> ListingHead(Store& store, const ArticleQuery& q, Seconds now, std::size_t n) const;
  static constexpr std::size_t kHeadIds = 64;
  // The memo is emptied when it holds more ids than this (32 MiB).
  static constexpr std::size_t kMaxListedIds = std::size_t{4} << 20;

  // A story as the reader site lists it (Site::Item's JSON), with what
  // decides whether readers may see it at a given time. Made from the
  // story's row as it is in this generation of the store, so it holds as
  // long as the snapshot does; the reader site keeps the cards it makes
  // here (FindCard, KeepCard) and a page listing twenty stories reads only
  // those never listed before in this generation.
  struct Card {
    std::int64_t id = 0;
    PublishState status = PublishState::kDraft;
    std::optional<Seconds> published_at;
    SharedJson item;  // its JSON (Site::Item), and that as Mustache data
    bool VisibleAt(Seconds now) const { return IsVisible(status, published_at, now); }
  };
  using CardPtr = std::shared_ptr<const Card>;
  CardPtr FindCard(std::int64_t id) const;
  void KeepCard(CardPtr card) const;
  std::size_t card_count() const;
  // Past `max_cards` cards (about 4 KB each with their Mustache data) half
  // of them are dropped: a static build of 50,000 stories lists each story
  // on a dozen pages in no useful order, so a memo that forgets everything
  // at once reads most of them again. A server keeps fewer (its render
  // cache answers the pages it serves again): 65,536 cards put a server
  // over 100,000 stories, every story page warmed, at 1,131 MB resident.
  static constexpr std::size_t kServeCards = 16384;
  static constexpr std::size_t kBatchCards = 65536;
  std::size_t max_cards() const { return max_cards_; }

 private:
  static std::string ListingKey(const ArticleQuery& q);
  // Whether `now` falls in the span the memo holds for (mu_ held).
  bool InSpan(Seconds now) const { return has_span_ && now >= from_ && (!until_ || now < *until_); }
  // The memo's entry `key` for the span of time holding `now`, if it has
  // one that `usable` accepts; else `read`'s answer, kept for the span. A
  // time outside the span starts a new one (and an empty memo).
  Result<Ids> Remember(Store& store, std::string key, Seconds now,
                       const std::function<bool(const Ids&)>& usable,
                       const std::function<Result<Ids>()>& read) const;

  const std::int64_t seq_;
  const std::vector<Section> sections_;
  std::unordered_map<std::string, std::size_t> by_slug_;
  // The span of time the listings hold for: [from, until), until unset when
  // no story is due later; `span` counts the spans started.
  mutable std::mutex mu_;
  mutable bool has_span_ = false;
  mutable Seconds from_ = 0;
  mutable std::optional<Seconds> until_;
  mutable std::uint64_t span_ = 0;
  mutable std::unordered_map<std::string, Ids> listings_;
  mutable std::size_t listed_ids_ = 0;
  std::size_t max_cards_;
  mutable std::mutex cards_mu_;
  mutable std::unordered_map<std::int64_t, CardPtr> cards_;
};

// The ids of every story `q` matches at `now` (SiteSnapshot::Listing):
// through `snap`'s memo, or straight from the store when `snap` is null.
Result<SiteSnapshot::Ids> ListingIds(Store& store, const SiteSnapshot* snap, const ArticleQuery& q,
                                     Seconds now);
// The first `n` of those ids (SiteSnapshot::ListingHead), or all when fewer.
Result<SiteSnapshot::Ids> ListingHeadIds(Store& store, const SiteSnapshot* snap,
                                         const ArticleQuery& q, Seconds now, std::size_t n);

// The ids at positions [from, from + count) of `ids` (fewer at its end).
std::vector<std::int64_t> IdsWindow(const std::vector<std::int64_t>& ids, std::size_t from,
                                    std::size_t count);
// The stories at positions [from, from + count) of the listing `q` at
// `now` (SiteSnapshot::Listing), read by id (with their tags, authors and
// pins when `links`), and when `total` is set the listing's length:
// through `snap`'s memo, or straight from the store when `snap` is null. A
// story taken down since the listing was read (by a write after the
// snapshot) is left out.
Result<std::vector<Article>> ListingWindow(Store& store, const SiteSnapshot* snap,
                                           const ArticleQuery& q, Seconds now, std::size_t from,
                                           std::size_t count, bool links,
                                           std::int64_t* total = nullptr);

// The stories `ids` that readers may see at `now`, in that order, read by
// id (with their tags, authors and pins when `links`): a story taken down
// since its id was listed (by a write after the snapshot) is left out.
Result<std::vector<Article>> VisibleArticles(Store& store, const std::vector<std::int64_t>& ids,
                                             Seconds now, bool links);

class SiteTables {
 public:
  explicit SiteTables(Store& store) : store_(store), tag_graph_(store) {}

  std::shared_ptr<const SiteSnapshot> Current();
  // The card bound of the snapshots made from now on (SiteSnapshot).
  void KeepCardsUpTo(std::size_t max_cards) { max_cards_ = max_cards; }
  // Related Posts' graph, kept beside the snapshots (site/tag_graph.h).
  TagGraph& tag_graph() { return tag_graph_; }

 private:
  Store& store_;
  TagGraph tag_graph_;
  std::mutex mu_;
  std::shared_ptr<const SiteSnapshot> current_;
  std::atomic<std::size_t> max_cards_{SiteSnapshot::kServeCards};
};

}  // namespace dateline
