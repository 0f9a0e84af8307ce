// PluginHost against the test plugins of tests/plugins/: one-line refusals, a host that goes on after
// each, contained exceptions, config checks, and libraries that outlive the host while objects live.
#include "tandem/plugin_host.hpp"

#include <dlfcn.h>
#include <unistd.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tandem/sdk/abi.h"
#include "tandem/services.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

const fs::path kPluginDir = TANDEM_TEST_PLUGIN_DIR;
fs::path plugin_file(const char* name) { return kPluginDir / name; }

const char kNotAPlugin[] =
    "not a tandem plugin: it exports no tandem_plugin descriptor (a plugin exports one with TANDEM_PLUGIN(...) "
    "from <tandem/sdk/plugin.hpp>)";
const std::string kAbi = std::to_string(TANDEM_SDK_ABI_VERSION);

// A config map written at pipeline.yaml:3:5, optionally with `prefix: <value>` at 3:13.
sdk::ConfigNode config_map(const char* prefix = nullptr, const char* key = "prefix") {
  sdk::ConfigNode map(sdk::ConfigNode::Type::map, sdk::Mark{"pipeline.yaml", 3, 5}, "");
  if (prefix != nullptr)
    map.insert(sdk::ConfigNode::make_scalar(key, false, sdk::Mark{"pipeline.yaml", 3, 5}, key),
               sdk::ConfigNode::make_scalar(prefix, true, sdk::Mark{"pipeline.yaml", 3, 13}, key));
  return map;
}

std::vector<std::string> lines(const sdk::ConfigErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors.all()) out.push_back(e.to_string());
  return out;
}

// True while `file` is mapped into this process (RTLD_NOLOAD never loads it).
bool is_mapped(const fs::path& file) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);
  return true;
}

sdk::Message message(std::string text) {
  sdk::Message m;
  m.id = "case-1";
  m.text = std::move(text);
  return m;
}

// A temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("tandem_host_test_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(PluginHost, LoadsAPluginAndDescribesIt) {
  PluginHost host;
  const auto r = host.load(plugin_file("test_extractor_echo.so"));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const PluginInfo& info = **r;
  EXPECT_EQ(info.name, "test.extractor.echo");
  EXPECT_EQ(info.kind, "extractor");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.status, "stable");
  EXPECT_EQ(info.summary, "Echoes the message text (tests only)");
  EXPECT_EQ(info.toolchain, TANDEM_SDK_TOOLCHAIN);
  EXPECT_EQ(info.abi_version, TANDEM_SDK_ABI_VERSION);
  EXPECT_TRUE(info.thread_safe);
  EXPECT_EQ(info.path, fs::canonical(plugin_file("test_extractor_echo.so")));
  EXPECT_NE(info.config_schema.find("\"prefix\""), std::string::npos);
  EXPECT_EQ(host.names(), std::vector<std::string>{"test.extractor.echo"});
}

struct Refusal {
  const char* file;
  sdk::Code code;
  std::string reason;
};

TEST(PluginHost, RefusesEachBrokenLibraryWithOneLineAndGoesOn) {
  TempDir tmp;
  std::ofstream(tmp.path() / "notes.so") << "this is a text file, not a library\n";
  std::ofstream(tmp.path() / "empty.so");
  fs::create_directories(tmp.path() / "folder.so");
  std::ofstream(tmp.path() / "truncated.so") << "\x7f" "ELF\x02\x01\x01";

  const Refusal refusals[] = {
      {"no_such_plugin.so", sdk::Code::not_found, "no such file"},
      {"test_not_a_plugin.so", sdk::Code::invalid_input, kNotAPlugin},
      {"test_wrong_abi.so", sdk::Code::invalid_input,
       "built for tandem SDK ABI 999, this engine speaks ABI " + kAbi + ": rebuild it against tandem " + kAbi + ".x"},
      {"test_unknown_kind.so", sdk::Code::invalid_input,
       "invalid descriptor: kind \"transformer\" is not one of extractor, estimator, backend, aggregator"},
      {"test_bad_schema.so", sdk::Code::invalid_input,
       "invalid config schema: /properties/threshold/minimun: unknown schema keyword (did you mean \"minimum\"?)"},
      {"test_undefined_symbol.so", sdk::Code::invalid_input,
       "the dynamic loader refused it: undefined symbol: tandem_test_function_that_exists_nowhere"},
  };
  PluginHost host;
  for (const auto& refusal : refusals) {
    SCOPED_TRACE(refusal.file);
    const fs::path file = plugin_file(refusal.file);
    const auto r = host.load(file);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), refusal.code);
    EXPECT_EQ(r.status().message(), file.string() + ": " + refusal.reason);
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  }
  const std::pair<const char*, std::string> not_libraries[] = {
      {"notes.so", "not a shared library (not an ELF file)"},
      {"empty.so", "not a shared library (the file is empty)"},
      {"truncated.so", "not a shared library (its ELF headers cannot be read: the file is truncated or damaged)"},
      {"folder.so", "not a shared library (it is a directory)"},
  };
  for (const auto& [name, reason] : not_libraries) {
    SCOPED_TRACE(name);
    const auto r = host.load(tmp.path() / name);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().message(), (tmp.path() / name).string() + ": " + reason);
  }
  // The refusals left nothing behind, and the host still loads a good plugin.
  EXPECT_TRUE(host.plugins().empty());
  EXPECT_FALSE(is_mapped(plugin_file("test_wrong_abi.so")));
  EXPECT_FALSE(is_mapped(plugin_file("test_unknown_kind.so")));
  ASSERT_TRUE(host.load(plugin_file("test_extractor_echo.so")).is_ok());
}

