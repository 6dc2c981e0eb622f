// The /corrections/ page: every correction on a story readers can see,
// newest first, paged like the other listings (Site::Resolve routes
// /corrections/ and /corrections/page/N/ here).
#include <map>

#include "site/site.h"

namespace dateline {

namespace {

using nlohmann::json;

// Corrections read from the store per step of the scan.
constexpr int kScanBatch = 500;

}  // namespace

// The store lists every correction; which ones readers may see depends on
// their story's state now, so the scan asks about each story once. Work
// grows with the number of corrections (a few per story that has any),
// and the page is served from the render cache.
Site::CorrectionScan Site::ScanCorrections(std::int64_t from, std::int64_t count) {
  CorrectionScan scan;
  const Seconds now = clock_.Now();
  std::map<std::int64_t, bool> visible;  // article id -> readers may see it
  for (int offset = 0;; offset += kScanBatch) {
    auto batch = store_.RecentCorrections(kScanBatch, offset);
    if (!batch) throw std::runtime_error(batch.error().ToString());
    for (Correction& c : *batch) {
      std::optional<Article> article;
      auto known = visible.find(c.article_id);
      if (known == visible.end()) {
        auto a = store_.GetArticle(c.article_id);
        if (!a && !a.error().IsNotFound()) throw std::runtime_error(a.error().ToString());
        bool shown = a && IsVisible(*a, now);
        known = visible.emplace(c.article_id, shown).first;
        if (shown) article = std::move(*a);
      }
      if (!known->second) continue;
      std::int64_t position = scan.total++;
      if (position < from || position >= from + count) continue;
      if (!article) {
        auto a = store_.GetArticle(c.article_id);
        if (!a) throw std::runtime_error(a.error().ToString());
        article = std::move(*a);
      }
      scan.window.emplace_back(std::move(c), std::move(*article));
    }
    if (static_cast<int>(batch->size()) < kScanBatch) break;
  }
  return scan;
}

std::int64_t Site::CountVisibleCorrections() { return ScanCorrections(0, 0).total; }

Page Site::CorrectionsPage(int page) {
  const int per = settings_.per_page;
  if (page > settings_.max_page) return NotFound();
  CorrectionScan scan = ScanCorrections(static_cast<std::int64_t>(page - 1) * per, per);
  const int pages = static_cast<int>((scan.total + per - 1) / per);
  // The first page exists even when there is nothing to correct.
  if (page > std::max(pages, 1)) return NotFound();

  const std::string base(kCorrectionsPath);
  const std::string path = page == 1 ? base : base + "page/" + std::to_string(page) + "/";
  const std::string title = "Corrections";
  Page p;
  p.template_name = "corrections";
  p.model = Chrome(page == 1 ? title : title + " – page " + std::to_string(page),
                   "Corrections to our stories, newest first.", path, "");
  json items = json::array();
  for (const auto& [c, a] : scan.window) {
    // "id" and "url" make the render cache tag the page with the story.
    items.push_back({{"id", a.id},
                     {"headline", a.headline},
                     {"url", Url(a)},
                     {"note", c.note},
                     {"at", Time(c.at)}});
    if (!a.language.empty() && a.language != settings_.language) {
      items.back()["language"] = a.language;
    }
  }
  json pagination = {{"current", page}, {"total", std::max(pages, 1)}, {"show", pages > 1}};
  if (page > 1) {
    pagination["prev_url"] = page == 2 ? base : base + "page/" + std::to_string(page - 1) + "/";
    p.model["page"]["prev_url"] = pagination["prev_url"];
  }
  if (page < pages) {
    pagination["next_url"] = base + "page/" + std::to_string(page + 1) + "/";
    p.model["page"]["next_url"] = pagination["next_url"];
  }
  p.model["corrections"] = {
      {"title", title}, {"count", scan.total}, {"items", items}, {"pagination", pagination}};
  return p;
}

}  // namespace dateline
