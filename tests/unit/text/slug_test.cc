#include "text/slug.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace dateline {
namespace {

using ::testing::Each;
using ::testing::Eq;
using ::testing::StartsWith;

TEST(SlugifyTest, FoldsAccentsAndPunctuation) {
  EXPECT_EQ(Slugify("Café Déjà Vu!"), "cafe-deja-vu");
  EXPECT_EQ(Slugify("Straße in Köln"), "strasse-in-koln");
  EXPECT_EQ(Slugify("  --Hello,   World!!--  "), "hello-world");
  EXPECT_EQ(Slugify("C++ & Rust: the 2025 edition"), "c-rust-the-2025-edition");
  EXPECT_EQ(Slugify("Don't stop \u2014 believin\u2019"), "dont-stop-believin");
  EXPECT_EQ(Slugify("snake_case/and.dots"), "snake-case-and-dots");
}

TEST(SlugifyTest, TransliteratesOtherScripts) {
  EXPECT_EQ(Slugify("Привет мир"), "privet-mir");
  EXPECT_EQ(Slugify("Αθήνα"), "athena");
  EXPECT_THAT(Slugify("北京 欢迎你"), StartsWith("bei-jing"));
  for (const char* text :
       {"বাংলাদেশ", "ঢাকায় টানা বৃষ্টি", "नमस्ते दुनिया", "東京の天気", "서울 날씨"}) {
    const std::string slug = Slugify(text);
    EXPECT_TRUE(IsValidSlug(slug)) << text << " -> " << slug;
    EXPECT_NE(slug, "story") << text;
  }
  EXPECT_THAT(Slugify("ঢাকায় টানা বৃষ্টি"), ::testing::MatchesRegex("[a-z]+-[a-z]+-[a-z]+"));
}

TEST(SlugifyTest, AsciiIsAlreadyWhatTheTransliteratorMakes) {
  // Slugify skips ICU for ASCII text; that is right only while ICU's
  // "Any-Latin; Latin-ASCII" returns every ASCII character unchanged.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString(u"Any-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  std::string every;
  for (int c = 1; c < 128; ++c) every.push_back(static_cast<char>(c));
  for (const std::string& text : {every, std::string("Don't Panic: 2 Rivers & 3 Towns!"),
                                  std::string("ALL CAPS -- dashes__and\tabs\t")}) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    t->transliterate(u);
    std::string back;
    u.toUTF8String(back);
    EXPECT_EQ(back, text);
  }
  EXPECT_EQ(Slugify(every), "0123456789-abcdefghijklmnopqrstuvwxyz-abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(Slugify("Don't Panic: 2 Rivers & 3 Towns!"), "dont-panic-2-rivers-3-towns");
}

TEST(SlugifyTest, NothingLeftGivesStory) {
  EXPECT_EQ(Slugify(""), "story");
  EXPECT_EQ(Slugify("!!! ... ---"), "story");
  EXPECT_EQ(Slugify("\U0001F600\U0001F600"), "story");
}

TEST(SlugifyTest, InvalidUtf8ActsAsSeparator) {
  EXPECT_EQ(Slugify("abc\xff"
                    "def"),
            "abc-def");
  EXPECT_EQ(Slugify("\xc3"), "story");
}

TEST(SlugifyTest, LongTextIsCutAtAHyphen) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "word ";
  const std::string slug = Slugify(text);
  EXPECT_LE(slug.size(), kMaxSlugifyLength);
  EXPECT_GE(slug.size(), kMaxSlugifyLength - 5);
  EXPECT_TRUE(IsValidSlug(slug));
  std::vector<std::string> parts;
  for (std::size_t start = 0; start <= slug.size();) {
    const std::size_t end = std::min(slug.find('-', start), slug.size());
    parts.push_back(slug.substr(start, end - start));
    start = end + 1;
  }
  EXPECT_THAT(parts, Each(Eq("word")));  // no half word at the end
}

TEST(SlugifyTest, OneHugeWordIsCutHard) {
  EXPECT_EQ(Slugify(std::string(500, 'A')), std::string(kMaxSlugifyLength, 'a'));
  EXPECT_EQ(Slugify(std::string(79, 'a') + " bc"), std::string(79, 'a'));
  EXPECT_EQ(Slugify(std::string(80, 'a') + " bc"), std::string(80, 'a'));
}

TEST(UniqueSlugTest, AppendsTheFirstFreeNumber) {
  const std::set<std::string, std::less<>> taken = {"floods", "floods-2", "rain"};
  std::vector<std::string> asked;
  auto is_taken = [&](std::string_view s) {
    asked.emplace_back(s);
    return taken.count(s) > 0;
  };
  EXPECT_EQ(UniqueSlug("floods", is_taken), "floods-3");
  EXPECT_EQ(asked, (std::vector<std::string>{"floods", "floods-2", "floods-3"}));
  EXPECT_EQ(UniqueSlug("rain", is_taken), "rain-2");
  EXPECT_EQ(UniqueSlug("sun", is_taken), "sun");
  EXPECT_EQ(UniqueSlug("", is_taken), "story");
}

TEST(UniqueSlugTest, StaysValidForMaximalBase) {
  const std::string base(kMaxSlugLength, 'a');
  const std::string slug = UniqueSlug(base, [&](std::string_view s) { return s == base; });
  EXPECT_TRUE(IsValidSlug(slug)) << slug;
  EXPECT_THAT(slug, ::testing::EndsWith("a-2"));
}

TEST(IsValidSlugTest, AcceptsOnlyTheStoredShape) {
  EXPECT_TRUE(IsValidSlug("a"));
  EXPECT_TRUE(IsValidSlug("dhaka-floods-2025"));
  EXPECT_TRUE(IsValidSlug(std::string(kMaxSlugLength, 'x')));
  EXPECT_FALSE(IsValidSlug(""));
  EXPECT_FALSE(IsValidSlug("-lead"));
  EXPECT_FALSE(IsValidSlug("trail-"));
  EXPECT_FALSE(IsValidSlug("Upper"));
  EXPECT_FALSE(IsValidSlug("with space"));
  EXPECT_FALSE(IsValidSlug("under_score"));
  EXPECT_FALSE(IsValidSlug("caf\xc3\xa9"));
  EXPECT_FALSE(IsValidSlug(std::string(kMaxSlugLength + 1, 'x')));
}

TEST(SlugifyTest, ThreadsGetTheSameAnswers) {
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (Slugify("Привет мир") != "privet-mir") ++mismatches[t];
        if (Slugify("Café Déjà Vu!") != "cafe-deja-vu") ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace dateline
