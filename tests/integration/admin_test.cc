// The newsroom's admin pages (newsroom/admin.h) over a real SQLite store in
// a temporary folder, driven as a browser would: http::Request values
// handed to Admin::Handle, cookies kept between requests, CSRF tokens read
// from the pages. Covers login (cookie flags, throttling, one answer for
// every refusal), CSRF, the login redirect, the role checks Admin makes
// itself and the story actions through its routes, validation and stale
// saves keeping what was typed, uploads, previews, revisions, autosave,
// and (when the Nu Html Checker is installed) that every page is valid.
#include "newsroom/admin.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "base/escape.h"
#include "http/url.h"
#include "newsroom/accounts.h"
#include "newsroom/form.h"
#include "newsroom/stories.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline::newsroom {
namespace {

using nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kPassword = "correct horse battery";
constexpr Seconds kStart = 1'746'500'000;  // 2025-05-06 02:53:20 UTC

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (Lower(k) == Lower(std::string(name))) return v;
  }
  return "";
}

std::vector<std::string> HeadersOf(const http::Response& r, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (Lower(k) == Lower(std::string(name))) out.push_back(v);
  }
  return out;
}

std::string Encode(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += "&";
    out += EscapeUrlComponent(k) + "=" + EscapeUrlComponent(v);
  }
  return out;
}

// The first capture of `pattern` in `text`, or "".
std::string Extract(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (std::regex_search(text, m, std::regex(pattern))) return m[1].str();
  return "";
}

bool Has(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

// A browser: its cookies and the CSRF token its pages carry.
struct Browser {
  std::map<std::string, std::string> cookies;
  std::string csrf;
  std::string address = "10.0.0.1";
};

std::string PngBytes() {
  // A 1x1 transparent PNG.
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
      0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
      0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
      0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
      0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {Slugify, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto zone = TimeZone::Load("Asia/Dhaka");  // UTC+6 all year
    ASSERT_TRUE(zone.has_value());
    settings_.zone = *zone;
    settings_.base_url = "https://news.example";
    accounts_ = std::make_unique<Accounts>(*store_, clock_);
    stories_ = std::make_unique<Stories>(*store_, clock_, settings_.zone, "en");
    admin_ = MakeAdmin(settings_);
    for (auto [email, name, role] :
         {std::tuple{"admin@example.com", "Ada Admin", Role::kAdmin},
          std::tuple{"editor@example.com", "Eddie Editor", Role::kEditor},
          std::tuple{"author@example.com", "Aria Author", Role::kAuthor},
          std::tuple{"contrib@example.com", "Cory Contributor", Role::kContributor}}) {
      auto u = accounts_->AddUser(email, name, role, kPassword);
      ASSERT_TRUE(u.has_value()) << u.error().ToString();
      users_[role] = *u;
    }
  }

  std::unique_ptr<Admin> MakeAdmin(const SiteSettings& settings) {
    return std::make_unique<Admin>(
        *accounts_, *stories_, *store_, settings, clock_, dir_.path() / "media",
        [this](const Article& a) -> std::optional<http::Response> {
          ++previews_;
          http::Response r;
          r.body = "<p>READER PAGE: " + EscapeHtml(a.headline) + "</p>";
          r.headers.emplace_back("Cache-Control", "public, max-age=60");
          return r;
        });
  }

  static std::string EmailOf(Role r) {
    switch (r) {
      case Role::kAdmin: return "admin@example.com";
      case Role::kEditor: return "editor@example.com";
      case Role::kAuthor: return "author@example.com";
      case Role::kContributor: return "contrib@example.com";
    }
    return "";
  }

  http::Response Send(Browser& b, std::string method, std::string target, std::string body = "",
                      http::HeaderList extra = {}, Admin* admin = nullptr) {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    http::TargetParts parts = http::SplitTarget(target);
    auto path = http::DecodePath(parts.path);
    EXPECT_TRUE(path.has_value()) << target;
    req.path = path.value_or("/");
    req.query = std::string(parts.query);
    std::string cookie;
    for (const auto& [k, v] : b.cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) req.headers.emplace_back("cookie", cookie);
    for (auto& h : extra) req.headers.push_back(std::move(h));
    req.body = std::move(body);
    req.remote_address = b.address;
    http::Response r = (admin != nullptr ? admin : admin_.get())->Handle(req);
    for (const std::string& set : HeadersOf(r, "set-cookie")) {
      std::string pair = set.substr(0, set.find(';'));
      std::size_t eq = pair.find('=');
      std::string name = pair.substr(0, eq);
      if (Has(set, "Max-Age=0")) b.cookies.erase(name);
      else b.cookies[name] = pair.substr(eq + 1);
    }
    if (std::string csrf = Extract(r.body, "data-csrf=\"([0-9a-f]+)\""); !csrf.empty()) b.csrf = csrf;
    return r;
  }

  http::Response Get(Browser& b, std::string target) { return Send(b, "GET", std::move(target)); }

  http::Response PostForm(Browser& b, std::string target, Fields fields, bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf_token", b.csrf);
    return Send(b, "POST", std::move(target), Encode(fields),
                {{"content-type", "application/x-www-form-urlencoded"}});
  }

  http::Response PostJson(Browser& b, std::string target, const json& body, bool with_csrf = true) {
    http::HeaderList h = {{"content-type", "application/json"}};
    if (with_csrf) h.emplace_back("x-csrf-token", b.csrf);
    return Send(b, "POST", std::move(target), body.dump(), std::move(h));
  }

  http::Response TryLogIn(Browser& b, const std::string& email, const std::string& password,
                          const std::string& next = "", Admin* admin = nullptr) {
    http::Response page = Send(b, "GET", "/admin/login", "", {}, admin);
    EXPECT_EQ(page.status, 200);
    std::string token = Extract(page.body, "name=\"login_token\" value=\"([0-9a-f]+)\"");
    EXPECT_FALSE(token.empty());
    Fields f = {{"email", email}, {"password", password}, {"login_token", token}};
    if (!next.empty()) f.emplace_back("next", next);
    return Send(b, "POST", "/admin/login", Encode(f),
                {{"content-type", "application/x-www-form-urlencoded"}}, admin);
  }

  Browser LogIn(Role role) {
    Browser b;
    http::Response r = TryLogIn(b, EmailOf(role), kPassword);
    EXPECT_EQ(r.status, 303) << r.body;
    Get(b, "/admin/account");  // picks up the CSRF token
    EXPECT_FALSE(b.csrf.empty());
    return b;
  }

  // A story saved through the editor; returns its id.
  std::int64_t CreateStory(Browser& b, const std::string& headline, const std::string& action,
                           Fields extra = {}) {
    Fields f = {{"headline", headline}, {"body", "First paragraph.\n\nSecond paragraph."},
                {"action", action}};
    for (auto& e : extra) f.push_back(e);
    http::Response r = PostForm(b, "/admin/stories/new", f);
    EXPECT_EQ(r.status, 303) << r.body;
    std::string location = HeaderOf(r, "location");
    std::string id = Extract(location, "^/admin/stories/([0-9]+)");
    EXPECT_FALSE(id.empty()) << location;
    return id.empty() ? 0 : std::stoll(id);
  }

  // Every field of the editor as it shows story `id`, ready to post back.
  Fields EditorFields(Browser& b, std::int64_t id) {
    http::Response page = Get(b, "/admin/stories/" + std::to_string(id));
    EXPECT_EQ(page.status, 200);
    auto a = stories_->Get(id);
    EXPECT_TRUE(a.has_value());
    Fields f;
    f.emplace_back("version", std::to_string(a->version));
    f.emplace_back("headline", a->headline);
    f.emplace_back("body", a->body);
    f.emplace_back("dek", a->dek);
    f.emplace_back("section", a->section);
    f.emplace_back("tags", JoinList(a->tags));
    f.emplace_back("authors", JoinList(a->authors));
    f.emplace_back("related_pins", JoinList(a->related_pins));
    f.emplace_back("has_featured", "1");
    if (a->featured) f.emplace_back("featured", "on");
    f.emplace_back("published_at", Extract(page.body, "id=\"published_at\" name=\"published_at\" "
                                                      "type=\"datetime-local\" value=\"([^\"]*)\""));
    return f;
  }

  static Fields With(Fields f, const std::string& key, const std::string& value) {
    std::erase_if(f, [&](const auto& p) { return p.first == key; });
    f.emplace_back(key, value);
    return f;
  }

  testing::TempDir dir_;
  FakeClock clock_{kStart};
  SiteSettings settings_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Stories> stories_;
  std::unique_ptr<Admin> admin_;
  std::map<Role, User> users_;
  int previews_ = 0;
};

// --- Login, cookies, sessions ---

TEST_F(AdminTest, LoginPageHasLabelledFieldsAndSecurityHeaders) {
  Browser b;
  http::Response r = Get(b, "/admin/login");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r.body, "<label for=\"email\">Email</label>"));
  EXPECT_TRUE(Has(r.body, "<label for=\"password\">Password</label>"));
  EXPECT_TRUE(Has(r.body, ">Log in</button>"));
  EXPECT_EQ(HeaderOf(r, "cache-control"), "no-store");
  EXPECT_EQ(HeaderOf(r, "x-frame-options"), "DENY");
  std::string csp = HeaderOf(r, "content-security-policy");
  EXPECT_TRUE(Has(csp, "default-src 'self'")) << csp;
  EXPECT_FALSE(Has(csp, "unsafe-inline")) << csp;
  EXPECT_FALSE(Has(r.body, "<script>")) << "no inline scripts";
}

