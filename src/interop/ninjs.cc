#include "interop/ninjs.h"

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string_view>
#include <utility>

#include "base/escape.h"
#include "interop/json_lines.h"
#include "text/excerpt.h"
#include "text/markdown.h"
#include "text/sanitize.h"
#include "text/slug.h"

namespace dateline {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view kSystem = "ninjs";
constexpr std::string_view kSectionUri = "dateline:section/";

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

// "By A, B and C" -> {A, B, C}.
std::vector<std::string> SplitByline(std::string by) {
  if (by.rfind("By ", 0) == 0 || by.rfind("by ", 0) == 0) by = by.substr(3);
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= by.size()) {
    std::size_t comma = by.find(", ", i);
    std::size_t and_ = by.find(" and ", i);
    std::size_t end = std::min(comma, and_);
    std::string part = by.substr(i, end == std::string::npos ? std::string::npos : end - i);
    std::size_t b = part.find_first_not_of(' ');
    std::size_t e = part.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
    if (end == std::string::npos) break;
    i = end + (end == comma ? 2 : 5);
  }
  return out;
}

const json* Field(const json& obj, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = obj.find(n);
    if (it != obj.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string Str(const json* v) { return v != nullptr && v->is_string() ? v->get<std::string>() : ""; }

// The string member `name` of `obj` (an object), else "". Unlike
// json::value, never throws on a member of another type.
std::string Member(const json& obj, const char* name) {
  return obj.is_object() ? Str(Field(obj, {name})) : "";
}

// The value of the entry with `role` in an array of {role, value}, else of the first.
std::string ByRole(const json* arr, std::string_view role, bool first_if_none) {
  if (arr == nullptr || !arr->is_array()) return "";
  for (const json& e : *arr) {
    if (Member(e, "role") == role) return Member(e, "value");
  }
  if (first_if_none && !arr->empty() && (*arr)[0].is_object() && !(*arr)[0].contains("role")) {
    return Str(Field((*arr)[0], {"value"}));
  }
  if (first_if_none && !arr->empty() && (*arr)[0].is_object()) {
    return Str(Field((*arr)[0], {"value"}));
  }
  return "";
}

std::string TextToHtml(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find("\n\n", i);
    std::string_view para = text.substr(i, end == std::string_view::npos ? text.npos : end - i);
    if (para.find_first_not_of(" \n\t") != std::string_view::npos) {
      out += "<p>" + EscapeHtml(para) + "</p>\n";
    }
    if (end == std::string_view::npos) break;
    i = end + 2;
  }
  return out;
}

// A rendition's href from an object keyed by name or an array of renditions.
std::string RenditionHref(const json& r) {
  auto href = [](const json& x) { return x.is_object() ? Str(Field(x, {"href"})) : ""; };
  if (r.is_object()) {
    for (const char* name : {"original", "baseImage", "viewImage"}) {
      if (auto it = r.find(name); it != r.end() && !href(*it).empty()) return href(*it);
    }
    for (const auto& [k, v] : r.items()) {
      if (!href(v).empty()) return href(v);
    }
  } else if (r.is_array()) {
    for (const char* name : {"original", "baseImage", "viewImage"}) {
      for (const json& x : r) {
        if (Member(x, "name") == name && !href(x).empty()) return href(x);
      }
    }
    for (const json& x : r) {
      std::string type = x.is_object() ? Str(Field(x, {"contentType", "contenttype", "mimetype"})) : "";
      if (!href(x).empty() && (type.empty() || type.rfind("image/", 0) == 0)) return href(x);
    }
  }
  return "";
}

// The lead image's association: from the 1.x/2.x object keyed by name or
// the 3.x array of named objects (by name, else the first picture).
const json* FeatureMedia(const json& item) {
  const json* assoc = Field(item, {"associations"});
  if (assoc == nullptr) return nullptr;
  if (assoc->is_object()) {
    for (const char* name : {"featuremedia", "featureimage"}) {
      if (auto f = assoc->find(name); f != assoc->end() && f->is_object()) return &*f;
    }
  } else if (assoc->is_array()) {
    for (const char* name : {"featuremedia", "featureimage"}) {
      for (const json& e : *assoc) {
        if (Member(e, "name") == name) return &e;
      }
    }
    for (const json& e : *assoc) {
      if (Member(e, "type") == "picture") return &e;
    }
  }
  return nullptr;
}

std::optional<LeadImage> Image(const json& item) {
  const json* media = FeatureMedia(item);
  LeadImage img;
  if (media != nullptr) {
    if (const json* r = Field(*media, {"renditions"})) img.url = RenditionHref(*r);
    const json* d = Field(*media, {"descriptions"});
    img.caption = ByRole(d, "caption", false);
    img.alt = ByRole(d, "alt", false);
    if (img.caption.empty()) img.caption = Str(Field(*media, {"description_text"}));
    if (img.alt.empty()) img.alt = Str(Field(*media, {"alt_text", "altText"}));
    img.credit = Str(Field(*media, {"by", "byline", "creditline"}));
  } else if (const json* r = Field(item, {"renditions"})) {
    img.url = RenditionHref(*r);
  }
  if (img.url.empty()) return std::nullopt;
  return img;
}

std::string_view PubStatus(PublishState s) {
  switch (s) {
    case PublishState::kPublished:
    case PublishState::kScheduled:
      return "usable";
    case PublishState::kDraft:
    case PublishState::kReview:
      return "withheld";
    case PublishState::kUnpublished:
      return "canceled";
  }
  return "withheld";
}

// Unicode code points in valid UTF-8 (every byte that does not continue one).
std::size_t CodePoints(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// The media type of an image URL's file extension ("" when not a known one).
std::string_view ImageContentType(std::string_view url) {
  std::size_t scheme = url.find("://");
  std::size_t path = scheme == std::string_view::npos ? 0 : url.find('/', scheme + 3);
  if (path == std::string_view::npos) return "";
  url = url.substr(path, url.find_first_of("?#", path) - path);
  std::size_t slash = url.rfind('/');
  std::string_view file = slash == std::string_view::npos ? url : url.substr(slash + 1);
  std::size_t dot = file.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(file.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"jpg", "image/jpeg"},  {"jpeg", "image/jpeg"},   {"jpe", "image/jpeg"},
      {"png", "image/png"},   {"gif", "image/gif"},     {"webp", "image/webp"},
      {"avif", "image/avif"}, {"svg", "image/svg+xml"}, {"tif", "image/tiff"},
      {"tiff", "image/tiff"}, {"bmp", "image/bmp"},     {"heic", "image/heic"},
      {"heif", "image/heif"}, {"jxl", "image/jxl"},
  };
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "";
}

struct Problems {
  std::vector<std::string> items;
  void Add(std::string_view field, std::string_view reason) {
    items.push_back("field \"" + std::string(field) + "\": " + std::string(reason));
  }
};

std::optional<Seconds> Time(const json& obj, std::initializer_list<const char*> names,
                            Problems& err) {
  const json* v = Field(obj, names);
  if (v == nullptr) return std::nullopt;
  auto t = ParseRfc3339(Str(v));
  if (!t) {
    err.Add(*names.begin(), t.error().message());
    return std::nullopt;
  }
  return *t;
}

struct Mapped {
  Article article;
  std::string section_name;
  std::string uri;
  std::optional<Seconds> version;
};

Mapped ToArticle(const json& obj, const NinjsImportOptions& options, Problems& err) {
  Mapped m;
  Article& a = m.article;
  m.uri = Str(Field(obj, {"uri"}));
  if (m.uri.empty()) err.Add("uri", "required");
  const json* headlines = Field(obj, {"headlines"});
  a.headline = ByRole(headlines, "main", true);
  if (a.headline.empty()) a.headline = Str(Field(obj, {"headline"}));
  if (a.headline.empty()) err.Add("headline", "required (headlines or headline)");
  a.dek = ByRole(headlines, "subhead", false);
  std::string html;
  if (const json* bodies = Field(obj, {"bodies"}); bodies != nullptr && bodies->is_array()) {
    for (const json& b : *bodies) {
      if (!b.is_object()) continue;
      std::string type = Str(Field(b, {"contentType", "contenttype"}));
      std::string value = Str(Field(b, {"value"}));
      if (type == "text/html" && html.empty()) html = value;
    }
    if (html.empty()) {
      for (const json& b : *bodies) {
        if (b.is_object() && !Str(Field(b, {"value"})).empty()) {
          html = TextToHtml(Str(Field(b, {"value"})));
          break;
        }
      }
    }
  }
  if (html.empty()) html = Str(Field(obj, {"body_html"}));
  if (html.empty()) html = TextToHtml(Str(Field(obj, {"body_text"})));
  a.body = SanitizeHtml(html, SanitizeOptions{options.site.iframe_hosts});
  if (a.body.empty()) err.Add("bodies", "required (bodies, body_html or body_text)");
  a.body_format = BodyFormat::kHtml;
  a.excerpt = ByRole(Field(obj, {"descriptions"}), "summary", false);
  if (a.excerpt.empty()) a.excerpt = Str(Field(obj, {"description_text"}));
  if (const json* people = Field(obj, {"people"}); people != nullptr && people->is_array()) {
    for (const json& p : *people) {
      if (Member(p, "rel") == "author" && !Member(p, "name").empty()) {
        a.authors.push_back(Str(Field(p, {"name"})));
      }
    }
  }
  if (a.authors.empty()) a.authors = SplitByline(Str(Field(obj, {"by", "byline"})));
  if (const json* subjects = Field(obj, {"subjects", "subject"}); subjects && subjects->is_array()) {
    for (const json& s : *subjects) {
      if (!s.is_object()) continue;
      std::string name = Str(Field(s, {"name"}));
      std::string uri = Str(Field(s, {"uri"}));
      if (uri.rfind(kSectionUri, 0) == 0 || Member(s, "rel") == "section") {
        std::string slug = uri.rfind(kSectionUri, 0) == 0 ? uri.substr(kSectionUri.size())
                                                           : Slugify(name);
        if (a.section.empty() && IsValidSlug(slug)) {
          a.section = slug;
          m.section_name = name;
          continue;
        }
      }
      if (!name.empty() && IsValidSlug(Slugify(name))) a.tags.push_back(name);
    }
  }
  a.dateline = Str(Field(obj, {"located"}));
  if (a.dateline.empty()) {
    if (const json* place = Field(obj, {"place", "places"}); place && place->is_array() && !place->empty()) {
      if ((*place)[0].is_object()) a.dateline = Str(Field((*place)[0], {"name"}));
    }
  }
  a.language = Str(Field(obj, {"language"}));
  if (a.language.empty()) a.language = options.default_language;
  a.lead_image = Image(obj);
  std::optional<Seconds> first = Time(obj, {"firstCreated", "firstcreated"}, err);
  m.version = Time(obj, {"versionCreated", "versioncreated"}, err);
  a.published_at = first;
  if (first && m.version && *m.version > *first) a.updated_at = m.version;
  std::string status = Str(Field(obj, {"pubStatus", "pubstatus"}));
  if (status.empty() || status == "usable") {
    if (!a.published_at) a.published_at = m.version ? *m.version : options.now;
    a.status = *a.published_at > options.now ? PublishState::kScheduled : PublishState::kPublished;
  } else if (status == "withheld") {
    a.status = PublishState::kDraft;
  } else if (status == "canceled") {
    a.status = PublishState::kUnpublished;  // taken down: hidden, kept
  } else {
    err.Add("pubStatus", "unknown \"" + status + "\" (expected usable, withheld or canceled)");
  }
  std::string slugline = Str(Field(obj, {"slugline"}));
  if (!slugline.empty()) a.slug = Slugify(slugline);
  return m;
}

}  // namespace

