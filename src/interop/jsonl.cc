#include "interop/jsonl.h"

#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "interop/json_lines.h"
#include "text/slug.h"

namespace dateline {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const std::set<std::string, std::less<>> kFields = {
    "slug",     "headline",     "dek",        "dateline", "body",       "body_format",
    "excerpt",  "section",      "tags",       "authors",  "status",     "published_at",
    "updated_at", "language",   "lead_image", "related_pins", "featured", "seo_title",
    "seo_description"};
const std::set<std::string, std::less<>> kImageFields = {"url", "alt", "caption", "credit"};

// Collects "field \"x\": reason" problems for one line.
struct LineErrors {
  std::vector<FieldProblem> items;
  void Add(std::string_view field, std::string_view reason) {
    items.push_back({std::string(field), std::string(reason)});
  }
};

std::string GetString(const json& obj, std::string_view field, LineErrors& err) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) {
    err.Add(field, "expected a string");
    return {};
  }
  return it->get<std::string>();
}

std::vector<std::string> GetStrings(const json& obj, std::string_view field, LineErrors& err) {
  std::vector<std::string> out;
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) {
    err.Add(field, "expected an array of strings");
    return out;
  }
  for (const json& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty()) {
      err.Add(field, "expected an array of non-empty strings");
      return {};
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::optional<Seconds> GetTime(const json& obj, std::string_view field, LineErrors& err) {
  std::string text = GetString(obj, field, err);
  if (text.empty()) return std::nullopt;
  auto t = ParseRfc3339(text);
  if (!t) {
    err.Add(field, t.error().message());
    return std::nullopt;
  }
  return *t;
}

// Turns one parsed line into an Article; problems go to `err`.
Article ToArticle(const json& obj, const JsonlImportOptions& options, LineErrors& err) {
  Article a;
  for (const auto& [key, value] : obj.items()) {
    if (!kFields.contains(key)) err.Add(key, "unknown field");
  }
  a.slug = GetString(obj, "slug", err);
  if (!a.slug.empty() && !IsValidSlug(a.slug)) {
    err.Add("slug", "\"" + a.slug + "\" is not a slug (a-z, 0-9 and '-')");
  }
  a.headline = GetString(obj, "headline", err);
  if (a.headline.empty() && !obj.contains("headline")) err.Add("headline", "required");
  else if (a.headline.empty()) err.Add("headline", "must not be empty");
  a.dek = GetString(obj, "dek", err);
  a.dateline = GetString(obj, "dateline", err);
  a.body = GetString(obj, "body", err);
  if (a.body.empty() && !obj.contains("body")) err.Add("body", "required");
  else if (a.body.empty()) err.Add("body", "must not be empty");
  if (std::string f = GetString(obj, "body_format", err); !f.empty()) {
    auto parsed = ParseBodyFormat(f);
    if (parsed) a.body_format = *parsed;
    else err.Add("body_format", parsed.error().message());
  }
  a.excerpt = GetString(obj, "excerpt", err);
  a.section = GetString(obj, "section", err);
  if (!a.section.empty() && !IsValidSlug(a.section)) {
    err.Add("section", "\"" + a.section + "\" is not a section slug (a-z, 0-9 and '-')");
  }
  a.tags = GetStrings(obj, "tags", err);
  a.authors = GetStrings(obj, "authors", err);
  a.status = PublishState::kPublished;
  if (std::string s = GetString(obj, "status", err); !s.empty()) {
    auto parsed = ParsePublishState(s);
    if (parsed) a.status = *parsed;
    else err.Add("status", parsed.error().message());
  }
  a.published_at = GetTime(obj, "published_at", err);
  a.updated_at = GetTime(obj, "updated_at", err);
  if (a.status == PublishState::kScheduled && !a.published_at && !obj.contains("published_at")) {
    err.Add("published_at", "required when status is \"scheduled\"");
  }
  if (a.status == PublishState::kPublished && !a.published_at) a.published_at = options.now;
  a.language = GetString(obj, "language", err);
  if (a.language.empty()) a.language = options.default_language;
  if (auto it = obj.find("lead_image"); it != obj.end() && !it->is_null()) {
    if (!it->is_object()) {
      err.Add("lead_image", "expected an object with url, alt, caption, credit");
    } else {
      for (const auto& [key, value] : it->items()) {
        if (!kImageFields.contains(key)) err.Add("lead_image." + key, "unknown field");
      }
      LeadImage img;
      img.url = GetString(*it, "url", err);
      img.alt = GetString(*it, "alt", err);
      img.caption = GetString(*it, "caption", err);
      img.credit = GetString(*it, "credit", err);
      if (img.url.empty()) err.Add("lead_image.url", "required");
      a.lead_image = img;
    }
  }
  a.related_pins = GetStrings(obj, "related_pins", err);
  for (const std::string& pin : a.related_pins) {
    if (!IsValidSlug(pin)) err.Add("related_pins", "\"" + pin + "\" is not a slug");
  }
  if (auto it = obj.find("featured"); it != obj.end() && !it->is_null()) {
    if (it->is_boolean()) a.featured = it->get<bool>();
    else err.Add("featured", "expected true or false");
  }
  a.seo_title = GetString(obj, "seo_title", err);
  if (a.seo_title.size() > kMaxSeoTitleBytes) {
    err.Add("seo_title", "at most " + std::to_string(kMaxSeoTitleBytes) + " bytes (this is " +
                             std::to_string(a.seo_title.size()) + ")");
  }
  a.seo_description = GetString(obj, "seo_description", err);
  if (a.seo_description.size() > kMaxSeoDescriptionBytes) {
    err.Add("seo_description", "at most " + std::to_string(kMaxSeoDescriptionBytes) +
                                   " bytes (this is " + std::to_string(a.seo_description.size()) +
                                   ")");
  }
  return a;
}

}  // namespace

