// The command line: init, import/export JSON Lines, and how every failure
// is reported (one line, non-zero exit, nothing changed).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fixture.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dateline::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(Cli, InitCreatesASiteAndRefusesToOverwriteIt) {
  TempDir dir;
  std::string site = dir / "news";
  auto r = RunCommand({DatelineBinary(), "init", site});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(site + "/dateline.toml"));
  EXPECT_TRUE(std::filesystem::exists(site + "/dateline.db"));
  EXPECT_TRUE(std::filesystem::is_directory(site + "/media"));
  std::string toml = Slurp(site + "/dateline.toml");
  for (const char* key : {"name", "base_url", "time_zone", "language", "permalink", "listen"}) {
    EXPECT_NE(toml.find(std::string(key) + " = "), std::string::npos) << key;
  }
  EXPECT_GT(std::count(toml.begin(), toml.end(), '#'), 10);  // documented
  std::string before = Slurp(site + "/dateline.toml");
  auto again = RunCommand({DatelineBinary(), "init", site, "--name", "Other"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_EQ(Lines(again.err), 1) << again.err;
  EXPECT_NE(again.err.find("already"), std::string::npos);
  EXPECT_EQ(Slurp(site + "/dateline.toml"), before);
}

TEST(Cli, EverySubcommandHasHelp) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--help"}, {"init", "--help"}, {"serve", "--help"},
        {"demo", "--help"}, {"import", "jsonl", "--help"}, {"export", "jsonl", "--help"}}) {
    args.insert(args.begin(), DatelineBinary());
    auto r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 0) << args[1];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[1] << r.out;
  }
}

TEST(Cli, BadUsageIsOneLineAndExitTwo) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{}, {"frobnicate"}, {"serve", "--no-such-flag"}, {"init"},
        {"import", "jsonl"}}) {
    args.insert(args.begin(), DatelineBinary());
    auto r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("dateline: ", 0), 0u) << r.err;
  }
}

