// WxrReader: streams a WordPress eXtended RSS export (WXR 1.0, 1.1, 1.2)
// and hands its parts to a visitor in document order, one at a time.
//
// Why libxml2's xmlTextReader and not pugixml: pugixml builds the whole
// document in memory (a 500 MB export would need well over 500 MB), and
// cutting the file into <item> chunks by hand would mean writing an XML
// tokenizer of our own (CDATA, comments, PIs, entities) and would leave the
// text between items unchecked. The reader is a real streaming parser: it
// checks the whole document for well-formedness, resolves namespaces (WXR
// files redefine prefixes; we match namespace URIs, never prefixes), reports
// errors with line and column, and keeps only the current subtree: each
// <item>, <wp:author> and <wp:category>/<wp:tag>/<wp:term> is expanded on
// its own, turned into the plain structs below, and freed before the next.
// Network access and external entities are off (XML_PARSE_NONET, no
// entity substitution); libxml2's own limits guard against entity bombs.
//
// The WordPress namespace is accepted in its 1.0, 1.1 and 1.2 URIs, over
// http or https (WordPress.com writes https). Elements in any other
// namespace (a redefined "wp" prefix, custom plugins) are ignored.
//
// ReadWxr fails with InvalidArgument "line L, column C: <parser message>"
// for XML that is not well-formed, "not a WordPress export: ..." when the
// root is not <rss><channel> or the wxr_version is missing or not 1.0-1.2,
// IOError when the file cannot be read, or the first non-ok Status a
// visitor callback returns (reading stops there). Only the plain data leaves
// this file: no libxml2 type is visible to callers. Passwords and e-mail
// addresses of authors are never read. Not thread-safe per call; separate
// calls are independent.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace dateline {

struct WxrHeader {
  std::string version;        // "1.2"
  std::string title;          // the blog's name
  std::string link;           // the blog's URL
  std::string base_site_url;  // wp:base_site_url
  std::string base_blog_url;  // wp:base_blog_url
  std::string language;
};

struct WxrAuthor {
  std::string login;         // wp:author_login
  std::string display_name;  // wp:author_display_name
  std::string first_name, last_name;
};

// A channel-level term: wp:category, wp:tag or wp:term.
struct WxrTerm {
  std::string taxonomy;  // "category", "post_tag", or wp:term_taxonomy
  std::string slug;      // nicename (may be percent-encoded UTF-8)
  std::string name;
  std::string parent;    // the parent's slug (categories)
  std::string description;
};

// A <category domain="..." nicename="...">Name</category> on an item.
struct WxrItemTerm {
  std::string domain;  // "category", "post_tag", "author" (Co-Authors Plus), ...
  std::string slug;
  std::string name;
};

struct WxrItem {
  int line = 0;  // where <item> starts, for messages
  std::string title, link, guid, pub_date;
  std::vector<std::string> creators;  // dc:creator logins, in order
  std::string content;                // content:encoded
  std::string excerpt;                // excerpt:encoded
  std::int64_t post_id = 0;
  std::string post_date, post_date_gmt;          // "YYYY-MM-DD HH:MM:SS"
  std::string post_modified, post_modified_gmt;
  std::string post_name, status, post_type, post_password, attachment_url;
  std::int64_t post_parent = 0;
  int menu_order = 0;
  bool sticky = false;
  std::vector<WxrItemTerm> terms;
  std::vector<std::pair<std::string, std::string>> meta;  // wp:postmeta key, value
  int comments = 0;

  // The first value of a postmeta key, or "".
  std::string Meta(std::string_view key) const;
};

class WxrVisitor {
 public:
  virtual ~WxrVisitor() = default;
  // Called once, before the first author, term or item, with the channel's
  // fields seen so far (WordPress writes them all before any item). The
  // version has been checked already.
  virtual Status OnHeader(const WxrHeader&) { return Status::Ok(); }
  virtual Status OnAuthor(const WxrAuthor&) { return Status::Ok(); }
  virtual Status OnTerm(const WxrTerm&) { return Status::Ok(); }
  virtual Status OnItem(const WxrItem&) { return Status::Ok(); }
};

Status ReadWxr(const std::string& path, WxrVisitor& visitor);

}  // namespace dateline
