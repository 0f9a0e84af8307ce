// Foundation benchmarks, each against a baseline measured in the same run:
//  - a call through a plugin interface loaded with Boost.DLL vs the same plugin code linked into this
//    program (a light call: temperature scaling of two annotations; a real one: cue_words on a message);
//  - loading and validating a 50-instance pipeline vs a plain yaml-cpp parse of the same text.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "estimator_temperature/temperature.hpp"
#include "extractor_cue_words/cue_words.hpp"
#include "ratio_reporter.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/services.hpp"

namespace tandem::bench {
namespace {

const std::filesystem::path kPluginDir = TANDEM_BUILD_PLUGIN_DIR;

sdk::ConfigNode yaml_node(const std::string& text) {
  sdk::ConfigErrors errors;
  sdk::ConfigNode node = parse_config_yaml(text, "bench.yaml", errors);
  if (!errors.empty()) throw std::runtime_error(errors.all().front().to_string());
  return node;
}

struct Fixture {
  std::shared_ptr<sdk::Services> services = make_services();
  PluginHost host{services};
  sdk::Message message;
  std::shared_ptr<sdk::Extractor> cue_words_loaded;
  std::unique_ptr<sdk::Extractor> cue_words_direct;
  std::shared_ptr<sdk::Estimator> temperature_loaded;
  std::unique_ptr<sdk::Estimator> temperature_direct;
  std::vector<sdk::Annotation> annotations;

  Fixture() {
    for (const auto& p : host.load_all({kPluginDir}, false)) throw std::runtime_error(p.to_string());
    message.text =
        "Hi Dana,\n\nI'm out next week, but could we grab coffee the Tuesday after at 3? If that does not work, "
        "a quick call on Wednesday morning would be fine too, or we could simply meet for lunch.\n\nThanks,\nSam\n";
    const sdk::ConfigNode cues = yaml_node(
        "variable: request\ncues:\n  schedule: [meet, \"grab coffee\", \"catch up\", lunch, call]\n"
        "  cancel: [cancel, \"call off\"]\n  reschedule: [reschedule, postpone, \"move our\"]\n");
    const sdk::ConfigNode temp = yaml_node("temperature: 1.5\n");

    sdk::ConfigErrors errors;
    cue_words_loaded = host.make_extractor(*host.find("tandem.extractor.cue_words"), "cues", cues, errors);
    temperature_loaded = host.make_estimator(*host.find("tandem.estimator.temperature"), "temp", temp, errors);
    if (!errors.empty() || !cue_words_loaded || !temperature_loaded)
      throw std::runtime_error("cannot make the loaded plugins");
    const sdk::PluginContext cue_ctx("cues", cues, *services, errors);
    cue_words_direct = std::make_unique<plugins::CueWords>(cue_ctx);
    const sdk::PluginContext temp_ctx("temp", temp, *services, errors);
    temperature_direct = std::make_unique<plugins::Temperature>(temp_ctx);

    for (const char* name : {"request", "event_type"}) {
      sdk::Annotation a;
      a.variable.name = name;
      a.variable.distribution = sdk::Distribution({{"a", 0.7}, {"b", 0.2}, {"c", 0.1}});
      annotations.push_back(a);
    }
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void extract_with(benchmark::State& state, sdk::Extractor& x) {
  const sdk::Message& msg = fixture().message;
  std::vector<sdk::Annotation> out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(x.extract(msg, out));
    benchmark::DoNotOptimize(out.data());
  }
}
void BM_CueWords_Plugin(benchmark::State& s) { extract_with(s, *fixture().cue_words_loaded); }
void BM_CueWords_Direct(benchmark::State& s) { extract_with(s, *fixture().cue_words_direct); }

void estimate_with(benchmark::State& state, sdk::Estimator& x) {
  const sdk::Message& msg = fixture().message;
  std::vector<sdk::Annotation> work = fixture().annotations;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x.estimate(msg, work));
    benchmark::ClobberMemory();
  }
}
void BM_Temperature_Plugin(benchmark::State& s) { estimate_with(s, *fixture().temperature_loaded); }
void BM_Temperature_Direct(benchmark::State& s) { estimate_with(s, *fixture().temperature_direct); }

// 50 plugin instances over the four stages, each with its own config, as an operator might write them.
std::string fifty_instance_pipeline() {
  std::ostringstream y;
  y << "tandem: 1\nname: fifty\nroute:\n  threshold: 0.8\n  thresholds: {request: 0.9, event_type: 0.7}\n"
    << "stages:\n  extract:\n";
  for (int i = 0; i < 20; ++i)
    y << "    - plugin: tandem.extractor.cue_words\n      name: cues_" << i << "\n      config:\n"
      << "        variable: v" << i << "\n        cues:\n"
      << "          schedule: [meet, \"grab coffee\", \"catch up\", lunch, call]\n"
      << "          cancel: [cancel, \"call off\"]\n          reschedule: [reschedule, postpone]\n"
      << "        prior_weight: 0.5\n";
  y << "  estimate:\n";
  for (int i = 0; i < 10; ++i)
    y << "    - plugin: temperature\n      name: temp_" << i << "\n      config: {temperature: 1." << i
      << ", per_variable: {v1: 2.0, time.polarity: 1.2}}\n";
  y << "  human:\n";
  for (int i = 0; i < 10; ++i)
    y << "    - plugin: tandem.backend.file\n      name: folder_" << i << "\n      config: {inbox: tasks/in" << i
      << ", answers: tasks/out" << i << ", create_dirs: false}\n";
  y << "  aggregate:\n";
  for (int i = 0; i < 10; ++i)
    y << "    - plugin: majority_vote\n      name: vote_" << i << "\n      config: {model_weight: " << i << "}\n";
  return y.str();
}

const std::string& pipeline_text() {
  static const std::string text = fifty_instance_pipeline();
  return text;
}

void BM_Pipeline_YamlCppParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(YAML::Load(pipeline_text()));
}

