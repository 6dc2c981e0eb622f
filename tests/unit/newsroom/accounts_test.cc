#include "newsroom/accounts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace dateline::newsroom {
namespace {

constexpr const char* kPassword = "correct horse battery";

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string TestSlug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += (c == ' ') ? '-' : c;
  }
  return out;
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_ / "site.db", {TestSlug, &clock_});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    accounts_ = std::make_unique<Accounts>(*store_, clock_);
    auto u = accounts_->AddUser("Ann@Example.com", "Ann Lee", Role::kEditor, kPassword);
    ASSERT_TRUE(u.has_value()) << u.error().ToString();
    ann_ = *u;
  }

  Accounts::LoginResult LogIn(std::string_view address = "10.0.0.1") {
    auto r = accounts_->Login("ann@example.com", kPassword, address);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.value_or(Accounts::LoginResult{});
  }

  void Disable(std::int64_t id) {
    auto u = store_->GetUser(id);
    ASSERT_TRUE(u.has_value());
    u->disabled = true;
    ASSERT_TRUE(store_->SaveUser(*u).ok());
  }

  testing::TempDir dir_;
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Accounts> accounts_;
  User ann_;
};

// --- Secrets ---

TEST(Secrets, PasswordHashIsArgon2idAndSaltedEachTime) {
  auto a = HashPassword(kPassword);
  auto b = HashPassword(kPassword);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->rfind("$argon2id$", 0), 0u) << *a;
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*a, kPassword));
  EXPECT_TRUE(VerifyPassword(*b, kPassword));
  EXPECT_FALSE(VerifyPassword(*a, "correct horse battery!"));
  EXPECT_FALSE(VerifyPassword(*a, ""));
}

TEST(Secrets, VerifyRefusesEmptyAndForeignHashes) {
  EXPECT_FALSE(VerifyPassword("", kPassword));
  EXPECT_FALSE(VerifyPassword("", ""));
  EXPECT_FALSE(
      VerifyPassword("$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", kPassword));
  EXPECT_FALSE(VerifyPassword(kPassword, kPassword));  // a clear "hash"
  EXPECT_FALSE(VerifyPassword(std::string(1000, '$'), kPassword));
}

TEST(Secrets, TokensAreRandomHexAndHashedWithSha256) {
  std::string a = RandomToken(), b = RandomToken();
  EXPECT_TRUE(IsHex64(a)) << a;
  EXPECT_TRUE(IsHex64(b)) << b;
  EXPECT_NE(a, b);
  // FIPS 180-2's test vector.
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsHex64(HashToken(a)));
  EXPECT_NE(HashToken(a), a);
}

TEST(Secrets, SecretEquals) {
  EXPECT_TRUE(SecretEquals("abc", "abc"));
  EXPECT_TRUE(SecretEquals("", ""));
  EXPECT_FALSE(SecretEquals("abc", "abd"));
  EXPECT_FALSE(SecretEquals("abc", "abcd"));
  EXPECT_FALSE(SecretEquals("", "a"));
}

TEST(Secrets, PasswordRules) {
  EXPECT_TRUE(CheckPasswordRules(std::string(10, 'x')).ok());
  EXPECT_TRUE(CheckPasswordRules(std::string(1024, 'x')).ok());
  for (std::string bad : {std::string(), std::string(9, 'x'), std::string(1025, 'x')}) {
    Status s = CheckPasswordRules(bad);
    EXPECT_TRUE(s.IsInvalidArgument()) << bad.size();
    EXPECT_EQ(s.message().rfind("field \"password\": ", 0), 0u) << s.message();
  }
}

// --- Users ---

TEST_F(AccountsTest, AddUserStoresLowerCasedEmailAndOnlyTheHash) {
  EXPECT_GT(ann_.id, 0);
  EXPECT_EQ(ann_.email, "ann@example.com");
  EXPECT_EQ(ann_.role, Role::kEditor);
  auto stored = store_->GetUser(ann_.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->email, "ann@example.com");
  EXPECT_EQ(stored->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(stored->password_hash, kPassword));
}

