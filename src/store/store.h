// Store: the interface to the site's truth (articles, sections, tags,
// authors, static pages, redirects, external ids and the change log).
//
// Every write appends to the change log in the same transaction, so caches
// and indexes can follow it by sequence number. Backends (SQLite now,
// PostgreSQL later) implement this interface; SQL never leaves src/store/.
//
// Results: a value, NotFound for a missing slug or id (a normal outcome),
// InvalidArgument for a write that breaks a rule (the message names the
// field), IOError/Corruption when the database itself fails.
// Thread-safety: all methods may be called from any thread; a backend
// serializes access internally. Transaction() runs `fn` with exclusive use
// of the store; a non-ok Status from `fn` rolls everything back.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "core/article.h"
#include "core/static_page.h"

namespace dateline {

// Which articles a listing wants. Empty filters match everything.
struct ArticleQuery {
  std::string section_slug;
  std::string tag_slug;
  std::string author_slug;
  std::optional<Seconds> published_from;   // inclusive
  std::optional<Seconds> published_before;  // exclusive
  std::optional<Seconds> visible_at;  // only what readers may see at this time
  bool featured_only = false;
  std::vector<std::int64_t> exclude_ids;
  int limit = 10;
  int offset = 0;
};

struct ChangeLogEntry {
  std::int64_t seq = 0;
  std::string entity;  // "article", "section", "tag", "author", "redirect", "page"
  std::int64_t entity_id = 0;
  std::string op;  // "insert", "update", "delete"
  Seconds at = 0;
};

struct Redirect {
  std::string from_path;
  std::string to_path;
};

// An id some other system gave a thing we hold, so a re-import finds it:
// ("wordpress", "post:https://old.example/#123") or ("ninjs", "urn:...").
// `version` is the importer's own marker of what it last wrote (a content
// fingerprint, a versionCreated time); the store only keeps it.
struct ExternalId {
  std::string system;
  std::string key;
  std::string entity;  // "article" or "page"
  std::int64_t entity_id = 0;
  std::string version;
};

// Turns a display name into a URL slug; the store uses it for tags and
// authors created from names (the app passes the text layer's Slugify).
using SlugFunction = std::function<std::string(std::string_view)>;

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn inside one transaction; nested calls join the outer one.
  virtual Status Transaction(const std::function<Status()>& fn) = 0;

  // Inserts (id == 0) or updates an article, creating its section, tags and
  // authors on first use. Sets id, created_at and modified_at in `a`.
  // InvalidArgument names the field: empty headline or body, bad slug,
  // a slug used by another article.
  virtual Status SaveArticle(Article& a) = 0;
  virtual Status DeleteArticle(std::int64_t id) = 0;
  virtual Result<Article> GetArticle(std::int64_t id) = 0;
  virtual Result<Article> GetArticleBySlug(std::string_view slug) = 0;
  virtual Result<std::vector<Article>> ListArticles(const ArticleQuery& q) = 0;
  virtual Result<std::int64_t> CountArticles(const ArticleQuery& q) = 0;
  // Every article, ordered by id (export, reindex).
  virtual Result<std::vector<Article>> AllArticles() = 0;
  // Visible articles sharing tags with `article_id`, most shared first,
  // then newest; excluding `exclude_ids`.
  virtual Result<std::vector<Article>> ListByTagOverlap(std::int64_t article_id, Seconds now,
                                                        const std::vector<std::int64_t>& exclude_ids,
                                                        int limit) = 0;

  // Creates the section when missing (with `name`), or returns it.
  virtual Result<Section> EnsureSection(std::string_view slug, std::string_view name) = 0;
  virtual Status SaveSection(Section& s) = 0;
  virtual Result<Section> GetSection(std::string_view slug) = 0;
  virtual Result<std::vector<Section>> ListSections() = 0;  // by position, then name
  virtual Result<Tag> GetTag(std::string_view slug) = 0;
  virtual Result<std::vector<Tag>> ListTags() = 0;
  virtual Result<Author> GetAuthor(std::string_view slug) = 0;
  virtual Result<std::vector<Author>> ListAuthors() = 0;
  virtual Status SaveAuthor(Author& a) = 0;

  // Related News as computed from the search index: derived data, so
  // writing it does not append to the change log. Ids of deleted articles
  // drop out by themselves.
  virtual Status SetRelated(std::int64_t article_id, const std::vector<std::int64_t>& ids) = 0;
  virtual Result<std::vector<std::int64_t>> GetRelated(std::int64_t article_id) = 0;
  // The articles whose Related News list holds `related_id` (at most 100).
  virtual Result<std::vector<std::int64_t>> ListRelatedTo(std::int64_t related_id) = 0;

  // Static pages, served at their path. SavePage inserts (id == 0) or
  // updates; InvalidArgument for a bad path, an empty title or a path used
  // by another page. GetPageByPath finds any status; readers check it.
  virtual Status SavePage(StaticPage& p) = 0;
  virtual Result<StaticPage> GetPage(std::int64_t id) = 0;
  virtual Result<StaticPage> GetPageByPath(std::string_view path) = 0;
  virtual Result<std::vector<StaticPage>> AllPages() = 0;  // by id

  // External ids (see ExternalId): insert or replace by (system, key).
  virtual Status PutExternalId(const ExternalId& x) = 0;
  virtual Result<ExternalId> GetExternalId(std::string_view system, std::string_view key) = 0;

  virtual Status PutRedirect(const Redirect& r) = 0;
  virtual Result<std::string> GetRedirect(std::string_view from_path) = 0;

  virtual Result<std::vector<ChangeLogEntry>> ChangesSince(std::int64_t seq, int limit) = 0;
  virtual Result<std::int64_t> LastChangeSeq() = 0;
};

struct StoreOptions {
  SlugFunction slugify;
  const Clock* clock = nullptr;  // DefaultClock() when null
  bool read_only = false;
};

}  // namespace dateline
