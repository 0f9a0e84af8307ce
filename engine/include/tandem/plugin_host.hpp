// tandem — the plugin host: finds plugin libraries, loads them with Boost.DLL, checks their descriptor,
// checks instance configs against each plugin's schema, and makes instances.
//
// Refusals are one line each, naming the file and the reason: not a tandem plugin, a different SDK ABI
// or toolchain, a descriptor field missing or malformed, a second plugin with a name already loaded.
// A refused file never stops the others from loading.
//
// Lifetime: every object made by a plugin holds a reference to its library, so the library stays
// loaded while any such object lives, even after the PluginHost is gone.
//
// Thread-safety: loading (load, load_directory, load_all) needs exclusive access; the const methods and
// make_* may be called from many threads once loading is done.
#ifndef TANDEM_PLUGIN_HOST_HPP_
#define TANDEM_PLUGIN_HOST_HPP_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/aggregator.hpp"
#include "tandem/sdk/backend.hpp"
#include "tandem/sdk/config.hpp"
#include "tandem/sdk/estimator.hpp"
#include "tandem/sdk/extractor.hpp"
#include "tandem/sdk/services.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem {

// What `tandem plugins` shows of one loaded plugin.
struct PluginInfo {
  std::string name;           // "tandem.aggregator.majority_vote"
  std::string kind;           // "extractor" | "estimator" | "backend" | "aggregator"
  std::string version;        // the plugin's own version
  std::string status;         // "stable" | "alpha" | "wip"
  std::string summary;
  std::string config_schema;  // JSON Schema text
  std::string toolchain;
  std::uint32_t abi_version = 0;
  bool thread_safe = false;
  std::filesystem::path path;  // the library file, absolute
};

// A file the host refused, and why, in one line.
struct LoadProblem {
  std::filesystem::path path;
  std::string reason;
  std::string to_string() const { return path.string() + ": " + reason; }
};

class TANDEM_API PluginHost {
 public:
  // `services` is handed to every plugin; nullptr: make_services().
  explicit PluginHost(std::shared_ptr<sdk::Services> services = nullptr);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // The directories searched, in order: `first` (a pipeline's plugin_paths), then the entries of
  // TANDEM_PLUGIN_PATH (':'-separated), then lib/tandem/plugins beside the engine's own code (the
  // install prefix's; the build tree has the same layout).
  static std::vector<std::filesystem::path> search_paths(const std::vector<std::filesystem::path>& first = {});

  // Loads one library file. The error's message is the one-line reason (with the path).
  // Loading the same file again returns the plugin already loaded.
  sdk::Result<const PluginInfo*> load(const std::filesystem::path& file);
  // Loads every shared library (*.so) directly in `dir`; returns one problem per refused file.
  // A directory that does not exist is a problem too.
  std::vector<LoadProblem> load_directory(const std::filesystem::path& dir);
  // load_directory over each path; a missing directory is skipped silently when `missing_ok`.
  std::vector<LoadProblem> load_all(const std::vector<std::filesystem::path>& dirs, bool missing_ok = true);

  // By full name, or by the last dotted part when that is unique ("majority_vote").
  const PluginInfo* find(std::string_view name) const;
  // Every loaded plugin, sorted by name.
  std::vector<const PluginInfo*> plugins() const;
  std::vector<std::string> names() const;

  // Checks `config` against the plugin's schema (types, ranges, enums, required and unknown keys) and
  // then against the plugin's own check; adds "file:line:column" errors to `errors`.
  // Returns `config` with schema defaults filled in (defaults carry no line).
  sdk::ConfigNode check_config(const PluginInfo& plugin, const sdk::ConfigNode& config, sdk::ConfigErrors& errors) const;

  // Makes an instance called `instance`. On failure returns nullptr and says why in `errors`
  // (config problems, a factory that failed, a kind that does not match).
  std::shared_ptr<sdk::Extractor> make_extractor(const PluginInfo& plugin, std::string_view instance,
                                                 const sdk::ConfigNode& config, sdk::ConfigErrors& errors);
  std::shared_ptr<sdk::Estimator> make_estimator(const PluginInfo& plugin, std::string_view instance,
                                                 const sdk::ConfigNode& config, sdk::ConfigErrors& errors);
  std::shared_ptr<sdk::Backend> make_backend(const PluginInfo& plugin, std::string_view instance,
                                             const sdk::ConfigNode& config, sdk::ConfigErrors& errors);
  std::shared_ptr<sdk::Aggregator> make_aggregator(const PluginInfo& plugin, std::string_view instance,
                                                   const sdk::ConfigNode& config, sdk::ConfigErrors& errors);

  sdk::Services& services() const noexcept;
  const std::shared_ptr<sdk::Services>& shared_services() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem

#endif  // TANDEM_PLUGIN_HOST_HPP_
