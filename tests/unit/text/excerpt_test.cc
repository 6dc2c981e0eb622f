#include "text/excerpt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "unit/text/html_checks.h"

namespace dateline {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing_html::IsValidUtf8;

const std::string kEllipsis = " [\u2026]";

// "w1 w2 ... wN"
std::string Words(int n, const char* separator = " ") {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) out += separator;
    out += "w" + std::to_string(i);
  }
  return out;
}

// Two paragraphs about monsoon rain in Dhaka, 80-odd words.
const char* const kBengali =
    "<p>ঢাকায় আজ সকাল থেকে টানা বৃষ্টি হচ্ছে। আবহাওয়া অফিস জানিয়েছে, আগামী তিন দিন "
    "রাজধানীসহ দেশের বেশিরভাগ এলাকায় মাঝারি থেকে ভারী বৃষ্টি হতে পারে। সকালে অফিসগামী মানুষ "
    "রাস্তায় জমে থাকা পানির কারণে দুর্ভোগে পড়েন। মিরপুর, মোহাম্মদপুর ও পুরান ঢাকার অনেক সড়ক "
    "হাঁটুপানিতে ডুবে যায়।</p><p>রিকশাচালকেরা বাড়তি ভাড়া চাইছেন বলে অভিযোগ করেছেন যাত্রীরা। "
    "সিটি করপোরেশন বলছে, জলাবদ্ধতা দূর করতে কর্মীরা কাজ করছেন। বিশেষজ্ঞরা মনে করেন, খাল দখল "
    "আর অপরিকল্পিত নগরায়ণের কারণেই প্রতি বর্ষায় এই সমস্যা দেখা দেয়। শিক্ষার্থীরা বলছে, বৃষ্টির "
    "মধ্যে স্কুলে যাওয়া কঠিন হয়ে পড়েছে।</p>";

// Rain in Delhi, 90-odd words.
const char* const kHindi =
    "<p>दिल्ली में सोमवार सुबह से रुक रुक कर बारिश हो रही है। मौसम विभाग ने अगले दो दिनों के लिए "
    "येलो अलर्ट जारी किया है और लोगों को बेवजह घर से बाहर न निकलने की सलाह दी है। कई इलाकों में "
    "सड़कों पर पानी भर गया, जिससे दफ्तर जाने वाले लोगों को लंबे जाम का सामना करना पड़ा।</p>"
    "<p>मेट्रो स्टेशनों पर भी सामान्य दिनों से ज्यादा भीड़ देखी गई। नगर निगम का कहना है कि नालों "
    "की सफाई का काम पूरा हो चुका है, लेकिन लगातार बारिश के कारण पानी निकलने में समय लग रहा "
    "है। किसानों ने बारिश का स्वागत किया है क्योंकि इससे खरीफ की फसलों को फायदा होगा।</p>";

TEST(HtmlToTextTest, BlockBoundariesSeparateWords) {
  EXPECT_EQ(HtmlToText("<p>Dhaka, Bangladesh</p><p>Despite</p>"), "Dhaka, Bangladesh Despite");
  EXPECT_EQ(HtmlToText("<h2>Title</h2><ul><li>one</li><li>two</li></ul>a<br>b<div>c</div>"),
            "Title one two a b c");
  EXPECT_EQ(HtmlToText("<table><tr><td>1</td><td>2</td></tr></table><blockquote>q</blockquote>"),
            "1 2 q");
  EXPECT_EQ(HtmlToText("<figure><img src=a.jpg><figcaption>Cap</figcaption></figure>end"),
            "Cap end");
}

TEST(HtmlToTextTest, InlineElementsDoNotSplitWords) {
  EXPECT_EQ(HtmlToText("<p><b>Dha</b>ka <a href=\"/x\">Bang<em>la</em>desh</a></p>"),
            "Dhaka Bangladesh");
}

TEST(HtmlToTextTest, ScriptAndStyleContentIsNotText) {
  EXPECT_EQ(HtmlToText("<p>a</p><script>var secret = 1;</script><style>p{color:red}</style>"
                       "<noscript>enable js</noscript><template>t</template><p>b</p>"),
            "a b");
}

TEST(HtmlToTextTest, EntitiesAreDecodedAndWhitespaceCollapsed) {
  EXPECT_EQ(HtmlToText(
                "  <p>Fish &amp; chips &lt;3 &eacute;t&eacute;&nbsp;&nbsp;x\n\n\ty &#x1F600;</p> "),
            "Fish & chips <3 été x y \U0001F600");
}

TEST(HtmlToTextTest, InvalidUtf8IsReplaced) {
  const std::string text = HtmlToText("<p>ok \xff bad \xc3</p>");
  EXPECT_TRUE(IsValidUtf8(text)) << text;
  EXPECT_THAT(text, HasSubstr("\uFFFD"));
}

TEST(MakeExcerptTest, FusedParagraphsBecomeSeparateWords) {
  const std::string excerpt =
      MakeExcerpt("<p>Dhaka, Bangladesh</p><p>Despite \u2026 the rain, the city kept moving.</p>");
  EXPECT_THAT(excerpt, HasSubstr("Bangladesh Despite"));
  EXPECT_THAT(excerpt, Not(HasSubstr("BangladeshDespite")));
}

