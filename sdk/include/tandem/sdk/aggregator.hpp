// tandem SDK — aggregator plugins: combine people's answers (and the model's view) into posteriors,
// and say what they learned of each worker's skill.
//
// One call aggregates one variable's items at once, so that methods which learn each worker's skill
// across items (Dawid–Skene and its kin) see all the evidence. Derive from AggregatorPlugin and override
// one hook: on_aggregate_result (posteriors, worker models, iterations) for methods that learn workers,
// or on_aggregate (posteriors only) for those that do not.
//
// Thread-safety: as for extractors. Ownership: `problem` is borrowed; what is appended to `out` is the
// caller's. Append, never clear: `out` may already hold other results.
#ifndef TANDEM_SDK_AGGREGATOR_HPP_
#define TANDEM_SDK_AGGREGATOR_HPP_

#include <string_view>
#include <utility>
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

  // Appends one posterior per item that has at least one counted vote or a model prior to
  // `out.posteriors`, and the worker models it learned to `out.workers`; sets `out.iterations`,
  // `out.log_likelihood` and `out.converged`. On an error Status the caller discards `out`.
  virtual Status aggregate(const AggregationProblem& problem, AggregationResult& out) noexcept = 0;

  // The posteriors only, appended to `out` (the worker models are dropped). Compiled into the caller.
  Status aggregate(const AggregationProblem& problem, std::vector<Posterior>& out) noexcept {
    AggregationResult result;
    result.posteriors = std::move(out);
    const Status s = aggregate(problem, result);
    out = std::move(result.posteriors);
    return s;
  }
};

class AggregatorPlugin : public Aggregator {
 public:
  using Aggregator::aggregate;
  Status aggregate(const AggregationProblem& problem, AggregationResult& out) noexcept final {
    return detail::guard([&] { return on_aggregate_result(problem, out); });
  }

 protected:
  // The whole result. The default calls on_aggregate and learns no worker models.
  virtual Status on_aggregate_result(const AggregationProblem& problem, AggregationResult& out) {
    return on_aggregate(problem, out.posteriors);
  }
  // Posteriors only. A plugin must override this or on_aggregate_result; the default says it did neither.
  virtual Status on_aggregate(const AggregationProblem& /*problem*/, std::vector<Posterior>& /*out*/) {
    return Status::plugin_failed("the aggregator overrides neither on_aggregate nor on_aggregate_result");
  }
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_AGGREGATOR_HPP_
