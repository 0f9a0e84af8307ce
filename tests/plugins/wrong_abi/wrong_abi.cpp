// A hand-written descriptor claiming SDK ABI 999, exported the way TANDEM_PLUGIN exports one (an exported
// `const void* tandem_plugin` in section "boostdll"). Every other field is deliberately wrong (size 0,
// no toolchain, no name): a host that read past abi_version would report those instead.
#include <tandem/sdk/abi.h>

namespace {

const tandem_plugin_info kInfo = {
    999u, 0u, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 0u, 0u, nullptr, nullptr, nullptr,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const void* tandem_plugin;
__attribute__((section("boostdll"))) const void* tandem_plugin = &kInfo;
