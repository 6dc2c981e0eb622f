#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/newsroom_tables.h"

namespace dateline {

namespace {

using sqlite::Db;
using sqlite::Stmt;

#define DL_ARTICLE_COLUMNS                                                                   \
  "a.id, a.slug, a.headline, a.dek, a.dateline, a.body, a.body_format, a.excerpt, s.slug, "  \
  "a.status, a.published_at, a.updated_at, a.language, a.lead_image_url, a.lead_image_alt, " \
  "a.lead_image_caption, a.lead_image_credit, a.featured, a.created_at, a.modified_at, "     \
  "a.owner_id, a.version, a.seo_title, a.seo_description "

#define DL_PAGE_COLUMNS                                                                \
  "id, path, title, body, body_format, status, published_at, updated_at, created_at, " \
  "modified_at"

#define DL_VISIBLE(now) "a.status IN ('published', 'scheduled') AND a.published_at <= " now

// One WHERE clause serves listings and counts; empty parameters match all.
// ?9 and ?10 are the listing's LIMIT and OFFSET; ?11 is a JSON array of
// status names, ?13 a LIKE pattern already escaped with '\' (LikeEscape).
#define DL_QUERY_WHERE                                                                    \
  " FROM articles a LEFT JOIN sections s ON s.id = a.section_id WHERE "                   \
  "(?1 = '' OR s.slug = ?1) "                                                             \
  "AND (?2 = '' OR a.id IN (SELECT x.article_id FROM article_tags x "                     \
  "     JOIN tags t ON t.id = x.tag_id WHERE t.slug = ?2)) "                              \
  "AND (?3 = '' OR a.id IN (SELECT y.article_id FROM article_authors y "                  \
  "     JOIN authors u ON u.id = y.author_id WHERE u.slug = ?3)) "                        \
  "AND (?4 IS NULL OR a.published_at >= ?4) "                                             \
  "AND (?5 IS NULL OR a.published_at < ?5) "                                              \
  "AND (?6 IS NULL OR (" DL_VISIBLE("?6") ")) "                                           \
  "AND (?7 = 0 OR a.featured = 1) "                                                       \
  "AND a.id NOT IN (SELECT value FROM json_each(?8)) "                                    \
  "AND (json_array_length(?11) = 0 OR a.status IN (SELECT value FROM json_each(?11))) "   \
  "AND (?12 = 0 OR a.owner_id = ?12) "                                                    \
  "AND (?13 = '' OR a.headline LIKE '%' || ?13 || '%' ESCAPE '\\') "

#define DL_LIST_ARTICLES(order_by) \
  "SELECT " DL_ARTICLE_COLUMNS DL_QUERY_WHERE "ORDER BY " order_by " LIMIT ?9 OFFSET ?10"

#define DL_ORDER_PUBLISHED "a.published_at DESC, a.id DESC"
#define DL_ORDER_MODIFIED "a.modified_at DESC, a.id DESC"
#define DL_ORDER_HEADLINE "a.headline COLLATE NOCASE, a.id DESC"

// Each order's ORDER BY terms, and ListArticles' statement with them (a
// literal, as Db::Prepare(const char*) caches by address).
struct OrderSql {
  ArticleOrder order;
  const char* by;
  const char* list;
};
constexpr OrderSql kOrders[] = {
    {ArticleOrder::kPublishedNewest, DL_ORDER_PUBLISHED, DL_LIST_ARTICLES(DL_ORDER_PUBLISHED)},
    {ArticleOrder::kModifiedNewest, DL_ORDER_MODIFIED, DL_LIST_ARTICLES(DL_ORDER_MODIFIED)},
    {ArticleOrder::kHeadline, DL_ORDER_HEADLINE, DL_LIST_ARTICLES(DL_ORDER_HEADLINE)},
};

const OrderSql* FindOrder(ArticleOrder order) {
  for (const OrderSql& o : kOrders) {
    if (o.order == order) return &o;
  }
  return nullptr;
}

// The statement of ListArticleIds for this query's shape. DL_QUERY_WHERE
// is one statement for every shape, so its plan walks the time index and
// tests each story: right for one page of a long listing (it stops at the
// page), but a whole listing of a rare tag would test every story of the
// site. Here the statement starts from the listing's own index (the tag's
// or the author's links, the section's stories; else every story) and
// holds only the conditions the query sets, with the parameter numbers of
// BindQuery.
Result<std::string> ArticleIdsSql(const ArticleQuery& q) {
  const OrderSql* order = FindOrder(q.order);
  if (order == nullptr) return Fail(Status::InvalidArgument("order: unknown"));
  constexpr const char* kSection = "a.section_id = (SELECT id FROM sections WHERE slug = ?1)";
  constexpr const char* kAuthor =
      "a.id IN (SELECT y.article_id FROM article_authors y "
      "JOIN authors u ON u.id = y.author_id WHERE u.slug = ?3)";
  // CROSS JOIN keeps SQLite from starting at the time index instead.
  std::string sql = "SELECT a.id FROM ";
  if (!q.tag_slug.empty()) {
    sql += "article_tags d CROSS JOIN articles a "
           "WHERE d.tag_id = (SELECT id FROM tags WHERE slug = ?2) AND a.id = d.article_id";
    if (!q.author_slug.empty()) sql += std::string(" AND ") + kAuthor;
    if (!q.section_slug.empty()) sql += std::string(" AND ") + kSection;
  } else if (!q.author_slug.empty()) {
    sql += "article_authors d CROSS JOIN articles a "
           "WHERE d.author_id = (SELECT id FROM authors WHERE slug = ?3) AND a.id = d.article_id";
    if (!q.section_slug.empty()) sql += std::string(" AND ") + kSection;
  } else if (!q.section_slug.empty()) {
    sql += std::string("articles a WHERE ") + kSection;
  } else {
    sql += "articles a WHERE 1";
  }
  if (q.published_from) sql += " AND a.published_at >= ?4";
  if (q.published_before) sql += " AND a.published_at < ?5";
  if (q.visible_at) sql += " AND " DL_VISIBLE("?6");
  if (q.featured_only) sql += " AND a.featured = 1";
  if (!q.exclude_ids.empty()) sql += " AND a.id NOT IN (SELECT value FROM json_each(?8))";
  if (!q.statuses.empty()) sql += " AND a.status IN (SELECT value FROM json_each(?11))";
  if (q.owner_id != 0) sql += " AND a.owner_id = ?12";
  if (!q.headline_contains.empty()) sql += " AND a.headline LIKE '%' || ?13 || '%' ESCAPE '\\'";
  sql += " ORDER BY ";
  sql += order->by;
  return sql;
}

std::string IdsJson(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

std::string StatusesJson(const std::vector<PublishState>& states) {
  std::string out = "[";
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += PublishStateName(states[i]);  // a-z only: no JSON escaping needed
    out += '"';
  }
  return out + "]";
}

// `text` as a LIKE pattern matching itself: '%', '_' and the escape
// character '\' itself are preceded by '\' (the query says ESCAPE '\').
std::string LikeEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

StoreOptions WithClock(StoreOptions options) {
  if (options.clock == nullptr) options.clock = &DefaultClock();
  return options;
}

// BeginReads: a read transaction on a thread's own reader connection,
// ended when the scope goes.
class ReadScopeOf : public Store::ReadScope {
 public:
  explicit ReadScopeOf(Db& db) : db_(db) {}
  ~ReadScopeOf() override {
    if (!db_.InTransaction()) return;
    auto commit = db_.Prepare("COMMIT");
    if (!commit || !commit->Run().ok()) (void)db_.Exec("ROLLBACK");
  }

