// Behaviour of tandem.aggregator.one_coin, loaded through the real host.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

using tandem::conformance::PluginUnderTest;
using tandem::sdk::AggregationProblem;
using tandem::sdk::AggregationResult;
using tandem::sdk::Distribution;

AggregationResult aggregate(tandem::sdk::Aggregator& a, const AggregationProblem& p) {
  AggregationResult out;
  const auto s = a.aggregate(p, out);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return out;
}

// 20 items, truth alternating yes/no. Two experts are always right; three noisy workers are right 60% of
// the time, and all three are wrong on every tenth item, where majority vote (3 against 2) is wrong.
AggregationProblem experts_and_noise() {
  AggregationProblem p;
  p.variable = "request";
  for (int i = 0; i < 20; ++i) {
    const std::string item = "i" + std::to_string(i), truth = i % 2 == 0 ? "yes" : "no",
                      other = i % 2 == 0 ? "no" : "yes";
    p.votes.push_back({item, "expert-1", truth});
    p.votes.push_back({item, "expert-2", truth});
    for (int n = 0; n < 3; ++n) {
      const int r = i % 10;
      const bool wrong = r == 0 || (r - 1) / 3 == n;  // noisy-n is also wrong on 3 items of each ten
      p.votes.push_back({item, "noisy-" + std::to_string(n + 1), wrong ? other : truth});
    }
  }
  return p;
}

class OneCoin : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(OneCoin, TrustsTheExpertsWhereMajorityVoteFails) {
  auto a = plugin.aggregator("{}");
  const AggregationResult r = aggregate(*a, experts_and_noise());
  ASSERT_EQ(r.posteriors.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(r.posteriors[i].item, "i" + std::to_string(i));
    EXPECT_EQ(r.posteriors[i].distribution.top().value, i % 2 == 0 ? "yes" : "no") << "item " << i;
  }
  EXPECT_TRUE(r.converged);
  EXPECT_GE(r.iterations, 2u);
}

TEST_F(OneCoin, OneAccuracyPerWorkerErrorsSpreadEvenly) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p = experts_and_noise();
  p.labels = {"yes", "no", "maybe"};  // K = 3: a wrong answer is either of the two others
  const AggregationResult r = aggregate(*a, p);
  ASSERT_EQ(r.workers.size(), 5u);
  EXPECT_EQ(r.workers[0].worker, "expert-1");
  EXPECT_EQ(r.workers[0].labels, (std::vector<std::string>{"yes", "no", "maybe"}));
  // Accuracy (right + smoothing) / (answers + K × smoothing), the same on every row.
  EXPECT_NEAR(r.workers[0].p(0, 0), (20 + 0.01) / (20 + 0.03), 1e-6);
  EXPECT_NEAR(r.workers[0].p(2, 2), r.workers[0].p(0, 0), 1e-15);
  EXPECT_NEAR(r.workers[0].p(0, 1), r.workers[0].p(0, 2), 1e-15);
  EXPECT_EQ(r.workers[2].worker, "noisy-1");
  EXPECT_NEAR(r.workers[2].p(1, 1), (12 + 0.01) / (20 + 0.03), 1e-3);  // right on 12 of 20
}

TEST_F(OneCoin, TheModelIsOneMoreWorker) {
  AggregationProblem p;
  p.labels = {"a", "b"};
  for (int i = 0; i < 6; ++i) {
    const std::string item = "x" + std::to_string(i);
    p.votes.push_back({item, "right", i < 3 ? "a" : "b"});
    p.votes.push_back({item, "wrong", i < 3 ? "b" : "a"});
    p.model.push_back({item, Distribution({{"a", i < 3 ? 0.8 : 0.2}, {"b", i < 3 ? 0.2 : 0.8}})});
  }
  auto a = plugin.aggregator("{}");
  const AggregationResult r = aggregate(*a, p);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.posteriors[i].distribution.top().value, i < 3 ? "a" : "b");
  ASSERT_EQ(r.workers.size(), 3u);
  EXPECT_EQ(r.workers[2].worker, "model");
  EXPECT_GT(r.workers[2].p(0, 0), 0.7);
  EXPECT_LT(r.workers[1].p(0, 0), 0.01);  // "wrong" is learned to be always wrong
}

TEST_F(OneCoin, OneLabelNeedsNoInference) {
  auto a = plugin.aggregator("{}");
  AggregationProblem p;
  p.votes = {{"i", "w1", "only"}, {"j", "w2", "only"}};
  const AggregationResult r = aggregate(*a, p);
  ASSERT_EQ(r.posteriors.size(), 2u);
  EXPECT_EQ(r.posteriors[1].distribution, Distribution({{"only", 1.0}}));
  ASSERT_EQ(r.workers.size(), 2u);
  EXPECT_EQ(r.workers[0].confusion, std::vector<double>{1.0});
  EXPECT_EQ(r.iterations, 0u);
}

}  // namespace
