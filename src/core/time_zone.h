// Time zones, RFC 3339 and the site's display format.
//
// A TimeZone wraps an IANA zone from the system tz database (date/tz), so
// offsets follow daylight saving time. Loading an unknown zone name fails
// with InvalidArgument naming it. TimeZone is a cheap value (a pointer to
// the immutable database entry) and is safe to share between threads.
//
// Display formats use WordPress's (PHP date) letters, so a site moving from
// WordPress can keep its `date_format`: the default "F j, Y g:i a" gives
// "May 6, 2025 4:05 am".
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace date {
class time_zone;
}

namespace dateline {

struct CivilTime {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  unsigned hour = 0, minute = 0, second = 0;
  unsigned weekday = 4;  // 0 = Sunday
  int offset_seconds = 0;  // UTC offset in effect
  std::string abbrev;      // "UTC", "CET", "EDT"
};

class TimeZone {
 public:
  static Result<TimeZone> Load(std::string_view iana_name);  // "UTC", "Asia/Dhaka"
  static TimeZone Utc();

  const std::string& name() const { return name_; }
  CivilTime ToCivil(Seconds t) const;
  // The instant of local midnight starting the given date (first instant of
  // the day when DST makes midnight ambiguous or skipped).
  Seconds StartOfDay(int year, unsigned month, unsigned day) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;
  std::string name_;
};

// Parses "2025-05-06T04:05:00+06:00", "...Z", fractional seconds allowed
// (dropped). The offset is required. Errors name what is wrong.
Result<Seconds> ParseRfc3339(std::string_view text);

// "2025-05-06T04:05:00+06:00" in the given zone ("+00:00" for UTC).
std::string FormatRfc3339(Seconds t, const TimeZone& zone);

// PHP/WordPress date letters: d j D l N w z F M m n Y y a A g G h H i s e T O P c r U S;
// a backslash escapes the next character; anything else is copied.
std::string FormatDate(Seconds t, const TimeZone& zone, std::string_view format);

inline constexpr std::string_view kDefaultDateFormat = "F j, Y g:i a";

// "7" -> "07": two digits, zero-padded.
std::string TwoDigits(unsigned v);

}  // namespace dateline
