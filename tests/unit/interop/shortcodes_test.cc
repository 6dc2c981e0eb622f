#include "interop/shortcodes.h"

#include <gtest/gtest.h>

namespace dateline {
namespace {

class ShortcodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    media_[10] = {"https://img.example/a.jpg", "Caption A", "Alt A"};
    media_[11] = {"https://img.example/b.jpg", "", "Alt B"};
    ctx_.media = [this](std::int64_t id) -> const WpMedia* {
      auto it = media_.find(id);
      return it == media_.end() ? nullptr : &it->second;
    };
    ctx_.attached = [this]() { return std::vector<const WpMedia*>{&media_[11]}; };
  }
  std::string Expand(std::string_view s) { return ExpandShortcodes(s, ctx_, report_); }

  std::map<std::int64_t, WpMedia> media_;
  ShortcodeContext ctx_;
  ShortcodeReport report_;
};

TEST_F(ShortcodesTest, CaptionBecomesFigureWithFigcaption) {
  EXPECT_EQ(Expand("[caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]"
                   "<a href=\"/big.jpg\"><img src=\"/small.jpg\" alt=\"x\" /></a> The <em>view</em>[/caption]"),
            "<figure class=\"wp-caption\"><a href=\"/big.jpg\"><img src=\"/small.jpg\" alt=\"x\" /></a>"
            "<figcaption>The <em>view</em></figcaption></figure>");
  EXPECT_EQ(Expand("[wp_caption caption=\"Old style\"]<img src=\"/i.jpg\">[/wp_caption]"),
            "<figure class=\"wp-caption\"><img src=\"/i.jpg\"><figcaption>Old style</figcaption></figure>");
  EXPECT_TRUE(report_.unknown.empty());
}

TEST_F(ShortcodesTest, GalleryIsAListOfFiguresAndCountsMissingMedia) {
  std::string out = Expand("[gallery ids=\"10,99,11\" columns=\"2\"]");
  EXPECT_EQ(out,
            "<ul class=\"gallery\"><li><figure><img src=\"https://img.example/a.jpg\" alt=\"Alt A\">"
            "<figcaption>Caption A</figcaption></figure></li><li><figure><img "
            "src=\"https://img.example/b.jpg\" alt=\"Alt B\"></figure></li></ul>");
  EXPECT_EQ(report_.missing_media, std::vector<std::int64_t>{99});
  // Without ids: the post's attached images.
  EXPECT_NE(Expand("[gallery]").find("b.jpg"), std::string::npos);
}

TEST_F(ShortcodesTest, UnknownShortcodesStayAsTextAndAreCounted) {
  EXPECT_EQ(Expand("a [audio src=\"x.mp3\"] b [contact-form]x[/contact-form]"),
            "a [audio src=\"x.mp3\"] b [contact-form]x[/contact-form]");
  EXPECT_EQ(report_.unknown["audio"], 1);
  EXPECT_EQ(report_.unknown["contact-form"], 1);
  EXPECT_EQ(Expand("[[caption]] and [1] and [/x]"), "[caption] and [1] and [/x]");
  EXPECT_EQ(report_.unknown.size(), 2u);
}

TEST_F(ShortcodesTest, EmbedsBecomePlayersOnlyForAllowedHosts) {
  std::string url = "https://www.youtube.com/watch?v=SQEQr7c0-dw";
  EXPECT_EQ(EmbedHtml(url, {}), "<p><a href=\"" + url + "\">" + url + "</a></p>");
  std::string player = EmbedHtml(url, {"www.youtube.com"});
  EXPECT_NE(player.find("<iframe src=\"https://www.youtube.com/embed/SQEQr7c0-dw\""),
            std::string::npos);
  EXPECT_NE(EmbedHtml("https://vimeo.com/22439234", {"player.vimeo.com"})
                .find("https://player.vimeo.com/video/22439234"),
            std::string::npos);
  EXPECT_EQ(Expand("[embed]" + url + "[/embed]"), EmbedHtml(url, {}));
}

TEST_F(ShortcodesTest, BareUrlOnItsOwnLineIsEmbedded) {
  std::string out = EmbedBareUrls("Look:\nhttps://example.com/v/1\nsee https://x.example/ inline",
                                  ctx_, report_);
  EXPECT_EQ(out, "Look:\n<p><a href=\"https://example.com/v/1\">https://example.com/v/1</a></p>\n"
                 "see https://x.example/ inline");
  EXPECT_EQ(report_.embeds, 1);
}

}  // namespace
}  // namespace dateline
