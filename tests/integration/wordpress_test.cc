// Moving a WordPress site with the real binary: `dateline import wordpress`
// on WordPress's Theme Unit Test export, then every imported published story
// and page served over HTTP, old links answered with 301, re-import and
// dry run writing nothing, broken exports failing cleanly; and ninjs out/in.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/html.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dateline::testing {
namespace {

const std::string kCorpus = std::string(DATELINE_SOURCE_DIR) + "/../shared/corpora/wxr/";
const std::string kThemeTest = kCorpus + "themeunittestdata.wordpress.xml";

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

class WordPressTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kThemeTest)) return;
    dir_ = new TempDir();
    site_ = *dir_ / "site";
    auto init = RunCommand({DatelineBinary(), "init", site_, "--base-url", "http://127.0.0.1:1"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    import_ = new CommandResult(
        RunCommand({DatelineBinary(), "import", "wordpress", kThemeTest, "--site", site_}));
    ASSERT_EQ(import_->exit_code, 0) << import_->err;
    server_ = new ServerProcess(
        {DatelineBinary(), "serve", "--site", site_, "--listen", "127.0.0.1:0"});
    ASSERT_NE(server_->port(), 0) << server_->error();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete import_;
    delete dir_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(kThemeTest)) GTEST_SKIP() << "no WXR corpus at " << kCorpus;
  }
  static HttpResult Get(const std::string& path) { return HttpGet(server_->port(), path); }
  static std::string ExportJsonl() {
    return RunCommand({DatelineBinary(), "export", "jsonl", "--site", site_}).out;
  }

  static TempDir* dir_;
  static std::string site_;
  static CommandResult* import_;
  static ServerProcess* server_;
};

TempDir* WordPressTest::dir_ = nullptr;
std::string WordPressTest::site_;
CommandResult* WordPressTest::import_ = nullptr;
ServerProcess* WordPressTest::server_ = nullptr;

TEST_F(WordPressTest, TheReportCountsEverything) {
  const std::string& out = import_->out;
  for (const char* line :
       {"WordPress export (WXR 1.2) of https://wpthemetestdata.wordpress.com",
        "items: 186", "  by type: attachment 37, nav_menu_item 70, page 21, post 58",
        "stories: 58 new, 0 updated, 0 unchanged; by status: draft 2, published 55, scheduled 1",
        "pages: 21 new, 0 updated, 0 unchanged; by status: published 21",
        "password-protected items imported as drafts: 1", "comments: 33 counted, not imported",
        "authors created: 2 (Theme Buster, Theme Reviewer)"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
  }
}

TEST_F(WordPressTest, EveryPublishedStoryAndPageRendersSafely) {
  static const std::regex kHandler(R"(<[^>]*\son[a-z]+\s*=)", std::regex::icase);
  std::istringstream lines(ExportJsonl());
  std::string line;
  int published = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["status"] != "published") continue;
    ++published;
    // The default permalink, in UTC (the site's zone).
    std::string at = j["published_at"];
    std::string url = "/" + at.substr(0, 4) + "/" + at.substr(5, 2) + "/" + at.substr(8, 2) + "/" +
                      j["slug"].get<std::string>() + "/";
    auto r = Get(url);
    ASSERT_EQ(r.status, 200) << url;
    EXPECT_EQ(FirstText(r.body, "h1"), j["headline"].get<std::string>()) << url;
    EXPECT_FALSE(std::regex_search(r.body, kHandler)) << url;
    EXPECT_EQ(r.body.find("javascript:"), std::string::npos) << url;
    // The only scripts are the page's own JSON-LD.
    int scripts = CountTags(r.body, "script");
    std::string::size_type pos = 0;
    int json_ld = 0;
    while ((pos = r.body.find("<script type=\"application/ld+json\">", pos)) != std::string::npos) {
      ++json_ld;
      ++pos;
    }
    EXPECT_EQ(scripts, json_ld) << url;
  }
  EXPECT_EQ(published, 55);
  for (const char* path : {"/about/", "/about/page-image-alignment/", "/lorem-ipsum/"}) {
    auto r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_FALSE(std::regex_search(r.body, kHandler)) << path;
  }
  EXPECT_EQ(FirstText(Get("/about/").body, "h1"), "About The Tests");
}

TEST_F(WordPressTest, OldLinksAnswerWith301) {
  struct Case {
    const char* from;
    const char* to;
  } cases[] = {
      {"/wp-6-1-font-size-scale/", "/2023/01/16/wp-6-1-font-size-scale/"},
      {"/?p=163", "/2023/01/16/wp-6-1-font-size-scale/"},
      {"/?page_id=2", "/about/"},
      {"/category/parent/child-1/", "/category/child-1/"},
  };
  for (const Case& c : cases) {
    auto r = Get(c.from);
    EXPECT_EQ(r.status, 301) << c.from;
    std::string location = r.Header("location");
    EXPECT_TRUE(location.ends_with(c.to)) << c.from << " -> " << location;
  }
  // Drafts and scheduled stories stay invisible.
  EXPECT_EQ(Get("/2030/01/01/scheduled/").status, 404);
}

TEST_F(WordPressTest, ReimportAndDryRunChangeNothing) {
  std::string before = ExportJsonl();
  auto again = RunCommand({DatelineBinary(), "import", "wordpress", kThemeTest, "--site", site_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("stories: 0 new, 0 updated, 58 unchanged"), std::string::npos)
      << again.out;
  EXPECT_EQ(ExportJsonl(), before);

  TempDir other;
  std::string fresh = other / "fresh";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", fresh}).exit_code, 0);
  auto dry = RunCommand(
      {DatelineBinary(), "import", "wordpress", kThemeTest, "--site", fresh, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("dry run, nothing was written"), std::string::npos);
  EXPECT_NE(dry.out.find("stories: 58 new"), std::string::npos);
  EXPECT_EQ(RunCommand({DatelineBinary(), "export", "jsonl", "--site", fresh}).out, "");
}

TEST_F(WordPressTest, BrokenExportsFailCleanly) {
  std::string before = ExportJsonl();
  for (const char* name : {"crazy-cdata.xml", "malformed-simple.xml", "malformed.xml",
                           "missing-version-tag.xml"}) {
    auto r = RunCommand(
        {DatelineBinary(), "import", "wordpress", kCorpus + name, "--site", site_});
    EXPECT_EQ(r.exit_code, 1) << name;
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("dateline: ", 0), 0u) << r.err;
    EXPECT_EQ(r.out, "") << name;
  }
  auto r = RunCommand(
      {DatelineBinary(), "import", "wordpress", kCorpus + "malformed.xml", "--site", site_});
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(line \d+, column \d+)"))) << r.err;
  EXPECT_EQ(ExportJsonl(), before);
}

TEST_F(WordPressTest, NinjsExportImportRoundTrip) {
  auto exported = RunCommand({DatelineBinary(), "export", "ninjs", "--site", site_});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(Lines(exported.out), 58);
  TempDir other;
  std::string copy = other / "copy";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", copy, "--base-url", "http://127.0.0.1:1"})
                .exit_code,
            0);
  auto imported = RunCommand({DatelineBinary(), "import", "ninjs", "-", "--site", copy},
                             exported.out);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("58 new"), std::string::npos) << imported.out;
  EXPECT_EQ(RunCommand({DatelineBinary(), "export", "ninjs", "--site", copy}).out, exported.out);
}

}  // namespace
}  // namespace dateline::testing
