// Whole-site tests of the reader side of corrections, unpublishing and
// preview. The site is made with the real `dateline init`; its stories and
// corrections are written through the store (no command adds corrections);
// then the real binary serves it on loopback and every page is read back
// over HTTP. Preview, which no URL reaches, is checked in process with the
// same Site, theme and metadata the server uses.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/settings.h"
#include "core/time_zone.h"
#include "render/renderer.h"
#include "render/theme.h"
#include "site/metadata.h"
#include "site/site.h"
#include "store/sqlite/sqlite_store.h"
#include "support/html.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline::testing {
namespace {

constexpr Seconds kFirstStory = 1740823200;  // 2025-03-01T10:00:00Z
constexpr Seconds kFirstNote = 1743465600;   // 2025-04-01T00:00:00Z
constexpr int kStories = 20;
constexpr int kVisibleNotes = 13;  // with per_page 10: two pages
const std::string kHostileNote = "We misspelled <script>alert(1)</script> & \"names\".";

Seconds Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Iso(Seconds t) { return FormatRfc3339(t, TimeZone::Utc()); }

// The documents of every <script type="application/ld+json"> on a page.
std::vector<nlohmann::json> JsonLd(const std::string& html) {
  std::regex script(R"re(<script type="application/ld\+json">([^<]*)</script>)re");
  std::vector<nlohmann::json> docs;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), script);
       it != std::sregex_iterator(); ++it) {
    docs.push_back(nlohmann::json::parse((*it)[1].str()));
  }
  return docs;
}

