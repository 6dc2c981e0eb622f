// SearchIndex: the Xapian index of what readers may see, and the related
// lists computed from it.
//
// The index is derived data: built from the store and rebuildable at any
// time. It holds only visible stories; the app's sync decides what goes in
// and calls Put/Remove, then Commit(seq) with the last change-log sequence
// it applied, which is stored in the index so a restart catches up from it.
//
// Results: Search() answers InvalidArgument with a readable message for a
// query the parser cannot read or one that is too long; Xapian exceptions
// become IOError/Corruption naming the index path. Thread-safety: every
// method may be called from any thread (a mutex serializes access to the
// one Xapian database handle; RelatedMany's threads read on handles of
// their own).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace Xapian {
class Database;
class WritableDatabase;
}

namespace dateline {

// What the index knows of one story. `text` is the plain body text.
struct IndexDocument {
  std::int64_t id = 0;
  std::string headline;
  std::string dek;
  std::string dateline;
  std::string text;
  std::string section;               // slug
  std::vector<std::string> tags;     // slugs
  std::vector<std::string> authors;  // slugs
  std::string language;              // BCP 47; picks the stemmer
  Seconds published_at = 0;
};

struct SearchQuery {
  std::string text;
  std::string section, tag, author;  // slug filters
  std::optional<Seconds> from, to;   // publish time range, inclusive
  bool newest_first = false;         // else by relevance (BM25)
  int offset = 0;
  int limit = 10;
  std::string language = "en";       // stemmer for the query
};

struct SearchHit {
  std::int64_t id = 0;
  double score = 0;
  std::string headline_html;  // HTML-escaped, matches in <mark>
  std::string snippet_html;   // likewise
};

struct SearchResults {
  std::int64_t total = 0;  // estimated number of matches
  std::vector<SearchHit> hits;
  std::string suggestion;  // "Did you mean" query text, or empty
};

struct RelatedOptions {
  int count = 6;
  int candidates = 40;       // how many matches of each round to rerank
  int expand_terms = 60;     // how many of the story's terms form the query
  int feedback_docs = 0;     // best first-round matches added to the relevance set for a
                             // second Xapian round (10: P@6 +0.003 on BBC, 2.5x slower)
  double topic_weight = 0.5; // share of the second (topic) round in the score
  bool freshness = true;     // weigh candidates by distance in time
  double freshness_floor = 0.85;      // weight of a story far away in time
  Seconds freshness_scale = 30 * 86400;  // distance at which the boost halves
  bool diversity = true;     // drop near-duplicates of the story and of each other
  double duplicate_jaccard = 0.6;     // term-set overlap that counts as a copy
  // Rerank by cosine of TF-IDF vectors against a centroid (Rocchio) of the
  // story and its best `centroid_docs` neighbours, each weighed by its
  // cosine to the story raised to `centroid_power`; `centroid_weight` is the
  // neighbours' share against the story's own vector.
  int centroid_docs = 10;
  double centroid_power = 3.0;
  double centroid_weight = 1.0;
  int centroid_rounds = 1;
  // Share of the neighbourhood (graph) score: a candidate's mean cosine to
  // the story's best neighbours.
  double graph_weight = 0.0;
  // Share of the Xapian rounds' score in the final score.
  double xapian_weight = 0.0;
  int min_df = 2;            // terms in fewer documents are left out of the vectors
  // Coarse similarity: cosine in a latent semantic (LSA) space of
  // `lsa_dims` dimensions fitted on the whole index (refitted when it has
  // grown or shrunk by `lsa_refit` since), added with weight `lsa_weight`.
  int lsa_dims = 20;
  double lsa_weight = 2.0;
  double lsa_refit = 0.1;
  // At most this many stories (an even spread) are read to fit the model,
  // which bounds the fit's time on a large site (9-13 s for 20,000 of a
  // 100,000-story index on the shared 2-core machine, bench/search_speed).
  int lsa_sample = 20000;
  // RelatedMany over many stories takes round one's candidates from the
  // query terms' posting lists read once for the whole batch and scored in
  // memory as Xapian's BM25 scores them, instead of a Xapian query per
  // story: the same candidates, so the same lists (off: a query per story).
  bool batch_candidates = true;
  // Bytes of story vectors each reading thread keeps between calls (0: the
  // default, SearchIndex::kMaxDocVectorBytes); a smaller bound recomputes
  // more of them, with the same results.
  std::size_t vector_bytes = 0;
};

struct RelatedItem {
  std::int64_t id = 0;
  double score = 0;
};

class SearchIndex {
 public:
  static constexpr std::size_t kMaxQueryLength = 256;

  // Opens (creating when missing) the index folder. IOError names the path
  // and, for a locked index, says another process is writing it.
  static Result<std::unique_ptr<SearchIndex>> Open(const std::string& path);
  // An index held in memory only (benchmarks, tests).
  static Result<std::unique_ptr<SearchIndex>> InMemory();
  ~SearchIndex();

