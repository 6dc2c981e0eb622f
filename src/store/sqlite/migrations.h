// The SQLite schema as an ordered list of migrations.
//
// Migration N (1-based) takes a database from user_version N-1 to N. They
// run on open, each in its own transaction, so a database written by any
// earlier Dateline is brought up to date and a failure leaves it at the
// last complete version. A database newer than this binary is refused.
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
