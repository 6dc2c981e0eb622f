// Small HTML inspection helpers for tests, on gumbo (the same HTML5 parser
// the sanitizer uses, so tests see what a browser sees).
#pragma once

#include <string>
#include <vector>

namespace dateline::testing {

struct BlockItems {
  bool found = false;        // the element with that id exists
  std::string tag;           // its tag name ("section")
  int articles = 0;          // <article> elements inside it
  std::vector<std::string> heading_links;  // href of <a> inside a heading inside each article
};

// Inspects the element with id=`id`.
BlockItems InspectBlock(const std::string& html, const std::string& id);

// Count of elements with this tag name in the document.
int CountTags(const std::string& html, const std::string& tag);

// Attribute `attr` of every element `tag` (e.g. all a/href).
std::vector<std::string> Attributes(const std::string& html, const std::string& tag,
                                    const std::string& attr);

// The text content of the first element `tag` (e.g. "h1", "title").
std::string FirstText(const std::string& html, const std::string& tag);

}  // namespace dateline::testing
