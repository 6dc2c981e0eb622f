#include "render/formats.h"

#include <array>

namespace dateline {

namespace {

constexpr std::array<OutputFormat, 9> kFormats = {{
    {FormatId::kHtml, "html", "text/html; charset=utf-8", "text/html", "", "canonical", "HTML",
     false},
    {FormatId::kRss, "rss", "application/rss+xml; charset=utf-8", "application/rss+xml", "feed/",
     "alternate", "RSS", true},
    {FormatId::kAtom, "atom", "application/atom+xml; charset=utf-8", "application/atom+xml",
     "feed/atom/", "alternate", "Atom", true},
    {FormatId::kJsonFeed, "json_feed", "application/feed+json; charset=utf-8",
     "application/feed+json", "feed.json", "alternate", "JSON Feed", true},
    {FormatId::kSitemapIndex, "sitemap_index", "application/xml; charset=utf-8",
     "application/xml", "sitemap.xml", "sitemap", "Sitemap index", false},
    {FormatId::kSitemap, "sitemap", "application/xml; charset=utf-8", "application/xml",
     "sitemaps/", "sitemap", "Sitemap", false},
    {FormatId::kNewsSitemap, "news_sitemap", "application/xml; charset=utf-8", "application/xml",
     "news-sitemap.xml", "sitemap", "News sitemap", false},
    {FormatId::kRobots, "robots", "text/plain; charset=utf-8", "text/plain", "robots.txt", "",
     "robots.txt", false},
    {FormatId::kJsonLd, "json_ld", "application/ld+json", "application/ld+json", "", "", "JSON-LD",
     false},
}};

}  // namespace

std::span<const OutputFormat> OutputFormats() { return kFormats; }

const OutputFormat& FindFormat(FormatId id) {
  for (const OutputFormat& f : kFormats) {
    if (f.id == id) return f;
  }
  return kFormats[0];  // unreachable: every id has a row (formats_test checks)
}

const OutputFormat* FindFormatByName(std::string_view name) {
  for (const OutputFormat& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace dateline
