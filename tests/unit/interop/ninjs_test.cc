#include "interop/ninjs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline {
namespace {

using nlohmann::ordered_json;

class NinjsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(const std::string& name) {
    // One fixed clock for every store: a draft's versionCreated is its
    // modified_at, which must not tick between export and re-export.
    auto s = OpenSqliteStore(dir_ / name, {Slugify, &clock_});
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
  FakeClock clock_{1'700'100'000};
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
  EXPECT_EQ(item["version"], "1");
  ASSERT_TRUE(item["associations"].is_array());
  ASSERT_EQ(item["associations"].size(), 1u);
  EXPECT_EQ(item["associations"][0]["name"], "featuremedia");
  EXPECT_EQ(item["associations"][0]["renditions"][0]["href"], "https://img.example/f.jpg");
  EXPECT_EQ(item["associations"][0]["renditions"][0]["contentType"], "image/jpeg");

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

TEST_F(NinjsTest, ANewerVersionKeepsTheNewsroomsSeoFields) {
  auto s = Open("s.db");
  std::string v1 = R"({"uri":"urn:wire:2","versionCreated":"2025-01-01T10:00:00Z","headlines":[{"role":"main","value":"Dam holds"}],"bodies":[{"role":"main","contentType":"text/html","value":"<p>First take</p>"}]})";
  std::string v2 = R"({"uri":"urn:wire:2","versionCreated":"2025-01-01T11:00:00Z","headlines":[{"role":"main","value":"Dam holds, town safe"}],"bodies":[{"role":"main","contentType":"text/html","value":"<p>Second take</p>"}]})";
  ASSERT_TRUE(Import(*s, v1).has_value());
  Article a = *s->GetArticleBySlug("dam-holds");
  a.seo_title = "Dam holds: the town is safe";
  a.seo_description = "Our summary, not the agency's.";
  ASSERT_TRUE(s->SaveArticle(a).ok());
  auto r = Import(*s, v2);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->updated, 1);
  Article after = *s->GetArticleBySlug("dam-holds");
  EXPECT_EQ(after.headline, "Dam holds, town safe");
  EXPECT_EQ(after.seo_title, "Dam holds: the town is safe");
  EXPECT_EQ(after.seo_description, "Our summary, not the agency's.");
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

TEST_F(NinjsTest, ArticleToNinjsWritesANinjs3Item) {
  Article a;
  a.id = 7;
  a.slug = "bridge-opens";
  a.headline = "Bridge opens";
  a.body = "<p>The <b>new</b> bridge opened today.</p><p>Traffic flows.</p>";
  a.body_format = BodyFormat::kHtml;
  a.section = "city";
  a.tags = {"Transport"};
  a.status = PublishState::kPublished;
  a.published_at = 1'700'000'000;
  a.version = 3;
  a.lead_image = LeadImage{"https://img.example/photos/Bridge.PNG?w=800", "The span", "Opening day",
                           "Photo: Lee"};
  SiteSettings site;
  site.base_url = "https://news.example";
  ordered_json j = ArticleToNinjs(a, site, "City News");
  EXPECT_EQ(j["uri"], "https://news.example/2023/11/14/bridge-opens/");
  EXPECT_EQ(j["type"], "text");
  EXPECT_EQ(j["version"], "3");
  EXPECT_EQ(j["pubStatus"], "usable");
  EXPECT_EQ(j["bodies"][0]["contentType"], "text/html");
  EXPECT_EQ(j["bodies"][0]["wordCount"], 7);
  EXPECT_EQ(j["bodies"][0]["charCount"],
            std::string("The new bridge opened today. Traffic flows.").size());
  EXPECT_EQ(
      j["subjects"][0],
      ordered_json({{"name", "City News"}, {"uri", "dateline:section/city"}, {"rel", "section"}}));
  EXPECT_EQ(j["subjects"][1], ordered_json({{"name", "Transport"}}));
  ordered_json media = ordered_json::parse(R"({"name":"featuremedia",
      "uri":"https://img.example/photos/Bridge.PNG?w=800","type":"picture",
      "renditions":[{"name":"original","href":"https://img.example/photos/Bridge.PNG?w=800",
                     "contentType":"image/png"}],
      "descriptions":[{"role":"caption","value":"Opening day"},{"role":"alt","value":"The span"}],
      "by":"Photo: Lee"})");
  EXPECT_EQ(j["associations"], ordered_json::array({media})) << j["associations"].dump();

  // The section's slug stands in for an unknown name; an unknown extension
  // gives no contentType; a story never saved has no version.
  a.version = 0;
  a.lead_image = LeadImage{"https://img.example/render?id=4", "", "", ""};
  j = ArticleToNinjs(a, site, "");
  EXPECT_FALSE(j.contains("version"));
  EXPECT_EQ(j["subjects"][0]["name"], "city");
  EXPECT_EQ(j["associations"][0]["renditions"][0],
            ordered_json({{"name", "original"}, {"href", "https://img.example/render?id=4"}}));
  EXPECT_FALSE(j["associations"][0].contains("descriptions"));
  EXPECT_FALSE(j["associations"][0].contains("by"));
  a.lead_image.reset();
  EXPECT_FALSE(ArticleToNinjs(a, site, "").contains("associations"));
}

TEST_F(NinjsTest, PubStatusFollowsTheEditorialState) {
  Article a;
  a.slug = "s";
  a.headline = "S";
  a.body = "x";
  a.published_at = 1'700'000'000;
  SiteSettings site;
  const std::pair<PublishState, const char*> cases[] = {
      {PublishState::kDraft, "withheld"},       {PublishState::kReview, "withheld"},
      {PublishState::kScheduled, "usable"},     {PublishState::kPublished, "usable"},
      {PublishState::kUnpublished, "canceled"},
  };
  for (const auto& [state, want] : cases) {
    a.status = state;
    EXPECT_EQ(ArticleToNinjs(a, site, "")["pubStatus"], want) << PublishStateName(state);
  }
}

TEST_F(NinjsTest, ExportWritesWhatArticleToNinjsGives) {
  auto s = Open("s.db");
  Article a;
  a.slug = "one";
  a.headline = "One";
  a.body = "Body";
  a.section = "world";
  a.status = PublishState::kPublished;
  a.published_at = 1'700'000'000;
  ASSERT_TRUE(s->SaveArticle(a).ok());
  NinjsExportOptions o;
  o.site.base_url = "https://news.example";
  std::string name = s->GetSection("world")->name;
  EXPECT_EQ(Export(*s), ArticleToNinjs(*s->GetArticle(a.id), o.site, name).dump() + "\n");
}

TEST_F(NinjsTest, UnpublishedRoundTripsAsCanceled) {
  auto a = Open("a.db");
  Article story;
  story.slug = "taken-down";
  story.language = "en";  // import fills in the default
  story.headline = "Taken down";
  story.body = "Legal hold.";
  story.status = PublishState::kUnpublished;
  story.published_at = 1'700'000'000;
  ASSERT_TRUE(a->SaveArticle(story).ok());
  std::string first = Export(*a);
  EXPECT_EQ(nlohmann::json::parse(first)["pubStatus"], "canceled");
  auto b = Open("b.db");
  ASSERT_TRUE(Import(*b, first).has_value());
  Article back = *b->GetArticleBySlug("taken-down");
  EXPECT_EQ(back.status, PublishState::kUnpublished);
  EXPECT_EQ(back.published_at, story.published_at);
  EXPECT_EQ(Export(*b), first);
}

TEST_F(NinjsTest, VersionCountsSavesInTheImportingStore) {
  auto a = Open("a.db");
  Article story;
  story.slug = "edited";
  story.language = "en";  // import fills in the default
  story.headline = "Edited";
  story.body = "First.";
  story.status = PublishState::kPublished;
  story.published_at = 1'700'000'000;
  ASSERT_TRUE(a->SaveArticle(story).ok());
  story.body = "Second.";
  ASSERT_TRUE(a->SaveArticle(story).ok());
  std::string first = Export(*a);
  EXPECT_EQ(nlohmann::json::parse(first)["version"], "2");
  auto b = Open("b.db");
  ASSERT_TRUE(Import(*b, first).has_value());
  std::string second = Export(*b);
  EXPECT_EQ(nlohmann::json::parse(second)["version"], "1");
  auto without_version = [](const std::string& line) {
    auto j = ordered_json::parse(line);
    j.erase("version");
    return j.dump();
  };
  EXPECT_EQ(without_version(second), without_version(first));
}

TEST_F(NinjsTest, ReadsBothAssociationForms) {
  auto s = Open("s.db");
  const std::string head =
      R"({"versionCreated":"2025-01-01T10:00:00Z","headlines":[{"role":"main","value":"H"}],)"
      R"("bodies":[{"role":"main","contentType":"text/html","value":"<p>B</p>"}],)";
  const std::string media =
      R"("renditions":[{"name":"thumbnail","href":"https://img.example/t.jpg"},)"
      R"({"name":"original","href":"https://img.example/o.jpg","contentType":"image/jpeg"}],)"
      R"("descriptions":[{"role":"caption","value":"Cap"},{"role":"alt","value":"Alt"}],"by":"Cred")";
  const LeadImage want{"https://img.example/o.jpg", "Alt", "Cap", "Cred"};
  struct Case {
    const char* slug;
    std::string associations;
    std::optional<LeadImage> want;
  };
  const Case cases[] = {
      // ninjs 1.x/2.x: an object keyed by name.
      {"object-form", R"({"featuremedia":{"type":"picture",)" + media + "}}", want},
      {"object-featureimage", R"({"featureimage":{"type":"picture",)" + media + "}}", want},
      // ninjs 3.x: an array of named objects, featuremedia wherever it is.
      {"array-form",
       R"([{"name":"gallery-1","uri":"urn:x","type":"picture","renditions":[{"name":"original","href":"https://img.example/g.jpg"}]},)"
       R"({"name":"featuremedia","uri":"urn:y","type":"picture",)" + media + "}]",
       want},
      {"array-featureimage",
       R"([{"name":"sidebar","uri":"urn:s","type":"text"},{"name":"featureimage","type":"picture",)" + media + "}]",
       want},
      // No known name: the first picture.
      {"array-first-picture",
       R"([{"name":"related","uri":"urn:r","type":"text","renditions":[{"name":"original","href":"https://x.example/doc.jpg"}]},)"
       R"({"name":"photo-1","uri":"urn:p","type":"picture",)" + media + "}]",
       want},
      {"array-no-picture", R"([{"name":"related","uri":"urn:r","type":"text"}])", std::nullopt},
      {"array-of-junk", R"([1,"two",null,{"name":7,"type":["picture"]}])", std::nullopt},
  };
  std::string lines;
  for (const Case& c : cases) {
    lines += head + R"("uri":"urn:item:)" + c.slug + R"(","slugline":")" + c.slug +
             R"(","associations":)" + c.associations + "}\n";
  }
  auto r = Import(*s, lines);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  for (const Case& c : cases) {
    auto a = s->GetArticleBySlug(c.slug);
    ASSERT_TRUE(a.has_value()) << c.slug;
    EXPECT_EQ(a->lead_image, c.want) << c.slug;
  }
}

