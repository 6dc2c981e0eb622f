#include "app/commands.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/index_sync.h"
#include "app/site_dir.h"
#include "app/web.h"
#include "base/embedded.h"
#include "base/fs.h"
#include "http/server.h"
#include "interop/jsonl.h"
#include "render/theme.h"
#include "search/index.h"
#include "site/site.h"

namespace dateline {

namespace {

// The demo's sections, in navigation order.
constexpr std::pair<const char*, const char*> kDemoSections[] = {
    {"world", "World"},           {"politics", "Politics"}, {"business", "Business"},
    {"technology", "Technology"}, {"science", "Science"},   {"sport", "Sport"},
    {"culture", "Culture"},
};

Status CreateDemo(const std::filesystem::path& dir, const std::string& listen) {
  InitOptions init;
  init.name = "The Dateline Courier";
  init.listen = listen;
  auto hp = ParseListen(listen);
  if (!hp) return hp.error();
  std::string host = hp->first == "0.0.0.0" ? "127.0.0.1" : hp->first;
  init.base_url = "http://" + host + ":" + std::to_string(hp->second == 0 ? 8080 : hp->second);
  DL_RETURN_IF_ERROR(InitSite(dir, init));
  auto site = OpenSite(dir);
  if (!site) return site.error();
  for (const embedded::File& f : embedded::DemoContent()) {
    if (f.path.rfind("media/", 0) == 0) {
      DL_RETURN_IF_ERROR(WriteFileAtomic(dir / std::string(f.path), f.data));
    }
  }
  int position = 1;
  for (auto [slug, name] : kDemoSections) {
    Section s{0, slug, name, position++, ""};
    DL_RETURN_IF_ERROR(site->store->SaveSection(s));
  }
  const embedded::File* articles = embedded::Find(embedded::DemoContent(), "articles.jsonl");
  if (articles == nullptr) return Status::Internal("the demo content is missing from this binary");
  std::istringstream in{std::string(articles->data)};
  JsonlImportOptions options;
  options.default_language = site->config.site.language;
  options.zone = site->config.site.zone;
  options.now = DefaultClock().Now();
  auto report = ImportJsonl(in, *site->store, options);
  if (!report) return report.error().WithContext("demo content");
  std::cout << "created the demo site in " << dir.string() << " (" << report->inserted
            << " stories)" << std::endl;
  return Status::Ok();
}

}  // namespace

int ReportError(const std::string& message) {
  std::cerr << "dateline: " << message << std::endl;
  return 1;
}

int CmdInit(const std::filesystem::path& dir, const std::string& name, const std::string& base_url,
            const std::string& listen) {
  InitOptions o;
  if (!name.empty()) o.name = name;
  if (!base_url.empty()) o.base_url = base_url;
  if (!listen.empty()) o.listen = listen;
  Status s = InitSite(dir, o);
  if (!s.ok()) return ReportError(s.message());
  std::cout << "created a new site in " << dir.string() << "\n"
            << "  edit " << (dir / kConfigFile).string() << ", then run: dateline serve --site "
            << dir.string() << std::endl;
  return 0;
}

int CmdServe(const std::filesystem::path& dir, const std::string& listen_override) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  const Config& config = site->config;
  auto listen = ParseListen(listen_override.empty() ? config.listen : listen_override);
  if (!listen) return ReportError(listen.error().message());
  auto theme = Theme::Load(config.theme_dir);
  if (!theme) return ReportError(theme.error().message());

  auto index = SearchIndex::Open(config.index_path().string());
  if (!index) return ReportError(index.error().message());
  IndexSync sync(*site->store, **index, config.site, DefaultClock());
  // Catch up before serving, so search and Related News are current.
  if (auto applied = sync.CatchUp(); !applied) {
    return ReportError("search index: " + applied.error().message());
  }

  Site reader_site(*site->store, config.site, DefaultClock(), index->get());
  std::unique_ptr<http::ResponseCache> cache;
  if (config.cache_mb > 0) {
    cache = std::make_unique<http::ResponseCache>(static_cast<std::size_t>(config.cache_mb) << 20);
    sync.OnStale([c = cache.get()](const std::vector<std::string>& tags) {
      if (std::find(tags.begin(), tags.end(), "*") != tags.end()) c->Clear();
      else c->Invalidate(tags);
    });
  }
  Web web(reader_site, *theme, config.media_dir(), cache.get());
  sync.Start(std::chrono::milliseconds(500));
  http::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.threads = config.threads;
  http::Server server(options, [&web](const http::Request& req) { return web.Handle(req); });
  auto port = server.Listen();
  if (!port) return ReportError(port.error().message());
  std::string host = listen->first.find(':') != std::string::npos ? "[" + listen->first + "]"
                                                                   : listen->first;
  std::cout << "listening on http://" << host << ":" << *port << std::endl;
  http::RunUntilSignal(server);
  sync.Stop();
  spdlog::info("stopped");
  return 0;
}

int CmdDemo(const std::filesystem::path& dir, const std::string& listen) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / kConfigFile, ec)) {
    Status s = CreateDemo(dir, listen);
    if (!s.ok()) {
      std::filesystem::remove_all(dir, ec);  // never leave a half-made demo behind
      return ReportError(s.message());
    }
  }
  return CmdServe(dir, listen);
}

int CmdReindex(const std::filesystem::path& dir) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  std::filesystem::path path = site->config.index_path();
  {
    // Opening the live index first takes its lock: a running server makes
    // this fail cleanly instead of having its index swapped underneath it.
    auto live = SearchIndex::Open(path.string());
    if (!live) return ReportError(live.error().message());
  }
  std::filesystem::path fresh = path;
  fresh += ".new";
  std::error_code ec;
  std::filesystem::remove_all(fresh, ec);
  {
    auto index = SearchIndex::Open(fresh.string());
    if (!index) return ReportError(index.error().message());
    IndexSync sync(*site->store, **index, site->config.site, DefaultClock());
    Status s = sync.Rebuild();
    if (!s.ok()) {
      std::filesystem::remove_all(fresh, ec);
      return ReportError(s.message());
    }
    std::cout << "reindexed " << (*index)->Count().value_or(0) << " stories" << std::endl;
  }
  std::filesystem::remove_all(path, ec);
  std::filesystem::rename(fresh, path, ec);
  if (ec) return ReportError("cannot replace " + path.string() + ": " + ec.message());
  return 0;
}

int CmdImportJsonl(const std::filesystem::path& dir, const std::string& file) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (file != "-") {
    in_file.open(file, std::ios::binary);
    if (!in_file) return ReportError("cannot read " + file);
    in = &in_file;
  }
  JsonlImportOptions options;
  options.default_language = site->config.site.language;
  options.zone = site->config.site.zone;
  options.now = DefaultClock().Now();
  auto report = ImportJsonl(*in, *site->store, options);
  if (!report) return ReportError(file + ": " + report.error().message());
  std::cout << "imported " << report->lines << " stories from " << file << " ("
            << report->inserted << " new, " << report->updated << " updated)" << std::endl;
  return 0;
}

int CmdExportJsonl(const std::filesystem::path& dir, const std::string& out_file) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  if (out_file.empty() || out_file == "-") {
    Status s = ExportJsonl(*site->store, site->config.site.zone, std::cout);
    return s.ok() ? 0 : ReportError(s.message());
  }
  std::ostringstream buf;
  Status s = ExportJsonl(*site->store, site->config.site.zone, buf);
  if (s.ok()) s = WriteFileAtomic(out_file, buf.str());
  return s.ok() ? 0 : ReportError(s.message());
}

}  // namespace dateline
