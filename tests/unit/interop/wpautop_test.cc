#include "interop/wpautop.h"

#include <gtest/gtest.h>

namespace dateline {
namespace {

TEST(AutoP, BlankLinesMakeParagraphsAndSingleNewlinesBreaks) {
  EXPECT_EQ(AutoP("One\n\nTwo\nlines"), "<p>One</p>\n<p>Two<br />\nlines</p>");
  EXPECT_EQ(AutoP("A\r\n\r\nB"), "<p>A</p>\n<p>B</p>");
  EXPECT_EQ(AutoP("  \n\n  "), "");
  EXPECT_EQ(AutoP("Just text"), "<p>Just text</p>");
}

TEST(AutoP, BlockElementsAreNotWrapped) {
  EXPECT_EQ(AutoP("Intro\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nAfter"),
            "<p>Intro</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>After</p>");
  EXPECT_EQ(AutoP("<h2>Title</h2>\nText"), "<h2>Title</h2>\n<p>Text</p>");
  EXPECT_EQ(AutoP("<p>Already</p>"), "<p>Already</p>");
  EXPECT_EQ(AutoP("<div>x</div>"), "<div>x</div>");
}

TEST(AutoP, BlockquoteTextGetsAParagraph) {
  EXPECT_EQ(AutoP("<blockquote>Quote</blockquote>"), "<blockquote><p>Quote</p></blockquote>");
}

TEST(AutoP, PreIsKeptExactly) {
  std::string pre = "<pre>line 1\n\nline 2\n  indented</pre>";
  EXPECT_EQ(AutoP("Before\n\n" + pre + "\n\nAfter"), "<p>Before</p>\n" + pre + "\n<p>After</p>");
}

TEST(AutoP, NewlinesInsideTagsAreSpaces) {
  EXPECT_EQ(AutoP("<img\nsrc=\"a.jpg\"\nalt=\"x\">"), "<p><img src=\"a.jpg\" alt=\"x\"></p>");
}

TEST(AutoP, BlockEditorContentIsLeftAlone) {
  std::string blocks = "<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n\nloose";
  EXPECT_EQ(AutoP(blocks), blocks);
}

}  // namespace
}  // namespace dateline
