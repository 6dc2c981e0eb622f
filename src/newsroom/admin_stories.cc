// Admin: the story list, the editor and what it posts (saves through the
// workflow, autosave, corrections), the body preview and the story preview.
#include <algorithm>
#include <map>

#include "base/escape.h"
#include "interop/jsonl.h"
#include "newsroom/admin.h"
#include "newsroom/admin_util.h"
#include "text/markdown.h"

namespace dateline::newsroom {

using nlohmann::json;
using namespace admin;

namespace {

constexpr std::size_t kMaxSearchBytes = 200;

struct StatusWord {
  std::string_view action;   // the button's value
  std::string_view status;   // the status it asks for ("" = keep)
  std::string_view done;     // the word for the message after it
};

constexpr StatusWord kActions[] = {
    {"save", "draft", "saved"},
    {"submit", "review", "submitted"},
    {"schedule", "scheduled", "scheduled"},
    {"publish", "published", "published"},
    {"update", "", "updated"},
    {"unpublish", "unpublished", "unpublished"},
};

std::string DoneMessage(std::string_view done) {
  static const std::map<std::string_view, std::string_view> kMessages = {
      {"saved", "Draft saved."},
      {"submitted", "Submitted for review."},
      {"scheduled", "Scheduled."},
      {"published", "Published."},
      {"updated", "Updated."},
      {"unpublished", "Unpublished: readers no longer see this story."},
      {"corrected", "Correction added."},
      {"restored", "Revision restored."},
      {"deleted", "The story was deleted."},
  };
  auto it = kMessages.find(done);
  return it == kMessages.end() ? std::string() : std::string(it->second);
}

std::string StatusLabel(PublishState s) {
  switch (s) {
    case PublishState::kDraft: return "Draft";
    case PublishState::kReview: return "In review";
    case PublishState::kScheduled: return "Scheduled";
    case PublishState::kPublished: return "Published";
    case PublishState::kUnpublished: return "Unpublished";
  }
  return "Draft";
}

// Drops empty strings, arrays, objects and nulls, so two stories compare
// equal when they differ only in how "nothing" is written.
json Compact(const json& j) {
  if (!j.is_object()) return j;
  json out = json::object();
  for (const auto& [key, value] : j.items()) {
    json v = Compact(value);
    bool empty = v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
                 (v.is_array() && v.empty()) || (v.is_object() && v.empty());
    if (!empty) out[key] = v;
  }
  return out;
}

// The form fields a JSON autosave body carries, as a Form.
Form FormFromJson(const json& body) {
  Form f;
  for (const auto& [key, value] : body.items()) {
    if (value.is_string()) f.Set(key, value.get<std::string>());
    else if (value.is_boolean() && value.get<bool>()) f.Set(key, "on");
    else if (value.is_number_integer()) f.Set(key, std::to_string(value.get<std::int64_t>()));
  }
  // Line breaks as the HTML form would send them after Form::Parse.
  Form out;
  for (const auto& [key, value] : f.fields()) {
    std::string v;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\r') {
        v.push_back('\n');
        if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
      } else {
        v.push_back(value[i]);
      }
    }
    out.Set(key, std::move(v));
  }
  return out;
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    out += out.empty() ? "?" : "&";
    out += key + "=" + EscapeUrlComponent(value);
  }
  return out;
}

}  // namespace

// --- The list ---