TEST_F(AccountsTest, AddUserRefusesDuplicatesAndBadFields) {
  auto dup = accounts_->AddUser("ANN@example.com", "Other Ann", Role::kAuthor, kPassword);
  ASSERT_FALSE(dup.has_value());
  EXPECT_TRUE(dup.error().IsConflict()) << dup.error().ToString();
  EXPECT_NE(dup.error().message().find("ann@example.com"), std::string::npos);

  auto email = accounts_->AddUser("not-an-email", "Bob", Role::kAuthor, kPassword);
  ASSERT_FALSE(email.has_value());
  EXPECT_EQ(email.error().message().rfind("field \"email\"", 0), 0u) << email.error().message();

  auto name = accounts_->AddUser("bob@example.com", "  ", Role::kAuthor, kPassword);
  ASSERT_FALSE(name.has_value());
  EXPECT_EQ(name.error().message().rfind("field \"name\"", 0), 0u) << name.error().message();

  auto pw = accounts_->AddUser("bob@example.com", "Bob", Role::kAuthor, "short");
  ASSERT_FALSE(pw.has_value());
  EXPECT_EQ(pw.error().message().rfind("field \"password\"", 0), 0u) << pw.error().message();

  auto users = store_->ListUsers();
  ASSERT_TRUE(users.has_value());
  EXPECT_EQ(users->size(), 1u);
}

// --- Login ---

TEST_F(AccountsTest, LoginCreatesAStoredSessionWithFreshTokens) {
  auto r = accounts_->Login("ANN@example.com", kPassword, "10.0.0.1");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(IsHex64(r->token));
  EXPECT_TRUE(IsHex64(r->who.session.csrf_token));
  EXPECT_NE(r->token, r->who.session.csrf_token);
  EXPECT_EQ(r->who.user.id, ann_.id);
  EXPECT_EQ(r->who.session.user_id, ann_.id);
  EXPECT_EQ(r->who.session.token_hash, HashToken(r->token));
  EXPECT_EQ(r->who.session.created_at, clock_.Now());
  auto stored = store_->GetSession(HashToken(r->token));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, r->who.session);
  EXPECT_TRUE(store_->GetSession(r->token).error().IsNotFound());

  auto who = accounts_->FromSessionToken(r->token);
  ASSERT_TRUE(who.has_value()) << who.error().ToString();
  EXPECT_EQ(who->user.id, ann_.id);
  EXPECT_EQ(who->session.csrf_token, r->who.session.csrf_token);
}

