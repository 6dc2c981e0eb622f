// The WordPress importer on WordPress's own fixtures (../shared/corpora/wxr):
// counts by type and status, sample fields as WordPress shows them,
// sanitized bodies, redirects, idempotence, updates and clean failures.
#include "interop/wxr_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "interop/wxr_mapping.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "text/slug.h"

namespace dateline {
namespace {

std::string Corpus(const std::string& name) { return std::string(DATELINE_WXR_CORPUS) + "/" + name; }

class WxrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(Corpus("themeunittestdata.wordpress.xml"))) {
      GTEST_SKIP() << "WXR corpus not found at " << DATELINE_WXR_CORPUS;
    }
    auto s = OpenSqliteStore(dir_ / "site.db", {Slugify, nullptr});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    options_.now = 1'800'000'000;
  }

  WxrImportReport Import(const std::string& path) {
    auto r = ImportWxr(path, *store_, options_);
    EXPECT_TRUE(r.has_value()) << path << ": " << (r ? "" : r.error().ToString());
    return r.value_or(WxrImportReport{});
  }

  Article Story(std::string_view slug) {
    auto a = store_->GetArticleBySlug(slug);
    EXPECT_TRUE(a.has_value()) << slug;
    return a.value_or(Article{});
  }

  std::string Redirect(std::string_view from) { return store_->GetRedirect(from).value_or(""); }

  // No script, no on* handler, no javascript: URL in any stored body.
  void ExpectSafeBodies() {
    static const std::regex kHandler(R"(<[^>]*\son[a-z]+\s*=)", std::regex::icase);
    auto articles = store_->AllArticles();
    ASSERT_TRUE(articles.has_value());
    for (const Article& a : *articles) {
      EXPECT_EQ(a.body.find("<script"), std::string::npos) << a.slug;
      EXPECT_FALSE(std::regex_search(a.body, kHandler)) << a.slug;
      EXPECT_EQ(a.body.find("javascript:"), std::string::npos) << a.slug;
      EXPECT_EQ(a.body_format, BodyFormat::kHtml);
    }
    auto pages = store_->AllPages();
    ASSERT_TRUE(pages.has_value());
    for (const StaticPage& p : *pages) {
      EXPECT_EQ(p.body.find("<script"), std::string::npos) << p.path;
      EXPECT_FALSE(std::regex_search(p.body, kHandler)) << p.path;
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  WxrImportOptions options_;
};

TEST_F(WxrTest, ThemeUnitTestCountsByTypeAndStatus) {
  WxrImportReport r = Import(Corpus("themeunittestdata.wordpress.xml"));
  EXPECT_EQ(r.wxr_version, "1.2");
  EXPECT_EQ(r.items, 186);
  EXPECT_EQ(r.items_by_type, (std::map<std::string, int>{
                                 {"attachment", 37}, {"nav_menu_item", 70}, {"page", 21}, {"post", 58}}));
  // publish 56 (one of them password-protected -> draft), future 1, draft 1.
  EXPECT_EQ(r.posts_by_status,
            (std::map<std::string, int>{{"draft", 2}, {"published", 55}, {"scheduled", 1}}));
  EXPECT_EQ(r.password_as_draft, 1);
  EXPECT_EQ(r.posts.inserted, 58);
  EXPECT_EQ(r.pages.inserted, 21);
  EXPECT_EQ(r.pages_by_status, (std::map<std::string, int>{{"published", 21}}));
  EXPECT_EQ(r.comments, 33);
  EXPECT_EQ(r.authors_created, (std::vector<std::string>{"Theme Buster", "Theme Reviewer"}));
  EXPECT_EQ(r.skipped["nav_menu_item (not a post or page)"], 70);
  EXPECT_EQ(static_cast<int>(store_->AllArticles()->size()), 58);
  EXPECT_EQ(static_cast<int>(store_->AllPages()->size()), 21);
  EXPECT_NE(r.ToText().find("comments: 33 counted, not imported"), std::string::npos);
}

TEST_F(WxrTest, ThemeUnitTestFieldsAsWordPressShowsThem) {
  Import(Corpus("themeunittestdata.wordpress.xml"));
  Article sticky = Story("template-sticky");
  EXPECT_EQ(sticky.headline, "Template: Sticky");
  EXPECT_TRUE(sticky.featured);
  EXPECT_EQ(sticky.status, PublishState::kPublished);
  EXPECT_EQ(sticky.published_at, *ParseRfc3339("2012-01-07T14:07:21Z"));  // post_date_gmt
  EXPECT_EQ(sticky.section, "classic");  // the first category
  // Post tags first, then the further categories.
  EXPECT_EQ(sticky.tags, (std::vector<std::string>{"sticky", "template", "Uncategorized"}));
  EXPECT_EQ(sticky.authors, std::vector<std::string>{"Theme Buster"});

  Article excerpt = Story("template-excerpt-defined");
  EXPECT_EQ(excerpt.excerpt.rfind("This is a user-defined post excerpt.", 0), 0u);
  // The category "Template" is the tag "template" already (same slug).
  EXPECT_EQ(excerpt.tags, (std::vector<std::string>{"content περιεχόμενο", "excerpt", "template",
                                                    "Uncategorized"}));

  Article scheduled = Story("scheduled");
  EXPECT_EQ(scheduled.status, PublishState::kScheduled);
  EXPECT_EQ(scheduled.published_at, *ParseRfc3339("2030-01-01T19:00:18Z"));
  Article draft = Story("draft");  // no post_name: made from the title
  EXPECT_EQ(draft.status, PublishState::kDraft);
  EXPECT_EQ(Story("template-password-protected").status, PublishState::kDraft);

  Article horizontal = Story("template-featured-image-horizontal");
  ASSERT_TRUE(horizontal.lead_image.has_value());
  EXPECT_EQ(horizontal.lead_image->url,
            "https://wpthemetestdata.files.wordpress.com/2013/03/featured-image-horizontal.jpg");
  EXPECT_EQ(horizontal.lead_image->alt, "Horizontal Featured Image");

  // Sections keep the category tree.
  auto child = store_->GetSection("child-1");
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->parent_slug, "parent");
  EXPECT_EQ(store_->GetSection("classic")->name, "Classic");

  // Pages at their WordPress path, children under their parent.
  auto about = store_->GetPageByPath("/about/");
  ASSERT_TRUE(about.has_value());
  EXPECT_EQ(about->title, "About The Tests");
  EXPECT_TRUE(store_->GetPageByPath("/about/page-image-alignment/").has_value());
}

