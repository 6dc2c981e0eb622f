#include "store/sqlite/migrations.h"

#include <string>

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
  };
  return kMigrations;
}

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
  for (int v = version; v < target; ++v) {
    DL_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status s = db.Exec(all[static_cast<std::size_t>(v)]);
    if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    if (!s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s.WithContext("migration " + std::to_string(v + 1));
    }
    DL_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  return Status::Ok();
}

}  // namespace dateline::sqlite
