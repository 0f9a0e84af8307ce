// tandem — the C++ embedding API: open a pipeline, run messages through it.
//
//   auto opened = tandem::Engine::open("config/default.yaml");
//   if (!opened.engine) { for (auto& e : opened.errors) std::cerr << e << "\n"; return 1; }
//   tandem::MessageResult r = opened.engine->process(message);
//
// A plugin that fails or throws never takes the engine down: the message's result is `failed`, the
// error names the stage, the instance and the plugin, and `retryable` says whether running it again may
// help. What earlier stages produced is kept in the result.
//
// Thread-safety: process() may be called from many threads at once; calls into an instance whose
// plugin does not declare thread_safe are serialised by the engine.
#ifndef TANDEM_ENGINE_HPP_
#define TANDEM_ENGINE_HPP_

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tandem/export.h"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem {

// A variable whose top candidate is under its threshold: what the route stage would ask people.
struct Unsure {
  std::string variable;
  double top_p = 0;
  double threshold = 0;
};

struct MessageResult {
  enum class State { done, failed };
  State state = State::done;
  bool retryable = false;             // only meaningful when failed
  std::string error;                  // "stage extract, instance 'cues' (tandem.extractor.cue_words 1.0.0): ..."
  std::vector<sdk::Annotation> annotations;
  std::vector<Unsure> unsure;
};

class TANDEM_API Engine {
 public:
  struct Opened {
    std::unique_ptr<Engine> engine;    // null when `errors` is not empty
    std::vector<std::string> errors;   // "file:line:column: error: ..." lines, sorted
    std::vector<std::string> warnings; // plugin libraries refused during the search, one line each
  };
  // Loads and validates the pipeline and creates every plugin instance.
  static Opened open(const std::filesystem::path& pipeline, std::shared_ptr<sdk::Services> services = nullptr);

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  MessageResult process(const sdk::Message& message);
  // The same with annotations made before the extractors ran (read_mail's `context`: sender.zone,
  // sender.locale, in tandem/intake.hpp): they come first in the result, are checked like an extractor's,
  // are not recalibrated by estimators, and are routed like every other annotation.
  MessageResult process(const sdk::Message& message, const std::vector<sdk::Annotation>& given);

  const PipelineSpec& pipeline() const noexcept;
  const PluginHost& host() const noexcept;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem

#endif  // TANDEM_ENGINE_HPP_
