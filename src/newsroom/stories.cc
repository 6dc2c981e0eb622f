#include "newsroom/stories.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "core/workflow.h"
#include "interop/jsonl.h"
#include "text/slug.h"

namespace dateline::newsroom {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxNoteBytes = 2000;

Status FieldError(std::string_view field, std::string_view reason) {
  return Status::InvalidArgument("field \"" + std::string(field) + "\": " + std::string(reason));
}

Status Denied(std::string_view field, std::string_view reason) {
  return Status::PermissionDenied("field \"" + std::string(field) + "\": " + std::string(reason));
}

// The story's content, everything but the workflow's fields: two articles
// with equal content differ at most in status and times.
bool SameContent(const Article& a, const Article& b) {
  Article x = a;
  Article y = b;
  for (Article* z : {&x, &y}) {
    z->status = PublishState::kDraft;
    z->published_at.reset();
    z->updated_at.reset();
    z->id = 0;
    z->owner_id = 0;
    z->version = 0;
    z->created_at = 0;
    z->modified_at = 0;
  }
  return x == y;
}

std::string VerbFor(Action action, bool creating) {
  if (creating) return "create";
  switch (action) {
    case Action::kSubmitForReview: return "submit for review";
    case Action::kSchedule: return "schedule";
    case Action::kPublish: return "publish";
    case Action::kUnpublish: return "unpublish";
    default: return "save";
  }
}

std::string RoleRefusal(const User& by, Action action) {
  return "a " + std::string(RoleName(by.role)) + " may not " +
         std::string(ActionName(action)) + " here";
}

}  // namespace

std::string FieldOf(const Status& s) {
  const std::string& m = s.message();
  static constexpr std::string_view kPrefix = "field \"";
  std::size_t at = m.find(kPrefix);
  if (at != std::string::npos) {
    std::size_t start = at + kPrefix.size();
    std::size_t end = m.find('"', start);
    if (end != std::string::npos) return m.substr(start, end - start);
  }
  // The store's own messages start with the field: `slug "x": ...`, `headline: ...`.
  std::size_t end = m.find_first_of(" :");
  std::string first = m.substr(0, end);
  static const std::set<std::string, std::less<>> kKnown = {"slug", "headline", "body",
                                                            "section", "email", "name"};
  return kKnown.contains(first) ? first : "";
}

Stories::Stories(Store& store, const Clock& clock, TimeZone zone, std::string default_language,
                 PermalinkPattern permalink)
    : store_(store), clock_(clock), zone_(std::move(zone)),
      default_language_(std::move(default_language)), permalink_(std::move(permalink)) {}

bool Stories::May(const User& by, Action action, const Article& a) {
  return !by.disabled && Allowed(by.role, action, a.owner_id == by.id, a.status);
}

nlohmann::ordered_json Stories::ToJson(const Article& a) const {
  nlohmann::ordered_json j;
  j["id"] = a.id;
  j["version"] = a.version;
  j["owner_id"] = a.owner_id;
  nlohmann::ordered_json fields = ArticleToJson(a, zone_);
  for (auto& [key, value] : fields.items()) j[key] = value;
  j["created_at"] = FormatRfc3339(a.created_at, zone_);
  j["modified_at"] = FormatRfc3339(a.modified_at, zone_);
  return j;
}

bool Stories::IsDue(const Article& a) const {
  return a.status == PublishState::kScheduled && IsVisible(a, clock_.Now());
}

bool Stories::PublishDue() {
  auto ids = store_.PublishDue(clock_.Now());
  if (!ids) {
    // The Scheduler will try again; meanwhile the story shows as scheduled.
    spdlog::warn("publishing due stories: {}", ids.error().ToString());
    return false;
  }
  return !ids->empty();
}

Result<Article> Stories::Get(std::int64_t id) {
  auto a = store_.GetArticle(id);
  if (a && IsDue(*a) && PublishDue()) return store_.GetArticle(id);
  return a;
}

Result<Stories::Page> Stories::List(const ArticleQuery& q) {
  auto read = [&]() -> Result<Page> {
    auto total = store_.CountArticles(q);
    if (!total) return Fail(total.error());
    auto list = store_.ListArticles(q);
    if (!list) return Fail(list.error());
    return Page{*total, std::move(*list)};
  };
  auto page = read();
  // A due story listed as scheduled: list again once it is published.
  if (page && std::any_of(page->stories.begin(), page->stories.end(),
                          [&](const Article& a) { return IsDue(a); }) &&
      PublishDue()) {
    page = read();
  }
  return page;
}

