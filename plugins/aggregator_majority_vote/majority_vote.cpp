#include "majority_vote.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace tandem::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Majority vote per item: each label's share of the votes, with the model's distribution as a soft vote.",
  "properties": {
    "model_weight": {
      "type": "number",
      "minimum": 0,
      "maximum": 100,
      "default": 0,
      "description": "How many votes the model's distribution for an item is worth; 0 ignores the model."
    }
  },
  "additionalProperties": false
})";

// One piece of evidence: `weight` for label `label` of item `item` (both indices).
struct Mass {
  std::uint32_t item;
  std::uint32_t label;
  double weight;
};

}  // namespace

MajorityVote::MajorityVote(const sdk::PluginContext& ctx)
    : services_(ctx.services()),
      instance_(ctx.instance_name()),
      model_weight_(ctx.config().get_double("model_weight", 0.0)) {}

sdk::Status MajorityVote::on_aggregate(const sdk::AggregationProblem& problem, std::vector<sdk::Posterior>& out) {
  // Labels: the problem's (when listed) are the only ones allowed; otherwise any non-empty label is.
  std::vector<std::string_view> labels;
  std::unordered_map<std::string_view, std::uint32_t> label_index;
  const bool closed = !problem.labels.empty();
  for (const auto& l : problem.labels)
    if (!l.empty() && label_index.emplace(l, static_cast<std::uint32_t>(labels.size())).second) labels.push_back(l);
  const auto label_of = [&](std::string_view l) -> std::int64_t {
    if (l.empty()) return -1;
    auto it = label_index.find(l);
    if (it != label_index.end()) return it->second;
    if (closed) return -1;
    const auto i = static_cast<std::uint32_t>(labels.size());
    label_index.emplace(l, i);
    labels.push_back(l);
    return i;
  };

  std::vector<std::string_view> items;  // first appearance order
  std::unordered_map<std::string_view, std::uint32_t> item_index;
  const auto item_of = [&](std::string_view item) {
    auto [it, inserted] = item_index.emplace(item, static_cast<std::uint32_t>(items.size()));
    if (inserted) items.push_back(item);
    return it->second;
  };

  std::vector<Mass> mass;
  mass.reserve(problem.votes.size());
  std::size_t no_item = 0, no_label = 0, outside = 0;
  std::string_view outside_example;
  for (const auto& v : problem.votes) {
    if (v.item.empty()) { ++no_item; continue; }
    if (v.label.empty()) { ++no_label; continue; }
    const std::int64_t l = label_of(v.label);
    if (l < 0) {
      if (outside++ == 0) outside_example = v.label;
      continue;
    }
    mass.push_back({item_of(v.item), static_cast<std::uint32_t>(l), 1.0});
  }

  std::size_t model_outside = 0;
  if (model_weight_ > 0) {
    for (const auto& prior : problem.model) {
      if (prior.item.empty()) continue;
      // The model's distribution as given, cleaned (negative or non-finite probabilities count as 0)
      // and renormalised; relative to its top value first, so that the sum cannot overflow.
      double top = 0;
      for (const auto& c : prior.distribution.candidates())
        if (std::isfinite(c.p) && c.p > top) top = c.p;
      if (!(top > 0)) continue;
      double sum = 0;
      for (const auto& c : prior.distribution.candidates())
        if (std::isfinite(c.p) && c.p > 0) sum += c.p / top;
      for (const auto& c : prior.distribution.candidates()) {
        if (!std::isfinite(c.p) || c.p <= 0) continue;
        const std::int64_t l = label_of(c.value);
        if (l < 0) { ++model_outside; continue; }
        mass.push_back({item_of(prior.item), static_cast<std::uint32_t>(l), model_weight_ * (c.p / top) / sum});
      }
    }
  }

  if (no_item + no_label + outside + model_outside > 0) {
    std::string m = "variable \"" + problem.variable + "\": ignored";
    bool first = true;
    const auto part = [&](std::size_t n, const std::string& what) {
      if (n == 0) return;
      m += (first ? " " : ", ") + std::to_string(n) + " " + what;
      first = false;
    };
    part(no_item, no_item == 1 ? "vote with no item" : "votes with no item");
    part(no_label, no_label == 1 ? "vote with an empty label" : "votes with an empty label");
    part(outside, std::string(outside == 1 ? "vote" : "votes") + " whose label is not one of the problem's labels (e.g. \"" +
                      std::string(outside_example) + "\")");
    part(model_outside, "model candidates outside the problem's labels");
    services_.logger().log(sdk::LogLevel::warning, instance_, m);
  }

  // Sum the evidence per (item, label); items keep their first-appearance order.
  std::sort(mass.begin(), mass.end(), [](const Mass& a, const Mass& b) {
    return a.item != b.item ? a.item < b.item : a.label < b.label;
  });
  out.reserve(out.size() + items.size());
  std::size_t i = 0;
  while (i < mass.size()) {
    const std::uint32_t item = mass[i].item;
    std::vector<sdk::Candidate> candidates;
    while (i < mass.size() && mass[i].item == item) {
      const std::uint32_t label = mass[i].label;
      double w = 0;
      for (; i < mass.size() && mass[i].item == item && mass[i].label == label; ++i) w += mass[i].weight;
      candidates.push_back({std::string(labels[label]), w});
    }
    out.push_back({std::string(items[item]), sdk::Distribution(std::move(candidates))});
  }
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::MajorityVote, .name = "tandem.aggregator.majority_vote", .version = "0.1.0",
              .status = "alpha", .summary = "Majority vote per item, with the model as an optional soft vote",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
