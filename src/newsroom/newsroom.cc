#include "newsroom/newsroom.h"

namespace dateline::newsroom {

Newsroom::Newsroom(Store& store, const SiteSettings& settings, const Clock& clock,
                   std::filesystem::path media_dir, PreviewFunction preview)
    : accounts_(store, clock),
      stories_(store, clock, settings.zone, settings.language, settings.permalink),
      api_(accounts_, stories_, store, settings),
      admin_(accounts_, stories_, store, settings, clock, std::move(media_dir), std::move(preview)) {}

bool Newsroom::Owns(std::string_view path) {
  return path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/v1/") ||
         path == "/api/v1";
}

http::Response Newsroom::Handle(const http::Request& req) {
  if (req.path.starts_with("/api/")) {
    if (req.body.size() > kMaxJsonBody) {
      return ApiError(413, "too_large", "the request body is larger than 1 MiB");
    }
    return api_.Handle(req);
  }
  return admin_.Handle(req);
}

}  // namespace dateline::newsroom
