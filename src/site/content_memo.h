// ContentMemo: the rendered body HTML and the excerpt of each story,
// remembered so that pages, feeds and the static build render a body once.
//
// A story page lists about twenty other stories with their excerpts, a feed
// carries twenty full bodies, and an excerpt is cut from the whole rendered
// body (cmark-gfm, then the gumbo sanitizer, then gumbo again for the text):
// without a memo each page renders twenty-odd bodies.
//
// Entries are keyed by (article id, version): the store adds 1 to `version`
// on every save, so the pair names a story's content exactly. Each entry
// also keeps a hash of the body and its format and is used only when they
// match, so an unsaved article (a preview of an edit, id 0) or an id reused
// after a delete can never be served another text's rendering.
//
// What it returns is exactly what the text layer gives:
//   Html(a)        RenderBody(a.body, a.body_format, options)
//   Excerpt(a)     a.excerpt when hand-written, else
//                  MakeExcerpt(RenderBody(a.body, a.body_format), 55)
//                  (the reader site's excerpt: iframes never count)
//   FeedExcerpt(a) a.excerpt when hand-written, else MakeExcerpt(Html(a), 55)
// The two excerpts differ only when the body holds an allowed <iframe>.
// For Markdown without raw HTML or images (no iframe possible), both are
// cut from the text of the syntax tree (MarkdownText in text/markdown.h),
// which gives the same words without rendering the HTML and parsing it back.
//
// An excerpt needs the first 55 words, not the whole body: for Markdown,
// the excerpt is cut from the leading blocks (up to the first blank line
// after some 165 words of source) when they render to more than 55 words,
// and from the whole body otherwise. Blocks before a blank line render the
// same alone as in the whole body, with two exceptions that send it to the
// whole body: a link reference or footnote definition anywhere (any "]:",
// also in a quote or a list item), which earlier text may use; and fewer than 56 words in the leading
// blocks (markup that shows no words). A list cut between loose items
// renders without <p> around them, which the text does not see. A story
// page lists about twenty stories; rendering their whole bodies (600 words
// on average) for 55 words each was most of a page's first rendering.
//
// Bounded: bodies and excerpts are two least-recently-used lists, each
// within its byte budget (HTML is large and is needed by few pages, an
// excerpt is small and needed by many). Thread-safe: one mutex guards the
// lists; rendering happens outside it, so two threads that miss on the same
// story at once both render it (the same bytes) and one copy is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/article.h"
#include "text/sanitize.h"

namespace dateline {

class ContentMemo {
 public:
  static constexpr std::size_t kDefaultHtmlBytes = std::size_t{32} << 20;
  static constexpr std::size_t kDefaultExcerptBytes = std::size_t{64} << 20;
  static constexpr std::size_t kExcerptWords = 55;

  explicit ContentMemo(SanitizeOptions options, std::size_t html_bytes = kDefaultHtmlBytes,
                       std::size_t excerpt_bytes = kDefaultExcerptBytes);

  std::string Html(const Article& a);
  std::string Excerpt(const Article& a);
  std::string FeedExcerpt(const Article& a);

  struct Stats {
    std::uint64_t html_hits = 0, html_misses = 0;
    std::uint64_t excerpt_hits = 0, excerpt_misses = 0;
    std::uint64_t lead_excerpts = 0;  // misses cut from the leading blocks
    std::size_t html_entries = 0, html_bytes = 0;
    std::size_t excerpt_entries = 0, excerpt_bytes = 0;
  };
  Stats stats() const;

 private:
  struct Key {
    std::int64_t id = 0;
    std::int64_t version = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::int64_t>{}(k.id * 1000003 + k.version);
    }
  };
  // One least-recently-used list of strings within a byte budget.
  struct Lru {
    struct Entry {
      Key key;
      std::size_t source = 0;  // hash of the body and its format
      std::string text;
      std::string feed_text;  // FeedExcerpt, when it differs from `text`
      bool has_feed_text = false;
    };
    std::list<Entry> order;  // most recent first
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index;
    std::size_t bytes = 0;
    std::size_t budget = 0;
    std::uint64_t hits = 0, misses = 0;

    const Entry* Find(const Key& k, std::size_t source);
    void Put(Entry e);
    static std::size_t Cost(const Entry& e) {
      return e.text.capacity() + e.feed_text.capacity() + sizeof(Entry) + 64;
    }
  };
  // Both excerpts of one body (see the header comment), from its HTML.
  struct Excerpts {
    std::string page, feed;
    bool differ = false;
  };
  Excerpts MakeExcerpts(const Article& a, std::string_view body) const;
  // Whether both excerpts were cut short (so more text cannot change them).
  static bool Cut(const Excerpts& x);
  // The leading blocks of a Markdown body to cut its excerpt from (see the
  // header comment), or the whole body.
  static std::string_view ExcerptSource(const Article& a);
  static constexpr std::size_t kExcerptSourceTokens = 3 * kExcerptWords;
  static std::size_t SourceHash(const Article& a);
  static bool Memoizable(const Article& a) { return a.id != 0 && a.version != 0; }
  // The excerpt entry of `a`, rendering (and remembering) it on a miss.
  Lru::Entry ExcerptEntry(const Article& a);

  const SanitizeOptions options_;
  mutable std::mutex mu_;
  Lru html_;
  Lru excerpts_;
  std::uint64_t lead_excerpts_ = 0;  // guarded by mu_
};

}  // namespace dateline
