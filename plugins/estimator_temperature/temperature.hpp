// tandem.estimator.temperature — temperature scaling of every annotation's distribution.
//
// Each probability becomes p^(1/T), and the distribution is renormalised: T > 1 flattens an
// over-confident model, T < 1 sharpens an under-confident one, T = 1 changes nothing. T is chosen per
// variable (`per_variable`, where "time[3].polarity" also matches the key "time.polarity"), else the
// global `temperature`. See README.md for the config reference.
//
// Thread-safety: an instance is immutable after construction; estimate() may run on many threads at once.
// Ownership: holds nothing of the host's.
#ifndef TANDEM_PLUGINS_ESTIMATOR_TEMPERATURE_TEMPERATURE_HPP_
#define TANDEM_PLUGINS_ESTIMATOR_TEMPERATURE_TEMPERATURE_HPP_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins {

// The distribution `d` scaled by temperature `t` (> 0): p_i^(1/t), renormalised. Probabilities that are
// negative or not finite count as 0; a distribution with no positive probability becomes uniform.
// Computed in log space, relative to the largest probability, so that a tiny `t` yields the arg max
// (ties shared) instead of underflowing to all zeros.
sdk::Distribution scale_by_temperature(const sdk::Distribution& d, double t);

// "time[3].polarity" -> "time.polarity"; names without an index come back unchanged.
std::string without_indices(std::string_view variable);

class Temperature final : public sdk::EstimatorPlugin {
 public:
  explicit Temperature(const sdk::PluginContext& ctx);

  // Checks beyond the schema: every key of `per_variable` is a variable name.
  static void check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors);

  // The temperature used for `variable`.
  double temperature_for(std::string_view variable) const;

 protected:
  sdk::Status on_estimate(const sdk::Message& msg, std::vector<sdk::Annotation>& annotations) override;

 private:
  double temperature_ = 1.0;
  std::map<std::string, double, std::less<>> per_variable_;
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_ESTIMATOR_TEMPERATURE_TEMPERATURE_HPP_
