#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "store/sqlite/db.h"
#include "support/raw_db.h"
#include "support/stories.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

std::string TestSlug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += (c == ' ') ? '-' : c;
  }
  return out;
}

// How many of this process's open descriptors are of `path` and read-only
// (/proc/self/fd and fdinfo): SQLite opens a writable database read-write,
// so these are Db::StartWriteback's.
int ReadOnlyHandlesOn(const std::filesystem::path& path) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(e.path(), ec) != path || ec) continue;
    std::ifstream info("/proc/self/fdinfo/" + e.path().filename().string());
    std::string key;
    unsigned long flags = 0;
    while (info >> key) {
      if (key == "flags:" && (info >> std::oct >> flags)) break;
    }
    if ((flags & O_ACCMODE) == O_RDONLY) ++n;
  }
  return n;
}

int OpenFiles() {
  return static_cast<int>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                        std::filesystem::directory_iterator()));
}

TEST(SqliteDb, StartWritebackSharesOneHandleClosedWithTheFilesLastConnection) {
  testing::TempDir dir;
  const std::filesystem::path file = std::filesystem::canonical(dir.path()) / "w.db";
  auto first = std::make_unique<sqlite::Db>();
  ASSERT_TRUE(first->Open(file.string(), false).ok());
  ASSERT_TRUE(first->Exec("CREATE TABLE t (x); INSERT INTO t VALUES (randomblob(100000))").ok());
  EXPECT_EQ(ReadOnlyHandlesOn(file), 0);
  first->StartWriteback();
  EXPECT_EQ(ReadOnlyHandlesOn(file), 1);
  first->StartWriteback();
  EXPECT_EQ(ReadOnlyHandlesOn(file), 1);  // the same handle, kept
  auto second = std::make_unique<sqlite::Db>();
  ASSERT_TRUE(second->Open(file.string(), false).ok());
  second->StartWriteback();
  EXPECT_EQ(ReadOnlyHandlesOn(file), 1);  // shared with the first connection
  // Closing a descriptor of the file would drop the other connection's
  // locks: the handle stays while a connection to the file is open.
  first.reset();
  EXPECT_EQ(ReadOnlyHandlesOn(file), 1);
  second.reset();
  EXPECT_EQ(ReadOnlyHandlesOn(file), 0);
  // An in-memory database has no file: nothing is opened.
  sqlite::Db memory;
  ASSERT_TRUE(memory.Open(":memory:", false).ok());
  const int open = OpenFiles();
  memory.StartWriteback();
  EXPECT_EQ(OpenFiles(), open);
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {TestSlug, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
  }

  Article Make(std::string slug, Seconds published, PublishState state = PublishState::kPublished) {
    return testing::Story(std::move(slug), published, state);
  }

  Article Save(Article a) {
    Status s = store_->SaveArticle(a);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return a;
  }

  testing::TempDir dir_;
  FakeClock clock_{10000};
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, ArticleRoundTripKeepsEveryField) {
  Article a = Make("full", 5000);
  a.dek = "A dek";
  a.dateline = "NAIROBI";
  a.body_format = BodyFormat::kHtml;
  a.excerpt = "Hand-written.";
  a.tags = {"Water", "Climate Policy", "Rivers"};
  a.authors = {"Amara Okafor", "Daniel Reyes"};
  a.updated_at = 6000;
  a.language = "en-GB";
  a.lead_image = LeadImage{"/media/x.svg", "Alt", "Caption", "Credit"};
  a.related_pins = {"other", "another"};
  a.featured = true;
  a.seo_title = "Rivers rise: what we know";
  a.seo_description = "The short version for search results & \"shares\".";
  a.owner_id = 7;
  Article saved = Save(a);
  EXPECT_GT(saved.id, 0);
  EXPECT_EQ(saved.created_at, 10000);
  EXPECT_EQ(saved.version, 1);
  auto back = store_->GetArticleBySlug("full");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, saved);
  EXPECT_EQ(back->tags, (std::vector<std::string>{"Water", "Climate Policy", "Rivers"}));
  auto by_id = store_->GetArticle(saved.id);
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(*by_id, saved);
  // Section created from the slug with a title-cased name; tags get slugs.
  EXPECT_EQ(store_->GetSection("world")->name, "World");
  EXPECT_EQ(store_->GetTag("climate-policy")->name, "Climate Policy");
  EXPECT_EQ(store_->GetAuthor("amara-okafor")->name, "Amara Okafor");
}

TEST_F(StoreTest, UpdateKeepsCreatedAndReplacesLinks) {
  Article a = Save(Make("story", 5000));
  clock_.Advance(100);
  a.tags = {"Only"};
  a.headline = "New headline";
  a.created_at = 0;
  ASSERT_TRUE(store_->SaveArticle(a).ok());
  auto back = *store_->GetArticle(a.id);
  EXPECT_EQ(back.headline, "New headline");
  EXPECT_EQ(back.created_at, 10000);
  EXPECT_EQ(back.modified_at, 10100);
  EXPECT_EQ(back.version, 2);
  EXPECT_EQ(back, a);
  EXPECT_EQ(back.tags, std::vector<std::string>{"Only"});
}

