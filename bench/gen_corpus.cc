// bench/gen_corpus: a deterministic synthetic news corpus for the benchmarks.
//
// Writes N stories in Dateline's JSON Lines format (README.md, "JSON Lines")
// and, with --hugo, the same stories as Hugo content, so the engines can be
// compared on identical text.
//
// What the text looks like:
//   vocabulary  50,000 pseudo-words made from syllables; word frequencies
//               follow Zipf's law (exponent 1.1), short words most frequent.
//   topics      200 topics, each a sub-vocabulary of 80 mid-frequency words,
//               a home section and 5 tags of its own; each story draws about
//               a quarter of its words from its topic (and sometimes from a
//               second one), so stories on one topic are related.
//   stories     headline (6-12 words), dek (14-28), dateline (a city), a
//               Markdown body of 300-900 words under 2-3 "## " subheadings,
//               one of 8 sections (mostly the topic's), 1-5 of 300 tags
//               (Zipf), 1-2 of 40 authors, status "published", language
//               "en", published_at spread over the two years ending
//               2026-11-01 with one of a few UTC offsets.
//
// Determinism: one 64-bit PRNG (splitmix64) and integer arithmetic choose
// everything; no std:: distributions (their output differs between library
// versions). Story i is generated from its own stream (seed, i), so the
// first N stories of a larger corpus are exactly the N-story corpus.
//
// Usage: gen_corpus --stories N [--seed S] [--out FILE] [--hugo DIR]
//   --out defaults to standard output; --hugo DIR writes
//   DIR/content/posts/SLUG.md (YAML front matter) for each story as well.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

// splitmix64: tiny, fast, and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), by Lemire's multiply-shift (bias below 2^-32 here).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Uniform in [lo, hi].
  int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1))); }
  // Uniform in [0, 1) with 53 bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(std::uint32_t percent) { return Below(100) < percent; }

 private:
  std::uint64_t s_;
};

std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  Rng r(a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL));
  r.Next();
  return r.Next();
}

