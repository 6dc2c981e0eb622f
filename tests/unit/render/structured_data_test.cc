#include "render/structured_data.h"

#include <gtest/gtest.h>

#include <set>

#include "hostile.h"
#include "render/formats.h"

namespace dateline {
namespace {

using nlohmann::json;

TEST(JsonLd, HostileStringsCannotCloseTheScriptAndRoundTrip) {
  json doc = {{"@context", "https://schema.org"},
              {"@type", "NewsArticle"},
              {"headline", testing::kHostileTitle + " </script><script>alert(1)</script>"},
              {"keywords", {"a & b", "\"q\"", "<!--", "বাংলা"}},
              {"position", 3},
              {"ok", true}};
  std::string out = JsonLdForHtml(doc);
  EXPECT_EQ(out.find('<'), std::string::npos) << out;
  EXPECT_EQ(out.find('>'), std::string::npos) << out;
  EXPECT_EQ(out.find('&'), std::string::npos) << out;
  json back = json::parse(out);
  EXPECT_EQ(back, doc);
  // UTF-8 stays readable (not \u-escaped), so pages stay small.
  EXPECT_NE(out.find("বাংলা"), std::string::npos);
}

TEST(JsonLd, EmptyDocumentIsEmpty) {
  EXPECT_EQ(JsonLdForHtml(json()), "");
  EXPECT_EQ(JsonLdForHtml(json::array()), "");
}

TEST(Formats, EveryIdHasOneRowWithDistinctNamesAndFiles) {
  std::set<std::string_view> names, files;
  for (const OutputFormat& f : OutputFormats()) {
    EXPECT_EQ(&FindFormat(f.id), &f) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    if (!f.file_name.empty()) {
      EXPECT_TRUE(files.insert(f.file_name).second) << f.file_name;
    }
    EXPECT_FALSE(f.media_type.empty()) << f.name;
    EXPECT_TRUE(f.media_type.starts_with(f.link_type)) << f.name;
    EXPECT_EQ(FindFormatByName(f.name), &f);
  }
  EXPECT_EQ(FindFormatByName("nope"), nullptr);
  EXPECT_EQ(FindFormat(FormatId::kRss).media_type, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(FindFormat(FormatId::kAtom).media_type, "application/atom+xml; charset=utf-8");
  EXPECT_EQ(FindFormat(FormatId::kJsonFeed).media_type, "application/feed+json; charset=utf-8");
  int feeds = 0;
  for (const OutputFormat& f : OutputFormats()) feeds += f.is_feed;
  EXPECT_EQ(feeds, 3);
}

}  // namespace
}  // namespace dateline
