#include "render/renderer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "base/escape.h"
#include "support/temp_dir.h"

namespace dateline {
namespace {

TEST(Theme, BuiltInThemeHasEveryPageTemplateAndHashedAssets) {
  auto theme = Theme::Load(std::nullopt);
  ASSERT_TRUE(theme.has_value()) << theme.error().ToString();
  for (const char* name : {"article", "home", "list", "not_found"}) {
    EXPECT_NE(theme->Template(name), nullptr) << name;
  }
  std::string css = theme->AssetUrl("style.css");
  ASSERT_FALSE(css.empty());
  EXPECT_TRUE(css.rfind("/assets/style.", 0) == 0 && css.ends_with(".css")) << css;
  EXPECT_EQ(css.size(), std::string("/assets/style.12345678.css").size());
  const Asset* asset = theme->FindAsset(css);
  ASSERT_NE(asset, nullptr);
  EXPECT_EQ(asset->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(theme->FindAsset("/assets/style.css"), nullptr);  // only the hashed name
}

TEST(Theme, FolderOverridesFileByFileAndChangesTheHash) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "assets");
  std::ofstream(dir.path() / "assets" / "style.css") << "body{color:red}";
  std::ofstream(dir.path() / "not_found.mustache") << "<p>Lost: {{page.title}}</p>";
  auto builtin = Theme::Load(std::nullopt);
  auto theme = Theme::Load(dir.path());
  ASSERT_TRUE(theme.has_value()) << theme.error().ToString();
  EXPECT_NE(theme->AssetUrl("style.css"), builtin->AssetUrl("style.css"));
  EXPECT_EQ(theme->FindAsset(theme->AssetUrl("style.css"))->body, "body{color:red}");
  EXPECT_EQ(*theme->Template("article"), *builtin->Template("article"));  // not overridden
  Renderer r(*theme);
  auto html = r.Render("not_found", {{"page", {{"title", "<x>"}}}});
  ASSERT_TRUE(html.has_value());
  EXPECT_EQ(*html, "<p>Lost: &lt;x&gt;</p>");
}

TEST(Theme, BrokenTemplateNamesTheFile) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "home.mustache") << "{{#open}} never closed";
  auto theme = Theme::Load(dir.path());
  ASSERT_FALSE(theme.has_value());
  EXPECT_NE(theme.error().message().find("home.mustache"), std::string::npos);
  EXPECT_FALSE(Theme::Load(dir.path() / "missing").has_value());
}

TEST(Renderer, MustacheDataKeepsEveryLevelOfTheModel) {
  // Nested objects and lists, each child moved into place (renderer.cc):
  // every value must arrive, in order, at every depth.
  nlohmann::json model = {
      {"page", {{"lists", {{{"items", {{{"name", "a"}, {"tag", {{"slug", "x"}}}},
                                       {{"name", "b"}, {"tag", {{"slug", "y"}}}}}}},
                           {{"items", {{{"name", "c"}, {"tag", {{"slug", "z"}}}}}}}}}}},
      {"empty", ""},
      {"none", nlohmann::json::array()},
      {"n", 3},
      {"yes", true}};
  kainjow::mustache::mustache tmpl(
      "{{#page}}{{#lists}}[{{#items}}{{name}}:{{#tag}}{{slug}}{{/tag}};{{/items}}]{{/lists}}"
      "{{/page}}|{{^empty}}no text{{/empty}}|{{^none}}no list{{/none}}|{{n}}|{{#yes}}T{{/yes}}");
  EXPECT_EQ(tmpl.render(MustacheData(model)), "[a:x;b:y;][c:z;]|no text|no list|3|T");
  // A temporary model gives the same data.
  nlohmann::json copy = model;
  EXPECT_EQ(tmpl.render(MustacheData(std::move(copy))), "[a:x;b:y;][c:z;]|no text|no list|3|T");
}

