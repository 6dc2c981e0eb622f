#include "app/site_dir.h"

#include "base/fs.h"
#include "store/sqlite/sqlite_store.h"
#include "text/slug.h"

namespace dateline {

StoreOptions DefaultStoreOptions(const Clock* clock) {
  StoreOptions o;
  o.slugify = [](std::string_view name) { return Slugify(name); };
  o.clock = clock;
  return o;
}

Status InitSite(const std::filesystem::path& dir, const InitOptions& options) {
  std::error_code ec;
  if (std::filesystem::exists(dir / kConfigFile, ec)) {
    return Status::Conflict(dir.string() + " already holds a site (" + kConfigFile + " exists)");
  }
  auto listen = ParseListen(options.listen);
  if (!listen) return listen.error();
  std::string text = ExampleConfig(options.name, options.base_url, options.listen);
  // Validate what we are about to write, so init never leaves a broken site.
  auto parsed = ParseConfig(text, dir);
  if (!parsed) return parsed.error();
  std::filesystem::create_directories(dir / "media", ec);
  if (ec) return Status::IOError("cannot create " + (dir / "media").string() + ": " + ec.message());
  auto store = OpenSqliteStore((dir / "dateline.db").string(), DefaultStoreOptions(nullptr));
  if (!store) return store.error();
  return WriteFileAtomic(dir / kConfigFile, text);
}

Result<OpenedSite> OpenSite(const std::filesystem::path& dir, const Clock* clock) {
  auto config = LoadConfig(dir);
  if (!config) return Fail(config.error());
  std::error_code ec;
  std::filesystem::path db = config->database_path();
  if (!std::filesystem::exists(db, ec)) {
    return Fail(Status::NotFound("no database at " + db.string() +
                                 " (create a site with: dateline init DIR)"));
  }
  auto store = OpenSqliteStore(db.string(), DefaultStoreOptions(clock));
  if (!store) return Fail(store.error());
  return OpenedSite{std::move(*config), std::move(*store)};
}

}  // namespace dateline
