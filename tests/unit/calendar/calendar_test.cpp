// The calendar layer on small fixtures (tests/data/calendar): overrides, EXDATE, RDATE, cancelled,
// transparent, all-day, floating, IANA TZIDs without VTIMEZONE, a custom VTIMEZONE, DST changes in New York
// and Berlin, VFREEBUSY, and broken files whose errors name line and property (bad_*.ics next to the
// exact lines expected in bad_*.expected).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tandem/calendar.hpp"

namespace fs = std::filesystem;
using namespace std::chrono;
using tandem::calendar::Calendar;
using tandem::calendar::ExpandOptions;
using tandem::calendar::Occurrence;

namespace {

fs::path data_dir() { return fs::path(TANDEM_TEST_DATA_DIR) / "calendar"; }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Calendar load(const std::string& name) {
  auto cal = tandem::calendar::parse_ics(read(data_dir() / name), name);
  if (!cal) ADD_FAILURE() << cal.status().message();
  return std::move(cal).value();
}

sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

// "2026-03-29T03:30:00" of a wall time.
std::string wall(local_seconds t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::vector<Occurrence> of_uid(const std::vector<Occurrence>& all, const std::string& uid) {
  std::vector<Occurrence> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Occurrence& o) { return o.uid == uid; });
  return out;
}

TEST(Calendar, OverrideReplacesExdateRemovesCancelledDrops) {
  const Calendar cal = load("team_overrides.ics");
  const auto occ = tandem::calendar::expand(cal, utc(2026, 3, 1), utc(2026, 3, 12));
  ASSERT_EQ(occ.size(), 3u);
  EXPECT_EQ(occ[0].start, utc(2026, 3, 2, 14, 30));  // 09:30 EST
  EXPECT_EQ(occ[0].end, utc(2026, 3, 2, 14, 45));
  EXPECT_EQ(occ[0].zone, "America/New_York");
  EXPECT_EQ(wall(occ[0].local_start), "2026-03-02T09:30:00");
  // 4 March is an EXDATE; 6 March moved to 11:00 for 30 minutes (DURATION of the override).
  EXPECT_EQ(occ[1].summary, "Standup (moved)");
  EXPECT_TRUE(occ[1].overridden);
  EXPECT_EQ(occ[1].start, utc(2026, 3, 6, 16, 0));
  EXPECT_EQ(occ[1].end, utc(2026, 3, 6, 16, 30));
  ASSERT_TRUE(occ[1].recurrence_id.has_value());
  EXPECT_EQ(*occ[1].recurrence_id, utc(2026, 3, 6, 14, 30));
  // 9 March cancelled; 11 March after New York's DST change: 09:30 EDT.
  EXPECT_EQ(occ[2].start, utc(2026, 3, 11, 13, 30));
  EXPECT_EQ(wall(occ[2].local_start), "2026-03-11T09:30:00");

  ExpandOptions keep;
  keep.keep_cancelled = true;
  const auto all = tandem::calendar::expand(cal, utc(2026, 3, 1), utc(2026, 3, 12), keep);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[2].status, tandem::calendar::EventStatus::cancelled);
  EXPECT_EQ(all[2].start, utc(2026, 3, 9, 13, 30));
  // The whole series: 12 by COUNT, less the EXDATE and the cancelled one.
  EXPECT_EQ(tandem::calendar::expand(cal, utc(2026, 1, 1), utc(2027, 1, 1)).size(), 10u);
}

