#include "site/tag_graph.h"

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "support/stories.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

class TagGraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto slug = [](std::string_view name) {
      std::string out;
      for (char c : name) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    auto s = OpenSqliteStore(dir_ / "site.db", {slug, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
  }

  Article Tagged(const std::string& slug, Seconds at, std::vector<std::string> tags,
                 PublishState state = PublishState::kPublished) {
    Article a = testing::Story(slug, at, state);
    a.tags = std::move(tags);
    Status s = store_->SaveArticle(a);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return a;
  }

  std::int64_t Seq() { return *store_->LastChangeSeq(); }

  // The slugs graph.Rank gives for story `id`.
  std::vector<std::string> Slugs(TagGraph& graph, std::int64_t id, int limit,
                                 const std::vector<std::int64_t>& exclude = {}) {
    std::vector<std::string> out;
    auto ids = graph.Rank(Seq(), id, clock_.Now(), exclude, limit);
    EXPECT_TRUE(ids.has_value()) << ids.error().ToString();
    if (!ids) return out;
    for (std::int64_t i : *ids) out.push_back(store_->GetArticle(i)->slug);
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_{10000};
  std::unique_ptr<Store> store_;
};

using V = std::vector<std::string>;

TEST_F(TagGraphTest, RanksBySharedTagWeightThenNewest) {
  Article base = Tagged("base", 1000, {"A", "B", "C"});
  Tagged("two", 1100, {"A", "B"});
  Tagged("one-new", 1300, {"C"});
  Article one_old = Tagged("one-old", 1200, {"A"});
  Tagged("hidden", 1400, {"A", "B", "C"}, PublishState::kDraft);
  Tagged("later", 20000, {"A", "B", "C"}, PublishState::kScheduled);  // not yet
  Tagged("none", 1500, {});
  TagGraph graph(*store_);
  // A, B and C each have 4 stories (drafts and scheduled count): "two"
  // shares two of them.
  EXPECT_EQ(Slugs(graph, base.id, 10), (V{"two", "one-new", "one-old"}));
  EXPECT_EQ(Slugs(graph, base.id, 10, {one_old.id}), (V{"two", "one-new"}));
  EXPECT_EQ(Slugs(graph, base.id, 1), (V{"two"}));
  EXPECT_EQ(Slugs(graph, base.id, 0), V{});
  // The scheduled story's time comes: no write, the clock alone.
  clock_.Set(20000);
  EXPECT_EQ(Slugs(graph, base.id, 2), (V{"later", "two"}));
  EXPECT_EQ(graph.full_reads(), 1u);
}

TEST_F(TagGraphTest, WalksCommonTagsOnlyWhenTheyCanStillWin) {
  Article base = Tagged("base", 1000, {"Rare", "Common"});
  Tagged("both", 1050, {"Rare", "Common"});
  Tagged("r1", 1100, {"Rare"});
  Tagged("r2", 1200, {"Rare"});
  Tagged("hidden", 1500, {"Rare"}, PublishState::kDraft);  // weighs, never listed
  for (int i = 1; i <= 6; ++i) Tagged("c" + std::to_string(i), 1300 + 100 * i, {"Common"});
  TagGraph graph(*store_);
  EXPECT_EQ(Slugs(graph, base.id, 2), (V{"both", "r2"}));
  EXPECT_EQ(Slugs(graph, base.id, 3), (V{"both", "r2", "r1"}));
  EXPECT_EQ(Slugs(graph, base.id, 4), (V{"both", "r2", "r1", "c6"}));
  EXPECT_EQ(Slugs(graph, base.id, 20), (V{"both", "r2", "r1", "c6", "c5", "c4", "c3", "c2", "c1"}));

  // Two tags of the same weight: the first one's stories tie with the
  // second's, so the second is walked too and the newer stories win.
  Article even = Tagged("even", 1000, {"X", "Y"});
  for (int i = 1; i <= 3; ++i) Tagged("x" + std::to_string(i), 1100 + i, {"X"});
  for (int i = 1; i <= 3; ++i) Tagged("y" + std::to_string(i), 1200 + i, {"Y"});
  EXPECT_EQ(Slugs(graph, even.id, 3), (V{"y3", "y2", "y1"}));
}

TEST_F(TagGraphTest, FollowsTheChangeLog) {
  Article base = Tagged("base", 1000, {"A"});
  Article other = Tagged("other", 1100, {"A"});
  TagGraph graph(*store_);
  EXPECT_EQ(Slugs(graph, base.id, 6), (V{"other"}));
  // Retagged, unpublished, deleted, added: each seen at the next sequence.
  other.tags = {"B"};
  ASSERT_TRUE(store_->SaveArticle(other).ok());
  EXPECT_EQ(Slugs(graph, base.id, 6), V{});
  other.tags = {"A", "B"};
  ASSERT_TRUE(store_->SaveArticle(other).ok());
  EXPECT_EQ(Slugs(graph, base.id, 6), (V{"other"}));
  other.status = PublishState::kUnpublished;
  ASSERT_TRUE(store_->SaveArticle(other).ok());
  EXPECT_EQ(Slugs(graph, base.id, 6), V{});
  Article third = Tagged("third", 1200, {"A"});
  EXPECT_EQ(Slugs(graph, base.id, 6), (V{"third"}));
  ASSERT_TRUE(store_->DeleteArticle(third.id).ok());
  EXPECT_EQ(Slugs(graph, base.id, 6), V{});
  // A sequence older than the graph's changes nothing.
  auto stale = graph.Rank(1, base.id, clock_.Now(), {}, 6);
  ASSERT_TRUE(stale.has_value());
  EXPECT_TRUE(stale->empty());
  EXPECT_EQ(graph.full_reads(), 1u);
}

TEST_F(TagGraphTest, AfterEveryEditRanksAsAGraphReadAfresh) {
  // A series of random saves and deletes; after each, the graph that
  // followed the change log ranks every story as a new graph does.
  std::mt19937 rng(7);
  const std::vector<std::string> names = {"A", "B", "C", "D", "E", "F"};
  std::vector<Article> stories;
  for (int i = 0; i < 30; ++i) {
    std::vector<std::string> tags;
    for (const std::string& n : names) {
      if (rng() % 3 == 0) tags.push_back(n);
    }
    stories.push_back(Tagged("s" + std::to_string(i), 1000 + static_cast<Seconds>(rng() % 500), tags));
  }
  TagGraph followed(*store_);
  const PublishState states[] = {PublishState::kPublished, PublishState::kDraft,
                                 PublishState::kScheduled, PublishState::kUnpublished};
  for (int step = 0; step < 60; ++step) {
    std::size_t i = rng() % stories.size();
    if (stories[i].id != 0 && rng() % 10 == 0) {
      ASSERT_TRUE(store_->DeleteArticle(stories[i].id).ok());
      stories[i].id = 0;
    } else {
      Article a = stories[i];
      if (a.id == 0) {
        a = testing::Story("n" + std::to_string(step), 1000);
      } else {
        a = *store_->GetArticle(a.id);
      }
      a.tags.clear();
      for (const std::string& n : names) {
        if (rng() % 3 == 0) a.tags.push_back(n);
      }
      a.status = states[rng() % 4];
      a.published_at = 500 + static_cast<Seconds>(rng() % 20000);
      Status s = store_->SaveArticle(a);
      ASSERT_TRUE(s.ok()) << s.ToString();
      stories[i] = a;
    }
    if (step % 3 == 0) clock_.Set(10000 + step * 200);
    TagGraph fresh(*store_);
    for (const Article& a : stories) {
      if (a.id == 0) continue;
      EXPECT_EQ(Slugs(followed, a.id, 6), Slugs(fresh, a.id, 6)) << "step " << step;
    }
  }
  EXPECT_EQ(followed.full_reads(), 1u);
}

TEST_F(TagGraphTest, ManyChangesAreReadWhole) {
  Article base = Tagged("base", 1000, {"A"});
  TagGraph graph(*store_);
  EXPECT_EQ(Slugs(graph, base.id, 6), V{});
  for (std::size_t i = 0; i <= TagGraph::kMinFullRead; ++i) {
    Tagged("m" + std::to_string(i), 2000, {"B"});
  }
  Tagged("last", 3000, {"A"});
  EXPECT_EQ(Slugs(graph, base.id, 6), (V{"last"}));
  EXPECT_EQ(graph.full_reads(), 2u);
}

}  // namespace
}  // namespace dateline
