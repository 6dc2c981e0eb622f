// SanitizeHtml: turns untrusted HTML (an article body, a caption, raw HTML
// inside Markdown) into HTML that is safe to place inside a page body.
//
// The input is parsed with gumbo as a fragment in a <div>, exactly as a
// browser would parse it there, and the tree is re-serialised keeping only an
// allowlist of elements and attributes:
//
//   p br hr h2-h6 (h1 becomes h2: the page owns the one h1) strong b em i u s
//   del ins sub sup small mark code pre kbd q cite span div figure figcaption
//   ul li dl dt dd table thead tbody tfoot tr caption
//   blockquote[cite] abbr[title] time[datetime] ol[start reversed]
//   a[href title]            rel="noopener" added when href leaves the site
//   img[src alt width height title]   loading="lazy" added; no src, no img
//   th[colspan rowspan scope align] td[colspan rowspan align]
//   iframe[src width height title allowfullscreen loading]
//       only when src is https and its host is one of options.iframe_hosts
//
// URL attributes (href, src, cite) go through FilterUrl (text/url_filter.h):
// only http, https, mailto, tel, relative and fragment URLs survive. Numeric
// attributes must be digits; enumerated ones must be one of their keywords.
// Everything else (on* handlers, style, class, id, target, ...) is dropped.
// Script, style, embedded documents, forms, template, noscript, SVG, MathML
// and metadata elements are dropped with their content; any other element not
// on the list is unwrapped (its children are kept). Comments are dropped.
// Text is re-escaped (& < >), attribute values too (& < > "), all attributes
// are double-quoted, void elements have no end tag and every other element is
// closed, so the output is well-formed HTML5 and the tree a browser builds
// from it holds only allowed elements and attributes. Re-sanitising the
// output normally changes nothing; the exception is nesting that only an
// unwrapped element made possible (<li><section><li>, <a><marquee><a>), which
// the parser rearranges the second time.
//
// Never fails: any byte string (including invalid UTF-8, which becomes
// U+FFFD) gives a result, possibly empty. Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dateline {

struct SanitizeOptions {
  // Hosts allowed as <iframe src="https://HOST/...">, compared exactly and
  // case-insensitively (no subdomain wildcards). Empty means no iframes.
  std::vector<std::string> iframe_hosts;
};

std::string SanitizeHtml(std::string_view html, const SanitizeOptions& options = {});

}  // namespace dateline