Result<Article> Stories::Create(const User& by, const json& fields) {
  if (!fields.is_object()) return Fail(FieldError("", "expected a JSON object"));
  if (by.disabled || !Allowed(by.role, Action::kCreateStory, true)) {
    return Fail(Denied("", RoleRefusal(by, Action::kCreateStory)));
  }
  Article blank;
  blank.owner_id = by.id;
  return Apply(by, blank, fields, /*creating=*/true, std::nullopt, "");
}

Result<Article> Stories::Update(const User& by, std::int64_t id, const json& patch,
                                std::optional<std::int64_t> expected_version,
                                std::string_view note) {
  if (!patch.is_object()) return Fail(FieldError("", "expected a JSON object"));
  auto current = Get(id);
  if (!current) return Fail(current.error());
  return Apply(by, *current, patch, /*creating=*/false, expected_version, note);
}

Result<Article> Stories::Apply(const User& by, Article current, const json& patch_in,
                               bool creating, std::optional<std::int64_t> expected_version,
                               std::string_view note) {
  if (by.disabled) return Fail(Status::PermissionDenied("the account is disabled"));
  json patch = patch_in;
  // Fields the bulk format does not have: the version the client edited
  // (for the stale check) and read-only ones the API returned to it.
  if (auto v = patch.find("version"); v != patch.end()) {
    if (!v->is_null() && !v->is_number_integer()) {
      return Fail(FieldError("version", "expected the integer version you edited"));
    }
    if (v->is_number_integer() && !expected_version) expected_version = v->get<std::int64_t>();
    patch.erase(v);
  }
  for (const char* read_only : {"id", "owner_id", "created_at", "modified_at", "url"}) {
    patch.erase(read_only);
  }
  bool own = creating || current.owner_id == by.id;
  Seconds now = clock_.Now();

  json merged = creating ? json::object() : json(ArticleToJson(current, zone_));
  if (creating) merged["status"] = "draft";
  merged.merge_patch(patch);
  if (creating && !merged.contains("authors") && !by.name.empty()) {
    merged["authors"] = json::array({by.name});
  }
  // The workflow decides status and time; the import's defaults do not.
  json parse = merged;
  parse["status"] = "draft";
  JsonlImportOptions options;
  options.default_language = default_language_;
  options.zone = zone_;
  options.now = now;
  Article next;
  std::vector<FieldProblem> problems = ArticleFromJson(parse, options, next);
  std::optional<PublishState> requested_status;
  if (auto s = merged.find("status"); s != merged.end() && s->is_string()) {
    auto parsed = ParsePublishState(s->get<std::string>());
    if (parsed) requested_status = *parsed;
    else problems.push_back({"status", parsed.error().message()});
  } else if (s != merged.end()) {
    problems.push_back({"status", "expected a string"});
  }
  if (!problems.empty()) {
    std::string message;
    for (const FieldProblem& p : problems) {
      if (!message.empty()) message += "; ";
      message += "field \"" + p.field + "\": " + p.reason;
    }
    return Fail(Status::InvalidArgument(message));
  }
  std::optional<Seconds> requested_time;
  if (auto t = patch.find("published_at"); t != patch.end() && !t->is_null()) {
    requested_time = next.published_at;
  }
  PublishState from = creating ? PublishState::kDraft : current.status;
  auto plan = PlanTransition(from, current.published_at, requested_status.value_or(from),
                             requested_time, now);
  if (!plan) return Fail(plan.error());

  next.id = current.id;
  next.owner_id = creating ? by.id : current.owner_id;
  next.status = plan->to;
  next.published_at = plan->published_at;
  next.updated_at = current.updated_at;
  bool content_changed = creating || !SameContent(current, next);

  // The role policy: the content edit and the status change each need
  // their own permission, judged on the story as it was.
  if (content_changed && !creating && !Allowed(by.role, Action::kEditStory, own, current.status)) {
    return Fail(Denied("", RoleRefusal(by, Action::kEditStory)));
  }
  if (plan->action != Action::kEditStory && !Allowed(by.role, plan->action, own, current.status)) {
    return Fail(Denied("status", RoleRefusal(by, plan->action)));
  }
  if (next.related_pins != current.related_pins &&
      !Allowed(by.role, Action::kManagePins, own, current.status)) {
    return Fail(Denied("related_pins", "only editors set related pins"));
  }
  if (!next.section.empty() && next.section != current.section &&
      !Allowed(by.role, Action::kManageTaxonomy, own, current.status)) {
    auto section = store_.GetSection(next.section);
    if (!section) {
      if (!section.error().IsNotFound()) return Fail(section.error());
      return Fail(FieldError("section", "no section \"" + next.section +
                                            "\" exists; an editor creates sections"));
    }
  }
  if (next.slug.empty()) {
    next.slug = UniqueSlug(Slugify(next.headline), [&](std::string_view s) {
      auto other = store_.GetArticleBySlug(s);
      return other.has_value() && other->id != next.id;
    });
  }
  // A published story edited in place is "updated" from now on.
  if (!creating && content_changed && current.status == PublishState::kPublished &&
      next.status == PublishState::kPublished) {
    next.updated_at = now;
  }
  if (!content_changed && plan->to == current.status && next.published_at == current.published_at) {
    return current;  // nothing to save (and so no permission needed)
  }
  std::string verb = note.empty() ? VerbFor(plan->action, creating) : std::string(note);
  // Links to a published story keep working when it moves.
  std::string old_path, new_path;
  if (!creating && current.status == PublishState::kPublished &&
      next.status == PublishState::kPublished) {
    old_path = permalink_.Build(current, zone_);
    new_path = permalink_.Build(next, zone_);
  }
  Status tx = store_.Transaction([&]() -> Status {
    DL_RETURN_IF_ERROR(store_.SaveArticle(next, expected_version));
    if (old_path != new_path) DL_RETURN_IF_ERROR(store_.PutRedirect({old_path, new_path}));
    return AddRevision(next, by, verb);
  });
  if (!tx.ok()) return Fail(tx);
  return next;
}