TEST_F(StoreTest, SeoFieldsAreSetChangedAndClearedOnUpdate) {
  Article a = Make("seo", 5000);
  EXPECT_EQ(Save(a).seo_title, "");
  a = *store_->GetArticleBySlug("seo");
  EXPECT_EQ(a.seo_title, "");
  EXPECT_EQ(a.seo_description, "");
  a.seo_title = "Search title";
  a.seo_description = "Search description";
  ASSERT_TRUE(store_->SaveArticle(a).ok());
  auto back = *store_->GetArticle(a.id);
  EXPECT_EQ(back.seo_title, "Search title");
  EXPECT_EQ(back.seo_description, "Search description");
  EXPECT_EQ(back.headline, "Headline seo");  // the headline is its own field
  // Listings read the same columns.
  auto listed = store_->ListArticles(ArticleQuery{});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().seo_description, "Search description");
  back.seo_title.clear();
  ASSERT_TRUE(store_->SaveArticle(back).ok());
  EXPECT_EQ(store_->GetArticle(a.id)->seo_title, "");
  EXPECT_EQ(store_->GetArticle(a.id)->seo_description, "Search description");
}

TEST_F(StoreTest, ListsCarryEachStorysOwnTagsAuthorsAndPinsInOrder) {
  // A list reads the links of all its stories at once; each keeps its own,
  // in the order they were given.
  Article a = Make("a", 1000);
  a.tags = {"Zinc", "Apples", "Mining"};
  a.authors = {"Yara Okoye", "Ben Adler"};
  a.related_pins = {"c", "b"};
  Article b = Make("b", 2000);
  // Against the order the names were first met (so against their ids).
  b.tags = {"Mining", "Apples", "Zinc"};
  b.authors = {"Ben Adler", "Yara Okoye"};
  Article c = Make("c", 3000);  // nothing linked
  c.authors = {"Ben Adler"};
  a = Save(a);
  b = Save(b);
  c = Save(c);
  ArticleQuery q;
  q.visible_at = 5000;
  auto list = store_->ListArticles(q);
  ASSERT_TRUE(list.has_value()) << list.error().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].slug, "c");
  EXPECT_TRUE((*list)[0].tags.empty());
  EXPECT_EQ((*list)[0].authors, std::vector<std::string>{"Ben Adler"});
  EXPECT_TRUE((*list)[0].related_pins.empty());
  EXPECT_EQ((*list)[1].tags, (std::vector<std::string>{"Mining", "Apples", "Zinc"}));
  EXPECT_EQ((*list)[1].authors, (std::vector<std::string>{"Ben Adler", "Yara Okoye"}));
  EXPECT_EQ((*list)[2].tags, (std::vector<std::string>{"Zinc", "Apples", "Mining"}));
  EXPECT_EQ((*list)[2].authors, (std::vector<std::string>{"Yara Okoye", "Ben Adler"}));
  EXPECT_EQ((*list)[2].related_pins, (std::vector<std::string>{"c", "b"}));
  // By ids: in the order asked, unknown ids skipped, links filled.
  auto by_ids = store_->GetArticles({c.id, 999, a.id, b.id});
  ASSERT_TRUE(by_ids.has_value()) << by_ids.error().ToString();
  ASSERT_EQ(by_ids->size(), 3u);
  EXPECT_EQ((*by_ids)[0].slug, "c");
  EXPECT_EQ((*by_ids)[1].slug, "a");
  EXPECT_EQ((*by_ids)[1].authors, (std::vector<std::string>{"Yara Okoye", "Ben Adler"}));
  EXPECT_EQ((*by_ids)[2].slug, "b");
  EXPECT_EQ((*by_ids)[2].tags, (std::vector<std::string>{"Mining", "Apples", "Zinc"}));
  EXPECT_TRUE(store_->GetArticles({})->empty());
  // One story alone (read by its id, not through a list): the same links,
  // in the same order.
  for (const Article* one : {&a, &b, &c}) {
    auto by_slug = store_->GetArticleBySlug(one->slug);
    ASSERT_TRUE(by_slug.has_value()) << by_slug.error().ToString();
    EXPECT_EQ(by_slug->tags, one->tags) << one->slug;
    EXPECT_EQ(by_slug->authors, one->authors) << one->slug;
    EXPECT_EQ(by_slug->related_pins, one->related_pins) << one->slug;
    auto alone = store_->GetArticles({one->id});
    ASSERT_TRUE(alone.has_value());
    ASSERT_EQ(alone->size(), 1u);
    EXPECT_EQ(alone->front(), *by_slug);
  }
  // A repeated id comes twice, each with the story's links.
  auto twice = store_->GetArticles({a.id, c.id, a.id});
  ASSERT_TRUE(twice.has_value()) << twice.error().ToString();
  ASSERT_EQ(twice->size(), 3u);
  EXPECT_EQ((*twice)[0], (*by_ids)[1]);
  EXPECT_EQ((*twice)[1], (*by_ids)[0]);
  EXPECT_EQ((*twice)[2], (*by_ids)[1]);
  // As cards (no links): every other field as read with them.
  auto cards = store_->GetArticles({a.id, c.id}, /*links=*/false);
  ASSERT_TRUE(cards.has_value()) << cards.error().ToString();
  ASSERT_EQ(cards->size(), 2u);
  Article expected = (*by_ids)[1];
  expected.tags.clear();
  expected.authors.clear();
  expected.related_pins.clear();
  EXPECT_EQ((*cards)[0], expected);
  EXPECT_TRUE((*cards)[1].authors.empty());
  q.links = false;
  auto card_list = store_->ListArticles(q);
  ASSERT_TRUE(card_list.has_value());
  ASSERT_EQ(card_list->size(), 3u);
  EXPECT_EQ((*card_list)[2], expected);
  auto all = store_->AllArticles();
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  for (const Article& x : *all) {
    if (x.slug == "a") {
      EXPECT_EQ(x.tags, (std::vector<std::string>{"Zinc", "Apples", "Mining"}));
    }
  }
}

