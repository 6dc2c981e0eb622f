#include "search/index.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "support/temp_dir.h"

namespace dateline {
namespace {

IndexDocument Doc(std::int64_t id, std::string headline, std::string text,
                  std::string section = "world", Seconds published = 1000) {
  IndexDocument d;
  d.id = id;
  d.headline = std::move(headline);
  d.text = std::move(text);
  d.section = std::move(section);
  d.language = "en";
  d.published_at = published;
  return d;
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = SearchIndex::Open((dir_.path() / "search").string());
    ASSERT_TRUE(idx.has_value()) << idx.error().ToString();
    index_ = std::move(*idx);
    IndexDocument a = Doc(1, "Council approves new tram line",
                          "The city council voted to build a tram line along the harbour. "
                          "Construction of the tramway starts in spring.",
                          "politics", 1000);
    a.tags = {"transport", "port-alder"};
    a.authors = {"amara-okafor"};
    IndexDocument b = Doc(2, "Harbour Cup final ends in a draw",
                          "United and Rovers drew in the final at the harbour stadium. "
                          "The replay is next week.",
                          "sport", 2000);
    b.tags = {"football"};
    IndexDocument c = Doc(3, "Tram fares to rise next year",
                          "Fares on the city tram network will rise, the council said. "
                          "Bus fares stay the same.",
                          "politics", 3000);
    c.tags = {"transport"};
    c.authors = {"daniel-reyes"};
    IndexDocument d = Doc(4, "Rain ends the drought in the delta",
                          "Heavy rain fell across the delta, ending a long drought for farmers.",
                          "science", 4000);
    for (const auto& doc : {a, b, c, d}) ASSERT_TRUE(index_->Put(doc).ok());
    ASSERT_TRUE(index_->Commit(7, 5000).ok());
  }