Status Stories::AddRevision(const Article& a, const User& by, std::string_view note) {
  Revision r;
  r.article_id = a.id;
  r.user_id = by.id;
  r.at = clock_.Now();
  r.note = std::string(note);
  r.content = ArticleToJson(a, zone_).dump(-1, ' ', false, json::error_handler_t::replace);
  return store_.AddRevision(r);
}

Status Stories::Delete(const User& by, std::int64_t id) {
  auto current = Get(id);
  if (!current) return current.error();
  if (!May(by, Action::kDeleteStory, *current)) {
    return Denied("", RoleRefusal(by, Action::kDeleteStory));
  }
  return store_.DeleteArticle(id);
}

Result<Correction> Stories::Correct(const User& by, std::int64_t id, std::string_view note) {
  auto current = Get(id);
  if (!current) return Fail(current.error());
  if (!May(by, Action::kCorrect, *current)) {
    return Fail(Denied("", RoleRefusal(by, Action::kCorrect)));
  }
  Seconds now = clock_.Now();
  if (!IsVisible(*current, now)) {
    return Fail(FieldError("status", "only a published story can be corrected"));
  }
  std::string text(note);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  if (text.empty()) return Fail(FieldError("note", "required: say what was wrong and what is right"));
  if (text.size() > kMaxNoteBytes) {
    return Fail(FieldError("note", "at most " + std::to_string(kMaxNoteBytes) + " bytes"));
  }
  Correction c;
  c.article_id = id;
  c.user_id = by.id;
  c.at = now;
  c.note = text;
  Article next = *current;
  next.updated_at = now;
  Status tx = store_.Transaction([&]() -> Status {
    DL_RETURN_IF_ERROR(store_.AddCorrection(c));
    DL_RETURN_IF_ERROR(store_.SaveArticle(next));
    return AddRevision(next, by, "correction: " + text);
  });
  if (!tx.ok()) return Fail(tx);
  return c;
}

Result<Article> Stories::Restore(const User& by, std::int64_t id, std::int64_t revision_id) {
  auto revision = store_.GetRevision(revision_id);
  if (!revision) return Fail(revision.error());
  if (revision->article_id != id) {
    return Fail(Status::NotFound("revision " + std::to_string(revision_id) + " of story " +
                                 std::to_string(id)));
  }
  json content = json::parse(revision->content, nullptr, /*allow_exceptions=*/false);
  if (!content.is_object()) {
    return Fail(Status::Corruption("revision " + std::to_string(revision_id) + " is not JSON"));
  }
  // The content comes back; the workflow state stays as it is now.
  for (const char* field : {"status", "published_at", "updated_at"}) content.erase(field);
  // Fields absent from the old revision are cleared, not kept.
  auto current = Get(id);
  if (!current) return Fail(current.error());
  nlohmann::ordered_json now_fields = ArticleToJson(*current, zone_);
  for (auto& [key, value] : now_fields.items()) {
    if (!content.contains(key) && key != "status" && key != "published_at" && key != "updated_at") {
      content[key] = nullptr;
    }
  }
  return Apply(by, *current, content, /*creating=*/false, std::nullopt,
               "restore revision " + std::to_string(revision_id));
}

}  // namespace dateline::newsroom
