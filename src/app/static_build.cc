#include "app/static_build.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "base/clock.h"
#include "base/fs.h"
#include "render/formats.h"
#include "text/slug.h"

namespace dateline {

namespace fs = std::filesystem;

namespace {

Seconds Published(const Article& a) { return a.published_at.value_or(a.created_at); }

std::string TwoDigit(unsigned v) {
  std::string s = std::to_string(v);
  return s.size() == 1 ? "0" + s : s;
}

// The same rule as the render cache: text-like bodies of 256 bytes or more.
bool Compressible(std::string_view type, std::size_t size) {
  if (size < 256) return false;
  return type.starts_with("text/") || type.find("xml") != std::string_view::npos ||
         type.find("json") != std::string_view::npos ||
         type.find("javascript") != std::string_view::npos || type.starts_with("image/svg");
}

// Whether `file` already holds exactly `data`.
bool SameContent(const fs::path& file, std::string_view data) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec || size != data.size()) return false;
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string buf(data.size(), '\0');
  in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
  return in.gcount() == static_cast<std::streamsize>(buf.size()) && buf == data;
}

// Writes `data` to `file` unless it is already there; true when written.
Result<bool> Put(const fs::path& file, std::string_view data) {
  if (SameContent(file, data)) return false;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec && !fs::is_directory(file.parent_path())) {
    return Fail(Status::IOError("cannot create " + file.parent_path().string() + ": " + ec.message()));
  }
  if (Status s = WriteFileAtomic(file, data); !s.ok()) return Fail(s);
  return true;
}

// The <loc> values of a sitemap or sitemap index.
std::vector<std::string> Locs(std::string_view xml) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = xml.find("<loc>", pos)) != std::string_view::npos) {
    std::size_t end = xml.find("</loc>", pos);
    if (end == std::string_view::npos) break;
    std::string loc(xml.substr(pos + 5, end - pos - 5));
    for (std::size_t amp; (amp = loc.find("&amp;")) != std::string::npos;) loc.replace(amp, 5, "&");
    out.push_back(std::move(loc));
    pos = end;
  }
  return out;
}

std::set<std::string> ReadManifest(const fs::path& file) {
  std::set<std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.insert(line);
  }
  return out;
}

}  // namespace

std::string StaticBuild::FileFor(std::string_view path, std::string_view content_type) {
  if (path.empty() || path.front() != '/') return "";
  std::string rel(path.substr(1));
  // No segment may step out of OUT or hide a file.
  std::size_t start = 0;
  while (start < rel.size()) {
    std::size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    std::string_view seg = std::string_view(rel).substr(start, end - start);
    if (seg.empty() || seg == "." || seg == ".." || seg.front() == '.' ||
        seg.find('\0') != std::string_view::npos) {
      return "";
    }
    start = end + 1;
  }
  if (!rel.empty() && rel.back() != '/') return rel;
  // A directory path: index.<ext> by media type, so a web server can tell
  // its type from the name.
  static constexpr std::pair<std::string_view, std::string_view> kExt[] = {
      {"text/html", "html"},           {"application/rss+xml", "rss"},
      {"application/atom+xml", "atom"}, {"application/feed+json", "json"},
      {"application/json", "json"},    {"application/xml", "xml"},
      {"text/plain", "txt"},
  };
  std::string_view type = content_type.substr(0, content_type.find(';'));
  std::string_view ext = "html";
  for (auto [t, e] : kExt) {
    if (type == t) ext = e;
  }
  return rel + "index." + std::string(ext);
}

