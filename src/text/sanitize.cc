#include "text/sanitize.h"

#include "base/escape.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <span>

#include "text/gumbo_fragment.h"
#include "text/url_filter.h"

namespace dateline {

namespace {


enum class AttrKind {
  kText,     // any text, escaped
  kUrl,      // must pass FilterUrl
  kNumber,   // one or more ASCII digits
  kInteger,  // optional '-' then digits (ol start)
  kBoolean,  // emitted bare, value ignored
  kScope,    // th scope keyword
  kAlign,    // th/td align keyword
  kLoading,  // lazy | eager
};

struct AttrRule {
  std::string_view name;
  AttrKind kind;
};

constexpr AttrRule kAnchorAttrs[] = {{"href", AttrKind::kUrl}, {"title", AttrKind::kText}};
constexpr AttrRule kImageAttrs[] = {{"src", AttrKind::kUrl},
                                    {"alt", AttrKind::kText},
                                    {"width", AttrKind::kNumber},
                                    {"height", AttrKind::kNumber},
                                    {"title", AttrKind::kText}};
constexpr AttrRule kQuoteAttrs[] = {{"cite", AttrKind::kUrl}};
constexpr AttrRule kAbbrAttrs[] = {{"title", AttrKind::kText}};
constexpr AttrRule kTimeAttrs[] = {{"datetime", AttrKind::kText}};
constexpr AttrRule kListAttrs[] = {{"start", AttrKind::kInteger}, {"reversed", AttrKind::kBoolean}};
constexpr AttrRule kHeaderCellAttrs[] = {{"colspan", AttrKind::kNumber},
                                         {"rowspan", AttrKind::kNumber},
                                         {"scope", AttrKind::kScope},
                                         {"align", AttrKind::kAlign}};
constexpr AttrRule kCellAttrs[] = {
    {"colspan", AttrKind::kNumber}, {"rowspan", AttrKind::kNumber}, {"align", AttrKind::kAlign}};
constexpr AttrRule kFrameAttrs[] = {{"src", AttrKind::kUrl},
                                    {"width", AttrKind::kNumber},
                                    {"height", AttrKind::kNumber},
                                    {"title", AttrKind::kText},
                                    {"allowfullscreen", AttrKind::kBoolean},
                                    {"loading", AttrKind::kLoading}};

struct ElementRule {
  std::string_view name;  // name written to the output
  std::span<const AttrRule> attrs;
  bool is_void = false;
};

// The allowlist. std::nullopt means "not allowed": unwrap or drop.
std::optional<ElementRule> RuleFor(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
      return ElementRule{"p", {}};
    case GUMBO_TAG_BR:
      return ElementRule{"br", {}, true};
    case GUMBO_TAG_HR:
      return ElementRule{"hr", {}, true};
    case GUMBO_TAG_H1:
      return ElementRule{"h2", {}};
    case GUMBO_TAG_H2:
      return ElementRule{"h2", {}};
    case GUMBO_TAG_H3:
      return ElementRule{"h3", {}};
    case GUMBO_TAG_H4:
      return ElementRule{"h4", {}};
    case GUMBO_TAG_H5:
      return ElementRule{"h5", {}};
    case GUMBO_TAG_H6:
      return ElementRule{"h6", {}};
    case GUMBO_TAG_STRONG:
      return ElementRule{"strong", {}};
    case GUMBO_TAG_B:
      return ElementRule{"b", {}};
    case GUMBO_TAG_EM:
      return ElementRule{"em", {}};
    case GUMBO_TAG_I:
      return ElementRule{"i", {}};
    case GUMBO_TAG_U:
      return ElementRule{"u", {}};
    case GUMBO_TAG_S:
      return ElementRule{"s", {}};
    case GUMBO_TAG_DEL:
      return ElementRule{"del", {}};
    case GUMBO_TAG_INS:
      return ElementRule{"ins", {}};
    case GUMBO_TAG_SUB:
      return ElementRule{"sub", {}};
    case GUMBO_TAG_SUP:
      return ElementRule{"sup", {}};
    case GUMBO_TAG_SMALL:
      return ElementRule{"small", {}};
    case GUMBO_TAG_MARK:
      return ElementRule{"mark", {}};
    case GUMBO_TAG_CODE:
      return ElementRule{"code", {}};
    case GUMBO_TAG_PRE:
      return ElementRule{"pre", {}};
    case GUMBO_TAG_KBD:
      return ElementRule{"kbd", {}};
    case GUMBO_TAG_BLOCKQUOTE:
      return ElementRule{"blockquote", kQuoteAttrs};
    case GUMBO_TAG_Q:
      return ElementRule{"q", {}};
    case GUMBO_TAG_ABBR:
      return ElementRule{"abbr", kAbbrAttrs};
    case GUMBO_TAG_A:
      return ElementRule{"a", kAnchorAttrs};
    case GUMBO_TAG_IMG:
      return ElementRule{"img", kImageAttrs, true};
    case GUMBO_TAG_FIGURE:
      return ElementRule{"figure", {}};
    case GUMBO_TAG_FIGCAPTION:
      return ElementRule{"figcaption", {}};
    case GUMBO_TAG_UL:
      return ElementRule{"ul", {}};
    case GUMBO_TAG_OL:
      return ElementRule{"ol", kListAttrs};
    case GUMBO_TAG_LI:
      return ElementRule{"li", {}};
    case GUMBO_TAG_DL:
      return ElementRule{"dl", {}};
    case GUMBO_TAG_DT:
      return ElementRule{"dt", {}};
    case GUMBO_TAG_DD:
      return ElementRule{"dd", {}};
    case GUMBO_TAG_TABLE:
      return ElementRule{"table", {}};
    case GUMBO_TAG_THEAD:
      return ElementRule{"thead", {}};
    case GUMBO_TAG_TBODY:
      return ElementRule{"tbody", {}};
    case GUMBO_TAG_TFOOT:
      return ElementRule{"tfoot", {}};
    case GUMBO_TAG_TR:
      return ElementRule{"tr", {}};
    case GUMBO_TAG_TH:
      return ElementRule{"th", kHeaderCellAttrs};
    case GUMBO_TAG_TD:
      return ElementRule{"td", kCellAttrs};
    case GUMBO_TAG_CAPTION:
      return ElementRule{"caption", {}};
    case GUMBO_TAG_SPAN:
      return ElementRule{"span", {}};
    case GUMBO_TAG_DIV:
      return ElementRule{"div", {}};
    case GUMBO_TAG_CITE:
      return ElementRule{"cite", {}};
    case GUMBO_TAG_TIME:
      return ElementRule{"time", kTimeAttrs};
    case GUMBO_TAG_IFRAME:
      return ElementRule{"iframe", kFrameAttrs};
    default:
      return std::nullopt;
  }
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimAscii(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\f";
  const std::size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool OneOf(std::string_view value, std::initializer_list<std::string_view> keywords) {
  return std::find(keywords.begin(), keywords.end(), value) != keywords.end();
}

// The value to emit for an attribute, std::nullopt to drop it. Booleans
// return an empty string and are written bare.
std::optional<std::string> FilterValue(AttrKind kind, std::string_view raw) {
  switch (kind) {
    case AttrKind::kText:
      return std::string(raw);
    case AttrKind::kUrl:
      return FilterUrl(raw);
    case AttrKind::kNumber: {
      const std::string_view v = TrimAscii(raw);
      if (!AllDigits(v)) return std::nullopt;
      return std::string(v);
    }
    case AttrKind::kInteger: {
      const std::string_view v = TrimAscii(raw);
      if (!AllDigits(v.starts_with('-') ? v.substr(1) : v)) return std::nullopt;
      return std::string(v);
    }
    case AttrKind::kBoolean:
      return std::string();
    case AttrKind::kScope: {
      std::string v = AsciiLower(TrimAscii(raw));
      if (!OneOf(v, {"row", "col", "rowgroup", "colgroup"})) return std::nullopt;
      return v;
    }
    case AttrKind::kAlign: {
      std::string v = AsciiLower(TrimAscii(raw));
      if (!OneOf(v, {"left", "center", "right", "justify", "char"})) return std::nullopt;
      return v;
    }
    case AttrKind::kLoading: {
      std::string v = AsciiLower(TrimAscii(raw));
      if (!OneOf(v, {"lazy", "eager"})) return std::nullopt;
      return v;
    }
  }
  return std::nullopt;
}

const char* AttributeValue(const GumboElement& element, std::string_view name) {
  for (unsigned i = 0; i < element.attributes.length; ++i) {
    const auto* attr = static_cast<const GumboAttribute*>(element.attributes.data[i]);
    if (name == attr->name) return attr->value;
  }
  return nullptr;
}

bool IframeAllowed(const GumboElement& element, const SanitizeOptions& options) {
  const char* src = AttributeValue(element, "src");
  if (src == nullptr) return false;
  const std::optional<std::string> url = FilterUrl(src);
  if (!url) return false;
  const std::optional<std::string> host = HttpsHost(*url);
  if (!host) return false;
  return std::any_of(options.iframe_hosts.begin(), options.iframe_hosts.end(),
                     [&](const std::string& allowed) { return AsciiLower(allowed) == *host; });
}

class Serializer {
 public:
  explicit Serializer(const SanitizeOptions& options) : options_(options) {}

  // Returns whether the element's children should be visited.
  bool Enter(const GumboNode& node) {
    const GumboElement& element = node.v.element;
    if (node.type == GUMBO_NODE_TEMPLATE || element.tag_namespace != GUMBO_NAMESPACE_HTML) {
      return false;  // template content and foreign (SVG, MathML) content
    }
    if (element.tag == GUMBO_TAG_IFRAME) {
      if (IframeAllowed(element, options_) && WriteStartTag(element, *RuleFor(element.tag))) {
        out_ += "</iframe>";
      }
      return false;  // iframe content is raw text meant for no one
    }
    if (text_internal::IsDroppedWithContent(element.tag)) return false;
    const std::optional<ElementRule> rule = RuleFor(element.tag);
    if (!rule) return true;  // unwrap: keep the children, lose the tag
    if (!WriteStartTag(element, *rule)) return false;
    if (element.tag == GUMBO_TAG_PRE) {
      // The parser drops one newline right after <pre>; keep a leading
      // newline of the content from being eaten when the output is parsed.
      if (element.children.length > 0) {
        const auto* first = static_cast<const GumboNode*>(element.children.data[0]);
        if ((first->type == GUMBO_NODE_TEXT || first->type == GUMBO_NODE_WHITESPACE) &&
            first->v.text.text[0] == '\n') {
          out_ += '\n';
        }
      }
    }
    return !rule->is_void;
  }

  void Leave(const GumboNode& node) {
    const std::optional<ElementRule> rule = RuleFor(node.v.element.tag);
    if (!rule || rule->is_void) return;  // unwrapped, or no end tag
    out_ += "</";
    out_ += rule->name;
    out_ += '>';
  }

  void Leaf(const GumboNode& node) {
    if (node.type == GUMBO_NODE_TEXT || node.type == GUMBO_NODE_WHITESPACE) {
      out_ += EscapeHtml(node.v.text.text);
    }
    // Comments and CDATA (only possible in foreign content) are dropped.
  }

  std::string Take() { return std::move(out_); }

 private:
  // Writes "<name attrs>"; returns false (writing nothing) when the element
  // cannot be kept without a required attribute (img without a safe src).
  bool WriteStartTag(const GumboElement& element, const ElementRule& rule) {
    std::string attrs;
    bool has_src = false;
    bool has_loading = false;
    bool external_link = false;
    for (unsigned i = 0; i < element.attributes.length; ++i) {
      const auto* attr = static_cast<const GumboAttribute*>(element.attributes.data[i]);
      const std::string_view name = attr->name;  // gumbo lower-cases names
      const auto it = std::find_if(rule.attrs.begin(), rule.attrs.end(),
                                   [&](const AttrRule& r) { return r.name == name; });
      if (it == rule.attrs.end()) continue;
      const std::optional<std::string> value = FilterValue(it->kind, attr->value);
      if (!value) continue;
      attrs += ' ';
      attrs += it->name;
      if (it->kind != AttrKind::kBoolean) {
        attrs += "=\"";
        attrs += EscapeHtml(*value);
        attrs += '"';
      }
      if (name == "src") has_src = true;
      if (name == "loading") has_loading = true;
      if (name == "href" && IsAbsoluteHttpUrl(*value)) external_link = true;
    }
    if (element.tag == GUMBO_TAG_IMG && !has_src) return false;
    if (external_link) attrs += " rel=\"noopener\"";
    if ((element.tag == GUMBO_TAG_IMG || element.tag == GUMBO_TAG_IFRAME) && !has_loading) {
      attrs += " loading=\"lazy\"";
    }
    out_ += '<';
    out_ += rule.name;
    out_ += attrs;
    out_ += '>';
    return true;
  }

  const SanitizeOptions& options_;
  std::string out_;
};

}  // namespace

std::string SanitizeHtml(std::string_view html, const SanitizeOptions& options) {
  const text_internal::GumboFragment fragment(html);
  if (fragment.root() == nullptr) return {};
  Serializer serializer(options);
  text_internal::TreeVisitor visitor;
  visitor.enter = [&](const GumboNode& n) { return serializer.Enter(n); };
  visitor.leave = [&](const GumboNode& n) { serializer.Leave(n); };
  visitor.leaf = [&](const GumboNode& n) { serializer.Leaf(n); };
  text_internal::Walk(*fragment.root(), visitor);
  return serializer.Take();
}

}  // namespace dateline