TEST_F(AccountsTest, EveryRefusalLooksTheSame) {
  ASSERT_TRUE(accounts_->AddUser("off@example.com", "Off", Role::kAuthor, kPassword).has_value());
  auto off = store_->GetUserByEmail("off@example.com");
  ASSERT_TRUE(off.has_value());
  Disable(off->id);

  auto wrong = accounts_->Login("ann@example.com", "wrong password!", "10.0.0.1");
  auto unknown = accounts_->Login("nobody@example.com", kPassword, "10.0.0.2");
  auto disabled = accounts_->Login("off@example.com", kPassword, "10.0.0.3");
  auto empty = accounts_->Login("ann@example.com", "", "10.0.0.4");
  for (const auto* r : {&wrong, &unknown, &disabled, &empty}) {
    ASSERT_FALSE(r->has_value());
    EXPECT_EQ(r->error().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(r->error().message(), "wrong email or password");
  }
}

TEST_F(AccountsTest, ThrottlesOneAccountWithADoublingBackOff) {
  // Five failures are free, from any address.
  for (int i = 0; i < 5; ++i) {
    auto r = accounts_->Login("ann@example.com", "wrong password!", "10.0.1." + std::to_string(i));
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().IsInvalidArgument()) << i;
  }
  // Then even the right password waits 1 s, from a new address too.
  auto blocked = accounts_->Login("ANN@example.com", kPassword, "10.0.2.1");
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code(), Status::Code::kUnavailable);
  EXPECT_EQ(blocked.error().message(), "too many attempts; try again in 1 s");
  // Other accounts are not affected.
  ASSERT_TRUE(accounts_->AddUser("bob@example.com", "Bob", Role::kAuthor, kPassword).has_value());
  EXPECT_TRUE(accounts_->Login("bob@example.com", kPassword, "10.0.2.2").has_value());

  clock_.Advance(1);
  ASSERT_TRUE(accounts_->Login("ann@example.com", "wrong password!", "10.0.2.3")
                  .error()
                  .IsInvalidArgument());
  EXPECT_EQ(accounts_->Login("ann@example.com", kPassword, "10.0.2.4").error().message(),
            "too many attempts; try again in 2 s");
  clock_.Advance(1);
  EXPECT_EQ(accounts_->Login("ann@example.com", kPassword, "10.0.2.4").error().message(),
            "too many attempts; try again in 1 s");
  clock_.Advance(1);
  ASSERT_TRUE(accounts_->Login("ann@example.com", "wrong password!", "10.0.2.5")
                  .error()
                  .IsInvalidArgument());
  EXPECT_EQ(accounts_->Login("ann@example.com", kPassword, "10.0.2.6").error().message(),
            "too many attempts; try again in 4 s");

  // Past the back-off the right password works and clears the count.
  clock_.Advance(4);
  EXPECT_TRUE(accounts_->Login("ann@example.com", kPassword, "10.0.2.7").has_value());
  EXPECT_TRUE(accounts_->Login("ann@example.com", "wrong password!", "10.0.2.8")
                  .error()
                  .IsInvalidArgument());
  EXPECT_TRUE(accounts_->Login("ann@example.com", kPassword, "10.0.2.9").has_value());
}

TEST_F(AccountsTest, ThrottlesOneAddressAcrossAccounts) {
  for (int i = 0; i < 5; ++i) {
    auto r = accounts_->Login("user" + std::to_string(i) + "@example.com", kPassword, "192.0.2.7");
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().IsInvalidArgument()) << i;
  }
  auto blocked = accounts_->Login("ann@example.com", kPassword, "192.0.2.7");
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code(), Status::Code::kUnavailable);
  EXPECT_EQ(blocked.error().message(), "too many attempts; try again in 1 s");
  // The same account from another address is fine.
  EXPECT_TRUE(accounts_->Login("ann@example.com", kPassword, "192.0.2.8").has_value());
  clock_.Advance(1);
  EXPECT_TRUE(accounts_->Login("ann@example.com", kPassword, "192.0.2.7").has_value());
  // A success does not clear the address's count: its next failure waits 2 s.
  ASSERT_TRUE(
      accounts_->Login("x@example.com", kPassword, "192.0.2.7").error().IsInvalidArgument());
  EXPECT_EQ(accounts_->Login("ann@example.com", kPassword, "192.0.2.7").error().message(),
            "too many attempts; try again in 2 s");
}

TEST_F(AccountsTest, BackOffIsCappedAndForgottenAfterAQuietHour) {
  Seconds wait = 0;
  for (int i = 0; i < 16; ++i) {
    clock_.Advance(wait);
    auto r = accounts_->Login("ann@example.com", "wrong password!", "198.51.100.1");
    ASSERT_TRUE(r.error().IsInvalidArgument()) << i << " " << r.error().ToString();
    wait = i < 4 ? 0 : std::min<Seconds>(Seconds{1} << (i - 4), 900);
  }
  auto blocked = accounts_->Login("ann@example.com", kPassword, "198.51.100.2");
  EXPECT_EQ(blocked.error().message(), "too many attempts; try again in 900 s");
  clock_.Advance(3600);
  EXPECT_TRUE(accounts_->Login("ann@example.com", kPassword, "198.51.100.1").has_value());
}

// --- Sessions ---

