// The newsroom account subcommands: add, list, set-role and disable users,
// and create API tokens. Same rules as commands.cc: one line
// "dateline: ..." on failure, exit 1, and nothing written. Secrets (a
// generated password, a new token) are printed once and never stored in
// clear.
#include <iostream>
#include <string>

#include "app/commands.h"
#include "app/site_dir.h"
#include "core/user.h"
#include "newsroom/accounts.h"

namespace dateline {

namespace {

constexpr std::size_t kGeneratedPasswordLength = 20;  // 80 random bits as hex

// The user with `email`, or a message saying there is none.
Result<User> FindUser(Store& store, const std::string& email) {
  auto user = store.GetUserByEmail(email);
  if (!user && user.error().IsNotFound()) {
    return Fail(Status::NotFound("no user with email " + email));
  }
  return user;
}

}  // namespace

int CmdUserAdd(const std::filesystem::path& dir, const std::string& email, const std::string& name,
               const std::string& role_name, bool password_stdin) {
  auto role = ParseRole(role_name);
  if (!role) return ReportError(role.error().message());
  std::string password;
  if (password_stdin) {
    if (!std::getline(std::cin, password)) {
      return ReportError("--password-stdin: no password on standard input");
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    Status s = newsroom::CheckPasswordRules(password);
    if (!s.ok()) return ReportError(s.message());
  } else {
    password = newsroom::RandomToken().substr(0, kGeneratedPasswordLength);
  }
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  newsroom::Accounts accounts(*site->store, DefaultClock());
  auto user = accounts.AddUser(email, name, *role, password);
  if (!user) return ReportError(user.error().message());
  std::cout << "added " << RoleName(user->role) << " " << user->email << " (id " << user->id
            << ")\n";
  if (!password_stdin) std::cout << "password: " << password << "\n";
  std::cout << std::flush;
  return 0;
}

int CmdUserList(const std::filesystem::path& dir) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  auto users = site->store->ListUsers();
  if (!users) return ReportError(users.error().message());
  for (const User& u : *users) {
    std::cout << u.id << "\t" << u.email << "\t" << RoleName(u.role) << "\t" << u.name
              << (u.disabled ? "\tdisabled" : "") << "\n";
  }
  std::cout << std::flush;
  return 0;
}

int CmdUserSetRole(const std::filesystem::path& dir, const std::string& email,
                   const std::string& role_name) {
  auto role = ParseRole(role_name);
  if (!role) return ReportError(role.error().message());
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  auto user = FindUser(*site->store, email);
  if (!user) return ReportError(user.error().message());
  user->role = *role;
  Status s = site->store->SaveUser(*user);
  if (!s.ok()) return ReportError(s.message());
  std::cout << user->email << " is now " << RoleName(user->role) << std::endl;
  return 0;
}

int CmdUserDisable(const std::filesystem::path& dir, const std::string& email) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  Store& store = *site->store;
  auto user = FindUser(store, email);
  if (!user) return ReportError(user.error().message());
  user->disabled = true;
  Status s = store.Transaction([&]() -> Status {
    DL_RETURN_IF_ERROR(store.SaveUser(*user));
    Status d = store.DeleteSessionsOf(user->id);
    return d.IsNotFound() ? Status::Ok() : d;
  });
  if (!s.ok()) return ReportError(s.message());
  std::cout << "disabled " << user->email << " (sessions ended, API tokens refused)" << std::endl;
  return 0;
}

int CmdTokenCreate(const std::filesystem::path& dir, const std::string& email,
                   const std::string& name) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  auto user = FindUser(*site->store, email);
  if (!user) return ReportError(user.error().message());
  if (user->disabled) return ReportError(user->email + " is disabled");
  newsroom::Accounts accounts(*site->store, DefaultClock());
  auto token = accounts.CreateApiToken(user->id, name);
  if (!token) return ReportError(token.error().message());
  std::cout << "created API token \"" << token->record.name << "\" (id " << token->record.id
            << ") for " << user->email << "; it is shown only this once:\n"
            << token->token << std::endl;
  return 0;
}

}  // namespace dateline
