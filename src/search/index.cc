#include "search/index.h"

#include <xapian.h>

#include <Eigen/Dense>
#include <Eigen/Sparse>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <span>
#include <unordered_map>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <limits>

#include "base/parallel.h"
#include "search/schema.h"

namespace dateline {

namespace sc = search_schema;

namespace {

// The Xapian stemmer for a BCP 47 tag ("en-GB" -> english). A language
// Xapian has no stemmer for (Bengali, Hindi in 1.4) gets the English one:
// it leaves words in other scripts as they are, but gives every document
// the same "Z" stemmed terms that queries parsed with the site's stemmer
// look for, so such stories stay findable.
Xapian::Stem StemmerFor(const std::string& language) {
  std::string primary = language.substr(0, language.find('-'));
  if (primary.empty()) primary = "en";
  try {
    return Xapian::Stem(primary);
  } catch (const Xapian::Error&) {
    return Xapian::Stem("en");
  }
}

// A stemmer that remembers its answers. News text repeats its words (a
// Zipf-like vocabulary), and Snowball stemming was about a third of the time
// spent making a story's terms (STEM_ALL vs STEM_NONE, 2,000 stories); a
// repeated word is answered from memory. Used under SearchIndex::mu_.
class CachingStemmer : public Xapian::StemImplementation {
 public:
  explicit CachingStemmer(Xapian::Stem inner) : inner_(std::move(inner)) {}
  std::string operator()(const std::string& word) override {
    auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxWords) cache_.clear();
    std::string stem = inner_(word);
    cache_.emplace(word, stem);
    return stem;
  }
  std::string get_description() const override { return "cached " + inner_.get_description(); }

 private:
  static constexpr std::size_t kMaxWords = 1 << 20;
  Xapian::Stem inner_;
  std::unordered_map<std::string, std::string> cache_;
};

// The stemmer MSet::snippet uses to find the query's words in a text: it
// stems every word of the text to compare it with the query's terms, and
// that was most of a search's time (ten 600-word bodies per page). Here a
// word whose first byte starts none of the query's stems is answered
// without stemming. Only for stemmers that strip suffixes and never change
// a word's first letter (English, the default): others stem every word.
class SnippetStemmer : public Xapian::StemImplementation {
 public:
  SnippetStemmer(Xapian::Stem inner, std::string first_bytes)
      : inner_(std::move(inner)), first_bytes_(std::move(first_bytes)) {}
  std::string operator()(const std::string& word) override {
    if (!word.empty() && static_cast<unsigned char>(word[0]) < 0x80 &&
        first_bytes_.find(word[0]) == std::string::npos) {
      return std::string();  // matches no query term
    }
    return inner_(word);
  }
  std::string get_description() const override { return "snippet " + inner_.get_description(); }

 private:
  Xapian::Stem inner_;
  std::string first_bytes_;
};

std::string IdTerm(std::int64_t id) { return std::string(sc::kIdPrefix) + std::to_string(id); }

std::int64_t PeriodOf(double seconds) {
  return static_cast<std::int64_t>(std::floor(seconds / static_cast<double>(sc::kPeriodSeconds)));
}

std::string PeriodTerm(std::int64_t period) { return std::string(sc::kPeriodPrefix) + std::to_string(period); }

// The publish periods from `lo` to `hi` as an OR of boolean terms, or an
// empty query when the range spans too many of them to help.
Xapian::Query PeriodFilter(double lo, double hi) {
  std::int64_t first = PeriodOf(lo), last = PeriodOf(hi);
  if (last < first || last - first > 48) return Xapian::Query();
  std::vector<Xapian::Query> terms;
  for (std::int64_t p = first; p <= last; ++p) terms.emplace_back(PeriodTerm(p));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Article ids are the Xapian document ids (SQLite row ids start at 1), so a
// match names its story without reading the document.
bool ValidId(std::int64_t id) {
  return id > 0 && id <= static_cast<std::int64_t>(std::numeric_limits<Xapian::docid>::max());
}

// Document data: "<headline bytes> <language bytes>\n" + headline +
// language + plain text (schema 2; see docs/search-schema.md).
std::string EncodeData(const IndexDocument& d) {
  std::string out = std::to_string(d.headline.size()) + ' ' + std::to_string(d.language.size()) + '\n';
  out.reserve(out.size() + d.headline.size() + d.language.size() + d.text.size());
  out += d.headline;
  out += d.language;
  out += d.text;
  return out;
}

struct StoredText {
  std::string headline, language, text;
};

StoredText DecodeData(const std::string& data) {
  StoredText out;
  std::size_t nl = data.find('\n');
  if (nl == std::string::npos) return out;
  std::size_t h = 0, l = 0;
  if (std::sscanf(data.substr(0, nl).c_str(), "%zu %zu", &h, &l) != 2) return out;
  std::size_t at = nl + 1;
  if (h > data.size() - at || l > data.size() - at - h) return out;
  out.headline = data.substr(at, h);
  out.language = data.substr(at + h, l);
  out.text = data.substr(at + h + l);
  return out;
}

Status FromXapian(const Xapian::Error& e, const std::string& path) {
  std::string msg = "search index " + path + ": " + e.get_type() + ": " + e.get_msg();
  if (std::string(e.get_type()) == "DatabaseLockError") {
    return Status::Unavailable(msg + " (another dateline process is writing the index)");
  }
  if (std::string(e.get_type()).find("Corrupt") != std::string::npos) {
    return Status::Corruption(msg);
  }
  return Status::IOError(msg);
}

// The words of a story's text as stemmed terms ("Zgrowth"): not prefixed
// fields, ids or bare numbers.
bool IsContentTerm(const std::string& term) {
  // Stemmed, unprefixed terms only: measured on the BBC corpus, adding the
  // unstemmed forms lowered precision (bench/relatedness).
  if (term.size() < 3 || term[0] != 'Z') return false;
  unsigned char c = static_cast<unsigned char>(term[1]);
  if (c >= 'A' && c <= 'Z') return false;  // a field prefix
  // Words that start with a digit ("3g", "2005") are left out, as schema 1
  // (which made no stemmed term for them) left them out.
  if (c >= '0' && c <= '9') return false;
  return term.find_first_not_of("0123456789", 1) != std::string::npos;
}

class ContentTerms : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override { return IsContentTerm(term); }
};

// Whether the Jaccard index of two sorted sets, |a ∩ b| / |a ∪ b|, is at
// least `threshold`. The index grows with the common count, so the merge
// stops as soon as even every element left in common could not reach the
// threshold (most pairs of stories share a fifth of their terms; a copy,
// 0.6): the answer is the one the whole merge gives, with the same
// arithmetic for the count it ends on.
template <typename T>
bool JaccardAtLeast(const std::vector<T>& a, const std::vector<T>& b, double threshold) {
  if (a.empty() || b.empty()) return 0.0 >= threshold;
  const std::size_t total = a.size() + b.size();
  auto index = [total](std::size_t common) {
    return static_cast<double>(common) / static_cast<double>(total - common);
  };
  // The bound falls only when the merge passes an element not in common.
  if (index(std::min(a.size(), b.size())) < threshold) return false;
  std::size_t common = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
      continue;
    }
    if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
    if (index(common + std::min(a.size() - i, b.size() - j)) < threshold) return false;
  }
  return index(common) >= threshold;
}

std::optional<Xapian::docid> FindDoc(Xapian::Database& db, std::int64_t id) {
  if (!ValidId(id)) return std::nullopt;
  std::string term = IdTerm(id);
  if (!db.term_exists(term)) return std::nullopt;
  return static_cast<Xapian::docid>(id);
}

std::int64_t IdOf(Xapian::docid did) { return static_cast<std::int64_t>(did); }

Seconds PublishedOf(const Xapian::Document& doc) {
  std::string v = doc.get_value(sc::kPublishedSlot);
  return v.empty() ? 0 : static_cast<Seconds>(Xapian::sortable_unserialise(v));
}

}  // namespace

Xapian::Stem search_schema::IndexStemmer(const std::string& language) {
  return Xapian::Stem(new CachingStemmer(StemmerFor(language)));
}

struct SearchIndex::Indexer {
  Xapian::TermGenerator tg;
  Xapian::TermGenerator spelling;  // headline words, unstemmed, for the spelling table
  std::unordered_map<std::string, Xapian::Stem> stemmers;  // by BCP 47 primary tag

  const Xapian::Stem& StemmerFor(const std::string& language) {
    std::string primary = language.substr(0, language.find('-'));
    auto it = stemmers.find(primary);
    if (it == stemmers.end()) {
      it = stemmers.emplace(primary, sc::IndexStemmer(primary)).first;
    }
    return it->second;
  }
};

