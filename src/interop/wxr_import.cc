#include "interop/wxr_import.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "interop/wxr_mapping.h"
#include "interop/wxr_reader.h"
#include "text/excerpt.h"
#include "text/sanitize.h"
#include "text/slug.h"

namespace dateline {

namespace {

constexpr std::string_view kSystem = "wordpress";
// Bumped when the mapping changes, so a re-import rewrites what it maps differently.
constexpr std::string_view kMappingVersion = "wxr-map-1";

struct Attachment {
  WpMedia media;
  std::int64_t parent = 0;
  int menu_order = 0;
};

struct PageNode {
  std::string slug;  // the page's own path segment
  std::int64_t parent = 0;
};

// Pass 1: checks the whole file and keeps what pass 2 needs to look up.
struct Scan : WxrVisitor {
  WxrHeader header;
  std::vector<WxrAuthor> authors;
  std::vector<WxrTerm> categories;
  std::unordered_map<std::int64_t, Attachment> attachments;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children;  // parent -> attachments
  std::unordered_map<std::int64_t, PageNode> pages;
  int items = 0;

  Status OnHeader(const WxrHeader& h) override {
    header = h;
    return Status::Ok();
  }
  Status OnAuthor(const WxrAuthor& a) override {
    if (!a.login.empty()) authors.push_back(a);
    return Status::Ok();
  }
  Status OnTerm(const WxrTerm& t) override {
    if (t.taxonomy == "category" && !t.slug.empty()) categories.push_back(t);
    return Status::Ok();
  }
  Status OnItem(const WxrItem& it) override {
    ++items;
    if (it.post_type == "attachment" && it.post_id != 0) {
      Attachment a;
      a.media.url = it.attachment_url.empty() ? it.guid : it.attachment_url;
      a.media.caption = HtmlToText(it.excerpt);
      a.media.alt = it.Meta("_wp_attachment_image_alt");
      a.parent = it.post_parent;
      a.menu_order = it.menu_order;
      attachments[it.post_id] = std::move(a);
      if (it.post_parent != 0) children[it.post_parent].push_back(it.post_id);
    } else if (it.post_type == "page" && it.post_id != 0) {
      pages[it.post_id] = {WpSlug(it.post_name, it.title.empty() ? "page-" + std::to_string(it.post_id)
                                                                 : it.title),
                           it.post_parent};
    }
    return Status::Ok();
  }
};

std::string AuthorName(const WxrAuthor& a) {
  if (!a.display_name.empty()) return a.display_name;
  std::string full = a.first_name + (a.first_name.empty() || a.last_name.empty() ? "" : " ") +
                     a.last_name;
  return full.empty() ? a.login : full;
}

// Pass 2: maps and writes, inside the caller's transaction.
class Importer : public WxrVisitor {
 public:
  Importer(Store& store, const WxrImportOptions& options, const Scan& scan,
           WxrImportReport& report)
      : store_(store), options_(options), scan_(scan), report_(report) {
    site_key_ = !scan.header.base_blog_url.empty() ? scan.header.base_blog_url : scan.header.link;
  }

  Status Prepare() {
    DL_RETURN_IF_ERROR(ImportAuthors());
    return ImportCategories();
  }

  Status OnItem(const WxrItem& it) override {
    ++done_;
    if (options_.progress && done_ % 500 == 0) options_.progress(done_, scan_.items);
    report_.comments += it.comments;
    std::string type = it.post_type.empty() ? "(none)" : it.post_type;
    ++report_.items_by_type[type];
    ++report_.items;
    if (it.post_type == "attachment") {
      ++report_.skipped["attachment (used for lead images and galleries)"];
      return Status::Ok();
    }
    if (it.post_type != "post" && it.post_type != "page") {
      ++report_.skipped[it.post_type.empty() ? "item without a wp:post_type"
                                             : it.post_type + " (not a post or page)"];
      return Status::Ok();
    }
    std::optional<PublishState> state = MapStatus(it);
    if (!state) return Status::Ok();
    Status s = it.post_type == "post" ? ImportPost(it, *state) : ImportPage(it, *state);
    return s.WithContext("item at line " + std::to_string(it.line));
  }

  void Finish() {
    if (options_.progress && done_ % 500 != 0) options_.progress(done_, scan_.items);
  }

 private:
  // --- authors and sections ---

