#include "text/markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
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

// A deterministic pseudo-random number below n (xorshift64).
struct Xorshift {
  std::uint64_t state;
  explicit Xorshift(std::uint64_t seed) : state(seed) {}
  std::size_t operator()(std::size_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::size_t>(state % n);
  }
};

// Markdown made of random pieces (deterministic): every construct the
// direct path writes, nested and side by side, with the characters that
// escaping, URL filtering and newline handling care about.
std::vector<std::string> RandomMarkdown(int count) {
  static const char* const kInline[] = {
      "word", "two words", "*em*", "**strong**", "~~gone~~", "`code < & >`", "a & b", "x < y > z",
      "\"quoted\" and 'single'", "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC", "[link](https://example.org/a?b=1&c=2)",
      "[rel](/local/path \"A title & more\")", "[bad](javascript:alert(1))", "[sp](<a b c>)",
      "[q](https://example.org/it's%20here)", "<https://auto.example/x>", "www.example.com/page",
      "mail@example.org", "[empty]()", "[frag](#top)", "[mixed](HTTPS://Example.ORG/\xC3\xA9)",
      "\\*escaped\\*", "&amp; &copy; &#x2603; &nbsp;", "tab\there", "hard  \nbreak", "soft\nbreak",
      "back\\\nslash", "*nested **strong [link](http://e.example/)** em*", "`` ` ``", "CR\r\nLF",
      "lone\rCR", "trailing space ", "emoji \xF0\x9F\x98\x80", "[t](/x 'single title')",
      "[ctrl](/a\x01" "b)", "5 * 6 * 7", "_under_ and __double__"};
  static const char* const kBlock[] = {
      "# H1 {i}", "## H2 {i}", "###### H6 {i}", "{i}\n{i}", "> {i}\n> {i}", "> > {i}", "- {i}\n- {i}",
      "1. {i}\n2. {i}", "3. {i}\n4. {i}", "- {i}\n\n- {i}", "- {i}\n  - {i}\n- {i}", "- {i}\n  > {i}",
      "```\n{i}\n```", "```lang x\n<b>{i}</b>\n```", "    indented {i}", "---", "***",
      "| a | b |\n|---|:-:|\n| {i} | {i} |", "| l | c | r | n |\n|:--|:-:|--:|---|\n| {i} | 2 | 3 | 4 |",
      "| h |\n|---|", "{i}\n===", "{i}\n---", "- [ ] {i}", "0. {i}", "{i}\r\n\r\n{i}", "1) {i}\n2) {i}"};
  Xorshift next(0x9E3779B97F4A7C15ULL);
  auto inline_text = [&] {
    std::string t;
    for (std::size_t k = 0, n = 1 + next(4); k < n; ++k) {
      if (!t.empty()) t += ' ';
      t += kInline[next(std::size(kInline))];
    }
    return t;
  };
  std::vector<std::string> out;
  for (int d = 0; d < count; ++d) {
    std::string md;
    for (std::size_t b = 0, n = 1 + next(6); b < n; ++b) {
      std::string block = kBlock[next(std::size(kBlock))];
      for (std::size_t at; (at = block.find("{i}")) != std::string::npos;) block.replace(at, 3, inline_text());
      md += block;
      md += next(5) == 0 ? "\n" : "\n\n";
    }
    out.push_back(std::move(md));
  }
  return out;
}

// The direct path writes what the sanitiser makes of cmark-gfm's HTML, byte
// for byte, and it is the path taken: without raw HTML and images, every
// sample goes direct.
TEST(MarkdownToHtmlTest, DirectPathWritesWhatTheSanitiserWould) {
  std::vector<std::string> inputs = MarkdownSamples();
  for (std::string& md : RandomMarkdown(3000)) inputs.push_back(std::move(md));
  int direct = 0;
  for (const std::string& md : inputs) {
    const std::optional<std::string> fast = MarkdownToHtmlDirect(md);
    const std::string slow = MarkdownToHtmlViaSanitizer(md);
    if (!fast) {
      EXPECT_NE(md.find('\x01'), std::string::npos) << "not direct: " << md;
      continue;
    }
    ++direct;
    ASSERT_EQ(*fast, slow) << md;
    EXPECT_EQ(MarkdownToHtml(md), slow) << md;
    // Checked as a browser would build it; the words "javascript:" may be
    // text (in code), which the blunt substring check would flag.
    std::vector<std::string> problems = SafetyProblems(*fast);
    std::erase(problems, "contains javascript:");
    EXPECT_THAT(problems, IsEmpty()) << md;
  }
  // Every input went direct but some with a character the HTML parser
  // replaces (kInline's "[ctrl]", a control character in text), which take
  // the sanitiser (checked above).
  EXPECT_GT(direct, 2000);
  // Not two empty strings: the structure is there.
  EXPECT_EQ(*MarkdownToHtmlDirect("# T\n\n- a\n- [b](https://x.example/ \"t\")\n\n| h |\n|:-:|\n| c |"),
            "<h2>T</h2>\n<ul>\n<li>a</li>\n<li><a href=\"https://x.example/\" title=\"t\" "
            "rel=\"noopener\">b</a></li>\n</ul>\n<table>\n<thead>\n<tr>\n<th align=\"center\">h</th>\n"
            "</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"center\">c</td>\n</tr>\n</tbody>\n</table>\n");
}