  Status Put(const IndexDocument& doc);
  // Put for make(0), ..., make(n - 1), the documents of the stories `ids`
  // (n of them; make(i) must have id ids[i]). `make` and the making of each
  // document's terms run on `threads` threads (make must be safe to call
  // from several threads at once); the writes, which Xapian does one at a
  // time per database, run on the calling thread while the next documents
  // are made. Into an empty on-disk index, big batches are written on every
  // thread into shards of their own (one run of consecutive ids each),
  // merged into the index by the next call that reads or commits (or by
  // the next PutMany whose ids do not all come after theirs). On an error,
  // some of the documents may have been written and some not.
  Status PutMany(const std::vector<std::int64_t>& ids, const std::function<IndexDocument(std::size_t)>& make,
                 int threads);
  Status Remove(std::int64_t id);
  // Makes every Put/Remove so far durable, with the last change-log
  // sequence applied and the time up to which visibility was checked.
  Status Commit(std::int64_t last_seq, Seconds visible_until);
  Result<std::int64_t> LastSeq();
  Result<Seconds> VisibleUntil();
  Result<std::int64_t> Count();
  bool Contains(std::int64_t id);

  Result<SearchResults> Search(const SearchQuery& q);

  // Stories related to `id` by content, best first (see docs/relatedness.md).
  Result<std::vector<RelatedItem>> Related(std::int64_t id, const RelatedOptions& options);
  // Related(id) for each of `ids`, in order, on `threads` threads, each
  // with its own read handle on the index folder: they see the index as of
  // the last Commit (an index in memory, or a short list, is done on the
  // calling thread with Related). The same lists as Related gives.
  Result<std::vector<std::vector<RelatedItem>>> RelatedMany(const std::vector<std::int64_t>& ids,
                                                            const RelatedOptions& options,
                                                            int threads);
  // The plain baseline: the story's top terms as an OR query, BM25 order.
  Result<std::vector<RelatedItem>> MoreLikeThis(std::int64_t id, int count);

 private:
  explicit SearchIndex(std::string path);
  std::string path_;
  bool spelling_ = true;  // the in-memory backend keeps no spelling data
  // A term generator and a caching stemmer per language (see index.cc),
  // lent to one thread at a time by Indexers: Put and PutMany make documents
  // with them, Search stems its query with them.
  struct Indexer;
  struct Indexers;
  std::unique_ptr<Indexers> indexers_;
  // A story's Xapian document made ready (Prepare, any thread) and written
  // (Write, on db_).
  struct Prepared;
  Prepared Prepare(const IndexDocument& d, std::int64_t id) const;  // `id`: the id d must have
  Status Write(Prepared& p);
  // The shards of a bulk load (PutMany), in id order, not yet merged.
  struct Bulk {
    std::vector<std::string> shards;  // folders beside the index's
    std::int64_t last_id = 0;
  };
  static constexpr std::size_t kBulkMin = 256;    // stories in a call, at least
  static constexpr std::size_t kMaxShards = 64;   // then merged (open files)
  static constexpr std::size_t kBatchMin = 256;   // stories in a RelatedMany batch, at least
  std::optional<Bulk> bulk_;
  Status PutBulk(const std::vector<std::int64_t>& ids, const std::function<IndexDocument(std::size_t)>& make,
                 int threads);  // mu_ held
  // Merges the bulk load's shards into the index, if there are any (mu_
  // held); every other method calls it first.
  Status Settle();
  // What Related knows of a content term: its document frequency, its row
  // in the LSA model (-1: none), and its number in the table (gid).
  // Refilled once the number of documents has drifted by 1%.
  struct TermInfo {
    double df = 0;
    int lsa_row = -1;
    std::uint32_t gid = 0;
  };
  // A story's content terms as Related weighs them: sublinear TF-IDF,
  // L2-normalised, in term-list order (`w`, by gid); every content term's
  // gid, sorted (`all`, for Jaccard); and its unit vector in the LSA space.
  struct DocVector {
    std::vector<std::pair<std::uint32_t, double>> w;
    std::vector<std::uint32_t> all;
    std::vector<double> lsa;
    Seconds published = 0;  // the publish time (value slot), for freshness
    // What the vector holds in memory, about (its buffers and a map node).
    std::size_t Bytes() const {
      return sizeof(DocVector) + 32 + w.capacity() * sizeof(w[0]) + all.capacity() * sizeof(all[0]) +
             lsa.capacity() * sizeof(double);
    }
  };
  // An open-addressing table (linear probing, power-of-two size): one cache
  // line per lookup where a node-based map took two or three; Related looks
  // up every term of some 40 stories per call.
  struct TermSlot {
    std::uint64_t hash = 0;  // 0: empty
    TermInfo info;           // the term itself: RelatedState::term_of_gid[info.gid]
  };
  // The LSA model: per term, its row of V_k / S_k (see FitLsa). A refit
  // makes a new one; a reader keeps the one it started with.
  struct LsaModel {
    std::unordered_map<std::string, int> rows;
    std::vector<float> matrix;  // row-major, `dims` columns
    int dims = 0;
    double count = 0;  // documents in the index when fitted
  };
  // A batch's posting lists (RelatedMany; see RelatedOptions::batch_candidates).
  struct BatchPostings;
  struct BatchList;
  // What Related keeps between calls on one Xapian handle: the term table
  // and the story vectors. Vectors are kept per document while the document
  // count, min_df, the term table and the LSA model stay the same, so a
  // story is read once per batch however many stories list it as a
  // candidate (a refresh of 1,000 stories read each one some 40 times). Put
  // and Remove drop the document's entry from the index's own state.
  struct RelatedState {
    Xapian::Database* db = nullptr;
    std::shared_ptr<const LsaModel> lsa;  // the model the term table refers to
    std::vector<TermSlot> term_slots;
    std::size_t terms_used = 0;
    std::vector<std::string> term_of_gid;  // each gid's term
    double terms_count = 0;
    std::unordered_map<std::uint32_t, DocVector> doc_vectors;
    std::size_t vector_bytes = 0;  // DocVector::Bytes of doc_vectors, summed
    double vectors_n_docs = -1, vectors_min_df = -1;
    bool vectors_lsa = false;
    // gid -> number in the current Related call (-1: not yet), and the
    // gids numbered, to reset.
    std::vector<int> local_of_gid;
    std::vector<std::uint32_t> numbered;
    // The current call's vectors in local term numbers, one after another.
    std::vector<std::pair<int, double>> local_w;
    // Round one from the batch's posting lists when set (and read on a
    // handle at the batch's revision): each gid's list, looked up once, and
    // the scores of the current call by docid, with the docids scored.
    BatchPostings* batch = nullptr;
    std::vector<const BatchList*> list_of_gid;
    std::vector<double> acc;
    std::vector<std::uint32_t> scored;