TEST_F(AccountsTest, SessionExpiresAfterIdleAndIsDeleted) {
  auto login = LogIn();
  clock_.Advance(8 * 3600);  // exactly the idle limit: still alive
  ASSERT_TRUE(accounts_->FromSessionToken(login.token).has_value());
  clock_.Advance(8 * 3600);  // last seen just now: alive again
  ASSERT_TRUE(accounts_->FromSessionToken(login.token).has_value());
  clock_.Advance(8 * 3600 + 1);
  auto gone = accounts_->FromSessionToken(login.token);
  ASSERT_FALSE(gone.has_value());
  EXPECT_TRUE(gone.error().IsNotFound());
  EXPECT_TRUE(store_->GetSession(HashToken(login.token)).error().IsNotFound());
}

TEST_F(AccountsTest, LastSeenIsTouchedAtMostOnceAMinute) {
  auto login = LogIn();
  Seconds start = clock_.Now();
  clock_.Advance(30);
  ASSERT_TRUE(accounts_->FromSessionToken(login.token).has_value());
  EXPECT_EQ(store_->GetSession(HashToken(login.token))->last_seen_at, start);
  clock_.Advance(31);
  auto who = accounts_->FromSessionToken(login.token);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->session.last_seen_at, start + 61);
  EXPECT_EQ(store_->GetSession(HashToken(login.token))->last_seen_at, start + 61);
}

TEST_F(AccountsTest, UnknownAndMalformedSessionTokensAreNotFound) {
  for (std::string token : {std::string(), std::string("abc"), RandomToken(), std::string(64, 'z'),
                            HashToken(LogIn().token)}) {
    auto r = accounts_->FromSessionToken(token);
    ASSERT_FALSE(r.has_value()) << token;
    EXPECT_TRUE(r.error().IsNotFound()) << token;
  }
}

TEST_F(AccountsTest, LogoutEndsOnlyThatSession) {
  auto first = LogIn();
  auto second = LogIn();
  // Rotated on login: every login is a new session with new secrets.
  EXPECT_NE(first.token, second.token);
  EXPECT_NE(first.who.session.csrf_token, second.who.session.csrf_token);
  EXPECT_TRUE(accounts_->FromSessionToken(first.token).has_value());
  EXPECT_TRUE(accounts_->FromSessionToken(second.token).has_value());

  ASSERT_TRUE(accounts_->Logout(first.token).ok());
  EXPECT_TRUE(accounts_->FromSessionToken(first.token).error().IsNotFound());
  EXPECT_TRUE(accounts_->FromSessionToken(second.token).has_value());
  EXPECT_TRUE(accounts_->Logout(first.token).ok());  // twice is fine
  EXPECT_TRUE(accounts_->Logout("garbage").ok());
}

TEST_F(AccountsTest, DisabledUsersLoseTheirSessionsAndTokens) {
  auto login = LogIn();
  auto api = accounts_->CreateApiToken(ann_.id, "laptop");
  ASSERT_TRUE(api.has_value());
  Disable(ann_.id);
  EXPECT_TRUE(accounts_->FromSessionToken(login.token).error().IsNotFound());
  EXPECT_TRUE(accounts_->FromApiToken(api->token).error().IsNotFound());
}

// --- Passwords ---

TEST_F(AccountsTest, ChangePasswordChecksTheCurrentOneAndEndsOtherSessions) {
  auto mine = LogIn();
  auto other = LogIn("10.0.0.2");

  Status wrong =
      accounts_->ChangePassword(ann_.id, "not my password", "new password 123", mine.token);
  EXPECT_TRUE(wrong.IsInvalidArgument());
  EXPECT_EQ(wrong.message().rfind("field \"current_password\"", 0), 0u) << wrong.message();
  Status weak = accounts_->ChangePassword(ann_.id, kPassword, "short", mine.token);
  EXPECT_TRUE(weak.IsInvalidArgument());
  EXPECT_EQ(weak.message().rfind("field \"password\"", 0), 0u) << weak.message();
  EXPECT_TRUE(accounts_->FromSessionToken(other.token).has_value());  // nothing changed yet

  Status ok = accounts_->ChangePassword(ann_.id, kPassword, "new password 123", mine.token);
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_TRUE(accounts_->FromSessionToken(mine.token).has_value());
  EXPECT_TRUE(accounts_->FromSessionToken(other.token).error().IsNotFound());
  EXPECT_TRUE(
      accounts_->Login("ann@example.com", kPassword, "10.0.0.3").error().IsInvalidArgument());
  EXPECT_TRUE(accounts_->Login("ann@example.com", "new password 123", "10.0.0.4").has_value());

  // Without a session to keep, every session ends.
  ASSERT_TRUE(accounts_->ChangePassword(ann_.id, "new password 123", kPassword).ok());
  EXPECT_TRUE(accounts_->FromSessionToken(mine.token).error().IsNotFound());
}

