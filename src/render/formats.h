// Formats: the one table of output formats a site emits (DESIGN.md,
// "output formats are data").
//
// Each row names a format, its media type, the file name it is served
// under (a suffix of a listing's path for feeds, a path from the root for
// site-wide files) and the rel it is linked with. Routing, Content-Type
// headers and <link rel="alternate"> discovery all look formats up here;
// no code branches on a format's name to learn these facts. The table is
// a compile-time constant: thread-safe, never fails. Lookups of an unknown
// id cannot happen (the id is an enum); FindFormatByName returns nullptr
// for an unknown name.
#pragma once

#include <span>
#include <string_view>

namespace dateline {

enum class FormatId {
  kHtml,
  kRss,
  kAtom,
  kJsonFeed,
  kSitemapIndex,
  kSitemap,
  kNewsSitemap,
  kRobots,
  kJsonLd,
};

struct OutputFormat {
  FormatId id;
  std::string_view name;        // "rss"
  std::string_view media_type;  // Content-Type sent, with charset for text
  std::string_view link_type;   // type="" in <link> (no parameters)
  std::string_view file_name;   // "feed/", "feed.json", "sitemap.xml"
  std::string_view rel;         // "alternate", "sitemap", ""
  std::string_view label;       // "RSS", shown in link titles
  bool is_feed;                 // one of the syndication feeds
};

// Every format, in table order.
std::span<const OutputFormat> OutputFormats();
const OutputFormat& FindFormat(FormatId id);
const OutputFormat* FindFormatByName(std::string_view name);

}  // namespace dateline
