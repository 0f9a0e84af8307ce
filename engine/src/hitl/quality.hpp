// Internal: the statistics behind revocation and the quality reports, and the two reports themselves.
//
//   - stats: the regularised incomplete beta function and its quantile (the credible bounds of a worker's
//     accuracy), the regularised upper incomplete gamma function and the chi-square survival function
//     (the group report's p-values), and the Wilson score interval (accuracy checked against gold);
//   - delivered_quality: per variable, how accurate the values the engine delivered (accepted tasks)
//     are estimated to be, with an interval, and the accuracy measured on gold questions;
//   - group_report: a variable's answers split by a worker attribute (locale, a tag, ...) with Pearson's
//     chi-square test of independence, overall and for each group against the rest.
// docs/workers.md has the formulas.
//
// Thread-safety: free functions without shared state; the reports read the store in one snapshot.
// Ownership: results are plain values.
#ifndef TANDEM_ENGINE_HITL_QUALITY_HPP_
#define TANDEM_ENGINE_HITL_QUALITY_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/workers.hpp"

namespace tandem::hitl {

namespace stats {

// I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 <= x <= 1. NaN otherwise.
double beta_inc(double a, double b, double x);
// The p-quantile of Beta(a, b): the x with I_x(a, b) = p, to 1e-12, for 0 <= p <= 1. NaN otherwise.
double beta_quantile(double a, double b, double p);
// Q(a, x) = Γ(a, x) / Γ(a), the regularised upper incomplete gamma function, for a > 0, x >= 0.
double gamma_q(double a, double x);
// P(X >= x) for X ~ chi-square with `df` degrees of freedom (df >= 1): Q(df / 2, x / 2).
double chi_square_sf(double x, int df);

using Interval = tandem::workers::Interval;
// The Wilson score interval of `right` successes in `n` trials at normal quantile `z` (1.96: 95%).
// n == 0 gives [0, 1].
Interval wilson(double right, double n, double z = 1.96);

}  // namespace stats

// ---- delivered quality ---------------------------------------------------------------------------------

// The report of docs/workers.md ("Delivered quality"); fields in tandem/workers.hpp.
using DeliveredQuality = tandem::workers::DeliveredQuality;

// `variable` is a name or a family ("time[*].polarity" covers time[0].polarity, time[1].polarity, ...).
sdk::Result<DeliveredQuality> delivered_quality(store::Store& store, std::string_view variable);

// ---- group report ----------------------------------------------------------------------------------------

using GroupRow = tandem::workers::GroupRow;
using GroupReport = tandem::workers::GroupReport;

// Attributes: backend, locale, languages, skills, tags, tier (multi-valued ones grouped by the sorted
// list joined with "+"), or tag:NAME / skill:NAME / language:NAME (has it / has not).
// invalid_input for an unknown attribute.
sdk::Result<GroupReport> group_report(store::Store& store, std::string_view variable, std::string_view attribute);

// The group of one worker under `attribute`; nullopt for an unknown attribute.
std::optional<std::string> attribute_value(const store::WorkerRecord& worker, std::string_view attribute);
// The attribute names group_report and attribute_value accept (for messages).
const std::vector<std::string>& attribute_names();

}  // namespace tandem::hitl

#endif  // TANDEM_ENGINE_HITL_QUALITY_HPP_
