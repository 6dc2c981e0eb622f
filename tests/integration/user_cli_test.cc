// The account commands with the real binary: `dateline user add|list|
// set-role|disable` and `dateline token create`, checked through the
// command's output and, behind it, through the site's own database (a
// printed password logs in, a printed token authenticates).
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "newsroom/accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dateline::testing {
namespace {

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = dir_ / "site";
    auto r = RunCommand({DatelineBinary(), "init", site_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  CommandResult Run(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), DatelineBinary());
    args.push_back("--site");
    args.push_back(site_);
    return RunCommand(args, input);
  }

  // A failure: exit 1 and one line "dateline: ..." holding `expect`.
  void ExpectFailure(const CommandResult& r, const std::string& expect) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("dateline: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << r.err;
  }

  // The site's store, opened beside the (finished) commands.
  std::unique_ptr<Store> OpenStore() {
    auto s = OpenSqliteStore(site_ + "/dateline.db",
                             {[](std::string_view v) { return std::string(v); }, &clock_});
    EXPECT_TRUE(s.has_value()) << s.error().ToString();
    return s ? std::move(*s) : nullptr;
  }

  bool CanLogIn(const std::string& email, const std::string& password) {
    auto store = OpenStore();
    if (!store) return false;
    newsroom::Accounts accounts(*store, clock_);
    return accounts.Login(email, password, "127.0.0.1").has_value();
  }

  TempDir dir_;
  std::string site_;
  SystemClock clock_;
};

