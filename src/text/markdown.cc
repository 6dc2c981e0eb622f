#include "text/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <array>
#include <memory>
#include <mutex>
#include <string_view>

#include "text/excerpt.h"

namespace dateline {

namespace {

// Raw HTML passes cmark-gfm (SanitizeHtml filters it afterwards); invalid
// UTF-8 is replaced rather than copied through.
constexpr int kOptions = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8;

// GFM's "tagfilter" is replaced by FilterRawTextTags below (see markdown.h).
constexpr std::array<const char*, 3> kExtensions = {"table", "strikethrough", "autolink"};

// The elements whose content the HTML parser reads as raw text up to their end
// tag (GFM's tagfilter list, without iframe).
constexpr std::array<std::string_view, 8> kRawTextTags = {
    "title", "textarea", "style", "xmp", "noembed", "noframes", "script", "plaintext"};

bool IsTagNameEnd(std::string_view html, std::size_t pos) {
  if (pos >= html.size()) return true;
  const char c = html[pos];
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

// True when html[pos] is the '<' of "<tag" or "</tag" for a raw-text tag.
bool StartsRawTextTag(std::string_view html, std::size_t pos) {
  std::size_t name = pos + 1;
  if (name < html.size() && html[name] == '/') ++name;
  for (std::string_view tag : kRawTextTags) {
    if (html.size() - name < tag.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < tag.size() && same; ++k) {
      char c = html[name + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == tag[k];
    }
    if (same && IsTagNameEnd(html, name + tag.size())) return true;
  }
  return false;
}

// cmark-gfm escapes every '<' of text, code and attributes, so a literal '<'
// in its output starts either its own markup or raw HTML from the author.
// Escaping the '<' of raw-text tags turns them into visible text.
std::string FilterRawTextTags(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '<' && StartsRawTextTag(html, i)) {
      out += "&lt;";
    } else {
      out += html[i];
    }
  }
  return out;
}

// Guards cmark-gfm's process-wide parser state (see markdown.h).
std::mutex& CmarkMutex() {
  static std::mutex mutex;
  return mutex;
}

void RegisterExtensionsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

// Parses `markdown` with the extensions and hands the tree to `use`, under
// the parser's mutex (the tree's extension nodes read the shared state too).
template <typename Use>
auto WithTree(std::string_view markdown, Use use) -> decltype(use(nullptr, nullptr)) {
  RegisterExtensionsOnce();
  const std::lock_guard<std::mutex> lock(CmarkMutex());
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  if (!parser) return {};
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  if (!document) return {};
  return use(parser.get(), document.get());
}

// cmark-gfm's HTML renderer without the sanitiser.
std::string RenderUnsanitized(std::string_view markdown) {
  return WithTree(markdown, [](cmark_parser* parser, cmark_node* document) -> std::string {
    char* html =
        cmark_render_html(document, kOptions, cmark_parser_get_syntax_extensions(parser));
    if (html == nullptr) return {};
    std::string out(html);
    cmark_get_default_mem_allocator()->free(html);
    return out;
  });
}

// How MarkdownText treats a node (see markdown.h).
enum class TextRole { kNone, kText, kBlock, kSpace, kOther };

TextRole RoleOf(cmark_node* node) {
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_DOCUMENT:
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
      return TextRole::kNone;
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
      return TextRole::kText;
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING:
    case CMARK_NODE_CODE_BLOCK:
      return TextRole::kBlock;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_THEMATIC_BREAK:
      return TextRole::kSpace;
    default:
      break;
  }
  // The extensions' nodes, by name.
  const std::string_view type = cmark_node_get_type_string(node);
  if (type == "strikethrough") return TextRole::kNone;
  if (type == "table" || type == "table_header" || type == "table_row" || type == "table_cell") {
    return TextRole::kBlock;
  }
  return TextRole::kOther;  // raw HTML, an image, or a node unknown here
}

}  // namespace

std::string MarkdownToHtml(std::string_view markdown, const SanitizeOptions& options) {
  return SanitizeHtml(FilterRawTextTags(RenderUnsanitized(markdown)), options);
}

std::optional<std::string> MarkdownText(std::string_view markdown) {
  return WithTree(markdown, [&](cmark_parser*, cmark_node* document) -> std::optional<std::string> {
    std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(document));
    std::string text;
    text.reserve(markdown.size());
    for (cmark_event_type ev = cmark_iter_next(it.get()); ev != CMARK_EVENT_DONE;
         ev = cmark_iter_next(it.get())) {
      cmark_node* node = cmark_iter_get_node(it.get());
      switch (RoleOf(node)) {
        case TextRole::kNone:
          break;
        case TextRole::kText:
          if (const char* literal = cmark_node_get_literal(node)) text += literal;
          break;
        case TextRole::kBlock:
          // A code block is a leaf: one event, its text between the spaces.
          text += ' ';
          if (cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
            if (const char* literal = cmark_node_get_literal(node)) text += literal;
            text += ' ';
          }
          break;
        case TextRole::kSpace:
          text += ' ';
          break;
        case TextRole::kOther:
          return std::nullopt;
      }
    }
    return text;
  });
}

std::string BodyText(std::string_view body, BodyFormat format, const SanitizeOptions& options) {
  if (format == BodyFormat::kMarkdown) {
    if (std::optional<std::string> text = MarkdownText(body)) return CollapsedText(*text);
  }
  return HtmlToText(RenderBody(body, format, options));
}

std::string RenderBody(std::string_view body, BodyFormat format, const SanitizeOptions& options) {
  switch (format) {
    case BodyFormat::kMarkdown:
      return MarkdownToHtml(body, options);
    case BodyFormat::kHtml:
      return SanitizeHtml(body, options);
  }
  return SanitizeHtml(body, options);
}

}  // namespace dateline