TEST_F(StoreTest, ReadsBesideATransactionSeeOnlyWhatIsCommitted) {
  // A thread inside a transaction reads its own writes; another thread
  // reads at the same time, without waiting for it, and sees only what was
  // committed; after the commit it sees the new story.
  std::promise<void> written, checked;
  std::thread writer([&] {
    Status s = store_->Transaction([&]() -> Status {
      Article a = Make("in-flight", 1000);
      DL_RETURN_IF_ERROR(store_->SaveArticle(a));
      EXPECT_TRUE(store_->GetArticleBySlug("in-flight").has_value());  // its own write
      written.set_value();
      checked.get_future().wait();
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  written.get_future().wait();
  auto outside = std::async(std::launch::async, [&] { return store_->GetArticleBySlug("in-flight"); });
  bool answered = outside.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "a read waited for the writer's transaction";
  checked.set_value();
  auto seen = outside.get();
  writer.join();
  ASSERT_FALSE(seen.has_value());
  EXPECT_TRUE(seen.error().IsNotFound());
  auto after = store_->GetArticleBySlug("in-flight");
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  ArticleQuery q;
  q.visible_at = 5000;
  EXPECT_EQ(*store_->CountArticles(q), 1);
}

TEST_F(StoreTest, ReadsInAReadScopeSeeOneStateOfTheStore) {
  // A page's reads in a read scope: a save committed by another thread
  // between two of them is not seen by the second (one snapshot), and is
  // seen once the scope is gone.
  Article first = Save(Make("first", 1000));
  auto seq = store_->LastChangeSeq();
  ASSERT_TRUE(seq.has_value());
  auto reads = store_->BeginReads();
  ASSERT_NE(reads, nullptr);
  ASSERT_EQ(store_->GetArticleBySlug("first")->headline, first.headline);
  std::thread writer([&] {
    Article changed = first;
    changed.headline = "A new headline";
    EXPECT_TRUE(store_->SaveArticle(changed).ok());
    Save(Make("second", 2000));
  });
  writer.join();
  EXPECT_EQ(store_->GetArticleBySlug("first")->headline, first.headline);
  EXPECT_TRUE(store_->GetArticleBySlug("second").error().IsNotFound());
  EXPECT_EQ(*store_->LastChangeSeq(), *seq);
  ArticleQuery q;
  q.visible_at = 5000;
  EXPECT_EQ(*store_->CountArticles(q), 1);
  reads.reset();
  EXPECT_EQ(store_->GetArticleBySlug("first")->headline, "A new headline");
  EXPECT_TRUE(store_->GetArticleBySlug("second").has_value());
  EXPECT_EQ(*store_->CountArticles(q), 2);
  // Inside a transaction the transaction serves: no scope of its own.
  Status s = store_->Transaction([&]() -> Status {
    EXPECT_EQ(store_->BeginReads(), nullptr);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(StoreTest, NotFoundIsANormalResult) {
  auto r = store_->GetArticleBySlug("missing");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().IsNotFound());
  EXPECT_TRUE(store_->GetSection("nope").error().IsNotFound());
  EXPECT_TRUE(store_->GetTag("nope").error().IsNotFound());
  EXPECT_TRUE(store_->DeleteArticle(999).IsNotFound());
  Article ghost = Make("ghost", 1);
  ghost.id = 999;
  EXPECT_TRUE(store_->SaveArticle(ghost).IsNotFound());
}

TEST_F(StoreTest, InvalidWritesNameTheField) {
  Article a = Make("ok", 1);
  a.headline.clear();
  Status s = store_->SaveArticle(a);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("headline"), std::string::npos);
  a = Make("Bad Slug", 1);
  s = store_->SaveArticle(a);
  EXPECT_NE(s.message().find("slug"), std::string::npos);
  Save(Make("taken", 1));
  a = Make("taken", 2);
  s = store_->SaveArticle(a);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("already used"), std::string::npos);
}

TEST_F(StoreTest, VisibilityHidesDraftsReviewAndFuture) {
  Save(Make("pub", 9000));
  Save(Make("draft", 9000, PublishState::kDraft));
  Save(Make("review", 9000, PublishState::kReview));
  Save(Make("future", 20000));
  Save(Make("scheduled", 15000, PublishState::kScheduled));
  ArticleQuery q;
  q.visible_at = clock_.Now();
  q.limit = 100;
  auto list = *store_->ListArticles(q);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].slug, "pub");
  EXPECT_EQ(*store_->CountArticles(q), 1);
  // Time passes: the scheduled story becomes visible, the future one too later.
  q.visible_at = 16000;
  EXPECT_EQ(*store_->CountArticles(q), 2);
  q.visible_at = 20000;
  EXPECT_EQ(*store_->CountArticles(q), 3);
}

TEST_F(StoreTest, ListingFiltersOrderAndPaging) {
  for (int i = 0; i < 5; ++i) {
    Article a = Make("w" + std::to_string(i), 1000 + i);
    a.tags = {i % 2 == 0 ? "Even" : "Odd"};
    a.authors = {"Writer"};
    Save(a);
  }
  Article s = Make("s0", 2000);
  s.section = "sport";
  s.authors = {"Other Writer"};
  Save(s);
  ArticleQuery q;
  q.visible_at = clock_.Now();
  q.section_slug = "world";
  q.limit = 2;
  auto page1 = *store_->ListArticles(q);
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0].slug, "w4");  // newest first
  EXPECT_EQ(page1[1].slug, "w3");
  q.offset = 4;
  auto page3 = *store_->ListArticles(q);
  ASSERT_EQ(page3.size(), 1u);
  EXPECT_EQ(page3[0].slug, "w0");
  EXPECT_EQ(*store_->CountArticles(q), 5);

  ArticleQuery tag;
  tag.visible_at = clock_.Now();
  tag.tag_slug = "even";
  tag.limit = 10;
  EXPECT_EQ(*store_->CountArticles(tag), 3);
  ArticleQuery author;
  author.author_slug = "other-writer";
  EXPECT_EQ((*store_->ListArticles(author)).at(0).slug, "s0");
  ArticleQuery range;
  range.published_from = 1001;
  range.published_before = 1003;
  range.limit = 10;
  EXPECT_EQ(*store_->CountArticles(range), 2);
  ArticleQuery excl;
  excl.limit = 10;
  excl.exclude_ids = {page1[0].id, page1[1].id};
  EXPECT_EQ(store_->ListArticles(excl)->size(), 4u);
}

