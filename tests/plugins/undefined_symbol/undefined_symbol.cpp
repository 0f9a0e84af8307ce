// test.extractor.undefined_symbol — a well-formed plugin that calls a function defined nowhere.
#include <tandem/sdk/plugin.hpp>

#include <vector>

extern "C" int tandem_test_function_that_exists_nowhere(int);

namespace {

class UndefinedSymbol final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit UndefinedSymbol(const tandem::sdk::PluginContext&) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message& msg, std::vector<tandem::sdk::Annotation>&) override {
    return tandem_test_function_that_exists_nowhere(static_cast<int>(msg.text.size())) == 0
               ? tandem::sdk::Status()
               : tandem::sdk::Status::plugin_failed("unreachable");
  }
};

}  // namespace

TANDEM_PLUGIN(UndefinedSymbol, .name = "test.extractor.undefined_symbol", .version = "1.0.0");