TEST(Renderer, EscapesTextKeepsTripleBracesAndUsesPartials) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "partials");
  std::ofstream(dir.path() / "partials" / "row.mustache") << "<li>{{name}}</li>";
  std::ofstream(dir.path() / "t.mustache")
      << "{{title}}|{{{raw}}}|<ul>{{#items}}{{> row}}{{/items}}</ul>|{{^none}}empty{{/none}}|"
         "{{count}}|{{assets.style_css}}";
  auto theme = Theme::Load(dir.path());
  ASSERT_TRUE(theme.has_value()) << theme.error().ToString();
  Renderer r(*theme);
  nlohmann::json model = {{"title", "A & B <i>"},
                          {"raw", "<em>ok</em>"},
                          {"items", {{{"name", "x\"y"}}, {{"name", "z"}}}},
                          {"none", nlohmann::json::array()},
                          {"count", 42}};
  auto html = r.Render("t", model);
  ASSERT_TRUE(html.has_value()) << html.error().ToString();
  EXPECT_EQ(*html, "A &amp; B &lt;i&gt;|<em>ok</em>|<ul><li>x&quot;y</li><li>z</li></ul>|empty|42|" +
                       theme->AssetUrl("style.css"));
  auto missing = r.Render("nope", model);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("nope"), std::string::npos);
}

TEST(Renderer, DottedNamesAsKainjowLooksThemUp) {
  // The renderer cuts dotted names itself (renderer.cc's Context); every
  // form of dotted name must find what kainjow's own context finds, at the
  // top and inside sections (where the name may be found further out).
  const std::string source =
      "{{a.b}}|{{a.b.c}}|{{a.}}|{{a..b}}|{{.a}}|{{a.x}}|{{x.b}}|{{#list}}{{name}}:{{a.b}}:"
      "{{inner.a.b}}:{{.}}{{/list}}|{{#a}}{{b}}{{a.b}}{{/a}}|{{#a.c}}{{d}}{{/a.c}}|"
      "{{^a.none}}no{{/a.none}}|{{{a.raw}}}|{{a.raw}}|{{#a.}}dot{{/a.}}|{{#a..}}dots{{/a..}}";
  testing::TempDir dir;
  std::ofstream(dir.path() / "t.mustache") << source;
  auto theme = Theme::Load(dir.path());
  ASSERT_TRUE(theme.has_value()) << theme.error().ToString();
  Renderer r(*theme);
  nlohmann::json model = {
      {"a", {{"b", "ab"}, {"c", {{"d", "acd"}}}, {"none", nlohmann::json::array()}, {"raw", "<i>"}}},
      {"list", {{{"name", "one"}, {"inner", {{"a", {{"b", "inner-ab"}}}}}},
                {{"name", "two"}, {"a", {{"b", "own-ab"}}}}}},
      {"", {{"a", "empty-key"}}}};
  auto html = r.Render("t", model);
  ASSERT_TRUE(html.has_value()) << html.error().ToString();
  kainjow::mustache::mustache tmpl(source);
  tmpl.set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  kainjow::mustache::data data = MustacheData(model);
  EXPECT_EQ(*html, tmpl.render(data));
  EXPECT_NE(html->find("ab|"), std::string::npos);  // and it did find things
  EXPECT_NE(html->find("own-ab"), std::string::npos);
  EXPECT_NE(html->find("|dot"), std::string::npos) << *html;
}

// A random model over a few names, so that a template's lookups find
// objects, lists (of strings, objects and lists), strings (some empty),
// numbers, booleans and nulls at every depth.
nlohmann::json RandomModel(std::mt19937& rng, int depth) {
  static const char* const kNames[] = {"a", "b", "items", "name"};
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  int kind = depth <= 0 ? 2 + pick(5) : pick(7);
  switch (kind) {
    case 0: {
      nlohmann::json o = nlohmann::json::object();
      for (int i = pick(5); i > 0; --i) o[kNames[pick(4)]] = RandomModel(rng, depth - 1);
      return o;
    }
    case 1: {
      nlohmann::json l = nlohmann::json::array();
      for (int i = pick(4); i > 0; --i) l.push_back(RandomModel(rng, depth - 1));
      return l;
    }
    case 2: return pick(3) == 0 ? std::string() : "s<" + std::to_string(pick(100)) + "&";
    case 3: return pick(2) == 0 ? nlohmann::json(pick(1000)) : nlohmann::json(pick(1000) / 8.0);
    case 4: return pick(2) == 0;
    case 5: return nullptr;
    default: return "t" + std::to_string(pick(10));
  }
}

