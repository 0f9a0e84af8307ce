#include "tandem/conformance/plugin_under_test.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "tandem/pipeline.hpp"
#include "tandem/services.hpp"

namespace tandem::conformance {
namespace {

std::string_view level_name(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::debug: return "debug";
    case sdk::LogLevel::info: return "info";
    case sdk::LogLevel::warning: return "warning";
    case sdk::LogLevel::error: return "error";
  }
  return "log";
}

class CapturingLogger final : public sdk::Logger {
 public:
  void log(sdk::LogLevel level, std::string_view source, std::string_view message) noexcept override {
    try {
      std::string line(level_name(level));
      line.append(": ").append(source).append(": ").append(message);
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(std::move(line));
    } catch (...) {  // a logger never throws; a line lost to out-of-memory is acceptable in a test
    }
  }
  std::vector<std::string> take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    out.swap(lines_);
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

class PinnableClock final : public sdk::Clock {
 public:
  explicit PinnableClock(const sdk::Clock& real) : real_(real) {}
  std::chrono::sys_time<std::chrono::milliseconds> now() const noexcept override {
    return pinned_.load() ? std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms_.load()))
                          : real_.now();
  }
  void pin(std::chrono::sys_time<std::chrono::milliseconds> t) {
    ms_.store(t.time_since_epoch().count());
    pinned_.store(true);
  }

 private:
  const sdk::Clock& real_;
  std::atomic<bool> pinned_{false};
  std::atomic<long long> ms_{0};
};

// The engine's services with the logger and the clock replaced.
class TestServices final : public sdk::Services {
 public:
  TestServices() : real_(make_services()), clock_(real_->clock()) {}
  sdk::Logger& logger() noexcept override { return logger_; }
  const sdk::Clock& clock() const noexcept override { return clock_; }
  const sdk::TimeService& time() const noexcept override { return real_->time(); }
  const sdk::LocaleFacts& locale() const noexcept override { return real_->locale(); }

  CapturingLogger& capture() noexcept { return logger_; }
  PinnableClock& pinnable_clock() noexcept { return clock_; }

 private:
  std::shared_ptr<sdk::Services> real_;
  CapturingLogger logger_;
  PinnableClock clock_;
};

std::string describe(const std::vector<sdk::ConfigError>& errors) {
  std::string s = "the plugin made no instance:";
  for (const auto& e : errors) s += "\n  " + e.to_string();
  return s;
}

}  // namespace

struct PluginUnderTest::Impl {
  std::shared_ptr<TestServices> services = std::make_shared<TestServices>();
  std::unique_ptr<PluginHost> host = std::make_unique<PluginHost>(services);
  const PluginInfo* info = nullptr;

  template <typename T, typename Make>
  std::shared_ptr<T> make(std::string_view yaml, const std::string& file, Make make_fn) {
    sdk::ConfigErrors errors;
    const sdk::ConfigNode node = parse_config_yaml(yaml, file, errors);
    std::shared_ptr<T> made;
    if (errors.empty()) made = make_fn(*info, "test", node, errors);
    if (!made) throw std::runtime_error(describe(errors.all()));
    return made;
  }
};

PluginUnderTest::PluginUnderTest(const std::filesystem::path& library) : impl_(std::make_unique<Impl>()) {
  auto loaded = impl_->host->load(library);
  if (!loaded) throw std::runtime_error("cannot load " + library.string() + ": " + loaded.status().message());
  impl_->info = loaded.value();
}

PluginUnderTest::~PluginUnderTest() = default;

const PluginInfo& PluginUnderTest::info() const noexcept { return *impl_->info; }

std::vector<sdk::ConfigError> PluginUnderTest::config_errors(std::string_view yaml, const std::string& file) {
  sdk::ConfigErrors errors;
  const sdk::ConfigNode node = parse_config_yaml(yaml, file, errors);
  if (!errors.empty()) return errors.all();
  impl_->host->check_config(*impl_->info, node, errors);
  if (!errors.empty()) return errors.all();
  const std::string& kind = impl_->info->kind;
  PluginHost& host = *impl_->host;
  if (kind == "extractor") host.make_extractor(*impl_->info, "test", node, errors);
  else if (kind == "estimator") host.make_estimator(*impl_->info, "test", node, errors);
  else if (kind == "backend") host.make_backend(*impl_->info, "test", node, errors);
  else if (kind == "aggregator") host.make_aggregator(*impl_->info, "test", node, errors);
  return errors.all();
}

std::shared_ptr<sdk::Extractor> PluginUnderTest::extractor(std::string_view yaml, const std::string& file) {
  return impl_->make<sdk::Extractor>(yaml, file, [this](auto&&... a) { return impl_->host->make_extractor(a...); });
}
std::shared_ptr<sdk::Estimator> PluginUnderTest::estimator(std::string_view yaml, const std::string& file) {
  return impl_->make<sdk::Estimator>(yaml, file, [this](auto&&... a) { return impl_->host->make_estimator(a...); });
}
std::shared_ptr<sdk::Backend> PluginUnderTest::backend(std::string_view yaml, const std::string& file) {
  return impl_->make<sdk::Backend>(yaml, file, [this](auto&&... a) { return impl_->host->make_backend(a...); });
}
std::shared_ptr<sdk::Aggregator> PluginUnderTest::aggregator(std::string_view yaml, const std::string& file) {
  return impl_->make<sdk::Aggregator>(yaml, file, [this](auto&&... a) { return impl_->host->make_aggregator(a...); });
}

std::vector<std::string> PluginUnderTest::take_log() { return impl_->services->capture().take(); }

void PluginUnderTest::set_now(std::chrono::sys_time<std::chrono::milliseconds> now) {
  impl_->services->pinnable_clock().pin(now);
}

}  // namespace tandem::conformance
