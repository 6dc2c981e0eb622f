// Whole-site tests of `dateline build`: the fixture site is built into a
// folder and the files are checked for their layout, against what
// `dateline serve` answers for the same paths (byte for byte), for their
// .gz/.br copies, for hidden stories, and across incremental rebuilds; when
// Debian's nginx is installed, it serves the folder with docs/deploy.md's
// config and a few paths are fetched through it.
#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "fixture.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

extern char** environ;

namespace dateline::testing {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Gunzip(const std::string& in) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(8 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<bad gzip>";
}

std::string Unbrotli(const std::string& in) {
  std::string out(8 << 20, '\0');
  std::size_t size = out.size();
  if (BrotliDecoderDecompress(in.size(), reinterpret_cast<const std::uint8_t*>(in.data()), &size,
                              reinterpret_cast<std::uint8_t*>(out.data())) !=
      BROTLI_DECODER_RESULT_SUCCESS) {
    return "<bad brotli>";
  }
  out.resize(size);
  return out;
}

// Every file under `dir` (relative path -> bytes), but the build's list.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).generic_string();
    if (rel != ".dateline-build") out[rel] = Slurp(e.path());
  }
  return out;
}

// The URL path a written file answers (the inverse of the layout).
std::string UrlOf(const std::string& rel) {
  static const std::regex kIndex(R"((^|/)index\.(html|rss|atom|xml|txt|json)$)");
  std::smatch m;
  if (std::regex_search(rel, m, kIndex)) return "/" + rel.substr(0, m.position(0)) + m.str(1);
  return "/" + rel;
}

struct Counts {
  long written = -1, unchanged = -1, removed = -1;
};
Counts ParseCounts(const std::string& out) {
  static const std::regex kLine(R"((\d+) files written, (\d+) unchanged, (\d+) removed)");
  std::smatch m;
  Counts c;
  if (std::regex_search(out, m, kLine)) {
    c.written = std::stol(m.str(1));
    c.unchanged = std::stol(m.str(2));
    c.removed = std::stol(m.str(3));
  }
  return c;
}

CommandResult Build(const std::string& site, const std::string& out) {
  return RunCommand({DatelineBinary(), "build", "--site", site, "--out", out});
}

// The fixture's JSONL line for `slug`, changed by `edit`.
std::string FixtureLine(const std::string& slug, void (*edit)(nlohmann::json&)) {
  std::istringstream in(FixtureJsonl(4102444800LL));
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line);
    if (j.value("slug", "") == slug) {
      edit(j);
      return j.dump() + "\n";
    }
  }
  return "";
}

class BuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new FixtureSite();
    ASSERT_TRUE(site_->ok()) << site_->error();
    out_ = new TempDir();
    CommandResult r = Build(site_->dir(), (out_->path() / "public").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    build_stdout_ = new std::string(r.out);
  }
  static void TearDownTestSuite() {
    delete build_stdout_;
    delete out_;
    delete site_;
  }
  static fs::path Public() { return out_->path() / "public"; }
  static FixtureSite* site_;
  static TempDir* out_;
  static std::string* build_stdout_;
};
FixtureSite* BuildTest::site_ = nullptr;
TempDir* BuildTest::out_ = nullptr;
std::string* BuildTest::build_stdout_ = nullptr;

