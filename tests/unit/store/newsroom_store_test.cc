// The newsroom's part of the store (schema version 5): article versions
// and owners, the unpublished state, newsroom listings, the scheduler's
// PublishDue, users, sessions, API tokens, revisions, corrections, and the
// migration that rebuilds `articles` without losing what refers to it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "support/raw_db.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

using testing::RawDb;

std::string Slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += (c == ' ') ? '-' : c;
  }
  return out;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

class NewsroomStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {Slug, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
  }

  Article Make(std::string slug, std::optional<Seconds> published,
               PublishState state = PublishState::kPublished) {
    Article a;
    a.slug = slug;
    a.headline = "Headline " + slug;
    a.body = "Body of " + slug;
    a.status = state;
    a.published_at = published;
    a.section = "world";
    return a;
  }

  Article Save(Article a) {
    Status s = store_->SaveArticle(a);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return a;
  }

  User SaveUser(std::string email, std::string name, Role role = Role::kAuthor) {
    User u;
    u.email = std::move(email);
    u.name = std::move(name);
    u.role = role;
    Status s = store_->SaveUser(u);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return u;
  }

  std::vector<std::string> Slugs(const ArticleQuery& q) {
    auto list = store_->ListArticles(q);
    EXPECT_TRUE(list.has_value()) << list.error().ToString();
    std::vector<std::string> out;
    if (list) {
      for (const Article& a : *list) out.push_back(a.slug);
    }
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_{10000};
  std::unique_ptr<Store> store_;
};

// --- Articles: versions, owners, the unpublished state ---

TEST_F(NewsroomStoreTest, VersionIsOneOnInsertAndGrowsOnEverySave) {
  Article a = Save(Make("story", 5000));
  EXPECT_EQ(a.version, 1);
  EXPECT_EQ(store_->GetArticle(a.id)->version, 1);
  a.headline = "Second";
  a.version = 77;  // ignored: the store counts
  ASSERT_TRUE(store_->SaveArticle(a).ok());
  EXPECT_EQ(a.version, 2);
  ASSERT_TRUE(store_->SaveArticle(a, 2).ok());
  EXPECT_EQ(a.version, 3);
  EXPECT_EQ(*store_->GetArticle(a.id), a);
}

TEST_F(NewsroomStoreTest, StaleExpectedVersionConflictsAndWritesNothing) {
  Article a = Make("story", 5000);
  a.tags = {"Kept"};
  a = Save(a);
  Article mine = a;    // an editor opens version 1
  Article theirs = a;  // so does another
  theirs.headline = "Their change";
  ASSERT_TRUE(store_->SaveArticle(theirs, 1).ok());
  std::int64_t seq = *store_->LastChangeSeq();

  mine.headline = "My change";
  mine.section = "sport";  // would create a section
  mine.tags = {"Lost"};    // and a tag
  clock_.Advance(60);
  Status s = store_->SaveArticle(mine, 1);
  ASSERT_TRUE(s.IsConflict()) << s.ToString();
  EXPECT_EQ(s.message(),
            "field \"version\": the story was changed by someone else (now version 2)");

  Article back = *store_->GetArticle(a.id);
  EXPECT_EQ(back, theirs);
  EXPECT_EQ(back.tags, std::vector<std::string>{"Kept"});
  EXPECT_TRUE(store_->GetSection("sport").error().IsNotFound());
  EXPECT_TRUE(store_->GetTag("lost").error().IsNotFound());
  EXPECT_EQ(*store_->LastChangeSeq(), seq);

  // With the version it read, the same editor saves.
  mine.version = back.version;
  ASSERT_TRUE(store_->SaveArticle(mine, back.version).ok());
  EXPECT_EQ(store_->GetArticle(a.id)->headline, "My change");
  EXPECT_EQ(mine.version, 3);
}

TEST_F(NewsroomStoreTest, ExpectedVersionOnAMissingStoryIsNotFound) {
  Article ghost = Make("ghost", 1);
  ghost.id = 999;
  EXPECT_TRUE(store_->SaveArticle(ghost, 1).IsNotFound());
  EXPECT_TRUE(store_->GetSection("world").error().IsNotFound());
}

TEST_F(NewsroomStoreTest, OwnerIsStoredAndWrittenAsGivenOnUpdate) {
  Article a = Make("owned", 5000);
  a.owner_id = 5;
  a = Save(a);
  EXPECT_EQ(store_->GetArticle(a.id)->owner_id, 5);
  a.headline = "Edited";
  ASSERT_TRUE(store_->SaveArticle(a).ok());
  EXPECT_EQ(store_->GetArticle(a.id)->owner_id, 5);
  a.owner_id = 9;  // an editor hands the story over
  ASSERT_TRUE(store_->SaveArticle(a).ok());
  EXPECT_EQ(store_->GetArticle(a.id)->owner_id, 9);
}

