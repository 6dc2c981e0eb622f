// Admin: the gate (session, CSRF), routing, login/logout, the account page
// and the page plumbing every admin page shares. The pages themselves are
// in admin_stories.cc, admin_revisions.cc, admin_media.cc and
// admin_people.cc.
#include "newsroom/admin.h"

#include <vector>

#include "base/escape.h"
#include "core/time_zone.h"
#include "newsroom/admin_util.h"
#include "newsroom/admin_view.h"

namespace dateline::newsroom {

using nlohmann::json;
using namespace admin;

namespace {

std::vector<std::string_view> Segments(std::string_view rest) {
  std::vector<std::string_view> out;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    out.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

bool LooksLikeToken(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string_view StatusTitle(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 401: return "Not logged in";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 409: return "Conflict";
    case 413: return "Too large";
    case 422: return "Please check the form";
    case 429: return "Too many attempts";
    case 503: return "Unavailable";
    default: return "Something went wrong";
  }
}

bool IsFormPost(const http::Request& req) {
  const std::string* type = req.Header("content-type");
  if (type == nullptr) return false;
  std::string t = *type;
  for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return t.starts_with("application/x-www-form-urlencoded");
}

}  // namespace

Admin::Admin(Accounts& accounts, Stories& stories, Store& store, const SiteSettings& settings,
             const Clock& clock, std::filesystem::path media_dir, PreviewFunction preview)
    : accounts_(accounts),
      stories_(stories),
      store_(store),
      settings_(settings),
      clock_(clock),
      media_dir_(std::move(media_dir)),
      preview_(std::move(preview)),
      view_(std::make_unique<AdminView>()) {}

Admin::~Admin() = default;

bool Admin::CookieSecure() const { return settings_.base_url.starts_with("https:"); }

std::string Admin::Time(Seconds t) const {
  return FormatDate(t, settings_.zone, settings_.date_format);
}

http::Response Admin::Handle(const http::Request& req) {
  std::string_view path = req.path;
  if (path == "/admin") {
    http::Response r = http::Response::Redirect(303, "/admin/");
    Harden(r);
    return r;
  }
  if (!path.starts_with("/admin/")) return ErrorPage(nullptr, 404, "There is no such admin page.");
  std::string_view rest = path.substr(7);
  if (rest.starts_with("assets/")) return Asset(req, path);
  if (rest == "login" || rest == "login/") return Login(req);

  bool json_route = rest == "preview" || rest == "media" || rest.ends_with("/autosave");
  std::string token = CookieValue(req, kSessionCookie);
  std::optional<Authenticated> who;
  if (!token.empty()) {
    auto found = accounts_.FromSessionToken(token);
    if (found) who = std::move(*found);
    else if (!found.error().IsNotFound()) return StatusPage(nullptr, found.error());
  }
  if (!who) {
    http::Response r;
    if (json_route) {
      r = JsonError(401, "You are logged out (the session ended). Log in again in another tab; "
                         "this page keeps what you typed.");
    } else {
      std::string next = SafeNext(req.target) ? req.target : "/admin/";
      r = http::Response::Redirect(303, "/admin/login?next=" + EscapeUrlComponent(next));
      Harden(r);
    }
    if (!token.empty()) {
      CookieOptions gone{.secure = CookieSecure(), .max_age = 0};
      r.headers.emplace_back("Set-Cookie", SetCookie(kSessionCookie, "", gone));
    }
    return r;
  }

  Ctx c{req, std::move(*who), token, {}};
  if (req.method == "POST") {
    if (IsFormPost(req)) c.form = Form::Parse(req.body);
    const std::string* header = req.Header("x-csrf-token");
    std::string sent = header != nullptr ? *header : c.form.Get("csrf_token");
    const std::string& expected = c.who.session.csrf_token;
    if (sent.empty() || expected.empty() || !SecretEquals(sent, expected)) {
      if (json_route) {
        return JsonError(403, "The security token does not match your session; reload the page.");
      }
      return ErrorPage(&c, 403,
                       "This form's security token does not match your session (it may come from "
                       "an older login or another site). Go back, reload the page and try again.");
    }
  }
  return Route(c, rest);
}

http::Response Admin::Route(Ctx& c, std::string_view rest) {
  const std::string& method = c.req.method;
  bool get = method == "GET" || method == "HEAD";
  bool post = method == "POST";
  auto not_allowed = [&](std::string_view allow) {
    http::Response r = ErrorPage(&c, 405, "This address does not take a " + method + " request.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
  };
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::vector<std::string_view> seg = Segments(rest);
  std::size_t n = seg.size();

  if (n == 0) return get ? StoryList(c) : not_allowed("GET, HEAD");
  std::string_view head = seg[0];
  if (n == 1 && head == "logout") return post ? Logout(c) : not_allowed("POST");
  if (n == 1 && head == "account") return get || post ? Account(c) : not_allowed("GET, HEAD, POST");
  if (n == 1 && head == "preview") return post ? RenderBodyPreview(c) : not_allowed("POST");
  if (n == 1 && head == "media") return post ? Upload(c) : not_allowed("POST");
  if (n == 1 && head == "tags") return get ? Tags(c) : not_allowed("GET, HEAD");
  if ((head == "sections" || head == "authors") && n <= 2) {
    if (!get && !post) return not_allowed("GET, HEAD, POST");
    std::string_view slug = n == 2 ? seg[1] : std::string_view();
    return head == "sections" ? Sections(c, slug) : Authors(c, slug);
  }
  if (head == "users" && n <= 2) {
    if (!get && !post) return not_allowed("GET, HEAD, POST");
    std::optional<std::int64_t> id;
    if (n == 2) {
      id = ParseId(seg[1]);
      if (!id) return ErrorPage(&c, 404, "There is no such user.");
    }
    return Users(c, id);
  }
  if (head == "tokens") {
    if (n == 1) return get || post ? Tokens(c, std::nullopt) : not_allowed("GET, HEAD, POST");
    if (n == 3 && seg[2] == "revoke") {
      auto id = ParseId(seg[1]);
      if (!id) return ErrorPage(&c, 404, "There is no such token.");
      return post ? Tokens(c, id) : not_allowed("POST");
    }
  }
  if (head == "stories") {
    if (n == 1) {
      http::Response r = http::Response::Redirect(303, "/admin/");
      Harden(r);
      return r;
    }
    std::optional<std::int64_t> id;
    if (seg[1] != "new") {
      id = ParseId(seg[1]);
      if (!id) return ErrorPage(&c, 404, "There is no such story.");
    }
    if (n == 2) {
      if (get) return EditStory(c, id);
      return post ? SaveStory(c, id) : not_allowed("GET, HEAD, POST");
    }
    std::string_view sub = seg[2];
    if (n == 3 && sub == "autosave") return post ? Autosave(c, id) : not_allowed("POST");
    if (id && n == 3 && sub == "preview") return get ? PreviewStory(c, *id) : not_allowed("GET, HEAD");
    if (id && n == 3 && sub == "corrections") {
      return post ? AddCorrection(c, *id) : not_allowed("POST");
    }
    if (id && n == 3 && sub == "revisions") return get ? Revisions(c, *id) : not_allowed("GET, HEAD");
    if (id && n == 5 && sub == "revisions" && seg[4] == "restore") {
      auto revision = ParseId(seg[3]);
      if (!revision) return ErrorPage(&c, 404, "There is no such revision.");
      return post ? Restore(c, *id, *revision) : not_allowed("POST");
    }
  }
  return ErrorPage(&c, 404, "There is no such admin page.");
}

// --- Login, logout, account ---

http::Response Admin::LoginForm(const http::Request& req, int status, std::string_view email,
                                std::string_view next, std::string_view error) {
  // One double-submit token per browser: reused while its cookie lives, so
  // two open login tabs both work.
  std::string token = CookieValue(req, kLoginCookie);
  if (!LooksLikeToken(token)) token = RandomToken();
  json model = {{"title", "Log in"},  {"email", email},     {"next", next},
                {"login_token", token}, {"error", error}, {"page_login", true}};
  http::Response r = Page(nullptr, status, "login", std::move(model));
  CookieOptions options{.path = "/admin/login", .secure = CookieSecure(), .same_site = "Strict",
                        .max_age = 3600};
  r.headers.emplace_back("Set-Cookie", SetCookie(kLoginCookie, token, options));
  return r;
}

http::Response Admin::Login(const http::Request& req) {
  if (req.method == "GET" || req.method == "HEAD") {
    std::string next = req.QueryParam("next");
    if (!SafeNext(next)) next.clear();
    std::string token = CookieValue(req, kSessionCookie);
    if (!token.empty() && accounts_.FromSessionToken(token)) {
      http::Response r = http::Response::Redirect(303, next.empty() ? "/admin/" : next);
      Harden(r);
      return r;
    }
    return LoginForm(req, 200, "", next, "");
  }
  if (req.method != "POST") {
    http::Response r = ErrorPage(nullptr, 405, "The login page takes GET and POST.");
    r.headers.emplace_back("Allow", "GET, HEAD, POST");
    return r;
  }
  Form f = Form::Parse(req.body);
  std::string next = f.Get("next");
  if (!SafeNext(next)) next.clear();
  std::string email(Trim(f.Get("email")));
  std::string cookie = CookieValue(req, kLoginCookie);
  std::string sent = f.Get("login_token");
  if (cookie.empty() || sent.empty() || !SecretEquals(cookie, sent)) {
    return LoginForm(req, 403, email, next,
                     "The login form had expired. Please enter your password again.");
  }
  auto result = accounts_.Login(email, f.Get("password"), req.remote_address);
  if (!result) {
    const Status& s = result.error();
    if (s.IsInvalidArgument()) return LoginForm(req, 401, email, next, "Wrong email or password.");
    if (s.code() == Status::Code::kUnavailable) {
      http::Response r = LoginForm(req, 429, email, next, Capitalized(s.message()) + ".");
      std::size_t in = s.message().rfind("in ");
      if (in != std::string::npos) {
        std::string digits;
        for (char ch : s.message().substr(in + 3)) {
          if (ch < '0' || ch > '9') break;
          digits.push_back(ch);
        }
        if (!digits.empty()) r.headers.emplace_back("Retry-After", digits);
      }
      return r;
    }
    return StatusPage(nullptr, s);
  }
  http::Response r = http::Response::Redirect(303, next.empty() ? "/admin/" : next);
  Harden(r);
  r.headers.emplace_back("Set-Cookie", SetCookie(kSessionCookie, result->token,
                                                 {.secure = CookieSecure(), .same_site = "Lax", .max_age = std::nullopt}));
  r.headers.emplace_back("Set-Cookie",
                         SetCookie(kLoginCookie, "",
                                   {.path = "/admin/login", .secure = CookieSecure(),
                                    .same_site = "Strict", .max_age = 0}));
  return r;
}

http::Response Admin::Logout(const Ctx& c) {
  Status s = accounts_.Logout(c.session_token);
  if (!s.ok()) return StatusPage(&c, s);
  http::Response r = http::Response::Redirect(303, "/admin/login");
  Harden(r);
  r.headers.emplace_back("Set-Cookie",
                         SetCookie(kSessionCookie, "", {.secure = CookieSecure(), .max_age = 0}));
  return r;
}

http::Response Admin::Account(const Ctx& c) {
  json model = {{"title", "Your account"},
                {"nav_account", true},
                {"user", {{"name", c.user().name},
                          {"email", c.user().email},
                          {"role", RoleName(c.user().role)}}},
                {"err", json::object()}};
  int status = 200;
  if (c.req.method == "POST") {
    std::string current = c.form.Get("current_password");
    std::string next = c.form.Get("password");
    if (next != c.form.Get("password_repeat")) {
      model["err"]["password_repeat"] = "The two new passwords differ.";
      status = 422;
    } else {
      Status s = accounts_.ChangePassword(c.user().id, current, next, c.session_token);
      if (s.ok()) {
        model["notice"] = "Your password has been changed; your other sessions were logged out.";
      } else if (s.IsInvalidArgument()) {
        for (auto& [field, reason] : ErrorsOf(s)) {
          model["err"][field.empty() ? "general" : field] = reason;
        }
        status = 422;
      } else {
        return StatusPage(&c, s);
      }
    }
  }
  return Page(&c, status, "account", std::move(model));
}

// --- Assets and pages ---

http::Response Admin::Asset(const http::Request& req, std::string_view path) {
  const AdminView::Asset* asset = view_->FindAsset(path);
  if (asset == nullptr || (req.method != "GET" && req.method != "HEAD")) {
    http::Response r = http::Response::Text(404, "Not found\n");
    Harden(r);
    return r;
  }
  http::Response r;
  r.content_type = asset->content_type;
  r.body = std::string(asset->body);
  r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

http::Response Admin::Page(const Ctx* c, int status, std::string_view template_name, json model) {
  model["site_name"] = settings_.name;
  model["lang"] = settings_.language.empty() ? "en" : settings_.language;
  if (c != nullptr) {
    const User& u = c->user();
    model["csrf"] = c->who.session.csrf_token;
    model["me"] = {{"name", u.name}, {"role", RoleName(u.role)}};
    model["can"]["taxonomy"] = Allowed(u.role, Action::kManageTaxonomy, false);
    model["can"]["users"] = Allowed(u.role, Action::kManageUsers, false);
  }
  auto html = view_->Render(template_name, model);
  http::Response r;
  if (!html) {
    r = http::Response::Text(500, "The admin page could not be shown: " + html.error().message() +
                                      "\n");
  } else {
    r.status = status;
    r.body = std::move(*html);
  }
  Harden(r);
  return r;
}

http::Response Admin::ErrorPage(const Ctx* c, int status, std::string_view message) {
  json model = {{"title", StatusTitle(status)}, {"message", message}, {"status", status}};
  return Page(c, status, "error", std::move(model));
}

http::Response Admin::StatusPage(const Ctx* c, const Status& s) {
  int status = HttpStatusOf(s);
  std::string message;
  if (status == 500) message = "The newsroom could not do that: " + s.ToString();
  else message = Capitalized(s.message()) + ".";
  return ErrorPage(c, status, message);
}

}  // namespace dateline::newsroom
