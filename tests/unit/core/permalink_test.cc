#include "core/permalink.h"

#include <gtest/gtest.h>

namespace dateline {
namespace {

Article Sample() {
  Article a;
  a.id = 42;
  a.slug = "treaty-ratified";
  a.section = "world";
  a.published_at = 1746504300;  // 2025-05-06T04:05:00Z
  return a;
}

TEST(Permalink, DefaultPatternBuildsAndMatches) {
  auto p = PermalinkPattern::Parse(PermalinkPattern::kDefault);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->Build(Sample(), TimeZone::Utc()), "/2025/05/06/treaty-ratified/");
  auto m = p->Match("/2025/05/06/treaty-ratified/");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->slug, "treaty-ratified");
  EXPECT_EQ(m->year, 2025);
  EXPECT_EQ(m->month, 5);
  EXPECT_EQ(m->day, 6);
  EXPECT_FALSE(p->Match("/2025/05/06/treaty-ratified").has_value());
  EXPECT_FALSE(p->Match("/2025/05/treaty-ratified/").has_value());
  EXPECT_FALSE(p->Match("/2025/05/06/Treaty/").has_value());
}

TEST(Permalink, DateFollowsSiteTimeZone) {
  auto p = *PermalinkPattern::Parse(PermalinkPattern::kDefault);
  Article a = Sample();
  a.published_at = 1746489600 - 60;  // 23:59 UTC on May 5 = May 6 in Dhaka
  EXPECT_EQ(p.Build(a, TimeZone::Utc()), "/2025/05/05/treaty-ratified/");
  EXPECT_EQ(p.Build(a, *TimeZone::Load("Asia/Dhaka")), "/2025/05/06/treaty-ratified/");
}

TEST(Permalink, OtherTags) {
  auto p = *PermalinkPattern::Parse("/%category%/%post_id%-%postname%.html");
  EXPECT_EQ(p.Build(Sample(), TimeZone::Utc()), "/world/42-treaty-ratified.html");
  auto m = p.Match("/world/42-treaty-ratified.html");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->section, "world");
  EXPECT_EQ(m->id, 42);
  EXPECT_EQ(m->slug, "treaty-ratified");
  EXPECT_FALSE(p.Match("/world/42-treaty-ratifiedxhtml").has_value());
}

TEST(Permalink, RejectsBadPatterns) {
  EXPECT_FALSE(PermalinkPattern::Parse("%postname%/").has_value());
  EXPECT_FALSE(PermalinkPattern::Parse("/%year%/").has_value());
  auto r = PermalinkPattern::Parse("/%yeer%/%postname%/");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("%yeer%"), std::string::npos);
}

}  // namespace
}  // namespace dateline