TEST_F(AccountsTest, SetPasswordEndsEverySession) {
  auto login = LogIn();
  EXPECT_TRUE(accounts_->SetPassword(ann_.id, "tiny").IsInvalidArgument());
  EXPECT_TRUE(accounts_->FromSessionToken(login.token).has_value());
  ASSERT_TRUE(accounts_->SetPassword(ann_.id, "reset password 1").ok());
  EXPECT_TRUE(accounts_->FromSessionToken(login.token).error().IsNotFound());
  EXPECT_TRUE(accounts_->Login("ann@example.com", "reset password 1", "10.0.0.5").has_value());
  EXPECT_TRUE(accounts_->SetPassword(ann_.id + 100, "reset password 1").IsNotFound());
}

// --- API tokens ---

TEST_F(AccountsTest, ApiTokensVerifyRecordUseAndRevoke) {
  auto t = accounts_->CreateApiToken(ann_.id, "wire feed");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  EXPECT_TRUE(IsHex64(t->token));
  EXPECT_GT(t->record.id, 0);
  EXPECT_EQ(t->record.name, "wire feed");
  EXPECT_EQ(t->record.token_hash, HashToken(t->token));
  EXPECT_FALSE(t->record.last_used_at.has_value());
  auto second = accounts_->CreateApiToken(ann_.id, "wire feed");
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->token, t->token);

  clock_.Advance(100);
  auto who = accounts_->FromApiToken(t->token);
  ASSERT_TRUE(who.has_value()) << who.error().ToString();
  EXPECT_EQ(who->user.id, ann_.id);
  EXPECT_TRUE(who->session.token_hash.empty());
  auto listed = store_->ListApiTokens(ann_.id);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].last_used_at, std::optional<Seconds>(clock_.Now()));
  EXPECT_FALSE((*listed)[1].last_used_at.has_value());

  ASSERT_TRUE(store_->RevokeApiToken(t->record.id).ok());
  EXPECT_TRUE(accounts_->FromApiToken(t->token).error().IsNotFound());
  EXPECT_TRUE(accounts_->FromApiToken(second->token).has_value());
  EXPECT_TRUE(accounts_->FromApiToken(RandomToken()).error().IsNotFound());
  EXPECT_TRUE(accounts_->FromApiToken("").error().IsNotFound());
  EXPECT_TRUE(accounts_->FromApiToken(t->record.token_hash).error().IsNotFound());
  EXPECT_TRUE(accounts_->CreateApiToken(ann_.id + 100, "x").error().IsNotFound());
}

TEST_F(AccountsTest, TheDatabaseNeverHoldsAClearSecret) {
  auto login = LogIn();
  auto api = accounts_->CreateApiToken(ann_.id, "cms");
  ASSERT_TRUE(api.has_value());
  ASSERT_TRUE(accounts_->FromApiToken(api->token).has_value());
  ASSERT_TRUE(accounts_->FromSessionToken(login.token).has_value());
  store_.reset();  // close, so everything is on disk
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    bytes += Slurp(entry.path());
  }
  ASSERT_NE(bytes.find(HashToken(api->token)), std::string::npos);  // the hash is there
  EXPECT_EQ(bytes.find(login.token), std::string::npos);
  EXPECT_EQ(bytes.find(api->token), std::string::npos);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace dateline::newsroom
