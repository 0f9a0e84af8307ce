// plugins/common — where a plugin's own files are: the folder of the shared library it was loaded from (the
// build and the install put a plugin's data folder next to it). Header-only.
//
// Thread-safety: a pure function. Ownership: returns a value.
#ifndef TANDEM_PLUGINS_COMMON_LIBRARY_DIR_HPP_
#define TANDEM_PLUGINS_COMMON_LIBRARY_DIR_HPP_

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace tandem::plugins::common {

// The folder of the library that holds `address` — pass a function of the calling plugin's own (an inline
// function of this header could be one copy shared by several libraries), "" when it cannot be told.
inline std::filesystem::path library_dir_of(const void* address) {
  Dl_info info{};
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code ec;
  auto p = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) p = info.dli_fname;
  return p.parent_path();
}

}  // namespace tandem::plugins::common

#endif  // TANDEM_PLUGINS_COMMON_LIBRARY_DIR_HPP_