TEST(Calendar, OrganizerAndAttendeesOfEachInstance) {
  // Folded lines, MAILTO in any case, CN, ROLE and PARTSTAT; an override has its own list.
  const std::string text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tandem//test//EN\r\n"
      "BEGIN:VEVENT\r\nUID:review@team\r\nDTSTAMP:20260101T000000Z\r\n"
      "DTSTART;TZID=Europe/Paris:20260302T100000\r\nDTEND;TZID=Europe/Paris:20260302T110000\r\n"
      "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Design review\r\n"
      "ORGANIZER;CN=Claire Dubois:MAILTO:Claire.Dubois@Atelier.example\r\n"
      "ATTENDEE;CN=Julien Moreau;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:jul\r\n ien@northwind.example\r\n"
      "ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:lena@northwind.example\r\n"
      "ATTENDEE;PARTSTAT=DECLINED:mailto:felix@northwind.example\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:review@team\r\nDTSTAMP:20260101T000000Z\r\n"
      "RECURRENCE-ID;TZID=Europe/Paris:20260309T100000\r\n"
      "DTSTART;TZID=Europe/Paris:20260309T140000\r\nDTEND;TZID=Europe/Paris:20260309T150000\r\n"
      "SUMMARY:Design review (moved)\r\nATTENDEE:mailto:julien@northwind.example\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  auto cal = tandem::calendar::parse_ics(text, "review.ics");
  ASSERT_TRUE(cal) << cal.status().message();
  const auto occ = tandem::calendar::expand(*cal, utc(2026, 3, 1), utc(2026, 3, 31));
  ASSERT_EQ(occ.size(), 3u);
  ASSERT_TRUE(occ[0].organizer);
  EXPECT_EQ(occ[0].organizer->email, "claire.dubois@atelier.example");
  EXPECT_EQ(occ[0].organizer->name, "Claire Dubois");
  ASSERT_EQ(occ[0].attendees.size(), 3u);
  EXPECT_EQ(occ[0].attendees[0].email, "julien@northwind.example");
  EXPECT_EQ(occ[0].attendees[0].name, "Julien Moreau");
  EXPECT_FALSE(occ[0].attendees[0].optional);
  EXPECT_TRUE(occ[0].attendees[1].optional);
  EXPECT_TRUE(occ[0].attendees[2].declined);
  EXPECT_FALSE(occ[1].organizer);  // the override writes none
  ASSERT_EQ(occ[1].attendees.size(), 1u);
  EXPECT_EQ(occ[1].attendees[0].email, "julien@northwind.example");
  EXPECT_EQ(occ[2].attendees.size(), 3u);
}

TEST(Calendar, AllDayFloatingTransparentInTheDefaultZone) {
  const Calendar cal = load("all_day_floating.ics");
  ExpandOptions berlin;
  berlin.default_zone = "Europe/Berlin";
  const auto occ = tandem::calendar::expand(cal, utc(2026, 3, 20), utc(2026, 4, 10), berlin);

  const auto offsite = of_uid(occ, "offsite@team");
  ASSERT_EQ(offsite.size(), 1u);
  EXPECT_TRUE(offsite[0].all_day);
  EXPECT_TRUE(offsite[0].floating);
  EXPECT_FALSE(offsite[0].transparent);
  EXPECT_EQ(offsite[0].start, utc(2026, 3, 22, 23));  // midnight CET
  EXPECT_EQ(offsite[0].end, utc(2026, 3, 25, 23));    // DTEND is exclusive: three days
  EXPECT_EQ(offsite[0].zone, "Europe/Berlin");

  const auto holiday = of_uid(occ, "holiday@team");  // DATE without DTEND: one day; TRANSP:TRANSPARENT
  ASSERT_EQ(holiday.size(), 1u);
  EXPECT_TRUE(holiday[0].transparent);
  EXPECT_EQ(holiday[0].start, utc(2026, 4, 5, 22));  // midnight CEST
  EXPECT_EQ(holiday[0].end, utc(2026, 4, 6, 22));

  const auto gym = of_uid(occ, "gym@me");
  ASSERT_EQ(gym.size(), 3u);
  for (const auto& g : gym) {
    EXPECT_TRUE(g.floating);
    EXPECT_FALSE(g.all_day);
    EXPECT_EQ(g.end - g.start, hours(1));
  }
  EXPECT_EQ(gym[0].start, utc(2026, 3, 24, 6));

  // DURATION:P1D is a day of the calendar: 09:00 to 09:00 across Berlin's change to summer time is 23 hours.
  const auto trip = of_uid(occ, "trip@me");
  ASSERT_EQ(trip.size(), 1u);
  EXPECT_EQ(trip[0].start, utc(2026, 3, 28, 8));
  EXPECT_EQ(trip[0].end, utc(2026, 3, 29, 7));
  EXPECT_EQ(wall(trip[0].local_end), "2026-03-29T09:00:00");

  const auto focus = of_uid(occ, "focus@me");
  ASSERT_EQ(focus.size(), 1u);
  EXPECT_TRUE(focus[0].transparent);
  EXPECT_FALSE(focus[0].floating);
  EXPECT_EQ(focus[0].status, tandem::calendar::EventStatus::tentative);

  // The same floating event read in New York.
  ExpandOptions ny;
  ny.default_zone = "America/New_York";
  const auto gym_ny = of_uid(tandem::calendar::expand(cal, utc(2026, 3, 20), utc(2026, 4, 10), ny), "gym@me");
  ASSERT_EQ(gym_ny.size(), 3u);
  EXPECT_EQ(gym_ny[0].start, utc(2026, 3, 24, 11));  // 07:00 EDT
  EXPECT_EQ(gym_ny[0].zone, "America/New_York");
}

