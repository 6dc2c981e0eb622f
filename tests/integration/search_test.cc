// Search and Related News over HTTP: the real binary, its index following
// the store, and the search page and API readers use.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/html.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dateline::testing {
namespace {

using nlohmann::json;

std::string Story(const std::string& slug, const std::string& headline, const std::string& body,
                  const std::string& section, const std::string& when,
                  const std::string& status = "published", json extra = json::object()) {
  json j = {{"slug", slug},       {"headline", headline}, {"body", body},
            {"section", section}, {"status", status},     {"published_at", when}};
  for (auto& [k, v] : extra.items()) j[k] = v;
  return j.dump() + "\n";
}

std::string Corpus() {
  std::string s;
  s += Story("tram-line-approved", "Council approves the harbour tram line",
             "The city council approved a tram line along the harbour. Tram construction starts "
             "in spring and the tramway will carry commuters to the port.",
             "politics", "2026-10-01T09:00:00Z", "published",
             {{"related_pins", {"cup-final-draw"}}, {"tags", {"Transport"}}});
  s += Story("tram-fares-rise", "Tram fares to rise next year",
             "Fares on the city tram network will rise next year, the council said, to pay for "
             "the new harbour tram line and its commuters.",
             "politics", "2026-10-05T09:00:00Z", "published", {{"tags", {"Transport"}}});
  s += Story("tram-depot-opens", "New tram depot opens at the port",
             "A depot for the harbour tram line opened at the port, where the trams will be "
             "serviced. Commuters should see the first trams in spring.",
             "business", "2026-10-09T09:00:00Z");
  s += Story("cup-final-draw", "Cup final ends in a draw at the stadium",
             "United and Rovers drew the cup final at the stadium; the replay is next week and "
             "tickets go on sale on Monday.",
             "sport", "2026-10-03T19:00:00Z");
  s += Story("cup-replay-tickets", "Replay tickets sell out in an hour",
             "Tickets for the cup final replay at the stadium sold out within an hour as United "
             "and Rovers fans queued overnight.",
             "sport", "2026-10-06T19:00:00Z");
  s += Story("drought-delta", "Drought grips the delta farms",
             "A long drought has dried the delta farms, and farmers are rationing water while "
             "the river falls to a record low.",
             "science", "2026-10-02T08:00:00Z");
  s += Story("rain-ends-drought", "Rain ends the delta drought",
             "Heavy rain fell across the delta, ending the drought; farmers and the river "
             "recovered within a week.",
             "science", "2026-10-08T08:00:00Z");
  s += Story("hidden-draft", "Zebrafish draft headline",
             "A draft about zebrafish that readers must never find.", "science",
             "2026-10-04T08:00:00Z", "draft");
  s += Story("hidden-future", "Zebrafish future headline",
             "A story about zebrafish dated far in the future.", "science",
             "2099-01-01T08:00:00Z", "published");
  return s;
}

class SearchSite {
 public:
  SearchSite() {
    RunCommand({DatelineBinary(), "init", dir(), "--base-url", "http://127.0.0.1:1"});
    auto r = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", dir()}, Corpus());
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  std::string dir() const { return dir_.path().string(); }
  std::unique_ptr<ServerProcess> Serve() const {
    auto s = std::make_unique<ServerProcess>(std::vector<std::string>{
        DatelineBinary(), "serve", "--site", dir(), "--listen", "127.0.0.1:0"});
    EXPECT_NE(s->port(), 0) << s->error();
    return s;
  }
  int Import(const std::string& jsonl) const {
    return RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", dir()}, jsonl).exit_code;
  }

 private:
  TempDir dir_;
};

json Api(unsigned short port, const std::string& query) {
  HttpResult r = HttpGet(port, "/api/search?" + query);
  json j = json::parse(r.body, nullptr, false);
  j["_status"] = r.status;
  return j;
}

std::vector<std::string> Urls(const json& api) {
  std::vector<std::string> out;
  for (const auto& r : api["results"]) out.push_back(r["url"]);
  return out;
}

// Polls until `pred` holds or `seconds` pass; returns whether it held.
template <typename F>
bool Eventually(F pred, double seconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

TEST(Search, PageFindsHighlightsAndEveryPageHasTheBox) {
  SearchSite site;
  auto server = site.Serve();
  HttpResult r = HttpGet(server->port(), "/search/?q=tram");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(FirstText(r.body, "h1"), "Search");
  EXPECT_EQ(InspectBlock(r.body, "main").articles, 3);
  EXPECT_NE(r.body.find("<mark>tram</mark>"), std::string::npos);
  EXPECT_NE(r.body.find("noindex"), std::string::npos);
  for (const char* p : {"/", "/category/sport/", "/2026/10/01/tram-line-approved/"}) {
    HttpResult page = HttpGet(server->port(), p);
    EXPECT_NE(page.body.find("role=\"search\""), std::string::npos) << p;
    EXPECT_NE(page.body.find("<label for=\"site-search\">"), std::string::npos) << p;
  }
  // /search without the slash answers too.
  EXPECT_EQ(HttpGet(server->port(), "/search?q=tram").status, 200);
}

TEST(Search, HiddenStoriesAreNeverFound) {
  SearchSite site;
  auto server = site.Serve();
  json j = Api(server->port(), "q=zebrafish");
  EXPECT_EQ(j["_status"], 200);
  EXPECT_EQ(j["total"], 0);
  EXPECT_EQ(HttpGet(server->port(), "/search/?q=zebrafish").body.find("Zebrafish"),
            std::string::npos);
}

TEST(Search, FriendlyAnswersForUnusableQueries) {
  SearchSite site;
  auto server = site.Serve();
  for (const std::string& q :
       std::vector<std::string>{"", "q=", "q=AND", "q=%22unclosed+AND",
                                "q=" + std::string(300, 'a'), "q=tram&from=yesterday"}) {
    HttpResult page = HttpGet(server->port(), "/search/?" + q);
    EXPECT_EQ(page.status, 200) << q;
    EXPECT_NE(page.body.find("class=\"search-message\""), std::string::npos) << q;
    json api = Api(server->port(), q);
    EXPECT_TRUE(api["_status"] == 200 || api["_status"] == 400) << q;
    EXPECT_TRUE(api.contains("message")) << q;
  }
  EXPECT_EQ(Api(server->port(), "q=")["_status"], 400);
  EXPECT_EQ(Api(server->port(), "q=" + std::string(300, 'a'))["_status"], 400);
}

TEST(Search, ApiFiltersSortsAndSuggests) {
  SearchSite site;
  auto server = site.Serve();
  json all = Api(server->port(), "q=tram");
  EXPECT_EQ(all["total"], 3);
  json politics = Api(server->port(), "q=tram&section=politics");
  EXPECT_EQ(politics["total"], 2);
  json newest = Api(server->port(), "q=tram&sort=newest");
  EXPECT_EQ(Urls(newest).front(), "http://127.0.0.1:1/2026/10/09/tram-depot-opens/");
  json tagged = Api(server->port(), "tag=transport&sort=newest");
  EXPECT_EQ(Urls(tagged), (std::vector<std::string>{
                              "http://127.0.0.1:1/2026/10/05/tram-fares-rise/",
                              "http://127.0.0.1:1/2026/10/01/tram-line-approved/"}));
  json dated = Api(server->port(), "q=drought&from=2026-10-07&to=2026-10-08");
  EXPECT_EQ(Urls(dated), std::vector<std::string>{"http://127.0.0.1:1/2026/10/08/rain-ends-drought/"});
  json phrase = Api(server->port(), "q=%22cup+final+replay%22");
  EXPECT_EQ(phrase["total"], 1);
  json negated = Api(server->port(), "q=tram+-fares");
  EXPECT_EQ(negated["total"], 2);
  json prefix = Api(server->port(), "q=tramw*");
  EXPECT_EQ(prefix["total"], 1);
  json typo = Api(server->port(), "q=drougth");
  EXPECT_EQ(typo["total"], 0);
  EXPECT_EQ(typo["suggestion"], "drought");
  HttpResult page = HttpGet(server->port(), "/search/?q=drougth");
  EXPECT_NE(page.body.find("Did you mean <a href=\"/search/?q=drought\">drought</a>"),
            std::string::npos);
}

TEST(Search, PublishingAndUnpublishingShowWithinASecond) {
  SearchSite site;
  auto server = site.Serve();
  ASSERT_EQ(site.Import(Story("ferry-strike", "Ferry crews strike over pay",
                              "Ferry crews walked out over pay; the quokka ferry is idle.",
                              "business", "2026-10-10T09:00:00Z")),
            0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(Eventually([&] { return Api(server->port(), "q=quokka")["total"] == 1; }, 1.5));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 1.5);
  // Unpublished: gone from search within a second too.
  ASSERT_EQ(site.Import(Story("ferry-strike", "Ferry crews strike over pay",
                              "Ferry crews walked out over pay; the quokka ferry is idle.",
                              "business", "2026-10-10T09:00:00Z", "draft")),
            0);
  EXPECT_TRUE(Eventually([&] { return Api(server->port(), "q=quokka")["total"] == 0; }, 1.5));
}

TEST(Search, CatchesUpAfterARestartAndRebuildsAMissingIndex) {
  SearchSite site;
  {
    auto server = site.Serve();
    EXPECT_EQ(Api(server->port(), "q=tram")["total"], 3);
  }
  // Written while no server runs: found as soon as the next one answers.
  ASSERT_EQ(site.Import(Story("tram-strike", "Tram drivers plan a strike",
                              "Tram drivers plan a strike over rotas.", "business",
                              "2026-10-11T09:00:00Z")),
            0);
  {
    auto server = site.Serve();
    EXPECT_EQ(Api(server->port(), "q=tram")["total"], 4);
  }
  std::filesystem::remove_all(site.dir() + "/search");
  {
    auto server = site.Serve();
    EXPECT_EQ(Api(server->port(), "q=tram")["total"], 4);
    EXPECT_EQ(Api(server->port(), "q=zebrafish")["total"], 0);
  }
}

TEST(Search, ReindexGivesWhatIncrementalIndexingGave) {
  SearchSite site;
  std::vector<json> before;
  std::vector<std::string> related_before;
  const std::vector<std::string> queries = {"q=tram", "q=cup+final", "q=drought+OR+rain",
                                            "q=tram&sort=newest"};
  const std::vector<std::string> pages = {"/2026/10/01/tram-line-approved/",
                                          "/2026/10/03/cup-final-draw/",
                                          "/2026/10/02/drought-delta/"};
  {
    auto server = site.Serve();
    for (const auto& q : queries) before.push_back(Urls(Api(server->port(), q)));
    for (const auto& p : pages) {
      auto links = InspectBlock(HttpGet(server->port(), p).body, "related-news").heading_links;
      for (const auto& l : links) related_before.push_back(l);
    }
  }
  auto r = RunCommand({DatelineBinary(), "reindex", "--site", site.dir()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reindexed 7 stories"), std::string::npos) << r.out;
  auto server = site.Serve();
  for (std::size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(json(Urls(Api(server->port(), queries[i]))), before[i]) << queries[i];
  }
  std::vector<std::string> related_after;
  for (const auto& p : pages) {
    auto links = InspectBlock(HttpGet(server->port(), p).body, "related-news").heading_links;
    for (const auto& l : links) related_after.push_back(l);
  }
  EXPECT_EQ(related_after, related_before);
}

TEST(Search, AFirstIndexOfManyStoriesIsLoadedInBulkAndHidesWhatItShould) {
  // Enough stories for the search index's bulk load (shards written on
  // every core, merged at the commit), with drafts and future stories
  // among them: the first server indexes what readers may see, and only
  // that, as `reindex` does.
  const char* topics[] = {"tram harbour council line commuters", "cup final stadium replay tickets",
                          "drought delta farmers river water"};
  std::string corpus;
  int visible_trams = 0;
  for (int i = 1; i <= 600; ++i) {
    const bool draft = i % 10 == 0, future = i % 25 == 5;
    const std::string topic = topics[i % 3];
    const std::string slug = std::string(draft || future ? "hidden-" : "story-") + std::to_string(i);
    char when[32];
    std::snprintf(when, sizeof when, "%s-%02d-%02dT%02d:00:00Z", future ? "2099" : "2026", 1 + i % 12,
                  1 + i % 28, i % 24);
    corpus += Story(slug, "Report " + std::to_string(i) + " on the " + topic.substr(0, topic.find(' ')),
                    "Report number " + std::to_string(i) + " about " + topic + (draft || future ? " zebrafish" : "") +
                        ". The " + topic + " story goes on.",
                    "news", when, draft ? "draft" : "published");
    if (i % 3 == 0 && !draft && !future) ++visible_trams;
  }
  TempDir dir;
  RunCommand({DatelineBinary(), "init", dir.path().string(), "--base-url", "http://127.0.0.1:1"});
  ASSERT_EQ(RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", dir.path().string()}, corpus).exit_code, 0);
  const std::vector<std::string> queries = {"q=harbour", "q=zebrafish", "q=stadium+OR+drought",
                                            "q=report&sort=newest"};
  std::vector<json> first;
  auto check = [&](unsigned short port) {
    EXPECT_EQ(Api(port, "q=harbour")["total"], visible_trams);
    EXPECT_EQ(Api(port, "q=zebrafish")["total"], 0);
    HttpResult page = HttpGet(port, "/2026/04/04/story-3/");
    ASSERT_EQ(page.status, 200);
    auto links = InspectBlock(page.body, "related-news").heading_links;
    EXPECT_EQ(links.size(), 6u);
    for (const auto& l : links) EXPECT_EQ(l.find("hidden-"), std::string::npos) << l;
  };
  {
    ServerProcess server({DatelineBinary(), "serve", "--site", dir.path().string(), "--listen", "127.0.0.1:0"});
    ASSERT_NE(server.port(), 0) << server.error();
    check(server.port());
    for (const auto& q : queries) first.push_back(Urls(Api(server.port(), q)));
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "search.bulk"));
  auto r = RunCommand({DatelineBinary(), "reindex", "--site", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ServerProcess server({DatelineBinary(), "serve", "--site", dir.path().string(), "--listen", "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  check(server.port());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(json(Urls(Api(server.port(), queries[i]))), first[i]) << queries[i];
  }
}

TEST(Search, ReindexRefusesWhileAServerHoldsTheIndex) {
  SearchSite site;
  auto server = site.Serve();
  auto r = RunCommand({DatelineBinary(), "reindex", "--site", site.dir()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("another dateline process"), std::string::npos) << r.err;
  EXPECT_EQ(Api(server->port(), "q=tram")["total"], 3);  // untouched
}

TEST(RelatedNews, PinsFirstThenStoriesAboutTheSameThing) {
  SearchSite site;
  auto server = site.Serve();
  HttpResult r = HttpGet(server->port(), "/2026/10/01/tram-line-approved/");
  ASSERT_EQ(r.status, 200);
  auto links = InspectBlock(r.body, "related-news").heading_links;
  ASSERT_GE(links.size(), 3u);
  EXPECT_EQ(links[0], "/2026/10/03/cup-final-draw/");  // the editor's pin
  // Then the two other tram stories, whatever their section.
  std::vector<std::string> next(links.begin() + 1, links.begin() + 3);
  std::sort(next.begin(), next.end());
  EXPECT_EQ(next, (std::vector<std::string>{"/2026/10/05/tram-fares-rise/",
                                            "/2026/10/09/tram-depot-opens/"}));
  for (const auto& l : links) {
    EXPECT_EQ(l.find("hidden"), std::string::npos);
    EXPECT_NE(l, "/2026/10/01/tram-line-approved/");
  }
  // A story whose only neighbours are hidden lists no hidden story either.
  HttpResult drought = HttpGet(server->port(), "/2026/10/02/drought-delta/");
  auto dl = InspectBlock(drought.body, "related-news").heading_links;
  ASSERT_FALSE(dl.empty());
  EXPECT_EQ(dl[0], "/2026/10/08/rain-ends-drought/");
}

TEST(RenderCache, EditsAndNewStoriesShowWithinASecondOrSo) {
  SearchSite site;
  auto server = site.Serve();
  const std::string page = "/2026/10/05/tram-fares-rise/";
  HttpResult first = HttpGet(server->port(), page);
  ASSERT_EQ(first.status, 200);
  HttpResult second = HttpGet(server->port(), page);  // now from the cache
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("etag"), first.Header("etag"));
  // Pages that list the story are in the cache too before it changes: its
  // section and a story whose Related News shows it.
  const std::string lister = "/2026/10/01/tram-line-approved/";
  for (const std::string& path : {std::string("/category/politics/"), lister}) {
    HttpResult before = HttpGet(server->port(), path);
    ASSERT_EQ(before.status, 200);
    EXPECT_NE(before.body.find("Tram fares to rise next year"), std::string::npos) << path;
    EXPECT_EQ(HttpGet(server->port(), path).Header("etag"), before.Header("etag"));
  }
  // An edit re-renders the story's page...
  ASSERT_EQ(site.Import(Story("tram-fares-rise", "Tram fares to rise by a tenth",
                              "Fares on the city tram network will rise by a tenth next year.",
                              "politics", "2026-10-05T09:00:00Z", "published",
                              {{"tags", {"Transport"}}})),
            0);
  EXPECT_TRUE(Eventually(
      [&] {
        return HttpGet(server->port(), page).body.find("Tram fares to rise by a tenth") !=
               std::string::npos;
      },
      2.0));
  // ...and the lists that show it, cached ones included.
  for (const std::string& path : {std::string("/category/politics/"), lister}) {
    EXPECT_TRUE(Eventually(
        [&] { return HttpGet(server->port(), path).body.find("by a tenth") != std::string::npos; },
        2.0))
        << path;
  }
  // A new story reaches the home page.
  ASSERT_EQ(site.Import(Story("night-trams", "Night trams start on Friday",
                              "Trams will run all night at weekends.", "politics",
                              "2026-10-12T09:00:00Z")),
            0);
  EXPECT_TRUE(Eventually(
      [&] {
        return HttpGet(server->port(), "/").body.find("Night trams start on Friday") !=
               std::string::npos;
      },
      2.0));
}

TEST(RenderCache, CompressedVariantsConditionalGetAndHead) {
  SearchSite site;
  auto server = site.Serve();
  const std::string page = "/2026/10/01/tram-line-approved/";
  HttpResult plain = HttpGet(server->port(), page);
  HttpResult gz = HttpRequest(server->port(), "GET", page, {{"Accept-Encoding", "gzip"}});
  HttpResult br = HttpRequest(server->port(), "GET", page, {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(br.Header("content-encoding"), "br");
  EXPECT_EQ(plain.Header("content-encoding"), "");
  EXPECT_EQ(gz.Header("vary"), "Accept-Encoding");
  EXPECT_LT(br.body.size(), plain.body.size() / 2);
  EXPECT_NE(plain.Header("cache-control").find("s-maxage="), std::string::npos);
  EXPECT_NE(plain.Header("cache-control").find("stale-while-revalidate="), std::string::npos);
  HttpResult again = HttpRequest(server->port(), "GET", page,
                                 {{"If-None-Match", plain.Header("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  HttpResult head = HttpRequest(server->port(), "HEAD", page);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), std::to_string(plain.body.size()));
  HttpResult feed = HttpRequest(server->port(), "GET", "/feed/", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(feed.Header("content-encoding"), "gzip");
}

}  // namespace
}  // namespace dateline::testing
