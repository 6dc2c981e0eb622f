#include "site/site_tables.h"

#include <gtest/gtest.h>


#include "store/sqlite/sqlite_store.h"
#include "support/stories.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

class SiteTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {testing::LowerSlug, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
  }

  Article Save(std::string slug, std::string section, Seconds published) {
    Article a = testing::Story(std::move(slug), published);
    a.section = std::move(section);
    Status s = store_->SaveArticle(a);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return a;
  }

  testing::TempDir dir_;
  FakeClock clock_{10000};
  std::unique_ptr<Store> store_;
};

TEST_F(SiteTablesTest, SectionsAsTheStoreListsThem) {
  Save("a", "world", 100);
  Save("b", "sport", 200);
  SiteTables tables(*store_);
  auto snap = tables.Current();
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->sections(), *store_->ListSections());
  const Section* world = snap->FindSection("world");
  ASSERT_NE(world, nullptr);
  EXPECT_EQ(*world, *store_->GetSection("world"));
  EXPECT_EQ(snap->FindSection("nope"), nullptr);
}

TEST_F(SiteTablesTest, OneSnapshotUntilTheStoreChanges) {
  Save("a", "world", 100);
  SiteTables tables(*store_);
  auto first = tables.Current();
  EXPECT_EQ(tables.Current(), first);  // same generation, same snapshot

  Section renamed = *store_->GetSection("world");
  renamed.name = "The World";
  ASSERT_TRUE(store_->SaveSection(renamed).ok());
  auto second = tables.Current();
  ASSERT_NE(second, first);
  EXPECT_EQ(second->FindSection("world")->name, "The World");
  EXPECT_NE(first->FindSection("world")->name, "The World");  // a pinned page keeps its own
}

std::vector<std::int64_t> Ids(const Result<SiteSnapshot::Ids>& r) {
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r ? **r : std::vector<std::int64_t>{};
}

TEST_F(SiteTablesTest, ListingsFollowTheStoreAndTheClock) {
  Article a = Save("a", "world", 100);
  Article b = Save("b", "world", 200);
  Article sport = Save("s", "sport", 150);
  SiteTables tables(*store_);
  ArticleQuery q;
  q.section_slug = "world";
  q.limit = 1;  // a listing is the whole list, whatever the page size
  q.offset = 1;
  EXPECT_EQ(Ids(tables.Current()->Listing(*store_, q, 150)), std::vector<std::int64_t>{a.id});
  // b's publish time reached: the same generation, another answer.
  EXPECT_EQ(Ids(tables.Current()->Listing(*store_, q, 250)),
            (std::vector<std::int64_t>{b.id, a.id}));
  // An earlier time again (a clock set back) is asked anew too.
  EXPECT_EQ(Ids(tables.Current()->Listing(*store_, q, 120)), std::vector<std::int64_t>{a.id});
  ArticleQuery all;  // another filter is another listing
  EXPECT_EQ(Ids(tables.Current()->Listing(*store_, all, 250)),
            (std::vector<std::int64_t>{b.id, sport.id, a.id}));
  q.tag_slug = "x";
  EXPECT_TRUE(Ids(tables.Current()->Listing(*store_, q, 250)).empty());
  q.tag_slug.clear();
  Article c = Save("c", "world", 220);  // a write starts a new generation
  EXPECT_EQ(Ids(tables.Current()->Listing(*store_, q, 250)),
            (std::vector<std::int64_t>{c.id, b.id, a.id}));
}

TEST_F(SiteTablesTest, AListingIsReadOnceWhileNoStoryComesDue) {
  Article a = Save("a", "world", 100);
  Article later = Save("later", "world", 5000);  // scheduled for 5000
  SiteTables tables(*store_);
  auto snap = tables.Current();
  ArticleQuery q;
  q.section_slug = "world";
  auto first = snap->Listing(*store_, q, 1000);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(**first, std::vector<std::int64_t>{a.id});
  // Any time before 5000 holds the same list: the memo's own copy.
  auto again = snap->Listing(*store_, q, 4999);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *first);
  // At 5000 the scheduled story is visible: a new span, asked anew.
  auto due = snap->Listing(*store_, q, 5000);
  ASSERT_TRUE(due.has_value());
  EXPECT_NE(*due, *first);
  EXPECT_EQ(**due, (std::vector<std::int64_t>{later.id, a.id}));
}

