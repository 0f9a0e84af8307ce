// time::ZoneClock (engine/src/time/zone_clock.hpp): its remembered offset periods give exactly what
// date::zoned_time gives, for every wall time and instant around the DST changes of zones with one-hour,
// half-hour and no changes, north and south, whatever the clock remembered before.
#include <gtest/gtest.h>

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <iterator>
#include <string>

#include "time/zone_clock.hpp"

namespace tandem::detail::time {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

date::local_seconds wall_of(int y, unsigned m, unsigned d) {
  return date::local_seconds{date::local_days{date::year{y} / m / d}};
}

// Each zone, over days around its changes of 2026 (and a plain day), every 10 minutes.
struct Sweep {
  const char* zone;
  date::local_seconds first;
  int days;
};

const Sweep kSweeps[] = {
    {"America/New_York", wall_of(2026, 3, 6), 5},      // spring forward 8 March 02:00 -> 03:00
    {"America/New_York", wall_of(2026, 10, 30), 5},    // fall back 1 November 02:00 -> 01:00
    {"Europe/Berlin", wall_of(2026, 3, 27), 4},        // 29 March 02:00 -> 03:00
    {"Europe/Berlin", wall_of(2026, 10, 23), 4},       // 25 October 03:00 -> 02:00
    {"Australia/Lord_Howe", wall_of(2026, 4, 3), 3},   // half an hour back, 5 April
    {"Australia/Lord_Howe", wall_of(2026, 10, 2), 3},  // half an hour forward, 4 October
    {"America/Sao_Paulo", wall_of(2026, 6, 1), 2},     // no changes any more
    {"Asia/Kolkata", wall_of(2026, 1, 1), 2},
};

TEST(ZoneClock, AgreesWithZonedTimeAroundChanges) {
  ZoneClock& clock = ZoneClock::of_thread();
  for (const Sweep& s : kSweeps) {
    const date::time_zone* zone = clock.find(s.zone);
    ASSERT_EQ(zone, date::locate_zone(s.zone));
    // Forward, then backward (the clock then remembers the later periods first).
    for (int pass = 0; pass < 2; ++pass) {
      const int steps = s.days * 24 * 6;
      for (int i = 0; i <= steps; ++i) {
        const int k = pass == 0 ? i : steps - i;
        const date::local_seconds t = s.first + minutes{10 * k};
        const std::chrono::sys_seconds earliest =
            date::zoned_time<seconds>(zone, t, date::choose::earliest).get_sys_time();
        const date::local_seconds back = date::zoned_time<seconds>(zone, earliest).get_local_time();
        ASSERT_EQ(clock.sys_earliest(*zone, t), earliest) << s.zone << " " << date::format("%F %R", t);
        ASSERT_EQ(clock.wall(*zone, t), back) << s.zone << " " << date::format("%F %R", t);
        const std::chrono::sys_seconds instant{t.time_since_epoch() - hours{5}};
        ASSERT_EQ(clock.local(*zone, instant), date::zoned_time<seconds>(zone, instant).get_local_time())
            << s.zone << " " << date::format("%F %R", instant);
      }
    }
  }
}

// A flow of mail sent over many years, in no order: the periods remembered per stretch of time and zone
// (several zones sharing the memory, periods met in several stretches) still give zoned_time's answers,
// for times anywhere in a period and for times a few minutes from its changes.
TEST(ZoneClock, AgreesWithZonedTimeOverYearsInAnyOrder) {
  ZoneClock& clock = ZoneClock::of_thread();
  const char* const zones[] = {"America/New_York", "Europe/Berlin", "Europe/London", "Australia/Lord_Howe",
                               "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Chatham", "America/Los_Angeles"};
  std::uint64_t state = 0x2545F4914F6CDD1Dull;  // xorshift: the same sequence every run
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::int64_t first = std::chrono::sys_seconds{date::sys_days{date::year{1960} / 1 / 1}}.time_since_epoch().count();
  const std::int64_t last = std::chrono::sys_seconds{date::sys_days{date::year{2060} / 1 / 1}}.time_since_epoch().count();
  for (int i = 0; i < 40000; ++i) {
    const date::time_zone* zone = clock.find(zones[next() % std::size(zones)]);
    std::chrono::sys_seconds instant{seconds{first + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(last - first))}};
    if (i % 3 == 0) {
      // A few minutes from a change of this zone (or the start of its period).
      const date::sys_info info = zone->get_info(instant);
      instant = info.begin + minutes{static_cast<int>(next() % 241) - 120};
    }
    ASSERT_EQ(clock.local(*zone, instant), date::zoned_time<seconds>(zone, instant).get_local_time())
        << zone->name() << " " << date::format("%F %T", instant);
    const date::local_seconds t{instant.time_since_epoch() + hours{static_cast<int>(next() % 5)}};
    const std::chrono::sys_seconds earliest = date::zoned_time<seconds>(zone, t, date::choose::earliest).get_sys_time();
    ASSERT_EQ(clock.sys_earliest(*zone, t), earliest) << zone->name() << " " << date::format("%F %T", t);
    ASSERT_EQ(clock.wall(*zone, t), date::zoned_time<seconds>(zone, earliest).get_local_time())
        << zone->name() << " " << date::format("%F %T", t);
  }
}

