// Permalinks: where an article lives on the site.
//
// A pattern uses WordPress's structure tags, so a site moving from WordPress
// keeps its URLs: %year% %monthnum% %day% %hour% %minute% %second%
// %postname% %category% %post_id%. The default is "/%year%/%monthnum%/%day%/%postname%/".
// Parse() rejects a pattern without %postname% or not starting with '/'.
// A PermalinkPattern is immutable after Parse and safe to share.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "core/article.h"
#include "core/time_zone.h"

namespace dateline {

struct PermalinkMatch {
  std::string slug;
  int year = -1;  // -1 when the pattern has no such tag
  int month = -1;
  int day = -1;
  std::string section;
  std::int64_t id = -1;
};

class PermalinkPattern {
 public:
  static Result<PermalinkPattern> Parse(std::string_view pattern);
  static constexpr std::string_view kDefault = "/%year%/%monthnum%/%day%/%postname%/";

  // The path of `a` (publish time in `zone`; creation time when unpublished).
  std::string Build(const Article& a, const TimeZone& zone) const;
  // Extracts the tags from `path`; nullopt when the path does not fit.
  std::optional<PermalinkMatch> Match(std::string_view path) const;

  const std::string& pattern() const { return pattern_; }

 private:
  enum class Tag { kYear, kMonth, kDay, kHour, kMinute, kSecond, kPostname, kCategory, kPostId };
  struct Piece {
    bool literal;
    std::string text;
    Tag tag;
  };
  std::string pattern_;
  std::vector<Piece> pieces_;
  std::regex regex_;
};

}  // namespace dateline
