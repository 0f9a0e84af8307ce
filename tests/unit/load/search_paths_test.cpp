// Plugin search paths: explicit paths, TANDEM_PLUGIN_PATH, and the folder beside the engine's code.
#include "load/search_paths.hpp"

#include <gtest/gtest.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "tandem/plugin_host.hpp"

namespace tandem::detail {
namespace {

namespace fs = std::filesystem;
using Paths = std::vector<fs::path>;

// Sets an environment variable for one test and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(PluginSearchPaths, FirstThenEnvironmentThenBundledWithoutDuplicates) {
  EXPECT_EQ(plugin_search_paths({"/first", "/b"}, "/a::/b:/a/:rel/dir:", fs::path("/opt/t/lib/tandem/plugins")),
            (Paths{"/first", "/b", "/a", "rel/dir", "/opt/t/lib/tandem/plugins"}));
  EXPECT_EQ(plugin_search_paths({}, nullptr, std::nullopt), Paths{});
  EXPECT_EQ(plugin_search_paths({}, "", fs::path("/x")), Paths{"/x"});
  EXPECT_EQ(plugin_search_paths({"/x/./y/../z"}, ":::", fs::path("/x/z")), Paths{"/x/z"});
}

TEST(PluginSearchPaths, BundledFolderIsBesideTheLibraryOrBesideTheBinDir) {
  EXPECT_EQ(bundled_plugin_dir({"/opt/tandem/lib/libtandem_engine.so.1", false}, "tandem/plugins"),
            fs::path("/opt/tandem/lib/tandem/plugins"));
  EXPECT_EQ(bundled_plugin_dir({"/usr/lib/x86_64-linux-gnu/libtandem_engine.so.1", false}, "tandem/plugins"),
            fs::path("/usr/lib/x86_64-linux-gnu/tandem/plugins"));
  EXPECT_EQ(bundled_plugin_dir({"/opt/tandem/bin/tandem", true}, "tandem/plugins"),
            fs::path("/opt/tandem/lib/tandem/plugins"));
}

TEST(PluginSearchPaths, UnitTestBinaryIsAnExecutableInTheBuildsBinDir) {
  const auto code = engine_code_file();
  ASSERT_TRUE(code.has_value());
  EXPECT_TRUE(code->in_executable);
  EXPECT_EQ(code->file, boost::dll::program_location());
  // The build tree mirrors the install layout: bin/../lib/tandem/plugins is the build's plugin folder.
  EXPECT_EQ(fs::weakly_canonical(bundled_plugin_dir(*code, "tandem/plugins")),
            fs::weakly_canonical(TANDEM_BUILD_PLUGIN_DIR));
}

TEST(PluginSearchPaths, PluginHostReadsTandemPluginPath) {
  const fs::path bundled = fs::path(TANDEM_BUILD_PLUGIN_DIR).lexically_normal();
  {
    const ScopedEnv env("TANDEM_PLUGIN_PATH", "/env/one::/env/two:/first:");
    const Paths paths = PluginHost::search_paths({"/first"});
    ASSERT_EQ(paths.size(), 4u);
    EXPECT_EQ(paths[0], "/first");
    EXPECT_EQ(paths[1], "/env/one");
    EXPECT_EQ(paths[2], "/env/two");
    EXPECT_EQ(fs::weakly_canonical(paths[3]), fs::weakly_canonical(bundled));
  }
  {
    const ScopedEnv env("TANDEM_PLUGIN_PATH", nullptr);
    const Paths paths = PluginHost::search_paths();
    ASSERT_EQ(paths.size(), 1u);
    EXPECT_EQ(fs::weakly_canonical(paths[0]), fs::weakly_canonical(bundled));
  }
}

}  // namespace
}  // namespace tandem::detail
