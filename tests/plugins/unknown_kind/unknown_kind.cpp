// A hand-written descriptor of this SDK whose kind, "transformer", is not one of the four kinds.
// Everything else is valid, so the kind is the only reason to refuse it.
// A standard header first: abi.h names the standard library from the macros its headers define.
#include <cstddef>

#include <tandem/sdk/abi.h>

namespace {

int check_config(const void*, void*, void*) { return 0; }
void* create(const tandem_create_args*) { return nullptr; }
void destroy(void*) {}

const tandem_plugin_info kInfo = {
    TANDEM_SDK_ABI_VERSION,
    static_cast<uint32_t>(sizeof(tandem_plugin_info)),
    TANDEM_SDK_TOOLCHAIN,
    "test.transformer.unknown_kind",
    "transformer",
    "1.0.0",
    "wip",
    "A kind tandem does not have (tests only)",
    R"({"type":"object"})",
    0u,
    0u,
    &check_config,
    &create,
    &destroy,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const void* tandem_plugin;
__attribute__((section("boostdll"))) const void* tandem_plugin = &kInfo;
