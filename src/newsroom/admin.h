// Admin: the newsroom's web pages under /admin/, one pure HTTP handler
// (request in, response out; no sockets, no state between requests).
//
//   GET  /admin/login, POST /admin/login     log in (form); POST /admin/logout
//   GET|POST /admin/account                  own password
//   GET  /admin/                             story list: status, section,
//                                            author, q, sort, page
//   GET|POST /admin/stories/new, /admin/stories/ID     the editor; POST's
//                                            "action" picks the workflow step
//   POST /admin/stories/(new|ID)/autosave    JSON; drafts and stories in review
//   GET  /admin/stories/ID/preview           the story as readers will see it
//   POST /admin/stories/ID/corrections       a public correction
//   GET  /admin/stories/ID/revisions         history with diffs;
//   POST /admin/stories/ID/revisions/R/restore
//   POST /admin/preview                      JSON {body, body_format} -> {html}
//   POST /admin/media?name=FILE              raw image bytes -> {url}
//   GET|POST /admin/sections[/SLUG], /admin/authors[/SLUG], GET /admin/tags
//                                            editors and admins
//   GET|POST /admin/users[/ID]               admins
//   GET|POST /admin/tokens, POST /admin/tokens/ID/revoke   own API tokens
//   GET  /admin/assets/NAME.HASH.EXT         the admin CSS and JS
//
// Who: the `dateline_session` cookie (HttpOnly, SameSite=Lax, Path=/,
// Secure on an https site) names a session (Accounts). Without one, a page
// answers 303 to /admin/login?next=PATH and a JSON route 401. Every POST
// carries the session's CSRF token (form field `csrf_token`, or header
// X-CSRF-Token for scripts), compared in constant time; a missing or wrong
// one is refused with 403. The login form has its own double-submit token
// (cookie `dateline_login`). Story actions are judged by Stories (roles
// and workflow, one policy with the REST API); Admin itself checks
// kManageTaxonomy for sections/tags/authors, kManageUsers for users,
// kUploadMedia for uploads and kPreview for previews, and shows only the
// buttons Stories::May allows.
//
// Answers: HTML pages (templates in src/newsroom/admin_theme/, compiled
// in) with Cache-Control: no-store, X-Frame-Options: DENY and a
// Content-Security-Policy allowing only 'self'. Field errors re-render the
// form with everything typed kept and the message next to the field
// (422); a stale save 409; a refused action 403; missing things 404.
// Thread-safe: Handle may run on many threads at once when the Store,
// Accounts and Stories it was given are thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "core/settings.h"
#include "http/message.h"
#include "newsroom/accounts.h"
#include "newsroom/form.h"
#include "newsroom/stories.h"
#include "store/store.h"

namespace dateline::newsroom {

class AdminView;

class Admin {
 public:
  // Renders a story of any status as readers will see it (the app passes
  // Site::PreviewPage rendered with the reader theme); nullopt when it
  // cannot.
  using PreviewFunction = std::function<std::optional<http::Response>(const Article&)>;

  Admin(Accounts& accounts, Stories& stories, Store& store, const SiteSettings& settings,
        const Clock& clock, std::filesystem::path media_dir, PreviewFunction preview);
  ~Admin();
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  // Any path under /admin (the app routes "/admin" and "/admin/..." here).
  http::Response Handle(const http::Request& req);

  static constexpr std::string_view kSessionCookie = "dateline_session";
  static constexpr std::string_view kLoginCookie = "dateline_login";
  // Uploads larger than this are refused (413). The HTTP server's own body
  // limit must allow at least this much for /admin/media.
  static constexpr std::size_t kMaxUploadBytes = 8 * 1024 * 1024;
  static constexpr int kStoriesPerPage = 25;
  static constexpr int kRevisionsPerPage = 20;

  // Field errors by form field name ("headline", "lead_image_url", ...);
  // "" holds what belongs to no field.
  using FieldErrors = std::map<std::string, std::string>;

 private:
  // One logged-in request.
  struct Ctx {
    const http::Request& req;
    Authenticated who;
    std::string session_token;
    Form form;  // the parsed body of a form POST (empty otherwise)
    const User& user() const { return who.user; }
  };

  // What the editor shows: the story as stored (or a blank new one), the
  // values in the form (stored or as typed) and any messages.
  struct EditorState {
    Article story;
    bool is_new = false;
    Form values;
    FieldErrors errors;
    std::string notice;        // a success message ("Saved.")
    std::string error;         // the message above the form
    std::string correction;    // the correction note as typed
    bool stale = false;        // the save lost a race (409)
  };

  // admin.cc: the gate, login, account and shared page plumbing.
  http::Response Route(Ctx& c, std::string_view rest);
  http::Response Login(const http::Request& req);
  http::Response LoginForm(const http::Request& req, int status, std::string_view email,
                           std::string_view next, std::string_view error);
  http::Response Logout(const Ctx& c);
  http::Response Account(const Ctx& c);
  http::Response Asset(const http::Request& req, std::string_view path);
  http::Response Page(const Ctx* c, int status, std::string_view template_name,
                      nlohmann::json model);
  http::Response ErrorPage(const Ctx* c, int status, std::string_view message);
  // 403/404/409/422/500 page for a failed Status.
  http::Response StatusPage(const Ctx* c, const Status& s);
  bool CookieSecure() const;
  std::string Time(Seconds t) const;

  // admin_stories.cc: list, editor, saves, autosave, corrections, preview.
  http::Response StoryList(const Ctx& c);
  http::Response EditStory(const Ctx& c, std::optional<std::int64_t> id);
  http::Response SaveStory(const Ctx& c, std::optional<std::int64_t> id);
  http::Response Autosave(const Ctx& c, std::optional<std::int64_t> id);
  http::Response AddCorrection(const Ctx& c, std::int64_t id);
  http::Response PreviewStory(const Ctx& c, std::int64_t id);
  http::Response RenderBodyPreview(const Ctx& c);
  http::Response EditorPage(const Ctx& c, int status, const EditorState& s);
  Form FormOf(const Article& a) const;
  // The Stories patch a form asks for; field problems Admin finds itself
  // go to `errors`.
  nlohmann::json PatchOf(const Form& f, const Article& current, bool creating,
                         FieldErrors& errors) const;

  // admin_revisions.cc
  http::Response Revisions(const Ctx& c, std::int64_t id);
  http::Response Restore(const Ctx& c, std::int64_t id, std::int64_t revision_id);

  // admin_media.cc
  http::Response Upload(const Ctx& c);

  // admin_people.cc: sections, tags, authors, users, API tokens.
  http::Response Sections(const Ctx& c, std::string_view slug);
  http::Response Tags(const Ctx& c);
  http::Response Authors(const Ctx& c, std::string_view slug);
  http::Response Users(const Ctx& c, std::optional<std::int64_t> id);
  http::Response Tokens(const Ctx& c, std::optional<std::int64_t> revoke_id);

  Accounts& accounts_;
  Stories& stories_;
  Store& store_;
  const SiteSettings& settings_;
  const Clock& clock_;
  std::filesystem::path media_dir_;
  PreviewFunction preview_;
  std::unique_ptr<AdminView> view_;
};

}  // namespace dateline::newsroom