// find() remembers names in small sets chosen from a name's length and last letters: more names than a
// set holds, short names (under four letters) and names alike at the end, in any order, each give
// date::locate_zone's zone; an unknown name throws as locate_zone does and is not remembered.
TEST(ZoneClock, FindGivesLocateZoneForManyNamesInAnyOrder) {
  ZoneClock& clock = ZoneClock::of_thread();
  const char* const names[] = {"UTC", "GMT", "EST", "MST", "HST", "Etc/UTC", "Etc/GMT+5", "Etc/GMT-5",
                               "Asia/Tokyo", "Asia/Kolkata", "Asia/Calcutta", "Europe/Berlin", "Europe/London",
                               "Europe/Paris", "Europe/Dublin", "America/New_York", "America/Chicago",
                               "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney",
                               "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Auckland", "Africa/Lagos",
                               "America/Argentina/Buenos_Aires", "America/Indiana/Indianapolis", "Asia/Ho_Chi_Minh",
                               "Europe/Kyiv", "Europe/Kiev", "Asia/Dubai", "Asia/Shanghai", "Asia/Singapore",
                               "America/Toronto", "America/Vancouver", "Europe/Madrid", "Europe/Rome"};
  std::uint64_t state = 0x9E3779B97F4A7C15ull;  // xorshift: the same sequence every run
  for (int i = 0; i < 5000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const char* name = names[state % std::size(names)];
    ASSERT_EQ(clock.find(name), date::locate_zone(name)) << name;
    if (i % 97 == 0) {
      EXPECT_ANY_THROW(clock.find("Mars/Olympus_Mons")) << "after " << name;
      EXPECT_ANY_THROW(clock.find("ES")) << "after " << name;
    }
  }
}

TEST(ZoneClock, WallOfASkippedTimeIsTheEndOfTheGap) {
  ZoneClock& clock = ZoneClock::of_thread();
  const date::time_zone* ny = clock.find("America/New_York");
  // Far from the change first, so that the clock remembers winter time; then 02:30 on 8 March 2026.
  EXPECT_EQ(clock.wall(*ny, wall_of(2026, 3, 1) + hours{2}), wall_of(2026, 3, 1) + hours{2});
  EXPECT_EQ(clock.wall(*ny, wall_of(2026, 3, 8) + hours{2} + minutes{30}), wall_of(2026, 3, 8) + hours{3});
  // 01:30 on 1 November occurs twice: it stays itself.
  EXPECT_EQ(clock.wall(*ny, wall_of(2026, 11, 1) + hours{1} + minutes{30}), wall_of(2026, 11, 1) + hours{1} + minutes{30});
}

}  // namespace
}  // namespace tandem::detail::time
