#include "store/sqlite/migrations.h"

#include <string>

#include <spdlog/spdlog.h>

#include "base/clock.h"

namespace dateline::sqlite {

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: the content model and the change log.
      R"sql(
CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  parent_id INTEGER REFERENCES sections(id) ON DELETE SET NULL
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  bio TEXT NOT NULL DEFAULT ''
);
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  headline TEXT NOT NULL CHECK (headline <> ''),
  dek TEXT NOT NULL DEFAULT '',
  dateline TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  body_format TEXT NOT NULL CHECK (body_format IN ('markdown', 'html')),
  excerpt TEXT NOT NULL DEFAULT '',
  section_id INTEGER REFERENCES sections(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'scheduled', 'published')),
  published_at INTEGER,
  updated_at INTEGER,
  language TEXT NOT NULL DEFAULT '',
  lead_image_url TEXT,
  lead_image_alt TEXT NOT NULL DEFAULT '',
  lead_image_caption TEXT NOT NULL DEFAULT '',
  lead_image_credit TEXT NOT NULL DEFAULT '',
  featured INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
CREATE INDEX articles_by_time ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC);
CREATE TABLE article_tags (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);
CREATE TABLE article_authors (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_by_author ON article_authors (author_id, article_id);
CREATE TABLE related_pins (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  pinned_slug TEXT NOT NULL,
  PRIMARY KEY (article_id, position)
);
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  at INTEGER NOT NULL
);
)sql",
      // 2: redirects from old paths (changed slugs, imported WordPress URLs).
      R"sql(
CREATE TABLE redirects (
  from_path TEXT PRIMARY KEY,
  to_path TEXT NOT NULL
) WITHOUT ROWID;
)sql",
      // 3: Related News lists, computed from the search index (derived data).
      R"sql(
CREATE TABLE related_news (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  related_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX related_news_by_related ON related_news (related_id);
)sql",
      // 4: static pages served at their path (WordPress pages), and ids other
      // systems gave our content (WordPress post ids and GUIDs, ninjs URIs),
      // so a re-import updates instead of duplicating.
      R"sql(
CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL CHECK (title <> ''),
  body TEXT NOT NULL,
  body_format TEXT NOT NULL CHECK (body_format IN ('markdown', 'html')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'scheduled', 'published')),
  published_at INTEGER,
  updated_at INTEGER,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
CREATE TABLE external_ids (
  system TEXT NOT NULL,
  key TEXT NOT NULL,
  entity TEXT NOT NULL CHECK (entity IN ('article', 'page')),
  entity_id INTEGER NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (system, key)
) WITHOUT ROWID;
CREATE INDEX external_ids_by_entity ON external_ids (entity, entity_id);
)sql",
      // 5: the newsroom. Stories may be unpublished (taken down after they
      // were public), have an owner and a version (optimistic locking); users,
      // their sessions and API tokens; revisions and corrections of stories.
      // SQLite cannot alter a CHECK constraint, so `articles` and `pages` are
      // rebuilt by SQLite's documented procedure (create, copy, drop, rename,
      // recreate indexes). Migrate() runs every migration with foreign keys
      // off: otherwise DROP TABLE articles would cascade into article_tags,
      // article_authors, related_pins and related_news.
      R"sql(
CREATE TABLE articles_v5 (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  headline TEXT NOT NULL CHECK (headline <> ''),
  dek TEXT NOT NULL DEFAULT '',
  dateline TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  body_format TEXT NOT NULL CHECK (body_format IN ('markdown', 'html')),
  excerpt TEXT NOT NULL DEFAULT '',
  section_id INTEGER REFERENCES sections(id) ON DELETE SET NULL,
  status TEXT NOT NULL
    CHECK (status IN ('draft', 'review', 'scheduled', 'published', 'unpublished')),
  published_at INTEGER,
  updated_at INTEGER,
  language TEXT NOT NULL DEFAULT '',
  lead_image_url TEXT,
  lead_image_alt TEXT NOT NULL DEFAULT '',
  lead_image_caption TEXT NOT NULL DEFAULT '',
  lead_image_credit TEXT NOT NULL DEFAULT '',
  featured INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  owner_id INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO articles_v5 (id, slug, headline, dek, dateline, body, body_format, excerpt,
  section_id, status, published_at, updated_at, language, lead_image_url, lead_image_alt,
  lead_image_caption, lead_image_credit, featured, created_at, modified_at)
SELECT id, slug, headline, dek, dateline, body, body_format, excerpt, section_id, status,
  published_at, updated_at, language, lead_image_url, lead_image_alt, lead_image_caption,
  lead_image_credit, featured, created_at, modified_at FROM articles;
DROP TABLE articles;
ALTER TABLE articles_v5 RENAME TO articles;
CREATE INDEX articles_by_time ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC);
CREATE INDEX articles_by_modified ON articles (modified_at DESC, id DESC);
CREATE INDEX articles_by_owner ON articles (owner_id, modified_at DESC);
CREATE INDEX articles_by_status ON articles (status, published_at);

