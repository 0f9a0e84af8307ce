// Internal: the engine's edge between code that may throw (ICU, date/tz, allocation) and the SDK's
// no-throw Result interfaces.
#ifndef TANDEM_ENGINE_UTIL_GUARDED_HPP_
#define TANDEM_ENGINE_UTIL_GUARDED_HPP_

#include <exception>
#include <string>
#include <string_view>

#include "tandem/sdk/status.hpp"

namespace tandem::detail {

// Runs `f` (returning sdk::Result<T>) and turns any exception into Status internal, "<context>: <what>".
template <typename T, typename F>
sdk::Result<T> guarded(std::string_view context, F&& f) noexcept {
  try {
    return f();
  } catch (const std::exception& e) {
    try {
      return sdk::Status::internal(std::string(context) + ": " + e.what());
    } catch (...) {
      return sdk::Status(sdk::Code::internal, {});
    }
  } catch (...) {
    return sdk::Status(sdk::Code::internal, {});
  }
}

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_UTIL_GUARDED_HPP_