// Walker's alias method: O(1) draws from a fixed discrete distribution.
// Built with integer thresholds so draws use only integer arithmetic.
class Alias {
 public:
  explicit Alias(const std::vector<double>& weights) {
    std::size_t n = weights.size();
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    for (std::size_t i = 0; i < n; ++i) scaled[i] = weights[i] * static_cast<double>(n) / total;
    prob_.assign(n, 0);
    alias_.assign(n, 0);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = n; i-- > 0;) (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    while (!small.empty() && !large.empty()) {
      std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = static_cast<std::uint32_t>(scaled[s] * 4294967295.0);
      alias_[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (std::uint32_t i : large) prob_[i] = 0xFFFFFFFFu;
    for (std::uint32_t i : small) prob_[i] = 0xFFFFFFFFu;
  }
  std::uint32_t Draw(Rng& r) const {
    std::uint64_t x = r.Next();
    auto i = static_cast<std::uint32_t>(((x >> 32) * prob_.size()) >> 32);
    return static_cast<std::uint32_t>(x & 0xFFFFFFFFu) <= prob_[i] ? i : alias_[i];
  }
  std::size_t size() const { return prob_.size(); }

 private:
  std::vector<std::uint32_t> prob_, alias_;
};

std::vector<double> ZipfWeights(std::size_t n, double exponent) {
  std::vector<double> w(n);
  for (std::size_t k = 0; k < n; ++k) w[k] = 1.0 / std::pow(static_cast<double>(k + 1), exponent);
  return w;
}

constexpr std::size_t kVocabulary = 50000;
constexpr std::size_t kTopics = 200;
constexpr std::size_t kTopicWords = 80;
constexpr std::size_t kTopicTags = 5;
constexpr std::size_t kTags = 300;
constexpr std::size_t kAuthors = 40;
constexpr double kZipfExponent = 1.1;

constexpr std::array<std::string_view, 8> kSections = {
    "world", "politics", "business", "technology", "science", "health", "sports", "culture"};

constexpr std::array<std::string_view, 40> kCities = {
    "NEW DELHI", "LONDON",   "NEW YORK", "WASHINGTON", "PARIS",     "BERLIN",  "TOKYO",
    "BEIJING",   "MUMBAI",   "LAGOS",    "NAIROBI",    "CAIRO",     "MOSCOW",  "KYIV",
    "ISTANBUL",  "DUBAI",    "SINGAPORE", "SYDNEY",    "JAKARTA",   "MANILA",  "SEOUL",
    "SAO PAULO", "MEXICO CITY", "BUENOS AIRES", "LIMA", "BOGOTA",   "TORONTO", "CHICAGO",
    "LOS ANGELES", "MADRID", "ROME",     "BRUSSELS",   "GENEVA",    "VIENNA",  "WARSAW",
    "STOCKHOLM", "DHAKA",    "KARACHI",  "JOHANNESBURG", "HANOI"};

struct Offset {
  int minutes;
  const char* text;
};
constexpr std::array<Offset, 6> kOffsets = {{{0, "+00:00"},
                                             {-300, "-05:00"},
                                             {60, "+01:00"},
                                             {330, "+05:30"},
                                             {540, "+09:00"},
                                             {-480, "-08:00"}}};

// Publish times: uniform over the two years (730 days) ending 2026-11-01.
constexpr std::int64_t kEnd = 1793491200;        // 2026-11-01T00:00:00Z
constexpr std::int64_t kStart = kEnd - 730 * 86400;  // 2024-11-01T00:00:00Z

// Howard Hinnant's civil_from_days.
void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::string Rfc3339(std::int64_t t, const Offset& off) {
  std::int64_t local = t + off.minutes * 60;
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t secs = local - days * 86400;
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", y, m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), off.text);
  return buf;
}

struct Topic {
  std::vector<std::uint32_t> words;  // vocabulary ranks
  std::array<std::uint32_t, kTopicTags> tags;
  std::uint32_t section;
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed)
      : seed_(seed),
        word_zipf_(ZipfWeights(kVocabulary, kZipfExponent)),
        topic_word_zipf_(ZipfWeights(kTopicWords, 0.9)),
        topic_zipf_(ZipfWeights(kTopics, 0.6)),
        tag_zipf_(ZipfWeights(kTags, kZipfExponent)),
        author_zipf_(ZipfWeights(kAuthors, 0.7)) {
    Rng r(Mix(seed_, 0xC0FFEE));
    MakeVocabulary(r);
    for (std::size_t i = 0; i < kTags; ++i) {
      // Tag names: one or two lower-case words from the middle of the vocabulary.
      std::string name = vocab_[200 + r.Below(20000)];
      if (r.Chance(40)) name += " " + vocab_[200 + r.Below(20000)];
      tags_.push_back(std::move(name));
    }
    for (std::size_t i = 0; i < kAuthors; ++i) {
      authors_.push_back(Capital(vocab_[1000 + r.Below(30000)]) + " " +
                         Capital(vocab_[1000 + r.Below(30000)]));
    }
    for (std::size_t t = 0; t < kTopics; ++t) {
      Topic topic;
      std::unordered_set<std::uint32_t> seen;
      while (topic.words.size() < kTopicWords) {
        // Distinctive words: ranks 300..30,000, where the general Zipf
        // distribution makes each rare on its own.
        std::uint32_t w = 300 + r.Below(29700);
        if (seen.insert(w).second) topic.words.push_back(w);
      }
      for (auto& tag : topic.tags) tag = r.Below(static_cast<std::uint32_t>(kTags));
      topic.section = r.Below(static_cast<std::uint32_t>(kSections.size()));
      topics_.push_back(std::move(topic));
    }
  }

  struct Story {
    std::string slug, headline, dek, dateline, body, section, published_at;
    std::vector<std::string> tags, authors;
  };

  Story Make(std::uint64_t index) const {
    Rng r(Mix(seed_, index + 1));
    Story s;
    std::uint32_t topic = topic_zipf_.Draw(r);
    // Scramble topic ranks so that topic popularity does not follow topic number.
    topic = static_cast<std::uint32_t>((topic * 7919u + 13u) % kTopics);
    const Topic& main = topics_[topic];
    const Topic* second = r.Chance(20) ? &topics_[r.Below(static_cast<std::uint32_t>(kTopics))] : nullptr;
    auto word = [&](std::uint32_t topic_percent) -> const std::string& {
      if (r.Chance(topic_percent)) {
        const Topic& t = (second != nullptr && r.Chance(30)) ? *second : main;
        return vocab_[t.words[topic_word_zipf_.Draw(r)]];
      }
      return vocab_[word_zipf_.Draw(r)];
    };
    auto sentence = [&](int lo, int hi, std::uint32_t topic_percent, bool period) {
      std::string out;
      int n = r.Range(lo, hi);
      for (int i = 0; i < n; ++i) {
        if (i > 0) out += (i > 3 && i + 2 < n && r.Chance(6)) ? ", " : " ";
        out += i == 0 ? Capital(word(topic_percent)) : word(topic_percent);
      }
      if (period) out += '.';
      return out;
    };

    s.headline = sentence(6, 12, 45, false);
    s.dek = sentence(14, 28, 30, true);
    s.dateline = kCities[r.Below(static_cast<std::uint32_t>(kCities.size()))];
    // The slug: the headline's first five words and the story number.
    {
      int words = 0;
      for (char c : s.headline) {
        if (c == ' ') {
          if (++words == 5) break;
          s.slug += '-';
        } else if (c != ',') {
          s.slug += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
      }
      s.slug += '-' + std::to_string(index + 1);
    }
    int target = r.Range(300, 900);
    int parts = r.Range(2, 3);
    int written = 0;
    for (int p = 0; p < parts; ++p) {
      if (!s.body.empty()) s.body += "\n\n";
      int heading = r.Range(3, 6);
      s.body += "## " + sentence(heading, heading, 50, false);
      int part_target = (target - written) / (parts - p);
      int part_written = heading;
      while (part_written < part_target) {
        if (!s.body.empty()) s.body += "\n\n";
        int para = std::min(r.Range(40, 120), part_target - part_written);
        int in_para = 0;
        while (in_para < para) {
          int n = std::min(r.Range(8, 25), para - in_para);
          if (in_para > 0) s.body += ' ';
          s.body += sentence(n, n, 25, true);
          in_para += n;
        }
        part_written += in_para;
      }
      written += part_written;
    }
    s.section = std::string(r.Chance(80) ? kSections[main.section]
                                         : kSections[r.Below(static_cast<std::uint32_t>(kSections.size()))]);
    int ntags = r.Range(1, 5);
    std::vector<std::uint32_t> tag_ids;
    auto add_tag = [&](std::uint32_t t) {
      if (std::find(tag_ids.begin(), tag_ids.end(), t) == tag_ids.end()) tag_ids.push_back(t);
    };
    add_tag(main.tags[r.Below(kTopicTags)]);
    for (int tries = 0; static_cast<int>(tag_ids.size()) < ntags && tries < 20; ++tries) {
      add_tag(r.Chance(50) ? main.tags[r.Below(kTopicTags)] : tag_zipf_.Draw(r));
    }
    for (auto t : tag_ids) s.tags.push_back(tags_[t]);
    std::uint32_t a1 = author_zipf_.Draw(r);
    s.authors.push_back(authors_[a1]);
    if (r.Chance(25)) {
      std::uint32_t a2 = author_zipf_.Draw(r);
      if (a2 != a1) s.authors.push_back(authors_[a2]);
    }
    std::int64_t t = kStart + static_cast<std::int64_t>(r.Next() % static_cast<std::uint64_t>(kEnd - kStart));
    s.published_at = Rfc3339(t, kOffsets[r.Below(static_cast<std::uint32_t>(kOffsets.size()))]);
    return s;
  }

 private:
  static std::string Capital(const std::string& w) {
    std::string out = w;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
  }

  // 50,000 distinct pseudo-words; the most frequent ranks get the fewest
  // syllables, as in natural language.
  void MakeVocabulary(Rng& r) {
    static constexpr std::array<std::string_view, 20> kOnsets = {
        "b", "c", "d", "f", "g", "h", "k", "l", "m", "n",
        "p", "r", "s", "t", "v", "w", "br", "st", "tr", "pl"};
    static constexpr std::array<std::string_view, 8> kVowels = {"a", "e", "i", "o", "u", "ai", "ea", "ou"};
    static constexpr std::array<std::string_view, 10> kCodas = {"", "", "", "n", "r", "s", "l", "t", "m", "nd"};
    std::unordered_set<std::string> seen;
    vocab_.reserve(kVocabulary);
    while (vocab_.size() < kVocabulary) {
      std::size_t rank = vocab_.size();
      int syllables = rank < 150 ? 1 : rank < 3000 ? r.Range(1, 2) : rank < 20000 ? r.Range(2, 3) : r.Range(2, 4);
      std::string w;
      for (int i = 0; i < syllables; ++i) {
        w += kOnsets[r.Below(kOnsets.size())];
        w += kVowels[r.Below(kVowels.size())];
        w += kCodas[r.Below(kCodas.size())];
      }
      // Leave out short words that real stopword lists or stemmers would treat specially.
      if (w.size() < 2) continue;
      if (seen.insert(w).second) vocab_.push_back(std::move(w));
    }
  }

  std::uint64_t seed_;
  Alias word_zipf_, topic_word_zipf_, topic_zipf_, tag_zipf_, author_zipf_;
  std::vector<std::string> vocab_, tags_, authors_;
  std::vector<Topic> topics_;
};

// Our text is ASCII letters, spaces, punctuation and newlines; escape what
// JSON and YAML double-quoted strings need.
void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  out += '"';
}

void AppendList(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    AppendQuoted(out, items[i]);
  }
  out += ']';
}

