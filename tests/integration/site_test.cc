// Whole-site tests: the real binary serves a fixture site on loopback and
// every page kind is checked over HTTP.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "fixture.h"
#include "support/html.h"
#include "support/http_client.h"
#include "support/process.h"

namespace dateline::testing {
namespace {

class SiteTest : public ::testing::Test {
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
  static HttpResult Get(const std::string& path) { return HttpGet(server_->port(), path); }
  static unsigned short port() { return server_->port(); }

  // Every story URL linked from the home page and listings.
  static std::vector<std::string> StoryUrls() {
    std::set<std::string> urls;
    for (int page = 1; page <= 4; ++page) {
      auto r = Get(page == 1 ? "/" : "/page/" + std::to_string(page) + "/");
      if (r.status != 200) break;
      for (const std::string& href : Attributes(r.body, "a", "href")) {
        if (href.rfind("/2025/", 0) == 0 && href.size() > 12) urls.insert(href);
      }
    }
    return {urls.begin(), urls.end()};
  }

  static FixtureSite* site_;
  static ServerProcess* server_;
};

FixtureSite* SiteTest::site_ = nullptr;
ServerProcess* SiteTest::server_ = nullptr;

TEST_F(SiteTest, EveryPageKindAnswers) {
  struct Case {
    const char* path;
    int status;
    const char* h1;
  } cases[] = {
      {"/", 200, "Fixture Times"},
      {"/2025/03/01/story-0/", 200, "Story number 0"},
      {"/category/alpha/", 200, "Alpha"},
      {"/tag/family-a1/", 200, "Family A1"},
      {"/author/writer-two/", 200, "Writer Two"},
      {"/2025/", 200, "2025"},
      {"/2025/03/", 200, "March 2025"},
      {"/2025/03/03/", 200, "March 3, 2025"},
      {"/page/2/", 200, "Latest news"},
      {"/no/such/page/", 404, "Page not found"},
  };
  for (const Case& c : cases) {
    HttpResult r = Get(c.path);
    EXPECT_EQ(r.status, c.status) << c.path << " " << r.error;
    EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8") << c.path;
    EXPECT_EQ(CountTags(r.body, "h1"), 1) << c.path;
    EXPECT_EQ(FirstText(r.body, "h1"), c.h1) << c.path;
    EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos) << c.path;
    for (const char* landmark : {"header", "nav", "main", "footer"}) {
      EXPECT_GE(CountTags(r.body, landmark), 1) << c.path << " lacks <" << landmark << ">";
    }
    EXPECT_FALSE(r.Header("date").empty());
  }
}

TEST_F(SiteTest, ArticleHasItsPartsInOrder) {
  HttpResult r = Get("/2025/03/01/story-0/");
  ASSERT_EQ(r.status, 200);
  const std::string& b = r.body;
  std::size_t time = b.find("March 1, 2025 10:00 am");
  std::size_t section = b.find("href=\"/category/alpha/\">Alpha</a>");
  std::size_t h1 = b.find("<h1>Story number 0</h1>");
  std::size_t byline = b.find("href=\"/author/writer-one/\">Writer One</a>");
  std::size_t dateline = b.find("TOWN 0");
  std::size_t subhead = b.find("<h2>What happened</h2>");
  std::size_t news = b.find("id=\"related-news\"");
  std::size_t posts = b.find("id=\"related-posts\"");
  std::size_t more = b.find("id=\"more-news\"");
  for (std::size_t pos : {time, section, h1, byline, dateline, subhead, news, posts, more}) {
    ASSERT_NE(pos, std::string::npos);
  }
  EXPECT_LT(time, h1);
  EXPECT_LT(section, h1);
  EXPECT_LT(h1, byline);
  EXPECT_LT(byline, subhead);
  EXPECT_LT(subhead, news);
  EXPECT_LT(news, posts);
  EXPECT_LT(posts, more);
  // story-0 has two authors and was updated three hours after publishing.
  EXPECT_NE(b.find("href=\"/author/writer-two/\">Writer Two</a>"), std::string::npos);
  EXPECT_NE(b.find("Updated <time datetime=\"2025-03-01T13:00:00+00:00\">"), std::string::npos);
  EXPECT_EQ(Get("/2025/03/03/story-1/").body.find("Updated"), std::string::npos);
}

TEST_F(SiteTest, ThreeBlocksAreFullAndNeverRepeatAStory) {
  std::vector<std::string> urls = StoryUrls();
  ASSERT_GE(urls.size(), 25u);
  for (const std::string& url : urls) {
    HttpResult r = Get(url);
    ASSERT_EQ(r.status, 200) << url;
    BlockItems news = InspectBlock(r.body, "related-news");
    BlockItems posts = InspectBlock(r.body, "related-posts");
    BlockItems more = InspectBlock(r.body, "more-news");
    EXPECT_EQ(news.tag, "section") << url;
    EXPECT_EQ(posts.tag, "section") << url;
    EXPECT_EQ(more.tag, "section") << url;
    EXPECT_EQ(news.articles, 6) << url;
    EXPECT_EQ(posts.articles, 6) << url;
    EXPECT_EQ(more.articles, 10) << url;
    std::set<std::string> seen = {url};
    for (const auto* block : {&news, &posts, &more}) {
      EXPECT_EQ(block->heading_links.size(), static_cast<std::size_t>(block->articles)) << url;
      for (const std::string& link : block->heading_links) {
        EXPECT_TRUE(seen.insert(link).second) << url << " repeats " << link;
      }
    }
  }
}

TEST_F(SiteTest, RelatedBlocksFollowTheirRules) {
  // story-3 is in alpha (3 % 3 == 0): Related News holds alpha stories only.
  HttpResult r = Get("/2025/03/07/story-3/");
  ASSERT_EQ(r.status, 200);
  for (const std::string& link : InspectBlock(r.body, "related-news").heading_links) {
    HttpResult other = Get(link);
    EXPECT_NE(other.body.find("class=\"section-label\" href=\"/category/alpha/\""),
              std::string::npos)
        << link;
  }
  // Related Posts share a tag with story-3 (Family A3 or Family B0).
  for (const std::string& link : InspectBlock(r.body, "related-posts").heading_links) {
    HttpResult other = Get(link);
    bool shares = other.body.find("/tag/family-a3/") != std::string::npos ||
                  other.body.find("/tag/family-b0/") != std::string::npos;
    EXPECT_TRUE(shares) << link;
  }
}

TEST_F(SiteTest, HiddenStoriesAppearNowhere) {
  std::vector<std::string> pages = {"/", "/page/2/", "/page/3/", "/page/4/", "/category/alpha/",
                                    "/category/alpha/page/2/", "/category/beta/",
                                    "/category/gamma/", "/tag/family-a1/", "/tag/family-b1/",
                                    "/author/writer-one/", "/2025/", "/2025/03/",
                                    "/2025/03/10/", "/2025/03/11/", "/no-such-page/"};
  for (const std::string& url : StoryUrls()) pages.push_back(url);
  for (const std::string& p : pages) {
    HttpResult r = Get(p);
    EXPECT_EQ(r.body.find("LEAKED"), std::string::npos) << p;
    EXPECT_EQ(r.body.find("SOON"), std::string::npos) << p;
  }
  for (const char* p : {"/2025/03/10/leaked-draft/", "/2025/03/11/leaked-review/",
                        "/2099/01/01/leaked-future/", "/2099/02/01/leaked-scheduled/",
                        "/tag/secret-tag/", "/author/hidden-writer/", "/2099/", "/2099/01/"}) {
    EXPECT_EQ(Get(p).status, 404) << p;
  }
  // Counts see only visible stories: alpha holds 10 visible + hostile = 11.
  HttpResult alpha = Get("/category/alpha/");
  EXPECT_NE(alpha.body.find("11 stories"), std::string::npos);
  // The day of the draft has no visible story at all.
  EXPECT_EQ(Get("/2025/03/10/").status, 404);
}

TEST_F(SiteTest, PaginationEdges) {
  // 31 visible stories, 10 per page: /page/4/ has 1, /page/5/ does not exist.
  HttpResult p4 = Get("/page/4/");
  ASSERT_EQ(p4.status, 200);
  EXPECT_EQ(CountTags(p4.body, "article"), 1);
  EXPECT_NE(p4.body.find("rel=\"prev\" href=\"http://127.0.0.1:1/page/3/\""), std::string::npos);
  EXPECT_EQ(p4.body.find("rel=\"next\""), std::string::npos);
  EXPECT_EQ(Get("/page/5/").status, 404);
  EXPECT_EQ(Get("/page/0/").status, 404);
  EXPECT_EQ(Get("/page/abc/").status, 404);
  EXPECT_EQ(Get("/page/99999999999/").status, 404);
  HttpResult one = Get("/category/alpha/page/1/");
  EXPECT_EQ(one.status, 301);
  EXPECT_EQ(one.Header("location"), "/category/alpha/");
  HttpResult a2 = Get("/category/alpha/page/2/");
  ASSERT_EQ(a2.status, 200);
  EXPECT_EQ(InspectBlock(a2.body, "main").articles, 1);
  EXPECT_NE(a2.body.find("rel=\"prev\" href=\"/category/alpha/\""), std::string::npos);
  EXPECT_EQ(Get("/category/alpha/page/3/").status, 404);
  HttpResult a1 = Get("/category/alpha/");
  EXPECT_EQ(InspectBlock(a1.body, "main").articles, 10);
  EXPECT_NE(a1.body.find("rel=\"next\" href=\"/category/alpha/page/2/\""), std::string::npos);
}

TEST_F(SiteTest, ListingsShowHeadlineTimeAndExcerpt) {
  HttpResult r = Get("/tag/family-a2/");
  ASSERT_EQ(r.status, 200);
  // story-27 is the newest with Family A2; its excerpt is cut at 55 words.
  EXPECT_NE(r.body.find("Story number 27"), std::string::npos);
  EXPECT_NE(r.body.find("<time datetime=\"2025-04-24T10:00:00+00:00\">April 24, 2025 10:00 am"),
            std::string::npos);
  EXPECT_NE(r.body.find("<span class=\"dateline\">TOWN 27</span> – Opening paragraph of story 27"),
            std::string::npos);
  EXPECT_NE(r.body.find(" […]</p>"), std::string::npos);
  // No fused words where a paragraph ended and a heading began.
  EXPECT_NE(r.body.find("every reader. What happened Sentence 0"), std::string::npos);
}

TEST_F(SiteTest, HostileContentIsNeutralised) {
  HttpResult r = Get("/2025/05/01/hostile/");
  ASSERT_EQ(r.status, 200);
  std::string lower = r.body;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The only scripts allowed are the page's own JSON-LD data blocks.
  const std::string json_ld = "<script type=\"application/ld+json\">";
  for (std::size_t at; (at = lower.find(json_ld)) != std::string::npos;) {
    lower.erase(at, lower.find("</script>", at) + 9 - at);
  }
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("onerror"), std::string::npos);
  EXPECT_EQ(lower.find("javascript:"), std::string::npos);
  EXPECT_NE(r.body.find("<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; headline</h1>"),
            std::string::npos);
  // The headline is escaped in every list it appears in, too.
  HttpResult home = Get("/");
  EXPECT_EQ(home.body.find("<b>Bold</b>"), std::string::npos);
}

