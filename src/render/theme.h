// Theme: a reader theme's templates and assets, loaded once at start.
//
// A theme is data: page templates (`NAME.mustache`), partials they include
// (`partials/NAME.mustache`, used as {{> NAME}}) and files under `assets/`. The default
// theme is compiled into the binary; a site may point `theme =` at a folder,
// whose files override the default's one by one. Each asset is served at
// /assets/<name>.<hash>.<ext>, the hash taken from its content, so it can
// be cached for a year and still change the moment the file does.
// Immutable after Load: safe to share between threads.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace dateline {

struct Asset {
  std::string url;  // "/assets/style.3f2a1b9c.css"
  std::string content_type;
  std::string body;
};

class Theme {
 public:
  // The built-in theme, overridden file by file by `dir` when it is set.
  // InvalidArgument names a template that does not parse, and why.
  static Result<Theme> Load(const std::optional<std::filesystem::path>& dir);

  const std::string* Template(std::string_view name) const;
  const std::map<std::string, std::string, std::less<>>& partials() const { return partials_; }
  // By hashed URL (what a request asks for).
  const Asset* FindAsset(std::string_view url) const;
  // "style.css" -> its hashed URL, or "" when the theme has no such asset.
  std::string AssetUrl(std::string_view name) const;
  const std::map<std::string, Asset, std::less<>>& assets() const { return assets_; }

 private:
  std::map<std::string, std::string, std::less<>> templates_;  // name -> source
  std::map<std::string, std::string, std::less<>> partials_;   // name -> source
  std::map<std::string, Asset, std::less<>> assets_;           // logical name -> asset
  std::map<std::string, std::string, std::less<>> by_url_;     // url -> logical name
};

// "text/css; charset=utf-8" for "x.css"; "application/octet-stream" if unknown.
std::string_view MediaTypeForFile(std::string_view filename);

}  // namespace dateline
