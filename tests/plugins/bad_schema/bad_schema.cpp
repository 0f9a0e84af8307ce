// test.extractor.bad_schema — a valid plugin but for its schema: "minimun" is not a schema keyword.
#include <tandem/sdk/plugin.hpp>

#include <vector>

namespace {

class BadSchema final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit BadSchema(const tandem::sdk::PluginContext&) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>&) override {
    return {};
  }
};

}  // namespace

TANDEM_PLUGIN(BadSchema, .name = "test.extractor.bad_schema", .version = "1.0.0",
              .config_schema = R"({"type":"object","properties":{"threshold":{"type":"number","minimun":0}}})");
