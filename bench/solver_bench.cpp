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
// From 20 people on, no start of the 1, 4 or 12 weeks suits everyone: those solves answer with the compromise
// (the start that breaks the least, each broken rule named with its person and amount). Their baseline, in the
// same run, is OneRequired/cold and OneRequired/warm: the same people, weeks and calendars with only the
// first person required and the others optional, so that slots fit and are ranked (every calendar expanded,
// every person's rule sets built, every feasible start scored) but no compromise is searched. After the table,
// "ratio <nothing fits> / <same team, a slot fits> = x" of real time per solve, and "cpu ratio" of CPU time
// (the steadier figure on a shared machine), as bench/ratio_reporter.hpp prints them.
//
// Each benchmark times every solve on its own and reports the median and the 99th percentile (counters
// median_ms, p99_ms), besides Google Benchmark's mean.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
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

// `one_required`: the first person required, the others optional (a slot fits); else everyone required.
void solve_bench(benchmark::State& state, bool cold, bool one_required = false) {
  const int n = static_cast<int>(state.range(0));
  const int weeks = static_cast<int>(state.range(1));
  World& w = world(n);
  SlotRequest r;
  for (const Person& p : w.directory.people)
    (one_required && !r.required.empty() ? r.optional : r.required).push_back(p.addresses.front());
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
void OneRequiredCold(benchmark::State& state) { solve_bench(state, true, true); }
void OneRequiredWarm(benchmark::State& state) { solve_bench(state, false, true); }

constexpr int kTeams[] = {2, 5, 10, 20, 50};
constexpr int kLargeTeams[] = {20, 50};  // nothing fits for them: the compromise
constexpr int kWeeks[] = {1, 4, 12};

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : kTeams)
    for (int w : kWeeks) b->Args({n, w});
  b->ArgNames({"people", "weeks"})->Unit(benchmark::kMillisecond)->MinTime(0.5);
}
void large_sizes(benchmark::internal::Benchmark* b) {
  for (int n : kLargeTeams)
    for (int w : kWeeks) b->Args({n, w});
  b->ArgNames({"people", "weeks"})->Unit(benchmark::kMillisecond)->MinTime(0.5);
}

BENCHMARK(Cold)->Name("Solve/cold")->Apply(sizes);
BENCHMARK(Warm)->Name("Solve/warm")->Apply(sizes);
BENCHMARK(OneRequiredCold)->Name("OneRequired/cold")->Apply(large_sizes);
BENCHMARK(OneRequiredWarm)->Name("OneRequired/warm")->Apply(large_sizes);

// The console table, then "ratio <measured> / <baseline> = x" (real time per iteration, the median with
// --benchmark_repetitions) and "cpu ratio ..." (CPU time) for each pair both of whose runs were reported.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter(std::vector<std::pair<std::string, std::string>> pairs, OutputOptions options)
      : ConsoleReporter(options), pairs_(std::move(pairs)) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      const std::string name = r.run_name.str();
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        real_[name] = r.GetAdjustedRealTime();
        cpu_[name] = r.GetAdjustedCPUTime();
        medians_.insert(name);
      } else if (r.run_type == Run::RT_Iteration && r.iterations > 0 && !medians_.count(name)) {
        real_[name] = r.GetAdjustedRealTime();
        cpu_[name] = r.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto* times : {&real_, &cpu_})
      for (const auto& [measured, baseline] : pairs_) {
        const auto m = times->find(measured);
        const auto b = times->find(baseline);
        if (m == times->end() || b == times->end() || b->second <= 0) continue;
        std::printf("%s %s / %s = %.2f\n", times == &real_ ? "ratio" : "cpu ratio", measured.c_str(), baseline.c_str(),
                    m->second / b->second);
      }
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;  // (measured, baseline) benchmark names
  std::map<std::string, double> real_, cpu_;                // per iteration, by name
  std::set<std::string> medians_;                           // names whose times are medians
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  // Each nothing-fits solve against the same team's solve where a slot fits.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const char* mode : {"cold", "warm"})
    for (int n : kLargeTeams)
      for (int w : kWeeks) {
        const std::string size = "/people:" + std::to_string(n) + "/weeks:" + std::to_string(w) + "/min_time:0.500";
        pairs.emplace_back(std::string("Solve/") + mode + size, std::string("OneRequired/") + mode + size);
      }
  // Colour only on a terminal, so that recorded figures stay plain text.
  RatioReporter reporter(std::move(pairs), isatty(fileno(stdout)) ? RatioReporter::OO_Color : RatioReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