CREATE TABLE pages_v5 (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL CHECK (title <> ''),
  body TEXT NOT NULL,
  body_format TEXT NOT NULL CHECK (body_format IN ('markdown', 'html')),
  status TEXT NOT NULL
    CHECK (status IN ('draft', 'review', 'scheduled', 'published', 'unpublished')),
  published_at INTEGER,
  updated_at INTEGER,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
INSERT INTO pages_v5 (id, path, title, body, body_format, status, published_at, updated_at,
  created_at, modified_at)
SELECT id, path, title, body, body_format, status, published_at, updated_at, created_at,
  modified_at FROM pages;
DROP TABLE pages;
ALTER TABLE pages_v5 RENAME TO pages;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL CHECK (name <> ''),
  role TEXT NOT NULL CHECK (role IN ('contributor', 'author', 'editor', 'admin')),
  disabled INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL
);
CREATE INDEX revisions_by_article ON revisions (article_id, id);
CREATE TABLE corrections (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX corrections_by_article ON corrections (article_id, at, id);
CREATE INDEX corrections_by_time ON corrections (at, id);
)sql",
      // 6: a story's SEO title and description (empty = the headline, the
      // dek or excerpt). Added columns with constant defaults: no rebuild.
      R"sql(
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
)sql",
      // 7: the same constraints written with = and OR. SQLite checks
      // `x IN (three or more values)` by building a temporary b-tree of the
      // values for every row written: with articles.status and
      // change_log.op, that was a fifth of an import's instructions
      // (callgrind, 2,000 stories). `articles` and `change_log` are rebuilt
      // as in migration 5; the change log keeps its AUTOINCREMENT counter
      // (the search index's last sequence refers to it, and rows may have
      // been removed). `pages` and `users` are written too rarely to matter.
      R"sql(
CREATE TABLE articles_v7 (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  headline TEXT NOT NULL CHECK (headline <> ''),
  dek TEXT NOT NULL DEFAULT '',
  dateline TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  body_format TEXT NOT NULL CHECK (body_format = 'markdown' OR body_format = 'html'),
  excerpt TEXT NOT NULL DEFAULT '',
  section_id INTEGER REFERENCES sections(id) ON DELETE SET NULL,
  status TEXT NOT NULL
    CHECK (status = 'draft' OR status = 'review' OR status = 'scheduled' OR
           status = 'published' OR status = 'unpublished'),
  published_at INTEGER,
  updated_at INTEGER,
  language TEXT NOT NULL DEFAULT '',
  lead_image_url TEXT,
  lead_image_alt TEXT NOT NULL DEFAULT '',
  lead_image_caption TEXT NOT NULL DEFAULT '',
  lead_image_credit TEXT NOT NULL DEFAULT '',
  featured INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  owner_id INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  seo_title TEXT NOT NULL DEFAULT '',
  seo_description TEXT NOT NULL DEFAULT ''
);
INSERT INTO articles_v7 (id, slug, headline, dek, dateline, body, body_format, excerpt,
  section_id, status, published_at, updated_at, language, lead_image_url, lead_image_alt,
  lead_image_caption, lead_image_credit, featured, created_at, modified_at, owner_id, version,
  seo_title, seo_description)
SELECT id, slug, headline, dek, dateline, body, body_format, excerpt, section_id, status,
  published_at, updated_at, language, lead_image_url, lead_image_alt, lead_image_caption,
  lead_image_credit, featured, created_at, modified_at, owner_id, version, seo_title,
  seo_description FROM articles;
