// Checks (a) and (b): the library loads through the real host, and its descriptor is well formed.
#include <gtest/gtest.h>

#include <iostream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "kit.hpp"
#include "tandem/version.hpp"

namespace tandem::conformance::detail {
void register_descriptor_tests(Kit& k) {
  add_test("Load", "LibraryLoadsThroughTheHost", [&k] {
    ASSERT_NE(k.info, nullptr) << "PluginHost::load refused " << k.options.plugin << ":\n    " << k.load_error
                               << "\nfix: build the plugin with tandem_add_plugin() against this SDK and export it "
                                  "with TANDEM_PLUGIN(...) once, in one .cpp file";
  });
  if (k.info == nullptr) return;

  add_test("Descriptor", "NameIsDottedLowerCase", [&k] {
    const std::string& name = k.info->name;
    static const std::regex kName("^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$");
    if (!std::regex_match(name, kName)) ADD_FAILURE()
        << "name \"" << name << "\": expected dotted lower-case words, owner first (\"acme.extractor.dates\"); "
        << "fix .name in TANDEM_PLUGIN(...)";
  });
  add_test("Descriptor", "KindIsOneOfFour", [&k] {
    const std::string& kind = k.info->kind;
    if (!(kind == "extractor" || kind == "estimator" || kind == "backend" || kind == "aggregator")) ADD_FAILURE()
        << "kind \"" << kind << "\": expected extractor, estimator, backend or aggregator; "
        << "derive the plugin class from ExtractorPlugin, EstimatorPlugin, BackendPlugin or AggregatorPlugin";
  });
  add_test("Descriptor", "VersionIsSemantic", [&k] {
    const std::string& v = k.info->version;
    static const std::regex kSemver(
        "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?"
        "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");
    if (!std::regex_match(v, kSemver)) ADD_FAILURE()
        << "version \"" << v << "\": expected a semantic version (\"1.2.0\", \"0.3.0-beta.1\"); fix .version";
  });
  add_test("Descriptor", "StatusIsStableAlphaOrWip", [&k] {
    const std::string& s = k.info->status;
    if (!(s == "stable" || s == "alpha" || s == "wip")) ADD_FAILURE()
        << "status \"" << s << "\": expected stable, alpha or wip; fix .status";
  });
  add_test("Descriptor", "SummaryIsGiven", [&k] {
    const std::string& s = k.info->summary;
    if (s.empty()) ADD_FAILURE() << "the summary is empty; give .summary a line for `tandem plugins`";
    EXPECT_EQ(s.find('\n'), std::string::npos) << "the summary \"" << s << "\" has a line break; keep it to one line";
  });
  add_test("Descriptor", "ConfigSchemaParses", [&k] {
    const std::string& text = k.info->config_schema;
    nlohmann::json schema;
    try {
      schema = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
      FAIL() << "the config schema is not JSON: " << e.what() << "\nfix .config_schema (a raw string R\"(...)\")";
    }
    if (!schema.is_object()) FAIL() << "the config schema must be a JSON object, got " << schema.type_name();
    if (schema.contains("type")) {
      EXPECT_EQ(schema["type"], "object") << "the config schema describes a config, which is a map: \"type\": \"object\"";
    }
    if (schema.contains("properties")) {
      if (!schema["properties"].is_object()) FAIL() << "\"properties\" must be an object";
      for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
        if (!it.value().is_object()) ADD_FAILURE() << "property \"" << it.key() << "\": its schema must be an object";
        // Not a failure: the schema is valid without it, but the generated reference says nothing.
        if (it.value().is_object() && !it.value().contains("description"))
          std::cout << "[conformance] note: property \"" << it.key() << "\" has no \"description\"; the config "
                    << "reference is generated from the schema, so say what the key does\n";
      }
    }
  });
  add_test("Descriptor", "AbiAndToolchainMatchTheEngine", [&k] {
    EXPECT_EQ(k.info->abi_version, sdk_abi_version())
        << "the plugin was built for SDK ABI " << k.info->abi_version << ", this engine speaks " << sdk_abi_version()
        << "; rebuild it against this SDK";
    EXPECT_EQ(k.info->toolchain, toolchain())
        << "the plugin was built with toolchain \"" << k.info->toolchain << "\", the engine with \"" << toolchain()
        << "\"; build both with the same compiler family and standard library";
  });
}

}  // namespace tandem::conformance::detail
