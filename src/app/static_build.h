// StaticBuild: the whole public site written out as static files
// (`dateline build --out DIR`), for a plain web server or a CDN.
//
// Urls() enumerates every public path at the site clock's time: home and
// its pages, every visible story, section/tag/author fronts and their
// pages, year/month/day archives and their pages, every feed of the site
// and of each section, tag and author, the sitemap index and every sitemap
// it names, the news sitemap, robots.txt, theme assets, media files and
// published static pages. Run() renders each through Web::Handle — the
// very code `dateline serve` answers with, so the bytes are the same — and
// writes it: `/a/b/` as `OUT/a/b/index.html` (`index.rss`, `index.atom`,
// ... when the page is not HTML), `/feed.json` as `OUT/feed.json`, plus
// `OUT/404.html`, with `.gz` and `.br` beside each compressible file.
// Search is the one thing left to a server.
//
// Incremental: a file whose bytes on disk are already right is not
// rewritten (its .gz/.br are not even recompressed); files of paths that no
// longer exist are removed. Only files the build itself wrote (listed in
// OUT/.dateline-build) are ever removed, and a non-empty folder without
// that list is refused, so a mistyped --out cannot wipe anything.
//
// Work is spread over `threads` threads; Web, Site and the Store must be
// thread-safe (they are). Failure: a Status naming the path or file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "app/web.h"
#include "base/status.h"
#include "render/theme.h"
#include "site/site.h"

namespace dateline {

struct StaticBuildOptions {
  std::filesystem::path out;
  int threads = 0;  // 0: one per core
};

struct StaticBuildReport {
  std::size_t urls = 0;       // paths rendered
  std::size_t skipped = 0;    // paths that did not answer 200 (none expected)
  std::size_t written = 0;    // files written (new or changed), .gz/.br included
  std::size_t unchanged = 0;  // files already right on disk
  std::size_t removed = 0;    // files of paths that no longer exist
  double seconds = 0;         // wall time of Run()
};

class StaticBuild {
 public:
  // `site` must be the Site `web` was made with; its clock fixes the time
  // the whole build sees.
  StaticBuild(Web& web, Site& site, const Theme& theme, std::filesystem::path media_dir)
      : web_(web), site_(site), theme_(theme), media_dir_(std::move(media_dir)) {}

  // Every public path (without the 404 page), sorted, no duplicates.
  Result<std::vector<std::string>> Urls();

  Result<StaticBuildReport> Run(const StaticBuildOptions& options);

  // The file (relative to OUT) a path is written to, given its media type;
  // empty for a path that cannot be a file name (".." segments and such).
  static std::string FileFor(std::string_view path, std::string_view content_type);

  // The name of the list of files a build wrote, inside OUT.
  static constexpr const char* kManifest = ".dateline-build";

 private:
  Web& web_;
  Site& site_;
  const Theme& theme_;
  std::filesystem::path media_dir_;
};

}  // namespace dateline
