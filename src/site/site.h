// Site: decides what page a reader's path is and gathers its data.
//
// Resolve() maps a path to a page kind (article, home, section, tag,
// author, date archive, the corrections page, static page, 404, or a
// redirect) and builds the page's view model: plain JSON data that a theme
// template turns into HTML. It never formats HTML itself (article bodies
// come from the text layer already sanitized). Only what readers may see at
// the clock's current time is ever used: drafts, stories in review,
// unpublished and future stories (and their corrections) do not exist
// here. Not-found is a normal result (status 404 with the not-found model).
// PreviewPage() is the one way to see a story readers cannot see: it is for
// the newsroom, behind its login, and is never reached through Resolve().
// Thread-safety: Resolve() may be called from many threads at once if the
// Store allows it (SqliteStore does). Site's mutable state is its caches,
// each thread-safe: a memo of rendered bodies and excerpts keyed by (story
// id, version) (site/content_memo.h), shared with the feeds and the static
// build; and the sections and the listings (every listed story's id, in
// order) of the store's current change-log generation
// (site/site_tables.h), which each page pins once, so a page makes a
// handful of store queries however many stories it lists, and a listing's
// page N is cut from its ids instead of read at an OFFSET. The snapshot
// also keeps each listed story's card (its Item and what decides whether
// it may be seen): a story page's twenty-two listed stories cost a lookup
// each, not a row read, an excerpt lookup and a JSON object each.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "core/settings.h"
#include "render/renderer.h"
#include "search/index.h"
#include "site/content_memo.h"
#include "site/site_tables.h"
#include "store/store.h"

namespace dateline {

// What a reader asked the search page for (the query string's fields).
struct SearchParams {
  std::string q;
  std::string section, tag, author;  // slugs
  std::string from, to;              // YYYY-MM-DD, inclusive, site time zone
  std::string sort;                  // "newest", or relevance when empty
  int page = 1;
};

struct Page {
  int status = 200;               // 200, 301 or 404
  std::string template_name;      // "article", "home", "list", "corrections", "not_found", ...
  nlohmann::json model;           // the view model (see docs/templates.md)
  std::string location;           // for 301: the path to go to
  // The listed stories' cards the model stands in for ({"$shared": i},
  // render/renderer.h) instead of copying them: ExpandShared(model, shared)
  // is the whole model.
  SharedTrees shared;
};

class Site {
 public:
  // `search` may be null: the search page then says search is unavailable
  // and Related News falls back to the newest stories of the section.
  Site(Store& store, const SiteSettings& settings, const Clock& clock,
       SearchIndex* search = nullptr);

  Page Resolve(std::string_view path);
  // A story of any status exactly as readers will see it once it is public:
  // the article page's template and view model, plus `preview: true` (the
  // theme shows a "not published" banner) and `page.noindex`. Never
  // redirects or 404s; the caller decides who may see it.
  Page PreviewPage(const Article& a);
  // The 404 page (status 404), for paths outside Resolve's routes too.
  Page NotFound();
  // /search/?q=...: results with highlighted snippets, or a friendly page
  // for an empty, overlong or unreadable query (never an error status).
  Page SearchPage(const SearchParams& params);
  // /api/search?q=...: the same results as JSON; *status is 200 or 400.
  nlohmann::json SearchApi(const SearchParams& params, int* status);

  // What the site was built from (for feeds, sitemaps and page metadata).
  Store& store() const { return store_; }
  const SiteSettings& settings() const { return settings_; }
  const Clock& clock() const { return clock_; }
  // The caches, for the feeds (site/syndication.h) to share.
  ContentMemo& content() { return content_; }
  SiteTables& tables() { return tables_; }

  // How many stories the listing `q` (a section, tag, author or archive)
  // shows readers at `now`: the number its pages are cut from, from the
  // same memo as the pages (the static build counts its pages with it).
  Result<std::int64_t> CountListing(const ArticleQuery& q, Seconds now);
  // How many corrections /corrections/ lists: those on stories readers
  // can see now (the static build pages the list by it).
  std::int64_t CountVisibleCorrections();

  // The public list of corrections, newest first, paged like listings.
  static constexpr std::string_view kCorrectionsPath = "/corrections/";