  std::vector<std::int64_t> Ids(const SearchQuery& q) {
    auto r = index_->Search(q);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    std::vector<std::int64_t> ids;
    if (r) {
      for (const auto& h : r->hits) ids.push_back(h.id);
    }
    return ids;
  }
  std::vector<std::int64_t> Ids(const std::string& text) {
    SearchQuery q;
    q.text = text;
    return Ids(q);
  }
  static std::vector<std::int64_t> Sorted(std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  testing::TempDir dir_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(IndexTest, FindsByWordsWithStemmingAndRanksHeadlinesFirst) {
  EXPECT_EQ(Sorted(Ids("tram")), (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(Sorted(Ids("trams")), (std::vector<std::int64_t>{1, 3}));  // stemmed
  EXPECT_EQ(Ids("drought"), std::vector<std::int64_t>{4});
  EXPECT_TRUE(Ids("volcano").empty());
  // "harbour" is in 1's body and 2's headline: the headline wins.
  EXPECT_EQ(Ids("harbour").front(), 2);
}

TEST_F(IndexTest, PhraseBooleanNegationAndPrefix) {
  EXPECT_EQ(Ids("\"tram line\""), std::vector<std::int64_t>{1});
  EXPECT_TRUE(Ids("\"line tram\"").empty());
  EXPECT_EQ(Ids("tram AND fares"), std::vector<std::int64_t>{3});
  EXPECT_EQ(Sorted(Ids("drought OR replay")), (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(Ids("tram NOT fares"), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids("tram -fares"), std::vector<std::int64_t>{1});
  EXPECT_EQ(Sorted(Ids("tramw*")), std::vector<std::int64_t>{1});  // tramway
  EXPECT_EQ(Ids("dro*"), std::vector<std::int64_t>{4});     // drought
  EXPECT_EQ(Ids("fina*"), std::vector<std::int64_t>{2});    // final
}

TEST_F(IndexTest, FiltersAndSorting) {
  SearchQuery q;
  q.text = "council";
  q.section = "politics";
  EXPECT_EQ(Sorted(Ids(q)), (std::vector<std::int64_t>{1, 3}));
  q.section = "sport";
  EXPECT_TRUE(Ids(q).empty());
  SearchQuery tag;
  tag.tag = "transport";  // a filter alone lists everything it matches
  EXPECT_EQ(Sorted(Ids(tag)), (std::vector<std::int64_t>{1, 3}));
  SearchQuery author;
  author.text = "tram";
  author.author = "daniel-reyes";
  EXPECT_EQ(Ids(author), std::vector<std::int64_t>{3});
  SearchQuery range;
  range.text = "the";
  range.from = 1500;
  range.to = 3500;
  EXPECT_EQ(Sorted(Ids(range)), (std::vector<std::int64_t>{2, 3}));
  SearchQuery newest;
  newest.tag = "transport";
  newest.newest_first = true;
  EXPECT_EQ(Ids(newest), (std::vector<std::int64_t>{3, 1}));
  SearchQuery page;
  page.text = "the";
  page.limit = 2;
  page.offset = 2;
  auto r = index_->Search(page);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->hits.size(), 2u);
  EXPECT_EQ(r->total, 4);
}

TEST_F(IndexTest, HighlightsEscapeHtmlFirst) {
  ASSERT_TRUE(index_->Put(Doc(9, "<script>alert(1)</script> & tram \"news\"",
                              "Body with <b>tags</b> & a tram <img src=x onerror=y>."))
                  .ok());
  SearchQuery q;
  q.text = "tram";
  auto r = index_->Search(q);
  ASSERT_TRUE(r.has_value());
  bool seen = false;
  for (const auto& h : r->hits) {
    if (h.id != 9) continue;
    seen = true;
    EXPECT_EQ(h.headline_html.find("<script"), std::string::npos) << h.headline_html;
    EXPECT_NE(h.headline_html.find("&lt;script&gt;"), std::string::npos) << h.headline_html;
    EXPECT_NE(h.headline_html.find("<mark>tram</mark>"), std::string::npos) << h.headline_html;
    EXPECT_EQ(h.snippet_html.find("<img"), std::string::npos) << h.snippet_html;
    EXPECT_EQ(h.snippet_html.find("<b>"), std::string::npos) << h.snippet_html;
    EXPECT_NE(h.snippet_html.find("<mark>tram</mark>"), std::string::npos) << h.snippet_html;
  }
  EXPECT_TRUE(seen);
}

// A query with a word* prefix marks the words the prefix matched as well
// as its plain words, in the snippet and in the headline.
TEST_F(IndexTest, PrefixQueryMarksWhatItMatched) {
  SearchQuery q;
  q.text = "constr* harbour";
  auto r = index_->Search(q);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->hits.size(), 1u);
  const SearchHit& h = r->hits[0];
  EXPECT_EQ(h.id, 1);
  EXPECT_NE(h.snippet_html.find("<mark>harbour</mark>"), std::string::npos) << h.snippet_html;
  EXPECT_NE(h.snippet_html.find("<mark>Construction</mark>"), std::string::npos) << h.snippet_html;
  EXPECT_EQ(h.snippet_html.find("<mark>city</mark>"), std::string::npos) << h.snippet_html;
  q.text = "harb*";
  r = index_->Search(q);
  ASSERT_TRUE(r.has_value());
  bool headline_marked = false;
  for (const SearchHit& hit : r->hits) {
    EXPECT_NE(hit.snippet_html.find("<mark>harbour</mark>"), std::string::npos) << hit.snippet_html;
    if (hit.id == 2) headline_marked = hit.headline_html.find("<mark>Harbour</mark>") != std::string::npos;
  }
  EXPECT_TRUE(headline_marked);
}

TEST_F(IndexTest, SpellingSuggestion) {
  SearchQuery q;
  q.text = "drougth";
  auto r = index_->Search(q);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->hits.empty());
  EXPECT_EQ(r->suggestion, "drought");
  q.text = "drought";
  EXPECT_EQ(index_->Search(q)->suggestion, "");
}

TEST_F(IndexTest, BadQueriesAreInvalidArgumentNeverAThrow) {
  SearchQuery q;
  q.text = std::string(SearchIndex::kMaxQueryLength + 1, 'a');
  auto r = index_->Search(q);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().IsInvalidArgument());
  EXPECT_NE(r.error().message().find("too long"), std::string::npos);
  for (const char* text : {"AND", "tram AND", "(((", "NOT NOT", "\"unclosed", "*", "-", "\xff\xfe"}) {
    q.text = text;
    auto res = index_->Search(q);
    EXPECT_TRUE(res.has_value() || res.error().IsInvalidArgument()) << text;
  }
  q.text = "   ";
  auto empty = index_->Search(q);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->hits.empty());
}

TEST_F(IndexTest, RemoveAndStateSurviveReopen) {
  ASSERT_TRUE(index_->Remove(3).ok());
  ASSERT_TRUE(index_->Commit(9, 6000).ok());
  EXPECT_EQ(Ids("fares"), std::vector<std::int64_t>{});
  EXPECT_FALSE(index_->Contains(3));
  index_.reset();
  auto again = SearchIndex::Open((dir_.path() / "search").string());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*(*again)->LastSeq(), 9);
  EXPECT_EQ(*(*again)->VisibleUntil(), 6000);
  EXPECT_EQ(*(*again)->Count(), 3);
  // A second writer is refused while this one is open.
  auto second = SearchIndex::Open((dir_.path() / "search").string());
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().message().find("another dateline process"), std::string::npos);
}

