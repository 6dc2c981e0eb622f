// The JSON Lines bulk format in process: the SEO fields' place in a line,
// their round trip through a store, and their limits. (The whole format's
// round trip through the real binary is in tests/integration/cli_test.cc.)
#include "interop/jsonl.h"
#include "interop/json_lines.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline {
namespace {

TEST(JsonLines, EachLineIsWhatNlohmannWouldParse) {
  // Lines are read with simdjson and handed on as nlohmann::json; every
  // value must be what nlohmann::json::parse gives, and a line simdjson
  // refuses gets nlohmann's own answer (a value, or its error message).
  const std::vector<std::string> lines = {
      R"({"a":1,"b":-2,"c":1.5,"d":1e3,"e":18446744073709551615,"f":true,"g":null})",
      R"({"s":"caf\u00e9 \"q\" \\ \n \ud83d\ude00","t":"নদীর গান","arr":[1,[2,[3,{"x":[]}]],{}]})",
      R"({"dup":1,"dup":2})",
      R"({"big":123456789012345678901234567890})",
      R"({"neg":-9223372036854775808,"zero":0,"negzero":-0.0})",
  };
  std::string input;
  for (const auto& l : lines) input += l + "\n";
  input += "\n   \n";              // blank lines are skipped
  input += "{\"open\": [1, 2}\n";  // broken
  input += "[1, 2]\n";              // not an object
  std::istringstream in(input);
  LineProblems problems(10);
  std::vector<nlohmann::json> seen;
  Status s = ForEachJsonObjectAhead<nlohmann::json>(
      in, problems, [](int, const nlohmann::json& obj) { return obj; },
      [&](int line, nlohmann::json& obj) {
        EXPECT_LE(line, static_cast<int>(lines.size()));
        seen.push_back(obj);
        return Status::Ok();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(seen.size(), lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    nlohmann::json want = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(seen[i], want) << lines[i];
    EXPECT_EQ(seen[i].dump(), want.dump()) << lines[i];  // same number types too
    for (const auto& [key, value] : want.items()) {
      EXPECT_EQ(seen[i][key].type(), value.type()) << lines[i] << " " << key;
    }
  }
  ASSERT_EQ(problems.count(), 2u);
  std::string summary = problems.Summary().message();
  EXPECT_NE(summary.find("line 8: invalid JSON: parse error"), std::string::npos) << summary;
  EXPECT_NE(summary.find("line 9: expected a JSON object"), std::string::npos) << summary;
}

TEST(JsonLines, AheadGivesTheSameObjectsAndProblemsInLineOrder) {
  // Over several chunks of lines, with broken lines among them: the ahead
  // reader gives the items and problems the line reader gives one at a
  // time, in the same order relative to each other, and the conversion
  // runs on another thread.
  std::string input;
  for (int i = 1; i <= 700; ++i) {
    if (i % 97 == 0) input += "{\"broken\": \n";
    else if (i % 101 == 0) input += "\n";
    else input += "{\"n\": " + std::to_string(i) + "}\n";
  }
  std::vector<std::string> plain, ahead;
  LineProblems plain_problems(100), ahead_problems(100);
  std::istringstream in1(input);
  JsonLineReader reader(in1);  // the same lines, one at a time on this thread
  int line = 0;
  nlohmann::json obj;
  std::string problem;
  while (reader.Next(line, obj, problem)) {
    if (!problem.empty()) {
      plain_problems.Add(line, problem);
      continue;
    }
    plain.push_back(std::to_string(line) + " " + obj.dump() + " after " +
                    std::to_string(plain_problems.count()));
  }
  ASSERT_TRUE(reader.status().ok());
  std::istringstream in2(input);
  std::set<std::thread::id> converters;
  Status s = ForEachJsonObjectAhead<std::string>(
      in2, ahead_problems,
      [&](int line, const nlohmann::json& obj) {
        converters.insert(std::this_thread::get_id());
        return std::to_string(line) + " " + obj.dump();
      },
      [&](int, std::string& item) {
        ahead.push_back(item + " after " + std::to_string(ahead_problems.count()));
        return Status::Ok();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(plain.size(), 700u - 7 - 6);
  EXPECT_EQ(ahead, plain);
  EXPECT_EQ(ahead_problems.count(), 7u);
  EXPECT_EQ(ahead_problems.Summary().message(), plain_problems.Summary().message());
  ASSERT_EQ(converters.size(), 1u);
  EXPECT_NE(*converters.begin(), std::this_thread::get_id());

  // A failed use ends the reading with its Status.
  std::istringstream in3(input);
  int used = 0;
  s = ForEachJsonObjectAhead<int>(
      in3, ahead_problems, [](int line, const nlohmann::json&) { return line; },
      [&](int line, int& item) {
        EXPECT_EQ(item, line);
        return ++used == 300 ? Status::InvalidArgument("line " + std::to_string(line)) : Status::Ok();
      });
  EXPECT_EQ(s.message(), "line 306");  // 97, 194 and 291 broken, 101, 202 and 303 blank
  EXPECT_EQ(used, 300);
}

class JsonlTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(const std::string& name) {
    auto s = OpenSqliteStore(dir_ / name, {Slugify, &clock_});
    EXPECT_TRUE(s.has_value()) << s.error().ToString();
    return std::move(*s);
  }
  static Result<JsonlImportReport> Import(Store& store, const std::string& lines) {
    std::istringstream in(lines);
    JsonlImportOptions o;
    o.now = 1'750'000'000;
    return ImportJsonl(in, store, o);
  }
  static std::string Export(Store& store) {
    std::ostringstream out;
    EXPECT_TRUE(ExportJsonl(store, TimeZone::Utc(), out).ok());
    return out.str();
  }
  // The problems ArticleFromJson finds in `obj`, as "field: reason" lines.
  static std::vector<std::string> Problems(const nlohmann::json& obj) {
    Article a;
    std::vector<std::string> out;
    for (const FieldProblem& p : ArticleFromJson(obj, JsonlImportOptions{}, a)) {
      out.push_back(p.field + ": " + p.reason);
    }
    return out;
  }

  FakeClock clock_{1'700'000'000};
  testing::TempDir dir_;
};

const std::string kSeoLine =
    R"({"slug":"harbour-reopens","headline":"Harbour reopens","body":"Ships are back.",)"
    R"("body_format":"markdown","status":"published","published_at":"2025-05-06T04:05:00+00:00",)"
    R"("language":"en","featured":true,"seo_title":"Harbour reopens after 3 weeks \u2013 \"at last\"",)"
    R"("seo_description":"Ships & ferries are back <today>."})"
    "\n";

TEST_F(JsonlTest, SeoFieldsComeAfterFeaturedAndSurviveExportImportExport) {
  auto first = Open("first.db");
  auto r = Import(*first, kSeoLine);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->inserted, 1);
  Article a = *first->GetArticleBySlug("harbour-reopens");
  EXPECT_EQ(a.seo_title, "Harbour reopens after 3 weeks \u2013 \"at last\"");
  EXPECT_EQ(a.seo_description, "Ships & ferries are back <today>.");
  EXPECT_EQ(a.headline, "Harbour reopens");

  std::string exported = Export(*first);
  // The export writes UTF-8 as it is; otherwise the line is the input's.
  std::string expected = kSeoLine;
  expected.replace(expected.find("\\u2013"), 6, "\u2013");
  EXPECT_EQ(exported, expected);
  auto keys = nlohmann::ordered_json::parse(exported);
  std::vector<std::string> order;
  for (const auto& [key, value] : keys.items()) order.push_back(key);
  ASSERT_GE(order.size(), 3u);
  EXPECT_EQ(order[order.size() - 3], "featured");
  EXPECT_EQ(order[order.size() - 2], "seo_title");
  EXPECT_EQ(order[order.size() - 1], "seo_description");

  auto second = Open("second.db");
  ASSERT_TRUE(Import(*second, exported).has_value());
  EXPECT_EQ(Export(*second), exported);
  // Importing again changes nothing.
  auto again = Import(*second, exported);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->updated, 1);
  EXPECT_EQ(Export(*second), exported);
}