Result<std::vector<std::string>> StaticBuild::Urls() {
  const SiteSettings& settings = site_.settings();
  Store& store = site_.store();
  const Seconds now = site_.clock().Now();
  std::set<std::string> urls;

  auto all = store.AllArticles();
  if (!all) return Fail(all.error());
  std::vector<const Article*> visible;
  for (const Article& a : *all) {
    if (IsVisible(a, now)) visible.push_back(&a);
  }

  // A listing and its pages: base, base/page/2/, ... (as Site::ListPage
  // pages them, capped at max_page).
  auto paged = [&](const std::string& base, std::int64_t count) {
    urls.insert(base);
    std::int64_t pages = (count + settings.per_page - 1) / settings.per_page;
    pages = std::min<std::int64_t>(pages, settings.max_page);
    for (std::int64_t n = 2; n <= pages; ++n) urls.insert(base + "page/" + std::to_string(n) + "/");
  };
  auto count = [&](const ArticleQuery& q) { return site_.CountListing(q, now); };
  auto feeds = [&](const std::string& base) {
    for (const OutputFormat& f : OutputFormats()) {
      if (f.is_feed) urls.insert(base + std::string(f.file_name));
    }
  };

  // Home and the latest-news pages.
  paged("/", static_cast<std::int64_t>(visible.size()));
  feeds("/");

  // Stories, and what their listings are.
  std::set<std::string> tags, authors;
  std::map<int, std::int64_t> years;
  std::map<std::pair<int, unsigned>, std::int64_t> months;
  std::map<std::tuple<int, unsigned, unsigned>, std::int64_t> days;
  for (const Article* a : visible) {
    urls.insert(settings.permalink.Build(*a, settings.zone));
    for (const std::string& t : a->tags) tags.insert(Slugify(t));
    for (const std::string& n : a->authors) authors.insert(Slugify(n));
    CivilTime c = settings.zone.ToCivil(Published(*a));
    ++years[c.year];
    ++months[{c.year, c.month}];
    ++days[{c.year, c.month, c.day}];
  }

  // Section fronts exist even when empty; tags and authors only with a
  // visible story.
  auto sections = store.ListSections();
  if (!sections) return Fail(sections.error());
  for (const Section& s : *sections) {
    ArticleQuery q;
    q.section_slug = s.slug;
    auto n = count(q);
    if (!n) return Fail(n.error());
    std::string base = "/category/" + s.slug + "/";
    paged(base, *n);
    feeds(base);
  }
  for (const auto& [prefix, slugs, is_tag] :
       {std::tuple{"/tag/", &tags, true}, std::tuple{"/author/", &authors, false}}) {
    for (const std::string& slug : *slugs) {
      if (slug.empty()) continue;
      ArticleQuery q;
      (is_tag ? q.tag_slug : q.author_slug) = slug;
      auto n = count(q);
      if (!n) return Fail(n.error());
      if (*n == 0) continue;
      std::string base = std::string(prefix) + slug + "/";
      paged(base, *n);
      feeds(base);
    }
  }

  // The corrections page exists even with nothing to correct.
  try {
    paged(std::string(Site::kCorrectionsPath), site_.CountVisibleCorrections());
  } catch (const std::exception& e) {  // the site layer throws store failures
    return Fail(Status::IOError(std::string("corrections: ") + e.what()));
  }

  // Date archives (four-digit years only, as Site routes them).
  for (const auto& [y, n] : years) {
    if (y >= 1000 && y <= 9999) paged("/" + std::to_string(y) + "/", n);
  }
  for (const auto& [ym, n] : months) {
    if (ym.first >= 1000 && ym.first <= 9999) {
      paged("/" + std::to_string(ym.first) + "/" + TwoDigit(ym.second) + "/", n);
    }
  }
  for (const auto& [ymd, n] : days) {
    auto [y, m, d] = ymd;
    if (y >= 1000 && y <= 9999) {
      paged("/" + std::to_string(y) + "/" + TwoDigit(m) + "/" + TwoDigit(d) + "/", n);
    }
  }

  // Sitemaps: the index, and every sitemap it names.
  std::string index_path = "/" + std::string(FindFormat(FormatId::kSitemapIndex).file_name);
  urls.insert(index_path);
  urls.insert("/" + std::string(FindFormat(FormatId::kNewsSitemap).file_name));
  urls.insert("/" + std::string(FindFormat(FormatId::kRobots).file_name));
  {
    http::Request req;
    req.method = "GET";
    req.path = req.target = index_path;
    http::Response r = web_.Handle(req);
    if (r.status != 200) return Fail(Status::Internal(index_path + " answered " + std::to_string(r.status)));
    for (const std::string& loc : Locs(r.body)) {
      if (!loc.starts_with(settings.base_url)) continue;
      std::string path = loc.substr(settings.base_url.size());
      if (path.starts_with("/")) urls.insert(path);
    }
  }

  // Static pages, theme assets, media files.
  auto pages = store.AllPages();
  if (!pages) return Fail(pages.error());
  for (const StaticPage& p : *pages) {
    if (p.status == PublishState::kPublished) urls.insert(p.path);
  }
  for (const auto& [name, asset] : theme_.assets()) urls.insert(asset.url);
  std::error_code ec;
  if (fs::is_directory(media_dir_, ec)) {
    for (auto it = fs::recursive_directory_iterator(media_dir_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string rel = fs::relative(it->path(), media_dir_, ec).generic_string();
      if (!ec && !rel.empty()) urls.insert("/media/" + rel);
    }
  }
  return std::vector<std::string>(urls.begin(), urls.end());
}

Result<StaticBuildReport> StaticBuild::Run(const StaticBuildOptions& options) {
  const Stopwatch watch;
  StaticBuildReport report;
  const fs::path out = options.out;
  const fs::path manifest = out / kManifest;
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) return Fail(Status::InvalidArgument(out.string() + " is not a folder"));
    if (!fs::exists(manifest, ec) && !fs::is_empty(out, ec)) {
      return Fail(Status::InvalidArgument(out.string() +
                                          " is not empty and holds no earlier build (no " +
                                          kManifest + "); refusing to write into it"));
    }
  } else {
    fs::create_directories(out, ec);
    if (ec) return Fail(Status::IOError("cannot create " + out.string() + ": " + ec.message()));
  }
  std::set<std::string> previous = ReadManifest(manifest);

  auto urls = Urls();
  if (!urls) return Fail(urls.error());
  std::vector<std::string> paths = std::move(*urls);
  paths.push_back("");  // the 404 page
  report.urls = paths.size();

  std::atomic<std::size_t> next{0}, written{0}, unchanged{0}, skipped{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;
  std::vector<std::vector<std::string>> files(paths.size());

  auto fail = [&](Status s) {
    std::lock_guard lock(mu);
    if (!failed.exchange(true)) first_error = std::move(s);
  };
  auto put = [&](const std::string& rel, std::string_view data) -> Result<bool> {
    auto w = Put(out / rel, data);
    if (!w) return Fail(w.error());
    (*w ? written : unchanged)++;
    return *w;
  };
  auto work = [&] {
    while (!failed) {
      std::size_t i = next++;
      if (i >= paths.size()) return;
      const std::string& path = paths[i];
      try {
        http::Request req;
        req.method = "GET";
        req.path = req.target = path.empty() ? "/404.html" : path;
        http::Response r = web_.Handle(req);
        std::string rel;
        if (path.empty()) {
          if (r.status != 404) {
            fail(Status::Internal("the not-found page answered " + std::to_string(r.status)));
            return;
          }
          rel = "404.html";
        } else {
          if (r.status != 200) {
            ++skipped;
            continue;
          }
          rel = FileFor(path, r.content_type);
          if (rel.empty()) {
            ++skipped;
            continue;
          }
        }
        auto changed = put(rel, r.body);
        if (!changed) return fail(changed.error());
        files[i].push_back(rel);
        if (!Compressible(r.content_type, r.body.size())) continue;
        const std::pair<const char*, std::string (*)(std::string_view)> variants[] = {
            {".gz", &http::GzipCompress}, {".br", &http::BrotliCompress}};
        for (auto [suffix, compress] : variants) {
          std::string crel = rel + suffix;
          files[i].push_back(crel);
          // Unchanged page: its compressed copies stand, when they are there.
          if (!*changed && fs::exists(out / crel)) {
            ++unchanged;
            continue;
          }
          std::string packed = compress(r.body);
          if (packed.empty()) return fail(Status::Internal("cannot compress " + rel));
          auto w = put(crel, packed);
          if (!w) return fail(w.error());
        }
      } catch (const std::exception& e) {
        return fail(Status::Internal(path + ": " + e.what()));
      }
    }
  };
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (failed) return Fail(first_error);

  // What the last build wrote and this one did not: remove it, and the
  // folders it leaves empty.
  std::set<std::string> now_files;
  for (auto& list : files) now_files.insert(list.begin(), list.end());
  for (const std::string& rel : previous) {
    if (now_files.count(rel) || rel.find("..") != std::string::npos) continue;
    fs::path file = out / rel;
    if (fs::remove(file, ec)) ++report.removed;
    for (fs::path dir = file.parent_path(); dir != out && dir.string().size() > out.string().size();
         dir = dir.parent_path()) {
      if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec) || !fs::remove(dir, ec)) break;
    }
  }
  std::string list;
  for (const std::string& rel : now_files) list += rel + "\n";
  if (Status s = WriteFileAtomic(manifest, list); !s.ok()) return Fail(s);

  report.written = written;
  report.unchanged = unchanged;
  report.skipped = skipped;
  report.seconds = watch.Elapsed();
  return report;
}

}  // namespace dateline
