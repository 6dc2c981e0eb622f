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
  } catch (const std::exception& e) {
    return ReportError(std::string("unexpected error: ") + e.what());
  }
  return 2;
}
