#include "support/html.h"

#include <gumbo.h>

#include <functional>

namespace dateline::testing {

namespace {

struct Doc {
  explicit Doc(const std::string& html)
      : out(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size())) {}
  ~Doc() { gumbo_destroy_output(&kGumboDefaultOptions, out); }
  GumboOutput* out;
};

std::string TagName(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return "";
  if (n->v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(n->v.element.tag);
  GumboStringPiece piece = n->v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return std::string(piece.data, piece.length);
}

std::string Attr(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return "";
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : "";
}

void Walk(const GumboNode* n, const std::function<void(const GumboNode*)>& fn) {
  fn(n);
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) return;
  const GumboVector& kids =
      n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) Walk(static_cast<const GumboNode*>(kids.data[i]), fn);
}

std::string Text(const GumboNode* n) {
  std::string out;
  Walk(n, [&](const GumboNode* c) {
    if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE) out += c->v.text.text;
  });
  return out;
}

}  // namespace

BlockItems InspectBlock(const std::string& html, const std::string& id) {
  Doc doc(html);
  BlockItems r;
  Walk(doc.out->root, [&](const GumboNode* n) {
    if (r.found || Attr(n, "id") != id) return;
    r.found = true;
    r.tag = TagName(n);
    Walk(n, [&](const GumboNode* art) {
      if (TagName(art) != "article") return;
      ++r.articles;
      Walk(art, [&](const GumboNode* h) {
        std::string t = TagName(h);
        if (t.size() != 2 || t[0] != 'h' || t[1] < '1' || t[1] > '6') return;
        Walk(h, [&](const GumboNode* a) {
          if (TagName(a) == "a") r.heading_links.push_back(Attr(a, "href"));
        });
      });
    });
  });
  return r;
}

int CountTags(const std::string& html, const std::string& tag) {
  Doc doc(html);
  int n = 0;
  Walk(doc.out->root, [&](const GumboNode* e) { n += TagName(e) == tag; });
  return n;
}

std::vector<std::string> Attributes(const std::string& html, const std::string& tag,
                                    const std::string& attr) {
  Doc doc(html);
  std::vector<std::string> out;
  Walk(doc.out->root, [&](const GumboNode* e) {
    if (TagName(e) == tag) out.push_back(Attr(e, attr.c_str()));
  });
  return out;
}

std::string FirstText(const std::string& html, const std::string& tag) {
  Doc doc(html);
  std::string out;
  bool done = false;
  Walk(doc.out->root, [&](const GumboNode* e) {
    if (!done && TagName(e) == tag) {
      out = Text(e);
      done = true;
    }
  });
  return out;
}

}  // namespace dateline::testing