 private:
  Db& db_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(StoreOptions options)
      : options_(WithClock(std::move(options))), newsroom_(db_, *options_.clock) {}

  Status Open(const std::string& path) {
    DL_RETURN_IF_ERROR(db_.Open(path, options_.read_only));
    path_ = path;
    separate_readers_ = !path.empty() && path != ":memory:" && !path.starts_with("file:");
    if (!options_.read_only) DL_RETURN_IF_ERROR(sqlite::Migrate(db_));
    return Status::Ok();
  }

  Status Transaction(const std::function<Status()>& fn) override {
    std::lock_guard lock(mu_);
    return InTx(fn);
  }

  Status BulkTransaction(const std::function<Status()>& fn) override {
    std::lock_guard lock(mu_);
    if (depth_ > 0) return InTx(fn);
    // In WAL mode every page is written twice, to the WAL and then by the
    // checkpoint into the database; the rollback journal keeps the old
    // content of the pages that existed before, and new pages are written
    // once. SQLite leaves WAL only when no other connection has the file
    // open (a running server keeps its readers open: then the import stays
    // in WAL). 100,000 generated stories: 11.3 -> 9.4 s.
    bool journal = separate_readers_ && db_.TrySetJournalMode("delete") == "delete";
    bulk_ = true;
    bulk_journal_ = journal;
    bulk_saves_ = 0;
    Status s = InTx([&]() -> Status {
      DL_RETURN_IF_ERROR(fn());
      // The indexes the first save dropped (DeferIndexes), made again in
      // the transaction: a failure rolls the whole write back. Each build
      // scans its table, the stories' five times: through a map of the
      // whole file rather than a pread copy of every page each time. The
      // mapped pages are the file's page cache, which the import fills
      // either way; they count in its resident memory once read.
      if (deferred_ && !deferred_->empty()) {
        DL_RETURN_IF_ERROR(db_.MapMemory(sqlite::Db::Map::kWhole));
        for (const std::string& sql : *deferred_) DL_RETURN_IF_ERROR(db_.Exec(sql));
      }
      return Status::Ok();
    });
    bulk_ = false;
    bulk_journal_ = false;
    for (auto& ids : bulk_ids_) ids.clear();  // a rollback took the new rows back
    // Back to WAL and the memory map; should either fail, the next
    // connection to open the file sets it (Db::Open), and the rollback
    // journal and pread are as safe meanwhile.
    if (journal) (void)db_.TrySetJournalMode("wal");
    if (deferred_ && !deferred_->empty()) (void)db_.MapMemory(sqlite::Db::Map::kHead);
    deferred_.reset();
    return s;
  }

  using Store::SaveArticle;

  Status SaveArticle(Article& a, std::optional<std::int64_t> expected_version) override {
    std::lock_guard lock(mu_);
    if (a.headline.empty()) return Status::InvalidArgument("headline: required");
    if (a.body.empty()) return Status::InvalidArgument("body: required");
    if (!IsValidSlug(a.slug)) {
      return Status::InvalidArgument("slug \"" + a.slug +
                                     "\": must be 1-200 characters of a-z, 0-9 and '-'");
    }
    return InTx([&]() -> Status {
      if (bulk_ && !deferred_) DL_RETURN_IF_ERROR(DeferIndexes());
      // Every 2,048 stories of a bulk write in the rollback journal the
      // kernel is asked to start writing out what SQLite wrote to the file
      // so far (Db::StartWriteback): else the commit's fsync of a
      // 100,000-story import flushed all 570 MB at once, a second of its
      // time. (In WAL mode the pages go to the -wal file; nothing to ask.)
      if (bulk_journal_ && ++bulk_saves_ % 2048 == 0) db_.StartWriteback();
      bool insert = a.id == 0;
      std::int64_t stored = 0;
      Seconds stored_created = 0;
      if (!insert) {
        // Checked before anything is written; the write lock (BEGIN
        // IMMEDIATE) keeps another writer from saving in between.
        auto cur = db_.Prepare("SELECT version, created_at FROM articles WHERE id = ?1");
        if (!cur) return cur.error();
        if (!cur->Bind(1, a.id).Step()) {
          DL_RETURN_IF_ERROR(cur->status());
          return Status::NotFound("article " + std::to_string(a.id));
        }
        stored = cur->Int(0);
        stored_created = cur->Int(1);
        DL_RETURN_IF_ERROR(cur->Run());
        if (expected_version && *expected_version != stored) {
          return Status::Conflict(
              "field \"version\": the story was changed by someone else (now version " +
              std::to_string(stored) + ")");
        }
      }
      std::optional<std::int64_t> section_id;
      if (!a.section.empty()) {
        auto id = BulkCachedId(kSectionIds, a.section, [&]() -> Result<std::int64_t> {
          auto s = EnsureSectionLocked(a.section, TitleCaseFromSlug(a.section));
          if (!s) return Fail(s.error());
          return s->id;
        });
        if (!id) return id.error();
        section_id = *id;
      }
      Seconds now = options_.clock->Now();
      // No RETURNING: SQLite gathers a RETURNING statement's rows in a
      // temporary b-tree, opened and closed on each save (a tenth of an
      // import). The new row's id, creation time and version are known.
      auto st = insert ? db_.Prepare(
                             "INSERT INTO articles (slug, headline, dek, dateline, body, "
                             "body_format, excerpt, section_id, status, published_at, updated_at, "
                             "language, lead_image_url, lead_image_alt, lead_image_caption, "
                             "lead_image_credit, featured, created_at, modified_at, owner_id, "
                             "version, id, seo_title, seo_description) VALUES "
                             "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                             "?16, ?17, ?18, ?19, ?21, 1, NULL, ?22, ?23)")
                       : db_.Prepare(
                             "UPDATE articles SET slug = ?1, headline = ?2, dek = ?3, "
                             "dateline = ?4, body = ?5, body_format = ?6, excerpt = ?7, "
                             "section_id = ?8, status = ?9, published_at = ?10, "
                             "updated_at = ?11, language = ?12, lead_image_url = ?13, "
                             "lead_image_alt = ?14, lead_image_caption = ?15, "
                             "lead_image_credit = ?16, featured = ?17, modified_at = ?19, "
                             "owner_id = ?21, seo_title = ?22, seo_description = ?23, "
                             "version = version + 1 "
                             "WHERE id = ?20");
      if (!st) return st.error();
      // The story's own text bound in place (`a` outlives the run; the Stmt
      // resets the statement when it goes): the body was copied once more
      // by SQLite for every save, 4% of an import's writing thread.
      st->BindRef(1, a.slug).BindRef(2, a.headline).BindRef(3, a.dek).BindRef(4, a.dateline);
      st->BindRef(5, a.body);
      st->Bind(6, BodyFormatName(a.body_format)).BindRef(7, a.excerpt).Bind(8, section_id);
      st->Bind(9, PublishStateName(a.status)).Bind(10, a.published_at).Bind(11, a.updated_at);
      st->Bind(12, a.language);
      if (a.lead_image) {
        st->Bind(13, a.lead_image->url).Bind(14, a.lead_image->alt);
        st->Bind(15, a.lead_image->caption).Bind(16, a.lead_image->credit);
      } else {
        st->BindNull(13).Bind(14, "").Bind(15, "").Bind(16, "");
      }
      st->Bind(17, std::int64_t{a.featured ? 1 : 0}).Bind(19, now).Bind(21, a.owner_id);
      st->Bind(22, a.seo_title).Bind(23, a.seo_description);
      if (insert) {
        st->Bind(18, now);
      } else {
        st->Bind(20, a.id);
      }
      Status s = st->Run();
      if (s.IsConflict()) {
        return Status::InvalidArgument("slug \"" + a.slug + "\": already used by another article");
      }
      DL_RETURN_IF_ERROR(s);
      if (db_.Changes() != 1) return Status::NotFound("article " + std::to_string(a.id));
      if (insert) {
        a.id = db_.LastInsertId();
        a.created_at = now;
        a.version = 1;
      } else {
        a.created_at = stored_created;
        a.version = stored + 1;
      }
      a.modified_at = now;
      DL_RETURN_IF_ERROR(ReplaceLinks(a, /*fresh=*/insert));
      return LogChange("article", a.id, insert ? "insert" : "update");
    });
  }

