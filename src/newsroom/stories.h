// Stories: the newsroom's one way to change content. The admin UI and the
// REST API both call it, so roles (core/user.h Allowed) and the workflow
// (core/workflow.h) are enforced in one place for both.
//
// Input is the JSON Lines bulk format's fields (interop/jsonl.h), whole
// for Create, partial for Update (a merge: absent fields keep their value,
// null clears). Every successful write stores a Revision (who, when, the
// full story) in the same transaction. Editing a published story sets
// updated_at; a correction adds a public note and sets updated_at too.
//
// Failures are Status values the routes map to HTTP: InvalidArgument
// (422; the message starts with `field "x": `), PermissionDenied (403),
// NotFound (404), Conflict (409, a stale expected_version or a used slug).
// Thread-safe when the Store is.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "core/permalink.h"
#include "core/settings.h"
#include "core/time_zone.h"
#include "core/user.h"
#include "store/store.h"

namespace dateline::newsroom {

// The field named by a Status message of the form `field "x": reason`, or "".
std::string FieldOf(const Status& s);

class Stories {
 public:
  // `permalink` builds story paths: when an edit moves a published story
  // (a new slug or publish date), its old path answers 301 to the new one.
  Stories(Store& store, const Clock& clock, TimeZone zone, std::string default_language,
          PermalinkPattern permalink = *PermalinkPattern::Parse(PermalinkPattern::kDefault));

  // A new story owned by `by`. Without "status" it is a draft; a status
  // other than draft goes through the workflow as a transition from draft.
  // Without "authors" the byline is the user's name.
  Result<Article> Create(const User& by, const nlohmann::json& fields);

  // Changes fields and/or status ("status", "published_at") of story `id`.
  Result<Article> Update(const User& by, std::int64_t id, const nlohmann::json& patch,
                         std::optional<std::int64_t> expected_version = std::nullopt,
                         std::string_view note = "");

  Status Delete(const User& by, std::int64_t id);

  // A story any staff member may read (the admin list shows everyone's).
  // Readers see a scheduled story from its publish time on, while the
  // Scheduler flips its status up to a period later; so that the newsroom
  // never lags the reader site (an editor would see "Scheduled" and no way
  // to correct a story readers already have), a due story read here, or
  // listed by List, is published first by the scheduler's own step. Every
  // method below reads the story it works on through Get.
  Result<Article> Get(std::int64_t id);

  // One page of the newsroom's story list (admin and API), and how many
  // stories match `q` in all.
  struct Page {
    std::int64_t total = 0;
    std::vector<Article> stories;
  };
  Result<Page> List(const ArticleQuery& q);

  // Adds a public correction note to a published story; sets updated_at.
  Result<Correction> Correct(const User& by, std::int64_t id, std::string_view note);

  // Makes revision `revision_id`'s content the story's content again (its
  // status stays as it is now); stored as a new revision.
  Result<Article> Restore(const User& by, std::int64_t id, std::int64_t revision_id);

  // Whether `by` may take `action` on `a` (for showing buttons).
  static bool May(const User& by, Action action, const Article& a);

  // The bulk-format JSON of a story, with "id", "version" and "owner_id".
  nlohmann::ordered_json ToJson(const Article& a) const;

  const TimeZone& zone() const { return zone_; }

 private:
  // Whether `a` is scheduled and its time has come.
  bool IsDue(const Article& a) const;
  // The Scheduler's step, now: whether it published any story.
  bool PublishDue();
  Result<Article> Apply(const User& by, Article current, const nlohmann::json& patch, bool creating,
                        std::optional<std::int64_t> expected_version, std::string_view note);
  Status AddRevision(const Article& a, const User& by, std::string_view note);

  Store& store_;
  const Clock& clock_;
  TimeZone zone_;
  std::string default_language_;
  PermalinkPattern permalink_;
};

}  // namespace dateline::newsroom