void AppendJson(std::string& out, const Generator::Story& s) {
  out += "{\"slug\":";
  AppendQuoted(out, s.slug);
  out += ",\"headline\":";
  AppendQuoted(out, s.headline);
  out += ",\"dek\":";
  AppendQuoted(out, s.dek);
  out += ",\"dateline\":";
  AppendQuoted(out, s.dateline);
  out += ",\"body\":";
  AppendQuoted(out, s.body);
  out += ",\"section\":";
  AppendQuoted(out, s.section);
  out += ",\"tags\":";
  AppendList(out, s.tags);
  out += ",\"authors\":";
  AppendList(out, s.authors);
  out += ",\"status\":\"published\",\"published_at\":";
  AppendQuoted(out, s.published_at);
  out += ",\"language\":\"en\"}\n";
}

std::string HugoPage(const Generator::Story& s) {
  std::string out = "---\ntitle: ";
  AppendQuoted(out, s.headline);
  out += "\ndate: " + s.published_at + "\nslug: ";
  AppendQuoted(out, s.slug);
  out += "\ncategories: [";
  AppendQuoted(out, s.section);
  out += "]\ntags: ";
  AppendList(out, s.tags);
  out += "\nauthors: ";
  AppendList(out, s.authors);
  out += "\nsummary: ";
  AppendQuoted(out, s.dek);
  out += "\ndateline: ";
  AppendQuoted(out, s.dateline);
  out += "\n---\n\n" + s.body + "\n";
  return out;
}