Result<JsonlImportReport> ImportJsonl(std::istream& in, Store& store,
                                      const JsonlImportOptions& options) {
  JsonlImportReport report;
  LineProblems problems(options.max_errors);
  std::map<std::string, int> seen_slugs;  // slug -> first line using it

  Status tx = store.BulkTransaction([&]() -> Status {
    // Into a store with no story yet, a line can only update a story of an
    // earlier line, which seen_slugs turns away: no slug is looked up in
    // the store (3% of an import's instructions, on its writing thread).
    auto any = store.FirstArticleIds(ArticleQuery{}, 1);
    if (!any) return any.error();
    const bool empty_store = any->empty();
    auto stored = [&](std::string_view slug) -> Result<Article> {
      if (empty_store) return Fail(Status::NotFound("article \"" + std::string(slug) + "\""));
      return store.GetArticleBySlug(slug);
    };
    // Lines are read, parsed and checked on a helper thread while this one
    // writes the lines before them.
    struct Converted {
      Article a;
      LineErrors err;
    };
    auto convert = [&](int, const json& obj) {
      Converted c;
      c.a = ToArticle(obj, options, c.err);
      return c;
    };
    auto write = [&](int line, Converted& c) -> Status {
      ++report.lines;
      if (!c.err.items.empty()) {
        for (const FieldProblem& e : c.err.items) {
          problems.Add(line, "field \"" + e.field + "\": " + e.reason);
        }
        return Status::Ok();
      }
      Article& a = c.a;
      if (a.slug.empty()) {
        a.slug = UniqueSlug(Slugify(a.headline), [&](std::string_view s) {
          return seen_slugs.contains(std::string(s)) || stored(s).has_value();
        });
      }
      auto [it, fresh] = seen_slugs.emplace(a.slug, line);
      if (!fresh) {
        problems.Add(line, "field \"slug\": \"" + a.slug + "\" already used on line " +
                               std::to_string(it->second));
        return Status::Ok();
      }
      if (problems.count() > 0) return Status::Ok();  // keep validating, write nothing more
      auto existing = stored(a.slug);
      if (existing) {
        a.id = existing->id;
        a.owner_id = existing->owner_id;
      } else if (!existing.error().IsNotFound()) {
        return existing.error();
      }
      Status s = store.SaveArticle(a);
      if (!s.ok()) {
        if (!s.IsInvalidArgument()) return s.WithContext("line " + std::to_string(line));
        problems.Add(line, s.message());
        return Status::Ok();
      }
      (existing ? report.updated : report.inserted)++;
      return Status::Ok();
    };
    DL_RETURN_IF_ERROR(ForEachJsonObjectAhead<Converted>(in, problems, convert, write));
    if (problems.count() > 0) return Status::InvalidArgument("rolled back");
    return Status::Ok();
  });

  if (problems.count() > 0) return Fail(problems.Summary());
  if (!tx.ok()) return Fail(tx);
  return report;
}

nlohmann::ordered_json ArticleToJson(const Article& a, const TimeZone& zone) {
  ordered_json j;
  j["slug"] = a.slug;
  j["headline"] = a.headline;
  if (!a.dek.empty()) j["dek"] = a.dek;
  if (!a.dateline.empty()) j["dateline"] = a.dateline;
  j["body"] = a.body;
  j["body_format"] = BodyFormatName(a.body_format);
  if (!a.excerpt.empty()) j["excerpt"] = a.excerpt;
  if (!a.section.empty()) j["section"] = a.section;
  if (!a.tags.empty()) j["tags"] = a.tags;
  if (!a.authors.empty()) j["authors"] = a.authors;
  j["status"] = PublishStateName(a.status);
  if (a.published_at) j["published_at"] = FormatRfc3339(*a.published_at, zone);
  if (a.updated_at) j["updated_at"] = FormatRfc3339(*a.updated_at, zone);
  if (!a.language.empty()) j["language"] = a.language;
  if (a.lead_image) {
    ordered_json img;
    img["url"] = a.lead_image->url;
    if (!a.lead_image->alt.empty()) img["alt"] = a.lead_image->alt;
    if (!a.lead_image->caption.empty()) img["caption"] = a.lead_image->caption;
    if (!a.lead_image->credit.empty()) img["credit"] = a.lead_image->credit;
    j["lead_image"] = img;
  }
  if (!a.related_pins.empty()) j["related_pins"] = a.related_pins;
  if (a.featured) j["featured"] = true;
  if (!a.seo_title.empty()) j["seo_title"] = a.seo_title;
  if (!a.seo_description.empty()) j["seo_description"] = a.seo_description;
  return j;
}

std::vector<FieldProblem> ArticleFromJson(const nlohmann::json& obj,
                                          const JsonlImportOptions& options, Article& out) {
  LineErrors err;
  if (!obj.is_object()) {
    err.Add("", "expected a JSON object");
    return err.items;
  }
  out = ToArticle(obj, options, err);
  return err.items;
}

Status ExportJsonl(Store& store, const TimeZone& zone, std::ostream& out) {
  auto all = store.AllArticles();
  if (!all) return all.error();
  for (const Article& a : *all) {
    out << ArticleToJson(a, zone).dump(-1, ' ', false, ordered_json::error_handler_t::replace)
        << '\n';
  }
  out.flush();
  if (!out) return Status::IOError("cannot write the export");
  return Status::Ok();
}

}  // namespace dateline
