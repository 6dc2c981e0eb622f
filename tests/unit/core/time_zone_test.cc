#include "core/time_zone.h"

#include <gtest/gtest.h>

namespace dateline {
namespace {

TEST(Rfc3339, ParsesOffsetsToTheSameInstant) {
  auto utc = ParseRfc3339("2025-05-06T04:05:00Z");
  auto dhaka = ParseRfc3339("2025-05-06T10:05:00+06:00");
  auto ny = ParseRfc3339("2025-05-06T00:05:00-04:00");
  ASSERT_TRUE(utc.has_value());
  EXPECT_EQ(*utc, 1746504300);
  EXPECT_EQ(*dhaka, *utc);
  EXPECT_EQ(*ny, *utc);
  EXPECT_EQ(*ParseRfc3339("2025-05-06T04:05:00.123456Z"), *utc);
}

TEST(Rfc3339, RejectsMalformedWithReason) {
  for (const char* bad : {"", "2025-05-06", "2025-05-06T04:05:00", "2025-13-01T00:00:00Z",
                          "2025-02-30T00:00:00Z", "2025-05-06T25:00:00Z", "2025-05-06T04:05Z",
                          "2025-05-06T04:05:00+0600", "2025-05-06T04:05:00Zjunk", "yesterday"}) {
    auto r = ParseRfc3339(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_TRUE(r.error().IsInvalidArgument());
    EXPECT_NE(r.error().message().find("RFC 3339"), std::string::npos);
  }
}

TEST(Rfc3339, FormatsWithZoneOffset) {
  auto london = TimeZone::Load("Europe/London");
  ASSERT_TRUE(london.has_value());
  // Summer (BST, +01:00) and winter (GMT, +00:00).
  EXPECT_EQ(FormatRfc3339(1746504300, *london), "2025-05-06T05:05:00+01:00");
  EXPECT_EQ(FormatRfc3339(1735689600, *london), "2025-01-01T00:00:00+00:00");
  EXPECT_EQ(FormatRfc3339(1746504300, TimeZone::Utc()), "2025-05-06T04:05:00+00:00");
  auto kolkata = TimeZone::Load("Asia/Kolkata");
  EXPECT_EQ(FormatRfc3339(1746504300, *kolkata), "2025-05-06T09:35:00+05:30");
  // Round trip through the formatted text.
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(1746504300, *kolkata)), 1746504300);
}

TEST(TimeZone, UnknownZoneNamesTheZone) {
  auto r = TimeZone::Load("Mars/Olympus_Mons");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("Mars/Olympus_Mons"), std::string::npos);
}

TEST(FormatDate, ReferenceFormat) {
  // The reference page's stamp: "May 6, 2025 4:05 am".
  EXPECT_EQ(FormatDate(1746504300, TimeZone::Utc(), kDefaultDateFormat), "May 6, 2025 4:05 am");
  EXPECT_EQ(FormatDate(1746504300 + 12 * 3600, TimeZone::Utc(), kDefaultDateFormat),
            "May 6, 2025 4:05 pm");
  // Midnight and noon are 12 on a 12-hour clock.
  EXPECT_EQ(FormatDate(1746489600, TimeZone::Utc(), "g:i a"), "12:00 am");
  EXPECT_EQ(FormatDate(1746532800, TimeZone::Utc(), "g:i A"), "12:00 PM");
}

TEST(FormatDate, DaylightSavingTransitions) {
  auto ny = *TimeZone::Load("America/New_York");
  // 2025-03-09 06:59:59Z is 01:59:59 EST; one second later it is 03:00:00 EDT.
  EXPECT_EQ(FormatDate(1741503599, ny, "Y-m-d H:i:s T P"), "2025-03-09 01:59:59 EST -05:00");
  EXPECT_EQ(FormatDate(1741503600, ny, "Y-m-d H:i:s T P"), "2025-03-09 03:00:00 EDT -04:00");
  // Fall back: 05:59:59Z is 01:59:59 EDT, 06:00:00Z is 01:00:00 EST.
  EXPECT_EQ(FormatDate(1762063199, ny, "H:i:s T"), "01:59:59 EDT");
  EXPECT_EQ(FormatDate(1762063200, ny, "H:i:s T"), "01:00:00 EST");
}

TEST(FormatDate, LettersAndEscapes) {
  // 2024-02-29 (a leap day, Thursday) 13:07:09 UTC.
  Seconds t = 1709212029;
  EXPECT_EQ(FormatDate(t, TimeZone::Utc(), "D, d M Y H:i:s O"), "Thu, 29 Feb 2024 13:07:09 +0000");
  EXPECT_EQ(FormatDate(t, TimeZone::Utc(), "l jS \\o\\f F y"), "Thursday 29th of February 24");
  EXPECT_EQ(FormatDate(t, TimeZone::Utc(), "z N w n"), "59 4 4 2");
  EXPECT_EQ(FormatDate(t, TimeZone::Utc(), "U"), "1709212029");
}

TEST(TimeZone, StartOfDayAcrossDst) {
  auto ny = *TimeZone::Load("America/New_York");
  // 2025-03-09 starts at 05:00Z (EST); 2025-03-10 at 04:00Z (EDT).
  EXPECT_EQ(ny.StartOfDay(2025, 3, 9), 1741496400);
  EXPECT_EQ(ny.StartOfDay(2025, 3, 10), 1741579200);
  EXPECT_EQ(TimeZone::Utc().StartOfDay(1970, 1, 2), 86400);
  // Sao Paulo in 2018 skipped midnight on Nov 4: the day starts at 01:00 local.
  auto sp = *TimeZone::Load("America/Sao_Paulo");
  Seconds start = sp.StartOfDay(2018, 11, 4);
  EXPECT_EQ(FormatDate(start, sp, "Y-m-d H:i"), "2018-11-04 01:00");
}

}  // namespace
}  // namespace dateline