ordered_json ArticleToNinjs(const Article& a, const SiteSettings& site,
                            std::string_view section_name) {
  ordered_json j;
  j["uri"] = site.base_url + site.permalink.Build(a, site.zone);
  j["type"] = "text";
  if (a.version != 0) j["version"] = std::to_string(a.version);
  j["slugline"] = a.slug;
  if (!a.language.empty()) j["language"] = a.language;
  if (a.published_at) j["firstCreated"] = FormatRfc3339(*a.published_at, site.zone);
  Seconds version = a.updated_at ? *a.updated_at : a.published_at ? *a.published_at : a.modified_at;
  j["versionCreated"] = FormatRfc3339(version, site.zone);
  j["pubStatus"] = PubStatus(a.status);
  ordered_json headlines = ordered_json::array();
  headlines.push_back({{"role", "main"}, {"value", a.headline}});
  if (!a.dek.empty()) headlines.push_back({{"role", "subhead"}, {"value", a.dek}});
  j["headlines"] = headlines;
  std::string html = RenderBody(a.body, a.body_format, {site.iframe_hosts});
  std::string text = HtmlToText(html);
  j["bodies"] = ordered_json::array({{{"role", "main"},
                                      {"contentType", "text/html"},
                                      {"charCount", CodePoints(text)},
                                      {"wordCount", CountWords(text)},
                                      {"value", std::move(html)}}});
  if (!a.excerpt.empty()) {
    j["descriptions"] = ordered_json::array(
        {{{"role", "summary"}, {"contentType", "text/plain"}, {"value", a.excerpt}}});
  }
  if (!a.authors.empty()) {
    j["by"] = JoinNames(a.authors);
    ordered_json people = ordered_json::array();
    for (const std::string& name : a.authors) people.push_back({{"name", name}, {"rel", "author"}});
    j["people"] = people;
  }
  if (!a.dateline.empty()) j["located"] = a.dateline;
  ordered_json subjects = ordered_json::array();
  if (!a.section.empty()) {
    subjects.push_back({{"name", section_name.empty() ? a.section : std::string(section_name)},
                        {"uri", std::string(kSectionUri) + a.section},
                        {"rel", "section"}});
  }
  for (const std::string& t : a.tags) subjects.push_back({{"name", t}});
  if (!subjects.empty()) j["subjects"] = subjects;
  if (a.lead_image) {
    const LeadImage& img = *a.lead_image;
    ordered_json media;
    media["name"] = "featuremedia";
    media["uri"] = img.url;  // every associated item needs one (schema 3.3)
    media["type"] = "picture";
    ordered_json rendition = {{"name", "original"}, {"href", img.url}};
    if (std::string_view type = ImageContentType(img.url); !type.empty()) {
      rendition["contentType"] = type;
    }
    media["renditions"] = ordered_json::array({rendition});
    ordered_json d = ordered_json::array();
    if (!img.caption.empty()) d.push_back({{"role", "caption"}, {"value", img.caption}});
    if (!img.alt.empty()) d.push_back({{"role", "alt"}, {"value", img.alt}});
    if (!d.empty()) media["descriptions"] = d;
    if (!img.credit.empty()) media["by"] = img.credit;
    j["associations"] = ordered_json::array({media});
  }
  return j;
}

