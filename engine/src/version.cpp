#include "tandem/version.hpp"

#include "tandem/sdk/abi.h"

namespace tandem {

std::string version() { return TANDEM_VERSION_STRING; }
std::uint32_t sdk_abi_version() { return TANDEM_SDK_ABI_VERSION; }
std::string toolchain() { return TANDEM_SDK_TOOLCHAIN; }

}  // namespace tandem
