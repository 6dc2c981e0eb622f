#include "core/time_zone.h"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <charconv>
#include <chrono>

namespace dateline {

namespace {

using SysSeconds = date::sys_seconds;

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

std::string OffsetText(int offset_seconds, bool colon) {
  char sign = offset_seconds < 0 ? '-' : '+';
  int abs = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  std::string out(1, sign);
  out += TwoDigits(static_cast<unsigned>(abs / 3600));
  if (colon) out += ':';
  out += TwoDigits(static_cast<unsigned>((abs % 3600) / 60));
  return out;
}

// Reads exactly `n` digits at `pos`; false when they are not digits.
bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
  return ec == std::errc() && p == s.data() + pos + n;
}

}  // namespace

std::string TwoDigits(unsigned v) {
  std::string s = std::to_string(v);
  return v < 10 ? "0" + s : s;
}

Result<TimeZone> TimeZone::Load(std::string_view iana_name) {
  if (iana_name == "UTC" || iana_name == "Etc/UTC") return Utc();
  try {
    const date::time_zone* zone = date::locate_zone(iana_name);
    return TimeZone(zone, std::string(iana_name));
  } catch (const std::exception&) {
    return Fail(Status::InvalidArgument("unknown time zone \"" + std::string(iana_name) +
                                        "\" (expected an IANA name such as Europe/London)"));
  }
}

TimeZone TimeZone::Utc() { return TimeZone(nullptr, "UTC"); }

CivilTime TimeZone::ToCivil(Seconds t) const {
  SysSeconds sys{std::chrono::seconds(t)};
  CivilTime c;
  std::chrono::seconds offset{0};
  if (zone_ != nullptr) {
    auto info = zone_->get_info(sys);
    offset = info.offset;
    c.abbrev = info.abbrev;
  } else {
    c.abbrev = "UTC";
  }
  auto local = date::local_seconds{sys.time_since_epoch() + offset};
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd{day};
  date::hh_mm_ss hms{local - day};
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<unsigned>(ymd.month());
  c.day = static_cast<unsigned>(ymd.day());
  c.hour = static_cast<unsigned>(hms.hours().count());
  c.minute = static_cast<unsigned>(hms.minutes().count());
  c.second = static_cast<unsigned>(hms.seconds().count());
  c.weekday = date::weekday{day}.c_encoding();
  c.offset_seconds = static_cast<int>(offset.count());
  return c;
}

Seconds TimeZone::StartOfDay(int year, unsigned month, unsigned day) const {
  date::local_days ld{date::year{year} / date::month{month} / date::day{day}};
  if (zone_ == nullptr) return ld.time_since_epoch() / std::chrono::seconds(1);
  auto info = zone_->get_info(date::local_seconds{ld.time_since_epoch()});
  SysSeconds sys;
  if (info.result == date::local_info::nonexistent) {
    sys = info.second.begin;  // midnight skipped: the day starts when the gap ends
  } else {
    sys = SysSeconds{ld.time_since_epoch() - info.first.offset};
  }
  return sys.time_since_epoch().count();
}

Result<Seconds> ParseRfc3339(std::string_view s) {
  auto bad = [&](std::string_view why) {
    return Fail(Status::InvalidArgument("\"" + std::string(s) + "\" is not an RFC 3339 time: " +
                                        std::string(why)));
  };
  int year, month, day, hour, minute, second;
  if (!ReadDigits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !ReadDigits(s, 5, 2, month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, day)) {
    return bad("expected YYYY-MM-DD at the start");
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad("expected 'T' after the date");
  if (!ReadDigits(s, 11, 2, hour) || s[13] != ':' || !ReadDigits(s, 14, 2, minute) ||
      s[16] != ':' || !ReadDigits(s, 17, 2, second)) {
    return bad("expected hh:mm:ss after 'T'");
  }
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return bad("expected digits after '.'");
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadDigits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad("expected an offset like +05:30");
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("missing time zone offset (Z or +hh:mm)");
  }
  if (pos != s.size()) return bad("unexpected text after the offset");
  date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return bad("no such date");
  if (hour > 23 || minute > 59 || second > 60) return bad("no such time of day");
  auto days = date::sys_days{ymd}.time_since_epoch();
  Seconds t = std::chrono::duration_cast<std::chrono::seconds>(days).count() + hour * 3600 +
              minute * 60 + std::min(second, 59) - offset;
  return t;
}

std::string FormatRfc3339(Seconds t, const TimeZone& zone) {
  CivilTime c = zone.ToCivil(t);
  std::string out = std::to_string(c.year) + "-" + TwoDigits(c.month) + "-" + TwoDigits(c.day) + "T" +
                    TwoDigits(c.hour) + ":" + TwoDigits(c.minute) + ":" + TwoDigits(c.second);
  out += OffsetText(c.offset_seconds, true);
  return out;
}

std::string FormatDate(Seconds t, const TimeZone& zone, std::string_view format) {
  CivilTime c = zone.ToCivil(t);
  unsigned h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    char f = format[i];
    switch (f) {
      case 'd': out += TwoDigits(c.day); break;
      case 'j': out += std::to_string(c.day); break;
      case 'D': out += kDays[c.weekday].substr(0, 3); break;
      case 'l': out += kDays[c.weekday]; break;
      case 'N': out += std::to_string(c.weekday == 0 ? 7 : c.weekday); break;
      case 'w': out += std::to_string(c.weekday); break;
      case 'S': {
        unsigned d = c.day;
        out += (d % 10 == 1 && d != 11) ? "st" : (d % 10 == 2 && d != 12) ? "nd"
             : (d % 10 == 3 && d != 13) ? "rd" : "th";
        break;
      }
      case 'F': out += kMonths[c.month - 1]; break;
      case 'M': out += kMonths[c.month - 1].substr(0, 3); break;
      case 'm': out += TwoDigits(c.month); break;
      case 'n': out += std::to_string(c.month); break;
      case 'Y': out += std::to_string(c.year); break;
      case 'y': out += TwoDigits(static_cast<unsigned>(c.year % 100)); break;
      case 'a': out += c.hour < 12 ? "am" : "pm"; break;
      case 'A': out += c.hour < 12 ? "AM" : "PM"; break;
      case 'g': out += std::to_string(h12); break;
      case 'G': out += std::to_string(c.hour); break;
      case 'h': out += TwoDigits(h12); break;
      case 'H': out += TwoDigits(c.hour); break;
      case 'i': out += TwoDigits(c.minute); break;
      case 's': out += TwoDigits(c.second); break;
      case 'e': out += zone.name(); break;
      case 'T': out += c.abbrev; break;
      case 'O': out += OffsetText(c.offset_seconds, false); break;
      case 'P': out += OffsetText(c.offset_seconds, true); break;
      case 'c': out += FormatRfc3339(t, zone); break;
      case 'U': out += std::to_string(t); break;
      case 'z': {
        date::year_month_day ymd{date::year{c.year}, date::month{c.month}, date::day{c.day}};
        auto jan1 = date::sys_days{date::year{c.year} / 1 / 1};
        out += std::to_string((date::sys_days{ymd} - jan1).count());
        break;
      }
      case 'r':
        out += FormatDate(t, zone, "D, d M Y H:i:s O");
        break;
      case '\\':
        if (i + 1 < format.size()) out += format[++i];
        break;
      default: out += f;
    }
  }
  return out;
}

}  // namespace dateline
