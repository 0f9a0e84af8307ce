// Interview loops (fixed and free order), travel time around in-person meetings, optional people, people not
// in the directory, the ranking and its reasons, the compromise and why nothing fits (docs/scheduling.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "unit/scheduling/fixtures.hpp"

namespace tandem::scheduling::testing {
namespace {

using std::chrono::minutes;
const std::string NY = "America/New_York";

std::string hours(const std::string& range) {
  std::string s = "    working_hours:\n";
  for (const char* d : {"mon", "tue", "wed", "thu", "fri"}) s += std::string("      ") + d + ": [\"" + range + "\"]\n";
  return s;
}

std::string person(const std::string& id, const std::string& zone, const std::string& range, const std::string& extra = "") {
  return "  " + id + ":\n    email: " + id + "@example.org\n    name: " + id + "\n    tz: " + zone + "\n" + hours(range) + extra;
}

TEST(SchedulingLoops, FixedAndFreeOrder) {
  // The candidate all day; three interviewers each free in one hour only, in the order c, b, a.
  const PeopleDirectory dir = directory_from_yaml("people:\n" + person("cand", NY, "08:00-18:00") +
                                                  person("ia", NY, "11:30-12:15") + person("ib", NY, "10:45-11:30") +
                                                  person("ic", NY, "10:00-10:45"));
  const Scheduler s = make_scheduler(dir, {});
  SlotRequest r;
  r.required = {"cand@example.org"};
  r.sessions = {{{"ia"}, minutes(45)}, {{"ib"}, minutes(45)}, {{"ic"}, minutes(45)}};
  r.now = at(NY, "2026-03-09 00:00");
  r.offered = {{at(NY, "2026-03-10 00:00"), at(NY, "2026-03-11 00:00")}};
  r.top_n = 0;
  EXPECT_TRUE(s.solve(r).nothing_fits);  // a, b, c in this order: never
  r.fixed_order = false;
  const SolveResult res = s.solve(r);
  ASSERT_EQ(res.slots.size(), 1u);
  const Slot& slot = res.slots[0];
  EXPECT_EQ(wall(slot.start, NY), "2026-03-10 10:00");
  EXPECT_EQ(wall(slot.end, NY), "2026-03-10 12:15");
  EXPECT_EQ(slot.session_order, (std::vector<std::size_t>{2, 1, 0}));
  ASSERT_EQ(slot.sessions.size(), 3u);
  EXPECT_EQ(wall(slot.sessions[0].begin, NY), "2026-03-10 10:00");
  EXPECT_EQ(wall(slot.sessions[2].begin, NY), "2026-03-10 11:30");
  // The reasons describe the loop.
  r.top_n = 3;
  const SolveResult top = s.solve(r);
  ASSERT_EQ(top.slots.size(), 1u);
  bool loop = false;
  for (const auto& reason : top.slots[0].reasons)
    if (reason.rfind("loop: 10:00-10:45 with ic; 10:45-11:30 with ib; 11:30-12:15 with ia", 0) == 0) loop = true;
  EXPECT_TRUE(loop) << ::testing::PrintToString(top.slots[0].reasons);
}

TEST(SchedulingLoops, BuffersAroundTheLoopNotBetweenSessions) {
  // The candidate's 15-minute buffers apply around the whole loop; the interviewers' around their session.
  const PeopleDirectory dir = directory_from_yaml(
      "people:\n" +
      person("cand", NY, "08:00-18:00", "    preferences: {buffer_before_minutes: 15, buffer_after_minutes: 15}\n") +
      person("ia", NY, "08:00-18:00", "    preferences: {buffer_after_minutes: 30}\n") + person("ib", NY, "08:00-18:00"));
  const Scheduler s = make_scheduler(
      dir, {{"ia", ics({vevent("x", "TZID=America/New_York:20260310T104000", "TZID=America/New_York:20260310T110000")})},
            {"cand", ics({vevent("y", "TZID=America/New_York:20260310T080000", "TZID=America/New_York:20260310T084500")})}});
  SlotRequest r;
  r.required = {"cand"};
  r.sessions = {{{"ia"}, minutes(30)}, {{"ib"}, minutes(30)}};
  r.now = at(NY, "2026-03-09 00:00");
  r.offered = {{at(NY, "2026-03-10 08:00"), at(NY, "2026-03-10 12:00")}};
  r.top_n = 0;
  const auto got = starts(s.solve(r), NY);
  EXPECT_FALSE(has(got, "2026-03-10 08:45"));  // the candidate's buffer before
  EXPECT_TRUE(has(got, "2026-03-10 09:00"));
  EXPECT_TRUE(has(got, "2026-03-10 09:30"));   // ia 09:30-10:00, buffer to 10:30; ib 10:00-10:30 beside x
  EXPECT_FALSE(has(got, "2026-03-10 09:45"));  // ia's after-buffer reaches x at 10:40
  EXPECT_TRUE(has(got, "2026-03-10 11:00"));
}

TEST(SchedulingTravel, TravelTimeAroundInPersonMeetings) {
  const PeopleDirectory dir = directory_from_yaml(R"(
travel_minutes:
  - {from: Munich office, to: Stuttgart plant, minutes: 45}
default_travel_minutes: 20
people:
  lena:
    email: lena@example.org
    name: Lena Hoffmann
    tz: Europe/Berlin
    locations:
      Munich office: "Leopoldstrasse 1, Munich"
      Stuttgart plant: "Werkstrasse 7, Stuttgart"
    working_hours: {mon: ["08:00-18:00"], tue: ["08:00-18:00"]}
)");
  ASSERT_EQ(dir.places.size(), 2u);
  EXPECT_EQ(dir.resolve_place("Room 4, Leopoldstrasse 1, Munich"), "Munich office");
  EXPECT_EQ(dir.resolve_place("stuttgart PLANT"), "Stuttgart plant");
  EXPECT_EQ(dir.travel("Stuttgart plant", "Munich office"), 45);
  EXPECT_EQ(dir.travel("Munich office", "cafe luitpold"), 20);
  const std::string BER = "Europe/Berlin";
  const Scheduler s = make_scheduler(
      dir, {{"lena", ics({vevent("plant", "TZID=Europe/Berlin:20260310T090000", "TZID=Europe/Berlin:20260310T100000",
                                 {"LOCATION:Werkstrasse 7\\, Stuttgart"}),
                          vevent("call", "TZID=Europe/Berlin:20260310T100500", "TZID=Europe/Berlin:20260310T101500"),
                          vevent("office", "TZID=Europe/Berlin:20260310T150000", "TZID=Europe/Berlin:20260310T160000",
                                 {"LOCATION:Munich office"}),
                          vevent("cafe", "TZID=Europe/Berlin:20260310T170000", "TZID=Europe/Berlin:20260310T173000",
                                 {"LOCATION:Cafe Luitpold"})})}});
  SlotRequest r;
  r.required = {"lena"};
  r.duration = minutes(30);
  r.now = at(BER, "2026-03-09 00:00");
  r.offered = {{at(BER, "2026-03-10 08:00"), at(BER, "2026-03-10 18:00")}};
  r.top_n = 0;
  r.grid = minutes(5);
  const auto remote = starts(s.solve(r), BER);
  EXPECT_TRUE(has(remote, "2026-03-10 10:15"));  // not in person: no travel
  r.location = "Munich office";
  r.in_person = true;
  const auto got = starts(s.solve(r), BER);
  EXPECT_FALSE(has(got, "2026-03-10 10:15"));  // free, but 45 min from the plant, which ended at 10:00
  EXPECT_FALSE(has(got, "2026-03-10 10:40"));  // the call between has no place: the plant is still the one before
  EXPECT_TRUE(has(got, "2026-03-10 10:45"));
  EXPECT_TRUE(has(got, "2026-03-10 14:30"));   // right before the office meeting: same place
  EXPECT_TRUE(has(got, "2026-03-10 16:00"));   // after it, in the office
  EXPECT_TRUE(has(got, "2026-03-10 16:10"));   // ends 16:40: 20 min to the cafe
  EXPECT_FALSE(has(got, "2026-03-10 16:15"));
  // The compromise text when nothing else is offered.
  r.offered = {{at(BER, "2026-03-10 10:15"), at(BER, "2026-03-10 10:45")}};
  const SolveResult none = s.solve(r);
  ASSERT_TRUE(none.nothing_fits);
  ASSERT_TRUE(none.compromise.has_value());
  ASSERT_EQ(none.compromise->broken.size(), 1u) << none.compromise->broken[0].text;
  EXPECT_EQ(none.compromise->broken[0].constraint, "travel");
  EXPECT_EQ(none.compromise->broken[0].minutes, 30);
  EXPECT_EQ(none.compromise->broken[0].text, "Lena Hoffmann lacks 30 min of travel time (45 min from Stuttgart plant)");
  EXPECT_EQ(wall(none.compromise->slot.start, BER), "2026-03-10 10:15");
  bool said = false;
  for (const auto& w : none.why_none) said = said || w.rfind("travel time: left none of 1 (Lena Hoffmann 1)", 0) == 0;
  EXPECT_TRUE(said) << ::testing::PrintToString(none.why_none);
}

TEST(SchedulingRanking, OptionalPreferredWishedAndReasons) {
  const PeopleDirectory dir = directory_from_yaml(
      "people:\n" + person("ana", NY, "09:00-17:00", "    preferences: {preferred_hours: [\"14:00-16:00\"]}\n") +
      person("opt", NY, "09:00-17:00"));
  const Scheduler s = make_scheduler(
      dir, {{"opt", ics({vevent("busy", "TZID=America/New_York:20260310T090000", "TZID=America/New_York:20260310T150000")})}});
  SlotRequest r;
  r.required = {"ana", "someone@elsewhere.example"};
  r.optional = {"opt@example.org"};
  r.duration = minutes(60);
  r.now = at(NY, "2026-03-09 12:00");
  r.offered = {{at(NY, "2026-03-10 09:00"), at(NY, "2026-03-10 17:00")}};
  r.top_n = 3;
  SolveResult res = s.solve(r);
  ASSERT_EQ(res.slots.size(), 3u);
  // opt is free from 15:00: 15:00 and 15:15.. win; in ana's preferred hours 14:00-16:00 the best is 15:00.
  EXPECT_EQ(wall(res.slots[0].start, NY), "2026-03-10 15:00");
  EXPECT_EQ(res.slots[0].optional_free, (std::vector<std::string>{"opt@example.org"}));
  for (std::size_t k = 1; k < res.slots.size(); ++k) EXPECT_GE(res.slots[k - 1].score, res.slots[k].score);
  // Slots do not overlap one another while others are left.
  EXPECT_GE(res.slots[1].start, res.slots[0].end);
  const auto& why = res.slots[0].reasons;
  auto holds = [&](const std::string& text) {
    return std::any_of(why.begin(), why.end(), [&](const std::string& x) { return x.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(holds("ana: Tue 10 Mar 15:00-16:00 America/New_York, inside working hours 09:00-17:00, free, in preferred hours 14:00-16:00"));
  EXPECT_TRUE(holds("someone@elsewhere.example is not in the directory"));
  EXPECT_TRUE(holds("optional opt is free too"));
  EXPECT_TRUE(holds("inside the offered window Tue 10 Mar 09:00-17:00 America/New_York"));
  // A wish in the mail outranks preferred hours, and optional people outrank both.
  r.preferred = {{at(NY, "2026-03-10 09:00"), at(NY, "2026-03-10 11:00")}};
  res = s.solve(r);
  EXPECT_EQ(wall(res.slots[0].start, NY), "2026-03-10 15:00");
  r.optional.clear();
  res = s.solve(r);
  EXPECT_EQ(wall(res.slots[0].start, NY), "2026-03-10 09:00");
}

TEST(SchedulingCompromise, NamesEachBrokenRuleAndWhyNone) {
  const PeopleDirectory dir = directory_from_yaml(
      "people:\n" + person("ben", "America/Denver", "09:00-17:00") + person("priya", "Asia/Kolkata", "10:00-19:00"));
  const Scheduler s = make_scheduler(dir, {});
  SlotRequest r;
  r.required = {"ben", "priya"};
  r.duration = minutes(30);
  r.now = at("America/Denver", "2026-03-02 08:00");
  r.offered = {{at("America/Denver", "2026-03-03 00:00"), at("America/Denver", "2026-03-04 00:00")}};
  r.horizon = std::chrono::days(3);  // the compromise looks at this week only (DST moves the hours on 8 March)
  r.top_n = 5;
  const SolveResult res = s.solve(r);
  ASSERT_TRUE(res.nothing_fits);
  ASSERT_TRUE(res.compromise.has_value());
  // Denver 09:00 = Kolkata 21:30 (MST, UTC-7); Priya's day ends at 06:30 Denver time. The least broken is
  // one person's hours, by 180 min: at 06:00 for Ben or at 09:00 for Priya (the sooner wins).
  ASSERT_EQ(res.compromise->broken.size(), 1u);
  const Violation& v = res.compromise->broken[0];
  EXPECT_EQ(v.constraint, "working_hours");
  EXPECT_EQ(v.minutes, 180);
  EXPECT_EQ(v.text, "180 min outside ben's working hours (09:00-17:00 America/Denver)");
  EXPECT_EQ(wall(res.compromise->slot.start, "America/Denver"), "2026-03-03 06:00");
  ASSERT_GE(res.why_none.size(), 2u);
  EXPECT_EQ(res.why_none[0].rfind("the offered windows and times give 95 possible starts", 0), 0u) << res.why_none[0];
  EXPECT_EQ(res.why_none.back().rfind("working hours: left none of 95 (ben ", 0), 0u) << res.why_none.back();
}

}  // namespace
}  // namespace tandem::scheduling::testing
