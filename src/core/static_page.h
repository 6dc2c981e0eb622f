// StaticPage: a page that is not a story ("About us", "Contact",
// "Corrections policy"), served at its own path, as WordPress pages are.
//
// Plain value, no I/O; the store owns persistence (Store::SavePage). A page
// has no section, tags, authors or place in listings, feeds or search. Only
// a published page is served to readers. `path` is the decoded URL path,
// starting and ending with '/' ("/about/", "/about/team/"); it is unique.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "core/article.h"

namespace dateline {

struct StaticPage {
  std::int64_t id = 0;  // 0 until stored
  std::string path;     // "/about/"
  std::string title;
  std::string body;
  BodyFormat body_format = BodyFormat::kHtml;
  PublishState status = PublishState::kPublished;  // readers see only kPublished
  std::optional<Seconds> published_at;
  std::optional<Seconds> updated_at;
  Seconds created_at = 0;   // set by the store
  Seconds modified_at = 0;  // set by the store

  bool operator==(const StaticPage&) const = default;
};

// True when `path` has the shape of a page path: starts and ends with '/',
// at least one segment, no empty, "." or ".." segment, no control bytes.
inline bool IsValidPagePath(std::string_view path) {
  if (path.size() < 3 || path.size() > 1000 || path.front() != '/' || path.back() != '/') {
    return false;
  }
  std::size_t start = 1;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    std::string_view seg = path.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '?' || c == '#') return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace dateline
