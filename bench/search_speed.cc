// bench/search_speed: how fast search and related news are on a large corpus.
//
// Reads a JSONL corpus (bench/gen_corpus, or any file in Dateline's JSONL
// format), indexes every story into an on-disk SearchIndex (a temporary
// folder, removed at the end, unless --index names one), and prints beside
// each figure its target from issue 3, section 6:
//   index build   stories/s of SearchIndex::PutMany on every core, a batch
//                 of 5,000 stories at a time as the app's IndexSync does
//                 (target >= 5,000/s). The
//                 body goes in as plain text, Markdown and all: the
//                 Markdown-to-text step of the app is not part of this figure;
//                 JSON parsing is timed apart and not counted either.
//                 Xapian writes its buffered postings out every 500 stories
//                 (XAPIAN_FLUSH_THRESHOLD, set by SearchIndex::Open) inside
//                 PutMany, so that work is counted here.
//   commit        the one Commit() after the last PutMany.
//   baseline      the same words of the first --baseline stories (5,000 by
//                 default) through Xapian alone, on every core: each thread
//                 a TermGenerator (the index's stemmer and flags, positions,
//                 the same prefixes and weights) and add_document into a shard of its
//                 own, committed; no values, boolean terms, stored text or
//                 spelling table, and a smaller index than the build's. The
//                 fastest the index could be built with Xapian on this
//                 machine, an upper bound for the index build above.
//   index size    the folder's allocated size, as du counts it.
//   search        p50/p99/max latency of Search() over a mixed query set built
//                 deterministically from the corpus's own words (target p99
//                 <= 5 ms), and per query kind; beside it, its baseline: each
//                 query right after through Xapian alone (its query parser
//                 as Search sets it up, the filters as plain Xapian queries,
//                 the first ten matches; no snippets, spelling or count).
//   related       p50/p99 of Related() per story over ~1,000 stories spread
//                 over the corpus (target <= 5 ms/story; the first call, which
//                 fits the LSA model, is reported on its own), beside the baseline,
//                 MoreLikeThis(), timed on the same stories in the same run,
//                 as a ratio.
//   peak memory   getrusage ru_maxrss of this process (corpus bookkeeping
//                 included; the corpus itself is streamed, not held).
//
// Usage: search_speed CORPUS.jsonl [--index DIR [--reuse]] [--queries N]
//                     [--stories N] [--related N] [--baseline N]
// --reuse searches an index an earlier run kept in DIR (same corpus and
// --stories) without building it again: for measuring search and related
// news on 100,000 stories more than once.
#include <sys/resource.h>
#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/parallel.h"
#include "core/time_zone.h"
#include "search/index.h"
#include "search/schema.h"

using namespace dateline;
using Steady = std::chrono::steady_clock;

namespace {

double Since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

// splitmix64, for choosing queries and samples deterministically.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t s_;
};

// Tag and author names as the app would store them: lower case, runs of
// anything but ASCII letters and digits become one '-'.
std::string SimpleSlug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct WordStat {
  std::uint32_t df = 0;
  std::uint32_t last_doc = 0;
};

// What the query builder keeps of a sampled story.
struct Sample {
  std::int64_t id = 0;
  Seconds published = 0;
  std::string section;
  std::vector<std::string> words;                            // distinct body words
  std::vector<std::pair<std::string, std::string>> bigrams;  // adjacent body words
};

struct Query {
  std::string kind;
  SearchQuery q;
};

struct Stats {
  double p50 = 0, p99 = 0, max = 0, mean = 0;
};

Stats Summarize(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto rank = [&](double p) {
    auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, k == 0 ? 0 : k - 1)];
  };
  s.p50 = rank(0.50);
  s.p99 = rank(0.99);
  s.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

std::uintmax_t DiskUsage(const std::filesystem::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st;
    if (::lstat(it->path().c_str(), &st) == 0) total += static_cast<std::uintmax_t>(st.st_blocks) * 512;
  }
  return total;
}

