// TzTimeService: DST gaps and overlaps of 2026 in three hemispheres/rule sets, leap days, unknown zones.
#include "services/time_service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>

namespace tandem::detail {
namespace {

using namespace std::chrono;

sdk::LocalTime local(int y, unsigned m, unsigned d, int h, int min) {
  return local_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}
sys_seconds utc(int y, unsigned m, unsigned d, int h, int min) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

enum class Kind { unique, gap, overlap };

struct Case {
  const char* zone;
  sdk::LocalTime local;
  Kind kind;
  sys_seconds instant;
  sys_seconds later;  // = instant unless an overlap
  int offset_minutes;
  const char* abbreviation;
};

// Each change of 2026, the minute before and after, the middle of the gap/overlap and the days either side.
const Case kCases[] = {
    // America/Los_Angeles: spring forward Sun 8 Mar 02:00 PST -> 03:00 PDT; fall back Sun 1 Nov 02:00 PDT -> 01:00 PST.
    {"America/Los_Angeles", local(2026, 3, 7, 2, 30), Kind::unique, utc(2026, 3, 7, 10, 30), utc(2026, 3, 7, 10, 30), -480, "PST"},
    {"America/Los_Angeles", local(2026, 3, 8, 1, 59), Kind::unique, utc(2026, 3, 8, 9, 59), utc(2026, 3, 8, 9, 59), -480, "PST"},
    {"America/Los_Angeles", local(2026, 3, 8, 2, 0), Kind::gap, utc(2026, 3, 8, 10, 0), utc(2026, 3, 8, 10, 0), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 3, 8, 2, 30), Kind::gap, utc(2026, 3, 8, 10, 0), utc(2026, 3, 8, 10, 0), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 3, 8, 3, 0), Kind::unique, utc(2026, 3, 8, 10, 0), utc(2026, 3, 8, 10, 0), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 3, 9, 2, 30), Kind::unique, utc(2026, 3, 9, 9, 30), utc(2026, 3, 9, 9, 30), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 10, 31, 1, 30), Kind::unique, utc(2026, 10, 31, 8, 30), utc(2026, 10, 31, 8, 30), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 11, 1, 0, 59), Kind::unique, utc(2026, 11, 1, 7, 59), utc(2026, 11, 1, 7, 59), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 11, 1, 1, 0), Kind::overlap, utc(2026, 11, 1, 8, 0), utc(2026, 11, 1, 9, 0), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 11, 1, 1, 30), Kind::overlap, utc(2026, 11, 1, 8, 30), utc(2026, 11, 1, 9, 30), -420, "PDT"},
    {"America/Los_Angeles", local(2026, 11, 1, 2, 0), Kind::unique, utc(2026, 11, 1, 10, 0), utc(2026, 11, 1, 10, 0), -480, "PST"},
    {"America/Los_Angeles", local(2026, 11, 2, 1, 30), Kind::unique, utc(2026, 11, 2, 9, 30), utc(2026, 11, 2, 9, 30), -480, "PST"},
    // Europe/Berlin: Sun 29 Mar 02:00 CET -> 03:00 CEST; Sun 25 Oct 03:00 CEST -> 02:00 CET.
    {"Europe/Berlin", local(2026, 3, 28, 2, 30), Kind::unique, utc(2026, 3, 28, 1, 30), utc(2026, 3, 28, 1, 30), 60, "CET"},
    {"Europe/Berlin", local(2026, 3, 29, 1, 59), Kind::unique, utc(2026, 3, 29, 0, 59), utc(2026, 3, 29, 0, 59), 60, "CET"},
    {"Europe/Berlin", local(2026, 3, 29, 2, 30), Kind::gap, utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 0), 120, "CEST"},
    {"Europe/Berlin", local(2026, 3, 29, 3, 0), Kind::unique, utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 0), 120, "CEST"},
    {"Europe/Berlin", local(2026, 3, 30, 2, 30), Kind::unique, utc(2026, 3, 30, 0, 30), utc(2026, 3, 30, 0, 30), 120, "CEST"},
    {"Europe/Berlin", local(2026, 10, 24, 2, 30), Kind::unique, utc(2026, 10, 24, 0, 30), utc(2026, 10, 24, 0, 30), 120, "CEST"},
    {"Europe/Berlin", local(2026, 10, 25, 1, 59), Kind::unique, utc(2026, 10, 24, 23, 59), utc(2026, 10, 24, 23, 59), 120, "CEST"},
    {"Europe/Berlin", local(2026, 10, 25, 2, 30), Kind::overlap, utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30), 120, "CEST"},
    {"Europe/Berlin", local(2026, 10, 25, 3, 0), Kind::unique, utc(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 0), 60, "CET"},
    {"Europe/Berlin", local(2026, 10, 26, 2, 30), Kind::unique, utc(2026, 10, 26, 1, 30), utc(2026, 10, 26, 1, 30), 60, "CET"},
    // Australia/Sydney (southern hemisphere): Sun 5 Apr 03:00 AEDT -> 02:00 AEST; Sun 4 Oct 02:00 AEST -> 03:00 AEDT.
    {"Australia/Sydney", local(2026, 4, 4, 2, 30), Kind::unique, utc(2026, 4, 3, 15, 30), utc(2026, 4, 3, 15, 30), 660, "AEDT"},
    {"Australia/Sydney", local(2026, 4, 5, 1, 59), Kind::unique, utc(2026, 4, 4, 14, 59), utc(2026, 4, 4, 14, 59), 660, "AEDT"},
    {"Australia/Sydney", local(2026, 4, 5, 2, 0), Kind::overlap, utc(2026, 4, 4, 15, 0), utc(2026, 4, 4, 16, 0), 660, "AEDT"},
    {"Australia/Sydney", local(2026, 4, 5, 2, 30), Kind::overlap, utc(2026, 4, 4, 15, 30), utc(2026, 4, 4, 16, 30), 660, "AEDT"},
    {"Australia/Sydney", local(2026, 4, 5, 3, 0), Kind::unique, utc(2026, 4, 4, 17, 0), utc(2026, 4, 4, 17, 0), 600, "AEST"},
    {"Australia/Sydney", local(2026, 4, 6, 2, 30), Kind::unique, utc(2026, 4, 5, 16, 30), utc(2026, 4, 5, 16, 30), 600, "AEST"},
    {"Australia/Sydney", local(2026, 10, 3, 2, 30), Kind::unique, utc(2026, 10, 2, 16, 30), utc(2026, 10, 2, 16, 30), 600, "AEST"},
    {"Australia/Sydney", local(2026, 10, 4, 1, 59), Kind::unique, utc(2026, 10, 3, 15, 59), utc(2026, 10, 3, 15, 59), 600, "AEST"},
    {"Australia/Sydney", local(2026, 10, 4, 2, 30), Kind::gap, utc(2026, 10, 3, 16, 0), utc(2026, 10, 3, 16, 0), 660, "AEDT"},
    {"Australia/Sydney", local(2026, 10, 4, 3, 0), Kind::unique, utc(2026, 10, 3, 16, 0), utc(2026, 10, 3, 16, 0), 660, "AEDT"},
    {"Australia/Sydney", local(2026, 10, 5, 2, 30), Kind::unique, utc(2026, 10, 4, 15, 30), utc(2026, 10, 4, 15, 30), 660, "AEDT"},
};

