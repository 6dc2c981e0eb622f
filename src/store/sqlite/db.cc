#include "store/sqlite/db.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <utility>

namespace dateline::sqlite {

namespace {

// The database files this process's Db connections have open, by device
// and inode: how many connections each, and StartWriteback's descriptor of
// it. Closing any descriptor of a file drops every POSIX lock the process
// holds on it, its SQLite connections' locks included (SQLite keeps its own
// descriptors until a file's last connection closes for the same reason),
// so a writeback descriptor is closed only with the file's last connection.
struct OpenFiles {
  struct File {
    int connections = 0;
    int writeback_fd = -1;
  };
  std::mutex mu;
  std::map<std::pair<dev_t, ino_t>, File> files;

  static OpenFiles& Get() {
    static OpenFiles* open = new OpenFiles;  // never destroyed: Dbs may outlive statics
    return *open;
  }
};

// How long a statement waits for another connection's lock before failing.
constexpr int kBusyTimeoutMs = 5000;
}  // namespace

Stmt& Stmt::Bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindRef(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::Bind(int i, const std::optional<std::int64_t>& v) {
  return v ? Bind(i, *v) : BindNull(i);
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

bool Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && status_.ok()) {
    sqlite3* db = sqlite3_db_handle(s_);
    std::string msg = sqlite3_errmsg(db);
    if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT) {
      status_ = Status::Conflict(msg);
    } else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
      status_ = Status::Corruption(msg);
    } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
      status_ = Status::Unavailable(msg);
    } else {
      status_ = Status::IOError(msg);
    }
  }
  return false;
}

Status Stmt::Run() {
  while (Step()) {
  }
  return status_;
}

std::optional<std::int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
}

Db::~Db() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : text_cache_) sqlite3_finalize(stmt);
  if (db_ != nullptr) sqlite3_close(db_);
  if (file_id_) {
    OpenFiles& open = OpenFiles::Get();
    std::lock_guard lock(open.mu);
    auto it = open.files.find(*file_id_);
    if (it != open.files.end() && --it->second.connections == 0) {
      if (it->second.writeback_fd >= 0) ::close(it->second.writeback_fd);
      open.files.erase(it);
    }
  }
}

Status Db::Error(std::string_view what) const {
  std::string msg = std::string(what) + " (" + path_ + "): " +
                    (db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open");
  int rc = db_ != nullptr ? sqlite3_errcode(db_) & 0xff : SQLITE_CANTOPEN;
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Status::Corruption(msg);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Unavailable(msg);
  return Status::IOError(msg);
}

Status Db::Open(const std::string& path, bool read_only) {
  // Before SQLite's first use in the process: no memory statistics (each of
  // SQLite's mallocs and frees took a global mutex to count them; the
  // import's profile spent 4% in that mutex). Later calls are refused by
  // SQLite and change nothing.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  path_ = path;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    Status s = Error("cannot open database");
    sqlite3_close(db_);
    db_ = nullptr;
    return s;
  }
  const char* file = sqlite3_db_filename(db_, "main");
  struct stat st;
  if (file != nullptr && *file != '\0' && ::stat(file, &st) == 0) {
    file_id_.emplace(st.st_dev, st.st_ino);
    OpenFiles& open = OpenFiles::Get();
    std::lock_guard lock(open.mu);
    ++open.files[*file_id_].connections;
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  Status s = Configure(read_only);
  if (s.code() == Status::Code::kUnavailable) {
    // Locked past the busy timeout, or refused the switch to WAL at once:
    // an import holds the file in the rollback journal until it ends
    // (Store::BulkTransaction).
    return Status::Unavailable(s.message() +
                               "; another process is writing to it in one long transaction "
                               "(an import?): try again when it has finished");
  }
  return s;
}

Status Db::Configure(bool read_only) {
  // Reading the schema proves the file is a database before we rely on it.
  DL_RETURN_IF_ERROR(Exec("SELECT count(*) FROM sqlite_master"));
  // 16 KiB pages for a new database (SQLite ignores this for a file that
  // has content; an older site keeps its 4 KiB pages until a VACUUM). A
  // story's row (headline, body, then status and times) fits in one page
  // instead of a 4 KiB leaf and overflow pages, so a read of its status or
  // time no longer walks the body's overflow chain, and an import writes a
  // quarter as many pages: 100,000 generated stories 5.9 -> 4.5 s.
  if (!read_only) DL_RETURN_IF_ERROR(Exec("PRAGMA page_size=16384"));
  if (!read_only) DL_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));
  DL_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON"));
  DL_RETURN_IF_ERROR(Exec("PRAGMA synchronous=NORMAL"));
  // Reads through a memory map instead of a pread() copy per page (the
  // reader pages' profile spent 5-8% in pread; docs/performance.md). The
  // first 128 MiB of the file are mapped: the schema, the indexes and the
  // newest stories of a large site; the rest is read as before. Writes
  // still go through the WAL.
  DL_RETURN_IF_ERROR(MapMemory(Map::kHead));
  // A 32 MiB page cache (SQLite's default is 2 MiB): a large import's
  // transaction spilled pages to the WAL early and wrote them again
  // (pwrite was a sixth of `dateline import`'s time).
  DL_RETURN_IF_ERROR(Exec("PRAGMA cache_size=-32768"));
  // Statement journals (a savepoint's undo record) and temporary b-trees in
  // memory: by default SQLite spilled a savepoint's journal to a temporary
  // file past 64 KiB, and an import's savepoint per story made that file
  // the largest part of its system time (100,000 stories: 19.4 -> 11.3 s).
  DL_RETURN_IF_ERROR(Exec("PRAGMA temp_store=MEMORY"));
  return Status::Ok();
}

