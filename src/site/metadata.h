// Page metadata: what search engines, social networks and feed readers read
// from a page's head, derived from its view model.
//
// AddPageMetadata adds `meta` to a page's model: `og[]` ({property,
// content}: Open Graph and article:*), `twitter[]` ({name, content}),
// `json_ld[]` (schema.org documents, serialized for a <script> element by
// render/structured_data.h: NewsArticle (dateModified the newest of
// publishing, editing and correcting; a CorrectionComment per correction)
// + BreadcrumbList on articles, CollectionPage with an ItemList on listings, WebSite with a SearchAction
// and an ItemList on home) and `feeds[]` ({title, type, href} for <link
// rel="alternate">). It reads only the model (with the shared trees its
// stand-ins name), the settings and the given absolute logo URL, so any
// theme can show it. Pages with status 404 get
// feeds only. On articles og:title and twitter:title are `article.seo_title`
// when set, else the headline; descriptions (og, twitter, JSON-LD) are
// `page.description`, which site/ sets to the SEO description when the story
// has one. JSON-LD's headline is always the headline. Pure: thread-safe,
// never fails.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/settings.h"
#include "render/renderer.h"

namespace dateline {

struct PageMetaInput {
  std::string template_name;  // "article", "home", "list", "not_found"
  std::string logo_url;       // absolute
  std::vector<std::array<std::string, 3>> feeds;  // {title, type, href}
  const SharedTrees* shared = nullptr;  // what the model's stand-ins stand for
};

void AddPageMetadata(nlohmann::json& model, const PageMetaInput& in, const SiteSettings& settings);

// The schema.org documents alone (what AddPageMetadata serializes).
std::vector<nlohmann::json> PageJsonLd(const nlohmann::json& model, const PageMetaInput& in,
                                       const SiteSettings& settings);

// The URL template of the site's search (WebSite's SearchAction).
inline constexpr std::string_view kSearchPathTemplate = "/search/?q={search_term_string}";

}  // namespace dateline
