#include "core/article.h"

namespace dateline {

std::string_view PublishStateName(PublishState s) {
  switch (s) {
    case PublishState::kDraft: return "draft";
    case PublishState::kReview: return "review";
    case PublishState::kScheduled: return "scheduled";
    case PublishState::kPublished: return "published";
    case PublishState::kUnpublished: return "unpublished";
  }
  return "draft";
}

Result<PublishState> ParsePublishState(std::string_view name) {
  for (auto s : {PublishState::kDraft, PublishState::kReview, PublishState::kScheduled,
                 PublishState::kPublished, PublishState::kUnpublished}) {
    if (PublishStateName(s) == name) return s;
  }
  return Fail(Status::InvalidArgument("unknown status \"" + std::string(name) +
                                      "\" (expected draft, review, scheduled, published or unpublished)"));
}

std::string_view BodyFormatName(BodyFormat f) {
  return f == BodyFormat::kHtml ? "html" : "markdown";
}

Result<BodyFormat> ParseBodyFormat(std::string_view name) {
  if (name == "markdown") return BodyFormat::kMarkdown;
  if (name == "html") return BodyFormat::kHtml;
  return Fail(Status::InvalidArgument("unknown body_format \"" + std::string(name) +
                                      "\" (expected markdown or html)"));
}

bool IsVisible(PublishState status, std::optional<Seconds> published_at, Seconds now) {
  if (status != PublishState::kPublished && status != PublishState::kScheduled) return false;
  return published_at.has_value() && *published_at <= now;
}

bool IsVisible(const Article& a, Seconds now) { return IsVisible(a.status, a.published_at, now); }

bool IsValidSlug(std::string_view s) {
  if (s.empty() || s.size() > kMaxSlugLength || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string TitleCaseFromSlug(std::string_view slug) {
  std::string out;
  bool start = true;
  for (char c : slug) {
    if (c == '-' || c == '_') {
      out += ' ';
      start = true;
    } else {
      out += start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      start = false;
    }
  }
  return out;
}

}  // namespace dateline