TEST_F(NewsroomStoreTest, UnpublishedRoundTripsAndIsHiddenFromReaders) {
  Article a = Save(Make("taken-down", 5000, PublishState::kUnpublished));
  Article back = *store_->GetArticleBySlug("taken-down");
  EXPECT_EQ(back.status, PublishState::kUnpublished);
  EXPECT_EQ(back, a);
  ArticleQuery q;
  q.visible_at = clock_.Now();
  EXPECT_EQ(*store_->CountArticles(q), 0);

  StaticPage p;
  p.path = "/about/";
  p.title = "About";
  p.body = "Us";
  p.status = PublishState::kUnpublished;
  ASSERT_TRUE(store_->SavePage(p).ok());
  EXPECT_EQ(store_->GetPageByPath("/about/")->status, PublishState::kUnpublished);
}

// --- Newsroom listings ---

TEST_F(NewsroomStoreTest, QueryFiltersByStatusOwnerAndHeadline) {
  auto add = [&](std::string slug, std::string headline, PublishState st, std::int64_t owner) {
    Article a = Make(std::move(slug), 1000, st);
    a.headline = std::move(headline);
    a.owner_id = owner;
    Save(a);
  };
  add("d1", "Climate talks stall", PublishState::kDraft, 1);
  add("d2", "Budget vote", PublishState::kDraft, 2);
  add("r1", "New CLIMATE law", PublishState::kReview, 1);
  add("p1", "Climate march", PublishState::kPublished, 2);
  add("u1", "Old news", PublishState::kUnpublished, 1);

  ArticleQuery q;
  q.limit = 100;
  q.order = ArticleOrder::kHeadline;
  q.statuses = {PublishState::kDraft, PublishState::kReview};
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"d2", "d1", "r1"}));
  EXPECT_EQ(*store_->CountArticles(q), 3);

  q.owner_id = 1;
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"d1", "r1"}));
  EXPECT_EQ(*store_->CountArticles(q), 2);

  q.headline_contains = "climate";  // case-insensitive
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"d1", "r1"}));
  q.headline_contains = "Talks";
  EXPECT_EQ(Slugs(q), std::vector<std::string>{"d1"});
  EXPECT_EQ(*store_->CountArticles(q), 1);

  ArticleQuery any;
  any.limit = 100;
  any.headline_contains = "CLIMATE";
  EXPECT_EQ(*store_->CountArticles(any), 3);
  any.statuses = {PublishState::kUnpublished};
  EXPECT_EQ(*store_->CountArticles(any), 0);
  any.headline_contains.clear();
  EXPECT_EQ(Slugs(any), std::vector<std::string>{"u1"});
  any.statuses.clear();
  any.owner_id = 2;
  EXPECT_EQ(*store_->CountArticles(any), 2);
}

TEST_F(NewsroomStoreTest, HeadlineSearchTakesWildcardsLiterally) {
  auto add = [&](std::string slug, std::string headline) {
    Article a = Make(std::move(slug), 1000);
    a.headline = std::move(headline);
    Save(a);
  };
  add("percent", "Turnout hits 100% in village");
  add("digits", "1000 voters in village");
  add("underscore", "The snake_case debate");
  add("letter", "The snakeXcase debate");
  add("backslash", "Paths like C:\\temp");
  add("plain", "C:temp drives");

  ArticleQuery q;
  q.limit = 100;
  q.headline_contains = "0%";
  EXPECT_EQ(Slugs(q), std::vector<std::string>{"percent"});
  EXPECT_EQ(*store_->CountArticles(q), 1);
  q.headline_contains = "%";
  EXPECT_EQ(Slugs(q), std::vector<std::string>{"percent"});
  q.headline_contains = "e_c";
  EXPECT_EQ(Slugs(q), std::vector<std::string>{"underscore"});
  q.headline_contains = "_";
  EXPECT_EQ(*store_->CountArticles(q), 1);
  q.headline_contains = "C:\\t";
  EXPECT_EQ(Slugs(q), std::vector<std::string>{"backslash"});
  q.headline_contains = "\\";
  EXPECT_EQ(*store_->CountArticles(q), 1);
  q.headline_contains = "no such words";
  EXPECT_EQ(*store_->CountArticles(q), 0);
}

TEST_F(NewsroomStoreTest, OrdersByPublishedModifiedOrHeadline) {
  Article cherry = Make("cherry", 3000);
  cherry.headline = "cherry";
  cherry = Save(cherry);
  clock_.Advance(10);
  Article apple = Make("apple", 1000);
  apple.headline = "apple";
  apple = Save(apple);
  clock_.Advance(10);
  Article banana = Make("banana", 2000);
  banana.headline = "Banana";
  banana = Save(banana);
  clock_.Advance(10);
  Article apple2 = Make("apple-two", std::nullopt, PublishState::kDraft);
  apple2.headline = "Apple";
  apple2 = Save(apple2);
  clock_.Advance(10);
  cherry.dek = "touched last";
  ASSERT_TRUE(store_->SaveArticle(cherry).ok());

  ArticleQuery q;
  q.limit = 100;
  // Published newest first; a story without a publish time comes last.
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"cherry", "banana", "apple", "apple-two"}));
  q.order = ArticleOrder::kModifiedNewest;
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"cherry", "apple-two", "banana", "apple"}));
  // A-Z ignoring case; equal headlines (apple, Apple) newest id first.
  q.order = ArticleOrder::kHeadline;
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"apple-two", "apple", "banana", "cherry"}));
  q.limit = 2;
  q.offset = 1;
  EXPECT_EQ(Slugs(q), (std::vector<std::string>{"apple", "banana"}));
}