// Indexers not in use; one is made when none is free, so there are as many
// as threads have used at once. A lease gives its indexer back.
struct SearchIndex::Indexers {
  std::mutex mu;
  std::vector<std::unique_ptr<Indexer>> idle;

  class Lease {
   public:
    explicit Lease(Indexers& from) : from_(from) {
      std::lock_guard lock(from_.mu);
      if (from_.idle.empty()) {
        indexer_ = std::make_unique<Indexer>();
      } else {
        indexer_ = std::move(from_.idle.back());
        from_.idle.pop_back();
      }
    }
    ~Lease() {
      std::lock_guard lock(from_.mu);
      from_.idle.push_back(std::move(indexer_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Indexer* operator->() { return indexer_.get(); }
    Indexer& operator*() { return *indexer_; }

   private:
    Indexers& from_;
    std::unique_ptr<Indexer> indexer_;
  };
};

struct SearchIndex::Prepared {
  std::int64_t id = 0;
  Status error;
  Xapian::Document doc;
  // The headline's, dek's and dateline's words as typed, each with its
  // count, for the spelling table.
  std::vector<std::pair<std::string, Xapian::termcount>> spelling;

  // Puts the document and its spelling words into `db` (the index, or a
  // bulk load's shard).
  void WriteTo(Xapian::WritableDatabase& db) const {
    for (const auto& [word, count] : spelling) db.add_spelling(word, count);
    db.replace_document(static_cast<Xapian::docid>(id), doc);
  }
};

SearchIndex::SearchIndex(std::string path) : path_(std::move(path)), indexers_(std::make_unique<Indexers>()) {}
SearchIndex::~SearchIndex() = default;

Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(const std::string& path) {
  std::unique_ptr<SearchIndex> index(new SearchIndex(path));
  // Xapian buffers postings in memory and writes them out every
  // XAPIAN_FLUSH_THRESHOLD documents (10,000 by default). Its buffers are
  // ordered maps whose cost per posting grows with their size: writing out
  // every 500 documents built the index 1.7x faster (12,000 stories,
  // docs/search-schema.md). Durability is unchanged: only Commit() makes a
  // new revision. A value set in the environment wins.
  ::setenv("XAPIAN_FLUSH_THRESHOLD", sc::kFlushThreshold, 0);
  // Shards a bulk load left when the process stopped before merging them
  // (see PutMany): the index never took them in; catch-up will.
  std::error_code ec;
  std::filesystem::remove_all(path + ".bulk", ec);
  try {
    index->db_ = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OPEN);
    std::string version = index->db_->get_metadata(std::string(sc::kSchemaVersionKey));
    if (!version.empty() && version != sc::kSchemaVersion) {
      // An index of another schema is derived data in a form this build
      // cannot read: start it again, empty, with last_seq 0, so the caller's
      // catch-up (IndexSync) indexes every visible story anew.
      index->db_.reset();
      index->db_ = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OVERWRITE);
      version.clear();
    }
    if (version.empty()) {
      index->db_->set_metadata(std::string(sc::kSchemaVersionKey), std::string(sc::kSchemaVersion));
      index->db_->commit();
    }
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path));
  }
  return index;
}

Result<std::unique_ptr<SearchIndex>> SearchIndex::InMemory() {
  std::unique_ptr<SearchIndex> index(new SearchIndex("(memory)"));
  index->spelling_ = false;
  try {
    index->db_ = std::make_unique<Xapian::WritableDatabase>(std::string(), Xapian::DB_BACKEND_INMEMORY);
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, "(memory)"));
  }
  return index;
}

SearchIndex::Prepared SearchIndex::Prepare(const IndexDocument& d, std::int64_t id) const {
  Prepared p;
  p.id = d.id;
  if (d.id != id) {
    p.error = Status::InvalidArgument("search index: the document made for article " + std::to_string(id) +
                                      " has id " + std::to_string(d.id));
    return p;
  }
  if (!ValidId(d.id)) {
    p.error = Status::InvalidArgument("search index: article id " + std::to_string(d.id) + " out of range");
    return p;
  }
  try {
    // Schema 2: every word is indexed once, stemmed, under "Z" (with
    // positions, for phrases); the headline again under "S" for title:
    // searches. See docs/search-schema.md for what this replaced and why.
    Indexers::Lease indexer(*indexers_);
    // A term generator keeps a handle on the last document it filled, and
    // Xapian's handles count their holders without atomics: this document
    // goes to another thread (the writer), so the generators let go of it
    // before the indexer is lent to another thread.
    struct LetGo {
      Indexer& indexer;
      ~LetGo() {
        indexer.tg.set_document(Xapian::Document());
        indexer.spelling.set_document(Xapian::Document());
      }
    } let_go{*indexer};
    Xapian::Document& doc = p.doc;
    Xapian::TermGenerator& tg = indexer->tg;
    tg.set_stemmer(indexer->StemmerFor(d.language));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    tg.set_document(doc);
    sc::IndexStoryWords(tg, d.headline, d.dek, d.dateline, d.text);
    if (spelling_) {
      // Spelling data from headlines, deks and datelines only: feeding every
      // body word to the spelling table made indexing about three times
      // slower (bench/search_speed) for suggestions headlines already cover.
      // The words go in unstemmed, as typed, as many times as they occur
      // (what the term generator's FLAG_SPELLING adds, collected here so
      // that Write alone touches the database).
      Xapian::TermGenerator& sp = indexer->spelling;
      Xapian::Document words;
      sp.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
      sp.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
      sp.set_document(words);
      sp.index_text_without_positions(d.headline);
      sp.index_text_without_positions(d.dek);
      sp.index_text_without_positions(d.dateline);
      for (auto t = words.termlist_begin(); t != words.termlist_end(); ++t) {
        p.spelling.emplace_back(*t, t.get_wdf());
      }
    }
    doc.add_boolean_term(IdTerm(d.id));
    if (!d.section.empty()) doc.add_boolean_term(std::string(sc::kSectionPrefix) + d.section);
    for (const auto& t : d.tags) doc.add_boolean_term(std::string(sc::kTagPrefix) + t);
    for (const auto& a : d.authors) doc.add_boolean_term(std::string(sc::kAuthorPrefix) + a);
    if (!d.language.empty()) doc.add_boolean_term(std::string(sc::kLanguagePrefix) + d.language);
    doc.add_value(sc::kPublishedSlot, Xapian::sortable_serialise(static_cast<double>(d.published_at)));
    doc.add_boolean_term(PeriodTerm(PeriodOf(static_cast<double>(d.published_at))));
    doc.set_data(EncodeData(d));
  } catch (const Xapian::Error& e) {
    p.error = FromXapian(e, path_);
  }
  return p;
}

Status SearchIndex::Write(Prepared& p) {
  if (!p.error.ok()) return p.error;
  std::lock_guard lock(mu_);
  try {
    DL_RETURN_IF_ERROR(Settle());
    p.WriteTo(*db_);
    related_.DropVector(static_cast<Xapian::docid>(p.id));
  } catch (const Xapian::Error& e) {
    return FromXapian(e, path_);
  }
  return Status::Ok();
}

Status SearchIndex::Put(const IndexDocument& d) {
  Prepared p = Prepare(d, d.id);
  return Write(p);
}

Status SearchIndex::PutMany(const std::vector<std::int64_t>& ids,
                            const std::function<IndexDocument(std::size_t)>& make, int threads) {
  threads = std::max(threads, 1);
  const std::size_t n = ids.size();
  {
    std::lock_guard lock(mu_);
    try {
      bool bulk = spelling_ /* on disk */ && threads > 1 && n >= kBulkMin;
      if (bulk && bulk_) {
        const std::int64_t first = *std::min_element(ids.begin(), ids.end());
        bulk = first > bulk_->last_id && bulk_->shards.size() + static_cast<std::size_t>(threads) <= kMaxShards;
      } else if (bulk) {
        bulk = db_->get_doccount() == 0;
      }
      if (bulk) return PutBulk(ids, make, threads);
      DL_RETURN_IF_ERROR(Settle());
    } catch (const Xapian::Error& e) {
      return FromXapian(e, path_);
    }
  }
  // In chunks: while this thread writes one, the others make the next (all
  // threads make the first). Measured in docs/search-schema.md.
  constexpr std::size_t kChunk = 256;
  std::vector<Prepared> chunks[2];
  auto prepare = [&](std::size_t start, std::vector<Prepared>& out, int with) {
    out.clear();
    out.resize(std::min(kChunk, n - start));
    ParallelFor(out.size(), with, [&](std::size_t i) { out[i] = Prepare(make(start + i), ids[start + i]); });
  };
  auto write = [&](std::vector<Prepared>& chunk) {
    for (Prepared& p : chunk) DL_RETURN_IF_ERROR(Write(p));
    return Status::Ok();
  };
  if (threads == 1) {
    for (std::size_t start = 0; start < n; start += kChunk) {
      prepare(start, chunks[0], 1);
      DL_RETURN_IF_ERROR(write(chunks[0]));
    }
    return Status::Ok();
  }
  std::size_t next = 0;
  return Pipeline(
      [&](int slot) {
        if (next >= n) return false;
        prepare(next, chunks[slot], next == 0 ? threads : threads - 1);
        next += kChunk;
        return true;
      },
      [&](int slot) { return write(chunks[slot]); });
}

