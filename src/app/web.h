// Web: the reader site as one HTTP handler (request in, response out).
//
// Routes /assets/* to the theme's hashed assets (cached for a year),
// /media/* to files in the site's media folder, and every other GET or
// HEAD to Site::Resolve + Renderer. Other methods get 405. Owns nothing
// but references to the parts the app built; thread-safe when they are.
#pragma once

#include <filesystem>

#include "http/message.h"
#include "render/renderer.h"
#include "render/theme.h"
#include "site/site.h"

namespace dateline {

class Web {
 public:
  Web(Site& site, const Theme& theme, std::filesystem::path media_dir)
      : site_(site), theme_(theme), renderer_(theme), media_dir_(std::move(media_dir)) {}

  http::Response Handle(const http::Request& req);

 private:
  http::Response Media(std::string_view path);
  http::Response PageResponse(const Page& page);

  Site& site_;
  const Theme& theme_;
  Renderer renderer_;
  std::filesystem::path media_dir_;
};

}  // namespace dateline