TEST(MakeExcerptTest, FiftyFiveWordsAreReturnedWhole) {
  const std::string html = "<p>" + Words(55) + "</p>";
  EXPECT_EQ(MakeExcerpt(html), Words(55));
  EXPECT_EQ(CountWords(MakeExcerpt(html)), 55u);
}

TEST(MakeExcerptTest, FiftySixWordsAreCutToFiftyFive) {
  const std::string excerpt = MakeExcerpt("<p>" + Words(56) + "</p>");
  EXPECT_EQ(excerpt, Words(55) + std::string(kEllipsis));
  EXPECT_EQ(CountWords(excerpt), 55u);
}

TEST(MakeExcerptTest, WordsSplitAcrossParagraphsCountOnce) {
  // 30 words in one paragraph, 30 in the next: 60 in all.
  const std::string excerpt = MakeExcerpt("<p>" + Words(30) + "</p><p>" + Words(30) + "</p>");
  EXPECT_EQ(CountWords(excerpt), 55u);
  EXPECT_THAT(excerpt, StartsWith(Words(30) + " w1 w2"));
  EXPECT_THAT(excerpt, EndsWith("w25" + std::string(kEllipsis)));
}

TEST(MakeExcerptTest, KeepsPunctuationAttachedToTheLastWord) {
  const std::string before = Words(54);
  EXPECT_EQ(ExcerptFromText(before + " end.\" Next word"),
            before + " end.\"" + std::string(kEllipsis));
  EXPECT_EQ(ExcerptFromText(before + " end, next"), before + " end," + std::string(kEllipsis));
  // A dash that runs into the next word is not kept.
  EXPECT_EQ(ExcerptFromText(before + " well\u2014known facts"),
            before + " well" + std::string(kEllipsis));
}

TEST(MakeExcerptTest, SmallerLimits) {
  EXPECT_EQ(MakeExcerpt("<p>one two three</p>", 2), "one two [\u2026]");
  EXPECT_EQ(MakeExcerpt("<p>one two three</p>", 3), "one two three");
  EXPECT_EQ(MakeExcerpt("<p>one two three</p>", 0), "");
  EXPECT_EQ(MakeExcerpt("", 5), "");
}

TEST(MakeExcerptTest, BengaliParagraphIsCutAtFiftyFiveWords) {
  const std::string text = HtmlToText(kBengali);
  ASSERT_GT(CountWords(text), 75u);
  ASSERT_LT(CountWords(text), 95u);
  const std::string excerpt = MakeExcerpt(kBengali);
  EXPECT_EQ(CountWords(excerpt), 55u) << excerpt;
  EXPECT_THAT(excerpt, EndsWith(kEllipsis));
  EXPECT_THAT(excerpt, StartsWith("ঢাকায় আজ সকাল"));
  EXPECT_THAT(excerpt, HasSubstr("ডুবে যায়। রিকশাচালকেরা"));  // paragraphs not fused
  EXPECT_TRUE(IsValidUtf8(excerpt));
}

TEST(MakeExcerptTest, HindiParagraphIsCutAtFiftyFiveWords) {
  const std::string text = HtmlToText(kHindi);
  ASSERT_GT(CountWords(text), 80u);
  const std::string excerpt = MakeExcerpt(kHindi);
  EXPECT_EQ(CountWords(excerpt), 55u) << excerpt;
  EXPECT_THAT(excerpt, EndsWith(kEllipsis));
  EXPECT_THAT(excerpt, StartsWith("दिल्ली में सोमवार"));
  EXPECT_TRUE(IsValidUtf8(excerpt));
}

TEST(CountWordsTest, CountsLettersNumbersAndIdeographsNotPunctuation) {
  EXPECT_EQ(CountWords(""), 0u);
  EXPECT_EQ(CountWords(" -- ... !! "), 0u);
  EXPECT_EQ(CountWords("Hello, world! It's 2025."), 4u);
  EXPECT_EQ(CountWords("বৃষ্টি হচ্ছে।"), 2u);
  EXPECT_GT(CountWords("東京では雨が降っています"), 3u);  // no spaces in Japanese
  EXPECT_GT(CountWords("กรุงเทพมหานครฝนตกหนัก"), 2u);       // nor in Thai
  EXPECT_EQ(CountWords("\xff\xfe"), 0u);                  // U+FFFD is not a word
}

TEST(ExcerptFromTextTest, CollapsesWhitespaceOfPlainText) {
  EXPECT_EQ(ExcerptFromText("  a\n\nb\tc  "), "a b c");
  EXPECT_EQ(ExcerptFromText(Words(60, "\n"), 55), Words(55) + std::string(kEllipsis));
}

TEST(ExcerptFromTextTest, InvalidUtf8NeverBreaksTheOutput) {
  const std::string excerpt =
      ExcerptFromText(Words(54) + " \xe0\xa6 broken \xc3\x28 tail more", 55);
  EXPECT_TRUE(IsValidUtf8(excerpt)) << excerpt;
  EXPECT_THAT(excerpt, EndsWith(kEllipsis));
}

TEST(ExcerptTest, ThreadsGetTheSameAnswers) {
  const std::string expected = MakeExcerpt(kBengali);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (MakeExcerpt(kBengali) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace dateline