std::string WithCommas(double v) {
  auto n = static_cast<long long>(std::llround(v));
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void Row(const std::string& figure, const std::string& measured, const std::string& target,
         const std::string& verdict) {
  std::printf("%-40s %-24s %-30s %s\n", figure.c_str(), measured.c_str(), target.c_str(), verdict.c_str());
}

std::string Ms(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", seconds * 1000);
  return buf;
}

// A story's words as the baseline indexes them.
struct BareStory {
  std::string headline, dek, dateline, text;
};

// Stories per second of Xapian alone (see "baseline" at the top): `threads`
// shards in `dir`, each a run of consecutive stories, wall time from
// starting the threads (each creates its shard) to the last commit. Throws
// Xapian::Error.
double BareXapianRate(const std::vector<BareStory>& stories, int threads, const std::string& dir) {
  const auto n = static_cast<std::size_t>(std::max(threads, 1));
  const std::size_t per = (stories.size() + n - 1) / n;
  std::vector<std::string> failed(n);
  std::filesystem::create_directories(dir);
  auto t0 = Steady::now();
  ParallelFor(n, static_cast<int>(n), [&](std::size_t k) {
    try {
      Xapian::WritableDatabase db(dir + "/" + std::to_string(k), Xapian::DB_CREATE_OR_OVERWRITE);
      Xapian::TermGenerator tg;
      tg.set_stemmer(search_schema::IndexStemmer("en"));
      tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
      tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
      for (std::size_t i = k * per; i < std::min(stories.size(), (k + 1) * per); ++i) {
        const BareStory& s = stories[i];
        Xapian::Document doc;
        tg.set_document(doc);
        search_schema::IndexStoryWords(tg, s.headline, s.dek, s.dateline, s.text);
        db.add_document(doc);
      }
      db.commit();
    } catch (const Xapian::Error& e) {
      failed[k] = e.get_description();
    }
  });
  const double seconds = Since(t0);
  for (const std::string& f : failed) {
    if (!f.empty()) throw Xapian::DatabaseError(f);
  }
  return static_cast<double>(stories.size()) / seconds;
}

// The baseline of one query (see "search" at the top): Xapian's query
// parser set up as SearchIndex::Search sets it (SetUpQueryParser), the filters as plain
// Xapian queries (a section term, a value range on the publish time, a sort
// by it), and the first ten matches; no snippets, spelling or count.
void BareXapianSearch(Xapian::Database& db, const SearchQuery& q) {
  namespace sc = search_schema;
  Xapian::QueryParser qp;
  sc::SetUpQueryParser(qp, db, sc::IndexStemmer(q.language));
  Xapian::Query query = qp.parse_query(q.text, sc::kQueryFlags, std::string(sc::kContentPrefix));
  if (!q.section.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(std::string(sc::kSectionPrefix) + q.section));
  }
  if (q.from || q.to) {
    query = Xapian::Query(
        Xapian::Query::OP_FILTER, query,
        Xapian::Query(Xapian::Query::OP_VALUE_RANGE, sc::kPublishedSlot,
                      Xapian::sortable_serialise(q.from ? static_cast<double>(*q.from) : -1e18),
                      Xapian::sortable_serialise(q.to ? static_cast<double>(*q.to) : 1e18)));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  if (q.newest_first) enquire.set_sort_by_value_then_relevance(sc::kPublishedSlot, true);
  Xapian::MSet mset = enquire.get_mset(0, 10);
  for (auto it = mset.begin(); it != mset.end(); ++it) (void)*it;
}

int Usage() {
  std::fprintf(
      stderr,
      "usage: search_speed CORPUS.jsonl [--index DIR [--reuse]] [--queries N] [--stories N] "
      "[--related N] [--baseline N]\n"
      "  --reuse  search the index already in DIR (built by an earlier run with the\n"
      "           same corpus and --stories) instead of building it\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, index_dir;
  long long max_stories = -1, n_queries = 2000, n_related = 1000, n_baseline = 5000;
  bool reuse = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      Usage();
      return 0;
    }
    auto number = [&](long long& out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      out = std::strtoll(argv[++i], &end, 10);
      return *end == '\0' && out >= 0;
    };
    if (a == "--index") {
      if (i + 1 >= argc) return Usage();
      index_dir = argv[++i];
    } else if (a == "--queries") {
      if (!number(n_queries)) return Usage();
    } else if (a == "--stories") {
      if (!number(max_stories)) return Usage();
    } else if (a == "--related") {
      if (!number(n_related)) return Usage();
    } else if (a == "--baseline") {
      if (!number(n_baseline)) return Usage();
    } else if (a == "--reuse") {
      reuse = true;
    } else if (!a.empty() && a[0] == '-') {
      return Usage();
    } else if (corpus.empty()) {
      corpus = a;
    } else {
      return Usage();
    }
  }
  if (corpus.empty() || (reuse && index_dir.empty())) return Usage();

  std::ifstream in(corpus);
  if (!in) {
    std::fprintf(stderr, "search_speed: cannot read %s\n", corpus.c_str());
    return 1;
  }
  bool temporary = index_dir.empty();
  if (temporary) {
    char tmpl[] = "/tmp/search_speed.XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::fprintf(stderr, "search_speed: cannot create a temporary folder\n");
      return 1;
    }
    index_dir = tmpl;
  }
  struct Cleanup {
    bool on;
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      if (on) std::filesystem::remove_all(dir, ec);
    }
  } cleanup{temporary, index_dir};

  auto opened = SearchIndex::Open(index_dir);
  if (!opened) {
    std::fprintf(stderr, "search_speed: %s\n", opened.error().ToString().c_str());
    return 1;
  }
  SearchIndex& index = **opened;

  // ---- Build: stream the corpus, Put each story, keep word statistics.
  std::unordered_map<std::string, WordStat, StringHash, std::equal_to<>> words;
  std::vector<Sample> samples;
  std::vector<std::string> sections;
  std::vector<BareStory> bare;  // the baseline's stories
  Rng sample_rng(42);
  double parse_s = 0, put_s = 0;
  std::int64_t n = 0;
  long long body_words = 0;
  std::string line;
  const std::int64_t sample_every = 50;
  double load_before[3] = {0, 0, 0};
  ::getloadavg(load_before, 3);
  struct rusage ru0;
  ::getrusage(RUSAGE_SELF, &ru0);
  // Stories go in as the app indexes them (IndexSync): a batch at a time
  // through PutMany, its documents made on every core.
  constexpr std::size_t kBatch = 5000;
  std::vector<IndexDocument> batch;
  std::vector<std::int64_t> batch_ids;
  auto put_batch = [&] {
    auto t = Steady::now();
    Status st = reuse ? Status::Ok()
                      : index.PutMany(batch_ids, [&](std::size_t i) { return batch[i]; }, Cores());
    put_s += Since(t);
    batch.clear();
    batch_ids.clear();
    if (!st.ok()) {
      std::fprintf(stderr, "search_speed: %s\n", st.ToString().c_str());
      return false;
    }
    if (reuse) {
      std::fprintf(stderr, "search_speed: %lld stories read (--reuse: not indexed)\n", static_cast<long long>(n));
    } else {
      std::fprintf(stderr, "search_speed: %lld stories indexed, %.0f/s\n", static_cast<long long>(n),
                   static_cast<double>(n) / put_s);
    }
    return true;
  };
  auto build_start = Steady::now();
  while ((max_stories < 0 || n < max_stories) && std::getline(in, line)) {
    if (line.empty()) continue;
    auto t0 = Steady::now();
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) {
      std::fprintf(stderr, "search_speed: %s line %lld: not a JSON object\n", corpus.c_str(),
                   static_cast<long long>(n + 1));
      return 1;
    }
    IndexDocument d;
    d.id = n + 1;
    d.headline = j.value("headline", "");
    d.dek = j.value("dek", "");
    d.dateline = j.value("dateline", "");
    d.text = j.value("body", "");  // as plain text: no Markdown rendering
    d.section = j.value("section", "");
    d.language = j.value("language", "en");
    for (const auto& t : j.value("tags", nlohmann::json::array())) d.tags.push_back(SimpleSlug(t.get<std::string>()));
    for (const auto& a : j.value("authors", nlohmann::json::array())) {
      d.authors.push_back(SimpleSlug(a.get<std::string>()));
    }
    auto when = ParseRfc3339(j.value("published_at", ""));
    d.published_at = when ? *when : 0;
    parse_s += Since(t0);

    ++n;

    // Word statistics (lower-cased ASCII-letter runs), outside the timers.
    bool sampled = n % sample_every == 1;
    Sample s;
    std::string prev;
    std::size_t i = 0;
    const std::string& text = d.text;
    while (i < text.size()) {
      while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
      std::size_t start = i;
      while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
      if (i == start) break;
      std::string w = text.substr(start, i - start);
      for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ++body_words;
      auto it = words.find(std::string_view(w));
      if (it == words.end()) it = words.emplace(w, WordStat{}).first;
      if (it->second.last_doc != static_cast<std::uint32_t>(n)) {
        it->second.last_doc = static_cast<std::uint32_t>(n);
        ++it->second.df;
        if (sampled) s.words.push_back(w);
      }
      // Adjacent words in one sentence, for phrase queries.
      bool adjacent = start >= 2 && text[start - 1] == ' ' &&
                      std::isalpha(static_cast<unsigned char>(text[start - 2]));
      if (sampled && !prev.empty() && adjacent && sample_rng.Below(20) == 0) s.bigrams.emplace_back(prev, w);
      prev = std::move(w);
    }
    if (std::find(sections.begin(), sections.end(), d.section) == sections.end()) sections.push_back(d.section);
    if (sampled) {
      s.id = d.id;
      s.published = d.published_at;
      s.section = d.section;
      samples.push_back(std::move(s));
    }
    if (static_cast<long long>(bare.size()) < n_baseline) {
      bare.push_back({d.headline, d.dek, d.dateline, d.text});
    }
    batch_ids.push_back(d.id);
    batch.push_back(std::move(d));
    if (batch.size() == kBatch && !put_batch()) return 1;
  }
  if (!put_batch()) return 1;
  double read_s = Since(build_start);
  struct rusage ru1;
  ::getrusage(RUSAGE_SELF, &ru1);
  auto cpu = [](const struct rusage& r) {
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  };
  double build_cpu_share = read_s > 0 ? (cpu(ru1) - cpu(ru0)) / read_s : 0;
  if (n == 0) {
    std::fprintf(stderr, "search_speed: %s holds no stories\n", corpus.c_str());
    return 1;
  }
  auto t0 = Steady::now();
  Status st = reuse ? Status::Ok() : index.Commit(n, 0);
  double commit_s = Since(t0);
  if (!st.ok()) {
    std::fprintf(stderr, "search_speed: %s\n", st.ToString().c_str());
    return 1;
  }
  std::uintmax_t disk = DiskUsage(index_dir);

  // ---- Baseline: the first stories' words through Xapian alone.
  double bare_rate = 0;
  if (!bare.empty()) {
    const std::string bare_dir = index_dir + ".baseline";
    try {
      bare_rate = BareXapianRate(bare, Cores(), bare_dir);
    } catch (const Xapian::Error& e) {
      std::fprintf(stderr, "search_speed: baseline: %s\n", e.get_description().c_str());
    }
    std::error_code ec;
    std::filesystem::remove_all(bare_dir, ec);
    bare.clear();
    bare.shrink_to_fit();
  }

  // ---- Queries, built deterministically from the corpus's words.
  std::vector<std::pair<std::string, std::uint32_t>> by_df;
  by_df.reserve(words.size());
  for (const auto& [w, stat] : words) {
    if (w.size() >= 3) by_df.emplace_back(w, stat.df);
  }
  std::sort(by_df.begin(), by_df.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::vector<std::string> frequent, mid, rare;
  for (std::size_t r = 0; r < by_df.size(); ++r) {
    if (r < 200) frequent.push_back(by_df[r].first);
    else if (r >= 1000 && r < 10000) mid.push_back(by_df[r].first);
    else if (by_df[r].second >= 2 && by_df[r].second <= 20) rare.push_back(by_df[r].first);
  }
  if (mid.empty()) mid = frequent;
  if (rare.empty()) rare = mid;
  Rng rng(20261101);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& { return v[rng.Below(v.size())]; };
  auto sample = [&]() -> const Sample& { return samples[rng.Below(samples.size())]; };
  auto story_words = [&](int k) {
    const Sample& s = sample();
    std::string out;
    for (int i = 0; i < k && !s.words.empty(); ++i) {
      if (!out.empty()) out += ' ';
      out += s.words[rng.Below(s.words.size())];
    }
    return out;
  };
  static constexpr std::array<const char*, 12> kKinds = {
      "term (frequent)", "term (mid)", "term (rare)", "2-term AND", "3-term AND", "phrase",
      "OR",              "NOT",        "prefix*",     "section filter", "date range", "newest first"};
  std::vector<Query> queries;
  for (long long i = 0; i < n_queries; ++i) {
    Query q;
    std::size_t kind = static_cast<std::size_t>(i) % kKinds.size();
    q.kind = kKinds[kind];
    switch (kind) {
      case 0: q.q.text = pick(frequent); break;
      case 1: q.q.text = pick(mid); break;
      case 2: q.q.text = pick(rare); break;
      case 3: q.q.text = story_words(2); break;
      case 4: q.q.text = story_words(3); break;
      case 5: {
        const Sample& s = sample();
        if (s.bigrams.empty()) {
          q.q.text = "\"" + pick(frequent) + " " + pick(frequent) + "\"";
        } else {
          const auto& [a, b] = s.bigrams[rng.Below(s.bigrams.size())];
          q.q.text = "\"" + a + " " + b + "\"";
        }
        break;
      }
      case 6: q.q.text = pick(mid) + " OR " + pick(mid); break;
      case 7: q.q.text = pick(mid) + " NOT " + pick(frequent); break;
      case 8: {
        const std::string& w = pick(mid);
        q.q.text = w.substr(0, std::min<std::size_t>(w.size(), 3 + rng.Below(2))) + "*";
        break;
      }
      case 9: q.q.text = pick(mid); q.q.section = sample().section; break;
      case 10: {
        q.q.text = pick(frequent);
        Seconds at = sample().published;
        q.q.from = at - 15 * 86400;
        q.q.to = at + 15 * 86400;
        break;
      }
      default: q.q.text = pick(frequent); q.q.newest_first = true; break;
    }
    queries.push_back(std::move(q));
  }

  // Warm-up: one unmeasured pass over the first 200 queries.
  for (std::size_t i = 0; i < std::min<std::size_t>(200, queries.size()); ++i) (void)index.Search(queries[i].q);
  std::vector<double> all, bare_all;
  std::vector<std::vector<double>> per_kind(kKinds.size()), bare_kind(kKinds.size());
  long long errors = 0, empty = 0, bare_errors = 0;
  // The baseline reads the same index through a handle of its own, after
  // Dateline's query (whose reads it may find cached).
  std::optional<Xapian::Database> bare_db;
  try {
    bare_db.emplace(index_dir);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "search_speed: baseline: %s\n", e.get_description().c_str());
  }
  for (std::size_t i = 0; i < queries.size(); ++i) {
    t0 = Steady::now();
    auto r = index.Search(queries[i].q);
    double s = Since(t0);
    if (!r) {
      ++errors;
      if (errors <= 3) std::fprintf(stderr, "query %s: %s\n", queries[i].q.text.c_str(), r.error().ToString().c_str());
    } else if (r->hits.empty()) {
      ++empty;
    }
    all.push_back(s);
    per_kind[i % kKinds.size()].push_back(s);
    if (bare_db) {
      t0 = Steady::now();
      try {
        BareXapianSearch(*bare_db, queries[i].q);
      } catch (const Xapian::Error& e) {
        if (++bare_errors <= 3)
          std::fprintf(stderr, "query %s (Xapian alone): %s\n", queries[i].q.text.c_str(),
                       e.get_description().c_str());
      }
      s = Since(t0);
      bare_all.push_back(s);
      bare_kind[i % kKinds.size()].push_back(s);
    }
  }

  // ---- Related and the MoreLikeThis baseline, on the same stories.
  std::vector<double> related_t, mlt_t;
  std::size_t related_listed = 0, mlt_listed = 0;
  std::int64_t m = std::min<std::int64_t>(n_related, n);
  RelatedOptions options;
  for (std::int64_t k = 0; k < m; ++k) {
    std::int64_t id = 1 + k * n / std::max<std::int64_t>(m, 1);
    auto run_related = [&] {
      auto c0 = Steady::now();
      auto r = index.Related(id, options);
      related_t.push_back(Since(c0));
      if (r) related_listed += r->size();
    };
    auto run_mlt = [&] {
      auto c0 = Steady::now();
      auto r = index.MoreLikeThis(id, options.count);
      mlt_t.push_back(Since(c0));
      if (r) mlt_listed += r->size();
    };
    if (k % 2 == 0) {
      run_related();
      run_mlt();
    } else {
      run_mlt();
      run_related();
    }
  }

  struct rusage ru;
  ::getrusage(RUSAGE_SELF, &ru);
  double load_after[3] = {0, 0, 0};
  ::getloadavg(load_after, 3);

  // ---- Report.
  // The first Related() call fits the LSA model (once, and again when the
  // index has grown by 10%): reported on its own line, not in p50/p99.
  Stats search = Summarize(all), mlt = Summarize(mlt_t);
  Stats related = Summarize(related_t.size() > 1 ? std::vector<double>(related_t.begin() + 1, related_t.end())
                                                 : related_t);
  double rate = static_cast<double>(n) / put_s;
  char buf[128];
  std::printf("search_speed: %lld stories (%s body words) from %s\n", static_cast<long long>(n),
              WithCommas(static_cast<double>(body_words)).c_str(), corpus.c_str());
  std::printf("index: on disk at %s (%s), Xapian %s\n", index_dir.c_str(),
              temporary ? "temporary, removed at exit" : "kept", Xapian::version_string());
  std::printf("bodies indexed as plain text (Markdown not rendered); JSON parsing not counted\n");
  std::printf("machine: %u cores, load average %.2f at start, %.2f at end; the build loop used %.0f%% of one core (all its threads together)\n\n",
              std::thread::hardware_concurrency(), load_before[0], load_after[0], 100 * build_cpu_share);
  Row("figure", "measured", "target / baseline", "");
  if (reuse) {
    Row("index build (PutMany)", "not measured", "--reuse: the index was built before", "");
  } else {
    // The commit counts: it merges the shards a bulk load wrote.
    const double built = static_cast<double>(n) / (put_s + commit_s);
    Row("index build (PutMany + Commit, " + std::to_string(Cores()) + " threads)", WithCommas(built) + " stories/s",
        ">= 5,000 stories/s", built >= 5000 ? "ok" : "MISSED");
    Row("  PutMany alone", WithCommas(rate) + " stories/s", "", "");
  }
  if (bare_rate > 0) {
    if (reuse) {
      buf[0] = '\0';
    } else {
      std::snprintf(buf, sizeof buf, "the build: %.2fx of it",
                    static_cast<double>(n) / (put_s + commit_s) / bare_rate);
    }
    Row("  Xapian alone (" + WithCommas(static_cast<double>(std::min<long long>(n, n_baseline))) +
            " stories, " + std::to_string(Cores()) + " shards)",
        WithCommas(bare_rate) + " stories/s", buf,
        bare_rate >= 5000 ? "" : "(below the target itself)");
  }
  std::snprintf(buf, sizeof buf, "%.2f s", put_s);
  Row("  time in PutMany", buf, "", "");
  std::snprintf(buf, sizeof buf, "%.2f s", parse_s);
  Row("  JSON parse + fields (not counted)", buf, "", "");
  std::snprintf(buf, sizeof buf, "%.2f s", read_s);
  Row("  whole read loop (incl. word stats)", buf, "", "");
  std::snprintf(buf, sizeof buf, "%.2f s", commit_s);
  Row("commit (merges the bulk load's shards)", buf, "", "");
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(disk) / 1048576.0);
  std::string size = buf;
  std::snprintf(buf, sizeof buf, "%.1f KiB/story", static_cast<double>(disk) / 1024.0 / static_cast<double>(n));
  Row("index size on disk (du)", size, buf, "");
  std::snprintf(buf, sizeof buf, "search p50 (%zu queries)", all.size());
  Row(buf, Ms(search.p50), "", "");
  Row("search p99", Ms(search.p99), "<= 5 ms", search.p99 <= 0.005 ? "ok" : "MISSED");
  Row("search max", Ms(search.max), "", "");
  if (!bare_all.empty()) {
    Stats bare = Summarize(bare_all);
    std::snprintf(buf, sizeof buf, "%s p50, %s p99", Ms(bare.p50).c_str(), Ms(bare.p99).c_str());
    Row("  Xapian alone (10 matches, no snippets)", buf,
        bare.p99 <= 0.005 ? "" : "(p99 above the target itself)", "");
  }
  std::snprintf(buf, sizeof buf, "%lld errors, %lld with no hits", errors, empty);
  Row("  query outcomes", buf, "", "");
  std::snprintf(buf, sizeof buf, "related p50 (%zu stories)", related_t.size());
  std::string ratio50, ratio99;
  {
    char r[64];
    std::snprintf(r, sizeof r, "MLT %.3f ms, %.2fx", mlt.p50 * 1000, mlt.p50 > 0 ? related.p50 / mlt.p50 : 0);
    ratio50 = r;
    std::snprintf(r, sizeof r, "MLT %.3f ms, %.2fx", mlt.p99 * 1000, mlt.p99 > 0 ? related.p99 / mlt.p99 : 0);
    ratio99 = r;
  }
  Row(buf, Ms(related.p50), "<= 5 ms; " + ratio50, related.p50 <= 0.005 ? "ok" : "MISSED");
  Row("related p99", Ms(related.p99), ratio99, "");
  if (!related_t.empty()) Row("  first call (fits the LSA model)", Ms(related_t.front()), "", "");
  std::snprintf(buf, sizeof buf, "%.2f / %.2f", related_t.empty() ? 0.0 : double(related_listed) / related_t.size(),
                mlt_t.empty() ? 0.0 : double(mlt_listed) / mlt_t.size());
  Row("  items per list (related / MLT)", buf, "", "");
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(ru.ru_maxrss) / 1024.0);
  Row("peak memory (ru_maxrss)", buf, "", "");

  std::printf("\nsearch latency by query kind\n");
  std::printf("%-18s %8s %10s %10s %10s %14s %14s\n", "kind", "queries", "p50", "p99", "max",
              "alone p50", "alone p99");
  for (std::size_t k = 0; k < kKinds.size(); ++k) {
    Stats s = Summarize(per_kind[k]), b = Summarize(bare_kind[k]);
    std::printf("%-18s %8zu %10s %10s %10s %14s %14s\n", kKinds[k], per_kind[k].size(),
                Ms(s.p50).c_str(), Ms(s.p99).c_str(), Ms(s.max).c_str(),
                bare_kind[k].empty() ? "-" : Ms(b.p50).c_str(),
                bare_kind[k].empty() ? "-" : Ms(b.p99).c_str());
  }
  std::printf(
      "(alone: the same query through Xapian alone, see \"search\" at the top of "
      "bench/search_speed.cc)\n");
  std::fflush(stdout);
  return 0;
}