void Db::StartWriteback() {
#ifdef __linux__
  if (!file_id_) return;
  int fd = -1;
  {
    OpenFiles& open = OpenFiles::Get();
    std::lock_guard lock(open.mu);
    OpenFiles::File& f = open.files[*file_id_];
    if (f.writeback_fd < 0) {
      const char* file = sqlite3_db_filename(db_, "main");
      f.writeback_fd = ::open(file, O_RDONLY | O_CLOEXEC);
    }
    fd = f.writeback_fd;
  }
  // The descriptor stays open while this connection is: no lock needed.
  if (fd >= 0) (void)::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

Status Db::MapMemory(Map extent) {
  switch (extent) {
    case Map::kOff:
      return Exec("PRAGMA mmap_size=0");
    case Map::kHead:
      return Exec("PRAGMA mmap_size=134217728");
    case Map::kWhole:
      break;
  }
  return Exec("PRAGMA mmap_size=2147418112");  // SQLITE_MAX_MMAP_SIZE's default
}

std::string Db::TrySetJournalMode(std::string_view mode) {
  auto ask = [this](const std::string& sql) -> std::string {
    auto st = Prepare(sql);
    return st && st->Step() ? st->Text(0) : "";
  };
  sqlite3_busy_timeout(db_, 0);
  std::string now = ask("PRAGMA journal_mode=" + std::string(mode));
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  return now.empty() ? ask("PRAGMA journal_mode") : now;  // empty: refused (busy)
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return Error("SQL failed");
  }
  return Status::Ok();
}

namespace {

template <typename Cache, typename Key>
Result<Stmt> PrepareInto(Db& db, Cache& cache, const Key& key, const char* sql) {
  auto it = cache.find(key);
  if (it != cache.end()) return Stmt(it->second);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    return Fail(db.Error("cannot prepare statement"));
  }
  cache.emplace(key, stmt);
  return Stmt(stmt);
}

}  // namespace

Result<Stmt> Db::Prepare(const char* sql) { return PrepareInto(*this, cache_, sql, sql); }

Result<Stmt> Db::Prepare(const std::string& sql) {
  return PrepareInto(*this, text_cache_, sql, sql.c_str());
}

}  // namespace dateline::sqlite
