// test.aggregator.echo — each item's votes, counted, as its posterior (tests only).
#include <tandem/sdk/plugin.hpp>

#include <map>
#include <string>
#include <vector>

namespace {

namespace sdk = tandem::sdk;

class EchoAggregator final : public sdk::AggregatorPlugin {
 public:
  explicit EchoAggregator(const sdk::PluginContext&) {}

 protected:
  sdk::Status on_aggregate(const sdk::AggregationProblem& problem, std::vector<sdk::Posterior>& out) override {
    std::map<std::string, sdk::Distribution> by_item;
    for (const auto& v : problem.votes) by_item[v.item].add(v.label, 1.0);
    for (auto& [item, d] : by_item) {
      d.normalize();
      out.push_back({item, std::move(d)});
    }
    return sdk::Status::ok();
  }
};

}  // namespace

TANDEM_PLUGIN(EchoAggregator, .name = "test.aggregator.echo", .version = "1.0.0", .status = "stable",
              .summary = "Counts each item's votes (tests only)", .thread_safe = true);
