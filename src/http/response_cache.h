// ResponseCache: rendered responses kept in memory by key (the URL path),
// each with its gzip and brotli variants made once, served by content
// negotiation (Vary: Accept-Encoding) and answered with 304 when the
// client's If-None-Match holds the entry's ETag.
//
// Entries carry tags naming what they show (the app uses "a:<article id>"
// and "list"); Invalidate(tags) drops every entry carrying one of them, so
// a change re-renders only the pages it touches. Memory is bounded: the
// least recently used entries go first once `max_bytes` is passed.
// Concurrent misses on one key render it once: the others wait for that
// render and share its result (no miss storm). A render that overlaps an
// invalidation is served but not kept, so no stale page is cached.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/message.h"

namespace dateline::http {

class ResponseCache {
 public:
  struct Rendered {
    Response response;
    bool cacheable = false;         // only complete 200 answers should be
    std::vector<std::string> tags;  // what the response shows
  };
  using RenderFn = std::function<Rendered()>;

  struct Stats {
    std::uint64_t hits = 0, misses = 0, waits = 0, evictions = 0;
    std::size_t entries = 0, bytes = 0;
  };

  explicit ResponseCache(std::size_t max_bytes);
  ~ResponseCache();

  // The response for `key`: from the cache, or rendered by `render` (and
  // kept when cacheable). Adds ETag, Vary and Content-Encoding as fitting
  // for `req` (GET or HEAD), and answers 304 to a matching If-None-Match.
  Response Serve(const Request& req, const std::string& key, const RenderFn& render);
  // Serve's answer when `key` is in the cache, else nullopt; never renders
  // and never waits for a render (for an I/O thread, http::FastHandler).
  // A 200 comes as a prepared response (Response::prepared) that shares the
  // entry's bytes, for HTTP/1.1 only.
  std::optional<Response> Lookup(const Request& req, const std::string& key);

  void Invalidate(const std::vector<std::string>& tags);
  void Clear();
  Stats stats() const;

 private:
  struct Entry;
  struct Slot;
  // The answer to `req` from `e`: a 304 when its validators match, else the
  // 200 in the coding it accepts, prepared (Response::prepared) when asked
  // and possible.
  static Response Answer(const Request& req, const std::shared_ptr<const Entry>& e, bool prepared);
  // Fills e.prepared (and counts it in e.bytes).
  static void Prepare(Entry& e);
  void Evict();                                                          // mu_ held
  void EraseIfEmpty(const std::string& key, const std::shared_ptr<Slot>& slot);  // mu_ held

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
  std::list<std::string> lru_;  // front = most recent
  std::uint64_t generation_ = 0;
  Stats stats_;
};

// Parses Accept-Encoding: whether the client takes brotli and gzip.
struct AcceptedEncodings {
  bool br = false;
  bool gzip = false;
};
AcceptedEncodings ParseAcceptEncoding(std::string_view header);

// Compressed copies of `data` (empty on failure).
std::string GzipCompress(std::string_view data);
std::string BrotliCompress(std::string_view data);

}  // namespace dateline::http
