// Accounts: users, passwords, browser sessions, CSRF tokens, API tokens
// and login throttling, on top of the Store.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str,
// interactive limits). Session and API tokens are 32 random bytes shown to
// the client once (hex) and stored only as their SHA-256 hash; comparisons
// of secrets are constant-time. Login answers the same for an unknown
// email, a wrong password and a disabled account ("wrong email or
// password"); after 5 failures for one account or one address, further
// attempts are refused for a back-off that doubles with each failure
// (1 s, 2 s, 4 s, ... at most 15 min), counted in memory. A successful
// login clears its account's count (not its address's); a key with no
// failure for `forget_after` is forgotten.
//
// Thread-safe: the throttle has its own mutex; everything else goes
// through the (thread-safe) Store. Times come from the injected Clock.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "core/user.h"
#include "store/store.h"

namespace dateline::newsroom {

// Argon2id hash string of `password` (libsodium, interactive limits).
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash` (false for an empty or foreign hash).
bool VerifyPassword(std::string_view hash, std::string_view password);
// 32 random bytes as 64 hex digits.
std::string RandomToken();
// SHA-256 of `token` as 64 hex digits (what the store keeps).
std::string HashToken(std::string_view token);
// Constant-time equality of two strings (false when lengths differ).
bool SecretEquals(std::string_view a, std::string_view b);

// Passwords: at least 10 bytes, at most 1024. InvalidArgument names the
// field "password" and the reason.
Status CheckPasswordRules(std::string_view password);

struct AccountsOptions {
  Seconds session_idle = 8 * 3600;  // a session unused this long expires
  int free_failures = 5;            // failures before the back-off starts
  Seconds max_backoff = 15 * 60;
  Seconds forget_after = 3600;  // failures this old no longer count
};

// A logged-in request: who, and the session's CSRF token.
struct Authenticated {
  User user;
  Session session;  // token_hash empty for API-token requests
};

class Accounts {
 public:
  Accounts(Store& store, const Clock& clock, AccountsOptions options = {});

  // Creates a user with `password` (checked by CheckPasswordRules).
  // Conflict for a used email, InvalidArgument for a bad field.
  Result<User> AddUser(std::string_view email, std::string_view name, Role role,
                       std::string_view password);

  // Logs in; returns the new session's token (for the cookie) and the
  // session. InvalidArgument("wrong email or password") for every kind of
  // refusal; Unavailable("too many attempts; try again in N s") while
  // throttled (per lower-cased email and per address).
  struct LoginResult {
    std::string token;
    Authenticated who;
  };
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            std::string_view address);

  // The session behind a cookie token: NotFound for an unknown, expired or
  // disabled-user session (an expired one is deleted). Refreshes
  // last_seen_at (at most once a minute).
  Result<Authenticated> FromSessionToken(std::string_view token);
  // Ends the session behind `token`; Ok when there is none.
  Status Logout(std::string_view token);

  // Changes a user's password after checking the current one; ends the
  // user's sessions except the one behind `keep_session_token` (the
  // caller's own cookie, if any). InvalidArgument names the field
  // ("current_password" or "password").
  Status ChangePassword(std::int64_t user_id, std::string_view current, std::string_view next,
                        std::string_view keep_session_token = {});
  // Sets a password without the current one (admin reset, CLI) and ends
  // all of the user's sessions.
  Status SetPassword(std::int64_t user_id, std::string_view next);

  // API tokens: the token is returned once; the store keeps its hash.
  struct NewToken {
    std::string token;
    ApiToken record;
  };
  Result<NewToken> CreateApiToken(std::int64_t user_id, std::string_view name);
  // The user behind "Authorization: Bearer <token>": NotFound for an
  // unknown, revoked or disabled one. Records last_used_at (at most once
  // a minute).
  Result<Authenticated> FromApiToken(std::string_view token);

 private:
  // Throttle bookkeeping for one key ("e:email" or "a:address").
  struct Failures {
    int count = 0;
    Seconds blocked_until = 0;
    Seconds last_failure = 0;
  };
  // Seconds left to wait for `key`, or nullopt when it may try now.
  std::optional<Seconds> BlockedFor(const std::string& key, Seconds now);
  void RecordFailure(const std::string& key, Seconds now);
  void ClearFailures(const std::string& key);
  Result<User> LookUpForLogin(std::string_view email, std::string_view password);

  Store& store_;
  const Clock& clock_;
  AccountsOptions options_;
  std::mutex mu_;
  std::map<std::string, Failures> failures_;  // guarded by mu_
};

}  // namespace dateline::newsroom
