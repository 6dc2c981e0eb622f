#include "fixture.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "support/process.h"

namespace dateline::testing {

namespace {

std::string Iso(long long t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string LongBody(int i) {
  std::string body = "Opening paragraph of story " + std::to_string(i) +
                     " which sets out the news in plain words for every reader.\n\n"
                     "## What happened\n\n";
  for (int k = 0; k < 8; ++k) {
    body += "Sentence " + std::to_string(k) +
            " adds detail about the council, the river and the budget in the town. ";
  }
  body += "\n\n## What comes next\n\nMore reporting follows as the story develops.\n";
  return body;
}

}  // namespace

std::string FixtureJsonl(long long soon_at) {
  const char* sections[] = {"alpha", "beta", "gamma"};
  const char* writers[] = {"Writer One", "Writer Two", "Writer Three"};
  const long long base = 1740823200;  // 2025-03-01T10:00:00Z
  std::string out;
  auto add = [&](const nlohmann::json& j) { out += j.dump() + "\n"; };
  for (int i = 0; i < kPublished; ++i) {
    nlohmann::json j = {
        {"slug", "story-" + std::to_string(i)},
        {"headline", "Story number " + std::to_string(i)},
        {"dek", "The dek of story " + std::to_string(i)},
        {"dateline", "TOWN " + std::to_string(i)},
        {"body", LongBody(i)},
        {"section", sections[i % 3]},
        {"tags", {"Family A" + std::to_string(i % 5), "Family B" + std::to_string(i % 3)}},
        {"authors", i % 4 == 0 ? nlohmann::json{writers[i % 3], writers[(i + 1) % 3]}
                               : nlohmann::json{writers[i % 3]}},
        {"status", "published"},
        // Two days apart, so archives by year, month and day all have stories.
        {"published_at", Iso(base + i * 2 * 86400LL)},
    };
    if (i == 29) j["language"] = "bn";
    if (i % 7 == 0) j["updated_at"] = Iso(base + i * 2 * 86400LL + 3 * 3600);
    add(j);
  }
  add({{"slug", "hostile"},
       {"headline", "<b>Bold</b> & \"quoted\" headline"},
       {"body",
        "Intro.\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) and <a href=\"JaVaScRiPt:alert(2)\">two</a>\n"},
       {"section", "alpha"},
       {"tags", {"Family A0"}},
       {"status", "published"},
       {"published_at", Iso(base + 61 * 86400LL)}});
  // Stories readers must never see. They share tags and sections with
  // visible ones, so any leak would put them in lists and related blocks.
  const char* hidden[][3] = {{"leaked-draft", "draft", "2025-03-10T10:00:00Z"},
                             {"leaked-review", "review", "2025-03-11T10:00:00Z"},
                             {"leaked-future", "published", "2099-01-01T10:00:00Z"},
                             {"leaked-scheduled", "scheduled", "2099-02-01T10:00:00Z"}};
  for (auto& h : hidden) {
    add({{"slug", h[0]},
         {"headline", std::string("LEAKED-") + h[1] + " headline"},
         {"body", "LEAKED-BODY text that readers must never see."},
         {"section", "alpha"},
         {"tags", {"Family A1", "Family B1", "Secret Tag"}},
         {"authors", {"Hidden Writer"}},
         {"status", h[1]},
         {"published_at", h[2]}});
  }
  add({{"slug", "soon"},
       {"headline", "SOON headline"},
       {"body", "A story that goes live by itself."},
       {"section", "beta"},
       {"status", "scheduled"},
       {"published_at", Iso(soon_at)}});
  return out;
}

FixtureSite::FixtureSite(int soon_seconds) {
  auto init = RunCommand({DatelineBinary(), "init", dir(), "--name", "Fixture Times", "--base-url",
                          "http://127.0.0.1:1"});
  if (init.exit_code != 0) {
    error_ = "init failed: " + init.err;
    return;
  }
  long long now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  auto import = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", dir()},
                           FixtureJsonl(now + soon_seconds));
  if (import.exit_code != 0) error_ = "import failed: " + import.err;
}

}  // namespace dateline::testing