// A page's model over the same names: each present or not.
nlohmann::json RandomPage(std::mt19937& rng) {
  nlohmann::json page = nlohmann::json::object();
  for (const char* name : {"a", "b", "items", "name"}) {
    if (rng() % 4 != 0) page[name] = RandomModel(rng, 3);
  }
  return page;
}

std::filesystem::path WithTemplate(const testing::TempDir& dir, const std::string& source) {
  std::ofstream(dir.path() / "t.mustache") << source;
  return dir.path();
}

// A theme whose template "t" is `source`, beside kainjow's own parse of it
// (escaping as the Renderer does): what a render must equal.
struct OneTemplate {
  explicit OneTemplate(const std::string& source)
      : theme(Theme::Load(WithTemplate(dir, source))), kainjow(source) {
    kainjow.set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  }
  testing::TempDir dir;
  Result<Theme> theme;
  kainjow::mustache::mustache kainjow;
};

TEST(Renderer, ModelsMadeOnDemandRenderAsWhollyConvertedOnes) {
  // A render makes the model's values as the template looks them up
  // (renderer.cc's LazyModel); whatever the model, the page must be the one
  // kainjow renders from MustacheData's whole conversion. Names are looked
  // up more than once (a string is moved out of the model when first made).
  const std::string source =
      "{{a}}|{{{a}}}|{{a}}|{{b.name}}|{{a.b.items}}|{{#a}}[{{name}}{{b}}{{.}}]{{/a}}|"
      "{{^b}}not b{{/b}}|{{#items}}<{{name}}|{{#items}}({{.}}{{a.name}}){{/items}}|{{{b}}}>{{/items}}|"
      "{{#b}}{{#a}}{{#items}}{{name}}{{/items}}{{/a}}{{/b}}|{{b.items}}|{{name}}|{{{name}}}|"
      "{{#name}}{{.}}{{/name}}|{{^items}}no items{{/items}}|{{#a.items}}{{b}}{{/a.items}}";
  OneTemplate t(source);
  ASSERT_TRUE(t.theme.has_value()) << t.theme.error().ToString();
  Renderer r(*t.theme);
  kainjow::mustache::mustache& tmpl = t.kainjow;
  std::mt19937 rng(20261206);
  const std::string bare = tmpl.render(MustacheData(nlohmann::json::object()));
  int filled = 0;
  for (int i = 0; i < 600; ++i) {
    nlohmann::json model = RandomPage(rng);
    const std::string want = tmpl.render(MustacheData(model));
    auto given_up = r.Render("t", nlohmann::json(model));
    ASSERT_TRUE(given_up.has_value()) << given_up.error().ToString();
    ASSERT_EQ(*given_up, want) << model.dump();
    auto kept = r.Render("t", model);
    ASSERT_TRUE(kept.has_value());
    ASSERT_EQ(*kept, want) << model.dump();
    if (want.size() > bare.size() + 20) ++filled;
  }
  EXPECT_GT(filled, 100) << bare;  // the models did fill the template
}

// `j` with some of its objects (not the root) moved into `trees` and
// replaced by stand-ins for them.
void ShareSome(nlohmann::json& j, std::mt19937& rng, SharedTrees& trees, bool root) {
  if (j.is_object() && !root && rng() % 2 == 0) {
    trees.push_back(std::make_shared<const SharedJson>(std::move(j)));
    j = SharedStandIn(trees.size() - 1);
    return;
  }
  if (j.is_structured()) {
    for (auto& child : j) ShareSome(child, rng, trees, false);
  }
}