// ListArticleIds reads each shape of query from its own index; whatever
// the shape, it must list what ListArticles lists, page after page.
TEST_F(StoreTest, ListingIdsAreWhatListingsList) {
  const std::vector<std::string> sections = {"world", "sport", "arts"};
  const std::vector<std::string> tags = {"Rare", "Common", "Mid"};
  const std::vector<std::string> writers = {"Ann", "Bo"};
  const std::vector<PublishState> states = {PublishState::kPublished, PublishState::kPublished,
                                            PublishState::kDraft, PublishState::kScheduled,
                                            PublishState::kUnpublished};
  for (int i = 0; i < 40; ++i) {
    // Publish times repeat (ties go to the higher id) and some lie ahead.
    Article a = Make("s" + std::to_string(i), 1000 + (i * 7) % 23 * 500, states[i % 5]);
    a.section = sections[i % 3];
    a.tags = {tags[1]};
    if (i % 9 == 0) a.tags.push_back(tags[0]);
    if (i % 3 == 1) a.tags.push_back(tags[2]);
    a.authors = {writers[i % 2]};
    if (i % 4 == 0) a.authors.push_back(writers[(i + 1) % 2]);
    a.featured = i % 5 == 1;
    a.owner_id = i % 2 + 1;
    if (i % 6 == 0) a.headline = "Flood " + a.slug;
    Save(a);
  }
  std::vector<ArticleQuery> shapes;
  auto add = [&](auto edit) {
    ArticleQuery q;
    edit(q);
    shapes.push_back(q);
    q.visible_at = 6000;
    shapes.push_back(q);
  };
  add([](ArticleQuery&) {});
  add([](ArticleQuery& q) { q.section_slug = "sport"; });
  add([](ArticleQuery& q) { q.section_slug = "none"; });
  add([](ArticleQuery& q) { q.tag_slug = "rare"; });
  add([](ArticleQuery& q) { q.tag_slug = "mid"; q.section_slug = "sport"; });
  add([](ArticleQuery& q) { q.tag_slug = "common"; q.author_slug = "bo"; });
  add([](ArticleQuery& q) { q.author_slug = "ann"; });
  add([](ArticleQuery& q) { q.author_slug = "bo"; q.section_slug = "arts"; });
  add([](ArticleQuery& q) { q.published_from = 2000; q.published_before = 5000; });
  add([](ArticleQuery& q) { q.featured_only = true; });
  add([](ArticleQuery& q) { q.exclude_ids = {1, 2, 3, 9}; });
  add([](ArticleQuery& q) { q.statuses = {PublishState::kDraft, PublishState::kScheduled}; });
  add([](ArticleQuery& q) { q.owner_id = 2; q.headline_contains = "flood"; });
  add([](ArticleQuery& q) { q.order = ArticleOrder::kModifiedNewest; q.tag_slug = "mid"; });
  add([](ArticleQuery& q) { q.order = ArticleOrder::kHeadline; q.section_slug = "world"; });
  for (const ArticleQuery& shape : shapes) {
    auto ids = store_->ListArticleIds(shape);
    ASSERT_TRUE(ids.has_value()) << ids.error().ToString();
    std::vector<std::int64_t> paged;
    ArticleQuery q = shape;
    q.limit = 4;
    for (q.offset = 0; q.offset < 60; q.offset += q.limit) {
      auto page = store_->ListArticles(q);
      ASSERT_TRUE(page.has_value());
      for (const Article& a : *page) paged.push_back(a.id);
    }
    EXPECT_EQ(*ids, paged) << "section " << shape.section_slug << " tag " << shape.tag_slug
                           << " author " << shape.author_slug << " visible "
                           << shape.visible_at.value_or(-1);
    EXPECT_EQ(static_cast<std::int64_t>(ids->size()), *store_->CountArticles(shape));
  }
  // The filters apply (the comparison above would also hold if both
  // ignored them): of the five stories tagged Rare (0, 9, 18, 27, 36), 9 is
  // taken down, 27 a draft, 18 and 36 due at 6500 and 12000.
  ArticleQuery rare;
  rare.tag_slug = "rare";
  rare.visible_at = 6000;
  auto rare_ids = store_->ListArticleIds(rare);
  ASSERT_TRUE(rare_ids.has_value());
  EXPECT_EQ(*rare_ids, std::vector<std::int64_t>{1});  // s0, the first saved
}

