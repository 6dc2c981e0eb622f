#include "http/http_date.h"

#include <gtest/gtest.h>

namespace dateline::http {
namespace {

TEST(FormatHttpDate, Rfc9110Example) {
  // RFC 9110 section 5.6.7: Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(FormatHttpDate, EpochAndLeapDay) {
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(1746489599), "Mon, 05 May 2025 23:59:59 GMT");
}

}  // namespace
}  // namespace dateline::http
