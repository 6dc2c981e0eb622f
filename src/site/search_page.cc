// The search page and the search API: Site's side of search (the index
// lives in search/; this file turns a reader's query into a page).
#include <charconv>

#include "base/escape.h"
#include "site/site.h"

namespace dateline {

namespace {

using nlohmann::json;

// "2025-05-06" -> the start of that day in `zone`; nullopt when malformed.
std::optional<Seconds> DayStart(std::string_view s, const TimeZone& zone) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  return zone.StartOfDay(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string SearchUrl(const SearchParams& p, int page) {
  std::string url = "/search/?q=" + EscapeUrlComponent(p.q);
  for (auto [key, value] : {std::pair{"section", &p.section}, std::pair{"tag", &p.tag},
                            std::pair{"author", &p.author}, std::pair{"from", &p.from},
                            std::pair{"to", &p.to}, std::pair{"sort", &p.sort}}) {
    if (!value->empty()) url += std::string("&") + key + "=" + EscapeUrlComponent(*value);
  }
  if (page > 1) url += "&page=" + std::to_string(page);
  return url;
}

}  // namespace

Site::SearchOutcome Site::RunSearch(const SearchParams& p) {
  SearchOutcome out;
  bool has_query = p.q.find_first_not_of(" \t\r\n") != std::string::npos;
  bool has_filter = !p.section.empty() || !p.tag.empty() || !p.author.empty() ||
                    !p.from.empty() || !p.to.empty();
  if (search_ == nullptr) {
    out.message = "Search is not available right now.";
    return out;
  }
  if (!has_query && !has_filter) {
    out.message = "Type a word or two to search the site's stories.";
    out.bad_request = true;
    return out;
  }
  SearchQuery q;
  q.text = p.q;
  q.section = p.section;
  q.tag = p.tag;
  q.author = p.author;
  q.newest_first = p.sort == "newest";
  q.language = settings_.language;
  q.limit = settings_.per_page;
  q.offset = (std::max(1, p.page) - 1) * settings_.per_page;
  if (!p.from.empty()) {
    q.from = DayStart(p.from, settings_.zone);
    if (!q.from) out.message = "The start date should look like 2025-05-06.";
  }
  if (!p.to.empty()) {
    auto start = DayStart(p.to, settings_.zone);
    if (start) q.to = *start + 86400 - 1;  // the whole day, give or take DST
    else out.message = "The end date should look like 2025-05-06.";
  }
  if (!out.message.empty()) {
    out.bad_request = true;
    return out;
  }
  auto results = search_->Search(q);
  if (!results) {
    out.bad_request = results.error().IsInvalidArgument();
    out.message = results.error().IsInvalidArgument()
                      ? "We could not search for that: " + results.error().message() + "."
                      : "Search failed; please try again.";
    return out;
  }
  out.results = std::move(*results);
  Seconds now = clock_.Now();
  for (const SearchHit& hit : out.results.hits) {
    auto a = store_.GetArticle(hit.id);
    if (a && IsVisible(*a, now)) out.hits.emplace_back(std::move(*a), &hit);
  }
  if (out.hits.empty()) out.message = "No stories match your search.";
  return out;
}

Page Site::SearchPage(const SearchParams& params) {
  Pin pin(*this);
  SearchParams p = params;
  p.page = std::clamp(p.page, 1, settings_.max_page);
  if (p.q.size() > SearchIndex::kMaxQueryLength * 4) p.q.resize(SearchIndex::kMaxQueryLength * 4);
  SearchOutcome outcome = RunSearch(p);
  Page page;
  page.template_name = "search";
  std::string title = p.q.empty() ? "Search" : "Search: " + p.q;
  page.model = Chrome(title, "Search the site's stories.", "/search/", "");
  page.model["page"].erase("canonical");
  page.model["page"]["noindex"] = true;
  page.model["page"]["query"] = p.q;
  json items = json::array();
  for (const auto& [article, hit] : outcome.hits) {
    json item = Item(article);
    item["headline_html"] = hit->headline_html;
    item["snippet_html"] = hit->snippet_html;
    items.push_back(item);
  }
  json search = {{"query", p.q},
                 {"items", items},
                 {"total", outcome.results.total},
                 {"has_results", !items.empty()},
                 {"message", outcome.message},
                 {"newest", p.sort == "newest"},
                 {"relevance_url", SearchUrl({p.q, p.section, p.tag, p.author, p.from, p.to, "", 1}, 1)},
                 {"newest_url", SearchUrl({p.q, p.section, p.tag, p.author, p.from, p.to, "newest", 1}, 1)}};
  if (!outcome.results.suggestion.empty()) {
    SearchParams s = p;
    s.q = outcome.results.suggestion;
    search["suggestion"] = {{"text", outcome.results.suggestion}, {"url", SearchUrl(s, 1)}};
  }
  int pages = static_cast<int>((outcome.results.total + settings_.per_page - 1) / settings_.per_page);
  json pagination = {{"current", p.page}, {"total", std::max(pages, 1)}, {"show", pages > 1}};
  if (p.page > 1) pagination["prev_url"] = SearchUrl(p, p.page - 1);
  if (p.page < pages) pagination["next_url"] = SearchUrl(p, p.page + 1);
  search["pagination"] = pagination;
  page.model["search"] = search;
  return page;
}

json Site::SearchApi(const SearchParams& params, int* status) {
  Pin pin(*this);
  SearchOutcome outcome = RunSearch(params);
  *status = 200;
  json results = json::array();
  for (const auto& [article, hit] : outcome.hits) {
    json item = Item(article);
    results.push_back({{"headline", article.headline},
                       {"url", settings_.base_url + item.value("url", "")},
                       {"published", item["published"]["iso"]},
                       {"section", article.section},
                       {"excerpt", item.value("excerpt", "")},
                       {"headline_html", hit->headline_html},
                       {"snippet_html", hit->snippet_html},
                       {"score", hit->score}});
  }
  json out = {{"query", params.q},
              {"total", outcome.results.total},
              {"page", std::max(1, params.page)},
              {"per_page", settings_.per_page},
              {"results", results}};
  if (!outcome.results.suggestion.empty()) out["suggestion"] = outcome.results.suggestion;
  if (!outcome.message.empty()) out["message"] = outcome.message;
  if (outcome.bad_request) *status = 400;
  return out;
}

}  // namespace dateline
