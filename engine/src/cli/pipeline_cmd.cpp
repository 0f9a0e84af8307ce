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

nlohmann::ordered_json explain_json(const PipelineSpec& p) {
  nlohmann::ordered_json out = {{"file", p.file.string()}, {"name", p.name}, {"description", p.description}};
  out["plugin_paths"] = nlohmann::ordered_json::array();
  for (const auto& d : p.plugin_paths) out["plugin_paths"].push_back(d.string());
  out["route"] = {{"threshold", p.route.threshold}, {"thresholds", p.route.thresholds}};
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
  std::cout << "route: below " << p.route.threshold << " a person is asked";
  for (const auto& [variable, t] : p.route.thresholds) std::cout << "; " << variable << " below " << t;
  std::cout << "\n";
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