Status SearchIndex::PutBulk(const std::vector<std::int64_t>& ids,
                            const std::function<IndexDocument(std::size_t)>& make, int threads) {
  // The stories in id order, cut into `threads` runs of consecutive ids;
  // each thread makes and writes its run into a shard of its own. Settle
  // merges the shards keeping every document's id, which needs each
  // shard's ids apart from every other's.
  std::vector<std::size_t> order(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  std::error_code made;
  std::filesystem::create_directories(path_ + ".bulk", made);
  if (made) return Status::IOError("search index: cannot make " + path_ + ".bulk: " + made.message());
  if (!bulk_) bulk_.emplace();
  const std::size_t runs = static_cast<std::size_t>(threads);
  std::vector<std::string> dirs;
  for (std::size_t t = 0; t < runs; ++t) {
    dirs.push_back(path_ + ".bulk/" + std::to_string(bulk_->shards.size() + t));  // a failed call's are gone
  }
  std::vector<Status> failed(runs);
  ParallelFor(runs, threads, [&](std::size_t t) {
    const std::size_t from = order.size() * t / runs, to = order.size() * (t + 1) / runs;
    try {
      Xapian::WritableDatabase shard(dirs[t], Xapian::DB_CREATE_OR_OVERWRITE);
      for (std::size_t k = from; k < to; ++k) {
        Prepared p = Prepare(make(order[k]), ids[order[k]]);
        if (!p.error.ok()) {
          failed[t] = p.error;
          return;
        }
        p.WriteTo(shard);
      }
      shard.commit();
    } catch (const Xapian::Error& e) {
      failed[t] = FromXapian(e, dirs[t]);
    }
  });
  for (const Status& s : failed) {
    if (s.ok()) continue;
    // Nothing of this call is kept: the caller starts again.
    std::error_code ec;
    for (const std::string& d : dirs) std::filesystem::remove_all(d, ec);
    return s;
  }
  bulk_->shards.insert(bulk_->shards.end(), dirs.begin(), dirs.end());
  bulk_->last_id = std::max(bulk_->last_id, ids[order.back()]);
  return Status::Ok();
}

Status SearchIndex::Settle() {
  if (!bulk_) return Status::Ok();
  const std::vector<std::string> shards = std::move(bulk_->shards);
  bulk_.reset();
  const std::string work = path_ + ".bulk";
  const std::string merged = work + "/merged", old = work + "/old";
  auto clean = [&] {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  };
  if (shards.empty()) {  // every call of the load failed
    clean();
    return Status::Ok();
  }
  try {
    Xapian::Database all;
    for (const std::string& d : shards) all.add_database(Xapian::Database(d));
    all.compact(merged, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::DBCOMPACT_MULTIPASS);
    // The index's metadata (schema version, sequence applied) goes along.
    Xapian::WritableDatabase out(merged, Xapian::DB_OPEN);
    for (auto k = db_->metadata_keys_begin(); k != db_->metadata_keys_end(); ++k) {
      out.set_metadata(*k, db_->get_metadata(*k));
    }
    out.commit();
  } catch (const Xapian::Error& e) {
    clean();
    return FromXapian(e, path_);
  }
  // The merged index takes the (empty) index's place; if it cannot, the
  // empty one stays and the stories are lost to it: the caller starts
  // again from the sequence the index holds.
  db_.reset();
  std::error_code moved;
  std::filesystem::rename(path_, old, moved);
  if (!moved) {
    std::filesystem::rename(merged, path_, moved);
    if (moved) {
      std::error_code ec;
      std::filesystem::rename(old, path_, ec);
    }
  }
  Status status = moved ? Status::IOError("search index: cannot put the merged index in place at " + path_ +
                                          ": " + moved.message())
                        : Status::Ok();
  try {
    db_ = std::make_unique<Xapian::WritableDatabase>(path_, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::Error& e) {
    // No index can be opened at its path: an empty one in memory stands in,
    // so that every method keeps answering (with nothing) and the error is
    // the caller's to report.
    status = FromXapian(e, path_);
    db_ = std::make_unique<Xapian::WritableDatabase>(std::string(), Xapian::DB_BACKEND_INMEMORY);
  }
  clean();
  related_ = RelatedState{};
  lsa_.reset();
  return status;
}

Status SearchIndex::Remove(std::int64_t id) {
  std::lock_guard lock(mu_);
  // During a bulk load the index is empty and a story after the last one
  // loaded is in no shard: nothing to remove, and no reason to merge (the
  // app's catch-up removes its unseen stories between loads).
  if (bulk_ && id > bulk_->last_id) return Status::Ok();
  try {
    DL_RETURN_IF_ERROR(Settle());
    if (FindDoc(*db_, id)) db_->delete_document(static_cast<Xapian::docid>(id));
    related_.DropVector(static_cast<Xapian::docid>(id));
  } catch (const Xapian::Error& e) {
    return FromXapian(e, path_);
  }
  return Status::Ok();
}

Status SearchIndex::Commit(std::int64_t last_seq, Seconds visible_until) {
  std::lock_guard lock(mu_);
  try {
    DL_RETURN_IF_ERROR(Settle());
    db_->set_metadata(std::string(sc::kLastSeqKey), std::to_string(last_seq));
    db_->set_metadata(std::string(sc::kVisibleUntilKey), std::to_string(visible_until));
    db_->commit();
  } catch (const Xapian::Error& e) {
    return FromXapian(e, path_);
  }
  return Status::Ok();
}

Result<std::int64_t> SearchIndex::LastSeq() {
  std::lock_guard lock(mu_);
  try {
    if (Status s = Settle(); !s.ok()) return Fail(s);
    std::string v = db_->get_metadata(std::string(sc::kLastSeqKey));
    return v.empty() ? 0 : std::stoll(v);
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path_));
  }
}

Result<Seconds> SearchIndex::VisibleUntil() {
  std::lock_guard lock(mu_);
  try {
    if (Status s = Settle(); !s.ok()) return Fail(s);
    std::string v = db_->get_metadata(std::string(sc::kVisibleUntilKey));
    return v.empty() ? 0 : std::stoll(v);
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path_));
  }
}

Result<std::int64_t> SearchIndex::Count() {
  std::lock_guard lock(mu_);
  if (Status s = Settle(); !s.ok()) return Fail(s);
  return static_cast<std::int64_t>(db_->get_doccount());
}

bool SearchIndex::Contains(std::int64_t id) {
  std::lock_guard lock(mu_);
  return Settle().ok() && FindDoc(*db_, id).has_value();
}

