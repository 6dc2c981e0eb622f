#include "newsroom/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace dateline::newsroom {

namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kMinPassword = 10;
constexpr std::size_t kMaxPassword = 1024;
constexpr Seconds kTouchEvery = 60;         // last_seen_at / last_used_at resolution
constexpr std::size_t kPruneAbove = 10000;  // throttle entries before pruning
constexpr const char* kWrongLogin = "wrong email or password";

// libsodium must be initialized once before use; without it nothing here
// is safe, so a failure stops the process.
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)ready;
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status FieldError(std::string_view field, std::string_view reason) {
  return Status::InvalidArgument("field \"" + std::string(field) + "\": " + std::string(reason));
}

// A hash to verify against when the email is unknown, so that an unknown
// email costs the same time as a wrong password.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomToken());
    return h ? *h : std::string();
  }();
  return hash;
}

bool LooksLikeToken(std::string_view token) {
  return token.size() == kTokenBytes * 2 && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Status::Internal("cannot hash the password (out of memory)"));
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);  // libsodium wants it NUL-terminated
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken() {
  EnsureSodium();
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  std::string out = Hex(bytes, sizeof bytes);
  sodium_memzero(bytes, sizeof bytes);
  return out;
}

std::string HashToken(std::string_view token) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return Hex(digest, sizeof digest);
}

