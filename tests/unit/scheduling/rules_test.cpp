// Each slot rule of the solver on small hand-made directories and calendars (docs/scheduling.md, "The
// rules"): grid, lead, horizon, offered windows and points, refusals, working hours (split days, DST, trips),
// off-limits, busy time with buffers, all-day, cancelled and transparent events, the daily cap, the ignored
// event of a reschedule, loops in fixed and free order, travel time, optional people, unknown people, the
// ranking, the compromise and why nothing fits.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "unit/scheduling/fixtures.hpp"

namespace tandem::scheduling::testing {
namespace {

using std::chrono::minutes;

const char* const kWeek = R"(
    working_hours:
      mon: ["09:00-17:00"]
      tue: ["09:00-17:00"]
      wed: ["09:00-17:00"]
      thu: ["09:00-17:00"]
      fri: ["09:00-17:00"]
)";

std::string person(const std::string& id, const std::string& zone, const std::string& extra = "",
                   const std::string& hours = kWeek) {
  return "  " + id + ":\n    email: " + id + "@example.org\n    name: " + id + " Example\n    tz: " + zone + "\n" + hours +
         extra;
}

PeopleDirectory two_people(const std::string& extra_a = "", const std::string& extra_b = "") {
  return directory_from_yaml("people:\n" + person("ana", "America/New_York", extra_a) +
                             person("ben", "America/New_York", extra_b));
}

SlotRequest request(std::vector<std::string> who, int length, const std::string& now_wall) {
  SlotRequest r;
  r.required = std::move(who);
  r.duration = minutes(length);
  r.now = at("America/New_York", now_wall);
  r.top_n = 0;
  return r;
}

const std::string NY = "America/New_York";

TEST(SchedulingRules, GridLeadAndHorizon) {
  const PeopleDirectory dir = two_people();
  const Scheduler s = make_scheduler(dir, {});
  SlotRequest r = request({"ana@example.org"}, 30, "2026-03-10 10:07");
  const auto got = starts(s.solve(r), NY);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front(), "2026-03-10 12:15");  // 10:07 + 2 h, up to the 15-minute grid
  EXPECT_EQ(got.back(), "2026-04-07 10:00");   // the last start before now + 28 days (10:07)
  for (const auto& g : got) EXPECT_TRUE(g.substr(14) == "00" || g.substr(14) == "15" || g.substr(14) == "30" || g.substr(14) == "45") << g;
  r.lead = minutes(0);
  r.grid = minutes(5);
  EXPECT_EQ(starts(s.solve(r), NY).front(), "2026-03-10 10:10");
}

TEST(SchedulingRules, OfferedWindowsPointsAndRefusals) {
  const PeopleDirectory dir = two_people();
  const Scheduler s = make_scheduler(dir, {});
  SlotRequest r = request({"ana", "ben"}, 30, "2026-03-09 08:00");
  r.offered = {{at(NY, "2026-03-11 13:00"), at(NY, "2026-03-11 15:00")}};
  EXPECT_EQ(starts(s.solve(r), NY), (std::vector<std::string>{"2026-03-11 13:00", "2026-03-11 13:15", "2026-03-11 13:30",
                                                             "2026-03-11 13:45", "2026-03-11 14:00", "2026-03-11 14:15",
                                                             "2026-03-11 14:30"}));
  r.offered_points = {at(NY, "2026-03-12 10:00")};
  r.refused = {{at(NY, "2026-03-11 13:30"), at(NY, "2026-03-11 14:00")}};
  EXPECT_EQ(starts(s.solve(r), NY),
            (std::vector<std::string>{"2026-03-11 13:00", "2026-03-11 14:00", "2026-03-11 14:15", "2026-03-11 14:30",
                                      "2026-03-12 10:00"}));
  // A point inside the lead is gone; the compromise is the start nearest to it (a minute of lead time
  // costs more than a minute away from the offer).
  r.offered = {};
  r.refused = {};
  r.offered_points = {at(NY, "2026-03-09 09:00")};
  const SolveResult none = s.solve(r);
  EXPECT_TRUE(none.nothing_fits);
  ASSERT_TRUE(none.compromise.has_value());
  EXPECT_EQ(wall(none.compromise->slot.start, NY), "2026-03-09 10:00");
  ASSERT_EQ(none.compromise->broken.size(), 1u);
  EXPECT_EQ(none.compromise->broken[0].constraint, "outside_offered");
  EXPECT_EQ(none.compromise->broken[0].text, "60 min away from the offered time Mon 9 Mar 09:00 America/New_York");
}

