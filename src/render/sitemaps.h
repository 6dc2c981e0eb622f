// Sitemaps and robots.txt: plain lists of URLs turned into the XML of the
// sitemaps.org protocol (a <urlset> or a <sitemapindex>), a Google News
// sitemap, and robots.txt.
//
// The site layer supplies absolute URLs and W3C (RFC 3339) times; text is
// escaped with EscapeXml. RenderNewsSitemap applies Google's rules itself
// (only stories first published within the last 48 hours by `clock`, at
// most kMaxNewsItems, newest first) so the rules hold whatever it is given.
// Pure functions (reading the clock once): thread-safe, they never fail.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"

namespace dateline {

inline constexpr int kMaxSitemapUrls = 50000;  // sitemaps.org limit per file
inline constexpr int kMaxNewsItems = 1000;     // Google News limit per file
inline constexpr Seconds kNewsWindow = 48 * 3600;

struct SitemapUrl {
  std::string loc;      // absolute URL
  std::string lastmod;  // W3C date-time with offset; may be empty
};

struct NewsSitemapItem {
  std::string loc;
  std::string title;
  Seconds published = 0;       // the original publish time
  std::string published_iso;   // the same, W3C date-time with offset
  std::string language;        // BCP 47 (converted to Google's codes)
};

std::string RenderUrlset(const std::vector<SitemapUrl>& urls);
std::string RenderSitemapIndex(const std::vector<SitemapUrl>& sitemaps);
std::string RenderNewsSitemap(std::string_view publication_name,
                              std::vector<NewsSitemapItem> items, const Clock& clock);

// BCP 47 -> Google News language: "en-GB" -> "en", "zh-Hant" -> "zh-tw",
// "zh-CN"/"zh-Hans" -> "zh-cn".
std::string NewsLanguage(std::string_view bcp47);

// robots.txt allowing everything and naming each sitemap URL.
std::string RenderRobots(const std::vector<std::string>& sitemap_urls);

}  // namespace dateline