TEST(PluginHost, ForeignLibraryIsNeverOpened) {
  PluginHost host;
  ASSERT_FALSE(host.load(plugin_file("test_not_a_plugin.so")).is_ok());
  // Refused from its ELF headers alone: the dynamic loader never mapped it.
  EXPECT_FALSE(is_mapped(plugin_file("test_not_a_plugin.so")));
}

TEST(PluginHost, SecondPluginWithTheSameNameIsRefused) {
  PluginHost host;
  ASSERT_TRUE(host.load(plugin_file("test_extractor_echo.so")).is_ok());
  const auto r = host.load(plugin_file("test_extractor_echo_duplicate.so"));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().message(), plugin_file("test_extractor_echo_duplicate.so").string() +
                                      ": plugin name 'test.extractor.echo' is already provided by " +
                                      fs::canonical(plugin_file("test_extractor_echo.so")).string());
  EXPECT_EQ(host.find("test.extractor.echo")->version, "1.0.0");
}

TEST(PluginHost, LoadingTheSameFileAgainGivesThePluginAlreadyLoaded) {
  TempDir tmp;
  fs::create_symlink(plugin_file("test_extractor_echo.so"), tmp.path() / "echo_link.so");
  PluginHost host;
  const auto first = host.load(plugin_file("test_extractor_echo.so"));
  ASSERT_TRUE(first.is_ok());
  const auto again = host.load(plugin_file("test_extractor_echo.so"));
  const auto roundabout = host.load(kPluginDir / ".." / "plugins" / "." / "test_extractor_echo.so");
  const auto via_link = host.load(tmp.path() / "echo_link.so");
  ASSERT_TRUE(again.is_ok());
  ASSERT_TRUE(roundabout.is_ok());
  ASSERT_TRUE(via_link.is_ok());
  EXPECT_EQ(*again, *first);
  EXPECT_EQ(*roundabout, *first);
  EXPECT_EQ(*via_link, *first);
  EXPECT_EQ(host.plugins().size(), 1u);
}

TEST(PluginHost, LoadDirectoryReportsOneProblemPerBadFileAndLoadsTheRest) {
  PluginHost host;
  const auto problems = host.load_directory(kPluginDir);
  std::vector<std::string> got;
  for (const auto& p : problems) got.push_back(p.to_string());
  const std::string dir = kPluginDir.string() + "/";
  EXPECT_EQ(got, (std::vector<std::string>{
                     dir + "test_bad_schema.so: invalid config schema: /properties/threshold/minimun: unknown schema "
                           "keyword (did you mean \"minimum\"?)",
                     dir + "test_extractor_echo_duplicate.so: plugin name 'test.extractor.echo' is already provided by " +
                         fs::canonical(plugin_file("test_extractor_echo.so")).string(),
                     dir + "test_not_a_plugin.so: " + kNotAPlugin,
                     dir + "test_undefined_symbol.so: the dynamic loader refused it: undefined symbol: "
                           "tandem_test_function_that_exists_nowhere",
                     dir + "test_unknown_kind.so: invalid descriptor: kind \"transformer\" is not one of extractor, "
                           "estimator, backend, aggregator",
                     dir + "test_wrong_abi.so: built for tandem SDK ABI 999, this engine speaks ABI " + kAbi +
                         ": rebuild it against tandem " + kAbi + ".x",
                 }));
  EXPECT_EQ(host.names(), (std::vector<std::string>{"test.aggregator.throws_in_factory", "test.extractor.echo",
                                                    "test.extractor.throws_on_call"}));

  // The good one works.
  sdk::ConfigErrors errors("stages.extract[0].config");
  auto echo = host.make_extractor(*host.find("echo"), "echo", config_map(">> "), errors);
  ASSERT_NE(echo, nullptr) << (errors.empty() ? "" : errors.all()[0].to_string());
  std::vector<sdk::Annotation> out;
  ASSERT_TRUE(echo->extract(message("Tuesday after next?"), out).is_ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].variable.name, "echo");
  EXPECT_EQ(out[0].variable.distribution.top().value, ">> Tuesday after next?");
  EXPECT_EQ(out[0].span, (sdk::Span{0, 19}));
}

