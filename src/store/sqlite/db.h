// A thin RAII layer over the SQLite C API, used only inside src/store/sqlite.
//
// Db owns one connection and a cache of prepared statements keyed by their
// SQL text (every query is a prepared statement; values are always bound,
// never spliced into SQL). Stmt is a borrowed, reset-on-destruction handle
// into that cache. SQLite error codes become Status values here, with the
// database's own message. Not thread-safe: the owner serializes access.
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace dateline::sqlite {

class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_), status_(std::move(o.status_)) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt() {
    if (s_ != nullptr) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  // Binding is 1-based, as in SQLite.
  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, std::string_view v);
  // The same without SQLite's copy of the text, which must then stay as it
  // is until the statement is reset (its Stmt is gone or Reset): for a
  // row's long fields (a story's body) bound from an object that outlives
  // the statement's run.
  Stmt& BindRef(int i, std::string_view v);
  Stmt& Bind(int i, const std::optional<std::int64_t>& v);
  Stmt& BindNull(int i);

  // Advances; true when a row is ready, false when done. Errors go to status().
  bool Step();
  // Runs to completion; returns the first error.
  Status Run();
  // Ends the statement's current run (its read), keeping the bindings.
  void Reset() {
    if (s_ != nullptr) sqlite3_reset(s_);
  }
  const Status& status() const { return status_; }

  std::int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<std::int64_t> OptInt(int col) const;
  std::string Text(int col) const;

 private:
  sqlite3_stmt* s_;
  Status status_;
};

class Db {
 public:
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Opens (creating unless read_only) the database file; WAL, foreign keys
  // on, a busy timeout. IOError names the path and SQLite's reason.
  Status Open(const std::string& path, bool read_only);
  // Runs SQL text with no parameters (schema, pragmas, BEGIN/COMMIT).
  Status Exec(std::string_view sql);
  // A cached prepared statement (keyed by the address of a string
  // literal), reset when the returned Stmt goes away.
  Result<Stmt> Prepare(const char* sql);
  // The same for SQL put together at run time, keyed by its text (a
  // caller makes few distinct texts: one per shape of query).
  Result<Stmt> Prepare(const std::string& sql);
  std::int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  // Asks for a journal mode ("delete", "wal") without waiting for other
  // connections; returns the mode in effect afterwards, which is the old
  // one when SQLite could not change it (another connection has the file
  // open, or a transaction is open).
  std::string TrySetJournalMode(std::string_view mode);
  // How much of the file is read through a memory map rather than pread:
  // kHead, the default, maps its first 128 MiB (the schema, the indexes and
  // the newest stories of a large site); kWhole all of it (SQLite's limit
  // is 2 GiB); kOff none. Mapped pages count in the process's resident
  // memory once read, and a scan of a whole table reads every page: an
  // import that makes its indexes anew writes with the map off and makes
  // the indexes through a map of the whole file (SqliteStore::DeferIndexes).
  enum class Map { kOff, kHead, kWhole };
  Status MapMemory(Map extent);
  // Asks the kernel to start writing the database file's changed pages to
  // disk now, without waiting (Linux's sync_file_range): a long write
  // transaction in the rollback journal then finds less to flush at its
  // commit's fsync (in WAL mode the pages are in the -wal file, which this
  // does not touch). Advice: nothing happens for an in-memory database, and
  // a failure is ignored. The descriptor it needs is shared by the file's
  // connections in this process and closed with the last of them.
  void StartWriteback();
  // Whether a transaction is open (BEGIN without COMMIT or ROLLBACK yet).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* handle() const { return db_; }
  Status Error(std::string_view what) const;

 private:
  Status Configure(bool read_only);  // Open's pragmas

  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> cache_;
  std::map<std::string, sqlite3_stmt*, std::less<>> text_cache_;
  std::string path_;
  std::optional<std::pair<dev_t, ino_t>> file_id_;  // the open file's, when it is one
};

}  // namespace dateline::sqlite