namespace {

// "Did you mean": each plain word of the query that the index does not hold
// (its stemmed term is in no story) is replaced by the spelling table's
// suggestion, if it has one. Field names and values (`tag:x`), operators
// and `word*` prefixes are left alone. Schema 1 had the query parser do
// this, keyed on unstemmed terms, which schema 2 no longer keeps.
// Calls `fn(word, start, stop)` for each run of word characters in `text`
// (Xapian's notion of one), `word` lowercased, [start, stop) its bytes.
template <typename Fn>
void ForEachWord(const std::string& text, Fn fn) {
  Xapian::Utf8Iterator it(text), end;
  const char* base = text.data();
  while (it != end) {
    if (!Xapian::Unicode::is_wordchar(*it)) {
      ++it;
      continue;
    }
    std::size_t start = static_cast<std::size_t>(it.raw() - base);
    std::string word;
    while (it != end && Xapian::Unicode::is_wordchar(*it)) {
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
      ++it;
    }
    std::size_t stop = it == end ? text.size() : static_cast<std::size_t>(it.raw() - base);
    fn(word, start, stop);
  }
}

std::string SpellingSuggestion(Xapian::Database& db, const std::string& text, const Xapian::Stem& stem) {
  std::string corrected;
  bool changed = false;
  std::size_t copied = 0;
  ForEachWord(text, [&](const std::string& word, std::size_t start, std::size_t stop) {
    std::string raw = text.substr(start, stop - start);
    char next = stop < text.size() ? text[stop] : '\0';
    char prev = start > 0 ? text[start - 1] : '\0';
    if (next == ':' || prev == ':' || next == '*' || word.size() < 2) return;
    if (raw == "AND" || raw == "OR" || raw == "NOT" || raw == "XOR" || raw == "NEAR" || raw == "ADJ") return;
    if (db.term_exists(std::string(sc::kContentPrefix) + stem(word))) return;
    std::string suggestion = db.get_spelling_suggestion(word);
    if (suggestion.empty()) return;
    corrected.append(text, copied, start - copied);
    corrected += suggestion;
    copied = stop;
    changed = true;
  });
  if (!changed) return "";
  corrected.append(text, copied, std::string::npos);
  return corrected;
}

// The stems each `word*` of the query text stands for, as the query parser
// expands it: of the content terms that start with the word (lowercased),
// the `max` found in the most stories.
std::vector<std::string> PrefixExpansions(Xapian::Database& db, const std::string& text, std::size_t max) {
  std::vector<std::string> out;
  ForEachWord(text, [&](const std::string& word, std::size_t, std::size_t stop) {
    if (stop >= text.size() || text[stop] != '*') return;
    const std::string prefix = std::string(sc::kContentPrefix) + word;
    std::vector<std::pair<Xapian::doccount, std::string>> terms;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
      terms.emplace_back(t.get_termfreq(), *t);
    }
    const std::size_t keep = std::min(max, terms.size());
    std::partial_sort(terms.begin(), terms.begin() + static_cast<std::ptrdiff_t>(keep), terms.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (std::size_t i = 0; i < keep; ++i) out.push_back(std::move(terms[i].second));
  });
  return out;
}

}  // namespace

Result<SearchResults> SearchIndex::Search(const SearchQuery& q) {
  if (q.text.size() > kMaxQueryLength) {
    return Fail(Status::InvalidArgument("the search is too long (at most " +
                                        std::to_string(kMaxQueryLength) + " characters)"));
  }
  std::lock_guard lock(mu_);
  SearchResults out;
  try {
    if (Status s = Settle(); !s.ok()) return Fail(s);
    Indexers::Lease indexer(*indexers_);
    const Xapian::Stem& stem = indexer->StemmerFor(q.language);
    Xapian::QueryParser qp;
    sc::SetUpQueryParser(qp, *db_, stem);
    Xapian::Query query;
    bool has_text = q.text.find_first_not_of(" \t\r\n") != std::string::npos;
    if (has_text) {
      try {
        query = qp.parse_query(q.text, sc::kQueryFlags, std::string(sc::kContentPrefix));
      } catch (const Xapian::QueryParserError& e) {
        return Fail(Status::InvalidArgument(e.get_msg()));
      }
      if (spelling_) out.suggestion = SpellingSuggestion(*db_, q.text, stem);
    }
    std::vector<Xapian::Query> filters;
    if (!q.section.empty()) filters.emplace_back(std::string(sc::kSectionPrefix) + q.section);
    if (!q.tag.empty()) filters.emplace_back(std::string(sc::kTagPrefix) + q.tag);
    if (!q.author.empty()) filters.emplace_back(std::string(sc::kAuthorPrefix) + q.author);
    // The index's first and last publish times, to bound open ranges.
    auto bound = [&](bool upper) {
      std::string v = upper ? db_->get_value_upper_bound(sc::kPublishedSlot)
                            : db_->get_value_lower_bound(sc::kPublishedSlot);
      return v.empty() ? 0.0 : Xapian::sortable_unserialise(v);
    };
    if (q.from || q.to) {
      double lo = q.from ? static_cast<double>(*q.from) : -1e18;
      double hi = q.to ? static_cast<double>(*q.to) : 1e18;
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, sc::kPublishedSlot,
                           Xapian::sortable_serialise(lo), Xapian::sortable_serialise(hi));
      // Checking the value slot costs a lookup per matching story; the
      // period terms first narrow the candidates to the range's periods
      // (a frequent word in a 30-day range of 100,000 stories: p50 16 ms
      // to 11 ms, bench/search_speed).
      Xapian::Query periods = PeriodFilter(std::max(lo, bound(false)), std::min(hi, bound(true)));
      if (!periods.empty()) filters.push_back(periods);
    }
    if (!has_text && filters.empty()) return out;
    if (!has_text) query = Xapian::Query::MatchAll;
    if (query.empty()) return out;
    for (const auto& f : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);

    const auto first = static_cast<Xapian::doccount>(std::max(0, q.offset));
    const auto count = static_cast<Xapian::doccount>(std::clamp(q.limit, 0, 100));
    Xapian::Enquire enquire(*db_);
    Xapian::MSet mset;
    bool done = false;
    if (q.newest_first) {
      enquire.set_sort_by_value_then_relevance(sc::kPublishedSlot, true);
      // Sorting by time reads the time of every match. The newest stories
      // are in the last two periods: try those first, and sort everything
      // only when they hold too few matches. The count comes from the
      // unsorted query's estimate. (A frequent word, newest first, in
      // 100,000 stories: p50 15 ms to 7 ms, bench/search_speed.)
      double latest = bound(true);
      Xapian::Query recent = PeriodFilter(latest - static_cast<double>(sc::kPeriodSeconds), latest);
      if (!recent.empty()) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, recent));
        mset = enquire.get_mset(first, count);
        if (mset.size() == count && mset.get_matches_lower_bound() >= first + count) {
          done = true;
          Xapian::Enquire estimate(*db_);
          estimate.set_query(query);
          out.total = static_cast<std::int64_t>(estimate.get_mset(0, 0).get_matches_estimated());
        }
      }
    }
    if (!done) {
      enquire.set_query(query);
      mset = enquire.get_mset(first, count, static_cast<Xapian::doccount>(q.offset + 100));
      out.total = static_cast<std::int64_t>(mset.get_matches_estimated());
    }
    // The snippets mark the words of the query's terms (get_terms). Xapian
    // 1.4 lists no term a `word*` expanded to there, so it would mark no
    // word a prefix matched: for a query with prefixes the snippets come
    // from a second query, of its plain words and every prefix's
    // expansions (its MSet only marks; no story is matched for it).
    std::optional<Xapian::Enquire> marking;  // made for a query with prefixes only
    Xapian::MSet marks = mset;
    Xapian::Query marked = query;
    if (has_text && q.text.find('*') != std::string::npos) {
      std::vector<Xapian::Query> words;
      for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
        const std::string& term = *t;
        if (term.starts_with(sc::kContentPrefix) || term.starts_with(sc::kHeadlinePrefix)) words.emplace_back(term);
      }
      for (std::string& term : PrefixExpansions(*db_, q.text, sc::kPrefixExpansion))
        words.emplace_back(std::move(term));
      marked = Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end());
      marking.emplace(*db_);
      marking->set_query(marked);
      marks = marking->get_mset(0, 0);
    }
    Xapian::Stem snippet_stem = stem;
    std::string primary = q.language.substr(0, q.language.find('-'));
    if (primary.empty() || primary == "en") {
      std::string first_bytes;
      for (auto t = marked.get_terms_begin(); t != marked.get_terms_end(); ++t) {
        const std::string& term = *t;
        if (term.size() > sc::kContentPrefix.size() && term.compare(0, sc::kContentPrefix.size(), sc::kContentPrefix) == 0) {
          first_bytes += term[sc::kContentPrefix.size()];
        }
      }
      snippet_stem = Xapian::Stem(new SnippetStemmer(stem, first_bytes));
    }
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      StoredText data = DecodeData(it.get_document().get_data());
      SearchHit hit;
      hit.id = IdOf(*it);
      hit.score = it.get_weight();
      const std::string& headline = data.headline;
      const std::string& text = data.text;
      hit.headline_html = marks.snippet(headline, headline.size() + 16, snippet_stem, 0, "<mark>",
                                        "</mark>", "");
      // Default (non-exhaustive, no background model) snippets: the
      // exhaustive search with a background model cost about 7 ms per
      // query on a 2,000-story index (p50 10 ms -> 2.8 ms, bench/search_speed).
      hit.snippet_html = marks.snippet(text, 280, snippet_stem, 0, "<mark>", "</mark>", "…");
      out.hits.push_back(std::move(hit));
    }
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path_));
  }
  return out;
}

