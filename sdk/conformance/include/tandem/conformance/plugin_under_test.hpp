// tandem conformance kit — a built plugin, loaded through the engine's real host, for a plugin's own
// behaviour tests (exact annotations, posteriors, files written).
//
//   tandem::conformance::PluginUnderTest plugin(PLUGIN_FILE);   // the .so, e.g. $<TARGET_FILE:...>
//   auto extractor = plugin.extractor("variable: event_type\ncues: {meeting: [meet]}\n");
//   std::vector<tandem::sdk::Annotation> out;
//   ASSERT_TRUE(extractor->extract(message, out).is_ok());
//   EXPECT_EQ(plugin.take_log(), std::vector<std::string>{});
//
// Services are the engine's real ones (make_services: date/tz, ICU), except that log lines are captured
// instead of printed and the clock can be pinned.
//
// Thread-safety: the instances it makes are as thread-safe as the plugin says; the PluginUnderTest
// itself (config_errors, the factories, set_now) is for one thread; take_log may run at any time.
// Ownership: instances hold the library; they may outlive the PluginUnderTest.
#ifndef TANDEM_CONFORMANCE_PLUGIN_UNDER_TEST_HPP_
#define TANDEM_CONFORMANCE_PLUGIN_UNDER_TEST_HPP_

#include <chrono>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/plugin_host.hpp"
#include "tandem/sdk/aggregator.hpp"
#include "tandem/sdk/backend.hpp"
#include "tandem/sdk/config.hpp"
#include "tandem/sdk/estimator.hpp"
#include "tandem/sdk/extractor.hpp"

namespace tandem::sdk {
// GoogleTest prints spans in failure messages as "[begin, end)".
inline void PrintTo(const Span& s, std::ostream* os) { *os << "[" << s.begin << ", " << s.end << ")"; }
}  // namespace tandem::sdk

namespace tandem::conformance {

class PluginUnderTest {
 public:
  // Loads `library` through a PluginHost. Throws std::runtime_error with the host's one-line reason
  // when it refuses the file.
  explicit PluginUnderTest(const std::filesystem::path& library);
  ~PluginUnderTest();
  PluginUnderTest(const PluginUnderTest&) = delete;
  PluginUnderTest& operator=(const PluginUnderTest&) = delete;

  const PluginInfo& info() const noexcept;

  // Every error the config text gives: YAML syntax, the schema, the plugin's own check, and (when those
  // pass) what the constructor reports. `file` names the text in errors; relative paths a plugin reads
  // from its config are relative to its folder.
  std::vector<sdk::ConfigError> config_errors(std::string_view yaml, const std::string& file = "test.yaml");

  // An instance made from the config text, called "test". Throws std::runtime_error listing the
  // config errors when none can be made.
  std::shared_ptr<sdk::Extractor> extractor(std::string_view yaml, const std::string& file = "test.yaml");
  std::shared_ptr<sdk::Estimator> estimator(std::string_view yaml, const std::string& file = "test.yaml");
  std::shared_ptr<sdk::Backend> backend(std::string_view yaml, const std::string& file = "test.yaml");
  std::shared_ptr<sdk::Aggregator> aggregator(std::string_view yaml, const std::string& file = "test.yaml");

  // The lines logged through the services since the last call, as "warning: test: message", and clears
  // them.
  std::vector<std::string> take_log();
  // From now on the services' clock says `now` (it runs with the system clock until this is called).
  void set_now(std::chrono::sys_time<std::chrono::milliseconds> now);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::conformance

#endif  // TANDEM_CONFORMANCE_PLUGIN_UNDER_TEST_HPP_
