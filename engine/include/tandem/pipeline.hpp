// tandem — pipelines: the YAML file an operator writes, read and validated as a whole before anything
// runs.
//
//   tandem: 1                       # format version (required)
//   name: default
//   plugin_paths: [../build/plugins] # searched before TANDEM_PLUGIN_PATH; relative to this file
//   route: {threshold: 0.8, thresholds: {request: 0.9}}
//   stages:
//     extract:   [{plugin: tandem.extractor.cue_words, name: request_cues, config: {...}}]
//     estimate:  [...]
//     human:     [...]
//     aggregate: [...]
//
// Every problem is reported at once, each as "file:line:column: error: key.path: what was expected,
// what was found (did you mean ...?)", sorted by position. config/README.md is the reference of keys.
//
// Thread-safety: load_pipeline needs exclusive use of `host` (it loads plugins); a PipelineSpec is an
// immutable value once returned.
#ifndef TANDEM_PIPELINE_HPP_
#define TANDEM_PIPELINE_HPP_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/plugin_host.hpp"
#include "tandem/sdk/config.hpp"

namespace tandem {

// The stages that hold plugin instances, in the order a message meets them.
enum class Stage { extract, estimate, human, aggregate };
inline constexpr Stage kStages[] = {Stage::extract, Stage::estimate, Stage::human, Stage::aggregate};
// "extract", "estimate", "human", "aggregate"
TANDEM_API std::string_view stage_name(Stage stage);
// The plugin kind a stage takes: "extractor", "estimator", "backend", "aggregator".
TANDEM_API std::string_view stage_kind(Stage stage);

struct InstanceSpec {
  Stage stage = Stage::extract;
  std::string name;                 // unique in the pipeline; defaults to the plugin's last dotted part
  std::string plugin;               // as written in the file
  const PluginInfo* info = nullptr; // the plugin it resolved to (owned by the PluginHost)
  sdk::ConfigNode config;           // schema-checked, defaults filled in
  sdk::Mark mark;                   // where the instance entry starts
};

struct RouteSpec {
  double threshold = 0.8;                    // the top candidate's probability needed to skip people
  std::map<std::string, double> thresholds;  // per variable name, overriding `threshold`
  double threshold_for(std::string_view variable) const {
    auto it = thresholds.find(std::string(variable));
    return it == thresholds.end() ? threshold : it->second;
  }
};

struct PipelineSpec {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<std::filesystem::path> plugin_paths;  // absolute
  RouteSpec route;
  std::vector<InstanceSpec> instances;              // grouped by stage in kStages order, file order within

  std::vector<const InstanceSpec*> in_stage(Stage stage) const {
    std::vector<const InstanceSpec*> out;
    for (const auto& i : instances)
      if (i.stage == stage) out.push_back(&i);
    return out;
  }
};

struct PipelineLoad {
  std::optional<PipelineSpec> pipeline;   // set when there are no errors
  std::vector<sdk::ConfigError> errors;   // sorted by position
  std::vector<LoadProblem> plugin_problems;  // libraries refused while searching (not fatal by themselves)
  bool ok() const noexcept { return pipeline.has_value() && errors.empty(); }
};

// Reads `file`, loads plugins from its plugin_paths and PluginHost::search_paths() into `host`, and
// validates everything: the file's own keys, each instance's plugin, stage and name, and each instance's
// config against its plugin's schema and check.
TANDEM_API PipelineLoad load_pipeline(const std::filesystem::path& file, PluginHost& host);
// The same for YAML text; `file_name` is used in messages, `base_dir` resolves relative plugin_paths.
TANDEM_API PipelineLoad parse_pipeline(std::string_view yaml, const std::string& file_name,
                                       const std::filesystem::path& base_dir, PluginHost& host);

// YAML text to a ConfigNode with marks (for plugin configs given on their own, e.g. by the conformance
// kit). Syntax errors go to `errors` with their position; the result is then a null node.
TANDEM_API sdk::ConfigNode parse_config_yaml(std::string_view yaml, const std::string& file_name,
                                             sdk::ConfigErrors& errors);

// The reference of a plugin's config keys, generated from its schema, as Markdown list lines (what
// `tandem plugins --markdown` prints and config/README.md embeds).
TANDEM_API std::string config_reference(const PluginInfo& plugin);

}  // namespace tandem

#endif  // TANDEM_PIPELINE_HPP_
