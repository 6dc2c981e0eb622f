#include "site/syndication.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "render/sitemaps.h"
#include "render/theme.h"
#include "text/excerpt.h"
#include "text/markdown.h"
#include "text/slug.h"

namespace dateline {

namespace {

constexpr std::string_view kSitemapDir = "/sitemaps/";

struct Scope {
  std::string_view prefix;  // "/category/"
  std::string_view kind;    // "section"
};
constexpr Scope kScopes[] = {{"/category/", "section"}, {"/tag/", "tag"}, {"/author/", "author"}};

Seconds Published(const Article& a) { return a.published_at.value_or(a.created_at); }
// The editorial "last changed" time: the later of publishing and updating.
Seconds Changed(const Article& a) { return std::max(Published(a), a.updated_at.value_or(0)); }
// What a cache must notice: any save too.
Seconds Touched(const Article& a) { return std::max(Changed(a), a.modified_at); }

// Makes root-relative src/href attributes of sanitized HTML absolute, so
// images and links work in a feed reader.
std::string AbsolutizeHtml(std::string html, std::string_view base) {
  for (std::string_view attr : {" src=\"/", " href=\"/"}) {
    std::size_t pos = 0;
    while ((pos = html.find(attr, pos)) != std::string::npos) {
      std::size_t slash = pos + attr.size() - 1;
      if (slash + 1 < html.size() && html[slash + 1] == '/') {  // "//host": leave it
        pos = slash + 1;
        continue;
      }
      html.insert(slash, base);
      pos = slash + base.size() + 1;
    }
  }
  return html;
}

std::optional<int> Digits(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string MonthName(int year, int month) {
  return std::to_string(year) + "-" + TwoDigits(static_cast<unsigned>(month));
}

}  // namespace

std::optional<FeedPath> MatchFeedPath(std::string_view path) {
  for (const OutputFormat& f : OutputFormats()) {
    if (!f.is_feed || path.size() <= f.file_name.size() || !path.ends_with(f.file_name)) continue;
    std::string_view base = path.substr(0, path.size() - f.file_name.size());
    if (base == "/") return FeedPath{f.id, "site", "", "/"};
    for (const Scope& s : kScopes) {
      if (!base.starts_with(s.prefix) || base.back() != '/') continue;
      std::string_view slug = base.substr(s.prefix.size(), base.size() - s.prefix.size() - 1);
      if (slug.empty() || slug.find('/') != std::string_view::npos) continue;
      return FeedPath{f.id, std::string(s.kind), std::string(slug), std::string(base)};
    }
  }
  return std::nullopt;
}

std::string Syndication::Absolute(std::string_view path) const {
  if (path.starts_with("http://") || path.starts_with("https://")) return std::string(path);
  return settings_.base_url + std::string(path);
}

std::string Syndication::Iso(Seconds t) const { return FormatRfc3339(t, settings_.zone); }

std::vector<Article> Syndication::AllVisible() {
  ArticleQuery q;
  q.visible_at = clock_.Now();
  q.limit = 1 << 30;
  auto r = store_.ListArticles(q);
  if (!r) throw std::runtime_error(r.error().ToString());
  return std::move(*r);
}

FeedItem Syndication::Item(const Article& a, const SiteSnapshot* snap) {
  FeedItem item;
  item.url = Absolute(settings_.permalink.Build(a, settings_.zone));
  item.title = a.headline;
  std::string html;
  if (content_ != nullptr) {
    html = content_->Html(a);
    item.summary = content_->FeedExcerpt(a);
  } else {
    html = RenderBody(a.body, a.body_format, {settings_.iframe_hosts});
    item.summary = a.excerpt.empty() ? MakeExcerpt(html, 55) : a.excerpt;
  }
  item.content_html = AbsolutizeHtml(std::move(html), settings_.base_url);
  item.published = Published(a);
  item.published_iso = Iso(item.published);
  item.modified = Changed(a);
  item.modified_iso = Iso(item.modified);
  for (const std::string& name : a.authors) {
    item.authors.push_back({name, Absolute("/author/" + Slugify(name) + "/")});
  }
  if (!a.section.empty()) {
    if (snap != nullptr) {
      const Section* sec = snap->FindSection(a.section);
      item.categories.push_back(sec ? sec->name : a.section);
    } else {
      auto sec = store_.GetSection(a.section);
      item.categories.push_back(sec ? sec->name : a.section);
    }
  }
  for (const std::string& t : a.tags) item.categories.push_back(t);
  if (a.lead_image && !a.lead_image->url.empty()) {
    item.image_url = Absolute(a.lead_image->url);
    std::string_view type = MediaTypeForFile(a.lead_image->url);
    if (type.starts_with("image/")) item.image_type = std::string(type.substr(0, type.find(';')));
  }
  if (!a.language.empty() && a.language != settings_.language) item.language = a.language;
  return item;
}

std::optional<Feed> Syndication::BuildFeed(const FeedPath& where) {
  Feed feed;
  ArticleQuery q;
  std::string scope_title;
  if (where.kind == "section") {
    auto s = store_.GetSection(where.slug);
    if (!s) return std::nullopt;
    q.section_slug = s->slug;
    scope_title = s->name;
    feed.description = s->name + ": the latest stories.";
  } else if (where.kind == "tag") {
    auto t = store_.GetTag(where.slug);
    if (!t) return std::nullopt;
    q.tag_slug = t->slug;
    scope_title = t->name;
    feed.description = "Stories tagged " + t->name + ".";
  } else if (where.kind == "author") {
    auto a = store_.GetAuthor(where.slug);
    if (!a) return std::nullopt;
    q.author_slug = a->slug;
    scope_title = a->name;
    feed.description = "Stories by " + a->name + ".";
  } else {
    feed.description = settings_.description;
  }
  // The listing's first stories, through the memo its pages use.
  std::shared_ptr<const SiteSnapshot> snap = tables_ ? tables_->Current() : nullptr;
  auto list = ListingWindow(store_, snap.get(), q, clock_.Now(), 0,
                            static_cast<std::size_t>(std::max(settings_.feed_items, 0)),
                            /*links=*/true);  // an item names its tags and authors
  if (!list) throw std::runtime_error(list.error().ToString());
  // An empty tag or author does not exist for readers (as on the site).
  if (list->empty() && (where.kind == "tag" || where.kind == "author")) return std::nullopt;

  feed.title = scope_title.empty() ? settings_.name : scope_title + " – " + settings_.name;
  feed.site_name = settings_.name;
  feed.home_url = Absolute(where.base_path);
  feed.self_url = Absolute(where.base_path + std::string(FindFormat(where.format).file_name));
  feed.language = settings_.language;
  feed.icon_url = logo_url_;
  Seconds updated = 0;
  for (const Article& a : *list) {
    feed.items.push_back(Item(a, snap.get()));
    updated = std::max(updated, Touched(a));
  }
  feed.updated = updated == 0 ? clock_.Now() : updated;
  feed.updated_iso = Iso(feed.updated);
  return feed;
}

std::vector<std::array<std::string, 3>> Syndication::FeedLinks(std::string_view path) const {
  std::vector<std::array<std::string, 3>> out;
  std::string scope_base;
  for (const Scope& s : kScopes) {
    if (!path.starts_with(s.prefix)) continue;
    std::size_t end = path.find('/', s.prefix.size());
    if (end != std::string_view::npos && end > s.prefix.size()) {
      scope_base = std::string(path.substr(0, end + 1));
    }
  }
  for (const OutputFormat& f : OutputFormats()) {
    if (!f.is_feed) continue;
    out.push_back({settings_.name + " (" + std::string(f.label) + ")", std::string(f.link_type),
                   Absolute("/" + std::string(f.file_name))});
  }
  if (!scope_base.empty()) {
    for (const OutputFormat& f : OutputFormats()) {
      if (!f.is_feed) continue;
      out.push_back({"This page (" + std::string(f.label) + ")", std::string(f.link_type),
                     Absolute(scope_base + std::string(f.file_name))});
    }
  }
  return out;
}

std::optional<SyndicationFile> Syndication::Serve(std::string_view path) {
  if (auto feed_path = MatchFeedPath(path)) {
    SyndicationFile f;
    f.format = feed_path->format;
    auto feed = BuildFeed(*feed_path);
    if (!feed) {
      f.status = 404;
      return f;
    }
    f.body = RenderFeed(f.format, *feed);
    if (!feed->items.empty()) f.last_modified = feed->updated;
    return f;
  }
  auto root_file = [&](FormatId id) { return "/" + std::string(FindFormat(id).file_name); };
  if (path == root_file(FormatId::kSitemapIndex)) return SitemapIndex();
  if (path == root_file(FormatId::kNewsSitemap)) return NewsSitemap();
  if (path == root_file(FormatId::kRobots)) return Robots();
  if (!path.starts_with(kSitemapDir) || !path.ends_with(".xml")) return std::nullopt;
  std::string_view name = path.substr(kSitemapDir.size(), path.size() - kSitemapDir.size() - 4);
  for (std::string_view kind : {"sections", "tags", "authors"}) {
    if (name == kind) return TaxonomySitemap(kind);
  }
  // articles-YYYY-MM or articles-YYYY-MM-N
  if (name.starts_with("articles-") && name.size() >= 16 && name[13] == '-') {
    auto year = Digits(name.substr(9, 4));
    auto month = Digits(name.substr(14, 2));
    // The first part has no number; later parts are "-2", "-3", ...
    int part = 1;  // 0: malformed
    if (name.size() > 16) {
      auto n = name[16] == '-' ? Digits(name.substr(17)) : std::nullopt;
      part = n && *n >= 2 ? *n : 0;
    }
    if (year && month && part > 0 && *month >= 1 && *month <= 12) {
      return ArticleSitemap(*year, *month, part);
    }
  }
  SyndicationFile f;
  f.status = 404;
  f.format = FormatId::kSitemap;
  return f;
}

SyndicationFile Syndication::SitemapIndex() {
  struct Month {
    int count = 0;
    Seconds lastmod = 0, touched = 0;
  };
  std::map<std::pair<int, int>, Month> months;
  Seconds lastmod = 0, touched = 0;
  for (const Article& a : AllVisible()) {
    CivilTime c = settings_.zone.ToCivil(Published(a));
    Month& m = months[{c.year, static_cast<int>(c.month)}];
    ++m.count;
    m.lastmod = std::max(m.lastmod, Changed(a));
    m.touched = std::max(m.touched, Touched(a));
    lastmod = std::max(lastmod, m.lastmod);
    touched = std::max(touched, m.touched);
  }
  std::vector<SitemapUrl> maps;
  std::string lastmod_iso = lastmod ? Iso(lastmod) : "";
  for (std::string_view kind : {"sections", "tags", "authors"}) {
    maps.push_back({Absolute(std::string(kSitemapDir) + std::string(kind) + ".xml"), lastmod_iso});
  }
  // Newest month first; a month over the per-file limit is split in parts.
  for (auto it = months.rbegin(); it != months.rend(); ++it) {
    const auto& [ym, m] = *it;
    int parts = (m.count + kMaxSitemapUrls - 1) / kMaxSitemapUrls;
    for (int p = 1; p <= parts; ++p) {
      std::string name = "articles-" + MonthName(ym.first, ym.second);
      if (p > 1) name += "-" + std::to_string(p);
      maps.push_back({Absolute(std::string(kSitemapDir) + name + ".xml"), Iso(m.lastmod)});
    }
  }
  SyndicationFile f;
  f.format = FormatId::kSitemapIndex;
  f.body = RenderSitemapIndex(maps);
  if (touched) f.last_modified = touched;
  return f;
}

SyndicationFile Syndication::ArticleSitemap(int year, int month, int part) {
  SyndicationFile f;
  f.format = FormatId::kSitemap;
  const TimeZone& z = settings_.zone;
  ArticleQuery q;
  q.visible_at = clock_.Now();
  q.published_from = z.StartOfDay(year, static_cast<unsigned>(month), 1);
  q.published_before = month == 12 ? z.StartOfDay(year + 1, 1, 1)
                                    : z.StartOfDay(year, static_cast<unsigned>(month + 1), 1);
  q.limit = kMaxSitemapUrls;
  q.offset = (part - 1) * kMaxSitemapUrls;
  auto list = store_.ListArticles(q);
  if (!list) throw std::runtime_error(list.error().ToString());
  if (list->empty()) {
    f.status = 404;
    return f;
  }
  std::vector<SitemapUrl> urls;
  Seconds touched = 0;
  for (const Article& a : *list) {
    urls.push_back({Absolute(settings_.permalink.Build(a, z)), Iso(Changed(a))});
    touched = std::max(touched, Touched(a));
  }
  f.body = RenderUrlset(urls);
  f.last_modified = touched;
  return f;
}

SyndicationFile Syndication::TaxonomySitemap(std::string_view kind) {
  // slug -> newest change among its visible stories
  std::map<std::string, Seconds> newest;
  Seconds touched = 0, home = 0;
  for (const Article& a : AllVisible()) {
    Seconds t = Changed(a);
    touched = std::max(touched, Touched(a));
    home = std::max(home, t);
    auto bump = [&](const std::string& slug) { newest[slug] = std::max(newest[slug], t); };
    if (kind == "sections" && !a.section.empty()) bump(a.section);
    if (kind == "tags") for (const std::string& n : a.tags) bump(Slugify(n));
    if (kind == "authors") for (const std::string& n : a.authors) bump(Slugify(n));
  }
  std::string_view prefix = kind == "sections" ? "/category/" : kind == "tags" ? "/tag/" : "/author/";
  std::vector<SitemapUrl> urls;
  if (kind == "sections" && home) urls.push_back({Absolute("/"), Iso(home)});
  for (const auto& [slug, t] : newest) {
    urls.push_back({Absolute(std::string(prefix) + slug + "/"), Iso(t)});
  }
  SyndicationFile f;
  f.format = FormatId::kSitemap;
  f.body = RenderUrlset(urls);
  if (touched) f.last_modified = touched;
  return f;
}

SyndicationFile Syndication::NewsSitemap() {
  Seconds now = clock_.Now();
  ArticleQuery q;
  q.visible_at = now;
  q.published_from = now - kNewsWindow + 1;
  q.limit = kMaxNewsItems;
  auto list = store_.ListArticles(q);
  if (!list) throw std::runtime_error(list.error().ToString());
  std::vector<NewsSitemapItem> items;
  for (const Article& a : *list) {
    items.push_back({Absolute(settings_.permalink.Build(a, settings_.zone)), a.headline,
                     Published(a), Iso(Published(a)),
                     a.language.empty() ? settings_.language : a.language});
  }
  SyndicationFile f;
  f.format = FormatId::kNewsSitemap;
  f.body = RenderNewsSitemap(settings_.name, std::move(items), clock_);
  // The file changes when a story leaves the 48-hour window, which no
  // story's time records: give no Last-Modified, only the ETag.
  return f;
}

SyndicationFile Syndication::Robots() {
  SyndicationFile f;
  f.format = FormatId::kRobots;
  f.body = RenderRobots({Absolute("/" + std::string(FindFormat(FormatId::kSitemapIndex).file_name)),
                         Absolute("/" + std::string(FindFormat(FormatId::kNewsSitemap).file_name))});
  return f;
}

}  // namespace dateline
