// Whole-site tests of feeds, sitemaps, robots.txt, page metadata and
// conditional GET: the real binary serves the fixture site (and a second
// site whose stories are dated relative to the real clock, for the news
// sitemap's 48-hour window) and every file is read back over HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>

#include "fixture.h"
#include "support/html.h"
#include "support/http_client.h"
#include "support/process.h"

namespace dateline::testing {
namespace {

pugi::xml_document Xml(const HttpResult& r) {
  pugi::xml_document doc;
  auto ok = doc.load_string(r.body.c_str());
  EXPECT_TRUE(ok) << ok.description() << "\n" << r.body.substr(0, 400);
  return doc;
}

class FeedsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new FixtureSite();
    ASSERT_TRUE(site_->ok()) << site_->error();
    server_ = new ServerProcess(
        {DatelineBinary(), "serve", "--site", site_->dir(), "--listen", "127.0.0.1:0"});
    ASSERT_NE(server_->port(), 0) << server_->error();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete site_;
  }
  static HttpResult Get(const std::string& path,
                        const std::map<std::string, std::string>& headers = {}) {
    return HttpRequest(server_->port(), "GET", path, headers);
  }
  static FixtureSite* site_;
  static ServerProcess* server_;
};
FixtureSite* FeedsTest::site_ = nullptr;
ServerProcess* FeedsTest::server_ = nullptr;

const std::string kBase = "http://127.0.0.1:1";  // the fixture's base_url

TEST_F(FeedsTest, EveryFeedAnswersWithItsMediaTypeAndNoHiddenStory) {
  const char* scopes[] = {"/", "/category/alpha/", "/tag/family-a1/", "/author/writer-two/"};
  const std::pair<const char*, const char*> formats[] = {
      {"feed/", "application/rss+xml; charset=utf-8"},
      {"feed/atom/", "application/atom+xml; charset=utf-8"},
      {"feed.json", "application/feed+json; charset=utf-8"}};
  for (const char* scope : scopes) {
    for (const auto& [file, type] : formats) {
      std::string path = std::string(scope) + file;
      HttpResult r = Get(path);
      EXPECT_EQ(r.status, 200) << path;
      EXPECT_EQ(r.Header("content-type"), type) << path;
      EXPECT_EQ(r.body.find("LEAKED"), std::string::npos) << path;
      EXPECT_EQ(r.body.find("SOON"), std::string::npos) << path;
      EXPECT_FALSE(r.Header("etag").empty()) << path;
      EXPECT_FALSE(r.Header("last-modified").empty()) << path;
    }
  }
  EXPECT_EQ(Get("/tag/secret-tag/feed/").status, 404);  // only hidden stories
  EXPECT_EQ(Get("/author/hidden-writer/feed.json").status, 404);
  EXPECT_EQ(Get("/category/nope/feed/atom/").status, 404);
}

TEST_F(FeedsTest, SiteRssHasTheNewest20WithAbsoluteLinksAndFullContent) {
  pugi::xml_document doc = Xml(Get("/feed/"));
  pugi::xml_node ch = doc.child("rss").child("channel");
  EXPECT_EQ(std::string(ch.child_value("title")), "Fixture Times");
  EXPECT_EQ(std::string(ch.child("atom:link").attribute("href").value()), kBase + "/feed/");
  std::vector<std::string> titles;
  for (pugi::xml_node it : ch.children("item")) {
    titles.push_back(it.child_value("title"));
    EXPECT_EQ(std::string(it.child_value("link")).rfind(kBase + "/2025/", 0), 0u)
        << it.child_value("link");
    if (titles.back().rfind("Story", 0) == 0) {  // full body, not an excerpt
      EXPECT_NE(std::string(it.child_value("content:encoded")).find("<h2"), std::string::npos);
    }
  }
  ASSERT_EQ(titles.size(), 20u);  // feed_items default
  // Newest first: the hostile story (day 61), then story 29, 28, ...
  EXPECT_EQ(titles[0], "<b>Bold</b> & \"quoted\" headline");
  EXPECT_EQ(titles[1], "Story number 29");
  EXPECT_EQ(titles[19], "Story number 11");
  pugi::xml_node s29 = ch.child("item").next_sibling("item");
  EXPECT_EQ(std::string(s29.child_value("pubDate")), "Mon, 28 Apr 2025 10:00:00 +0000");
  EXPECT_EQ(std::string(s29.child_value("dc:creator")), "Writer Three");
  std::vector<std::string> cats;
  for (pugi::xml_node c : s29.children("category")) cats.push_back(c.child_value());
  EXPECT_EQ(cats, (std::vector<std::string>{"Gamma", "Family A4", "Family B2"}));
}