TEST_F(IndexTest, AnIndexOfAnotherSchemaStartsAgainEmpty) {
  const std::string path = (dir_.path() / "search").string();
  index_.reset();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_OPEN);
    db.set_metadata("dateline.schema", "1");
    db.commit();
  }
  auto again = SearchIndex::Open(path);
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(*(*again)->Count(), 0);
  EXPECT_EQ(*(*again)->LastSeq(), 0);  // so the sync indexes everything anew
  EXPECT_EQ(*(*again)->VisibleUntil(), 0);
  ASSERT_TRUE((*again)->Put(Doc(5, "Tram depot opens", "The new tram depot opened.")).ok());
  ASSERT_TRUE((*again)->Commit(1, 1).ok());
  SearchQuery q;
  q.text = "depot";
  auto r = (*again)->Search(q);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(r->hits[0].id, 5);
}

TEST_F(IndexTest, StemmedPhrasesFieldsAndSuggestionsLeaveFiltersAlone) {
  // Phrases match on stems; title: searches headlines only.
  EXPECT_EQ(Ids("\"tram lines\""), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids("title:fares"), std::vector<std::int64_t>{3});
  EXPECT_TRUE(Ids("title:harbour").size() == 1u);  // 2's headline, not 1's body
  EXPECT_EQ(Ids("title:fare*"), std::vector<std::int64_t>{3});
  // A misspelt word is corrected; a word only in a body is not "corrected"
  // to a headline word, nor are filter values and operators.
  SearchQuery q;
  q.text = "tram AND councl";
  auto r = index_->Search(q);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->suggestion, "tram AND council");
  q.text = "spring";  // in 1's body only
  EXPECT_EQ(index_->Search(q)->suggestion, "");
  q.text = "tag:transprt tram";
  EXPECT_EQ(index_->Search(q)->suggestion, "");
  // Ids out of Xapian's document id range are refused, not truncated.
  EXPECT_TRUE(index_->Put(Doc(0, "Zero", "zero")).IsInvalidArgument());
  EXPECT_TRUE(index_->Put(Doc(std::int64_t{1} << 40, "Big", "big")).IsInvalidArgument());
  EXPECT_TRUE(index_->Remove(std::int64_t{1} << 40).ok());
  EXPECT_TRUE(index_->Remove(77).ok());  // never indexed: nothing to do
}

TEST_F(IndexTest, NewestFirstAndDateRangesOverManyPeriods) {
  // Stories a week apart over two years: newest-first pages and date ranges
  // give what a plain sort and filter of every match would.
  const Seconds week = 7 * 86400, start = 1'700'000'000;
  for (int i = 0; i < 104; ++i) {
    ASSERT_TRUE(index_->Put(Doc(100 + i, "Weekly market report " + std::to_string(i),
                                i % 3 == 0 ? "Grain prices and the harvest." : "Grain prices.",
                                "business", start + i * week))
                    .ok());
  }
  ASSERT_TRUE(index_->Commit(8, 5000).ok());
  SearchQuery q;
  q.text = "grain";
  q.newest_first = true;
  q.limit = 3;
  auto r = index_->Search(q);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->total, 104);
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{203, 202, 201}));
  q.offset = 20;  // beyond the newest two periods
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{183, 182, 181}));
  q.text = "harvest";  // every third story
  q.offset = 0;
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{202, 199, 196}));
  SearchQuery range;
  range.text = "grain";
  range.from = start + 10 * week;
  range.to = start + 19 * week;  // inclusive: ten stories
  range.limit = 100;
  auto rr = index_->Search(range);
  ASSERT_TRUE(rr.has_value());
  EXPECT_EQ(rr->hits.size(), 10u);
  EXPECT_EQ(rr->total, 10);
  range.from.reset();  // open start
  EXPECT_EQ(Ids(range).size(), 20u);
  range.from = start - 400 * week;  // far wider than the index: every story
  range.to.reset();
  EXPECT_EQ(Ids(range).size(), 100u);
  auto all = index_->Search(range);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->total, 104);
}

