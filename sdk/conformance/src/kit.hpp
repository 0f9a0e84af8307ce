// Internal to the conformance kit: the state shared by its checks, and the helpers they use.
//
// The kit loads one plugin library through the engine's public API (PluginHost, parse_config_yaml,
// make_services), registers GoogleTest tests for it programmatically, and runs them. See README.md.
//
// Thread-safety: the Kit is set up by main() before any test runs and only read afterwards, except for
// the temporary folders (handed out under a mutex).
// Ownership: the Kit owns the host, the services and every temporary folder; instances made for a test
// belong to that test and die before the Kit.
#ifndef TANDEM_CONFORMANCE_SRC_KIT_HPP_
#define TANDEM_CONFORMANCE_SRC_KIT_HPP_

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/plugin_host.hpp"
#include "tandem/sdk/config.hpp"
#include "tandem/sdk/services.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::conformance::detail {

namespace fs = std::filesystem;

// The placeholder a config may use for a fresh temporary folder.
inline constexpr std::string_view kTmpdirPlaceholder = "${TMPDIR_TANDEM}";

struct Options {
  fs::path plugin;
  std::optional<fs::path> config;
  std::vector<fs::path> bad_configs;
  sdk::LogLevel log_level = sdk::LogLevel::error;
  bool keep_temp = false;
};

// An instance of the plugin under test, of whichever kind it is.
struct Instance {
  std::shared_ptr<sdk::Extractor> extractor;
  std::shared_ptr<sdk::Estimator> estimator;
  std::shared_ptr<sdk::Backend> backend;
  std::shared_ptr<sdk::Aggregator> aggregator;
  fs::path temp_dir;                      // what ${TMPDIR_TANDEM} became for it
  std::vector<sdk::ConfigError> errors;   // why it could not be made
  explicit operator bool() const noexcept { return extractor || estimator || backend || aggregator; }
};

class Kit {
 public:
  Options options;
  std::shared_ptr<sdk::Services> services;
  std::unique_ptr<PluginHost> host;
  const PluginInfo* info = nullptr;  // null when the library did not load
  std::string load_error;

  // The instance config as text, before substitution: --config's content, or "{}".
  std::string config_template;
  std::string config_name;  // the file name errors are reported against

  // A new empty folder under the kit's temporary root.
  fs::path fresh_temp_dir();
  void remove_temp_root() noexcept;

  // The config with ${TMPDIR_TANDEM} replaced by `dir`, parsed.
  sdk::ConfigNode usable_config(const fs::path& dir, sdk::ConfigErrors& errors) const;
  // An instance made from the usable config (with a fresh temporary folder).
  Instance make_instance();
  // The same with a given config node.
  Instance make_instance(const sdk::ConfigNode& config, fs::path temp_dir);

  // Every string written in the usable config (keys and scalars), for inputs that reach the plugin's
  // configured paths ("grab coffee" for a cue extractor, "time.polarity" for a per-variable estimator).
  std::vector<std::string> config_words() const;

 private:
  std::mutex mu_;
  fs::path temp_root_;
  int next_temp_ = 0;
};

Kit& kit();

// Adds one test to the GoogleTest registry.
void add_test(const std::string& suite, const std::string& name, std::function<void()> body);
// "a_b_c" from anything: test names must not hold GoogleTest's filter characters.
std::string test_name(std::string_view text);

// Marks what the plugin is being asked to do, so that a crash names it. RAII; main thread use only.
class Activity {
 public:
  explicit Activity(std::string what);
  ~Activity();
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;
};
void install_crash_reporter();

// "file:line:column: error: path: message" for each error, one per line, indented.
std::string list_errors(const std::vector<sdk::ConfigError>& errors);
// Problems with a distribution an output must have (non-empty, finite, in [0, 1], summing to 1 within
// 1e-9, values unique); empty when it is fine.
std::vector<std::string> distribution_problems(const sdk::Distribution& d);
// A printable, shortened form of possibly binary text.
std::string printable(std::string_view text, std::size_t max = 60);

// YAML written by the kit, one root entry per line (nested values in flow style), so that the
// position of everything it writes is known. Scalars quoted in the source stay double-quoted; plain
// ones stay plain where that is safe.
class YamlWriter {
 public:
  YamlWriter();  // starts with a comment line, so nothing a check looks at is on line 1
  // Writes the entries of a root map, except `skip_key` (any other node writes nothing).
  void root_entries(const sdk::ConfigNode& root, std::string_view skip_key = {});
  // Writes "key: value_text" at the root; returns its line. The key is at column 1, the value at
  // column key_text(key).size() + 3.
  int add_entry(std::string_view key, std::string_view value_text);
  const std::string& text() const noexcept { return out_; }

  static std::string key_text(std::string_view key);
  static std::string flow(const sdk::ConfigNode& n);

 private:
  std::string out_;
  int lines_ = 0;
};

void register_descriptor_tests(Kit& k);
void register_config_tests(Kit& k);
void register_hostile_tests(Kit& k);
void register_thread_tests(Kit& k);

}  // namespace tandem::conformance::detail

#endif  // TANDEM_CONFORMANCE_SRC_KIT_HPP_
