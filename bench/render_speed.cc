// bench/render_speed: how fast one core turns a story's URL into its page,
// with no render cache and no network in between.
//
// Opens a site folder (made by `dateline init` + `dateline import`, e.g.
// bench/run's site-N), picks --pages visible stories spread over the site
// (deterministically), and answers each story's URL through the reader
// site's handler (Web::Handle: Site::Resolve, the theme's templates, page
// metadata), as `dateline serve` does with cache_mb = 0, on one thread:
//   first visit   each URL once on a fresh Site: the body and excerpt memo
//                 (site/content_memo.h) starts empty, so every story listed
//                 on a page has its excerpt made the first time it is shown.
//   warm memo     the same URLs again: every body and excerpt is known.
//   model only    Site::Resolve alone on the same URLs (the store queries
//                 and view model), so the rest of "warm memo" is templates.
//   body, cold    RenderBody and the excerpt, as the memo makes them, of
//                 each of the same stories (stories/s): the work a page did
//                 for every story it listed before the memo, and still does
//                 on a first visit.
// Each page line gives pages/s, mean and p99 ms, beside issue 7's target
// of 2,000 story pages/s per core.
//
// Usage: render_speed SITE_DIR [--pages N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/site_dir.h"
#include "app/web.h"
#include "text/excerpt.h"
#include "text/markdown.h"

using namespace dateline;
using Steady = std::chrono::steady_clock;

namespace {

struct Timing {
  std::vector<double> ms;
  void Add(Steady::time_point t0) {
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
  }
  void Print(const char* what, const char* unit = "pages/s") {
    if (ms.empty()) return;
    double total = 0;
    for (double v : ms) total += v;
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    double p99 = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    double rate = 1000.0 * static_cast<double>(ms.size()) / total;
    std::printf("  %-12s %8.0f %-9s mean %7.3f ms  p99 %7.3f ms", what, rate, unit,
                total / static_cast<double>(ms.size()), p99);
    if (std::string_view(unit) == "pages/s") std::printf("  (target 2000/s: %.2fx)", rate / 2000.0);
    std::printf("\n");
  }
};

int Usage() {
  std::fprintf(stderr, "usage: render_speed SITE_DIR [--pages N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::filesystem::path dir = argv[1];
  std::size_t pages = 500;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--pages" && i + 1 < argc) {
      pages = static_cast<std::size_t>(std::strtoul(argv[++i], nullptr, 10));
    } else {
      return Usage();
    }
  }
  auto site = OpenSite(dir);
  if (!site) {
    std::fprintf(stderr, "render_speed: %s\n", site.error().ToString().c_str());
    return 1;
  }
  const Config& config = site->config;
  auto theme = Theme::Load(config.theme_dir);
  if (!theme) {
    std::fprintf(stderr, "render_speed: %s\n", theme.error().ToString().c_str());
    return 1;
  }
  FakeClock clock(DefaultClock().Now());
  auto all = site->store->AllArticles();
  if (!all) {
    std::fprintf(stderr, "render_speed: %s\n", all.error().ToString().c_str());
    return 1;
  }
  std::vector<const Article*> visible;
  for (const Article& a : *all) {
    if (IsVisible(a, clock.Now())) visible.push_back(&a);
  }
  if (visible.empty()) {
    std::fprintf(stderr, "render_speed: no visible story in %s\n", dir.c_str());
    return 1;
  }
  // Every k-th story, then the first ones again if --pages asks for more.
  std::vector<const Article*> chosen;
  std::size_t step = std::max<std::size_t>(1, visible.size() / std::max<std::size_t>(1, pages));
  for (std::size_t i = 0; chosen.size() < pages; i += step) {
    chosen.push_back(visible[(i + i / visible.size()) % visible.size()]);
  }
  std::vector<std::string> urls;
  for (const Article* a : chosen) urls.push_back(config.site.permalink.Build(*a, config.site.zone));

  std::printf("render_speed: %zu story pages of %zu visible stories in %s, one thread\n",
              urls.size(), visible.size(), dir.c_str());
  Site reader_site(*site->store, config.site, clock, nullptr);
  Web web(reader_site, *theme, config.media_dir());
  auto get = [&](const std::string& path) {
    http::Request req;
    req.method = "GET";
    req.path = req.target = path;
    http::Response r = web.Handle(req);
    if (r.status != 200) {
      std::fprintf(stderr, "render_speed: %s answered %d\n", path.c_str(), r.status);
      std::exit(1);
    }
    return r.body.size();
  };

  Timing first, warm, model, body;
  std::size_t bytes = 0;
  for (const std::string& url : urls) {
    auto t0 = Steady::now();
    bytes += get(url);
    first.Add(t0);
  }
  for (const std::string& url : urls) {
    auto t0 = Steady::now();
    get(url);
    warm.Add(t0);
  }
  for (const std::string& url : urls) {
    auto t0 = Steady::now();
    Page p = reader_site.Resolve(url);
    model.Add(t0);
  }
  for (const Article* a : chosen) {
    auto t0 = Steady::now();
    // As the memo makes them (ContentMemo): the excerpt of Markdown from its
    // syntax tree when it can, else from the HTML.
    std::string html = RenderBody(a->body, a->body_format);
    std::optional<std::string> text;
    if (a->body_format == BodyFormat::kMarkdown) text = MarkdownText(a->body);
    std::string excerpt = text ? ExcerptFromText(*text, 55) : MakeExcerpt(html, 55);
    body.Add(t0);
  }
  first.Print("first visit");
  warm.Print("warm memo");
  model.Print("model only");
  body.Print("body, cold", "stories/s");
  ContentMemo::Stats s = reader_site.content().stats();
  std::printf("  memo: %zu bodies (%.1f MiB), %zu excerpts (%.1f MiB); excerpt hits %llu, misses %llu\n",
              s.html_entries, static_cast<double>(s.html_bytes) / (1 << 20), s.excerpt_entries,
              static_cast<double>(s.excerpt_bytes) / (1 << 20),
              static_cast<unsigned long long>(s.excerpt_hits),
              static_cast<unsigned long long>(s.excerpt_misses));
  std::printf("  mean page size %zu bytes\n", bytes / urls.size());
  return 0;
}
