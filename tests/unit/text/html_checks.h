// Test helpers: independent checks that sanitised HTML is harmless.
//
// SafetyProblems() re-parses the output with gumbo (as a browser would) and
// lists everything that would let script run or change the page: forbidden
// elements, event-handler/style/id/class attributes, URL attributes with a
// scheme other than http(s)/mailto/tel, iframes from hosts not allowed. It
// also applies the plain string checks (no "<script", no "javascript:", no
// " on...=" inside a tag). An empty list means safe.
#pragma once

#include <gumbo.h>

#include <algorithm>
#include <cstring>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::testing_html {

inline std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

inline bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  return Lower(haystack).find(Lower(needle)) != std::string::npos;
}

// The scheme a browser would see: controls and spaces removed, lower case.
inline std::string BrowserScheme(std::string_view url) {
  std::string squeezed;
  for (char c : url) {
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7f) squeezed += c;
  }
  const std::size_t end = squeezed.find_first_of(":/?#");
  if (end == std::string::npos || squeezed[end] != ':') return {};
  return Lower(squeezed.substr(0, end));
}

inline std::string HttpsHostOf(std::string_view url) {
  const std::string lower = Lower(url);
  if (!lower.starts_with("https://")) return {};
  const std::string rest = lower.substr(8);
  return rest.substr(0, rest.find_first_of("/?#:"));
}

inline void CheckElement(const GumboNode& node, const std::vector<std::string>& iframe_hosts,
                         std::vector<std::string>& problems) {
  const GumboElement& e = node.v.element;
  const std::string name = e.tag == GUMBO_TAG_UNKNOWN
                               ? std::string(e.original_tag.data, e.original_tag.length)
                               : gumbo_normalized_tagname(e.tag);
  static const char* kForbidden[] = {
      "script", "style",    "object",   "embed",  "form", "input",    "button", "textarea",
      "select", "template", "noscript", "svg",    "math", "link",     "meta",   "base",
      "title",  "frame",    "frameset", "applet", "xmp",  "plaintext"};
  for (const char* f : kForbidden) {
    if (name == f) problems.push_back("element <" + name + ">");
  }
  if (e.tag_namespace != GUMBO_NAMESPACE_HTML) problems.push_back("foreign element " + name);
  if (node.type == GUMBO_NODE_TEMPLATE) problems.push_back("template");
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    const std::string attr = Lower(a->name);
    if (attr.starts_with("on") || attr == "style" || attr == "class" || attr == "id" ||
        attr == "srcdoc" || attr == "formaction" || attr == "action" || attr == "background" ||
        attr == "xmlns" || attr.find(':') != std::string::npos) {
      problems.push_back("attribute " + attr + " on <" + name + ">");
    }
    if (attr == "href" || attr == "src" || attr == "cite" || attr == "data" || attr == "poster") {
      const std::string scheme = BrowserScheme(a->value);
      if (!scheme.empty() && scheme != "http" && scheme != "https" && scheme != "mailto" &&
          scheme != "tel") {
        problems.push_back("url scheme " + scheme + " in " + attr);
      }
    }
  }
  if (e.tag == GUMBO_TAG_IFRAME) {
    const GumboAttribute* src = gumbo_get_attribute(&e.attributes, "src");
    const std::string host = src ? HttpsHostOf(src->value) : std::string();
    if (std::find(iframe_hosts.begin(), iframe_hosts.end(), host) == iframe_hosts.end()) {
      problems.push_back("iframe from '" + host + "'");
    }
  }
}

inline std::vector<std::string> SafetyProblems(std::string_view html,
                                               const std::vector<std::string>& iframe_hosts = {}) {
  std::vector<std::string> problems;
  if (ContainsNoCase(html, "<script")) problems.push_back("contains <script");
  if (ContainsNoCase(html, "javascript:")) problems.push_back("contains javascript:");
  // " on...=" inside a tag, once double-quoted values are taken out (the
  // sanitiser always double-quotes and escapes '"' inside values).
  static const std::regex kTag("<[^>]*>");
  static const std::regex kQuoted("\"[^\"]*\"");
  static const std::regex kHandler("\\son[a-z]+", std::regex::icase);
  const std::string text(html);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kTag); it != std::sregex_iterator();
       ++it) {
    const std::string bare = std::regex_replace(it->str(), kQuoted, "\"\"");
    if (std::regex_search(bare, kHandler)) problems.push_back("handler in tag " + it->str());
  }

  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_DIV;
  GumboOutput* out = gumbo_parse_with_options(&options, text.data(), text.size());
  std::vector<const GumboNode*> stack = {out->root};
  bool first = true;
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) {
      if (node->type == GUMBO_NODE_COMMENT) problems.push_back("comment");
      continue;
    }
    if (!first) CheckElement(*node, iframe_hosts, problems);
    first = false;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
  }
  gumbo_destroy_output(&options, out);
  return problems;
}

// True when `s` is well-formed UTF-8.
inline bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return false;
    std::uint32_t cp = len == 1 ? c : c & (0xff >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace dateline::testing_html
