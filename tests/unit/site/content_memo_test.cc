#include "site/content_memo.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "text/excerpt.h"
#include "text/markdown.h"

namespace dateline {
namespace {

Article Story(std::int64_t id, std::int64_t version, std::string body) {
  Article a;
  a.id = id;
  a.version = version;
  a.body = std::move(body);
  return a;
}

std::string LongBody(int words) {
  std::string body = "## A heading\n\n";
  for (int i = 0; i < words; ++i) body += "word" + std::to_string(i) + (i % 12 == 11 ? ".\n\n" : " ");
  return body;
}

TEST(ContentMemo, GivesExactlyWhatTheTextLayerGives) {
  ContentMemo memo({});
  Article a = Story(1, 1, LongBody(120) + "\n<script>x</script> *end*");
  std::string html = RenderBody(a.body, a.body_format);
  EXPECT_EQ(memo.Html(a), html);
  EXPECT_EQ(memo.Excerpt(a), MakeExcerpt(html, 55));
  EXPECT_EQ(memo.FeedExcerpt(a), MakeExcerpt(html, 55));
  // Again, from the memo.
  EXPECT_EQ(memo.Html(a), html);
  EXPECT_EQ(memo.Excerpt(a), MakeExcerpt(html, 55));
  ContentMemo::Stats s = memo.stats();
  EXPECT_EQ(s.html_misses, 1u);
  EXPECT_EQ(s.excerpt_misses, 1u);
  EXPECT_EQ(s.html_hits, 1u);  // the second Html(); excerpts render their own lead
  EXPECT_GE(s.excerpt_hits, 2u);
  EXPECT_EQ(s.lead_excerpts, 0u);  // 120 words: too few to cut from leading blocks
}

TEST(ContentMemo, ExcerptsFromTheLeadingBlocksEqualTheWholeBodys) {
  // The excerpt is cut from the body's first blocks when they hold enough
  // words; for every shape of Markdown it must be the whole body's excerpt.
  auto words = [](int from, int n) {
    std::string out;
    for (int i = from; i < from + n; ++i) out += "w" + std::to_string(i) + (i % 9 == 8 ? ". " : " ");
    return out;
  };
  const std::vector<std::string> bodies = {
      LongBody(400),
      // A reference link used early, defined at the end.
      "Intro " + words(0, 200) + "[the report][r] says.\n\n" + words(200, 100) +
          "\n\n[r]: https://example.com/report\n",
      // A footnote used early.
      words(0, 180) + "note[^1]\n\n" + words(180, 100) + "\n\n[^1]: The footnote text.\n",
      // A loose list whose blank lines fall around the cut.
      "- " + words(0, 60) + "\n\n- " + words(60, 60) + "\n\n- " + words(120, 60) + "\n\n  " +
          words(180, 60) + "\n\n- " + words(240, 60) + "\n",
      // A fenced code block with blank lines, open across the cut.
      words(0, 170) + "\n\n```\ncode one\n\ncode two\n\ncode three\n```\n\n" + words(170, 60),
      // An HTML comment across blank lines, hiding words.
      "<!-- hidden\n\n" + words(900, 200) + "\n\nstill hidden -->\n\n" + words(0, 100),
      // Markup that shows few words before the cut.
      std::string(300, '-') + " " + std::string(200, '*') + "\n\n" + words(0, 30) + "\n\n" +
          "| a | b |\n|---|---|\n| " + words(30, 5) + " | x |\n\n" + words(35, 100),
      // A table, a quote and headings.
      "# Title\n\n> " + words(0, 100) + "\n\n| a | b |\n|---|---|\n| " + words(100, 80) +
          " | y |\n\n## Next\n\n" + words(180, 100),
      // Short bodies: no cut at all.
      words(0, 40), words(0, 56) + "\n\n" + words(56, 3),
      // Other scripts (words counted by ICU, not by spaces).
      std::string("বর্ষায় নদীর পানি বেড়ে গেছে এবং কৃষকেরা খুশি। ") + words(0, 170) + "\n\nনদীর গান " + words(170, 30),
      // A reference defined in a list item at the end ("Sources").
      "The [report][1] " + words(0, 200) + "\n\n" + words(200, 50) +
          "\n\nSources:\n\n- [1]: https://example.com/report\n",
  };
  SanitizeOptions with_iframes{{"www.youtube.com"}};
  const std::string iframe =
      "\n\n<iframe src=\"https://www.youtube.com/embed/x\" title=\"Clip\"></iframe>\n\n";
  int id = 1;
  std::vector<std::uint64_t> leads;
  for (const std::string& body : bodies) {
    for (const std::string& b : {body, iframe + body}) {
      ContentMemo memo(with_iframes);
      Article a = Story(id++, 1, b);
      EXPECT_EQ(memo.Excerpt(a), MakeExcerpt(RenderBody(b, a.body_format), 55)) << b;
      EXPECT_EQ(memo.FeedExcerpt(a), MakeExcerpt(RenderBody(b, a.body_format, with_iframes), 55))
          << b;
      leads.push_back(memo.stats().lead_excerpts);
    }
  }
  // The cases took the paths they were written for: the long body and the
  // list from their leading blocks, the reference, the footnote and the
  // short bodies from the whole body.
  EXPECT_EQ(leads[0], 1u);
  EXPECT_EQ(leads[1], 1u);
  EXPECT_EQ(leads[2], 0u);
  EXPECT_EQ(leads[4], 0u);
  EXPECT_EQ(leads[6], 1u);
  EXPECT_EQ(leads[16], 0u);
  EXPECT_EQ(leads[18], 0u);
  EXPECT_EQ(leads[22], 0u);
}

TEST(ContentMemo, HandWrittenExcerptWins) {
  ContentMemo memo({});
  Article a = Story(2, 1, LongBody(80));
  a.excerpt = "Typed by an editor.";
  EXPECT_EQ(memo.Excerpt(a), "Typed by an editor.");
  EXPECT_EQ(memo.FeedExcerpt(a), "Typed by an editor.");
}

TEST(ContentMemo, ANewVersionIsRenderedAnew) {
  ContentMemo memo({});
  Article a = Story(3, 1, "First text.");
  EXPECT_EQ(memo.Excerpt(a), "First text.");
  a.body = "Second text.";
  a.version = 2;
  EXPECT_EQ(memo.Excerpt(a), "Second text.");
  EXPECT_EQ(memo.Html(a), "<p>Second text.</p>\n");
}

TEST(ContentMemo, SameIdAndVersionWithOtherTextIsNeverServedStale) {
  // An unsaved edit (a preview) or an id reused after a delete keeps the
  // pair but not the text: the body hash tells them apart.
  ContentMemo memo({});
  Article a = Story(4, 7, "Stored text.");
  EXPECT_EQ(memo.Excerpt(a), "Stored text.");
  EXPECT_EQ(memo.Html(a), "<p>Stored text.</p>\n");
  a.body = "Edited, not saved.";
  EXPECT_EQ(memo.Excerpt(a), "Edited, not saved.");
  EXPECT_EQ(memo.Html(a), "<p>Edited, not saved.</p>\n");
  a.body = "<p>Edited, not saved.</p>";
  a.body_format = BodyFormat::kHtml;
  EXPECT_EQ(memo.Html(a), "<p>Edited, not saved.</p>");
}

TEST(ContentMemo, UnsavedArticlesAreRenderedButNotKept) {
  ContentMemo memo({});
  Article a = Story(0, 0, "Draft.");
  EXPECT_EQ(memo.Excerpt(a), "Draft.");
  EXPECT_EQ(memo.Html(a), "<p>Draft.</p>\n");
  EXPECT_EQ(memo.stats().html_entries, 0u);
  EXPECT_EQ(memo.stats().excerpt_entries, 0u);
}

TEST(ContentMemo, IframesCountInFeedExcerptsOnly) {
  // The reader site cuts excerpts from the body rendered without iframes,
  // feeds from the body as shown (the two renderings before the memo).
  SanitizeOptions options{{"www.youtube.com"}};
  ContentMemo memo(options);
  Article a = Story(5, 1, "<p>Before<iframe src=\"https://www.youtube.com/embed/x\"></iframe>after</p>");
  a.body_format = BodyFormat::kHtml;
  std::string shown = RenderBody(a.body, a.body_format, options);
  ASSERT_NE(shown.find("<iframe"), std::string::npos);
  EXPECT_EQ(memo.Html(a), shown);
  EXPECT_EQ(memo.Excerpt(a), MakeExcerpt(RenderBody(a.body, a.body_format), 55));
  EXPECT_EQ(memo.FeedExcerpt(a), MakeExcerpt(shown, 55));
}

TEST(ContentMemo, StaysWithinItsBudget) {
  ContentMemo memo({}, 64 << 10, 16 << 10);
  for (int id = 1; id <= 200; ++id) {
    Article a = Story(id, 1, LongBody(200));
    memo.Excerpt(a);
    memo.Html(a);
  }
  ContentMemo::Stats s = memo.stats();
  EXPECT_LE(s.html_bytes, std::size_t{64} << 10);
  EXPECT_LE(s.excerpt_bytes, std::size_t{16} << 10);
  EXPECT_GT(s.html_entries, 0u);
  EXPECT_LT(s.html_entries, 200u);
  // The most recent story is still there; the first went long ago.
  std::uint64_t misses = memo.stats().html_misses;
  memo.Html(Story(200, 1, LongBody(200)));
  EXPECT_EQ(memo.stats().html_misses, misses);
  memo.Html(Story(1, 1, LongBody(200)));
  EXPECT_EQ(memo.stats().html_misses, misses + 1);
}

TEST(ContentMemo, ManyThreadsAgree) {
  ContentMemo memo({}, 256 << 10, 64 << 10);
  std::vector<Article> stories;
  for (int id = 1; id <= 40; ++id) stories.push_back(Story(id, 1, LongBody(60 + id)));
  std::vector<std::string> expected;
  for (const Article& a : stories) expected.push_back(MakeExcerpt(RenderBody(a.body, a.body_format), 55));
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t i = 0; i < stories.size(); ++i) {
          std::size_t k = (i * 7 + static_cast<std::size_t>(t)) % stories.size();
          if (memo.Excerpt(stories[k]) != expected[k]) ++wrong[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

}  // namespace
}  // namespace dateline
