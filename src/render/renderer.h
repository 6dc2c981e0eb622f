// Renderer: turns a page's view model (JSON data from site/) into bytes
// with the theme's Mustache templates.
//
// {{name}} is escaped with EscapeHtml; {{{name}}} is raw and used only for
// HTML the text layer has already sanitized (article bodies). Templates
// include the theme's partials by name ({{> header}}). The model
// gains `assets` (hashed URLs keyed by file name with '.' -> '_', e.g.
// assets.style_css). A missing template is an Internal error naming it.
// Partials are written into the templates that include them when a
// template is first used (kainjow's mustache parses a partial again at
// every {{> name}} it renders: 24 parses per story page). A template or
// partial that changes delimiters ({{=...=}}) or holds a comment ({{! }}),
// and a partial that includes itself, is left to the run-time partial.
// Thread-safe. Parsed templates are kept for reuse (a template is parsed
// once per thread that renders it at the same time, not once per page) in
// a mutex-guarded pool; a parsed template holds no state between renders.
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "render/theme.h"

namespace dateline {

// JSON -> Mustache data, as every template in the project sees it: empty
// strings and empty arrays are falsy, numbers are their JSON text. (The
// reader theme's Renderer and the newsroom's admin pages both use it.)
kainjow::mustache::data MustacheData(const nlohmann::json& j);

// Subtrees a view model shares with other pages instead of holding copies
// of them (the cards of listed stories, kept per store generation): an
// object {"$shared": i} in a model stands for trees[i]. Each tree is kept
// as JSON and, made once, as Mustache data, which the Renderer reads in
// place; anything else that reads a model goes through SharedTree, or
// makes the model whole with ExpandShared.
struct SharedJson {
  explicit SharedJson(nlohmann::json j);
  nlohmann::json json;
  kainjow::mustache::data data;  // MustacheData(json)
};
using SharedTrees = std::vector<std::shared_ptr<const SharedJson>>;
inline constexpr std::string_view kSharedKey = "$shared";
// A stand-in for trees[index].
nlohmann::json SharedStandIn(std::size_t index);
// The tree `j` stands for, or `j` itself when it stands for none.
const nlohmann::json& SharedTree(const nlohmann::json& j, const SharedTrees& trees);
// `model` with every stand-in replaced by a copy of its tree.
nlohmann::json ExpandShared(nlohmann::json model, const SharedTrees& trees);

class LazyModel;

class Renderer {
 public:
  explicit Renderer(const Theme& theme);
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  Result<std::string> Render(std::string_view template_name, const nlohmann::json& model,
                             const SharedTrees& shared = {}) const;
  // The same, using up `model` (its strings move into the template's data).
  Result<std::string> Render(std::string_view template_name, nlohmann::json&& model,
                             const SharedTrees& shared = {}) const;

 private:
  // `model` made into Mustache data as the template asks for it.
  Result<std::string> RenderData(std::string_view template_name, LazyModel& model) const;
  using Parsed = std::unique_ptr<kainjow::mustache::mustache>;
  // The source of `template_name` with its partials written in, or null.
  const std::string* Source(std::string_view template_name) const;
  // A parsed copy of `source` from the pool, or a new one.
  Parsed Take(const std::string& source) const;
  void Give(const std::string& source, Parsed tmpl) const;

  const Theme& theme_;
  // What every page sees besides its model: "assets" and the partials.
  // A render looks names up here before the model (as when they were
  // set into each page's data, which took a copy of them per page).
  kainjow::mustache::data base_{kainjow::mustache::data::type::object};
  mutable std::mutex mu_;
  // Sources with partials written in, by template name (made on first use).
  mutable std::map<std::string, std::string, std::less<>> sources_;
  // Idle parsed templates by the address of their source in sources_.
  mutable std::map<const std::string*, std::vector<Parsed>> pool_;
};

}  // namespace dateline
