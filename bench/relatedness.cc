// bench/relatedness: how related is Related News, on real labeled news.
//
// Indexes a labeled corpus (default: the BBC set, 2,225 stories in five
// topics) with every story in one section and no tags, so the labels are
// hidden from the engine; gives each story a deterministic publish time
// spread over one year; computes six related stories for each, and prints,
// for Dateline and in the same run for two baselines,
//   precision@6  the share of listed items whose label equals the story's,
//   MRR          mean reciprocal rank of the first same-label item,
//   dup rate     the share of lists holding a known duplicate of the story,
//   time/story   and how many lists came out empty.
// Baselines: (a) the reference site's rule, the newest stories of the same
// section; (b) plain Xapian "more like this" (top terms, OR, BM25).
//
// Usage: relatedness [CORPUS.jsonl [DUPLICATE_PAIRS.tsv]]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "search/index.h"

using namespace dateline;

namespace {

struct Story {
  std::string key;
  std::string label;
  std::string title;
  std::int64_t id;
  Seconds published;
};

struct Score {
  std::map<std::string, std::pair<double, double>> by_label;  // same, listed
  double same = 0, listed = 0, rr = 0;
  int empty = 0, with_duplicate = 0;
  double seconds = 0;
};

// FNV-1a: a stable hash, so publish times are the same on every run.
std::uint64_t Hash(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

void Print(const char* name, const Score& s, std::size_t n) {
  std::printf("%-34s %8.4f %8.4f %9.4f %10.3f %6d\n", name, s.listed > 0 ? s.same / s.listed : 0,
              s.rr / static_cast<double>(n), static_cast<double>(s.with_duplicate) / n,
              1000.0 * s.seconds / static_cast<double>(n), s.empty);
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = argc > 1 ? argv[1] : DATELINE_SHARED_DIR "/corpora/bbc.jsonl";
  std::string pairs = argc > 2 ? argv[2] : DATELINE_SHARED_DIR "/corpora/bbc_duplicate_pairs.tsv";
  std::ifstream in(corpus);
  if (!in) {
    std::fprintf(stderr, "relatedness: cannot read %s\n", corpus.c_str());
    return 1;
  }
  auto index = SearchIndex::InMemory();
  if (!index) {
    std::fprintf(stderr, "relatedness: %s\n", index.error().ToString().c_str());
    return 1;
  }
  std::vector<Story> stories;
  std::map<std::string, std::int64_t> by_key;
  const Seconds year_start = 1704067200;  // 2024-01-01
  std::string line;
  auto t0 = std::chrono::steady_clock::now();
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    Story s;
    s.key = j["id"];
    s.label = j["category"];
    s.title = j["title"];
    s.id = static_cast<std::int64_t>(stories.size()) + 1;
    s.published = year_start + static_cast<Seconds>(Hash(s.key) % (365ULL * 86400ULL));
    IndexDocument d;
    d.id = s.id;
    d.headline = j["title"];
    d.text = j["body"];
    d.section = "news";
    d.language = "en";
    d.published_at = s.published;
    Status st = (*index)->Put(d);
    if (!st.ok()) {
      std::fprintf(stderr, "relatedness: %s\n", st.ToString().c_str());
      return 1;
    }
    by_key[s.key] = s.id;
    stories.push_back(s);
  }
  (void)(*index)->Commit(0, 0);
  double index_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::set<std::pair<std::int64_t, std::int64_t>> duplicates;
  std::ifstream pin(pairs);
  std::getline(pin, line);  // header
  while (std::getline(pin, line)) {
    auto tab = line.find('\t');
    auto tab2 = line.find('\t', tab + 1);
    if (tab == std::string::npos) continue;
    std::int64_t a = by_key[line.substr(0, tab)], b = by_key[line.substr(tab + 1, tab2 - tab - 1)];
    duplicates.insert({a, b});
    duplicates.insert({b, a});
  }

  // Newest first, for the reference rule.
  std::vector<const Story*> newest;
  for (const Story& s : stories) newest.push_back(&s);
  std::sort(newest.begin(), newest.end(),
            [](const Story* a, const Story* b) { return a->published > b->published; });

  using Lister = std::function<std::vector<std::int64_t>(const Story&)>;
  auto evaluate = [&](const Lister& list) {
    Score score;
    for (const Story& s : stories) {
      auto start = std::chrono::steady_clock::now();
      std::vector<std::int64_t> ids = list(s);
      score.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (ids.empty()) ++score.empty;
      bool first = true, dup = false;
      for (std::size_t r = 0; r < ids.size(); ++r) {
        bool same = stories[static_cast<std::size_t>(ids[r] - 1)].label == s.label;
        score.same += same;
        score.listed += 1;
        score.by_label[s.label].first += same;
        score.by_label[s.label].second += 1;
        if (same && first) {
          score.rr += 1.0 / static_cast<double>(r + 1);
          first = false;
        }
        dup |= duplicates.contains({s.id, ids[r]});
      }
      score.with_duplicate += dup;
    }
    return score;
  };

  // RELATED_ONLY=1 skips the baselines (quicker experiments).
  const bool only = std::getenv("RELATED_ONLY") && std::atoi(std::getenv("RELATED_ONLY")) != 0;
  auto none = [](const Story&) { return std::vector<std::int64_t>{}; };
  Score reference = only ? evaluate(none) : evaluate([&](const Story& s) {
    std::vector<std::int64_t> out;
    for (const Story* n : newest) {
      if (n->id != s.id) out.push_back(n->id);
      if (out.size() == 6) break;
    }
    return out;
  });
  Score mlt = only ? evaluate(none) : evaluate([&](const Story& s) {
    std::vector<std::int64_t> out;
    auto r = (*index)->MoreLikeThis(s.id, 6);
    if (r) for (const auto& item : *r) out.push_back(item.id);
    return out;
  });
  RelatedOptions options;
  // Tuning knobs, for experiments: RELATED_EXPAND, RELATED_FEEDBACK,
  // RELATED_CANDIDATES, RELATED_FRESHNESS (0/1), RELATED_FLOOR, RELATED_TOPIC,
  // RELATED_CENTROID_{DOCS,POWER,WEIGHT,ROUNDS}, RELATED_GRAPH, RELATED_XAPIAN,
  // RELATED_MIN_DF, RELATED_LSA (weight), RELATED_LSA_DIMS; see RelatedOptions.
  if (const char* v = std::getenv("RELATED_EXPAND")) options.expand_terms = std::atoi(v);
  if (const char* v = std::getenv("RELATED_FEEDBACK")) options.feedback_docs = std::atoi(v);
  if (const char* v = std::getenv("RELATED_CANDIDATES")) options.candidates = std::atoi(v);
  if (const char* v = std::getenv("RELATED_FRESHNESS")) options.freshness = std::atoi(v) != 0;
  if (const char* v = std::getenv("RELATED_FLOOR")) options.freshness_floor = std::atof(v);
  if (const char* v = std::getenv("RELATED_TOPIC")) options.topic_weight = std::atof(v);
  if (const char* v = std::getenv("RELATED_CENTROID_DOCS")) options.centroid_docs = std::atoi(v);
  if (const char* v = std::getenv("RELATED_CENTROID_POWER")) options.centroid_power = std::atof(v);
  if (const char* v = std::getenv("RELATED_CENTROID_WEIGHT")) options.centroid_weight = std::atof(v);
  if (const char* v = std::getenv("RELATED_CENTROID_ROUNDS")) options.centroid_rounds = std::atoi(v);
  if (const char* v = std::getenv("RELATED_GRAPH")) options.graph_weight = std::atof(v);
  if (const char* v = std::getenv("RELATED_XAPIAN")) options.xapian_weight = std::atof(v);
  if (const char* v = std::getenv("RELATED_MIN_DF")) options.min_df = std::atoi(v);
  if (const char* v = std::getenv("RELATED_LSA_DIMS")) options.lsa_dims = std::atoi(v);
  if (const char* v = std::getenv("RELATED_LSA")) options.lsa_weight = std::atof(v);
  std::printf("options: expand %d, feedback %d, topic %.2f, candidates %d, freshness %s (floor %.2f),\n"
              "         centroid %d docs (power %.1f, weight %.1f), lsa %d dims (weight %.1f)\n",
              options.expand_terms, options.feedback_docs, options.topic_weight,
              options.candidates, options.freshness ? "on" : "off", options.freshness_floor,
              options.centroid_docs, options.centroid_power, options.centroid_weight,
              options.lsa_dims, options.lsa_weight);
  // RELATED_DUMP=N prints the lists of the first N stories, with labels.
  int dump = std::getenv("RELATED_DUMP") ? std::atoi(std::getenv("RELATED_DUMP")) : 0;
  Score ours = evaluate([&](const Story& s) {
    std::vector<std::int64_t> out;
    auto r = (*index)->Related(s.id, options);
    if (r) for (const auto& item : *r) out.push_back(item.id);
    if (dump > 0 && s.id % 7 == 0) {
      --dump;
      std::printf("%s [%s]\n", s.title.c_str(), s.label.c_str());
      for (auto o : out) {
        const Story& t = stories[static_cast<std::size_t>(o - 1)];
        std::printf("   %s %s [%s]\n", t.label == s.label ? " " : "X", t.title.c_str(), t.label.c_str());
      }
    }
    return out;
  });

  std::size_t n = stories.size();
  std::printf("corpus: %s (%zu stories, %zu duplicate pairs), indexed in %.2f s\n",
              corpus.c_str(), n, duplicates.size() / 2, index_seconds);
  std::printf("%-34s %8s %8s %9s %10s %6s\n", "method", "P@6", "MRR", "dup-rate", "ms/story",
              "empty");
  Print("(a) reference: newest in section", reference, n);
  Print("(b) xapian more-like-this", mlt, n);
  Print("dateline related news", ours, n);
  double p_ours = ours.same / ours.listed, p_mlt = mlt.same / mlt.listed,
         p_ref = reference.same / reference.listed;
  std::printf("dateline P@6 by label:");
  for (const auto& [label, v] : ours.by_label) {
    std::printf(" %s %.3f", label.c_str(), v.first / v.second);
  }
  std::printf("\n");
  std::printf("ratio P@6 dateline/(b) %.3f, dateline/(a) %.3f\n", p_ours / p_mlt, p_ours / p_ref);
  return 0;
}