SearchIndex::TermInfo& SearchIndex::RelatedState::Term(const std::string& term) {
  std::uint64_t h = std::hash<std::string>{}(term) | 1;  // never 0
  if (term_slots.empty() || 2 * (terms_used + 1) > term_slots.size()) {
    const std::vector<TermSlot> old = std::move(term_slots);
    term_slots.assign(std::max<std::size_t>(1 << 16, old.size() * 2), TermSlot{});
    const std::size_t mask = term_slots.size() - 1;
    for (const TermSlot& slot : old) {
      if (slot.hash == 0) continue;
      std::size_t i = slot.hash & mask;
      while (term_slots[i].hash != 0) i = (i + 1) & mask;
      term_slots[i] = slot;
    }
  }
  const std::size_t mask = term_slots.size() - 1;
  std::size_t i = h & mask;
  while (term_slots[i].hash != 0) {
    if (term_slots[i].hash == h && term_of_gid[term_slots[i].info.gid] == term) return term_slots[i].info;
    i = (i + 1) & mask;
  }
  TermSlot& slot = term_slots[i];
  slot.hash = h;
  slot.info.gid = static_cast<std::uint32_t>(terms_used);
  term_of_gid.push_back(term);
  slot.info.df = static_cast<double>(db->get_termfreq(term));
  if (lsa) {
    auto row = lsa->rows.find(term);
    if (row != lsa->rows.end()) slot.info.lsa_row = row->second;
  }
  ++terms_used;
  return slot.info;
}

void SearchIndex::RelatedState::ClearTerms() {
  list_of_gid.clear();
  term_slots.clear();
  term_slots.shrink_to_fit();
  terms_used = 0;
  term_of_gid.clear();
  // Vectors name terms by gid, and LSA rows change with the model.
  ClearVectors();
  local_of_gid.clear();
  numbered.clear();
}

void SearchIndex::RelatedState::Use(std::shared_ptr<const LsaModel> model) {
  if (model == lsa) return;
  lsa = std::move(model);
  ClearTerms();  // term rows and vectors refer to the old model
}

void SearchIndex::RelatedState::DropVector(std::uint32_t did) {
  auto it = doc_vectors.find(did);
  if (it == doc_vectors.end()) return;
  vector_bytes -= it->second.Bytes();
  doc_vectors.erase(it);
}

void SearchIndex::RelatedState::ClearVectors() {
  doc_vectors.clear();
  vector_bytes = 0;
}

void SearchIndex::RelatedState::KeepVectorsFor(double n_docs, double min_df, bool with_lsa,
                                              std::size_t max_bytes) {
  with_lsa = with_lsa && lsa != nullptr;
  if (n_docs != vectors_n_docs || min_df != vectors_min_df || with_lsa != vectors_lsa) {
    ClearVectors();
    vectors_n_docs = n_docs;
    vectors_min_df = min_df;
    vectors_lsa = with_lsa;
  } else if (vector_bytes >= max_bytes) {
    // Over the bound: every second vector goes (in the map's order, which
    // follows no story's), so a batch over a bigger site keeps half its
    // vectors instead of starting again from none.
    bool drop = false;
    for (auto it = doc_vectors.begin(); it != doc_vectors.end();) {
      if ((drop = !drop)) {
        vector_bytes -= it->second.Bytes();
        it = doc_vectors.erase(it);
      } else {
        ++it;
      }
    }
  }
}

const SearchIndex::DocVector& SearchIndex::RelatedState::VectorOf(std::uint32_t did) {
  const bool with_lsa = vectors_lsa;
  const double n_docs = vectors_n_docs, min_df = vectors_min_df;
  auto [it, fresh] = doc_vectors.try_emplace(did);
  DocVector& v = it->second;
  if (!fresh) return v;
  const std::size_t k_lsa = with_lsa ? static_cast<std::size_t>(lsa->dims) : 0;
  double norm = 0;
  // Stemmed terms ("Z...") sort together, after the field prefixes.
  try {
    auto t = db->termlist_begin(did);
    t.skip_to("Z");
    for (; t != db->termlist_end(did); ++t) {
      const std::string& term = *t;
      if (term.empty() || term[0] != 'Z') break;
      if (!IsContentTerm(term)) continue;
      const TermInfo& info = Term(term);
      v.all.push_back(info.gid);
      if (info.df < min_df) continue;
      double w = (1.0 + std::log(static_cast<double>(t.get_wdf()))) * std::log(n_docs / info.df);
      if (w <= 0) continue;
      v.w.emplace_back(info.gid, w);
      norm += w * w;
      if (with_lsa && info.lsa_row >= 0) {
        const float* m = &lsa->matrix[static_cast<std::size_t>(info.lsa_row) * k_lsa];
        if (v.lsa.empty()) v.lsa.assign(k_lsa, 0.0);
        for (std::size_t i = 0; i < k_lsa; ++i) v.lsa[i] += w * m[i];
      }
    }
    v.published = PublishedOf(db->get_document(did, Xapian::DOC_ASSUME_VALID));
  } catch (...) {
    doc_vectors.erase(did);  // never keep half a vector
    throw;
  }
  v.w.shrink_to_fit();
  v.all.shrink_to_fit();
  vector_bytes += v.Bytes();
  double lnorm = 0;
  for (double x : v.lsa) lnorm += x * x;
  lnorm = std::sqrt(lnorm);
  if (lnorm > 0) for (double& x : v.lsa) x /= lnorm;
  norm = std::sqrt(norm);
  if (norm > 0) for (auto& e : v.w) e.second /= norm;
  std::sort(v.all.begin(), v.all.end());
  return v;
}
// One query term's postings for a batch, with each document's share of
// the term's BM25 weight: wdf / (k1 (normlen b + 1 - b) + wdf), computed as
// Xapian's BM25Weight::get_sumpart computes it (Xapian 1.4).
struct SearchIndex::BatchList {
  std::vector<Xapian::docid> docs;
  std::vector<double> part;
  double log_tw = 0;  // log of the term's weight ratio, as BM25Weight::init
};

// The posting lists of a RelatedMany batch, read once each and shared by
// its threads (a list never changes once added). Every handle that uses
// them must be at `revision`: document lengths and statistics are its.
struct SearchIndex::BatchPostings {
  // Xapian::BM25Weight's defaults, which Enquire uses.
  static constexpr double kK1 = 1, kK3 = 1, kB = 0.5, kMinNormlen = 0.5;
  // At most this many postings are held (12 bytes each); past it, round
  // one goes back to a Xapian query for the stories still to do.
  static constexpr std::size_t kMaxPostings = std::size_t{32} << 20;

  explicit BatchPostings(Xapian::Database& db)
      : revision(db.get_revision()), n_docs(db.get_doccount()) {
    const double average = db.get_avlength();
    len_factor = average != 0 ? 1 / average : 0;
    doclen.assign(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) doclen[*p] = p.get_doclength();
  }

  // `term`'s list, read on `db` the first time it is asked for; null once
  // the budget is spent.
  const BatchList* Get(Xapian::Database& db, const std::string& term) {
    {
      std::lock_guard lock(mu);
      auto it = lists.find(term);
      if (it != lists.end()) return it->second.get();
      if (held >= kMaxPostings) return nullptr;
    }
    auto list = std::make_unique<BatchList>();
    const Xapian::doccount tf = db.get_termfreq(term);
    list->docs.reserve(tf);
    list->part.reserve(tf);
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      const Xapian::docid d = *p;
      const double wdf = p.get_wdf();
      const double normlen = std::max(doclen[d] * len_factor, kMinNormlen);
      const double denom = kK1 * (normlen * kB + (1 - kB)) + wdf;
      list->docs.push_back(d);
      list->part.push_back(wdf / denom);
    }
    double tw = (n_docs - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    list->log_tw = std::log(tw);
    std::lock_guard lock(mu);
    auto [it, added] = lists.try_emplace(term, std::move(list));
    if (added) held += it->second->docs.size();
    return it->second.get();
  }

  Xapian::rev revision;
  Xapian::doccount n_docs;
  double len_factor = 0;
  std::vector<Xapian::termcount> doclen;  // by docid
  std::mutex mu;
  std::unordered_map<std::string, std::unique_ptr<BatchList>> lists;
  std::size_t held = 0;  // postings in `lists`
};

