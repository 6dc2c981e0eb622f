#include "site/site.h"

#include <algorithm>
#include <charconv>

#include "text/excerpt.h"
#include "text/markdown.h"
#include "text/slug.h"

namespace dateline {

namespace {

using nlohmann::json;

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

// Parses a positive decimal number of at most `max_digits` digits.
std::optional<int> Number(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

Site::Site(Store& store, const SiteSettings& settings, const Clock& clock, SearchIndex* search)
    : store_(store),
      settings_(settings),
      clock_(clock),
      search_(search),
      content_(SanitizeOptions{settings.iframe_hosts}),
      tables_(store) {}

thread_local Site::Pin::State* Site::Pin::current_ = nullptr;

Site::Pin::Pin(Site& site) {
  for (State* s = current_; s != nullptr; s = s->outer) {
    if (s->site == &site) return;  // already pinned further out
  }
  state_.site = &site;
  state_.snapshot = site.tables_.Current();
  state_.outer = current_;
  current_ = &state_;
  active_ = true;
}

Site::Pin::~Pin() {
  if (active_) current_ = state_.outer;
}

std::shared_ptr<const SiteSnapshot> Site::Snapshot() {
  for (Pin::State* s = Pin::current_; s != nullptr; s = s->outer) {
    if (s->site == this) return s->snapshot;
  }
  return tables_.Current();
}

std::string Site::SectionName(const SiteSnapshot* snap, const std::string& slug) {
  if (snap != nullptr) {
    const Section* sec = snap->FindSection(slug);
    return sec ? sec->name : slug;
  }
  auto sec = store_.GetSection(slug);
  return sec ? sec->name : slug;
}

std::vector<Article> Site::Visible(ArticleQuery q) {
  q.visible_at = clock_.Now();
  q.links = false;  // listed as cards (Item)
  auto r = store_.ListArticles(q);
  if (!r) throw std::runtime_error(r.error().ToString());
  return std::move(*r);
}

Result<std::int64_t> Site::CountListing(const ArticleQuery& q, Seconds now) {
  auto listed = ListingIds(store_, Snapshot().get(), q, now);
  if (!listed) return Fail(listed.error());
  return static_cast<std::int64_t>((*listed)->size());
}

std::string Site::Url(const Article& a) const { return settings_.permalink.Build(a, settings_.zone); }

std::string Site::Excerpt(const Article& a) { return content_.Excerpt(a); }

json Site::Time(Seconds t) const {
  return {{"display", FormatDate(t, settings_.zone, settings_.date_format)},
          {"iso", FormatRfc3339(t, settings_.zone)}};
}

json Site::Item(const Article& a) {
  json item = {{"id", a.id},
               {"headline", a.headline},
               {"url", Url(a)},
               {"excerpt", Excerpt(a)},
               {"dateline", a.dateline},
               {"published", Time(a.published_at.value_or(a.created_at))}};
  if (!a.section.empty()) {
    item["section"] = {{"name", SectionName(Snapshot().get(), a.section)},
                       {"url", "/category/" + a.section + "/"}};
  }
  if (a.lead_image) {
    item["lead_image"] = {{"src", a.lead_image->url}, {"alt", a.lead_image->alt}};
  }
  // A story in another language than the site's carries its own lang.
  if (!a.language.empty() && a.language != settings_.language) item["language"] = a.language;
  return item;
}

Site::CardPtr Site::CardOf(const Article& a) {
  std::shared_ptr<const SiteSnapshot> snap = Snapshot();
  if (snap) {
    if (CardPtr kept = snap->FindCard(a.id)) return kept;
  }
  return MakeCard(a, snap.get());
}

Site::CardPtr Site::MakeCard(const Article& a, const SiteSnapshot* snap) {
  auto card = std::make_shared<const SiteSnapshot::Card>(
      SiteSnapshot::Card{a.id, a.status, a.published_at, SharedJson(Item(a))});
  if (snap != nullptr && a.id != 0) snap->KeepCard(card);
  return card;
}

std::vector<Site::CardPtr> Site::Cards(const std::vector<std::int64_t>& ids, Seconds now) {
  std::shared_ptr<const SiteSnapshot> snap = Snapshot();
  std::vector<CardPtr> found(ids.size());
  std::vector<std::int64_t> missing;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (snap) found[i] = snap->FindCard(ids[i]);
    if (!found[i]) missing.push_back(ids[i]);
  }
  if (!missing.empty()) {
    auto stories = store_.GetArticles(missing, /*links=*/false);
    if (!stories) throw std::runtime_error(stories.error().ToString());
    std::unordered_map<std::int64_t, CardPtr> made;
    for (const Article& a : *stories) made.emplace(a.id, MakeCard(a, snap.get()));
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (found[i]) continue;
      auto it = made.find(ids[i]);
      if (it != made.end()) found[i] = it->second;
    }
  }
  std::vector<CardPtr> out;
  out.reserve(found.size());
  for (CardPtr& c : found) {
    if (c && c->VisibleAt(now)) out.push_back(std::move(c));
  }
  return out;
}

std::vector<Site::CardPtr> Site::ListedCards(const ArticleQuery& q, Seconds now,
                                             std::vector<std::int64_t>& used, std::size_t count) {
  std::vector<CardPtr> out;
  if (count == 0) return out;
  // The listing's head holds enough ids unless stories went missing since
  // it was read (a write after the snapshot): then the whole listing.
  const std::size_t need = count + used.size();
  std::shared_ptr<const SiteSnapshot> snap = Snapshot();
  auto listed = ListingHeadIds(store_, snap.get(), q, now, need);
  std::size_t next = 0;
  while (listed && out.size() < count) {
    const std::vector<std::int64_t>& ids = **listed;
    if (next >= ids.size()) {
      if (ids.size() < need) break;  // the head was the whole listing
      listed = ListingIds(store_, snap.get(), q, now);
      if (listed && next >= (*listed)->size()) break;
      continue;
    }
    std::vector<std::int64_t> wanted;
    while (next < ids.size() && wanted.size() < count - out.size()) {
      std::int64_t id = ids[next++];
      if (std::find(used.begin(), used.end(), id) == used.end()) wanted.push_back(id);
    }
    for (CardPtr& c : Cards(wanted, now)) {
      used.push_back(c->id);
      out.push_back(std::move(c));
    }
  }
  if (!listed) throw std::runtime_error(listed.error().ToString());
  return out;
}

json Site::Items(const std::vector<CardPtr>& cards, SharedTrees& shared) {
  json items = json::array();
  for (const CardPtr& c : cards) {
    items.push_back(SharedStandIn(shared.size()));
    shared.emplace_back(c, &c->item);  // shares the card's ownership
  }
  return items;
}

json Site::Chrome(std::string_view title, std::string_view description, std::string_view path,
                  std::string_view current_section) {
  // Built in place: nested initializer lists copy each level again.
  json nav = json::array();
  auto add = [&](const std::vector<Section>& sections) {
    for (const Section& s : sections) {
      if (!s.parent_slug.empty()) continue;
      json item = json::object();
      item["name"] = s.name;
      item["url"] = "/category/" + s.slug + "/";
      item["current"] = s.slug == current_section;
      nav.push_back(std::move(item));
    }
  };
  if (std::shared_ptr<const SiteSnapshot> snap = Snapshot()) {
    add(snap->sections());
  } else if (Result<std::vector<Section>> sections = store_.ListSections()) {
    add(*sections);
  }
  json site = json::object();
  site["name"] = settings_.name;
  site["description"] = settings_.description;
  site["base_url"] = settings_.base_url;
  site["language"] = settings_.language;
  site["nav"] = std::move(nav);
  site["year"] = settings_.zone.ToCivil(clock_.Now()).year;
  json page = json::object();
  page["title"] = title.empty() ? settings_.name : std::string(title) + " – " + settings_.name;
  page["description"] = description;
  page["path"] = path;
  page["canonical"] = settings_.base_url + std::string(path);
  page["language"] = settings_.language;
  json chrome = json::object();
  chrome["site"] = std::move(site);
  chrome["page"] = std::move(page);
  return chrome;
}

Page Site::RedirectTo(std::string location) {
  Page p;
  p.status = 301;
  p.location = std::move(location);
  return p;
}

Page Site::NotFound() {
  Pin pin(*this);
  Page p;
  p.status = 404;
  p.template_name = "not_found";
  p.model = Chrome("Page not found", "", "/", "");
  p.model["page"].erase("canonical");
  ArticleQuery q;
  q.limit = 5;
  json items = json::array();
  for (const Article& a : Visible(q)) items.push_back(Item(a));
  p.model["latest"] = items;
  p.model["has_latest"] = !items.empty();
  return p;
}

Page Site::Resolve(std::string_view path) {
  Pin pin(*this);
  if (path.empty() || path.front() != '/') return NotFound();
  if (auto m = settings_.permalink.Match(path)) {
    auto a = store_.GetArticleBySlug(m->slug);
    if (a && IsVisible(*a, clock_.Now())) return ArticlePage(*a, path);
    if (!a && !a.error().IsNotFound()) throw std::runtime_error(a.error().ToString());
  }
  if (auto page = StaticPageAt(path)) return std::move(*page);
  if (auto to = store_.GetRedirect(path)) return RedirectTo(*to);

  std::vector<std::string_view> seg = Segments(path);
  if (path.back() != '/') {
    // "/category/world" -> "/category/world/", unless it looks like a file.
    if (!seg.empty() && seg.back().find('.') == std::string_view::npos) {
      return RedirectTo(std::string(path) + "/");
    }
    return NotFound();
  }
  int page = 1;
  if (seg.size() >= 2 && seg[seg.size() - 2] == "page") {
    auto n = Number(seg.back(), 6);
    if (!n) return NotFound();
    seg.resize(seg.size() - 2);
    std::string base = "/";
    for (auto s : seg) base += std::string(s) + "/";
    if (*n == 1) return RedirectTo(base);
    page = *n;
  }
  std::string base = "/";
  for (auto s : seg) base += std::string(s) + "/";

  if (base == kCorrectionsPath) return CorrectionsPage(page);
  if (seg.empty()) {
    if (page == 1) return HomePage();
    return ListPage("latest", ArticleQuery{}, {{"title", "Latest news"}}, base, page);
  }
  if (seg.size() == 2 && seg[0] == "category") {
    std::shared_ptr<const SiteSnapshot> snap = Snapshot();
    Result<Section> sec = Fail(Status::NotFound("section"));
    if (!snap) {
      sec = store_.GetSection(seg[1]);
    } else if (const Section* found = snap->FindSection(seg[1])) {
      sec = *found;
    }
    if (!sec) return NotFound();
    ArticleQuery q;
    q.section_slug = sec->slug;
    return ListPage("section", q, {{"title", sec->name}, {"slug", sec->slug}}, base, page);
  }
  if (seg.size() == 2 && seg[0] == "tag") {
    auto tag = store_.GetTag(seg[1]);
    if (!tag) return NotFound();
    ArticleQuery q;
    q.tag_slug = tag->slug;
    return ListPage("tag", q, {{"title", tag->name}, {"slug", tag->slug}}, base, page);
  }
  if (seg.size() == 2 && seg[0] == "author") {
    auto author = store_.GetAuthor(seg[1]);
    if (!author) return NotFound();
    ArticleQuery q;
    q.author_slug = author->slug;
    return ListPage("author", q,
                    {{"title", author->name}, {"slug", author->slug}, {"bio", author->bio}}, base,
                    page);
  }
  // Date archives: /YYYY/, /YYYY/MM/, /YYYY/MM/DD/.
  if (seg.size() <= 3 && seg[0].size() == 4) {
    int year = Number(seg[0], 4).value_or(0);
    int month = seg.size() >= 2 && seg[1].size() == 2 ? Number(seg[1], 2).value_or(0) : 0;
    int day = seg.size() == 3 && seg[2].size() == 2 ? Number(seg[2], 2).value_or(0) : 0;
    if (year == 0 || (seg.size() >= 2 && (month == 0 || month > 12)) ||
        (seg.size() == 3 && (day == 0 || day > 31))) {
      return NotFound();
    }
    const TimeZone& z = settings_.zone;
    ArticleQuery q;
    std::string title;
    static constexpr const char* kMonths[] = {"January", "February", "March",     "April",
                                               "May",     "June",     "July",      "August",
                                               "September", "October", "November", "December"};
    if (seg.size() == 1) {
      q.published_from = z.StartOfDay(year, 1, 1);
      q.published_before = z.StartOfDay(year + 1, 1, 1);
      title = std::to_string(year);
    } else if (seg.size() == 2) {
      q.published_from = z.StartOfDay(year, static_cast<unsigned>(month), 1);
      q.published_before = month == 12 ? z.StartOfDay(year + 1, 1, 1)
                                        : z.StartOfDay(year, static_cast<unsigned>(month + 1), 1);
      title = std::string(kMonths[month - 1]) + " " + std::to_string(year);
    } else {
      Seconds start = z.StartOfDay(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
      CivilTime check = z.ToCivil(start);
      if (static_cast<int>(check.day) != day) return NotFound();  // Feb 30 and friends
      q.published_from = start;
      // The next local midnight: step past the day, then back to its start.
      CivilTime next = z.ToCivil(start + 26 * 3600);
      q.published_before = z.StartOfDay(next.year, next.month, next.day);
      title = std::string(kMonths[month - 1]) + " " + std::to_string(day) + ", " +
              std::to_string(year);
    }
    return ListPage("archive", q, {{"title", title}}, base, page);
  }
  return NotFound();
}

// Static pages (imported WordPress pages): served at their stored path,
// after stories (a story's permalink wins) and before redirects. Only a
// published page exists for readers; the "page" template shows it.
std::optional<Page> Site::StaticPageAt(std::string_view path) {
  if (path.size() < 3 || path.back() != '/') return std::nullopt;
  auto sp = store_.GetPageByPath(path);
  if (!sp) {
    if (!sp.error().IsNotFound()) throw std::runtime_error(sp.error().ToString());
    return std::nullopt;
  }
  if (sp->status != PublishState::kPublished) return std::nullopt;
  Page p;
  p.template_name = "page";
  std::string body = RenderBody(sp->body, sp->body_format, {settings_.iframe_hosts});
  p.model = Chrome(sp->title, MakeExcerpt(body, 30), sp->path, "");
  p.model["static_page"] = {{"title", sp->title}, {"body_html", body}};
  if (sp->updated_at) p.model["static_page"]["updated"] = Time(*sp->updated_at);
  return p;
}

Page Site::ListPage(std::string_view kind, const ArticleQuery& query, json header,
                    std::string base_path, int page) {
  int per = settings_.per_page;
  // The whole listing's ids (remembered for every page of it), then this
  // page's stories by id.
  Seconds now = clock_.Now();
  auto listed = ListingIds(store_, Snapshot().get(), query, now);
  if (!listed) throw std::runtime_error(listed.error().ToString());
  const std::vector<std::int64_t>& ids = **listed;
  const auto total = static_cast<std::int64_t>(ids.size());
  std::vector<CardPtr> cards = Cards(
      IdsWindow(ids, static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(per), static_cast<std::size_t>(per)),
      now);
  int pages = static_cast<int>((total + per - 1) / per);
  // An empty section front exists; an empty tag, author or archive does not
  // (it would reveal stories readers cannot see).
  if (total == 0 && kind != "section" && kind != "latest") return NotFound();
  if (page > std::max(pages, 1) || page > settings_.max_page) return NotFound();

  std::string path = page == 1 ? base_path : base_path + "page/" + std::to_string(page) + "/";
  std::string title = header.value("title", "");
  std::string shown_title = page == 1 ? title : title + " – page " + std::to_string(page);
  std::string description = kind == "section"  ? title + ": the latest stories."
                            : kind == "tag"    ? "Stories tagged " + title + "."
                            : kind == "author" ? "Stories by " + title + "."
                                               : "Stories from " + title + ".";
  Page p;
  p.template_name = "list";
  p.model = Chrome(shown_title, description, path,
                   kind == "section" ? header.value("slug", "") : "");
  header["kind"] = kind;
  header["is_" + std::string(kind)] = true;
  header["items"] = Items(cards, p.shared);
  header["count"] = total;
  json pagination = {{"current", page}, {"total", std::max(pages, 1)}};
  if (page > 1) {
    pagination["prev_url"] = page == 2 ? base_path : base_path + "page/" + std::to_string(page - 1) + "/";
  }
  if (page < pages) pagination["next_url"] = base_path + "page/" + std::to_string(page + 1) + "/";
  pagination["show"] = pages > 1;
  header["pagination"] = pagination;
  p.model["listing"] = std::move(header);
  if (pagination.contains("prev_url")) p.model["page"]["prev_url"] = pagination["prev_url"];
  if (pagination.contains("next_url")) p.model["page"]["next_url"] = pagination["next_url"];
  return p;
}

Page Site::HomePage() {
  Page p;
  p.template_name = "home";
  p.model = Chrome("", settings_.description, "/", "");
  p.model["page"]["title"] = settings_.name + " – " + settings_.description;
  std::vector<std::int64_t> shown;
  const Seconds now = clock_.Now();
  ArticleQuery lead_q;
  lead_q.featured_only = true;
  lead_q.limit = 1;
  std::vector<Article> lead = Visible(lead_q);
  if (lead.empty()) {
    lead_q.featured_only = false;
    lead = Visible(lead_q);
  }
  if (!lead.empty()) {
    json item = Item(lead[0]);
    if (!lead[0].dek.empty()) item["dek"] = lead[0].dek;
    p.model["lead"] = std::move(item);
    shown.push_back(lead[0].id);
  }
  json blocks = json::array();
  std::shared_ptr<const SiteSnapshot> snap = Snapshot();
  Result<std::vector<Section>> sections =
      snap ? Result<std::vector<Section>>(snap->sections()) : store_.ListSections();
  if (sections) {
    for (const Section& s : *sections) {
      ArticleQuery q;
      q.section_slug = s.slug;
      std::vector<CardPtr> list = ListedCards(q, now, shown, 3);
      if (list.empty()) continue;
      json block = json::object();
      block["name"] = s.name;
      block["url"] = "/category/" + s.slug + "/";
      block["items"] = Items(list, p.shared);
      blocks.push_back(std::move(block));
    }
  }
  p.model["sections"] = std::move(blocks);
  p.model["more_news"] = Items(ListedCards(ArticleQuery{}, now, shown, kMoreNews), p.shared);
  return p;
}

// Related News: editors' pins, then the list computed from the search index
// by content, then (while that list is not computed yet, or comes up short)
// the newest stories of the same section. Every item is checked for
// visibility now, so a story unpublished since the list was made never shows.
std::vector<Site::CardPtr> Site::RelatedNews(const Article& a, std::vector<std::int64_t>& used) {
  std::vector<CardPtr> out;
  Seconds now = clock_.Now();
  auto full = [&] { return static_cast<int>(out.size()) >= kRelatedNews; };
  auto take = [&](CardPtr c) {
    if (full() || !c->VisibleAt(now)) return;
    if (std::find(used.begin(), used.end(), c->id) != used.end()) return;
    used.push_back(c->id);
    out.push_back(std::move(c));
  };
  // Stories past the sixth are not read at all.
  for (const std::string& slug : a.related_pins) {
    if (full()) break;
    if (auto r = store_.GetArticleBySlug(slug)) take(CardOf(*r));
  }
  if (!full()) {
    if (auto computed = store_.GetRelated(a.id)) {
      // The stored list is short (ten): its cards in one go, then taken in
      // its order until six are visible.
      std::vector<std::int64_t> wanted;
      for (std::int64_t id : *computed) {
        if (std::find(used.begin(), used.end(), id) == used.end()) wanted.push_back(id);
      }
      for (CardPtr& c : Cards(wanted, now)) take(std::move(c));
    }
  }
  if (!a.section.empty() && !full()) {
    ArticleQuery q;
    q.section_slug = a.section;
    for (CardPtr& c : ListedCards(q, now, used, static_cast<std::size_t>(kRelatedNews) - out.size())) out.push_back(std::move(c));
  }
  return out;
}

Page Site::ArticlePage(const Article& a, std::string_view path) {
  std::string canonical = Url(a);
  if (canonical != path) return RedirectTo(canonical);
  return ArticleView(a);
}

Page Site::PreviewPage(const Article& a) {
  Pin pin(*this);
  Page p = ArticleView(a);
  p.model["preview"] = true;
  p.model["page"]["noindex"] = true;
  return p;
}

Page Site::ArticleView(const Article& a) {
  std::string canonical = Url(a);
  Page p;
  p.template_name = "article";
  std::string description = Excerpt(a);
  p.model = Chrome(a.headline, a.dek.empty() ? description : a.dek, canonical, a.section);
  // SEO overrides: the title is the whole <title>, as typed (no site name
  // added); the description replaces the dek or excerpt in the head.
  if (!a.seo_title.empty()) p.model["page"]["title"] = a.seo_title;
  if (!a.seo_description.empty()) p.model["page"]["description"] = a.seo_description;

  json article = Item(a);
  article["dek"] = a.dek;
  article["seo_title"] = a.seo_title;  // og:title and twitter:title (site/metadata.h)
  article["body_html"] = content_.Html(a);
  // Corrections, oldest first; the newest one (like an edit) updates the story.
  std::vector<Correction> corrections;
  if (a.id != 0) {
    auto listed = store_.ListCorrections(a.id);
    if (!listed) throw std::runtime_error(listed.error().ToString());
    corrections = std::move(*listed);
  }
  Seconds published = a.published_at.value_or(a.created_at);
  Seconds modified = std::max(published, a.updated_at.value_or(published));
  json notes = json::array();
  for (const Correction& c : corrections) {
    notes.push_back({{"note", c.note}, {"at", Time(c.at)}});
    modified = std::max(modified, c.at);
  }
  const bool corrected = !notes.empty();
  article["has_corrections"] = corrected;
  article["corrections"] = std::move(notes);
  article["modified"] = Time(modified);
  // "Updated" for a change after the first minute, and always once corrected.
  if (modified > published + 60 || (corrected && modified > published)) {
    article["updated"] = Time(modified);
  }
  json authors = json::array();
  for (std::size_t i = 0; i < a.authors.size(); ++i) {
    // The store keys authors and tags by the slug of their name.
    const char* sep = i + 1 == a.authors.size() ? "" : i + 2 == a.authors.size() ? " and " : ", ";
    authors.push_back({{"name", a.authors[i]},
                       {"url", "/author/" + Slugify(a.authors[i]) + "/"},
                       {"sep", sep}});
  }
  article["has_authors"] = !authors.empty();
  article["authors"] = std::move(authors);
  json tags = json::array();
  for (const std::string& t : a.tags) {
    tags.push_back({{"name", t}, {"url", "/tag/" + Slugify(t) + "/"}});
  }
  article["has_tags"] = !tags.empty();
  article["tags"] = std::move(tags);
  if (a.lead_image) {
    article["lead_image"] = {{"src", a.lead_image->url},
                             {"alt", a.lead_image->alt},
                             {"caption", a.lead_image->caption},
                             {"credit", a.lead_image->credit}};
  }
  p.model["article"] = std::move(article);

  std::vector<std::int64_t> used = {a.id};
  std::vector<CardPtr> related_news = RelatedNews(a, used);
  Seconds now = clock_.Now();
  // Related Posts: most shared tags, newest first; then the same section.
  std::shared_ptr<const SiteSnapshot> snap = Snapshot();
  if (!snap) throw std::runtime_error("the store's change log cannot be read");
  auto by_tags = tables_.tag_graph().Rank(snap->seq(), a.id, now, used, kRelatedPosts);
  if (!by_tags) throw std::runtime_error(by_tags.error().ToString());
  // (A story taken down since the graph caught up is left out.)
  std::vector<CardPtr> related_posts = Cards(*by_tags, now);
  for (const CardPtr& c : related_posts) used.push_back(c->id);
  if (!a.section.empty() && static_cast<int>(related_posts.size()) < kRelatedPosts) {
    ArticleQuery q;
    q.section_slug = a.section;
    for (CardPtr& c : ListedCards(q, now, used, static_cast<std::size_t>(kRelatedPosts) - related_posts.size())) {
      related_posts.push_back(std::move(c));
    }
  }
  std::vector<CardPtr> more = ListedCards(ArticleQuery{}, now, used, kMoreNews);
  p.model["related_news"] = Items(related_news, p.shared);
  p.model["related_posts"] = Items(related_posts, p.shared);
  p.model["more_news"] = Items(more, p.shared);
  return p;
}

}  // namespace dateline
