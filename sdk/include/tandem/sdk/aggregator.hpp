// tandem SDK — aggregator plugins: combine people's answers (and the model's view) into posteriors.
//
// One call aggregates one variable's items at once, so that methods which learn each worker's skill
// across items (Dawid–Skene and its kin) see all the evidence. Derive from AggregatorPlugin.
//
// Thread-safety: as for extractors. Ownership: `problem` is borrowed; posteriors appended to `out` are
// the caller's, one per item that has at least one vote or a model prior, in any order.
#ifndef TANDEM_SDK_AGGREGATOR_HPP_
#define TANDEM_SDK_AGGREGATOR_HPP_

#include <string_view>
#include <vector>

#include "tandem/sdk/detail_guard.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::sdk {

class Aggregator {
 public:
  using Interface = Aggregator;
  static constexpr std::string_view kKind = "aggregator";
  virtual ~Aggregator() = default;

  virtual Status aggregate(const AggregationProblem& problem, std::vector<Posterior>& out) noexcept = 0;
};

class AggregatorPlugin : public Aggregator {
 public:
  Status aggregate(const AggregationProblem& problem, std::vector<Posterior>& out) noexcept final {
    return detail::guard([&] { return on_aggregate(problem, out); });
  }

 protected:
  virtual Status on_aggregate(const AggregationProblem& problem, std::vector<Posterior>& out) = 0;
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_AGGREGATOR_HPP_
