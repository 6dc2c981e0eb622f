// The editorial workflow: which status changes exist, which role action
// each one needs, and what publish time results.
//
//   draft <-> review -> scheduled (future time) -> published -> unpublished
//   (draft/review/unpublished -> published directly when allowed; an
//   edit of a published story makes it "updated": updated_at is set)
//
// Pure functions, no I/O; src/newsroom/ applies them for the admin UI and
// the API alike, so both enforce the same rules.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "core/article.h"
#include "core/user.h"

namespace dateline {

struct TransitionPlan {
  PublishState to = PublishState::kDraft;
  std::optional<Seconds> published_at;  // the story's publish time after the change
  Action action = Action::kEditStory;   // what the user must be Allowed() to do
};

// Plans moving a story from `from` (with its current publish time) to
// `to`, with `requested_time` when the user gave one. InvalidArgument
// names the field ("status" or "published_at") and says why: scheduling
// needs a future time, publishing refuses a future one, a published
// story is unpublished before it goes back to draft, and so on. `to ==
// from` is an edit (Action::kEditStory), except that a scheduled story
// may be given a new future time (kSchedule).
Result<TransitionPlan> PlanTransition(PublishState from, std::optional<Seconds> current_time,
                                      PublishState to, std::optional<Seconds> requested_time,
                                      Seconds now);

}  // namespace dateline
