#include "newsroom/api.h"

#include <charconv>
#include <variant>

#include "interop/ninjs.h"
#include "newsroom/admin_util.h"

namespace dateline::newsroom {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using admin::IntParam;
using admin::ParseId;

http::Response JsonResponse(int status, const ordered_json& body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

// The bearer token of a request, or "".
std::string BearerToken(const http::Request& req) {
  const std::string* h = req.Header("authorization");
  if (h == nullptr) return "";
  std::string_view v = *h;
  if (v.size() < 7) return "";
  std::string scheme(v.substr(0, 7));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return "";
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return std::string(v);
}

// The request body as JSON, or an error response.
std::variant<json, http::Response> BodyJson(const http::Request& req) {
  const std::string* type = req.Header("content-type");
  if (type != nullptr && type->find("json") == std::string::npos) {
    return ApiError(415, "unsupported_media_type", "send the story as application/json");
  }
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return ApiError(400, "bad_json", "the request body is not valid JSON");
  }
  if (!body.is_object()) return ApiError(400, "bad_json", "the request body must be a JSON object");
  return body;
}

http::Response MethodNotAllowed(std::string_view allow) {
  http::Response r = ApiError(405, "method_not_allowed", "allowed: " + std::string(allow));
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

}  // namespace

http::Response ApiError(int status, std::string_view code, std::string_view message,
                        std::string_view field) {
  ordered_json err;
  err["code"] = code;
  err["message"] = message;
  err["field"] = field.empty() ? json(nullptr) : json(field);
  ordered_json body;
  body["error"] = err;
  return JsonResponse(status, body);
}

http::Response ApiError(const Status& s) {
  std::string field = FieldOf(s);
  switch (s.code()) {
    case Status::Code::kInvalidArgument: return ApiError(422, "invalid", s.message(), field);
    case Status::Code::kPermissionDenied: return ApiError(403, "forbidden", s.message(), field);
    case Status::Code::kNotFound: return ApiError(404, "not_found", s.message(), field);
    case Status::Code::kConflict: return ApiError(409, "conflict", s.message(), field);
    case Status::Code::kUnavailable: return ApiError(503, "unavailable", s.message(), field);
    default: return ApiError(500, "internal", s.message(), field);
  }
}

ordered_json Api::StoryJson(const Article& a) const {
  ordered_json j = stories_.ToJson(a);
  j["url"] = settings_.base_url + settings_.permalink.Build(a, settings_.zone);
  return j;
}

http::Response Api::Handle(const http::Request& req) {
  std::string token = BearerToken(req);
  if (token.empty()) {
    http::Response r = ApiError(401, "unauthorized", "send Authorization: Bearer <token>");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dateline\"");
    return r;
  }
  auto who = accounts_.FromApiToken(token);
  if (!who) {
    if (!who.error().IsNotFound()) return ApiError(who.error());
    http::Response r = ApiError(401, "unauthorized", "the token is unknown or revoked");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dateline\", error=\"invalid_token\"");
    return r;
  }
  const User& user = who->user;
  std::string_view path = req.path;
  constexpr std::string_view kRoot = "/api/v1/";
  std::string_view rest = path.substr(std::min(path.size(), kRoot.size()));
  if (rest == "me") {
    if (req.method != "GET" && req.method != "HEAD") return MethodNotAllowed("GET, HEAD");
    ordered_json j;
    j["id"] = user.id;
    j["email"] = user.email;
    j["name"] = user.name;
    j["role"] = RoleName(user.role);
    return JsonResponse(200, j);
  }
  if (rest == "stories" || rest == "stories/") return Stories(req, user);
  if (rest.starts_with("stories/")) {
    rest.remove_prefix(8);
    std::size_t slash = rest.find('/');
    auto id = ParseId(rest.substr(0, slash));
    if (!id) return ApiError(404, "not_found", "no such story");
    std::string_view sub = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    return Story(req, user, *id, sub);
  }
  return ApiError(404, "not_found", "no such API resource: " + std::string(path));
}

