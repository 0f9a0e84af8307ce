// Behaviour of tandem.aggregator.dawid_skene, loaded through the real host.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

using tandem::conformance::PluginUnderTest;
using tandem::sdk::AggregationProblem;
using tandem::sdk::AggregationResult;
using tandem::sdk::Distribution;
using tandem::sdk::WorkerModel;

AggregationResult aggregate(tandem::sdk::Aggregator& a, const AggregationProblem& p) {
  AggregationResult out;
  const auto s = a.aggregate(p, out);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return out;
}

const WorkerModel* model_of(const AggregationResult& r, const std::string& worker) {
  for (const auto& w : r.workers)
    if (w.worker == worker) return &w;
  return nullptr;
}

// 20 items, truth alternating a, b. Three careful workers are always right; four careless ones always
// say "a". Majority vote gets every "b" item wrong (4 against 3); the careless workers' answers carry
// no information, which Dawid–Skene learns.
AggregationProblem careless_majority() {
  AggregationProblem p;
  p.variable = "request";
  p.labels = {"a", "b"};
  for (int i = 0; i < 20; ++i) {
    const std::string item = "item-" + std::to_string(i), truth = i % 2 == 0 ? "a" : "b";
    for (const char* w : {"careful-1", "careful-2", "careful-3"}) p.votes.push_back({item, w, truth});
    for (const char* w : {"careless-1", "careless-2", "careless-3", "careless-4"}) p.votes.push_back({item, w, "a"});
  }
  return p;
}

class DawidSkene : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(DawidSkene, RecoversTheTruthWhereMajorityVoteFails) {
  auto a = plugin.aggregator("{}");
  const AggregationProblem p = careless_majority();
  const AggregationResult r = aggregate(*a, p);
  ASSERT_EQ(r.posteriors.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    std::map<std::string, int> votes;
    for (const auto& v : p.votes)
      if (v.item == "item-" + std::to_string(i)) ++votes[v.label];
    const std::string truth = i % 2 == 0 ? "a" : "b";
    if (truth == "b") {
      EXPECT_GT(votes["a"], votes["b"]) << "the majority is wrong on item " << i;
    }
    EXPECT_EQ(r.posteriors[i].item, "item-" + std::to_string(i));  // first-appearance order
    EXPECT_EQ(r.posteriors[i].distribution.top().value, truth) << "item " << i;
    EXPECT_GT(r.posteriors[i].distribution.top_p(), 0.99) << "item " << i;
  }
  EXPECT_TRUE(r.converged);
  EXPECT_GE(r.iterations, 2u);
  EXPECT_LT(r.iterations, 100u);
  EXPECT_LT(r.log_likelihood, 0.0);
}