TEST_F(IndexTest, BengaliAndHindiAreFindable) {
  IndexDocument bn = Doc(20, "নদীর গান", "বর্ষায় নদীর পানি বেড়ে গেছে এবং কৃষকেরা খুশি।");
  bn.language = "bn";
  IndexDocument hi = Doc(21, "सूखे से किसान परेशान", "मीराबाद में सिंचाई के पानी की भारी कमी है।");
  hi.language = "hi";
  ASSERT_TRUE(index_->Put(bn).ok());
  ASSERT_TRUE(index_->Put(hi).ok());
  EXPECT_EQ(Ids("কৃষকেরা"), std::vector<std::int64_t>{20});
  EXPECT_EQ(Ids("নদীর"), std::vector<std::int64_t>{20});
  EXPECT_EQ(Ids("सिंचाई"), std::vector<std::int64_t>{21});
  EXPECT_EQ(Ids("किसान"), std::vector<std::int64_t>{21});
}

const std::string treaty =
    "The river treaty signed by the three governments guarantees water flows, "
    "sets salinity limits in the delta and creates a monitoring commission.";

// A fresh in-memory index holding the treaty story as id 1.
std::unique_ptr<SearchIndex> TreatyIndex() {
  auto index = SearchIndex::InMemory();
  EXPECT_TRUE(index.has_value());
  if (!index) return nullptr;
  EXPECT_TRUE((*index)->Put(Doc(1, "River treaty signed", treaty)).ok());
  return std::move(*index);
}

// Everything the index holds, written out: per document its terms with
// their counts and positions, its values and its data; then the spelling
// table. Two indexes with equal dumps answer every query alike.
std::string Dump(const std::string& path) {
  Xapian::Database db(path);
  std::string out;
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    Xapian::Document doc = db.get_document(*p);
    out += "doc " + std::to_string(*p) + " data " + doc.get_data() + "\n";
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      out += " " + *t + ":" + std::to_string(t.get_wdf()) + "@";
      for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos) {
        out += std::to_string(*pos) + ",";
      }
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      out += " v" + std::to_string(v.get_valueno()) + "=" + *v;
    }
    out += "\n";
  }
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
    out += "spell " + *w + ":" + std::to_string(w.get_termfreq()) + "\n";
  }
  return out;
}

std::vector<IndexDocument> Stories(int n) {
  std::vector<IndexDocument> docs;
  const std::vector<std::string> words = {"harbour", "tram", "council", "river", "treaty", "market",
                                          "stadium", "drought", "factory", "museum", "বাংলা", "हिन्दी"};
  std::uint32_t seed = 99;
  for (int i = 1; i <= n; ++i) {
    std::string headline = "Report " + std::to_string(i), text;
    for (int w = 0; w < 30; ++w) {
      seed = seed * 1103515245u + 12345u;
      const std::string& word = words[(seed >> 16) % words.size()];
      text += word + (w % 7 == 6 ? ". " : " ");
      if (w < 3) headline += " " + word;
    }
    IndexDocument d = Doc(i, headline, text, i % 2 ? "world" : "sport", 1000 + 3600 * i);
    d.dek = "Dek of report " + std::to_string(i);
    d.dateline = i % 3 ? "PORT ALDER" : "DELTA";
    d.tags = {"tag-" + std::to_string(i % 5)};
    d.authors = {"author-" + std::to_string(i % 4)};
    docs.push_back(std::move(d));
  }
  return docs;
}

std::vector<std::int64_t> IdsOf(const std::vector<IndexDocument>& docs) {
  std::vector<std::int64_t> ids;
  for (const IndexDocument& d : docs) ids.push_back(d.id);
  return ids;
}