TEST_F(WxrTest, BodiesAreSanitizedHtmlWithShortcodesAndParagraphs) {
  WxrImportReport r = Import(Corpus("themeunittestdata.wordpress.xml"));
  ExpectSafeBodies();
  std::string gallery = Story("post-format-gallery").body;
  EXPECT_NE(gallery.find("<li>\n<figure><img src=\"https://wpthemetestdata.files.wordpress.com/"),
            std::string::npos)
      << gallery.substr(0, 300);
  EXPECT_EQ(gallery.find("[gallery"), std::string::npos);
  std::string aligned = Story("markup-image-alignment").body;
  EXPECT_NE(aligned.find("<figcaption>"), std::string::npos);
  EXPECT_EQ(aligned.find("[caption"), std::string::npos);
  // A classic-editor post: blank lines became paragraphs.
  EXPECT_EQ(Story("template-sticky").body.rfind("<p>This is a sticky post.</p>", 0), 0u);
  EXPECT_EQ(r.unknown_shortcodes.count("caption"), 0u);
  EXPECT_GT(r.embeds, 0);
}

TEST_F(WxrTest, OldLinksRedirect) {
  Import(Corpus("themeunittestdata.wordpress.xml"));
  EXPECT_EQ(Redirect("/wp-6-1-font-size-scale/"), "/2023/01/16/wp-6-1-font-size-scale/");
  EXPECT_EQ(Redirect("/?p=163"), "/2023/01/16/wp-6-1-font-size-scale/");
  EXPECT_EQ(Redirect("/?page_id=2"), "/about/");
  EXPECT_EQ(Redirect("/category/parent/child-1/"), "/category/child-1/");
  EXPECT_EQ(Redirect("/author/themedemos/"), "/author/theme-buster/");
  EXPECT_EQ(Redirect("/tag/sticky-2/"), "/tag/sticky/");
  // Drafts and password-protected posts reveal nothing through redirects.
  EXPECT_EQ(Redirect("/2012/01/04/template-password-protected/"), "");
}

