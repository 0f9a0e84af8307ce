// tandem.aggregator.mace — MACE, Multi-Annotator Competence Estimation: each worker either knows the
// answer (with probability θ, their competence) or "spams", answering from their own label distribution
// ξ; the truth is uniform a priori. Fitted by variational Bayes (Beta(α, β) prior on θ, symmetric
// Dirichlet on ξ; the paper's default) or plain EM with smoothing.
// Hovy, D., Berg-Kirkpatrick, T., Vaswani, A. and Hovy, E., "Learning Whom to Trust with MACE",
// Proceedings of NAACL-HLT 2013, pages 1120–1130.
//
// A worker's confusion matrix is P(a | t) = θ·[a = t] + (1 − θ)·ξ(a): 1 + (K − 1) parameters, between
// one-coin (1) and Dawid–Skene (K×(K−1)); spammers are recognised by a low θ whatever label they favour.
// As in the paper, EM runs several times and keeps the run with the highest log-likelihood: the first
// from majority vote, the others from seeded random starts (deterministic for a given seed). See README.md.
//
// Thread-safety: an instance is immutable after construction; aggregate() may run on many threads at
// once. Ownership: keeps a reference to the host's Services (for the logger), which outlives it.
#ifndef TANDEM_PLUGINS_AGGREGATOR_MACE_MACE_HPP_
#define TANDEM_PLUGINS_AGGREGATOR_MACE_MACE_HPP_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tandem/sdk/plugin.hpp"
#include "truth_inference.hpp"

namespace tandem::plugins {

class Mace final : public sdk::AggregatorPlugin {
 public:
  explicit Mace(const sdk::PluginContext& ctx);

 protected:
  sdk::Status on_aggregate_result(const sdk::AggregationProblem& problem, sdk::AggregationResult& out) override;

 private:
  sdk::Services& services_;
  std::string instance_;
  crowd::CommonConfig config_;
  bool variational_ = true;
  double alpha_ = 0.5, beta_ = 0.5, strategy_prior_ = 10.0, smoothing_ = 0.01;
  std::size_t restarts_ = 10;
  std::uint64_t seed_ = 0;
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_AGGREGATOR_MACE_MACE_HPP_
