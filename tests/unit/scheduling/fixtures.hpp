// Helpers of the solver tests: small directories written as YAML and read through load_people, calendars
// written as iCalendar text and read through the calendar layer, instants from wall times through date/tz.
#ifndef TANDEM_TESTS_UNIT_SCHEDULING_FIXTURES_HPP_
#define TANDEM_TESTS_UNIT_SCHEDULING_FIXTURES_HPP_

#include <date/tz.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tandem/calendar.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/scheduling.hpp"

namespace tandem::scheduling::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = fs::temp_directory_path() / ("tandem_solver_test_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path path_;
};

inline PeopleDirectory directory_from_yaml(const std::string& yaml) {
  TempDir tmp;
  auto loaded = load_people(tmp.write("people.yaml", yaml));
  if (!loaded) {
    ADD_FAILURE() << loaded.status().message();
    return {};
  }
  return std::move(loaded).value();
}

// A wall time "2026-03-11 13:00" in an IANA zone, as an instant (the first, where it occurs twice).
inline sys_seconds at(const std::string& zone, const std::string& wall) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  std::sscanf(wall.c_str(), "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi);
  const date::local_seconds l = date::local_days{date::year(y) / mo / d} + std::chrono::hours(h) + std::chrono::minutes(mi);
  return date::zoned_time<std::chrono::seconds>(date::locate_zone(zone), l, date::choose::earliest).get_sys_time();
}

// "2026-03-11 13:00" of an instant in a zone.
inline std::string wall(sys_seconds t, const std::string& zone) {
  const auto l = date::zoned_time<std::chrono::seconds>(date::locate_zone(zone), t).get_local_time();
  return date::format("%Y-%m-%d %H:%M", l);
}

inline std::string ics(const std::vector<std::string>& events) {
  std::string s = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tandem//solver tests//EN\r\n";
  for (const auto& e : events) s += e;
  return s + "END:VCALENDAR\r\n";
}

// One VEVENT: start/end as "TZID=Europe/Berlin:20260311T100000", "20260311T090000Z" or "VALUE=DATE:20260311";
// `more` holds further property lines ("RRULE:FREQ=WEEKLY", "TRANSP:TRANSPARENT", "LOCATION:...").
inline std::string vevent(const std::string& uid, const std::string& start, const std::string& end,
                          const std::vector<std::string>& more = {}) {
  auto prop = [](const char* name, const std::string& v) {
    return std::string(name) + (v.find(':') != std::string::npos ? ";" : ":") + v + "\r\n";
  };
  std::string s = "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\n" + prop("DTSTART", start) +
                  prop("DTEND", end) + "SUMMARY:" + uid + "\r\n";
  for (const auto& m : more) s += m + "\r\n";
  return s + "END:VEVENT\r\n";
}

// A scheduler over `directory` with calendars given as text by person id.
inline Scheduler make_scheduler(const PeopleDirectory& directory, const std::map<std::string, std::string>& calendars) {
  std::vector<std::optional<calendar::Calendar>> cals;
  for (const Person& p : directory.people) {
    auto it = calendars.find(p.id);
    if (it == calendars.end()) {
      cals.emplace_back();
      continue;
    }
    auto parsed = calendar::parse_ics(it->second, p.id + ".ics");
    if (!parsed) ADD_FAILURE() << parsed.status().message();
    cals.emplace_back(std::move(parsed).value());
  }
  return Scheduler(directory, std::move(cals));
}

// Every feasible start (top_n = 0) as wall times in `zone`, in time order.
inline std::vector<std::string> starts(const SolveResult& r, const std::string& zone) {
  std::vector<sys_seconds> s;
  for (const Slot& slot : r.slots) s.push_back(slot.start);
  std::sort(s.begin(), s.end());
  std::vector<std::string> out;
  for (auto t : s) out.push_back(wall(t, zone));
  return out;
}

inline bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace tandem::scheduling::testing

#endif  // TANDEM_TESTS_UNIT_SCHEDULING_FIXTURES_HPP_
