// The fixed-width English date form shared by HTTP headers (RFC 9110
// IMF-fixdate, zone "GMT") and RSS/e-mail dates (RFC 5322, zone "+0000"):
// "Tue, 06 May 2025 04:05:00 GMT". Always UTC. Pure function, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"

namespace dateline {

std::string FormatRfc5322Date(Seconds t, std::string_view zone);

}  // namespace dateline
