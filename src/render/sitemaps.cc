#include "render/sitemaps.h"

#include <algorithm>

#include "base/escape.h"

namespace dateline {

namespace {

constexpr std::string_view kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view kSitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";

void Entry(std::string& out, std::string_view element, const SitemapUrl& u) {
  out += "  <";
  out += element;
  out += ">\n    <loc>" + EscapeXml(u.loc) + "</loc>\n";
  if (!u.lastmod.empty()) out += "    <lastmod>" + EscapeXml(u.lastmod) + "</lastmod>\n";
  out += "  </";
  out += element;
  out += ">\n";
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string RenderUrlset(const std::vector<SitemapUrl>& urls) {
  std::string out(kXmlDecl);
  out += "<urlset xmlns=\"" + std::string(kSitemapNs) + "\">\n";
  std::size_t n = std::min<std::size_t>(urls.size(), kMaxSitemapUrls);
  for (std::size_t i = 0; i < n; ++i) Entry(out, "url", urls[i]);
  out += "</urlset>\n";
  return out;
}

std::string RenderSitemapIndex(const std::vector<SitemapUrl>& sitemaps) {
  std::string out(kXmlDecl);
  out += "<sitemapindex xmlns=\"" + std::string(kSitemapNs) + "\">\n";
  std::size_t n = std::min<std::size_t>(sitemaps.size(), kMaxSitemapUrls);
  for (std::size_t i = 0; i < n; ++i) Entry(out, "sitemap", sitemaps[i]);
  out += "</sitemapindex>\n";
  return out;
}

std::string NewsLanguage(std::string_view tag) {
  std::string lower;
  for (char c : tag) lower += c == '_' ? '-' : Lower(c);
  std::string primary = lower.substr(0, lower.find('-'));
  if (primary == "zh") {
    bool traditional = lower.find("-hant") != std::string::npos ||
                       lower.find("-tw") != std::string::npos ||
                       lower.find("-hk") != std::string::npos;
    return traditional ? "zh-tw" : "zh-cn";
  }
  if (primary.size() < 2 || primary.size() > 3) return "en";
  return primary;
}

std::string RenderNewsSitemap(std::string_view publication_name,
                              std::vector<NewsSitemapItem> items, const Clock& clock) {
  const Seconds now = clock.Now();
  std::erase_if(items, [now](const NewsSitemapItem& i) {
    return i.published > now || i.published <= now - kNewsWindow;
  });
  std::stable_sort(items.begin(), items.end(),
                   [](const NewsSitemapItem& a, const NewsSitemapItem& b) {
                     return a.published > b.published;
                   });
  if (items.size() > static_cast<std::size_t>(kMaxNewsItems)) items.resize(kMaxNewsItems);

  std::string out(kXmlDecl);
  out += "<urlset xmlns=\"" + std::string(kSitemapNs) +
         "\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n";
  const std::string name = EscapeXml(publication_name);
  for (const NewsSitemapItem& i : items) {
    out += "  <url>\n    <loc>" + EscapeXml(i.loc) + "</loc>\n    <news:news>\n";
    out += "      <news:publication>\n        <news:name>" + name + "</news:name>\n";
    out += "        <news:language>" + EscapeXml(NewsLanguage(i.language)) +
           "</news:language>\n      </news:publication>\n";
    out += "      <news:publication_date>" + EscapeXml(i.published_iso) +
           "</news:publication_date>\n";
    out += "      <news:title>" + EscapeXml(i.title) + "</news:title>\n";
    out += "    </news:news>\n  </url>\n";
  }
  out += "</urlset>\n";
  return out;
}

std::string RenderRobots(const std::vector<std::string>& sitemap_urls) {
  std::string out = "User-agent: *\nAllow: /\n\n";
  for (const std::string& u : sitemap_urls) {
    // A URL with a line break would forge another directive.
    if (u.find_first_of("\r\n") != std::string::npos) continue;
    out += "Sitemap: " + u + "\n";
  }
  return out;
}

}  // namespace dateline
