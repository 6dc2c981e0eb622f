// ImportWxr: moves a WordPress site (a WXR export file) into the store.
//
// The file is read twice, streaming (wxr_reader.h), so memory stays bounded
// by one item plus a small index: the first pass checks the whole file is a
// well-formed WXR 1.0-1.2 export and notes authors, categories, attachments
// (URL, caption, alt) and the page tree; the second pass maps each item and
// writes it, all in one Store::Transaction. Any failure (malformed XML with
// its line and column, a store error) rolls everything back: nothing is
// written. With dry_run the same work is done and then rolled back, so the
// report says exactly what an import would do.
//
// Mapping (README "Moving from WordPress" documents it for users):
// - post -> story; page -> static page at its WordPress path (parents' slugs
//   first); attachments give lead images and galleries; other types
//   (nav_menu_item, wp_navigation, custom types) are skipped and counted.
// - status: publish -> published, future -> scheduled, draft -> draft,
//   pending -> review, private -> draft (counted); a password-protected item
//   -> draft (counted); trash, auto-draft and unknown ones are skipped.
// - categories -> sections with their hierarchy; an item's first category
//   (in file order) is its section, further categories become tags after its
//   post_tag tags; dc:creator logins (or Co-Authors Plus "author" terms, in
//   order) -> authors by display name; dates from post_date_gmt, else
//   post_date in the site's zone; updated from post_modified(_gmt); slugs
//   kept (decoded, else made from the title); excerpt:encoded -> excerpt
//   (as text); is_sticky -> featured; _thumbnail_id -> lead image (the
//   attachment's URL, caption and alt); comments counted, not imported.
// - bodies: body_format html through WpBodyToHtml (wxr_mapping.h).
// - old links: a published story's <link> path and "/?p=ID", a page's link
//   path and "/?page_id=ID", answer 301 to the new URL when it differs; so do
//   a story's previous URL when a re-import changes it, and category and
//   author URLs whose slug changed.
// - idempotent: every item is keyed by ("wordpress", "post:SITE#ID") and
//   ("wordpress", "guid:GUID") in the store's external ids, with a
//   fingerprint of what was written; the same item again is "unchanged" and
//   not written; a changed one updates the same story or page.
//
// Not thread-safe with other writers to the same store beyond what the
// store's transaction gives; ImportWxr holds no state between calls.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "core/settings.h"
#include "store/store.h"

namespace dateline {

struct WxrImportOptions {
  SiteSettings site;  // zone, permalink, language, iframe_hosts
  Seconds now = 0;    // publish time for a published item without any date
  bool dry_run = false;
  // Called every 500 items of the second pass and once at its end.
  std::function<void(int done, int total)> progress;
};

struct WxrWriteCounts {
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
};

struct WxrImportReport {
  bool dry_run = false;
  std::string wxr_version;
  std::string source;                             // the blog's URL
  int items = 0;
  std::map<std::string, int> items_by_type;       // wp:post_type ("(none)" when missing)
  std::map<std::string, int> posts_by_status;     // Dateline status of imported stories
  std::map<std::string, int> pages_by_status;
  WxrWriteCounts posts, pages;
  std::map<std::string, int> skipped;             // reason -> count
  int private_as_draft = 0;
  int password_as_draft = 0;
  int comments = 0;
  std::vector<std::string> authors_created;       // display names
  std::vector<std::string> sections_created;      // slugs
  int redirects = 0;
  int embeds = 0;
  std::map<std::string, int> unknown_shortcodes;  // name -> times kept as text
  std::vector<std::string> missing_media;         // "attachment 12 (lead image of post 34)"

  // The human-readable report the command prints.
  std::string ToText() const;
};

Result<WxrImportReport> ImportWxr(const std::string& path, Store& store,
                                  const WxrImportOptions& options);

}  // namespace dateline