TEST_F(WxrTest, ImportingTwiceChangesNothing) {
  Import(Corpus("themeunittestdata.wordpress.xml"));
  std::int64_t seq = *store_->LastChangeSeq();
  auto before = *store_->AllArticles();
  WxrImportReport again = Import(Corpus("themeunittestdata.wordpress.xml"));
  EXPECT_EQ(*store_->LastChangeSeq(), seq);
  EXPECT_EQ(*store_->AllArticles(), before);
  EXPECT_EQ(again.posts.unchanged, 58);
  EXPECT_EQ(again.pages.unchanged, 21);
  EXPECT_EQ(again.posts.inserted + again.posts.updated, 0);
  EXPECT_TRUE(again.authors_created.empty());
  EXPECT_EQ(again.redirects, 0);
}

TEST_F(WxrTest, NewerExportUpdatesChangedPostsAndAddsNewOnes) {
  std::ifstream in(Corpus("small-export.xml"));
  std::string xml((std::istreambuf_iterator<char>(in)), {});
  Import(Corpus("small-export.xml"));
  Article hello = Story("hello-world");
  // The newsroom's own SEO fields (WXR has none) survive the update.
  hello.seo_title = "Hello, search engines";
  hello.seo_description = "Set in the newsroom.";
  ASSERT_TRUE(store_->SaveArticle(hello).ok());
  std::size_t stories = store_->AllArticles()->size();
  // The newer export: "Hello world!" retitled and its slug changed, and a
  // copy of the last post added under a new id and GUID.
  std::string newer = xml;
  auto replace = [](std::string& s, const std::string& from, const std::string& to) {
    std::size_t at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
  };
  replace(newer, "<title>Hello world!</title>", "<title>Hello again</title>");
  replace(newer, "<wp:post_name>hello-world</wp:post_name>",
          "<wp:post_name>hello-again</wp:post_name>");
  std::size_t last_start = newer.rfind("<item>");
  std::size_t last_end = newer.rfind("</item>") + 7;
  std::string copy = newer.substr(last_start, last_end - last_start);
  replace(copy, "<wp:post_id>22</wp:post_id>", "<wp:post_id>9999</wp:post_id>");
  std::size_t guid = copy.find("<guid");
  copy.replace(guid, copy.find("</guid>") + 7 - guid,
               "<guid isPermaLink=\"false\">http://example.org/?p=9999</guid>");
  replace(copy, "<wp:post_name>", "<wp:post_name>added-");
  newer.insert(last_end, "\n" + copy);
  std::string path = dir_ / "newer.xml";
  std::ofstream(path) << newer;

  WxrImportReport r = Import(path);
  EXPECT_EQ(r.posts.updated, 1) << r.ToText();
  EXPECT_EQ(r.posts.inserted, 1) << r.ToText();
  EXPECT_EQ(r.pages.unchanged, 5) << r.ToText();
  EXPECT_EQ(store_->AllArticles()->size(), stories + 1);
  Article again = Story("hello-again");
  EXPECT_EQ(again.id, hello.id);  // the same story, matched by WordPress id
  EXPECT_EQ(again.headline, "Hello again");
  EXPECT_EQ(again.seo_title, "Hello, search engines");
  EXPECT_EQ(again.seo_description, "Set in the newsroom.");
  EXPECT_FALSE(store_->GetArticleBySlug("hello-world").has_value());
  // Its previous URL now redirects to the new one.
  EXPECT_EQ(Redirect(options_.site.permalink.Build(hello, options_.site.zone)),
            options_.site.permalink.Build(again, options_.site.zone));
}

TEST_F(WxrTest, MalformedXmlFailsWithLineAndColumnAndWritesNothing) {
  Import(Corpus("valid-wxr-1.1.xml"));
  std::int64_t seq = *store_->LastChangeSeq();
  for (const char* name : {"crazy-cdata.xml", "malformed-simple.xml", "malformed.xml"}) {
    auto r = ImportWxr(Corpus(name), *store_, options_);
    ASSERT_FALSE(r.has_value()) << name;
    EXPECT_TRUE(std::regex_search(r.error().message(), std::regex(R"(line \d+, column \d+: )")))
        << name << ": " << r.error().message();
    EXPECT_EQ(*store_->LastChangeSeq(), seq) << name;
  }
  auto crazy = ImportWxr(Corpus("crazy-cdata.xml"), *store_, options_);
  EXPECT_NE(crazy.error().message().find("line 18, column"), std::string::npos)
      << crazy.error().message();
}

