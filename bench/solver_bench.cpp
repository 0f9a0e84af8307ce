// The calendar solver's speed (docs/scheduling.md, "Speed"). A seeded generator writes, per person, one year
// (2026) of calendar as iCalendar text: recurring meetings (a weekday standup, a weekly 1:1, a biweekly team
// meeting, a monthly review, each with EXDATEs and a moved instance) and single ones (meetings, all-day
// holidays, transparent and cancelled events), in the person's zone. The text is parsed through the calendar
// layer once (Scheduler construction is not measured); each measured solve is a 1-hour request with every
// person required over the next 1, 4 or 12 weeks.
//
//   Solve/cold: the busy-time cache is cleared before each solve, so libical's expansion of every calendar
//               over the window is inside the measured time.
//   Solve/warm: the cache is kept across requests (a service answering many requests over the same weeks).
//
// Each benchmark times every solve on its own and reports the median and the 99th percentile (counters
// median_ms, p99_ms), besides Google Benchmark's mean.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tandem/calendar.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/scheduling.hpp"

namespace {

using namespace std::chrono;
using tandem::PeopleDirectory;
using tandem::Person;
using tandem::scheduling::Scheduler;
using tandem::scheduling::SlotRequest;

// A team across North America and London: working days overlap by six hours.
const char* const kZones[] = {"America/New_York", "America/Chicago", "Europe/London", "America/Toronto",
                              "America/New_York", "America/Denver",  "Europe/London", "America/Chicago"};

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// "20260311T093000" of day `d` (days since 2026-01-01) at minute `m`.
std::string stamp(int d, int m) {
  const year_month_day ymd{sys_days{year{2026} / January / 1} + days{d}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d00", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), m / 60, m % 60);
  return buf;
}
std::string date_only(int d) { return stamp(d, 0).substr(0, 8); }

std::string event(const std::string& uid, const std::string& zone, int day, int minute, int length,
                  const std::vector<std::string>& more = {}) {
  std::string s = "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=" + zone + ":" +
                  stamp(day, minute) + "\r\nDTEND;TZID=" + zone + ":" + stamp(day, minute + length) + "\r\nSUMMARY:" + uid +
                  "\r\n";
  for (const auto& m : more) s += m + "\r\n";
  return s + "END:VEVENT\r\n";
}

// One year of one person's calendar.
std::string year_calendar(std::mt19937_64& rng, int who, const std::string& zone) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::string id = "p" + std::to_string(who);
  std::string s = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tandem//solver bench//EN\r\n";
  // 2026-01-05 is a Monday (day 4).
  const int standup = pick(0, 3) * 15 + 9 * 60;
  s += event(id + "-standup", zone, 4, standup, 15,
             {"RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T235959Z",
              "EXDATE;TZID=" + zone + ":" + stamp(4 + 7 * pick(1, 20), standup) + "," + stamp(4 + 7 * pick(21, 45), standup)});
  const int one = 4 + pick(0, 4);
  const int one_minute = pick(40, 60) * 15;
  s += event(id + "-1on1", zone, one, one_minute, 60, {"RRULE:FREQ=WEEKLY;COUNT=50"});
  // A moved 1:1.
  s += "BEGIN:VEVENT\r\nUID:" + id + "-1on1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=" + zone + ":" +
       stamp(one + 70, one_minute) + "\r\nDTSTART;TZID=" + zone + ":" + stamp(one + 71, 14 * 60) +
       "\r\nDTEND;TZID=" + zone + ":" + stamp(one + 71, 15 * 60) + "\r\nSUMMARY:moved\r\nEND:VEVENT\r\n";
  s += event(id + "-team", zone, 4 + pick(0, 4), pick(52, 64) * 15, 90, {"RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231T000000Z"});
  s += event(id + "-review", zone, 6, 16 * 60, 60, {"RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=12"});
  s += event(id + "-lunch", zone, 4, 12 * 60, 45, {"RRULE:FREQ=DAILY;INTERVAL=3;COUNT=120", "TRANSP:TRANSPARENT"});
  // Single meetings on working days, a few all-day holidays and vacations, some free or cancelled.
  for (int k = 0; k < 420; ++k) {
    int day = pick(0, 364);
    if (const auto wd = weekday{sys_days{year{2026} / January / 1} + days{day}}.c_encoding(); wd == 0 || wd == 6) day += 2;
    std::vector<std::string> more;
    if (pick(0, 19) == 0) more.push_back("TRANSP:TRANSPARENT");
    if (pick(0, 29) == 0) more.push_back("STATUS:CANCELLED");
    s += event(id + "-m" + std::to_string(k), zone, day, pick(32, 70) * 15, pick(2, 6) * 15, more);
  }
  for (int k = 0; k < 12; ++k) {
    const int day = pick(0, 360);
    const int length = pick(1, 5);
    s += "BEGIN:VEVENT\r\nUID:" + id + "-off" + std::to_string(k) + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:" +
         date_only(day) + "\r\nDTEND;VALUE=DATE:" + date_only(day + length) + "\r\nSUMMARY:off\r\nEND:VEVENT\r\n";
  }
  return s + "END:VCALENDAR\r\n";
}

struct World {
  PeopleDirectory directory;
  std::optional<Scheduler> scheduler;
};

// The world of `n` people, built once per size.
World& world(int n) {
  static std::vector<std::unique_ptr<World>> worlds(51);
  auto& w = worlds[static_cast<std::size_t>(n)];
  if (w) return *w;
  w = std::make_unique<World>();
  std::mt19937_64 rng(20260101 + static_cast<unsigned>(n));
  std::vector<std::optional<tandem::calendar::Calendar>> calendars;
  for (int i = 0; i < n; ++i) {
    Person p;
    p.id = "p" + std::to_string(i);
    p.name = "Person " + std::to_string(i);
    p.addresses = {p.id + "@example.org"};
    p.zone = kZones[static_cast<std::size_t>(i) % 8];
    p.has_working_hours = true;
    for (int d = 1; d <= 5; ++d) p.working_hours[d] = {{7 * 60, 19 * 60}};
    p.buffer_before_minutes = (i % 3) * 5;
    p.buffer_after_minutes = (i % 2) * 5;
    p.daily_meeting_cap = i % 4 == 0 ? 8 : 0;
    p.preferred_hours = {{9 * 60, 12 * 60}};
    auto cal = tandem::calendar::parse_ics(year_calendar(rng, i, p.zone), p.id + ".ics");
    if (!cal) {
      std::fprintf(stderr, "%s\n", cal.status().message().c_str());
      std::abort();
    }
    calendars.emplace_back(std::move(cal).value());
    w->directory.people.push_back(std::move(p));
  }
  w->scheduler.emplace(w->directory, std::move(calendars));
  return *w;
}

void solve_bench(benchmark::State& state, bool cold) {
  const int n = static_cast<int>(state.range(0));
  const int weeks = static_cast<int>(state.range(1));
  World& w = world(n);
  SlotRequest r;
  for (const Person& p : w.directory.people) r.required.push_back(p.addresses.front());
  r.duration = minutes(60);
  r.horizon = days(7 * weeks);
  r.now = sys_days{year{2026} / May / 4} + hours(6);
  std::vector<double> samples;
  std::size_t slots = 0;
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      w.scheduler->clear_cache();
      state.ResumeTiming();
    }
    const auto t0 = steady_clock::now();
    auto result = w.scheduler->solve(r);
    const auto t1 = steady_clock::now();
    benchmark::DoNotOptimize(result);
    slots = result.slots.size();
    samples.push_back(duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(samples.begin(), samples.end());
  if (!samples.empty()) {
    state.counters["median_ms"] = samples[samples.size() / 2];
    state.counters["p99_ms"] = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  }
  state.counters["slots"] = static_cast<double>(slots);
}

void Cold(benchmark::State& state) { solve_bench(state, true); }
void Warm(benchmark::State& state) { solve_bench(state, false); }

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {2, 5, 10, 20, 50})
    for (int w : {1, 4, 12}) b->Args({n, w});
  b->ArgNames({"people", "weeks"})->Unit(benchmark::kMillisecond)->MinTime(0.5);
}

BENCHMARK(Cold)->Name("Solve/cold")->Apply(sizes);
BENCHMARK(Warm)->Name("Solve/warm")->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
