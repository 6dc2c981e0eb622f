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
#include "core/user.h"

namespace dateline {

// How a listing is ordered. Ties break by id, newest first.
enum class ArticleOrder {
  kPublishedNewest,  // published_at DESC (stories without one last)
  kModifiedNewest,   // modified_at DESC (the newsroom's story list)
  kHeadline,         // headline A-Z (case-insensitive)
};

// Which articles a listing wants. Empty filters match everything.
struct ArticleQuery {
  std::string section_slug;
  std::string tag_slug;
  std::string author_slug;
  std::optional<Seconds> published_from;   // inclusive
  std::optional<Seconds> published_before;  // exclusive
  std::optional<Seconds> visible_at;  // only what readers may see at this time
  bool featured_only = false;
  std::vector<PublishState> statuses;  // empty: any status
  std::int64_t owner_id = 0;           // 0: anyone's
  std::string headline_contains;       // case-insensitive substring (newsroom search)
  ArticleOrder order = ArticleOrder::kPublishedNewest;
  std::vector<std::int64_t> exclude_ids;
  int limit = 10;
  int offset = 0;
  bool links = true;  // each story's tags, authors and pins (see Store::GetArticles)
};

// A story's tags (ids, in no particular order) and the two fields that
// decide whether readers may see it (IsVisible).
struct TagLinks {
  std::int64_t id = 0;
  PublishState status = PublishState::kDraft;
  std::optional<Seconds> published_at;
  std::vector<std::int64_t> tag_ids;
  bool operator==(const TagLinks&) const = default;
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
  // The same for a write of many stories that stands or falls as a whole
  // (an import). A save that fails inside it may leave part of its writes
  // behind, so fn must fail, rolling everything back, once any save failed.
  // Faster: saves make no savepoint of their own, and a backend may write
  // pages once instead of twice while no other connection has the store
  // open (SQLite: its rollback journal instead of the WAL). Called inside
  // another transaction, it joins it as Transaction does.
  virtual Status BulkTransaction(const std::function<Status()>& fn) = 0;

  // While the object returned lives, this thread's reads are one read
  // transaction: one snapshot of the store, however many queries (a page
  // makes some twenty, each its own transaction otherwise). For reads
  // only: a write on this thread meanwhile is not seen by its reads until
  // the object is gone. Null when the backend has nothing to gain (or the
  // thread is inside a transaction already, which serves).
  class ReadScope {
   public:
    virtual ~ReadScope() = default;
  };
  virtual std::unique_ptr<ReadScope> BeginReads() { return nullptr; }