TEST_F(WxrTest, MissingOrUnknownVersionIsNotAnExport) {
  for (const char* name : {"missing-version-tag.xml", "invalid-version-tag.xml"}) {
    auto r = ImportWxr(Corpus(name), *store_, options_);
    ASSERT_FALSE(r.has_value()) << name;
    EXPECT_NE(r.error().message().find("wxr_version"), std::string::npos) << r.error().message();
  }
  EXPECT_EQ(*store_->LastChangeSeq(), 0);
}

TEST_F(WxrTest, EveryWellFormedFixtureImports) {
  const std::set<std::string> broken = {"crazy-cdata.xml", "malformed-simple.xml", "malformed.xml",
                                        "missing-version-tag.xml", "invalid-version-tag.xml"};
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DATELINE_WXR_CORPUS)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".xml" || broken.contains(name)) continue;
    ++files;
    WxrImportReport r = Import(entry.path().string());
    int posts = 0;
    for (const auto& [status, n] : r.posts_by_status) posts += n;
    EXPECT_EQ(posts, r.posts.inserted + r.posts.updated + r.posts.unchanged) << name;
  }
  EXPECT_EQ(files, 36);
  ExpectSafeBodies();
}

TEST_F(WxrTest, EdgeCaseFixtures) {
  // Only the WordPress namespace URIs count: the hijacked item has no post type.
  WxrImportReport ns = Import(Corpus("namespace-edge-cases.xml"));
  EXPECT_EQ(ns.posts.inserted, 5);
  EXPECT_EQ(ns.skipped["item without a wp:post_type"], 1);
  EXPECT_EQ(Story("mixed-namespaces").body, "<p>Content with namespace conflicts</p>");

  WxrImportReport small = Import(Corpus("small-export.xml"));
  EXPECT_EQ(small.private_as_draft, 1);
  EXPECT_EQ(small.pages_by_status, (std::map<std::string, int>{{"draft", 1}, {"published", 4}}));

  WxrImportReport authors = Import(Corpus("large-authors.xml"));
  EXPECT_EQ(authors.authors_created.size(), 300u);

  WxrImportReport a11y = Import(Corpus("a11y-unit-test-data.xml"));
  EXPECT_TRUE(a11y.authors_created.empty());
  EXPECT_EQ(a11y.items_by_type["(none)"], 1);
}

TEST_F(WxrTest, DryRunReportsTheSameAndWritesNothing) {
  options_.dry_run = true;
  WxrImportReport dry = Import(Corpus("themeunittestdata.wordpress.xml"));
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(dry.posts.inserted, 58);
  EXPECT_EQ(*store_->LastChangeSeq(), 0);
  EXPECT_TRUE(store_->AllArticles()->empty());
  EXPECT_NE(dry.ToText().find("dry run, nothing was written"), std::string::npos);
}

TEST(WxrMapping, DatesSlugsAndLinks) {
  EXPECT_EQ(WpDate("2012-01-07 14:07:21"), *ParseRfc3339("2012-01-07T14:07:21Z"));
  EXPECT_FALSE(WpDate("0000-00-00 00:00:00").has_value());
  auto ny = TimeZone::Load("America/New_York");
  ASSERT_TRUE(ny.has_value());
  EXPECT_EQ(WpLocalDate("2024-07-01 12:00:00", *ny), *ParseRfc3339("2024-07-01T12:00:00-04:00"));
  EXPECT_EQ(WpLocalDate("2024-01-01 12:00:00", *ny), *ParseRfc3339("2024-01-01T12:00:00-05:00"));
  EXPECT_EQ(WpSlug("hello-world", "x"), "hello-world");
  EXPECT_EQ(WpSlug("%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82", "x"), "privet");
  EXPECT_EQ(WpSlug("", "Hello World"), "hello-world");
  EXPECT_EQ(LinkPath("https://old.example/a%20b/?p=1"), "/a b/?p=1");
  EXPECT_EQ(LinkPath("http://example.org/?p=1"), "/?p=1");
  EXPECT_EQ(LinkPath("https://old.example/2010/08/06/post/#more"), "/2010/08/06/post/");
}

}  // namespace
}  // namespace dateline
