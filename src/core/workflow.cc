#include "core/workflow.h"

namespace dateline {

namespace {

Status FieldError(std::string_view field, std::string_view reason) {
  return Status::InvalidArgument("field \"" + std::string(field) + "\": " + std::string(reason));
}

}  // namespace

Result<TransitionPlan> PlanTransition(PublishState from, std::optional<Seconds> current_time,
                                      PublishState to, std::optional<Seconds> requested_time,
                                      Seconds now) {
  using S = PublishState;
  TransitionPlan plan;
  plan.to = to;
  plan.published_at = requested_time ? requested_time : current_time;
  bool was_public = from == S::kPublished || from == S::kScheduled;
  switch (to) {
    case S::kDraft:
    case S::kReview:
      if (was_public) {
        return Fail(FieldError("status", "a " + std::string(PublishStateName(from)) +
                                             " story must be unpublished before it goes back to " +
                                             std::string(PublishStateName(to))));
      }
      plan.action = to == S::kReview && from != S::kReview ? Action::kSubmitForReview
                                                            : Action::kEditStory;
      return plan;
    case S::kScheduled:
      if (from == S::kPublished) {
        return Fail(FieldError("status", "a published story cannot be scheduled; unpublish it first"));
      }
      if (!plan.published_at) {
        return Fail(FieldError("published_at", "required to schedule a story"));
      }
      if (*plan.published_at <= now) {
        return Fail(FieldError("published_at", "must be in the future to schedule a story"));
      }
      plan.action = Action::kSchedule;
      return plan;
    case S::kPublished:
      if (from == S::kPublished) {
        if (requested_time && *requested_time > now) {
          return Fail(FieldError("published_at", "is in the future; a published story keeps a past time"));
        }
        plan.action = Action::kEditStory;
        return plan;
      }
      if (requested_time && *requested_time > now) {
        return Fail(FieldError("published_at", "is in the future; use status \"scheduled\""));
      }
      // A republished story keeps its first time; anything else goes out now
      // (a time left from an earlier schedule does not stick).
      if (requested_time) plan.published_at = requested_time;
      else if (from == S::kUnpublished && current_time && *current_time <= now) plan.published_at = current_time;
      else plan.published_at = now;
      plan.action = Action::kPublish;
      return plan;
    case S::kUnpublished:
      if (from == S::kUnpublished) {
        plan.action = Action::kEditStory;
        return plan;
      }
      if (!was_public) {
        return Fail(FieldError("status", "only a published or scheduled story can be unpublished"));
      }
      plan.published_at = current_time;
      plan.action = Action::kUnpublish;
      return plan;
  }
  return Fail(FieldError("status", "unknown status"));
}

}  // namespace dateline