TEST_F(SiteTest, RedirectsToCanonicalUrls) {
  HttpResult slash = Get("/category/alpha");
  EXPECT_EQ(slash.status, 301);
  EXPECT_EQ(slash.Header("location"), "/category/alpha/");
  HttpResult wrong_date = Get("/2024/01/01/story-0/");
  EXPECT_EQ(wrong_date.status, 301);
  EXPECT_EQ(wrong_date.Header("location"), "/2025/03/01/story-0/");
  EXPECT_EQ(Get("/2025/02/30/").status, 404);
  EXPECT_EQ(Get("/2025/13/").status, 404);
}

TEST_F(SiteTest, StoriesInOtherLanguagesCarryTheirLang) {
  HttpResult r = Get("/2025/04/28/story-29/");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(r.body.find("<article class=\"story\" lang=\"bn\">"), std::string::npos);
  // In lists too, and only on that story.
  HttpResult list = Get("/category/gamma/");
  EXPECT_NE(list.body.find("lang=\"bn\">\n  <p class=\"kicker\">"), std::string::npos);
  std::size_t first = list.body.find("lang=\"bn\"");
  EXPECT_EQ(list.body.find("lang=\"bn\"", first + 1), std::string::npos);
}

TEST_F(SiteTest, HeadMatchesGetWithoutBody) {
  HttpResult get = Get("/2025/03/01/story-0/");
  HttpResult head = HttpRequest(port(), "HEAD", "/2025/03/01/story-0/");
  ASSERT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("content-type"), get.Header("content-type"));
}

