#include "app/web.h"

#include <charconv>

#include "base/fs.h"
#include "http/conditional.h"
#include "http/http_date.h"
#include "site/metadata.h"

namespace dateline {

namespace {

// Media paths are one or more plain file-name segments: no "..", no
// hidden files, nothing that could step outside the media folder.
bool SafeMediaPath(std::string_view rel) {
  if (rel.empty() || rel.size() > 512) return false;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    std::string_view seg = rel.substr(start, end - start);
    if (seg.empty() || seg.front() == '.') return false;
    for (char c : seg) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

SearchParams SearchParamsOf(const http::Request& req) {
  SearchParams p;
  p.q = req.QueryParam("q");
  p.section = req.QueryParam("section");
  p.tag = req.QueryParam("tag");
  p.author = req.QueryParam("author");
  p.from = req.QueryParam("from");
  p.to = req.QueryParam("to");
  p.sort = req.QueryParam("sort") == "newest" ? "newest" : "";
  std::string page = req.QueryParam("page");
  int n = 1;
  auto [ptr, ec] = std::from_chars(page.data(), page.data() + page.size(), n);
  p.page = (ec == std::errc() && ptr == page.data() + page.size() && n > 0) ? n : 1;
  return p;
}

}  // namespace

// Whether Handle answers `req` from the render cache: everything but the
// routes it answers before the cache (media files, search, WordPress's
// plain links). Web::Cached asks the same question.
bool Web::ByPath(const http::Request& req) {
  std::string_view path = req.path;
  if (path.rfind("/media/", 0) == 0 || path == "/search/" || path == "/search" ||
      path == "/api/search") {
    return false;
  }
  return !(path == "/" && (!req.QueryParam("p").empty() || !req.QueryParam("page_id").empty()));
}

http::Response Web::Handle(const http::Request& req) {
  if (req.method != "GET" && req.method != "HEAD") {
    http::Response r = http::Response::Text(405, "Method not allowed\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  std::string_view path = req.path;
  if (!ByPath(req)) {
    if (path.rfind("/media/", 0) == 0) return Media(path.substr(7));
    if (path == "/search/" || path == "/search") {
      http::Response r = PageResponse(site_.SearchPage(SearchParamsOf(req)));
      r.headers.emplace_back("X-Robots-Tag", "noindex");
      return r;
    }
    if (path == "/api/search") {
      int status = 200;
      nlohmann::json body = site_.SearchApi(SearchParamsOf(req), &status);
      http::Response r;
      r.status = status;
      r.content_type = "application/json";
      r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      r.headers.emplace_back("Cache-Control", "public, max-age=60");
      return r;
    }
    // WordPress's plain links ("/?p=123", "/?page_id=7"), kept by imports
    // in the redirects table, answer with their 301.
    for (const char* key : {"p", "page_id"}) {
      std::string id = req.QueryParam(key);
      if (id.empty()) continue;
      if (auto to = site_.store().GetRedirect("/?" + std::string(key) + "=" + id)) {
        return http::Response::Redirect(301, *to);
      }
    }
  }
  // Everything else depends only on the path: served from the render cache.
  if (cache_ == nullptr) {
    http::ResponseCache::Rendered r = Render(path);
    std::optional<Seconds> last_modified;
    for (const auto& [name, value] : r.response.headers) {
      if (name == "Last-Modified") last_modified = http::ParseHttpDate(value);
    }
    http::ApplyConditionalGet(req, r.response, last_modified);
    return r.response;
  }
  return cache_->Serve(req, std::string(path), [&] { return Render(path); });
}

std::optional<http::Response> Web::Cached(const http::Request& req) {
  if (cache_ == nullptr || (req.method != "GET" && req.method != "HEAD") || !ByPath(req)) {
    return std::nullopt;
  }
  return cache_->Lookup(req, req.path);
}

namespace {

// The "id" of `j` when it is a story item (an object with a "url").
void CollectId(const nlohmann::json& j, std::vector<std::string>& tags) {
  auto id = j.find("id");
  if (id != j.end() && id->is_number_integer() && j.contains("url")) {
    tags.push_back("a:" + std::to_string(id->get<std::int64_t>()));
  }
}

// Every article id a view model shows: the "id" of each story item in the
// model, and of each shared card its stand-ins name (a card is one story
// item, its id at its top: Site::Items).
void CollectIds(const nlohmann::json& j, std::vector<std::string>& tags) {
  if (!j.is_structured()) return;  // (a scalar iterates as itself)
  if (j.is_object()) CollectId(j, tags);
  for (const auto& child : j) {
    if (child.is_structured()) CollectIds(child, tags);
  }
}

void CollectIds(const Page& page, std::vector<std::string>& tags) {
  CollectIds(page.model, tags);  // a stand-in has no "id": passed over
  for (const auto& card : page.shared) CollectId(card->json, tags);
}

}  // namespace

http::ResponseCache::Rendered Web::Render(std::string_view path) {
  http::ResponseCache::Rendered out;
  if (path.rfind("/assets/", 0) == 0) {
    const Asset* asset = theme_.FindAsset(path);
    if (asset == nullptr) {
      out.response = PageResponse(site_.NotFound());
      return out;
    }
    out.response.content_type = asset->content_type;
    out.response.body = asset->body;
    out.response.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    out.cacheable = true;
    out.tags = {"static"};
    return out;
  }
  // The page's reads, twenty-odd queries, see one state of the store and
  // open one read transaction between them.
  const auto reads = site_.store().BeginReads();
  if (auto file = syndication_.Serve(path)) {
    if (file->status == 404) {
      out.response = PageResponse(site_.NotFound());
      return out;
    }
    out.response.content_type = std::string(FindFormat(file->format).media_type);
    out.response.body = std::move(file->body);
    out.response.headers.emplace_back("Cache-Control", kPageCacheControl);
    out.response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (file->last_modified) {
      out.response.headers.emplace_back("Last-Modified", http::FormatHttpDate(*file->last_modified));
    }
    out.cacheable = true;
    out.tags = {"list", "feeds"};
    return out;
  }
  Page page = site_.Resolve(path);
  out.cacheable = page.status == 200;
  out.tags = {"list"};
  // The tags say which changes make the cache drop the page; with no cache
  // (cache_mb = 0, the static build) nothing reads them.
  if (cache_ != nullptr) CollectIds(page, out.tags);
  out.response = PageResponse(std::move(page));
  return out;
}

http::Response Web::Media(std::string_view rel) {
  if (!SafeMediaPath(rel)) return PageResponse(site_.NotFound());
  std::filesystem::path file = media_dir_ / std::string(rel);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return PageResponse(site_.NotFound());
  }
  auto body = ReadFile(file);
  if (!body) throw std::runtime_error(body.error().ToString());
  http::Response r;
  r.content_type = std::string(MediaTypeForFile(rel));
  r.body = std::move(*body);
  r.headers.emplace_back("Cache-Control", "public, max-age=86400");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

http::Response Web::PageResponse(Page page) {
  if (page.status == 301) return http::Response::Redirect(301, page.location);
  nlohmann::json model = std::move(page.model);
  AddPageMetadata(model,
                  {page.template_name, logo_url_,
                   syndication_.FeedLinks(model.value("page", nlohmann::json::object())
                                              .value("path", std::string("/"))),
                   &page.shared},
                  site_.settings());
  auto html = renderer_.Render(page.template_name, std::move(model), page.shared);
  if (!html) throw std::runtime_error(html.error().ToString());
  http::Response r;
  r.status = page.status;
  r.body = std::move(*html);
  r.headers.emplace_back("Cache-Control", page.status == 200 ? kPageCacheControl : "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

http::Response Web::Preview(const Article& a) {
  http::Response r = PageResponse(site_.PreviewPage(a));
  for (auto& [name, value] : r.headers) {
    if (name == "Cache-Control") value = "no-store";
  }
  r.headers.emplace_back("X-Robots-Tag", "noindex");
  return r;
}

std::string Web::LogoUrl(const SiteSettings& settings, const Theme& theme) {
  std::string logo = settings.logo.empty() ? theme.AssetUrl("logo.svg") : settings.logo;
  if (logo.empty() || logo.starts_with("http://") || logo.starts_with("https://")) return logo;
  return settings.base_url + logo;
}


}  // namespace dateline