TEST(PutMany, WritesWhatPutWritesOneByOne) {
  // More stories than two of PutMany's chunks (256), so documents made on
  // other threads are written while the next chunk is made; into an empty
  // index, with more than one thread, the stories go through shards merged
  // at the commit (the bulk load), in one call or in several.
  const std::vector<IndexDocument> docs = Stories(700);
  testing::TempDir dir;
  const std::string one_path = (dir.path() / "one").string();
  {
    auto one = SearchIndex::Open(one_path);
    ASSERT_TRUE(one.has_value()) << one.error().ToString();
    for (const IndexDocument& d : docs) ASSERT_TRUE((*one)->Put(d).ok());
    ASSERT_TRUE((*one)->Commit(1, 0).ok());
  }
  const std::string expected = Dump(one_path);
  ASSERT_NE(expected.find("spell harbour:"), std::string::npos);  // the dump sees spellings
  ASSERT_NE(expected.find("doc 700 "), std::string::npos);
  struct Way {
    std::string name;
    int threads;
    std::vector<std::size_t> cuts;  // calls: docs [cuts[k], cuts[k + 1])
    bool put_first = false;         // one story Put before: the index is not empty
  };
  const std::vector<Way> ways = {
      {"one thread", 1, {0, 700}},
      {"two threads, one call", 2, {0, 700}},
      {"three threads, one call", 3, {0, 700}},
      {"two threads, three calls", 2, {0, 300, 600, 700}},  // the last too small to be a shard
      {"not empty", 2, {0, 700}, true},
  };
  for (const Way& way : ways) {
    SCOPED_TRACE(way.name);
    const std::string path = (dir.path() / way.name).string();
    {
      auto many = SearchIndex::Open(path);
      ASSERT_TRUE(many.has_value()) << many.error().ToString();
      std::size_t from = 0;
      if (way.put_first) {
        ASSERT_TRUE((*many)->Put(docs[0]).ok());
        from = 1;
      }
      for (std::size_t k = 0; k + 1 < way.cuts.size(); ++k) {
        const std::size_t a = std::max(from, way.cuts[k]), b = way.cuts[k + 1];
        const std::vector<IndexDocument> part(docs.begin() + static_cast<std::ptrdiff_t>(a),
                                              docs.begin() + static_cast<std::ptrdiff_t>(b));
        ASSERT_TRUE((*many)->PutMany(IdsOf(part), [&](std::size_t i) { return part[i]; }, way.threads).ok());
      }
      ASSERT_TRUE((*many)->Commit(1, 0).ok());
      auto count = (*many)->Count();
      ASSERT_TRUE(count.has_value());
      EXPECT_EQ(*count, 700);
    }
    EXPECT_EQ(Dump(path), expected);
    EXPECT_FALSE(std::filesystem::exists(path + ".bulk"));  // the shards are gone
  }
}

TEST(PutMany, ABulkLoadIsMergedBeforeAnythingReadsTheIndex) {
  // Stories given in any order; a search, a count and MoreLikeThis right after
  // the call, before any commit, see them all, as after Put.
  std::vector<IndexDocument> docs = Stories(600);
  std::reverse(docs.begin(), docs.end());
  testing::TempDir dir;
  const std::string path = (dir.path() / "search").string();
  auto opened = SearchIndex::Open(path);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  SearchIndex& idx = **opened;
  ASSERT_TRUE(idx.PutMany(IdsOf(docs), [&](std::size_t i) { return docs[i]; }, 2).ok());
  ASSERT_TRUE(std::filesystem::exists(path + ".bulk"));  // written as shards, not merged yet
  // Removing a story after the loaded ones (catch-up does, for stories
  // readers cannot see) has nothing to remove and merges nothing.
  ASSERT_TRUE(idx.Remove(700).ok());
  ASSERT_TRUE(std::filesystem::exists(path + ".bulk"));
  SearchQuery q;
  q.text = "report";
  auto found = idx.Search(q);
  ASSERT_TRUE(found.has_value()) << found.error().ToString();
  EXPECT_EQ(found->total, 600);
  EXPECT_FALSE(std::filesystem::exists(path + ".bulk"));
  EXPECT_TRUE(idx.Contains(1));
  EXPECT_TRUE(idx.Contains(600));
  auto like = idx.MoreLikeThis(7, 6);
  ASSERT_TRUE(like.has_value()) << like.error().ToString();
  EXPECT_EQ(like->size(), 6u);
  // A story put after the merge goes in one by one, beside the others;
  // a loaded one can be removed.
  IndexDocument late = Doc(1000, "Late report on the tram", "tram council harbour");
  ASSERT_TRUE(idx.Put(late).ok());
  ASSERT_TRUE(idx.Remove(5).ok());
  EXPECT_FALSE(idx.Contains(5));
  ASSERT_TRUE(idx.Commit(3, 0).ok());
  auto seq = idx.LastSeq();
  ASSERT_TRUE(seq.has_value());
  EXPECT_EQ(*seq, 3);
  auto count = idx.Count();
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 600);
}

