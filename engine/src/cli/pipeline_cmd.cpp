// `tandem validate PIPELINE...` and `tandem explain PIPELINE [--json]`.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/cli.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

// Loads one pipeline into `host`; prints its errors; true when it is valid.
bool load_and_report(const std::filesystem::path& file, PluginHost& host, PipelineLoad& load) {
  load = load_pipeline(file, host);
  print_load_problems(load.plugin_problems);
  for (const auto& e : load.errors) std::cerr << e.to_string() << "\n";
  return load.ok();
}

std::size_t stage_count(const PipelineSpec& p) {
  std::size_t n = 0;
  for (Stage s : kStages) n += p.in_stage(s).empty() ? 0 : 1;
  return n;
}

int validate(const std::vector<std::filesystem::path>& files) {
  int code = kExitOk;
  for (const auto& file : files) {
    // A host per file: each pipeline's plugin_paths apply to it alone.
    PluginHost host(make_services());
    PipelineLoad load;
    if (load_and_report(file, host, load)) {
      const PipelineSpec& p = *load.pipeline;
      const std::size_t n = p.instances.size(), stages = stage_count(p);
      std::cout << file.string() << ": ok (" << n << (n == 1 ? " plugin instance in " : " plugin instances in ")
                << stages << (stages == 1 ? " stage)\n" : " stages)\n");
    } else {
      std::cerr << file.string() << ": " << load.errors.size() << (load.errors.size() == 1 ? " error" : " errors")
                << "\n";
      code = kExitBadInput;
    }
  }
  return code;
}

nlohmann::ordered_json targeting_json(const std::vector<TargetRule>& rules) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rules) out.push_back({{"when", r.when}, {"require", r.require}});
  return out;
}

// The route section as the router reads it: the route-level settings, then each `variables` entry with
// only the keys it sets.
nlohmann::ordered_json route_json(const RouteSpec& r) {
  const VariableRoute& d = r.defaults;
  nlohmann::ordered_json out = {{"threshold", r.threshold},
                                {"thresholds", r.thresholds},
                                {"seed", r.seed},
                                {"audit_share", d.audit_share},
                                {"context_chars", d.context_chars},
                                {"budget", {{"answers", d.max_answers}, {"cost", d.max_cost}}},
                                {"escalate_after", d.escalate_after},
                                {"targeting", targeting_json(d.targeting)}};
  if (!d.instructions.empty()) out["instructions"] = d.instructions;
  out["variables"] = nlohmann::ordered_json::object();
  for (const auto& v : r.variables) {
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    if (v.threshold) e["threshold"] = *v.threshold;
    if (v.max_answers || v.max_cost)
      e["budget"] = {{"answers", v.max_answers.value_or(d.max_answers)}, {"cost", v.max_cost.value_or(d.max_cost)}};
    if (v.audit_share) e["audit_share"] = *v.audit_share;
    if (v.context_chars) e["context_chars"] = *v.context_chars;
    if (v.escalate_after) e["escalate_after"] = *v.escalate_after;
    if (v.instructions) e["instructions"] = *v.instructions;
    if (v.targeting) e["targeting"] = targeting_json(*v.targeting);
    out["variables"][v.key] = std::move(e);
  }
  return out;
}

nlohmann::ordered_json explain_json(const PipelineSpec& p) {
  nlohmann::ordered_json out = {{"file", p.file.string()}, {"name", p.name}, {"description", p.description}};
  out["plugin_paths"] = nlohmann::ordered_json::array();
  for (const auto& d : p.plugin_paths) out["plugin_paths"].push_back(d.string());
  out["route"] = route_json(p.route);
  out["stages"] = nlohmann::ordered_json::array();
  for (Stage s : kStages) {
    nlohmann::ordered_json stage = {{"stage", stage_name(s)}, {"kind", stage_kind(s)}, {"instances", nlohmann::ordered_json::array()}};
    for (const InstanceSpec* i : p.in_stage(s)) {
      stage["instances"].push_back({{"name", i->name},
                                    {"plugin", i->info->name},
                                    {"version", i->info->version},
                                    {"status", i->info->status},
                                    {"thread_safe", i->info->thread_safe},
                                    {"path", i->info->path.string()},
                                    {"line", i->mark.line},
                                    {"config", to_json(i->config)}});
    }
    out["stages"].push_back(std::move(stage));
  }
  return out;
}

