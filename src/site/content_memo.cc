#include "site/content_memo.h"

#include <string_view>

#include "text/excerpt.h"
#include "text/markdown.h"

namespace dateline {

ContentMemo::ContentMemo(SanitizeOptions options, std::size_t html_bytes,
                         std::size_t excerpt_bytes)
    : options_(std::move(options)) {
  html_.budget = html_bytes;
  excerpts_.budget = excerpt_bytes;
}

std::size_t ContentMemo::SourceHash(const Article& a) {
  return std::hash<std::string_view>{}(a.body) * 31 + static_cast<std::size_t>(a.body_format);
}

const ContentMemo::Lru::Entry* ContentMemo::Lru::Find(const Key& k, std::size_t source) {
  auto it = index.find(k);
  if (it == index.end() || it->second->source != source) {
    ++misses;
    return nullptr;
  }
  ++hits;
  order.splice(order.begin(), order, it->second);
  return &*it->second;
}

void ContentMemo::Lru::Put(Entry e) {
  std::size_t cost = Cost(e);
  if (cost > budget) return;
  auto it = index.find(e.key);
  if (it != index.end()) {
    bytes -= Cost(*it->second);
    order.erase(it->second);
    index.erase(it);
  }
  while (!order.empty() && bytes + cost > budget) {
    bytes -= Cost(order.back());
    index.erase(order.back().key);
    order.pop_back();
  }
  order.push_front(std::move(e));
  index[order.front().key] = order.begin();
  bytes += cost;
}

ContentMemo::Excerpts ContentMemo::MakeExcerpts(const Article& a, const std::string& html) const {
  Excerpts out;
  out.feed = MakeExcerpt(html, kExcerptWords);
  // The reader site cuts its excerpt from the body rendered without iframes.
  // Only a kept iframe makes that differ from `html`: with none, the two
  // renderings are the same bytes.
  if (!options_.iframe_hosts.empty() && html.find("<iframe") != std::string::npos) {
    out.page = MakeExcerpt(RenderBody(a.body, a.body_format), kExcerptWords);
    out.differ = out.page != out.feed;
  }
  if (!out.differ) out.page = out.feed;
  return out;
}

std::string ContentMemo::Html(const Article& a) {
  if (!Memoizable(a)) return RenderBody(a.body, a.body_format, options_);
  const Key key{a.id, a.version};
  const std::size_t source = SourceHash(a);
  {
    std::lock_guard lock(mu_);
    if (const Lru::Entry* e = html_.Find(key, source)) return e->text;
  }
  std::string html = RenderBody(a.body, a.body_format, options_);
  std::lock_guard lock(mu_);
  html_.Put({key, source, html, {}, false});
  return html;
}

ContentMemo::Lru::Entry ContentMemo::ExcerptEntry(const Article& a) {
  const Key key{a.id, a.version};
  const std::size_t source = SourceHash(a);
  {
    std::lock_guard lock(mu_);
    if (const Lru::Entry* e = excerpts_.Find(key, source)) return *e;
  }
  std::string html = Html(a);
  Excerpts x = MakeExcerpts(a, html);
  Lru::Entry e{key, source, std::move(x.page), {}, x.differ};
  if (x.differ) e.feed_text = std::move(x.feed);
  std::lock_guard lock(mu_);
  excerpts_.Put(e);
  return e;
}

std::string ContentMemo::Excerpt(const Article& a) {
  if (!a.excerpt.empty()) return a.excerpt;
  if (!Memoizable(a)) return MakeExcerpt(RenderBody(a.body, a.body_format), kExcerptWords);
  return ExcerptEntry(a).text;
}

std::string ContentMemo::FeedExcerpt(const Article& a) {
  if (!a.excerpt.empty()) return a.excerpt;
  if (!Memoizable(a)) return MakeExcerpt(RenderBody(a.body, a.body_format, options_), kExcerptWords);
  Lru::Entry e = ExcerptEntry(a);
  return e.has_feed_text ? std::move(e.feed_text) : std::move(e.text);
}

ContentMemo::Stats ContentMemo::stats() const {
  std::lock_guard lock(mu_);
  Stats s;
  s.html_hits = html_.hits;
  s.html_misses = html_.misses;
  s.excerpt_hits = excerpts_.hits;
  s.excerpt_misses = excerpts_.misses;
  s.html_entries = html_.index.size();
  s.html_bytes = html_.bytes;
  s.excerpt_entries = excerpts_.index.size();
  s.excerpt_bytes = excerpts_.bytes;
  return s;
}

}  // namespace dateline