// --- The scheduler ---

TEST_F(NewsroomStoreTest, PublishDuePublishesEachDueStoryExactlyOnce) {
  Article due1 = Save(Make("due-1", 9000, PublishState::kScheduled));
  Article due2 = Save(Make("due-2", 10000, PublishState::kScheduled));  // exactly now
  Article later = Save(Make("later", 10500, PublishState::kScheduled));
  Save(Make("draft", 9000, PublishState::kDraft));
  Save(Make("no-time", std::nullopt, PublishState::kScheduled));
  Save(Make("already", 8000, PublishState::kPublished));
  std::int64_t seq = *store_->LastChangeSeq();

  clock_.Advance(5);
  auto ids = store_->PublishDue(10000);
  ASSERT_TRUE(ids.has_value()) << ids.error().ToString();
  EXPECT_EQ(*ids, (std::vector<std::int64_t>{due1.id, due2.id}));
  for (const Article& a : {due1, due2}) {
    Article back = *store_->GetArticle(a.id);
    EXPECT_EQ(back.status, PublishState::kPublished);
    EXPECT_EQ(back.version, 2);
    EXPECT_EQ(back.modified_at, 10005);
    EXPECT_EQ(back.published_at, a.published_at);
  }
  EXPECT_EQ(store_->GetArticle(later.id)->status, PublishState::kScheduled);
  EXPECT_EQ(store_->GetArticleBySlug("draft")->status, PublishState::kDraft);
  EXPECT_EQ(store_->GetArticleBySlug("no-time")->status, PublishState::kScheduled);
  EXPECT_EQ(store_->GetArticleBySlug("already")->version, 1);

  // A second run (another process, the next tick) finds nothing due.
  auto again = store_->PublishDue(10000);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->empty());

  auto changes = *store_->ChangesSince(seq, 100);
  ASSERT_EQ(changes.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(changes[i].entity, "article");
    EXPECT_EQ(changes[i].op, "update");
    EXPECT_EQ(changes[i].at, 10005);
  }
  EXPECT_EQ(changes[0].entity_id, due1.id);
  EXPECT_EQ(changes[1].entity_id, due2.id);

  EXPECT_EQ(*store_->PublishDue(11000), std::vector<std::int64_t>{later.id});
  EXPECT_EQ(store_->ChangesSince(seq, 100)->size(), 3u);
}

// --- Users ---

TEST_F(NewsroomStoreTest, UsersRoundTripWithLowerCasedEmail) {
  User u;
  u.email = "Ada.Lovelace@Example.COM";
  u.name = "Ada Lovelace";
  u.role = Role::kEditor;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  ASSERT_TRUE(store_->SaveUser(u).ok());
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.email, "ada.lovelace@example.com");
  EXPECT_EQ(u.created_at, 10000);
  EXPECT_EQ(*store_->GetUser(u.id), u);
  EXPECT_EQ(*store_->GetUserByEmail("ADA.lovelace@example.com"), u);

  clock_.Advance(100);
  u.role = Role::kAdmin;
  u.disabled = true;
  u.name = "A. Lovelace";
  u.password_hash.clear();
  u.created_at = 0;
  ASSERT_TRUE(store_->SaveUser(u).ok());
  EXPECT_EQ(u.created_at, 10000);  // kept from the insert
  EXPECT_EQ(*store_->GetUser(u.id), u);

  User b = SaveUser("b@example.org", "Bea", Role::kContributor);
  auto all = *store_->ListUsers();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], u);
  EXPECT_EQ(all[1], b);

  EXPECT_TRUE(store_->GetUser(999).error().IsNotFound());
  EXPECT_TRUE(store_->GetUserByEmail("nobody@example.com").error().IsNotFound());
  User ghost = b;
  ghost.id = 999;
  ghost.email = "ghost@example.com";
  EXPECT_TRUE(store_->SaveUser(ghost).IsNotFound());
}

TEST_F(NewsroomStoreTest, SaveUserNamesTheBadFieldAndRefusesATakenEmail) {
  User bad;
  bad.email = "not an email";
  bad.name = "Someone";
  Status s = store_->SaveUser(bad);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_TRUE(Contains(s.message(), "field \"email\"")) << s.message();
  bad.email = "ok@example.com";
  bad.name.clear();
  s = store_->SaveUser(bad);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_TRUE(Contains(s.message(), "field \"name\"")) << s.message();

  User a = SaveUser("a@example.com", "A");
  User dup;
  dup.email = "A@EXAMPLE.com";
  dup.name = "Impostor";
  s = store_->SaveUser(dup);
  EXPECT_TRUE(s.IsConflict()) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "field \"email\"")) << s.message();
  EXPECT_EQ(dup.id, 0);

  User b = SaveUser("b@example.com", "B");
  b.email = "a@example.com";  // taking another user's address
  EXPECT_TRUE(store_->SaveUser(b).IsConflict());
  a.email = "A@example.com";  // re-saving one's own, differently cased
  EXPECT_TRUE(store_->SaveUser(a).ok());
  EXPECT_EQ(store_->ListUsers()->size(), 2u);
}

