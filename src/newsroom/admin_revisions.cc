// Admin: a story's revisions, each with a readable diff against the one
// before it (dtl over the revisions' JSON, one line per field and one per
// body line), and restoring one (Stories::Restore).
#include <algorithm>
#include <map>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <dtl/dtl.hpp>
#pragma GCC diagnostic pop

#include "newsroom/admin.h"
#include "newsroom/admin_util.h"

namespace dateline::newsroom {

using nlohmann::json;
using nlohmann::ordered_json;
using namespace admin;

namespace {

constexpr int kContext = 2;            // unchanged lines shown around a change
constexpr int kOpenDiffs = 3;          // diffs shown unfolded at the top of the page
constexpr std::size_t kHugeLines = 20000;

void AddLines(std::vector<std::string>& out, const std::string& key, const ordered_json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (key != "body" && s.find('\n') == std::string::npos) {
      out.push_back(key + ": " + s);
      return;
    }
    out.push_back(key + ":");
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t end = s.find('\n', start);
      if (end == std::string::npos) end = s.size();
      out.push_back("    " + s.substr(start, end - start));
      start = end + 1;
    }
  } else if (value.is_array()) {
    std::string joined;
    for (const ordered_json& item : value) {
      if (!joined.empty()) joined += ", ";
      joined += item.is_string() ? item.get<std::string>() : item.dump();
    }
    out.push_back(key + ": " + joined);
  } else if (value.is_object()) {
    for (const auto& [inner, v] : value.items()) AddLines(out, key + "." + inner, v);
  } else {
    out.push_back(key + ": " + value.dump());
  }
}

// A revision's content as lines a person can read and a diff can align.
std::vector<std::string> ContentLines(const Revision& r) {
  ordered_json j = ordered_json::parse(r.content, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return {"(this revision's content cannot be read)"};
  std::vector<std::string> out;
  for (const auto& [key, value] : j.items()) AddLines(out, key, value);
  return out;
}

struct DiffSummary {
  json lines = json::array();
  int added = 0;
  int removed = 0;
};

// The line diff of `before` -> `after`, long unchanged runs folded.
DiffSummary LineDiff(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  dtl::Diff<std::string, std::vector<std::string>> diff(before, after);
  if (before.size() + after.size() > kHugeLines) diff.onHuge();
  diff.compose();
  struct Line {
    char kind;
    const std::string* text;
  };
  std::vector<Line> all;
  std::vector<std::string> texts;
  auto ses = diff.getSes().getSequence();
  texts.reserve(ses.size());
  for (const auto& [text, info] : ses) texts.push_back(text);
  for (std::size_t i = 0; i < ses.size(); ++i) {
    char kind = ses[i].second.type == dtl::SES_ADD      ? '+'
                : ses[i].second.type == dtl::SES_DELETE ? '-'
                                                        : ' ';
    all.push_back({kind, &texts[i]});
  }
  std::vector<bool> show(all.size(), false);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].kind == ' ') continue;
    std::size_t from = i >= kContext ? i - kContext : 0;
    std::size_t to = std::min(all.size(), i + kContext + 1);
    for (std::size_t k = from; k < to; ++k) show[k] = true;
  }
  DiffSummary out;
  std::size_t i = 0;
  while (i < all.size()) {
    if (!show[i]) {
      std::size_t run = 0;
      while (i < all.size() && !show[i]) {
        ++run;
        ++i;
      }
      out.lines.push_back({{"skip", true},
                           {"text", "… " + std::to_string(run) + " unchanged line" +
                                        (run == 1 ? "" : "s")}});
      continue;
    }
    const Line& l = all[i];
    json line = {{"text", *l.text}};
    if (l.kind == '+') {
      line["add"] = true;
      ++out.added;
    } else if (l.kind == '-') {
      line["del"] = true;
      ++out.removed;
    } else {
      line["same"] = true;
    }
    out.lines.push_back(line);
    ++i;
  }
  return out;
}

}  // namespace

http::Response Admin::Revisions(const Ctx& c, std::int64_t id) {
  auto a = stories_.Get(id);
  if (!a) return StatusPage(&c, a.error());
  auto revisions = store_.ListRevisions(id);  // newest first
  if (!revisions) return StatusPage(&c, revisions.error());
  auto users = store_.ListUsers();
  if (!users) return StatusPage(&c, users.error());
  std::map<std::int64_t, std::string> names;
  for (const User& u : *users) names[u.id] = u.name;

  const std::vector<Revision>& all = *revisions;
  int pages = std::max<int>(1, static_cast<int>((all.size() + kRevisionsPerPage - 1) /
                                                kRevisionsPerPage));
  int page = std::min(IntParam(c.req, "page", 1), pages);
  std::size_t from = static_cast<std::size_t>(page - 1) * kRevisionsPerPage;
  std::size_t to = std::min(all.size(), from + kRevisionsPerPage);
  bool can_restore = Stories::May(c.user(), Action::kEditStory, *a);
  std::string base = "/admin/stories/" + std::to_string(id);

  json rows = json::array();
  std::vector<std::string> empty;
  for (std::size_t i = from; i < to; ++i) {
    const Revision& r = all[i];
    std::vector<std::string> now = ContentLines(r);
    std::vector<std::string> before = i + 1 < all.size() ? ContentLines(all[i + 1]) : empty;
    DiffSummary d = LineDiff(before, now);
    json row = {{"id", r.id},
                {"at", Time(r.at)},
                {"who", r.user_id == 0 ? std::string("the system")
                        : names.contains(r.user_id) ? names[r.user_id]
                                                    : "user " + std::to_string(r.user_id)},
                {"note", r.note},
                {"lines", d.lines},
                {"added", d.added},
                {"removed", d.removed},
                {"first", i + 1 == all.size()},
                {"current", i == 0},
                {"open", static_cast<int>(i - from) < kOpenDiffs},
                {"restore_url", base + "/revisions/" + std::to_string(r.id) + "/restore"},
                {"can_restore", can_restore && i != 0}};
    rows.push_back(row);
  }
  json model = {{"title", "Revisions: " + a->headline},
                {"story", {{"id", a->id}, {"headline", a->headline}, {"edit_url", base}}},
                {"revisions", rows},
                {"count", all.size()},
                {"page", page},
                {"pages", pages}};
  if (page > 1) model["prev_url"] = base + "/revisions?page=" + std::to_string(page - 1);
  if (page < pages) model["next_url"] = base + "/revisions?page=" + std::to_string(page + 1);
  return Page(&c, 200, "revisions", std::move(model));
}

http::Response Admin::Restore(const Ctx& c, std::int64_t id, std::int64_t revision_id) {
  auto restored = stories_.Restore(c.user(), id, revision_id);
  if (!restored) return StatusPage(&c, restored.error());
  http::Response r =
      http::Response::Redirect(303, "/admin/stories/" + std::to_string(id) + "?done=restored");
  Harden(r);
  return r;
}

}  // namespace dateline::newsroom
