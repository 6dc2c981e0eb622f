// Stories for store-level tests: a valid article with the fields the store
// requires, ready for SaveArticle.
#pragma once

#include <string>
#include <utility>

#include "core/article.h"

namespace dateline::testing {

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
