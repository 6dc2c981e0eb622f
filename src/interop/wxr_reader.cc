#include "interop/wxr_reader.h"

#include <libxml/xmlreader.h>

#include <charconv>
#include <memory>
#include <string_view>

namespace dateline {

namespace {

constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";

std::string_view Sv(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

// "http(s)://wordpress.org/export/1.N/" followed by `tail`.
bool IsWpNamespace(std::string_view uri, std::string_view tail = "") {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!uri.starts_with(scheme)) continue;
    std::string_view rest = uri.substr(scheme.size());
    constexpr std::string_view kBase = "wordpress.org/export/1.";
    if (!rest.starts_with(kBase)) return false;
    rest = rest.substr(kBase.size());
    if (rest.size() < 2 || rest[0] < '0' || rest[0] > '2' || rest[1] != '/') return false;
    return rest.substr(2) == tail;
  }
  return false;
}

enum class Ns { kNone, kWp, kExcerpt, kContent, kDc, kOther };

Ns NamespaceOf(const xmlNode* n) {
  if (n->ns == nullptr || n->ns->href == nullptr || Sv(n->ns->href).empty()) return Ns::kNone;
  std::string_view uri = Sv(n->ns->href);
  if (IsWpNamespace(uri)) return Ns::kWp;
  if (IsWpNamespace(uri, "excerpt/")) return Ns::kExcerpt;
  if (uri == kContentNs) return Ns::kContent;
  if (uri == kDcNs) return Ns::kDc;
  return Ns::kOther;
}

std::string Text(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string out = c == nullptr ? "" : reinterpret_cast<const char*>(c);
  xmlFree(c);
  return out;
}

std::string Trimmed(std::string s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string out = v == nullptr ? "" : reinterpret_cast<const char*>(v);
  xmlFree(v);
  return out;
}

std::int64_t Int(const std::string& s) {
  std::string t = Trimmed(s);
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

template <typename Fn>
void ForChildren(const xmlNode* n, Fn fn) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) fn(c, Sv(c->name), NamespaceOf(c));
  }
}

WxrItem ParseItem(const xmlNode* n) {
  WxrItem it;
  it.line = static_cast<int>(xmlGetLineNo(n));
  ForChildren(n, [&](const xmlNode* c, std::string_view name, Ns ns) {
    if (ns == Ns::kNone) {
      if (name == "title") it.title = Trimmed(Text(c));
      else if (name == "link") it.link = Trimmed(Text(c));
      else if (name == "guid") it.guid = Trimmed(Text(c));
      else if (name == "pubDate") it.pub_date = Trimmed(Text(c));
      else if (name == "category") {
        it.terms.push_back({Attr(c, "domain"), Attr(c, "nicename"), Trimmed(Text(c))});
      }
    } else if (ns == Ns::kDc && name == "creator") {
      std::string login = Trimmed(Text(c));
      if (!login.empty()) it.creators.push_back(login);
    } else if (ns == Ns::kContent && name == "encoded") {
      if (it.content.empty()) it.content = Text(c);
    } else if (ns == Ns::kExcerpt && name == "encoded") {
      if (it.excerpt.empty()) it.excerpt = Text(c);
    } else if (ns == Ns::kWp) {
      // The first of a repeated element wins, as in WordPress's importer.
      auto once = [&](std::string& field) {
        if (field.empty()) field = Trimmed(Text(c));
      };
      if (name == "post_id") {
        if (it.post_id == 0) it.post_id = Int(Text(c));
      } else if (name == "post_date") once(it.post_date);
      else if (name == "post_date_gmt") once(it.post_date_gmt);
      else if (name == "post_modified") once(it.post_modified);
      else if (name == "post_modified_gmt") once(it.post_modified_gmt);
      else if (name == "post_name") once(it.post_name);
      else if (name == "status") once(it.status);
      else if (name == "post_type") once(it.post_type);
      else if (name == "post_password") once(it.post_password);
      else if (name == "attachment_url") once(it.attachment_url);
      else if (name == "post_parent") it.post_parent = Int(Text(c));
      else if (name == "menu_order") it.menu_order = static_cast<int>(Int(Text(c)));
      else if (name == "is_sticky") it.sticky = Int(Text(c)) != 0;
      else if (name == "comment") ++it.comments;
      else if (name == "postmeta") {
        std::string key, value;
        bool has_key = false;
        ForChildren(c, [&](const xmlNode* m, std::string_view mname, Ns mns) {
          if (mns != Ns::kWp) return;
          if (mname == "meta_key" && !has_key) {
            key = Trimmed(Text(m));
            has_key = true;
          } else if (mname == "meta_value") {
            value = Text(m);
          }
        });
        if (has_key) it.meta.emplace_back(std::move(key), std::move(value));
      }
    }
  });
  return it;
}

WxrAuthor ParseAuthor(const xmlNode* n) {
  WxrAuthor a;
  ForChildren(n, [&](const xmlNode* c, std::string_view name, Ns ns) {
    if (ns != Ns::kWp) return;
    if (name == "author_login") a.login = Trimmed(Text(c));
    else if (name == "author_display_name") a.display_name = Trimmed(Text(c));
    else if (name == "author_first_name") a.first_name = Trimmed(Text(c));
    else if (name == "author_last_name") a.last_name = Trimmed(Text(c));
  });
  return a;
}

