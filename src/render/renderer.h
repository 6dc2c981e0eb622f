// Renderer: turns a page's view model (JSON data from site/) into bytes
// with the theme's Mustache templates.
//
// {{name}} is escaped with EscapeHtml; {{{name}}} is raw and used only for
// HTML the text layer has already sanitized (article bodies). Templates
// include the theme's partials by name ({{> header}}). The model
// gains `assets` (hashed URLs keyed by file name with '.' -> '_', e.g.
// assets.style_css). A missing template is an Internal error naming it.
// Thread-safe: Render() keeps no state between calls.
#pragma once

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "render/theme.h"

namespace dateline {

// JSON -> Mustache data, as every template in the project sees it: empty
// strings and empty arrays are falsy, numbers are their JSON text. (The
// reader theme's Renderer and the newsroom's admin pages both use it.)
kainjow::mustache::data MustacheData(const nlohmann::json& j);

class Renderer {
 public:
  explicit Renderer(const Theme& theme) : theme_(theme) {}
  Result<std::string> Render(std::string_view template_name, const nlohmann::json& model) const;

 private:
  const Theme& theme_;
};

}  // namespace dateline
