#include "app/commands.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/index_sync.h"
#include "app/site_dir.h"
#include "app/static_build.h"
#include "app/web.h"
#include "base/clock.h"
#include "base/embedded.h"
#include "base/fs.h"
#include "http/server.h"
#include "interop/jsonl.h"
#include "newsroom/accounts.h"
#include "newsroom/newsroom.h"
#include "newsroom/scheduler.h"
#include "render/theme.h"
#include "search/index.h"
#include "site/site.h"

namespace dateline {

namespace {

// Requests may carry a lead image upload (/admin/media checks its own
// 8 MiB limit; the API and forms check theirs).
constexpr std::size_t kMaxRequestBody = 9u << 20;

// The demo's sections, in navigation order.
constexpr std::pair<const char*, const char*> kDemoSections[] = {
    {"world", "World"},           {"politics", "Politics"}, {"business", "Business"},
    {"technology", "Technology"}, {"science", "Science"},   {"sport", "Sport"},
    {"culture", "Culture"},
};

constexpr const char* kDemoEditorEmail = "editor@demo.example";

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
  // A newsroom account to try the admin pages with; its password is shown
  // once, here, like `dateline user add` does.
  newsroom::Accounts accounts(*site->store, DefaultClock());
  std::string password = newsroom::RandomToken().substr(0, 20);
  auto editor = accounts.AddUser(kDemoEditorEmail, "Demo Editor", Role::kAdmin, password);
  if (!editor) return editor.error().WithContext("demo account");
  std::cout << "created the demo site in " << dir.string() << " (" << report->inserted
            << " stories)\n"
            << "newsroom: " << init.base_url << "/admin/ as " << kDemoEditorEmail
            << ", password " << password << " (shown once; `dateline user` manages accounts)"
            << std::endl;
  return Status::Ok();
}

}  // namespace

std::istream* OpenInput(const std::string& file, std::ifstream& storage) {
  if (file == "-") return &std::cin;
  storage.open(file, std::ios::binary);
  return storage ? &storage : nullptr;
}

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
  // Stories whose time came while no server ran are published first.
  newsroom::Scheduler scheduler(*site->store, DefaultClock());
  if (auto due = scheduler.RunOnce(); !due) return ReportError("scheduler: " + due.error().message());
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
  newsroom::Newsroom newsroom(*site->store, config.site, DefaultClock(), config.media_dir(),
                              [&web](const Article& a) { return web.Preview(a); });
  sync.Start(std::chrono::milliseconds(500));
  scheduler.Start();
  http::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.threads = config.threads;
  options.max_body_bytes = kMaxRequestBody;
  // Pages are rendered (and the store read) on workers; the I/O threads
  // answer render-cache hits themselves.
  options.worker_threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  http::Server server(
      options,
      [&web, &newsroom](const http::Request& req) {
        return newsroom::Newsroom::Owns(req.path) ? newsroom.Handle(req) : web.Handle(req);
      },
      [&web](const http::Request& req) -> std::optional<http::Response> {
        if (newsroom::Newsroom::Owns(req.path)) return std::nullopt;
        return web.Cached(req);
      });
  auto port = server.Listen();
  if (!port) return ReportError(port.error().message());
  std::string host = listen->first.find(':') != std::string::npos ? "[" + listen->first + "]"
                                                                   : listen->first;
  std::cout << "listening on http://" << host << ":" << *port << std::endl;
  http::RunUntilSignal(server);
  scheduler.Stop();
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
  std::istream* in = OpenInput(file, in_file);
  if (in == nullptr) return ReportError("cannot read " + file);
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

int CmdBuild(const std::filesystem::path& dir, const std::string& out, int jobs) {
  auto site = OpenSite(dir);
  if (!site) return ReportError(site.error().message());
  const Config& config = site->config;
  auto theme = Theme::Load(config.theme_dir);
  if (!theme) return ReportError(theme.error().message());
  {
    // Related News lists follow the store through the search index: bring
    // them up to date first, as `serve` does on start. A running server
    // holds the index and keeps them current itself.
    auto index = SearchIndex::Open(config.index_path().string());
    if (index) {
      const Stopwatch watch;
      IndexSync sync(*site->store, **index, config.site, DefaultClock());
      auto applied = sync.CatchUp();
      if (!applied) return ReportError("search index: " + applied.error().message());
      if (*applied > 0) {
        std::cout << "search index: " << *applied << " stories brought up to date ("
                  << std::fixed << std::setprecision(2) << watch.Elapsed() << " s)" << std::endl;
      }
    } else {
      spdlog::warn("search index not updated ({}); Related News as last stored",
                   index.error().message());
    }
  }
  // Brotli and gzip allocate large tables per file; keep freed memory in
  // the heap instead of mapping and unmapping it thousands of times
  // (that page-fault churn cost more than the compression itself).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  // One fixed time for the whole build, so every file agrees on what is visible.
  FakeClock clock(DefaultClock().Now());
  Site reader_site(*site->store, config.site, clock, nullptr);
  // Every story is listed on a dozen pages in no useful order: the build
  // keeps four times the cards a server does.
  reader_site.tables().KeepCardsUpTo(SiteSnapshot::kBatchCards);
  Web web(reader_site, *theme, config.media_dir());
  StaticBuild build(web, reader_site, *theme, config.media_dir());
  auto report = build.Run({out, jobs});
  if (!report) return ReportError(report.error().message());
  std::cout << "built " << report->urls << " pages into " << out << ": " << report->written
            << " files written, " << report->unchanged << " unchanged, " << report->removed
            << " removed";
  if (report->skipped > 0) std::cout << ", " << report->skipped << " skipped";
  std::cout << " (" << std::fixed << std::setprecision(2) << report->seconds << " s)" << std::endl;
  return 0;
}

}  // namespace dateline