TEST(Renderer, SharedTreesRenderAsCopiesAndStayAsTheyWere) {
  // A model may stand in for subtrees other pages share (the cards of
  // listed stories); the page must be the one rendered from the whole
  // model, and the shared trees must not lose a string to it (the model's
  // own strings are moved out).
  const std::string source =
      "{{#items}}<{{name}}|{{a.name}}|{{#b}}{{name}}{{/b}}|{{{a}}}>{{/items}}|{{a.b.name}}|"
      "{{#a}}{{name}}{{#items}}[{{name}}{{.}}]{{/items}}{{/a}}|{{^b}}no b{{/b}}|{{b.name}}";
  OneTemplate t(source);
  ASSERT_TRUE(t.theme.has_value()) << t.theme.error().ToString();
  Renderer r(*t.theme);
  kainjow::mustache::mustache& tmpl = t.kainjow;
  std::mt19937 rng(1206);
  int stood_in = 0;
  for (int i = 0; i < 400; ++i) {
    nlohmann::json whole = RandomPage(rng);
    const std::string want = tmpl.render(MustacheData(whole));
    nlohmann::json model = whole;
    SharedTrees trees;
    ShareSome(model, rng, trees, true);
    stood_in += trees.empty() ? 0 : 1;
    ASSERT_EQ(ExpandShared(model, trees), whole);
    std::vector<std::string> before;
    for (const auto& t : trees) before.push_back(t->json.dump());
    for (int pass = 0; pass < 2; ++pass) {  // a second page from the same trees
      auto html = r.Render("t", nlohmann::json(model), trees);
      ASSERT_TRUE(html.has_value()) << html.error().ToString();
      ASSERT_EQ(*html, want) << whole.dump();
    }
    for (std::size_t k = 0; k < trees.size(); ++k) {
      ASSERT_EQ(trees[k]->json.dump(), before[k]);
      ASSERT_EQ(tmpl.render(trees[k]->data), tmpl.render(MustacheData(trees[k]->json)));
    }
    if (!trees.empty()) {
      const nlohmann::json stand_in = SharedStandIn(trees.size() - 1);
      EXPECT_EQ(&SharedTree(stand_in, trees), &trees.back()->json);
      EXPECT_EQ(&SharedTree(whole, trees), &whole);  // not a stand-in
    }
  }
  EXPECT_GT(stood_in, 50);
}

TEST(Renderer, PartialsThatIncludeThemselvesOrChangeDelimitersStillRender) {
  // Partials are written into templates ahead of time; a partial that
  // includes itself (a tree) must still stop where the data stops, and one
  // that changes delimiters must not change them for the template around it.
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "partials");
  std::ofstream(dir.path() / "partials" / "node.mustache")
      << "<li>{{name}}{{#children}}<ul>{{> node}}</ul>{{/children}}</li>";
  std::ofstream(dir.path() / "partials" / "odd.mustache") << "{{=<% %>=}}[<% name %>]";
  std::ofstream(dir.path() / "t.mustache")
      << "<ul>{{#tree}}{{> node}}{{/tree}}</ul>{{#tree}}{{> odd}}{{/tree}}{{> unknown}}{{name}}"
         "{{! a comment ends at the first braces: {{> node}}tail";
  auto theme = Theme::Load(dir.path());
  ASSERT_TRUE(theme.has_value()) << theme.error().ToString();
  Renderer r(*theme);
  // (A leaf says it has no children: Mustache looks a missing name up in
  // the enclosing contexts, which would find its parent's.)
  nlohmann::json leaf = {{"name", "c"}, {"children", nlohmann::json::array()}};
  nlohmann::json mid = {{"name", "b"}, {"children", {leaf}}};
  nlohmann::json top = {{"name", "a"}, {"children", nlohmann::json::array({mid})}};
  nlohmann::json deep = leaf;
  for (int i = 0; i < 12; ++i) deep = {{"name", "d"}, {"children", {deep}}};  // deeper than the inlining
  nlohmann::json model = {{"tree", {top, deep}}, {"name", "end"}};
  for (int pass = 0; pass < 2; ++pass) {  // the second render reuses the parsed template
    auto html = r.Render("t", model);
    ASSERT_TRUE(html.has_value()) << html.error().ToString();
    std::string want = "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li>";
    std::string chain = "<li>c</li>";
    for (int i = 0; i < 12; ++i) chain = "<li>d<ul>" + chain + "</ul></li>";
    want += chain + "</ul>[a][d]endtail";  // the comment hid "{{> node" only
    EXPECT_EQ(*html, want);
  }
}

}  // namespace
}  // namespace dateline
