// Internal: wall time <-> instant in a date/tz zone, with the zone's current offset period remembered per
// thread, so that the many conversions of one message (the day of sent, every reading's start and end)
// do not each search the zone's transitions.
//
// Both functions give exactly what date::zoned_time gives:
//   to_local(z, t)          == zoned_time(&z, t).get_local_time()
//   to_sys_earliest(z, t)   == zoned_time(&z, t, date::choose::earliest).get_sys_time()
// A remembered period [begin, end) with offset o answers an instant inside it (local = instant + o). It
// answers a wall time t only when t - o lies at least kEdge inside the period: no two offsets of a zone
// differ by kEdge or more (every offset is within ±26 hours), so no other period can map t, t is neither
// skipped nor repeated, and its instant is t - o. Wall times near a change (DST gaps and overlaps) always
// take date/tz's own path.
//
// Thread-safety: the memory is thread_local; date/tz's database is read-only once loaded.
// Ownership: remembers zone pointers, which date/tz keeps for the life of the process.
#ifndef TANDEM_ENGINE_TIME_ZONE_CLOCK_HPP_
#define TANDEM_ENGINE_TIME_ZONE_CLOCK_HPP_

#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstddef>

namespace tandem::detail::time {

class ZoneClock {
 public:
  static date::local_seconds to_local(const date::time_zone& zone, std::chrono::sys_seconds t) {
    const Period& p = period_at(zone, t);
    return date::local_seconds{(t + p.offset).time_since_epoch()};
  }

  static std::chrono::sys_seconds to_sys_earliest(const date::time_zone& zone, date::local_seconds t) {
    Memory& m = memory();
    for (const Period& p : m.periods) {
      if (p.zone != &zone) continue;
      const std::chrono::sys_seconds s{t.time_since_epoch() - p.offset};
      if (s >= p.begin + kEdge && s < p.end - kEdge) return s;
    }
    const std::chrono::sys_seconds s = date::zoned_time<std::chrono::seconds>(&zone, t, date::choose::earliest).get_sys_time();
    (void)period_at(zone, s);  // remember the period for the next wall times of this day
    return s;
  }

 private:
  struct Period {
    const date::time_zone* zone = nullptr;
    std::chrono::sys_seconds begin{};
    std::chrono::sys_seconds end{};
    std::chrono::seconds offset{};
  };
  struct Memory {
    std::array<Period, 4> periods{};  // a message needs the sender's zone and at most a named one or two
    std::size_t next = 0;             // the slot to replace next (round robin)
  };
  static constexpr std::chrono::hours kEdge{72};

  static Memory& memory() {
    thread_local Memory m;
    return m;
  }

  static const Period& period_at(const date::time_zone& zone, std::chrono::sys_seconds t) {
    Memory& m = memory();
    for (const Period& p : m.periods)
      if (p.zone == &zone && t >= p.begin && t < p.end) return p;
    const date::sys_info info = zone.get_info(t);
    Period& p = m.periods[m.next];
    m.next = (m.next + 1) % m.periods.size();
    p.zone = &zone;
    p.begin = info.begin;
    p.end = info.end;
    p.offset = info.offset;
    return p;
  }
};

}  // namespace tandem::detail::time

#endif  // TANDEM_ENGINE_TIME_ZONE_CLOCK_HPP_
