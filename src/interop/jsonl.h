// JSON Lines bulk import and export: one article per line, UTF-8.
//
// Field names (exactly): slug, headline, dek, dateline, body, body_format,
// excerpt, section, tags, authors, status, published_at, updated_at,
// language, lead_image {url, alt, caption, credit}, related_pins, featured,
// seo_title (at most 200 bytes), seo_description (at most 500 bytes).
// headline and body are required; unknown fields are errors.
//
// Import is one store transaction. Every problem is reported as
// "line N: field \"F\": reason" and then nothing at all is written. An
// article whose slug already exists is updated, so importing a file twice
// changes nothing. A missing slug is made from the headline (unique).
// Export writes every article ordered by id, keys in the order above,
// times in the site's zone; export -> import into an empty site -> export
// gives the same bytes. Neither function keeps state; both are safe to call
// from any thread the store allows.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "core/time_zone.h"
#include "store/store.h"

namespace dateline {

struct JsonlImportOptions {
  std::string default_language = "en";
  TimeZone zone = TimeZone::Utc();
  Seconds now = 0;               // publish time for "published" lines without one
  std::size_t max_errors = 20;  // stop collecting after this many
};

struct JsonlImportReport {
  int lines = 0;
  int inserted = 0;
  int updated = 0;
};

// On failure the Status message lists the problems, one per line.
Result<JsonlImportReport> ImportJsonl(std::istream& in, Store& store,
                                      const JsonlImportOptions& options);

Status ExportJsonl(Store& store, const TimeZone& zone, std::ostream& out);

// One article as a JSON object with the bulk format's keys, in its order
// (what each export line holds; the REST API and revisions use it too).
nlohmann::ordered_json ArticleToJson(const Article& a, const TimeZone& zone);

// A problem with one field of a JSON article: {"headline", "required"}.
struct FieldProblem {
  std::string field;
  std::string reason;
};

// Reads one JSON object in the bulk format into `out`. Returns every
// problem found (empty when the object is valid). Applies the import's
// defaults: status published, missing language -> default_language, a
// published story without a time -> options.now.
std::vector<FieldProblem> ArticleFromJson(const nlohmann::json& obj,
                                          const JsonlImportOptions& options, Article& out);

}  // namespace dateline
