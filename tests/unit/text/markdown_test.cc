#include "text/markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "text/excerpt.h"
#include "unit/text/html_checks.h"

namespace dateline {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing_html::IsValidUtf8;
using testing_html::SafetyProblems;

const SanitizeOptions kPlayerOptions{{"player.example"}};

// Attacks written as Markdown, or as raw HTML inside Markdown.
const char* const kHostileMarkdown[] = {
    "<script>alert(1)</script>",
    "Text\n\n<SCRIPT>alert(1)</SCRIPT>\n\nmore",
    "Inline <ScRiPt>alert(1)</ScRiPt> script",
    "<scr<script>ipt>alert(1)</script>",
    "Hello <img src=x onerror=alert(1)> world",
    "<div onclick=\"alert(1)\">\n\n*emphasis* inside\n\n</div>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](<jav\tascript:alert(1)>)",
    "[click](&#106;avascript:alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![img](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![data](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "<a href=\" javascript:alert(1)\">raw link</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">raw entity link</a>",
    "<svg onload=alert(1)><circle r=5></circle></svg>",
    "<iframe src=\"https://evil.example/embed\"></iframe>",
    "<iframe src=\"https://player.example/v/1\" onload=\"alert(1)\"></iframe>",
    "<p style=\"color:red\">styled</p>\n\n<style>p{color:red}</style>",
    "<b>unclosed <i>tags <a href=\"https://ok.example/\" onmouseover=alert(1)>x",
    "<!-- <script>alert(1)</script> -->\n\ntext",
    "<form action=\"https://evil.example/\"><form><input onfocus=alert(1) autofocus></form></form>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <a href=\"javascript:alert(1)\">x</a> "
    "|",
    "~~<span onmouseover=\"alert(1)\">struck</span>~~",
    "> <object data=\"javascript:alert(1)\"></object>",
    "- <math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
};

TEST(MarkdownToHtmlTest, HostileInputIsHarmless) {
  for (const char* input : kHostileMarkdown) {
    const std::string out = MarkdownToHtml(input, kPlayerOptions);
    EXPECT_THAT(SafetyProblems(out, {"player.example"}), IsEmpty())
        << "input: " << input << "\noutput: " << out;
    EXPECT_TRUE(IsValidUtf8(out)) << out;
  }
}

TEST(MarkdownToHtmlTest, JavascriptAutolinkLosesItsHrefButKeepsItsText) {
  // CommonMark autolinks any scheme; the text may say javascript:, the link
  // must not go there.
  const std::string out = MarkdownToHtml("<javascript:alert(1)>");
  EXPECT_EQ(out, "<p><a>javascript:alert(1)</a></p>\n");
}

struct Expectation {
  const char* markdown;
  const char* html_fragment;  // must appear in the output
};

const Expectation kBenign[] = {
    {"| Team | Score |\n|:-----|:----:|\n| Dhaka | 3 |",
     "<table>\n<thead>\n<tr>\n<th align=\"left\">Team</th>\n<th align=\"center\">Score</th>"},
    {"| Team | Score |\n|:-----|:----:|\n| Dhaka | 3 |",
     "<tbody>\n<tr>\n<td align=\"left\">Dhaka</td>\n<td align=\"center\">3</td>\n</tr>\n</tbody>"},
    {"The ~~old~~ new plan", "<p>The <del>old</del> new plan</p>"},
    {"See www.example.com today",
     "<a href=\"http://www.example.com\" rel=\"noopener\">www.example.com</a>"},
    {"Mail desk@example.com", "<a href=\"mailto:desk@example.com\">desk@example.com</a>"},
    {"# Headline\n\n## Section\n\n### Detail",
     "<h2>Headline</h2>\n<h2>Section</h2>\n<h3>Detail</h3>"},
    {"- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"},
    {"3. three\n4. four", "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>"},
    {"```cpp\nif (a < b && c > d) {}\n```",
     "<pre><code>if (a &lt; b &amp;&amp; c &gt; d) {}\n</code></pre>"},
    {"Use `<script>` tags", "<p>Use <code>&lt;script&gt;</code> tags</p>"},
    {"[Dateline](https://example.com/a?b=1&c=2 \"The title\")",
     "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"The title\" "
     "rel=\"noopener\">Dateline</a>"},
    {"[Section](/world/)", "<a href=\"/world/\">Section</a>"},
    {"![Flooded street in Dhaka](/media/flood.jpg)",
     "<img src=\"/media/flood.jpg\" alt=\"Flooded street in Dhaka\" loading=\"lazy\">"},
    {"> Quoted *words*", "<blockquote>\n<p>Quoted <em>words</em></p>\n</blockquote>"},
    {"He said \"wait\" -- it's 'fine'", "<p>He said &quot;wait&quot; -- it&#39;s &#39;fine&#39;</p>"},
    {"line one  \nline two", "<p>line one<br>\nline two</p>"},
    {"<iframe src=\"https://player.example/v/1\"></iframe>",
     "<iframe src=\"https://player.example/v/1\" loading=\"lazy\"></iframe>"},
};

TEST(MarkdownToHtmlTest, BenignMarkdownKeepsItsStructure) {
  for (const Expectation& e : kBenign) {
    EXPECT_THAT(MarkdownToHtml(e.markdown, kPlayerOptions), HasSubstr(e.html_fragment))
        << "markdown: " << e.markdown;
  }
}

TEST(MarkdownToHtmlTest, RawTextTagsShowAsTextAndSwallowNothing) {
  // As with GFM's tagfilter: written-out <script> is text, not a script.
  std::string out = MarkdownToHtml("before\n\n<script>stealCookies()</script>\n\nafter");
  EXPECT_THAT(out, HasSubstr("&lt;script&gt;stealCookies()&lt;/script&gt;"));
  EXPECT_THAT(out, HasSubstr("<p>before</p>"));
  EXPECT_THAT(out, HasSubstr("<p>after</p>"));
  EXPECT_THAT(SafetyProblems(out), IsEmpty()) << out;
  // An unclosed raw-text tag in prose does not eat the rest of the article.
  for (const char* tag : {"textarea", "TITLE", "plaintext", "xmp", "style"}) {
    out = MarkdownToHtml(std::string("Use the <") + tag + "> element.\n\nAnd *more* text.");
    EXPECT_THAT(out, HasSubstr("<em>more</em>")) << out;
    EXPECT_THAT(out, HasSubstr(std::string("&lt;") + tag + "&gt;")) << out;
  }
  // Code keeps its own escaping; names that only start like a tag are not touched.
  EXPECT_EQ(MarkdownToHtml("`<script>` and <scripting>x</scripting>"),
            "<p><code>&lt;script&gt;</code> and x</p>\n");
}

TEST(MarkdownToHtmlTest, InvalidUtf8IsReplaced) {
  const std::string out = MarkdownToHtml("*bad* \xff\xc3 bytes");
  EXPECT_TRUE(IsValidUtf8(out)) << out;
  EXPECT_THAT(out, HasSubstr("<em>bad</em>"));
}

TEST(RenderBodyTest, DispatchesOnFormat) {
  EXPECT_EQ(RenderBody("*x*", BodyFormat::kMarkdown), "<p><em>x</em></p>\n");
  EXPECT_EQ(RenderBody("*x*", BodyFormat::kHtml), "*x*");
  EXPECT_EQ(RenderBody("<h1 onclick=1>T</h1>", BodyFormat::kHtml), "<h2>T</h2>");
  EXPECT_EQ(RenderBody("<iframe src=\"https://player.example/v\"></iframe>", BodyFormat::kHtml,
                       kPlayerOptions),
            "<iframe src=\"https://player.example/v\" loading=\"lazy\"></iframe>");
}

TEST(MarkdownToHtmlTest, ConcurrentRendersAgreeWithSerialOnes) {
  // cmark-gfm keeps parser state in globals; extension syntax (~~, autolinks,
  // tables) is what goes wrong when two parses overlap.
  const std::string input =
      "The ~~old~~ plan, www.example.com\n\n| a | b |\n|---|---|\n| ~~1~~ | 2 |\n\n"
      "Text ~~struck~~ and https://example.org/x again.";
  const std::string expected = MarkdownToHtml(input);
  ASSERT_THAT(expected, HasSubstr("<del>old</del>"));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (MarkdownToHtml(input) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

// MarkdownText stands in for rendering, sanitising and reading back the
// HTML when an excerpt is cut: it must give the same words in every case it
// takes, and decline the ones it cannot read.
std::vector<std::string> MarkdownSamples() {
  return {
      "Plain words, and more.",
      "Two\nlines, one paragraph.\n\nA second paragraph.",
      "# Heading\nText right under it\n## Second *level* heading\n\nBody.",
      "Some *emphasis*, **strong**, ~~struck~~ and `inline code` in one line.",
      "A [link](https://example.org/a) in the middle and <https://example.org/auto> too; "
      "www.example.com bare.",
      "Hard  \nbreak and a backslash\\\nbreak.",
      "- one\n- two\n  - nested\n\n1. first\n2. second\n\n* loose\n\n* list",
      "> A quote\n> over two lines\n>\n> > nested",
      "```c\nint main() { return 1 < 2 && 3 > 2; }\n```\n\n    indented code\n    block",
      "Before\n\n---\n\nAfter a rule.",
      "| a | b |\n|---|:-:|\n| 1 | 2 |\n| x *y* | z |\n\nAfter the table.",
      "Entities: &amp; &lt;tag&gt; &copy; &#x2603; &nbsp;and&nbsp;on, 5 < 6 & \"quotes\".",
      "Ünïcödé, 日本語の文章、বাংলা লেখা and हिन्दी पाठ.",
      "A [javascript link](javascript:alert(1)) keeps its words.",
      "Escaped \\*stars\\* and \\[brackets\\], a tab\there.",
      "Line one\r\nline two\r\n\r\nNew paragraph\rwith a lone CR.",
      [] {
        const char bytes[] = "Bad bytes \xff\xfe here and a NUL \0 there.";
        return std::string(bytes, sizeof bytes - 1);
      }(),
      "Word" + std::string(3000, 'x') + " end",
  };
}

TEST(MarkdownTextTest, GivesTheWordsOfTheRenderedHtml) {
  for (const std::string& md : MarkdownSamples()) {
    std::optional<std::string> text = MarkdownText(md);
    ASSERT_TRUE(text.has_value()) << md;
    const std::string html = MarkdownToHtml(md);
    EXPECT_EQ(ExcerptFromText(*text, 1000000), HtmlToText(html)) << md;
    for (std::size_t words : {std::size_t{3}, std::size_t{55}}) {
      EXPECT_EQ(ExcerptFromText(*text, words), MakeExcerpt(html, words)) << md;
    }
  }
  // The words are really there (the comparisons above would also hold for
  // two empty texts).
  EXPECT_EQ(ExcerptFromText(*MarkdownText("| a | b |\n|---|---|\n| 1 | 2 |"), 100), "a b 1 2");
  EXPECT_EQ(ExcerptFromText(*MarkdownText("*in*line and\nsoft"), 100), "inline and soft");
}

TEST(MarkdownTextTest, BodyTextIsTheTextOfTheRenderedBody) {
  std::vector<std::string> bodies = MarkdownSamples();
  bodies.push_back("Raw <b>HTML</b> and an ![image](/media/a.png), by the HTML path.");
  bodies.push_back("<p>An <em>HTML</em> body</p><script>x()</script>");
  const SanitizeOptions options{{"www.youtube.com"}};
  bodies.push_back("<iframe src=\"https://www.youtube.com/embed/x\"></iframe> after");
  for (const std::string& body : bodies) {
    for (BodyFormat format : {BodyFormat::kMarkdown, BodyFormat::kHtml}) {
      EXPECT_EQ(BodyText(body, format, options), HtmlToText(RenderBody(body, format, options)))
          << body;
    }
  }
  EXPECT_EQ(BodyText("# Title\n\nSome *words*.", BodyFormat::kMarkdown), "Title Some words.");
}

TEST(MarkdownTextTest, DeclinesRawHtmlAndImages) {
  for (const char* md : {"Text <b>bold</b> inline.", "<div>\nA block\n</div>",
                         "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
                         "An ![image](/media/a.png) here.", "<!-- a comment -->"}) {
    EXPECT_FALSE(MarkdownText(md).has_value()) << md;
  }
}

}  // namespace
}  // namespace dateline