TEST(PluginHost, MissingDirectories) {
  PluginHost host;
  const fs::path missing = kPluginDir / "no_such_folder";
  const auto problems = host.load_directory(missing);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].to_string(), missing.string() + ": no such directory");
  EXPECT_TRUE(host.load_all({missing}, true).empty());
  ASSERT_EQ(host.load_all({missing}, false).size(), 1u);
  EXPECT_EQ(host.load_directory(plugin_file("test_extractor_echo.so"))[0].reason, "not a directory");
}

TEST(PluginHost, FindsByFullNameOrByAUniqueLastPart) {
  PluginHost host;
  host.load_directory(kPluginDir);
  ASSERT_NE(host.find("test.extractor.echo"), nullptr);
  EXPECT_EQ(host.find("echo"), host.find("test.extractor.echo"));
  EXPECT_EQ(host.find("throws_on_call")->name, "test.extractor.throws_on_call");
  EXPECT_EQ(host.find("throws_in_factory")->kind, "aggregator");
  EXPECT_EQ(host.find("extractor"), nullptr);
  EXPECT_EQ(host.find("extractor.echo"), nullptr);
  EXPECT_EQ(host.find("nothing"), nullptr);
}

TEST(PluginHost, ThrowingCallIsContainedAsPluginFailed) {
  PluginHost host;
  const auto info = host.load(plugin_file("test_extractor_throws_on_call.so"));
  ASSERT_TRUE(info.is_ok()) << info.status().to_string();
  sdk::ConfigErrors errors;
  auto extractor = host.make_extractor(**info, "thrower", config_map(), errors);
  ASSERT_NE(extractor, nullptr);
  std::vector<sdk::Annotation> out;
  const sdk::Status s = extractor->extract(message("anything"), out);
  EXPECT_EQ(s.code(), sdk::Code::plugin_failed);
  EXPECT_EQ(s.message(), "threw: boom in extract");
  // Still here, and the instance can be called again.
  EXPECT_EQ(extractor->extract(message("again"), out).code(), sdk::Code::plugin_failed);
}

TEST(PluginHost, ThrowingFactoryIsAConfigErrorAtTheInstance) {
  PluginHost host;
  const auto info = host.load(plugin_file("test_aggregator_throws_in_factory.so"));
  ASSERT_TRUE(info.is_ok()) << info.status().to_string();
  sdk::ConfigErrors errors("stages.aggregate.config");
  auto aggregator = host.make_aggregator(**info, "agg", config_map(), errors);
  EXPECT_EQ(aggregator, nullptr);
  EXPECT_EQ(lines(errors), std::vector<std::string>{
                               "pipeline.yaml:3:5: error: stages.aggregate.config: the plugin failed to start: "
                               "boom in factory"});
}

TEST(PluginHost, KindMustMatchTheFactory) {
  PluginHost host;
  const auto echo = host.load(plugin_file("test_extractor_echo.so"));
  const auto agg = host.load(plugin_file("test_aggregator_throws_in_factory.so"));
  ASSERT_TRUE(echo.is_ok());
  ASSERT_TRUE(agg.is_ok());
  sdk::ConfigErrors errors("stages.x.config");
  EXPECT_EQ(host.make_aggregator(**echo, "a", config_map(), errors), nullptr);
  EXPECT_EQ(host.make_estimator(**echo, "b", config_map(), errors), nullptr);
  EXPECT_EQ(host.make_backend(**echo, "c", config_map(), errors), nullptr);
  EXPECT_EQ(host.make_extractor(**agg, "d", config_map(), errors), nullptr);
  EXPECT_EQ(lines(errors), (std::vector<std::string>{
                               "pipeline.yaml:3:5: error: stages.x.config: plugin \"test.extractor.echo\" is an "
                               "extractor, not an aggregator",
                               "pipeline.yaml:3:5: error: stages.x.config: plugin \"test.extractor.echo\" is an "
                               "extractor, not an estimator",
                               "pipeline.yaml:3:5: error: stages.x.config: plugin \"test.extractor.echo\" is an "
                               "extractor, not a backend",
                               "pipeline.yaml:3:5: error: stages.x.config: plugin \"test.aggregator.throws_in_factory\" "
                               "is an aggregator, not an extractor",
                           }));
}

