// Stories for store-level tests: a valid article with the fields the store
// requires, ready for SaveArticle.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "core/article.h"

namespace dateline::testing {

// The slug function the site-layer tests give their stores: lowercase,
// spaces to hyphens.
inline std::string LowerSlug(std::string_view name) {
  std::string out;
  for (char c : name) out += (c == ' ') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "Headline SLUG", body "Body of SLUG", section "world", at `published`.
inline Article Story(std::string slug, Seconds published,
                     PublishState state = PublishState::kPublished) {
  Article a;
  a.headline = "Headline " + slug;
  a.body = "Body of " + slug;
  a.slug = std::move(slug);
  a.status = state;
  a.published_at = published;
  a.section = "world";
  return a;
}

}  // namespace dateline::testing
