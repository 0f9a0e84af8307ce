// Internal: how the solver writes times in its reasons ("Wed 11 Mar 13:00", "09:00-17:30").
//
// Thread-safety: free functions.
#ifndef TANDEM_ENGINE_SCHEDULING_TEXT_HPP_
#define TANDEM_ENGINE_SCHEDULING_TEXT_HPP_

#include <cstdio>
#include <string>
#include <vector>

#include "scheduling/zones.hpp"
#include "tandem/pipeline.hpp"

namespace tandem::scheduling::detail {

// "09:30"; 1440 is "24:00".
inline std::string hhmm(int minutes) {
  const int m = minutes < 0 ? 0 : minutes > 1440 ? 1440 : minutes;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
  return buf;
}

inline std::string ranges_text(const std::vector<DayRange>& ranges) {
  std::string out;
  for (const DayRange& r : ranges) out += (out.empty() ? "" : ", ") + hhmm(r.begin) + "-" + hhmm(r.end);
  return out;
}

// "Wed 11 Mar" of a local day.
inline std::string day_text(date::local_days d) {
  static const char* const kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const date::year_month_day ymd{d};
  std::string out = kWeekdays[date::weekday{d}.c_encoding()];
  out += " " + std::to_string(static_cast<unsigned>(ymd.day())) + " " + kMonths[static_cast<unsigned>(ymd.month()) - 1];
  return out;
}

// "Wed 11 Mar 13:00"
inline std::string local_text(const date::time_zone* z, Sec t) {
  return day_text(local_day(z, t)) + " " + hhmm(local_minute(z, t));
}

// "Wed 11 Mar 13:00-15:00" (the end's day is named when it differs: "Wed 11 Mar 00:00-Fri 13 Mar 00:00").
inline std::string window_text(const date::time_zone* z, Sec a, Sec b) {
  std::string out = local_text(z, a) + "-";
  if (local_day(z, a) == local_day(z, b)) return out + hhmm(local_minute(z, b));
  return out + local_text(z, b);
}

inline std::string minutes_text(long long minutes) { return std::to_string(minutes) + " min"; }

}  // namespace tandem::scheduling::detail

#endif  // TANDEM_ENGINE_SCHEDULING_TEXT_HPP_
