// SiteSettings: what a site is called, where it lives and how it shows
// dates and URLs. Plain data read from dateline.toml by the app layer;
// immutable while the server runs, so it is safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "core/permalink.h"
#include "core/time_zone.h"

namespace dateline {

struct SiteSettings {
  std::string name = "Dateline";
  std::string description = "News, as it happens.";
  std::string base_url = "http://127.0.0.1:8080";  // no trailing slash
  std::string language = "en";
  TimeZone zone = TimeZone::Utc();
  std::string date_format = std::string(kDefaultDateFormat);
  PermalinkPattern permalink = *PermalinkPattern::Parse(PermalinkPattern::kDefault);
  int per_page = 10;        // items on listing pages
  int max_page = 1000;      // pagination cap
  std::vector<std::string> iframe_hosts;  // embeds allowed in article bodies
  int feed_items = 20;      // stories per RSS/Atom/JSON feed
  std::string logo;         // publisher logo URL (absolute or /path); "" = the theme's logo.svg
};

}  // namespace dateline
