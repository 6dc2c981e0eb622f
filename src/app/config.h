// Config: a site's dateline.toml, read into SiteSettings plus server keys.
//
// Every key is optional and has a default; an unknown key, a value of the
// wrong type, an unknown time zone or a bad permalink pattern is an error
// naming the file, line and key, so a typo never silently does nothing.
// ExampleConfig() is the commented file `dateline init` writes; it
// documents every key. Plain values, no shared state.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/status.h"
#include "core/settings.h"

namespace dateline {

struct Config {
  std::filesystem::path site_dir;
  SiteSettings site;
  std::string listen = "127.0.0.1:8080";
  int threads = 0;  // 0: one I/O thread per core
  int cache_mb = 256;  // render cache bound; 0 turns the cache off
  std::optional<std::filesystem::path> theme_dir;

  std::filesystem::path database_path() const { return site_dir / "dateline.db"; }
  std::filesystem::path media_dir() const { return site_dir / "media"; }
  std::filesystem::path index_path() const { return site_dir / "search"; }
};

inline constexpr const char* kConfigFile = "dateline.toml";

Result<Config> LoadConfig(const std::filesystem::path& site_dir);
Result<Config> ParseConfig(std::string_view toml_text, const std::filesystem::path& site_dir);

std::string ExampleConfig(std::string_view site_name, std::string_view base_url,
                          std::string_view listen);

// "127.0.0.1:8080" -> host and port; InvalidArgument names the value.
Result<std::pair<std::string, unsigned short>> ParseListen(std::string_view listen);

}  // namespace dateline
