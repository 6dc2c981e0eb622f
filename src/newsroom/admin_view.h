// AdminView: the admin pages' templates and assets, compiled into the
// binary from src/newsroom/admin_theme/ (embedded::AdminTheme()).
//
// Templates are Mustache (kainjow), `NAME.mustache` at the top level,
// partials under `partials/` ({{> head}}), rendered with {{x}} escaped by
// EscapeHtml; the model gains `assets` (hashed URLs by file name with '.'
// -> '_': assets.admin_css). Assets under `assets/` are served at
// /admin/assets/<name>.<hash>.<ext> so a browser may cache them for good.
// A missing or broken template is an Internal error naming it. Immutable
// after construction: safe to share between threads.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "base/embedded.h"
#include "base/status.h"

namespace dateline::embedded {
std::span<const File> AdminTheme();  // src/newsroom/admin_theme/ (generated)
}  // namespace dateline::embedded

namespace dateline::newsroom {

class AdminView {
 public:
  struct Asset {
    std::string url;  // "/admin/assets/admin.1a2b3c4d.css"
    std::string content_type;
    std::string_view body;
  };

  // Loads the embedded admin theme.
  AdminView();

  Result<std::string> Render(std::string_view template_name, const nlohmann::json& model) const;
  // By hashed URL, or nullptr.
  const Asset* FindAsset(std::string_view url) const;

 private:
  std::map<std::string, std::string, std::less<>> templates_;
  std::map<std::string, std::string, std::less<>> partials_;
  std::map<std::string, Asset, std::less<>> assets_by_url_;
  nlohmann::json asset_urls_;  // {"admin_css": "/admin/assets/admin.x.css", ...}
};

}  // namespace dateline::newsroom