TEST_F(AdminTest, LoginSetsASecureHttpOnlyLaxSessionCookie) {
  Browser b;
  http::Response r = TryLogIn(b, "Editor@Example.com", kPassword);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(HeaderOf(r, "location"), "/admin/");
  std::string cookie;
  for (const std::string& c : HeadersOf(r, "set-cookie")) {
    if (c.starts_with("dateline_session=")) cookie = c;
  }
  ASSERT_FALSE(cookie.empty());
  EXPECT_TRUE(Has(cookie, "; HttpOnly")) << cookie;
  EXPECT_TRUE(Has(cookie, "; SameSite=Lax")) << cookie;
  EXPECT_TRUE(Has(cookie, "; Path=/")) << cookie;
  EXPECT_TRUE(Has(cookie, "; Secure")) << cookie;
  http::Response list = Get(b, "/admin/");
  EXPECT_EQ(list.status, 200);
  EXPECT_TRUE(Has(list.body, "Eddie Editor"));
}

TEST_F(AdminTest, PlainHttpSiteCookieIsNotSecure) {
  SiteSettings plain = settings_;
  plain.base_url = "http://127.0.0.1:8080";
  auto admin = MakeAdmin(plain);
  Browser b;
  http::Response r = TryLogIn(b, "editor@example.com", kPassword, "", admin.get());
  ASSERT_EQ(r.status, 303);
  for (const std::string& c : HeadersOf(r, "set-cookie")) {
    EXPECT_FALSE(Has(c, "Secure")) << c;
  }
}

