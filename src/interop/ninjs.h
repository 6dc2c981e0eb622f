// ninjs (IPTC's JSON news format) in and out, one item per line.
//
// ExportNinjs writes every story (ordered by id) as a ninjs 3.0 item:
//   uri            base_url + the story's permalink
//   type "text", slugline (the URL slug), language
//   firstCreated   published_at; versionCreated: updated_at, else
//                  published_at, else modified_at (RFC 3339, site zone)
//   pubStatus      "usable" (published, scheduled) or "withheld"
//   headlines      [{role "main", value}, {role "subhead", value: dek}]
//   bodies         [{role "main", contentType "text/html", value: sanitized HTML}]
//   descriptions   [{role "summary", contentType "text/plain", value: excerpt}]
//   by             the authors joined ("A, B and C"); people: [{name, rel "author"}]
//   located        the dateline
//   subjects       the section {name, uri "dateline:section/SLUG", rel "section"},
//                  then every tag {name}
//   associations.featuremedia  the lead image: type "picture", renditions
//                  [{name "original", href}], descriptions caption/alt, by: credit
//
// ImportNinjs reads ninjs 1.x, 2.x and 3.x items, one JSON object per line:
// uri (required); versionCreated|versioncreated, firstCreated|firstcreated;
// headlines (role main, subhead) or headline; bodies (text/html preferred,
// text/plain made into paragraphs) or body_html or body_text; descriptions
// (role summary) or description_text -> excerpt; people (rel author), by or
// byline ("By A and B" split on ",", " and ") -> authors; subjects or subject
// (rel "section" or a dateline:section/ uri -> section, others -> tags);
// located or place[0].name -> dateline; language; pubStatus|pubstatus
// (usable -> published, or scheduled when firstCreated is in the future;
// withheld and canceled -> draft); the lead image from
// associations.featuremedia or the item's own renditions (an object by name
// or an array; the "original"/"baseImage"/"viewImage" or first image one);
// slugline -> slug for new stories. Bodies pass SanitizeHtml.
//
// Items are matched by uri through the store's external ids ("ninjs", uri),
// remembering the versionCreated last applied: a newer one updates the same
// story (a wire correction; its slug is kept), the same or an older one is
// ignored. Import is one transaction: every problem is reported as
// "line N: field \"F\": reason" (up to 20) and then nothing is written.
// Export -> import into an empty site -> export gives the same bytes.
// Stateless; thread-safe as far as the store is.
#pragma once

#include <iosfwd>
#include <string>

#include "base/status.h"
#include "core/settings.h"
#include "store/store.h"

namespace dateline {

struct NinjsExportOptions {
  SiteSettings site;  // base_url, permalink, zone, iframe_hosts
};

struct NinjsImportOptions {
  std::string default_language = "en";
  SiteSettings site;  // zone for times, iframe_hosts for bodies
  Seconds now = 0;    // decides published vs scheduled
  std::size_t max_errors = 20;
};

struct NinjsImportReport {
  int items = 0;
  int inserted = 0;
  int updated = 0;
  int ignored = 0;  // same or older versionCreated than already imported
};

Status ExportNinjs(Store& store, const NinjsExportOptions& options, std::ostream& out);

Result<NinjsImportReport> ImportNinjs(std::istream& in, Store& store,
                                      const NinjsImportOptions& options);

}  // namespace dateline
