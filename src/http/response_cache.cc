#include "http/response_cache.h"

#include <brotli/encode.h>
#include <libdeflate.h>

#include <condition_variable>
#include <memory>

#include "http/conditional.h"
#include "http/http_date.h"
#include "http/wire.h"

namespace dateline::http {

namespace {
// The codings an entry may be sent in.
enum Coding : int { kIdentity = 0, kGzip = 1, kBrotli = 2 };
}  // namespace

struct ResponseCache::Entry {
  Response identity;
  std::string gzip;
  std::string brotli;
  // Each coding's 200 answer as bytes ready to send (Lookup's answers),
  // when the response can be prepared (wire::Prepare).
  std::optional<PreparedResponse> prepared[3];
  std::string etag;
  std::optional<Seconds> last_modified;  // from the response's Last-Modified
  std::vector<std::string> tags;
  std::size_t bytes = 0;
};

// A key's place in the cache: a finished entry, or a render in flight that
// other requests for the key wait on.
struct ResponseCache::Slot {
  std::shared_ptr<const Entry> entry;
  bool rendering = false;
  std::condition_variable done;
  std::shared_ptr<const Entry> shared;  // what the in-flight render produced
  std::list<std::string>::iterator lru;
  bool in_lru = false;
};

namespace {

bool Compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("xml") != std::string_view::npos ||
         content_type.find("json") != std::string_view::npos ||
         content_type.find("javascript") != std::string_view::npos ||
         content_type.starts_with("image/svg");
}

// The q-value of `coding` in an Accept-Encoding list (-1 when absent).
double QValue(std::string_view header, std::string_view coding) {
  double star = -1;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    std::size_t semi = item.find(';');
    std::string_view name = item.substr(0, semi);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      std::size_t qpos = params.find("q=");
      if (qpos != std::string_view::npos) q = std::atof(std::string(params.substr(qpos + 2)).c_str());
    }
    if (name.size() == coding.size() &&
        std::equal(name.begin(), name.end(), coding.begin(),
                   [](char a, char b) { return std::tolower(a) == b; })) {
      return q;
    }
    if (name == "*") star = q;
  }
  return star;
}

}  // namespace

AcceptedEncodings ParseAcceptEncoding(std::string_view header) {
  return {QValue(header, "br") > 0, QValue(header, "gzip") > 0};
}

// Compression levels. On the story pages of a 1,000-story build (400 pages
// of about 24 KB; bench/compress_levels):
// brotli quality 9 took 16 ms a page for 29.4% of the size, quality 5
// 0.41 ms for 29.5%. Every page is compressed once per render, so these
// are the levels that keep a cache miss and the static build cheap.
// gzip is libdeflate's (whole buffers, no streaming): at level 6 it made
// the same builds' pages in 0.44 ms (zlib level 6: 0.85 ms) and their feeds
// in 1.4 ms (zlib: 3.4 ms), each a little smaller than zlib's
// (bench/compress_levels).
constexpr int kGzipLevel = 6;
constexpr int kBrotliQuality = 5;

// The compressors write into a buffer of the worst case's size, kept per
// thread; the answer is a string of the compressed size. (A string sized
// for the worst case and then shortened keeps its capacity: each cached
// page's gzip and brotli variants held about the identity body's size
// again, twice the bytes the cache counted.)
namespace {
char* CompressionBuffer(std::size_t size) {
  thread_local std::string buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}
}  // namespace

std::string GzipCompress(std::string_view data) {
  // A compressor holds its tables (some hundreds of KB): one per thread,
  // made on first use.
  struct Free {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };
  thread_local std::unique_ptr<libdeflate_compressor, Free> compressor(
      libdeflate_alloc_compressor(kGzipLevel));
  if (!compressor) return {};
  const std::size_t bound = libdeflate_gzip_compress_bound(compressor.get(), data.size());
  char* out = CompressionBuffer(bound);
  std::size_t size = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out, bound);
  if (size == 0) return {};
  return std::string(out, size);
}

std::string BrotliCompress(std::string_view data) {
  std::size_t size = BrotliEncoderMaxCompressedSize(data.size());
  if (size == 0) size = data.size() + 1024;
  char* out = CompressionBuffer(size);
  if (!BrotliEncoderCompress(kBrotliQuality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                             reinterpret_cast<const uint8_t*>(data.data()), &size,
                             reinterpret_cast<uint8_t*>(out))) {
    return {};
  }
  return std::string(out, size);
}

