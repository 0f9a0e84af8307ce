// Behaviour of tandem.extractor.cue_words, loaded through the real host with the engine's services.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

using tandem::conformance::PluginUnderTest;
using tandem::sdk::Annotation;
using tandem::sdk::Message;
using tandem::sdk::Span;

constexpr const char* kConfig =
    "variable: event_type\n"
    "cues:\n"
    "  meeting: [grab coffee, meet, STRASSE]\n"
    "  social: [drinks, lunch]\n";

std::vector<Annotation> extract(tandem::sdk::Extractor& e, const std::string& text) {
  Message m;
  m.text = text;
  std::vector<Annotation> out;
  EXPECT_TRUE(e.extract(m, out).is_ok());
  return out;
}

class CueWords : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(CueWords, CountsWholeWordMatchesIgnoringCase) {
  auto e = plugin.extractor(kConfig);
  // meeting: "meet", "MEET" (not "meetings", not "grab  coffee" with two spaces); social: "lunch"
  // (not "Lunchtime").
  const auto out = extract(*e, "Shall we meet for lunch? Or grab  coffee? MEET me; meetings bore me. Lunchtime!");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].variable.name, "event_type");
  const auto& d = out[0].variable.distribution;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.top().value, "meeting");
  EXPECT_DOUBLE_EQ(d.p("meeting"), 2.25 / 3.5);  // 0.5/2 + 2 matches
  EXPECT_DOUBLE_EQ(d.p("social"), 1.25 / 3.5);   // 0.5/2 + 1 match
  EXPECT_EQ(out[0].span, (Span{9, 13}));
  EXPECT_EQ(out[0].note, "cue \"meet\"");
}

TEST_F(CueWords, SpanIsTheFirstMatchOfTheTopValueInOriginalBytes) {
  auto e = plugin.extractor(kConfig);
  // İ (2 bytes) folds to 3 bytes and ẞ (3 bytes) to "ss" (2 bytes): the span must still cover the
  // original "STRAẞE", bytes [8, 16).
  const std::string text = "\xC4\xB0\xC4\xB0 am STRA\xE1\xBA\x9E" "E! grab coffee";
  const auto out = extract(*e, text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].span, (Span{8, 16}));
  EXPECT_EQ(out[0].span.of(text), "STRA\xE1\xBA\x9E" "E");
  EXPECT_EQ(out[0].note, "cue \"STRASSE\"");
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("meeting"), 2.25 / 2.5);
}

TEST_F(CueWords, LettersDigitsAndUtf8NextToACueBlockIt) {
  auto e = plugin.extractor(kConfig);
  // Blocked: "ümeet", "meetü", "3meet", "meet3". Counted: "_meet", "meet_", "(meet)".
  const auto out = extract(*e, "\xC3\xBCmeet meet\xC3\xBC 3meet meet3 _meet meet_ (meet)");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("meeting"), 3.25 / 3.5);
  EXPECT_EQ(out[0].span, (Span{27, 31}));
}

TEST_F(CueWords, TiesStayTiesAndTheSpanFollowsTheFirstValueByName) {
  auto e = plugin.extractor(kConfig);
  const auto out = extract(*e, "lunch, then meet");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("meeting"), 0.5);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("social"), 0.5);
  EXPECT_EQ(out[0].span, (Span{12, 16}));
}

TEST_F(CueWords, NoCueMeansNoAnnotationWithoutADefault) {
  auto e = plugin.extractor(kConfig);
  EXPECT_TRUE(extract(*e, "Nothing to see here.").empty());
  EXPECT_TRUE(extract(*e, "").empty());
}

TEST_F(CueWords, NoCueWithADefaultCountsTheDefaultAsOneCue) {
  auto e = plugin.extractor(std::string(kConfig) + "default: social\nprior_weight: 1\n");
  const auto out = extract(*e, "Nothing to see here.");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("social"), 1.5 / 2.0);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("meeting"), 0.5 / 2.0);
  EXPECT_TRUE(out[0].span.empty());
  EXPECT_EQ(out[0].note, "no cue; the default \"social\"");
}

TEST_F(CueWords, WeightsComeFromTheConfig) {
  auto e = plugin.extractor(std::string(kConfig) + "cue_weight: 3\nprior_weight: 0\n");
  const auto out = extract(*e, "drinks?");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("social"), 1.0);
  EXPECT_DOUBLE_EQ(out[0].variable.distribution.p("meeting"), 0.0);
  EXPECT_EQ(out[0].note, "cue \"drinks\"");
}

TEST_F(CueWords, OwnChecksNameTheLineAndSuggest) {
  const auto errors = plugin.config_errors(
      "variable: request\n"
      "cues:\n"
      "  schedule: [coffee, Meet]\n"
      "  social: [COFFEE, meet]\n"
      "default: shedule\n",
      "p.yaml");
  std::vector<std::string> lines;
  for (const auto& e : errors) lines.push_back(e.to_string());
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "p.yaml:4:12: error: cues.social[0]: cue \"COFFEE\" is listed under both \"schedule\" and \"social\"",
                       "p.yaml:4:20: error: cues.social[1]: cue \"meet\" is listed under both \"schedule\" and \"social\"",
                       "p.yaml:5:10: error: default: \"shedule\" is not one of the values in cues (did you mean "
                       "\"schedule\"?)",
                   }));
}

}  // namespace
