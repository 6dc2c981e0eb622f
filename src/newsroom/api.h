// Api: the REST API under /api/v1, one pure HTTP handler.
//
//   GET    /api/v1/me                       the token's user
//   GET    /api/v1/stories                  list: status, section, author,
//                                           q (headline), sort (modified |
//                                           published | headline), page, per_page
//   POST   /api/v1/stories                  create -> 201, Location, the story
//   GET    /api/v1/stories/ID[?format=ninjs]
//   PATCH  /api/v1/stories/ID               change fields and/or status
//                                           ("version" or If-Match: stale -> 409)
//   DELETE /api/v1/stories/ID               -> 204
//   GET    /api/v1/stories/ID/revisions     newest first
//   POST   /api/v1/stories/ID/corrections   {"note"} -> 201
//
// Stories are the JSON Lines bulk format's fields plus id, version,
// owner_id, created_at, modified_at and url. Every request needs
// "Authorization: Bearer <token>" (Accounts::FromApiToken); the role
// policy and the workflow are the ones Stories enforces for the admin UI.
// Errors: {"error": {"code", "message", "field"}} with 400 (unreadable
// JSON), 401 (no valid token), 403 (the role may not), 404, 405, 409
// (stale version), 422 (an invalid field). Thread-safe when its parts are.
#pragma once

#include "core/settings.h"
#include "http/message.h"
#include "newsroom/accounts.h"
#include "newsroom/stories.h"

namespace dateline::newsroom {

// An error response in the API's shape for a Status (403, 404, 409, 422...).
http::Response ApiError(const Status& s);
http::Response ApiError(int status, std::string_view code, std::string_view message,
                        std::string_view field = "");

class Api {
 public:
  Api(Accounts& accounts, Stories& stories, Store& store, const SiteSettings& settings)
      : accounts_(accounts), stories_(stories), store_(store), settings_(settings) {}

  // Any path under /api/v1/.
  http::Response Handle(const http::Request& req);

  static constexpr int kMaxPerPage = 100;

 private:
  http::Response Stories(const http::Request& req, const User& user);
  http::Response Story(const http::Request& req, const User& user, std::int64_t id,
                       std::string_view rest);
  nlohmann::ordered_json StoryJson(const Article& a) const;

  Accounts& accounts_;
  newsroom::Stories& stories_;
  Store& store_;
  const SiteSettings& settings_;
};

}  // namespace dateline::newsroom
