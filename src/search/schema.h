// The search index's schema: term prefixes and value slots.
//
// The indexer and the query parser both take their prefixes from here, and
// docs/search-schema.md describes them; change all three together. Omega's
// conventional letters are used where they fit (Q for the unique id, S for
// titles); Dateline's own use an X prefix.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace dateline::search_schema {

// Unique id term: "Q" + decimal article id.
inline constexpr std::string_view kIdPrefix = "Q";
// Free-text prefixes (stemmed, positional). Every word of a story is indexed
// once, stemmed, under kContentPrefix: the query parser's default prefix.
inline constexpr std::string_view kContentPrefix = "Z";
inline constexpr std::string_view kHeadlinePrefix = "S";
// Boolean filter terms: exact slugs.
inline constexpr std::string_view kSectionPrefix = "XS";
inline constexpr std::string_view kTagPrefix = "XT";
inline constexpr std::string_view kAuthorPrefix = "XA";
inline constexpr std::string_view kLanguagePrefix = "XL";
// Publish period: "XP" + floor(unix seconds / kPeriodSeconds). Narrows date
// ranges and newest-first searches to the periods they can match before the
// exact value-slot check (see docs/search-schema.md).
inline constexpr std::string_view kPeriodPrefix = "XP";
inline constexpr std::int64_t kPeriodSeconds = 30 * 86400;

// Value slots.
inline constexpr Xapian::valueno kPublishedSlot = 0;  // sortable_serialise(unix seconds)

// Within-document frequency boosts: the headline counts most.
inline constexpr Xapian::termcount kHeadlineWeight = 5;
inline constexpr Xapian::termcount kDekWeight = 2;

// The stemmer the index makes a story's terms with, and parses queries
// with, for a BCP 47 language tag: Xapian's stemmer for the language
// (English when Xapian has none), remembering its answers (index.cc).
Xapian::Stem IndexStemmer(const std::string& language);

// A story's words into the term generator's document as the index holds
// them: the headline under kHeadlinePrefix, then every field under
// kContentPrefix (the headline and dek weighted), each field after a gap in
// positions so that no phrase spans two. The caller sets the stemmer
// (IndexStemmer), the strategy (STEM_ALL), the flags (FLAG_CJK_NGRAM) and
// the document.
inline void IndexStoryWords(Xapian::TermGenerator& tg, const std::string& headline,
                            const std::string& dek, const std::string& dateline,
                            const std::string& text) {
  const std::string content(kContentPrefix);
  tg.set_termpos(0);
  tg.index_text(headline, 1, std::string(kHeadlinePrefix));
  tg.index_text(headline, kHeadlineWeight, content);
  tg.increase_termpos();
  tg.index_text(dek, kDekWeight, content);
  tg.increase_termpos();
  tg.index_text(dateline, 1, content);
  tg.increase_termpos();
  tg.index_text(text, 1, content);
}

// A `word*` stands for the stems starting with the word found in the most
// stories, at most this many (docs/search-schema.md).
inline constexpr unsigned kPrefixExpansion = 20;

// What a search's text may use: phrases, AND/OR/NOT, +word/-word, word*,
// and CJK text split into n-grams as the index splits it.
inline constexpr unsigned kQueryFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_CJK_NGRAM;

// The query parser as searches use it, with kQueryFlags and
// kContentPrefix as the default prefix: as indexed (schema 2), every word
// stemmed (STEM_ALL); plain words search the content prefix, title: (and
// headline:) the headline prefix, phrases and word* too; section:, tag:
// and author: filter; words are ANDed unless told otherwise.
inline void SetUpQueryParser(Xapian::QueryParser& qp, const Xapian::Database& db,
                             const Xapian::Stem& stem) {
  qp.set_database(db);
  qp.set_stemmer(stem);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.add_prefix("title", std::string(kHeadlinePrefix));
  qp.add_prefix("headline", std::string(kHeadlinePrefix));
  qp.add_boolean_prefix("section", std::string(kSectionPrefix));
  qp.add_boolean_prefix("tag", std::string(kTagPrefix));
  qp.add_boolean_prefix("author", std::string(kAuthorPrefix));
  qp.set_max_expansion(kPrefixExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
}

// Documents Xapian buffers before writing postings out (XAPIAN_FLUSH_THRESHOLD,
// unless the environment sets it).
inline constexpr const char* kFlushThreshold = "500";

// Metadata keys.
inline constexpr std::string_view kLastSeqKey = "dateline.last_seq";
// The time up to which stories whose publish time had come were indexed.
inline constexpr std::string_view kVisibleUntilKey = "dateline.visible_until";
inline constexpr std::string_view kSchemaVersionKey = "dateline.schema";
// 2: stemmed terms only (Z, S), document id = article id, plain data.
// 3: publish-period terms (XP).
// An index of another version is started again empty and caught up.
inline constexpr std::string_view kSchemaVersion = "3";

}  // namespace dateline::search_schema