ResponseCache::ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
ResponseCache::~ResponseCache() = default;

namespace {

// What every answer from `e` carries: the rendered response's status and
// headers, its ETag, and Vary when it has compressed copies.
template <typename E>
Response Common(const E& e) {
  Response r;
  r.status = e.identity.status;
  r.content_type = e.identity.content_type;
  r.headers.reserve(e.identity.headers.size() + 3);
  r.headers = e.identity.headers;
  r.headers.emplace_back("ETag", e.etag);
  if (!e.gzip.empty() || !e.brotli.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  return r;
}

// Whether `req`'s validators (If-None-Match, else If-Modified-Since) match.
template <typename E>
bool NotModified(const Request& req, const E& e) {
  const std::string* inm = req.Header("if-none-match");
  if (inm != nullptr) return EtagMatches(*inm, e.etag);
  if (!e.last_modified) return false;
  const std::string* ims = req.Header("if-modified-since");
  std::optional<Seconds> since = ims ? ParseHttpDate(*ims) : std::nullopt;
  return since && *since >= *e.last_modified;
}

// The coding to send `e` in to `req`: brotli, else gzip, as accepted.
template <typename E>
Coding Choose(const Request& req, const E& e) {
  const std::string* ae = req.Header("accept-encoding");
  AcceptedEncodings accepted = ParseAcceptEncoding(ae ? *ae : "");
  if (accepted.br && !e.brotli.empty()) return kBrotli;
  if (accepted.gzip && !e.gzip.empty()) return kGzip;
  return kIdentity;
}

// The body of `e` in `coding`.
template <typename E>
const std::string& BodyIn(const E& e, Coding coding) {
  return coding == kBrotli ? e.brotli : coding == kGzip ? e.gzip : e.identity.body;
}

// The 200 answer of `e` in `coding`, body and all.
template <typename E>
Response Full(const E& e, Coding coding) {
  Response r = Common(e);
  if (coding == kBrotli) r.headers.emplace_back("Content-Encoding", "br");
  if (coding == kGzip) r.headers.emplace_back("Content-Encoding", "gzip");
  r.body = BodyIn(e, coding);
  return r;
}

}  // namespace

Response ResponseCache::Answer(const Request& req, const std::shared_ptr<const Entry>& e,
                              bool prepared) {
  if (NotModified(req, *e)) {
    Response r = Common(*e);
    r.status = 304;
    return r;
  }
  Coding coding = Choose(req, *e);
  // A prepared answer shares the entry's bytes (kept alive by the aliasing
  // pointer); a plain one copies the body once (a story page's is ~24 KB).
  if (const std::optional<PreparedResponse>& p = e->prepared[coding]; prepared && p) {
    Response r;
    r.status = 200;
    r.prepared = std::shared_ptr<const PreparedResponse>(e, &*p);
    return r;
  }
  return Full(*e, coding);
}

void ResponseCache::Prepare(Entry& e) {
  for (Coding coding : {kIdentity, kGzip, kBrotli}) {
    const std::string& body = BodyIn(e, coding);
    if (coding != kIdentity && body.empty()) continue;
    Result<PreparedResponse> p = wire::Prepare(Full(e, coding));
    if (!p) continue;  // sent the plain way, which reports the problem
    p->body = body;
    e.bytes += p->head.size() + p->tail.size();
    e.prepared[coding] = std::move(*p);
  }
}

std::optional<Response> ResponseCache::Lookup(const Request& req, const std::string& key) {
  std::shared_ptr<const Entry> e;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(key);
    if (it == slots_.end() || !it->second->entry) return std::nullopt;
    ++stats_.hits;
    Slot& slot = *it->second;
    if (slot.in_lru) lru_.splice(lru_.begin(), lru_, slot.lru);
    e = slot.entry;
  }
  return Answer(req, e, /*prepared=*/true);
}

