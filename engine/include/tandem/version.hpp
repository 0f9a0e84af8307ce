// tandem — version facts of this engine build.
// Thread-safety: pure functions.
#ifndef TANDEM_VERSION_HPP_
#define TANDEM_VERSION_HPP_

#include <cstdint>
#include <string>

#include "tandem/export.h"

namespace tandem {

// "1.0.0"
TANDEM_API std::string version();
// TANDEM_SDK_ABI_VERSION the engine was built with: the ABI plugins must have.
TANDEM_API std::uint32_t sdk_abi_version();
// TANDEM_SDK_TOOLCHAIN the engine was built with: "itanium/libstdc++/cxx11".
TANDEM_API std::string toolchain();

}  // namespace tandem

#endif  // TANDEM_VERSION_HPP_
