#include "text/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

#include "base/escape.h"
#include "text/excerpt.h"
#include "text/url_filter.h"

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

// cmark-gfm's HTML of a parsed tree, not sanitised.
std::string RenderHtml(cmark_parser* parser, cmark_node* document) {
  char* html = cmark_render_html(document, kOptions, cmark_parser_get_syntax_extensions(parser));
  if (html == nullptr) return {};
  std::string out(html);
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

// cmark-gfm's HTML renderer without the sanitiser.
std::string RenderUnsanitized(std::string_view markdown) {
  return WithTree(markdown, [](cmark_parser* parser, cmark_node* document) { return RenderHtml(parser, document); });
}

// cmark-gfm's escaping of a link destination (its "href" escaper) as the
// HTML parser reads it back: bytes outside a safe set become %XX, and '&'
// and '\'' stay as they are (cmark-gfm writes them as entities, which the
// parser decodes).
std::string HrefAsParsed(std::string_view url) { return PercentEncode(url, "-_.+!*(),%#@?=;:/$~&'"); }

// Text as the HTML parser reads it from the page: CR LF and a lone CR
// become LF (cmark-gfm writes text and code as they were typed).
std::string_view AsParsed(const char* literal, std::string& scratch) {
  std::string_view text = literal == nullptr ? std::string_view{} : std::string_view(literal);
  if (text.find('\r') == std::string_view::npos) return text;
  scratch.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      scratch += text[i];
    } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
      scratch += '\n';
    }
  }
  return scratch;
}

// Whether `text` holds a character the HTML parser replaces with U+FFFD
// when it reads the page (C0 controls but tab, LF, FF and CR; DEL and the
// C1 controls; the noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF). Such
// text takes the sanitiser, which sees what the parser made of it.
bool ParserReplacesSome(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7F) return true;
      continue;
    }
    auto at = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
    if (c == 0xC2 && at(1) >= 0x80 && at(1) <= 0x9F) return true;
    if (c == 0xEF && at(1) == 0xB7 && at(2) >= 0x90 && at(2) <= 0xAF) return true;
    if (c == 0xEF && at(1) == 0xBF && (at(2) == 0xBE || at(2) == 0xBF)) return true;
    if (c >= 0xF0 && (at(1) & 0x0F) == 0x0F && at(2) == 0xBF && (at(3) == 0xBE || at(3) == 0xBF)) return true;
  }
  return false;
}

