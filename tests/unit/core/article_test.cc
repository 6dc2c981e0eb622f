#include "core/article.h"

#include <gtest/gtest.h>

namespace dateline {
namespace {

TEST(Article, VisibilityNeedsPublishedStateAndPastTime) {
  Article a;
  a.published_at = 1000;
  for (auto s : {PublishState::kDraft, PublishState::kReview}) {
    a.status = s;
    EXPECT_FALSE(IsVisible(a, 2000));
  }
  a.status = PublishState::kPublished;
  EXPECT_TRUE(IsVisible(a, 1000));
  EXPECT_FALSE(IsVisible(a, 999));  // a future story
  a.status = PublishState::kScheduled;
  EXPECT_FALSE(IsVisible(a, 999));
  EXPECT_TRUE(IsVisible(a, 1001));  // its time has come
  a.published_at.reset();
  EXPECT_FALSE(IsVisible(a, 5000));
}

TEST(Article, StateAndFormatNamesRoundTrip) {
  for (auto s : {PublishState::kDraft, PublishState::kReview, PublishState::kScheduled,
                 PublishState::kPublished}) {
    EXPECT_EQ(*ParsePublishState(PublishStateName(s)), s);
  }
  EXPECT_FALSE(ParsePublishState("publish").has_value());
  EXPECT_EQ(*ParseBodyFormat("html"), BodyFormat::kHtml);
  EXPECT_FALSE(ParseBodyFormat("rst").has_value());
}

TEST(Article, TitleCaseFromSlug) {
  EXPECT_EQ(TitleCaseFromSlug("world-news"), "World News");
  EXPECT_EQ(TitleCaseFromSlug("sport"), "Sport");
  EXPECT_EQ(TitleCaseFromSlug("covid_19"), "Covid 19");
}

}  // namespace
}  // namespace dateline
