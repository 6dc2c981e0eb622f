#include "text/sanitize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "unit/text/html_checks.h"

namespace dateline {
namespace {

using namespace std::string_literals;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing_html::IsValidUtf8;
using testing_html::SafetyProblems;

const SanitizeOptions kPlayerOptions{{"player.example"}};

struct Case {
  const char* name;
  std::string input;
};

// Each row is an attack a browser would run if it reached the page as is.
const Case kHostileHtml[] = {
    {"script lower", "<script>alert(1)</script><p>ok</p>"},
    {"script upper", "<SCRIPT>alert(1)</SCRIPT>"},
    {"script mixed with src", "<ScRiPt src=\"//evil.example/x.js\"></sCrIpT>"},
    {"script writing markup", "<script>document.write('<p>x</p>')</script>"},
    {"script split by script", "<scr<script>ipt>alert(1)</scr</script>ipt>"},
    {"script in svg", "<svg><script>alert(1)</script></svg>"},
    {"unclosed script", "<p>a<script>alert(1)"},
    {"img onerror", "<img src=x onerror=alert(1)>"},
    {"img onerror quoted", "<img src=\"/a.png\" onerror=\"alert(1)\" onload='alert(2)'>"},
    {"img javascript src", "<IMG SRC=\"javascript:alert('XSS');\">"},
    {"img data src", "<img src=\"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=\">"},
    {"a javascript", "<a href=\"javascript:alert(1)\">x</a>"},
    {"a javascript mixed case", "<a href=\"JaVaScRiPt:alert(1)\">x</a>"},
    {"a leading space", "<a href=\" JAVASCRIPT:alert(1)\">x</a>"},
    {"a tab entity", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>"},
    {"a newline entity", "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>"},
    {"a double-encoded entity", "<a href=\"jav&amp;#x09;ascript:alert(1)\">x</a>"},
    {"a raw tab", "<a href=\"jav\tascript:alert(1)\">x</a>"},
    {"a decimal entities",
     "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>"},
    {"a colon entity", "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>"},
    {"a entity without semicolon", "<a href=\"javascript&#0000058alert(1)\">x</a>"},
    {"a control char prefix", "<a href=\"&#14;  javascript:alert(1)\">x</a>"},
    {"a nul inside", "<a href=\"java\0script:alert(1)\">x</a>"s},
    {"a vbscript", "<a href=\"vbscript:msgbox(1)\">x</a>"},
    {"a data html", "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"},
    {"a onclick", "<a href=\"https://ok.example/\" onclick=\"steal()\">x</a>"},
    {"attribute breakout", "<a title='\" onmouseover=\"alert(1)'>x</a>"},
    {"blockquote cite", "<blockquote cite=\"javascript:alert(1)\">q</blockquote>"},
    {"svg onload", "<svg onload=alert(1)><circle r=5></circle></svg>"},
    {"svg anchor", "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>"},
    {"math mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"},
    {"iframe other host", "<iframe src=\"https://evil.example/embed\"></iframe>"},
    {"iframe http allowed host", "<iframe src=\"http://player.example/v/1\"></iframe>"},
    {"iframe lookalike host", "<iframe src=\"https://player.example.evil.example/v\"></iframe>"},
    {"iframe userinfo", "<iframe src=\"https://player.example@evil.example/v\"></iframe>"},
    {"iframe javascript", "<iframe src=\"javascript:alert(1)\"></iframe>"},
    {"iframe allowed with handlers",
     "<iframe src=\"https://player.example/v/1\" onload=\"alert(1)\" "
     "srcdoc=\"<script>alert(1)</script>\" style=\"position:fixed\"></iframe>"},
    {"style attribute", "<p style=\"background:url(javascript:alert(1))\">x</p>"},
    {"style block", "<style>body{background:url(\"javascript:alert(1)\")}</style><p>x</p>"},
    {"div handlers", "<div onclick=\"alert(1)\" onmouseover=alert(2) class=c id=i>x</div>"},
    {"unclosed tags", "<p>unclosed <b>bold <i>italic <a href=\"javascript:alert(1)\">x"},
    {"comment", "<!-- <script>alert(1)</script> --><p>x</p>"},
    {"abrupt comment", "<!--><script>alert(1)</script>-->"},
    {"conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"},
    {"nested forms",
     "<form action=\"javascript:alert(1)\"><form><input onfocus=alert(1) autofocus>"
     "<button formaction=\"javascript:alert(1)\">x</button></form></form>"},
    {"object embed", "<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:x\">"},
    {"base meta link",
     "<base href=\"javascript:alert(1)//\"><meta http-equiv=\"refresh\" "
     "content=\"0;url=javascript:alert(1)\"><link rel=stylesheet href=\"javascript:alert(1)\">"},
    {"template", "<template><script>alert(1)</script></template>"},
    {"noscript mxss", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>"},
    {"xmp raw text", "<xmp><script>alert(1)</script></xmp>"},
    {"textarea title", "<textarea><script>alert(1)</script></textarea><title><script>x</script>"},
    {"details ontoggle", "<details open ontoggle=alert(1)><summary>s</summary></details>"},
    {"body html handlers", "<html onmouseover=alert(1)><body onload=alert(1)><p>x</p>"},
    {"video source", "<video><source onerror=\"alert(1)\"></video>"},
    {"table background", "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>"},
    {"marquee", "<marquee onstart=alert(1)>x</marquee>"},
    {"isindex", "<isindex action=javascript:alert(1) type=image>"},
};

class HostileHtmlTest : public ::testing::TestWithParam<Case> {};

TEST_P(HostileHtmlTest, OutputIsHarmless) {
  const std::string out = SanitizeHtml(GetParam().input, kPlayerOptions);
  EXPECT_THAT(SafetyProblems(out, {"player.example"}), IsEmpty()) << "output: " << out;
  EXPECT_TRUE(IsValidUtf8(out)) << out;
}

TEST_P(HostileHtmlTest, SanitizingTwiceChangesNothing) {
  const std::string once = SanitizeHtml(GetParam().input, kPlayerOptions);
  EXPECT_EQ(SanitizeHtml(once, kPlayerOptions), once);
}

INSTANTIATE_TEST_SUITE_P(Table, HostileHtmlTest, ::testing::ValuesIn(kHostileHtml),
                         [](const auto& info) {
                           std::string name;
                           for (const char* p = info.param.name; *p; ++p) {
                             name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                           }
                           return name;
                         });

struct Expectation {
  const char* input;
  const char* output;
};

// Benign markup keeps its structure, byte for byte.
const Expectation kBenign[] = {
    {"<p>Hello <strong>world</strong> &amp; <em>all</em></p>",
     "<p>Hello <strong>world</strong> &amp; <em>all</em></p>"},
    {"<h1>Title</h1><h3>Sub</h3>", "<h2>Title</h2><h3>Sub</h3>"},
    {"<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"},
    {"<ol start=\"3\" reversed><li>c</li></ol>", "<ol start=\"3\" reversed><li>c</li></ol>"},
    {"<table><tr><th scope=COL align=center>h</th></tr><tr><td colspan=2>d</td></tr></table>",
     "<table><tbody><tr><th scope=\"col\" align=\"center\">h</th></tr>"
     "<tr><td colspan=\"2\">d</td></tr></tbody></table>"},
    {"<pre><code>if (a &lt; b) {}</code></pre>", "<pre><code>if (a &lt; b) {}</code></pre>"},
    {"<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\" target=_blank>x</a>",
     "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\" rel=\"noopener\">x</a>"},
    {"<a href=\"/2025/05/06/story/#p2\">in site</a>",
     "<a href=\"/2025/05/06/story/#p2\">in site</a>"},
    {"<a href=\"mailto:desk@example.com\">m</a> <a href=\"tel:+8801\">t</a>",
     "<a href=\"mailto:desk@example.com\">m</a> <a href=\"tel:+8801\">t</a>"},
    {"<figure><img src=\"/a.jpg\" alt=\"Flood &quot;waters&quot;\" width=640 height=\"50%\">"
     "<figcaption>Rain</figcaption></figure>",
     "<figure><img src=\"/a.jpg\" alt=\"Flood &quot;waters&quot;\" width=\"640\" loading=\"lazy\">"
     "<figcaption>Rain</figcaption></figure>"},
    {"<blockquote cite=\"https://example.com/q\"><p>q</p></blockquote>",
     "<blockquote cite=\"https://example.com/q\"><p>q</p></blockquote>"},
    {"<p>a<br/>b<hr></p>", "<p>a<br>b</p><hr><p></p>"},
    {"<abbr title=\"United Nations\">UN</abbr> <time datetime=\"2025-05-06\">today</time>",
     "<abbr title=\"United Nations\">UN</abbr> <time datetime=\"2025-05-06\">today</time>"},
    {"<section><font color=red>kept text</font></section>", "kept text"},
    {"<dl><dt>t</dt><dd>d</dd></dl>", "<dl><dt>t</dt><dd>d</dd></dl>"},
    {"<p>5 &gt; 3 &lt; 4 \"quoted\" it's</p>", "<p>5 &gt; 3 &lt; 4 &quot;quoted&quot; it&#39;s</p>"},
};

TEST(SanitizeHtmlTest, BenignMarkupKeepsItsStructure) {
  for (const Expectation& e : kBenign) {
    EXPECT_EQ(SanitizeHtml(e.input), e.output) << "input: " << e.input;
    EXPECT_EQ(SanitizeHtml(e.output), e.output) << "not a fixed point: " << e.output;
  }
}

TEST(SanitizeHtmlTest, AllowedIframeKeepsOnlyItsAttributes) {
  const std::string out = SanitizeHtml(
      "<iframe src=\"https://player.example/embed/abc\" width=\"560\" height=\"315\" "
      "frameborder=0 allowfullscreen onload=\"x()\">fallback</iframe>",
      kPlayerOptions);
  EXPECT_EQ(out,
            "<iframe src=\"https://player.example/embed/abc\" width=\"560\" height=\"315\" "
            "allowfullscreen loading=\"lazy\"></iframe>");
}

TEST(SanitizeHtmlTest, IframeHostMatchIsCaseInsensitiveAndExact) {
  EXPECT_THAT(
      SanitizeHtml("<iframe src=\"HTTPS://Player.Example:443/v\"></iframe>", kPlayerOptions),
      HasSubstr("<iframe src="));
  EXPECT_EQ(SanitizeHtml("<iframe src=\"https://sub.player.example/v\"></iframe>", kPlayerOptions),
            "");
  EXPECT_EQ(SanitizeHtml("<iframe src=\"https://player.example/v\"></iframe>"), "");
}

TEST(SanitizeHtmlTest, DroppedElementsTakeTheirContentWith) {
  EXPECT_EQ(SanitizeHtml("<p>a</p><script>var secret;</script><style>p{}</style><p>b</p>"),
            "<p>a</p><p>b</p>");
  EXPECT_EQ(SanitizeHtml("x<form>inside<button>b</button></form>y"), "xy");
}

TEST(SanitizeHtmlTest, ImageWithoutSafeSourceIsDropped) {
  EXPECT_EQ(SanitizeHtml("<p><img alt=\"a\"><img src=\"javascript:x\" alt=\"b\"></p>"), "<p></p>");
}

TEST(SanitizeHtmlTest, EscapesTextAndAttributesOnOutput) {
  EXPECT_EQ(SanitizeHtml("<p title=x>&lt;b&gt; &amp;amp;</p>"), "<p>&lt;b&gt; &amp;amp;</p>");
  EXPECT_EQ(SanitizeHtml("<abbr title='a\"b<c>&'>x</abbr>"),
            "<abbr title=\"a&quot;b&lt;c&gt;&amp;\">x</abbr>");
}

TEST(SanitizeHtmlTest, PreservesLeadingNewlineInsidePre) {
  // The parser eats one newline after <pre>; a second one is content.
  const std::string out = SanitizeHtml("<pre>\n\nline</pre>");
  EXPECT_EQ(out, "<pre>\n\nline</pre>");
  EXPECT_EQ(SanitizeHtml(out), out);
}

TEST(SanitizeHtmlTest, InvalidUtf8BecomesReplacementCharacter) {
  const std::string out = SanitizeHtml("<p>ok \xff\xfe bad \xc3</p>");
  EXPECT_TRUE(IsValidUtf8(out)) << out;
  EXPECT_THAT(out, HasSubstr("\xEF\xBF\xBD"));
  EXPECT_THAT(out, HasSubstr("ok "));
}

TEST(SanitizeHtmlTest, DeepNestingDoesNotCrash) {
  std::string html;
  for (int i = 0; i < 20000; ++i) html += "<span>";
  html += "deep";
  const std::string out = SanitizeHtml(html);
  EXPECT_THAT(out, HasSubstr("deep"));
  EXPECT_THAT(out, Not(HasSubstr("<script")));
}

TEST(SanitizeHtmlTest, EmptyAndTextOnlyInput) {
  EXPECT_EQ(SanitizeHtml(""), "");
  EXPECT_EQ(SanitizeHtml("plain words"), "plain words");
}

}  // namespace
}  // namespace dateline
