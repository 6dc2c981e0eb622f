// The newsroom's write side through the REST API handler: tokens, the role
// matrix, the workflow, revisions, corrections, stale versions and the
// scheduler, on a real SQLite store with a controllable clock.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "newsroom/accounts.h"
#include "newsroom/api.h"
#include "newsroom/scheduler.h"
#include "newsroom/stories.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline::newsroom {
namespace {

using nlohmann::json;

constexpr Seconds kStart = 1'780'000'000;  // 2026-05-28

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {Slugify, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    accounts_ = std::make_unique<Accounts>(*store_, clock_);
    stories_ = std::make_unique<Stories>(*store_, clock_, TimeZone::Utc(), "en");
    settings_.base_url = "https://news.example";
    api_ = std::make_unique<Api>(*accounts_, *stories_, *store_, settings_);
    ASSERT_TRUE(store_->EnsureSection("world", "World").has_value());
    ASSERT_TRUE(store_->EnsureSection("sport", "Sport").has_value());
    for (Role r : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
      std::string name(RoleName(r));
      auto u = accounts_->AddUser(name + "@news.example", "The " + name, r, "correct horse battery");
      ASSERT_TRUE(u.has_value()) << u.error().ToString();
      auto t = accounts_->CreateApiToken(u->id, "test");
      ASSERT_TRUE(t.has_value()) << t.error().ToString();
      users_[r] = *u;
      tokens_[r] = t->token;
    }
  }

  http::Response Call(Role as, std::string method, std::string target, const json& body = nullptr,
                      http::HeaderList extra = {}) {
    return CallWithToken(tokens_[as], std::move(method), std::move(target), body, std::move(extra));
  }

  http::Response CallWithToken(const std::string& token, std::string method, std::string target,
                               const json& body = nullptr, http::HeaderList extra = {}) {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    std::size_t q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    if (!body.is_null()) {
      req.headers.emplace_back("content-type", "application/json");
      req.body = body.dump();
    }
    for (auto& h : extra) req.headers.push_back(std::move(h));
    req.remote_address = "127.0.0.1";
    return api_->Handle(req);
  }

  static json Body(const http::Response& r) { return json::parse(r.body); }

  // A story created by `owner` with the given status (via an editor when
  // the owner's role may not reach that status).
  std::int64_t MakeStory(Role owner, PublishState status) {
    json draft = {{"headline", "Story of the " + std::string(RoleName(owner))},
                  {"body", "First paragraph.\n\n## A subheading\n\nMore text."},
                  {"section", "world"}};
    auto r = Call(owner, "POST", "/api/v1/stories", draft);
    EXPECT_EQ(r.status, 201) << r.body;
    std::int64_t id = Body(r)["id"].get<std::int64_t>();
    if (status == PublishState::kDraft) return id;
    json change = {{"status", PublishStateName(status)}};
    if (status == PublishState::kScheduled) change["published_at"] = "2026-06-01T00:00:00Z";
    if (status == PublishState::kUnpublished) {
      EXPECT_EQ(Call(Role::kEditor, "PATCH", Path(id), {{"status", "published"}}).status, 200);
    }
    auto p = Call(Role::kEditor, "PATCH", Path(id), change);
    EXPECT_EQ(p.status, 200) << p.body;
    return id;
  }

  static std::string Path(std::int64_t id) { return "/api/v1/stories/" + std::to_string(id); }

  testing::TempDir dir_;
  FakeClock clock_{kStart};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Stories> stories_;
  SiteSettings settings_;
  std::unique_ptr<Api> api_;
  std::map<Role, User> users_;
  std::map<Role, std::string> tokens_;
};

TEST_F(ApiTest, RefusesRequestsWithoutAValidToken) {
  auto none = CallWithToken("", "GET", "/api/v1/stories");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Body(none)["error"]["code"], "unauthorized");
  auto bad = CallWithToken(std::string(64, 'a'), "GET", "/api/v1/stories");
  EXPECT_EQ(bad.status, 401);
  auto editor_tokens = store_->ListApiTokens(users_[Role::kEditor].id);
  ASSERT_TRUE(editor_tokens.has_value());
  ASSERT_EQ(editor_tokens->size(), 1u);
  ASSERT_TRUE(store_->RevokeApiToken(editor_tokens->front().id).ok());
  EXPECT_EQ(Call(Role::kEditor, "GET", "/api/v1/stories").status, 401);
  EXPECT_EQ(Call(Role::kAuthor, "GET", "/api/v1/me").status, 200);
  EXPECT_EQ(Body(Call(Role::kAuthor, "GET", "/api/v1/me"))["role"], "author");
}

