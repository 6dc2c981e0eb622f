// Newsroom: the staff side of the binary, composed. Owns the accounts,
// the stories service, the REST API and the admin pages, and routes /admin... and /api/v1/... to them; every other path is the
// reader site's.
//
// Built by the app with the site's store, settings, clock, media folder
// and a callback that renders a story as readers will see it (the app owns
// the reader theme). Thread-safe: Handle may be called from every I/O
// thread. The scheduler (newsroom/scheduler.h) runs beside it: the app
// starts it before the search index catches up.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "core/settings.h"
#include "http/message.h"
#include "newsroom/accounts.h"
#include "newsroom/admin.h"
#include "newsroom/api.h"
#include "newsroom/stories.h"
#include "store/store.h"

namespace dateline::newsroom {

using PreviewFunction = std::function<std::optional<http::Response>(const Article&)>;

class Newsroom {
 public:
  Newsroom(Store& store, const SiteSettings& settings, const Clock& clock,
           std::filesystem::path media_dir, PreviewFunction preview);

  // True for the paths the newsroom answers.
  static bool Owns(std::string_view path);
  http::Response Handle(const http::Request& req);

  Accounts& accounts() { return accounts_; }
  Stories& stories() { return stories_; }

  // Bodies larger than this are refused (the server's own limit is higher,
  // for media uploads under /admin/media).
  static constexpr std::size_t kMaxJsonBody = 1 << 20;

 private:
  Accounts accounts_;
  Stories stories_;
  Api api_;
  Admin admin_;
};

}  // namespace dateline::newsroom