http::Response Admin::StoryList(const Ctx& c) {
  const http::Request& req = c.req;
  ArticleQuery q;
  std::string status = req.QueryParam("status");
  if (auto st = ParsePublishState(status); !status.empty() && st) q.statuses = {*st};
  else status.clear();
  q.section_slug = req.QueryParam("section");
  q.author_slug = req.QueryParam("author");
  std::string search(Trim(req.QueryParam("q")));
  if (search.size() > kMaxSearchBytes) search.resize(kMaxSearchBytes);
  q.headline_contains = search;
  std::string sort = req.QueryParam("sort");
  if (sort == "published") q.order = ArticleOrder::kPublishedNewest;
  else if (sort == "headline") q.order = ArticleOrder::kHeadline;
  else {
    sort = "modified";
    q.order = ArticleOrder::kModifiedNewest;
  }
  int page = std::min(IntParam(req, "page", 1), std::max(settings_.max_page, 1));
  q.limit = kStoriesPerPage;
  q.offset = (page - 1) * kStoriesPerPage;

  auto listed = stories_.List(q);
  if (!listed) return StatusPage(&c, listed.error());
  auto users = store_.ListUsers();
  if (!users) return StatusPage(&c, users.error());
  std::map<std::int64_t, std::string> names;
  for (const User& u : *users) names[u.id] = u.name;
  auto sections = store_.ListSections();
  if (!sections) return StatusPage(&c, sections.error());
  auto authors = store_.ListAuthors();
  if (!authors) return StatusPage(&c, authors.error());
  std::map<std::string, std::string> section_names;
  for (const Section& s : *sections) section_names[s.slug] = s.name;

  json model = {{"title", "Stories"}, {"nav_stories", true}, {"q", search}};
  json statuses = json::array({{{"value", ""}, {"label", "Any status"}, {"selected", status.empty()}}});
  for (PublishState s : {PublishState::kDraft, PublishState::kReview, PublishState::kScheduled,
                         PublishState::kPublished, PublishState::kUnpublished}) {
    std::string name(PublishStateName(s));
    statuses.push_back({{"value", name}, {"label", StatusLabel(s)}, {"selected", name == status}});
  }
  model["statuses"] = statuses;
  json section_options = json::array();
  for (const Section& s : *sections) {
    section_options.push_back(
        {{"value", s.slug}, {"label", s.name}, {"selected", s.slug == q.section_slug}});
  }
  model["sections"] = section_options;
  json author_options = json::array();
  for (const Author& a : *authors) {
    author_options.push_back(
        {{"value", a.slug}, {"label", a.name}, {"selected", a.slug == q.author_slug}});
  }
  model["authors"] = author_options;
  model["sorts"] = json::array(
      {{{"value", "modified"}, {"label", "Last modified"}, {"selected", sort == "modified"}},
       {{"value", "published"}, {"label", "Publish time"}, {"selected", sort == "published"}},
       {{"value", "headline"}, {"label", "Headline"}, {"selected", sort == "headline"}}});

  json rows = json::array();
  for (const Article& a : listed->stories) {
    json row = {{"id", a.id},
                {"headline", a.headline},
                {"edit_url", "/admin/stories/" + std::to_string(a.id)},
                {"status", PublishStateName(a.status)},
                {"status_label", StatusLabel(a.status)},
                {"authors", JoinList(a.authors)},
                {"modified", Time(a.modified_at)},
                {"owner", a.owner_id == 0 ? std::string("(import)")
                                          : names.contains(a.owner_id) ? names[a.owner_id]
                                                                       : std::string("(unknown)")}};
    if (!a.section.empty()) {
      row["section"] = section_names.contains(a.section) ? section_names[a.section] : a.section;
    }
    if (a.published_at) row["published"] = Time(*a.published_at);
    if (a.featured) row["featured"] = true;
    rows.push_back(row);
  }
  model["stories"] = rows;
  model["total"] = listed->total;
  std::int64_t pages = std::max<std::int64_t>(1, (listed->total + kStoriesPerPage - 1) / kStoriesPerPage);
  model["page"] = page;
  model["pages"] = pages;
  std::vector<std::pair<std::string, std::string>> params = {
      {"status", status}, {"section", q.section_slug}, {"author", q.author_slug},
      {"q", search}, {"sort", sort == "modified" ? "" : sort}};
  auto page_url = [&](int n) {
    auto p = params;
    if (n > 1) p.emplace_back("page", std::to_string(n));
    return "/admin/" + QueryString(p);
  };
  if (page > 1) model["prev_url"] = page_url(page - 1);
  if (page < pages) model["next_url"] = page_url(page + 1);
  model["notice"] = DoneMessage(req.QueryParam("done"));
  return Page(&c, 200, "stories", std::move(model));
}

// --- The editor ---

Form Admin::FormOf(const Article& a) const {
  Form f;
  f.Set("headline", a.headline);
  f.Set("dek", a.dek);
  f.Set("dateline", a.dateline);
  f.Set("section", a.section);
  f.Set("tags", JoinList(a.tags));
  f.Set("authors", JoinList(a.authors));
  f.Set("body", a.body);
  f.Set("body_format", std::string(BodyFormatName(a.body_format)));
  f.Set("excerpt", a.excerpt);
  f.Set("published_at", a.published_at ? LocalInputTime(*a.published_at, settings_.zone) : "");
  f.Set("related_pins", JoinList(a.related_pins));
  if (a.lead_image) {
    f.Set("lead_image_url", a.lead_image->url);
    f.Set("lead_image_alt", a.lead_image->alt);
    f.Set("lead_image_caption", a.lead_image->caption);
    f.Set("lead_image_credit", a.lead_image->credit);
  }
  if (a.featured) f.Set("featured", "on");
  f.Set("seo_title", a.seo_title);
  f.Set("seo_description", a.seo_description);
  if (a.id != 0) f.Set("version", std::to_string(a.version));
  return f;
}