void explain_text(const PipelineSpec& p) {
  std::cout << "pipeline " << (p.name.empty() ? "(unnamed)" : p.name) << " from " << p.file.string() << "\n";
  if (!p.description.empty()) std::cout << "  " << p.description << "\n";
  for (const auto& d : p.plugin_paths) std::cout << "plugin path " << d.string() << "\n";
  const VariableRoute& d = p.route.defaults;
  std::cout << "route: below " << p.route.threshold << " a person is asked";
  for (const auto& [variable, t] : p.route.thresholds) std::cout << "; " << variable << " below " << t;
  std::cout << "\n  audit " << d.audit_share * 100 << "% of confident annotations (seed " << p.route.seed
            << "); tasks show " << d.context_chars << " characters each side of the span; budget "
            << (d.max_answers > 0 ? std::to_string(d.max_answers) + " answers" : std::string("no answer limit"))
            << (d.max_cost > 0 ? ", cost " + nlohmann::json(d.max_cost).dump() : std::string(", no cost limit"))
            << ", then an expert; stronger tiers "
            << (d.escalate_after > 0 ? "after every " + std::to_string(d.escalate_after) + " answers" : std::string("never"))
            << "; " << d.targeting.size() << (d.targeting.size() == 1 ? " targeting rule" : " targeting rules") << "\n";
  for (const auto& v : p.route.variables) {
    const VariableRoute r = p.route.for_variable(v.key);
    std::cout << "  " << v.key << ": below " << r.threshold << " asked"
              << (v.instructions ? "; instructions: " + *v.instructions : std::string()) << "\n";
  }
  for (Stage s : kStages) {
    const auto instances = p.in_stage(s);
    std::cout << "stage " << stage_name(s) << " (" << stage_kind(s) << "s): "
              << (instances.empty() ? "none" : std::to_string(instances.size())) << "\n";
    for (const InstanceSpec* i : instances) {
      std::cout << "  " << i->name << ": " << i->info->name << " " << i->info->version << " (" << i->info->status
                << (i->info->thread_safe ? ", thread-safe" : ", one call at a time") << ")\n"
                << "    loaded from " << i->info->path.string() << "\n"
                << "    config " << to_json(i->config).dump() << "\n";
    }
  }
}

int explain(const std::filesystem::path& file, bool json) {
  PluginHost host(make_services());
  PipelineLoad load;
  if (!load_and_report(file, host, load)) return kExitBadInput;
  if (json) std::cout << explain_json(*load.pipeline).dump(2) << "\n";
  else explain_text(*load.pipeline);
  return kExitOk;
}

}  // namespace

void add_validate(CLI::App& app, Command& chosen) {
  auto files = std::make_shared<std::vector<std::filesystem::path>>();
  auto* sub = app.add_subcommand("validate", "Check pipelines without running them; every error as file:line:column.");
  sub->add_option("PIPELINE", *files, "Pipeline YAML files")->required();
  sub->callback([&chosen, files] { chosen.run = [files] { return validate(*files); }; });
}

void add_explain(CLI::App& app, Command& chosen) {
  auto file = std::make_shared<std::filesystem::path>();
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand(
      "explain", "Print the resolved pipeline: stages, plugin instances, versions, where each was loaded from.");
  sub->add_option("PIPELINE", *file, "Pipeline YAML file")->required();
  sub->add_flag("--json", *json, "One JSON object instead of text");
  sub->callback([&chosen, file, json] { chosen.run = [file, json] { return explain(*file, *json); }; });
}

}  // namespace tandem::cli
