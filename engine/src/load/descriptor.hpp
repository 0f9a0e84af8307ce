// Internal: the checks of a plugin's C descriptor (sdk/include/tandem/sdk/abi.h), apart from the library
// that holds it, so that each rule can be tested on a descriptor built in memory.
//
// Order, as STYLE.md section 2 requires: abi_version first (nothing else is read when it differs), then
// info_size (no field past it is read), then the toolchain tag, then every other field at once.
//
// Thread-safety: pure functions.
#ifndef TANDEM_ENGINE_LOAD_DESCRIPTOR_HPP_
#define TANDEM_ENGINE_LOAD_DESCRIPTOR_HPP_

#include <string_view>

#include "tandem/plugin_host.hpp"
#include "tandem/sdk/abi.h"
#include "tandem/sdk/status.hpp"

namespace tandem::detail {

// The four kinds, as they are listed in messages: "extractor, estimator, backend, aggregator".
extern const std::string_view kPluginKindList;

// True for a dotted, lower-case plugin name ("acme.extractor.dates"): [a-z0-9_-] parts, at least two.
bool is_valid_plugin_name(std::string_view name) noexcept;

// The descriptor's facts as a PluginInfo (`path` left empty), or Status invalid_input whose message is
// the one-line reason the library is refused, e.g.
//   built for tandem SDK ABI 7, this engine speaks ABI 1: rebuild it against tandem 1.x
//   invalid descriptor: no name; kind "filter" is not one of extractor, estimator, backend, aggregator
// Precondition: `info` points at readable memory of at least sizeof(uint32_t) * 2 bytes.
sdk::Result<PluginInfo> check_descriptor(const tandem_plugin_info& info);

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_LOAD_DESCRIPTOR_HPP_