json Admin::PatchOf(const Form& f, const Article& current, bool creating,
                    FieldErrors& errors) const {
  // Only the fields the form (or the autosave) sent are changed. An
  // unticked checkbox sends nothing, so the editor form says that it
  // showed Featured with a hidden "has_featured".
  json patch = json::object();
  auto line = [&](std::string_view name) { return std::string(Trim(f.Get(name))); };
  for (const char* name : {"headline", "dek", "dateline"}) {
    if (f.Has(name)) patch[name] = line(name);
  }
  if (f.Has("body")) patch["body"] = f.Get("body");
  if (std::string format = line("body_format"); !format.empty()) patch["body_format"] = format;
  if (f.Has("excerpt")) patch["excerpt"] = std::string(Trim(f.Get("excerpt")));
  for (const char* name : {"seo_title", "seo_description"}) {
    if (f.Has(name)) patch[name] = line(name);
  }
  if (f.Has("section")) {
    std::string section = line("section");
    patch["section"] = section.empty() ? json(nullptr) : json(section);
  }
  if (f.Has("tags")) patch["tags"] = SplitList(f.Get("tags"));
  if (f.Has("authors")) {
    std::vector<std::string> authors = SplitList(f.Get("authors"));
    if (!authors.empty() || !creating) patch["authors"] = authors;
  }
  if (f.Has("related_pins")) patch["related_pins"] = SplitList(f.Get("related_pins"));
  if (f.Has("featured") || f.Has("has_featured")) {
    std::string featured = f.Get("featured");
    patch["featured"] = !featured.empty() && featured != "0" && featured != "false";
  }

  if (f.Has("lead_image_url")) {
    std::string url = line("lead_image_url");
    std::string alt = line("lead_image_alt");
    std::string caption = line("lead_image_caption");
    std::string credit = line("lead_image_credit");
    if (url.empty()) {
      if (!alt.empty() || !caption.empty() || !credit.empty()) {
        errors["lead_image_url"] =
            "Upload an image or give its URL (the alt text, caption and credit need one)";
      }
      patch["lead_image"] = nullptr;
    } else {
      patch["lead_image"] = {{"url", url}, {"alt", alt}, {"caption", caption}, {"credit", credit}};
    }
  }

  std::string when = line("published_at");
  std::string shown =
      current.published_at ? LocalInputTime(*current.published_at, settings_.zone) : "";
  if (!when.empty() && (creating || when != shown)) {
    auto t = ParseLocalInputTime(when, settings_.zone);
    if (t) patch["published_at"] = FormatRfc3339(*t, settings_.zone);
    else errors["published_at"] = "Use a date and time like 2025-05-06 14:30";
  }
  return patch;
}

http::Response Admin::EditStory(const Ctx& c, std::optional<std::int64_t> id) {
  EditorState s;
  if (id) {
    auto a = stories_.Get(*id);
    if (!a) return StatusPage(&c, a.error());
    s.story = *a;
    s.notice = DoneMessage(c.req.QueryParam("done"));
  } else {
    s.is_new = true;
    s.story.owner_id = c.user().id;
    s.story.authors = {c.user().name};
  }
  s.values = FormOf(s.story);
  return EditorPage(c, 200, s);
}