// The datetime attributes of the <time> elements inside `class="correction"`
// paragraphs, in page order.
std::vector<std::string> CorrectionTimes(const std::string& html) {
  std::regex re(R"re(<p class="correction"><time datetime="([^"]+)")re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

class CorrectionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    site_dir_ = (dir_->path() / "site").string();
    auto init = RunCommand({DatelineBinary(), "init", site_dir_, "--name", "Corrections Times",
                            "--base-url", "http://127.0.0.1:1"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    clock_ = new FakeClock(kFirstStory);
    StoreOptions options;
    options.slugify = [](std::string_view s) { return Slugify(s); };
    options.clock = clock_;
    auto store = OpenSqliteStore(site_dir_ + "/dateline.db", options);
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = store->release();
    settings_ = new SiteSettings();
    settings_->name = "Corrections Times";
    settings_->base_url = "http://127.0.0.1:1";
    ASSERT_NO_FATAL_FAILURE(Fill());
    server_ = new ServerProcess(
        {DatelineBinary(), "serve", "--site", site_dir_, "--listen", "127.0.0.1:0"});
    ASSERT_NE(server_->port(), 0) << server_->error();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete store_;
    delete settings_;
    delete clock_;
    delete dir_;
  }

  static Article Story(std::string slug, std::string headline, Seconds published) {
    Article a;
    a.slug = std::move(slug);
    a.headline = std::move(headline);
    a.dek = "The dek of " + a.headline;
    a.body = "Opening paragraph of " + a.headline + ".\n\n## Details\n\nMore text follows.\n";
    a.section = "news";
    a.tags = {"Shared Tag"};
    a.authors = {"Reporter One"};
    a.status = PublishState::kPublished;
    a.published_at = published;
    return a;
  }
  static void Save(Article& a) {
    Status s = store_->SaveArticle(a);
    ASSERT_TRUE(s.ok()) << a.slug << ": " << s.ToString();
  }
  static void Correct(const Article& a, Seconds at, const std::string& note) {
    clock_->Set(at);
    Correction c;
    c.article_id = a.id;
    c.at = at;
    c.note = note;
    Status s = store_->AddCorrection(c);
    ASSERT_TRUE(s.ok()) << a.slug << ": " << s.ToString();
  }

  // 20 stories a day apart, 13 corrections on them an hour apart (three on
  // story-0, the newest hostile), a fresh story for the news sitemap, and
  // two stories readers must never see, each corrected while it was public:
  // one back to draft, one unpublished.
  static void Fill() {
    std::vector<Article> stories;
    for (int i = 0; i < kStories; ++i) {
      Article a = Story("story-" + std::to_string(i), "Story number " + std::to_string(i),
                        kFirstStory + i * 86400);
      ASSERT_NO_FATAL_FAILURE(Save(a));
      stories.push_back(a);
    }
    for (int k = 0; k < kVisibleNotes - 1; ++k) {
      ASSERT_NO_FATAL_FAILURE(
          Correct(stories[k % 6], kFirstNote + k * 3600, "Note number " + std::to_string(k) + "."));
    }
    ASSERT_NO_FATAL_FAILURE(
        Correct(stories[0], kFirstNote + (kVisibleNotes - 1) * 3600, kHostileNote));

    const Seconds now = Now();
    Article fresh = Story("fresh-story", "A fresh story", now - 3600);
    ASSERT_NO_FATAL_FAILURE(Save(fresh));
    fresh_url_ = settings_->permalink.Build(fresh, settings_->zone);

    Article gone = Story("gone-story", "LEAKED-unpublished headline", now - 2 * 3600);
    gone.tags = {"Shared Tag", "Gone Tag"};
    gone.body = "LEAKED-BODY zebrafrost text that readers must never see.";
    ASSERT_NO_FATAL_FAILURE(Save(gone));
    ASSERT_NO_FATAL_FAILURE(Correct(gone, now - 1800, "LEAKED-unpublished correction."));
    gone.status = PublishState::kUnpublished;
    ASSERT_NO_FATAL_FAILURE(Save(gone));
    gone_url_ = settings_->permalink.Build(gone, settings_->zone);

    Article draft = Story("draft-story", "LEAKED-draft headline", kFirstStory + 86400 * 3);
    ASSERT_NO_FATAL_FAILURE(Save(draft));
    ASSERT_NO_FATAL_FAILURE(Correct(draft, now - 1700, "LEAKED-draft correction."));
    draft.status = PublishState::kDraft;
    draft.published_at.reset();
    ASSERT_NO_FATAL_FAILURE(Save(draft));
    draft_id_ = draft.id;
    clock_->Set(now);
  }

  static HttpResult Get(const std::string& path) { return HttpGet(server_->port(), path); }

  static TempDir* dir_;
  static std::string site_dir_;
  static FakeClock* clock_;
  static Store* store_;
  static SiteSettings* settings_;
  static ServerProcess* server_;
  static std::string fresh_url_, gone_url_;
  static std::int64_t draft_id_;
};
TempDir* CorrectionsTest::dir_ = nullptr;
std::string CorrectionsTest::site_dir_;
FakeClock* CorrectionsTest::clock_ = nullptr;
Store* CorrectionsTest::store_ = nullptr;
SiteSettings* CorrectionsTest::settings_ = nullptr;
ServerProcess* CorrectionsTest::server_ = nullptr;
std::string CorrectionsTest::fresh_url_;
std::string CorrectionsTest::gone_url_;
std::int64_t CorrectionsTest::draft_id_ = 0;

TEST_F(CorrectionsTest, StoryShowsItsCorrectionsEscapedBetweenBylineAndBody) {
  HttpResult r = Get("/2025/03/01/story-0/");
  ASSERT_EQ(r.status, 200) << r.error;
  const std::string& b = r.body;
  std::size_t byline = b.find("class=\"byline\"");
  std::size_t block = b.find("<aside class=\"corrections-note\"");
  std::size_t label = b.find(">Correction</h2>");
  std::size_t body = b.find("class=\"story-body\"");
  ASSERT_NE(byline, std::string::npos);
  ASSERT_NE(block, std::string::npos);
  ASSERT_NE(label, std::string::npos);
  ASSERT_NE(body, std::string::npos);
  EXPECT_LT(byline, block);
  EXPECT_LT(block, label);
  EXPECT_LT(label, body);
  // Plain text: the note's markup shows as text and never runs.
  EXPECT_NE(b.find("We misspelled &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;names&quot;."),
            std::string::npos);
  EXPECT_EQ(b.find("<script>alert(1)"), std::string::npos);
  // Oldest first, each in a <time datetime>, shown like the page's other times.
  std::vector<std::string> times = CorrectionTimes(b);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[0], Iso(kFirstNote));
  EXPECT_EQ(times[1], Iso(kFirstNote + 6 * 3600));
  EXPECT_EQ(times[2], Iso(kFirstNote + 12 * 3600));
  EXPECT_NE(b.find("<time datetime=\"" + Iso(kFirstNote) +
                   "\">April 1, 2025 12:00 am</time>: "
                   "Note number 0."),
            std::string::npos);
  // The newest correction dates the story's "Updated" stamp.
  EXPECT_NE(b.find("Updated <time datetime=\"" + Iso(kFirstNote + 12 * 3600) + "\">"),
            std::string::npos);

  HttpResult plain = Get("/2025/03/08/story-7/");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body.find("corrections-note"), std::string::npos);
  EXPECT_EQ(plain.body.find("Updated"), std::string::npos);
}

TEST_F(CorrectionsTest, JsonLdHasCorrectionCommentsAndTheNewestModifiedDate) {
  HttpResult r = Get("/2025/03/01/story-0/");
  ASSERT_EQ(r.status, 200);
  std::vector<nlohmann::json> docs = JsonLd(r.body);
  ASSERT_FALSE(docs.empty());
  const nlohmann::json& news = docs[0];
  EXPECT_EQ(news["@type"], "NewsArticle");
  EXPECT_EQ(news["datePublished"], Iso(kFirstStory));
  EXPECT_EQ(news["dateModified"], Iso(kFirstNote + 12 * 3600));
  ASSERT_TRUE(news["correction"].is_array());
  ASSERT_EQ(news["correction"].size(), 3u);
  EXPECT_EQ(news["correction"][0]["@type"], "CorrectionComment");
  EXPECT_EQ(news["correction"][0]["text"], "Note number 0.");
  EXPECT_EQ(news["correction"][0]["datePublished"], Iso(kFirstNote));
  EXPECT_EQ(news["correction"][2]["text"], kHostileNote);
  // The script element stays closed whatever the note holds.
  EXPECT_EQ(r.body.find("</script> &"), std::string::npos);

  std::vector<nlohmann::json> plain = JsonLd(Get("/2025/03/08/story-7/").body);
  ASSERT_FALSE(plain.empty());
  EXPECT_FALSE(plain[0].contains("correction"));
  EXPECT_EQ(plain[0]["dateModified"], plain[0]["datePublished"]);
}

TEST_F(CorrectionsTest, CorrectionsPageListsNewestFirstAndPages) {
  HttpResult first = Get("/corrections/");
  ASSERT_EQ(first.status, 200) << first.error;
  EXPECT_EQ(FirstText(first.body, "h1"), "Corrections");
  EXPECT_NE(first.body.find("<title>Corrections – Corrections Times</title>"), std::string::npos);
  std::vector<std::string> times = CorrectionTimes(first.body);
  ASSERT_EQ(times.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(times[i], Iso(kFirstNote + (12 - i) * 3600)) << i;
  // Each links its story's headline to the story.
  EXPECT_NE(first.body.find("<a href=\"/2025/03/01/story-0/\">Story number 0</a>"),
            std::string::npos);
  EXPECT_NE(first.body.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(first.body.find("<script>alert"), std::string::npos);
  std::vector<std::string> hrefs = Attributes(first.body, "a", "href");
  EXPECT_NE(std::find(hrefs.begin(), hrefs.end(), "/corrections/page/2/"), hrefs.end());

  HttpResult second = Get("/corrections/page/2/");
  ASSERT_EQ(second.status, 200);
  times = CorrectionTimes(second.body);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[0], Iso(kFirstNote + 2 * 3600));
  EXPECT_EQ(times[2], Iso(kFirstNote));
  EXPECT_NE(second.body.find("<title>Corrections – page 2 – Corrections Times</title>"),
            std::string::npos);

  EXPECT_EQ(Get("/corrections/page/3/").status, 404);
  HttpResult one = Get("/corrections/page/1/");
  EXPECT_EQ(one.status, 301);
  EXPECT_EQ(one.Header("location"), "/corrections/");
  EXPECT_EQ(Get("/corrections").status, 301);
  // Not the corrections of a draft or an unpublished story.
  for (const HttpResult* r : {&first, &second})
    EXPECT_EQ(r->body.find("LEAKED"), std::string::npos);
}

TEST_F(CorrectionsTest, FooterLinksTheCorrectionsPage) {
  for (const char* path : {"/", "/2025/03/01/story-0/", "/category/news/", "/corrections/"}) {
    HttpResult r = Get(path);
    ASSERT_EQ(r.status, 200) << path;
    std::size_t footer = r.body.find("<footer class=\"site-footer\">");
    ASSERT_NE(footer, std::string::npos) << path;
    EXPECT_NE(r.body.find("<a href=\"/corrections/\">Corrections</a>", footer), std::string::npos)
        << path;
  }
}

TEST_F(CorrectionsTest, UnpublishedStoryIsGoneEverywhere) {
  EXPECT_EQ(Get(gone_url_).status, 404);
  EXPECT_EQ(Get("/tag/gone-tag/").status, 404);
  EXPECT_EQ(Get("/tag/gone-tag/feed/").status, 404);
  std::vector<std::string> paths = {"/",
                                    "/page/2/",
                                    "/category/news/",
                                    "/tag/shared-tag/",
                                    "/author/reporter-one/",
                                    "/feed/",
                                    "/feed/atom/",
                                    "/feed.json",
                                    "/category/news/feed/",
                                    "/news-sitemap.xml",
                                    "/sitemap.xml",
                                    "/sitemaps/tags.xml",
                                    "/search/?q=zebrafrost",
                                    fresh_url_};
  // Every sitemap the index names.
  HttpResult index = Get("/sitemap.xml");
  ASSERT_EQ(index.status, 200);
  std::regex loc("<loc>http://127\\.0\\.0\\.1:1(/[^<]*)</loc>");
  for (auto it = std::sregex_iterator(index.body.begin(), index.body.end(), loc);
       it != std::sregex_iterator(); ++it) {
    paths.push_back((*it)[1].str());
  }
  // Related lists of the stories that share its section and tags.
  for (int i = 0; i < kStories; ++i) {
    paths.push_back("/2025/03/" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) +
                    "/story-" + std::to_string(i) + "/");
  }
  for (const std::string& path : paths) {
    HttpResult r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find("LEAKED"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("gone-story"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("gone-tag"), std::string::npos) << path;
  }
  // The fresh story is there, so the news sitemap was not simply empty.
  EXPECT_NE(Get("/news-sitemap.xml").body.find(fresh_url_), std::string::npos);
}

// The server's rendering of a page, in process: metadata, theme, template.
std::string RenderPage(const Site& site, const Page& page) {
  auto theme = Theme::Load(std::nullopt);
  EXPECT_TRUE(theme) << theme.error().ToString();
  if (!theme) return "";
  nlohmann::json model = page.model;
  AddPageMetadata(model, {page.template_name, "http://127.0.0.1:1/logo.svg", {}, &page.shared},
                  site.settings());
  auto html = Renderer(*theme).Render(page.template_name, model, page.shared);
  EXPECT_TRUE(html) << html.error().ToString();
  return html ? *html : "";
}

TEST_F(CorrectionsTest, PreviewShowsADraftAsReadersWouldWhileResolveSays404) {
  auto draft = store_->GetArticle(draft_id_);
  ASSERT_TRUE(draft) << draft.error().ToString();
  ASSERT_EQ(draft->status, PublishState::kDraft);
  Site site(*store_, *settings_, DefaultClock());
  std::string url = settings_->permalink.Build(*draft, settings_->zone);

  Page preview = site.PreviewPage(*draft);
  EXPECT_EQ(preview.status, 200);
  EXPECT_EQ(preview.template_name, "article");
  EXPECT_EQ(preview.model.value("preview", false), true);
  EXPECT_EQ(preview.model["page"].value("noindex", false), true);
  EXPECT_EQ(preview.model["article"]["headline"], "LEAKED-draft headline");
  std::string html = RenderPage(site, preview);
  EXPECT_NE(html.find("Preview — not published"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
  EXPECT_EQ(FirstText(html, "h1"), "LEAKED-draft headline");
  EXPECT_NE(html.find("id=\"related-news\""), std::string::npos);
  EXPECT_NE(html.find("LEAKED-draft correction."), std::string::npos);

  // Readers get nothing: not in process, not over HTTP.
  EXPECT_EQ(site.Resolve(url).status, 404);
  EXPECT_EQ(Get(url).status, 404);
  auto gone = store_->GetArticleBySlug("gone-story");
  ASSERT_TRUE(gone);
  EXPECT_EQ(site.Resolve(gone_url_).status, 404);
  EXPECT_NE(RenderPage(site, site.PreviewPage(*gone)).find("Preview — not published"),
            std::string::npos);

  // A public story's own page has neither banner nor noindex.
  HttpResult pub = Get("/2025/03/01/story-0/");
  EXPECT_EQ(pub.body.find("Preview — not published"), std::string::npos);
  EXPECT_EQ(pub.body.find("noindex"), std::string::npos);
}

TEST_F(CorrectionsTest, StaticBuildWritesTheCorrectionsPages) {
  std::string out = (dir_->path() / "out").string();
  auto built = RunCommand({DatelineBinary(), "build", "--site", site_dir_, "--out", out});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_TRUE(std::filesystem::exists(out + "/corrections/index.html"));
  EXPECT_TRUE(std::filesystem::exists(out + "/corrections/page/2/index.html"));
  EXPECT_FALSE(std::filesystem::exists(out + "/corrections/page/3/index.html"));
}

TEST(CorrectionsEmptyTest, TheCorrectionsPageExistsWithAFriendlySentence) {
  TempDir dir;
  StoreOptions options;
  options.slugify = [](std::string_view s) { return Slugify(s); };
  auto store = OpenSqliteStore(dir / "empty.db", options);
  ASSERT_TRUE(store) << store.error().ToString();
  SiteSettings settings;
  Site site(**store, settings, DefaultClock());
  Page page = site.Resolve("/corrections/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.template_name, "corrections");
  EXPECT_EQ(site.CountVisibleCorrections(), 0);
  std::string html = RenderPage(site, page);
  EXPECT_NE(html.find("No corrections so far."), std::string::npos);
  EXPECT_EQ(site.Resolve("/corrections/page/2/").status, 404);
}

}  // namespace
}  // namespace dateline::testing
