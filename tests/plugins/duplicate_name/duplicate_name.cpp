// A second plugin named test.extractor.echo. Its file name sorts after the real echo's, so in a
// directory load the real one comes first and this one is refused.
#include <tandem/sdk/plugin.hpp>

#include <vector>

namespace {

class NotTheEcho final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit NotTheEcho(const tandem::sdk::PluginContext&) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>&) override {
    return {};
  }
};

}  // namespace

TANDEM_PLUGIN(NotTheEcho, .name = "test.extractor.echo", .version = "9.9.9",
              .summary = "Claims a name another plugin has (tests only)",
              .config_schema = R"({"type":"object","properties":{"prefix":{"type":"string"}}})");
