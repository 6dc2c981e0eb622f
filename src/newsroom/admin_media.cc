// Admin: image uploads. The browser sends the file's raw bytes to
// POST /admin/media?name=FILE; the type is read from the bytes themselves
// (PNG, JPEG, GIF or WebP; the name's extension is ignored), the size is
// at most Admin::kMaxUploadBytes, and the file is written atomically to
// media_dir/uploads/YYYY/MM/<name>-<random>.<ext>, served at /media/....
#include <filesystem>

#include "base/fs.h"
#include "newsroom/admin.h"
#include "newsroom/admin_util.h"

namespace dateline::newsroom {

using nlohmann::json;
using namespace admin;

namespace {

constexpr std::size_t kMaxStem = 60;

// The image type of `data` by its magic bytes: the file extension, or ""
// when it is none of the accepted types.
std::string_view ImageExtension(std::string_view data) {
  if (data.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))) return ".png";
  if (data.starts_with("\xFF\xD8\xFF")) return ".jpg";
  if (data.starts_with("GIF87a") || data.starts_with("GIF89a")) return ".gif";
  if (data.size() >= 12 && data.substr(0, 4) == "RIFF" && data.substr(8, 4) == "WEBP") {
    return ".webp";
  }
  return "";
}

// A file-name stem made of [a-z0-9-] from what the user called the file.
std::string SafeStem(std::string_view name) {
  std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  std::string out;
  for (unsigned char ch : name) {
    char c = static_cast<char>(ch);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok) out.push_back(c);
    else if (!out.empty() && out.back() != '-') out.push_back('-');
    if (out.size() >= kMaxStem) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "image" : out;
}

}  // namespace

http::Response Admin::Upload(const Ctx& c) {
  if (!Allowed(c.user().role, Action::kUploadMedia, true)) {
    return JsonError(403, "A " + std::string(RoleName(c.user().role)) +
                              " may not upload images; ask an editor.");
  }
  const std::string& data = c.req.body;
  if (data.empty()) return JsonError(400, "The upload was empty.");
  if (data.size() > kMaxUploadBytes) {
    return JsonError(413, "The image is larger than 8 MiB; make it smaller and try again.");
  }
  std::string_view ext = ImageExtension(data);
  if (ext.empty()) {
    return JsonError(415, "Only PNG, JPEG, GIF and WebP images can be uploaded.");
  }
  CivilTime now = settings_.zone.ToCivil(clock_.Now());
  char folder[32];
  std::snprintf(folder, sizeof folder, "uploads/%04d/%02u", now.year, now.month);
  std::string stem = SafeStem(c.req.QueryParam("name"));
  std::filesystem::path dir = media_dir_ / folder;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return JsonError(500, "Cannot create the media folder: " + ec.message());
  std::string file;
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string candidate = stem + "-" + RandomToken().substr(0, 10) + std::string(ext);
    if (!std::filesystem::exists(dir / candidate, ec)) {
      file = candidate;
      break;
    }
  }
  if (file.empty()) return JsonError(500, "Cannot find a free file name.");
  Status written = WriteFileAtomic(dir / file, data);
  if (!written.ok()) return JsonError(500, written.message());
  std::string url = "/media/" + std::string(folder) + "/" + file;
  http::Response r = Json(201, {{"url", url}, {"bytes", data.size()}});
  r.headers.emplace_back("Location", url);
  return r;
}

}  // namespace dateline::newsroom
