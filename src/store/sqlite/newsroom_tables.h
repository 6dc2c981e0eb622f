// NewsroomTables: the SQL behind the newsroom's part of the Store
// interface (users, sessions, API tokens, revisions, corrections; schema
// version 5), split out of SqliteStore by facet. Used only inside
// src/store/sqlite.
//
// It borrows the store's Db connection and clock; it is not thread-safe:
// SqliteStore holds its mutex around every call. Semantics are those of
// the matching Store methods (store/store.h): NotFound for a missing id,
// token or email; InvalidArgument naming the field for a bad user;
// Conflict for an email used by another user. Nothing here appends to the
// change log: these tables change no page. A zero `at`/`created_at` on a
// new revision, correction, user or API token is taken from the clock.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "core/user.h"
#include "store/sqlite/db.h"

namespace dateline::sqlite {

class NewsroomTables {
 public:
  NewsroomTables(Db& db, const Clock& clock) : db_(db), clock_(clock) {}

  Status SaveUser(User& u);
  Result<User> GetUser(std::int64_t id);
  Result<User> GetUserByEmail(std::string_view email);
  Result<std::vector<User>> ListUsers();

  Status PutSession(const Session& s);
  Result<Session> GetSession(std::string_view token_hash);
  Status TouchSession(std::string_view token_hash, Seconds at);
  Status DeleteSession(std::string_view token_hash);
  Status DeleteSessionsOf(std::int64_t user_id);

  Status AddApiToken(ApiToken& t);
  Result<ApiToken> GetApiTokenByHash(std::string_view token_hash);
  Result<std::vector<ApiToken>> ListApiTokens(std::int64_t user_id);
  Status RevokeApiToken(std::int64_t id);
  Status TouchApiToken(std::int64_t id, Seconds at);

  Status AddRevision(Revision& r);
  Result<std::vector<Revision>> ListRevisions(std::int64_t article_id);
  Result<Revision> GetRevision(std::int64_t id);

  Status AddCorrection(Correction& c);
  Result<std::vector<Correction>> ListCorrections(std::int64_t article_id);
  Result<std::vector<Correction>> RecentCorrections(int limit, int offset);
  Result<std::int64_t> CountCorrections();

 private:
  // Ok when `sql` (one id parameter) finds a row, else NotFound("what id").
  Status MustExist(const char* sql, std::int64_t id, std::string_view what);

  Db& db_;
  const Clock& clock_;
};

}  // namespace dateline::sqlite