// "Europe/Berlin local 2026-03-29 02:30", so a failing row names itself.
void PrintTo(const Case& c, std::ostream* os) {
  const auto day = floor<days>(c.local);
  const year_month_day ymd{local_days{day}};
  const hh_mm_ss<seconds> time{c.local - day};
  char text[64];
  std::snprintf(text, sizeof text, "%d-%02u-%02u %02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()));
  *os << c.zone << " local " << text;
}

class DstChanges2026 : public ::testing::TestWithParam<Case> {};

TEST_P(DstChanges2026, MapsLocalTimeToInstants) {
  const Case& c = GetParam();
  const TzTimeService tz;
  const auto r = tz.to_instant(c.local, c.zone);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->instant, c.instant);
  EXPECT_EQ(r->later, c.later);
  EXPECT_EQ(r->utc_offset_minutes, c.offset_minutes);
  EXPECT_EQ(r->abbreviation, c.abbreviation);
  EXPECT_EQ(r->nonexistent, c.kind == Kind::gap);
  EXPECT_EQ(r->ambiguous, c.kind == Kind::overlap);

  // Back again: every instant shows the local time asked for, except inside a gap, whose instant is the
  // end of the gap (the changed-to hour).
  const auto back = tz.to_local(r->instant, c.zone);
  ASSERT_TRUE(back.is_ok());
  if (c.kind == Kind::gap) {
    EXPECT_EQ(*back, floor<days>(c.local) + hours{3});
  } else {
    EXPECT_EQ(*back, c.local);
    EXPECT_EQ(*tz.to_local(r->later, c.zone), c.local);
  }
  EXPECT_EQ(*tz.utc_offset_minutes(r->instant, c.zone), c.offset_minutes);
}

