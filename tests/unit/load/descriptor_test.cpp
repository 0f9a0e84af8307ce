// check_descriptor: every rule on a descriptor built in memory, in the order the host applies them.
#include "load/descriptor.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace tandem::detail {
namespace {

int check_ok(const void*, void*, void*) { return 0; }
void* create_none(const tandem_create_args*) { return nullptr; }
void destroy_none(void*) {}

tandem_plugin_info valid() {
  return tandem_plugin_info{TANDEM_SDK_ABI_VERSION,
                            static_cast<uint32_t>(sizeof(tandem_plugin_info)),
                            TANDEM_SDK_TOOLCHAIN,
                            "acme.extractor.dates",
                            "extractor",
                            "1.2.0",
                            "alpha",
                            "Dates in ISO form",
                            R"({"type":"object"})",
                            1u,
                            0u,
                            &check_ok,
                            &create_none,
                            &destroy_none};
}

const std::string kAbi = std::to_string(TANDEM_SDK_ABI_VERSION);

TEST(CheckDescriptor, AcceptsAValidDescriptor) {
  const auto r = check_descriptor(valid());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->name, "acme.extractor.dates");
  EXPECT_EQ(r->kind, "extractor");
  EXPECT_EQ(r->version, "1.2.0");
  EXPECT_EQ(r->status, "alpha");
  EXPECT_EQ(r->summary, "Dates in ISO form");
  EXPECT_EQ(r->config_schema, R"({"type":"object"})");
  EXPECT_EQ(r->toolchain, TANDEM_SDK_TOOLCHAIN);
  EXPECT_EQ(r->abi_version, TANDEM_SDK_ABI_VERSION);
  EXPECT_TRUE(r->thread_safe);
  EXPECT_TRUE(r->path.empty());
}

struct Rule {
  const char* what;
  std::function<void(tandem_plugin_info&)> change;
  std::string reason;
};

TEST(CheckDescriptor, RefusesWithOneLinePerRule) {
  const Rule rules[] = {
      {"older ABI", [](auto& d) { d.abi_version = 0; },
       "built for tandem SDK ABI 0, this engine speaks ABI " + kAbi + ": rebuild it against tandem " + kAbi + ".x"},
      // Nothing past abi_version is read when it differs: the broken fields below go unmentioned.
      {"newer ABI, all else broken",
       [](auto& d) {
         d.abi_version = 7;
         d.info_size = 0;
         d.toolchain = nullptr;
         d.name = nullptr;
         d.create = nullptr;
       },
       "built for tandem SDK ABI 7, this engine speaks ABI " + kAbi + ": rebuild it against tandem " + kAbi + ".x"},
      {"small descriptor", [](auto& d) { d.info_size = 16; },
       "its descriptor is 16 bytes, tandem SDK ABI " + kAbi + " needs " + std::to_string(sizeof(tandem_plugin_info)) +
           ": rebuild it against tandem " + kAbi + ".x"},
      {"other toolchain", [](auto& d) { d.toolchain = "other/msvc"; },
       "built with toolchain \"other/msvc\", this engine was built with \"" TANDEM_SDK_TOOLCHAIN
       "\": rebuild it with the same C++ ABI and standard library as the engine"},
      {"no toolchain", [](auto& d) { d.toolchain = nullptr; },
       "built with toolchain (none given), this engine was built with \"" TANDEM_SDK_TOOLCHAIN
       "\": rebuild it with the same C++ ABI and standard library as the engine"},
      {"no name", [](auto& d) { d.name = nullptr; }, "invalid descriptor: no name"},
      {"empty name", [](auto& d) { d.name = ""; }, "invalid descriptor: no name"},
      {"undotted name", [](auto& d) { d.name = "Acme Dates"; },
       "invalid descriptor: name \"Acme Dates\" is not dotted lower case (owner first, e.g. \"acme.extractor.dates\")"},
      {"unknown kind", [](auto& d) { d.kind = "filter"; },
       "invalid descriptor: kind \"filter\" is not one of extractor, estimator, backend, aggregator"},
      {"no kind", [](auto& d) { d.kind = nullptr; },
       "invalid descriptor: no kind (one of extractor, estimator, backend, aggregator)"},
      {"no version", [](auto& d) { d.version = nullptr; }, "invalid descriptor: no version"},
      {"bad status", [](auto& d) { d.status = "beta"; },
       "invalid descriptor: status \"beta\" is not one of stable, alpha, wip"},
      {"no schema", [](auto& d) { d.config_schema = nullptr; }, "invalid descriptor: no config_schema"},
      {"thread_safe not a flag", [](auto& d) { d.thread_safe = 2; }, "invalid descriptor: thread_safe is 2, not 0 or 1"},
      {"no functions",
       [](auto& d) {
         d.create = nullptr;
         d.destroy = nullptr;
       },
       "invalid descriptor: no create function; no destroy function"},
      {"several at once",
       [](auto& d) {
         d.name = nullptr;
         d.kind = "filter";
         d.status = nullptr;
         d.destroy = nullptr;
       },
       "invalid descriptor: no name; kind \"filter\" is not one of extractor, estimator, backend, aggregator; no status "
       "(one of stable, alpha, wip); no destroy function"},
  };
  for (const auto& rule : rules) {
    SCOPED_TRACE(rule.what);
    tandem_plugin_info d = valid();
    rule.change(d);
    const auto r = check_descriptor(d);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), sdk::Code::invalid_input);
    EXPECT_EQ(r.status().message(), rule.reason);
  }
}

TEST(CheckDescriptor, OptionalFieldsMayBeAbsent) {
  tandem_plugin_info d = valid();
  d.summary = nullptr;
  d.check_config = nullptr;
  d.thread_safe = 0;
  const auto r = check_descriptor(d);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->summary, "");
  EXPECT_FALSE(r->thread_safe);
}

TEST(CheckDescriptor, PluginNames) {
  EXPECT_TRUE(is_valid_plugin_name("tandem.aggregator.majority_vote"));
  EXPECT_TRUE(is_valid_plugin_name("acme.extractor.dates-v2"));
  EXPECT_FALSE(is_valid_plugin_name("dates"));
  EXPECT_FALSE(is_valid_plugin_name(".acme.dates"));
  EXPECT_FALSE(is_valid_plugin_name("acme.dates."));
  EXPECT_FALSE(is_valid_plugin_name("acme..dates"));
  EXPECT_FALSE(is_valid_plugin_name("Acme.Dates"));
}

}  // namespace
}  // namespace tandem::detail