TEST(PutMany, ShardsLeftByAStoppedProcessAreRemovedOnOpen) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "search").string();
  const std::vector<IndexDocument> docs = Stories(300);
  {
    auto opened = SearchIndex::Open(path);
    ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
    ASSERT_TRUE((*opened)->PutMany(IdsOf(docs), [&](std::size_t i) { return docs[i]; }, 2).ok());
    // A process that stops here (no commit, no read) leaves shards behind;
    // the copy below is what it would leave.
    std::filesystem::copy(path + ".bulk", dir.path() / "left", std::filesystem::copy_options::recursive);
  }
  std::filesystem::remove_all(path + ".bulk");
  std::filesystem::copy(dir.path() / "left", path + ".bulk", std::filesystem::copy_options::recursive);
  auto again = SearchIndex::Open(path);
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(path + ".bulk"));
  auto seq = (*again)->LastSeq();
  ASSERT_TRUE(seq.has_value());
  EXPECT_EQ(*seq, 0);  // nothing was committed: catch-up starts from the beginning
  auto count = (*again)->Count();
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 0);
}

TEST(PutMany, ABadDocumentIsAnErrorAndWhatMakeThrowsIsPassedOn) {
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    testing::TempDir dir;
    auto opened = SearchIndex::Open((dir.path() / "search").string());
    ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
    SearchIndex& idx = **opened;
    std::vector<std::int64_t> ids;
    for (std::int64_t id = 1; id <= 600; ++id) ids.push_back(id);
    auto make = [](std::size_t i) {
      return Doc(static_cast<std::int64_t>(i) + 1, "Story " + std::to_string(i + 1), "tram council harbour");
    };
    // Story 400 is made with an id other than the one asked for.
    Status s = idx.PutMany(
        ids, [&](std::size_t i) { return i == 399 ? make(398) : make(i); }, threads);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_NE(s.message().find("article 400"), std::string::npos) << s.ToString();
    // An id the index cannot hold.
    ids[399] = 0;
    s = idx.PutMany(
        ids, [&](std::size_t i) { return i == 399 ? Doc(0, "Zero", "zero") : make(i); }, threads);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    ids[399] = 400;
    for (std::size_t fail_at : {std::size_t{5}, std::size_t{300}}) {
      SCOPED_TRACE(fail_at);
      EXPECT_THROW(idx.PutMany(
                       ids,
                       [&](std::size_t i) {
                         if (i == fail_at) throw std::runtime_error("make failed");
                         return make(i);
                       },
                       threads),
                   std::runtime_error);
    }
    // Whatever the failures left, the stories can be put again and are all there.
    ASSERT_TRUE(idx.PutMany(ids, make, threads).ok());
    ASSERT_TRUE(idx.Commit(1, 0).ok());
    auto count = idx.Count();
    ASSERT_TRUE(count.has_value());
    EXPECT_EQ(*count, 600);
  }
}