TEST_F(SiteTablesTest, AListingsHeadIsItsFirstIdsReadOnce) {
  const std::size_t n = SiteSnapshot::kHeadIds + 30;
  for (std::size_t i = 0; i < n; ++i) Save("h" + std::to_string(i), i % 2 ? "world" : "sport", 100 + static_cast<Seconds>(i));
  Article later = Save("later", "world", 5000);
  SiteTables tables(*store_);
  auto snap = tables.Current();
  ArticleQuery all;
  std::vector<std::int64_t> whole = Ids(ListingIds(*store_, nullptr, all, 1000));
  ASSERT_EQ(whole.size(), n);
  auto prefix = [&](std::size_t k) { return std::vector<std::int64_t>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(k)); };
  // Asked for 5: a head of kHeadIds is read, and kept.
  auto head = snap->ListingHead(*store_, all, 1000, 5);
  EXPECT_EQ(Ids(head), prefix(SiteSnapshot::kHeadIds));
  auto again = snap->ListingHead(*store_, all, 1000, 10);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *head);
  // More than the head holds: read again, longer.
  EXPECT_EQ(Ids(snap->ListingHead(*store_, all, 1000, SiteSnapshot::kHeadIds + 5)),
            prefix(SiteSnapshot::kHeadIds + 5));
  // A short listing's head is all of it, and serves any length.
  ArticleQuery short_q;
  short_q.tag_slug = "none";
  EXPECT_TRUE(Ids(snap->ListingHead(*store_, short_q, 1000, 500)).empty());
  // Once the whole listing is read, heads are cut from it.
  auto listed = snap->Listing(*store_, all, 1000);
  ASSERT_TRUE(listed.has_value());
  auto from_whole = snap->ListingHead(*store_, all, 1000, 3);
  ASSERT_TRUE(from_whole.has_value());
  EXPECT_EQ(*from_whole, *listed);
  // The clock passing a publish time starts a new span: asked anew.
  auto due = snap->ListingHead(*store_, all, 5000, 3);
  ASSERT_FALSE(Ids(due).empty());
  EXPECT_EQ((*due)->front(), later.id);
  // Without a snapshot the store is asked for exactly n.
  EXPECT_EQ(Ids(ListingHeadIds(*store_, nullptr, all, 1000, 7)), prefix(7));
}

TEST_F(SiteTablesTest, CardsPastTheBoundLoseHalfAndKeepTheNewest) {
  auto card = [](std::int64_t id) {
    return std::make_shared<const SiteSnapshot::Card>(
        SiteSnapshot::Card{id, PublishState::kPublished, 0, SharedJson(nlohmann::json::object())});
  };
  // A server's bound by default; a build asks for more (SiteTables).
  EXPECT_EQ(SiteSnapshot(1, {}).max_cards(), SiteSnapshot::kServeCards);
  SiteTables tables(*store_);
  EXPECT_EQ(tables.Current()->max_cards(), SiteSnapshot::kServeCards);
  tables.KeepCardsUpTo(SiteSnapshot::kBatchCards);
  Article a = testing::Story("a-new-generation", 1000);
  ASSERT_TRUE(store_->SaveArticle(a).ok());
  EXPECT_EQ(tables.Current()->max_cards(), SiteSnapshot::kBatchCards);
  for (std::size_t max : {SiteSnapshot::kServeCards, SiteSnapshot::kBatchCards}) {
    SiteSnapshot snap(1, {}, max);
    const auto bound = static_cast<std::int64_t>(max);
    for (std::int64_t id = 1; id <= bound; ++id) snap.KeepCard(card(id));
    EXPECT_EQ(snap.card_count(), max);
    ASSERT_NE(snap.FindCard(bound), nullptr);
    EXPECT_EQ(snap.FindCard(bound)->id, bound);
    snap.KeepCard(card(bound + 1));
    EXPECT_EQ(snap.card_count(), max / 2 + 1);
    EXPECT_NE(snap.FindCard(bound + 1), nullptr);
    EXPECT_EQ(snap.FindCard(bound + 2), nullptr);
  }
}

TEST_F(SiteTablesTest, ListingWindowCutsPagesAndDropsWhatWasTakenDown) {
  std::vector<Article> saved;
  for (int i = 0; i < 5; ++i) saved.push_back(Save("w" + std::to_string(i), "world", 100 + i));
  SiteTables tables(*store_);
  auto snap = tables.Current();
  ArticleQuery q;
  q.section_slug = "world";
  std::int64_t total = 0;
  auto page2 = ListingWindow(*store_, snap.get(), q, 1000, 2, 2, true, &total);
  ASSERT_TRUE(page2.has_value()) << page2.error().ToString();
  EXPECT_EQ(total, 5);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].slug, "w2");
  EXPECT_EQ((*page2)[1].slug, "w1");
  auto past_end = ListingWindow(*store_, snap.get(), q, 1000, 10, 2, true);
  ASSERT_TRUE(past_end.has_value());
  EXPECT_TRUE(past_end->empty());
  // Unpublished after the snapshot was taken: the old snapshot still lists
  // its id, and the window leaves the story out.
  Article down = saved[2];
  down.status = PublishState::kUnpublished;
  ASSERT_TRUE(store_->SaveArticle(down).ok());
  auto after = ListingWindow(*store_, snap.get(), q, 1000, 2, 2, true);
  ASSERT_TRUE(after.has_value());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].slug, "w1");
  // Without a snapshot the store is asked directly.
  auto direct = ListingWindow(*store_, nullptr, q, 1000, 0, 10, false, &total);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(total, 4);
  EXPECT_EQ(direct->size(), 4u);
}

}  // namespace
}  // namespace dateline