TEST_F(BuildTest, WritesEveryKindOfUrlWhereAWebServerLooksForIt) {
  EXPECT_NE(build_stdout_->find("files written"), std::string::npos) << *build_stdout_;
  const char* files[] = {
      "index.html", "page/2/index.html", "page/4/index.html",  // 31 stories, 10 a page
      "2025/03/01/story-0/index.html", "2025/03/03/story-1/index.html",
      "category/alpha/index.html", "category/alpha/page/2/index.html", "category/beta/index.html",
      "tag/family-a0/index.html", "tag/family-b1/index.html", "author/writer-one/index.html",
      "author/writer-two/index.html", "2025/index.html", "2025/03/index.html",
      "2025/03/01/index.html", "2025/index.html", "2025/page/2/index.html",
      "feed/index.rss", "feed/atom/index.atom", "feed.json", "category/alpha/feed/index.rss",
      "category/gamma/feed.json", "tag/family-a0/feed/atom/index.atom",
      "author/writer-two/feed.json", "sitemap.xml", "news-sitemap.xml", "sitemaps/sections.xml",
      "sitemaps/tags.xml", "sitemaps/authors.xml", "sitemaps/articles-2025-03.xml", "robots.txt",
      "404.html", "index.html.gz", "index.html.br", "feed/index.rss.gz", "feed.json.br"};
  for (const char* f : files) EXPECT_TRUE(fs::is_regular_file(Public() / f)) << f;
  EXPECT_FALSE(fs::exists(Public() / "page/5"));
  EXPECT_FALSE(fs::exists(Public() / "page/1"));  // a redirect, not a page
  bool css = false;
  for (const auto& e : fs::directory_iterator(Public() / "assets")) {
    std::string name = e.path().filename().string();
    if (name.starts_with("style.") && name.ends_with(".css")) css = true;
  }
  EXPECT_TRUE(css);
  // Every article sitemap the index names was written.
  std::string index = Slurp(Public() / "sitemap.xml");
  std::regex loc("<loc>http://127\\.0\\.0\\.1:1/([^<]+)</loc>");
  int named = 0;
  for (std::sregex_iterator it(index.begin(), index.end(), loc), end; it != end; ++it, ++named) {
    EXPECT_TRUE(fs::is_regular_file(Public() / (*it)[1].str())) << (*it)[1].str();
  }
  EXPECT_GE(named, 5);
}

TEST_F(BuildTest, NoHiddenStoryAnywhere) {
  for (const auto& [rel, body] : Snapshot(Public())) {
    std::string text = rel.ends_with(".gz") ? Gunzip(body) : rel.ends_with(".br") ? Unbrotli(body) : body;
    EXPECT_EQ(text.find("LEAKED"), std::string::npos) << rel;
    EXPECT_EQ(text.find("SOON headline"), std::string::npos) << rel;
    EXPECT_EQ(rel.find("leaked"), std::string::npos) << rel;
  }
  EXPECT_FALSE(fs::exists(Public() / "tag/secret-tag"));
  EXPECT_FALSE(fs::exists(Public() / "author/hidden-writer"));
  EXPECT_FALSE(fs::exists(Public() / "2099"));
}

