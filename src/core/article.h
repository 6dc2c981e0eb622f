// The domain model: an article and the things it is filed under.
//
// Plain values with no I/O. The store owns persistence; these structs are
// what every layer passes around. Times are Unix seconds (UTC); the site's
// time zone is applied only when formatting. An Article's `section` is a
// section slug; `tags` and `authors` are display names, kept in order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace dateline {

// Editorial state. Readers see only kPublished (and kScheduled once its
// publish time has passed); see IsVisible(). kUnpublished is a story taken
// down after it was public: hidden everywhere, kept with its history.
// The workflow between them is in core/workflow.h.
enum class PublishState { kDraft, kReview, kScheduled, kPublished, kUnpublished };

std::string_view PublishStateName(PublishState s);  // "draft", "review", ...
Result<PublishState> ParsePublishState(std::string_view name);

enum class BodyFormat { kMarkdown, kHtml };
std::string_view BodyFormatName(BodyFormat f);  // "markdown", "html"
Result<BodyFormat> ParseBodyFormat(std::string_view name);

struct LeadImage {
  std::string url;
  std::string alt;
  std::string caption;
  std::string credit;
  bool operator==(const LeadImage&) const = default;
};

struct Article {
  std::int64_t id = 0;  // 0 until stored
  std::string slug;
  std::string headline;
  std::string dek;
  std::string dateline;  // place line, e.g. "NEW DELHI"
  std::string body;
  BodyFormat body_format = BodyFormat::kMarkdown;
  std::string excerpt;  // hand-written; empty means "derive from body"
  std::string section;  // section slug; may be empty
  std::vector<std::string> tags;     // tag names, in order
  std::vector<std::string> authors;  // author display names, in order
  PublishState status = PublishState::kDraft;
  std::optional<Seconds> published_at;
  std::optional<Seconds> updated_at;
  std::string language;  // BCP 47; empty means the site default
  std::optional<LeadImage> lead_image;
  std::vector<std::string> related_pins;  // slugs, in order
  bool featured = false;
  // Search and social overrides: the page's <title>, og:title and
  // twitter:title, and its meta/og/twitter description. Empty means "use
  // the headline" / "use the dek, else the excerpt". The visible headline
  // and JSON-LD's headline are always `headline`.
  std::string seo_title;        // at most kMaxSeoTitleBytes
  std::string seo_description;  // at most kMaxSeoDescriptionBytes
  std::int64_t owner_id = 0;  // the user who created it; 0 for imported stories
  Seconds created_at = 0;   // set by the store
  Seconds modified_at = 0;  // set by the store
  // Set by the store: 1 after the first save, +1 on every save. A writer
  // that read version N and saves with expected_version N (see Store)
  // gets Conflict when someone else saved in between.
  std::int64_t version = 0;

  bool operator==(const Article&) const = default;
};

// Limits on the SEO overrides, checked where stories come in (the bulk
// format, hence the REST API and the editor). Search results show about
// 60 characters of a title and 160 of a description.
inline constexpr std::size_t kMaxSeoTitleBytes = 200;
inline constexpr std::size_t kMaxSeoDescriptionBytes = 500;

// True when readers may see the article at time `now`: published (or
// scheduled) with a publish time at or before `now`.
bool IsVisible(const Article& a, Seconds now);
// The same, from the two fields it depends on.
bool IsVisible(PublishState status, std::optional<Seconds> published_at, Seconds now);

struct Section {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  int position = 0;           // order on the site's navigation
  std::string parent_slug;    // empty for a top-level section
  bool operator==(const Section&) const = default;
};

struct Tag {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  bool operator==(const Tag&) const = default;
};

struct Author {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string bio;
  bool operator==(const Author&) const = default;
};

// A URL slug: 1-kMaxSlugLength characters of [a-z0-9-], no leading or
// trailing '-'. Every stored slug has this shape.
inline constexpr std::size_t kMaxSlugLength = 200;
bool IsValidSlug(std::string_view s);

// "world-news" -> "World News": the name given to a section created from a slug.
std::string TitleCaseFromSlug(std::string_view slug);

}  // namespace dateline