TEST(Related, NeverSelfNoCopiesAndRankedByContent) {
  auto index = TreatyIndex();
  ASSERT_NE(index, nullptr);
  auto& idx = *index;
  ASSERT_TRUE(idx.Put(Doc(2, "River treaty signed (copy)", treaty)).ok());  // a copy
  ASSERT_TRUE(idx.Put(Doc(3, "Treaty ratification debate",
                          "Parliament debates the river treaty and its water flows and the "
                          "monitoring commission for the delta."))
                  .ok());
  ASSERT_TRUE(idx.Put(Doc(4, "Delta farmers and salinity",
                          "Farmers in the delta worry about salinity and river water flows."))
                  .ok());
  ASSERT_TRUE(idx.Put(Doc(5, "Cup final tonight", "Football: cup final tonight, tickets sold out."))
                  .ok());
  ASSERT_TRUE(idx.Commit(0, 0).ok());
  RelatedOptions o;
  auto related = idx.Related(1, o);
  ASSERT_TRUE(related.has_value());
  std::vector<std::int64_t> ids;
  for (const auto& r : *related) ids.push_back(r.id);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 1), 0);  // never itself
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 2), 0);  // never a copy of itself
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], 3);  // the closest story first
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 5), 0);  // shares nothing
  // Without diversity the copy comes back, which is what the filter removes.
  o.diversity = false;
  auto plain = idx.Related(1, o);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->front().id, 2);
  auto mlt = idx.MoreLikeThis(1, 6);
  ASSERT_TRUE(mlt.has_value());
  EXPECT_EQ(mlt->front().id, 2);
  EXPECT_TRUE(idx.Related(999, o)->empty());
}

TEST(Related, ARewrittenStoryIsWeighedByItsNewWords) {
  // Related keeps story vectors between calls while the index holds the
  // same number of stories; replacing a story's text (same count) must not
  // leave its old vector in use, and the copy it became is then dropped.
  auto index = TreatyIndex();
  ASSERT_NE(index, nullptr);
  auto& idx = *index;
  ASSERT_TRUE(idx.Put(Doc(2, "Treaty debate", "Parliament debates the river treaty and the "
                                              "monitoring commission for the delta.")).ok());
  ASSERT_TRUE(idx.Put(Doc(3, "Delta salinity", "Farmers worry about salinity in the delta.")).ok());
  ASSERT_TRUE(idx.Put(Doc(4, "Cup final tonight", "Football: cup final tonight, tickets sold out."))
                  .ok());
  ASSERT_TRUE(idx.Commit(0, 0).ok());
  RelatedOptions o;
  auto ids = [&] {
    std::vector<std::int64_t> out;
    auto related = idx.Related(1, o);
    EXPECT_TRUE(related.has_value());
    if (related) {
      for (const auto& r : *related) out.push_back(r.id);
    }
    return out;
  };
  std::vector<std::int64_t> before = ids();
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before.front(), 2);
  EXPECT_EQ(std::count(before.begin(), before.end(), 4), 0);
  // Story 2 becomes a copy of story 1 (a near-duplicate is never listed);
  // story 4 becomes about the treaty.
  ASSERT_TRUE(idx.Put(Doc(2, "River treaty signed", treaty)).ok());
  ASSERT_TRUE(idx.Put(Doc(4, "Treaty commission meets",
                          "The treaty's monitoring commission meets on river water flows."))
                  .ok());
  ASSERT_TRUE(idx.Commit(0, 0).ok());
  std::vector<std::int64_t> after = ids();
  EXPECT_EQ(std::count(after.begin(), after.end(), 2), 0);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.front(), 4);
  ASSERT_TRUE(idx.Remove(4).ok());
  ASSERT_TRUE(idx.Put(Doc(5, "Stadium news", "The stadium roof is repaired.")).ok());  // same count
  ASSERT_TRUE(idx.Commit(0, 0).ok());
  std::vector<std::int64_t> gone = ids();
  EXPECT_EQ(std::count(gone.begin(), gone.end(), 4), 0);
}

