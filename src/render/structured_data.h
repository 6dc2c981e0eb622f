// Structured data: JSON-LD (schema.org) written safely into an HTML page.
//
// The site layer builds JSON-LD as plain JSON (NewsArticle, BreadcrumbList,
// CollectionPage, WebSite); JsonLdForHtml serializes it for the inside of
// <script type="application/ld+json">, every string through
// EscapeJsonInHtml so no value can close the script element or break the
// JSON, whatever it holds (&, <, quotes, emoji, RTL, invalid UTF-8).
// Pure: thread-safe, never fails; an empty document gives "".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace dateline {

std::string JsonLdForHtml(const nlohmann::json& doc);

}  // namespace dateline