TEST_F(StoreTest, NextVisibleAfterIsTheNextPublishTimeOfAPublicStory) {
  Save(Make("now", 1000));
  Save(Make("soon", 3000, PublishState::kScheduled));
  Save(Make("draft", 2000, PublishState::kDraft));
  Save(Make("taken-down", 2500, PublishState::kUnpublished));
  Save(Make("later", 4000));
  EXPECT_EQ(*store_->NextVisibleAfter(500), std::optional<Seconds>(1000));
  EXPECT_EQ(*store_->NextVisibleAfter(1000), std::optional<Seconds>(3000));  // after, not at
  EXPECT_EQ(*store_->NextVisibleAfter(3500), std::optional<Seconds>(4000));
  EXPECT_EQ(*store_->NextVisibleAfter(4000), std::nullopt);
}

TEST_F(StoreTest, TagLinksOfEveryStoryOrOfSome) {
  Article a = Make("a", 1000);
  a.tags = {"X", "Y"};
  a = Save(a);
  Article draft = Make("draft", 2000, PublishState::kDraft);
  draft.tags = {"Y"};
  draft.published_at.reset();
  draft = Save(draft);
  Article bare = Save(Make("bare", 3000, PublishState::kScheduled));
  const std::int64_t x = store_->GetTag("x")->id, y = store_->GetTag("y")->id;
  auto sorted = [](Result<std::vector<TagLinks>> r) {
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    std::vector<TagLinks> v = r ? std::move(*r) : std::vector<TagLinks>{};
    std::sort(v.begin(), v.end(), [](const TagLinks& l, const TagLinks& m) { return l.id < m.id; });
    for (TagLinks& t : v) std::sort(t.tag_ids.begin(), t.tag_ids.end());
    return v;
  };
  std::vector<std::int64_t> xy = {x, y};
  std::sort(xy.begin(), xy.end());
  const std::vector<TagLinks> all = {
      {a.id, PublishState::kPublished, 1000, xy},
      {draft.id, PublishState::kDraft, std::nullopt, {y}},
      {bare.id, PublishState::kScheduled, 3000, {}},
  };
  EXPECT_EQ(sorted(store_->ReadTagLinks(nullptr)), all);
  // Some: an id with no story is left out.
  std::vector<std::int64_t> some = {draft.id, 9999};
  EXPECT_EQ(sorted(store_->ReadTagLinks(&some)), (std::vector<TagLinks>{all[1]}));
  ASSERT_TRUE(store_->DeleteArticle(a.id).ok());
  EXPECT_EQ(sorted(store_->ReadTagLinks(nullptr)), (std::vector<TagLinks>{all[1], all[2]}));
}

