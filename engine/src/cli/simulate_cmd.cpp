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
                                 {"ece", to_json(p.ece)},
                                 {"confident_accuracy", to_json(p.confident_accuracy)},
                                 {"answers_histogram", p.answers_histogram}});
    }
    out["notes"] = r.notes;
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  std::cout << "simulation " << o.spec << ": " << spec.spec->seeds << " seeds, " << spec.spec->items << " items, "
            << spec.spec->classes << " classes, " << spec.spec->workers << " workers (means, 95% intervals)\n";
  std::cout << "model: accuracy " << fmt(r.model_accuracy) << ", ECE " << fmt(r.model_ece) << ", temperature "
            << fmt(r.temperature, 2) << "\n";
  std::printf("%-11s %5s  %-22s %-20s %-20s %-20s %-20s\n", "policy", "tau", "accuracy", "answers/item", "cost/item",
              "auto-accepted", "unresolved");
  for (const auto& p : r.policies) {
    std::printf("%-11s %5.2f  %-22s %-20s %-20s %-20s %-20s\n", p.policy.c_str(), p.threshold, fmt(p.accuracy).c_str(),
                fmt(p.answers_per_item, 2).c_str(), fmt(p.cost_per_item, 2).c_str(), fmt(p.auto_accept_share).c_str(),
                fmt(p.unresolved_share).c_str());
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