bool SearchIndex::BatchRoundOne(RelatedState& st, const std::vector<std::pair<double, std::uint32_t>>& best,
                                std::uint32_t self, std::size_t k,
                                std::vector<std::pair<std::uint32_t, double>>& out) {
  BatchPostings& batch = *st.batch;
  if (st.list_of_gid.size() < st.terms_used) st.list_of_gid.resize(st.terms_used, nullptr);
  if (st.acc.size() < batch.doclen.size()) st.acc.assign(batch.doclen.size(), 0.0);
  for (const auto& [w, gid] : best) {
    if (st.list_of_gid[gid] == nullptr) {
      st.list_of_gid[gid] = batch.Get(*st.db, st.term_of_gid[gid]);
      if (st.list_of_gid[gid] == nullptr) return false;
    }
  }
  // Each document's sum of its terms' weights; BM25Weight's term weight is
  // log(tw) * factor * (k3 + 1) wqf / (k3 + wqf) * (k1 + 1), wqf 1.
  constexpr double kWqf = 1;
  for (const auto& [w, gid] : best) {
    const BatchList& list = *st.list_of_gid[gid];
    double termweight = list.log_tw * (w / best[0].first);
    termweight *= (BatchPostings::kK3 + 1) * kWqf / (BatchPostings::kK3 + kWqf);
    termweight *= BatchPostings::kK1 + 1;
    for (std::size_t i = 0; i < list.docs.size(); ++i) {
      const Xapian::docid d = list.docs[i];
      double& a = st.acc[d];
      if (a == 0) st.scored.push_back(d);
      a += termweight * list.part[i];
    }
  }
  out.clear();
  out.reserve(st.scored.size());
  for (Xapian::docid d : st.scored) {
    if (d != self) out.emplace_back(d, st.acc[d]);
    st.acc[d] = 0;
  }
  st.scored.clear();
  // Xapian's order: weight, then docid ascending.
  auto better = [](const auto& x, const auto& y) { return x.second > y.second || (x.second == y.second && x.first < y.first); };
  if (out.size() > k) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), better);
    out.resize(k);
  }
  std::sort(out.begin(), out.end(), better);
  return true;
}

namespace {

// The orthonormal basis (thin Q of a QR decomposition) of `y`'s columns.
Eigen::MatrixXd OrthonormalBasis(const Eigen::MatrixXd& y) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(y);
  return qr.householderQ() * Eigen::MatrixXd::Identity(y.rows(), y.cols());
}

// m * x on every core: the rows of the product split into one run per
// thread. Each row is summed as the one-thread product sums it (over m's
// row in column order), so the result does not depend on the split.
Eigen::MatrixXd ParallelProduct(const Eigen::SparseMatrix<double, Eigen::RowMajor>& m,
                                const Eigen::MatrixXd& x) {
  Eigen::MatrixXd y(m.rows(), x.cols());
  const Eigen::Index n = m.rows();
  const int threads = static_cast<int>(std::min<Eigen::Index>(Cores(), std::max<Eigen::Index>(n, 1)));
  ParallelFor(static_cast<std::size_t>(threads), threads, [&](std::size_t t) {
    const Eigen::Index from = n * static_cast<Eigen::Index>(t) / threads;
    const Eigen::Index to = n * static_cast<Eigen::Index>(t + 1) / threads;
    y.middleRows(from, to - from) = m.middleRows(from, to - from) * x;
  });
  return y;
}

}  // namespace

// Latent semantic analysis of the whole index by a randomised range finder
// (Halko, Martinsson, Tropp 2011): A is the documents' L2-normalised TF-IDF
// rows; the model keeps, per term t, the k-vector V_k[t] so that a
// document's coordinates A_d V_k = U_k S_k are computed from its own terms,
// including documents added after the fit.
//
// The fit reads at most `sample` documents, an even spread by document id,
// so its cost is bounded however large the site grows (document
// frequencies are still the whole index's).
std::shared_ptr<const SearchIndex::LsaModel> SearchIndex::FitLsa(int dims, int min_df, int sample) {
  auto model = std::make_shared<LsaModel>();
  model->dims = dims;
  model->count = static_cast<double>(db_->get_doccount());
  const double n_docs = model->count;
  // Per term: its column (-1: left out) and its idf, looked up once.
  struct Column {
    int id = -1;
    double idf = 0;
  };
  std::unordered_map<std::string, Column> ids;
  std::vector<std::string> names;
  struct Row {
    std::vector<std::pair<int, float>> w;
  };
  std::vector<Row> rows;
  const std::uint64_t stride =
      sample > 0 ? std::max<std::uint64_t>(1, (static_cast<std::uint64_t>(n_docs) + sample - 1) /
                                                  static_cast<std::uint64_t>(sample))
                 : 1;
  std::uint64_t seen = 0;
  for (auto p = db_->postlist_begin(""); p != db_->postlist_end(""); ++p) {
    if (seen++ % stride != 0) continue;
    Row row;
    double norm = 0;
    auto t = db_->termlist_begin(*p);
    t.skip_to("Z");
    for (; t != db_->termlist_end(*p); ++t) {
      const std::string& term = *t;
      if (term.empty() || term[0] != 'Z') break;
      if (!IsContentTerm(term)) continue;
      auto [pos, added] = ids.try_emplace(term);
      Column& col = pos->second;
      if (added) {
        double df = static_cast<double>(t.get_termfreq());
        double idf = df < min_df ? 0 : std::log(n_docs / df);
        if (idf > 0) {
          col.id = static_cast<int>(names.size());
          col.idf = idf;
          names.push_back(term);
        }
      }
      if (col.id < 0) continue;
      double w = (1.0 + std::log(static_cast<double>(t.get_wdf()))) * col.idf;
      if (w <= 0) continue;
      row.w.emplace_back(col.id, static_cast<float>(w));
      norm += w * w;
    }
    norm = std::sqrt(norm);
    if (norm > 0) for (auto& e : row.w) e.second = static_cast<float>(e.second / norm);
    rows.push_back(std::move(row));
  }
  const std::size_t n = rows.size(), v = names.size();
  const std::size_t k = static_cast<std::size_t>(dims);
  const std::size_t l = std::min(k + 10, std::min(n, v));
  if (l < k || k == 0) return model;
  // A: documents x terms, sparse; the products and factorisations are Eigen's.
  // Filled row by row, each in column order, into space reserved per row:
  // what setFromTriplets makes, without its sorting passes (1.6 s of a
  // 7 s fit of 20,000 stories).
  Eigen::SparseMatrix<double, Eigen::RowMajor> a(static_cast<Eigen::Index>(n),
                                                 static_cast<Eigen::Index>(v));
  {
    Eigen::VectorXi sizes(static_cast<Eigen::Index>(n));
    for (std::size_t d = 0; d < n; ++d) sizes(static_cast<Eigen::Index>(d)) = static_cast<int>(rows[d].w.size());
    a.reserve(sizes);
    for (std::size_t d = 0; d < n; ++d) {
      std::vector<std::pair<int, float>>& w = rows[d].w;
      std::sort(w.begin(), w.end());
      for (const auto& [t, x] : w) a.insert(static_cast<Eigen::Index>(d), t) = x;
      std::vector<std::pair<int, float>>().swap(w);
    }
    a.makeCompressed();
  }
  std::mt19937_64 rng(20240101);
  std::normal_distribution<double> gauss;
  Eigen::MatrixXd omega(static_cast<Eigen::Index>(v), static_cast<Eigen::Index>(l));
  for (Eigen::Index c = 0; c < omega.cols(); ++c) {
    for (Eigen::Index r = 0; r < omega.rows(); ++r) omega(r, c) = gauss(rng);
  }
  // The products with A and A^T are most of the fit's time; both run on
  // every core, A^T kept row-major as well for that.
  const Eigen::SparseMatrix<double, Eigen::RowMajor> at = a.transpose();
  Eigen::MatrixXd q = OrthonormalBasis(ParallelProduct(a, omega));
  for (int power = 0; power < 2; ++power) {
    Eigen::MatrixXd z = OrthonormalBasis(ParallelProduct(at, q));
    q = OrthonormalBasis(ParallelProduct(a, z));
  }
  Eigen::MatrixXd bt = ParallelProduct(at, q);  // v x l: B^T where B = Q^T A
  // B B^T = (B^T)^T B^T is l x l; its eigenvectors give B's right singular
  // vectors as B^T e / sigma. Eigen returns eigenvalues in ascending order.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(bt.transpose() * bt);
  model->matrix.assign(v * k, 0.0f);
  model->rows.reserve(v);
  for (std::size_t i = 0; i < k; ++i) {
    Eigen::Index e = static_cast<Eigen::Index>(l - 1 - i);
    double sigma = std::sqrt(std::max(eig.eigenvalues()(e), 1e-30));
    Eigen::VectorXd column = bt * eig.eigenvectors().col(e) / sigma;
    for (std::size_t t = 0; t < v; ++t) {
      model->matrix[t * k + i] = static_cast<float>(column(static_cast<Eigen::Index>(t)));
    }
  }
  for (std::size_t t = 0; t < v; ++t) model->rows.emplace(names[t], static_cast<int>(t));
  return model;
}