TEST_F(UserCliTest, AddListSetRoleAndDisable) {
  auto add = Run({"user", "add", "Ann@Example.com", "--name", "Ann Lee", "--role", "editor"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(add.out, m,
                               std::regex("added editor ann@example\\.com \\(id (\\d+)\\)\n"
                                          "password: (\\S{20})\n")))
      << add.out;
  std::string id = m[1], password = m[2];
  EXPECT_TRUE(CanLogIn("ann@example.com", password));

  auto bob = Run({"user", "add", "bob@example.com", "--name", "Bob Ray", "--role", "contributor"});
  ASSERT_EQ(bob.exit_code, 0) << bob.err;
  std::string bob_password = SplitLines(bob.out).back().substr(std::string("password: ").size());
  EXPECT_NE(bob_password, password);

  auto list = Run({"user", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto lines = SplitLines(list.out);
  ASSERT_EQ(lines.size(), 2u) << list.out;
  EXPECT_EQ(lines[0], id + "\tann@example.com\teditor\tAnn Lee");
  EXPECT_NE(lines[1].find("\tbob@example.com\tcontributor\tBob Ray"), std::string::npos);

  auto set = Run({"user", "set-role", "ann@example.com", "admin"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "ann@example.com is now admin\n");
  EXPECT_EQ(SplitLines(Run({"user", "list"}).out)[0], id + "\tann@example.com\tadmin\tAnn Lee");

  // Disabling ends the sessions that exist and refuses new logins.
  std::string session_token;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    newsroom::Accounts accounts(*store, clock_);
    auto login = accounts.Login("bob@example.com", bob_password, "127.0.0.1");
    ASSERT_TRUE(login.has_value()) << login.error().ToString();
    session_token = login->token;
  }
  auto disable = Run({"user", "disable", "BOB@example.com"});
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  EXPECT_NE(disable.out.find("disabled bob@example.com"), std::string::npos) << disable.out;
  lines = SplitLines(Run({"user", "list"}).out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].substr(lines[1].size() - 9), "\tdisabled") << lines[1];
  EXPECT_EQ(lines[0].find("disabled"), std::string::npos);
  EXPECT_FALSE(CanLogIn("bob@example.com", bob_password));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->GetSession(newsroom::HashToken(session_token)).error().IsNotFound());
}

TEST_F(UserCliTest, DuplicateEmailFailsAndChangesNothing) {
  ASSERT_EQ(Run({"user", "add", "ann@example.com", "--name", "Ann", "--role", "author"}).exit_code,
            0);
  auto dup = Run({"user", "add", "ANN@example.com", "--name", "Other", "--role", "admin"});
  ExpectFailure(dup, "ann@example.com is already used");
  EXPECT_EQ(dup.out, "");
  EXPECT_EQ(Lines(Run({"user", "list"}).out), 1);
}

TEST_F(UserCliTest, BadFieldsAndUnknownUsersFailNamingTheProblem) {
  ExpectFailure(Run({"user", "add", "ann@example.com", "--name", "Ann", "--role", "overlord"}),
                "\"overlord\"");
  ExpectFailure(Run({"user", "add", "not-an-email", "--name", "Ann", "--role", "author"}), "email");
  ASSERT_EQ(Run({"user", "add", "ann@example.com", "--name", "Ann", "--role", "author"}).exit_code,
            0);
  ExpectFailure(Run({"user", "set-role", "ann@example.com", "overlord"}), "\"overlord\"");
  ExpectFailure(Run({"user", "set-role", "nobody@example.com", "admin"}),
                "no user with email nobody@example.com");
  ExpectFailure(Run({"user", "disable", "nobody@example.com"}), "nobody@example.com");
  ExpectFailure(Run({"token", "create", "nobody@example.com"}), "nobody@example.com");
  EXPECT_NE(Run({"user", "list"}).out.find("\tauthor\t"), std::string::npos);
}

TEST_F(UserCliTest, TokenCreatePrintsTheTokenOnTheLastLine) {
  ASSERT_EQ(Run({"user", "add", "ann@example.com", "--name", "Ann", "--role", "author"}).exit_code,
            0);
  auto r = Run({"token", "create", "ann@example.com", "--name", "wire feed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = SplitLines(r.out);
  ASSERT_GE(lines.size(), 1u);
  std::string token = lines.back();
  EXPECT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{64}"))) << r.out;
  EXPECT_NE(r.out.find("wire feed"), std::string::npos) << r.out;

  auto store = OpenStore();
  ASSERT_TRUE(store);
  newsroom::Accounts accounts(*store, clock_);
  auto who = accounts.FromApiToken(token);
  ASSERT_TRUE(who.has_value()) << who.error().ToString();
  EXPECT_EQ(who->user.email, "ann@example.com");
  auto tokens = store->ListApiTokens(who->user.id);
  ASSERT_TRUE(tokens.has_value());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].name, "wire feed");
  EXPECT_EQ((*tokens)[0].token_hash, newsroom::HashToken(token));

  auto again = Run({"token", "create", "ann@example.com"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(SplitLines(again.out).back(), token);
}

TEST_F(UserCliTest, PasswordFromStandardInput) {
  auto weak = Run(
      {"user", "add", "ann@example.com", "--name", "Ann", "--role", "author", "--password-stdin"},
      "short\n");
  ExpectFailure(weak, "password");
  EXPECT_NE(weak.err.find("at least 10"), std::string::npos) << weak.err;
  EXPECT_EQ(Run({"user", "list"}).out, "");

  auto ok = Run(
      {"user", "add", "ann@example.com", "--name", "Ann", "--role", "author", "--password-stdin"},
      "a long enough secret\n");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out.find("password"), std::string::npos) << ok.out;
  EXPECT_EQ(Lines(ok.out), 1) << ok.out;
  EXPECT_TRUE(CanLogIn("ann@example.com", "a long enough secret"));
}

TEST_F(UserCliTest, UsageErrorsExitTwoAndHelpWorks) {
  for (std::vector<std::string> args : {std::vector<std::string>{"user"},
                                        {"user", "add", "a@example.com", "--name", "A"},
                                        {"user", "set-role", "a@example.com"},
                                        {"token"},
                                        {"token", "create"}}) {
    args.insert(args.begin(), DatelineBinary());
    auto r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << r.err;
    EXPECT_EQ(Lines(r.err), 1) << r.err;
  }
  for (std::vector<std::string> args : {std::vector<std::string>{"user", "--help"},
                                        {"user", "add", "--help"},
                                        {"token", "create", "--help"}}) {
    args.insert(args.begin(), DatelineBinary());
    auto r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 0) << args[1];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
}

// The API over the real server: a token from the command line creates and
// publishes a story, which the reader site then serves; the server refuses
// an oversized body and a missing token.
TEST_F(UserCliTest, TokenFromTheCommandLineDrivesTheApiOfARunningServer) {
  ASSERT_EQ(Run({"user", "add", "ed@example.com", "--name", "Ed", "--role", "editor"}).exit_code, 0);
  auto token_out = Run({"token", "create", "ed@example.com"});
  ASSERT_EQ(token_out.exit_code, 0) << token_out.err;
  std::string token = SplitLines(token_out.out).back();
  ServerProcess server({DatelineBinary(), "serve", "--site", site_, "--listen", "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  auto post = [&](const std::string& target, const std::string& method, const std::string& body,
                  const std::string& auth) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                      (auth.empty() ? "" : "Authorization: Bearer " + auth + "\r\n") +
                      "Content-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body;
    return RawExchange(server.port(), req);
  };
  std::string created = post("/api/v1/stories", "POST",
                              R"({"headline":"Ferry service resumes","body":"Boats run again.\n\n## Timetable\n\nHourly.","status":"published"})",
                              token);
  ASSERT_EQ(created.rfind("HTTP/1.1 201", 0), 0u) << created.substr(0, 300);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(created, m, std::regex("\"url\":\"https?://[^/\"]+(/[^\"]*)\"")));
  std::string path = m[1];
  HttpResult page = HttpGet(server.port(), path);
  EXPECT_EQ(page.status, 200) << path;
  EXPECT_NE(page.body.find("<h2>Timetable</h2>"), std::string::npos);

  std::string anonymous = post("/api/v1/stories", "POST", R"({"headline":"x","body":"y"})", "");
  EXPECT_EQ(anonymous.rfind("HTTP/1.1 401", 0), 0u) << anonymous.substr(0, 200);
  std::string huge = "{\"headline\":\"Big\",\"body\":\"" + std::string(2 << 20, 'a') + "\"}";
  std::string too_big = post("/api/v1/stories", "POST", huge, token);
  EXPECT_EQ(too_big.rfind("HTTP/1.1 413", 0), 0u) << too_big.substr(0, 200);
  EXPECT_EQ(server.Stop(), 0);
}

// The demo site comes with a newsroom account to log in with.
TEST_F(UserCliTest, TheDemoHasANewsroomAdmin) {
  std::string demo = dir_ / "demo";
  ServerProcess server({DatelineBinary(), "demo", "--dir", demo, "--listen", "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  EXPECT_EQ(HttpGet(server.port(), "/admin/login").status, 200);
  EXPECT_EQ(server.Stop(), 0);
  auto store = OpenSqliteStore(demo + "/dateline.db",
                               {[](std::string_view v) { return std::string(v); }, &clock_});
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  auto user = (*store)->GetUserByEmail("editor@demo.example");
  ASSERT_TRUE(user.has_value()) << user.error().ToString();
  EXPECT_EQ(user->role, Role::kAdmin);
  EXPECT_TRUE(user->password_hash.starts_with("$argon2id$"));
}

}  // namespace
}  // namespace dateline::testing
