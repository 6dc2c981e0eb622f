// Feeds: a feed's plain data turned into RSS 2.0, Atom 1.0 or JSON Feed 1.1.
//
// The site layer fills a Feed (absolute URLs, RFC 3339 times already in the
// site's zone, sanitized HTML content); these functions only serialize it.
// Every text goes through EscapeXml (RSS, Atom) or the JSON library (JSON
// Feed), so hostile headlines come out as the same characters, never as
// markup. Items are written in the order given (newest first by contract).
// Pure functions of their input: thread-safe, they never fail.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "render/formats.h"

namespace dateline {

struct FeedPerson {
  std::string name;
  std::string url;  // absolute; may be empty
};

struct FeedItem {
  std::string url;  // absolute permalink; also the item's id/guid
  std::string title;
  std::string summary;       // plain text
  std::string content_html;  // sanitized HTML with absolute URLs
  Seconds published = 0;
  std::string published_iso;  // RFC 3339 with offset
  Seconds modified = 0;
  std::string modified_iso;
  std::vector<FeedPerson> authors;
  std::vector<std::string> categories;  // section name, then tags
  std::string image_url;                // absolute; may be empty
  std::string image_type;               // "image/jpeg"; may be empty
  std::string language;                 // only when it differs from the feed's
};

struct Feed {
  std::string title;
  std::string description;
  std::string home_url;  // the HTML page the feed follows
  std::string self_url;  // this feed's own URL, in this format
  std::string language;  // BCP 47
  std::string site_name;
  std::string icon_url;      // absolute; may be empty
  std::string updated_iso;   // newest change among items (or now if none)
  Seconds updated = 0;
  std::vector<FeedItem> items;
};

std::string RenderRss(const Feed& feed);
std::string RenderAtom(const Feed& feed);
std::string RenderJsonFeed(const Feed& feed);
// Dispatches on the format table's feed rows; "" for a non-feed format.
std::string RenderFeed(FormatId format, const Feed& feed);

// "Tue, 06 May 2025 04:05:00 +0000": RFC 822 (RSS pubDate), in UTC.
std::string FormatRfc822(Seconds t);

}  // namespace dateline
