// The RRULE figure: the recurrence vectors of ../shared/eval/calendar (RRULE_DATA.md) through the whole
// calendar layer: each vector becomes a one-event iCalendar text (DTSTART with its TZID, without a
// VTIMEZONE; RRULE; EXDATE), parsed by parse_ics and expanded by expand(). Bars: every RFC 5545 example
// right (expect_first, and total where given), at least 95% of libical's own vectors (expect_first, the
// total, and where START-AT is given the tail of the list when the window starts there). Prints the rate per
// file and every miss. Skips where ../shared is absent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <libical/ical.h>

#include "tandem/calendar.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono;

namespace {

fs::path shared_calendar_dir() { return fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "calendar"; }

// "1997-09-02T09:00:00" -> "19970902T090000"; "2012-02-29T12:00:00Z" -> "20120229T120000Z"; "2024-10-24" -> "20241024".
std::string compact(const std::string& iso) {
  std::string out;
  for (char c : iso)
    if (c != '-' && c != ':') out += c;
  return out;
}

std::string format_local(local_seconds t, bool date_only, bool utc) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{t - day};
  char buf[40];
  if (date_only)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), utc ? "Z" : "");
  return buf;
}

struct Vector {
  std::string id;
  std::string dtstart;
  std::string tzid;  // "" floating; "UTC"; an IANA name
  std::string rrule;
  std::vector<std::string> exdates;
  std::vector<std::string> expect_first;
  long total = -1;  // -1: unbounded / not given
  std::string start_at;
};

std::string ics_of(const Vector& v) {
  const bool is_date = v.dtstart.size() == 10;
  const bool zoned = !v.tzid.empty() && v.tzid != "UTC";
  std::string s = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tandem tests//RRULE vectors//EN\r\nBEGIN:VEVENT\r\n";
  s += "UID:" + v.id + "\r\n";
  s += std::string("DTSTART") + (is_date ? ";VALUE=DATE" : "") + (zoned ? ";TZID=" + v.tzid : "") + ":" + compact(v.dtstart) + "\r\n";
  s += "RRULE:" + v.rrule + "\r\n";
  for (const auto& x : v.exdates)
    s += std::string("EXDATE") + (is_date ? ";VALUE=DATE" : "") + (zoned ? ";TZID=" + v.tzid : "") + ":" + compact(x) + "\r\n";
  s += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return s;
}

// The instant a vector's wall time stands for: the first occurrence at or after it starts the window.
// (A one-event calendar of its own with that DTSTART, expanded: floating and UTC read as the vectors mean.)
sys_seconds instant_of(const std::string& wall, const std::string& tzid) {
  const bool zoned = !tzid.empty() && tzid != "UTC";
  std::string s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:probe\r\nDTSTART" + std::string(wall.size() == 10 ? ";VALUE=DATE" : "") +
                  (zoned ? ";TZID=" + tzid : "") + ":" + compact(wall) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto probe = tandem::calendar::parse_ics(s, "probe.ics");
  if (!probe) return sys_seconds{};
  auto occ = tandem::calendar::expand(*probe, sys_seconds{} - hours(24 * 365 * 100), sys_seconds{} + hours(24 * 365 * 500));
  return occ.empty() ? sys_seconds{} : occ.front().start;
}

// The occurrences of a vector's event from `from` on, at most `limit`, formatted as the vector writes them.
std::vector<std::string> expand_vector(const tandem::calendar::Calendar& cal, const Vector& v, sys_seconds from,
                                       std::size_t limit) {
  tandem::calendar::ExpandOptions o;
  o.default_zone = "UTC";
  o.max_occurrences = limit;
  std::vector<std::string> out;
  for (const auto& occ : tandem::calendar::expand(cal, from, from + hours(24 * 366 * 120), o))
    out.push_back(format_local(occ.local_start, occ.all_day, v.tzid == "UTC"));
  return out;
}

std::string join(const std::vector<std::string>& v, std::size_t n = 6) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < n; ++i) s += (i ? " " : "") + v[i];
  if (v.size() > n) s += " ... (" + std::to_string(v.size()) + ")";
  return s;
}

// The installed libical's iterator alone on a vector (no calendar layer): its first instances, formatted as
// the vector writes them. A diagnostic: it tells the library's misses from the layer's.
std::vector<std::string> libical_alone(const Vector& v, std::size_t n) {
  std::vector<std::string> out;
  icalrecurrencetype r = icalrecurrencetype_from_string(v.rrule.c_str());
  icaltimetype start = icaltime_from_string(compact(v.dtstart).c_str());
  icalrecur_iterator* it = icalrecur_iterator_new(r, start);
  if (it == nullptr) return out;
  for (icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t) && out.size() < n; t = icalrecur_iterator_next(it)) {
    const local_seconds wall = local_days{year{t.year} / t.month / t.day} + hours{t.hour} + minutes{t.minute} + seconds{t.second};
    out.push_back(format_local(wall, t.is_date != 0, v.tzid == "UTC"));
  }
  icalrecur_iterator_free(it);
  return out;
}

