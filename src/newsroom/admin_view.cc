#include "newsroom/admin_view.h"

#include <kainjow/mustache.hpp>

#include <cstdio>

#include "base/escape.h"
#include "render/renderer.h"

namespace dateline::newsroom {

namespace {

namespace mu = kainjow::mustache;

constexpr std::string_view kTemplateExt = ".mustache";
constexpr std::string_view kPartialDir = "partials/";
constexpr std::string_view kAssetDir = "assets/";

std::string Fnv1aHex(std::string_view data) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : data) {
    h ^= c;
    h *= 16777619u;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", h);
  return hex;
}

std::string ContentTypeFor(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

}  // namespace

AdminView::AdminView() : asset_urls_(nlohmann::json::object()) {
  for (const embedded::File& f : embedded::AdminTheme()) {
    std::string_view path = f.path;
    if (path.ends_with(kTemplateExt)) {
      std::string name(path.substr(0, path.size() - kTemplateExt.size()));
      if (name.starts_with(kPartialDir)) {
        partials_[name.substr(kPartialDir.size())] = std::string(f.data);
      } else {
        templates_[name] = std::string(f.data);
      }
    } else if (path.starts_with(kAssetDir)) {
      std::string name(path.substr(kAssetDir.size()));
      std::size_t dot = name.rfind('.');
      std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
      std::string ext = dot == std::string::npos ? "" : name.substr(dot);
      Asset asset{"/admin/assets/" + stem + "." + Fnv1aHex(f.data) + ext, ContentTypeFor(name),
                  f.data};
      std::string key = name;
      for (char& c : key) {
        if (c == '.' || c == '-' || c == '/') c = '_';
      }
      asset_urls_[key] = asset.url;
      assets_by_url_[asset.url] = asset;
    }
  }
}

Result<std::string> AdminView::Render(std::string_view template_name,
                                      const nlohmann::json& model) const {
  auto it = templates_.find(template_name);
  if (it == templates_.end()) {
    return Fail(Status::Internal("admin theme has no template \"" + std::string(template_name) +
                                 "\""));
  }
  mu::data data = MustacheData(model);
  data.set("assets", MustacheData(asset_urls_));
  for (const auto& [name, text] : partials_) {
    const std::string* body = &text;
    data.set(name, mu::partial([body]() { return *body; }));
  }
  mu::mustache tmpl(it->second);
  tmpl.set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) {
    return Fail(Status::Internal("admin template \"" + std::string(template_name) +
                                 "\": " + tmpl.error_message()));
  }
  return out;
}

const AdminView::Asset* AdminView::FindAsset(std::string_view url) const {
  auto it = assets_by_url_.find(url);
  return it == assets_by_url_.end() ? nullptr : &it->second;
}

}  // namespace dateline::newsroom
