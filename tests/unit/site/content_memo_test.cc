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
  EXPECT_GE(s.html_hits, 2u);  // the excerpt's miss found the body rendered
  EXPECT_GE(s.excerpt_hits, 2u);
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