TEST_F(SiteTest, MalformedAndUnsupportedRequests) {
  std::string garbage = RawExchange(port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(garbage.rfind("HTTP/1.1 400", 0), 0u) << garbage;
  std::string bad_version = RawExchange(port(), "GET / HTTP/9.9\r\nHost: x\r\n\r\n");
  EXPECT_EQ(bad_version.rfind("HTTP/1.1 400", 0), 0u) << bad_version;
  std::string huge_header =
      RawExchange(port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
                              "\r\n\r\n");
  EXPECT_EQ(huge_header.rfind("HTTP/1.1 431", 0), 0u) << huge_header.substr(0, 80);
  HttpResult post = HttpRequest(port(), "POST", "/");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");
  EXPECT_NE(Get("/media/../dateline.toml").status, 200);
  int dotdot = Get("/media/%2e%2e/dateline.toml").status;
  EXPECT_TRUE(dotdot == 400 || dotdot == 404) << dotdot;
  EXPECT_EQ(Get("/media/nothing.svg").status, 404);
  // The server is still healthy after all of that.
  EXPECT_EQ(Get("/").status, 200);
}

TEST_F(SiteTest, AssetsAreHashedAndCachedForAYear) {
  HttpResult home = Get("/");
  std::string css;
  for (const std::string& href : Attributes(home.body, "link", "href")) {
    if (href.rfind("/assets/style.", 0) == 0) css = href;
  }
  ASSERT_FALSE(css.empty());
  HttpResult r = Get(css);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_NE(r.Header("cache-control").find("max-age=31536000"), std::string::npos);
  EXPECT_NE(r.Header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(Get("/assets/style.00000000.css").status, 404);
}

TEST_F(SiteTest, ImagesHaveAltText) {
  for (const char* p : {"/", "/2025/03/01/story-0/", "/category/alpha/"}) {
    HttpResult r = Get(p);
    auto imgs = Attributes(r.body, "img", "src");
    auto alts = Attributes(r.body, "img", "alt");
    ASSERT_EQ(imgs.size(), alts.size());
  }
  // No external resources: every src/href of link/script/img is local.
  HttpResult home = Get("/");
  for (const char* tag : {"script", "img", "link"}) {
    for (const char* attr : {"src", "href"}) {
      for (const std::string& v : Attributes(home.body, tag, attr)) {
        if (v.empty() || (std::string(tag) == "link" && v.rfind("http://127.0.0.1:1/", 0) == 0)) {
          continue;
        }
        EXPECT_EQ(v.front(), '/') << tag << " " << v;
      }
    }
  }
}

// The content="..." of <meta property|name="key"> in a page's head, or "".
std::string MetaContent(const std::string& html, const std::string& attr, const std::string& key) {
  std::smatch m;
  std::regex re("<meta " + attr + "=\"" + key + "\" content=\"([^\"]*)\">");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

// The page's first JSON-LD document of `type`.
nlohmann::json JsonLdOfType(const std::string& html, const std::string& type) {
  std::regex script(R"re(<script type="application/ld\+json">([^<]*)</script>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), script);
       it != std::sregex_iterator(); ++it) {
    nlohmann::json doc = nlohmann::json::parse((*it)[1].str(), nullptr, false);
    if (doc.is_object() && doc.value("@type", "") == type) return doc;
  }
  return nullptr;
}

// A story's SEO title and description (imported in the bulk format) take
// over the head: <title>, meta description, Open Graph and Twitter; the
// page's <h1> and JSON-LD's headline stay the headline. Without them the
// head uses the headline and the dek.
TEST(SeoFields, TakeOverTheHeadButNotTheHeadline) {
  TempDir dir;
  std::string site = (dir.path() / "site").string();
  auto init = RunCommand({DatelineBinary(), "init", site, "--name", "SEO Times", "--base-url",
                          "http://127.0.0.1:1"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::string lines =
      R"({"slug":"harbour-reopens","headline":"Harbour reopens","dek":"The dek readers see.",)"
      R"("body":"Ships are back.","published_at":"2025-05-06T04:05:00Z",)"
      R"("seo_title":"Harbour reopens after 3 weeks & \"at last\"",)"
      R"("seo_description":"Ships & ferries are back <today>."})"
      "\n"
      R"({"slug":"plain-story","headline":"Plain story","dek":"A plain dek.",)"
      R"("body":"Nothing special.","published_at":"2025-05-06T05:00:00Z"})"
      "\n";
  auto imp = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", site}, lines);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  ServerProcess server({DatelineBinary(), "serve", "--site", site, "--listen", "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();

  HttpResult r = HttpGet(server.port(), "/2025/05/06/harbour-reopens/");
  ASSERT_EQ(r.status, 200) << r.error;
  const std::string& b = r.body;
  EXPECT_EQ(FirstText(b, "title"), "Harbour reopens after 3 weeks & \"at last\"");
  EXPECT_NE(b.find("<title>Harbour reopens after 3 weeks &amp; &quot;at last&quot;</title>"),
            std::string::npos);
  EXPECT_EQ(FirstText(b, "h1"), "Harbour reopens");
  const std::string seo_title = "Harbour reopens after 3 weeks &amp; &quot;at last&quot;";
  const std::string seo_description = "Ships &amp; ferries are back &lt;today&gt;.";
  EXPECT_EQ(MetaContent(b, "name", "description"), seo_description);
  EXPECT_EQ(MetaContent(b, "property", "og:title"), seo_title);
  EXPECT_EQ(MetaContent(b, "property", "og:description"), seo_description);
  EXPECT_EQ(MetaContent(b, "name", "twitter:title"), seo_title);
  EXPECT_EQ(MetaContent(b, "name", "twitter:description"), seo_description);
  EXPECT_EQ(b.find("The dek readers see.\">"), std::string::npos) << "the dek left the head";
  EXPECT_NE(b.find("The dek readers see."), std::string::npos) << "but stays on the page";
  nlohmann::json news = JsonLdOfType(b, "NewsArticle");
  ASSERT_TRUE(news.is_object()) << b;
  EXPECT_EQ(news["headline"], "Harbour reopens");
  EXPECT_EQ(news["description"], "Ships & ferries are back <today>.");
  nlohmann::json crumbs = JsonLdOfType(b, "BreadcrumbList");
  ASSERT_TRUE(crumbs.is_object());
  EXPECT_EQ(crumbs["itemListElement"].back()["name"], "Harbour reopens");
  // Lists show the headline, not the SEO title.
  HttpResult home = HttpGet(server.port(), "/");
  ASSERT_EQ(home.status, 200);
  EXPECT_EQ(home.body.find("at last"), std::string::npos);

  HttpResult plain = HttpGet(server.port(), "/2025/05/06/plain-story/");
  ASSERT_EQ(plain.status, 200) << plain.error;
  EXPECT_EQ(FirstText(plain.body, "title"), "Plain story – SEO Times");
  EXPECT_EQ(MetaContent(plain.body, "name", "description"), "A plain dek.");
  EXPECT_EQ(MetaContent(plain.body, "property", "og:title"), "Plain story");
  EXPECT_EQ(MetaContent(plain.body, "property", "og:description"), "A plain dek.");
  EXPECT_EQ(MetaContent(plain.body, "name", "twitter:title"), "Plain story");
}

TEST(ScheduledStory, GoesLiveWithoutARestart) {
  FixtureSite site(/*soon_seconds=*/3);
  ASSERT_TRUE(site.ok()) << site.error();
  ServerProcess server({DatelineBinary(), "serve", "--site", site.dir(), "--listen",
                        "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  HttpResult before = HttpGet(server.port(), "/category/beta/");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body.find("SOON headline"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  HttpResult after = HttpGet(server.port(), "/category/beta/");
  EXPECT_NE(after.body.find("SOON headline"), std::string::npos);
  EXPECT_NE(HttpGet(server.port(), "/").body.find("SOON headline"), std::string::npos);
}

TEST(ServerLifecycle, StopsCleanlyOnSigterm) {
  FixtureSite site;
  ASSERT_TRUE(site.ok()) << site.error();
  ServerProcess server({DatelineBinary(), "serve", "--site", site.dir(), "--listen",
                        "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  EXPECT_EQ(HttpGet(server.port(), "/").status, 200);
  EXPECT_EQ(server.Stop(), 0);
  // One access-log line per request: method, path, status, bytes, microseconds.
  std::string log = server.Stderr();
  EXPECT_NE(log.find("GET / 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("us"), std::string::npos) << log;
}

}  // namespace
}  // namespace dateline::testing
