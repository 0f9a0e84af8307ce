// test.aggregator.throws_in_factory — its constructor throws std::runtime_error("boom in factory").
#include <tandem/sdk/plugin.hpp>

#include <stdexcept>
#include <vector>

namespace {

class ThrowsInFactory final : public tandem::sdk::AggregatorPlugin {
 public:
  explicit ThrowsInFactory(const tandem::sdk::PluginContext&) { throw std::runtime_error("boom in factory"); }

 protected:
  tandem::sdk::Status on_aggregate(const tandem::sdk::AggregationProblem&, std::vector<tandem::sdk::Posterior>&) override {
    return {};
  }
};

}  // namespace

TANDEM_PLUGIN(ThrowsInFactory, .name = "test.aggregator.throws_in_factory", .version = "1.0.0",
              .summary = "Throws from its constructor (tests only)");
