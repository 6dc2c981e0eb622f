// dateline: the news publishing engine's one program.
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"

int main(int argc, char** argv) {
  using namespace dateline;
  // Logs (including the access log) go to stderr; stdout carries only what
  // a command prints for its user ("listening on ...", exports). A reader
  // that closed our stdout must not kill the server.
  signal(SIGPIPE, SIG_IGN);
  spdlog::set_default_logger(spdlog::stderr_logger_mt("dateline"));
  spdlog::stderr_logger_mt("access");
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"Dateline: a news publishing engine", "dateline"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dateline 0.1.0");

  std::string dir, name, base_url, listen, file, out;

  auto* init = app.add_subcommand("init", "Create a new, empty site in DIR");
  init->add_option("DIR", dir, "Folder for the new site")->required();
  init->add_option("--name", name, "The site's name");
  init->add_option("--base-url", base_url, "Where readers reach the site");
  init->add_option("--listen", listen, "HOST:PORT to serve on");

  std::string site_dir = ".";
  auto* serve = app.add_subcommand("serve", "Serve a site over HTTP");
  serve->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  serve->add_option("--listen", listen, "HOST:PORT (port 0 picks a free port)");

  std::string demo_dir = "demo-site";
  auto* demo = app.add_subcommand(
      "demo", "Serve the demo site (created in --dir on first use, with demo stories)");
  demo->add_option("--dir", demo_dir, "Folder of the demo site")->capture_default_str();
  std::string demo_listen = "127.0.0.1:8080";
  demo->add_option("--listen", demo_listen, "HOST:PORT")->capture_default_str();

  auto* reindex = app.add_subcommand(
      "reindex", "Rebuild the search index and Related News lists from the store");
  reindex->add_option("--site", site_dir, "The site's folder")->capture_default_str();

  std::string build_out;
  int build_jobs = 0;
  auto* build = app.add_subcommand(
      "build", "Write the whole public site as static files (with .gz and .br), incrementally");
  build->add_option("--out", build_out, "Output folder")->required();
  build->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  build->add_option("-j,--jobs", build_jobs, "Threads (0: one per core)")->capture_default_str();

  auto* import = app.add_subcommand("import", "Import stories");
  import->require_subcommand(1);
  auto* import_jsonl = import->add_subcommand("jsonl", "Import a JSON Lines file (one transaction)");
  import_jsonl->add_option("FILE", file, "The file, or - for standard input")->required();
  import_jsonl->add_option("--site", site_dir, "The site's folder")->capture_default_str();

  bool dry_run = false;
  auto* import_wordpress = import->add_subcommand(
      "wordpress", "Import a WordPress export (WXR 1.0-1.2): stories, pages, sections, "
                   "authors, old links as redirects (one transaction)");
  import_wordpress->add_option("FILE", file, "The WordPress export (.xml)")->required();
  import_wordpress->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  import_wordpress->add_flag("--dry-run", dry_run, "Print the report, write nothing");
  auto* import_ninjs = import->add_subcommand(
      "ninjs", "Import ninjs 1.x-3.x items, one JSON object per line (one transaction)");
  import_ninjs->add_option("FILE", file, "The file, or - for standard input")->required();
  import_ninjs->add_option("--site", site_dir, "The site's folder")->capture_default_str();

  auto* export_cmd = app.add_subcommand("export", "Export stories");
  export_cmd->require_subcommand(1);
  auto* export_jsonl = export_cmd->add_subcommand("jsonl", "Export every story as JSON Lines");
  export_jsonl->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  export_jsonl->add_option("-o,--output", out, "Output file (default: standard output)");
  auto* export_ninjs = export_cmd->add_subcommand("ninjs", "Export every story as ninjs 3.0 (JSON Lines)");
  export_ninjs->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  export_ninjs->add_option("-o,--output", out, "Output file (default: standard output)");

  std::string user_email, user_name, user_role, token_name = "cli";
  bool password_stdin = false;
  auto* user = app.add_subcommand("user", "Manage the newsroom's users");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "Add a user; prints a one-time password unless --password-stdin");
  user_add->add_option("EMAIL", user_email, "The user's e-mail address (their login)")->required();
  user_add->add_option("--name", user_name, "Display name (and byline)")->required();
  user_add->add_option("--role", user_role, "contributor, author, editor or admin")->required();
  user_add->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  user_add->add_flag("--password-stdin", password_stdin,
                     "Read the password from the first line of standard input");
  auto* user_list = user->add_subcommand("list", "List users: id, email, role, name, disabled");
  user_list->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  auto* user_set_role = user->add_subcommand("set-role", "Change a user's role");
  user_set_role->add_option("EMAIL", user_email, "The user's e-mail address")->required();
  user_set_role->add_option("ROLE", user_role, "contributor, author, editor or admin")->required();
  user_set_role->add_option("--site", site_dir, "The site's folder")->capture_default_str();
  auto* user_disable = user->add_subcommand(
      "disable", "Disable a user: no more logins or API use; ends their sessions");
  user_disable->add_option("EMAIL", user_email, "The user's e-mail address")->required();
  user_disable->add_option("--site", site_dir, "The site's folder")->capture_default_str();

  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand(
      "create", "Create an API token for a user; prints it once, on the last line");
  token_create->add_option("EMAIL", user_email, "The user's e-mail address")->required();
  token_create->add_option("--name", token_name, "What the token is for")->capture_default_str();
  token_create->add_option("--site", site_dir, "The site's folder")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "dateline: " << e.what() << " (see dateline --help)" << std::endl;
    return 2;
  }

  try {
    if (*init) return CmdInit(dir, name, base_url, listen);
    if (*serve) return CmdServe(site_dir, listen);
    if (*demo) return CmdDemo(demo_dir, demo_listen);
    if (*import_jsonl) return CmdImportJsonl(site_dir, file);
    if (*reindex) return CmdReindex(site_dir);
    if (*build) return CmdBuild(site_dir, build_out, build_jobs);
    if (*export_jsonl) return CmdExportJsonl(site_dir, out);
    if (*import_wordpress) return CmdImportWordpress(site_dir, file, dry_run);
    if (*import_ninjs) return CmdImportNinjs(site_dir, file);
    if (*export_ninjs) return CmdExportNinjs(site_dir, out);
    if (*user_add) return CmdUserAdd(site_dir, user_email, user_name, user_role, password_stdin);
    if (*user_list) return CmdUserList(site_dir);
    if (*user_set_role) return CmdUserSetRole(site_dir, user_email, user_role);
    if (*user_disable) return CmdUserDisable(site_dir, user_email);
    if (*token_create) return CmdTokenCreate(site_dir, user_email, token_name);
  } catch (const std::exception& e) {
    return ReportError(std::string("unexpected error: ") + e.what());
  }
  return 2;
}
