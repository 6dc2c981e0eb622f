// SqliteStore: the embedded Store backend (one SQLite file, WAL mode,
// foreign keys on, prepared statements only).
//
// OpenSqliteStore opens or creates the file and runs pending migrations;
// an unreadable or foreign file fails with IOError/Corruption naming the
// path. The returned Store serializes all calls on one connection with a
// mutex, so it may be shared between threads.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace dateline {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, StoreOptions options);

// For migration tests: opens and migrates only up to `version`.
Status MigrateSqliteFile(const std::string& path, int version);

}  // namespace dateline