http::Response Api::Stories(const http::Request& req, const User& user) {
  if (req.method == "POST") {
    auto body = BodyJson(req);
    if (auto* err = std::get_if<http::Response>(&body)) return *err;
    auto created = stories_.Create(user, std::get<json>(body));
    if (!created) return ApiError(created.error());
    http::Response r = JsonResponse(201, StoryJson(*created));
    r.headers.emplace_back("Location", "/api/v1/stories/" + std::to_string(created->id));
    return r;
  }
  if (req.method != "GET" && req.method != "HEAD") return MethodNotAllowed("GET, HEAD, POST");
  ArticleQuery q;
  if (std::string s = req.QueryParam("status"); !s.empty()) {
    auto st = ParsePublishState(s);
    if (!st) return ApiError(422, "invalid", st.error().message(), "status");
    q.statuses = {*st};
  }
  q.section_slug = req.QueryParam("section");
  q.author_slug = req.QueryParam("author");
  q.headline_contains = req.QueryParam("q");
  std::string sort = req.QueryParam("sort");
  if (sort.empty() || sort == "modified") q.order = ArticleOrder::kModifiedNewest;
  else if (sort == "published") q.order = ArticleOrder::kPublishedNewest;
  else if (sort == "headline") q.order = ArticleOrder::kHeadline;
  else return ApiError(422, "invalid", "sort is modified, published or headline", "sort");
  int per_page = std::min(IntParam(req, "per_page", 20), kMaxPerPage);
  int page = IntParam(req, "page", 1);
  q.limit = per_page;
  q.offset = (page - 1) * per_page;
  auto listed = stories_.List(q);
  if (!listed) return ApiError(listed.error());
  ordered_json out;
  out["stories"] = ordered_json::array();
  for (const Article& a : listed->stories) out["stories"].push_back(StoryJson(a));
  out["total"] = listed->total;
  out["page"] = page;
  out["per_page"] = per_page;
  (void)user;  // every staff member may read the story list
  return JsonResponse(200, out);
}

http::Response Api::Story(const http::Request& req, const User& user, std::int64_t id,
                          std::string_view rest) {
  if (rest == "revisions") {
    if (req.method != "GET" && req.method != "HEAD") return MethodNotAllowed("GET, HEAD");
    auto a = stories_.Get(id);
    if (!a) return ApiError(a.error());
    auto revisions = store_.ListRevisions(id);
    if (!revisions) return ApiError(revisions.error());
    ordered_json out = ordered_json::array();
    for (const Revision& r : *revisions) {
      ordered_json j;
      j["id"] = r.id;
      j["user_id"] = r.user_id;
      j["at"] = FormatRfc3339(r.at, settings_.zone);
      j["note"] = r.note;
      j["content"] = ordered_json::parse(r.content, nullptr, false);
      out.push_back(j);
    }
    return JsonResponse(200, ordered_json{{"revisions", out}});
  }
  if (rest == "corrections") {
    if (req.method == "POST") {
      auto body = BodyJson(req);
      if (auto* err = std::get_if<http::Response>(&body)) return *err;
      const json& b = std::get<json>(body);
      auto note = b.find("note");
      if (note == b.end() || !note->is_string()) {
        return ApiError(422, "invalid", "field \"note\": required (a string)", "note");
      }
      auto c = stories_.Correct(user, id, note->get<std::string>());
      if (!c) return ApiError(c.error());
      ordered_json j;
      j["id"] = c->id;
      j["story_id"] = c->article_id;
      j["at"] = FormatRfc3339(c->at, settings_.zone);
      j["note"] = c->note;
      return JsonResponse(201, j);
    }
    if (req.method != "GET" && req.method != "HEAD") return MethodNotAllowed("GET, HEAD, POST");
    auto list = store_.ListCorrections(id);
    if (!list) return ApiError(list.error());
    ordered_json out = ordered_json::array();
    for (const Correction& c : *list) {
      out.push_back({{"id", c.id}, {"at", FormatRfc3339(c.at, settings_.zone)}, {"note", c.note}});
    }
    return JsonResponse(200, ordered_json{{"corrections", out}});
  }
  if (!rest.empty()) return ApiError(404, "not_found", "no such API resource");

  if (req.method == "GET" || req.method == "HEAD") {
    auto a = stories_.Get(id);
    if (!a) return ApiError(a.error());
    std::string format = req.QueryParam("format");
    if (format == "ninjs") {
      std::string section_name;
      if (!a->section.empty()) {
        auto sec = store_.GetSection(a->section);
        section_name = sec ? sec->name : a->section;
      }
      http::Response r = JsonResponse(200, ArticleToNinjs(*a, settings_, section_name));
      r.content_type = "application/ninjs+json";
      return r;
    }
    if (!format.empty() && format != "json") {
      return ApiError(422, "invalid", "format is json or ninjs", "format");
    }
    http::Response r = JsonResponse(200, StoryJson(*a));
    r.headers.emplace_back("ETag", "\"" + std::to_string(a->version) + "\"");
    return r;
  }
  if (req.method == "PATCH") {
    auto body = BodyJson(req);
    if (auto* err = std::get_if<http::Response>(&body)) return *err;
    std::optional<std::int64_t> expected;
    if (const std::string* match = req.Header("if-match")) {
      std::string v = *match;
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      expected = ParseId(v);
      if (!expected) return ApiError(400, "bad_request", "If-Match must be a story version");
    }
    auto updated = stories_.Update(user, id, std::get<json>(body), expected);
    if (!updated) return ApiError(updated.error());
    http::Response r = JsonResponse(200, StoryJson(*updated));
    r.headers.emplace_back("ETag", "\"" + std::to_string(updated->version) + "\"");
    return r;
  }
  if (req.method == "DELETE") {
    Status s = stories_.Delete(user, id);
    if (!s.ok()) return ApiError(s);
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
  return MethodNotAllowed("GET, HEAD, PATCH, DELETE");
}

}  // namespace dateline::newsroom
