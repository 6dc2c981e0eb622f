#include "interop/wpautop.h"

#include <array>
#include <vector>

namespace dateline {

namespace {

// wpautop's $allblocks.
constexpr std::array<std::string_view, 46> kBlocks = {
    "table",   "thead",      "tfoot",  "caption", "col",     "colgroup", "tbody",  "tr",
    "td",      "th",         "div",    "dl",      "dd",      "dt",       "ul",     "ol",
    "li",      "pre",        "form",   "map",     "area",    "blockquote", "address", "math",
    "style",   "p",          "h1",     "h2",      "h3",      "h4",       "h5",     "h6",
    "hr",      "fieldset",   "legend", "section", "article", "aside",    "hgroup", "header",
    "footer",  "nav",        "figure", "figcaption", "details", "menu"};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// A tag at `s[i]` ('<'): its lower-cased name, whether it closes, and its
// end (one past '>'). Returns false when `s[i]` does not start a tag.
struct TagInfo {
  std::string name;
  bool closing = false;
  std::size_t end = 0;
};

bool ReadTag(std::string_view s, std::size_t i, TagInfo& t) {
  if (i >= s.size() || s[i] != '<') return false;
  std::size_t j = i + 1;
  t.closing = j < s.size() && s[j] == '/';
  if (t.closing) ++j;
  std::size_t start = j;
  while (j < s.size() && ((Lower(s[j]) >= 'a' && Lower(s[j]) <= 'z') ||
                          (j > start && s[j] >= '0' && s[j] <= '9'))) {
    ++j;
  }
  if (j == start) return false;
  t.name.clear();
  for (std::size_t k = start; k < j; ++k) t.name += Lower(s[k]);
  if (j < s.size() && !IsSpace(s[j]) && s[j] != '>' && s[j] != '/') return false;
  std::size_t gt = s.find('>', j);
  if (gt == std::string_view::npos) return false;
  t.end = gt + 1;
  return true;
}

bool IsBlock(std::string_view name) {
  for (std::string_view b : kBlocks) {
    if (b == name) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Single newlines inside a paragraph become <br />.
std::string Breaks(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      out += "<br />\n";
      while (i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\t')) ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The end of a comment starting at s[i] ("<!--"), or npos.
std::size_t CommentEnd(std::string_view s, std::size_t i) {
  if (s.substr(i, 4) != "<!--") return std::string_view::npos;
  std::size_t e = s.find("-->", i + 4);
  return e == std::string_view::npos ? s.size() : e + 3;
}

std::string Chunk(std::string_view c, const std::vector<std::string>& pres) {
  std::string lead, trail;
  std::string last_open;
  bool peeled = false;
  c = Trim(c);
  for (;;) {
    TagInfo t;
    if (std::size_t e = CommentEnd(c, 0); e != std::string_view::npos) {
      std::string_view comment = c.substr(0, e);
      // A protected <pre> comes back verbatim.
      if (comment.starts_with("<!--autop-pre:")) {
        std::size_t n = std::stoul(std::string(comment.substr(14)));
        lead += n < pres.size() ? pres[n] : "";
        peeled = true;
        last_open.clear();
      } else {
        lead += comment;
      }
      c = Trim(c.substr(e));
    } else if (ReadTag(c, 0, t) && IsBlock(t.name)) {
      lead += c.substr(0, t.end);
      peeled = true;
      last_open = t.closing ? "" : t.name;
      c = Trim(c.substr(t.end));
    } else {
      break;
    }
  }
  for (;;) {
    if (c.ends_with("-->")) {
      std::size_t s = c.rfind("<!--");
      if (s == std::string_view::npos || c.substr(s).starts_with("<!--autop-pre:")) break;
      trail.insert(0, std::string(c.substr(s)));
      c = Trim(c.substr(0, s));
      continue;
    }
    if (!c.ends_with(">")) break;
    std::size_t s = c.rfind('<');
    TagInfo t;
    if (s == std::string_view::npos || !ReadTag(c, s, t) || !t.closing || !IsBlock(t.name) ||
        t.end != c.size()) {
      break;
    }
    trail.insert(0, std::string(c.substr(s)));
    c = Trim(c.substr(0, s));
  }
  std::string out = lead;
  if (!c.empty()) {
    bool wrap = !peeled || last_open == "blockquote";
    out += wrap ? "<p>" + Breaks(c) + "</p>" : Breaks(c);
  }
  out += trail;
  return out;
}

}  // namespace

std::string AutoP(std::string_view in) {
  if (in.find("<!-- wp:") != std::string_view::npos) return std::string(in);
  if (Trim(in).empty()) return "";
  // Normalise line ends; keep <pre> aside; line breaks inside tags become
  // spaces; a blank line before every block start and after every block end.
  std::string text;
  text.reserve(in.size() + in.size() / 8);
  std::vector<std::string> pres;
  for (std::size_t i = 0; i < in.size();) {
    char ch = in[i];
    if (ch == '\r') {
      text += '\n';
      i += i + 1 < in.size() && in[i + 1] == '\n' ? 2 : 1;
      continue;
    }
    if (ch != '<') {
      text += ch;
      ++i;
      continue;
    }
    if (std::size_t e = CommentEnd(in, i); e != std::string_view::npos) {
      text.append(in.substr(i, e - i));
      i = e;
      continue;
    }
    TagInfo t;
    if (!ReadTag(in, i, t)) {
      text += ch;
      ++i;
      continue;
    }
    if (t.name == "pre" && !t.closing) {
      std::size_t close = std::string_view::npos;
      for (std::size_t k = in.find("</", t.end); k != std::string_view::npos;
           k = in.find("</", k + 2)) {
        TagInfo c;
        if (ReadTag(in, k, c) && c.closing && c.name == "pre") {
          close = c.end;
          break;
        }
      }
      std::size_t end = close == std::string_view::npos ? in.size() : close;
      text += "\n\n<!--autop-pre:" + std::to_string(pres.size()) + "-->\n\n";
      pres.emplace_back(in.substr(i, end - i));
      i = end;
      continue;
    }
    bool block = IsBlock(t.name);
    if (block && !t.closing) text += "\n\n";
    for (std::size_t k = i; k < t.end; ++k) text += in[k] == '\n' || in[k] == '\r' ? ' ' : in[k];
    if (block && (t.closing || t.name == "hr")) text += "\n\n";
    i = t.end;
  }
  // Paragraphs: split on lines that hold only whitespace.
  std::string out;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    std::string_view c = std::string_view(text).substr(start, end - start);
    if (!Trim(c).empty()) out += Chunk(c, pres) + "\n";
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    std::size_t k = nl + 1;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    if (k < text.size() && text[k] == '\n') {
      flush(nl);
      while (k < text.size() && IsSpace(text[k])) ++k;
      start = k;
      pos = k;
    } else {
      pos = nl + 1;
    }
  }
  flush(text.size());
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace dateline