// --- Sessions and API tokens ---

TEST_F(NewsroomStoreTest, SessionsPutGetTouchAndDelete) {
  User a = SaveUser("a@example.com", "A");
  User b = SaveUser("b@example.com", "B");
  Session s1{"hash-1", a.id, "csrf-1", 100, 100};
  ASSERT_TRUE(store_->PutSession(s1).ok());
  EXPECT_EQ(*store_->GetSession("hash-1"), s1);
  s1.csrf_token = "csrf-1b";  // replaced by token hash
  ASSERT_TRUE(store_->PutSession(s1).ok());
  EXPECT_EQ(*store_->GetSession("hash-1"), s1);

  ASSERT_TRUE(store_->TouchSession("hash-1", 500).ok());
  EXPECT_EQ(store_->GetSession("hash-1")->last_seen_at, 500);
  EXPECT_EQ(store_->GetSession("hash-1")->created_at, 100);

  ASSERT_TRUE(store_->PutSession({"hash-2", a.id, "csrf-2", 200, 200}).ok());
  ASSERT_TRUE(store_->PutSession({"hash-3", b.id, "csrf-3", 300, 300}).ok());
  ASSERT_TRUE(store_->DeleteSessionsOf(a.id).ok());
  EXPECT_TRUE(store_->GetSession("hash-1").error().IsNotFound());
  EXPECT_TRUE(store_->GetSession("hash-2").error().IsNotFound());
  EXPECT_TRUE(store_->GetSession("hash-3").has_value());
  ASSERT_TRUE(store_->DeleteSession("hash-3").ok());
  EXPECT_TRUE(store_->GetSession("hash-3").error().IsNotFound());

  EXPECT_TRUE(store_->DeleteSession("hash-3").IsNotFound());
  EXPECT_TRUE(store_->TouchSession("hash-3", 1).IsNotFound());
  EXPECT_TRUE(store_->DeleteSessionsOf(a.id).ok());  // none left: still fine
  EXPECT_TRUE(store_->PutSession({"hash-4", 999, "c", 1, 1}).IsNotFound());
}

TEST_F(NewsroomStoreTest, ApiTokensAddListRevokeAndTouch) {
  User a = SaveUser("a@example.com", "A");
  User b = SaveUser("b@example.com", "B");
  ApiToken t1{0, a.id, "laptop", "th-1", 100, std::nullopt, false};
  ASSERT_TRUE(store_->AddApiToken(t1).ok());
  EXPECT_GT(t1.id, 0);
  ApiToken t2{0, a.id, "phone", "th-2", 0, std::nullopt, false};
  ASSERT_TRUE(store_->AddApiToken(t2).ok());
  EXPECT_EQ(t2.created_at, 10000);  // from the clock when not given
  ApiToken t3{0, b.id, "ci", "th-3", 300, std::nullopt, false};
  ASSERT_TRUE(store_->AddApiToken(t3).ok());

  EXPECT_EQ(*store_->GetApiTokenByHash("th-1"), t1);
  EXPECT_EQ(*store_->ListApiTokens(a.id), (std::vector<ApiToken>{t1, t2}));
  EXPECT_EQ(*store_->ListApiTokens(b.id), std::vector<ApiToken>{t3});
  EXPECT_TRUE(store_->ListApiTokens(999)->empty());

  ASSERT_TRUE(store_->TouchApiToken(t1.id, 777).ok());
  ASSERT_TRUE(store_->RevokeApiToken(t2.id).ok());
  ApiToken back1 = *store_->GetApiTokenByHash("th-1");
  EXPECT_EQ(back1.last_used_at, std::optional<Seconds>(777));
  EXPECT_FALSE(back1.revoked);
  EXPECT_TRUE(store_->GetApiTokenByHash("th-2")->revoked);  // still found: callers check

  EXPECT_TRUE(store_->RevokeApiToken(999).IsNotFound());
  EXPECT_TRUE(store_->TouchApiToken(999, 1).IsNotFound());
  EXPECT_TRUE(store_->GetApiTokenByHash("nope").error().IsNotFound());
  ApiToken dup{0, b.id, "again", "th-1", 1, std::nullopt, false};
  EXPECT_TRUE(store_->AddApiToken(dup).IsConflict());
  ApiToken orphan{0, 999, "x", "th-9", 1, std::nullopt, false};
  EXPECT_TRUE(store_->AddApiToken(orphan).IsNotFound());
}

// --- Revisions and corrections ---