TEST_F(JsonlTest, StoriesWithoutASlugGetOneFreeInTheFileAndInTheStore) {
  // Into an empty store slugs are checked against the file alone; into a
  // store with stories, against those too; a slug given again updates.
  auto store = Open("slugs.db");
  const std::string same = R"({"headline":"Floods in the north","body":"Text."})";
  auto first = Import(*store, same + "\n" + same + "\n");
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(first->inserted, 2);
  EXPECT_TRUE(store->GetArticleBySlug("floods-in-the-north").has_value());
  EXPECT_TRUE(store->GetArticleBySlug("floods-in-the-north-2").has_value());
  const std::string given = R"({"slug":"floods-in-the-north","headline":"Floods, again","body":"New."})";
  auto second = Import(*store, same + "\n" + given + "\n");
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->updated, 1);
  EXPECT_TRUE(store->GetArticleBySlug("floods-in-the-north-3").has_value());
  EXPECT_EQ(store->GetArticleBySlug("floods-in-the-north")->headline, "Floods, again");
}

TEST_F(JsonlTest, EmptySeoFieldsAreLeftOutAndImportAsEmpty) {
  Article a;
  a.slug = "plain";
  a.headline = "Plain";
  a.body = "Text.";
  nlohmann::ordered_json j = ArticleToJson(a, TimeZone::Utc());
  EXPECT_FALSE(j.contains("seo_title"));
  EXPECT_FALSE(j.contains("seo_description"));
  a.seo_title = "Only a title";
  j = ArticleToJson(a, TimeZone::Utc());
  EXPECT_EQ(j["seo_title"], "Only a title");
  EXPECT_FALSE(j.contains("seo_description"));

  Article back;
  auto problems =
      ArticleFromJson(nlohmann::json::parse(R"({"headline":"H","body":"B","seo_title":null,
                                                "seo_description":""})"),
                      JsonlImportOptions{}, back);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(back.seo_title, "");
  EXPECT_EQ(back.seo_description, "");
}

