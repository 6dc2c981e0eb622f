#include "core/workflow.h"

#include <gtest/gtest.h>

#include "core/user.h"

namespace dateline {
namespace {

using S = PublishState;
constexpr Seconds kNow = 1'000'000;

TEST(RolesTest, ParseAndNameRoundTrip) {
  for (Role r : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)).value(), r);
  }
  auto bad = ParseRole("owner");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("\"owner\""), std::string::npos);
}

TEST(RolesTest, ContributorWritesOwnDraftsOnly) {
  EXPECT_TRUE(Allowed(Role::kContributor, Action::kCreateStory, true));
  EXPECT_TRUE(Allowed(Role::kContributor, Action::kEditStory, true, S::kDraft));
  EXPECT_TRUE(Allowed(Role::kContributor, Action::kSubmitForReview, true, S::kDraft));
  EXPECT_FALSE(Allowed(Role::kContributor, Action::kEditStory, false, S::kDraft));
  EXPECT_FALSE(Allowed(Role::kContributor, Action::kEditStory, true, S::kPublished));
  EXPECT_FALSE(Allowed(Role::kContributor, Action::kPublish, true, S::kDraft));
  EXPECT_FALSE(Allowed(Role::kContributor, Action::kSchedule, true, S::kDraft));
  EXPECT_FALSE(Allowed(Role::kContributor, Action::kUploadMedia, true));
  EXPECT_FALSE(Allowed(Role::kContributor, Action::kDeleteStory, true, S::kReview));
  EXPECT_TRUE(Allowed(Role::kContributor, Action::kDeleteStory, true, S::kDraft));
}

TEST(RolesTest, AuthorPublishesOwnStoriesOnly) {
  for (Action a : {Action::kEditStory, Action::kPublish, Action::kSchedule, Action::kUnpublish,
                   Action::kCorrect, Action::kDeleteStory}) {
    EXPECT_TRUE(Allowed(Role::kAuthor, a, true, S::kPublished)) << ActionName(a);
    EXPECT_FALSE(Allowed(Role::kAuthor, a, false, S::kPublished)) << ActionName(a);
  }
  EXPECT_FALSE(Allowed(Role::kAuthor, Action::kManagePins, true));
  EXPECT_FALSE(Allowed(Role::kAuthor, Action::kManageTaxonomy, true));
}

TEST(RolesTest, EditorsActOnAnyoneAdminsAlsoOnUsers) {
  for (Role r : {Role::kEditor, Role::kAdmin}) {
    for (Action a : {Action::kEditStory, Action::kPublish, Action::kUnpublish, Action::kManagePins,
                     Action::kManageTaxonomy, Action::kDeleteStory}) {
      EXPECT_TRUE(Allowed(r, a, false, S::kPublished)) << ActionName(a);
    }
  }
  EXPECT_FALSE(Allowed(Role::kEditor, Action::kManageUsers, false));
  EXPECT_FALSE(Allowed(Role::kEditor, Action::kManageSettings, false));
  EXPECT_TRUE(Allowed(Role::kAdmin, Action::kManageUsers, false));
  EXPECT_TRUE(Allowed(Role::kAdmin, Action::kManageSettings, false));
}

TEST(EmailTest, PlausibleAddresses) {
  EXPECT_TRUE(IsValidEmail("ann@news.example"));
  EXPECT_TRUE(IsValidEmail("a.b+desk@sub.news.example"));
  for (const char* bad : {"", "ann", "@news.example", "ann@", "ann@news", "a@b@c.d", "a b@c.d",
                          "ann@news.", "<a>@b.c"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
}

TEST(WorkflowTest, DraftToReviewIsSubmitting) {
  auto p = PlanTransition(S::kDraft, std::nullopt, S::kReview, std::nullopt, kNow);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->action, Action::kSubmitForReview);
  EXPECT_EQ(p->to, S::kReview);
}

TEST(WorkflowTest, SchedulingNeedsAFutureTime) {
  auto none = PlanTransition(S::kDraft, std::nullopt, S::kScheduled, std::nullopt, kNow);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("\"published_at\""), std::string::npos);
  EXPECT_FALSE(PlanTransition(S::kDraft, std::nullopt, S::kScheduled, kNow, kNow).has_value());
  auto ok = PlanTransition(S::kReview, std::nullopt, S::kScheduled, kNow + 60, kNow);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->action, Action::kSchedule);
  EXPECT_EQ(ok->published_at, kNow + 60);
  // Rescheduling a scheduled story to another future time.
  auto again = PlanTransition(S::kScheduled, kNow + 60, S::kScheduled, kNow + 600, kNow);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->action, Action::kSchedule);
  EXPECT_FALSE(PlanTransition(S::kPublished, kNow - 5, S::kScheduled, kNow + 60, kNow).has_value());
}

TEST(WorkflowTest, PublishingSetsTheTime) {
  auto now = PlanTransition(S::kDraft, std::nullopt, S::kPublished, std::nullopt, kNow);
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->published_at, kNow);
  EXPECT_EQ(now->action, Action::kPublish);
  // A backdated time is kept; a future one is refused.
  EXPECT_EQ(PlanTransition(S::kDraft, std::nullopt, S::kPublished, kNow - 3600, kNow)->published_at,
            kNow - 3600);
  EXPECT_FALSE(PlanTransition(S::kDraft, std::nullopt, S::kPublished, kNow + 1, kNow).has_value());
  // Publishing a scheduled story early: now, not the old future time.
  EXPECT_EQ(PlanTransition(S::kScheduled, kNow + 600, S::kPublished, std::nullopt, kNow)->published_at,
            kNow);
  // Republishing keeps the first time.
  EXPECT_EQ(PlanTransition(S::kUnpublished, kNow - 99, S::kPublished, std::nullopt, kNow)->published_at,
            kNow - 99);
}

TEST(WorkflowTest, PublicStoriesAreUnpublishedBeforeGoingBack) {
  for (S to : {S::kDraft, S::kReview}) {
    auto p = PlanTransition(S::kPublished, kNow - 5, to, std::nullopt, kNow);
    ASSERT_FALSE(p.has_value());
    EXPECT_NE(p.error().message().find("unpublished"), std::string::npos);
  }
  auto un = PlanTransition(S::kPublished, kNow - 5, S::kUnpublished, std::nullopt, kNow);
  ASSERT_TRUE(un.has_value());
  EXPECT_EQ(un->action, Action::kUnpublish);
  EXPECT_FALSE(PlanTransition(S::kDraft, std::nullopt, S::kUnpublished, std::nullopt, kNow).has_value());
  auto back = PlanTransition(S::kUnpublished, kNow - 5, S::kDraft, std::nullopt, kNow);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->action, Action::kEditStory);
}

TEST(WorkflowTest, SameStatusIsAnEdit) {
  auto p = PlanTransition(S::kPublished, kNow - 5, S::kPublished, std::nullopt, kNow);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->action, Action::kEditStory);
  EXPECT_EQ(p->published_at, kNow - 5);
}

}  // namespace
}  // namespace dateline