TEST_F(NewsroomStoreTest, RevisionsListNewestFirstAndGoWithTheirStory) {
  Article a = Save(Make("story", 5000));
  Article other = Save(Make("other", 5000));
  std::vector<Revision> added;
  for (int i = 0; i < 3; ++i) {
    Revision r{
        0, a.id, 7, 100 + i, "save " + std::to_string(i), "{\"v\":" + std::to_string(i) + "}"};
    ASSERT_TRUE(store_->AddRevision(r).ok());
    EXPECT_GT(r.id, 0);
    added.push_back(r);
  }
  Revision system{0, other.id, 0, 0, "publish", "{}"};
  ASSERT_TRUE(store_->AddRevision(system).ok());
  EXPECT_EQ(system.at, 10000);  // from the clock when not given

  auto list = *store_->ListRevisions(a.id);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], added[2]);
  EXPECT_EQ(list[1], added[1]);
  EXPECT_EQ(list[2], added[0]);
  EXPECT_EQ(*store_->GetRevision(added[1].id), added[1]);
  EXPECT_TRUE(store_->GetRevision(999).error().IsNotFound());
  EXPECT_TRUE(store_->ListRevisions(999)->empty());
  Revision orphan{0, 999, 1, 1, "save", "{}"};
  EXPECT_TRUE(store_->AddRevision(orphan).IsNotFound());

  ASSERT_TRUE(store_->DeleteArticle(a.id).ok());
  EXPECT_TRUE(store_->ListRevisions(a.id)->empty());
  EXPECT_TRUE(store_->GetRevision(added[0].id).error().IsNotFound());
  EXPECT_EQ(store_->ListRevisions(other.id)->size(), 1u);
}

TEST_F(NewsroomStoreTest, CorrectionsPerStoryOldestFirstRecentNewestFirst) {
  Article a = Save(Make("a", 5000));
  Article b = Save(Make("b", 5000));
  Correction a1{0, a.id, 1, 100, "First fix on a"};
  Correction b1{0, b.id, 1, 200, "Fix on b"};
  Correction a2{0, a.id, 2, 300, "Second fix on a"};
  Correction a0{0, a.id, 2, 50, "Back-dated fix on a"};
  for (Correction* c : {&a1, &b1, &a2, &a0}) ASSERT_TRUE(store_->AddCorrection(*c).ok());

  EXPECT_EQ(*store_->ListCorrections(a.id), (std::vector<Correction>{a0, a1, a2}));
  EXPECT_EQ(*store_->ListCorrections(b.id), std::vector<Correction>{b1});
  EXPECT_EQ(*store_->CountCorrections(), 4);
  EXPECT_EQ(*store_->RecentCorrections(2, 0), (std::vector<Correction>{a2, b1}));
  EXPECT_EQ(*store_->RecentCorrections(2, 2), (std::vector<Correction>{a1, a0}));
  EXPECT_TRUE(store_->RecentCorrections(2, 4)->empty());

  Correction empty{0, a.id, 1, 1, ""};
  Status s = store_->AddCorrection(empty);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_TRUE(Contains(s.message(), "field \"note\"")) << s.message();
  Correction orphan{0, 999, 1, 1, "note"};
  EXPECT_TRUE(store_->AddCorrection(orphan).IsNotFound());

  ASSERT_TRUE(store_->DeleteArticle(a.id).ok());
  EXPECT_EQ(*store_->CountCorrections(), 1);
}

TEST_F(NewsroomStoreTest, NewsroomWritesDoNotTouchTheChangeLog) {
  Article a = Save(Make("story", 5000));
  std::int64_t seq = *store_->LastChangeSeq();
  User u = SaveUser("a@example.com", "A");
  u.name = "Renamed";
  ASSERT_TRUE(store_->SaveUser(u).ok());
  ASSERT_TRUE(store_->PutSession({"h", u.id, "c", 1, 1}).ok());
  ASSERT_TRUE(store_->TouchSession("h", 2).ok());
  ASSERT_TRUE(store_->DeleteSession("h").ok());
  ApiToken t{0, u.id, "n", "th", 1, std::nullopt, false};
  ASSERT_TRUE(store_->AddApiToken(t).ok());
  ASSERT_TRUE(store_->TouchApiToken(t.id, 2).ok());
  ASSERT_TRUE(store_->RevokeApiToken(t.id).ok());
  Revision r{0, a.id, u.id, 1, "save", "{}"};
  ASSERT_TRUE(store_->AddRevision(r).ok());
  Correction c{0, a.id, u.id, 1, "Fixed"};
  ASSERT_TRUE(store_->AddCorrection(c).ok());
  EXPECT_EQ(*store_->LastChangeSeq(), seq);
}

// --- Migration 5 ---

