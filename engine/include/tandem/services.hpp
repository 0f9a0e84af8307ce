// tandem — the engine's implementation of the SDK services (logger, clock, date/tz, ICU locale facts).
//
// Thread-safety: the returned object may be used from many threads at once.
#ifndef TANDEM_SERVICES_HPP_
#define TANDEM_SERVICES_HPP_

#include <memory>
#include <string>

#include "tandem/export.h"
#include "tandem/sdk/services.hpp"

namespace tandem {

struct ServicesOptions {
  // Log lines at or above this level go to stderr as "tandem: <level>: <source>: <message>".
  sdk::LogLevel min_level = sdk::LogLevel::info;
};

// Real services: the system clock, the system tz database through date/tz, ICU's locale data.
TANDEM_API std::shared_ptr<sdk::Services> make_services(const ServicesOptions& options = {});

}  // namespace tandem

#endif  // TANDEM_SERVICES_HPP_