// Character soup (deterministic): Markdown's special characters, URL and
// entity fragments, controls, line ends and non-ASCII in random runs, so
// that odd combinations the constructs above never make are compared too.
// About half goes direct (the rest has raw HTML, an image or a control).
TEST(MarkdownToHtmlTest, DirectPathAgreesOnCharacterSoup) {
  static const char* const kPieces[] = {
      "*", "_", "[", "]", "(", ")", "<", ">", "!", "#", "-", "|", "\\", "`", "~", "&", ";", ":", "\n", "\r",
      "\t", " ", "  ", "a", "b", "x", "1", "2.", "http://", "https://e.x/", "www.", "@", "mailto:",
      "javascript:", "&amp;", "&#", "x27;", "\"", "'", "=", "---", "***", "```", "    ", "> ", "- ", "1. ",
      "|---|", ":-:", "\xC3\xA9", "\xE2\x80\xA8", "\xEF\xBF\xBD", "\x7F", "\x0C", "\xC2\x85", "%", "?",
      "/", "."};
  Xorshift next(2654435761ULL);
  int direct = 0;
  for (int d = 0; d < 20000; ++d) {
    std::string md;
    for (std::size_t k = 0, n = 1 + next(40); k < n; ++k) md += kPieces[next(std::size(kPieces))];
    const std::optional<std::string> fast = MarkdownToHtmlDirect(md);
    if (!fast) continue;
    ++direct;
    ASSERT_EQ(*fast, MarkdownToHtmlViaSanitizer(md)) << md;
  }
  EXPECT_GT(direct, 8000);
}

// Stories as they come: the BBC stories (plain paragraphs; when the shared
// corpora are beside the checkout) and the demo's Markdown bodies that go
// the direct way give the sanitiser's bytes. Returns how many went direct,
// -1 without the file.
int CompareOnFile(const std::string& file) {
  std::ifstream in(file);
  if (!in) return -1;
  int compared = 0;
  for (std::string line; std::getline(in, line);) {
    const std::string body = nlohmann::json::parse(line).at("body").get<std::string>();
    const std::optional<std::string> fast = MarkdownToHtmlDirect(body);
    if (!fast) continue;  // raw HTML or an image (the demo's story on script injection)
    EXPECT_EQ(*fast, MarkdownToHtmlViaSanitizer(body)) << body;
    ++compared;
  }
  return compared;
}

TEST(MarkdownToHtmlTest, DirectPathAgreesOnTheDemoStories) {
  const int compared = CompareOnFile(DATELINE_SOURCE_DIR "/demo/articles.jsonl");
  EXPECT_GE(compared, 90);  // 97 of the 98 when written
}

TEST(MarkdownToHtmlTest, DirectPathAgreesOnTheBbcStories) {
  const int compared = CompareOnFile(DATELINE_SOURCE_DIR "/../shared/corpora/bbc.jsonl");
  if (compared < 0) GTEST_SKIP() << "../shared/corpora/bbc.jsonl is not beside the checkout";
  EXPECT_EQ(compared, 2225);
}

// Raw HTML and images keep the sanitiser's way.
TEST(MarkdownToHtmlTest, RawHtmlAndImagesTakeTheSanitiser) {
  for (const char* md : {"Text <b>bold</b>.", "<div>\nblock\n</div>", "An ![i](/m/a.png) image.",
                         "<!-- c -->", "<script>alert(1)</script>"}) {
    EXPECT_FALSE(MarkdownToHtmlDirect(md).has_value()) << md;
    EXPECT_EQ(MarkdownToHtml(md), MarkdownToHtmlViaSanitizer(md)) << md;
  }
}

}  // namespace
}  // namespace dateline
