// Web: the reader site as one HTTP handler (request in, response out).
//
// Routes /assets/* to the theme's hashed assets (cached for a year),
// /media/* to files in the site's media folder, and every other GET or
// HEAD to Site::Resolve + Renderer. Other methods get 405. Owns nothing
// but references to the parts the app built; thread-safe when they are.
#pragma once

#include <filesystem>

#include "http/message.h"
#include "render/renderer.h"
#include "render/theme.h"
#include "site/site.h"
#include "site/syndication.h"

namespace dateline {

class Web {
 public:
  Web(Site& site, const Theme& theme, std::filesystem::path media_dir)
      : site_(site),
        theme_(theme),
        renderer_(theme),
        media_dir_(std::move(media_dir)),
        logo_url_(LogoUrl(site.settings(), theme)),
        syndication_(site.store(), site.settings(), site.clock(), logo_url_) {}

  // The publisher logo as an absolute URL: `logo` from the settings, else
  // the theme's logo.svg.
  static std::string LogoUrl(const SiteSettings& settings, const Theme& theme);

  http::Response Handle(const http::Request& req);

 private:
  http::Response Media(std::string_view path);
  http::Response PageResponse(const Page& page);
  http::Response SyndicationResponse(const http::Request& req, SyndicationFile file);

  Site& site_;
  const Theme& theme_;
  Renderer renderer_;
  std::filesystem::path media_dir_;
  std::string logo_url_;
  Syndication syndication_;  // feeds, sitemaps, robots.txt
};

}  // namespace dateline