TEST(Related, ManyOnThreadsGivesTheListsRelatedGives) {
  // RelatedMany reads on handles of its own, one per thread, with state of
  // its own; every list must equal Related's for the same story, in the
  // order asked, whatever the number of threads, and whether round one's
  // candidates come from the batch's posting lists (a batch of 256 stories
  // or more) or from a Xapian query per story.
  testing::TempDir dir;
  auto opened = SearchIndex::Open((dir.path() / "search").string());
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  SearchIndex& idx = **opened;
  const std::vector<std::string> topics = {
      "river treaty water flows delta commission salinity farmers",
      "cup final football stadium tickets replay rovers united",
      "tram line council fares network harbour construction",
      "chip plant jobs factory hiring wages investment",
      "museum exhibition paintings curator reopening gallery"};
  // Each story: its topic's words and 15 of 60 other words, drawn
  // deterministically, so stories of a topic are alike but no copies.
  std::vector<std::string> vocabulary;
  for (const char* a : {"north", "south", "east", "west", "old", "new"}) {
    for (const char* b : {"market", "school", "bridge", "station", "park", "road", "office",
                          "hall", "port", "tower"}) {
      vocabulary.push_back(std::string(a) + b);
    }
  }
  std::uint32_t seed = 12345;
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 300; ++i) {
    const std::string& topic = topics[static_cast<std::size_t>(i) % topics.size()];
    std::string text = topic;
    for (int w = 0; w < 15; ++w) {
      seed = seed * 1103515245u + 12345u;
      text += " " + vocabulary[(seed >> 16) % vocabulary.size()];
    }
    ASSERT_TRUE(idx.Put(Doc(i, "Report " + std::to_string(i) + " " + topic.substr(0, topic.find(' ')),
                            text, "news", 1000 + 86400 * i)).ok());
    ids.push_back(i);
  }
  ASSERT_TRUE(idx.Commit(1, 0).ok());
  ids.push_back(999);  // not in the index: an empty list in its place
  std::reverse(ids.begin(), ids.end());
  RelatedOptions o;
  std::vector<std::vector<RelatedItem>> one;
  for (std::int64_t id : ids) {
    auto r = idx.Related(id, o);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    one.push_back(*r);
  }
  ASSERT_TRUE(one.front().empty());
  std::size_t listed = 0;
  for (const auto& list : one) listed += list.size();
  ASSERT_GT(listed, 1000u);  // the lists say something
  // The last runs keep few story vectors (some 20 KB a thread), so they
  // are dropped, half at a time, and made again over and over.
  struct Run {
    int threads;
    bool batch;
    std::size_t vector_bytes;
  };
  for (Run run : {Run{1, true, 0}, Run{2, true, 0}, Run{3, true, 0}, Run{2, false, 0}, Run{2, true, 20000},
                  Run{1, true, 20000}}) {
    const int threads = run.threads;
    SCOPED_TRACE(threads);
    SCOPED_TRACE(run.batch);
    SCOPED_TRACE(run.vector_bytes);
    o.batch_candidates = run.batch;
    o.vector_bytes = run.vector_bytes;
    auto many = idx.RelatedMany(ids, o, threads);
    ASSERT_TRUE(many.has_value()) << many.error().ToString();
    ASSERT_EQ(many->size(), ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      ASSERT_EQ((*many)[i].size(), one[i].size()) << ids[i];
      for (std::size_t k = 0; k < one[i].size(); ++k) {
        EXPECT_EQ((*many)[i][k].id, one[i][k].id) << ids[i];
        EXPECT_DOUBLE_EQ((*many)[i][k].score, one[i][k].score) << ids[i];
      }
    }
  }
}

TEST(Related, FreshnessBreaksTiesTowardsCloserStories) {
  auto index = SearchIndex::InMemory();
  ASSERT_TRUE(index.has_value());
  auto& idx = **index;
  const Seconds day = 86400;
  ASSERT_TRUE(idx.Put(Doc(1, "Chip plant opens", "The chip plant opens with new jobs", "b",
                          400 * day)).ok());
  // Two equally similar stories, one a year older than the other.
  ASSERT_TRUE(idx.Put(Doc(2, "Chip plant hiring", "The chip plant hires for new jobs", "b",
                          30 * day)).ok());
  ASSERT_TRUE(idx.Put(Doc(3, "Chip plant hiring", "The chip plant hires for new jobs", "b",
                          395 * day)).ok());
  // Unrelated stories, so the chip plant's words stand out.
  ASSERT_TRUE(idx.Put(Doc(4, "Rain in the delta", "Rain fell over the delta farms", "c")).ok());
  ASSERT_TRUE(idx.Put(Doc(5, "Cup final", "United won the cup final at the stadium", "c")).ok());
  ASSERT_TRUE(idx.Put(Doc(6, "Museum reopens", "The museum reopens after repairs", "c")).ok());
  ASSERT_TRUE(idx.Commit(0, 0).ok());
  RelatedOptions o;
  o.diversity = false;
  auto r = idx.Related(1, o);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].id, 3);  // the recent one first
  o.freshness = false;
  auto flat = idx.Related(1, o);
  EXPECT_NEAR((*flat)[0].score, (*flat)[1].score, 1e-9);
}

}  // namespace
}  // namespace dateline