// The safe HTML of a tree that holds only what cmark-gfm makes of Markdown
// itself, written straight from the tree: the bytes SanitizeHtml gives for
// cmark-gfm's HTML of it (MarkdownToHtmlViaSanitizer), without writing that
// HTML and parsing it back. cmark-gfm's layout is kept (a newline after each
// block, "<li>" and "<p>" as its renderer places them); the sanitiser's
// rules are applied as it applies them: h1 becomes h2, a code block loses
// its language class, void elements lose " /", text and attributes are
// escaped by EscapeHtml, a link's href goes through FilterUrl (and gets
// rel="noopener" when it leaves the site). Nullopt when the tree holds raw
// HTML, an image, or a node not known here: those take the sanitiser.
std::optional<std::string> SafeHtmlOf(cmark_node* document, std::size_t size_hint) {
  std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(document));
  std::string out;
  out.reserve(size_hint + size_hint / 4 + 64);
  std::string scratch;
  auto cr = [&] {
    if (!out.empty() && out.back() != '\n') out += '\n';
  };
  bool plain = true;  // no text the parser would change (ParserReplacesSome)
  auto text = [&](const char* literal) {
    const std::string_view parsed = AsParsed(literal, scratch);
    if (ParserReplacesSome(parsed)) plain = false;
    out += EscapeHtml(parsed);
  };
  bool in_header_row = false;
  bool tbody_open = false;
  for (cmark_event_type ev = cmark_iter_next(it.get()); ev != CMARK_EVENT_DONE;
       ev = cmark_iter_next(it.get())) {
    cmark_node* node = cmark_iter_get_node(it.get());
    const bool entering = ev == CMARK_EVENT_ENTER;
    // An element cmark-gfm opens on a line of its own and closes with a
    // newline after it.
    auto block = [&](const char* open, const char* close) {
      if (entering) {
        cr();
        out += open;
      } else {
        out += close;
      }
    };
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_DOCUMENT:
        continue;
      case CMARK_NODE_BLOCK_QUOTE:
        cr();
        out += entering ? "<blockquote>\n" : "</blockquote>\n";
        continue;
      case CMARK_NODE_LIST: {
        const bool bullet = cmark_node_get_list_type(node) == CMARK_BULLET_LIST;
        if (!entering) {
          out += bullet ? "</ul>\n" : "</ol>\n";
          continue;
        }
        cr();
        const int start = cmark_node_get_list_start(node);
        if (bullet) {
          out += "<ul>\n";
        } else if (start == 1) {
          out += "<ol>\n";
        } else {
          out += "<ol start=\"" + std::to_string(start) + "\">\n";
        }
        continue;
      }
      case CMARK_NODE_ITEM:
        block("<li>", "</li>\n");
        continue;
      case CMARK_NODE_HEADING: {
        const int level = std::max(2, cmark_node_get_heading_level(node));
        if (entering) cr();
        out += entering ? "<h" : "</h";
        out += static_cast<char>('0' + std::min(level, 6));
        out += entering ? ">" : ">\n";
        continue;
      }
      case CMARK_NODE_CODE_BLOCK:
        cr();
        out += "<pre><code>";
        text(cmark_node_get_literal(node));
        out += "</code></pre>\n";
        continue;
      case CMARK_NODE_THEMATIC_BREAK:
        cr();
        out += "<hr>\n";
        continue;
      case CMARK_NODE_PARAGRAPH: {
        cmark_node* grandparent = cmark_node_parent(cmark_node_parent(node));
        const bool tight = grandparent != nullptr && cmark_node_get_type(grandparent) == CMARK_NODE_LIST &&
                           cmark_node_get_list_tight(grandparent);
        if (!tight) block("<p>", "</p>\n");
        continue;
      }
      case CMARK_NODE_TEXT:
        text(cmark_node_get_literal(node));
        continue;
      case CMARK_NODE_SOFTBREAK:
        out += '\n';
        continue;
      case CMARK_NODE_LINEBREAK:
        out += "<br>\n";
        continue;
      case CMARK_NODE_CODE:
        out += "<code>";
        text(cmark_node_get_literal(node));
        out += "</code>";
        continue;
      case CMARK_NODE_EMPH:
        out += entering ? "<em>" : "</em>";
        continue;
      case CMARK_NODE_STRONG:
        out += entering ? "<strong>" : "</strong>";
        continue;
      case CMARK_NODE_LINK: {
        if (!entering) {
          out += "</a>";
          continue;
        }
        out += "<a";
        const char* url = cmark_node_get_url(node);
        const std::optional<std::string> href = FilterUrl(HrefAsParsed(url == nullptr ? "" : url));
        if (href) {
          out += " href=\"";
          out += EscapeHtml(*href);
          out += '"';
        }
        const char* title = cmark_node_get_title(node);
        if (title != nullptr && *title != '\0') {
          out += " title=\"";
          text(title);
          out += '"';
        }
        if (href && IsAbsoluteHttpUrl(*href)) out += " rel=\"noopener\"";
        out += '>';
        continue;
      }
      default:
        break;
    }
    // The extensions' nodes, by name; anything else takes the sanitiser.
    const std::string_view type = cmark_node_get_type_string(node);
    if (type == "strikethrough") {
      out += entering ? "<del>" : "</del>";
    } else if (type == "table") {
      cr();
      if (entering) {
        out += "<table>";
        tbody_open = false;
      } else {
        if (tbody_open) {
          out += "</tbody>";
          cr();
        }
        tbody_open = false;
        out += "</table>";
        cr();
      }
    } else if (type == "table_header" || type == "table_row") {
      const bool header = cmark_gfm_extensions_get_table_row_is_header(node) != 0;
      cr();
      if (entering) {
        if (header) {
          in_header_row = true;
          out += "<thead>";
          cr();
        } else if (!tbody_open) {
          out += "<tbody>";
          cr();
          tbody_open = true;
        }
        out += "<tr>";
      } else {
        out += "</tr>";
        if (header) {
          cr();
          out += "</thead>";
          in_header_row = false;
        }
      }
    } else if (type == "table_cell") {
      if (!entering) {
        out += in_header_row ? "</th>" : "</td>";
        continue;
      }
      cr();
      out += in_header_row ? "<th" : "<td";
      cmark_node* row = cmark_node_parent(node);
      cmark_node* table = row == nullptr ? nullptr : cmark_node_parent(row);
      const std::uint8_t* align = table == nullptr ? nullptr : cmark_gfm_extensions_get_table_alignments(table);
      std::size_t column = 0;
      for (cmark_node* n = cmark_node_first_child(row); n != nullptr && n != node; n = cmark_node_next(n)) ++column;
      const std::size_t columns = table == nullptr ? 0 : cmark_gfm_extensions_get_table_columns(table);
      if (align != nullptr && column < columns) {
        switch (align[column]) {
          case 'l': out += " align=\"left\""; break;
          case 'c': out += " align=\"center\""; break;
          case 'r': out += " align=\"right\""; break;
          default: break;
        }
      }
      out += '>';
    } else {
      return std::nullopt;  // raw HTML, an image, or a node unknown here
    }
  }
  if (!plain) return std::nullopt;
  return out;
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

std::optional<std::string> MarkdownToHtmlDirect(std::string_view markdown) {
  return WithTree(markdown, [&](cmark_parser*, cmark_node* document) {
    return SafeHtmlOf(document, markdown.size());
  });
}

std::string MarkdownToHtmlViaSanitizer(std::string_view markdown, const SanitizeOptions& options) {
  return SanitizeHtml(FilterRawTextTags(RenderUnsanitized(markdown)), options);
}

std::string MarkdownToHtml(std::string_view markdown, const SanitizeOptions& options) {
  // One parse: the tree is written out directly when it can be, else
  // rendered for the sanitiser (outside the parser's mutex).
  std::string unsanitized;
  std::optional<std::string> direct =
      WithTree(markdown, [&](cmark_parser* parser, cmark_node* document) -> std::optional<std::string> {
        if (std::optional<std::string> html = SafeHtmlOf(document, markdown.size())) return html;
        unsanitized = RenderHtml(parser, document);
        return std::nullopt;
      });
  if (direct) return std::move(*direct);
  return SanitizeHtml(FilterRawTextTags(unsanitized), options);
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
