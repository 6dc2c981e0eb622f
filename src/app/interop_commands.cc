// The import/export subcommands for other systems' formats: WordPress
// exports (WXR) in, ninjs in and out. Same rules as commands.cc: one line
// "dateline: ..." on failure, exit 1, and nothing written.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "app/site_dir.h"
#include "base/fs.h"
#include "interop/ninjs.h"
#include "interop/wxr_import.h"

namespace dateline {

int CmdImportWordpress(const std::filesystem::path& dir, const std::string& file, bool dry_run) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return ReportError("cannot read " + file);
  WxrImportOptions options;
  options.site = site->config.site;
  options.now = DefaultClock().Now();
  options.dry_run = dry_run;
  bool tty = isatty(STDERR_FILENO) != 0;
  options.progress = [tty](int done, int total) {
    if (total < 1000) return;  // small exports finish before a progress line helps
    std::cerr << (tty ? "\r" : "") << "importing: " << done << " of " << total << " items"
              << (tty && done < total ? "" : "\n") << std::flush;
  };
  auto report = ImportWxr(file, *site->store, options);
  if (!report) return ReportError(file + ": " + report.error().message());
  std::cout << report->ToText() << std::flush;
  return 0;
}

int CmdImportNinjs(const std::filesystem::path& dir, const std::string& file) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  std::ifstream in_file;
  std::istream* in = OpenInput(file, in_file);
  if (in == nullptr) return ReportError("cannot read " + file);
  NinjsImportOptions options;
  options.default_language = site->config.site.language;
  options.site = site->config.site;
  options.now = DefaultClock().Now();
  auto report = ImportNinjs(*in, *site->store, options);
  if (!report) return ReportError(file + ": " + report.error().message());
  std::cout << "imported " << report->items << " ninjs items from " << file << " ("
            << report->inserted << " new, " << report->updated << " updated, " << report->ignored
            << " older or unchanged)" << std::endl;
  return 0;
}

int CmdExportNinjs(const std::filesystem::path& dir, const std::string& out_file) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  NinjsExportOptions options;
  options.site = site->config.site;
  if (out_file.empty() || out_file == "-") {
    Status s = ExportNinjs(*site->store, options, std::cout);
    return s.ok() ? 0 : ReportError(s.message());
  }
  std::ostringstream buf;
  Status s = ExportNinjs(*site->store, options, buf);
  if (s.ok()) s = WriteFileAtomic(out_file, buf.str());
  return s.ok() ? 0 : ReportError(s.message());
}

}  // namespace dateline
