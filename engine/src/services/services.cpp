// make_services(): the engine's sdk::Services — a stderr logger, the system clock, date/tz and ICU.
#include "tandem/services.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

#include "services/locale_facts.hpp"
#include "services/logger.hpp"
#include "services/time_service.hpp"

namespace tandem {
namespace {

class SystemClock final : public sdk::Clock {
 public:
  std::chrono::sys_time<std::chrono::milliseconds> now() const noexcept override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

class EngineServices final : public sdk::Services {
 public:
  explicit EngineServices(const ServicesOptions& options) : logger_(stderr, options.min_level), time_(locale_) {}

  sdk::Logger& logger() noexcept override { return logger_; }
  const sdk::Clock& clock() const noexcept override { return clock_; }
  const sdk::TimeService& time() const noexcept override { return time_; }
  const sdk::LocaleFacts& locale() const noexcept override { return locale_; }

 private:
  detail::StreamLogger logger_;
  SystemClock clock_;
  detail::IcuLocaleFacts locale_;  // before time_, which keeps a reference to it
  detail::TzTimeService time_;
};

}  // namespace

std::shared_ptr<sdk::Services> make_services(const ServicesOptions& options) {
  return std::make_shared<EngineServices>(options);
}

}  // namespace tandem