// Validation proper: plugins already loaded in the host.
void BM_Pipeline_ParseAndValidate(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    PipelineLoad load = parse_pipeline(pipeline_text(), "fifty.yaml", kPluginDir, f.host);
    if (!load.ok()) {
      state.SkipWithError(load.errors.empty() ? "invalid" : load.errors.front().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(load);
  }
}

// What `tandem validate` does: a fresh host, plugins found and loaded from disk, the file read and checked.
void BM_Pipeline_LoadFromDisk(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "tandem_bench_pipeline";
  std::filesystem::create_directories(dir);
  const auto file = dir / "fifty.yaml";
  std::ofstream(file) << "plugin_paths: [\"" << kPluginDir.string() << "\"]\n" << pipeline_text();
  for (auto _ : state) {
    PluginHost host(fixture().services);
    PipelineLoad load = load_pipeline(file, host);
    if (!load.ok()) {
      state.SkipWithError(load.errors.empty() ? "invalid" : load.errors.front().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(load);
  }
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_Temperature_Direct);
BENCHMARK(BM_Temperature_Plugin);
BENCHMARK(BM_CueWords_Direct);
BENCHMARK(BM_CueWords_Plugin);
BENCHMARK(BM_Pipeline_YamlCppParse)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Pipeline_ParseAndValidate)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Pipeline_LoadFromDisk)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  return tandem::bench::run_with_ratios(argc, argv,
                                        {{"BM_Temperature_Plugin", "BM_Temperature_Direct"},
                                         {"BM_CueWords_Plugin", "BM_CueWords_Direct"},
                                         {"BM_Pipeline_ParseAndValidate", "BM_Pipeline_YamlCppParse"},
                                         {"BM_Pipeline_LoadFromDisk", "BM_Pipeline_YamlCppParse"}});
}
