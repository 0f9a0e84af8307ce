// tandem.aggregator.majority_vote — per item, the share of votes each label got (a soft vote: the
// model's distribution counts as `model_weight` votes), normalised.
//
// Labels come from the problem when it lists them (a vote for any other label is ignored, and the
// number ignored is logged as a warning), else they are the labels that occur in the problem. Every
// posterior is over the same labels, so a label nobody chose for an item has probability 0 there; ties
// stay ties. See README.md for the config reference.
//
// Thread-safety: an instance is immutable after construction; aggregate() may run on many threads at
// once. Ownership: keeps a reference to the host's Services (for the logger), which outlives it.
#ifndef TANDEM_PLUGINS_AGGREGATOR_MAJORITY_VOTE_MAJORITY_VOTE_HPP_
#define TANDEM_PLUGINS_AGGREGATOR_MAJORITY_VOTE_MAJORITY_VOTE_HPP_

#include <string>
#include <vector>

#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins {

class MajorityVote final : public sdk::AggregatorPlugin {
 public:
  explicit MajorityVote(const sdk::PluginContext& ctx);

 protected:
  sdk::Status on_aggregate(const sdk::AggregationProblem& problem, std::vector<sdk::Posterior>& out) override;

 private:
  sdk::Services& services_;
  std::string instance_;
  double model_weight_ = 0.0;
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_AGGREGATOR_MAJORITY_VOTE_MAJORITY_VOTE_HPP_