  Status ImportAuthors() {
    for (const WxrAuthor& a : scan_.authors) {
      std::string name = AuthorName(a);
      logins_[a.login] = name;
      std::string slug = Slugify(name);
      if (!IsValidSlug(slug)) continue;
      auto found = store_.GetAuthor(slug);
      if (!found) {
        if (!found.error().IsNotFound()) return found.error();
        Author au{0, slug, name, ""};
        DL_RETURN_IF_ERROR(store_.SaveAuthor(au));
        report_.authors_created.push_back(name);
      }
      std::string old_slug = WpSlug(a.login, "");
      if (IsValidSlug(old_slug) && old_slug != slug) {
        DL_RETURN_IF_ERROR(Redirect("/author/" + old_slug + "/", "/author/" + slug + "/"));
      }
    }
    return Status::Ok();
  }

  Status ImportCategories() {
    // Parents first: keep passing over the list while it makes progress.
    std::vector<const WxrTerm*> pending;
    for (const WxrTerm& t : scan_.categories) pending.push_back(&t);
    std::map<std::string, std::string> wp_paths;  // section slug -> WordPress path
    while (!pending.empty()) {
      std::vector<const WxrTerm*> later;
      for (const WxrTerm* t : pending) {
        std::string slug = WpSlug(t->slug, t->name);
        std::string parent = t->parent.empty() ? "" : WpSlug(t->parent, "");
        if (!parent.empty() && !sections_.contains(parent) && parent != slug) {
          bool known = std::any_of(scan_.categories.begin(), scan_.categories.end(),
                                   [&](const WxrTerm& c) { return WpSlug(c.slug, c.name) == parent; });
          if (known) {
            later.push_back(t);
            continue;
          }
          parent.clear();  // a parent the export does not hold
        }
        if (parent == slug) parent.clear();
        DL_RETURN_IF_ERROR(EnsureSection(slug, t->name.empty() ? t->slug : t->name, parent));
        std::string wp_path = (parent.empty() ? "/category" : wp_paths[parent]) + "/" +
                              PercentDecode(t->slug);
        wp_paths[slug] = wp_path;
        DL_RETURN_IF_ERROR(Redirect(wp_path + "/", "/category/" + slug + "/"));
      }
      if (later.size() == pending.size()) {
        // A cycle of parents: file the rest at the top level.
        for (const WxrTerm* t : later) {
          DL_RETURN_IF_ERROR(EnsureSection(WpSlug(t->slug, t->name), t->name, ""));
        }
        break;
      }
      pending = std::move(later);
    }
    return Status::Ok();
  }

  Status EnsureSection(const std::string& slug, const std::string& name,
                       const std::string& parent) {
    if (sections_.contains(slug)) return Status::Ok();
    auto found = store_.GetSection(slug);
    if (!found) {
      if (!found.error().IsNotFound()) return found.error();
      auto made = store_.EnsureSection(slug, name.empty() ? TitleCaseFromSlug(slug) : name);
      if (!made) return made.error();
      if (!parent.empty()) {
        Section s = *made;
        s.parent_slug = parent;
        DL_RETURN_IF_ERROR(store_.SaveSection(s));
      }
      report_.sections_created.push_back(slug);
    }
    sections_.insert(slug);
    return Status::Ok();
  }

  // --- items ---

  std::optional<PublishState> MapStatus(const WxrItem& it) {
    const std::string& st = it.status;
    std::optional<PublishState> out;
    if (st == "publish") out = PublishState::kPublished;
    else if (st == "future") out = PublishState::kScheduled;
    else if (st == "draft") out = PublishState::kDraft;
    else if (st == "pending") out = PublishState::kReview;
    else if (st == "private") {
      ++report_.private_as_draft;
      out = PublishState::kDraft;
    } else if (st == "trash" || st == "auto-draft") {
      ++report_.skipped[it.post_type + " with status " + st];
      return std::nullopt;
    } else {
      ++report_.skipped[it.post_type + " with unknown status \"" + st + "\""];
      return std::nullopt;
    }
    if (!it.post_password.empty() && *out != PublishState::kDraft) {
      ++report_.password_as_draft;
      out = PublishState::kDraft;
    }
    return out;
  }

  std::vector<std::string> Keys(const WxrItem& it) const {
    std::vector<std::string> keys;
    if (it.post_id != 0) keys.push_back("post:" + site_key_ + "#" + std::to_string(it.post_id));
    if (!it.guid.empty()) keys.push_back("guid:" + it.guid);
    if (keys.empty()) keys.push_back("item:" + it.post_type + "|" + it.title + "|" + it.post_date);
    return keys;
  }

