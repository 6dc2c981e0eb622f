// Syndication: the machine-read files of a site — RSS, Atom and JSON Feed
// for the whole site and for each section, tag and author; the sitemap
// index, its monthly article sitemaps and the section/tag/author sitemaps;
// the Google News sitemap; robots.txt.
//
// Serve() maps a path to one of these files using the format table
// (render/formats.h) for file names, gathers the visible stories at the
// clock's current time (never a draft or a future story) and serializes
// them with render/feeds.h and render/sitemaps.h. It returns nullopt for a
// path that is not a syndication path (the caller then routes it as a
// page), and a file with status 404 for one that names an unknown or empty
// section, tag, author or month. Store failures throw (the request's
// catch-all answers 500). Holds only references; thread-safe when the
// Store is. Given the Site's caches (site/content_memo.h,
// site/site_tables.h), feeds take bodies, excerpts and section names from
// them instead of rendering and asking the store per item.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "core/settings.h"
#include "render/feeds.h"
#include "render/formats.h"
#include "site/content_memo.h"
#include "site/site_tables.h"
#include "store/store.h"

namespace dateline {

struct SyndicationFile {
  int status = 200;  // 200 or 404
  FormatId format = FormatId::kRss;
  std::string body;
  std::optional<Seconds> last_modified;  // newest change among what it lists
};

// A feed's scope parsed from its path: "/category/world/feed/atom/" ->
// {kAtom, "section", "world", "/category/world/"}.
struct FeedPath {
  FormatId format = FormatId::kRss;
  std::string kind;       // "site", "section", "tag", "author"
  std::string slug;       // empty for "site"
  std::string base_path;  // the listing page the feed follows
};
std::optional<FeedPath> MatchFeedPath(std::string_view path);

class Syndication {
 public:
  // `logo_url` is the absolute publisher logo (feeds' icon). `content` and
  // `tables` may be null (then every item is rendered and looked up anew).
  Syndication(Store& store, const SiteSettings& settings, const Clock& clock,
              std::string logo_url = "", ContentMemo* content = nullptr,
              SiteTables* tables = nullptr)
      : store_(store),
        settings_(settings),
        clock_(clock),
        logo_url_(std::move(logo_url)),
        content_(content),
        tables_(tables) {}

  std::optional<SyndicationFile> Serve(std::string_view path);

  // The feed for a scope, or nullopt when the scope does not exist (or is a
  // tag/author with no visible story).
  std::optional<Feed> BuildFeed(const FeedPath& where);

  // Discovery links for a listing page's path: the site's feeds, plus the
  // scope's own when `path` is a section, tag or author page. Each is
  // {title, type, href} with an absolute href.
  std::vector<std::array<std::string, 3>> FeedLinks(std::string_view path) const;

 private:
  SyndicationFile SitemapIndex();
  SyndicationFile ArticleSitemap(int year, int month, int part);
  SyndicationFile TaxonomySitemap(std::string_view kind);
  SyndicationFile NewsSitemap();
  SyndicationFile Robots();
  std::vector<Article> AllVisible();
  FeedItem Item(const Article& a, const SiteSnapshot* snap);
  std::string Absolute(std::string_view path) const;
  std::string Iso(Seconds t) const;

  Store& store_;
  const SiteSettings& settings_;
  const Clock& clock_;
  std::string logo_url_;
  ContentMemo* content_;
  SiteTables* tables_;
};

}  // namespace dateline
