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
  json org = Pair("@type", "Organization", "name", s.name);
  org["url"] = s.base_url + "/";
  if (!logo.empty()) org["logo"] = Pair("@type", "ImageObject", "url", logo);
  return org;
}

// A BreadcrumbList or ItemList element.
json ListItem(int position, std::string name, const char* url_key, std::string url) {
  json item = Pair("@type", "ListItem", "name", std::move(name));
  item["position"] = position;
  item[url_key] = std::move(url);
  return item;
}

json ItemList(const SiteSettings& s, const json& items, const SharedTrees* shared) {
  static const SharedTrees kNone;
  json list = json::array();
  int pos = 1;
  for (const json& stand_in : items) {
    const json& item = SharedTree(stand_in, shared != nullptr ? *shared : kNone);
    list.push_back(
        ListItem(pos++, item.value("headline", ""), "url", Abs(s, item.value("url", ""))));
  }
  json out = json::object();
  out["@type"] = "ItemList";
  out["numberOfItems"] = list.size();
  out["itemListElement"] = std::move(list);
  return out;
}

}  // namespace

std::vector<json> PageJsonLd(const json& model, const PageMetaInput& in, const SiteSettings& s) {
  std::vector<json> docs;
  const std::string canonical = Str(model, {"page", "canonical"});
  const std::string context = "https://schema.org";
  if (in.template_name == "article" && model.contains("article")) {
    // Built in place: a nested initializer list copies every value once
    // more (the keys come out sorted either way).
    const json& a = model["article"];
    const std::string headline = a.value("headline", "");
    json news = Pair("@context", context, "@type", "NewsArticle");
    news["headline"] = headline;
    news["url"] = canonical;
    news["mainEntityOfPage"] = Pair("@type", "WebPage", "@id", canonical);
    news["datePublished"] = Str(a, {"published", "iso"});
    news["publisher"] = Organization(s, in.logo_url);
    news["inLanguage"] = a.value("language", s.language);
    std::string description = Str(model, {"page", "description"});
    if (!description.empty()) news["description"] = std::move(description);
    std::string image = Abs(s, Str(a, {"lead_image", "src"}));
    news["image"] = json::array({image.empty() ? in.logo_url : image});
    // The newest of publishing, the last edit and the last correction.
    std::string modified = Str(a, {"modified", "iso"});
    if (modified.empty()) modified = Str(a, {"updated", "iso"});
    news["dateModified"] = modified.empty() ? news["datePublished"] : json(std::move(modified));
    json corrections = json::array();
    for (const json& c : List(a, "corrections")) {
      json comment = Pair("@type", "CorrectionComment", "text", c.value("note", ""));
      comment["datePublished"] = Str(c, {"at", "iso"});
      corrections.push_back(std::move(comment));
    }
    if (!corrections.empty()) news["correction"] = std::move(corrections);
    json authors = json::array();
    for (const json& p : List(a, "authors")) {
      json person = Pair("@type", "Person", "name", p.value("name", ""));
      person["url"] = Abs(s, p.value("url", ""));
      authors.push_back(std::move(person));
    }
    news["author"] = authors.empty() ? json::array({Organization(s, in.logo_url)}) : std::move(authors);
    std::string section = Str(a, {"section", "name"});
    if (!section.empty()) news["articleSection"] = section;
    json keywords = json::array();
    for (const json& t : List(a, "tags")) keywords.push_back(t.value("name", ""));
    if (!keywords.empty()) news["keywords"] = std::move(keywords);
    docs.push_back(std::move(news));

    json crumbs = json::array();
    crumbs.push_back(ListItem(1, "Home", "item", s.base_url + "/"));
    if (!section.empty()) {
      crumbs.push_back(ListItem(2, section, "item", Abs(s, Str(a, {"section", "url"}))));
    }
    crumbs.push_back(ListItem(static_cast<int>(crumbs.size()) + 1, headline, "item", canonical));
    json breadcrumbs = Pair("@context", context, "@type", "BreadcrumbList");
    breadcrumbs["itemListElement"] = std::move(crumbs);
    docs.push_back(std::move(breadcrumbs));
  } else if (in.template_name == "list" && model.contains("listing")) {
    const json& l = model["listing"];
    json page = Pair("@context", context, "@type", "CollectionPage");
    page["name"] = Str(model, {"page", "title"});
    page["url"] = canonical;
    page["inLanguage"] = s.language;
    json site = Pair("@type", "WebSite", "name", s.name);
    site["url"] = s.base_url + "/";
    page["isPartOf"] = std::move(site);
    page["mainEntity"] = ItemList(s, List(l, "items"), in.shared);
    docs.push_back(std::move(page));
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
    json feed = Pair("title", title, "type", type);
    feed["href"] = href;
    feeds.push_back(std::move(feed));
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
