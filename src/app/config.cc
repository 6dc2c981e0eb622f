#include "app/config.h"

#include <charconv>
#include <toml++/toml.h>

#include "base/fs.h"

namespace dateline {

namespace {

// Reads an optional string key; records a type error.
Status ReadString(const toml::table& t, std::string_view key, std::string& out,
                  std::string_view where) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  if (!n->is_string()) {
    return Status::InvalidArgument(std::string(where) + ": key \"" + std::string(key) +
                                   "\" must be a string (line " +
                                   std::to_string(n->source().begin.line) + ")");
  }
  out = n->value<std::string>().value_or("");
  return Status::Ok();
}

Status ReadInt(const toml::table& t, std::string_view key, int& out, int min, int max,
               std::string_view where) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  auto v = n->value<std::int64_t>();
  if (!n->is_integer() || !v || *v < min || *v > max) {
    return Status::InvalidArgument(std::string(where) + ": key \"" + std::string(key) +
                                   "\" must be a whole number from " + std::to_string(min) +
                                   " to " + std::to_string(max) + " (line " +
                                   std::to_string(n->source().begin.line) + ")");
  }
  out = static_cast<int>(*v);
  return Status::Ok();
}

Status CheckKeys(const toml::table& t, std::initializer_list<std::string_view> known,
                 std::string_view where) {
  for (const auto& [key, node] : t) {
    bool ok = false;
    for (std::string_view k : known) ok |= key.str() == k;
    if (!ok) {
      return Status::InvalidArgument(std::string(where) + ": unknown key \"" +
                                     std::string(key.str()) + "\" (line " +
                                     std::to_string(node.source().begin.line) + ")");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::pair<std::string, unsigned short>> ParseListen(std::string_view listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Fail(Status::InvalidArgument("listen address \"" + std::string(listen) +
                                        "\" must look like HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  std::string host(listen.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string_view port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || p != port_text.data() + port_text.size() || port > 65535) {
    return Fail(Status::InvalidArgument("listen address \"" + std::string(listen) +
                                        "\": port must be a number from 0 to 65535"));
  }
  return std::make_pair(host, static_cast<unsigned short>(port));
}

Result<Config> ParseConfig(std::string_view text, const std::filesystem::path& site_dir) {
  std::string where = (site_dir / kConfigFile).string();
  toml::table root;
  try {
    root = toml::parse(text, where);
  } catch (const toml::parse_error& e) {
    return Fail(Status::InvalidArgument(where + ":" + std::to_string(e.source().begin.line) + ":" +
                                        std::to_string(e.source().begin.column) + ": " +
                                        std::string(e.description())));
  }
  Config c;
  c.site_dir = site_dir;
  Status s = CheckKeys(root, {"site", "server"}, where);
  if (!s.ok()) return Fail(s);

  if (const toml::node* n = root.get("site")) {
    const toml::table* site = n->as_table();
    if (site == nullptr) return Fail(Status::InvalidArgument(where + ": [site] must be a table"));
    std::string w = where + " [site]";
    s = CheckKeys(*site,
                  {"name", "description", "base_url", "time_zone", "language", "permalink",
                   "date_format", "per_page", "theme", "iframe_hosts", "feed_items", "logo"},
                  w);
    if (!s.ok()) return Fail(s);
    std::string zone = "UTC", permalink(PermalinkPattern::kDefault), theme;
    for (auto [key, out] : {std::pair{"name", &c.site.name},
                            std::pair{"description", &c.site.description},
                            std::pair{"base_url", &c.site.base_url},
                            std::pair{"language", &c.site.language},
                            std::pair{"date_format", &c.site.date_format},
                            std::pair{"time_zone", &zone}, std::pair{"permalink", &permalink},
                            std::pair{"theme", &theme}, std::pair{"logo", &c.site.logo}}) {
      s = ReadString(*site, key, *out, w);
      if (!s.ok()) return Fail(s);
    }
    s = ReadInt(*site, "per_page", c.site.per_page, 1, 100, w);
    if (!s.ok()) return Fail(s);
    s = ReadInt(*site, "feed_items", c.site.feed_items, 1, 100, w);
    if (!s.ok()) return Fail(s);
    while (!c.site.base_url.empty() && c.site.base_url.back() == '/') c.site.base_url.pop_back();
    if (c.site.base_url.rfind("http://", 0) != 0 && c.site.base_url.rfind("https://", 0) != 0) {
      return Fail(Status::InvalidArgument(w + ": base_url \"" + c.site.base_url +
                                          "\" must start with http:// or https://"));
    }
    auto tz = TimeZone::Load(zone);
    if (!tz) return Fail(tz.error().WithContext(w + ": time_zone"));
    c.site.zone = *tz;
    auto pattern = PermalinkPattern::Parse(permalink);
    if (!pattern) return Fail(pattern.error().WithContext(w + ": permalink"));
    c.site.permalink = std::move(*pattern);
    if (!theme.empty()) {
      std::filesystem::path dir = theme;
      c.theme_dir = dir.is_absolute() ? dir : site_dir / dir;
    }
    if (const toml::node* hosts = site->get("iframe_hosts")) {
      const toml::array* arr = hosts->as_array();
      if (arr == nullptr) {
        return Fail(Status::InvalidArgument(w + ": iframe_hosts must be an array of host names"));
      }
      for (const toml::node& h : *arr) {
        auto v = h.value<std::string>();
        if (!v) return Fail(Status::InvalidArgument(w + ": iframe_hosts must hold strings"));
        c.site.iframe_hosts.push_back(*v);
      }
    }
  }
  if (const toml::node* n = root.get("server")) {
    const toml::table* server = n->as_table();
    if (server == nullptr) {
      return Fail(Status::InvalidArgument(where + ": [server] must be a table"));
    }
    std::string w = where + " [server]";
    s = CheckKeys(*server, {"listen", "threads", "cache_mb"}, w);
    if (!s.ok()) return Fail(s);
    s = ReadString(*server, "listen", c.listen, w);
    if (!s.ok()) return Fail(s);
    auto listen = ParseListen(c.listen);
    if (!listen) return Fail(listen.error().WithContext(w));
    s = ReadInt(*server, "threads", c.threads, 0, 256, w);
    if (!s.ok()) return Fail(s);
    s = ReadInt(*server, "cache_mb", c.cache_mb, 0, 1 << 20, w);
    if (!s.ok()) return Fail(s);
  }
  return c;
}

Result<Config> LoadConfig(const std::filesystem::path& site_dir) {
  std::filesystem::path file = site_dir / kConfigFile;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return Fail(Status::NotFound("no " + std::string(kConfigFile) + " in " + site_dir.string() +
                                 " (create a site with: dateline init " + site_dir.string() +
                                 ")"));
  }
  auto text = ReadFile(file);
  if (!text) return Fail(text.error());
  return ParseConfig(*text, site_dir);
}

std::string ExampleConfig(std::string_view site_name, std::string_view base_url,
                          std::string_view listen) {
  std::string name(site_name);
  std::string escaped;
  for (char c : name) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"(# dateline.toml: the settings of one Dateline site.
# Every key is optional; the value shown is used when a key is left out,
# except where a comment says otherwise. Unknown keys are an error.

[site]
# The site's name: in the masthead, page titles and feeds.
name = ")" + escaped + R"("
# One line saying what the site is; the home page's description.
description = "News, as it happens."
# Where readers reach the site, without a trailing slash. Canonical links,
# feeds and sitemaps use it for absolute URLs.
base_url = ")" + std::string(base_url) + R"("
# The IANA time zone that dates are shown in and archives are cut by.
time_zone = "UTC"
# The BCP 47 language of the site (<html lang>), and of stories that do not
# name their own.
language = "en"
# Where an article lives. WordPress structure tags: %year% %monthnum% %day%
# %hour% %minute% %second% %postname% %category% %post_id%.
permalink = "/%year%/%monthnum%/%day%/%postname%/"
# How dates are shown, in WordPress (PHP date) letters:
# "F j, Y g:i a" gives "May 6, 2025 4:05 am".
date_format = "F j, Y g:i a"
# Stories per listing page (section, tag, author and date archives), 1-100.
per_page = 10
# A folder with your own templates and assets, relative to this file.
# Files there replace the built-in default theme's one by one.
# theme = "theme"
# Hosts whose <iframe> embeds may appear in story bodies (https only).
iframe_hosts = []
# Stories in each RSS, Atom and JSON feed (the site's, and each section's,
# tag's and author's), newest first, 1-100.
feed_items = 20
# The publisher logo named in structured data, feeds and Open Graph: an
# absolute URL or a path on this site (e.g. "/media/logo.png"). Left out,
# the theme's assets/logo.svg is used.
# logo = "/media/logo.png"

[server]
# Address and port to serve on. Port 0 picks a free port (printed at start).
listen = ")" + std::string(listen) + R"("
# I/O threads; 0 means one per CPU core.
threads = 0
# Memory for the render cache, in MiB: rendered pages and feeds with their
# gzip and brotli copies, least recently used first out. 0 turns it off.
cache_mb = 256
)";
}

}  // namespace dateline