// A version-4 site: four stories (one per old status) with tags, authors,
// pins and Related News pointing at each other, plus a page.
void FillVersion4(const std::string& path) {
  ASSERT_TRUE(MigrateSqliteFile(path, 4).ok());
  RawDb db(path);
  ASSERT_EQ(db.Int("PRAGMA user_version"), 4);
  db.Exec("PRAGMA foreign_keys=ON");
  db.Exec(R"sql(
INSERT INTO sections (id, slug, name) VALUES (1, 'world', 'World');
INSERT INTO tags (id, slug, name) VALUES (1, 'water', 'Water'), (2, 'rivers', 'Rivers');
INSERT INTO authors (id, slug, name) VALUES (1, 'amara', 'Amara'), (2, 'dan', 'Dan');
INSERT INTO articles (id, slug, headline, body, body_format, section_id, status, published_at,
                      created_at, modified_at) VALUES
  (1, 'pub', 'Published', 'b', 'markdown', 1, 'published', 500, 1, 2),
  (2, 'draft', 'Draft', 'b', 'markdown', 1, 'draft', NULL, 1, 2),
  (3, 'review', 'Review', 'b', 'html', NULL, 'review', NULL, 1, 2),
  (4, 'sched', 'Scheduled', 'b', 'markdown', 1, 'scheduled', 99999, 1, 2);
INSERT INTO article_tags (article_id, tag_id, position) VALUES
  (1, 1, 0), (1, 2, 1), (2, 2, 0), (4, 1, 0);
INSERT INTO article_authors (article_id, author_id, position) VALUES
  (1, 2, 0), (1, 1, 1), (3, 1, 0);
INSERT INTO related_pins (article_id, position, pinned_slug) VALUES
  (1, 0, 'sched'), (1, 1, 'not-yet-imported'), (4, 0, 'pub');
INSERT INTO related_news (article_id, position, related_id) VALUES
  (1, 0, 4), (1, 1, 2), (4, 0, 1);
INSERT INTO pages (id, path, title, body, body_format, status, created_at, modified_at)
  VALUES (1, '/about/', 'About', 'Us', 'markdown', 'published', 1, 1);
INSERT INTO external_ids (system, key, entity, entity_id) VALUES ('wordpress', 'post:1', 'article', 1);
)sql");
}

TEST(StoreMigration5, KeepsEveryLinkAndStatusOfEveryArticle) {
  testing::TempDir dir;
  std::string path = dir / "v4.db";
  FillVersion4(path);
  if (::testing::Test::HasFatalFailure()) return;

  auto opened = OpenSqliteStore(path, {Slug, nullptr});
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  Store& store = **opened;

  Article pub = *store.GetArticle(1);
  EXPECT_EQ(pub.status, PublishState::kPublished);
  EXPECT_EQ(pub.section, "world");
  EXPECT_EQ(pub.tags, (std::vector<std::string>{"Water", "Rivers"}));
  EXPECT_EQ(pub.authors, (std::vector<std::string>{"Dan", "Amara"}));
  EXPECT_EQ(pub.related_pins, (std::vector<std::string>{"sched", "not-yet-imported"}));
  EXPECT_EQ(pub.published_at, std::optional<Seconds>(500));
  EXPECT_EQ(pub.created_at, 1);
  EXPECT_EQ(pub.modified_at, 2);
  EXPECT_EQ(pub.version, 1);
  EXPECT_EQ(pub.owner_id, 0);
  EXPECT_EQ(*store.GetRelated(1), (std::vector<std::int64_t>{4, 2}));
  EXPECT_EQ(*store.GetRelated(4), std::vector<std::int64_t>{1});

  Article draft = *store.GetArticle(2);
  EXPECT_EQ(draft.status, PublishState::kDraft);
  EXPECT_EQ(draft.tags, std::vector<std::string>{"Rivers"});
  Article review = *store.GetArticle(3);
  EXPECT_EQ(review.status, PublishState::kReview);
  EXPECT_EQ(review.body_format, BodyFormat::kHtml);
  EXPECT_EQ(review.authors, std::vector<std::string>{"Amara"});
  Article sched = *store.GetArticle(4);
  EXPECT_EQ(sched.status, PublishState::kScheduled);
  EXPECT_EQ(sched.related_pins, std::vector<std::string>{"pub"});
  EXPECT_EQ(store.GetPageByPath("/about/")->title, "About");
  EXPECT_EQ(store.GetExternalId("wordpress", "post:1")->entity_id, 1);

  // The widened CHECKs and new columns work on the migrated file.
  sched.status = PublishState::kUnpublished;
  ASSERT_TRUE(store.SaveArticle(sched, 1).ok());
  EXPECT_EQ(store.GetArticle(4)->status, PublishState::kUnpublished);
  EXPECT_EQ(store.GetArticle(4)->version, 2);

  RawDb raw(path);
  EXPECT_EQ(raw.Int("PRAGMA user_version"),
            static_cast<std::int64_t>(sqlite::Migrations().size()));
  EXPECT_EQ(raw.Int("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                    "('articles_by_time', 'articles_by_section')"),
            2);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM sqlite_master WHERE name = 'articles_v5'"), 0);

  // Foreign keys still point at the rebuilt table and are enforced again:
  // deleting a story cascades into what refers to it.
  ASSERT_TRUE(store.DeleteArticle(1).ok());
  EXPECT_EQ(raw.Int("SELECT count(*) FROM article_tags WHERE article_id = 1"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM article_authors WHERE article_id = 1"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM related_pins WHERE article_id = 1"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM related_news WHERE article_id = 1 OR related_id = 1"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM article_tags"), 2);
}

TEST(StoreMigration5, FailsAndStaysAtVersion4WhenAForeignKeyIsBroken) {
  testing::TempDir dir;
  std::string path = dir / "broken.db";
  FillVersion4(path);
  if (::testing::Test::HasFatalFailure()) return;
  {
    RawDb db(path);
    db.Exec("PRAGMA foreign_keys=OFF");
    db.Exec("INSERT INTO article_tags (article_id, tag_id, position) VALUES (42, 1, 0)");
  }
  auto opened = OpenSqliteStore(path, {Slug, nullptr});
  ASSERT_FALSE(opened.has_value());
  EXPECT_TRUE(Contains(opened.error().message(), "migration 5")) << opened.error().ToString();
  EXPECT_TRUE(Contains(opened.error().message(), "article_tags")) << opened.error().ToString();

  RawDb db(path);
  EXPECT_EQ(db.Int("PRAGMA user_version"), 4);
  EXPECT_EQ(db.Int("SELECT count(*) FROM articles"), 4);
  EXPECT_EQ(db.Int("SELECT count(*) FROM article_tags"), 5);
  EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE name IN ('users', 'articles_v5')"), 0);
}

TEST(StoreMigration5, MigrateTurnsForeignKeysBackOnAndRefusesAnOpenTransaction) {
  testing::TempDir dir;
  sqlite::Db db;
  ASSERT_TRUE(db.Open(dir / "x.db", false).ok());
  ASSERT_TRUE(sqlite::Migrate(db, 4).ok());
  auto foreign_keys = [&]() -> std::int64_t {
    auto st = db.Prepare("PRAGMA foreign_keys");
    return st && st->Step() ? st->Int(0) : -1;
  };
  EXPECT_EQ(foreign_keys(), 1);

  ASSERT_TRUE(db.Exec("BEGIN").ok());
  Status s = sqlite::Migrate(db);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.message(), "transaction")) << s.ToString();
  ASSERT_TRUE(db.Exec("ROLLBACK").ok());
  EXPECT_EQ(foreign_keys(), 1);

  ASSERT_TRUE(sqlite::Migrate(db).ok());
  EXPECT_EQ(foreign_keys(), 1);
  auto version = db.Prepare("PRAGMA user_version");
  ASSERT_TRUE(version && version->Step());
  EXPECT_EQ(version->Int(0), static_cast<std::int64_t>(sqlite::Migrations().size()));
}