  // The stored entity an earlier import made of this item, if any: by
  // WordPress id first; by GUID only when that finds nothing and the GUID's
  // entity is not already another item of this run (real exports repeat
  // GUIDs across different posts).
  Result<std::optional<ExternalId>> Find(const WxrItem& it, std::string_view entity) {
    std::vector<std::string> keys = Keys(it);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto x = store_.GetExternalId(kSystem, keys[i]);
      if (!x && !x.error().IsNotFound()) return Fail(x.error());
      if (!x || x->entity != entity) continue;
      if (i > 0 && claimed_.contains(std::string(entity) + ":" + std::to_string(x->entity_id))) {
        continue;
      }
      return std::optional<ExternalId>(*x);
    }
    return std::optional<ExternalId>();
  }

  // Records the item's keys; a GUID already naming another entity keeps it.
  Status Remember(const WxrItem& it, std::string_view entity, std::int64_t id,
                  const std::string& version) {
    std::vector<std::string> keys = Keys(it);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) {
        auto x = store_.GetExternalId(kSystem, keys[i]);
        if (!x && !x.error().IsNotFound()) return x.error();
        if (x && (x->entity != entity || x->entity_id != id)) continue;
      }
      DL_RETURN_IF_ERROR(
          store_.PutExternalId({std::string(kSystem), keys[i], std::string(entity), id, version}));
    }
    return Status::Ok();
  }

  void Claim(std::string_view entity, std::int64_t id) {
    claimed_.insert(std::string(entity) + ":" + std::to_string(id));
  }

  ShortcodeContext Context(const WxrItem& it) {
    ShortcodeContext ctx;
    ctx.iframe_hosts = options_.site.iframe_hosts;
    ctx.media = [this](std::int64_t id) -> const WpMedia* {
      auto f = scan_.attachments.find(id);
      return f == scan_.attachments.end() ? nullptr : &f->second.media;
    };
    std::int64_t post = it.post_id;
    ctx.attached = [this, post]() {
      std::vector<const Attachment*> list;
      if (auto c = scan_.children.find(post); c != scan_.children.end()) {
        for (std::int64_t id : c->second) list.push_back(&scan_.attachments.at(id));
      }
      std::stable_sort(list.begin(), list.end(), [](const Attachment* a, const Attachment* b) {
        return a->menu_order < b->menu_order;
      });
      std::vector<const WpMedia*> out;
      for (const Attachment* a : list) out.push_back(&a->media);
      return out;
    };
    return ctx;
  }

  std::string Body(const WxrItem& it) {
    ShortcodeReport sr;
    std::string html = WpBodyToHtml(it.content, Context(it), sr);
    for (const auto& [name, n] : sr.unknown) report_.unknown_shortcodes[name] += n;
    for (std::int64_t id : sr.missing_media) {
      report_.missing_media.push_back("attachment " + std::to_string(id) + " (gallery of " +
                                      it.post_type + " " + std::to_string(it.post_id) + ")");
    }
    report_.embeds += sr.embeds;
    if (html.find_first_not_of(" \n") == std::string::npos) html = "<p></p>";
    return html;
  }

  std::optional<Seconds> Published(const WxrItem& it) const {
    if (auto t = WpDate(it.post_date_gmt)) return t;
    return WpLocalDate(it.post_date, options_.site.zone);
  }

  std::optional<Seconds> Modified(const WxrItem& it) const {
    if (auto t = WpDate(it.post_modified_gmt)) return t;
    return WpLocalDate(it.post_modified, options_.site.zone);
  }

  std::string Language() const {
    const std::string& site = options_.site.language;
    std::string wp = scan_.header.language;
    if (wp.empty()) return site;
    auto primary = [](std::string_view s) {
      std::string p(s.substr(0, s.find_first_of("-_")));
      for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return p;
    };
    return primary(wp) == primary(site) ? site : wp;
  }

  Status ImportPost(const WxrItem& it, PublishState state) {
    Article a;
    a.headline = it.title.empty() ? "Untitled" : it.title;
    a.body = Body(it);
    a.body_format = BodyFormat::kHtml;
    if (!it.excerpt.empty()) a.excerpt = HtmlToText(SanitizeHtml(it.excerpt));
    a.status = state;
    a.published_at = Published(it);
    if (!a.published_at && state == PublishState::kPublished) a.published_at = options_.now;
    a.updated_at = Modified(it);
    if (a.updated_at && a.published_at && *a.updated_at <= *a.published_at) a.updated_at.reset();
    a.language = Language();
    a.featured = it.sticky;

    std::set<std::string> seen_tags;
    auto add_tag = [&](const std::string& name) {
      std::string slug = Slugify(name);
      if (!name.empty() && IsValidSlug(slug) && seen_tags.insert(slug).second) {
        a.tags.push_back(name);
      }
    };
    std::vector<const WxrItemTerm*> extra_categories;
    std::vector<std::string> coauthors;
    for (const WxrItemTerm& t : it.terms) {
      if (t.domain == "category") {
        if (a.section.empty()) {
          a.section = WpSlug(t.slug, t.name);
          DL_RETURN_IF_ERROR(EnsureSection(a.section, t.name, ""));
        } else {
          extra_categories.push_back(&t);
        }
      } else if (t.domain == "post_tag") {
        add_tag(t.name);
        std::string old_slug = PercentDecode(t.slug), slug = Slugify(t.name);
        if (!old_slug.empty() && old_slug != slug && old_slug.find('/') == std::string::npos &&
            a.status == PublishState::kPublished) {
          DL_RETURN_IF_ERROR(Redirect("/tag/" + old_slug + "/", "/tag/" + slug + "/"));
        }
      } else if (t.domain == "author") {
        std::string login = t.name.empty() ? t.slug : t.name;
        if (login.starts_with("cap-")) login = login.substr(4);
        coauthors.push_back(login);
      }
    }
    for (const WxrItemTerm* t : extra_categories) add_tag(t->name.empty() ? t->slug : t->name);
    std::set<std::string> seen_authors;
    for (const std::string& login : coauthors.empty() ? it.creators : coauthors) {
      auto known = logins_.find(login);
      std::string name = known == logins_.end() ? login : known->second;
      if (IsValidSlug(Slugify(name)) && seen_authors.insert(Slugify(name)).second) {
        a.authors.push_back(name);
      }
    }
    if (std::string thumb = it.Meta("_thumbnail_id"); !thumb.empty()) {
      std::int64_t id = std::atoll(thumb.c_str());
      auto f = scan_.attachments.find(id);
      if (f != scan_.attachments.end() && !f->second.media.url.empty()) {
        a.lead_image = LeadImage{f->second.media.url, f->second.media.alt,
                                 f->second.media.caption, ""};
      } else {
        report_.missing_media.push_back("attachment " + thumb + " (lead image of post " +
                                        std::to_string(it.post_id) + ")");
      }
    }

    auto existing_id = Find(it, "article");
    if (!existing_id) return existing_id.error();
    std::optional<Article> existing;
    if (*existing_id) {
      auto e = store_.GetArticle((*existing_id)->entity_id);
      if (e) existing = std::move(*e);
      else if (!e.error().IsNotFound()) return e.error();
    }
    std::string wanted = WpSlug(it.post_name, a.headline);
    if (!IsValidSlug(wanted)) wanted = "post-" + std::to_string(it.post_id);
    std::int64_t own_id = existing ? existing->id : 0;
    a.slug = UniqueSlug(wanted, [&](std::string_view s) {
      auto other = store_.GetArticleBySlug(s);
      return other.has_value() && other->id != own_id;
    });

    Fingerprint fp;
    fp.Add(kMappingVersion).Add(a.slug).Add(a.headline).Add(a.body).Add(a.excerpt).Add(a.section);
    for (const auto& t : a.tags) fp.Add(t);
    fp.Add("|");
    for (const auto& au : a.authors) fp.Add(au);
    fp.Add(PublishStateName(a.status)).Add(a.published_at).Add(a.updated_at).Add(a.language);
    if (a.lead_image) fp.Add(a.lead_image->url).Add(a.lead_image->alt).Add(a.lead_image->caption);
    fp.Add(a.featured ? "featured" : "-");
    std::string version = fp.Hex();

    std::string dateline_url;
    if (existing && (*existing_id)->version == version) {
      ++report_.posts.unchanged;
      a = *existing;
    } else {
      std::string old_url;
      if (existing) {
        a.id = existing->id;
        a.related_pins = existing->related_pins;
        a.dek = existing->dek;
        a.dateline = existing->dateline;
        a.seo_title = existing->seo_title;
        a.seo_description = existing->seo_description;
        if (existing->lead_image && a.lead_image) a.lead_image->credit = existing->lead_image->credit;
        if (existing->status == PublishState::kPublished) old_url = Url(*existing);
      }
      DL_RETURN_IF_ERROR(store_.SaveArticle(a));
      DL_RETURN_IF_ERROR(Remember(it, "article", a.id, version));
      (existing ? report_.posts.updated : report_.posts.inserted)++;
      if (!old_url.empty() && a.status == PublishState::kPublished && old_url != Url(a)) {
        DL_RETURN_IF_ERROR(Redirect(old_url, Url(a)));
      }
    }
    Claim("article", a.id);
    ++report_.posts_by_status[std::string(PublishStateName(a.status))];
    if (a.status != PublishState::kPublished) return Status::Ok();
    // Old WordPress links of a published story answer with a 301.
    std::string to = Url(a);
    if (std::string from = LinkPath(it.link); !from.empty()) DL_RETURN_IF_ERROR(Redirect(from, to));
    if (it.post_id != 0) DL_RETURN_IF_ERROR(Redirect("/?p=" + std::to_string(it.post_id), to));
    return Status::Ok();
  }

  std::string PagePath(const WxrItem& it) const {
    std::vector<std::string> segs;
    segs.push_back(WpSlug(it.post_name, it.title.empty() ? "page-" + std::to_string(it.post_id)
                                                         : it.title));
    std::int64_t parent = it.post_parent;
    for (int depth = 0; parent != 0 && depth < 20; ++depth) {
      auto p = scan_.pages.find(parent);
      if (p == scan_.pages.end() || parent == it.post_id) break;
      segs.push_back(p->second.slug);
      parent = p->second.parent;
    }
    std::string path = "/";
    for (auto s = segs.rbegin(); s != segs.rend(); ++s) path += *s + "/";
    return path;
  }

  Status ImportPage(const WxrItem& it, PublishState state) {
    StaticPage p;
    p.title = it.title.empty() ? "Untitled" : it.title;
    p.body = Body(it);
    p.body_format = BodyFormat::kHtml;
    // Pages have no schedule or review: only published pages are served.
    p.status = state == PublishState::kPublished ? PublishState::kPublished : PublishState::kDraft;
    p.published_at = Published(it);
    p.updated_at = Modified(it);

    auto existing_id = Find(it, "page");
    if (!existing_id) return existing_id.error();
    std::optional<StaticPage> existing;
    if (*existing_id) {
      auto e = store_.GetPage((*existing_id)->entity_id);
      if (e) existing = std::move(*e);
      else if (!e.error().IsNotFound()) return e.error();
    }
    std::int64_t own_id = existing ? existing->id : 0;
    std::string path = PagePath(it);
    for (int n = 2; ; ++n) {
      auto other = store_.GetPageByPath(path);
      if (!other || other->id == own_id) {
        if (!other && !other.error().IsNotFound()) return other.error();
        break;
      }
      path = PagePath(it);
      path.pop_back();
      path += "-" + std::to_string(n) + "/";
    }
    p.path = path;
    Fingerprint fp;
    fp.Add(kMappingVersion).Add(p.path).Add(p.title).Add(p.body);
    fp.Add(PublishStateName(p.status)).Add(p.published_at).Add(p.updated_at);
    std::string version = fp.Hex();
    if (existing && (*existing_id)->version == version) {
      ++report_.pages.unchanged;
      p = *existing;
    } else {
      std::string old_path = existing ? existing->path : "";
      if (existing) p.id = existing->id;
      DL_RETURN_IF_ERROR(store_.SavePage(p));
      DL_RETURN_IF_ERROR(Remember(it, "page", p.id, version));
      (existing ? report_.pages.updated : report_.pages.inserted)++;
      if (!old_path.empty() && old_path != p.path) DL_RETURN_IF_ERROR(Redirect(old_path, p.path));
    }
    Claim("page", p.id);
    ++report_.pages_by_status[std::string(PublishStateName(p.status))];
    if (p.status != PublishState::kPublished) return Status::Ok();
    if (std::string from = LinkPath(it.link); !from.empty()) DL_RETURN_IF_ERROR(Redirect(from, p.path));
    if (it.post_id != 0) {
      DL_RETURN_IF_ERROR(Redirect("/?page_id=" + std::to_string(it.post_id), p.path));
    }
    return Status::Ok();
  }

  std::string Url(const Article& a) const {
    return options_.site.permalink.Build(a, options_.site.zone);
  }

  Status Redirect(const std::string& from, const std::string& to) {
    if (from == to || from.empty() || from == "/") return Status::Ok();
    auto current = store_.GetRedirect(from);
    if (current && *current == to) return Status::Ok();
    if (!current && !current.error().IsNotFound()) return current.error();
    DL_RETURN_IF_ERROR(store_.PutRedirect({from, to}));
    ++report_.redirects;
    return Status::Ok();
  }

  Store& store_;
  const WxrImportOptions& options_;
  const Scan& scan_;
  WxrImportReport& report_;
  std::string site_key_;
  std::map<std::string, std::string> logins_;  // login -> display name
  std::set<std::string> sections_;             // section slugs known to exist
  std::set<std::string> claimed_;              // "article:ID" written or matched in this run
  int done_ = 0;
};