Response ResponseCache::Serve(const Request& req, const std::string& key, const RenderFn& render) {
  std::shared_ptr<Slot> slot;
  std::uint64_t generation;
  {
    std::unique_lock lock(mu_);
    for (;;) {
      auto it = slots_.find(key);
      if (it == slots_.end()) {
        slot = std::make_shared<Slot>();
        slots_[key] = slot;
        break;
      }
      slot = it->second;
      if (slot->entry) {
        ++stats_.hits;
        if (slot->in_lru) lru_.splice(lru_.begin(), lru_, slot->lru);
        std::shared_ptr<const Entry> e = slot->entry;
        lock.unlock();
        return Answer(req, e, /*prepared=*/false);
      }
      if (!slot->rendering) break;
      // Someone renders this key right now: wait and share the result.
      ++stats_.waits;
      slot->done.wait(lock, [&] { return !slot->rendering; });
      if (slot->shared) {
        std::shared_ptr<const Entry> e = slot->shared;
        lock.unlock();
        return Answer(req, e, /*prepared=*/false);
      }
      // That render was not cacheable: look again (and render if need be).
    }
    ++stats_.misses;
    slot->rendering = true;
    slot->shared.reset();
    generation = generation_;
  }

  Rendered rendered;
  try {
    rendered = render();
  } catch (...) {
    std::lock_guard lock(mu_);
    slot->rendering = false;
    EraseIfEmpty(key, slot);
    slot->done.notify_all();
    throw;
  }
  if (!rendered.cacheable || rendered.response.status != 200) {
    std::lock_guard lock(mu_);
    slot->rendering = false;
    EraseIfEmpty(key, slot);
    slot->done.notify_all();
    return rendered.response;  // waiters look again and render for themselves
  }
  auto e = std::make_shared<Entry>();
  e->identity = std::move(rendered.response);
  e->etag = StrongEtag(e->identity.body);
  for (const auto& [name, value] : e->identity.headers) {
    if (name == "Last-Modified") e->last_modified = ParseHttpDate(value);
  }
  e->tags = std::move(rendered.tags);
  if (Compressible(e->identity.content_type) && e->identity.body.size() >= 256) {
    e->gzip = GzipCompress(e->identity.body);
    e->brotli = BrotliCompress(e->identity.body);
  }
  e->bytes = key.size() + e->identity.body.size() + e->gzip.size() + e->brotli.size() + 256;
  Prepare(*e);
  {
    std::lock_guard lock(mu_);
    slot->rendering = false;
    slot->shared = e;
    // Keep it only if nothing was invalidated while it rendered.
    if (generation == generation_) {
      slot->entry = e;
      stats_.bytes += e->bytes;
      if (!slot->in_lru) {
        lru_.push_front(key);
        slot->lru = lru_.begin();
        slot->in_lru = true;
      }
      Evict();
    } else {
      EraseIfEmpty(key, slot);
    }
    slot->done.notify_all();
  }
  return Answer(req, e, /*prepared=*/false);
}

void ResponseCache::EraseIfEmpty(const std::string& key, const std::shared_ptr<Slot>& slot) {
  auto it = slots_.find(key);
  if (it != slots_.end() && it->second == slot && !slot->entry && !slot->rendering) {
    slots_.erase(it);
  }
}

void ResponseCache::Evict() {
  while (stats_.bytes > max_bytes_ && !lru_.empty()) {
    const std::string key = lru_.back();
    lru_.pop_back();
    auto it = slots_.find(key);
    if (it == slots_.end()) continue;
    if (it->second->entry) stats_.bytes -= it->second->entry->bytes;
    it->second->entry.reset();
    it->second->in_lru = false;
    if (!it->second->rendering) slots_.erase(it);
    ++stats_.evictions;
  }
}

void ResponseCache::Invalidate(const std::vector<std::string>& tags) {
  if (tags.empty()) return;
  std::lock_guard lock(mu_);
  ++generation_;
  for (auto it = slots_.begin(); it != slots_.end();) {
    Slot& s = *it->second;
    bool drop = false;
    if (s.entry) {
      for (const std::string& t : s.entry->tags) {
        for (const std::string& want : tags) drop |= t == want;
      }
    }
    if (!drop) {
      ++it;
      continue;
    }
    stats_.bytes -= s.entry->bytes;
    s.entry.reset();
    if (s.in_lru) {
      lru_.erase(s.lru);
      s.in_lru = false;
    }
    if (s.rendering) {
      ++it;
    } else {
      it = slots_.erase(it);
    }
  }
}

void ResponseCache::Clear() {
  std::lock_guard lock(mu_);
  ++generation_;
  for (auto it = slots_.begin(); it != slots_.end();) {
    if (it->second->entry) stats_.bytes -= it->second->entry->bytes;
    it->second->entry.reset();
    it->second->in_lru = false;
    if (it->second->rendering) ++it;
    else it = slots_.erase(it);
  }
  lru_.clear();
}

ResponseCache::Stats ResponseCache::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.entries = lru_.size();
  return s;
}

}  // namespace dateline::http
