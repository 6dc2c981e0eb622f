#include "store/sqlite/newsroom_tables.h"

#include <string>

namespace dateline::sqlite {

namespace {

#define DL_USER_COLUMNS "id, email, name, role, disabled, password_hash, created_at"
#define DL_SESSION_COLUMNS "token_hash, user_id, csrf_token, created_at, last_seen_at"
#define DL_TOKEN_COLUMNS "id, user_id, name, token_hash, created_at, last_used_at, revoked"
#define DL_REVISION_COLUMNS "id, article_id, user_id, at, note, content"
#define DL_CORRECTION_COLUMNS "id, article_id, user_id, at, note"

// E-mail addresses are compared and stored with ASCII letters lower-cased
// (the users.email column is COLLATE NOCASE, which folds ASCII only).
std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

User ReadUser(const Stmt& st) {
  User u;
  u.id = st.Int(0);
  u.email = st.Text(1);
  u.name = st.Text(2);
  u.role = ParseRole(st.Text(3)).value_or(Role::kContributor);
  u.disabled = st.Int(4) != 0;
  u.password_hash = st.Text(5);
  u.created_at = st.Int(6);
  return u;
}

Session ReadSession(const Stmt& st) {
  return Session{st.Text(0), st.Int(1), st.Text(2), st.Int(3), st.Int(4)};
}

ApiToken ReadToken(const Stmt& st) {
  return ApiToken{st.Int(0), st.Int(1),    st.Text(2),    st.Text(3),
                  st.Int(4), st.OptInt(5), st.Int(6) != 0};
}

Revision ReadRevision(const Stmt& st) {
  return Revision{st.Int(0), st.Int(1), st.Int(2), st.Int(3), st.Text(4), st.Text(5)};
}

Correction ReadCorrection(const Stmt& st) {
  return Correction{st.Int(0), st.Int(1), st.Int(2), st.Int(3), st.Text(4)};
}

// Steps `st` to its first row, read by `read`; NotFound(`what`) when none.
template <typename T, typename Read>
Result<T> One(Stmt& st, Read read, const std::string& what) {
  if (st.Step()) return read(st);
  if (!st.status().ok()) return Fail(st.status());
  return Fail(Status::NotFound(what));
}

// Every row of `st`, read by `read`.
template <typename T, typename Read>
Result<std::vector<T>> All(Stmt& st, Read read) {
  std::vector<T> out;
  while (st.Step()) out.push_back(read(st));
  if (!st.status().ok()) return Fail(st.status());
  return out;
}

}  // namespace

Status NewsroomTables::MustExist(const char* sql, std::int64_t id, std::string_view what) {
  auto st = db_.Prepare(sql);
  if (!st) return st.error();
  if (st->Bind(1, id).Step()) return Status::Ok();
  DL_RETURN_IF_ERROR(st->status());
  return Status::NotFound(std::string(what) + " " + std::to_string(id));
}

// --- Users ---

Status NewsroomTables::SaveUser(User& u) {
  std::string email = AsciiLower(u.email);
  if (!IsValidEmail(email)) {
    return Status::InvalidArgument("field \"email\": \"" + u.email +
                                   "\" is not a valid e-mail address");
  }
  if (u.name.empty()) return Status::InvalidArgument("field \"name\": required");
  const std::string taken = "field \"email\": " + email + " is already used by another user";
  {
    auto other = db_.Prepare("SELECT id FROM users WHERE email = ?1 AND id <> ?2");
    if (!other) return other.error();
    other->Bind(1, email).Bind(2, u.id);
    if (other->Step()) return Status::Conflict(taken);
    DL_RETURN_IF_ERROR(other->status());
  }
  bool insert = u.id == 0;
  Seconds created_at = clock_.Now();
  auto st = insert ? db_.Prepare(
                         "INSERT INTO users (email, name, role, disabled, password_hash, "
                         "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?7) RETURNING id, created_at")
                   : db_.Prepare(
                         "UPDATE users SET email = ?1, name = ?2, role = ?3, disabled = ?4, "
                         "password_hash = ?5 WHERE id = ?6 RETURNING id, created_at");
  if (!st) return st.error();
  st->Bind(1, email).Bind(2, u.name).Bind(3, RoleName(u.role));
  st->Bind(4, std::int64_t{u.disabled ? 1 : 0}).Bind(5, u.password_hash);
  if (insert) {
    st->Bind(7, created_at);
  } else {
    st->Bind(6, u.id);
  }
  bool found = st->Step();
  std::int64_t id = found ? st->Int(0) : 0;
  if (found) created_at = st->Int(1);
  Status s = st->Run();
  if (s.IsConflict()) return Status::Conflict(taken);  // lost a race for the email
  DL_RETURN_IF_ERROR(s);
  if (!found) return Status::NotFound("user " + std::to_string(u.id));
  u.id = id;
  u.email = std::move(email);
  u.created_at = created_at;
  return Status::Ok();
}

Result<User> NewsroomTables::GetUser(std::int64_t id) {
  auto st = db_.Prepare("SELECT " DL_USER_COLUMNS " FROM users WHERE id = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, id);
  return One<User>(*st, ReadUser, "user " + std::to_string(id));
}

Result<User> NewsroomTables::GetUserByEmail(std::string_view email) {
  auto st = db_.Prepare("SELECT " DL_USER_COLUMNS " FROM users WHERE email = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, AsciiLower(email));
  return One<User>(*st, ReadUser, "user \"" + std::string(email) + "\"");
}

Result<std::vector<User>> NewsroomTables::ListUsers() {
  auto st = db_.Prepare("SELECT " DL_USER_COLUMNS " FROM users ORDER BY id");
  if (!st) return Fail(st.error());
  return All<User>(*st, ReadUser);
}

// --- Sessions ---

Status NewsroomTables::PutSession(const Session& s) {
  if (s.token_hash.empty()) return Status::InvalidArgument("field \"token_hash\": required");
  DL_RETURN_IF_ERROR(MustExist("SELECT 1 FROM users WHERE id = ?1", s.user_id, "user"));
  auto st = db_.Prepare("INSERT INTO sessions (" DL_SESSION_COLUMNS
                        ") VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT (token_hash) DO UPDATE SET user_id = ?2, csrf_token = ?3, "
                        "created_at = ?4, last_seen_at = ?5");
  if (!st) return st.error();
  return st->Bind(1, s.token_hash)
      .Bind(2, s.user_id)
      .Bind(3, s.csrf_token)
      .Bind(4, s.created_at)
      .Bind(5, s.last_seen_at)
      .Run();
}

Result<Session> NewsroomTables::GetSession(std::string_view token_hash) {
  auto st = db_.Prepare("SELECT " DL_SESSION_COLUMNS " FROM sessions WHERE token_hash = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, token_hash);
  return One<Session>(*st, ReadSession, "session");
}

Status NewsroomTables::TouchSession(std::string_view token_hash, Seconds at) {
  auto st = db_.Prepare("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1");
  if (!st) return st.error();
  DL_RETURN_IF_ERROR(st->Bind(1, token_hash).Bind(2, at).Run());
  return db_.Changes() == 0 ? Status::NotFound("session") : Status::Ok();
}

Status NewsroomTables::DeleteSession(std::string_view token_hash) {
  auto st = db_.Prepare("DELETE FROM sessions WHERE token_hash = ?1");
  if (!st) return st.error();
  DL_RETURN_IF_ERROR(st->Bind(1, token_hash).Run());
  return db_.Changes() == 0 ? Status::NotFound("session") : Status::Ok();
}

Status NewsroomTables::DeleteSessionsOf(std::int64_t user_id) {
  auto st = db_.Prepare("DELETE FROM sessions WHERE user_id = ?1");
  if (!st) return st.error();
  return st->Bind(1, user_id).Run();
}

// --- API tokens ---

Status NewsroomTables::AddApiToken(ApiToken& t) {
  if (t.token_hash.empty()) return Status::InvalidArgument("field \"token_hash\": required");
  DL_RETURN_IF_ERROR(MustExist("SELECT 1 FROM users WHERE id = ?1", t.user_id, "user"));
  Seconds created_at = t.created_at != 0 ? t.created_at : clock_.Now();
  auto st = db_.Prepare(
      "INSERT INTO api_tokens (user_id, name, token_hash, created_at, last_used_at, revoked) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return st.error();
  st->Bind(1, t.user_id).Bind(2, t.name).Bind(3, t.token_hash).Bind(4, created_at);
  st->Bind(5, t.last_used_at).Bind(6, std::int64_t{t.revoked ? 1 : 0});
  Status s = st->Run();
  if (s.IsConflict()) return Status::Conflict("field \"token_hash\": already used by a token");
  DL_RETURN_IF_ERROR(s);
  t.id = db_.LastInsertId();
  t.created_at = created_at;
  return Status::Ok();
}

Result<ApiToken> NewsroomTables::GetApiTokenByHash(std::string_view token_hash) {
  auto st = db_.Prepare("SELECT " DL_TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, token_hash);
  return One<ApiToken>(*st, ReadToken, "api token");
}

Result<std::vector<ApiToken>> NewsroomTables::ListApiTokens(std::int64_t user_id) {
  auto st = db_.Prepare("SELECT " DL_TOKEN_COLUMNS
                        " FROM api_tokens WHERE user_id = ?1 "
                        "ORDER BY id");
  if (!st) return Fail(st.error());
  st->Bind(1, user_id);
  return All<ApiToken>(*st, ReadToken);
}

Status NewsroomTables::RevokeApiToken(std::int64_t id) {
  auto st = db_.Prepare("UPDATE api_tokens SET revoked = 1 WHERE id = ?1");
  if (!st) return st.error();
  DL_RETURN_IF_ERROR(st->Bind(1, id).Run());
  return db_.Changes() == 0 ? Status::NotFound("api token " + std::to_string(id)) : Status::Ok();
}

Status NewsroomTables::TouchApiToken(std::int64_t id, Seconds at) {
  auto st = db_.Prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1");
  if (!st) return st.error();
  DL_RETURN_IF_ERROR(st->Bind(1, id).Bind(2, at).Run());
  return db_.Changes() == 0 ? Status::NotFound("api token " + std::to_string(id)) : Status::Ok();
}

// --- Revisions ---

Status NewsroomTables::AddRevision(Revision& r) {
  DL_RETURN_IF_ERROR(MustExist("SELECT 1 FROM articles WHERE id = ?1", r.article_id, "article"));
  Seconds at = r.at != 0 ? r.at : clock_.Now();
  auto st = db_.Prepare(
      "INSERT INTO revisions (article_id, user_id, at, note, content) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return st.error();
  st->Bind(1, r.article_id).Bind(2, r.user_id).Bind(3, at).Bind(4, r.note).Bind(5, r.content);
  DL_RETURN_IF_ERROR(st->Run());
  r.id = db_.LastInsertId();
  r.at = at;
  return Status::Ok();
}

Result<std::vector<Revision>> NewsroomTables::ListRevisions(std::int64_t article_id) {
  auto st = db_.Prepare("SELECT " DL_REVISION_COLUMNS
                        " FROM revisions WHERE article_id = ?1 "
                        "ORDER BY id DESC");
  if (!st) return Fail(st.error());
  st->Bind(1, article_id);
  return All<Revision>(*st, ReadRevision);
}

Result<Revision> NewsroomTables::GetRevision(std::int64_t id) {
  auto st = db_.Prepare("SELECT " DL_REVISION_COLUMNS " FROM revisions WHERE id = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, id);
  return One<Revision>(*st, ReadRevision, "revision " + std::to_string(id));
}

// --- Corrections ---

Status NewsroomTables::AddCorrection(Correction& c) {
  if (c.note.empty()) return Status::InvalidArgument("field \"note\": required");
  DL_RETURN_IF_ERROR(MustExist("SELECT 1 FROM articles WHERE id = ?1", c.article_id, "article"));
  Seconds at = c.at != 0 ? c.at : clock_.Now();
  auto st = db_.Prepare(
      "INSERT INTO corrections (article_id, user_id, at, note) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  DL_RETURN_IF_ERROR(
      st->Bind(1, c.article_id).Bind(2, c.user_id).Bind(3, at).Bind(4, c.note).Run());
  c.id = db_.LastInsertId();
  c.at = at;
  return Status::Ok();
}

Result<std::vector<Correction>> NewsroomTables::ListCorrections(std::int64_t article_id) {
  auto st = db_.Prepare("SELECT " DL_CORRECTION_COLUMNS
                        " FROM corrections "
                        "WHERE article_id = ?1 ORDER BY at, id");
  if (!st) return Fail(st.error());
  st->Bind(1, article_id);
  return All<Correction>(*st, ReadCorrection);
}

Result<std::vector<Correction>> NewsroomTables::RecentCorrections(int limit, int offset) {
  auto st = db_.Prepare("SELECT " DL_CORRECTION_COLUMNS
                        " FROM corrections "
                        "ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2");
  if (!st) return Fail(st.error());
  st->Bind(1, std::int64_t{limit}).Bind(2, std::int64_t{offset});
  return All<Correction>(*st, ReadCorrection);
}

Result<std::int64_t> NewsroomTables::CountCorrections() {
  auto st = db_.Prepare("SELECT count(*) FROM corrections");
  if (!st) return Fail(st.error());
  std::int64_t n = st->Step() ? st->Int(0) : 0;
  if (!st->status().ok()) return Fail(st->status());
  return n;
}

}  // namespace dateline::sqlite
