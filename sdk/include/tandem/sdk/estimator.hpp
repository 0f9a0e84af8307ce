// tandem SDK — confidence-estimator plugins: turn model scores into calibrated probabilities.
//
// An estimator sees every annotation the extractors made for a message and may rewrite each
// annotation's distribution (never its variable name or span). Derive from EstimatorPlugin.
//
// Thread-safety: as for extractors. Ownership: `annotations` is the caller's, edited in place.
#ifndef TANDEM_SDK_ESTIMATOR_HPP_
#define TANDEM_SDK_ESTIMATOR_HPP_

#include <string_view>
#include <vector>

#include "tandem/sdk/detail_guard.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::sdk {

class Estimator {
 public:
  using Interface = Estimator;
  static constexpr std::string_view kKind = "estimator";
  virtual ~Estimator() = default;

  // Recalibrates `annotations` in place. On an error Status the host restores them as they were.
  virtual Status estimate(const Message& msg, std::vector<Annotation>& annotations) noexcept = 0;
};

class EstimatorPlugin : public Estimator {
 public:
  Status estimate(const Message& msg, std::vector<Annotation>& annotations) noexcept final {
    return detail::guard([&] { return on_estimate(msg, annotations); });
  }

 protected:
  virtual Status on_estimate(const Message& msg, std::vector<Annotation>& annotations) = 0;
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_ESTIMATOR_HPP_
