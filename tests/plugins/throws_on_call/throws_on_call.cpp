// test.extractor.throws_on_call — every extract() throws std::runtime_error("boom in extract").
#include <tandem/sdk/plugin.hpp>

#include <stdexcept>
#include <vector>

namespace {

class ThrowsOnCall final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit ThrowsOnCall(const tandem::sdk::PluginContext&) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>&) override {
    throw std::runtime_error("boom in extract");
  }
};

}  // namespace

TANDEM_PLUGIN(ThrowsOnCall, .name = "test.extractor.throws_on_call", .version = "1.0.0",
              .summary = "Throws from every call (tests only)");
