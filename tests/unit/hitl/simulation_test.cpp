#include "tandem/simulation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tandem::sim {
namespace {

const PolicyReport* find(const Report& r, const std::string& policy, double tau = -1) {
  for (const auto& p : r.policies)
    if (p.policy == policy && (tau < 0 || p.threshold == tau)) return &p;
  return nullptr;
}

TEST(SimulationSpec, ErrorsNameFileLineColumnAndSuggest) {
  auto r = parse_spec("items: 500\nclases: 3\n", "sim.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("sim.yaml:2:1: error: unknown key \"clases\"", 0), 0u) << r.errors[0];
  EXPECT_NE(r.errors[0].find("did you mean \"classes\""), std::string::npos) << r.errors[0];

  r = parse_spec("workers:\n  types:\n    good: {share: 0.5}\n    spamer: {share: 0.5}\n", "sim.yaml");
  ASSERT_EQ(r.errors.size(), 1u);  // one mistake, one error: the shares add up
  EXPECT_EQ(r.errors[0].rfind("sim.yaml:4:5: error: workers.types.spamer: unknown worker type \"spamer\"", 0), 0u)
      << r.errors[0];
  r = parse_spec("workers:\n  types:\n    good: {share: 0.5}\n    expert: {share: 0.4}\n", "sim.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "sim.yaml:3:5: error: workers.types: expected worker type shares that sum to 1, got 0.9");

  r = parse_spec("items: 100\ngold: {items: 100}\nthresholds: [0.9, 1.5]\n", "sim.yaml");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].rfind("sim.yaml:2:15: error: gold.items: expected fewer gold items than items (100)", 0), 0u)
      << r.errors[0];
  EXPECT_EQ(r.errors[1].rfind("sim.yaml:3:19: error: thresholds[1]: ", 0), 0u) << r.errors[1];

  r = parse_spec("classes: 3\nprior: {skewed: [0.5, 0.5]}\n", "sim.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("expected 3 non-negative weights"), std::string::npos) << r.errors[0];

  r = parse_spec("seeds: {count: 2}\nitems: 500\n", "sim.yaml");
  ASSERT_TRUE(r.spec) << r.errors[0];
  EXPECT_EQ(r.spec->seeds, 2);
  EXPECT_EQ(r.spec->classes, 4);             // defaults of SIMULATION.md
  EXPECT_EQ(r.spec->pool.size(), 6u);
  EXPECT_DOUBLE_EQ(r.spec->thresholds.front(), 0.95);
}

// config/simulation/default.yaml documents every key at its default: reading it gives the defaults of Spec.
TEST(SimulationSpec, TheShippedSpecIsTheDefaults) {
  const auto r = read_spec(std::string(TANDEM_SOURCE_DIR) + "/config/simulation/default.yaml");
  ASSERT_TRUE(r.spec) << (r.errors.empty() ? "" : r.errors[0]);
  const Spec d;
  const Spec& s = *r.spec;
  EXPECT_EQ(s.seeds, d.seeds);
  EXPECT_EQ(s.items, d.items);
  EXPECT_EQ(s.classes, d.classes);
  EXPECT_EQ(s.workers, d.workers);
  ASSERT_EQ(s.pool.size(), d.pool.size());
  for (std::size_t i = 0; i < s.pool.size(); ++i) {
    EXPECT_EQ(s.pool[i].name, d.pool[i].name);
    EXPECT_DOUBLE_EQ(s.pool[i].share, d.pool[i].share);
    EXPECT_DOUBLE_EQ(s.pool[i].cost, d.pool[i].cost);
  }
  EXPECT_EQ(s.gold_items, d.gold_items);
  EXPECT_EQ(s.window, d.window);
  EXPECT_EQ(s.max_answers, d.max_answers);
  EXPECT_DOUBLE_EQ(s.thresholds.front(), d.thresholds.front());
  EXPECT_EQ(s.policies, d.policies);
}

Spec small() {
  Spec s;
  s.seeds = 3;
  s.items = 3000;
  s.gold_items = 100;
  s.policies = {"mv3", "mv5", "model_only", "adaptive", "escalating"};
  return s;
}

TEST(Simulation, SameSpecSameFigures) {
  const Report a = run(small(), nullptr);
  const Report b = run(small(), nullptr);
  ASSERT_EQ(a.policies.size(), b.policies.size());
  for (std::size_t i = 0; i < a.policies.size(); ++i) {
    EXPECT_EQ(a.policies[i].accuracy.mean, b.policies[i].accuracy.mean);
    EXPECT_EQ(a.policies[i].cost_per_item.mean, b.policies[i].cost_per_item.mean);
  }
  // Without an aggregator the DS baselines are left out, and the report says so.
  Spec with_ds = small();
  with_ds.policies.push_back("ds3");
  const Report c = run(with_ds, nullptr);
  EXPECT_EQ(find(c, "ds3"), nullptr);
  ASSERT_FALSE(c.notes.empty());
  EXPECT_NE(c.notes[0].find("ds3 left out"), std::string::npos);
}

TEST(Simulation, FiguresBehaveAsTheWorldSays) {
  const Report r = run(small(), nullptr);
  const auto* mv3 = find(r, "mv3");
  const auto* mv5 = find(r, "mv5");
  const auto* model = find(r, "model_only");
  const auto* adaptive = find(r, "adaptive");
  const auto* escalating = find(r, "escalating");
  ASSERT_TRUE(mv3 && mv5 && model && adaptive && escalating);
  // Fixed redundancy: exactly n answers, cost n (non-experts cost 1), nothing auto-accepted.
  EXPECT_DOUBLE_EQ(mv3->answers_per_item.mean, 3);
  EXPECT_DOUBLE_EQ(mv5->cost_per_item.mean, 5);
  EXPECT_DOUBLE_EQ(mv5->auto_accept_share.mean, 0);
  EXPECT_GT(mv5->accuracy.mean, mv3->accuracy.mean);
  // The model alone: no answers, and its accuracy is the model's (SIMULATION.md: roughly 75-85%).
  EXPECT_DOUBLE_EQ(model->answers_per_item.mean, 0);
  EXPECT_NEAR(model->accuracy.mean, r.model_accuracy.mean, 0.01);
  EXPECT_GT(r.model_accuracy.mean, 0.7);
  EXPECT_LT(r.model_accuracy.mean, 0.9);
  // A calibrated model is calibrated.
  EXPECT_LT(r.model_ece.mean, 0.03);
  // Adaptive: the model's confident items need nobody; the rest are asked until tau or the budget.
  EXPECT_GT(adaptive->auto_accept_share.mean, 0.2);
  EXPECT_LT(adaptive->answers_per_item.mean, mv5->answers_per_item.mean);
  EXPECT_GT(adaptive->accuracy.mean, model->accuracy.mean);
  EXPECT_GT(escalating->accuracy.mean, adaptive->accuracy.mean - 0.01);
  EXPECT_GT(escalating->cost_per_item.mean, adaptive->cost_per_item.mean);  // experts cost 5
  double h = 0;
  for (double x : adaptive->answers_histogram) h += x;
  EXPECT_NEAR(h, 1.0, 1e-9);
}

}  // namespace
}  // namespace tandem::sim
