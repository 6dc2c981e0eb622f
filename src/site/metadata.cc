#include "site/metadata.h"

#include "render/structured_data.h"

namespace dateline {

namespace {

using nlohmann::json;

// The string at the path `keys` under `j`, or "" (a key missing, or not a
// string there).
std::string Str(const json& j, std::initializer_list<std::string_view> keys) {
  const json* at = &j;
  for (std::string_view key : keys) {
    if (!at->is_object()) return "";
    auto it = at->find(key);
    if (it == at->end()) return "";
    at = &*it;
  }
  return at->is_string() ? at->get_ref<const std::string&>() : "";
}

// The list `j[key]`, read in place (json::value copies it), or an empty one.
const json& List(const json& j, std::string_view key) {
  static const json kEmpty = json::array();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

// {k1: v1, k2: v2}, built in place (a nested initializer list copies
// each value once more).
json Pair(const char* k1, std::string v1, const char* k2, std::string v2) {
  json j = json::object();
  j[k1] = std::move(v1);
  j[k2] = std::move(v2);
  return j;
}

std::string Abs(const SiteSettings& s, const std::string& url) {
  if (url.empty() || url.starts_with("http://") || url.starts_with("https://")) return url;
  return s.base_url + url;
}

// "en-GB" -> "en_GB": Open Graph's locale form.
std::string OgLocale(std::string lang) {
  for (char& c : lang) {
    if (c == '-') c = '_';
  }
  return lang;
}

json Organization(const SiteSettings& s, const std::string& logo) {
  json org = {{"@type", "Organization"}, {"name", s.name}, {"url", s.base_url + "/"}};
  if (!logo.empty()) org["logo"] = {{"@type", "ImageObject"}, {"url", logo}};
  return org;
}

json ItemList(const SiteSettings& s, const json& items, const SharedTrees* shared) {
  static const SharedTrees kNone;
  json list = json::array();
  int pos = 1;
  for (const json& stand_in : items) {
    const json& item = SharedTree(stand_in, shared != nullptr ? *shared : kNone);
    list.push_back({{"@type", "ListItem"},
                    {"position", pos++},
                    {"url", Abs(s, item.value("url", ""))},
                    {"name", item.value("headline", "")}});
  }
  return {{"@type", "ItemList"}, {"numberOfItems", list.size()}, {"itemListElement", list}};
}

}  // namespace

std::vector<json> PageJsonLd(const json& model, const PageMetaInput& in, const SiteSettings& s) {
  std::vector<json> docs;
  const std::string canonical = Str(model, {"page", "canonical"});
  const std::string context = "https://schema.org";
  if (in.template_name == "article" && model.contains("article")) {
    const json& a = model["article"];
    json news = {{"@context", context},
                 {"@type", "NewsArticle"},
                 {"headline", a.value("headline", "")},
                 {"url", canonical},
                 {"mainEntityOfPage", {{"@type", "WebPage"}, {"@id", canonical}}},
                 {"datePublished", Str(a, {"published", "iso"})},
                 {"publisher", Organization(s, in.logo_url)},
                 {"inLanguage", a.value("language", s.language)}};
    std::string description = Str(model, {"page", "description"});
    if (!description.empty()) news["description"] = description;
    std::string image = Abs(s, Str(a, {"lead_image", "src"}));
    news["image"] = json::array({image.empty() ? in.logo_url : image});
    // The newest of publishing, the last edit and the last correction.
    std::string modified = Str(a, {"modified", "iso"});
    if (modified.empty()) modified = Str(a, {"updated", "iso"});
    news["dateModified"] = modified.empty() ? news["datePublished"] : json(modified);
    json corrections = json::array();
    for (const json& c : List(a, "corrections")) {
      corrections.push_back({{"@type", "CorrectionComment"},
                             {"text", c.value("note", "")},
                             {"datePublished", Str(c, {"at", "iso"})}});
    }
    if (!corrections.empty()) news["correction"] = std::move(corrections);
    json authors = json::array();
    for (const json& p : List(a, "authors")) {
      authors.push_back(
          {{"@type", "Person"}, {"name", p.value("name", "")}, {"url", Abs(s, p.value("url", ""))}});
    }
    news["author"] = authors.empty() ? json::array({Organization(s, in.logo_url)}) : std::move(authors);
    std::string section = Str(a, {"section", "name"});
    if (!section.empty()) news["articleSection"] = section;
    json keywords = json::array();
    for (const json& t : List(a, "tags")) keywords.push_back(t.value("name", ""));
    if (!keywords.empty()) news["keywords"] = std::move(keywords);
    docs.push_back(std::move(news));

    json crumbs = json::array();
    crumbs.push_back({{"@type", "ListItem"}, {"position", 1}, {"name", "Home"},
                      {"item", s.base_url + "/"}});
    if (!section.empty()) {
      crumbs.push_back({{"@type", "ListItem"}, {"position", 2}, {"name", section},
                        {"item", Abs(s, Str(a, {"section", "url"}))}});
    }
    crumbs.push_back({{"@type", "ListItem"}, {"position", crumbs.size() + 1},
                      {"name", a.value("headline", "")}, {"item", canonical}});
    docs.push_back({{"@context", context}, {"@type", "BreadcrumbList"}, {"itemListElement", crumbs}});
  } else if (in.template_name == "list" && model.contains("listing")) {
    const json& l = model["listing"];
    docs.push_back({{"@context", context},
                    {"@type", "CollectionPage"},
                    {"name", Str(model, {"page", "title"})},
                    {"url", canonical},
                    {"inLanguage", s.language},
                    {"isPartOf", {{"@type", "WebSite"}, {"name", s.name}, {"url", s.base_url + "/"}}},
                    {"mainEntity", ItemList(s, List(l, "items"), in.shared)}});
  } else if (in.template_name == "home") {
    docs.push_back({{"@context", context},
                    {"@type", "WebSite"},
                    {"name", s.name},
                    {"url", s.base_url + "/"},
                    {"description", s.description},
                    {"inLanguage", s.language},
                    {"publisher", Organization(s, in.logo_url)},
                    {"potentialAction",
                     {{"@type", "SearchAction"},
                      {"target", {{"@type", "EntryPoint"},
                                  {"urlTemplate", s.base_url + std::string(kSearchPathTemplate)}}},
                      {"query-input", "required name=search_term_string"}}}});
    json items = json::array();
    if (model.contains("lead")) items.push_back(model["lead"]);
    for (const json& b : List(model, "sections")) {
      for (const json& i : List(b, "items")) items.push_back(i);
    }
    for (const json& i : List(model, "more_news")) items.push_back(i);
    json list = ItemList(s, items, in.shared);
    list["@context"] = context;
    docs.push_back(list);
  }
  return docs;
}

void AddPageMetadata(json& model, const PageMetaInput& in, const SiteSettings& s) {
  json meta = json::object();
  json feeds = json::array();
  for (const auto& [title, type, href] : in.feeds) {
    feeds.push_back({{"title", title}, {"type", type}, {"href", href}});
  }
  meta["feeds"] = std::move(feeds);
  if (in.template_name == "not_found") {
    model["meta"] = std::move(meta);
    return;
  }
  const bool is_article = in.template_name == "article" && model.contains("article");
  const json empty = json::object();
  const json& a = is_article ? model["article"] : empty;
  // An article's social title is its SEO title when it has one, else its
  // headline (without the site's name that <title> carries).
  std::string title =
      is_article ? a.value("seo_title", "") : Str(model, {"page", "title"});
  if (is_article && title.empty()) title = a.value("headline", "");
  std::string description = Str(model, {"page", "description"});
  std::string url = Str(model, {"page", "canonical"});
  std::string image = Abs(s, Str(a, {"lead_image", "src"}));
  std::string image_alt = Str(a, {"lead_image", "alt"});
  if (image.empty()) {
    image = in.logo_url;
    image_alt = s.name;
  }
  if (image_alt.empty()) image_alt = title;

  json og = json::array();
  auto add = [&og](const char* property, std::string content) {
    if (!content.empty()) og.push_back(Pair("property", property, "content", std::move(content)));
  };
  add("og:type", is_article ? "article" : "website");
  add("og:title", title);
  add("og:description", description);
  add("og:url", url);
  add("og:image", image);
  add("og:image:alt", image_alt);
  add("og:site_name", s.name);
  add("og:locale", OgLocale(is_article ? a.value("language", s.language) : s.language));
  if (is_article) {
    std::string published = Str(a, {"published", "iso"});
    std::string modified = Str(a, {"modified", "iso"});
    if (modified.empty()) modified = Str(a, {"updated", "iso"});
    add("article:published_time", published);
    add("article:modified_time", modified.empty() ? published : modified);
    add("article:section", Str(a, {"section", "name"}));
    for (const json& t : List(a, "tags")) add("article:tag", t.value("name", ""));
    for (const json& p : List(a, "authors")) {
      add("article:author", Abs(s, p.value("url", "")));
    }
  }
  meta["og"] = std::move(og);

  json tw = json::array();
  auto tw_add = [&tw](const char* name, std::string content) {
    if (!content.empty()) tw.push_back(Pair("name", name, "content", std::move(content)));
  };
  tw_add("twitter:card", Str(a, {"lead_image", "src"}).empty() ? "summary"
                                                                        : "summary_large_image");
  tw_add("twitter:title", title);
  tw_add("twitter:description", description);
  tw_add("twitter:image", image);
  tw_add("twitter:image:alt", image_alt);
  meta["twitter"] = std::move(tw);

  json scripts = json::array();
  for (const json& doc : PageJsonLd(model, in, s)) scripts.push_back(JsonLdForHtml(doc));
  meta["json_ld"] = std::move(scripts);
  model["meta"] = std::move(meta);
}

}  // namespace dateline
