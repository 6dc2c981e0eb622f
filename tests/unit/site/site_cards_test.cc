// The reader site's cards (Site::Cards, SiteSnapshot::Card): a page built
// by a Site that has kept cards across many pages must be exactly the page
// a new Site (no card kept) builds from the store, after every kind of
// change: edits, unpublishing, deletes, a section renamed, Related News
// lists replaced, a scheduled story whose time comes without a write.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "site/site.h"
#include "store/sqlite/sqlite_store.h"
#include "support/stories.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

class SiteCardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {testing::LowerSlug, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    site_ = std::make_unique<Site>(*store_, settings_, clock_);
  }

  Article& Save(Article& a) {
    Status s = store_->SaveArticle(a);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return a;
  }

  // Every page the site lists stories on, as the long-lived Site builds it
  // and as a new one does; they must be the same model.
  void ExpectSameAsAFreshSite(const std::string& step) {
    Site fresh(*store_, settings_, clock_);
    std::vector<std::string> paths = {"/", "/page/2/", "/category/world/", "/category/sport/",
                                      "/tag/common/", "/tag/rare/"};
    for (const Article& a : stories_) paths.push_back(settings_.permalink.Build(a, settings_.zone));
    for (const std::string& path : paths) {
      Page kept = site_->Resolve(path);
      Page made = fresh.Resolve(path);
      ASSERT_EQ(kept.status, made.status) << step << ": " << path;
      ASSERT_EQ(ExpandShared(kept.model, kept.shared).dump(),
                ExpandShared(made.model, made.shared).dump())
          << step << ": " << path;
    }
  }

  testing::TempDir dir_;
  FakeClock clock_{1'800'000'000};
  std::unique_ptr<Store> store_;
  SiteSettings settings_;
  std::vector<Article> stories_;
  std::unique_ptr<Site> site_;  // long-lived: keeps its cards
};

TEST_F(SiteCardsTest, PagesFromKeptCardsAreThePagesANewSiteBuilds) {
  const Seconds now = clock_.Now();
  for (int i = 0; i < 40; ++i) {
    Article a = testing::Story("story-" + std::to_string(i), now - 3600 * (40 - i));
    a.section = i % 3 == 0 ? "sport" : "world";
    a.tags = {"common"};
    if (i % 7 == 0) a.tags.push_back("rare");
    stories_.push_back(Save(a));
  }
  for (int i = 0; i < 40; i += 2) {
    std::vector<std::int64_t> related;
    for (int k = 1; k <= 8; ++k) related.push_back(stories_[static_cast<std::size_t>((i + k * 5) % 40)].id);
    ASSERT_TRUE(store_->SetRelated(stories_[static_cast<std::size_t>(i)].id, related).ok());
  }
  ExpectSameAsAFreshSite("start");
  // The long-lived site holds cards now, so what follows compares kept
  // cards with cards read afresh.
  EXPECT_GT(site_->tables().Current()->card_count(), 30u);

  std::mt19937 rng(7);
  auto pick = [&]() -> Article& { return stories_[rng() % stories_.size()]; };
  for (int step = 0; step < 30; ++step) {
    std::string what;
    switch (step % 6) {
      case 0: {
        Article& a = pick();
        a.headline = "Edited headline " + std::to_string(step);
        a.body = "A new body for step " + std::to_string(step) + ", long enough to show.";
        Save(a);
        what = "edit " + a.slug;
        break;
      }
      case 1: {
        Article& a = pick();
        a.status = a.status == PublishState::kPublished ? PublishState::kUnpublished
                                                        : PublishState::kPublished;
        Save(a);
        what = "publish state of " + a.slug;
        break;
      }
      case 2: {
        Section s = *store_->GetSection("world");
        s.name = "World " + std::to_string(step);
        ASSERT_TRUE(store_->SaveSection(s).ok());
        what = "section renamed";
        break;
      }
      case 3: {
        Article& a = pick();
        std::vector<std::int64_t> related = {pick().id, pick().id, pick().id};
        ASSERT_TRUE(store_->SetRelated(a.id, related).ok());
        what = "related of " + a.slug;
        break;
      }
      case 4: {
        // Scheduled for a minute from now; the clock then passes it with no
        // write in between.
        Article a = testing::Story("due-" + std::to_string(step), clock_.Now() + 60);
        a.status = PublishState::kScheduled;
        a.tags = {"common"};
        stories_.push_back(Save(a));
        ExpectSameAsAFreshSite("scheduled " + a.slug);
        clock_.Advance(120);
        what = "due " + a.slug;
        break;
      }
      default: {
        std::size_t at = rng() % stories_.size();
        ASSERT_TRUE(store_->DeleteArticle(stories_[at].id).ok());
        stories_.erase(stories_.begin() + static_cast<std::ptrdiff_t>(at));
        what = "delete";
        break;
      }
    }
    ExpectSameAsAFreshSite(what);
  }
}

}  // namespace
}  // namespace dateline
