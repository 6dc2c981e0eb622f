#include "render/theme.h"

#include <kainjow/mustache.hpp>
#include <zlib.h>

#include <array>
#include <cstdio>

#include "base/embedded.h"
#include "base/fs.h"

namespace dateline {

namespace {

constexpr std::string_view kTemplateExt = ".mustache";
constexpr std::string_view kAssetDir = "assets/";
constexpr std::string_view kPartialDir = "partials/";

std::string HashName(std::string_view name, std::string_view body) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08lx", crc & 0xffffffffUL);
  std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "/assets/" + std::string(name) + "." + hex;
  return "/assets/" + std::string(name.substr(0, dot)) + "." + hex + std::string(name.substr(dot));
}

}  // namespace

std::string_view MediaTypeForFile(std::string_view filename) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr std::array<Entry, 12> kTypes = {{
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".json", "application/json"},
  }};
  for (const Entry& e : kTypes) {
    if (filename.size() >= e.ext.size() &&
        filename.substr(filename.size() - e.ext.size()) == e.ext) {
      return e.type;
    }
  }
  return "application/octet-stream";
}

Result<Theme> Theme::Load(const std::optional<std::filesystem::path>& dir) {
  std::map<std::string, std::string> files;
  for (const embedded::File& f : embedded::DefaultTheme()) {
    files[std::string(f.path)] = std::string(f.data);
  }
  if (dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec)) {
      return Fail(Status::InvalidArgument("theme folder " + dir->string() + " does not exist"));
    }
    for (auto it = std::filesystem::recursive_directory_iterator(*dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      auto body = ReadFile(it->path());
      if (!body) return Fail(body.error());
      files[std::filesystem::relative(it->path(), *dir).generic_string()] = std::move(*body);
    }
    if (ec) return Fail(Status::IOError("cannot read theme folder " + dir->string()));
  }
  Theme theme;
  for (auto& [path, body] : files) {
    bool is_template = path.size() > kTemplateExt.size() &&
                       path.substr(path.size() - kTemplateExt.size()) == kTemplateExt;
    if (is_template) {
      kainjow::mustache::mustache check(body);
      if (!check.is_valid()) {
        return Fail(Status::InvalidArgument("theme template " + path + ": " +
                                            check.error_message()));
      }
      std::string name = path.substr(0, path.size() - kTemplateExt.size());
      if (name.rfind(kPartialDir, 0) == 0) {
        theme.partials_[name.substr(kPartialDir.size())] = body;
      } else if (name.find('/') == std::string::npos) {
        theme.templates_[name] = body;
      }
    } else if (path.rfind(kAssetDir, 0) == 0) {
      std::string name = path.substr(kAssetDir.size());
      Asset asset{HashName(name, body), std::string(MediaTypeForFile(name)), body};
      theme.by_url_[asset.url] = name;
      theme.assets_[name] = std::move(asset);
    }
  }
  return theme;
}

const std::string* Theme::Template(std::string_view name) const {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

const Asset* Theme::FindAsset(std::string_view url) const {
  auto it = by_url_.find(url);
  if (it == by_url_.end()) return nullptr;
  return &assets_.find(it->second)->second;
}

std::string Theme::AssetUrl(std::string_view name) const {
  auto it = assets_.find(name);
  return it == assets_.end() ? "" : it->second.url;
}

}  // namespace dateline