TEST(Calendar, DstTransitionsNewYorkAndBerlin) {
  const Calendar cal = load("dst_transitions.ics");
  const auto occ = tandem::calendar::expand(cal, utc(2026, 1, 1), utc(2027, 1, 1));

  const auto ny = of_uid(occ, "ny-daily@team");  // IANA TZID, no VTIMEZONE; UNTIL in UTC
  ASSERT_EQ(ny.size(), 5u);
  const std::vector<sys_seconds> ny_starts{utc(2026, 3, 6, 14), utc(2026, 3, 7, 14), utc(2026, 3, 8, 13),
                                           utc(2026, 3, 9, 13), utc(2026, 3, 10, 13)};
  for (std::size_t i = 0; i < ny.size(); ++i) {
    EXPECT_EQ(ny[i].start, ny_starts[i]) << i;
    EXPECT_EQ(wall(ny[i].local_start).substr(11), "09:00:00") << i;
    EXPECT_EQ(ny[i].end - ny[i].start, minutes(30));
  }
  // 01:30 happens twice on 1 November: the first (EDT) is meant.
  const auto fall = of_uid(occ, "ny-fall@team");
  ASSERT_EQ(fall.size(), 1u);
  EXPECT_EQ(fall[0].start, utc(2026, 11, 1, 5, 30));

  // Berlin, through a TZID with a producer's prefix: 02:30 does not exist on 29 March; it is read with the
  // offset before the gap (RFC 5545 §3.3.5), i.e. 03:30 CEST.
  const auto night = of_uid(occ, "berlin-night@team");
  ASSERT_EQ(night.size(), 3u);
  EXPECT_EQ(night[0].zone, "Europe/Berlin");
  EXPECT_EQ(night[0].start, utc(2026, 3, 28, 1, 30));
  EXPECT_EQ(night[1].start, utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(wall(night[1].local_start), "2026-03-29T03:30:00");
  EXPECT_EQ(night[2].start, utc(2026, 3, 30, 0, 30));
  const auto berlin_fall = of_uid(occ, "berlin-fall@team");
  ASSERT_EQ(berlin_fall.size(), 1u);
  EXPECT_EQ(berlin_fall[0].start, utc(2026, 10, 25, 0, 30));  // the first 02:30 (CEST)
}

TEST(Calendar, CustomVtimezoneFollowsItsOwnRules) {
  const Calendar cal = load("custom_vtimezone.ics");
  const auto occ = tandem::calendar::expand(cal, utc(2026, 3, 1), utc(2026, 5, 1));
  ASSERT_EQ(occ.size(), 3u);
  EXPECT_EQ(occ[0].zone, "Mitteleuropa (Firma)");
  EXPECT_EQ(occ[0].start, utc(2026, 3, 19, 9));
  EXPECT_EQ(occ[1].start, utc(2026, 3, 26, 9));
  EXPECT_EQ(occ[2].start, utc(2026, 4, 2, 8));  // summer time from 29 March
  for (const auto& o : occ) {
    EXPECT_EQ(wall(o.local_start).substr(11), "10:00:00");
    EXPECT_EQ(o.end - o.start, hours(1));
  }
  // Shown in another zone on request.
  ExpandOptions shown;
  shown.display_zone = "America/New_York";
  const auto in_ny = tandem::calendar::expand(cal, utc(2026, 3, 1), utc(2026, 5, 1), shown);
  ASSERT_EQ(in_ny.size(), 3u);
  EXPECT_EQ(in_ny[0].zone, "America/New_York");
  EXPECT_EQ(wall(in_ny[0].local_start), "2026-03-19T05:00:00");
}

TEST(Calendar, RdateExdateAndPeriods) {
  const Calendar cal = load("rdate_exdate.ics");
  const auto occ = tandem::calendar::expand(cal, utc(2026, 3, 1), utc(2026, 4, 1));
  ASSERT_EQ(occ.size(), 4u);
  EXPECT_EQ(occ[0].start, utc(2026, 3, 2, 14));  // RRULE, 15:00 CET
  EXPECT_EQ(occ[1].start, utc(2026, 3, 5, 8));   // RDATE 09:00 CET; 12 March is taken out by a UTC EXDATE
  EXPECT_EQ(occ[1].end - occ[1].start, hours(1));
  EXPECT_EQ(occ[2].start, utc(2026, 3, 18, 8));  // RDATE PERIOD: its own two hours
  EXPECT_EQ(occ[2].end, utc(2026, 3, 18, 10));
  EXPECT_EQ(occ[3].start, utc(2026, 3, 30, 13));  // 16 March is an EXDATE; 30 March 15:00 CEST
}

TEST(Calendar, FreeBusyPeriods) {
  const Calendar cal = load("freebusy.ics");
  EXPECT_EQ(cal.freebusy_count(), 1u);
  const auto occ = tandem::calendar::expand(cal, utc(2026, 3, 30), utc(2026, 4, 4));
  ASSERT_EQ(occ.size(), 5u);
  for (const auto& o : occ) {
    EXPECT_EQ(o.kind, tandem::calendar::Kind::busy);
    EXPECT_EQ(o.uid, "fb@alice");
  }
  EXPECT_EQ(occ[0].start, utc(2026, 3, 30, 8));
  EXPECT_EQ(occ[0].end, utc(2026, 3, 30, 9));
  EXPECT_EQ(occ[1].end, utc(2026, 3, 30, 14, 30));
  EXPECT_EQ(occ[2].busy_type, tandem::calendar::BusyType::busy_tentative);
  EXPECT_EQ(occ[3].busy_type, tandem::calendar::BusyType::free);
  EXPECT_TRUE(occ[3].transparent);
  EXPECT_EQ(occ[4].busy_type, tandem::calendar::BusyType::busy_unavailable);
  EXPECT_EQ(occ[4].end - occ[4].start, hours(24));
}

TEST(Calendar, WindowIsHalfOpenAndOverlapsCount) {
  const Calendar cal = load("team_overrides.ics");
  // The 2 March instance (14:30-14:45Z) overlaps a window starting at 14:40, not one starting at 14:45.
  EXPECT_EQ(tandem::calendar::expand(cal, utc(2026, 3, 2, 14, 40), utc(2026, 3, 2, 15)).size(), 1u);
  EXPECT_EQ(tandem::calendar::expand(cal, utc(2026, 3, 2, 14, 45), utc(2026, 3, 2, 15)).size(), 0u);
  EXPECT_EQ(tandem::calendar::expand(cal, utc(2026, 3, 2, 14), utc(2026, 3, 2, 14, 30)).size(), 0u);
  ExpandOptions one;
  one.max_occurrences = 1;
  EXPECT_EQ(tandem::calendar::expand(cal, utc(2026, 1, 1), utc(2027, 1, 1), one).size(), 1u);
}

// A window years after DTSTART starts libical's iterator near the window; what it gives must be what the
// whole series, filtered, gives.
TEST(Calendar, LateWindowEqualsTheWholeSeriesFiltered) {
  const std::string text =
      "BEGIN:VCALENDAR\nVERSION:2.0\n"
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20100104T090000\nDURATION:PT1H\nRRULE:FREQ=DAILY;INTERVAL=3\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:b\nDTSTART;TZID=America/New_York:20110107T170000\nDURATION:PT30M\nRRULE:FREQ=WEEKLY;BYDAY=TU,FR;INTERVAL=2\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:c\nDTSTART:20120127T150000Z\nDURATION:PT2H\nRRULE:FREQ=MONTHLY;BYDAY=-1FR\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:d\nDTSTART;VALUE=DATE:20100315\nRRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=15\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:e\nDTSTART:20130101T060000\nDURATION:PT10M\nRRULE:FREQ=HOURLY;INTERVAL=7\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:f\nDTSTART:20250101T061300Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY;INTERVAL=45;BYHOUR=6,7,8\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:g\nDTSTART;TZID=Europe/Berlin:20110331T120000\nDURATION:PT1H\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:h\nDTSTART;TZID=America/New_York:20100108T080000\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR;WKST=SU\nEND:VEVENT\n"
      "END:VCALENDAR\n";
  auto cal = tandem::calendar::parse_ics(text, "series.ics");
  ASSERT_TRUE(cal) << cal.status().message();
  const sys_seconds from = utc(2026, 2, 20, 7), to = utc(2026, 4, 10, 3);
  const auto late = tandem::calendar::expand(*cal, from, to);
  std::vector<Occurrence> filtered;
  for (const auto& o : tandem::calendar::expand(*cal, utc(2009, 1, 1), to))
    if (o.end > from) filtered.push_back(o);
  auto listing = [](const std::vector<Occurrence>& v) {
    std::string s;
    for (const auto& o : v) s += o.uid + " " + wall(local_seconds{o.start.time_since_epoch()}) + "\n";
    return s;
  };
  ASSERT_EQ(late.size(), filtered.size()) << listing(late) << "---\n" << listing(filtered);
  for (std::size_t i = 0; i < late.size(); ++i) {
    EXPECT_EQ(late[i].uid, filtered[i].uid) << i;
    EXPECT_EQ(late[i].start, filtered[i].start) << i;
  }
  EXPECT_GT(late.size(), 100u);
}

TEST(Calendar, ManyThreadsExpandOneCalendar) {
  const Calendar cal = load("custom_vtimezone.ics");
  const auto expected = tandem::calendar::expand(cal, utc(2026, 1, 1), utc(2027, 1, 1));
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 50; ++k) {
        const auto got = tandem::calendar::expand(cal, utc(2026, 1, 1), utc(2027, 1, 1));
        same[static_cast<std::size_t>(t)] += got.size() == expected.size() && got.back().start == expected.back().start;
      }
    });
  for (auto& th : threads) th.join();
  for (int s : same) EXPECT_EQ(s, 50);
}

