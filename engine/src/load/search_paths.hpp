// Internal: where plugins are looked for — the pieces of PluginHost::search_paths, apart from the
// process environment, so that each rule can be tested.
//
// Thread-safety: pure functions, except engine_code_file(), which reads the dynamic loader's state
// (safe from any thread).
#ifndef TANDEM_ENGINE_LOAD_SEARCH_PATHS_HPP_
#define TANDEM_ENGINE_LOAD_SEARCH_PATHS_HPP_

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace tandem::detail {

// Where the engine's code is: the shared engine library when the engine is one, or the executable it is
// linked into (static unit tests). `in_executable` says which. nullopt when the loader cannot tell.
struct EngineCodeFile {
  std::filesystem::path file;  // absolute
  bool in_executable = false;
};
std::optional<EngineCodeFile> engine_code_file();

// The plugin folder of an installation (or a build tree, which has the same layout), from where the
// engine's code is: `<dir>/<subdir>` beside a library in a lib dir, `<dir>/../lib/<subdir>` for an
// executable in a bin dir. `subdir` is TANDEM_PLUGIN_SUBDIR ("tandem/plugins").
std::filesystem::path bundled_plugin_dir(const EngineCodeFile& code, std::string_view subdir);

// `first`, then the non-empty ':'-separated entries of `env_value` (TANDEM_PLUGIN_PATH; may be null),
// then `bundled` (if any); duplicates (after lexical normalisation) dropped, first occurrence kept.
std::vector<std::filesystem::path> plugin_search_paths(const std::vector<std::filesystem::path>& first,
                                                       const char* env_value,
                                                       const std::optional<std::filesystem::path>& bundled);

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_LOAD_SEARCH_PATHS_HPP_