void Line(std::string& out, std::string_view label, const std::map<std::string, int>& counts) {
  out += label;
  bool first = true;
  for (const auto& [k, v] : counts) {
    out += (first ? " " : ", ") + k + " " + std::to_string(v);
    first = false;
  }
  if (first) out += " none";
  out += "\n";
}

std::string Counts(const WxrWriteCounts& c) {
  return std::to_string(c.inserted) + " new, " + std::to_string(c.updated) + " updated, " +
         std::to_string(c.unchanged) + " unchanged";
}

}  // namespace

std::string WxrImportReport::ToText() const {
  std::string out = "WordPress export (WXR " + wxr_version + ")" +
                    (source.empty() ? "" : " of " + source) +
                    (dry_run ? ": dry run, nothing was written\n" : "\n");
  out += "items: " + std::to_string(items) + "\n";
  Line(out, "  by type:", items_by_type);
  Line(out, "stories: " + Counts(posts) + "; by status:", posts_by_status);
  Line(out, "pages: " + Counts(pages) + "; by status:", pages_by_status);
  if (private_as_draft > 0) {
    out += "  private items imported as drafts: " + std::to_string(private_as_draft) + "\n";
  }
  if (password_as_draft > 0) {
    out += "  password-protected items imported as drafts: " + std::to_string(password_as_draft) +
           "\n";
  }
  Line(out, "skipped:", skipped);
  out += "comments: " + std::to_string(comments) + " counted, not imported\n";
  out += "authors created: " + std::to_string(authors_created.size());
  for (std::size_t i = 0; i < authors_created.size() && i < 20; ++i) {
    out += (i == 0 ? " (" : ", ") + authors_created[i];
  }
  if (!authors_created.empty()) out += authors_created.size() > 20 ? ", ...)" : ")";
  out += "\nsections created: " + std::to_string(sections_created.size()) + "\n";
  out += "redirects from old URLs: " + std::to_string(redirects) + "\n";
  out += "embeds turned into links or players: " + std::to_string(embeds) + "\n";
  Line(out, "unknown shortcodes kept as text:", unknown_shortcodes);
  out += "media referenced but not in the export: " + std::to_string(missing_media.size()) + "\n";
  for (std::size_t i = 0; i < missing_media.size() && i < 20; ++i) {
    out += "  " + missing_media[i] + "\n";
  }
  if (missing_media.size() > 20) {
    out += "  ... and " + std::to_string(missing_media.size() - 20) + " more\n";
  }
  return out;
}

Result<WxrImportReport> ImportWxr(const std::string& path, Store& store,
                                  const WxrImportOptions& options) {
  Scan scan;
  Status s = ReadWxr(path, scan);
  if (!s.ok()) return Fail(s);
  WxrImportReport report;
  report.dry_run = options.dry_run;
  report.wxr_version = scan.header.version;
  report.source = !scan.header.base_blog_url.empty() ? scan.header.base_blog_url : scan.header.link;

  bool rolled_back_on_purpose = false;
  Status tx = store.BulkTransaction([&]() -> Status {
    Importer importer(store, options, scan, report);
    DL_RETURN_IF_ERROR(importer.Prepare());
    DL_RETURN_IF_ERROR(ReadWxr(path, importer));
    importer.Finish();
    if (options.dry_run) {
      rolled_back_on_purpose = true;
      return Status::Conflict("dry run: rolled back");
    }
    return Status::Ok();
  });
  if (!tx.ok() && !rolled_back_on_purpose) return Fail(tx.WithContext("nothing was written"));
  return report;
}

}  // namespace dateline