// --- Migration 6 ---

TEST(StoreMigration6, AddsEmptySeoFieldsToEveryStoryAndKeepsTheRest) {
  testing::TempDir dir;
  std::string path = dir / "v5.db";
  ASSERT_TRUE(MigrateSqliteFile(path, 5).ok());
  {
    RawDb db(path);
    ASSERT_EQ(db.Int("PRAGMA user_version"), 5);
    db.Exec(R"sql(
INSERT INTO articles (id, slug, headline, dek, body, body_format, status, published_at,
                      created_at, modified_at, owner_id, version) VALUES
  (1, 'old', 'Old story', 'Its dek', 'b', 'markdown', 'published', 500, 1, 2, 3, 4),
  (2, 'gone', 'Gone story', '', 'b', 'markdown', 'unpublished', 600, 1, 2, 0, 1);
)sql");
    EXPECT_EQ(db.Int("SELECT count(*) FROM pragma_table_info('articles') "
                     "WHERE name IN ('seo_title', 'seo_description')"),
              0);
  }
  auto opened = OpenSqliteStore(path, {Slug, nullptr});
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  Store& store = **opened;
  Article old = *store.GetArticle(1);
  EXPECT_EQ(old.headline, "Old story");
  EXPECT_EQ(old.dek, "Its dek");
  EXPECT_EQ(old.owner_id, 3);
  EXPECT_EQ(old.version, 4);
  EXPECT_EQ(old.seo_title, "");
  EXPECT_EQ(old.seo_description, "");
  EXPECT_EQ(store.GetArticle(2)->status, PublishState::kUnpublished);

  old.seo_title = "Old story, new search title";
  old.seo_description = "Now with a description.";
  ASSERT_TRUE(store.SaveArticle(old, 4).ok());
  Article back = *store.GetArticle(1);
  EXPECT_EQ(back.seo_title, "Old story, new search title");
  EXPECT_EQ(back.seo_description, "Now with a description.");
  EXPECT_EQ(back.version, 5);

  RawDb raw(path);
  EXPECT_EQ(raw.Int("PRAGMA user_version"), static_cast<std::int64_t>(sqlite::Migrations().size()));
  // NOT NULL with '' as the default: a row written without them reads as empty.
  raw.Exec("INSERT INTO articles (id, slug, headline, body, body_format, status, created_at, "
           "modified_at) VALUES (3, 'raw', 'Raw', 'b', 'markdown', 'draft', 1, 1)");
  EXPECT_EQ(raw.Int("SELECT count(*) FROM articles WHERE id = 3 AND seo_title = '' AND "
                    "seo_description = ''"),
            1);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM pragma_table_info('articles') WHERE name IN "
                    "('seo_title', 'seo_description') AND \"notnull\" = 1"),
            2);
}

// --- Migration 7 ---

