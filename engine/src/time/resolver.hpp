// Internal: sdk::TimeService::resolve_into — a TimeExpression, read in a TimeContext, to every reading,
// main first, with the conventions of shared/eval/time/FORMAT.md applied here and nowhere else.
//
// Calendar and zone arithmetic is all Howard Hinnant's date/tz (year_month_day, weekday, local_days,
// zoned_time, iso_week); the first day of the week comes from the LocaleFacts (ICU); zone names from
// time/zone_names.hpp (ICU plus a small table).
//
// Readings:
//   - a point in time has both sides, equal (start == end); an open side has no value;
//   - every reading is in the context's (sender's) zone; the day of a named zone is the day in that zone's
//     calendar, and its wall time is converted through the instant (DST-correct on both sides);
//   - a wall time skipped by a spring-forward change means the instant the gap ended (TzTimeService);
//   - weights add up to 1; ambiguities multiply (next X vs first X after sent: 0.7 / 0.3; a bare 7 or 8:
//     0.75 / 0.25; "next week" sent on the first day of a week: 0.7 / 0.3; a weekday that disagrees with
//     its date: 0.7 / 0.3; an ambiguous zone abbreviation: 0.8 / 0.2 shared by the others).
//
// Thread-safety: a pure function of its arguments (and the read-only tz database and ICU data); each
// thread keeps its own working memory (thread_local) from one call to the next.
#ifndef TANDEM_ENGINE_TIME_RESOLVER_HPP_
#define TANDEM_ENGINE_TIME_RESOLVER_HPP_

#include <vector>

#include "tandem/sdk/services.hpp"
#include "tandem/sdk/temporal.hpp"

namespace tandem::detail::time {

// The readings written over `out` (sdk::TimeService::resolve_into); with `explain` false their `why` is
// empty. invalid_input names what cannot be resolved: an impossible date ("February 2027 has no day
// 29"), a month or weekday out of range, an unknown zone name, a context zone the tz database does not
// know; `out` is then empty.
sdk::Status resolve_into(const sdk::TimeExpression& expression, const sdk::TimeContext& context,
                         const sdk::LocaleFacts& locale_facts, std::vector<sdk::TimeReading>& out,
                         bool explain) noexcept;

}  // namespace tandem::detail::time

#endif  // TANDEM_ENGINE_TIME_RESOLVER_HPP_