bool SecretEquals(std::string_view a, std::string_view b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status CheckPasswordRules(std::string_view password) {
  if (password.size() < kMinPassword) {
    return FieldError("password",
                      "must be at least " + std::to_string(kMinPassword) + " characters");
  }
  if (password.size() > kMaxPassword) {
    return FieldError("password",
                      "must be at most " + std::to_string(kMaxPassword) + " characters");
  }
  return Status::Ok();
}

Accounts::Accounts(Store& store, const Clock& clock, AccountsOptions options)
    : store_(store), clock_(clock), options_(options) {
  EnsureSodium();
}

Result<User> Accounts::AddUser(std::string_view email, std::string_view name, Role role,
                               std::string_view password) {
  User u;
  u.email = Lower(Trim(email));
  u.name = std::string(Trim(name));
  u.role = role;
  if (!IsValidEmail(u.email)) return Fail(FieldError("email", "not a valid e-mail address"));
  if (u.name.empty()) return Fail(FieldError("name", "required"));
  if (Status s = CheckPasswordRules(password); !s.ok()) return Fail(s);
  if (auto existing = store_.GetUserByEmail(u.email); existing.has_value()) {
    return Fail(
        Status::Conflict("field \"email\": " + u.email + " is already used by another user"));
  } else if (!existing.error().IsNotFound()) {
    return Fail(existing.error());
  }
  auto hash = HashPassword(password);
  if (!hash) return Fail(hash.error());
  u.password_hash = std::move(*hash);
  Status s = store_.SaveUser(u);
  if (s.IsConflict()) {  // lost a race with another AddUser
    return Fail(
        Status::Conflict("field \"email\": " + u.email + " is already used by another user"));
  }
  if (!s.ok()) return Fail(s);
  return u;
}

std::optional<Seconds> Accounts::BlockedFor(const std::string& key, Seconds now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  if (now - it->second.last_failure >= options_.forget_after) {
    failures_.erase(it);
    return std::nullopt;
  }
  if (it->second.blocked_until > now) return it->second.blocked_until - now;
  return std::nullopt;
}

void Accounts::RecordFailure(const std::string& key, Seconds now) {
  std::lock_guard lock(mu_);
  if (failures_.size() > kPruneAbove) {
    std::erase_if(failures_, [&](const auto& kv) {
      return now - kv.second.last_failure >= options_.forget_after;
    });
  }
  Failures& f = failures_[key];
  if (f.count > 0 && now - f.last_failure >= options_.forget_after) f = Failures{};
  ++f.count;
  f.last_failure = now;
  int over = f.count - options_.free_failures;
  if (over >= 0) {
    Seconds backoff = over >= 30 ? options_.max_backoff
                                 : std::min<Seconds>(Seconds{1} << over, options_.max_backoff);
    f.blocked_until = now + backoff;
  }
}

void Accounts::ClearFailures(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

Result<User> Accounts::LookUpForLogin(std::string_view email, std::string_view password) {
  auto user = store_.GetUserByEmail(Lower(Trim(email)));
  if (!user) {
    if (!user.error().IsNotFound()) return Fail(user.error());
    VerifyPassword(DummyHash(), password);  // same cost as a wrong password
    return Fail(Status::InvalidArgument(kWrongLogin));
  }
  bool match = VerifyPassword(user->password_hash, password);
  if (user->password_hash.empty()) VerifyPassword(DummyHash(), password);
  if (!match || user->disabled) return Fail(Status::InvalidArgument(kWrongLogin));
  return user;
}

Result<Accounts::LoginResult> Accounts::Login(std::string_view email, std::string_view password,
                                              std::string_view address) {
  Seconds now = clock_.Now();
  std::string account_key = "e:" + Lower(Trim(email));
  std::string address_key = address.empty() ? std::string() : "a:" + std::string(address);
  std::optional<Seconds> wait = BlockedFor(account_key, now);
  if (!address_key.empty()) {
    if (auto w = BlockedFor(address_key, now); w && (!wait || *w > *wait)) wait = w;
  }
  if (wait) {
    return Fail(
        Status::Unavailable("too many attempts; try again in " + std::to_string(*wait) + " s"));
  }

  auto user = LookUpForLogin(email, password);
  if (!user) {
    if (user.error().IsInvalidArgument()) {
      RecordFailure(account_key, now);
      if (!address_key.empty()) RecordFailure(address_key, now);
    }
    return Fail(user.error());
  }
  ClearFailures(account_key);

  // Hashes made with weaker limits are upgraded while the password is here.
  if (crypto_pwhash_str_needs_rehash(user->password_hash.c_str(),
                                     crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    if (auto hash = HashPassword(password)) {
      user->password_hash = std::move(*hash);
      (void)store_.SaveUser(*user);  // best effort: the old hash still works
    }
  }

  LoginResult result;
  result.token = RandomToken();
  Session& session = result.who.session;
  session.token_hash = HashToken(result.token);
  session.user_id = user->id;
  session.csrf_token = RandomToken();
  session.created_at = now;
  session.last_seen_at = now;
  if (Status s = store_.PutSession(session); !s.ok()) return Fail(s);
  result.who.user = std::move(*user);
  return result;
}

Result<Authenticated> Accounts::FromSessionToken(std::string_view token) {
  if (!LooksLikeToken(token)) return Fail(Status::NotFound("no such session"));
  std::string hash = HashToken(Lower(token));
  auto session = store_.GetSession(hash);
  if (!session) return Fail(session.error());
  if (!SecretEquals(session->token_hash, hash)) return Fail(Status::NotFound("no such session"));
  Seconds now = clock_.Now();
  if (now - session->last_seen_at > options_.session_idle) {
    if (Status s = store_.DeleteSession(hash); !s.ok() && !s.IsNotFound()) return Fail(s);
    return Fail(Status::NotFound("session expired"));
  }
  auto user = store_.GetUser(session->user_id);
  if (!user) return Fail(user.error());
  if (user->disabled) return Fail(Status::NotFound("no such session"));
  if (now - session->last_seen_at >= kTouchEvery) {
    if (Status s = store_.TouchSession(hash, now); !s.ok()) return Fail(s);
    session->last_seen_at = now;
  }
  return Authenticated{std::move(*user), std::move(*session)};
}

Status Accounts::Logout(std::string_view token) {
  if (!LooksLikeToken(token)) return Status::Ok();
  Status s = store_.DeleteSession(HashToken(Lower(token)));
  return s.IsNotFound() ? Status::Ok() : s;
}

Status Accounts::ChangePassword(std::int64_t user_id, std::string_view current,
                                std::string_view next, std::string_view keep_session_token) {
  auto user = store_.GetUser(user_id);
  if (!user) return user.error();
  if (!VerifyPassword(user->password_hash, current)) {
    return FieldError("current_password", "does not match your password");
  }
  DL_RETURN_IF_ERROR(CheckPasswordRules(next));
  auto hash = HashPassword(next);
  if (!hash) return hash.error();
  std::optional<Session> keep;
  if (LooksLikeToken(keep_session_token)) {
    auto s = store_.GetSession(HashToken(Lower(keep_session_token)));
    if (s && s->user_id == user_id) keep = std::move(*s);
  }
  user->password_hash = std::move(*hash);
  return store_.Transaction([&]() -> Status {
    DL_RETURN_IF_ERROR(store_.SaveUser(*user));
    if (Status s = store_.DeleteSessionsOf(user_id); !s.ok() && !s.IsNotFound()) return s;
    if (keep) DL_RETURN_IF_ERROR(store_.PutSession(*keep));
    return Status::Ok();
  });
}

Status Accounts::SetPassword(std::int64_t user_id, std::string_view next) {
  DL_RETURN_IF_ERROR(CheckPasswordRules(next));
  auto user = store_.GetUser(user_id);
  if (!user) return user.error();
  auto hash = HashPassword(next);
  if (!hash) return hash.error();
  user->password_hash = std::move(*hash);
  return store_.Transaction([&]() -> Status {
    DL_RETURN_IF_ERROR(store_.SaveUser(*user));
    Status s = store_.DeleteSessionsOf(user_id);
    return s.IsNotFound() ? Status::Ok() : s;
  });
}

Result<Accounts::NewToken> Accounts::CreateApiToken(std::int64_t user_id, std::string_view name) {
  auto user = store_.GetUser(user_id);
  if (!user) return Fail(user.error());
  NewToken out;
  out.token = RandomToken();
  out.record.user_id = user_id;
  out.record.name = std::string(Trim(name));
  out.record.token_hash = HashToken(out.token);
  out.record.created_at = clock_.Now();
  Status s = store_.AddApiToken(out.record);
  if (!s.ok()) return Fail(s);
  return out;
}

Result<Authenticated> Accounts::FromApiToken(std::string_view token) {
  if (!LooksLikeToken(token)) return Fail(Status::NotFound("no such token"));
  std::string hash = HashToken(Lower(token));
  auto record = store_.GetApiTokenByHash(hash);
  if (!record) return Fail(record.error());
  if (record->revoked || !SecretEquals(record->token_hash, hash)) {
    return Fail(Status::NotFound("no such token"));
  }
  auto user = store_.GetUser(record->user_id);
  if (!user) return Fail(user.error());
  if (user->disabled) return Fail(Status::NotFound("no such token"));
  Seconds now = clock_.Now();
  if (!record->last_used_at || now - *record->last_used_at >= kTouchEvery) {
    if (Status s = store_.TouchApiToken(record->id, now); !s.ok()) return Fail(s);
  }
  Authenticated who;
  who.session.user_id = user->id;
  who.user = std::move(*user);
  return who;
}

}  // namespace dateline::newsroom
