// ninjs (IPTC's JSON news format) in and out, one item per line.
//
// ArticleToNinjs maps one story to one ninjs 3.x item (schema 3.3); the
// REST API serves it for ?format=ninjs and ExportNinjs writes one per line
// (stories ordered by id), so both give the same item:
//   uri            base_url + the story's permalink
//   type "text"
//   version        the store's save counter as a string ("3"); absent when 0
//                  (a story never saved)
//   slugline       the URL slug; language (absent when empty)
//   firstCreated   published_at; versionCreated: updated_at, else
//                  published_at, else modified_at (RFC 3339, site zone)
//   pubStatus      "usable" (published, scheduled), "withheld" (draft,
//                  review) or "canceled" (unpublished)
//   headlines      [{role "main", value}, {role "subhead", value: dek}]
//   bodies         [{role "main", contentType "text/html", charCount,
//                  wordCount, value: sanitized HTML}]; the counts are of the
//                  text a reader sees (HtmlToText): Unicode code points, and
//                  words as CountWords counts them (text/excerpt.h)
//   descriptions   [{role "summary", contentType "text/plain", value: excerpt}]
//   by             the authors joined ("A, B and C"); people: [{name, rel "author"}]
//   located        the dateline
//   subjects       the section {name: section_name (the slug when empty),
//                  uri "dateline:section/SLUG", rel "section"}, then every tag {name}
//   associations   the lead image: [{name "featuremedia", uri: its URL,
//                  type "picture", renditions [{name "original", href,
//                  contentType when the file extension is a known image type}],
//                  descriptions [{role "caption"}, {role "alt"}], by: credit}]
// Empty optional fields are left out. ArticleToNinjs never fails and does
// no I/O; ExportNinjs fails only when the store or the stream does.
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
// withheld -> draft; canceled -> unpublished); the lead image from
// associations, either the 1.x/2.x object keyed by name (featuremedia, else
// featureimage) or the 3.x array (the element named featuremedia, else
// featureimage, else the first of type "picture"), or else from the item's
// own renditions (an object by name or an array; the
// "original"/"baseImage"/"viewImage" or first image one); slugline -> slug
// for new stories. Bodies pass SanitizeHtml. version, type, charCount and
// wordCount are not read. A field of another JSON type than expected never
// throws: text reads as empty (so a time or a required field is a problem).
//
// Items are matched by uri through the store's external ids ("ninjs", uri),
// remembering the versionCreated last applied: a newer one updates the same
// story (a wire correction; its slug is kept), the same or an older one is
// ignored. Import is one transaction: every problem is reported as
// "line N: field \"F\": reason" (up to 20) and then nothing is written.
// Export -> import into an empty site (same clock second, for drafts'
// versionCreated) -> export gives the same bytes, except `version`, which
// counts saves in the importing store (1 after the import).
// Stateless; thread-safe as far as the store is.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

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

nlohmann::ordered_json ArticleToNinjs(const Article& a, const SiteSettings& site,
                                      std::string_view section_name);

Status ExportNinjs(Store& store, const NinjsExportOptions& options, std::ostream& out);

Result<NinjsImportReport> ImportNinjs(std::istream& in, Store& store,
                                      const NinjsImportOptions& options);

}  // namespace dateline
