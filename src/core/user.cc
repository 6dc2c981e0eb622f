#include "core/user.h"

#include <array>

namespace dateline {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kContributor: return "contributor";
    case Role::kAuthor: return "author";
    case Role::kEditor: return "editor";
    case Role::kAdmin: return "admin";
  }
  return "contributor";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
    if (RoleName(r) == name) return r;
  }
  return Fail(Status::InvalidArgument("unknown role \"" + std::string(name) +
                                      "\" (expected contributor, author, editor or admin)"));
}

bool IsValidEmail(std::string_view email) {
  if (email.empty() || email.size() > 254) return false;
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',') return false;
  }
  std::string_view domain = email.substr(at + 1);
  std::size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kCreateStory: return "create_story";
    case Action::kEditStory: return "edit_story";
    case Action::kSubmitForReview: return "submit_for_review";
    case Action::kPublish: return "publish";
    case Action::kSchedule: return "schedule";
    case Action::kUnpublish: return "unpublish";
    case Action::kDeleteStory: return "delete_story";
    case Action::kCorrect: return "correct";
    case Action::kPreview: return "preview";
    case Action::kUploadMedia: return "upload_media";
    case Action::kManageTaxonomy: return "manage_taxonomy";
    case Action::kManagePins: return "manage_pins";
    case Action::kManageUsers: return "manage_users";
    case Action::kManageSettings: return "manage_settings";
  }
  return "unknown";
}

bool Allowed(Role role, Action action, bool own, PublishState status) {
  bool editor = role == Role::kEditor || role == Role::kAdmin;
  bool author = role == Role::kAuthor;
  bool unpublished_draft = status == PublishState::kDraft || status == PublishState::kReview ||
                           status == PublishState::kUnpublished;
  switch (action) {
    case Action::kCreateStory:
      return true;
    case Action::kEditStory:
    case Action::kSubmitForReview:
    case Action::kPreview:
      if (editor) return true;
      if (author) return own;
      // A contributor: own stories that are not (yet) in readers' hands.
      return own && unpublished_draft;
    case Action::kDeleteStory:
      if (editor) return true;
      if (author) return own;
      return own && status == PublishState::kDraft;
    case Action::kPublish:
    case Action::kSchedule:
    case Action::kUnpublish:
    case Action::kCorrect:
      return editor || (author && own);
    case Action::kUploadMedia:
      return editor || author;
    case Action::kManageTaxonomy:
    case Action::kManagePins:
      return editor;
    case Action::kManageUsers:
    case Action::kManageSettings:
      return role == Role::kAdmin;
  }
  return false;
}

}  // namespace dateline
