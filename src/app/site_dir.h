// A site on disk: DIR/dateline.toml, DIR/dateline.db (SQLite) and DIR/media/.
//
// InitSite creates all three and refuses a folder that already holds a
// site. OpenSite loads the config and opens the existing database; a
// missing or broken config or an unreadable database is an error naming
// the file and the problem, and nothing is created or changed.
#pragma once

#include <filesystem>
#include <memory>

#include "app/config.h"
#include "store/store.h"

namespace dateline {

struct OpenedSite {
  Config config;
  std::unique_ptr<Store> store;
};

struct InitOptions {
  std::string name = "Dateline";
  std::string base_url = "http://127.0.0.1:8080";
  std::string listen = "127.0.0.1:8080";
};

Status InitSite(const std::filesystem::path& dir, const InitOptions& options);
Result<OpenedSite> OpenSite(const std::filesystem::path& dir, const Clock* clock = nullptr);

// The store options every command uses (slugs from the text layer).
StoreOptions DefaultStoreOptions(const Clock* clock);

}  // namespace dateline