http::Response Admin::SaveStory(const Ctx& c, std::optional<std::int64_t> id) {
  const Form& f = c.form;
  const User& user = c.user();
  EditorState s;
  s.is_new = !id;
  s.values = f;
  if (id) {
    auto a = stories_.Get(*id);
    if (!a) return StatusPage(&c, a.error());
    s.story = *a;
  } else {
    s.story.owner_id = user.id;
  }
  std::string action = f.Get("action");
  if (action == "delete") {
    if (!id) {
      http::Response r = http::Response::Redirect(303, "/admin/");
      Harden(r);
      return r;
    }
    Status st = stories_.Delete(user, *id);
    if (!st.ok()) {
      s.error = ErrorsOf(st)[""];
      if (s.error.empty()) s.error = Capitalized(st.message());
      return EditorPage(c, HttpStatusOf(st), s);
    }
    http::Response r = http::Response::Redirect(303, "/admin/?done=deleted");
    Harden(r);
    return r;
  }
  const StatusWord* word = nullptr;
  for (const StatusWord& w : kActions) {
    if (w.action == action) word = &w;
  }
  if (word == nullptr) {
    s.error = "Choose what to do with the story (Save draft, Publish, ...).";
    return EditorPage(c, 400, s);
  }
  if (s.is_new && word->status.empty()) word = &kActions[0];  // "Update" of a new story saves it

  FieldErrors errors;
  json patch = PatchOf(f, s.story, s.is_new, errors);
  if (!errors.empty()) {
    s.errors = std::move(errors);
    s.error = "Please correct the fields marked below; nothing was saved.";
    return EditorPage(c, 422, s);
  }
  if (!word->status.empty()) patch["status"] = std::string(word->status);
  std::optional<std::int64_t> expected;
  if (id) expected = ParseId(f.Get("version"));

  Result<Article> saved = id ? stories_.Update(user, *id, patch, expected)
                             : stories_.Create(user, patch);
  if (!saved) {
    const Status& e = saved.error();
    if (e.IsConflict() && id && expected) {
      auto now = stories_.Get(*id);
      if (now && now->version != *expected) {
        s.stale = true;
        s.error = "Someone else saved this story while you were editing it (you started from "
                  "version " + std::to_string(*expected) + "; it is now version " +
                  std::to_string(now->version) + ", saved " + Time(now->modified_at) +
                  "). Nothing was saved. Your text is kept below: open the current version, "
                  "then copy your changes into it.";
        return EditorPage(c, 409, s);
      }
    }
    s.errors = ErrorsOf(e);
    s.error = s.errors[""];
    s.errors.erase("");
    if (s.error.empty()) {
      s.error = e.IsInvalidArgument() ? "Please correct the fields marked below; nothing was saved."
                                      : Capitalized(e.message()) + ".";
    }
    return EditorPage(c, HttpStatusOf(e), s);
  }
  http::Response r = http::Response::Redirect(
      303, "/admin/stories/" + std::to_string(saved->id) + "?done=" + std::string(word->done));
  Harden(r);
  return r;
}

