// RawDb: raw SQL on a database file, outside the store: to build old
// databases, break rules the store keeps, and read what SQLite says about
// the file (pragmas, EXPLAIN). For tests only.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace dateline::testing {

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // How many rows of `sql`'s answer have `opcode` in their second column
  // (for EXPLAIN: how many times the program uses that opcode).
  int Count(const char* sql, const char* opcode) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    int n = 0;
    while (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* op = sqlite3_column_text(st, 1);
      if (op != nullptr && std::string(reinterpret_cast<const char*>(op)) == opcode) ++n;
    }
    sqlite3_finalize(st);
    return n;
  }
  // Whether `sql` runs (false: SQLite refused it, e.g. a CHECK failed).
  bool Try(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
  void Exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "") << "\n" << sql;
    sqlite3_free(err);
  }
  // The first column of the first row as text ("" when there is none).
  std::string Text(const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    std::string v;
    if (st != nullptr && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
      v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
  }
  std::int64_t Int(const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    std::int64_t v = -1;
    if (st != nullptr && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace dateline::testing