TEST_F(FeedsTest, ScopedFeedsHoldOnlyTheirStories) {
  auto j = nlohmann::json::parse(Get("/author/writer-two/feed.json").body);
  EXPECT_EQ(j["version"], "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(j["feed_url"], kBase + "/author/writer-two/feed.json");
  EXPECT_EQ(j["home_page_url"], kBase + "/author/writer-two/");
  ASSERT_FALSE(j["items"].empty());
  for (const auto& item : j["items"]) {
    bool by = false;
    for (const auto& a : item["authors"]) by |= a["name"] == "Writer Two";
    EXPECT_TRUE(by) << item["title"];
  }
  pugi::xml_document atom = Xml(Get("/category/beta/feed/atom/"));
  int n = 0;
  for (pugi::xml_node e : atom.child("feed").children("entry")) {
    ++n;
    EXPECT_STREQ(e.child("category").attribute("term").value(), "Beta");
  }
  EXPECT_EQ(n, 10);  // stories 1, 4, ..., 28
}

TEST_F(FeedsTest, ConditionalGetAnswers304) {
  for (const char* path : {"/feed/", "/feed/atom/", "/feed.json", "/sitemap.xml", "/"}) {
    HttpResult first = Get(path);
    ASSERT_EQ(first.status, 200) << path;
    std::string etag = first.Header("etag");
    ASSERT_FALSE(etag.empty()) << path;
    HttpResult again = Get(path, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty()) << path;
    EXPECT_EQ(Get(path, {{"If-None-Match", "\"other\""}}).status, 200) << path;
  }
  HttpResult feed = Get("/feed/");
  std::string lm = feed.Header("last-modified");
  ASSERT_FALSE(lm.empty());
  EXPECT_EQ(Get("/feed/", {{"If-Modified-Since", lm}}).status, 304);
  EXPECT_EQ(Get("/feed/", {{"If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}}).status, 200);
}

TEST_F(FeedsTest, SitemapIndexSplitsByMonthAndListsEveryVisibleStoryOnce) {
  pugi::xml_document index = Xml(Get("/sitemap.xml"));
  std::vector<std::string> maps;
  for (pugi::xml_node s : index.child("sitemapindex").children("sitemap")) {
    maps.push_back(s.child_value("loc"));
    EXPECT_FALSE(std::string(s.child_value("lastmod")).empty());
  }
  std::set<std::string> articles;
  int article_maps = 0;
  for (const std::string& loc : maps) {
    ASSERT_EQ(loc.rfind(kBase, 0), 0u) << loc;
    HttpResult r = Get(loc.substr(kBase.size()));
    ASSERT_EQ(r.status, 200) << loc;
    EXPECT_EQ(r.Header("content-type"), "application/xml; charset=utf-8");
    EXPECT_EQ(r.body.find("LEAKED"), std::string::npos) << loc;
    EXPECT_EQ(r.body.find("secret-tag"), std::string::npos) << loc;
    EXPECT_EQ(r.body.find("hidden-writer"), std::string::npos) << loc;
    pugi::xml_document doc = Xml(r);
    for (pugi::xml_node u : doc.child("urlset").children("url")) {
      EXPECT_FALSE(std::string(u.child_value("lastmod")).empty()) << u.child_value("loc");
      if (loc.find("/articles-") != std::string::npos) {
        EXPECT_TRUE(articles.insert(u.child_value("loc")).second) << u.child_value("loc");
      }
    }
    article_maps += loc.find("/articles-") != std::string::npos;
  }
  EXPECT_EQ(articles.size(), static_cast<std::size_t>(kPublished + 1));
  EXPECT_EQ(article_maps, 3);  // March, April and May 2025
  EXPECT_TRUE(articles.count(kBase + "/2025/03/01/story-0/"));
  EXPECT_NE(std::find(maps.begin(), maps.end(), kBase + "/sitemaps/tags.xml"), maps.end());
  std::string tags = Get("/sitemaps/tags.xml").body;
  EXPECT_NE(tags.find(kBase + "/tag/family-a1/"), std::string::npos);
  std::string authors = Get("/sitemaps/authors.xml").body;
  EXPECT_NE(authors.find(kBase + "/author/writer-two/"), std::string::npos);
  EXPECT_EQ(Get("/sitemaps/articles-2031-01.xml").status, 404);
  EXPECT_EQ(Get("/sitemaps/articles-2025-13.xml").status, 404);
}

TEST_F(FeedsTest, RobotsNamesBothSitemaps) {
  HttpResult r = Get("/robots.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_NE(r.body.find("Sitemap: " + kBase + "/sitemap.xml\n"), std::string::npos);
  EXPECT_NE(r.body.find("Sitemap: " + kBase + "/news-sitemap.xml\n"), std::string::npos);
}

TEST_F(FeedsTest, PagesCarryDiscoveryOpenGraphAndJsonLd) {
  HttpResult section = Get("/category/alpha/");
  auto types = Attributes(section.body, "link", "type");
  auto hrefs = Attributes(section.body, "link", "href");
  for (const std::string& want : {kBase + "/feed/", kBase + "/feed/atom/", kBase + "/feed.json",
                                  kBase + "/category/alpha/feed/",
                                  kBase + "/category/alpha/feed.json"}) {
    EXPECT_NE(std::find(hrefs.begin(), hrefs.end(), want), hrefs.end()) << want;
  }
  EXPECT_NE(section.body.find("\"@type\":\"CollectionPage\""), std::string::npos);

  HttpResult article = Get("/2025/03/01/story-0/");
  ASSERT_EQ(article.status, 200);
  std::regex script(R"re(<script type="application/ld\+json">([^<]*)</script>)re");
  std::vector<nlohmann::json> docs;
  for (auto it = std::sregex_iterator(article.body.begin(), article.body.end(), script);
       it != std::sregex_iterator(); ++it) {
    docs.push_back(nlohmann::json::parse((*it)[1].str()));
  }
  ASSERT_EQ(docs.size(), 2u);
  const auto& news = docs[0];
  EXPECT_EQ(news["@type"], "NewsArticle");
  EXPECT_EQ(news["headline"], "Story number 0");
  EXPECT_EQ(news["datePublished"], "2025-03-01T10:00:00+00:00");
  EXPECT_EQ(news["dateModified"], "2025-03-01T13:00:00+00:00");
  ASSERT_EQ(news["author"].size(), 2u);
  EXPECT_EQ(news["author"][0]["name"], "Writer One");
  EXPECT_EQ(news["author"][0]["url"], kBase + "/author/writer-one/");
  EXPECT_EQ(news["publisher"]["@type"], "Organization");
  EXPECT_EQ(news["mainEntityOfPage"]["@id"], kBase + "/2025/03/01/story-0/");
  EXPECT_EQ(news["articleSection"], "Alpha");
  EXPECT_EQ(docs[1]["@type"], "BreadcrumbList");
  EXPECT_EQ(docs[1]["itemListElement"].size(), 3u);
  for (const char* prop : {"og:type", "og:title", "og:url", "og:image", "article:published_time",
                           "article:section", "article:tag", "article:author"}) {
    EXPECT_NE(article.body.find("<meta property=\"" + std::string(prop) + "\""),
              std::string::npos)
        << prop;
  }
  EXPECT_NE(article.body.find("<meta name=\"twitter:card\""), std::string::npos);

  // The hostile headline stays text in every head element.
  HttpResult hostile = Get("/2025/05/01/hostile/");
  ASSERT_EQ(hostile.status, 200);
  EXPECT_EQ(hostile.body.find("<b>Bold"), std::string::npos);
  EXPECT_NE(hostile.body.find("\"headline\":\"\\u003cb\\u003eBold\\u003c/b\\u003e \\u0026 "
                              "\\\"quoted\\\" headline\""),
            std::string::npos);

  HttpResult home = Get("/");
  EXPECT_NE(home.body.find("\"@type\":\"SearchAction\""), std::string::npos);
}

// A site whose stories are 1, 47 and 49 hours old by the real clock.
TEST(NewsSitemapWindow, KeepsOnlyStoriesOfTheLast48Hours) {
  TempDir dir;
  ASSERT_EQ(RunCommand({DatelineBinary(), "init", dir.path().string(), "--base-url",
                        "https://n.example"})
                .exit_code,
            0);
  long long now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  auto iso = [](long long t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf);
  };
  std::string jsonl;
  for (auto [slug, age, status] : {std::tuple{"h1", 1, "published"}, {"h47", 47, "published"},
                                   {"h49", 49, "published"}, {"draft1", 1, "draft"},
                                   {"future", -2, "scheduled"}}) {
    jsonl += nlohmann::json{{"slug", slug},
                            {"headline", std::string("News ") + slug + " & <co> বাংলা"},
                            {"body", "Text."},
                            {"status", status},
                            {"published_at", iso(now - age * 3600LL)}}
                 .dump() +
             "\n";
  }
  ASSERT_EQ(RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", dir.path().string()},
                       jsonl)
                .exit_code,
            0);
  ServerProcess server({DatelineBinary(), "serve", "--site", dir.path().string(), "--listen",
                        "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  HttpResult r = HttpGet(server.port(), "/news-sitemap.xml");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "application/xml; charset=utf-8");
  pugi::xml_document doc = Xml(r);
  std::vector<std::string> titles;
  for (pugi::xml_node u : doc.child("urlset").children("url")) {
    pugi::xml_node n = u.child("news:news");
    titles.push_back(n.child_value("news:title"));
    EXPECT_EQ(std::string(n.child("news:publication").child_value("news:language")), "en");
    EXPECT_TRUE(std::regex_match(std::string(n.child_value("news:publication_date")),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)")));
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"News h1 & <co> বাংলা", "News h47 & <co> বাংলা"}));
}

}  // namespace
}  // namespace dateline::testing