// Regression: members of an unexpected JSON type (a number where a string
// belongs) threw nlohmann::json::type_error out of ImportNinjs.
TEST_F(NinjsTest, MembersOfTheWrongTypeDoNotThrow) {
  auto s = Open("s.db");
  std::string line =
      R"({"uri":"urn:odd","headlines":[{"role":1,"value":"Odd"},{"role":"main","value":"Odd types"}],)"
      R"("bodies":[{"role":"main","contentType":"text/html","value":"<p>B</p>"}],)"
      R"("descriptions":[{"role":["summary"],"value":"no"}],)"
      R"("people":[{"name":"Ann","rel":5},{"name":3,"rel":"author"},{"name":"Bo","rel":"author"}],)"
      R"("subjects":[{"name":"Rain","rel":false},{"name":{"x":1}}],)"
      R"("associations":[{"name":1,"type":"picture","renditions":[{"name":2,"href":"https://img.example/a.jpg"}]}]})";
  Result<NinjsImportReport> r = Fail(Status::Internal("not run"));
  EXPECT_NO_THROW(r = Import(*s, line));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  Article a = *s->GetArticleBySlug("odd-types");
  EXPECT_EQ(a.authors, std::vector<std::string>{"Bo"});
  EXPECT_EQ(a.tags, std::vector<std::string>{"Rain"});
  EXPECT_EQ(a.excerpt, "");
  ASSERT_TRUE(a.lead_image.has_value());
  EXPECT_EQ(a.lead_image->url, "https://img.example/a.jpg");
}

}  // namespace
}  // namespace dateline
