#include "base/clock.h"

namespace dateline {

const Clock& DefaultClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace dateline
