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

namespace {

bool BlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}


}  // namespace

std::string_view ContentMemo::ExcerptSource(const Article& a) {
  const std::string_view body = a.body;
  if (a.body_format != BodyFormat::kMarkdown) return body;
  // A link reference or footnote definition ("[x]: ...", also inside a
  // quote or a list item) applies to text before it: any "]:" at all sends
  // the excerpt to the whole body.
  if (body.find("]:") != std::string_view::npos) return body;
  std::size_t tokens = 0, cut = std::string_view::npos;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    if (BlankLine(line)) {
      if (cut == std::string_view::npos && tokens >= kExcerptSourceTokens) cut = pos;
    } else if (cut == std::string_view::npos) {
      bool in_token = false;
      for (char c : line) {
        bool space = c == ' ' || c == '\t' || c == '\r';
        if (!space && !in_token) ++tokens;
        in_token = !space;
      }
    }
    pos = end + 1;
  }
  return cut == std::string_view::npos ? body : body.substr(0, cut);
}

ContentMemo::Excerpts ContentMemo::MakeExcerpts(const Article& a, std::string_view body) const {
  Excerpts out;
  // Markdown without raw HTML or images: the text straight from the
  // syntax tree (MarkdownText), the same words as from its HTML; no
  // iframe, so both excerpts are one.
  if (a.body_format == BodyFormat::kMarkdown) {
    if (std::optional<std::string> text = MarkdownText(body)) {
      out.feed = ExcerptFromText(*text, kExcerptWords);
      out.page = out.feed;
      return out;
    }
  }
  const std::string html = RenderBody(body, a.body_format, options_);
  out.feed = MakeExcerpt(html, kExcerptWords);
  // The reader site cuts its excerpt from the body rendered without iframes.
  // Only a kept iframe makes that differ from `html`: with none, the two
  // renderings are the same bytes.
  if (!options_.iframe_hosts.empty() && html.find("<iframe") != std::string::npos) {
    out.page = MakeExcerpt(RenderBody(body, a.body_format), kExcerptWords);
    out.differ = out.page != out.feed;
  }
  if (!out.differ) out.page = out.feed;
  return out;
}

bool ContentMemo::Cut(const Excerpts& x) {
  return x.feed.ends_with(kExcerptMore) && x.page.ends_with(kExcerptMore);
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
  // The first blocks of the body, when they hold more words than the
  // excerpt keeps, give the same excerpt as the whole body (header comment).
  std::string_view lead = ExcerptSource(a);
  Excerpts x;
  bool done = false;
  if (lead.size() < a.body.size()) {
    x = MakeExcerpts(a, lead);
    done = Cut(x);
  }
  if (!done) x = MakeExcerpts(a, a.body);
  if (done) {
    std::lock_guard lock(mu_);
    ++lead_excerpts_;
  }
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
  s.lead_excerpts = lead_excerpts_;
  s.html_entries = html_.index.size();
  s.html_bytes = html_.bytes;
  s.excerpt_entries = excerpts_.index.size();
  s.excerpt_bytes = excerpts_.bytes;
  return s;
}

}  // namespace dateline