TEST(Cli, ConfigAndDatabaseProblemsNameTheCause) {
  TempDir dir;
  struct Case {
    const char* name;
    std::string toml;
    const char* expect;
  } cases[] = {
      {"syntax", "[site]\nname = \"x\nbase_url = 3\n", "dateline.toml:2"},
      {"unknown key", "[site]\nnmae = \"Typo\"\n", "unknown key \"nmae\""},
      {"wrong type", "[site]\nper_page = \"ten\"\n", "per_page"},
      {"time zone", "[site]\ntime_zone = \"Mars/Base\"\n", "Mars/Base"},
      {"permalink", "[site]\npermalink = \"/%year%/\"\n", "%postname%"},
      {"listen", "[server]\nlisten = \"nowhere\"\n", "HOST:PORT"},
      {"base url", "[site]\nbase_url = \"example.com\"\n", "base_url"},
  };
  for (const Case& c : cases) {
    std::string site = dir / c.name;
    ASSERT_EQ(RunCommand({DatelineBinary(), "init", site}).exit_code, 0);
    std::ofstream(site + "/dateline.toml") << c.toml;
    for (std::vector<std::string> args :
         {std::vector<std::string>{"serve", "--site", site, "--listen", "127.0.0.1:0"},
          {"export", "jsonl", "--site", site}}) {
      args.insert(args.begin(), DatelineBinary());
      auto r = RunCommand(args);
      EXPECT_EQ(r.exit_code, 1) << c.name;
      EXPECT_EQ(Lines(r.err), 1) << c.name << ": " << r.err;
      EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
    }
  }
  // No site at all.
  auto missing = RunCommand({DatelineBinary(), "serve", "--site", dir / "nothing-here"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("dateline.toml"), std::string::npos) << missing.err;
  // A database file that is not a database.
  std::string broken = dir / "broken-db";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", broken}).exit_code, 0);
  std::ofstream(broken + "/dateline.db", std::ios::trunc) << std::string(8192, 'x');
  auto db = RunCommand({DatelineBinary(), "export", "jsonl", "--site", broken});
  EXPECT_EQ(db.exit_code, 1);
  EXPECT_EQ(Lines(db.err), 1) << db.err;
  EXPECT_NE(db.err.find("dateline.db"), std::string::npos) << db.err;
  EXPECT_EQ(Slurp(broken + "/dateline.db"), std::string(8192, 'x'));  // untouched
}

TEST(Cli, ExportImportExportIsByteForByte) {
  FixtureSite first;
  ASSERT_TRUE(first.ok()) << first.error();
  TempDir dir;
  std::string a = dir / "a.jsonl";
  ASSERT_EQ(RunCommand({DatelineBinary(), "export", "jsonl", "--site", first.dir(), "-o", a})
                .exit_code,
            0);
  std::string exported = Slurp(a);
  EXPECT_EQ(Lines(exported), kPublished + 1 + 4 + 1);  // visible, hidden, scheduled
  EXPECT_NE(exported.find("\"related_pins\"") == std::string::npos ? exported.find("\"slug\"")
                                                                    : 0u,
            std::string::npos);
  std::string second = dir / "second";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", second}).exit_code, 0);
  auto imp = RunCommand({DatelineBinary(), "import", "jsonl", a, "--site", second});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  auto b = RunCommand({DatelineBinary(), "export", "jsonl", "--site", second});
  ASSERT_EQ(b.exit_code, 0);
  EXPECT_EQ(b.out, exported);
  // Importing the same file again changes nothing.
  auto again = RunCommand({DatelineBinary(), "import", "jsonl", a, "--site", second});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 new"), std::string::npos) << again.out;
  EXPECT_EQ(RunCommand({DatelineBinary(), "export", "jsonl", "--site", second}).out, exported);
}

TEST(Cli, EveryFieldSurvivesTheRoundTrip) {
  TempDir dir;
  std::string site = dir / "s";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", site}).exit_code, 0);
  std::string line =
      R"({"slug":"all-fields","headline":"All fields","dek":"Dek","dateline":"NEW DELHI",)"
      R"("body":"<p>Body</p>","body_format":"html","excerpt":"Hand-written.","section":"world-news",)"
      R"("tags":["One","Two"],"authors":["A Writer","B Writer"],"status":"published",)"
      R"("published_at":"2025-05-06T04:05:00+00:00","updated_at":"2025-05-06T09:00:00+00:00",)"
      R"("language":"hi","lead_image":{"url":"/media/x.svg","alt":"Alt","caption":"Cap","credit":"Cred"},)"
      R"("related_pins":["other-story"],"featured":true,"seo_title":"All fields, for search",)"
      R"("seo_description":"Every field survives."})"
      "\n";
  auto imp = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", site}, line);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  auto out = RunCommand({DatelineBinary(), "export", "jsonl", "--site", site});
  EXPECT_EQ(out.out, line);
}

TEST(Cli, BadJsonlNamesLineAndFieldAndWritesNothing) {
  const std::string good =
      R"({"slug":"fine","headline":"Fine","body":"Text","published_at":"2025-01-01T00:00:00Z"})";
  struct Case {
    const char* name;
    std::string bad_line;
    const char* expect;
  } cases[] = {
      {"not json", "{\"headline\": ", "line 2: invalid JSON"},
      {"not an object", "[1, 2]", "line 2: expected a JSON object"},
      {"unknown field", R"({"headline":"H","body":"B","hedline":"typo"})",
       "line 2: field \"hedline\": unknown field"},
      {"missing headline", R"({"body":"B"})", "line 2: field \"headline\": required"},
      {"missing body", R"({"headline":"H"})", "line 2: field \"body\": required"},
      {"wrong type", R"({"headline":"H","body":"B","tags":"one"})",
       "line 2: field \"tags\": expected an array"},
      {"bad date", R"({"headline":"H","body":"B","published_at":"yesterday"})",
       "line 2: field \"published_at\""},
      {"no offset", R"({"headline":"H","body":"B","published_at":"2025-01-01T00:00:00"})",
       "offset"},
      {"bad status", R"({"headline":"H","body":"B","status":"live"})",
       "line 2: field \"status\""},
      {"bad format", R"({"headline":"H","body":"B","body_format":"rst"})",
       "line 2: field \"body_format\""},
      {"bad slug", R"({"slug":"Not A Slug","headline":"H","body":"B"})",
       "line 2: field \"slug\""},
      {"duplicate slug", R"({"slug":"fine","headline":"H","body":"B"})",
       "line 2: field \"slug\": \"fine\" already used on line 1"},
      {"bad image", R"({"headline":"H","body":"B","lead_image":{"src":"x"}})",
       "line 2: field \"lead_image.src\": unknown field"},
      {"bad featured", R"({"headline":"H","body":"B","featured":"yes"})",
       "line 2: field \"featured\""},
      {"long seo title", R"({"headline":"H","body":"B","seo_title":")" + std::string(201, 't') + "\"}",
       "line 2: field \"seo_title\": at most 200 bytes"},
      {"scheduled without time", R"({"headline":"H","body":"B","status":"scheduled"})",
       "line 2: field \"published_at\": required"},
      {"invalid utf-8", "{\"headline\":\"H\xff\",\"body\":\"B\"}", "line 2: invalid JSON"},
  };
  TempDir dir;
  std::string site = dir / "s";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", site}).exit_code, 0);
  for (const Case& c : cases) {
    std::string input = good + "\n" + c.bad_line + "\n" + good.substr(0, 9) + "x" +
                        good.substr(9) + "\n";  // a third, valid line ("fine" -> "finex")
    auto r = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", site}, input);
    EXPECT_EQ(r.exit_code, 1) << c.name;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << c.name;
    auto out = RunCommand({DatelineBinary(), "export", "jsonl", "--site", site});
    EXPECT_EQ(out.out, "") << c.name << " wrote something";
  }
}

TEST(Cli, MissingSlugIsMadeFromTheHeadlineAndKeptUnique) {
  TempDir dir;
  std::string site = dir / "s";
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", site}).exit_code, 0);
  std::string input =
      "{\"headline\":\"Café owners protest!\",\"body\":\"a\"}\n"
      "{\"headline\":\"Café Owners Protest\",\"body\":\"b\"}\n";
  ASSERT_EQ(RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", site}, input).exit_code,
            0);
  auto out = RunCommand({DatelineBinary(), "export", "jsonl", "--site", site}).out;
  EXPECT_NE(out.find("\"slug\":\"cafe-owners-protest\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"slug\":\"cafe-owners-protest-2\""), std::string::npos) << out;
}

}  // namespace
}  // namespace dateline::testing
