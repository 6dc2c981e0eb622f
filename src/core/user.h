// The newsroom's people and what they may do: User, Role, Action and the
// role policy (WordPress's four roles), plus the records kept about their
// work: Revision (every save of a story), Correction (a public note on a
// published story), Session and ApiToken.
//
// Plain values and pure functions, no I/O; the store persists them and
// src/newsroom/ enforces the policy on every route. Secrets are never held
// in clear: sessions and API tokens are stored as hashes of the token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "core/article.h"

namespace dateline {

// contributor < author < editor < admin: each role can do what the one
// before it can, and more (see Allowed()).
enum class Role { kContributor, kAuthor, kEditor, kAdmin };

std::string_view RoleName(Role r);  // "contributor", "author", "editor", "admin"
Result<Role> ParseRole(std::string_view name);

struct User {
  std::int64_t id = 0;  // 0 until stored
  std::string email;    // unique, stored lower-cased
  std::string name;     // display name; also the byline of the stories they create
  Role role = Role::kContributor;
  bool disabled = false;      // a disabled user cannot log in or use a token
  std::string password_hash;  // Argon2id string (libsodium); empty = no password set
  Seconds created_at = 0;     // set by the store
  bool operator==(const User&) const = default;
};

// A plausible e-mail address: one '@', something on both sides, a dot in
// the domain, no spaces or control characters, at most 254 bytes.
bool IsValidEmail(std::string_view email);

// What a user asks to do. Story actions depend on whether the story is the
// user's own (Article::owner_id) and, for contributors, on its state.
enum class Action {
  kCreateStory,      // write a new draft
  kEditStory,        // change the content of an existing story
  kSubmitForReview,  // draft -> review
  kPublish,          // -> published (now or with a past time)
  kSchedule,         // -> scheduled (a future publish time)
  kUnpublish,        // published/scheduled -> unpublished
  kDeleteStory,
  kCorrect,          // add a public correction note to a published story
  kPreview,          // see an unpublished story as readers will
  kUploadMedia,
  kManageTaxonomy,   // sections, tags, authors
  kManagePins,       // related pins on any story
  kManageUsers,
  kManageSettings,
};

std::string_view ActionName(Action a);  // "create_story", "edit_story", ...

// The role policy, WordPress's: a contributor writes and edits own drafts
// (not once published or scheduled) and submits them for review; an
// author also publishes, schedules, unpublishes, corrects and deletes own
// stories and uploads media; an editor does all of that on anyone's
// stories and manages sections, tags, authors and related pins; an admin
// also manages users and site settings. `own` says whether the story is
// the user's; `status` is the story's current state (ignored for actions
// that are not about one story).
bool Allowed(Role role, Action action, bool own, PublishState status = PublishState::kDraft);

struct Revision {
  std::int64_t id = 0;  // 0 until stored; grows with time
  std::int64_t article_id = 0;
  std::int64_t user_id = 0;  // 0: the system (scheduler, import)
  Seconds at = 0;
  std::string note;     // what happened: "save", "submit", "publish", "restore 12", ...
  std::string content;  // the whole story as one JSONL line (interop/jsonl.h)
  bool operator==(const Revision&) const = default;
};

struct Correction {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::int64_t user_id = 0;
  Seconds at = 0;
  std::string note;  // plain text, shown to readers
  bool operator==(const Correction&) const = default;
};

// A logged-in browser. The cookie holds the token; the store holds its
// hash. `csrf_token` is the per-session secret every form echoes back.
struct Session {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;
  Seconds created_at = 0;
  Seconds last_seen_at = 0;
  bool operator==(const Session&) const = default;
};

// A bearer token for /api/v1, stored as the hash of the token.
struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;  // what the user called it
  std::string token_hash;
  Seconds created_at = 0;
  std::optional<Seconds> last_used_at;
  bool revoked = false;
  bool operator==(const ApiToken&) const = default;
};

}  // namespace dateline
