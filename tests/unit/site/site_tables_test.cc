#include "site/site_tables.h"

#include <gtest/gtest.h>

#include <cctype>

#include "store/sqlite/sqlite_store.h"
#include "support/stories.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

class SiteTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto slug = [](std::string_view name) {
      std::string out;
      for (char c : name) out += (c == ' ') ? '-' : static_cast<char>(std::tolower(c));
      return out;
    };
    auto s = OpenSqliteStore(dir_ / "site.db", {slug, &clock_});
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

TEST_F(SiteTablesTest, CountsFollowTheStoreAndTheClock) {
  Save("a", "world", 100);
  Save("b", "world", 200);
  SiteTables tables(*store_);
  ArticleQuery q;
  q.section_slug = "world";
  q.visible_at = 150;
  EXPECT_EQ(*tables.Current()->Count(*store_, q), 1);
  q.visible_at = 250;  // a later time is another question
  EXPECT_EQ(*tables.Current()->Count(*store_, q), 2);
  q.tag_slug = "x";  // so is another filter
  EXPECT_EQ(*tables.Current()->Count(*store_, q), 0);
  q.tag_slug.clear();
  Save("c", "world", 220);  // a write starts a new generation
  EXPECT_EQ(*tables.Current()->Count(*store_, q), 3);
}

}  // namespace
}  // namespace dateline
