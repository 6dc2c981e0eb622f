#include "render/sitemaps.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "hostile.h"

namespace dateline {
namespace {

constexpr Seconds kNow = 1746504300;  // 2025-05-06T04:05:00Z

NewsSitemapItem Story(int id, Seconds published) {
  return {"https://news.example/s/" + std::to_string(id) + "/", "Story " + std::to_string(id),
          published, "t" + std::to_string(published), "en"};
}

std::vector<std::string> Locs(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  std::vector<std::string> out;
  for (pugi::xml_node u : doc.child("urlset").children("url")) out.push_back(u.child_value("loc"));
  return out;
}

TEST(NewsSitemap, KeepsOnlyTheLast48HoursByTheClock) {
  FakeClock clock(kNow);
  std::vector<NewsSitemapItem> items = {
      Story(1, kNow - 3600),                // 1 hour ago: in
      Story(2, kNow - 47 * 3600),           // 47 hours ago: in
      Story(3, kNow - 49 * 3600),           // 49 hours ago: out
      Story(4, kNow - kNewsWindow),         // exactly 48 hours: out
      Story(5, kNow - kNewsWindow + 1),     // just inside
      Story(6, kNow + 60),                  // future: out
      Story(7, kNow),                       // now: in
  };
  EXPECT_EQ(Locs(RenderNewsSitemap("N", items, clock)),
            (std::vector<std::string>{"https://news.example/s/7/", "https://news.example/s/1/",
                                      "https://news.example/s/2/", "https://news.example/s/5/"}));
  // The same list an hour later: story 2 has aged out, story 6 is in.
  clock.Advance(3600);
  auto later = Locs(RenderNewsSitemap("N", items, clock));
  EXPECT_EQ(later, (std::vector<std::string>{"https://news.example/s/6/", "https://news.example/s/7/",
                                             "https://news.example/s/1/"}));
}

TEST(NewsSitemap, CapsAt1000NewestFirst) {
  FakeClock clock(kNow);
  std::vector<NewsSitemapItem> items;
  for (int i = 0; i < 1500; ++i) items.push_back(Story(i, kNow - 1500 + i));  // i=1499 newest
  auto locs = Locs(RenderNewsSitemap("N", items, clock));
  ASSERT_EQ(locs.size(), static_cast<std::size_t>(kMaxNewsItems));
  EXPECT_EQ(locs.front(), "https://news.example/s/1499/");
  EXPECT_EQ(locs.back(), "https://news.example/s/500/");
}

TEST(NewsSitemap, RequiredNewsFieldsAndHostileTitle) {
  FakeClock clock(kNow);
  NewsSitemapItem s = Story(1, kNow - 60);
  s.title = testing::kHostileTitle;
  s.published_iso = "2025-05-06T10:04:00+06:00";
  s.language = "zh-Hant-TW";
  std::string xml = RenderNewsSitemap("The <Daily> & \"Co\"", {s}, clock);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node urlset = doc.child("urlset");
  EXPECT_STREQ(urlset.attribute("xmlns").value(), "http://www.sitemaps.org/schemas/sitemap/0.9");
  EXPECT_STREQ(urlset.attribute("xmlns:news").value(),
               "http://www.google.com/schemas/sitemap-news/0.9");
  pugi::xml_node news = urlset.child("url").child("news:news");
  EXPECT_EQ(std::string(news.child("news:publication").child_value("news:name")),
            "The <Daily> & \"Co\"");
  EXPECT_EQ(std::string(news.child("news:publication").child_value("news:language")), "zh-tw");
  EXPECT_EQ(std::string(news.child_value("news:publication_date")), "2025-05-06T10:04:00+06:00");
  EXPECT_EQ(std::string(news.child_value("news:title")), testing::kHostileTitle);
}

TEST(NewsSitemap, EmptyIsAValidUrlset) {
  FakeClock clock(kNow);
  EXPECT_TRUE(Locs(RenderNewsSitemap("N", {Story(1, kNow - 100 * 3600)}, clock)).empty());
}

TEST(NewsLanguage, MapsBcp47ToGoogleCodes) {
  EXPECT_EQ(NewsLanguage("en"), "en");
  EXPECT_EQ(NewsLanguage("en-GB"), "en");
  EXPECT_EQ(NewsLanguage("bn-BD"), "bn");
  EXPECT_EQ(NewsLanguage("fil"), "fil");
  EXPECT_EQ(NewsLanguage("zh-Hans"), "zh-cn");
  EXPECT_EQ(NewsLanguage("zh-CN"), "zh-cn");
  EXPECT_EQ(NewsLanguage("zh-TW"), "zh-tw");
  EXPECT_EQ(NewsLanguage("zh-Hant"), "zh-tw");
}

TEST(Sitemap, UrlsetAndIndexEscapeAndCap) {
  std::vector<SitemapUrl> urls = {{"https://n.example/a/?x=1&y=<2>", "2025-05-06T04:05:00+00:00"},
                                  {"https://n.example/b/", ""}};
  std::string xml = RenderUrlset(urls);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  pugi::xml_node u = doc.child("urlset").child("url");
  EXPECT_EQ(std::string(u.child_value("loc")), "https://n.example/a/?x=1&y=<2>");
  EXPECT_EQ(std::string(u.child_value("lastmod")), "2025-05-06T04:05:00+00:00");
  EXPECT_FALSE(u.next_sibling("url").child("lastmod"));

  std::string index = RenderSitemapIndex(urls);
  ASSERT_TRUE(doc.load_string(index.c_str()));
  EXPECT_EQ(std::string(doc.child("sitemapindex").child("sitemap").child_value("loc")),
            "https://n.example/a/?x=1&y=<2>");

  std::vector<SitemapUrl> many(kMaxSitemapUrls + 5, SitemapUrl{"https://n.example/x/", ""});
  ASSERT_TRUE(doc.load_string(RenderUrlset(many).c_str()));
  std::size_t n = 0;
  for (auto it : doc.child("urlset").children("url")) n += it ? 1 : 0;
  EXPECT_EQ(n, static_cast<std::size_t>(kMaxSitemapUrls));
}

TEST(Robots, NamesEverySitemapAndRefusesLineBreaks) {
  std::string r = RenderRobots({"https://n.example/sitemap.xml", "https://n.example/x\nDisallow: /",
                                "https://n.example/news-sitemap.xml"});
  EXPECT_EQ(r,
            "User-agent: *\nAllow: /\n\nSitemap: https://n.example/sitemap.xml\n"
            "Sitemap: https://n.example/news-sitemap.xml\n");
}

}  // namespace
}  // namespace dateline
