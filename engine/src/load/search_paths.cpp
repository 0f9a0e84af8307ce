#include "load/search_paths.hpp"

#include <dlfcn.h>
#include <link.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <algorithm>
#include <string>
#include <system_error>

namespace tandem::detail {
namespace {

// Any address inside the engine's own code or data will do; this one is ours for sure.
const char kEngineAnchor = 0;

}  // namespace

std::optional<EngineCodeFile> engine_code_file() {
  Dl_info info{};
  link_map* map = nullptr;
  if (dladdr1(&kEngineAnchor, &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0 || map == nullptr)
    return std::nullopt;
  std::error_code ec;
  EngineCodeFile out;
  // The loader names the main program "" in its link map (dladdr would then report argv[0], which may
  // be relative or a bare command name), so the executable's path comes from the kernel instead.
  if (map->l_name == nullptr || map->l_name[0] == '\0') {
    out.in_executable = true;
    out.file = boost::dll::program_location(ec);
  } else {
    out.file = std::filesystem::weakly_canonical(map->l_name, ec);
  }
  if (ec || out.file.empty()) return std::nullopt;
  return out;
}

std::filesystem::path bundled_plugin_dir(const EngineCodeFile& code, std::string_view subdir) {
  const std::filesystem::path dir = code.file.parent_path();
  const std::filesystem::path sub{std::string(subdir)};
  return (code.in_executable ? dir / ".." / "lib" / sub : dir / sub).lexically_normal();
}

std::vector<std::filesystem::path> plugin_search_paths(const std::vector<std::filesystem::path>& first,
                                                       const char* env_value,
                                                       const std::optional<std::filesystem::path>& bundled) {
  std::vector<std::filesystem::path> out;
  auto add = [&out](const std::filesystem::path& p) {
    if (p.empty()) return;
    std::filesystem::path normal = p.lexically_normal();
    // "dir/" and "dir" are one folder.
    if (!normal.has_filename() && normal.has_parent_path() && normal != normal.root_path())
      normal = normal.parent_path();
    if (std::find(out.begin(), out.end(), normal) == out.end()) out.push_back(std::move(normal));
  };
  for (const auto& p : first) add(p);
  if (env_value != nullptr) {
    const std::string_view env(env_value);
    std::size_t start = 0;
    while (start <= env.size()) {
      const std::size_t end = std::min(env.find(':', start), env.size());
      add(std::filesystem::path(std::string(env.substr(start, end - start))));
      start = end + 1;
    }
  }
  if (bundled) add(*bundled);
  return out;
}

}  // namespace tandem::detail