TEST_F(ApiTest, CreateReturns201WithIdAndTheBulkFields) {
  auto r = Call(Role::kAuthor, "POST", "/api/v1/stories",
                {{"headline", "Harbour reopens"}, {"body", "Ships are back."},
                 {"tags", {"Ports", "Trade"}}, {"section", "world"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json j = Body(r);
  EXPECT_GT(j["id"].get<std::int64_t>(), 0);
  EXPECT_EQ(j["slug"], "harbour-reopens");
  EXPECT_EQ(j["status"], "draft");
  EXPECT_EQ(j["authors"], json::array({"The author"}));
  EXPECT_EQ(j["tags"], json::array({"Ports", "Trade"}));
  EXPECT_EQ(j["version"], 1);
  bool has_location = false;
  for (const auto& [k, v] : r.headers) {
    if (k == "Location") has_location = v == Path(j["id"].get<std::int64_t>());
  }
  EXPECT_TRUE(has_location);
  auto got = Call(Role::kContributor, "GET", Path(j["id"].get<std::int64_t>()));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Body(got)["headline"], "Harbour reopens");
}

TEST_F(ApiTest, InvalidFieldsAre422NamingTheField) {
  auto r = Call(Role::kAuthor, "POST", "/api/v1/stories", {{"body", "No headline."}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Body(r)["error"]["field"], "headline");
  auto unknown = Call(Role::kAuthor, "POST", "/api/v1/stories",
                      {{"headline", "H"}, {"body", "B"}, {"colour", "red"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(Body(unknown)["error"]["field"], "colour");
  auto time = Call(Role::kAuthor, "POST", "/api/v1/stories",
                   {{"headline", "H"}, {"body", "B"}, {"published_at", "tomorrow"}});
  EXPECT_EQ(time.status, 422);
  EXPECT_EQ(Body(time)["error"]["field"], "published_at");
  http::Request raw;
  raw.method = "POST";
  raw.path = raw.target = "/api/v1/stories";
  raw.headers = {{"authorization", "Bearer " + tokens_[Role::kAuthor]},
                 {"content-type", "application/json"}};
  raw.body = "{not json";
  EXPECT_EQ(api_->Handle(raw).status, 400);
  EXPECT_EQ(Call(Role::kAuthor, "GET", "/api/v1/stories/999999").status, 404);
  EXPECT_EQ(Call(Role::kAuthor, "GET", "/api/v1/stories?status=gone").status, 422);
}

// The SEO fields come with the bulk format: created, read, patched,
// cleared with null, limited, and kept in revisions.
TEST_F(ApiTest, SeoTitleAndDescriptionAreCreatedPatchedAndCleared) {
  auto r = Call(Role::kAuthor, "POST", "/api/v1/stories",
                {{"headline", "Harbour reopens"},
                 {"body", "Ships are back."},
                 {"seo_title", "Harbour reopens after three weeks"},
                 {"seo_description", "Ships & ferries are back in port."}});
  ASSERT_EQ(r.status, 201) << r.body;
  json j = Body(r);
  std::int64_t id = j["id"].get<std::int64_t>();
  EXPECT_EQ(j["seo_title"], "Harbour reopens after three weeks");
  EXPECT_EQ(j["seo_description"], "Ships & ferries are back in port.");
  EXPECT_EQ(j["headline"], "Harbour reopens");
  Article stored = *store_->GetArticle(id);
  EXPECT_EQ(stored.seo_title, "Harbour reopens after three weeks");
  EXPECT_EQ(stored.seo_description, "Ships & ferries are back in port.");
  // In the bulk format's order: after the story's fields, before the API's own.
  std::string text = Call(Role::kAuthor, "GET", Path(id)).body;
  EXPECT_LT(text.find("\"seo_title\""), text.find("\"seo_description\""));
  EXPECT_LT(text.find("\"seo_description\""), text.find("\"created_at\""));

  // A patch changes only what it names.
  auto p = Call(Role::kAuthor, "PATCH", Path(id), {{"seo_title", "Ships return to the harbour"}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(Body(p)["seo_title"], "Ships return to the harbour");
  EXPECT_EQ(Body(p)["seo_description"], "Ships & ferries are back in port.");
  EXPECT_EQ(Body(p)["version"], 2);
  auto got = Body(Call(Role::kContributor, "GET", Path(id)));
  EXPECT_EQ(got["seo_title"], "Ships return to the harbour");

  // Too long: 422 naming the field, nothing written.
  auto long_title = Call(Role::kAuthor, "PATCH", Path(id), {{"seo_title", std::string(201, 'x')}});
  EXPECT_EQ(long_title.status, 422) << long_title.body;
  EXPECT_EQ(Body(long_title)["error"]["field"], "seo_title");
  auto long_description =
      Call(Role::kAuthor, "POST", "/api/v1/stories",
           {{"headline", "H"}, {"body", "B"}, {"seo_description", std::string(501, 'x')}});
  EXPECT_EQ(long_description.status, 422);
  EXPECT_EQ(Body(long_description)["error"]["field"], "seo_description");
  EXPECT_EQ(store_->GetArticle(id)->version, 2);
  EXPECT_EQ(store_->GetArticle(id)->seo_title, "Ships return to the harbour");

  // null clears one; an empty field is left out of the answer.
  auto cleared = Call(Role::kAuthor, "PATCH", Path(id), {{"seo_description", nullptr}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_FALSE(Body(cleared).contains("seo_description"));
  EXPECT_EQ(Body(cleared)["seo_title"], "Ships return to the harbour");
  EXPECT_EQ(store_->GetArticle(id)->seo_description, "");

  // Each save's revision holds them; restoring the first brings them back.
  json revisions = Body(Call(Role::kAuthor, "GET", Path(id) + "/revisions"))["revisions"];
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[2]["content"]["seo_title"], "Harbour reopens after three weeks");
  EXPECT_FALSE(revisions[0]["content"].contains("seo_description"));
  auto restored =
      stories_->Restore(users_[Role::kAuthor], id, revisions[2]["id"].get<std::int64_t>());
  ASSERT_TRUE(restored.has_value()) << restored.error().ToString();
  EXPECT_EQ(restored->seo_title, "Harbour reopens after three weeks");
  EXPECT_EQ(restored->seo_description, "Ships & ferries are back in port.");
}

// Every role against every story action, on its own story and on someone
// else's, in the state the action starts from.
TEST_F(ApiTest, RoleMatrix) {
  struct Case {
    const char* name;
    PublishState start;
    json patch;  // empty: DELETE
  };
  const std::vector<Case> cases = {
      {"edit draft", PublishState::kDraft, {{"dek", "A new dek"}}},
      {"submit", PublishState::kDraft, {{"status", "review"}}},
      {"publish", PublishState::kDraft, {{"status", "published"}}},
      {"schedule", PublishState::kDraft, {{"status", "scheduled"}, {"published_at", "2026-07-01T08:00:00Z"}}},
      {"edit published", PublishState::kPublished, {{"dek", "Changed after publication"}}},
      {"unpublish", PublishState::kPublished, {{"status", "unpublished"}}},
      {"pins", PublishState::kDraft, {{"related_pins", {"some-other-story"}}}},
      {"delete draft", PublishState::kDraft, nullptr},
      {"delete published", PublishState::kPublished, nullptr},
  };
  // Expected outcome for (role, own): true = allowed.
  auto expected = [](Role role, bool own, const std::string& name) {
    bool editor = role == Role::kEditor || role == Role::kAdmin;
    if (editor) return true;
    if (name == "pins") return false;
    if (role == Role::kAuthor) return own;
    // contributor
    return own && (name == "edit draft" || name == "submit" || name == "delete draft");
  };
  for (Role role : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
    for (bool own : {true, false}) {
      for (const Case& c : cases) {
        // The story belongs to `role` (own) or to a different role's user.
        Role owner = own ? role : (role == Role::kAuthor ? Role::kContributor : Role::kAuthor);
        if (!own && role == Role::kContributor) owner = Role::kAuthor;
        std::int64_t id = MakeStory(owner, c.start);
        http::Response r = c.patch.is_null() ? Call(role, "DELETE", Path(id))
                                             : Call(role, "PATCH", Path(id), c.patch);
        bool allowed = expected(role, own, c.name);
        SCOPED_TRACE(std::string(RoleName(role)) + (own ? " own " : " other's ") + c.name);
        if (allowed) {
          EXPECT_TRUE(r.status == 200 || r.status == 204) << r.status << " " << r.body;
        } else {
          EXPECT_EQ(r.status, 403) << r.body;
          EXPECT_EQ(Body(r)["error"]["code"], "forbidden");
          // Nothing changed.
          auto after = store_->GetArticle(id);
          ASSERT_TRUE(after.has_value());
          EXPECT_EQ(after->status, c.start);
        }
      }
    }
  }
}

TEST_F(ApiTest, WorkflowRules) {
  std::int64_t id = MakeStory(Role::kEditor, PublishState::kDraft);
  // Scheduling needs a future time; publishing refuses one.
  auto past = Call(Role::kEditor, "PATCH", Path(id),
                   {{"status", "scheduled"}, {"published_at", "2020-01-01T00:00:00Z"}});
  EXPECT_EQ(past.status, 422);
  EXPECT_EQ(Body(past)["error"]["field"], "published_at");
  auto future_publish = Call(Role::kEditor, "PATCH", Path(id),
                             {{"status", "published"}, {"published_at", "2030-01-01T00:00:00Z"}});
  EXPECT_EQ(future_publish.status, 422);
  auto pub = Call(Role::kEditor, "PATCH", Path(id), {{"status", "published"}});
  ASSERT_EQ(pub.status, 200);
  EXPECT_EQ(Body(pub)["published_at"], "2026-05-28T20:26:40+00:00");
  EXPECT_FALSE(Body(pub).contains("updated_at"));
  // A published story goes to draft only through unpublishing.
  auto back = Call(Role::kEditor, "PATCH", Path(id), {{"status", "draft"}});
  EXPECT_EQ(back.status, 422);
  EXPECT_EQ(Body(back)["error"]["field"], "status");
  // Editing it makes it "updated".
  clock_.Advance(600);
  auto edit = Call(Role::kEditor, "PATCH", Path(id), {{"dek", "New detail"}});
  ASSERT_EQ(edit.status, 200);
  EXPECT_EQ(Body(edit)["updated_at"], "2026-05-28T20:36:40+00:00");
  EXPECT_EQ(Body(edit)["status"], "published");
  auto un = Call(Role::kEditor, "PATCH", Path(id), {{"status", "unpublished"}});
  ASSERT_EQ(un.status, 200);
  EXPECT_EQ(Body(un)["status"], "unpublished");
  // Republishing keeps the first publish time.
  auto again = Call(Role::kEditor, "PATCH", Path(id), {{"status", "published"}});
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Body(again)["published_at"], "2026-05-28T20:26:40+00:00");
}

TEST_F(ApiTest, StaleVersionIs409AndWritesNothing) {
  std::int64_t id = MakeStory(Role::kAuthor, PublishState::kDraft);
  auto first = Call(Role::kAuthor, "PATCH", Path(id), {{"dek", "One"}, {"version", 1}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Body(first)["version"], 2);
  auto stale = Call(Role::kAuthor, "PATCH", Path(id), {{"dek", "Two"}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Body(stale)["error"]["code"], "conflict");
  auto via_header = Call(Role::kAuthor, "PATCH", Path(id), {{"dek", "Three"}}, {{"if-match", "\"1\""}});
  EXPECT_EQ(via_header.status, 409);
  EXPECT_EQ(store_->GetArticle(id)->dek, "One");
}

TEST_F(ApiTest, EverySaveIsARevisionAndRestoreBringsContentBack) {
  std::int64_t id = MakeStory(Role::kAuthor, PublishState::kDraft);
  ASSERT_EQ(Call(Role::kAuthor, "PATCH", Path(id), {{"headline", "Second headline"}}).status, 200);
  ASSERT_EQ(Call(Role::kAuthor, "PATCH", Path(id), {{"headline", "Third headline"}, {"dek", "D"}}).status, 200);
  auto list = Call(Role::kAuthor, "GET", Path(id) + "/revisions");
  ASSERT_EQ(list.status, 200);
  json revisions = Body(list)["revisions"];
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[0]["content"]["headline"], "Third headline");  // newest first
  EXPECT_EQ(revisions[2]["note"], "create");
  EXPECT_EQ(revisions[2]["user_id"], users_[Role::kAuthor].id);
  std::int64_t first = revisions[2]["id"].get<std::int64_t>();
  auto restored = stories_->Restore(users_[Role::kAuthor], id, first);
  ASSERT_TRUE(restored.has_value()) << restored.error().ToString();
  EXPECT_EQ(restored->headline, "Story of the author");
  EXPECT_EQ(restored->dek, "");  // absent in the old revision: cleared
  EXPECT_EQ(store_->ListRevisions(id)->size(), 4u);
  // Another article's revision cannot be restored here.
  std::int64_t other = MakeStory(Role::kAuthor, PublishState::kDraft);
  EXPECT_TRUE(stories_->Restore(users_[Role::kAuthor], other, first).error().IsNotFound());
}

TEST_F(ApiTest, CorrectionsOnPublishedStoriesOnly) {
  std::int64_t draft = MakeStory(Role::kAuthor, PublishState::kDraft);
  auto refused = Call(Role::kAuthor, "POST", Path(draft) + "/corrections", {{"note", "Fixed."}});
  EXPECT_EQ(refused.status, 422);
  std::int64_t id = MakeStory(Role::kAuthor, PublishState::kPublished);
  clock_.Advance(3600);
  EXPECT_EQ(Call(Role::kAuthor, "POST", Path(id) + "/corrections", {{"note", "  "}}).status, 422);
  EXPECT_EQ(Call(Role::kContributor, "POST", Path(id) + "/corrections", {{"note", "x"}}).status, 403);
  auto ok = Call(Role::kAuthor, "POST", Path(id) + "/corrections",
                 {{"note", "An earlier version misspelt the minister's name."}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto a = store_->GetArticle(id);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->updated_at, clock_.Now());
  auto list = store_->ListCorrections(id);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().note, "An earlier version misspelt the minister's name.");
}

TEST_F(ApiTest, ListFiltersAndPaginates) {
  for (int i = 0; i < 5; ++i) MakeStory(Role::kAuthor, PublishState::kDraft);
  for (int i = 0; i < 3; ++i) MakeStory(Role::kEditor, PublishState::kPublished);
  auto drafts = Body(Call(Role::kEditor, "GET", "/api/v1/stories?status=draft&per_page=2&page=2"));
  EXPECT_EQ(drafts["total"], 5);
  EXPECT_EQ(drafts["stories"].size(), 2u);
  EXPECT_EQ(drafts["page"], 2);
  auto published = Body(Call(Role::kEditor, "GET", "/api/v1/stories?status=published"));
  EXPECT_EQ(published["total"], 3);
  for (const auto& s : published["stories"]) EXPECT_EQ(s["status"], "published");
  auto search = Body(Call(Role::kEditor, "GET", "/api/v1/stories?q=of%20the%20editor"));
  EXPECT_EQ(search["total"], 3);
  auto capped = Body(Call(Role::kEditor, "GET", "/api/v1/stories?per_page=100000"));
  EXPECT_EQ(capped["per_page"], Api::kMaxPerPage);
}

TEST_F(ApiTest, NinjsOfOneStory) {
  std::int64_t id = MakeStory(Role::kEditor, PublishState::kPublished);
  auto r = Call(Role::kEditor, "GET", Path(id) + "?format=ninjs");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/ninjs+json");
  json j = Body(r);
  EXPECT_EQ(j["type"], "text");
  EXPECT_EQ(j["pubStatus"], "usable");
  EXPECT_TRUE(j["uri"].get<std::string>().starts_with("https://news.example/"));
  EXPECT_EQ(j["headlines"][0]["value"], "Story of the editor");
  EXPECT_NE(j["bodies"][0]["value"].get<std::string>().find("<h2>A subheading</h2>"), std::string::npos);
}

TEST_F(ApiTest, SchedulerPublishesExactlyOnce) {
  std::int64_t id = MakeStory(Role::kEditor, PublishState::kDraft);
  auto sched = Call(Role::kEditor, "PATCH", Path(id),
                    {{"status", "scheduled"}, {"published_at", "2026-05-28T21:00:00Z"}});
  ASSERT_EQ(sched.status, 200) << sched.body;
  Scheduler scheduler(*store_, clock_);
  auto none = scheduler.RunOnce();
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(store_->GetArticle(id)->status, PublishState::kScheduled);
  clock_.Set(ParseRfc3339("2026-05-28T21:00:00Z").value());
  auto seq_before = store_->LastChangeSeq().value();
  auto first = scheduler.RunOnce();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, std::vector<std::int64_t>{id});
  EXPECT_EQ(store_->GetArticle(id)->status, PublishState::kPublished);
  // A second scheduler (another process, or after a restart) finds nothing.
  Scheduler restarted(*store_, clock_);
  EXPECT_TRUE(restarted.RunOnce()->empty());
  EXPECT_EQ(store_->LastChangeSeq().value(), seq_before + 1);
}

TEST_F(ApiTest, ADueStoryReadsAsPublishedBeforeTheSchedulerRuns) {
  std::int64_t id = MakeStory(Role::kEditor, PublishState::kDraft);
  ASSERT_EQ(Call(Role::kEditor, "PATCH", Path(id),
                 {{"status", "scheduled"}, {"published_at", "2026-05-28T21:00:00Z"}}).status, 200);
  EXPECT_EQ(Body(Call(Role::kEditor, "GET", Path(id)))["status"], "scheduled");
  clock_.Set(ParseRfc3339("2026-05-28T21:00:00Z").value());
  // No Scheduler runs: reading the story catches it up.
  EXPECT_EQ(Body(Call(Role::kEditor, "GET", Path(id)))["status"], "published");
  EXPECT_EQ(store_->GetArticle(id)->status, PublishState::kPublished);

  // The list catches up too, and counts what it lists afterwards.
  std::int64_t other = MakeStory(Role::kEditor, PublishState::kDraft);
  ASSERT_EQ(Call(Role::kEditor, "PATCH", Path(other),
                 {{"status", "scheduled"}, {"published_at", "2026-05-28T22:00:00Z"}}).status, 200);
  clock_.Set(ParseRfc3339("2026-05-28T22:00:00Z").value());
  json list = Body(Call(Role::kEditor, "GET", "/api/v1/stories?status=scheduled"));
  EXPECT_EQ(list["total"], 0) << list.dump();
  EXPECT_TRUE(list["stories"].empty()) << list.dump();
  EXPECT_EQ(store_->GetArticle(other)->status, PublishState::kPublished);
}

TEST_F(ApiTest, MovingAPublishedStoryLeavesARedirect) {
  std::int64_t id = MakeStory(Role::kEditor, PublishState::kPublished);
  std::string old_url = Body(Call(Role::kEditor, "GET", Path(id)))["url"];
  auto moved = Call(Role::kEditor, "PATCH", Path(id), {{"slug", "a-better-slug"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  std::string new_url = Body(moved)["url"];
  ASSERT_NE(old_url, new_url);
  std::string base = settings_.base_url;
  auto to = store_->GetRedirect(old_url.substr(base.size()));
  ASSERT_TRUE(to.has_value()) << old_url;
  EXPECT_EQ(*to, new_url.substr(base.size()));
  // A draft has no public links to keep.
  auto made = Call(Role::kEditor, "POST", "/api/v1/stories", {{"headline", "Unrelated draft"}, {"body", "B"}});
  ASSERT_EQ(made.status, 201);
  std::int64_t draft = Body(made)["id"].get<std::int64_t>();
  std::string draft_path = settings_.permalink.Build(*store_->GetArticle(draft), settings_.zone);
  ASSERT_EQ(Call(Role::kEditor, "PATCH", Path(draft), {{"slug", "draft-new-slug"}}).status, 200);
  EXPECT_TRUE(store_->GetRedirect(draft_path).error().IsNotFound()) << draft_path;
}

}  // namespace
}  // namespace dateline::newsroom