TEST(SchedulingRules, WorkingHoursSplitDayAndDst) {
  const std::string split = R"(
    working_hours:
      mon: ["09:00-14:00", "15:30-18:30"]
      tue: ["09:00-14:00", "15:30-18:30"]
)";
  const PeopleDirectory dir = directory_from_yaml("people:\n" + person("lucia", "Europe/Madrid", "", split) +
                                                  person("ana", "America/New_York"));
  const Scheduler s = make_scheduler(dir, {});
  SlotRequest r = request({"lucia"}, 60, "2026-03-08 00:00");
  r.offered = {{at("Europe/Madrid", "2026-03-09 00:00"), at("Europe/Madrid", "2026-03-10 00:00")}};
  const auto got = starts(s.solve(r), "Europe/Madrid");
  EXPECT_TRUE(has(got, "2026-03-09 13:00"));
  EXPECT_FALSE(has(got, "2026-03-09 13:15"));  // would straddle the gap
  EXPECT_FALSE(has(got, "2026-03-09 15:15"));
  EXPECT_TRUE(has(got, "2026-03-09 15:30"));
  EXPECT_TRUE(has(got, "2026-03-09 17:30"));
  EXPECT_FALSE(has(got, "2026-03-09 17:45"));

  // New York's DST starts on Sunday 8 March 2026: 09:00 is 14:00 UTC on Friday, 13:00 UTC on Monday.
  SlotRequest d = request({"ana"}, 30, "2026-03-05 00:00");
  d.offered = {{at(NY, "2026-03-06 00:00"), at(NY, "2026-03-10 00:00")}};
  const SolveResult res = s.solve(d);
  ASSERT_FALSE(res.slots.empty());
  std::vector<sys_seconds> all;
  for (const auto& sl : res.slots) all.push_back(sl.start);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(format_instant(all.front(), "UTC"), "2026-03-06T14:00:00+00:00");
  EXPECT_EQ(wall(all.back(), NY), "2026-03-09 16:30");
  const auto first_monday = std::find_if(all.begin(), all.end(), [&](sys_seconds t) { return wall(t, NY) >= "2026-03-09"; });
  ASSERT_NE(first_monday, all.end());
  EXPECT_EQ(format_instant(*first_monday, "UTC"), "2026-03-09T13:00:00+00:00");
  EXPECT_EQ(format_instant(*first_monday, NY), "2026-03-09T09:00:00-04:00");
}