WxrTerm ParseTerm(const xmlNode* n, std::string_view kind) {
  WxrTerm t;
  if (kind == "category") t.taxonomy = "category";
  if (kind == "tag") t.taxonomy = "post_tag";
  ForChildren(n, [&](const xmlNode* c, std::string_view name, Ns ns) {
    if (ns != Ns::kWp) return;
    if (name == "category_nicename" || name == "tag_slug" || name == "term_slug") {
      t.slug = Trimmed(Text(c));
    } else if (name == "cat_name" || name == "tag_name" || name == "term_name") {
      t.name = Trimmed(Text(c));
    } else if (name == "category_parent" || name == "term_parent") {
      t.parent = Trimmed(Text(c));
    } else if (name == "category_description" || name == "tag_description" ||
               name == "term_description") {
      t.description = Trimmed(Text(c));
    } else if (name == "term_taxonomy") {
      t.taxonomy = Trimmed(Text(c));
    }
  });
  return t;
}

// Collects the first error libxml2 reports, with its position.
struct ErrorSink {
  bool failed = false;
  std::string message;
};

void OnXmlError(void* arg, xmlErrorPtr e) {
  auto* sink = static_cast<ErrorSink*>(arg);
  // Only fatal errors break well-formedness; namespace complaints (a
  // non-ASCII namespace URI, say) are errors libxml2 recovers from.
  if (e == nullptr || e->level < XML_ERR_FATAL || sink->failed) return;
  sink->failed = true;
  std::string msg = e->message == nullptr ? "not well-formed" : e->message;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  sink->message = "line " + std::to_string(e->line) + ", column " + std::to_string(e->int2) +
                  ": " + msg;
}

struct ReaderDeleter {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
};

}  // namespace

std::string WxrItem::Meta(std::string_view key) const {
  for (const auto& [k, v] : meta) {
    if (k == key) return v;
  }
  return "";
}

Status ReadWxr(const std::string& path, WxrVisitor& visitor) {
  xmlInitParser();
  std::unique_ptr<xmlTextReader, ReaderDeleter> reader(
      xmlReaderForFile(path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOCDATA));
  if (!reader) return Status::IOError("cannot read " + path);
  ErrorSink sink;
  xmlTextReaderSetStructuredErrorHandler(reader.get(), OnXmlError, &sink);
  xmlTextReader* r = reader.get();

  WxrHeader header;
  bool header_sent = false;
  bool saw_channel = false;
  auto send_header = [&]() -> Status {
    if (header_sent) return Status::Ok();
    header_sent = true;
    if (header.version.empty()) {
      return Status::InvalidArgument("not a WordPress export: no <wp:wxr_version> in the channel");
    }
    if (header.version != "1.0" && header.version != "1.1" && header.version != "1.2") {
      return Status::InvalidArgument("not a supported WordPress export: wxr_version \"" +
                                     header.version + "\" (expected 1.0, 1.1 or 1.2)");
    }
    return visitor.OnHeader(header);
  };
  auto xml_error = [&]() {
    return Status::InvalidArgument(sink.failed ? sink.message : "the XML could not be read");
  };

  int ret = xmlTextReaderRead(r);
  while (ret == 1) {
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(r);
      continue;
    }
    int depth = xmlTextReaderDepth(r);
    std::string_view name = Sv(xmlTextReaderConstLocalName(r));
    std::string_view uri = Sv(xmlTextReaderConstNamespaceUri(r));
    if (depth == 0) {
      if (name != "rss" || !uri.empty()) {
        return Status::InvalidArgument("not a WordPress export: the root element is <" +
                                       std::string(name) + ">, not <rss>");
      }
      ret = xmlTextReaderRead(r);
      continue;
    }
    if (depth == 1) {
      if (name == "channel" && uri.empty()) saw_channel = true;
      ret = saw_channel && name == "channel" ? xmlTextReaderRead(r) : xmlTextReaderNext(r);
      continue;
    }
    if (depth != 2 || !saw_channel) {
      ret = xmlTextReaderNext(r);
      continue;
    }
    bool wp = IsWpNamespace(uri);
    bool is_item = uri.empty() && name == "item";
    bool is_author = wp && name == "author";
    bool is_term = wp && (name == "category" || name == "tag" || name == "term");
    bool is_field = (uri.empty() && (name == "title" || name == "link" || name == "language")) ||
                    (wp && (name == "wxr_version" || name == "base_site_url" ||
                            name == "base_blog_url"));
    if (!is_item && !is_author && !is_term && !is_field) {
      ret = xmlTextReaderNext(r);
      continue;
    }
    xmlNode* node = xmlTextReaderExpand(r);
    if (node == nullptr) return xml_error();
    Status s;
    if (is_field) {
      std::string v = Trimmed(Text(node));
      if (name == "title") header.title = v;
      else if (name == "link") header.link = v;
      else if (name == "language") header.language = v;
      else if (name == "wxr_version") header.version = v;
      else if (name == "base_site_url") header.base_site_url = v;
      else if (name == "base_blog_url") header.base_blog_url = v;
    } else {
      s = send_header();
      if (s.ok() && is_item) s = visitor.OnItem(ParseItem(node));
      if (s.ok() && is_author) s = visitor.OnAuthor(ParseAuthor(node));
      if (s.ok() && is_term) s = visitor.OnTerm(ParseTerm(node, name));
    }
    if (!s.ok()) return s;
    if (sink.failed) return xml_error();
    ret = xmlTextReaderNext(r);
  }
  if (ret < 0 || sink.failed) return xml_error();
  if (!saw_channel) return Status::InvalidArgument("not a WordPress export: no <channel>");
  return send_header();
}

}  // namespace dateline
