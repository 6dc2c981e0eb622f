// The SQLite schema as an ordered list of migrations.
//
// Migration N (1-based) takes a database from user_version N-1 to N. They
// run on open, each in its own transaction, so a database written by any
// earlier Dateline is brought up to date and a failure leaves it at the
// last complete version. A database newer than this binary is refused.
// Migrate() turns foreign keys off around the run (SQLite's procedure for
// rebuilding a table: a DROP TABLE with them on would cascade into the
// tables that refer to it), runs PRAGMA foreign_key_check before each
// COMMIT (failing that migration when a row breaks a foreign key), and
// turns them back on. It must not be called inside an open transaction.
// docs/storage-schema.md describes the tables.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/sqlite/db.h"

namespace dateline::sqlite {

const std::vector<std::string_view>& Migrations();

// Applies migrations up to `target` (all of them by default).
Status Migrate(Db& db, int target = -1);

}  // namespace dateline::sqlite
