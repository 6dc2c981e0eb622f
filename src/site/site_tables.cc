#include "site/site_tables.h"

namespace dateline {

SiteSnapshot::SiteSnapshot(std::int64_t seq, std::vector<Section> sections)
    : seq_(seq), sections_(std::move(sections)) {
  for (std::size_t i = 0; i < sections_.size(); ++i) by_slug_.emplace(sections_[i].slug, i);
}

const Section* SiteSnapshot::FindSection(std::string_view slug) const {
  auto it = by_slug_.find(std::string(slug));
  return it == by_slug_.end() ? nullptr : &sections_[it->second];
}

// Every field CountArticles reads, each length-prefixed or fixed, so two
// different queries never share a key.
std::string SiteSnapshot::CountKey(const ArticleQuery& q) {
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
  number(q.visible_at);
  number(q.featured_only ? 1 : 0);
  number(static_cast<std::int64_t>(q.statuses.size()));
  for (PublishState s : q.statuses) number(static_cast<std::int64_t>(s));
  number(q.owner_id);
  text(q.headline_contains);
  number(static_cast<std::int64_t>(q.exclude_ids.size()));
  for (std::int64_t id : q.exclude_ids) number(id);
  return key;
}

Result<std::int64_t> SiteSnapshot::Count(Store& store, const ArticleQuery& q) const {
  std::string key = CountKey(q);
  {
    std::lock_guard lock(mu_);
    auto it = counts_.find(key);
    if (it != counts_.end()) return it->second;
  }
  auto n = store.CountArticles(q);
  if (!n) return n;
  std::lock_guard lock(mu_);
  if (counts_.size() >= kMaxCounts) counts_.clear();
  counts_.emplace(std::move(key), *n);
  return n;
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
  auto made = std::make_shared<const SiteSnapshot>(*seq, std::move(*sections));
  std::lock_guard lock(mu_);
  // Two threads may both have read a newer generation; keep the newest.
  if (!current_ || current_->seq() <= made->seq()) current_ = made;
  return made;
}

}  // namespace dateline