// Runs one file; returns the share of vectors right and prints the misses (and, for each, whether the
// installed libical's iterator alone gets the vector's first instances).
double run_file(const fs::path& file, bool rfc, std::size_t& rows) {
  std::ifstream in(file);
  std::string line;
  std::size_t right = 0;
  rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const json j = json::parse(line);
    Vector v;
    v.id = j.at("id").get<std::string>();
    v.dtstart = j.at("dtstart").get<std::string>();
    v.tzid = j.at("tzid").is_null() ? "" : j.at("tzid").get<std::string>();
    v.rrule = j.at("rrule").get<std::string>();
    if (j.contains("exdate") && j.at("exdate").is_array()) v.exdates = j.at("exdate").get<std::vector<std::string>>();
    v.expect_first = j.at("expect_first").get<std::vector<std::string>>();
    const char* total_key = rfc ? "total" : "expect_total_listed";
    if (j.contains(total_key) && j.at(total_key).is_number()) v.total = j.at(total_key).get<long>();
    if (j.contains("start_at") && j.at("start_at").is_string()) v.start_at = j.at("start_at").get<std::string>();
    ++rows;

    std::string why;
    auto cal = tandem::calendar::parse_ics(ics_of(v), v.id + ".ics");
    if (!cal) {
      why = "parse: " + cal.status().message();
    } else {
      const sys_seconds from = instant_of(v.dtstart, v.tzid);
      const std::size_t limit = v.total >= 0 ? static_cast<std::size_t>(v.total) + 1 : v.expect_first.size();
      const auto got = expand_vector(*cal, v, from, limit);
      const std::vector<std::string> first(got.begin(), got.begin() + static_cast<long>(std::min(got.size(), v.expect_first.size())));
      if (first != v.expect_first) {
        why = "expected " + join(v.expect_first) + "; got " + join(got);
      } else if (v.total >= 0 && static_cast<long>(got.size()) != v.total) {
        why = "expected " + std::to_string(v.total) + " in all, got " + std::to_string(got.size());
      } else if (!v.start_at.empty()) {
        std::vector<std::string> tail;
        for (const auto& x : v.expect_first)
          if (x >= v.start_at) tail.push_back(x);
        // expect_first may stop before START-AT (libical lists 20 at most): then nothing is left to compare.
        const auto late = tail.empty() ? tail : expand_vector(*cal, v, instant_of(v.start_at, v.tzid), tail.size());
        if (late != tail) why = "from START-AT " + v.start_at + ": expected " + join(tail) + "; got " + join(late);
      }
    }
    if (why.empty()) ++right;
    else
      std::cout << "  miss " << v.id << " (" << v.rrule << ", DTSTART " << v.dtstart << "): " << why
                << (libical_alone(v, v.expect_first.size()) == v.expect_first ? " [libical alone: right]"
                                                                               : " [libical alone: wrong too]")
                << "\n";
  }
  return rows == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(rows);
}

// The bars of issue 7: all of RFC 5545's examples (the hourly-3h-until erratum and the Friday-13th EXDATE as
// RRULE_DATA.md says), at least 95% of libical's own vectors.
TEST(RruleVectors, RfcExamplesAllRight) {
  const fs::path file = shared_calendar_dir() / "rrule_rfc5545.jsonl";
  if (!fs::exists(file)) GTEST_SKIP() << "no " << file << " (../shared absent): the RRULE figure is not measured";
  std::size_t rows = 0;
  std::cout << "rrule_rfc5545.jsonl:\n";
  const double rate = run_file(file, true, rows);
  std::printf("RRULE figure: rrule_rfc5545.jsonl %.4f of %zu right (bar 1.0)\n", rate, rows);
  EXPECT_GT(rows, 0u);
  EXPECT_EQ(rate, 1.0);
}

TEST(RruleVectors, LibicalVectorsAtLeast95Percent) {
  const fs::path file = shared_calendar_dir() / "rrule_extra.jsonl";
  if (!fs::exists(file)) GTEST_SKIP() << "no " << file << " (../shared absent): the RRULE figure is not measured";
  std::size_t rows = 0;
  std::cout << "rrule_extra.jsonl (libical " << ICAL_MAJOR_VERSION << "." << ICAL_MINOR_VERSION << "." << ICAL_PATCH_VERSION
            << " installed):\n";
  const double rate = run_file(file, false, rows);
  std::printf("RRULE figure: rrule_extra.jsonl %.4f of %zu right (bar 0.95)\n", rate, rows);
  EXPECT_GT(rows, 0u);
  EXPECT_GE(rate, 0.95);
}

}  // namespace
