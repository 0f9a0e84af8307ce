// tandem SDK — internal: runs a plugin hook and turns anything it throws into a Status.
//
// Inline on purpose: it is compiled into the plugin, so an exception is caught in the library that
// threw it and never unwinds through the host (Boost.DLL "Missuses": exception objects and their code
// live in the plugin).
#ifndef TANDEM_SDK_DETAIL_GUARD_HPP_
#define TANDEM_SDK_DETAIL_GUARD_HPP_

#include <exception>
#include <new>
#include <string>

#include "tandem/sdk/status.hpp"

namespace tandem::sdk::detail {

template <typename Hook>
Status guard(Hook&& hook) noexcept {
  try {
    return hook();
  } catch (const std::bad_alloc&) {
    return Status::plugin_failed("out of memory");
  } catch (const std::exception& e) {
    try {
      return Status::plugin_failed(std::string("threw: ") + e.what());
    } catch (...) {
      return Status(Code::plugin_failed, {});
    }
  } catch (...) {
    return Status(Code::plugin_failed, "threw a non-standard exception");
  }
}

}  // namespace tandem::sdk::detail

#endif  // TANDEM_SDK_DETAIL_GUARD_HPP_