TEST_F(DawidSkene, LearnsEachWorkersConfusionMatrix) {
  auto a = plugin.aggregator("{}");
  const AggregationResult r = aggregate(*a, careless_majority());
  ASSERT_EQ(r.workers.size(), 7u);
  EXPECT_EQ(r.workers[0].worker, "careful-1");  // first-appearance order
  EXPECT_EQ(r.workers[3].worker, "careless-1");
  const WorkerModel* careful = model_of(r, "careful-2");
  const WorkerModel* careless = model_of(r, "careless-4");
  ASSERT_TRUE(careful && careless);
  EXPECT_EQ(careful->labels, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(careful->answers, 20.0);
  // Rows are the truth, columns the answer; smoothing (0.01 per cell) keeps every cell above 0.
  EXPECT_NEAR(careful->p(0, 0), 1.0, 1e-3);
  EXPECT_NEAR(careful->p(1, 1), 1.0, 1e-3);
  EXPECT_NEAR(careless->p(0, 0), 1.0, 1e-3);  // says "a" when the truth is a ...
  EXPECT_NEAR(careless->p(1, 0), 1.0, 1e-3);  // ... and when it is b
  EXPECT_GT(careless->p(1, 1), 0.0);
  for (const auto& w : r.workers)
    for (std::size_t t = 0; t < 2; ++t) EXPECT_NEAR(w.p(t, 0) + w.p(t, 1), 1.0, 1e-12) << w.worker;
}

TEST_F(DawidSkene, TheModelIsOneMoreWorkerWithItsOwnConfusionMatrix) {
  // Two workers who always disagree: one is always right, the other always wrong. Alone, the votes
  // cannot tell them apart; the model, right 70% of the way on every item, breaks the symmetry, and its
  // own skill is learned like a worker's.
  AggregationProblem p;
  p.variable = "time[0].polarity";
  p.labels = {"positive", "negative"};
  for (int i = 0; i < 10; ++i) {
    const std::string item = "t" + std::to_string(i);
    const bool pos = i % 3 != 0;
    p.votes.push_back({item, "right", pos ? "positive" : "negative"});
    p.votes.push_back({item, "wrong", pos ? "negative" : "positive"});
    p.model.push_back({item, Distribution({{"positive", pos ? 0.7 : 0.3}, {"negative", pos ? 0.3 : 0.7}})});
  }
  p.model.push_back({"model-only", Distribution({{"positive", 0.9}, {"negative", 0.1}})});

  auto with_model = plugin.aggregator("{}");
  const AggregationResult r = aggregate(*with_model, p);
  ASSERT_EQ(r.posteriors.size(), 11u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(r.posteriors[i].distribution.top().value, i % 3 != 0 ? "positive" : "negative") << "item " << i;
  EXPECT_EQ(r.posteriors[10].item, "model-only");
  EXPECT_EQ(r.posteriors[10].distribution.top().value, "positive");
  ASSERT_EQ(r.workers.size(), 3u);
  EXPECT_EQ(r.workers[2].worker, "model");
  EXPECT_NEAR(r.workers[2].answers, 11.0, 1e-12);
  EXPECT_GT(r.workers[2].p(0, 0), 0.6);  // P(model says positive | positive)
  EXPECT_GT(r.workers[2].p(1, 1), 0.6);
  const WorkerModel* wrong = model_of(r, "wrong");
  ASSERT_TRUE(wrong);
  EXPECT_GT(wrong->p(0, 1), 0.99);  // says negative when it is positive

  auto without = plugin.aggregator("model_as_worker: false\n");
  const AggregationResult r2 = aggregate(*without, p);
  EXPECT_EQ(r2.posteriors.size(), 10u);  // no votes on "model-only": no evidence without the model
  EXPECT_EQ(r2.workers.size(), 2u);
  EXPECT_NEAR(r2.posteriors[1].distribution.top_p(), 0.5, 1e-9);  // the symmetry stays unbroken

  auto named = plugin.aggregator("model_worker: \"model:time\"\nmodel_weight: 3\n");
  const AggregationResult r3 = aggregate(*named, p);
  ASSERT_EQ(r3.workers.size(), 3u);
  EXPECT_EQ(r3.workers[2].worker, "model:time");
  EXPECT_NEAR(r3.workers[2].answers, 33.0, 1e-9);
}

TEST_F(DawidSkene, StopsAtMaxIterationsAndSaysSo) {
  auto a = plugin.aggregator("max_iterations: 1\n");
  const AggregationResult r = aggregate(*a, careless_majority());
  EXPECT_EQ(r.iterations, 1u);
  EXPECT_FALSE(r.converged);
}

TEST_F(DawidSkene, IgnoredVotesAreLoggedAndTooManyLabelsAreRefused) {
  auto a = plugin.aggregator("max_labels: 3\n");
  AggregationProblem p;
  p.variable = "event_type";
  p.labels = {"meeting", "social"};
  p.votes = {{"i", "w1", "meeting"}, {"i", "", "social"}, {"", "w2", "social"}, {"i", "w3", "party"}};
  const AggregationResult r = aggregate(*a, p);
  ASSERT_EQ(r.posteriors.size(), 1u);
  EXPECT_EQ(r.posteriors[0].distribution.top().value, "meeting");
  EXPECT_EQ(plugin.take_log(), (std::vector<std::string>{
                                   "warning: test: variable \"event_type\": ignored 1 vote with no item, 1 vote with no "
                                   "worker, 1 vote whose label is not one of the problem's labels (e.g. \"party\")"}));

  p.labels = {"a", "b", "c", "d"};
  AggregationResult out;
  const auto s = a->aggregate(p, out);
  EXPECT_EQ(s.to_string(), "invalid_input: variable \"event_type\": 4 labels, more than max_labels (3)");
}

TEST_F(DawidSkene, SameProblemSameBits) {
  auto a = plugin.aggregator("{}");
  const AggregationResult r1 = aggregate(*a, careless_majority());
  const AggregationResult r2 = aggregate(*a, careless_majority());
  ASSERT_EQ(r1.posteriors.size(), r2.posteriors.size());
  for (std::size_t i = 0; i < r1.posteriors.size(); ++i) EXPECT_EQ(r1.posteriors[i].distribution, r2.posteriors[i].distribution);
  EXPECT_EQ(r1.log_likelihood, r2.log_likelihood);
}

}  // namespace