TEST_F(StoreTest, EveryWriteAppendsToTheChangeLog) {
  EXPECT_EQ(*store_->LastChangeSeq(), 0);
  Article a = Make("logged", 1000);
  a.tags = {"T"};
  a = Save(a);
  auto changes = *store_->ChangesSince(0, 100);
  // section insert, tag insert, article insert (in that order).
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes.back().entity, "article");
  EXPECT_EQ(changes.back().entity_id, a.id);
  EXPECT_EQ(changes.back().op, "insert");
  std::int64_t seq = *store_->LastChangeSeq();
  ASSERT_TRUE(store_->DeleteArticle(a.id).ok());
  auto after = *store_->ChangesSince(seq, 100);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].op, "delete");
}

TEST_F(StoreTest, FailedTransactionWritesNothing) {
  Status s = store_->Transaction([&]() -> Status {
    Article a = Make("first", 1000);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    Article b = Make("first", 1001);  // duplicate slug
    return store_->SaveArticle(b);
  });
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(store_->GetArticleBySlug("first").error().IsNotFound());
  EXPECT_TRUE(store_->GetSection("world").error().IsNotFound());
  EXPECT_EQ(*store_->LastChangeSeq(), 0);
}

// The journal mode as a fresh connection to the file sees it.
std::string JournalModeOf(const std::string& path) {
  return testing::RawDb(path).Text("PRAGMA journal_mode");
}