bool MakeDirs(const std::string& path) {
  std::string partial;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!partial.empty() && mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) return false;
    }
    if (i < path.size()) partial += path[i];
  }
  return true;
}

int Usage() {
  std::fprintf(stderr, "usage: gen_corpus --stories N [--seed S] [--out FILE] [--hugo DIR]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long long stories = -1;
  std::uint64_t seed = 20261101;
  std::string out_path, hugo_dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      Usage();
      return 0;
    }
    if (i + 1 >= argc) return Usage();
    std::string v = argv[++i];
    char* end = nullptr;
    if (a == "--stories") {
      stories = std::strtoll(v.c_str(), &end, 10);
      if (*end != '\0' || stories < 0) return Usage();
    } else if (a == "--seed") {
      seed = std::strtoull(v.c_str(), &end, 10);
      if (*end != '\0') return Usage();
    } else if (a == "--out") {
      out_path = v;
    } else if (a == "--hugo") {
      hugo_dir = v;
    } else {
      return Usage();
    }
  }
  if (stories < 0) return Usage();

  std::FILE* out = stdout;
  if (!out_path.empty() && out_path != "-") {
    out = std::fopen(out_path.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "gen_corpus: cannot write %s: %s\n", out_path.c_str(), std::strerror(errno));
      return 1;
    }
  }
  std::string posts = hugo_dir.empty() ? "" : hugo_dir + "/content/posts";
  if (!posts.empty() && !MakeDirs(posts)) {
    std::fprintf(stderr, "gen_corpus: cannot create %s: %s\n", posts.c_str(), std::strerror(errno));
    return 1;
  }

  Generator gen(seed);
  std::string buf;
  buf.reserve(1 << 22);
  for (long long i = 0; i < stories; ++i) {
    Generator::Story s = gen.Make(static_cast<std::uint64_t>(i));
    AppendJson(buf, s);
    if (buf.size() > (1u << 21)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
        std::fprintf(stderr, "gen_corpus: write failed: %s\n", std::strerror(errno));
        return 1;
      }
      buf.clear();
    }
    if (!posts.empty()) {
      std::string path = posts + "/" + s.slug + ".md";
      std::string page = HugoPage(s);
      std::FILE* f = std::fopen(path.c_str(), "wb");
      if (f == nullptr || std::fwrite(page.data(), 1, page.size(), f) != page.size() || std::fclose(f) != 0) {
        std::fprintf(stderr, "gen_corpus: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
        return 1;
      }
    }
  }
  if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size() || std::fflush(out) != 0) {
    std::fprintf(stderr, "gen_corpus: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  if (out != stdout) std::fclose(out);
  return 0;
}
