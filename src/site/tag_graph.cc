#include "site/tag_graph.h"

#include <algorithm>
#include <unordered_set>

namespace dateline {

std::uint64_t TagGraph::full_reads() const {
  std::lock_guard lock(mu_);
  return full_reads_;
}

void TagGraph::Forget(std::int64_t id) {
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return;
  const std::uint32_t slot = it->second;
  Story& s = stories_[slot];
  for (std::int64_t tag : s.tags) {
    auto t = tagged_.find(tag);
    if (t == tagged_.end()) continue;
    std::erase(t->second, slot);
    if (t->second.empty()) tagged_.erase(t);
  }
  s = Story{};
  free_.push_back(slot);
  slot_of_.erase(it);
}

void TagGraph::Add(const TagLinks& t) {
  std::uint32_t slot = 0;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(stories_.size());
    stories_.emplace_back();
  }
  Story& s = stories_[slot];
  s.id = t.id;
  s.status = t.status;
  s.published = t.published_at;
  s.tags = t.tag_ids;
  for (std::int64_t tag : s.tags) tagged_[tag].push_back(slot);
  slot_of_[t.id] = slot;
}

Status TagGraph::ReadAll(std::int64_t seq) {
  // The sequence number is the caller's, read before these rows: a write
  // after it is in the rows already and is read once more at the next
  // catch-up, which changes nothing.
  auto all = store_.ReadTagLinks(nullptr);
  if (!all) return all.error();
  stories_.clear();
  free_.clear();
  slot_of_.clear();
  tagged_.clear();
  stories_.reserve(all->size());
  slot_of_.reserve(all->size());
  for (const TagLinks& t : *all) Add(t);
  seq_ = seq;
  loaded_ = true;
  ++full_reads_;
  return Status::Ok();
}

Status TagGraph::CatchUp(std::int64_t seq) {
  if (!loaded_) return ReadAll(seq);
  if (seq <= seq_) return Status::Ok();
  std::unordered_set<std::int64_t> changed;
  std::int64_t at = seq_;
  const std::size_t most = std::max(kMinFullRead, slot_of_.size() / kFullReadShare);
  for (;;) {
    auto changes = store_.ChangesSince(at, 1000);
    if (!changes) return changes.error();
    if (changes->empty()) break;
    for (const ChangeLogEntry& c : *changes) {
      if (c.entity == "article") changed.insert(c.entity_id);
      at = c.seq;
    }
    if (changed.size() > most) return ReadAll(std::max(seq, at));
  }
  if (!changed.empty()) {
    std::vector<std::int64_t> ids(changed.begin(), changed.end());
    auto read = store_.ReadTagLinks(&ids);
    if (!read) return read.error();
    for (std::int64_t id : ids) Forget(id);  // a deleted story stays forgotten
    for (const TagLinks& t : *read) Add(t);
  }
  seq_ = std::max(seq, at);
  return Status::Ok();
}

Result<std::vector<std::int64_t>> TagGraph::Rank(std::int64_t seq, std::int64_t id, Seconds now,
                                                 const std::vector<std::int64_t>& exclude,
                                                 int limit) {
  std::lock_guard lock(mu_);
  if (Status s = CatchUp(seq); !s.ok()) return Fail(s);
  std::vector<std::int64_t> out;
  auto self_slot = slot_of_.find(id);
  if (self_slot == slot_of_.end() || limit <= 0) return out;
  const Story& self = stories_[self_slot->second];
  if (self.tags.empty()) return out;
  // The story's tags, rarest first. A candidate's score is the sum of the
  // weights of the tags it shares (added in that order). Stories are taken
  // tag by tag from the rarest, and the walk stops once `limit` of them
  // score more than any story still unseen could (the weights of the tags
  // not walked yet): the common tags, with thousands of stories on a large
  // site, are then never walked.
  struct Weighted {
    std::int64_t tag = 0;
    std::size_t stories = 0;
    double weight = 0;
  };
  std::vector<Weighted> tags;
  for (std::int64_t tag : self.tags) {
    auto t = tagged_.find(tag);
    std::size_t n = t == tagged_.end() ? 0 : t->second.size();
    tags.push_back({tag, n, n > 0 ? 1.0 / static_cast<double>(n) : 0.0});
  }
  std::sort(tags.begin(), tags.end(), [](const Weighted& a, const Weighted& b) {
    return a.stories != b.stories ? a.stories < b.stories : a.tag < b.tag;
  });
  std::vector<double> unwalked(tags.size() + 1, 0.0);  // weight of the tags after i
  for (std::size_t i = tags.size(); i-- > 0;) unwalked[i] = unwalked[i + 1] + tags[i].weight;
  struct Candidate {
    std::int64_t id = 0;
    double score = 0;
    Seconds published = 0;
  };
  auto better = [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.published != b.published) return a.published > b.published;
    return a.id > b.id;
  };
  std::vector<std::int64_t> left_out(exclude.begin(), exclude.end());
  left_out.push_back(id);
  std::sort(left_out.begin(), left_out.end());
  auto has = [](const std::vector<std::int64_t>& v, std::int64_t tag) {
    return std::find(v.begin(), v.end(), tag) != v.end();
  };
  std::vector<Candidate> found;
  const std::size_t want = static_cast<std::size_t>(limit);
  for (std::size_t t = 0; t < tags.size(); ++t) {
    auto on = tagged_.find(tags[t].tag);
    if (on == tagged_.end()) continue;
    for (std::uint32_t slot : on->second) {
      const Story& s = stories_[slot];
      if (!IsVisible(s.status, s.published, now)) continue;
      // A story on a tag walked before was scored there.
      bool scored = false;
      for (std::size_t u = 0; u < t && !scored; ++u) scored = has(s.tags, tags[u].tag);
      if (scored || std::binary_search(left_out.begin(), left_out.end(), s.id)) continue;
      // Not on a rarer tag, on this one: the rest of its score comes from
      // the tags not walked yet.
      Candidate c{s.id, tags[t].weight, *s.published};
      for (std::size_t u = t + 1; u < tags.size(); ++u) {
        if (has(s.tags, tags[u].tag)) c.score += tags[u].weight;
      }
      found.push_back(c);
    }
    if (found.size() >= want) {
      std::nth_element(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(want - 1),
                       found.end(), better);
      if (found[want - 1].score > unwalked[t + 1]) break;
    }
  }
  std::sort(found.begin(), found.end(), better);
  if (found.size() > want) found.resize(want);
  for (const Candidate& c : found) out.push_back(c.id);
  return out;
}

}  // namespace dateline
