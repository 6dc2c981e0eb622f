// Web: the reader site as one HTTP handler (request in, response out).
//
// Routes /assets/* to the theme's hashed assets (cached for a year),
// /media/* to files in the site's media folder, and every other GET or
// HEAD to Site::Resolve + Renderer. Other methods get 405. Owns nothing
// but references to the parts the app built; thread-safe when they are.
#pragma once

#include <filesystem>

#include "http/message.h"
#include "http/response_cache.h"
#include "render/renderer.h"
#include "render/theme.h"
#include "site/site.h"
#include "site/syndication.h"

namespace dateline {

class Web {
 public:
  // `cache` may be null (no render cache: every request renders).
  Web(Site& site, const Theme& theme, std::filesystem::path media_dir,
      http::ResponseCache* cache = nullptr)
      : cache_(cache),
        site_(site),
        theme_(theme),
        renderer_(theme),
        media_dir_(std::move(media_dir)),
        logo_url_(LogoUrl(site.settings(), theme)),
        syndication_(site.store(), site.settings(), site.clock(), logo_url_, &site.content(),
                     &site.tables()) {}

  // The publisher logo as an absolute URL: `logo` from the settings, else
  // the theme's logo.svg.
  static std::string LogoUrl(const SiteSettings& settings, const Theme& theme);

  http::Response Handle(const http::Request& req);
  // Handle's answer when it is in the render cache, else nullopt: what an
  // I/O thread may answer itself (http::FastHandler). Never renders, never
  // touches the store.
  std::optional<http::Response> Cached(const http::Request& req);
  // Whether Handle answers `req` (a GET or HEAD) from the render cache.
  static bool ByPath(const http::Request& req);

  // A story of any status exactly as readers will see it, marked as a
  // preview (for logged-in staff; never cached).
  http::Response Preview(const Article& a);

  // Pages and feeds: fresh for a minute in browsers and CDNs, then served
  // stale for a little while the CDN fetches the new copy.
  static constexpr const char* kPageCacheControl =
      "public, max-age=60, s-maxage=60, stale-while-revalidate=30";

 private:
  // What a path (other than media and search) answers, for the cache.
  http::ResponseCache::Rendered Render(std::string_view path);
  http::Response Media(std::string_view path);
  http::Response PageResponse(Page page);

  http::ResponseCache* cache_;
  Site& site_;
  const Theme& theme_;
  Renderer renderer_;
  std::filesystem::path media_dir_;
  std::string logo_url_;
  Syndication syndication_;  // feeds, sitemaps, robots.txt
};

}  // namespace dateline
