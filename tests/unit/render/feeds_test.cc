#include "render/feeds.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "hostile.h"

namespace dateline {
namespace {

using testing::kHostileHtml;
using testing::kHostileTitle;

Feed SampleFeed() {
  Feed f;
  f.title = kHostileTitle;
  f.description = "Desc & <more>";
  f.home_url = "https://news.example/";
  f.self_url = "https://news.example/feed/?a=1&b=2";
  f.language = "en";
  f.site_name = "News & Co";
  f.updated = 1746504300;  // 2025-05-06T04:05:00Z
  f.updated_iso = "2025-05-06T10:05:00+06:00";
  FeedItem i;
  i.url = "https://news.example/2025/05/06/a/?x=1&y=2";
  i.title = kHostileTitle;
  i.summary = "Summary <b>not bold</b> & done";
  i.content_html = kHostileHtml;
  i.published = 1746504300;
  i.published_iso = "2025-05-06T10:05:00+06:00";
  i.modified = 1746504300 + 3600;
  i.modified_iso = "2025-05-06T11:05:00+06:00";
  i.authors = {{"Anne \"A\" O'Neil", "https://news.example/author/anne/"}, {"রবি", ""}};
  i.categories = {"World & Asia", "বাংলা"};
  i.image_url = "https://news.example/media/a.jpg";
  i.image_type = "image/jpeg";
  f.items.push_back(i);
  FeedItem j = i;
  j.url = "https://news.example/2025/05/05/b/";
  j.title = "Second";
  j.language = "bn";
  f.items.push_back(j);
  return f;
}

pugi::xml_document Parse(const std::string& xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_string(xml.c_str());
  EXPECT_TRUE(r) << r.description() << " at " << r.offset << "\n" << xml;
  return doc;
}

TEST(Rfc822, FormatsUtcWithNumericZone) {
  EXPECT_EQ(FormatRfc822(1746504300), "Tue, 06 May 2025 04:05:00 +0000");
  EXPECT_EQ(FormatRfc822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(Rss, HostileTextSurvivesAsTextAndRequiredElementsArePresent) {
  std::string xml = RenderRss(SampleFeed());
  pugi::xml_document doc = Parse(xml);
  pugi::xml_node rss = doc.child("rss");
  ASSERT_TRUE(rss);
  EXPECT_STREQ(rss.attribute("version").value(), "2.0");
  pugi::xml_node ch = rss.child("channel");
  EXPECT_EQ(std::string(ch.child_value("title")), kHostileTitle);
  EXPECT_EQ(std::string(ch.child_value("link")), "https://news.example/");
  EXPECT_EQ(std::string(ch.child_value("description")), "Desc & <more>");
  pugi::xml_node self = ch.child("atom:link");
  EXPECT_STREQ(self.attribute("rel").value(), "self");
  EXPECT_STREQ(self.attribute("href").value(), "https://news.example/feed/?a=1&b=2");
  EXPECT_STREQ(self.attribute("type").value(), "application/rss+xml");
  int items = 0;
  for (pugi::xml_node item : ch.children("item")) items += item ? 1 : 0;
  EXPECT_EQ(items, 2);
  pugi::xml_node it = ch.child("item");
  EXPECT_EQ(std::string(it.child_value("title")), kHostileTitle);
  EXPECT_EQ(std::string(it.child_value("guid")), "https://news.example/2025/05/06/a/?x=1&y=2");
  EXPECT_EQ(std::string(it.child_value("pubDate")), "Tue, 06 May 2025 04:05:00 +0000");
  EXPECT_EQ(std::string(it.child_value("content:encoded")), kHostileHtml);
  EXPECT_EQ(std::string(it.child_value("description")), "Summary <b>not bold</b> & done");
  std::vector<std::string> creators, cats;
  for (pugi::xml_node c : it.children("dc:creator")) creators.push_back(c.child_value());
  for (pugi::xml_node c : it.children("category")) cats.push_back(c.child_value());
  EXPECT_EQ(creators, (std::vector<std::string>{"Anne \"A\" O'Neil", "রবি"}));
  EXPECT_EQ(cats, (std::vector<std::string>{"World & Asia", "বাংলা"}));
  EXPECT_STREQ(it.child("media:content").attribute("url").value(), "https://news.example/media/a.jpg");
  // Nothing the author typed became markup.
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_EQ(xml.find("<em>"), std::string::npos);
}

TEST(Atom, HostileTextSurvivesAndRfc4287MustsHold) {
  pugi::xml_document doc = Parse(RenderAtom(SampleFeed()));
  pugi::xml_node feed = doc.child("feed");
  ASSERT_TRUE(feed);
  EXPECT_STREQ(feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  EXPECT_EQ(std::string(feed.child_value("title")), kHostileTitle);
  EXPECT_EQ(std::string(feed.child_value("updated")), "2025-05-06T10:05:00+06:00");
  EXPECT_FALSE(std::string(feed.child_value("id")).empty());
  EXPECT_EQ(std::string(feed.child("author").child_value("name")), "News & Co");
  bool self = false;
  for (pugi::xml_node l : feed.children("link")) {
    self |= std::string(l.attribute("rel").value()) == "self" &&
            std::string(l.attribute("href").value()) == "https://news.example/feed/?a=1&b=2";
  }
  EXPECT_TRUE(self);
  pugi::xml_node e = feed.child("entry");
  EXPECT_EQ(std::string(e.child_value("title")), kHostileTitle);
  EXPECT_EQ(std::string(e.child_value("id")), "https://news.example/2025/05/06/a/?x=1&y=2");
  EXPECT_EQ(std::string(e.child_value("published")), "2025-05-06T10:05:00+06:00");
  EXPECT_EQ(std::string(e.child_value("updated")), "2025-05-06T11:05:00+06:00");
  EXPECT_STREQ(e.child("content").attribute("type").value(), "html");
  EXPECT_EQ(std::string(e.child_value("content")), kHostileHtml);
  EXPECT_STREQ(e.child("category").attribute("term").value(), "World & Asia");
  EXPECT_EQ(std::string(e.child("author").child_value("name")), "Anne \"A\" O'Neil");
  EXPECT_STREQ(e.next_sibling("entry").attribute("xml:lang").value(), "bn");
}

TEST(JsonFeed, HostileTextSurvivesAndVersionIs11) {
  auto j = nlohmann::json::parse(RenderJsonFeed(SampleFeed()));
  EXPECT_EQ(j["version"], "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(j["title"], kHostileTitle);
  EXPECT_EQ(j["feed_url"], "https://news.example/feed/?a=1&b=2");
  EXPECT_EQ(j["home_page_url"], "https://news.example/");
  ASSERT_EQ(j["items"].size(), 2u);
  const auto& i = j["items"][0];
  EXPECT_EQ(i["id"], "https://news.example/2025/05/06/a/?x=1&y=2");
  EXPECT_EQ(i["title"], kHostileTitle);
  EXPECT_EQ(i["content_html"], kHostileHtml);
  EXPECT_EQ(i["date_published"], "2025-05-06T10:05:00+06:00");
  EXPECT_EQ(i["date_modified"], "2025-05-06T11:05:00+06:00");
  EXPECT_EQ(i["authors"][0]["name"], "Anne \"A\" O'Neil");
  EXPECT_FALSE(i["authors"][1].contains("url"));
  EXPECT_EQ(i["tags"], (nlohmann::json{"World & Asia", "বাংলা"}));
  EXPECT_EQ(j["items"][1]["language"], "bn");
  EXPECT_FALSE(i.contains("language"));
}

TEST(Feeds, DispatchFollowsTheFormatTable) {
  Feed f = SampleFeed();
  EXPECT_EQ(RenderFeed(FormatId::kRss, f), RenderRss(f));
  EXPECT_EQ(RenderFeed(FormatId::kAtom, f), RenderAtom(f));
  EXPECT_EQ(RenderFeed(FormatId::kJsonFeed, f), RenderJsonFeed(f));
  EXPECT_EQ(RenderFeed(FormatId::kSitemap, f), "");
}

TEST(Feeds, InvalidUtf8BecomesReplacementCharacterNotBrokenXml) {
  Feed f = SampleFeed();
  f.items[0].title = "bad \xff\xfe byte \x01 control";
  pugi::xml_document doc = Parse(RenderRss(f));
  std::string t = doc.child("rss").child("channel").child("item").child_value("title");
  EXPECT_NE(t.find("\xEF\xBF\xBD"), std::string::npos) << t;
  EXPECT_EQ(t.find('\x01'), std::string::npos);
  EXPECT_NO_THROW(nlohmann::json::parse(RenderJsonFeed(f)));
}

}  // namespace
}  // namespace dateline