class BrokenCalendars : public ::testing::TestWithParam<std::string> {};

TEST_P(BrokenCalendars, ErrorNamesLineAndProperty) {
  const std::string name = GetParam();
  auto cal = tandem::calendar::parse_ics(read(data_dir() / name), name);
  ASSERT_FALSE(cal);
  EXPECT_EQ(cal.status().code(), tandem::sdk::Code::invalid_input);
  std::string expected = read(data_dir() / (name.substr(0, name.size() - 4) + ".expected"));
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  EXPECT_EQ(cal.status().message(), expected);
}

std::vector<std::string> broken_files() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(data_dir())) {
    const std::string n = entry.path().filename().string();
    if (n.rfind("bad_", 0) == 0 && entry.path().extension() == ".ics") out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Files, BrokenCalendars, ::testing::ValuesIn(broken_files()),
                         [](const auto& param_info) {
                           std::string n = param_info.param.substr(0, param_info.param.size() - 4);
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });

TEST(Calendar, EmptyAndForeignTexts) {
  for (const char* text : {"", "hello\n", "BEGIN:VEVENT\nEND:VEVENT\n", "BEGIN:VCALENDAR\n"}) {
    auto cal = tandem::calendar::parse_ics(text, "x.ics");
    ASSERT_FALSE(cal) << text;
    EXPECT_EQ(cal.status().message().rfind("x.ics:", 0), 0u) << cal.status().message();
  }
  EXPECT_FALSE(tandem::calendar::load_ics((data_dir() / "nowhere.ics").string()));
}

}  // namespace