INSTANTIATE_TEST_SUITE_P(TzTimeService, DstChanges2026, ::testing::ValuesIn(kCases));

TEST(TzTimeService, OffsetChangesExactlyAtTheTransitionInstant) {
  const TzTimeService tz;
  EXPECT_EQ(*tz.utc_offset_minutes(utc(2026, 3, 8, 10, 0) - seconds{1}, "America/Los_Angeles"), -480);
  EXPECT_EQ(*tz.utc_offset_minutes(utc(2026, 3, 8, 10, 0), "America/Los_Angeles"), -420);
  EXPECT_EQ(*tz.utc_offset_minutes(utc(2026, 10, 25, 1, 0) - seconds{1}, "Europe/Berlin"), 120);
  EXPECT_EQ(*tz.utc_offset_minutes(utc(2026, 10, 25, 1, 0), "Europe/Berlin"), 60);
  EXPECT_EQ(*tz.utc_offset_minutes(utc(2026, 10, 3, 16, 0) - seconds{1}, "Australia/Sydney"), 600);
  EXPECT_EQ(*tz.utc_offset_minutes(utc(2026, 10, 3, 16, 0), "Australia/Sydney"), 660);
}

TEST(TzTimeService, LeapDay2028) {
  const TzTimeService tz;
  const auto noon = tz.to_instant(local(2028, 2, 29, 12, 0), "Europe/Berlin");
  ASSERT_TRUE(noon.is_ok());
  EXPECT_EQ(noon->instant, utc(2028, 2, 29, 11, 0));
  EXPECT_FALSE(noon->ambiguous);
  EXPECT_FALSE(noon->nonexistent);
  // Late on the 28th UTC is already the 29th in Berlin, and late on the 29th UTC is 1 March there.
  EXPECT_EQ(*tz.to_local(utc(2028, 2, 28, 23, 30), "Europe/Berlin"), local(2028, 2, 29, 0, 30));
  EXPECT_EQ(*tz.to_local(utc(2028, 2, 29, 23, 30), "Europe/Berlin"), local(2028, 3, 1, 0, 30));
  EXPECT_EQ(*tz.to_local(utc(2028, 3, 1, 5, 0), "America/Los_Angeles"), local(2028, 2, 29, 21, 0));
}

TEST(TzTimeService, UnknownZoneIsNotFoundNamingTheZone) {
  const TzTimeService tz;
  EXPECT_FALSE(tz.has_zone("Mars/Olympus_Mons"));
  EXPECT_FALSE(tz.has_zone(""));
  EXPECT_TRUE(tz.has_zone("Europe/Berlin"));
  EXPECT_TRUE(tz.has_zone("UTC"));

  const auto r = tz.to_instant(local(2026, 1, 1, 9, 0), "Mars/Olympus_Mons");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), sdk::Code::not_found);
  EXPECT_EQ(r.status().message(), "unknown time zone \"Mars/Olympus_Mons\"");

  const auto typo = tz.to_local(utc(2026, 1, 1, 9, 0), "Europe/Berln");
  ASSERT_FALSE(typo.is_ok());
  EXPECT_EQ(typo.status().code(), sdk::Code::not_found);
  EXPECT_EQ(typo.status().message(), "unknown time zone \"Europe/Berln\" (did you mean \"Europe/Berlin\"?)");

  const auto empty = tz.utc_offset_minutes(utc(2026, 1, 1, 9, 0), "");
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.status().code(), sdk::Code::not_found);
  EXPECT_EQ(empty.status().message(), "no time zone given (an IANA name such as \"Europe/Berlin\" is needed)");
}

}  // namespace
}  // namespace tandem::detail
