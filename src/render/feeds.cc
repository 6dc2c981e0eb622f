#include "render/feeds.h"

#include "base/date_text.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/escape.h"

namespace dateline {

namespace {

void Element(std::string& out, std::string_view indent, std::string_view name,
             std::string_view text) {
  out += indent;
  out += '<';
  out += name;
  out += '>';
  out += EscapeXml(text);
  out += "</";
  out += name;
  out += ">\n";
}

}  // namespace

std::string FormatRfc822(Seconds t) { return FormatRfc5322Date(t, "+0000"); }

std::string RenderRss(const Feed& feed) {
  const OutputFormat& rss = FindFormat(FormatId::kRss);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n";
  Element(out, "  ", "title", feed.title);
  Element(out, "  ", "link", feed.home_url);
  Element(out, "  ", "description", feed.description.empty() ? feed.title : feed.description);
  out += "  <atom:link href=\"" + EscapeXml(feed.self_url) + "\" rel=\"self\" type=\"" +
         std::string(rss.link_type) + "\"/>\n";
  if (!feed.language.empty()) Element(out, "  ", "language", feed.language);
  Element(out, "  ", "lastBuildDate", FormatRfc822(feed.updated));
  Element(out, "  ", "generator", "Dateline");
  if (!feed.icon_url.empty()) {
    out += "  <image>\n";
    Element(out, "    ", "url", feed.icon_url);
    Element(out, "    ", "title", feed.title);
    Element(out, "    ", "link", feed.home_url);
    out += "  </image>\n";
  }
  for (const FeedItem& item : feed.items) {
    out += "  <item>\n";
    Element(out, "    ", "title", item.title);
    Element(out, "    ", "link", item.url);
    out += "    <guid isPermaLink=\"true\">" + EscapeXml(item.url) + "</guid>\n";
    Element(out, "    ", "pubDate", FormatRfc822(item.published));
    for (const FeedPerson& a : item.authors) Element(out, "    ", "dc:creator", a.name);
    for (const std::string& c : item.categories) Element(out, "    ", "category", c);
    if (!item.summary.empty()) Element(out, "    ", "description", item.summary);
    Element(out, "    ", "content:encoded", item.content_html);
    if (!item.image_url.empty()) {
      out += "    <media:content url=\"" + EscapeXml(item.image_url) + "\" medium=\"image\"";
      if (!item.image_type.empty()) out += " type=\"" + EscapeXml(item.image_type) + "\"";
      out += "/>\n";
    }
    out += "  </item>\n";
  }
  out += "</channel>\n</rss>\n";
  return out;
}

std::string RenderAtom(const Feed& feed) {
  const OutputFormat& atom = FindFormat(FormatId::kAtom);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"";
  if (!feed.language.empty()) out += " xml:lang=\"" + EscapeXml(feed.language) + "\"";
  out += ">\n";
  Element(out, "  ", "id", feed.self_url);
  Element(out, "  ", "title", feed.title);
  if (!feed.description.empty()) Element(out, "  ", "subtitle", feed.description);
  Element(out, "  ", "updated", feed.updated_iso);
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeXml(feed.home_url) +
         "\"/>\n";
  out += "  <link rel=\"self\" type=\"" + std::string(atom.link_type) + "\" href=\"" +
         EscapeXml(feed.self_url) + "\"/>\n";
  // RFC 4287: a feed needs an author unless every entry has one.
  out += "  <author>\n";
  Element(out, "    ", "name", feed.site_name);
  Element(out, "    ", "uri", feed.home_url);
  out += "  </author>\n";
  Element(out, "  ", "generator", "Dateline");
  if (!feed.icon_url.empty()) Element(out, "  ", "icon", feed.icon_url);
  for (const FeedItem& item : feed.items) {
    out += "  <entry";
    if (!item.language.empty()) out += " xml:lang=\"" + EscapeXml(item.language) + "\"";
    out += ">\n";
    Element(out, "    ", "id", item.url);
    Element(out, "    ", "title", item.title);
    out += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeXml(item.url) + "\"/>\n";
    Element(out, "    ", "published", item.published_iso);
    Element(out, "    ", "updated", item.modified_iso.empty() ? item.published_iso : item.modified_iso);
    for (const FeedPerson& a : item.authors) {
      out += "    <author>\n";
      Element(out, "      ", "name", a.name);
      if (!a.url.empty()) Element(out, "      ", "uri", a.url);
      out += "    </author>\n";
    }
    for (const std::string& c : item.categories) {
      out += "    <category term=\"" + EscapeXml(c) + "\"/>\n";
    }
    if (!item.summary.empty()) {
      out += "    <summary type=\"text\">" + EscapeXml(item.summary) + "</summary>\n";
    }
    out += "    <content type=\"html\">" + EscapeXml(item.content_html) + "</content>\n";
    if (!item.image_url.empty()) {
      out += "    <link rel=\"enclosure\" href=\"" + EscapeXml(item.image_url) + "\"";
      if (!item.image_type.empty()) out += " type=\"" + EscapeXml(item.image_type) + "\"";
      out += "/>\n";
    }
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

std::string RenderJsonFeed(const Feed& feed) {
  using nlohmann::json;
  json j = {{"version", "https://jsonfeed.org/version/1.1"},
            {"title", feed.title},
            {"home_page_url", feed.home_url},
            {"feed_url", feed.self_url}};
  if (!feed.description.empty()) j["description"] = feed.description;
  if (!feed.language.empty()) j["language"] = feed.language;
  if (!feed.icon_url.empty()) j["favicon"] = feed.icon_url;
  j["authors"] = json::array({{{"name", feed.site_name}, {"url", feed.home_url}}});
  json items = json::array();
  for (const FeedItem& item : feed.items) {
    json i = {{"id", item.url}, {"url", item.url}, {"title", item.title},
              {"content_html", item.content_html}, {"date_published", item.published_iso}};
    if (!item.summary.empty()) i["summary"] = item.summary;
    if (!item.modified_iso.empty()) i["date_modified"] = item.modified_iso;
    if (!item.image_url.empty()) i["image"] = item.image_url;
    if (!item.authors.empty()) {
      json authors = json::array();
      for (const FeedPerson& a : item.authors) {
        json p = {{"name", a.name}};
        if (!a.url.empty()) p["url"] = a.url;
        authors.push_back(p);
      }
      i["authors"] = authors;
    }
    if (!item.categories.empty()) i["tags"] = item.categories;
    if (!item.language.empty()) i["language"] = item.language;
    items.push_back(std::move(i));
  }
  j["items"] = std::move(items);
  // Invalid UTF-8 cannot reach here (the store and text layer validate it);
  // replace rather than throw if it ever does.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderFeed(FormatId format, const Feed& feed) {
  switch (format) {
    case FormatId::kRss: return RenderRss(feed);
    case FormatId::kAtom: return RenderAtom(feed);
    case FormatId::kJsonFeed: return RenderJsonFeed(feed);
    default: return "";
  }
}

}  // namespace dateline