TEST(SchedulingRules, TripsMoveWorkingHoursAndAllDayEvents) {
  const PeopleDirectory dir = directory_from_yaml("people:\n" + person("aisha", "America/New_York", R"(
    travel:
      - {tz: Europe/London, from: "2026-03-16", to: "2026-03-17", label: London office visit}
)"));
  // An all-day event on the 17th blocks 00:00-24:00 London time (she is there).
  const Scheduler s = make_scheduler(dir, {{"aisha", ics({vevent("hol", "VALUE=DATE:20260317", "VALUE=DATE:20260318")})}});
  SlotRequest r = request({"aisha"}, 60, "2026-03-13 00:00");
  r.offered = {{at("UTC", "2026-03-16 00:00"), at("UTC", "2026-03-19 00:00")}};
  r.zone = "Europe/London";
  const SolveResult res = s.solve(r);
  const auto got = starts(res, "Europe/London");
  EXPECT_EQ(got.front(), "2026-03-16 09:00");  // London hours on the trip
  EXPECT_TRUE(has(got, "2026-03-16 16:00"));
  EXPECT_FALSE(has(got, "2026-03-16 16:15"));
  EXPECT_FALSE(std::any_of(got.begin(), got.end(), [](const std::string& g) { return g.rfind("2026-03-17", 0) == 0; }));
  // Back home on the 18th: New York hours (09:00 EDT = 13:00 London).
  EXPECT_TRUE(has(got, "2026-03-18 13:00"));
  EXPECT_FALSE(has(got, "2026-03-18 12:45"));
  // The reasons name the trip.
  r.top_n = 1;
  const SolveResult top = s.solve(r);
  ASSERT_EQ(top.slots.size(), 1u);
  bool named = false;
  for (const auto& reason : top.slots[0].reasons)
    if (reason.find("London office visit") != std::string::npos && reason.find("Europe/London") != std::string::npos) named = true;
  EXPECT_TRUE(named);
}

TEST(SchedulingRules, OffLimitsBlocks) {
  const PeopleDirectory dir = two_people(R"(
    preferences:
      off_limits:
        - {days: [wed], from: "12:00", to: "13:00", label: lunch}
)");
  const Scheduler s = make_scheduler(dir, {});
  SlotRequest r = request({"ana"}, 30, "2026-03-09 00:00");
  r.offered = {{at(NY, "2026-03-11 11:00"), at(NY, "2026-03-11 14:00")}};
  EXPECT_EQ(starts(s.solve(r), NY), (std::vector<std::string>{"2026-03-11 11:00", "2026-03-11 11:15", "2026-03-11 11:30",
                                                             "2026-03-11 13:00", "2026-03-11 13:15", "2026-03-11 13:30"}));
  // Other days are not blocked.
  r.offered = {{at(NY, "2026-03-12 12:00"), at(NY, "2026-03-12 12:30")}};
  EXPECT_EQ(starts(s.solve(r), NY), (std::vector<std::string>{"2026-03-12 12:00"}));
}

TEST(SchedulingRules, BusyTimeWithBuffers) {
  const PeopleDirectory dir = two_people(R"(
    preferences:
      buffer_before_minutes: 10
      buffer_after_minutes: 5
)");
  const Scheduler s = make_scheduler(
      dir, {{"ana", ics({vevent("standup", "TZID=America/New_York:20260311T100000", "TZID=America/New_York:20260311T110000")})}});
  SlotRequest r = request({"ana"}, 30, "2026-03-09 00:00");
  r.grid = minutes(5);
  r.offered = {{at(NY, "2026-03-11 09:00"), at(NY, "2026-03-11 12:00")}};
  const auto got = starts(s.solve(r), NY);
  EXPECT_TRUE(has(got, "2026-03-11 09:25"));   // ends 09:55, 5 min after-buffer reaches 10:00
  EXPECT_FALSE(has(got, "2026-03-11 09:30"));  // its after-buffer overlaps
  EXPECT_FALSE(has(got, "2026-03-11 11:05"));  // the 10-minute before-buffer reaches back to 10:55
  EXPECT_TRUE(has(got, "2026-03-11 11:10"));
  // The other person's buffers are theirs only.
  SlotRequest b = request({"ben"}, 30, "2026-03-09 00:00");
  b.offered = r.offered;
  b.grid = minutes(5);
  EXPECT_TRUE(has(starts(s.solve(b), NY), "2026-03-11 10:00"));
}

TEST(SchedulingRules, AllDayCancelledTransparentAndRecurring) {
  const PeopleDirectory dir = two_people();
  const Scheduler s = make_scheduler(
      dir, {{"ana", ics({vevent("vacation", "VALUE=DATE:20260311", "VALUE=DATE:20260312"),
                         vevent("wfh", "TZID=America/New_York:20260312T090000", "TZID=America/New_York:20260312T170000",
                                {"TRANSP:TRANSPARENT"}),
                         vevent("off", "TZID=America/New_York:20260312T100000", "TZID=America/New_York:20260312T120000",
                                {"STATUS:CANCELLED"}),
                         vevent("weekly", "TZID=America/New_York:20260302T090000", "TZID=America/New_York:20260302T100000",
                                {"RRULE:FREQ=WEEKLY;BYDAY=MO,FR", "EXDATE;TZID=America/New_York:20260313T090000"})})}});
  SlotRequest r = request({"ana"}, 60, "2026-03-09 00:00");
  r.offered = {{at(NY, "2026-03-09 00:00"), at(NY, "2026-03-17 00:00")}};
  const auto got = starts(s.solve(r), NY);
  EXPECT_FALSE(std::any_of(got.begin(), got.end(), [](const std::string& g) { return g.rfind("2026-03-11", 0) == 0; }));
  EXPECT_TRUE(has(got, "2026-03-12 09:00"));   // transparent
  EXPECT_TRUE(has(got, "2026-03-12 10:00"));   // cancelled
  EXPECT_FALSE(has(got, "2026-03-09 09:00"));  // the weekly Monday meeting
  EXPECT_TRUE(has(got, "2026-03-09 10:00"));
  EXPECT_TRUE(has(got, "2026-03-13 09:00"));   // its EXDATE
  EXPECT_FALSE(has(got, "2026-03-16 09:00"));
}

TEST(SchedulingRules, DailyCapCountsTimedBusyOccurrences) {
  const PeopleDirectory dir = two_people(R"(
    preferences:
      daily_meeting_cap: 2
)");
  const Scheduler s = make_scheduler(
      dir, {{"ana", ics({vevent("a", "TZID=America/New_York:20260311T090000", "TZID=America/New_York:20260311T093000"),
                         vevent("b", "TZID=America/New_York:20260311T160000", "TZID=America/New_York:20260311T163000"),
                         vevent("c", "TZID=America/New_York:20260312T090000", "TZID=America/New_York:20260312T093000"),
                         vevent("late", "TZID=America/New_York:20260312T230000", "TZID=America/New_York:20260313T010000"),
                         vevent("f", "TZID=America/New_York:20260313T090000", "TZID=America/New_York:20260313T093000"),
                         vevent("tentative", "TZID=America/New_York:20260313T150000", "TZID=America/New_York:20260313T153000",
                                {"TRANSP:TRANSPARENT"})})}});
  SlotRequest r = request({"ana"}, 30, "2026-03-09 00:00");
  r.offered = {{at(NY, "2026-03-11 00:00"), at(NY, "2026-03-14 00:00")}};
  const auto got = starts(s.solve(r), NY);
  auto on = [](const std::vector<std::string>& v, const char* day) {
    return std::any_of(v.begin(), v.end(), [&](const std::string& g) { return g.rfind(day, 0) == 0; });
  };
  EXPECT_FALSE(on(got, "2026-03-11"));  // a, b
  EXPECT_FALSE(on(got, "2026-03-12"));  // c, and "late", which starts that day
  EXPECT_TRUE(has(got, "2026-03-13 10:00"));  // f only: "late" started the day before, the transparent one is free
  // The reschedule of "a" frees Wednesday: "a" neither blocks nor counts.
  r.ignore_event_uid = "a";
  const auto moved = starts(s.solve(r), NY);
  EXPECT_TRUE(has(moved, "2026-03-11 09:00"));
  EXPECT_TRUE(has(moved, "2026-03-11 13:00"));
  // The compromise names the cap.
  r.ignore_event_uid.clear();
  r.offered = {{at(NY, "2026-03-12 10:00"), at(NY, "2026-03-12 11:00")}};
  const SolveResult none = s.solve(r);
  ASSERT_TRUE(none.nothing_fits);
  ASSERT_TRUE(none.compromise.has_value());
  ASSERT_EQ(none.compromise->broken.size(), 1u);
  EXPECT_EQ(none.compromise->broken[0].constraint, "daily_cap");
  EXPECT_EQ(none.compromise->broken[0].meetings, 1);
  EXPECT_EQ(none.compromise->broken[0].text, "ana Example already has 2 meetings on Thu 12 Mar (cap 2, America/New_York)");
}

}  // namespace
}  // namespace tandem::scheduling::testing
