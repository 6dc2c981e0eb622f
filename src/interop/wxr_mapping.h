// The small, pure rules that turn WordPress export fields into Dateline
// values; used by the WXR importer (wxr_import.h) and tested on their own.
//
// - WpDate: "YYYY-MM-DD HH:MM:SS" as UTC (post_date_gmt); nullopt for
//   WordPress's "0000-00-00 00:00:00" and anything unreadable.
//   WpLocalDate: the same wall-clock time read in the site's zone (post_date),
//   DST-correct.
// - WpSlug: a WordPress slug (post_name, nicename; percent-encoded UTF-8 for
//   non-ASCII) as a Dateline slug: kept when already valid, else decoded and
//   Slugify'd; `fallback` text (the title) when there is no slug at all.
// - LinkPath: the path (decoded) and query (as written) of an absolute or
//   relative link: "https://old.example/a%20b/?p=1" -> "/a b/?p=1"; "" when
//   there is nothing usable.
// - WpBodyToHtml: post content as WordPress would show it, then sanitized:
//   EmbedBareUrls, ExpandShortcodes, AutoP, SanitizeHtml (shortcodes.h,
//   wpautop.h, text/sanitize.h).
// - Fingerprint: a stable 64-bit FNV-1a hash (hex) of mapped values, so a
//   re-import can tell an unchanged item from a changed one.
// Pure functions, thread-safe, never fail.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "core/time_zone.h"
#include "interop/shortcodes.h"

namespace dateline {

std::optional<Seconds> WpDate(std::string_view text);
std::optional<Seconds> WpLocalDate(std::string_view text, const TimeZone& zone);

std::string PercentDecode(std::string_view s);
std::string WpSlug(std::string_view wp_slug, std::string_view fallback);

std::string LinkPath(std::string_view link);

std::string WpBodyToHtml(std::string_view content, const ShortcodeContext& ctx,
                         ShortcodeReport& report);

class Fingerprint {
 public:
  Fingerprint& Add(std::string_view s);
  Fingerprint& Add(std::optional<Seconds> t);
  std::string Hex() const;

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

}  // namespace dateline
