// GumboFragment: an HTML fragment parsed by gumbo, plus the small helpers the
// text layer shares when it walks such a tree (private to src/text/).
//
// The fragment is parsed as the children of a <div> in the HTML5 algorithm, so
// the tree is what a browser builds when the string is inserted into a page
// body: entities are decoded, invalid UTF-8 becomes U+FFFD, unclosed tags are
// closed, tables get their implied <tbody>. Children() are the fragment's
// top-level nodes.
//
// Ownership: a GumboFragment owns its gumbo output and a copy of the input
// (gumbo keeps pointers into the buffer); node pointers are valid while it
// lives. Move-only. Parsing never fails: any byte string yields a tree.
//
// Thread-safety: distinct objects may be used on distinct threads; gumbo has
// no global mutable state.
//
// Walk() visits the tree depth-first without recursion (so deeply nested
// input cannot exhaust the stack here); the visitor decides per element
// whether to descend.
#pragma once

#include <gumbo.h>

#include <functional>
#include <string>
#include <string_view>

namespace dateline::text_internal {

class GumboFragment {
 public:
  explicit GumboFragment(std::string_view html);
  ~GumboFragment();
  GumboFragment(GumboFragment&& other) noexcept;
  GumboFragment& operator=(GumboFragment&&) = delete;
  GumboFragment(const GumboFragment&) = delete;
  GumboFragment& operator=(const GumboFragment&) = delete;

  // The <html> element gumbo puts around a fragment; its children are the
  // fragment's top-level nodes.
  const GumboNode* root() const;

 private:
  std::string buffer_;
  GumboOutput* output_ = nullptr;
};

// Callbacks for Walk(). Enter() is called for every element and returns
// whether to visit its children; Leave() is called after the children of an
// element that was entered with `true`. Leaf() receives text, whitespace,
// CDATA and comment nodes.
struct TreeVisitor {
  std::function<bool(const GumboNode& element)> enter;
  std::function<void(const GumboNode& element)> leave;
  std::function<void(const GumboNode& leaf)> leaf;
};

// Visits the children of `parent` (and their descendants) in document order.
void Walk(const GumboNode& parent, const TreeVisitor& visitor);

// Elements whose content is never shown as page text and never passed
// through: scripts, styles, embedded documents, forms and their controls,
// foreign content (SVG, MathML) and document metadata.
bool IsDroppedWithContent(GumboTag tag);

// True for phrasing elements that do not separate words ("<b>Dha</b>ka" is
// one word). Every other element is treated as a block boundary.
bool IsInlineElement(GumboTag tag);

}  // namespace dateline::text_internal