TEST_F(AdminTest, WrongPasswordAndUnknownAccountGetTheSameAnswer) {
  Browser a, b;
  http::Response wrong = TryLogIn(a, "editor@example.com", "not the password");
  http::Response unknown = TryLogIn(b, "nobody@example.com", "not the password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  std::string pattern = "role=\"alert\" id=\"form-error\">([^<]*)<";
  EXPECT_EQ(Extract(wrong.body, pattern), "Wrong email or password.");
  EXPECT_EQ(Extract(unknown.body, pattern), Extract(wrong.body, pattern));
  EXPECT_FALSE(a.cookies.contains("dateline_session"));
  // What was typed in Email stays; the password does not.
  EXPECT_TRUE(Has(wrong.body, "value=\"editor@example.com\""));
  EXPECT_FALSE(Has(wrong.body, "not the password"));
}

TEST_F(AdminTest, LoginIsThrottledWithAccountsMessage) {
  Browser b;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(TryLogIn(b, "author@example.com", "wrong guess!").status, 401);
  http::Response r = TryLogIn(b, "author@example.com", kPassword);
  EXPECT_EQ(r.status, 429);
  EXPECT_TRUE(Has(r.body, "Too many attempts; try again in")) << r.body;
  EXPECT_FALSE(HeaderOf(r, "retry-after").empty());
  EXPECT_FALSE(b.cookies.contains("dateline_session"));
  clock_.Advance(3600);
  EXPECT_EQ(TryLogIn(b, "author@example.com", kPassword).status, 303);
}

TEST_F(AdminTest, LoginFormNeedsItsOwnToken) {
  Browser b;
  http::Response r = Send(b, "POST", "/admin/login",
                          Encode({{"email", "editor@example.com"}, {"password", kPassword}}),
                          {{"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(b.cookies.contains("dateline_session"));
}

TEST_F(AdminTest, PagesWithoutSessionRedirectToLoginAndBack) {
  Browser b;
  http::Response r = Get(b, "/admin/stories/new?x=1");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(HeaderOf(r, "location"), "/admin/login?next=%2Fadmin%2Fstories%2Fnew%3Fx%3D1");
  for (std::string path : {"/admin/", "/admin/sections", "/admin/users/1", "/admin/stories/1/preview",
                           "/admin/stories/1/revisions", "/admin/tokens"}) {
    EXPECT_EQ(Get(b, path).status, 303) << path;
  }
  EXPECT_EQ(HeaderOf(Get(b, "/admin"), "location"), "/admin/");
  // A JSON route answers 401 instead.
  EXPECT_EQ(PostJson(b, "/admin/stories/new/autosave", json::object(), false).status, 401);

  http::Response in = TryLogIn(b, "editor@example.com", kPassword, "/admin/stories/new?x=1");
  EXPECT_EQ(HeaderOf(in, "location"), "/admin/stories/new?x=1");
  // Only newsroom paths are allowed as `next`.
  for (std::string next : {"//evil.example/", "https://evil.example/", "/admin//evil.example",
                           "/\\evil.example", "/"}) {
    Browser c;
    http::Response other = TryLogIn(c, "editor@example.com", kPassword, next);
    EXPECT_EQ(HeaderOf(other, "location"), "/admin/") << next;
  }
}

TEST_F(AdminTest, LogoutEndsTheSession) {
  Browser b = LogIn(Role::kEditor);
  std::string token = b.cookies["dateline_session"];
  http::Response r = PostForm(b, "/admin/logout", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_FALSE(b.cookies.contains("dateline_session"));
  b.cookies["dateline_session"] = token;  // a stolen copy is dead too
  EXPECT_EQ(Get(b, "/admin/").status, 303);
}

TEST_F(AdminTest, SessionExpiresAfterInactivity) {
  Browser b = LogIn(Role::kEditor);
  clock_.Advance(9 * 3600);
  EXPECT_EQ(Get(b, "/admin/").status, 303);
}

// --- CSRF ---

TEST_F(AdminTest, PostsWithoutTheRightCsrfTokenAreRefused) {
  Browser b = LogIn(Role::kEditor);
  Fields story = {{"headline", "CSRF test"}, {"body", "Body"}, {"action", "save"}};
  EXPECT_EQ(PostForm(b, "/admin/stories/new", story, /*with_csrf=*/false).status, 403);
  Fields wrong = story;
  wrong.emplace_back("csrf_token", std::string(64, 'a'));
  EXPECT_EQ(PostForm(b, "/admin/stories/new", wrong, false).status, 403);
  Fields empty = story;
  empty.emplace_back("csrf_token", "");
  EXPECT_EQ(PostForm(b, "/admin/stories/new", empty, false).status, 403);
  EXPECT_EQ(PostForm(b, "/admin/sections", {{"name", "World"}}, false).status, 403);
  EXPECT_EQ(PostForm(b, "/admin/logout", {}, false).status, 403);
  EXPECT_EQ(PostJson(b, "/admin/preview", {{"body", "x"}}, false).status, 403);
  EXPECT_EQ(Send(b, "POST", "/admin/media?name=a.png", PngBytes()).status, 403);
  auto all = store_->AllArticles();
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(all->empty());
  EXPECT_FALSE(store_->GetSection("world").has_value());
  // Another user's token does not work either.
  Browser other = LogIn(Role::kAdmin);
  Fields foreign = story;
  foreign.emplace_back("csrf_token", other.csrf);
  EXPECT_EQ(PostForm(b, "/admin/stories/new", foreign, false).status, 403);
  // The right one does.
  EXPECT_EQ(PostForm(b, "/admin/stories/new", story).status, 303);
}

// --- What Admin itself enforces: taxonomy and users ---

TEST_F(AdminTest, TaxonomyPagesNeedEditorOrAdmin) {
  for (Role role : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
    SCOPED_TRACE(std::string(RoleName(role)));
    Browser b = LogIn(role);
    bool allowed = role == Role::kEditor || role == Role::kAdmin;
    int want = allowed ? 200 : 403;
    EXPECT_EQ(Get(b, "/admin/sections").status, want);
    EXPECT_EQ(Get(b, "/admin/tags").status, want);
    EXPECT_EQ(Get(b, "/admin/authors").status, want);
    std::string slug = "desk-" + std::string(RoleName(role));
    http::Response add = PostForm(b, "/admin/sections", {{"name", "Desk"}, {"slug", slug}});
    EXPECT_EQ(add.status, allowed ? 303 : 403);
    EXPECT_EQ(store_->GetSection(slug).has_value(), allowed);
    std::string author = "writer-" + std::string(RoleName(role));
    http::Response au = PostForm(b, "/admin/authors", {{"name", "Writer"}, {"slug", author}, {"bio", "Bio"}});
    EXPECT_EQ(au.status, allowed ? 303 : 403);
    EXPECT_EQ(store_->GetAuthor(author).has_value(), allowed);
    // The menu shows the pages only to those who may use them.
    http::Response list = Get(b, "/admin/");
    EXPECT_EQ(Has(list.body, "href=\"/admin/sections\""), allowed);
    EXPECT_EQ(Has(list.body, "href=\"/admin/users\""), role == Role::kAdmin);
  }
}

TEST_F(AdminTest, SectionsAddEditAndValidate) {
  Browser b = LogIn(Role::kEditor);
  EXPECT_EQ(PostForm(b, "/admin/sections", {{"name", "World News"}}).status, 303);
  auto world = store_->GetSection("world-news");
  ASSERT_TRUE(world.has_value());
  EXPECT_EQ(world->name, "World News");
  EXPECT_EQ(PostForm(b, "/admin/sections", {{"name", "Asia"}, {"parent", "world-news"}, {"position", "7"}})
                .status,
            303);
  auto asia = store_->GetSection("asia");
  ASSERT_TRUE(asia.has_value());
  EXPECT_EQ(asia->parent_slug, "world-news");
  EXPECT_EQ(asia->position, 7);
  // Errors keep what was typed.
  http::Response bad = PostForm(b, "/admin/sections", {{"name", ""}, {"slug", "Not A Slug"}, {"position", "x"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(Has(bad.body, "id=\"name-error\""));
  EXPECT_TRUE(Has(bad.body, "id=\"slug-error\""));
  EXPECT_TRUE(Has(bad.body, "value=\"Not A Slug\""));
  // Edit: name, order, parent; no loops.
  EXPECT_EQ(PostForm(b, "/admin/sections/world-news", {{"name", "World"}, {"position", "3"}, {"parent", ""}})
                .status,
            303);
  EXPECT_EQ(store_->GetSection("world-news")->name, "World");
  http::Response loop = PostForm(b, "/admin/sections/world-news",
                                 {{"name", "World"}, {"position", "3"}, {"parent", "asia"}});
  EXPECT_EQ(loop.status, 422);
  EXPECT_TRUE(Has(loop.body, "cannot sit inside itself"));
  EXPECT_EQ(Get(b, "/admin/sections/nope").status, 404);
}

TEST_F(AdminTest, AuthorsAddAndEdit) {
  Browser b = LogIn(Role::kEditor);
  EXPECT_EQ(PostForm(b, "/admin/authors", {{"name", "Jane Doe"}, {"bio", "Reports on <things>."}}).status, 303);
  auto jane = store_->GetAuthor("jane-doe");
  ASSERT_TRUE(jane.has_value());
  EXPECT_EQ(jane->bio, "Reports on <things>.");
  http::Response list = Get(b, "/admin/authors");
  EXPECT_TRUE(Has(list.body, "Reports on &lt;things&gt;."));
  EXPECT_EQ(PostForm(b, "/admin/authors/jane-doe", {{"name", "Jane Q. Doe"}, {"bio", "New bio"}}).status, 303);
  EXPECT_EQ(store_->GetAuthor("jane-doe")->name, "Jane Q. Doe");
  EXPECT_EQ(PostForm(b, "/admin/authors", {{"name", "Someone"}, {"slug", "jane-doe"}}).status, 422);
}

TEST_F(AdminTest, UsersPagesAreForAdminsOnly) {
  for (Role role : {Role::kContributor, Role::kAuthor, Role::kEditor}) {
    Browser b = LogIn(role);
    EXPECT_EQ(Get(b, "/admin/users").status, 403);
    EXPECT_EQ(Get(b, "/admin/users/1").status, 403);
    EXPECT_EQ(PostForm(b, "/admin/users", {{"name", "X"}, {"email", "x@example.com"},
                                           {"role", "admin"}, {"password", kPassword}})
                  .status,
              403);
    EXPECT_EQ(PostForm(b, "/admin/users/" + std::to_string(users_[role].id),
                       {{"name", "Me"}, {"role", "admin"}})
                  .status,
              403);
    EXPECT_EQ(store_->GetUser(users_[role].id)->role, role);
  }
  EXPECT_FALSE(store_->GetUserByEmail("x@example.com").has_value());
}

TEST_F(AdminTest, AdminAddsUsersChangesRolesAndDisables) {
  Browser admin = LogIn(Role::kAdmin);
  http::Response added = PostForm(admin, "/admin/users", {{"name", "New Person"}, {"email", "new@example.com"},
                                                          {"role", "author"}, {"password", kPassword}});
  EXPECT_EQ(added.status, 303) << added.body;
  auto u = store_->GetUserByEmail("new@example.com");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->role, Role::kAuthor);
  // A bad one keeps what was typed and names the field.
  http::Response bad = PostForm(admin, "/admin/users", {{"name", "Dup"}, {"email", "new@example.com"},
                                                        {"role", "author"}, {"password", kPassword}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(Has(bad.body, "id=\"email-error\""));
  EXPECT_TRUE(Has(bad.body, "value=\"Dup\""));
  // Change the role.
  std::string url = "/admin/users/" + std::to_string(u->id);
  EXPECT_EQ(PostForm(admin, url, {{"name", "New Person"}, {"role", "editor"}}).status, 303);
  EXPECT_EQ(store_->GetUser(u->id)->role, Role::kEditor);
  // Disable: the user's session ends and login is refused.
  Browser victim;
  ASSERT_EQ(TryLogIn(victim, "new@example.com", kPassword).status, 303);
  EXPECT_EQ(PostForm(admin, url, {{"name", "New Person"}, {"role", "editor"}, {"disabled", "on"}}).status, 303);
  EXPECT_TRUE(store_->GetUser(u->id)->disabled);
  EXPECT_EQ(Get(victim, "/admin/").status, 303);
  EXPECT_EQ(TryLogIn(victim, "new@example.com", kPassword).status, 401);
  // An admin cannot lock themself out.
  std::string self = "/admin/users/" + std::to_string(users_[Role::kAdmin].id);
  EXPECT_EQ(PostForm(admin, self, {{"name", "Ada Admin"}, {"role", "editor"}}).status, 422);
  EXPECT_EQ(store_->GetUser(users_[Role::kAdmin].id)->role, Role::kAdmin);
}

// --- Story actions through the UI ---

TEST_F(AdminTest, ContributorSeesNoPublishButtonAndCannotPublish) {
  Browser b = LogIn(Role::kContributor);
  http::Response editor = Get(b, "/admin/stories/new");
  ASSERT_EQ(editor.status, 200);
  EXPECT_TRUE(Has(editor.body, ">Save draft</button>"));
  EXPECT_TRUE(Has(editor.body, ">Submit for review</button>"));
  EXPECT_FALSE(Has(editor.body, ">Publish</button>"));
  EXPECT_FALSE(Has(editor.body, ">Schedule</button>"));
  EXPECT_FALSE(Has(editor.body, "id=\"lead_image_file\"")) << "contributors do not upload";
  http::Response refused = PostForm(b, "/admin/stories/new",
                                    {{"headline", "Sneaky"}, {"body", "Text I typed"}, {"action", "publish"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(Has(refused.body, "Text I typed")) << "the typing is kept";
  EXPECT_TRUE(store_->AllArticles()->empty());

  std::int64_t id = CreateStory(b, "Honest draft", "save");
  EXPECT_EQ(stories_->Get(id)->status, PublishState::kDraft);
  http::Response page = Get(b, "/admin/stories/" + std::to_string(id));
  EXPECT_FALSE(Has(page.body, ">Publish</button>"));
  Fields f = With(EditorFields(b, id), "action", "publish");
  EXPECT_EQ(PostForm(b, "/admin/stories/" + std::to_string(id), f).status, 403);
  EXPECT_EQ(stories_->Get(id)->status, PublishState::kDraft);
  f = With(EditorFields(b, id), "action", "submit");
  EXPECT_EQ(PostForm(b, "/admin/stories/" + std::to_string(id), f).status, 303);
  EXPECT_EQ(stories_->Get(id)->status, PublishState::kReview);
}

TEST_F(AdminTest, EditorPublishesUpdatesUnpublishesAndDeletes) {
  Browser b = LogIn(Role::kEditor);
  std::int64_t id = CreateStory(b, "Big news", "publish", {{"tags", "politics, economy"}, {"featured", "on"}});
  std::string url = "/admin/stories/" + std::to_string(id);
  auto a = stories_->Get(id);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->status, PublishState::kPublished);
  EXPECT_EQ(a->published_at, kStart);
  EXPECT_EQ(a->tags, (std::vector<std::string>{"politics", "economy"}));
  EXPECT_TRUE(a->featured);
  http::Response page = Get(b, url + "?done=published");
  EXPECT_TRUE(Has(page.body, "Published."));
  EXPECT_TRUE(Has(page.body, ">Update</button>"));
  EXPECT_TRUE(Has(page.body, ">Unpublish</button>"));
  EXPECT_TRUE(Has(page.body, ">Delete</button>"));
  EXPECT_FALSE(Has(page.body, ">Save draft</button>"));
  EXPECT_TRUE(Has(page.body, "<label for=\"correction\">Correction</label>"));

  // Update keeps it published and keeps the publish time.
  clock_.Advance(600);
  Fields f = With(With(EditorFields(b, id), "headline", "Bigger news"), "action", "update");
  std::erase_if(f, [](const auto& p) { return p.first == "featured"; });  // unticked
  EXPECT_EQ(PostForm(b, url, f).status, 303);
  a = stories_->Get(id);
  EXPECT_EQ(a->status, PublishState::kPublished);
  EXPECT_EQ(a->headline, "Bigger news");
  EXPECT_EQ(a->published_at, kStart);
  EXPECT_EQ(a->updated_at, kStart + 600);
  EXPECT_FALSE(a->featured) << "an unticked checkbox clears Featured";

  f = With(EditorFields(b, id), "action", "unpublish");
  EXPECT_EQ(PostForm(b, url, f).status, 303);
  EXPECT_EQ(stories_->Get(id)->status, PublishState::kUnpublished);

  f = With(EditorFields(b, id), "action", "delete");
  http::Response gone = PostForm(b, url, f);
  EXPECT_EQ(gone.status, 303);
  EXPECT_EQ(HeaderOf(gone, "location"), "/admin/?done=deleted");
  EXPECT_FALSE(stories_->Get(id).has_value());
}

// Every role against every story action through the editor's routes, on
// its own story and on someone else's, in the state the action starts
// from: allowed actions redirect (303) and change the story, refused ones
// answer 403 and change nothing. (The API walks the same matrix in
// newsroom_api_test.cc.)
TEST_F(AdminTest, RoleMatrixThroughTheEditor) {
  struct Case {
    const char* name;
    PublishState start;
    const char* action;
    Fields change;
  };
  const std::vector<Case> cases = {
      {"edit draft", PublishState::kDraft, "save", {{"dek", "A new dek"}}},
      {"submit", PublishState::kDraft, "submit", {}},
      {"publish", PublishState::kDraft, "publish", {}},
      {"schedule", PublishState::kDraft, "schedule", {{"published_at", "2025-06-01T09:00"}}},
      {"edit published", PublishState::kPublished, "update", {{"dek", "Changed after publication"}}},
      {"unpublish", PublishState::kPublished, "unpublish", {}},
      {"pins", PublishState::kDraft, "save", {{"related_pins", "some-other-story"}}},
      {"delete draft", PublishState::kDraft, "delete", {}},
      {"delete published", PublishState::kPublished, "delete", {}},
  };
  auto expected = [](Role role, bool own, const std::string& name) {
    if (role == Role::kEditor || role == Role::kAdmin) return true;
    if (name == "pins") return false;
    if (role == Role::kAuthor) return own;
    return own && (name == "edit draft" || name == "submit" || name == "delete draft");
  };
  std::map<Role, Browser> browsers;
  for (Role r : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) browsers[r] = LogIn(r);
  for (Role role : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
    for (bool own : {true, false}) {
      Role owner = own ? role : (role == Role::kContributor ? Role::kAuthor : Role::kContributor);
      for (const Case& c : cases) {
        SCOPED_TRACE(std::string(RoleName(role)) + (own ? " own " : " other's ") + c.name);
        // The story is set up through the service as its owner (and an editor).
        auto made = stories_->Create(users_[owner], json{{"headline", std::string("Matrix ") + c.name},
                                                         {"body", "Text."}});
        ASSERT_TRUE(made.has_value()) << made.error().ToString();
        std::int64_t id = made->id;
        if (c.start == PublishState::kPublished) {
          ASSERT_TRUE(stories_->Update(users_[Role::kEditor], id, json{{"status", "published"}}).has_value());
        }
        Article before = *stories_->Get(id);
        Fields f = With(EditorFields(browsers[role], id), "action", c.action);
        for (const auto& [k, v] : c.change) f = With(f, k, v);
        http::Response r = PostForm(browsers[role], "/admin/stories/" + std::to_string(id), f);
        if (expected(role, own, c.name)) {
          EXPECT_EQ(r.status, 303) << r.body.substr(0, 400);
          auto after = stories_->Get(id);
          if (std::string(c.action) == "delete") {
            EXPECT_FALSE(after.has_value());
          } else {
            ASSERT_TRUE(after.has_value());
            EXPECT_GT(after->version, before.version) << "the story was saved";
          }
        } else {
          EXPECT_EQ(r.status, 403) << r.body.substr(0, 400);
          auto after = stories_->Get(id);
          ASSERT_TRUE(after.has_value());
          EXPECT_EQ(after->version, before.version) << "nothing changed";
          EXPECT_EQ(after->status, before.status);
        }
      }
    }
  }
}

TEST_F(AdminTest, ScheduleReadsPublishTimeInTheSiteZone) {
  Browser b = LogIn(Role::kAuthor);
  // 2025-05-07 09:30 in Dhaka (UTC+6) is 03:30 UTC.
  std::int64_t id = CreateStory(b, "Tomorrow", "schedule", {{"published_at", "2025-05-07T09:30"}});
  auto a = stories_->Get(id);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->status, PublishState::kScheduled);
  ASSERT_TRUE(a->published_at.has_value());
  EXPECT_EQ(*a->published_at, 1746588600);  // 2025-05-07T03:30:00Z
  http::Response page = Get(b, "/admin/stories/" + std::to_string(id));
  EXPECT_TRUE(Has(page.body, "value=\"2025-05-07T09:30\"")) << "shown back in the site's zone";
  // A schedule needs a future time: the error names the field.
  http::Response past = PostForm(b, "/admin/stories/new", {{"headline", "Past"}, {"body", "B"},
                                                           {"published_at", "2020-01-01T10:00"},
                                                           {"action", "schedule"}});
  EXPECT_EQ(past.status, 422);
  EXPECT_TRUE(Has(past.body, "id=\"published_at-error\"")) << past.body;
  http::Response garbage = PostForm(b, "/admin/stories/new", {{"headline", "Bad"}, {"body", "B"},
                                                              {"published_at", "tomorrow"},
                                                              {"action", "schedule"}});
  EXPECT_EQ(garbage.status, 422);
  EXPECT_TRUE(Has(garbage.body, "id=\"published_at-error\""));
}

// Readers see a scheduled story from its time on; the newsroom must not
// lag them while the Scheduler (not running here) has yet to flip it.
TEST_F(AdminTest, ADueScheduledStoryIsPublishedInTheNewsroomBeforeTheSchedulerRuns) {
  Browser b = LogIn(Role::kEditor);
  // 2025-05-06 09:00 in Dhaka is 03:00 UTC, 400 s after kStart.
  std::int64_t id = CreateStory(b, "Due soon", "schedule", {{"published_at", "2025-05-06T09:00"}});
  CreateStory(b, "Due later", "schedule", {{"published_at", "2025-05-07T09:00"}});
  std::string editor = "/admin/stories/" + std::to_string(id);
  EXPECT_TRUE(Has(Get(b, editor).body, ">Scheduled</span>"));
  EXPECT_FALSE(Has(Get(b, editor).body, ">Add correction</button>"));

  clock_.Advance(400);
  http::Response scheduled = Get(b, "/admin/?status=scheduled");
  EXPECT_FALSE(Has(scheduled.body, "Due soon")) << "listed as scheduled after its time";
  EXPECT_TRUE(Has(scheduled.body, "Due later"));
  EXPECT_EQ(store_->GetArticle(id)->status, PublishState::kPublished);
  http::Response page = Get(b, editor);
  EXPECT_TRUE(Has(page.body, ">Published</span>")) << page.body;
  EXPECT_TRUE(Has(page.body, ">Add correction</button>"));
}

TEST_F(AdminTest, ValidationErrorNamesTheFieldAndKeepsEverythingTyped) {
  Browser b = LogIn(Role::kEditor);
  Fields f = {{"headline", ""},
              {"dek", "A dek & more"},
              {"dateline", "DHAKA"},
              {"tags", "one, two"},
              {"authors", "A. Writer, B. Writer"},
              {"body", "My <typed> body\nline two"},
              {"excerpt", "Short"},
              {"lead_image_url", ""},
              {"lead_image_alt", "An alt without image"},
              {"related_pins", "some-slug"},
              {"featured", "on"},
              {"action", "save"}};
  http::Response r = PostForm(b, "/admin/stories/new", f);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(Has(r.body, "id=\"lead_image_url-error\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "value=\"A. Writer, B. Writer\""));
  EXPECT_TRUE(Has(r.body, "value=\"An alt without image\""));
  // Fixing the image still leaves the headline to fix; the field is named.
  f = With(f, "lead_image_alt", "");
  r = PostForm(b, "/admin/stories/new", f);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(Has(r.body, "id=\"headline-error\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "aria-describedby=\"headline-error\""));
  EXPECT_TRUE(Has(r.body, "A dek &amp; more"));
  EXPECT_TRUE(Has(r.body, "value=\"DHAKA\""));
  EXPECT_TRUE(Has(r.body, "value=\"one, two\""));
  EXPECT_TRUE(Has(r.body, "My &lt;typed&gt; body\nline two"));
  EXPECT_TRUE(Has(r.body, "value=\"some-slug\""));
  EXPECT_TRUE(Has(r.body, "id=\"featured\" name=\"featured\" type=\"checkbox\" value=\"on\" checked"));
  EXPECT_TRUE(store_->AllArticles()->empty());
}

TEST_F(AdminTest, StaleSaveIsAConflictThatKeepsTheTyping) {
  Browser one = LogIn(Role::kEditor);
  Browser two = LogIn(Role::kAdmin);
  std::int64_t id = CreateStory(one, "Shared story", "save");
  std::string url = "/admin/stories/" + std::to_string(id);
  Fields mine = EditorFields(one, id);
  Fields theirs = EditorFields(two, id);
  EXPECT_EQ(PostForm(two, url, With(With(theirs, "body", "Their text"), "action", "save")).status, 303);
  http::Response r = PostForm(one, url, With(With(mine, "body", "My careful text"), "action", "save"));
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(Has(r.body, "Someone else saved this story")) << r.body;
  EXPECT_TRUE(Has(r.body, "My careful text"));
  EXPECT_EQ(stories_->Get(id)->body, "Their text");
}

TEST_F(AdminTest, CorrectionsOnPublishedStories) {
  Browser b = LogIn(Role::kEditor);
  std::int64_t id = CreateStory(b, "Corrected story", "publish");
  std::string url = "/admin/stories/" + std::to_string(id) + "/corrections";
  http::Response empty = PostForm(b, url, {{"note", "   "}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_TRUE(Has(empty.body, "id=\"correction-error\"")) << empty.body;
  http::Response ok = PostForm(b, url, {{"note", "An earlier version misspelt the name."}});
  EXPECT_EQ(ok.status, 303);
  auto list = store_->ListCorrections(id);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].note, "An earlier version misspelt the name.");
  EXPECT_TRUE(Has(Get(b, "/admin/stories/" + std::to_string(id)).body, "misspelt the name"));
  // A contributor's draft shows no correction form.
  Browser c = LogIn(Role::kContributor);
  std::int64_t draft = CreateStory(c, "Draft", "save");
  EXPECT_FALSE(Has(Get(c, "/admin/stories/" + std::to_string(draft)).body, ">Add correction</button>"));
}

// --- Upload ---

TEST_F(AdminTest, UploadChecksTypeBySignatureAndSize) {
  Browser b = LogIn(Role::kAuthor);
  http::HeaderList h = {{"x-csrf-token", b.csrf}, {"content-type", "image/png"}};
  http::Response png = Send(b, "POST", "/admin/media?name=My%20Photo!.PNG", PngBytes(), h);
  ASSERT_EQ(png.status, 201) << png.body;
  json out = json::parse(png.body);
  std::string url = out["url"];
  EXPECT_TRUE(std::regex_match(url, std::regex("/media/uploads/2025/05/my-photo-[0-9a-f]{10}\\.png")))
      << url;
  std::filesystem::path file = dir_.path() / "media" / url.substr(7);
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(std::filesystem::file_size(file), PngBytes().size());
  // A second upload of the same name gets a different file.
  json again = json::parse(Send(b, "POST", "/admin/media?name=My%20Photo!.PNG", PngBytes(), h).body);
  EXPECT_NE(again["url"], url);

  http::Response text = Send(b, "POST", "/admin/media?name=evil.png", "<script>alert(1)</script>", h);
  EXPECT_EQ(text.status, 415);
  std::string big = PngBytes() + std::string(Admin::kMaxUploadBytes, 'x');
  EXPECT_EQ(Send(b, "POST", "/admin/media?name=big.png", big, h).status, 413);
  EXPECT_EQ(Send(b, "POST", "/admin/media?name=e.png", "", h).status, 400);
  // A path in the name does not leave the media folder.
  json sneaky = json::parse(Send(b, "POST", "/admin/media?name=..%2F..%2Fetc%2Fpasswd.png", PngBytes(), h).body);
  EXPECT_TRUE(std::string(sneaky["url"]).starts_with("/media/uploads/2025/05/passwd-"));
  // GIF, JPEG and WebP signatures are accepted with their own extension.
  EXPECT_TRUE(Has(Send(b, "POST", "/admin/media?name=a", std::string("GIF89a") + "rest", h).body, ".gif"));
  EXPECT_TRUE(Has(Send(b, "POST", "/admin/media?name=a", std::string("\xFF\xD8\xFF\xE0", 4) + "jfif", h).body, ".jpg"));
  EXPECT_TRUE(Has(Send(b, "POST", "/admin/media?name=a", std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), h).body, ".webp"));

  Browser c = LogIn(Role::kContributor);
  EXPECT_EQ(Send(c, "POST", "/admin/media?name=a.png", PngBytes(), {{"x-csrf-token", c.csrf}}).status, 403);
}

// --- Previews ---

TEST_F(AdminTest, StoryPreviewOnlyForLoggedInStaffAllowedToPreview) {
  Browser author = LogIn(Role::kAuthor);
  std::int64_t id = CreateStory(author, "Secret draft", "save");
  std::string url = "/admin/stories/" + std::to_string(id) + "/preview";
  Browser stranger;
  http::Response out = Get(stranger, url);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(previews_, 0);
  http::Response r = Get(author, url);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<p>READER PAGE: Secret draft</p>");
  EXPECT_EQ(HeaderOf(r, "cache-control"), "no-store");
  EXPECT_EQ(HeadersOf(r, "cache-control").size(), 1u);
  EXPECT_EQ(HeaderOf(r, "x-robots-tag"), "noindex");
  // A contributor may not preview someone else's story; the editor page
  // then has no Preview button either.
  Browser contributor = LogIn(Role::kContributor);
  EXPECT_EQ(Get(contributor, url).status, 403);
  EXPECT_FALSE(Has(Get(contributor, "/admin/stories/" + std::to_string(id)).body, ">Preview</button>"));
  EXPECT_TRUE(Has(Get(author, "/admin/stories/" + std::to_string(id)).body, ">Preview</button>"));
  EXPECT_EQ(previews_, 1);
}

TEST_F(AdminTest, BodyPreviewUsesTheServersSanitizingRenderer) {
  Browser b = LogIn(Role::kContributor);
  http::Response r = PostJson(b, "/admin/preview",
                              {{"body", "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"},
                               {"body_format", "markdown"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  std::string html = json::parse(r.body)["html"];
  EXPECT_TRUE(Has(html, "<strong>Bold</strong>")) << html;
  EXPECT_FALSE(Has(html, "<script")) << html;
  EXPECT_FALSE(Has(html, "javascript:")) << html;
  EXPECT_EQ(PostJson(b, "/admin/preview", {{"nobody", 1}}).status, 400);
}

// --- Revisions ---

TEST_F(AdminTest, RevisionsShowADiffAndRestore) {
  Browser b = LogIn(Role::kEditor);
  std::int64_t id = CreateStory(b, "Revised", "save");
  std::string url = "/admin/stories/" + std::to_string(id);
  clock_.Advance(60);
  Fields f = With(With(EditorFields(b, id), "body", "First paragraph.\n\nA rewritten second paragraph."),
                  "action", "save");
  ASSERT_EQ(PostForm(b, url, f).status, 303);
  auto revisions = store_->ListRevisions(id);
  ASSERT_TRUE(revisions.has_value());
  ASSERT_EQ(revisions->size(), 2u);

  http::Response page = Get(b, url + "/revisions");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "<ins>    A rewritten second paragraph.</ins>")) << page.body;
  EXPECT_TRUE(Has(page.body, "<del>    Second paragraph.</del>"));
  EXPECT_TRUE(Has(page.body, "Eddie Editor"));
  EXPECT_TRUE(Has(page.body, "<ins>headline: Revised</ins>")) << "the first version is all new";
  std::string restore = url + "/revisions/" + std::to_string(revisions->back().id) + "/restore";
  EXPECT_TRUE(Has(page.body, "action=\"" + restore + "\""));
  // The newest revision is the current content: no Restore for it.
  EXPECT_FALSE(Has(page.body, "/revisions/" + std::to_string(revisions->front().id) + "/restore"));

  EXPECT_EQ(PostForm(b, restore, {}, /*with_csrf=*/false).status, 403);
  http::Response r = PostForm(b, restore, {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(HeaderOf(r, "location"), url + "?done=restored");
  EXPECT_EQ(stories_->Get(id)->body, "First paragraph.\n\nSecond paragraph.");
  EXPECT_EQ(store_->ListRevisions(id)->size(), 3u);

  // A contributor sees the history of a story but cannot restore it.
  Browser c = LogIn(Role::kContributor);
  EXPECT_EQ(Get(c, url + "/revisions").status, 200);
  EXPECT_FALSE(Has(Get(c, url + "/revisions").body, "Restore this revision"));
  std::string rewrite =
      url + "/revisions/" + std::to_string(revisions->front().id) + "/restore";
  EXPECT_EQ(PostForm(c, rewrite, {}).status, 403);
  EXPECT_EQ(stories_->Get(id)->body, "First paragraph.\n\nSecond paragraph.");
}

// --- Autosave ---

TEST_F(AdminTest, AutosaveUpdatesADraftAndCreatesANewOne) {
  Browser b = LogIn(Role::kContributor);
  // A new story: the first autosave creates it.
  http::Response made = PostJson(b, "/admin/stories/new/autosave",
                                 {{"headline", "Typed so far"}, {"body", "Half a sentence"},
                                  {"version", ""}});
  ASSERT_EQ(made.status, 201) << made.body;
  json m = json::parse(made.body);
  std::int64_t id = m["id"];
  EXPECT_EQ(m["edit_url"], "/admin/stories/" + std::to_string(id));
  EXPECT_EQ(stories_->Get(id)->status, PublishState::kDraft);

  std::string url = "/admin/stories/" + std::to_string(id) + "/autosave";
  http::Response saved = PostJson(b, url, {{"headline", "Typed so far"},
                                           {"body", "Half a sentence, now whole."},
                                           {"version", std::to_string(int(m["version"]))}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  json s = json::parse(saved.body);
  EXPECT_EQ(s["version"], int(m["version"]) + 1);
  EXPECT_EQ(stories_->Get(id)->body, "Half a sentence, now whole.");
  EXPECT_EQ(store_->ListRevisions(id)->front().note, "autosave");
  // Nothing changed: nothing saved.
  http::Response same = PostJson(b, url, {{"headline", "Typed so far"},
                                          {"body", "Half a sentence, now whole."},
                                          {"version", std::to_string(int(s["version"]))}});
  EXPECT_TRUE(json::parse(same.body).value("unchanged", false));
  EXPECT_EQ(store_->ListRevisions(id)->size(), 2u);
  // A stale version is a conflict.
  EXPECT_EQ(PostJson(b, url, {{"headline", "X"}, {"body", "Y"}, {"version", "1"}}).status, 409);
  // Without the header: refused.
  EXPECT_EQ(PostJson(b, url, {{"headline", "X"}, {"body", "Y"}}, false).status, 403);
  // The editor page tells the script to autosave to the server.
  http::Response page = Get(b, "/admin/stories/" + std::to_string(id));
  EXPECT_TRUE(Has(page.body, "data-autosave=\"server\""));
  EXPECT_TRUE(Has(page.body, "data-autosave-url=\"" + url + "\""));
}

TEST_F(AdminTest, PublishedStoriesAreNotAutosavedToTheServer) {
  Browser b = LogIn(Role::kEditor);
  std::int64_t id = CreateStory(b, "Live story", "publish");
  std::string url = "/admin/stories/" + std::to_string(id);
  http::Response r = PostJson(b, url + "/autosave", {{"headline", "Live story"}, {"body", "Half-typed"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(json::parse(r.body).value("local_only", false));
  EXPECT_EQ(stories_->Get(id)->body, "First paragraph.\n\nSecond paragraph.");
  http::Response page = Get(b, url);
  EXPECT_TRUE(Has(page.body, "data-autosave=\"local\""));
  EXPECT_TRUE(Has(page.body, "data-storage-key=\"dateline:story:" + std::to_string(id) + "\""));
}

// --- The list, tokens, account ---

TEST_F(AdminTest, StoryListFiltersSearchesSortsAndPages) {
  Browser b = LogIn(Role::kEditor);
  ASSERT_EQ(PostForm(b, "/admin/sections", {{"name", "Sport"}}).status, 303);
  CreateStory(b, "Cricket final tonight", "publish", {{"section", "sport"}});
  CreateStory(b, "Budget draft <leaked>", "save");
  for (int i = 0; i < Admin::kStoriesPerPage; ++i) CreateStory(b, "Filler " + std::to_string(i), "save");
  http::Response all = Get(b, "/admin/");
  EXPECT_EQ(all.status, 200);
  EXPECT_TRUE(Has(all.body, "27 stories"));
  EXPECT_TRUE(Has(all.body, "Page 1 of 2"));
  EXPECT_TRUE(Has(all.body, "href=\"/admin/?page=2\""));
  EXPECT_TRUE(Has(all.body, "Eddie Editor"));
  http::Response published = Get(b, "/admin/?status=published");
  EXPECT_TRUE(Has(published.body, "Cricket final tonight"));
  EXPECT_FALSE(Has(published.body, "Budget draft"));
  http::Response sport = Get(b, "/admin/?section=sport");
  EXPECT_TRUE(Has(sport.body, "1 stories"));
  http::Response search = Get(b, "/admin/?q=budget");
  EXPECT_TRUE(Has(search.body, "Budget draft &lt;leaked&gt;"));
  EXPECT_TRUE(Has(search.body, "1 stories"));
  http::Response sorted = Get(b, "/admin/?sort=headline&status=draft");
  std::size_t budget = sorted.body.find("Budget draft");
  std::size_t filler = sorted.body.find("Filler 0");
  ASSERT_NE(budget, std::string::npos);
  ASSERT_NE(filler, std::string::npos);
  EXPECT_LT(budget, filler);
}

TEST_F(AdminTest, ApiTokensAreShownOnceListedAndRevoked) {
  Browser b = LogIn(Role::kAuthor);
  http::Response r = PostForm(b, "/admin/tokens", {{"name", "wire importer"}});
  ASSERT_EQ(r.status, 200);
  std::string token = Extract(r.body, "id=\"new-token\">([0-9a-f]{64})<");
  ASSERT_FALSE(token.empty()) << r.body;
  EXPECT_TRUE(accounts_->FromApiToken(token).has_value());
  http::Response list = Get(b, "/admin/tokens");
  EXPECT_TRUE(Has(list.body, "wire importer"));
  EXPECT_FALSE(Has(list.body, token)) << "shown once only";
  auto tokens = store_->ListApiTokens(users_[Role::kAuthor].id);
  ASSERT_EQ(tokens->size(), 1u);
  std::string revoke = "/admin/tokens/" + std::to_string((*tokens)[0].id) + "/revoke";
  // Another user cannot revoke it.
  Browser other = LogIn(Role::kEditor);
  EXPECT_EQ(PostForm(other, revoke, {}).status, 404);
  EXPECT_EQ(PostForm(b, revoke, {}).status, 303);
  EXPECT_FALSE(accounts_->FromApiToken(token).has_value());
  EXPECT_EQ(PostForm(b, "/admin/tokens", {{"name", " "}}).status, 422);
}

TEST_F(AdminTest, AccountChangesOwnPassword) {
  Browser b = LogIn(Role::kAuthor);
  http::Response wrong = PostForm(b, "/admin/account", {{"current_password", "nope nope nope"},
                                                        {"password", "a new password!"},
                                                        {"password_repeat", "a new password!"}});
  EXPECT_EQ(wrong.status, 422);
  http::Response differ = PostForm(b, "/admin/account", {{"current_password", kPassword},
                                                         {"password", "a new password!"},
                                                         {"password_repeat", "another one!!"}});
  EXPECT_EQ(differ.status, 422);
  EXPECT_TRUE(Has(differ.body, "id=\"password_repeat-error\""));
  http::Response ok = PostForm(b, "/admin/account", {{"current_password", kPassword},
                                                     {"password", "a new password!"},
                                                     {"password_repeat", "a new password!"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(Has(ok.body, "Your password has been changed"));
  EXPECT_EQ(Get(b, "/admin/").status, 200) << "this session stays";
  Browser again;
  EXPECT_EQ(TryLogIn(again, "author@example.com", "a new password!").status, 303);
}

TEST_F(AdminTest, AssetsAreServedWithLongCaching) {
  Browser b;
  http::Response page = Get(b, "/admin/login");
  std::string css = Extract(page.body, "href=\"(/admin/assets/admin\\.[0-9a-f]{8}\\.css)\"");
  std::string js = Extract(page.body, "src=\"(/admin/assets/admin\\.[0-9a-f]{8}\\.js)\"");
  ASSERT_FALSE(css.empty());
  ASSERT_FALSE(js.empty());
  http::Response c = Get(b, css);
  EXPECT_EQ(c.status, 200);
  EXPECT_EQ(c.content_type, "text/css; charset=utf-8");
  EXPECT_TRUE(Has(HeaderOf(c, "cache-control"), "immutable"));
  http::Response j = Get(b, js);
  EXPECT_EQ(j.status, 200);
  EXPECT_TRUE(Has(j.body, "X-CSRF-Token"));
  EXPECT_EQ(Get(b, "/admin/assets/admin.css").status, 404);
}

TEST_F(AdminTest, EditorHasEveryLabelTheBrowserTestsUse) {
  Browser b = LogIn(Role::kEditor);
  std::int64_t id = CreateStory(b, "Labelled", "publish");
  http::Response page = Get(b, "/admin/stories/" + std::to_string(id));
  for (std::string label : {"Headline", "Dek", "Dateline", "Section", "Tags", "Authors", "Body",
                            "Lead image", "Alt text", "Caption", "Credit", "Excerpt", "Publish time",
                            "Related pins", "Featured", "SEO title", "SEO description",
                            "Correction"}) {
    std::string id_of = Extract(page.body, "<label for=\"([a-z_]+)\">" + label + "</label>");
    ASSERT_FALSE(id_of.empty()) << label;
    EXPECT_TRUE(Has(page.body, "id=\"" + id_of + "\"")) << label;
  }
  for (std::string button : {"Update", "Unpublish", "Delete", "Preview", "Add correction"}) {
    EXPECT_TRUE(Has(page.body, ">" + button + "</button>")) << button;
  }
  EXPECT_TRUE(Has(page.body, "<datalist id=\"tag-list\">"));
  EXPECT_TRUE(Has(page.body, "name=\"version\" value=\"1\""));
}

TEST_F(AdminTest, EditorShowsSavesAndKeepsTheSeoFields) {
  Browser b = LogIn(Role::kAuthor);
  // Two labelled fields, each with a hint about its length.
  http::Response blank = Get(b, "/admin/stories/new");
  ASSERT_EQ(blank.status, 200);
  EXPECT_TRUE(Has(blank.body, "<label for=\"seo_title\">SEO title</label>"));
  EXPECT_TRUE(Has(blank.body, "<label for=\"seo_description\">SEO description</label>"));
  EXPECT_TRUE(Has(blank.body, "id=\"seo_title\" name=\"seo_title\" type=\"text\" value=\"\""));
  EXPECT_TRUE(Has(blank.body, "aria-describedby=\"seo_title-hint\""));
  EXPECT_TRUE(Has(blank.body, "aria-describedby=\"seo_description-hint\""));
  EXPECT_TRUE(Has(Extract(blank.body, "id=\"seo_title-hint\">([^<]*)<"), "60 characters"));
  EXPECT_TRUE(Has(Extract(blank.body, "id=\"seo_description-hint\">([^<]*)<"), "160 characters"));

  // Saved (trimmed) and shown again, escaped.
  std::int64_t id = CreateStory(b, "Council votes on the budget", "save",
                                {{"seo_title", "  Budget vote: what changes & when  "},
                                 {"seo_description", "The council's \"yes\" in 3 points."}});
  Article a = *stories_->Get(id);
  EXPECT_EQ(a.seo_title, "Budget vote: what changes & when");
  EXPECT_EQ(a.seo_description, "The council's \"yes\" in 3 points.");
  EXPECT_EQ(a.headline, "Council votes on the budget");
  std::string url = "/admin/stories/" + std::to_string(id);
  http::Response page = Get(b, url);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "name=\"seo_title\" type=\"text\" value=\"Budget vote: what changes "
                             "&amp; when\"")) << page.body;
  EXPECT_TRUE(Has(page.body, ">\nThe council&#39;s &quot;yes&quot; in 3 points.</textarea>"))
      << page.body;

  // Too long: the field is marked, everything typed is kept, nothing saved.
  Fields f = EditorFields(b, id);
  f = With(f, "dek", "A dek typed alongside");
  f = With(f, "seo_title", std::string(201, 'x'));
  f = With(f, "seo_description", "Kept <as typed>");
  http::Response bad = PostForm(b, url, With(f, "action", "save"));
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_TRUE(Has(bad.body, "id=\"seo_title-error\"")) << bad.body;
  EXPECT_TRUE(Has(Extract(bad.body, "id=\"seo_title-error\">([^<]*)<"), "At most 200 bytes"));
  EXPECT_TRUE(Has(bad.body, "aria-describedby=\"seo_title-hint seo_title-error\" "
                            "aria-invalid=\"true\""));
  EXPECT_TRUE(Has(bad.body, "value=\"" + std::string(201, 'x') + "\""));
  EXPECT_TRUE(Has(bad.body, "Kept &lt;as typed&gt;</textarea>"));
  EXPECT_TRUE(Has(bad.body, "A dek typed alongside"));
  EXPECT_EQ(stories_->Get(id)->version, a.version);
  EXPECT_EQ(stories_->Get(id)->seo_title, "Budget vote: what changes & when");

  // Another field's error keeps them too.
  http::Response other = PostForm(
      b, url, With(With(With(f, "seo_title", "Fine title"), "headline", ""), "action", "save"));
  EXPECT_EQ(other.status, 422);
  EXPECT_TRUE(Has(other.body, "id=\"headline-error\""));
  EXPECT_TRUE(Has(other.body, "name=\"seo_title\" type=\"text\" value=\"Fine title\""));
  EXPECT_TRUE(Has(other.body, "Kept &lt;as typed&gt;</textarea>"));

  // Emptied: the story goes back to its headline and dek.
  ASSERT_EQ(PostForm(b, url, With(With(With(f, "seo_title", ""), "seo_description", " "), "action",
                                  "save"))
                .status,
            303);
  EXPECT_EQ(stories_->Get(id)->seo_title, "");
  EXPECT_EQ(stories_->Get(id)->seo_description, "");

  // Autosave carries them like the other fields.
  Article now = *stories_->Get(id);
  http::Response saved = PostJson(b, url + "/autosave",
                                  {{"headline", now.headline},
                                   {"body", now.body},
                                   {"seo_title", "Autosaved title"},
                                   {"version", std::to_string(now.version)}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(stories_->Get(id)->seo_title, "Autosaved title");
}

// --- HTML validity, when the Nu Html Checker is installed ---

TEST_F(AdminTest, EveryPageIsValidHtml) {
  std::filesystem::path jar = std::filesystem::path(DATELINE_SOURCE_DIR) / "node_modules" /
                              "vnu-jar" / "build" / "dist" / "vnu.jar";
  if (!std::filesystem::exists(jar) || std::system("java -version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "the Nu Html Checker (scripts/install-test-tools) or java is missing";
  }
  Browser b = LogIn(Role::kAdmin);
  ASSERT_EQ(PostForm(b, "/admin/sections", {{"name", "World"}}).status, 303);
  ASSERT_EQ(PostForm(b, "/admin/authors", {{"name", "Jane Doe"}, {"bio", "Bio"}}).status, 303);
  std::int64_t id = CreateStory(b, "Valid & sound", "publish",
                                {{"tags", "a, b"}, {"section", "world"}, {"lead_image_url", "/media/x.png"}});
  std::string story = "/admin/stories/" + std::to_string(id);
  ASSERT_EQ(PostForm(b, story + "/corrections", {{"note", "Fixed a name."}}).status, 303);
  PostForm(b, "/admin/tokens", {{"name", "ci"}});
  std::vector<std::pair<std::string, http::Response>> pages;
  Browser anon;
  pages.emplace_back("login", Get(anon, "/admin/login"));
  pages.emplace_back("login-error", TryLogIn(anon, "x@example.com", "wrong password"));
  for (const std::string& path : std::vector<std::string>{"/admin/", "/admin/?q=zzz", "/admin/stories/new", story, story + "/revisions",
                           "/admin/sections", "/admin/sections/world", "/admin/tags", "/admin/authors",
                           "/admin/authors/jane-doe", "/admin/users", "/admin/users/1", "/admin/tokens",
                           "/admin/account", "/admin/nope"}) {
    pages.emplace_back(path, Get(b, path));
  }
  pages.emplace_back("invalid story", PostForm(b, "/admin/stories/new", {{"headline", ""}, {"body", ""},
                                                                         {"published_at", "x"},
                                                                         {"action", "schedule"}}));
  pages.emplace_back("token shown", PostForm(b, "/admin/tokens", {{"name", "shown"}}));
  std::string args;
  std::map<std::string, std::string> names;
  int n = 0;
  for (const auto& [name, r] : pages) {
    std::string file = dir_ / ("page" + std::to_string(n++) + ".html");
    std::ofstream(file) << r.body;
    names[file] = name;
    args += " " + file;
  }
  std::string report = dir_ / "vnu.txt";
  int rc = std::system(("java -jar " + jar.string() + " --errors-only" + args + " 2>" + report).c_str());
  std::ifstream in(report);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  for (const auto& [file, name] : names) {
    for (std::size_t at = text.find(file); at != std::string::npos; at = text.find(file, at + 1)) {
      text.insert(at, "[" + name + "] ");
      at += name.size() + 3;
    }
  }
  EXPECT_EQ(rc, 0) << text;
}

}  // namespace
}  // namespace dateline::newsroom