  Status DeleteArticle(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      auto st = db_.Prepare("DELETE FROM articles WHERE id = ?1");
      if (!st) return st.error();
      DL_RETURN_IF_ERROR(st->Bind(1, id).Run());
      if (db_.Changes() == 0) return Status::NotFound("article " + std::to_string(id));
      return LogChange("article", id, "delete");
    });
  }

  Result<Article> GetArticle(std::int64_t id) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT " DL_ARTICLE_COLUMNS
                          "FROM articles a LEFT JOIN sections s ON s.id = a.section_id "
                          "WHERE a.id = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, id);
    return OneArticle(r.db(), *st, "article " + std::to_string(id));
  }

  using Store::GetArticles;

  Result<std::vector<Article>> GetArticles(const std::vector<std::int64_t>& ids,
                                           bool links) override {
    ReadHandle r = Reader();
    return ArticlesByIds(r.db(), ids, links);
  }

  Result<Article> GetArticleBySlug(std::string_view slug) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT " DL_ARTICLE_COLUMNS
                          "FROM articles a LEFT JOIN sections s ON s.id = a.section_id "
                          "WHERE a.slug = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, slug);
    return OneArticle(r.db(), *st, "article \"" + std::string(slug) + "\"");
  }

  Result<std::vector<Article>> ListArticles(const ArticleQuery& q) override {
    ReadHandle r = Reader();
    // One statement per order, so each can use its index.
    const OrderSql* order = FindOrder(q.order);
    if (order == nullptr) return Fail(Status::InvalidArgument("order: unknown"));
    auto st = r.db().Prepare(order->list);
    if (!st) return Fail(st.error());
    BindQuery(*st, q);
    st->Bind(9, std::int64_t{q.limit}).Bind(10, std::int64_t{q.offset});
    return Articles(r.db(), *st, q.links);
  }

  Result<std::int64_t> CountArticles(const ArticleQuery& q) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT count(*)" DL_QUERY_WHERE);
    if (!st) return Fail(st.error());
    BindQuery(*st, q);
    std::int64_t n = st->Step() ? st->Int(0) : 0;
    if (!st->status().ok()) return Fail(st->status());
    return n;
  }

  Result<std::vector<std::int64_t>> ListArticleIds(const ArticleQuery& q) override {
    return ArticleIds(q, std::nullopt);
  }

  Result<std::vector<std::int64_t>> FirstArticleIds(const ArticleQuery& q, std::size_t max) override {
    return ArticleIds(q, max);
  }

  Result<std::vector<std::int64_t>> ArticleIds(const ArticleQuery& q, std::optional<std::size_t> max) {
    auto sql = ArticleIdsSql(q);
    if (!sql) return Fail(sql.error());
    if (max) *sql += " LIMIT " + std::to_string(*max);
    ReadHandle r = Reader();
    auto st = r.db().Prepare(*sql);
    if (!st) return Fail(st.error());
    BindQuery(*st, q);
    std::vector<std::int64_t> ids;
    while (st->Step()) ids.push_back(st->Int(0));
    if (!st->status().ok()) return Fail(st->status());
    return ids;
  }

  Result<std::optional<Seconds>> NextVisibleAfter(Seconds t) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare(
        "SELECT min(published_at) FROM articles "
        "WHERE status IN ('published', 'scheduled') AND published_at > ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, std::int64_t{t});
    std::optional<Seconds> next;
    if (st->Step()) next = st->OptInt(0);
    if (!st->status().ok()) return Fail(st->status());
    return next;
  }

  Result<std::vector<Article>> AllArticles() override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT " DL_ARTICLE_COLUMNS
                             "FROM articles a LEFT JOIN sections s ON s.id = a.section_id "
                             "ORDER BY a.id");
    if (!st) return Fail(st.error());
    return Articles(r.db(), *st);
  }

  Result<std::vector<TagLinks>> ReadTagLinks(const std::vector<std::int64_t>* ids) override {
    ReadHandle r = Reader();
    Db& db = r.db();
    // Every story: status and time from the status index (it holds the id
    // too), so no row of the table is read: a row's columns after the body
    // are read through the body's overflow pages.
    auto stories_st = ids == nullptr
                          ? db.Prepare("SELECT id, status, published_at FROM articles "
                                       "INDEXED BY articles_by_status")
                          : db.Prepare("SELECT id, status, published_at FROM articles "
                                       "WHERE id IN (SELECT value FROM json_each(?1))");
    auto links_st = ids == nullptr
                        ? db.Prepare("SELECT article_id, tag_id FROM article_tags")
                        : db.Prepare("SELECT article_id, tag_id FROM article_tags "
                                     "WHERE article_id IN (SELECT value FROM json_each(?1))");
    for (auto* st : {&stories_st, &links_st}) {
      if (!*st) return Fail(st->error());
    }
    if (ids != nullptr) {
      std::string json = IdsJson(*ids);
      stories_st->Bind(1, json);
      links_st->Bind(1, json);
    }
    return InReadTransaction(db, [&]() -> Result<std::vector<TagLinks>> {
      std::vector<TagLinks> out;
      std::unordered_map<std::int64_t, std::size_t> at;
      while (stories_st->Step()) {
        TagLinks t;
        t.id = stories_st->Int(0);
        t.status = ParsePublishState(stories_st->Text(1)).value_or(PublishState::kDraft);
        t.published_at = stories_st->OptInt(2);
        at.emplace(t.id, out.size());
        out.push_back(std::move(t));
      }
      if (!stories_st->status().ok()) return Fail(stories_st->status());
      stories_st->Reset();
      while (links_st->Step()) {
        auto it = at.find(links_st->Int(0));
        if (it != at.end()) out[it->second].tag_ids.push_back(links_st->Int(1));
      }
      if (!links_st->status().ok()) return Fail(links_st->status());
      links_st->Reset();
      return out;
    });
  }

  Result<Section> EnsureSection(std::string_view slug, std::string_view name) override {
    std::lock_guard lock(mu_);
    Result<Section> out = Fail(Status::Internal("unset"));
    Status s = InTx([&]() -> Status {
      out = EnsureSectionLocked(slug, name);
      return out ? Status::Ok() : out.error();
    });
    if (!s.ok()) return Fail(s);
    return out;
  }

  Status SaveSection(Section& sec) override {
    std::lock_guard lock(mu_);
    if (!IsValidSlug(sec.slug)) return Status::InvalidArgument("section slug \"" + sec.slug + "\"");
    if (sec.name.empty()) return Status::InvalidArgument("section name: required");
    return InTx([&]() -> Status {
      std::optional<std::int64_t> parent;
      if (!sec.parent_slug.empty()) {
        auto p = GetSectionLocked(sec.parent_slug);
        if (!p) return p.error().WithContext("section parent");
        parent = p->id;
      }
      auto st = db_.Prepare(
          "INSERT INTO sections (slug, name, position, parent_id) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (slug) DO UPDATE SET name = ?2, position = ?3, parent_id = ?4 "
          "RETURNING id");
      if (!st) return st.error();
      st->Bind(1, sec.slug).Bind(2, sec.name).Bind(3, std::int64_t{sec.position}).Bind(4, parent);
      if (st->Step()) sec.id = st->Int(0);
      DL_RETURN_IF_ERROR(st->Run());
      return LogChange("section", sec.id, "update");
    });
  }

  Result<Section> GetSection(std::string_view slug) override {
    ReadHandle r = Reader();
    return GetSectionIn(r.db(), slug);
  }

  Result<std::vector<Section>> ListSections() override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare(
        "SELECT s.id, s.slug, s.name, s.position, coalesce(p.slug, '') FROM sections s "
        "LEFT JOIN sections p ON p.id = s.parent_id ORDER BY s.position, s.name");
    if (!st) return Fail(st.error());
    std::vector<Section> out;
    while (st->Step()) out.push_back(ReadSection(*st));
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  Result<Tag> GetTag(std::string_view slug) override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare("SELECT id, slug, name FROM tags WHERE slug = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, slug);
    if (st->Step()) return Tag{st->Int(0), st->Text(1), st->Text(2)};
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("tag \"" + std::string(slug) + "\""));
  }

  Result<std::vector<Tag>> ListTags() override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare("SELECT id, slug, name FROM tags ORDER BY name");
    if (!st) return Fail(st.error());
    std::vector<Tag> out;
    while (st->Step()) out.push_back(Tag{st->Int(0), st->Text(1), st->Text(2)});
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  Result<Author> GetAuthor(std::string_view slug) override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare("SELECT id, slug, name, bio FROM authors WHERE slug = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, slug);
    if (st->Step()) return Author{st->Int(0), st->Text(1), st->Text(2), st->Text(3)};
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("author \"" + std::string(slug) + "\""));
  }

  Result<std::vector<Author>> ListAuthors() override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare("SELECT id, slug, name, bio FROM authors ORDER BY name");
    if (!st) return Fail(st.error());
    std::vector<Author> out;
    while (st->Step()) out.push_back(Author{st->Int(0), st->Text(1), st->Text(2), st->Text(3)});
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  Status SaveAuthor(Author& au) override {
    std::lock_guard lock(mu_);
    if (!IsValidSlug(au.slug)) return Status::InvalidArgument("author slug \"" + au.slug + "\"");
    if (au.name.empty()) return Status::InvalidArgument("author name: required");
    return InTx([&]() -> Status {
      auto st = db_.Prepare(
          "INSERT INTO authors (slug, name, bio) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (slug) DO UPDATE SET name = ?2, bio = ?3 RETURNING id");
      if (!st) return st.error();
      st->Bind(1, au.slug).Bind(2, au.name).Bind(3, au.bio);
      if (st->Step()) au.id = st->Int(0);
      DL_RETURN_IF_ERROR(st->Run());
      return LogChange("author", au.id, "update");
    });
  }

  Status SetRelated(std::int64_t article_id, const std::vector<std::int64_t>& ids) override {
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      auto del = db_.Prepare("DELETE FROM related_news WHERE article_id = ?1");
      if (!del) return del.error();
      DL_RETURN_IF_ERROR(del->Bind(1, article_id).Run());
      std::int64_t pos = 0;
      for (std::int64_t id : ids) {
        auto st = db_.Prepare(
            "INSERT INTO related_news (article_id, position, related_id) "
            "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?3)");
        if (!st) return st.error();
        DL_RETURN_IF_ERROR(st->Bind(1, article_id).Bind(2, pos++).Bind(3, id).Run());
      }
      return Status::Ok();
    });
  }

  Result<std::vector<std::int64_t>> GetRelated(std::int64_t article_id) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare(
        "SELECT related_id FROM related_news WHERE article_id = ?1 ORDER BY position");
    if (!st) return Fail(st.error());
    st->Bind(1, article_id);
    std::vector<std::int64_t> out;
    while (st->Step()) out.push_back(st->Int(0));
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  Result<std::vector<std::int64_t>> ListRelatedTo(std::int64_t related_id) override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare(
        "SELECT DISTINCT article_id FROM related_news WHERE related_id = ?1 LIMIT 100");
    if (!st) return Fail(st.error());
    st->Bind(1, related_id);
    std::vector<std::int64_t> out;
    while (st->Step()) out.push_back(st->Int(0));
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  // --- Static pages and external ids (schema version 4) ---

  Status SavePage(StaticPage& p) override {
    std::lock_guard lock(mu_);
    if (!IsValidPagePath(p.path)) {
      return Status::InvalidArgument("page path \"" + p.path + "\": must start and end with '/'");
    }
    if (p.title.empty()) return Status::InvalidArgument("page title: required");
    return InTx([&]() -> Status {
      Seconds now = options_.clock->Now();
      bool insert = p.id == 0;
      if (insert) p.created_at = now;
      p.modified_at = now;
      auto st = insert ? db_.Prepare(
                             "INSERT INTO pages (path, title, body, body_format, status, "
                             "published_at, updated_at, created_at, modified_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                       : db_.Prepare(
                             "UPDATE pages SET path = ?1, title = ?2, body = ?3, body_format = ?4, "
                             "status = ?5, published_at = ?6, updated_at = ?7, modified_at = ?9 "
                             "WHERE id = ?10");
      if (!st) return st.error();
      st->Bind(1, p.path).Bind(2, p.title).Bind(3, p.body).Bind(4, BodyFormatName(p.body_format));
      st->Bind(5, PublishStateName(p.status)).Bind(6, p.published_at).Bind(7, p.updated_at);
      st->Bind(9, now);
      if (insert) st->Bind(8, p.created_at);
      else st->Bind(10, p.id);
      Status s = st->Run();
      if (s.IsConflict()) {
        return Status::InvalidArgument("page path \"" + p.path + "\": already used by another page");
      }
      DL_RETURN_IF_ERROR(s);
      if (insert) {
        p.id = db_.LastInsertId();
      } else if (db_.Changes() == 0) {
        return Status::NotFound("page " + std::to_string(p.id));
      }
      return LogChange("page", p.id, insert ? "insert" : "update");
    });
  }

  Result<StaticPage> GetPage(std::int64_t id) override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare("SELECT " DL_PAGE_COLUMNS " FROM pages WHERE id = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, id);
    if (st->Step()) return ReadPage(*st);
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("page " + std::to_string(id)));
  }

  Result<StaticPage> GetPageByPath(std::string_view path) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT " DL_PAGE_COLUMNS " FROM pages WHERE path = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, path);
    if (st->Step()) return ReadPage(*st);
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("page \"" + std::string(path) + "\""));
  }

  Result<std::vector<StaticPage>> AllPages() override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare("SELECT " DL_PAGE_COLUMNS " FROM pages ORDER BY id");
    if (!st) return Fail(st.error());
    std::vector<StaticPage> out;
    while (st->Step()) out.push_back(ReadPage(*st));
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  Status PutExternalId(const ExternalId& x) override {
    std::lock_guard lock(mu_);
    if (x.system.empty() || x.key.empty()) return Status::InvalidArgument("external id: empty");
    auto st = db_.Prepare(
        "INSERT INTO external_ids (system, key, entity, entity_id, version) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (system, key) DO UPDATE SET "
        "entity = ?3, entity_id = ?4, version = ?5");
    if (!st) return st.error();
    return st->Bind(1, x.system).Bind(2, x.key).Bind(3, x.entity).Bind(4, x.entity_id)
        .Bind(5, x.version).Run();
  }

  Result<ExternalId> GetExternalId(std::string_view system, std::string_view key) override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare(
        "SELECT system, key, entity, entity_id, version FROM external_ids "
        "WHERE system = ?1 AND key = ?2");
    if (!st) return Fail(st.error());
    st->Bind(1, system).Bind(2, key);
    if (st->Step()) return ExternalId{st->Text(0), st->Text(1), st->Text(2), st->Int(3), st->Text(4)};
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("external id"));
  }

  Status PutRedirect(const Redirect& r) override {
    std::lock_guard lock(mu_);
    if (r.from_path == r.to_path) return Status::InvalidArgument("redirect to itself");
    return InTx([&]() -> Status {
      auto st = db_.Prepare(
          "INSERT INTO redirects (from_path, to_path) VALUES (?1, ?2) "
          "ON CONFLICT (from_path) DO UPDATE SET to_path = ?2");
      if (!st) return st.error();
      DL_RETURN_IF_ERROR(st->Bind(1, r.from_path).Bind(2, r.to_path).Run());
      // A path that becomes live again must not keep redirecting away.
      auto del = db_.Prepare("DELETE FROM redirects WHERE from_path = ?1");
      if (!del) return del.error();
      DL_RETURN_IF_ERROR(del->Bind(1, r.to_path).Run());
      return LogChange("redirect", 0, "update");
    });
  }

  Result<std::string> GetRedirect(std::string_view from_path) override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT to_path FROM redirects WHERE from_path = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, from_path);
    if (st->Step()) return st->Text(0);
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("redirect"));
  }

  Result<std::vector<ChangeLogEntry>> ChangesSince(std::int64_t seq, int limit) override {
    std::lock_guard lock(mu_);
    auto st = db_.Prepare(
        "SELECT seq, entity, entity_id, op, at FROM change_log WHERE seq > ?1 "
        "ORDER BY seq LIMIT ?2");
    if (!st) return Fail(st.error());
    st->Bind(1, seq).Bind(2, std::int64_t{limit});
    std::vector<ChangeLogEntry> out;
    while (st->Step()) {
      out.push_back({st->Int(0), st->Text(1), st->Int(2), st->Text(3), st->Int(4)});
    }
    if (!st->status().ok()) return Fail(st->status());
    return out;
  }

  std::unique_ptr<ReadScope> BeginReads() override {
    if (!separate_readers_ || writer_.load() == std::this_thread::get_id()) return nullptr;
    ReadHandle r = Reader();
    // The writer's connection (no reader of its own): nothing to hold.
    if (r.Locked() || r.db().InTransaction()) return nullptr;
    auto begin = r.db().Prepare("BEGIN");
    if (!begin || !begin->Run().ok()) return nullptr;  // then each read is its own
    return std::make_unique<ReadScopeOf>(r.db());
  }

  Result<std::int64_t> LastChangeSeq() override {
    ReadHandle r = Reader();
    auto st = r.db().Prepare("SELECT coalesce(max(seq), 0) FROM change_log");
    if (!st) return Fail(st.error());
    std::int64_t n = st->Step() ? st->Int(0) : 0;
    if (!st->status().ok()) return Fail(st->status());
    return n;
  }

  Result<std::vector<std::int64_t>> PublishDue(Seconds now) override {
    std::lock_guard lock(mu_);
    std::vector<std::int64_t> ids;
    Status s = InTx([&]() -> Status {
      ids.clear();
      // BEGIN IMMEDIATE holds the write lock: a second caller (another
      // process too) finds these stories already published.
      auto st = db_.Prepare(
          "UPDATE articles SET status = 'published', version = version + 1, modified_at = ?2 "
          "WHERE status = 'scheduled' AND published_at <= ?1 RETURNING id");
      if (!st) return st.error();
      st->Bind(1, now).Bind(2, options_.clock->Now());
      while (st->Step()) ids.push_back(st->Int(0));
      DL_RETURN_IF_ERROR(st->status());
      std::sort(ids.begin(), ids.end());
      for (std::int64_t id : ids) DL_RETURN_IF_ERROR(LogChange("article", id, "update"));
      return Status::Ok();
    });
    if (!s.ok()) return Fail(s);
    return ids;
  }

  // --- The newsroom (schema version 5): see NewsroomTables. ---

  Status SaveUser(User& u) override {
    std::lock_guard lock(mu_);
    return newsroom_.SaveUser(u);
  }
  Result<User> GetUser(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return newsroom_.GetUser(id);
  }
  Result<User> GetUserByEmail(std::string_view email) override {
    std::lock_guard lock(mu_);
    return newsroom_.GetUserByEmail(email);
  }
  Result<std::vector<User>> ListUsers() override {
    std::lock_guard lock(mu_);
    return newsroom_.ListUsers();
  }

  Status PutSession(const Session& s) override {
    std::lock_guard lock(mu_);
    return newsroom_.PutSession(s);
  }
  Result<Session> GetSession(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    return newsroom_.GetSession(token_hash);
  }
  Status TouchSession(std::string_view token_hash, Seconds at) override {
    std::lock_guard lock(mu_);
    return newsroom_.TouchSession(token_hash, at);
  }
  Status DeleteSession(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    return newsroom_.DeleteSession(token_hash);
  }
  Status DeleteSessionsOf(std::int64_t user_id) override {
    std::lock_guard lock(mu_);
    return newsroom_.DeleteSessionsOf(user_id);
  }

  Status AddApiToken(ApiToken& t) override {
    std::lock_guard lock(mu_);
    return newsroom_.AddApiToken(t);
  }
  Result<ApiToken> GetApiTokenByHash(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    return newsroom_.GetApiTokenByHash(token_hash);
  }
  Result<std::vector<ApiToken>> ListApiTokens(std::int64_t user_id) override {
    std::lock_guard lock(mu_);
    return newsroom_.ListApiTokens(user_id);
  }
  Status RevokeApiToken(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return newsroom_.RevokeApiToken(id);
  }
  Status TouchApiToken(std::int64_t id, Seconds at) override {
    std::lock_guard lock(mu_);
    return newsroom_.TouchApiToken(id, at);
  }

  Status AddRevision(Revision& r) override {
    std::lock_guard lock(mu_);
    return newsroom_.AddRevision(r);
  }
  Result<std::vector<Revision>> ListRevisions(std::int64_t article_id) override {
    std::lock_guard lock(mu_);
    return newsroom_.ListRevisions(article_id);
  }
  Result<Revision> GetRevision(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return newsroom_.GetRevision(id);
  }

  Status AddCorrection(Correction& c) override {
    std::lock_guard lock(mu_);
    return newsroom_.AddCorrection(c);
  }
  Result<std::vector<Correction>> ListCorrections(std::int64_t article_id) override {
    std::lock_guard lock(mu_);
    return newsroom_.ListCorrections(article_id);
  }
  Result<std::vector<Correction>> RecentCorrections(int limit, int offset) override {
    std::lock_guard lock(mu_);
    return newsroom_.RecentCorrections(limit, offset);
  }
  Result<std::int64_t> CountCorrections() override {
    std::lock_guard lock(mu_);
    return newsroom_.CountCorrections();
  }

 private:
  // Caller holds mu_.
  Status InTx(const std::function<Status()>& fn) {
    bool outer = depth_ == 0;
    if (outer) writer_ = std::this_thread::get_id();
    struct ClearWriter {
      SqliteStore* store;
      bool outer;
      ~ClearWriter() {
        if (outer) store->writer_ = std::thread::id();
      }
    } clear_writer{this, outer};
    // Prepared once (the store's statement cache): an import nests one
    // savepoint per story, and parsing these two each time was a tenth of it.
    auto prepared = [this](const char* sql) -> Status {
      auto st = db_.Prepare(sql);
      if (!st) return st.error();
      return st->Run();
    };
    // Inside a bulk transaction a nested one makes no savepoint: the bulk
    // transaction stands or falls as a whole.
    const bool savepoint = !outer && !bulk_;
    if (outer) DL_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    if (savepoint) DL_RETURN_IF_ERROR(prepared("SAVEPOINT nested"));
    ++depth_;
    Status s;
    try {
      s = fn();
    } catch (const std::exception& e) {
      s = Status::Internal(e.what());
    }
    --depth_;
    if (!s.ok()) {
      if (outer) (void)db_.Exec("ROLLBACK");
      if (savepoint) (void)db_.Exec("ROLLBACK TO nested; RELEASE nested");
      return s;
    }
    if (!outer) return savepoint ? prepared("RELEASE nested") : Status::Ok();
    Status c = db_.Exec("COMMIT");
    if (!c.ok()) (void)db_.Exec("ROLLBACK");
    return c;
  }

  Status LogChange(std::string_view entity, std::int64_t id, std::string_view op) {
    auto st = db_.Prepare(
        "INSERT INTO change_log (entity, entity_id, op, at) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return st.error();
    return st->Bind(1, entity).Bind(2, id).Bind(3, op).Bind(4, options_.clock->Now()).Run();
  }

  static void BindQuery(Stmt& st, const ArticleQuery& q) {
    st.Bind(1, q.section_slug).Bind(2, q.tag_slug).Bind(3, q.author_slug);
    st.Bind(4, q.published_from).Bind(5, q.published_before).Bind(6, q.visible_at);
    st.Bind(7, std::int64_t{q.featured_only ? 1 : 0}).Bind(8, IdsJson(q.exclude_ids));
    st.Bind(11, StatusesJson(q.statuses)).Bind(12, q.owner_id);
    st.Bind(13, LikeEscape(q.headline_contains));
  }

  static StaticPage ReadPage(const Stmt& st) {
    StaticPage p;
    p.id = st.Int(0);
    p.path = st.Text(1);
    p.title = st.Text(2);
    p.body = st.Text(3);
    p.body_format = ParseBodyFormat(st.Text(4)).value_or(BodyFormat::kHtml);
    p.status = ParsePublishState(st.Text(5)).value_or(PublishState::kDraft);
    p.published_at = st.OptInt(6);
    p.updated_at = st.OptInt(7);
    p.created_at = st.Int(8);
    p.modified_at = st.Int(9);
    return p;
  }

  static Section ReadSection(const Stmt& st) {
    return Section{st.Int(0), st.Text(1), st.Text(2), static_cast<int>(st.Int(3)), st.Text(4)};
  }

  Result<Section> GetSectionLocked(std::string_view slug) { return GetSectionIn(db_, slug); }

  static Result<Section> GetSectionIn(Db& db, std::string_view slug) {
    auto st = db.Prepare(
        "SELECT s.id, s.slug, s.name, s.position, coalesce(p.slug, '') FROM sections s "
        "LEFT JOIN sections p ON p.id = s.parent_id WHERE s.slug = ?1");
    if (!st) return Fail(st.error());
    st->Bind(1, slug);
    if (st->Step()) return ReadSection(*st);
    if (!st->status().ok()) return Fail(st->status());
    return Fail(Status::NotFound("section \"" + std::string(slug) + "\""));
  }

  Result<Section> EnsureSectionLocked(std::string_view slug, std::string_view name) {
    auto found = GetSectionLocked(slug);
    if (found || !found.error().IsNotFound()) return found;
    if (!IsValidSlug(slug)) {
      return Fail(Status::InvalidArgument("section \"" + std::string(slug) +
                                          "\": a section slug is a-z, 0-9 and '-'"));
    }
    auto st = db_.Prepare(
        "INSERT INTO sections (slug, name, position) "
        "VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM sections))");
    if (!st) return Fail(st.error());
    Status s = st->Bind(1, slug).Bind(2, name).Run();
    if (!s.ok()) return Fail(s);
    std::int64_t id = db_.LastInsertId();
    s = LogChange("section", id, "insert");
    if (!s.ok()) return Fail(s);
    return GetSectionLocked(slug);
  }

  // make(), or while a bulk transaction runs the id it gave for `key`
  // before: an import names the same few sections, tags and authors
  // thousands of times. Rows of these kinds are never deleted and their
  // upserts keep the id, so only the transaction's end (a rollback takes
  // new rows back) forgets them.
  enum BulkIds { kSectionIds, kTagIds, kAuthorIds };
  template <typename Make>
  Result<std::int64_t> BulkCachedId(BulkIds kind, const std::string& key, Make make) {
    if (!bulk_) return make();
    auto& ids = bulk_ids_[kind];
    if (auto it = ids.find(key); it != ids.end()) return it->second;
    Result<std::int64_t> id = make();
    if (id) ids.emplace(key, *id);
    return id;
  }

  // Finds or creates a tag/author row by the slug of its name.
  Result<std::int64_t> EnsureNamed(bool tag, const std::string& name) {
    std::string slug = options_.slugify ? options_.slugify(name) : name;
    if (!IsValidSlug(slug)) {
      return Fail(Status::InvalidArgument(std::string(tag ? "tag" : "author") + " \"" + name +
                                          "\": cannot make a URL slug of this name"));
    }
    auto find = tag ? db_.Prepare("SELECT id FROM tags WHERE slug = ?1")
                    : db_.Prepare("SELECT id FROM authors WHERE slug = ?1");
    if (!find) return Fail(find.error());
    find->Bind(1, slug);
    if (find->Step()) return find->Int(0);
    if (!find->status().ok()) return Fail(find->status());
    auto ins = tag ? db_.Prepare("INSERT INTO tags (slug, name) VALUES (?1, ?2)")
                   : db_.Prepare("INSERT INTO authors (slug, name) VALUES (?1, ?2)");
    if (!ins) return Fail(ins.error());
    Status s = ins->Bind(1, slug).Bind(2, name).Run();
    if (!s.ok()) return Fail(s);
    std::int64_t id = db_.LastInsertId();
    s = LogChange(tag ? "tag" : "author", id, "insert");
    if (!s.ok()) return Fail(s);
    return id;
  }

  // `fresh`: the article was inserted just now, so it has no links to drop.
  // The first save of a bulk write into a store of few stories (a first
  // import) drops the secondary indexes of the tables it adds a row or more
  // per story to, and keeps the statements that make them again in
  // deferred_ (BulkTransaction runs them before it commits): SQLite builds
  // an index from sorted keys once, faster than it inserts each row's key
  // into it. Indexes that keep a constraint (UNIQUE, primary keys) stay, as
  // do all of them in a store with stories enough that making them anew
  // would cost more than the rows written, and in a bulk write that saves
  // no story (Related News lists). Until the index builds the writer reads
  // through pread (the 128 MiB memory map would count the pages it reads as
  // resident memory for nothing); the builds, which scan the whole table,
  // read through a map of the whole file (BulkTransaction). Figures in
  // docs/performance.md.
  Status DeferIndexes() {
    constexpr std::int64_t kFewStories = 1000;
    deferred_.emplace();
    auto count = db_.Prepare("SELECT count(*) FROM (SELECT 1 FROM articles LIMIT ?1)");
    if (!count) return count.error();
    count->Bind(1, kFewStories);
    if (!count->Step()) return count->status();
    const std::int64_t stories = count->Int(0);
    count->Reset();  // DROP INDEX waits for no statement reading the table
    if (stories >= kFewStories) return Status::Ok();
    auto st = db_.Prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        "tbl_name IN ('articles', 'article_tags', 'article_authors') ORDER BY name");
    if (!st) return st.error();
    std::vector<std::string> names;
    while (st->Step()) {
      names.push_back(st->Text(0));
      deferred_->push_back(st->Text(1));
    }
    DL_RETURN_IF_ERROR(st->status());
    st->Reset();
    if (names.empty()) return Status::Ok();
    DL_RETURN_IF_ERROR(db_.MapMemory(sqlite::Db::Map::kOff));
    for (const std::string& name : names) {
      DL_RETURN_IF_ERROR(db_.Exec("DROP INDEX \"" + name + "\""));
    }
    return Status::Ok();
  }

  Status ReplaceLinks(const Article& a, bool fresh) {
    for (const char* sql : {"DELETE FROM article_tags WHERE article_id = ?1",
                            "DELETE FROM article_authors WHERE article_id = ?1",
                            "DELETE FROM related_pins WHERE article_id = ?1"}) {
      if (fresh) break;
      auto st = db_.Prepare(sql);
      if (!st) return st.error();
      DL_RETURN_IF_ERROR(st->Bind(1, a.id).Run());
    }
    for (int pass = 0; pass < 2; ++pass) {
      bool tag = pass == 0;
      const auto& names = tag ? a.tags : a.authors;
      std::int64_t pos = 0;
      for (const std::string& name : names) {
        auto id = BulkCachedId(tag ? kTagIds : kAuthorIds, name, [&] { return EnsureNamed(tag, name); });
        if (!id) return id.error();
        auto st = tag ? db_.Prepare(
                            "INSERT OR IGNORE INTO article_tags (article_id, tag_id, position) "
                            "VALUES (?1, ?2, ?3)")
                      : db_.Prepare(
                            "INSERT OR IGNORE INTO article_authors (article_id, author_id, "
                            "position) VALUES (?1, ?2, ?3)");
        if (!st) return st.error();
        DL_RETURN_IF_ERROR(st->Bind(1, a.id).Bind(2, *id).Bind(3, pos++).Run());
      }
    }
    std::int64_t pos = 0;
    for (const std::string& slug : a.related_pins) {
      auto st = db_.Prepare(
          "INSERT INTO related_pins (article_id, position, pinned_slug) VALUES (?1, ?2, ?3)");
      if (!st) return st.error();
      DL_RETURN_IF_ERROR(st->Bind(1, a.id).Bind(2, pos++).Bind(3, slug).Run());
    }
    return Status::Ok();
  }

  // Reads the row at the cursor (FillLinks adds tags, authors and pins).
  static Result<Article> ReadArticle(const Stmt& st) {
    Article a;
    a.id = st.Int(0);
    a.slug = st.Text(1);
    a.headline = st.Text(2);
    a.dek = st.Text(3);
    a.dateline = st.Text(4);
    a.body = st.Text(5);
    a.body_format = ParseBodyFormat(st.Text(6)).value_or(BodyFormat::kMarkdown);
    a.excerpt = st.Text(7);
    a.section = st.Text(8);
    a.status = ParsePublishState(st.Text(9)).value_or(PublishState::kDraft);
    a.published_at = st.OptInt(10);
    a.updated_at = st.OptInt(11);
    a.language = st.Text(12);
    if (!st.IsNull(13)) {
      a.lead_image = LeadImage{st.Text(13), st.Text(14), st.Text(15), st.Text(16)};
    }
    a.featured = st.Int(17) != 0;
    a.created_at = st.Int(18);
    a.modified_at = st.Int(19);
    a.owner_id = st.Int(20);
    a.version = st.Int(21);
    a.seo_title = st.Text(22);
    a.seo_description = st.Text(23);
    return a;
  }

  // Fills the tags, authors and pins of every article in `list`: one query
  // per kind for the whole list (a story page lists about twenty stories;
  // three queries per story were a fifth of its store time).
  static Status FillLinks(Db& db, std::vector<Article>& list) {
    if (list.empty()) return Status::Ok();
    std::unordered_map<std::int64_t, Article*> by_id;
    std::vector<std::int64_t> ids;
    by_id.reserve(list.size());
    ids.reserve(list.size());
    for (Article& a : list) {
      if (by_id.emplace(a.id, &a).second) ids.push_back(a.id);
    }
    // Each query walks the id list and looks each id up by the primary key
    // (article_id, ...): an `IN (SELECT ... json_each)` list and an ORDER
    // BY each made SQLite open a temporary b-tree of its own, which for the
    // one story of a story page was most of its store time (perf of `serve`
    // with the cache off). One story (a story page's own) is looked up by
    // its id alone: the JSON list's table function cost more than the
    // lookup. Rows come grouped by article; each group is put in position
    // order here.
    const bool one = ids.size() == 1;
    const std::string id_list = one ? std::string() : IdsJson(ids);
    std::vector<std::pair<std::int64_t, std::string>> rows;
    auto fill = [&](const char* list_sql, const char* one_sql,
                    std::vector<std::string> Article::*field) -> Status {
      auto st = db.Prepare(one ? one_sql : list_sql);
      if (!st) return st.error();
      if (one) {
        st->Bind(1, ids.front());
      } else {
        st->Bind(1, id_list);
      }
      Article* current = nullptr;
      auto flush = [&] {
        if (current == nullptr) return;
        std::stable_sort(rows.begin(), rows.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [pos, text] : rows) (current->*field).push_back(std::move(text));
        rows.clear();
      };
      while (st->Step()) {
        auto it = by_id.find(st->Int(0));
        if (it == by_id.end()) continue;
        if (it->second != current) {
          flush();
          current = it->second;
        }
        rows.emplace_back(st->Int(1), st->Text(2));
      }
      flush();
      return st->status();
    };
    DL_RETURN_IF_ERROR(fill(
        "SELECT x.article_id, x.position, t.name FROM json_each(?1) j "
        "CROSS JOIN article_tags x ON x.article_id = j.value JOIN tags t ON t.id = x.tag_id",
        "SELECT x.article_id, x.position, t.name FROM article_tags x "
        "JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ?1",
        &Article::tags));
    DL_RETURN_IF_ERROR(fill(
        "SELECT x.article_id, x.position, u.name FROM json_each(?1) j "
        "CROSS JOIN article_authors x ON x.article_id = j.value JOIN authors u ON u.id = x.author_id",
        "SELECT x.article_id, x.position, u.name FROM article_authors x "
        "JOIN authors u ON u.id = x.author_id WHERE x.article_id = ?1",
        &Article::authors));
    DL_RETURN_IF_ERROR(fill(
        "SELECT p.article_id, p.position, p.pinned_slug FROM json_each(?1) j "
        "CROSS JOIN related_pins p ON p.article_id = j.value",
        "SELECT p.article_id, p.position, p.pinned_slug FROM related_pins p "
        "WHERE p.article_id = ?1",
        &Article::related_pins));
    // The same id twice in a list (never from one query) gets the first's.
    for (Article& a : list) {
      Article* first = by_id[a.id];
      if (first != &a) {
        a.tags = first->tags;
        a.authors = first->authors;
        a.related_pins = first->related_pins;
      }
    }
    return Status::Ok();
  }

  // `read` inside one read transaction, so that a save committed meanwhile
  // (on another connection) cannot pair an old row with new tags. Inside a
  // transaction already, that one serves. `read` must end its statements'
  // reads (Reset) before it returns.
  template <typename Read>
  static auto InReadTransaction(Db& db, const Read& read) -> decltype(read()) {
    const bool own = !db.InTransaction();
    if (own) {
      auto begin = db.Prepare("BEGIN");
      if (!begin) return Fail(begin.error());
      if (Status b = begin->Run(); !b.ok()) return Fail(b);
    }
    auto out = read();
    if (own) {
      auto commit = db.Prepare("COMMIT");
      Status c = commit ? commit->Run() : commit.error();
      if (!c.ok()) {
        (void)db.Exec("ROLLBACK");
        if (out) return Fail(c);
      }
    }
    return out;
  }

  // The rows of `st`, each with its tags, authors and pins unless `links`
  // is false (GetArticles), read in one read transaction.
  static Result<std::vector<Article>> Articles(Db& db, Stmt& st, bool links = true) {
    return InReadTransaction(db, [&]() -> Result<std::vector<Article>> {
      std::vector<Article> out;
      while (st.Step()) out.push_back(*ReadArticle(st));
      st.Reset();  // the statement's read ends before the transaction does
      if (!st.status().ok()) return Fail(st.status());
      if (links) {
        Status s = FillLinks(db, out);
        if (!s.ok()) return Fail(s);
      }
      return out;
    });
  }

  // The articles with these ids, in the order given (ids with no article
  // skipped, a repeated id twice), read in one query and one read transaction.
  static Result<std::vector<Article>> ArticlesByIds(Db& db, const std::vector<std::int64_t>& ids,
                                                    bool links) {
    if (ids.empty()) return std::vector<Article>{};
    auto st = db.Prepare("SELECT " DL_ARTICLE_COLUMNS
                         "FROM json_each(?1) j CROSS JOIN articles a ON a.id = j.value "
                         "LEFT JOIN sections s ON s.id = a.section_id");
    if (!st) return Fail(st.error());
    st->Bind(1, IdsJson(ids));
    // The id list is the outer loop (CROSS JOIN keeps it so), walked in
    // its order: rows come in the order asked, a repeated id twice.
    return Articles(db, *st, links);
  }

  static Result<Article> OneArticle(Db& db, Stmt& st, const std::string& what) {
    auto all = Articles(db, st);
    if (!all) return Fail(all.error());
    if (all->empty()) return Fail(Status::NotFound(what));
    return std::move(all->front());
  }

  // Reads from a thread that is not inside a transaction go through that
  // thread's own connection: WAL lets readers run beside the writer and
  // each other, so pages rendered on several threads do not queue behind
  // mu_ (a page makes about twenty queries). The thread inside a
  // transaction reads through db_ and sees its own uncommitted writes; an
  // in-memory database has db_ only.
  class ReadHandle {
   public:
    ReadHandle(std::unique_lock<std::recursive_mutex> lock, Db& db)
        : lock_(std::move(lock)), db_(db) {}
    Db& db() { return db_; }
    bool Locked() const { return lock_.owns_lock(); }

   private:
    std::unique_lock<std::recursive_mutex> lock_;  // held when db_ is the writer's
    Db& db_;
  };
  ReadHandle Reader() {
    if (!separate_readers_ || writer_.load() == std::this_thread::get_id()) {
      return ReadHandle(std::unique_lock(mu_), db_);
    }
    // This thread's connection to this store, remembered without the lock
    // (a page makes some twenty queries). Store ids are never reused, so a
    // connection of a store that is gone is never matched.
    struct Last {
      std::uint64_t store = 0;
      Db* db = nullptr;
    };
    thread_local Last last;
    if (last.store == id_) return ReadHandle(std::unique_lock<std::recursive_mutex>(), *last.db);
    {
      std::lock_guard lock(readers_mu_);
      std::unique_ptr<Db>& mine = readers_[std::this_thread::get_id()];
      if (!mine) {
        auto db = std::make_unique<Db>();
        // A reader's own page cache stays small: the memory map serves
        // most pages, and there is one reader per thread.
        if (db->Open(path_, options_.read_only).ok() && db->Exec("PRAGMA cache_size=-4096").ok()) {
          mine = std::move(db);
        }
      }
      if (mine) {
        last = {id_, mine.get()};
        return ReadHandle(std::unique_lock<std::recursive_mutex>(), *mine);
      }
      readers_.erase(std::this_thread::get_id());
    }
    // No connection of its own (the open failed): read through the writer's.
    return ReadHandle(std::unique_lock(mu_), db_);
  }

  StoreOptions options_;
  std::recursive_mutex mu_;
  Db db_;
  std::string path_;
  bool separate_readers_ = false;
  static inline std::atomic<std::uint64_t> next_id_{1};
  const std::uint64_t id_ = next_id_++;  // tells this store's readers apart (Reader)
  std::atomic<std::thread::id> writer_{};  // the thread inside a transaction
  std::mutex readers_mu_;
  std::unordered_map<std::thread::id, std::unique_ptr<Db>> readers_;  // by thread
  sqlite::NewsroomTables newsroom_;  // borrows db_ and the clock
  int depth_ = 0;
  bool bulk_ = false;  // inside BulkTransaction: nested writes make no savepoint
  bool bulk_journal_ = false;    // ... which switched the file to the rollback journal
  std::int64_t bulk_saves_ = 0;  // stories saved by the open BulkTransaction
  // Inside BulkTransaction, once a story was saved: the indexes to make
  // again before it commits (DeferIndexes; empty when none was dropped).
  std::optional<std::vector<std::string>> deferred_;
  // Sections by slug, tags and authors by name: their ids, while bulk_.
  std::unordered_map<std::string, std::int64_t> bulk_ids_[3];
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, StoreOptions options) {
  auto store = std::make_unique<SqliteStore>(std::move(options));
  Status s = store->Open(path);
  if (!s.ok()) return Fail(s);
  return std::unique_ptr<Store>(std::move(store));
}

Status MigrateSqliteFile(const std::string& path, int version) {
  sqlite::Db db;
  DL_RETURN_IF_ERROR(db.Open(path, false));
  return sqlite::Migrate(db, version);
}

}  // namespace dateline