TEST_F(StoreTest, BulkTransactionUsesTheRollbackJournalAndLeavesTheFileInWal) {
  std::string path = dir_ / "site.db";
  ASSERT_EQ(JournalModeOf(path), "wal");
  std::string inside;
  Status s = store_->BulkTransaction([&]() -> Status {
    inside = JournalModeOf(path);
    for (int i = 0; i < 3; ++i) {
      Article a = Make("bulk-" + std::to_string(i), 1000 + i);
      a.tags = {"Water"};
      DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(inside, "delete");  // no other connection had the file open
  EXPECT_EQ(JournalModeOf(path), "wal");
  ArticleQuery q;
  q.tag_slug = "water";
  EXPECT_EQ(*store_->CountArticles(q), 3);
  EXPECT_EQ(store_->ChangesSince(0, 100)->size(), 5u);  // section, tag, 3 stories
}

// Every index of the file, name and definition, one per line.
std::string IndexesOf(const std::string& path) {
  return testing::RawDb(path).Text(
      "SELECT group_concat(name || ': ' || ifnull(sql, '(constraint)'), char(10)) FROM "
      "(SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name)");
}

std::int64_t SchemaVersionOf(const std::string& path) {
  return testing::RawDb(path).Int("PRAGMA schema_version");
}

TEST_F(StoreTest, BulkTransactionIntoAStoreOfFewStoriesMakesItsIndexesOnceAtTheEnd) {
  std::string path = dir_ / "site.db";
  Save(Make("before", 900));
  const std::string indexes = IndexesOf(path);
  ASSERT_NE(indexes.find("articles_by_section: CREATE INDEX"), std::string::npos) << indexes;
  ASSERT_NE(indexes.find("article_tags_by_tag: CREATE INDEX"), std::string::npos) << indexes;
  const std::int64_t version = SchemaVersionOf(path);

  // A failed one leaves the schema as it was.
  Status failed = store_->BulkTransaction([&]() -> Status {
    Article a = Make("rolled-back", 950);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    return Status::Internal("stop");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(IndexesOf(path), indexes);
  EXPECT_EQ(SchemaVersionOf(path), version);

  Status s = store_->BulkTransaction([&]() -> Status {
    for (int i = 0; i < 5; ++i) {
      Article a = Make("bulk-" + std::to_string(i), 1000 + i);
      a.section = i % 2 == 0 ? "science" : "sport";
      a.tags = {"Water"};
      a.authors = {"Ada Reporter"};
      DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  // The indexes were dropped and made again (the schema changed), the same.
  EXPECT_NE(SchemaVersionOf(path), version);
  EXPECT_EQ(IndexesOf(path), indexes);
  EXPECT_EQ(testing::RawDb(path).Text("PRAGMA integrity_check"), "ok");
  ArticleQuery science;
  science.section_slug = "science";
  auto listed = store_->ListArticles(science);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].slug, "bulk-4");  // newest first, read through the new index
  ArticleQuery water;
  water.tag_slug = "water";
  EXPECT_EQ(*store_->CountArticles(water), 5);
}

TEST_F(StoreTest, BulkTransactionThatSavesNoStoryKeepsTheIndexes) {
  // Related News lists of a reindex are stored in a bulk transaction too.
  std::string path = dir_ / "site.db";
  Article a = Save(Make("a", 1000));
  Article b = Save(Make("b", 2000));
  const std::int64_t version = SchemaVersionOf(path);
  Status s = store_->BulkTransaction([&]() -> Status { return store_->SetRelated(a.id, {b.id}); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(SchemaVersionOf(path), version);
  EXPECT_EQ(*store_->GetRelated(a.id), std::vector<std::int64_t>{b.id});
}

TEST_F(StoreTest, BulkTransactionKeepsTheIndexesOfAStoreOfManyStories) {
  std::string path = dir_ / "site.db";
  Status s = store_->BulkTransaction([&]() -> Status {
    for (int i = 0; i < 1000; ++i) {
      Article a = Make("story-" + std::to_string(i), 1000 + i);
      DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::int64_t version = SchemaVersionOf(path);
  s = store_->BulkTransaction([&]() -> Status {
    Article a = Make("one-more", 5000);
    return store_->SaveArticle(a);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(SchemaVersionOf(path), version);  // no index dropped or made
  EXPECT_EQ(*store_->CountArticles(ArticleQuery{}), 1001);
}

TEST_F(StoreTest, BulkTransactionStaysInWalWhileAnotherConnectionIsOpen) {
  std::string path = dir_ / "site.db";
  // A second store reading the same file, as a running server would.
  auto server = OpenSqliteStore(path, {TestSlug, &clock_});
  ASSERT_TRUE(server.has_value()) << server.error().ToString();
  std::thread([&] { EXPECT_TRUE((*server)->GetArticleBySlug("none").error().IsNotFound()); })
      .join();
  std::string inside;
  auto started = std::chrono::steady_clock::now();
  Status s = store_->BulkTransaction([&]() -> Status {
    inside = JournalModeOf(path);
    Article a = Make("beside-a-server", 1000);
    return store_->SaveArticle(a);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(inside, "wal");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2))
      << "the bulk transaction waited for the other connection";
  auto seen = (*server)->GetArticleBySlug("beside-a-server");
  EXPECT_TRUE(seen.has_value());
}

TEST_F(StoreTest, OpeningDuringABulkTransactionSaysWhatHoldsTheFile) {
  std::string path = dir_ / "site.db";
  Result<std::unique_ptr<Store>> other = Fail(Status::Internal("not opened"));
  Status s = store_->BulkTransaction([&]() -> Status {
    Article a = Make("in-bulk", 1000);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    other = OpenSqliteStore(path, {TestSlug, &clock_});  // cannot switch the file to WAL
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), Status::Code::kUnavailable) << other.error().ToString();
  EXPECT_NE(other.error().message().find("site.db"), std::string::npos);
  EXPECT_NE(other.error().message().find("an import?"), std::string::npos)
      << other.error().message();
  // Once the import has ended the file opens again, in WAL.
  auto after = OpenSqliteStore(path, {TestSlug, &clock_});
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  EXPECT_TRUE((*after)->GetArticleBySlug("in-bulk").has_value());
  EXPECT_EQ(JournalModeOf(path), "wal");
}

TEST_F(StoreTest, FailedBulkTransactionWritesNothingEvenAHalfSavedStory) {
  std::string path = dir_ / "site.db";
  Article kept = Save(Make("kept", 900));
  std::int64_t seq = *store_->LastChangeSeq();
  Status save;
  Status s = store_->BulkTransaction([&]() -> Status {
    Article a = Make("first", 1000);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    Article b = Make("second", 1001);
    b.tags = {"!!"};  // no slug can be made of it: fails after the story's row was written
    save = store_->SaveArticle(b);
    return save.ok() ? Status::Ok() : Status::InvalidArgument("rolled back");
  });
  EXPECT_TRUE(save.IsInvalidArgument()) << save.ToString();
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(store_->GetArticleBySlug("first").error().IsNotFound());
  EXPECT_TRUE(store_->GetArticleBySlug("second").error().IsNotFound());
  EXPECT_EQ(store_->GetArticleBySlug("kept")->id, kept.id);
  EXPECT_EQ(*store_->LastChangeSeq(), seq);
  EXPECT_EQ(JournalModeOf(path), "wal");
}

// A bulk transaction remembers the ids of the sections, tags and authors
// it found or made; after a rollback the ones it made are gone, and the
// next bulk transaction must make them again.
TEST_F(StoreTest, ABulkTransactionAfterARolledBackOneMakesItsNamesAgain) {
  auto story = [&](const std::string& slug) {
    Article a = Make(slug, 1000);
    a.section = "harbour-news";
    a.tags = {"Tide tables"};
    a.authors = {"Ines Quay"};
    return a;
  };
  Status failed = store_->BulkTransaction([&]() -> Status {
    Article a = story("undone");
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    return Status::InvalidArgument("rolled back");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(store_->GetSection("harbour-news").error().IsNotFound());
  Status s = store_->BulkTransaction([&]() -> Status {
    for (const char* slug : {"kept-one", "kept-two"}) {
      Article a = story(slug);
      DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const char* slug : {"kept-one", "kept-two"}) {
    auto a = store_->GetArticleBySlug(slug);
    ASSERT_TRUE(a.has_value()) << slug;
    EXPECT_EQ(a->section, "harbour-news");
    EXPECT_EQ(a->tags, std::vector<std::string>{"Tide tables"});
    EXPECT_EQ(a->authors, std::vector<std::string>{"Ines Quay"});
  }
  EXPECT_TRUE(store_->GetSection("harbour-news").has_value());
}

TEST_F(StoreTest, AThrowInsideABulkTransactionLeavesTheStoreAsBefore) {
  Status s = store_->BulkTransaction([&]() -> Status {
    Article a = Make("before-the-throw", 1000);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    return store_->Transaction([&]() -> Status { throw std::runtime_error("boom"); });
  });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("boom"), std::string::npos) << s.ToString();
  EXPECT_TRUE(store_->GetArticleBySlug("before-the-throw").error().IsNotFound());
  // The next transaction is an outer one again: it reads its own writes.
  bool seen = false;
  s = store_->Transaction([&]() -> Status {
    Article a = Make("after-the-throw", 1000);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    seen = store_->GetArticleBySlug("after-the-throw").has_value();
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(seen);
  EXPECT_TRUE(store_->GetArticleBySlug("after-the-throw").has_value());
}

TEST_F(StoreTest, BulkTransactionInsideATransactionJoinsIt) {
  Status s = store_->Transaction([&]() -> Status {
    Article a = Make("outer", 1000);
    DL_RETURN_IF_ERROR(store_->SaveArticle(a));
    DL_RETURN_IF_ERROR(store_->BulkTransaction([&]() -> Status {
      Article b = Make("inner", 1001);
      return store_->SaveArticle(b);
    }));
    return Status::Conflict("changed my mind");
  });
  EXPECT_TRUE(s.IsConflict());
  EXPECT_TRUE(store_->GetArticleBySlug("outer").error().IsNotFound());
  EXPECT_TRUE(store_->GetArticleBySlug("inner").error().IsNotFound());
}

TEST_F(StoreTest, RedirectsFollowLatestTarget) {
  ASSERT_TRUE(store_->PutRedirect({"/old/", "/new/"}).ok());
  EXPECT_EQ(*store_->GetRedirect("/old/"), "/new/");
  ASSERT_TRUE(store_->PutRedirect({"/new/", "/old/"}).ok());  // back again
  EXPECT_TRUE(store_->GetRedirect("/old/").error().IsNotFound());
  EXPECT_EQ(*store_->GetRedirect("/new/"), "/old/");
}

TEST(StoreOpen, MigratesAnOldDatabaseKeepingData) {
  testing::TempDir dir;
  std::string path = dir / "old.db";
  ASSERT_TRUE(MigrateSqliteFile(path, 1).ok());
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO articles (slug, headline, body, body_format, status, "
                           "created_at, modified_at) VALUES ('kept', 'Kept', 'b', 'markdown', "
                           "'published', 1, 1)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = OpenSqliteStore(path, {TestSlug, nullptr});
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  EXPECT_EQ((*store)->GetArticleBySlug("kept")->headline, "Kept");
  // Migration 2 added the redirects table.
  EXPECT_TRUE((*store)->PutRedirect({"/a/", "/b/"}).ok());
}

std::string PageSizeOf(const std::string& path) {
  return testing::RawDb(path).Text("PRAGMA page_size");
}

TEST(StoreOpen, NewDatabasesHave16KiBPagesAndOlderOnesKeepTheirs) {
  testing::TempDir dir;
  std::string fresh = dir / "fresh.db";
  {
    auto store = OpenSqliteStore(fresh, {TestSlug, nullptr});
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    Article a = testing::Story("whole-row", 1000);
    a.body = std::string(9000, 'x');  // more than a 4 KiB page holds
    ASSERT_TRUE((*store)->SaveArticle(a).ok());
  }
  EXPECT_EQ(PageSizeOf(fresh), "16384");

  // A site made before keeps its 4 KiB pages, and its stories.
  std::string old = dir / "old.db";
  testing::RawDb(old).Exec("PRAGMA page_size=4096; CREATE TABLE t (x); DROP TABLE t;");
  ASSERT_EQ(PageSizeOf(old), "4096");
  auto store = OpenSqliteStore(old, {TestSlug, nullptr});
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  Article a = testing::Story("kept", 1000);
  ASSERT_TRUE((*store)->SaveArticle(a).ok());
  EXPECT_EQ(PageSizeOf(old), "4096");
  EXPECT_EQ((*store)->GetArticleBySlug("kept")->headline, "Headline kept");
}

TEST(StoreOpen, RefusesGarbageAndNewerSchemas) {
  testing::TempDir dir;
  std::string junk = dir / "junk.db";
  std::ofstream(junk) << "this is not a database, just text that goes on for a while........";
  auto r = OpenSqliteStore(junk, {TestSlug, nullptr});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("junk.db"), std::string::npos);

  std::string newer = dir / "newer.db";
  ASSERT_TRUE(MigrateSqliteFile(newer, -1).ok());
  sqlite3* db = nullptr;
  sqlite3_open(newer.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto n = OpenSqliteStore(newer, {TestSlug, nullptr});
  ASSERT_FALSE(n.has_value());
  EXPECT_NE(n.error().message().find("newer"), std::string::npos);

  auto missing = OpenSqliteStore((dir / "no/such/dir/x.db"), {TestSlug, nullptr});
  EXPECT_FALSE(missing.has_value());
}

}  // namespace
}  // namespace dateline
