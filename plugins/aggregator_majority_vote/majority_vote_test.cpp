// Behaviour of tandem.aggregator.majority_vote, loaded through the real host.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

using tandem::conformance::PluginUnderTest;
using tandem::sdk::AggregationProblem;
using tandem::sdk::Distribution;
using tandem::sdk::Posterior;

std::vector<Posterior> aggregate(tandem::sdk::Aggregator& a, const AggregationProblem& p) {
  std::vector<Posterior> out;
  EXPECT_TRUE(a.aggregate(p, out).is_ok());
  return out;
}

class MajorityVote : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(MajorityVote, SharesOfTheVotesPerItemInFirstAppearanceOrder) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p;
  p.variable = "request";
  p.votes = {{"i2", "w1", "b"}, {"i1", "w1", "a"}, {"i1", "w2", "a"}, {"i1", "w3", "b"}};
  const auto out = aggregate(*a, p);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].item, "i2");
  EXPECT_EQ(out[0].distribution, Distribution({{"b", 1.0}}));
  EXPECT_EQ(out[1].item, "i1");
  EXPECT_DOUBLE_EQ(out[1].distribution.p("a"), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(out[1].distribution.p("b"), 1.0 / 3.0);
  EXPECT_TRUE(plugin.take_log().empty());
}

TEST_F(MajorityVote, TiesStayTies) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p;
  p.votes = {{"i", "w1", "yes"}, {"i", "w2", "no"}};
  const auto out = aggregate(*a, p);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].distribution.p("yes"), 0.5);
  EXPECT_EQ(out[0].distribution.p("no"), 0.5);
}

TEST_F(MajorityVote, VotesOutsideTheLabelsAreIgnoredAndCounted) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p;
  p.variable = "time[0].polarity";
  p.labels = {"positive", "negative"};
  p.votes = {{"i", "w1", "positive"}, {"i", "w2", "maybe"}, {"i", "w3", "perhaps"}, {"i", "w4", ""},
             {"j", "w1", "maybe"}};
  const auto out = aggregate(*a, p);
  ASSERT_EQ(out.size(), 1u);  // "j" has no vote that counts
  EXPECT_EQ(out[0].distribution, Distribution({{"positive", 1.0}}));
  EXPECT_EQ(plugin.take_log(),
            (std::vector<std::string>{"warning: test: variable \"time[0].polarity\": ignored 1 vote with an empty "
                                      "label, 3 votes whose label is not one of the problem's labels (e.g. \"maybe\")"}));
}

TEST_F(MajorityVote, TheModelIsASoftVoteWorthModelWeightVotes) {
  auto a = plugin.aggregator("model_weight: 1\n");
  AggregationProblem p;
  p.labels = {"a", "b"};
  p.votes = {{"i", "w1", "b"}};
  p.model = {{"i", Distribution({{"a", 0.6}, {"b", 0.4}})}, {"only-model", Distribution({{"a", 0.9}, {"b", 0.1}})}};
  const auto out = aggregate(*a, p);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].item, "i");
  EXPECT_DOUBLE_EQ(out[0].distribution.p("a"), 0.3);  // 0.6 of 2 votes
  EXPECT_DOUBLE_EQ(out[0].distribution.p("b"), 0.7);  // 1 + 0.4 of 2
  EXPECT_EQ(out[1].item, "only-model");
  EXPECT_DOUBLE_EQ(out[1].distribution.p("a"), 0.9);
}

TEST_F(MajorityVote, WithoutModelWeightTheModelIsIgnored) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p;
  p.votes = {{"i", "w1", "b"}};
  p.model = {{"i", Distribution({{"a", 1.0}})}, {"only-model", Distribution({{"a", 1.0}})}};
  const auto out = aggregate(*a, p);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].distribution, Distribution({{"b", 1.0}}));
}

TEST_F(MajorityVote, TheWholeResultHasNoWorkerModelsAndNoIterations) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p;
  p.votes = {{"i", "w1", "a"}, {"i", "w2", "b"}, {"i", "w3", "a"}};
  tandem::sdk::AggregationResult r;
  r.posteriors.push_back({"kept", Distribution({{"x", 1.0}})});
  ASSERT_TRUE(a->aggregate(p, r).is_ok());
  ASSERT_EQ(r.posteriors.size(), 2u);  // appended after what was there
  EXPECT_EQ(r.posteriors[0].item, "kept");
  EXPECT_DOUBLE_EQ(r.posteriors[1].distribution.p("a"), 2.0 / 3.0);
  EXPECT_TRUE(r.workers.empty());
  EXPECT_EQ(r.iterations, 0u);
  EXPECT_TRUE(std::isnan(r.log_likelihood));
  EXPECT_TRUE(r.converged);
}

TEST_F(MajorityVote, AnEmptyProblemGivesNothing) {
  auto a = plugin.aggregator("model_weight: 2\n");
  EXPECT_TRUE(aggregate(*a, AggregationProblem{}).empty());
}

}  // namespace