TEST_F(JsonlTest, SeoFieldsHaveByteLimitsAndMustBeStrings) {
  auto with = [](std::string title, std::string description) {
    return nlohmann::json{
        {"headline", "H"}, {"body", "B"}, {"seo_title", title}, {"seo_description", description}};
  };
  EXPECT_TRUE(Problems(with(std::string(200, 't'), std::string(500, 'd'))).empty());
  // Bytes, not characters: 100 two-byte letters fit, 67 three-byte ones do not.
  std::string e_acute;
  for (int i = 0; i < 100; ++i) e_acute += "\u00e9";
  EXPECT_TRUE(Problems(with(e_acute, "")).empty());
  std::string euros;
  for (int i = 0; i < 67; ++i) euros += "\u20ac";
  EXPECT_EQ(Problems(with(euros, "")),
            std::vector<std::string>{"seo_title: at most 200 bytes (this is 201)"});
  EXPECT_EQ(Problems(with(std::string(201, 't'), std::string(501, 'd'))),
            (std::vector<std::string>{"seo_title: at most 200 bytes (this is 201)",
                                      "seo_description: at most 500 bytes (this is 501)"}));
  EXPECT_EQ(Problems(nlohmann::json{{"headline", "H"}, {"body", "B"}, {"seo_title", 7}}),
            std::vector<std::string>{"seo_title: expected a string"});
  EXPECT_EQ(Problems(nlohmann::json{{"headline", "H"}, {"body", "B"}, {"seo_description", true}}),
            std::vector<std::string>{"seo_description: expected a string"});
}

TEST_F(JsonlTest, AnOverlongSeoFieldFailsTheImportNamingLineAndField) {
  auto store = Open("limits.db");
  std::string lines =
      R"({"slug":"fine","headline":"Fine","body":"B"})"
      "\n"
      R"({"slug":"long","headline":"Long","body":"B","seo_description":")" +
      std::string(501, 'x') + "\"}\n";
  auto r = Import(*store, lines);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("line 2: field \"seo_description\": at most 500 bytes"),
            std::string::npos)
      << r.error().ToString();
  EXPECT_EQ(Export(*store), "");  // nothing was written
}

}  // namespace
}  // namespace dateline