Status ExportNinjs(Store& store, const NinjsExportOptions& options, std::ostream& out) {
  auto all = store.AllArticles();
  if (!all) return all.error();
  for (const Article& a : *all) {
    std::string section_name;
    if (!a.section.empty()) {
      auto sec = store.GetSection(a.section);
      if (sec) {
        section_name = sec->name;
      } else if (!sec.error().IsNotFound()) {
        return sec.error();
      }
    }
    out << ArticleToNinjs(a, options.site, section_name)
               .dump(-1, ' ', false, ordered_json::error_handler_t::replace)
        << '\n';
  }
  out.flush();
  if (!out) return Status::IOError("cannot write the export");
  return Status::Ok();
}

Result<NinjsImportReport> ImportNinjs(std::istream& in, Store& store,
                                      const NinjsImportOptions& options) {
  NinjsImportReport report;
  LineProblems problems(options.max_errors);
  Status tx = store.BulkTransaction([&]() -> Status {
    // Items are read, parsed and mapped on a helper thread while this one
    // writes the items before them.
    struct Converted {
      Mapped m;
      Problems err;
    };
    auto convert = [&](int, const json& obj) {
      Converted c;
      c.m = ToArticle(obj, options, c.err);
      return c;
    };
    auto write = [&](int line, Converted& c) -> Status {
      ++report.items;
      if (!c.err.items.empty()) {
        for (const std::string& e : c.err.items) problems.Add(line, e);
        return Status::Ok();
      }
      Mapped& m = c.m;
      if (problems.count() > 0) return Status::Ok();  // keep validating, write nothing more
      auto known = store.GetExternalId(kSystem, m.uri);
      if (!known && !known.error().IsNotFound()) return known.error();
      std::optional<Article> existing;
      if (known) {
        auto e = store.GetArticle(known->entity_id);
        if (e) existing = std::move(*e);
        else if (!e.error().IsNotFound()) return e.error();
      }
      std::string version = m.version ? std::to_string(*m.version) : "0";
      Article& a = m.article;
      if (existing) {
        std::int64_t before = std::atoll(known->version.c_str());
        if (!m.version || *m.version <= before) {
          ++report.ignored;
          return Status::Ok();
        }
        a.id = existing->id;
        a.slug = existing->slug;  // a correction keeps the story's URL
        a.related_pins = existing->related_pins;
        a.featured = existing->featured;
        a.seo_title = existing->seo_title;  // the newsroom's own, not the agency's
        a.seo_description = existing->seo_description;
      } else {
        std::string base = IsValidSlug(a.slug) ? a.slug : Slugify(a.headline);
        a.slug = UniqueSlug(base, [&](std::string_view s) {
          return store.GetArticleBySlug(s).has_value();
        });
      }
      if (!a.section.empty()) {
        auto sec = store.EnsureSection(
            a.section, m.section_name.empty() ? TitleCaseFromSlug(a.section) : m.section_name);
        if (!sec) return sec.error();
      }
      Status s = store.SaveArticle(a);
      if (!s.ok()) {
        if (!s.IsInvalidArgument()) return s.WithContext("line " + std::to_string(line));
        problems.Add(line, s.message());
        return Status::Ok();
      }
      DL_RETURN_IF_ERROR(store.PutExternalId({std::string(kSystem), m.uri, "article", a.id, version}));
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

}  // namespace dateline
