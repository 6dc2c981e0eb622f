// Admin: sections, tags and authors (editors and admins), users (admins)
// and the logged-in user's API tokens.
#include <charconv>
#include <map>
#include <set>

#include "newsroom/admin.h"
#include "newsroom/admin_util.h"
#include "text/slug.h"

namespace dateline::newsroom {

using nlohmann::json;
using namespace admin;

namespace {

constexpr std::string_view kTaxonomyRefusal =
    "Only editors and admins manage sections, tags and authors.";
constexpr std::string_view kUsersRefusal = "Only admins manage users.";

http::Response SeeOther(std::string location) {
  http::Response r = http::Response::Redirect(303, std::move(location));
  Harden(r);
  return r;
}

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string Done(const http::Request& req) {
  static const std::map<std::string, std::string, std::less<>> kMessages = {
      {"added", "Added."}, {"saved", "Saved."}, {"revoked", "The token was revoked."}};
  auto it = kMessages.find(req.QueryParam("done"));
  return it == kMessages.end() ? std::string() : it->second;
}

json ParentOptions(const std::vector<Section>& sections, std::string_view selected,
                   std::string_view except) {
  json out = json::array();
  for (const Section& s : sections) {
    if (s.slug == except) continue;
    out.push_back({{"value", s.slug}, {"label", s.name}, {"selected", s.slug == selected}});
  }
  return out;
}

// Whether making `parent` the parent of `slug` would close a loop.
bool MakesLoop(const std::vector<Section>& sections, std::string_view slug, std::string parent) {
  std::map<std::string, std::string> parents;
  for (const Section& s : sections) parents[s.slug] = s.parent_slug;
  std::set<std::string> seen;
  while (!parent.empty()) {
    if (parent == slug || !seen.insert(parent).second) return true;
    parent = parents[parent];
  }
  return false;
}

}  // namespace

// --- Sections ---

http::Response Admin::Sections(const Ctx& c, std::string_view slug) {
  if (!Allowed(c.user().role, Action::kManageTaxonomy, false)) {
    return ErrorPage(&c, 403, kTaxonomyRefusal);
  }
  auto sections = store_.ListSections();
  if (!sections) return StatusPage(&c, sections.error());
  bool post = c.req.method == "POST";
  const Form& f = c.form;
  json err = json::object();

  if (!slug.empty()) {  // one section: edit
    auto section = store_.GetSection(slug);
    if (!section) return StatusPage(&c, section.error());
    json values = {{"name", section->name},
                   {"position", std::to_string(section->position)},
                   {"parent", section->parent_slug}};
    int status = 200;
    if (post) {
      values = {{"name", f.Get("name")}, {"position", f.Get("position")}, {"parent", f.Get("parent")}};
      Section next = *section;
      next.name = std::string(Trim(f.Get("name")));
      next.parent_slug = std::string(Trim(f.Get("parent")));
      auto position = ParseInt(Trim(f.Get("position")));
      if (next.name.empty()) err["name"] = "Required";
      if (!position) err["position"] = "A whole number (lower comes first)";
      else next.position = *position;
      if (MakesLoop(*sections, next.slug, next.parent_slug)) {
        err["parent"] = "A section cannot sit inside itself";
      }
      if (err.empty()) {
        Status s = store_.SaveSection(next);
        if (s.ok()) return SeeOther("/admin/sections?done=saved");
        if (!s.IsInvalidArgument() && !s.IsNotFound()) return StatusPage(&c, s);
        err["name"] = Capitalized(s.message());
      }
      status = 422;
    }
    json model = {{"title", "Section: " + section->name},
                  {"nav_sections", true},
                  {"section", {{"slug", section->slug}, {"name", section->name}}},
                  {"f", values},
                  {"err", err},
                  {"parents", ParentOptions(*sections, values["parent"].get<std::string>(),
                                            section->slug)}};
    return Page(&c, status, "section", std::move(model));
  }

  json values = {{"name", ""}, {"slug", ""}, {"position", ""}, {"parent", ""}};
  int status = 200;
  if (post) {  // add
    values = {{"name", f.Get("name")},
              {"slug", f.Get("slug")},
              {"position", f.Get("position")},
              {"parent", f.Get("parent")}};
    Section next;
    next.name = std::string(Trim(f.Get("name")));
    next.slug = std::string(Trim(f.Get("slug")));
    if (next.slug.empty() && !next.name.empty()) next.slug = Slugify(next.name);
    next.parent_slug = std::string(Trim(f.Get("parent")));
    std::string position(Trim(f.Get("position")));
    if (position.empty()) {
      int last = 0;
      for (const Section& s : *sections) last = std::max(last, s.position);
      next.position = last + 1;
    } else if (auto p = ParseInt(position)) {
      next.position = *p;
    } else {
      err["position"] = "A whole number (lower comes first)";
    }
    if (next.name.empty()) err["name"] = "Required";
    if (!next.slug.empty() && !IsValidSlug(next.slug)) {
      err["slug"] = "Use a-z, 0-9 and '-' (or leave it empty to make one from the name)";
    }
    for (const Section& s : *sections) {
      if (s.slug == next.slug) err["slug"] = "\"" + s.slug + "\" is already the section " + s.name;
    }
    if (err.empty()) {
      Status s = store_.SaveSection(next);
      if (s.ok()) return SeeOther("/admin/sections?done=added");
      if (!s.IsInvalidArgument() && !s.IsNotFound()) return StatusPage(&c, s);
      err["name"] = Capitalized(s.message());
    }
    status = 422;
  }
  std::map<std::string, std::string> names;
  for (const Section& s : *sections) names[s.slug] = s.name;
  json rows = json::array();
  for (const Section& s : *sections) {
    rows.push_back({{"slug", s.slug},
                    {"name", s.name},
                    {"position", s.position},
                    {"parent", names.contains(s.parent_slug) ? names[s.parent_slug] : s.parent_slug},
                    {"edit_url", "/admin/sections/" + s.slug}});
  }
  json model = {{"title", "Sections"},
                {"nav_sections", true},
                {"sections", rows},
                {"f", values},
                {"err", err},
                {"notice", Done(c.req)},
                {"parents", ParentOptions(*sections, values["parent"].get<std::string>(), "")}};
  return Page(&c, status, "sections", std::move(model));
}

// --- Tags ---

http::Response Admin::Tags(const Ctx& c) {
  if (!Allowed(c.user().role, Action::kManageTaxonomy, false)) {
    return ErrorPage(&c, 403, kTaxonomyRefusal);
  }
  auto tags = store_.ListTags();
  if (!tags) return StatusPage(&c, tags.error());
  json rows = json::array();
  for (const Tag& t : *tags) rows.push_back({{"slug", t.slug}, {"name", t.name}});
  json model = {{"title", "Tags"}, {"nav_tags", true}, {"tags", rows}, {"count", tags->size()}};
  return Page(&c, 200, "tags", std::move(model));
}

// --- Authors ---

http::Response Admin::Authors(const Ctx& c, std::string_view slug) {
  if (!Allowed(c.user().role, Action::kManageTaxonomy, false)) {
    return ErrorPage(&c, 403, kTaxonomyRefusal);
  }
  bool post = c.req.method == "POST";
  const Form& f = c.form;
  json err = json::object();

  if (!slug.empty()) {  // one author: edit name and bio
    auto author = store_.GetAuthor(slug);
    if (!author) return StatusPage(&c, author.error());
    json values = {{"name", author->name}, {"bio", author->bio}};
    int status = 200;
    if (post) {
      values = {{"name", f.Get("name")}, {"bio", f.Get("bio")}};
      Author next = *author;
      next.name = std::string(Trim(f.Get("name")));
      next.bio = std::string(Trim(f.Get("bio")));
      if (next.name.empty()) err["name"] = "Required";
      if (err.empty()) {
        Status s = store_.SaveAuthor(next);
        if (s.ok()) return SeeOther("/admin/authors?done=saved");
        if (!s.IsInvalidArgument()) return StatusPage(&c, s);
        err["name"] = Capitalized(s.message());
      }
      status = 422;
    }
    json model = {{"title", "Author: " + author->name},
                  {"nav_authors", true},
                  {"author", {{"slug", author->slug}, {"name", author->name}}},
                  {"f", values},
                  {"err", err}};
    return Page(&c, status, "author", std::move(model));
  }

  auto authors = store_.ListAuthors();
  if (!authors) return StatusPage(&c, authors.error());
  json values = {{"name", ""}, {"slug", ""}, {"bio", ""}};
  int status = 200;
  if (post) {  // add
    values = {{"name", f.Get("name")}, {"slug", f.Get("slug")}, {"bio", f.Get("bio")}};
    Author next;
    next.name = std::string(Trim(f.Get("name")));
    next.slug = std::string(Trim(f.Get("slug")));
    next.bio = std::string(Trim(f.Get("bio")));
    if (next.slug.empty() && !next.name.empty()) next.slug = Slugify(next.name);
    if (next.name.empty()) err["name"] = "Required";
    if (!next.slug.empty() && !IsValidSlug(next.slug)) {
      err["slug"] = "Use a-z, 0-9 and '-' (or leave it empty to make one from the name)";
    }
    for (const Author& a : *authors) {
      if (a.slug == next.slug) err["slug"] = "\"" + a.slug + "\" is already the author " + a.name;
    }
    if (err.empty()) {
      Status s = store_.SaveAuthor(next);
      if (s.ok()) return SeeOther("/admin/authors?done=added");
      if (!s.IsInvalidArgument()) return StatusPage(&c, s);
      err["name"] = Capitalized(s.message());
    }
    status = 422;
  }
  json rows = json::array();
  for (const Author& a : *authors) {
    rows.push_back({{"slug", a.slug},
                    {"name", a.name},
                    {"bio", a.bio.size() > 120 ? a.bio.substr(0, 117) + "..." : a.bio},
                    {"edit_url", "/admin/authors/" + a.slug}});
  }
  json model = {{"title", "Authors"}, {"nav_authors", true}, {"authors", rows},
                {"f", values},        {"err", err},          {"notice", Done(c.req)}};
  return Page(&c, status, "authors", std::move(model));
}

// --- Users ---

http::Response Admin::Users(const Ctx& c, std::optional<std::int64_t> id) {
  const User& me = c.user();
  if (!Allowed(me.role, Action::kManageUsers, false)) return ErrorPage(&c, 403, kUsersRefusal);
  bool post = c.req.method == "POST";
  const Form& f = c.form;
  json err = json::object();

  if (id) {  // one user: role, disabled, name, password reset
    auto user = store_.GetUser(*id);
    if (!user) return StatusPage(&c, user.error());
    json values = {{"name", user->name},
                   {"role", RoleName(user->role)},
                   {"disabled", user->disabled}};
    int status = 200;
    if (post) {
      values = {{"name", f.Get("name")},
                {"role", f.Get("role")},
                {"disabled", !f.Get("disabled").empty()}};
      User next = *user;
      next.name = std::string(Trim(f.Get("name")));
      next.disabled = !f.Get("disabled").empty();
      auto role = ParseRole(f.Get("role"));
      if (!role) err["role"] = "Choose a role";
      else next.role = *role;
      if (next.name.empty()) err["name"] = "Required";
      if (next.id == me.id && (next.disabled || next.role != Role::kAdmin)) {
        err["role"] = "You cannot take away your own admin role or disable yourself; "
                      "ask another admin";
      }
      std::string password = f.Get("password");
      if (!password.empty()) {
        if (Status s = CheckPasswordRules(password); !s.ok()) err["password"] = ErrorsOf(s).begin()->second;
      }
      if (err.empty()) {
        Status s = store_.SaveUser(next);
        if (s.ok() && !password.empty()) s = accounts_.SetPassword(next.id, password);
        if (s.ok() && next.disabled && !user->disabled) s = store_.DeleteSessionsOf(next.id);
        if (s.ok()) return SeeOther("/admin/users?done=saved");
        if (!s.IsInvalidArgument() && !s.IsConflict()) return StatusPage(&c, s);
        for (auto& [field, reason] : ErrorsOf(s)) err[field.empty() ? "name" : field] = reason;
      }
      status = 422;
    }
    json model = {{"title", "User: " + user->name},
                  {"nav_users", true},
                  {"user", {{"id", user->id}, {"email", user->email}, {"name", user->name},
                            {"url", "/admin/users/" + std::to_string(user->id)}}},
                  {"f", values},
                  {"err", err},
                  {"roles", RoleOptions(ParseRole(values["role"].get<std::string>())
                                            .value_or(user->role))}};
    return Page(&c, status, "user", std::move(model));
  }

  json values = {{"name", ""}, {"email", ""}, {"role", "contributor"}};
  int status = 200;
  if (post) {  // add
    values = {{"name", f.Get("name")}, {"email", f.Get("email")}, {"role", f.Get("role")}};
    auto role = ParseRole(f.Get("role"));
    if (!role) {
      err["role"] = "Choose a role";
    } else {
      auto added = accounts_.AddUser(Trim(f.Get("email")), Trim(f.Get("name")), *role,
                                     f.Get("password"));
      if (added) return SeeOther("/admin/users?done=added");
      const Status& s = added.error();
      if (!s.IsInvalidArgument() && !s.IsConflict()) return StatusPage(&c, s);
      for (auto& [field, reason] : ErrorsOf(s)) err[field.empty() ? "email" : field] = reason;
    }
    status = 422;
  }
  auto users = store_.ListUsers();
  if (!users) return StatusPage(&c, users.error());
  json rows = json::array();
  for (const User& u : *users) {
    rows.push_back({{"id", u.id},
                    {"name", u.name},
                    {"email", u.email},
                    {"role", RoleName(u.role)},
                    {"disabled", u.disabled},
                    {"created", Time(u.created_at)},
                    {"edit_url", "/admin/users/" + std::to_string(u.id)}});
  }
  Role selected = ParseRole(values["role"].get<std::string>()).value_or(Role::kContributor);
  json model = {{"title", "Users"},      {"nav_users", true}, {"users", rows},
                {"f", values},           {"err", err},        {"notice", Done(c.req)},
                {"roles", RoleOptions(selected)}};
  return Page(&c, status, "users", std::move(model));
}

// --- API tokens ---

http::Response Admin::Tokens(const Ctx& c, std::optional<std::int64_t> revoke_id) {
  const User& me = c.user();
  auto tokens = store_.ListApiTokens(me.id);
  if (!tokens) return StatusPage(&c, tokens.error());
  if (revoke_id) {
    bool mine = false;
    for (const ApiToken& t : *tokens) mine = mine || t.id == *revoke_id;
    if (!mine) return ErrorPage(&c, 404, "You have no such token.");
    Status s = store_.RevokeApiToken(*revoke_id);
    if (!s.ok()) return StatusPage(&c, s);
    return SeeOther("/admin/tokens?done=revoked");
  }
  json model = {{"title", "API tokens"}, {"nav_tokens", true}, {"err", json::object()},
                {"notice", Done(c.req)}};
  int status = 200;
  if (c.req.method == "POST") {
    std::string name(Trim(c.form.Get("name")));
    model["name"] = c.form.Get("name");
    if (name.empty()) {
      model["err"]["name"] = "Give the token a name (what will use it)";
      status = 422;
    } else if (name.size() > 200) {
      model["err"]["name"] = "At most 200 characters";
      status = 422;
    } else {
      auto created = accounts_.CreateApiToken(me.id, name);
      if (!created) return StatusPage(&c, created.error());
      model["new_token"] = {{"name", created->record.name}, {"token", created->token}};
      model["name"] = "";
      auto again = store_.ListApiTokens(me.id);
      if (!again) return StatusPage(&c, again.error());
      tokens = std::move(again);
    }
  }
  json rows = json::array();
  for (const ApiToken& t : *tokens) {
    json row = {{"id", t.id},
                {"name", t.name},
                {"created", Time(t.created_at)},
                {"last_used", t.last_used_at ? Time(*t.last_used_at) : std::string("never")},
                {"revoked", t.revoked},
                {"revoke_url", "/admin/tokens/" + std::to_string(t.id) + "/revoke"}};
    rows.push_back(row);
  }
  model["tokens"] = rows;
  return Page(&c, status, "tokens", std::move(model));
}

}  // namespace dateline::newsroom