TEST_F(BuildTest, CompressedCopiesDecodeToTheSameBytes) {
  int checked = 0;
  for (const auto& [rel, body] : Snapshot(Public())) {
    if (rel.ends_with(".gz")) {
      EXPECT_EQ(Gunzip(body), Slurp(Public() / rel.substr(0, rel.size() - 3))) << rel;
      ++checked;
    } else if (rel.ends_with(".br")) {
      EXPECT_EQ(Unbrotli(body), Slurp(Public() / rel.substr(0, rel.size() - 3))) << rel;
      ++checked;
    } else if (!rel.starts_with("media/")) {
      bool small = body.size() < 256;
      EXPECT_EQ(fs::exists(Public() / (rel + ".gz")), !small) << rel;
      EXPECT_EQ(fs::exists(Public() / (rel + ".br")), !small) << rel;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_F(BuildTest, FilesAreByteIdenticalToWhatServeAnswers) {
  // The build has brought the index up to date, so the server's own
  // catch-up changes nothing and both see the same Related News.
  ServerProcess server({DatelineBinary(), "serve", "--site", site_->dir(), "--listen", "127.0.0.1:0"});
  ASSERT_NE(server.port(), 0) << server.error();
  int compared = 0, i = 0;
  for (const auto& [rel, body] : Snapshot(Public())) {
    if (rel.ends_with(".gz") || rel.ends_with(".br") || rel == "404.html") continue;
    // Every page kind, and every fifth file besides.
    bool sample = i++ % 5 == 0 || rel.find("/") == std::string::npos ||
                  rel.find("feed") != std::string::npos || rel.starts_with("sitemaps/");
    if (!sample) continue;
    std::string url = UrlOf(rel);
    HttpResult r = HttpGet(server.port(), url);
    EXPECT_EQ(r.status, 200) << url;
    EXPECT_TRUE(r.body == body) << url << " differs from " << rel;
    ++compared;
  }
  EXPECT_GT(compared, 40);
  HttpResult missing = HttpGet(server.port(), "/no/such/page/");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, Slurp(Public() / "404.html"));
}

TEST_F(BuildTest, RefusesAFolderItDidNotWrite) {
  TempDir other;
  std::ofstream(other / "keep.txt") << "mine";
  CommandResult r = Build(site_->dir(), other.path().string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refusing"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(other / "keep.txt"), "mine");
}

TEST(BuildIncremental, RewritesOnlyWhatChangedAndRemovesWhatWentAway) {
  FixtureSite site;
  ASSERT_TRUE(site.ok()) << site.error();
  TempDir out;
  fs::path pub = out.path() / "public";
  CommandResult first = Build(site.dir(), pub.string());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  Counts c1 = ParseCounts(first.out);
  auto before = Snapshot(pub);
  EXPECT_EQ(c1.written, static_cast<long>(before.size())) << first.out;

  // Nothing changed: nothing written.
  CommandResult again = Build(site.dir(), pub.string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  Counts c2 = ParseCounts(again.out);
  EXPECT_EQ(c2.written, 0) << again.out;
  EXPECT_EQ(c2.unchanged, static_cast<long>(before.size()));
  EXPECT_EQ(c2.removed, 0);

  // One story's last paragraph edited: its page, the feeds that carry its
  // full text and the pages whose Related News moved change; the printed
  // count is exactly the files whose bytes differ.
  std::string edit = FixtureLine("story-4", [](nlohmann::json& j) {
    j["body"] = j["body"].get<std::string>() + "\nEDITED-PARAGRAPH about the harbour.\n";
  });
  ASSERT_FALSE(edit.empty());
  auto imported = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", site.dir()}, edit);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  CommandResult third = Build(site.dir(), pub.string());
  ASSERT_EQ(third.exit_code, 0) << third.err;
  Counts c3 = ParseCounts(third.out);
  auto after = Snapshot(pub);
  long differ = 0;
  for (const auto& [rel, body] : after) {
    auto it = before.find(rel);
    if (it == before.end() || it->second != body) ++differ;
  }
  EXPECT_EQ(c3.written, differ) << third.out;
  EXPECT_GT(c3.written, 0);
  EXPECT_LT(c3.written, static_cast<long>(after.size()) / 4) << third.out;
  EXPECT_EQ(c3.written + c3.unchanged, static_cast<long>(after.size()));
  const std::string story4 = "2025/03/09/story-4/index.html";
  EXPECT_NE(after[story4].find("EDITED-PARAGRAPH"), std::string::npos);
  EXPECT_NE(after[story4], before[story4]);

  // One story unpublished: its page (and its day's archive, its only
  // story) are removed with their .gz/.br, and their folders with them.
  std::string unpublish = FixtureLine("story-7", [](nlohmann::json& j) { j["status"] = "draft"; });
  imported = RunCommand({DatelineBinary(), "import", "jsonl", "-", "--site", site.dir()}, unpublish);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  CommandResult fourth = Build(site.dir(), pub.string());
  ASSERT_EQ(fourth.exit_code, 0) << fourth.err;
  Counts c4 = ParseCounts(fourth.out);
  EXPECT_GE(c4.removed, 6) << fourth.out;
  EXPECT_FALSE(fs::exists(pub / "2025/03/15/story-7"));
  EXPECT_FALSE(fs::exists(pub / "2025/03/15"));
  EXPECT_TRUE(fs::exists(pub / "2025/03/13/story-6/index.html"));
  for (const auto& [rel, body] : Snapshot(pub)) {
    if (rel.ends_with(".gz") || rel.ends_with(".br")) continue;
    EXPECT_EQ(body.find("story-7/"), std::string::npos) << rel;
  }
}

// --- nginx, with docs/deploy.md's server block -------------------------

unsigned short FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

TEST_F(BuildTest, NginxServesTheBuildWithTheDeployConfig) {
  const char* nginx = "/usr/sbin/nginx";
  ASSERT_TRUE(fs::exists(nginx)) << "nginx is not installed (run scripts/install-test-tools)";
  std::string doc = Slurp(fs::path(DATELINE_SOURCE_DIR) / "docs/deploy.md");
  std::size_t begin = doc.find("```nginx\n", doc.find("<!-- nginx-config-begin -->"));
  std::size_t end = doc.find("```", begin + 9);
  ASSERT_NE(begin, std::string::npos);
  std::string block = doc.substr(begin + 9, end - begin - 9);
  unsigned short port = FreePort();
  block = std::regex_replace(block, std::regex("listen 80;"),
                             "listen 127.0.0.1:" + std::to_string(port) + ";");
  block = std::regex_replace(block, std::regex("root /srv/dateline/public;"),
                             "root " + Public().string() + ";");
  TempDir prefix;
  std::string p = prefix.path().string();
  std::ofstream(prefix / "nginx.conf")
      << "daemon off;\nworker_processes 1;\npid " << p << "/nginx.pid;\nerror_log " << p
      << "/error.log;\nevents { worker_connections 64; }\nhttp {\n include /etc/nginx/mime.types;\n"
      << " default_type application/octet-stream;\n access_log off;\n client_body_temp_path " << p
      << "/body;\n proxy_temp_path " << p << "/proxy;\n fastcgi_temp_path " << p
      << "/fcgi;\n uwsgi_temp_path " << p << "/uwsgi;\n scgi_temp_path " << p << "/scgi;\n"
      << block << "}\n";
  std::string conf = p + "/nginx.conf";
  std::vector<std::string> args = {nginx, "-p", p, "-c", conf, "-e", p + "/error.log"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, nginx, nullptr, nullptr, argv.data(), environ), 0);
  HttpResult home;
  for (int i = 0; i < 100 && home.status == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    home = HttpGet(port, "/");
  }
  EXPECT_EQ(home.status, 200) << home.error << Slurp(prefix / "error.log");
  EXPECT_EQ(home.body, Slurp(Public() / "index.html"));
  EXPECT_NE(home.Header("content-type").find("text/html"), std::string::npos);
  HttpResult story = HttpGet(port, "/2025/03/01/story-0/");
  EXPECT_EQ(story.status, 200);
  EXPECT_EQ(story.body, Slurp(Public() / "2025/03/01/story-0/index.html"));
  HttpResult rss = HttpGet(port, "/feed/");
  EXPECT_EQ(rss.status, 200);
  EXPECT_EQ(rss.Header("content-type").substr(0, 19), "application/rss+xml");
  EXPECT_EQ(rss.body, Slurp(Public() / "feed/index.rss"));
  HttpResult atom = HttpGet(port, "/category/alpha/feed/atom/");
  EXPECT_EQ(atom.Header("content-type").substr(0, 20), "application/atom+xml");
  HttpResult json = HttpGet(port, "/feed.json");
  EXPECT_EQ(json.body, Slurp(Public() / "feed.json"));
  HttpResult gz = HttpRequest(port, "GET", "/category/beta/", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(Gunzip(gz.body), Slurp(Public() / "category/beta/index.html"));
  HttpResult missing = HttpGet(port, "/no/such/page/");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, Slurp(Public() / "404.html"));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace
}  // namespace dateline::testing