http::Response Admin::EditorPage(const Ctx& c, int status, const EditorState& s) {
  const Article& a = s.story;
  const User& u = c.user();
  auto may = [&](Action action) { return Stories::May(u, action, a); };
  bool can_edit = s.is_new ? Allowed(u.role, Action::kCreateStory, true) : may(Action::kEditStory);

  json buttons = json::object();
  if (s.is_new) {
    buttons["save"] = can_edit;
    buttons["submit"] = may(Action::kSubmitForReview);
    buttons["schedule"] = may(Action::kSchedule);
    buttons["publish"] = may(Action::kPublish);
  } else {
    switch (a.status) {
      case PublishState::kDraft:
      case PublishState::kReview:
        buttons["save"] = can_edit;
        buttons["submit"] = a.status == PublishState::kReview ? can_edit
                                                              : may(Action::kSubmitForReview);
        buttons["schedule"] = may(Action::kSchedule);
        buttons["publish"] = may(Action::kPublish);
        break;
      case PublishState::kScheduled:
        buttons["update"] = can_edit;
        buttons["publish"] = may(Action::kPublish);
        buttons["unpublish"] = may(Action::kUnpublish);
        break;
      case PublishState::kPublished:
        buttons["update"] = can_edit;
        buttons["unpublish"] = may(Action::kUnpublish);
        break;
      case PublishState::kUnpublished:
        buttons["update"] = can_edit;
        buttons["schedule"] = may(Action::kSchedule);
        buttons["publish"] = may(Action::kPublish);
        break;
    }
    buttons["delete"] = may(Action::kDeleteStory);
  }
  bool any_button = false;
  for (const auto& [key, value] : buttons.items()) any_button = any_button || value.get<bool>();

  std::string base = s.is_new ? "/admin/stories/new" : "/admin/stories/" + std::to_string(a.id);
  bool server_autosave = can_edit && (s.is_new || a.status == PublishState::kDraft ||
                                      a.status == PublishState::kReview);
  json story = {{"is_new", s.is_new},
                {"action", base},
                {"autosave_url", base + "/autosave"},
                {"autosave", !can_edit ? "off" : server_autosave ? "server" : "local"},
                {"storage_key", "dateline:story:" + (s.is_new ? std::string("new")
                                                              : std::to_string(a.id))},
                {"status", s.is_new ? "new" : PublishStateName(a.status)},
                {"status_label", s.is_new ? "New" : StatusLabel(a.status)},
                {"readonly", !any_button},
                {"stale", s.stale}};
  if (!s.is_new) {
    story["id"] = a.id;
    story["version"] = a.version;
    story["created"] = Time(a.created_at);
    story["modified"] = Time(a.modified_at);
    if (a.published_at) story["published"] = Time(*a.published_at);
    story["revisions_url"] = base + "/revisions";
    story["corrections_url"] = base + "/corrections";
    if (may(Action::kPreview)) story["preview_url"] = base + "/preview";
    if (IsVisible(a, clock_.Now())) story["public_url"] = settings_.permalink.Build(a, settings_.zone);
    if (a.owner_id != 0) {
      auto owner = store_.GetUser(a.owner_id);
      if (owner) story["owner"] = owner->name;
    }
  }

  const Form& v = s.values;
  json f = json::object();
  for (const char* name :
       {"headline", "dek", "dateline", "section", "tags", "authors", "body", "body_format",
        "excerpt", "published_at", "related_pins", "lead_image_url", "lead_image_alt",
        "lead_image_caption", "lead_image_credit", "seo_title", "seo_description", "version"}) {
    f[name] = v.Get(name);
  }
  if (f["body_format"].get<std::string>().empty()) f["body_format"] = "markdown";
  // A datetime-local input only holds a valid time (what was typed wrong
  // is named in the error instead).
  std::string when = f["published_at"].get<std::string>();
  if (!when.empty() && !ParseLocalInputTime(when, settings_.zone)) f["published_at"] = "";
  else if (when.size() > 10 && when[10] == ' ') f["published_at"] = when.replace(10, 1, "T");
  std::string featured = v.Get("featured");
  f["featured"] = !featured.empty() && featured != "0" && featured != "false";

  json err = json::object();
  for (const auto& [field, reason] : s.errors) {
    if (!field.empty()) err[field] = reason;
  }
  std::string error = s.error;
  if (auto it = s.errors.find(""); it != s.errors.end() && error.empty()) error = it->second;
  // A field error for a field the form does not show goes to the top.
  for (const auto& [field, reason] : s.errors) {
    if (!field.empty() && !f.contains(field) && field != "correction") {
      error += (error.empty() ? "" : " ") + Capitalized(field) + ": " + reason + ".";
    }
  }

  auto sections = store_.ListSections();
  if (!sections) return StatusPage(&c, sections.error());
  std::string section = v.Get("section");
  json section_options = json::array();
  bool known = section.empty();
  for (const Section& sec : *sections) {
    section_options.push_back(
        {{"value", sec.slug}, {"label", sec.name}, {"selected", sec.slug == section}});
    known = known || sec.slug == section;
  }
  if (!known) section_options.push_back({{"value", section}, {"label", section}, {"selected", true}});
  auto tags = store_.ListTags();
  if (!tags) return StatusPage(&c, tags.error());
  json tag_names = json::array();
  for (const Tag& t : *tags) tag_names.push_back(t.name);

  json corrections = json::array();
  if (!s.is_new) {
    auto list = store_.ListCorrections(a.id);
    if (!list) return StatusPage(&c, list.error());
    for (const Correction& cr : *list) corrections.push_back({{"at", Time(cr.at)}, {"note", cr.note}});
  }

  json model = {{"title", s.is_new ? std::string("New story") : "Edit: " + a.headline},
                {"nav_new", s.is_new},
                {"story", story},
                {"f", f},
                {"err", err},
                {"error", error},
                {"notice", s.notice},
                {"section_options", section_options},
                {"tag_names", tag_names},
                {"buttons", buttons},
                {"corrections", corrections},
                {"has_corrections", !corrections.empty()},
                {"zone", settings_.zone.name()}};
  model["can"]["upload"] = can_edit && Allowed(u.role, Action::kUploadMedia, true);
  model["can"]["pins"] = s.is_new ? Allowed(u.role, Action::kManagePins, true)
                                  : may(Action::kManagePins);
  model["can"]["correct"] = !s.is_new && a.status == PublishState::kPublished &&
                            may(Action::kCorrect) && IsVisible(a, clock_.Now());
  model["correction"] = s.correction;
  return Page(&c, status, "editor", std::move(model));
}

// --- Autosave, corrections, previews ---

