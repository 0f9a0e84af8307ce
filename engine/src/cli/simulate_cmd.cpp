// `tandem simulate SPEC.yaml [--json] [--aggregator NAME]`: the human-in-the-loop simulation of
// shared/eval/crowd/SIMULATION.md (tandem/simulation.hpp), every policy on the same seeded draws.
//
// The Dawid–Skene baselines and the adaptive policies' refit use the aggregator plugin NAME
// (default `dawid_skene`, i.e. tandem.aggregator.dawid_skene) through the plugin host. Without it the
// DS baselines are left out and the report says so. Output: a table on stdout (or one JSON object with
// --json); spec errors on stderr as file:line:column lines, exit 1.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/cli.hpp"
#include "tandem/services.hpp"
#include "tandem/simulation.hpp"

namespace tandem::cli {
namespace {

struct SimulateOptions {
  std::string spec;
  std::string aggregator = "dawid_skene";
  bool json = false;
};

std::string fmt(const sim::Figure& f, int digits = 3) {
  if (std::isnan(f.mean)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f [%.*f, %.*f]", digits, f.mean, digits, f.low, digits, f.high);
  return buf;
}

nlohmann::ordered_json to_json(const sim::Figure& f) {
  if (std::isnan(f.mean)) return nullptr;
  return {{"mean", f.mean}, {"low", f.low}, {"high", f.high}};
}

const char* reach_name(sim::Reach r) {
  switch (r) {
    case sim::Reach::interpolated: return "interpolated";
    case sim::Reach::below_sweep: return "below_sweep";
    case sim::Reach::above_sweep: return "above_sweep";
    case sim::Reach::not_reached: return "not_reached";
  }
  return "?";
}

nlohmann::ordered_json to_json(const sim::Crossing& c, const sim::Figure& seeds) {
  nlohmann::ordered_json out{{"reach", reach_name(c.reach)}};
  out["value"] = std::isnan(c.value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.value);
  out["seeds"] = to_json(seeds);
  out["end"] = {{"cost", c.end.cost}, {"accuracy", c.end.accuracy}};
  return out;
}

// "1.23 (seeds: 1.25 [1.10, 1.40])" (on the curve of the means, and over seeds when every seed's curve
// crosses), "<= 0.77 (its cheapest tau: accuracy 0.893)", or why there is no number and where the sweep ends.
std::string describe(const sim::Crossing& c, const sim::Figure& seeds, int digits, bool is_cost) {
  char buf[160];
  switch (c.reach) {
    case sim::Reach::interpolated:
      if (!std::isnan(seeds.mean)) {
        std::snprintf(buf, sizeof buf, "%.*f (seeds: %s)", digits, c.value, fmt(seeds, digits).c_str());
      } else {
        std::snprintf(buf, sizeof buf, "%.*f (not every seed's curve crosses)", digits, c.value);
      }
      break;
    case sim::Reach::below_sweep:
      if (is_cost) {
        std::snprintf(buf, sizeof buf, "<= %.2f (its cheapest tau is there already: accuracy %.3f)", c.end.cost,
                      c.end.accuracy);
      } else {
        std::snprintf(buf, sizeof buf, "below the sweep (its cheapest tau costs %.2f, accuracy %.3f)", c.end.cost,
                      c.end.accuracy);
      }
      break;
    case sim::Reach::above_sweep:
      std::snprintf(buf, sizeof buf, "above the sweep (its costliest tau costs %.2f, accuracy %.3f)", c.end.cost,
                    c.end.accuracy);
      break;
    case sim::Reach::not_reached:
      std::snprintf(buf, sizeof buf, "not reached (its most accurate tau: %.3f at cost %.2f)", c.end.accuracy, c.end.cost);
      break;
  }
  return buf;
}

std::string percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", 100 * share);
  return buf;
}

int run_simulate(const SimulateOptions& o) {
  const sim::SpecResult spec = sim::read_spec(o.spec);
  if (!spec.spec) {
    for (const auto& e : spec.errors) std::cerr << e << "\n";
    return kExitBadInput;
  }
  PluginHost host(make_services());
  print_load_problems(host.load_all(PluginHost::search_paths()));
  std::shared_ptr<sdk::Aggregator> ds;
  if (!o.aggregator.empty() && o.aggregator != "none") {
    const PluginInfo* info = host.find("tandem.aggregator." + o.aggregator);
    if (info == nullptr) info = host.find(o.aggregator);
    if (info == nullptr || info->kind != "aggregator") {
      std::cerr << "tandem: warning: --aggregator: no aggregator plugin \"" << o.aggregator
                << "\" was found; the Dawid–Skene baselines are left out\n";
    } else {
      sdk::ConfigErrors errors;
      const sdk::ConfigNode config(sdk::ConfigNode::Type::map, sdk::Mark{"<tandem simulate>", 0, 0}, "");
      ds = host.make_aggregator(*info, "simulate", config, errors);
      if (!ds) {
        for (const auto& e : errors.all()) std::cerr << e.to_string() << "\n";
        return kExitInternal;
      }
    }
  }
  const sim::Report r = sim::run(*spec.spec, ds.get());
  if (o.json) {
    nlohmann::ordered_json out;
    out["spec"] = o.spec;
    out["seeds"] = spec.spec->seeds;
    out["model_accuracy"] = to_json(r.model_accuracy);
    out["model_ece"] = to_json(r.model_ece);
    out["temperature"] = to_json(r.temperature);
    out["policies"] = nlohmann::ordered_json::array();
    for (const auto& p : r.policies) {
      out["policies"].push_back({{"policy", p.policy},
                                 {"threshold", p.threshold},
                                 {"accuracy", to_json(p.accuracy)},
                                 {"answers_per_item", to_json(p.answers_per_item)},
                                 {"cost_per_item", to_json(p.cost_per_item)},
                                 {"auto_accept_share", to_json(p.auto_accept_share)},
                                 {"auto_accept_accuracy", to_json(p.auto_accept_accuracy)},
                                 {"routed_accuracy", to_json(p.routed_accuracy)},
                                 {"unresolved_share", to_json(p.unresolved_share)},
                                 {"unresolved_accuracy", to_json(p.unresolved_accuracy)},
                                 {"nobody_left_share", to_json(p.nobody_left_share)},
                                 {"expert_answer_share", to_json(p.expert_answer_share)},
                                 {"ece", to_json(p.ece)},
                                 {"confident_accuracy", to_json(p.confident_accuracy)},
                                 {"answers_histogram", p.answers_histogram}});
      if (p.worker_types.empty()) continue;
      auto& types = out["policies"].back()["worker_types"] = nlohmann::ordered_json::array();
      for (const auto& t : p.worker_types)
        types.push_back({{"type", t.type},
                         {"workers", t.workers},
                         {"diag_error", to_json(t.diag_error)},
                         {"diag_error_effective", to_json(t.diag_error_effective)},
                         {"excluded_share", to_json(t.excluded_share)},
                         {"answers_before_exclusion", to_json(t.answers_before_exclusion)},
                         {"answers_per_worker", to_json(t.answers_per_worker)}});
    }
    out["headlines"] = nlohmann::ordered_json::array();
    for (const auto& h : r.headlines)
      out["headlines"].push_back({{"policy", h.policy},
                                  {"cost_at_mv5_accuracy", to_json(h.cost_at_mv5_accuracy, h.cost_at_mv5_accuracy_seeds)},
                                  {"accuracy_at_mv3_cost", to_json(h.accuracy_at_mv3_cost, h.accuracy_at_mv3_cost_seeds)}});
    out["notes"] = r.notes;
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  std::cout << "simulation " << o.spec << ": " << spec.spec->seeds << " seeds, " << spec.spec->items << " items, "
            << spec.spec->classes << " classes, " << spec.spec->workers << " workers (means, 95% intervals)\n";
  std::cout << "model: accuracy " << fmt(r.model_accuracy) << ", ECE " << fmt(r.model_ece) << ", temperature "
            << fmt(r.temperature, 2) << "\n";
  std::printf("%-12s %5s  %-22s %-20s %-20s %-20s %-20s\n", "policy", "tau", "accuracy", "answers/item", "cost/item",
              "auto-accepted", "unresolved");
  for (const auto& p : r.policies) {
    std::printf("%-12s %5.2f  %-22s %-20s %-20s %-20s %-20s\n", p.policy.c_str(), p.threshold, fmt(p.accuracy).c_str(),
                fmt(p.answers_per_item, 2).c_str(), fmt(p.cost_per_item, 2).c_str(), fmt(p.auto_accept_share).c_str(),
                fmt(p.unresolved_share).c_str());
  }
  std::printf("\n%-12s %5s  %-22s %-22s %-22s %-22s %-22s %-22s %-22s\n", "policy", "tau", "auto-accepted accuracy",
              "routed accuracy", "unresolved accuracy", "nobody left to ask", "ECE (final posterior)",
              "accuracy, posterior>=tau", "expert share of answers");
  for (const auto& p : r.policies) {
    std::printf("%-12s %5.2f  %-22s %-22s %-22s %-22s %-22s %-22s %-22s\n", p.policy.c_str(), p.threshold,
                fmt(p.auto_accept_accuracy).c_str(), fmt(p.routed_accuracy).c_str(), fmt(p.unresolved_accuracy).c_str(),
                fmt(p.nobody_left_share).c_str(), fmt(p.ece).c_str(), fmt(p.confident_accuracy).c_str(),
                fmt(p.expert_answer_share).c_str());
  }
  std::printf("\n%-12s %5s  answers per item: %% of items with 0, 1, ..., %d answers (mean over seeds)\n", "policy", "tau",
              spec.spec->max_answers);
  for (const auto& p : r.policies) {
    std::string row;
    for (double h : p.answers_histogram) {
      char cell[16];
      std::snprintf(cell, sizeof cell, "%6s", percent(h).c_str());
      row += cell;
    }
    std::printf("%-12s %5.2f  %s\n", p.policy.c_str(), p.threshold, row.c_str());
  }
  bool header = false;
  for (const auto& p : r.policies) {
    if (p.worker_types.empty() || p.threshold != spec.spec->thresholds.front()) continue;
    if (!header) {
      std::printf("\nworker estimates at the end of the run (tau %.2f): |estimated - true| diagonal of C_w, the same against "
                  "the difficulty-averaged C_w, share estimated below %.2f, answers given when excluded, answers per worker\n",
                  spec.spec->thresholds.front(), spec.spec->min_worker_accuracy);
      std::printf("%-12s %-16s %7s  %-22s %-22s %-22s %-22s %-22s\n", "policy", "type", "workers", "diag error", "diag error (eff.)",
                  "excluded", "answers when excluded", "answers per worker");
      header = true;
    }
    for (const auto& t : p.worker_types)
      std::printf("%-12s %-16s %7d  %-22s %-22s %-22s %-22s %-22s\n", p.policy.c_str(), t.type.c_str(), t.workers,
                  fmt(t.diag_error).c_str(), fmt(t.diag_error_effective).c_str(), fmt(t.excluded_share).c_str(),
                  fmt(t.answers_before_exclusion, 1).c_str(), fmt(t.answers_per_worker, 1).c_str());
  }
  if (!r.headlines.empty()) {
    const sim::PolicyReport* mv3 = nullptr;
    const sim::PolicyReport* mv5 = nullptr;
    for (const auto& p : r.policies) {
      if (p.policy == "mv3") mv3 = &p;
      if (p.policy == "mv5") mv5 = &p;
    }
    std::printf("\nheadline (along each tau sweep, linear between its points): cost per item at MV-5's accuracy %.3f; "
                "accuracy at MV-3's cost %.2f\n",
                mv5 != nullptr ? mv5->accuracy.mean : 0.0, mv3 != nullptr ? mv3->cost_per_item.mean : 0.0);
    for (const auto& h : r.headlines)
      std::printf("%-12s cost at MV-5 accuracy: %s; accuracy at MV-3 cost: %s\n", h.policy.c_str(),
                  describe(h.cost_at_mv5_accuracy, h.cost_at_mv5_accuracy_seeds, 2, true).c_str(),
                  describe(h.accuracy_at_mv3_cost, h.accuracy_at_mv3_cost_seeds, 3, false).c_str());
  }
  std::fflush(stdout);
  for (const auto& n : r.notes) std::cout << "note: " << n << "\n";
  return kExitOk;
}

}  // namespace

void add_simulate(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* sub = app.add_subcommand("simulate", "The human-in-the-loop simulation (shared/eval/crowd/SIMULATION.md): "
                                                 "routing policies on the same seeded items, workers and answers");
  sub->add_option("SPEC", o->spec, "The simulation spec (YAML; config/simulation/default.yaml documents every key)")->required();
  sub->add_option("--aggregator", o->aggregator,
                  "Aggregator plugin for the Dawid–Skene baselines and refits (default dawid_skene; 'none' leaves them out)");
  sub->add_flag("--json", o->json, "One JSON object instead of the table");
  sub->callback([&chosen, o] { chosen.run = [o] { return run_simulate(*o); }; });
}

}  // namespace tandem::cli
