// Internal: the few zone conversions the solver makes, all through date/tz (ZoneClock remembers the offset
// periods a solve keeps asking about). A wall time skipped by a DST change is the instant the clocks jump;
// one that occurs twice is the first (as the calendar layer reads them).
//
// Thread-safety: free functions; ZoneClock's memory is thread_local.
#ifndef TANDEM_ENGINE_SCHEDULING_ZONES_HPP_
#define TANDEM_ENGINE_SCHEDULING_ZONES_HPP_

#include <date/tz.h>

#include <chrono>
#include <exception>
#include <string>
#include <string_view>

#include "scheduling/interval_set.hpp"
#include "time/zone_clock.hpp"

namespace tandem::scheduling::detail {

// The zone of that name; UTC for "" or a name the database does not know.
inline const date::time_zone* zone_of(std::string_view name) {
  using tandem::detail::time::ZoneClock;
  if (!name.empty()) {
    try {
      return ZoneClock::locate(name);
    } catch (const std::exception&) {
    }
  }
  return ZoneClock::locate("UTC");
}

inline date::local_seconds to_local(const date::time_zone* z, Sec t) {
  return tandem::detail::time::ZoneClock::to_local(*z, std::chrono::sys_seconds{std::chrono::seconds{t}});
}
inline Sec to_sys(const date::time_zone* z, date::local_seconds t) {
  return tandem::detail::time::ZoneClock::to_sys_earliest(*z, t).time_since_epoch().count();
}
inline date::local_days local_day(const date::time_zone* z, Sec t) {
  return date::floor<date::days>(to_local(z, t));
}
// Minutes since the local midnight of `t`'s day.
inline int local_minute(const date::time_zone* z, Sec t) {
  const date::local_seconds l = to_local(z, t);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(l - date::floor<date::days>(l)).count());
}
// The instant of minute `m` (0..1440) of local day `d`.
inline Sec at_minute(const date::time_zone* z, date::local_days d, int m) {
  return to_sys(z, date::local_seconds{d} + std::chrono::minutes(m));
}

}  // namespace tandem::scheduling::detail

#endif  // TANDEM_ENGINE_SCHEDULING_ZONES_HPP_
