#include "site/site_tables.h"

#include <algorithm>

namespace dateline {

SiteSnapshot::SiteSnapshot(std::int64_t seq, std::vector<Section> sections,
                           std::size_t max_cards)
    : seq_(seq), sections_(std::move(sections)), max_cards_(std::max<std::size_t>(max_cards, 2)) {
  for (std::size_t i = 0; i < sections_.size(); ++i) by_slug_.emplace(sections_[i].slug, i);
}

const Section* SiteSnapshot::FindSection(std::string_view slug) const {
  auto it = by_slug_.find(std::string(slug));
  return it == by_slug_.end() ? nullptr : &sections_[it->second];
}

// Every field ListArticleIds reads but the time (the span stands for it),
// each length-prefixed or fixed, so two different queries never share a key.
std::string SiteSnapshot::ListingKey(const ArticleQuery& q) {
  std::string key;
  auto text = [&key](std::string_view s) {
    key += std::to_string(s.size());
    key += ':';
    key += s;
  };
  auto number = [&key](std::optional<std::int64_t> v) {
    key += v ? std::to_string(*v) : "-";
    key += ';';
  };
  text(q.section_slug);
  text(q.tag_slug);
  text(q.author_slug);
  number(q.published_from);
  number(q.published_before);
  number(q.featured_only ? 1 : 0);
  number(static_cast<std::int64_t>(q.statuses.size()));
  for (PublishState s : q.statuses) number(static_cast<std::int64_t>(s));
  number(q.owner_id);
  text(q.headline_contains);
  number(static_cast<std::int64_t>(q.order));
  number(static_cast<std::int64_t>(q.exclude_ids.size()));
  for (std::int64_t id : q.exclude_ids) number(id);
  return key;
}

namespace {

// The store's answer for the listing `q` at `now` (its first `max` ids
// when set), shared.
Result<SiteSnapshot::Ids> ReadListing(Store& store, ArticleQuery q, Seconds now,
                                      std::optional<std::size_t> max = std::nullopt) {
  q.visible_at = now;
  auto ids = max ? store.FirstArticleIds(q, *max) : store.ListArticleIds(q);
  if (!ids) return Fail(ids.error());
  return std::make_shared<const std::vector<std::int64_t>>(std::move(*ids));
}

}  // namespace

Result<SiteSnapshot::Ids> SiteSnapshot::Remember(Store& store, std::string key, Seconds now,
                                                const std::function<bool(const Ids&)>& usable,
                                                const std::function<Result<Ids>()>& read) const {
  std::uint64_t span = 0;
  bool in_span = false;
  {
    std::lock_guard lock(mu_);
    in_span = InSpan(now);
    if (in_span) {
      auto it = listings_.find(key);
      if (it != listings_.end() && usable(it->second)) return it->second;
      span = span_;
    }
  }
  if (!in_span) {
    auto next = store.NextVisibleAfter(now);
    if (!next) return Fail(next.error());
    std::lock_guard lock(mu_);
    // Another thread may have started a span meanwhile; the later one
    // stands (both are right for the times they were asked at).
    has_span_ = true;
    from_ = now;
    until_ = *next;
    span = ++span_;
    listings_.clear();
    listed_ids_ = 0;
  }
  auto made = read();
  if (!made) return made;
  std::lock_guard lock(mu_);
  if (span_ == span) {  // not remembered across spans: it holds for `now` only
    if (listed_ids_ + (*made)->size() > kMaxListedIds) {
      listings_.clear();
      listed_ids_ = 0;
    }
    listed_ids_ += (*made)->size();
    listings_.insert_or_assign(std::move(key), *made);
  }
  return made;
}

Result<SiteSnapshot::Ids> SiteSnapshot::Listing(Store& store, const ArticleQuery& q,
                                               Seconds now) const {
  return Remember(
      store, ListingKey(q), now, [](const Ids&) { return true; },
      [&] { return ReadListing(store, q, now); });
}

Result<SiteSnapshot::Ids> SiteSnapshot::ListingHead(Store& store, const ArticleQuery& q, Seconds now,
                                                   std::size_t n) const {
  std::string key = ListingKey(q);
  {
    std::lock_guard lock(mu_);
    auto it = InSpan(now) ? listings_.find(key) : listings_.end();
    if (it != listings_.end()) return it->second;  // the whole listing
  }
  const std::size_t want = std::max(n, kHeadIds);
  // A head is read with at least kHeadIds ids: fewer means it is all.
  auto usable = [n](const Ids& ids) { return ids->size() >= n || ids->size() < kHeadIds; };
  return Remember(store, "head " + key, now, usable, [&] { return ReadListing(store, q, now, want); });
}

SiteSnapshot::CardPtr SiteSnapshot::FindCard(std::int64_t id) const {
  std::lock_guard lock(cards_mu_);
  auto it = cards_.find(id);
  return it == cards_.end() ? nullptr : it->second;
}

void SiteSnapshot::KeepCard(CardPtr card) const {
  std::lock_guard lock(cards_mu_);
  if (cards_.size() >= max_cards_) {
    // Every second card goes (in the map's order, which follows no page's).
    bool drop = false;
    for (auto it = cards_.begin(); it != cards_.end();) it = (drop = !drop) ? cards_.erase(it) : std::next(it);
  }
  const std::int64_t id = card->id;
  cards_.insert_or_assign(id, std::move(card));
}

std::size_t SiteSnapshot::card_count() const {
  std::lock_guard lock(cards_mu_);
  return cards_.size();
}

Result<SiteSnapshot::Ids> ListingIds(Store& store, const SiteSnapshot* snap, const ArticleQuery& q,
                                     Seconds now) {
  return snap != nullptr ? snap->Listing(store, q, now) : ReadListing(store, q, now);
}

Result<SiteSnapshot::Ids> ListingHeadIds(Store& store, const SiteSnapshot* snap,
                                         const ArticleQuery& q, Seconds now, std::size_t n) {
  return snap != nullptr ? snap->ListingHead(store, q, now, n) : ReadListing(store, q, now, n);
}

Result<std::vector<Article>> ListingWindow(Store& store, const SiteSnapshot* snap,
                                           const ArticleQuery& q, Seconds now, std::size_t from,
                                           std::size_t count, bool links,
                                           std::int64_t* total) {
  auto listed = ListingIds(store, snap, q, now);
  if (!listed) return Fail(listed.error());
  const SiteSnapshot::Ids& ids = *listed;
  if (total != nullptr) *total = static_cast<std::int64_t>(ids->size());
  return VisibleArticles(store, IdsWindow(*ids, from, count), now, links);
}

std::vector<std::int64_t> IdsWindow(const std::vector<std::int64_t>& ids, std::size_t from,
                                    std::size_t count) {
  from = std::min(from, ids.size());
  const std::size_t to = from + std::min(count, ids.size() - from);
  return std::vector<std::int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(from),
                                   ids.begin() + static_cast<std::ptrdiff_t>(to));
}

Result<std::vector<Article>> VisibleArticles(Store& store, const std::vector<std::int64_t>& ids,
                                             Seconds now, bool links) {
  auto stories = store.GetArticles(ids, links);
  if (!stories) return stories;
  std::erase_if(*stories, [now](const Article& a) { return !IsVisible(a, now); });
  return stories;
}

std::shared_ptr<const SiteSnapshot> SiteTables::Current() {
  auto seq = store_.LastChangeSeq();
  if (!seq) return nullptr;
  {
    std::lock_guard lock(mu_);
    if (current_ && current_->seq() == *seq) return current_;
  }
  auto sections = store_.ListSections();
  if (!sections) return nullptr;
  auto made = std::make_shared<const SiteSnapshot>(*seq, std::move(*sections), max_cards_.load());
  std::lock_guard lock(mu_);
  // Two threads may both have read a newer generation; keep the newest.
  if (!current_ || current_->seq() <= made->seq()) current_ = made;
  return made;
}

}  // namespace dateline
