// The whole-site fixture: a site folder made with the real `dateline init`
// and `dateline import jsonl`, filled with stories built here, in the test.
//
// 30 published stories over three sections (alpha, beta, gamma), five tags
// in two families, three writers; plus stories readers must never see, all
// with "LEAKED-" in their headline and text: a draft, one in review, a
// published story dated in 2099, a scheduled one in 2099. One story is
// hostile (script, event handler, javascript: URL). One is scheduled to
// go live `soon_seconds` after the fixture is built.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace dateline::testing {

inline constexpr int kPublished = 30;  // plus the hostile story: 31 visible

std::string FixtureJsonl(long long soon_at_unix);

class FixtureSite {
 public:
  // Creates and fills the site; ok() tells whether every step worked.
  explicit FixtureSite(int soon_seconds = 3600);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::string dir() const { return dir_.path().string(); }

 private:
  TempDir dir_;
  std::string error_;
};

}  // namespace dateline::testing