TEST(PluginHost, ConfigIsCheckedBySchemaThenByThePlugin) {
  PluginHost host;
  const auto info = host.load(plugin_file("test_extractor_echo.so"));
  ASSERT_TRUE(info.is_ok());

  // Defaults filled in, with no line.
  sdk::ConfigErrors none("stages.extract[0].config");
  const sdk::ConfigNode filled = host.check_config(**info, config_map(), none);
  EXPECT_TRUE(none.empty());
  ASSERT_NE(filled.find("prefix"), nullptr);
  EXPECT_EQ(filled["prefix"].scalar(), "");
  EXPECT_EQ(filled["prefix"].mark().line, 0);

  // The schema: an unknown key, at the key.
  sdk::ConfigErrors schema_errors("stages.extract[0].config");
  host.check_config(**info, config_map(">", "prefx"), schema_errors);
  EXPECT_EQ(lines(schema_errors), std::vector<std::string>{
                                      "pipeline.yaml:3:5: error: stages.extract[0].config: unknown key \"prefx\" (did "
                                      "you mean \"prefix\"? allowed: prefix)"});

  // The plugin's own check, at the value it concerns; make_* refuses the same config the same way.
  sdk::ConfigErrors plugin_errors("stages.extract[0].config");
  host.check_config(**info, config_map("two\nlines"), plugin_errors);
  const std::vector<std::string> expected{
      "pipeline.yaml:3:13: error: stages.extract[0].config.prefix: expected one line, got a line break"};
  EXPECT_EQ(lines(plugin_errors), expected);
  sdk::ConfigErrors make_errors("stages.extract[0].config");
  EXPECT_EQ(host.make_extractor(**info, "echo", config_map("two\nlines"), make_errors), nullptr);
  EXPECT_EQ(lines(make_errors), expected);
}

TEST(PluginHost, ErrorsOfOtherInstancesDoNotStopACreation) {
  // A pipeline collects every error of its file in one ConfigErrors; an earlier instance's error must
  // not make a later, valid instance fail.
  PluginHost host;
  const auto info = host.load(plugin_file("test_extractor_echo.so"));
  ASSERT_TRUE(info.is_ok());
  sdk::ConfigErrors errors("stages.extract[1].config");
  errors.add(sdk::ConfigError{sdk::Mark{"pipeline.yaml", 1, 1}, "stages.extract[0]", "an earlier problem"});
  auto echo = host.make_extractor(**info, "echo", config_map("> "), errors);
  EXPECT_NE(echo, nullptr);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_TRUE(host.check_config(**info, config_map("> "), errors).has("prefix"));
  EXPECT_EQ(errors.size(), 1u);
}

TEST(PluginHost, InstancesOutliveTheHostAndKeepTheirLibraryMapped) {
  const fs::path file = fs::canonical(plugin_file("test_extractor_echo.so"));
  ASSERT_FALSE(is_mapped(file)) << "another test left the echo plugin loaded";

  std::shared_ptr<sdk::Extractor> first, second;
  std::weak_ptr<sdk::Services> services_seen;
  {
    auto services = make_services();
    services_seen = services;
    PluginHost host(services);
    const auto info = host.load(file);
    ASSERT_TRUE(info.is_ok()) << info.status().to_string();
    sdk::ConfigErrors errors;
    first = host.make_extractor(**info, "first", config_map(), errors);
    second = host.make_extractor(**info, "second", config_map("2: "), errors);
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    EXPECT_TRUE(is_mapped(file));
  }
  // The host and our services handle are gone; the instances keep both the library and the services.
  EXPECT_TRUE(is_mapped(file));
  EXPECT_FALSE(services_seen.expired());
  std::vector<sdk::Annotation> out;
  ASSERT_TRUE(first->extract(message("Straße"), out).is_ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].variable.distribution.top().value, "Straße");
  EXPECT_EQ(out[0].note, "strasse");  // folded by the engine's services, through the plugin

  first.reset();
  EXPECT_TRUE(is_mapped(file)) << "unloaded while an instance still lives";
  out.clear();
  ASSERT_TRUE(second->extract(message("Hi"), out).is_ok());
  EXPECT_EQ(out.at(0).variable.distribution.top().value, "2: Hi");

  second.reset();
  EXPECT_FALSE(is_mapped(file)) << "still loaded after the last instance was destroyed";
  EXPECT_TRUE(services_seen.expired());
}

TEST(PluginHost, LibraryIsReleasedWithTheHostWhenNoInstanceLives) {
  const fs::path file = fs::canonical(plugin_file("test_extractor_echo.so"));
  ASSERT_FALSE(is_mapped(file));
  {
    PluginHost host;
    ASSERT_TRUE(host.load(file).is_ok());
    EXPECT_TRUE(is_mapped(file));
  }
  EXPECT_FALSE(is_mapped(file));
}

}  // namespace
}  // namespace tandem