  // Block sizes of the article page (the reference page's).
  static constexpr int kRelatedNews = 6;
  static constexpr int kRelatedPosts = 6;
  static constexpr int kMoreNews = 10;

 private:
  struct Paging {
    int page = 1;
  };
  // Pins the store's current SiteSnapshot for this thread while a page is
  // assembled (nested pins of the same Site reuse the outer one).
  class Pin {
   public:
    explicit Pin(Site& site);
    ~Pin();
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;

   private:
    struct State {
      const Site* site = nullptr;
      std::shared_ptr<const SiteSnapshot> snapshot;
      State* outer = nullptr;
    };
    static thread_local State* current_;
    friend class Site;
    State state_;
    bool active_ = false;
  };
  // The pinned snapshot when a page is being assembled, else the current
  // one; null when the store cannot say (callers then ask the store).
  std::shared_ptr<const SiteSnapshot> Snapshot();
  // A section's display name: its name, or the slug when it is unknown.
  std::string SectionName(const SiteSnapshot* snap, const std::string& slug);
  Page ArticlePage(const Article& a, std::string_view path);
  // The article page's model for `a`, whatever its status or path.
  Page ArticleView(const Article& a);
  Page CorrectionsPage(int page);
  // Corrections on visible stories, newest first: their number, and those
  // at positions [from, from + count) with their stories.
  struct CorrectionScan {
    std::int64_t total = 0;
    std::vector<std::pair<Correction, Article>> window;
  };
  CorrectionScan ScanCorrections(std::int64_t from, std::int64_t count);
  Page HomePage();
  Page ListPage(std::string_view kind, const ArticleQuery& q, nlohmann::json header,
                std::string base_path, int page);
  Page RedirectTo(std::string location);
  // A published static page (a WordPress page) at exactly this path.
  std::optional<Page> StaticPageAt(std::string_view path);

  nlohmann::json Chrome(std::string_view title, std::string_view description,
                        std::string_view path, std::string_view current_section);
  nlohmann::json Item(const Article& a);
  nlohmann::json Time(Seconds t) const;
  std::string Url(const Article& a) const;
  std::string Excerpt(const Article& a);
  std::vector<Article> Visible(ArticleQuery q);
  struct SearchOutcome {
    SearchResults results;
    std::vector<std::pair<Article, const SearchHit*>> hits;  // visible ones only
    std::string message;  // a friendly reason when there are no results
    bool bad_request = false;  // the query itself could not be used
  };
  SearchOutcome RunSearch(const SearchParams& params);
  // Listed stories as cards (SiteSnapshot::Card): a page's lists are made
  // of cards kept in the pinned snapshot, so a story listed on many pages
  // is read and turned into its Item once per generation of the store.
  using CardPtr = SiteSnapshot::CardPtr;
  // `a` as a card: the snapshot's, or made from `a` and kept.
  CardPtr CardOf(const Article& a);
  // `a` made into a card, kept in `snap` when there is one.
  CardPtr MakeCard(const Article& a, const SiteSnapshot* snap);
  // The cards of the stories `ids` that readers may see at `now`, in that
  // order; ids with no story are left out. Those the snapshot has not got
  // are read in one query (Store::GetArticles, without links).
  std::vector<CardPtr> Cards(const std::vector<std::int64_t>& ids, Seconds now);
  // The first `count` stories of the listing `q` at `now` whose ids are not
  // in `used`, as cards, their ids added to `used`: what Visible() gives for
  // `q` with `used` added to its exclude_ids and limit = count, cut from the
  // listing's head (ListingHeadIds) instead of asked of the store.
  std::vector<CardPtr> ListedCards(const ArticleQuery& q, Seconds now,
                                   std::vector<std::int64_t>& used, std::size_t count);
  // The cards as a list of stand-ins for them, the cards added to `shared`.
  static nlohmann::json Items(const std::vector<CardPtr>& cards, SharedTrees& shared);
  std::vector<CardPtr> RelatedNews(const Article& a, std::vector<std::int64_t>& used);

  Store& store_;
  const SiteSettings& settings_;
  const Clock& clock_;
  SearchIndex* search_;

  ContentMemo content_;  // bodies and excerpts by (id, version)
  SiteTables tables_;    // sections and counts by change-log generation
};

}  // namespace dateline