TEST(StoreMigration7, RewritesTheChecksKeepingStoriesLinksAndTheChangeLogCounter) {
  testing::TempDir dir;
  std::string path = dir / "v6.db";
  ASSERT_TRUE(MigrateSqliteFile(path, 6).ok());
  {
    RawDb db(path);
    ASSERT_EQ(db.Int("PRAGMA user_version"), 6);
    db.Exec("PRAGMA foreign_keys=ON");
    db.Exec(R"sql(
INSERT INTO sections (id, slug, name) VALUES (1, 'world', 'World');
INSERT INTO tags (id, slug, name) VALUES (1, 'water', 'Water');
INSERT INTO articles (id, slug, headline, dek, body, body_format, section_id, status,
                      published_at, created_at, modified_at, owner_id, version, seo_title,
                      seo_description) VALUES
  (1, 'pub', 'Published', 'Dek', 'b', 'markdown', 1, 'published', 500, 1, 2, 3, 4, 'T', 'D'),
  (2, 'gone', 'Gone', '', 'b', 'html', NULL, 'unpublished', 600, 1, 2, 0, 1, '', '');
INSERT INTO article_tags (article_id, tag_id, position) VALUES (1, 1, 0);
INSERT INTO related_news (article_id, position, related_id) VALUES (1, 0, 2);
INSERT INTO change_log (entity, entity_id, op, at) VALUES
  ('article', 1, 'insert', 1), ('article', 2, 'insert', 1), ('article', 1, 'update', 2),
  ('article', 2, 'update', 3), ('article', 2, 'delete', 4);
DELETE FROM change_log WHERE seq > 3;
)sql");
    ASSERT_EQ(db.Int("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'"), 5);
  }
  auto opened = OpenSqliteStore(path, {Slug, nullptr});
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  Store& store = **opened;
  Article pub = *store.GetArticle(1);
  EXPECT_EQ(pub.headline, "Published");
  EXPECT_EQ(pub.dek, "Dek");
  EXPECT_EQ(pub.section, "world");
  EXPECT_EQ(pub.tags, std::vector<std::string>{"Water"});
  EXPECT_EQ(pub.published_at, std::optional<Seconds>(500));
  EXPECT_EQ(pub.owner_id, 3);
  EXPECT_EQ(pub.version, 4);
  EXPECT_EQ(pub.seo_title, "T");
  EXPECT_EQ(pub.seo_description, "D");
  Article gone = *store.GetArticle(2);
  EXPECT_EQ(gone.status, PublishState::kUnpublished);
  EXPECT_EQ(gone.body_format, BodyFormat::kHtml);
  EXPECT_EQ(*store.GetRelated(1), std::vector<std::int64_t>{2});

  // The counter goes on from 5, not from the last row left (3): a search
  // index that applied up to 5 must see the next change.
  pub.headline = "Published again";
  ASSERT_TRUE(store.SaveArticle(pub, 4).ok());
  auto log = store.ChangesSince(0, 100);
  ASSERT_TRUE(log.has_value());
  std::vector<std::int64_t> seqs;
  for (const ChangeLogEntry& c : *log) seqs.push_back(c.seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 3, 6}));

  RawDb raw(path);
  EXPECT_EQ(raw.Int("PRAGMA user_version"), 7);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v7'"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM sqlite_sequence WHERE name LIKE '%_v7'"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles' "
                    "AND name LIKE 'articles_by_%'"),
            5);
  // The constraints still hold, written without IN lists.
  raw.Exec("PRAGMA foreign_keys=ON");
  EXPECT_FALSE(raw.Try("INSERT INTO articles (slug, headline, body, body_format, status, created_at, "
                       "modified_at) VALUES ('x', 'X', 'b', 'markdown', 'bogus', 1, 1)"));
  EXPECT_FALSE(raw.Try("INSERT INTO articles (slug, headline, body, body_format, status, created_at, "
                       "modified_at) VALUES ('x', 'X', 'b', 'text', 'draft', 1, 1)"));
  EXPECT_FALSE(raw.Try("INSERT INTO change_log (entity, entity_id, op, at) VALUES ('article', 1, 'bogus', 1)"));
  EXPECT_TRUE(raw.Try("INSERT INTO change_log (entity, entity_id, op, at) VALUES ('article', 1, 'delete', 1)"));
  // And writing a row builds no temporary b-tree for them.
  for (const char* sql :
       {"EXPLAIN INSERT INTO change_log (entity, entity_id, op, at) VALUES ('article', 1, 'insert', 1)",
        "EXPLAIN INSERT INTO articles (slug, headline, body, body_format, status, created_at, modified_at) "
        "VALUES ('y', 'Y', 'b', 'markdown', 'draft', 1, 1)"}) {
    EXPECT_EQ(raw.Count(sql, "OpenEphemeral"), 0) << sql;
  }
  // Deleting a story still cascades into what refers to it.
  ASSERT_TRUE(store.DeleteArticle(2).ok());
  EXPECT_EQ(raw.Int("SELECT count(*) FROM related_news"), 0);
}

}  // namespace
}  // namespace dateline
