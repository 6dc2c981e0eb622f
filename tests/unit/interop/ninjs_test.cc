#include "interop/ninjs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline {
namespace {

class NinjsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(const std::string& name) {
    auto s = OpenSqliteStore(dir_ / name, {Slugify, nullptr});
    EXPECT_TRUE(s.has_value());
    return std::move(*s);
  }
  Result<NinjsImportReport> Import(Store& store, const std::string& lines) {
    std::istringstream in(lines);
    NinjsImportOptions o;
    o.now = 1'750'000'000;
    return ImportNinjs(in, store, o);
  }
  std::string Export(Store& store) {
    std::ostringstream out;
    NinjsExportOptions o;
    o.site.base_url = "https://news.example";
    EXPECT_TRUE(ExportNinjs(store, o, out).ok());
    return out.str();
  }
  testing::TempDir dir_;
};

TEST_F(NinjsTest, RoundTripIsLossless) {
  auto a = Open("a.db");
  Article story;
  story.slug = "flood-waters-rise";
  story.headline = "Flood waters rise";
  story.dek = "Thousands move to higher ground";
  story.dateline = "SYLHET";
  story.body = "First paragraph.\n\n## Next\n\nSecond with <b>bold</b>.";
  story.excerpt = "A hand-written summary.";
  story.section = "world";
  story.tags = {"Floods", "Bangladesh"};
  story.authors = {"Ann Writer", "Bo Reporter", "Cy Editor"};
  story.status = PublishState::kPublished;
  story.published_at = 1'700'000'000;
  story.updated_at = 1'700'003'600;
  story.language = "en";
  story.lead_image = LeadImage{"https://img.example/f.jpg", "Water", "The river", "AP"};
  ASSERT_TRUE(a->SaveArticle(story).ok());
  Article draft;
  draft.slug = "draft-one";
  draft.headline = "Draft";
  draft.body = "<p>Not yet</p>";
  draft.body_format = BodyFormat::kHtml;
  draft.language = "bn";
  ASSERT_TRUE(a->SaveArticle(draft).ok());
  std::string first = Export(*a);
  auto item = nlohmann::json::parse(first.substr(0, first.find('\n')));
  EXPECT_EQ(item["uri"], "https://news.example/2023/11/14/flood-waters-rise/");
  EXPECT_EQ(item["headlines"][0]["value"], "Flood waters rise");
  EXPECT_EQ(item["by"], "Ann Writer, Bo Reporter and Cy Editor");
  EXPECT_EQ(item["pubStatus"], "usable");
  EXPECT_EQ(item["associations"]["featuremedia"]["renditions"][0]["href"], "https://img.example/f.jpg");

  auto b = Open("b.db");
  auto r = Import(*b, first);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(Export(*b), first);
  Article back = *b->GetArticleBySlug("flood-waters-rise");
  EXPECT_EQ(back.authors, story.authors);
  EXPECT_EQ(back.tags, story.tags);
  EXPECT_EQ(back.section, "world");
  EXPECT_EQ(back.dek, story.dek);
  EXPECT_EQ(back.dateline, story.dateline);
  EXPECT_EQ(back.lead_image, story.lead_image);
  EXPECT_EQ(back.updated_at, story.updated_at);
  EXPECT_EQ(b->GetArticleBySlug("draft-one")->status, PublishState::kDraft);
}

TEST_F(NinjsTest, NewerVersionCorrectsOlderIsIgnored) {
  auto s = Open("s.db");
  std::string v1 = R"({"uri":"urn:wire:1","versionCreated":"2025-01-01T10:00:00Z","firstCreated":"2025-01-01T10:00:00Z","headlines":[{"role":"main","value":"Quake hits"}],"bodies":[{"role":"main","contentType":"text/html","value":"<p>First take</p>"}]})";
  std::string v2 = R"({"uri":"urn:wire:1","versionCreated":"2025-01-01T11:00:00Z","firstCreated":"2025-01-01T10:00:00Z","headlines":[{"role":"main","value":"Quake hits city, 12 dead"}],"bodies":[{"role":"main","contentType":"text/html","value":"<p>Corrected</p>"}]})";
  ASSERT_TRUE(Import(*s, v1).has_value());
  auto r = Import(*s, v2);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->updated, 1);
  Article a = *s->GetArticleBySlug("quake-hits");  // the URL stays
  EXPECT_EQ(a.headline, "Quake hits city, 12 dead");
  EXPECT_EQ(a.updated_at, *ParseRfc3339("2025-01-01T11:00:00Z"));
  std::int64_t seq = *s->LastChangeSeq();
  r = Import(*s, v1);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ignored, 1);
  EXPECT_EQ(*s->LastChangeSeq(), seq);
  EXPECT_EQ(s->GetArticleBySlug("quake-hits")->headline, "Quake hits city, 12 dead");
}

TEST_F(NinjsTest, ReadsNinjsOneAndTwoFields) {
  auto s = Open("s.db");
  std::string old = R"({"uri":"urn:sd:9","versioncreated":"2024-05-01T08:00:00+00:00","firstcreated":"2024-05-01T07:00:00+00:00","pubstatus":"usable","headline":"Budget passed","body_html":"<p>Text</p><script>x()</script>","byline":"By Dee Writer and Eve Lens","subject":[{"name":"economy","code":"04000000"}],"place":[{"name":"DHAKA"}],"language":"bn","renditions":{"baseImage":{"href":"https://img.example/b.jpg","mimetype":"image/jpeg"}},"slugline":"Budget-Vote"})";
  auto r = Import(*s, old);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  Article a = *s->GetArticleBySlug("budget-vote");
  EXPECT_EQ(a.headline, "Budget passed");
  EXPECT_EQ(a.body, "<p>Text</p>");
  EXPECT_EQ(a.authors, (std::vector<std::string>{"Dee Writer", "Eve Lens"}));
  EXPECT_EQ(a.tags, std::vector<std::string>{"economy"});
  EXPECT_EQ(a.dateline, "DHAKA");
  EXPECT_EQ(a.language, "bn");
  ASSERT_TRUE(a.lead_image.has_value());
  EXPECT_EQ(a.lead_image->url, "https://img.example/b.jpg");
  EXPECT_EQ(a.published_at, *ParseRfc3339("2024-05-01T07:00:00Z"));
  EXPECT_EQ(a.status, PublishState::kPublished);
}

TEST_F(NinjsTest, BadLinesAreReportedAndNothingIsWritten) {
  auto s = Open("s.db");
  std::string lines = R"({"uri":"urn:ok","headline":"Fine","body_text":"ok"})"
                      "\n{\"headline\":\"No uri\",\"body_text\":\"x\"}\nnot json\n";
  auto r = Import(*s, lines);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("line 2: field \"uri\": required"), std::string::npos)
      << r.error().message();
  EXPECT_NE(r.error().message().find("line 3: invalid JSON"), std::string::npos);
  EXPECT_TRUE(s->AllArticles()->empty());
}

}  // namespace
}  // namespace dateline
