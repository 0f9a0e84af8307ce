// tandem.aggregator.dawid_skene — Dawid–Skene truth inference: a full confusion matrix per worker
// (P(answer | truth)), class priors, fitted by EM from a majority-vote start until the log-likelihood
// settles. Dawid, A. P. and Skene, A. M., "Maximum Likelihood Estimation of Observer Error-Rates Using
// the EM Algorithm", Journal of the Royal Statistical Society, Series C (Applied Statistics) 28(1):20–28,
// 1979.
//
// The model's distribution per item can count as one more worker's soft answer with its own confusion
// matrix (`model_as_worker`). Returns posteriors, one WorkerModel per worker (the model included) and the
// EM figures. See README.md for the config reference.
//
// Thread-safety: an instance is immutable after construction; aggregate() may run on many threads at
// once (all EM state is per call). Ownership: keeps a reference to the host's Services (for the logger),
// which outlives it.
#ifndef TANDEM_PLUGINS_AGGREGATOR_DAWID_SKENE_DAWID_SKENE_HPP_
#define TANDEM_PLUGINS_AGGREGATOR_DAWID_SKENE_DAWID_SKENE_HPP_

#include <string>
#include <vector>

#include "tandem/sdk/plugin.hpp"
#include "truth_inference.hpp"

namespace tandem::plugins {

class DawidSkene final : public sdk::AggregatorPlugin {
 public:
  explicit DawidSkene(const sdk::PluginContext& ctx);

 protected:
  sdk::Status on_aggregate_result(const sdk::AggregationProblem& problem, sdk::AggregationResult& out) override;

 private:
  sdk::Services& services_;
  std::string instance_;
  crowd::CommonConfig config_;
  double smoothing_ = 1e-6;
  crowd::Stopping stopping_ = crowd::Stopping::answer_elbo;
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_AGGREGATOR_DAWID_SKENE_DAWID_SKENE_HPP_
