// Behaviour of tandem.aggregator.mace, loaded through the real host.
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

// 20 items, truth alternating a, b. Three careful workers are always right; four spammers always say
// "a". Majority vote gets every "b" item wrong (4 against 3).
AggregationProblem spammers_in_the_majority() {
  AggregationProblem p;
  p.variable = "request";
  p.labels = {"a", "b"};
  for (int i = 0; i < 20; ++i) {
    const std::string item = "item-" + std::to_string(i), truth = i % 2 == 0 ? "a" : "b";
    for (const char* w : {"careful-1", "careful-2", "careful-3"}) p.votes.push_back({item, w, truth});
    for (const char* w : {"spammer-1", "spammer-2", "spammer-3", "spammer-4"}) p.votes.push_back({item, w, "a"});
  }
  return p;
}

class Mace : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(Mace, FindsTheSpammersWhereMajorityVoteFails) {
  for (const char* config : {"{}", "training: em\n"}) {
    auto a = plugin.aggregator(config);
    const AggregationResult r = aggregate(*a, spammers_in_the_majority());
    ASSERT_EQ(r.posteriors.size(), 20u) << config;
    for (int i = 0; i < 20; ++i)
      EXPECT_EQ(r.posteriors[i].distribution.top().value, i % 2 == 0 ? "a" : "b") << config << " item " << i;
    EXPECT_TRUE(r.converged) << config;
    ASSERT_EQ(r.workers.size(), 7u) << config;
    // P(a | t) = θ·[a = t] + (1 − θ)·ξ(a): a careful worker knows (θ near 1); a spammer does not (θ near
    // 0) and guesses "a" (ξ(a) near 1), so it says "a" whatever the truth.
    EXPECT_GT(r.workers[0].p(1, 1), 0.9) << config;
    EXPECT_GT(r.workers[6].p(1, 0), 0.7) << config;
    EXPECT_GT(r.workers[6].p(0, 0), 0.7) << config;
  }
}

TEST_F(Mace, VariationalWorkerModelIsThePosteriorMean) {
  // One worker, always right on 4 items: counts know = 4, spam = 0 after convergence would make θ = 1 by
  // EM; the Beta(0.5, 0.5) prior keeps it at (4 + 0.5) / (4 + 1) at most.
  AggregationProblem p;
  p.votes = {{"a", "w", "x"}, {"b", "w", "y"}, {"c", "w", "x"}, {"d", "w", "y"}};
  auto a = plugin.aggregator("{}");
  const AggregationResult r = aggregate(*a, p);
  ASSERT_EQ(r.workers.size(), 1u);
  const double theta = r.workers[0].p(0, 0) - r.workers[0].p(1, 0);  // θ·1 + (1−θ)ξ(x) − (1−θ)ξ(x)
  EXPECT_GT(theta, 0.5);
  EXPECT_LE(theta, 4.5 / 5.0 + 1e-12);
  for (std::size_t t = 0; t < 2; ++t) EXPECT_NEAR(r.workers[0].p(t, 0) + r.workers[0].p(t, 1), 1.0, 1e-12);
}

TEST_F(Mace, TheModelIsOneMoreWorker) {
  AggregationProblem p;
  p.labels = {"a", "b"};
  for (int i = 0; i < 8; ++i) {
    const std::string item = "x" + std::to_string(i);
    p.votes.push_back({item, "right", i % 2 ? "a" : "b"});
    p.votes.push_back({item, "wrong", i % 2 ? "b" : "a"});
    p.model.push_back({item, Distribution({{"a", i % 2 ? 0.9 : 0.1}, {"b", i % 2 ? 0.1 : 0.9}})});
  }
  auto a = plugin.aggregator("model_worker: \"model:x\"\n");
  const AggregationResult r = aggregate(*a, p);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(r.posteriors[i].distribution.top().value, i % 2 ? "a" : "b") << i;
  ASSERT_EQ(r.workers.size(), 3u);
  EXPECT_EQ(r.workers[2].worker, "model:x");
  EXPECT_NEAR(r.workers[2].answers, 8.0, 1e-12);
}

}  // namespace