    TermInfo& Term(const std::string& term);
    void ClearTerms();
    // Starts using `model` (relinking the term table when it changed).
    void Use(std::shared_ptr<const LsaModel> model);
    void DropVector(std::uint32_t did);
    void ClearVectors();
    // Keeps the vectors made so far when they were made with these
    // parameters, else drops them; past `max_bytes`, drops half. Once
    // per Related call, before its VectorOf calls: a vector stays where it
    // is until the next call (a map's elements do not move on insert).
    void KeepVectorsFor(double n_docs, double min_df, bool lsa, std::size_t max_bytes);
    const DocVector& VectorOf(std::uint32_t did);  // did: a Xapian docid
  };
  // The vectors a state keeps, in bytes, by default
  // (RelatedOptions::vector_bytes); past it half are dropped. A
  // story's vector is about 6 KB on the generated corpus (300-900 words),
  // so a site of up to some 30,000 stories is kept whole: a refresh of
  // every story reads each one once per thread. At 8,192 vectors, a
  // reindex of 10,000 stories read most of them again and again (vectors
  // were a third of Related News's time; 65.5 -> 54.7 s for the whole
  // reindex, bench/run's site of 10,000 stories). At 96 MiB, dropping all
  // of them each time, Related News of 50,000 stories took 104 s, of which
  // remaking vectors (term lists, the term table) about half; 50.8 s at
  // 192 MiB dropping half (1.09 GB peak for the reindex), 30 s with room
  // for all (512 MiB, 1.26 GB peak). The server's own state (Related on
  // publish) keeps as much: up to 192 MiB more resident on a big site.
  static constexpr std::size_t kMaxDocVectorBytes = std::size_t{192} << 20;
  // The bound for each thread of a big batch (RelatedMany of kBatchMin
  // stories or more: reindex, build, first start), whose threads live only
  // as long as the batch: room for every vector of a site of some 80,000
  // stories. Related News of 50,000 stories 50.8 s at 192 MiB, 30.4 s at
  // this bound (peak 1.09 -> 1.26 GB).
  static constexpr std::size_t kMaxBatchVectorBytes = std::size_t{512} << 20;
  // Round one from the batch's posting lists (state.batch): the `k` best
  // documents other than `self` by BM25 for the terms `best` (weight, gid;
  // heaviest first), best first (equal weights by docid), as Xapian's
  // query would rank them. False when a list is past the batch's budget.
  static bool BatchRoundOne(RelatedState& state, const std::vector<std::pair<double, std::uint32_t>>& best,
                            std::uint32_t self, std::size_t k,
                            std::vector<std::pair<std::uint32_t, double>>& out);
  // Related on `state`'s handle with its model; touches nothing else.
  Result<std::vector<RelatedItem>> RelatedIn(RelatedState& state, std::int64_t id,
                                             const RelatedOptions& options) const;
  // The LSA model `options` want, fitted on db_ when there is none or the
  // index has grown or shrunk by lsa_refit since (mu_ held); null when
  // they want none.
  std::shared_ptr<const LsaModel> LsaFor(const RelatedOptions& options);
  std::shared_ptr<const LsaModel> FitLsa(int dims, int min_df, int sample);  // mu_ held
  std::mutex mu_;
  std::shared_ptr<const LsaModel> lsa_;
  RelatedState related_;  // Related's, on db_
  std::unique_ptr<Xapian::WritableDatabase> db_;
};

}  // namespace dateline