std::shared_ptr<const SearchIndex::LsaModel> SearchIndex::LsaFor(const RelatedOptions& options) {
  if (options.lsa_weight <= 0 || options.lsa_dims <= 0) return nullptr;
  const double n_docs = static_cast<double>(db_->get_doccount());
  if (!lsa_ || lsa_->dims != options.lsa_dims ||
      std::fabs(n_docs - lsa_->count) > options.lsa_refit * lsa_->count) {
    lsa_ = FitLsa(options.lsa_dims, options.min_df, options.lsa_sample);
  }
  return lsa_;
}

Result<std::vector<RelatedItem>> SearchIndex::Related(std::int64_t id,
                                                      const RelatedOptions& options) {
  std::lock_guard lock(mu_);
  try {
    if (Status s = Settle(); !s.ok()) return Fail(s);
    related_.db = db_.get();
    related_.Use(LsaFor(options));
    return RelatedIn(related_, id, options);
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path_));
  }
}

Result<std::vector<std::vector<RelatedItem>>> SearchIndex::RelatedMany(
    const std::vector<std::int64_t>& ids, const RelatedOptions& options, int threads) {
  std::vector<std::vector<RelatedItem>> out(ids.size());
  const std::size_t n = static_cast<std::size_t>(std::max(1, threads));
  if (n == 1 || !spelling_ /* in memory: no folder to open again */ || ids.size() < 4 * n) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto r = Related(ids[i], options);
      if (!r) return Fail(r.error());
      out[i] = std::move(*r);
    }
    return out;
  }
  std::shared_ptr<const LsaModel> model;
  {
    std::lock_guard lock(mu_);
    try {
      if (Status s = Settle(); !s.ok()) return Fail(s);
      model = LsaFor(options);
    } catch (const Xapian::Error& e) {
      return Fail(FromXapian(e, path_));
    }
  }
  // A big batch reads each query term's posting list once for all its
  // stories (BatchPostings) rather than once per story in a Xapian query.
  std::unique_ptr<BatchPostings> batch;
  if (options.batch_candidates && options.feedback_docs == 0 && ids.size() >= kBatchMin) {
    try {
      Xapian::Database db(path_);
      batch = std::make_unique<BatchPostings>(db);
    } catch (const Xapian::Error& e) {
      return Fail(FromXapian(e, path_));
    }
  }
  // Each thread takes every n-th story on its own handle and state; a
  // commit by another thread meanwhile makes a handle reopen and try the
  // story again (with Xapian queries: the batch's lists are of the
  // revision before).
  RelatedOptions batch_options = options;
  if (batch_options.vector_bytes == 0 && ids.size() >= kBatchMin) {
    batch_options.vector_bytes = kMaxBatchVectorBytes;
  }
  std::vector<Status> failed(n);
  auto work = [&](std::size_t t) {
    try {
      Xapian::Database db(path_);
      RelatedState state;
      state.db = &db;
      state.Use(model);
      if (batch && db.get_revision() == batch->revision) state.batch = batch.get();
      for (std::size_t i = t; i < ids.size(); i += n) {
        for (int attempt = 0;; ++attempt) {
          try {
            auto r = RelatedIn(state, ids[i], batch_options);
            if (!r) {
              failed[t] = r.error();
              return;
            }
            out[i] = std::move(*r);
            break;
          } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 3) throw;
            db.reopen();
            state.ClearTerms();
            state.batch = nullptr;
          }
        }
      }
    } catch (const Xapian::Error& e) {
      failed[t] = FromXapian(e, path_);
    } catch (const std::exception& e) {
      failed[t] = Status::Internal(std::string("related news: ") + e.what());
    }
  };
  ParallelFor(n, static_cast<int>(n), work);
  for (const Status& s : failed) {
    if (!s.ok()) return Fail(s);
  }
  return out;
}