  // Inserts (id == 0) or updates an article, creating its section, tags and
  // authors on first use. Sets id, created_at, modified_at and version in
  // `a` (version: 1 on insert, +1 on every update). InvalidArgument names
  // the field: empty headline or body, bad slug, a slug used by another
  // article. With `expected_version` set, an update whose stored version
  // differs fails with Conflict and writes nothing (a stale editor).
  virtual Status SaveArticle(Article& a, std::optional<std::int64_t> expected_version) = 0;
  Status SaveArticle(Article& a) { return SaveArticle(a, std::nullopt); }
  virtual Status DeleteArticle(std::int64_t id) = 0;
  virtual Result<Article> GetArticle(std::int64_t id) = 0;
  // The articles with these ids, in the order given; ids with no article
  // are skipped. One query for the lot (a page's Related News). Without
  // `links` their tags, authors and related pins are left empty: a list of
  // stories shown as cards (headline, excerpt, time, section) needs none.
  virtual Result<std::vector<Article>> GetArticles(const std::vector<std::int64_t>& ids,
                                                   bool links) = 0;
  Result<std::vector<Article>> GetArticles(const std::vector<std::int64_t>& ids) {
    return GetArticles(ids, true);
  }
  virtual Result<Article> GetArticleBySlug(std::string_view slug) = 0;
  virtual Result<std::vector<Article>> ListArticles(const ArticleQuery& q) = 0;
  virtual Result<std::int64_t> CountArticles(const ArticleQuery& q) = 0;
  // Every article the query matches, in its order, as ids (q.limit and
  // q.offset are ignored): what ListArticles would list page after page.
  // Read from the listing's own index (a tag's or an author's stories, a
  // section's), so a listing costs its own length, not the site's.
  virtual Result<std::vector<std::int64_t>> ListArticleIds(const ArticleQuery& q) = 0;
  // The first `max` of those ids (q.limit and q.offset ignored here too):
  // the head of a long listing without reading the rest.
  virtual Result<std::vector<std::int64_t>> FirstArticleIds(const ArticleQuery& q, std::size_t max) = 0;
  // The first publish time after `t` of a published or scheduled article:
  // until then, what readers may see changes only by a write. Null when
  // no such article exists.
  virtual Result<std::optional<Seconds>> NextVisibleAfter(Seconds t) = 0;
  // Every article, ordered by id (export, reindex).
  virtual Result<std::vector<Article>> AllArticles() = 0;
  // The tags (ids) of every article (`ids` null) or of the articles `ids`,
  // with what makes each visible (see IsVisible), in one read transaction;
  // an id with no article is left out. Related Posts ranks by them
  // (site/tag_graph.h).
  virtual Result<std::vector<TagLinks>> ReadTagLinks(const std::vector<std::int64_t>* ids) = 0;

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

  // The scheduler's step: every article with status scheduled and a
  // publish time at or before `now` becomes published, each with a change
  // log entry ("article", id, "update"), in one transaction. Returns their
  // ids (empty when none is due). Running it twice, or from two processes,
  // publishes each story exactly once.
  virtual Result<std::vector<std::int64_t>> PublishDue(Seconds now) = 0;

  // --- The newsroom (core/user.h). None of these append to the change log:
  // they change no page. ---

  // Inserts (id == 0) or updates a user; sets id and created_at.
  // InvalidArgument for a bad email or an empty name; Conflict when the
  // email (compared lower-cased) belongs to another user.
  virtual Status SaveUser(User& u) = 0;
  virtual Result<User> GetUser(std::int64_t id) = 0;
  virtual Result<User> GetUserByEmail(std::string_view email) = 0;  // case-insensitive
  virtual Result<std::vector<User>> ListUsers() = 0;                 // by id

  virtual Status PutSession(const Session& s) = 0;  // insert or replace by token_hash
  virtual Result<Session> GetSession(std::string_view token_hash) = 0;
  virtual Status TouchSession(std::string_view token_hash, Seconds at) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status DeleteSessionsOf(std::int64_t user_id) = 0;

  virtual Status AddApiToken(ApiToken& t) = 0;  // sets id
  virtual Result<ApiToken> GetApiTokenByHash(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(std::int64_t user_id) = 0;  // by id
  virtual Status RevokeApiToken(std::int64_t id) = 0;  // NotFound when missing
  virtual Status TouchApiToken(std::int64_t id, Seconds at) = 0;

  // Revisions: one per save, kept forever, newest first in listings.
  virtual Status AddRevision(Revision& r) = 0;  // sets id
  virtual Result<std::vector<Revision>> ListRevisions(std::int64_t article_id) = 0;
  virtual Result<Revision> GetRevision(std::int64_t id) = 0;

  // Corrections on published stories, oldest first for one article;
  // newest first (with paging) for the site's /corrections/ page.
  virtual Status AddCorrection(Correction& c) = 0;  // sets id
  virtual Result<std::vector<Correction>> ListCorrections(std::int64_t article_id) = 0;
  virtual Result<std::vector<Correction>> RecentCorrections(int limit, int offset) = 0;
  virtual Result<std::int64_t> CountCorrections() = 0;
};

struct StoreOptions {
  SlugFunction slugify;
  const Clock* clock = nullptr;  // DefaultClock() when null
  bool read_only = false;
};

}  // namespace dateline
