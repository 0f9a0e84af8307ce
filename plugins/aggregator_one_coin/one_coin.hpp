// tandem.aggregator.one_coin — one-coin Dawid–Skene: each worker has one accuracy p (right with
// probability p, otherwise any wrong label with equal probability), class priors, EM from majority vote.
// The symmetric special case of Dawid, A. P. and Skene, A. M., "Maximum Likelihood Estimation of Observer
// Error-Rates Using the EM Algorithm", Applied Statistics 28(1):20–28, 1979; as a crowd model e.g. in
// Zhang, Chen, Zhou, Jordan, "Spectral Methods Meet EM", NIPS 2014 / JMLR 17 (2016).
//
// Fewer parameters than the full confusion matrix (one per worker instead of K×(K−1)), so it over-fits
// less when workers answer few items. The model can count as one more worker. See README.md.
//
// Thread-safety: an instance is immutable after construction; aggregate() may run on many threads at
// once. Ownership: keeps a reference to the host's Services (for the logger), which outlives it.
#ifndef TANDEM_PLUGINS_AGGREGATOR_ONE_COIN_ONE_COIN_HPP_
#define TANDEM_PLUGINS_AGGREGATOR_ONE_COIN_ONE_COIN_HPP_

#include <string>
#include <vector>

#include "tandem/sdk/plugin.hpp"
#include "truth_inference.hpp"

namespace tandem::plugins {

class OneCoin final : public sdk::AggregatorPlugin {
 public:
  explicit OneCoin(const sdk::PluginContext& ctx);

 protected:
  sdk::Status on_aggregate_result(const sdk::AggregationProblem& problem, sdk::AggregationResult& out) override;

 private:
  sdk::Services& services_;
  std::string instance_;
  crowd::CommonConfig config_;
  double smoothing_ = 0.01;
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_AGGREGATOR_ONE_COIN_ONE_COIN_HPP_