http::Response Admin::Autosave(const Ctx& c, std::optional<std::int64_t> id) {
  json body = json::parse(c.req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return JsonError(400, "Send the form's fields as a JSON object.");
  }
  Form f = FormFromJson(body);
  const User& user = c.user();
  Article current;
  if (id) {
    auto a = stories_.Get(*id);
    if (!a) return JsonError(a.error());
    current = *a;
    if (current.status != PublishState::kDraft && current.status != PublishState::kReview) {
      json out = {{"error", "A " + std::string(PublishStateName(current.status)) +
                                " story is not saved automatically; your typing is kept in "
                                "this browser until you press Update."},
                  {"local_only", true}};
      return Json(409, out);
    }
  } else {
    current.owner_id = user.id;
  }
  FieldErrors errors;
  json patch = PatchOf(f, current, !id, errors);
  if (!errors.empty()) {
    return JsonError(422, errors.begin()->second, errors.begin()->first);
  }
  if (!id) {
    auto created = stories_.Create(user, patch);
    if (!created) return JsonError(created.error());
    std::string url = "/admin/stories/" + std::to_string(created->id);
    json out = {{"id", created->id},
                {"version", created->version},
                {"edit_url", url},
                {"autosave_url", url + "/autosave"},
                {"revisions_url", url + "/revisions"},
                {"storage_key", "dateline:story:" + std::to_string(created->id)},
                {"saved_at", Time(clock_.Now())}};
    return Json(201, out);
  }
  json before = Compact(json(ArticleToJson(current, settings_.zone)));
  json after = json(ArticleToJson(current, settings_.zone));
  after.merge_patch(patch);
  if (Compact(after) == before) {
    return Json(200, {{"id", current.id}, {"version", current.version}, {"unchanged", true}});
  }
  auto saved = stories_.Update(user, *id, patch, ParseId(f.Get("version")), "autosave");
  if (!saved) return JsonError(saved.error());
  return Json(200, {{"id", saved->id},
                    {"version", saved->version},
                    {"saved_at", Time(clock_.Now())}});
}

http::Response Admin::AddCorrection(const Ctx& c, std::int64_t id) {
  std::string note = c.form.Get("note");
  auto added = stories_.Correct(c.user(), id, note);
  if (added) {
    http::Response r = http::Response::Redirect(
        303, "/admin/stories/" + std::to_string(id) + "?done=corrected#corrections");
    Harden(r);
    return r;
  }
  auto a = stories_.Get(id);
  if (!a) return StatusPage(&c, a.error());
  EditorState s;
  s.story = *a;
  s.values = FormOf(*a);
  s.correction = note;
  s.errors = ErrorsOf(added.error());
  s.error = s.errors[""];
  s.errors.erase("");
  if (s.error.empty()) s.error = "The correction was not added; see below.";
  return EditorPage(c, HttpStatusOf(added.error()), s);
}

http::Response Admin::PreviewStory(const Ctx& c, std::int64_t id) {
  auto a = stories_.Get(id);
  if (!a) return StatusPage(&c, a.error());
  if (!Stories::May(c.user(), Action::kPreview, *a)) {
    return ErrorPage(&c, 403, "Your role may not preview this story.");
  }
  std::optional<http::Response> page = preview_ ? preview_(*a) : std::nullopt;
  if (!page) return ErrorPage(&c, 503, "The preview could not be rendered.");
  // The reader theme's page as it is (its own assets and embeds), but
  // never cached, framed or indexed.
  std::erase_if(page->headers, [](const auto& h) {
    std::string name = h.first;
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return name == "cache-control" || name == "etag" || name == "last-modified";
  });
  page->headers.emplace_back("Cache-Control", "no-store");
  page->headers.emplace_back("X-Frame-Options", "DENY");
  page->headers.emplace_back("X-Robots-Tag", "noindex");
  page->headers.emplace_back("Referrer-Policy", "same-origin");
  return *page;
}

http::Response Admin::RenderBodyPreview(const Ctx& c) {
  json body = json::parse(c.req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object() || !body.contains("body") ||
      !body["body"].is_string()) {
    return JsonError(400, "Send {\"body\": \"...\", \"body_format\": \"markdown\"}.");
  }
  BodyFormat format = BodyFormat::kMarkdown;
  if (auto it = body.find("body_format"); it != body.end() && it->is_string()) {
    auto parsed = ParseBodyFormat(it->get<std::string>());
    if (!parsed) return JsonError(422, parsed.error().message(), "body_format");
    format = *parsed;
  }
  (void)c;
  SanitizeOptions options;
  options.iframe_hosts = settings_.iframe_hosts;
  return Json(200, {{"html", RenderBody(body["body"].get<std::string>(), format, options)}});
}

}  // namespace dateline::newsroom