Result<std::vector<RelatedItem>> SearchIndex::RelatedIn(RelatedState& st, std::int64_t id,
                                                        const RelatedOptions& options) const {
  std::vector<RelatedItem> out;
  Xapian::Database& db = *st.db;
  try {
    auto did = FindDoc(db, id);
    if (!did) return out;
    // TF-IDF vectors (sublinear tf, L2-normalised) of the story and the
    // candidates (DocVector), from per-term document frequencies cached in
    // `st` while the index's size stays within 1%.
    const double n_docs = static_cast<double>(db.get_doccount());
    int n_terms = 0;
    if (std::fabs(n_docs - st.terms_count) > 0.01 * st.terms_count || st.terms_used > 4000000) {
      st.ClearTerms();  // document frequencies have drifted
      st.terms_count = n_docs;
    }
    // The caller chose the model (LsaFor); none means no LSA.
    const bool lsa = options.lsa_weight > 0 && options.lsa_dims > 0 && st.lsa != nullptr;
    st.KeepVectorsFor(n_docs, options.min_df, lsa,
                      options.vector_bytes > 0 ? options.vector_bytes : kMaxDocVectorBytes);
    Xapian::Enquire enquire(db);
    // Round one's query: the story's best terms by its own TF-IDF weights
    // (the vector the reranking below uses, cached per story). Xapian's
    // ESet over the story did the same job from the term lists on disk:
    // it was 29% of Related's time on 10,000 stories, and it weighs high
    // the words of this story alone, which can find no other story.
    // Measured: BBC P@6 0.9511 -> 0.9521; reindex of 10,000 stories,
    // Related News 18.4 -> 14.2 s (docs/relatedness.md).
    std::vector<std::pair<double, std::uint32_t>> query_terms;
    {
      const DocVector& dv = st.VectorOf(*did);
      query_terms.reserve(dv.w.size());
      for (const auto& [gid, w] : dv.w) query_terms.emplace_back(w, gid);
      const auto k = static_cast<std::ptrdiff_t>(
          std::min(query_terms.size(), static_cast<std::size_t>(std::max(options.expand_terms, 0))));
      // Heaviest first; equal weights by gid, so the query does not depend
      // on the order of the term list.
      std::partial_sort(query_terms.begin(), query_terms.begin() + k, query_terms.end(), [](const auto& x, const auto& y) {
        return x.first > y.first || (x.first == y.first && x.second < y.second);
      });
      query_terms.resize(static_cast<std::size_t>(k));
    }
    if (query_terms.empty()) return out;
    // Candidates: round one, the story's best terms as a weighted OR query
    // (BM25), each scaled by its weight against the heaviest's; optional
    // round two (relevance feedback), its nearest neighbours joining the
    // relevance set. Then they are reranked by
    //   cos(Rocchio centroid of story + best neighbours, candidate)
    //   + lsa_weight * cos_LSA(story, candidate)
    // times the freshness weight, and near-duplicates are dropped
    // (docs/relatedness.md).
    // The best matches of the weighted terms as an OR query, the story
    // itself left out; `check_at_least` as get_mset takes it.
    const auto n_first = static_cast<std::size_t>(std::max(options.candidates, 0));
    auto match = [&](const std::vector<Xapian::Query>& terms, Xapian::doccount check_at_least) {
      enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                      Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                      Xapian::Query(IdTerm(id))));
      Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(n_first), check_at_least);
      std::vector<std::pair<Xapian::docid, double>> found;  // best first
      for (auto it = mset.begin(); it != mset.end(); ++it) found.emplace_back(*it, it.get_weight());
      return found;
    };
    std::vector<std::pair<Xapian::docid, double>> first;  // best first
    if (st.batch == nullptr || options.feedback_docs > 0 || !BatchRoundOne(st, query_terms, *did, n_first, first)) {
      std::vector<Xapian::Query> terms;
      for (const auto& [w, gid] : query_terms) {
        terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(st.term_of_gid[gid]),
                           w / query_terms[0].first);
      }
      // Every match is weighed (check_at_least: all): with its early
      // termination, Xapian 1.4 left a better match than the 40th out of
      // 154 of bench/run's 10,000 stories' candidates, which the batch's
      // scoring finds.
      first = match(terms, db.get_doccount());
    }
    std::map<Xapian::docid, double> combined;
    double first_best = first.empty() ? 0 : first.front().second;
    for (const auto& [cand, w] : first) combined[cand] += (1.0 - options.topic_weight) * w / first_best;
    if (options.feedback_docs > 0 && !first.empty()) {
      // Round two: the best terms (Xapian's ESet) of the story and its
      // best first-round matches as a relevance set.
      Xapian::RSet rset;
      rset.add_document(*did);
      int k = 0;
      for (auto it = first.begin(); it != first.end() && k < options.feedback_docs; ++it, ++k) {
        rset.add_document(it->first);
      }
      ContentTerms decider;
      Xapian::ESet eset = enquire.get_eset(static_cast<Xapian::termcount>(options.expand_terms),
                                           rset, &decider);
      std::vector<Xapian::Query> terms;
      double top = eset.empty() ? 0 : eset.begin().get_weight();
      for (auto t = eset.begin(); t != eset.end(); ++t) {
        terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t),
                           top > 0 ? t.get_weight() / top : 1.0);
      }
      const auto second = match(terms, 0);
      double best2 = second.empty() ? 0 : second.front().second;
      for (const auto& [cand, w] : second) combined[cand] += options.topic_weight * w / best2;
    }
    if (combined.empty()) return out;

    // A story's vector as this call uses it: its weights in local term
    // numbers (st.local_w[begin, end), in the order of dv's), and the rest
    // of dv (which stays put until the next call).
    struct Vec {
      std::size_t begin = 0, end = 0;
      const DocVector* dv = nullptr;
    };
    // Terms are numbered in this call in the order they are first met
    // (the story's terms, then each candidate's), so the dense vectors
    // below are as long as the terms these 40-odd stories use.
    for (std::uint32_t g : st.numbered) {
      if (g < st.local_of_gid.size()) st.local_of_gid[g] = -1;
    }
    st.numbered.clear();
    st.local_w.clear();
    auto vectorize = [&](Xapian::docid d) {
      const DocVector& dv = st.VectorOf(d);
      if (st.local_of_gid.size() < st.terms_used) st.local_of_gid.resize(st.terms_used, -1);
      Vec v{st.local_w.size(), 0, &dv};
      for (const auto& [gid, w] : dv.w) {
        int& local = st.local_of_gid[gid];
        if (local < 0) {
          local = n_terms++;
          st.numbered.push_back(gid);
        }
        st.local_w.emplace_back(local, w);
      }
      v.end = st.local_w.size();
      return v;
    };
    Vec own = vectorize(*did);
    struct Candidate {
      Xapian::docid did;
      double xapian;
      Vec vec;
      double sim = 0, score = 0;
      int copy = -1;  // whether a copy of the story (Jaccard); -1: not yet known
    };
    std::vector<Candidate> cands;
    cands.reserve(combined.size());
    for (const auto& [cand, raw] : combined) cands.push_back({cand, raw, vectorize(cand)});
    // Every vector is numbered: st.local_w no longer grows.
    auto weights = [&](const Vec& v) {
      return std::span<const std::pair<int, double>>(st.local_w.data() + v.begin, v.end - v.begin);
    };
    auto is_copy = [&](Candidate& c) {
      if (c.copy < 0) c.copy = JaccardAtLeast(c.vec.dv->all, own.dv->all, options.duplicate_jaccard);
      return c.copy == 1;
    };
    auto dot_dense = [&](const std::vector<double>& dense, const Vec& v) {
      double s = 0;
      for (const auto& [t, w] : weights(v)) s += dense[static_cast<std::size_t>(t)] * w;
      return s;
    };
    std::vector<double> dense(static_cast<std::size_t>(n_terms), 0.0);
    for (const auto& [t, w] : weights(own)) dense[static_cast<std::size_t>(t)] = w;
    for (auto& c : cands) c.sim = dot_dense(dense, c.vec);
    // Rocchio: the story plus its best neighbours, weighed by similarity.
    std::vector<std::size_t> order(cands.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<double> query_vec = dense;
    std::vector<double> score(cands.size());
    for (std::size_t i = 0; i < cands.size(); ++i) score[i] = cands[i].sim;
    std::vector<std::size_t> top;
    std::vector<double> top_w;
    for (int round = 0; round < std::max(1, options.centroid_rounds); ++round) {
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
      top.clear();
      top_w.clear();
      double wsum = 0;
      for (std::size_t i = 0; i < order.size() && static_cast<int>(top.size()) < options.centroid_docs; ++i) {
        Candidate& c = cands[order[i]];
        // A copy of the story says nothing new about its topic.
        if (is_copy(c)) continue;
        double w = std::pow(std::max(0.0, c.sim), options.centroid_power);
        top.push_back(order[i]);
        top_w.push_back(w);
        wsum += w;
      }
      if (options.centroid_weight <= 0 || wsum <= 0) break;
      std::vector<double> centroid = dense;
      for (std::size_t k = 0; k < top.size(); ++k) {
        double f = options.centroid_weight * top_w[k] / wsum;
        for (const auto& [t, w] : weights(cands[top[k]].vec)) centroid[static_cast<std::size_t>(t)] += f * w;
      }
      double norm = 0;
      for (double x : centroid) norm += x * x;
      norm = std::sqrt(norm);
      for (double& x : centroid) x /= norm;
      query_vec = std::move(centroid);
      for (std::size_t i = 0; i < cands.size(); ++i) score[i] = dot_dense(query_vec, cands[i].vec);
    }
    if (options.graph_weight > 0 && !top.empty()) {
      double wsum = 0;
      for (double w : top_w) wsum += w;
      std::vector<double> g(cands.size(), 0.0);
      for (std::size_t k = 0; k < top.size(); ++k) {
        std::vector<double> nd(static_cast<std::size_t>(n_terms), 0.0);
        for (const auto& [t, w] : weights(cands[top[k]].vec)) nd[static_cast<std::size_t>(t)] = w;
        for (std::size_t i = 0; i < cands.size(); ++i) {
          if (i == top[k]) continue;
          g[i] += top_w[k] / wsum * dot_dense(nd, cands[i].vec);
        }
      }
      for (std::size_t i = 0; i < cands.size(); ++i) score[i] += options.graph_weight * g[i];
    }
    if (lsa && !own.dv->lsa.empty()) {
      const std::vector<double>& ol = own.dv->lsa;
      for (std::size_t i = 0; i < cands.size(); ++i) {
        const auto& cl = cands[i].vec.dv->lsa;
        if (cl.size() != ol.size()) continue;
        double d = 0;
        for (std::size_t j = 0; j < cl.size(); ++j) d += cl[j] * ol[j];
        score[i] += options.lsa_weight * std::max(0.0, d);
      }
    }
    double best = 0, best_x = 0;
    for (std::size_t i = 0; i < cands.size(); ++i) {
      best = std::max(best, score[i]);
      best_x = std::max(best_x, cands[i].xapian);
    }
    Seconds own_time = own.dv->published;
    for (std::size_t i = 0; i < cands.size(); ++i) {
      Candidate& c = cands[i];
      double s = (1.0 - options.xapian_weight) * (best > 0 ? score[i] / best : 0) +
                 options.xapian_weight * (best_x > 0 ? c.xapian / best_x : 0);
      if (options.freshness) {
        Seconds when = c.vec.dv->published;
        double distance = std::fabs(static_cast<double>(when - own_time));
        double scale = static_cast<double>(options.freshness_scale);
        s *= options.freshness_floor +
             (1.0 - options.freshness_floor) * scale / (scale + distance);
      }
      c.score = s;
    }
    std::stable_sort(cands.begin(), cands.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    std::vector<const DocVector*> chosen;
    for (Candidate& c : cands) {
      if (static_cast<int>(out.size()) >= options.count) break;
      if (options.diversity) {
        if (is_copy(c)) continue;
        bool dup = false;
        for (const DocVector* other : chosen) {
          if (JaccardAtLeast(c.vec.dv->all, other->all, options.duplicate_jaccard)) {
            dup = true;
            break;
          }
        }
        if (dup) continue;
        chosen.push_back(c.vec.dv);
      }
      out.push_back({IdOf(c.did), c.score});
    }
  } catch (const Xapian::DatabaseModifiedError&) {
    throw;  // a reader's handle is behind a commit: the caller reopens it
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path_));
  }
  return out;
}

Result<std::vector<RelatedItem>> SearchIndex::MoreLikeThis(std::int64_t id, int count) {
  std::lock_guard lock(mu_);
  std::vector<RelatedItem> out;
  try {
    if (Status s = Settle(); !s.ok()) return Fail(s);
    auto did = FindDoc(*db_, id);
    if (!did) return out;
    Xapian::Enquire enquire(*db_);
    Xapian::RSet rset;
    rset.add_document(*did);
    ContentTerms decider;
    Xapian::ESet eset = enquire.get_eset(40, rset, &decider);
    Xapian::Query query(Xapian::Query::OP_OR, eset.begin(), eset.end());
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(IdTerm(id)));
    enquire.set_query(query);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(count));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      out.push_back({IdOf(*it), it.get_weight()});
    }
  } catch (const Xapian::Error& e) {
    return Fail(FromXapian(e, path_));
  }
  return out;
}

}  // namespace dateline
