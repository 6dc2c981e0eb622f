// The dateline subcommands, each a function returning a process exit code.
//
// Errors are printed as one line, "dateline: <what went wrong>", on
// stderr; 0 means success, 1 a failure, 2 bad usage. No command changes
// anything when it fails (imports are one transaction, init validates
// before writing).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace dateline {

int CmdInit(const std::filesystem::path& dir, const std::string& name, const std::string& base_url,
            const std::string& listen);
int CmdServe(const std::filesystem::path& dir, const std::string& listen_override);
int CmdDemo(const std::filesystem::path& dir, const std::string& listen);
int CmdReindex(const std::filesystem::path& dir);
int CmdImportJsonl(const std::filesystem::path& dir, const std::string& file);
int CmdExportJsonl(const std::filesystem::path& dir, const std::string& out_file);
// The whole public site as static files in `out` (see app/static_build.h);
// `jobs` threads, 0 for one per core.
int CmdBuild(const std::filesystem::path& dir, const std::string& out, int jobs);
// In interop_commands.cc: WordPress (WXR) import and ninjs import/export.
int CmdImportWordpress(const std::filesystem::path& dir, const std::string& file, bool dry_run);
int CmdImportNinjs(const std::filesystem::path& dir, const std::string& file);
int CmdExportNinjs(const std::filesystem::path& dir, const std::string& out_file);
// In user_commands.cc: newsroom users and API tokens. `user add` prints a
// generated one-time password unless `password_stdin` (then it reads one
// line from standard input); `token create` prints the token alone on its
// last line of output.
int CmdUserAdd(const std::filesystem::path& dir, const std::string& email, const std::string& name,
               const std::string& role, bool password_stdin);
int CmdUserList(const std::filesystem::path& dir);
int CmdUserSetRole(const std::filesystem::path& dir, const std::string& email,
                   const std::string& role);
// Disables the user and ends their sessions.
int CmdUserDisable(const std::filesystem::path& dir, const std::string& email);
int CmdTokenCreate(const std::filesystem::path& dir, const std::string& email,
                   const std::string& name);

// Standard input for "-", else `file` opened in `storage`; null when the
// file cannot be read.
std::istream* OpenInput(const std::string& file, std::ifstream& storage);

// Prints "dateline: <message>" to stderr and returns 1.
int ReportError(const std::string& message);

}  // namespace dateline