DROP TABLE articles;
ALTER TABLE articles_v7 RENAME TO articles;
CREATE INDEX articles_by_time ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC);
CREATE INDEX articles_by_modified ON articles (modified_at DESC, id DESC);
CREATE INDEX articles_by_owner ON articles (owner_id, modified_at DESC);
CREATE INDEX articles_by_status ON articles (status, published_at);

CREATE TABLE change_log_v7 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  op TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),
  at INTEGER NOT NULL
);
INSERT INTO change_log_v7 (seq, entity, entity_id, op, at)
SELECT seq, entity, entity_id, op, at FROM change_log;
INSERT INTO sqlite_sequence (name, seq)
SELECT 'change_log_v7', seq FROM sqlite_sequence
WHERE name = 'change_log' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'change_log_v7');
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0))
WHERE name = 'change_log_v7';
DROP TABLE change_log;
ALTER TABLE change_log_v7 RENAME TO change_log;
)sql",
  };
  return kMigrations;
}

namespace {

// PRAGMA foreign_key_check as a Status: Ok when no row breaks a foreign
// key, else Corruption naming the first few offenders.
Status ForeignKeyCheck(Db& db) {
  auto st = db.Prepare("PRAGMA foreign_key_check");
  if (!st) return st.error();
  std::string examples;
  int n = 0;
  while (st->Step()) {
    if (++n > 3) continue;
    if (!examples.empty()) examples += "; ";
    examples += st->Text(0) + " row " + (st->IsNull(1) ? "?" : st->Text(1)) +
                " refers to a missing " + st->Text(2) + " row";
  }
  DL_RETURN_IF_ERROR(st->status());
  if (n == 0) return Status::Ok();
  return Status::Corruption("foreign key check failed (" + std::to_string(n) +
                            " rows): " + examples);
}

// Runs migrations version+1 .. target, each in its own transaction that
// commits only when the schema change leaves every foreign key intact.
// The caller has turned foreign keys off.
Status RunMigrations(Db& db, int version, int target) {
  const auto& all = Migrations();
  for (int v = version; v < target; ++v) {
    DL_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status s = db.Exec(all[static_cast<std::size_t>(v)]);
    if (s.ok()) s = ForeignKeyCheck(db);
    if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    if (!s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s.WithContext("migration " + std::to_string(v + 1));
    }
    DL_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  return Status::Ok();
}

}  // namespace

Status Migrate(Db& db, int target) {
  const auto& all = Migrations();
  int latest = static_cast<int>(all.size());
  if (target < 0 || target > latest) target = latest;
  int version = 0;
  {
    auto st = db.Prepare("PRAGMA user_version");
    if (!st) return st.error();
    if (st->Step()) version = static_cast<int>(st->Int(0));
    if (!st->status().ok()) return st->status();
  }
  if (version > latest) {
    return Status::InvalidArgument("database schema version " + std::to_string(version) +
                                   " is newer than this dateline supports (" +
                                   std::to_string(latest) + "); upgrade dateline");
  }
  if (version >= target) return Status::Ok();
  // Foreign keys off for the whole run, as SQLite's table-rebuild procedure
  // requires: with them on, DROP TABLE articles (migration 5) deletes every
  // row first and cascades into the tables that refer to articles. The
  // pragma is a no-op inside a transaction, so it is set before BEGIN (and
  // checked); each migration runs foreign_key_check before its COMMIT.
  DL_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=OFF"));
  {
    auto st = db.Prepare("PRAGMA foreign_keys");
    if (!st) return st.error();
    bool still_on = st->Step() && st->Int(0) != 0;
    DL_RETURN_IF_ERROR(st->status());
    if (still_on) {
      (void)db.Exec("PRAGMA foreign_keys=ON");
      return Status::Internal("cannot migrate inside an open transaction");
    }
  }
  // An existing site's upgrade can rewrite whole tables (migration 7 took
  // some 24 s on 100,000 stories): say so, so that the wait does not look
  // like a hang. A new database (version 0) is made at once.
  const Stopwatch watch;
  if (version > 0) {
    spdlog::info("database: upgrading from schema version {} to {}; on a large site this takes a while",
                 version, target);
  }
  Status s = RunMigrations(db, version, target);
  Status on = db.Exec("PRAGMA foreign_keys=ON");
  if (version > 0 && s.ok()) {
    spdlog::info("database: upgraded to schema version {} in {:.1f} s", target, watch.Elapsed());
  }
  return s.ok() ? on : s;
}

}  // namespace dateline::sqlite
