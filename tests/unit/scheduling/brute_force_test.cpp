// The solver against brute force: 1,000 seeded random small requests (2-4 required people, optional ones,
// random zones, hours, split days, off-limits, buffers, caps, trips, places; random calendars with single,
// recurring, all-day, transparent and cancelled events; offered, refused and wished windows; loops in fixed
// and free order; in-person meetings) on a 5-minute grid. An exhaustive search written apart from the
// solver (a linear scan of every 5-minute start, each rule checked on wall times through date/tz's
// zoned_time, each busy occurrence scanned) finds every feasible start and scores each with the documented
// score (docs/scheduling.md, "The score"). The solver's top slot must have the same score; its feasible
// starts (top_n = 0) must be the same set. Where nothing fits, a reference written the same way measures every
// compromise candidate against every rule (docs/scheduling.md, "The compromise": costs, score, tie-breaks);
// the solver's compromise must be the reference's: the same start, penalty and broken rules with their people
// and amounts. CompromiseOfLargerTeams does the same for 40 requests of 8-30 people.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "unit/scheduling/fixtures.hpp"

namespace tandem::scheduling::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Sec = long long;

// West to east: a case takes its people's zones from two neighbours, so that many cases have a slot.
const char* const kZones[] = {"America/Los_Angeles", "America/New_York", "UTC",        "Europe/London",
                              "Europe/Berlin",       "Asia/Kolkata",     "Asia/Tokyo", "Australia/Sydney"};
const char* const kPlaces[] = {"North office", "South office", "Harbour cafe"};

// Days around DST changes and ordinary ones.
const char* const kDays[] = {"2026-03-06", "2026-03-27", "2026-04-03", "2026-10-02", "2026-10-23",
                             "2026-10-30", "2026-06-10", "2026-01-14", "2026-11-20", "2026-08-05"};

Sec S(sys_seconds t) { return t.time_since_epoch().count(); }

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }
std::string clock_text(int m) { return two(m / 60) + ":" + two(m % 60); }

struct Gen {
  std::mt19937_64 rng;
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
};

// "20260311T093000" of a wall time.
std::string ics_local(const date::local_seconds& l) { return date::format("%Y%m%dT%H%M%S", l); }

struct Case {
  std::string yaml;
  std::map<std::string, std::string> calendars;
  SlotRequest request;
};

// The size of the requests a generator makes. The defaults are the small requests of ThousandRandomRequests
// (every draw the same as before the shape existed, so its seed gives the same 1,000 cases).
struct Shape {
  int people_lo = 2, people_hi = 4;  // required and optional together, plus 0-2
  int events_hi = 10;                // 1 to this many events a person
  int horizon_lo = 1, horizon_hi = 3;
  int grid = 5;
  bool large = false;  // loops of at most 4 sessions of several interviewers; sometimes an ignored event
};

Case make_case(Gen& g, int n, const Shape& shape = {}) {
  Case c;
  const std::string day = kDays[g.uniform(0, 9)];
  const int west = g.uniform(0, 6);
  const std::string home_zone = kZones[west + g.uniform(0, 1)];
  const sys_seconds now = at(home_zone, day + " " + two(g.uniform(0, 23)) + ":" + two(g.uniform(0, 59)));
  const int horizon_days = g.uniform(shape.horizon_lo, shape.horizon_hi);
  std::string yaml = "travel_minutes:\n  - {from: North office, to: South office, minutes: " + std::to_string(g.uniform(10, 60)) +
                     "}\ndefault_travel_minutes: " + std::to_string(g.uniform(0, 30)) + "\npeople:\n";
  const int people = g.uniform(shape.people_lo, shape.people_hi) + g.uniform(0, 2);  // some of them optional
  std::vector<std::string> ids;
  for (int i = 0; i < people; ++i) {
    const std::string id = "p" + std::to_string(i);
    ids.push_back(id);
    const std::string zone = kZones[west + g.uniform(0, 1)];
    yaml += "  " + id + ":\n    email: " + id + "@example.org\n    name: Person " + std::to_string(i) + "\n    tz: " + zone + "\n";
    yaml += i == 0 ? std::string("    locations: {\"North office\": null, \"South office\": Quay 4}\n")
                   : "    locations: {\"" + std::string(kPlaces[g.uniform(0, 1)]) + "\": null}\n";
    if (!g.chance(0.1)) {
      yaml += "    working_hours:\n";
      for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
        if ((std::string(d) == "sat" || std::string(d) == "sun") && g.chance(0.7)) {
          yaml += std::string("      ") + d + ": []\n";
          continue;
        }
        const int b = g.uniform(24, 44) * 15;  // 06:00-11:00
        const int e = g.uniform(56, 80) * 15;  // 14:00-20:00
        if (g.chance(0.25) && b / 15 + 4 <= e / 15 - 5) {
          const int gap = g.uniform(b / 15 + 4, e / 15 - 5) * 15;
          yaml += std::string("      ") + d + ": [\"" + clock_text(b) + "-" + clock_text(gap) + "\", \"" +
                  clock_text(gap + 60) + "-" + clock_text(e) + "\"]\n";
        } else {
          yaml += std::string("      ") + d + ": [\"" + clock_text(b) + "-" + clock_text(e) + "\"]\n";
        }
      }
    }
    yaml += "    preferences:\n";
    if (g.chance(0.6)) {
      const int b = g.uniform(32, 60) * 15;
      yaml += "      preferred_hours: [\"" + clock_text(b) + "-" + clock_text(b + g.uniform(4, 16) * 15) + "\"]\n";
    }
    if (g.chance(0.4)) {
      const int b = g.uniform(44, 56) * 15;
      yaml += "      off_limits:\n        - {days: [mon, tue, wed, thu, fri], from: \"" + clock_text(b) + "\", to: \"" +
              clock_text(b + g.uniform(2, 6) * 15) + "\", label: lunch}\n";
    }
    yaml += "      buffer_before_minutes: " + std::to_string(g.uniform(0, 3) * 5) + "\n";
    yaml += "      buffer_after_minutes: " + std::to_string(g.uniform(0, 3) * 5) + "\n";
    if (g.chance(0.4)) yaml += "      daily_meeting_cap: " + std::to_string(g.uniform(1, 4)) + "\n";
    if (g.chance(0.25)) {
      const date::year_month_day d0{date::floor<date::days>(
          date::zoned_time<seconds>(date::locate_zone(zone), now).get_local_time())};
      const date::year_month_day from{date::sys_days{d0} + date::days{g.uniform(-1, 2)}};
      const date::year_month_day to{date::sys_days{from} + date::days{g.uniform(0, 2)}};
      yaml += "    travel:\n      - {tz: " + std::string(kZones[g.uniform(0, 7)]) + ", from: \"" + date::format("%F", from) +
              "\", to: \"" + date::format("%F", to) + "\", label: trip}\n";
    }
    // The calendar: events around the window, on the 5-minute grid, in the person's zone or in UTC.
    std::vector<std::string> events;
    const int count = g.uniform(1, shape.events_hi);
    for (int k = 0; k < count; ++k) {
      const sys_seconds t0 = std::chrono::floor<minutes>(now) - std::chrono::hours(24) +
                             minutes(5 * g.uniform(0, (horizon_days + 2) * 288));
      const sys_seconds t = std::chrono::floor<minutes>(t0) - minutes(std::chrono::floor<minutes>(t0).time_since_epoch().count() % 5);
      const int len = 5 * g.uniform(1, 36);
      std::vector<std::string> more;
      if (g.chance(0.1)) more.push_back("TRANSP:TRANSPARENT");
      if (g.chance(0.08)) more.push_back("STATUS:CANCELLED");
      if (g.chance(0.35)) more.push_back(std::string("LOCATION:") + kPlaces[g.uniform(0, 2)]);
      if (g.chance(0.12)) more.push_back("RRULE:FREQ=DAILY;COUNT=" + std::to_string(g.uniform(2, 5)));
      const std::string uid = id + "-" + std::to_string(k);
      if (g.chance(0.08)) {
        const auto l = date::floor<date::days>(date::zoned_time<seconds>(date::locate_zone(zone), t).get_local_time());
        events.push_back(vevent(uid, "VALUE=DATE:" + date::format("%Y%m%d", l),
                                "VALUE=DATE:" + date::format("%Y%m%d", l + date::days{1}), more));
      } else if (g.chance(0.5)) {
        events.push_back(vevent(uid, date::format("%Y%m%dT%H%M%SZ", t), date::format("%Y%m%dT%H%M%SZ", t + minutes(len)), more));
      } else {
        const auto* z = date::locate_zone(zone);
        const auto l0 = date::zoned_time<seconds>(z, t).get_local_time();
        const auto l1 = date::zoned_time<seconds>(z, t + minutes(len)).get_local_time();
        if (l1 > l0)
          events.push_back(vevent(uid, "TZID=" + zone + ":" + ics_local(l0), "TZID=" + zone + ":" + ics_local(l1), more));
        else  // across the autumn change the wall-clock end would come first: written in UTC instead
          events.push_back(vevent(uid, date::format("%Y%m%dT%H%M%SZ", t), date::format("%Y%m%dT%H%M%SZ", t + minutes(len)), more));
      }
    }
    c.calendars[id] = ics(events);
  }
  c.yaml = yaml;
  SlotRequest& r = c.request;
  r.now = now;
  r.grid = minutes(shape.grid);
  r.lead = minutes(5 * g.uniform(0, 36));
  r.horizon = std::chrono::days(horizon_days);
  r.zone = home_zone;
  const int required = people - g.uniform(0, std::min(2, people - 2));
  for (int i = 0; i < people; ++i) (i < required ? r.required : r.optional).push_back(g.chance(0.5) ? ids[i] : ids[i] + "@example.org");
  if (g.chance(0.1)) r.required.push_back("stranger" + std::to_string(n) + "@elsewhere.example");
  r.duration = minutes(5 * g.uniform(3, 18));
  if (shape.large && g.chance(0.2)) {
    // A loop: the first required person is the candidate (with a few others in every session), the rest
    // interview in 2-4 sessions, several to a session.
    const int sessions = g.uniform(2, 4);
    for (int k = 0; k < sessions; ++k) r.sessions.push_back(Session{{}, minutes(5 * g.uniform(3, 12))});
    const int everywhere = g.uniform(1, 3);
    std::vector<std::string> all(r.required.begin(), r.required.begin() + everywhere);
    for (int i = everywhere; i < required; ++i) r.sessions[std::size_t(i % sessions)].with.push_back(ids[i]);
    r.required = all;
    r.fixed_order = g.chance(0.5);
  } else if (!shape.large && g.chance(0.15) && required >= 3) {
    // A loop: the first required person is the candidate, the others interview in sessions.
    for (int i = 1; i < required; ++i) r.sessions.push_back(Session{{ids[i]}, minutes(5 * g.uniform(3, 9))});
    r.required = {ids[0]};
    r.fixed_order = g.chance(0.5);
  }
  auto window = [&](int min_len, int max_len) {
    const sys_seconds a = std::chrono::floor<minutes>(now) + minutes(5 * g.uniform(0, horizon_days * 288));
    const sys_seconds a5 = a - minutes(std::chrono::floor<minutes>(a).time_since_epoch().count() % 5);
    return Window{a5, a5 + minutes(5 * g.uniform(min_len, max_len))};
  };
  if (g.chance(0.5)) {
    for (int k = g.uniform(1, 3); k > 0; --k) r.offered.push_back(window(6, 150));
    if (g.chance(0.3)) r.offered_points.push_back(window(1, 1).begin);
  }
  if (g.chance(0.3)) r.refused.push_back(window(6, 100));
  if (g.chance(0.3)) r.preferred.push_back(window(6, 100));
  if (g.chance(0.3)) {
    r.in_person = true;
    r.location = kPlaces[g.uniform(0, 2)];
  }
  if (shape.large && g.chance(0.2)) r.ignore_event_uid = "p" + std::to_string(g.uniform(0, people - 1)) + "-0";
  r.top_n = 0;
  return c;
}

// --- the exhaustive search, written apart from the solver ----------------------------------------------

struct Occ {
  Sec start, end;
  bool all_day;
  std::string place;
};

// One broken rule of a compromise as the reference measures it (docs/scheduling.md, "The compromise").
struct RefViolation {
  std::string constraint;
  std::string person;
  long long minutes = 0;
  long long meetings = 0;
  friend bool operator==(const RefViolation&, const RefViolation&) = default;
};
struct RefCompromise {
  Sec start = 0;
  double penalty = 0;
  std::vector<RefViolation> broken;
};

std::string describe(const std::vector<RefViolation>& v) {
  std::string out;
  for (const RefViolation& x : v)
    out += " [" + x.constraint + " " + x.person + " " + std::to_string(x.minutes) + " min " + std::to_string(x.meetings) + "]";
  return out;
}

struct Brute {
  const PeopleDirectory& dir;
  const SlotRequest& r;
  std::map<std::string, std::vector<Occ>> busy;  // by person id

  const Person* find(const std::string& who) const { return dir.find(who); }

  // Seconds of [start, end) inside the request's preferred (wished) windows, each second counted once.
  Sec wished(Sec start, Sec end) const {
    std::vector<std::pair<Sec, Sec>> w;
    for (const Window& x : r.preferred) w.push_back({S(x.begin), S(x.end)});
    std::sort(w.begin(), w.end());
    Sec in = 0, covered = start;
    for (auto [a, b] : w) {
      a = std::max(a, covered);
      b = std::min(b, end);
      if (a < b) {
        in += b - a;
        covered = b;
      }
    }
    return in;
  }

  std::string zone_at(const Person& p, Sec a) const {
    for (const Trip& t : p.travel) {
      const auto l = date::zoned_time<seconds>(date::locate_zone(t.zone), sys_seconds{seconds{a}}).get_local_time();
      const date::year_month_day d{date::floor<date::days>(l)};
      const std::chrono::year_month_day ymd{std::chrono::year(int(d.year())), std::chrono::month(unsigned(d.month())),
                                            std::chrono::day(unsigned(d.day()))};
      if (std::chrono::sys_days{ymd} >= std::chrono::sys_days{t.from} && std::chrono::sys_days{ymd} <= std::chrono::sys_days{t.to})
        return t.zone;
    }
    return p.zone;
  }
  static date::local_seconds local(const std::string& z, Sec t) {
    return date::zoned_time<seconds>(date::locate_zone(z), sys_seconds{seconds{t}}).get_local_time();
  }
  static Sec instant(const std::string& z, date::local_seconds l) {
    return date::zoned_time<seconds>(date::locate_zone(z), l, date::choose::earliest).get_sys_time().time_since_epoch().count();
  }

  bool person_ok(const Person& p, Sec a, Sec b) const {
    const std::string z = zone_at(p, a);
    const date::local_seconds la = local(z, a), lb = local(z, b);
    const date::local_days da = date::floor<date::days>(la), db = date::floor<date::days>(lb);
    if (p.has_working_hours) {
      const bool next_midnight = db == da + date::days{1} && lb == date::local_seconds{db};
      if (db != da && !next_midnight) return false;
      const long ta = (la - da).count() / 60;
      const long tb = db == da ? (lb - da).count() / 60 : 1440;
      bool inside = false;
      for (const DayRange& w : p.working_hours[date::weekday{da}.c_encoding()])
        if (w.begin <= ta && tb <= w.end) inside = true;
      if (!inside) return false;
    }
    for (const OffLimits& o : p.off_limits)
      for (date::local_days d : {da, db}) {
        if (std::find(o.days.begin(), o.days.end(), int(date::weekday{d}.c_encoding())) == o.days.end()) continue;
        const Sec bs = instant(z, d + minutes(o.range.begin)), be = instant(z, d + minutes(o.range.end));
        if (bs < b && a < be) return false;
      }
    const Sec pa = a - p.buffer_before_minutes * 60, pb = b + p.buffer_after_minutes * 60;
    const auto& occ = busy.at(p.id);
    for (const Occ& o : occ)
      if (o.start < pb && o.end > pa) return false;
    if (p.daily_meeting_cap > 0) {
      const Sec d0 = instant(z, date::local_seconds{da}), d1 = instant(z, date::local_seconds{da + date::days{1}});
      int n = 0;
      for (const Occ& o : occ)
        if (!o.all_day && o.start >= d0 && o.start < d1) ++n;
      if (n >= p.daily_meeting_cap) return false;
    }
    if (r.in_person && !r.location.empty()) {
      const std::string L = dir.resolve_place(r.location);
      Sec prev_end = 0, next_start = 0;
      int prev_t = -1, next_t = -1;
      for (const Occ& o : occ) {
        if (o.place.empty()) continue;
        if (o.end <= a) {
          const int t = dir.travel(o.place, L);
          if (prev_t < 0 || o.end > prev_end) { prev_end = o.end; prev_t = t; }
          else if (o.end == prev_end) prev_t = std::max(prev_t, t);
        }
        if (o.start >= b) {
          const int t = dir.travel(L, o.place);
          if (next_t < 0 || o.start < next_start) { next_start = o.start; next_t = t; }
          else if (o.start == next_start) next_t = std::max(next_t, t);
        }
      }
      if (prev_t > 0 && a - prev_end < prev_t * 60) return false;
      if (next_t > 0 && next_start - b < next_t * 60) return false;
    }
    return true;
  }

  double preferred(const Person& p, Sec a, Sec b) const {
    const std::string z = zone_at(p, a);
    const date::local_days d = date::floor<date::days>(local(z, a));
    Sec in = 0;
    for (date::local_days k : {d, d + date::days{1}})
      for (const DayRange& w : p.preferred_hours) {
        const Sec ws = instant(z, k + minutes(w.begin)), we = instant(z, k + minutes(w.end));
        in += std::max<Sec>(0, std::min(b, we) - std::max(a, ws));
      }
    return std::min(1.0, double(in) / double(b - a));
  }

  // The best score of `start` over the orders allowed, or nullopt when no order is feasible.
  std::optional<double> evaluate(Sec start) const {
    const Sec total = r.sessions.empty() ? Sec(r.duration.count()) * 60 : [&] {
      Sec t = 0;
      for (const Session& s : r.sessions) t += Sec(s.length.count()) * 60;
      return t;
    }();
    const Sec end = start + total;
    const Sec now = S(r.now);
    const Sec earliest = [&] {
      const Sec e = now + Sec(r.lead.count()) * 60;
      return (e % 300 == 0) ? e : e + (300 - ((e % 300) + 300) % 300);
    }();
    if (start < earliest) return std::nullopt;
    if (!r.offered.empty() || !r.offered_points.empty()) {
      bool ok = false;
      for (const Window& w : r.offered) ok = ok || (start >= S(w.begin) && end <= S(w.end));
      for (sys_seconds p : r.offered_points) ok = ok || S(p) == start;
      if (!ok) return std::nullopt;
    } else if (start >= now + Sec(r.horizon.count()) * 86400) {
      return std::nullopt;
    }
    for (const Window& w : r.refused)
      if (S(w.begin) < end && start < S(w.end)) return std::nullopt;
    std::vector<std::vector<std::size_t>> orders;
    std::vector<std::size_t> o(r.sessions.size());
    for (std::size_t i = 0; i < o.size(); ++i) o[i] = i;
    do orders.push_back(o);
    while (!r.fixed_order && std::next_permutation(o.begin(), o.end()));
    std::optional<double> best;
    for (const auto& order : orders) {
      // Each required person's span.
      std::vector<std::pair<const Person*, std::pair<Sec, Sec>>> spans;
      for (const std::string& who : r.required)
        if (const Person* p = find(who)) spans.push_back({p, {start, end}});
      if (!r.sessions.empty()) {
        Sec t = start;
        std::map<const Person*, std::pair<Sec, Sec>> in;
        for (std::size_t si : order) {
          for (const std::string& who : r.sessions[si].with)
            if (const Person* p = find(who)) {
              auto it = in.find(p);
              if (it == in.end()) in[p] = {t, t + Sec(r.sessions[si].length.count()) * 60};
              else it->second.second = t + Sec(r.sessions[si].length.count()) * 60;
            }
          t += Sec(r.sessions[si].length.count()) * 60;
        }
        for (auto& s : spans)
          if (in.count(s.first)) s.second = in[s.first];
        for (const auto& [p, span] : in) {
          bool listed = false;
          for (const auto& s : spans) listed = listed || s.first == p;
          if (!listed) spans.push_back({p, span});
        }
      }
      bool ok = true;
      for (const auto& [p, span] : spans) ok = ok && person_ok(*p, span.first, span.second);
      if (!ok) continue;
      double score = 0;
      std::set<const Person*> required_people;
      for (const auto& s : spans) required_people.insert(s.first);
      for (const std::string& who : r.optional) {
        const Person* p = find(who);
        if (p == nullptr) { score += 100; continue; }
        if (required_people.count(p)) continue;
        if (person_ok(*p, start, end)) score += 100;
      }
      score += 10.0 * double(wished(start, end)) / double(total);
      double sum = 0;
      int n = 0;
      for (const auto& [p, span] : spans)
        if (!p->preferred_hours.empty()) { sum += preferred(*p, span.first, span.second); ++n; }
      if (n > 0) score += 5.0 * sum / n;
      score += std::max(0.0, 1.0 - double(start - now) / double(Sec(r.horizon.count()) * 86400));
      if (!best || score > *best) best = score;
    }
    return best;
  }

  // --- the compromise, measured start by start (docs/scheduling.md, "The compromise") --------------------

  static Sec ceil_minutes(Sec s) { return (s + 59) / 60; }
  static Sec overlap(Sec a0, Sec a1, Sec b0, Sec b1) { return std::max<Sec>(0, std::min(a1, b1) - std::max(a0, b0)); }
  static Sec round_up(Sec t, Sec grid) { return t % grid == 0 ? t : t + (grid - ((t % grid) + grid) % grid); }
  static std::string display(const Person& p) { return p.name.empty() ? p.addresses.front() : p.name; }

  Sec total() const {
    if (r.sessions.empty()) return Sec(r.duration.count()) * 60;
    Sec t = 0;
    for (const Session& s : r.sessions) t += Sec(s.length.count()) * 60;
    return t;
  }

  // The required people (each once: the request's, then the sessions' in order of appearance) and the span
  // of each in the loop's given order (the whole meeting without sessions, or for someone in none).
  struct Member {
    const Person* p;
    Sec offset, length;
  };
  std::vector<Member> members() const {
    std::vector<Member> out;
    auto add = [&](const std::string& who) -> int {
      const Person* p = find(who);
      if (p == nullptr) return -1;  // not in the directory: free, no rules
      for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i].p == p) return int(i);
      out.push_back({p, 0, total()});
      return int(out.size()) - 1;
    };
    for (const std::string& who : r.required) add(who);
    std::map<int, std::pair<Sec, Sec>> span;
    Sec t = 0;
    for (const Session& s : r.sessions) {
      const Sec len = Sec(s.length.count()) * 60;
      for (const std::string& who : s.with) {
        const int i = add(who);
        if (i < 0) continue;
        auto it = span.find(i);
        if (it == span.end()) span[i] = {t, t + len};
        else it->second.second = t + len;
      }
      t += len;
    }
    for (const auto& [i, sp] : span) out[std::size_t(i)] = {out[std::size_t(i)].p, sp.first, sp.second - sp.first};
    return out;
  }

  void measure_person(const Person& p, Sec a, Sec len, std::vector<RefViolation>& out) const {
    const Sec b = a + len;
    const std::string z = zone_at(p, a);
    const date::local_days d = date::floor<date::days>(local(z, a));
    const unsigned wd = date::weekday{d}.c_encoding();
    const std::string who = display(p);
    if (p.has_working_hours) {
      Sec least = 86400;
      for (const DayRange& w : p.working_hours[wd]) {
        const Sec rb = instant(z, d + minutes(w.begin)), re = instant(z, d + minutes(w.end));
        least = std::min(least, std::max<Sec>(0, rb - a) + std::max<Sec>(0, b - re));
      }
      if (least > 0) out.push_back({"working_hours", who, ceil_minutes(least), 0});
    }
    for (const OffLimits& o : p.off_limits) {
      Sec inside = 0;
      for (date::local_days k : {d - date::days{1}, d, d + date::days{1}})
        if (std::find(o.days.begin(), o.days.end(), int(date::weekday{k}.c_encoding())) != o.days.end())
          inside += overlap(a, b, instant(z, k + minutes(o.range.begin)), instant(z, k + minutes(o.range.end)));
      if (inside > 0) out.push_back({"off_limits", who, ceil_minutes(inside), 0});
    }
    // Busy: the meeting's minutes inside each occurrence (at least one each); buffers: the minutes of the
    // buffers inside an occurrence the meeting itself does not overlap.
    const Sec before = p.buffer_before_minutes * 60, after = p.buffer_after_minutes * 60;
    Sec busy_in = 0, buffer_in = 0;
    const auto& occ = busy.at(p.id);
    for (const Occ& o : occ) {
      if (o.start < b && o.end > a) busy_in += std::max<Sec>(overlap(a, b, o.start, o.end), 60);
      else if (o.start < b + after && o.end > a - before)
        buffer_in += std::max<Sec>(overlap(a - before, a, o.start, o.end) + overlap(b, b + after, o.start, o.end), 60);
    }
    if (busy_in > 0) out.push_back({"busy", who, std::min(ceil_minutes(busy_in), ceil_minutes(len)), 0});
    if (buffer_in > 0) out.push_back({"buffer", who, ceil_minutes(buffer_in), 0});
    if (p.daily_meeting_cap > 0) {
      const Sec d0 = instant(z, date::local_seconds{d}), d1 = instant(z, date::local_seconds{d + date::days{1}});
      long long n = 0;
      for (const Occ& o : occ)
        if (!o.all_day && o.start >= d0 && o.start < d1) ++n;
      if (n >= p.daily_meeting_cap) out.push_back({"daily_cap", who, 0, n - p.daily_meeting_cap + 1});
    }
    if (r.in_person && !r.location.empty()) {
      const std::string L = dir.resolve_place(r.location);
      if (!L.empty()) {
        // The located occurrence that ends last at or before the start, the one that starts first at or
        // after the end; among several ending (starting) then, the longest travel.
        bool has_prev = false, has_next = false;
        Sec prev_end = 0, next_start = 0, prev_t = 0, next_t = 0;
        for (const Occ& o : occ) {
          if (o.place.empty()) continue;
          if (o.end <= a) {
            const Sec t = Sec(dir.travel(o.place, L)) * 60;
            if (!has_prev || o.end > prev_end) prev_t = t;
            else if (o.end == prev_end) prev_t = std::max(prev_t, t);
            if (!has_prev || o.end > prev_end) prev_end = o.end;
            has_prev = true;
          }
          if (o.start >= b) {
            const Sec t = Sec(dir.travel(L, o.place)) * 60;
            if (!has_next || o.start < next_start) next_t = t;
            else if (o.start == next_start) next_t = std::max(next_t, t);
            if (!has_next || o.start < next_start) next_start = o.start;
            has_next = true;
          }
        }
        Sec short_by = 0;
        if (has_prev && a - prev_end < prev_t) short_by += prev_t - (a - prev_end);
        if (has_next && next_start - b < next_t) short_by += next_t - (next_start - b);
        if (short_by > 0) out.push_back({"travel", who, ceil_minutes(short_by), 0});
      }
    }
  }

  // Every rule `start` breaks: the request's own (lead, offers, refusals), then each required person's.
  std::vector<RefViolation> measure(Sec start, const std::vector<Member>& people) const {
    std::vector<RefViolation> out;
    const Sec len = total(), end = start + len, now = S(r.now);
    const Sec grid = std::max<Sec>(60, Sec(r.grid.count()) * 60);
    const Sec earliest = round_up(now + Sec(r.lead.count()) * 60, grid);
    if (start < earliest) out.push_back({"lead", "", ceil_minutes(earliest - start), 0});
    if (!r.offered.empty() || !r.offered_points.empty()) {
      Sec best = std::numeric_limits<Sec>::max();
      for (const Window& w : r.offered) best = std::min(best, len - overlap(start, end, S(w.begin), S(w.end)));
      for (sys_seconds p : r.offered_points) best = std::min(best, start > S(p) ? start - S(p) : S(p) - start);
      if (best > 0) out.push_back({"outside_offered", "", ceil_minutes(best), 0});
    }
    for (const Window& w : r.refused)
      if (const Sec o = overlap(start, end, S(w.begin), S(w.end)); o > 0) out.push_back({"refused", "", ceil_minutes(o), 0});
    for (const Member& m : people) measure_person(*m.p, start + m.offset, m.length, out);
    return out;
  }

  static double penalty(const std::vector<RefViolation>& v) {
    static const std::map<std::string, double> kUnit = {{"busy", 10},       {"refused", 8}, {"lead", 6},
                                                        {"outside_offered", 4}, {"off_limits", 4}, {"working_hours", 3},
                                                        {"travel", 3},      {"buffer", 1},  {"daily_cap", 45}};
    double p = 0;
    for (const RefViolation& x : v) p += 20 + kUnit.at(x.constraint) * double(x.constraint == "daily_cap" ? x.meetings : x.minutes);
    return p;
  }

  // The documented score of a start (the loop in its given order), feasible or not.
  double score(Sec start, const std::vector<Member>& people) const {
    const Sec len = total(), end = start + len;
    double s = 0;
    for (const std::string& who : r.optional) {
      const Person* p = find(who);
      bool required = false;
      for (const Member& m : people) required = required || m.p == p;
      if (p != nullptr && required) continue;
      if (p == nullptr || person_ok(*p, start, end)) s += 100;
    }
    s += 10.0 * double(wished(start, end)) / double(len);
    double sum = 0;
    int n = 0;
    for (const Member& m : people)
      if (!m.p->preferred_hours.empty()) {
        sum += preferred(*m.p, start + m.offset, start + m.offset + m.length);
        ++n;
      }
    if (n > 0) s += 5.0 * sum / n;
    s += std::max(0.0, 1.0 - double(start - S(r.now)) / double(Sec(r.horizon.count()) * 86400));
    return s;
  }

  // Among the grid starts from now to the horizon and those of the offered windows, and the offered points
  // (the lead not applied), the one that costs least; ties: the higher score, then the earlier.
  std::optional<RefCompromise> compromise() const {
    const Sec len = total(), now = S(r.now);
    const Sec grid = std::max<Sec>(60, Sec(r.grid.count()) * 60);
    const Sec lo = round_up(now, grid);
    std::set<Sec> starts;
    auto window = [&](Sec a, Sec b) {
      for (Sec x = round_up(a, grid); x < b; x += grid) starts.insert(x);
    };
    window(lo, now + Sec(r.horizon.count()) * 86400);
    for (const Window& w : r.offered) window(std::max(S(w.begin), lo), S(w.end) - len + 1);
    for (sys_seconds p : r.offered_points)
      if (S(p) >= lo) starts.insert(S(p));
    const std::vector<Member> people = members();
    std::optional<RefCompromise> best;
    double best_score = 0;
    for (Sec x : starts) {
      std::vector<RefViolation> v = measure(x, people);
      if (v.empty()) continue;
      const double p = penalty(v);
      if (best && p > best->penalty) continue;
      const double s = score(x, people);
      if (!best || p < best->penalty || s > best_score) {
        best = RefCompromise{x, p, std::move(v)};
        best_score = s;
      }
    }
    return best;
  }
};

// Busy occurrences straight from the calendar layer, by person id (all-day and floating ones in the zone of
// their date; cancelled, transparent and the request's ignored event left out).
std::map<std::string, std::vector<Occ>> busy_of(const PeopleDirectory& dir, const std::map<std::string, std::string>& calendars,
                                                const SlotRequest& r) {
  std::map<std::string, std::vector<Occ>> out;
  for (const Person& p : dir.people) {
    auto& list = out[p.id];
    const auto text = calendars.find(p.id);
    if (text == calendars.end()) continue;
    auto parsed = calendar::parse_ics(text->second, p.id);
    EXPECT_TRUE(parsed) << parsed.status().message();
    if (!parsed) continue;
    calendar::ExpandOptions o;
    o.default_zone = p.zone;
    for (const auto& occ : calendar::expand(*parsed, r.now - std::chrono::days(10), r.now + std::chrono::days(20), o)) {
      if (occ.transparent || occ.status == calendar::EventStatus::cancelled) continue;
      if (!r.ignore_event_uid.empty() && occ.uid == r.ignore_event_uid) continue;
      Occ x{S(occ.start), S(occ.end), occ.all_day, occ.location.empty() ? "" : dir.resolve_place(occ.location)};
      if (occ.floating) {
        const date::local_seconds ls{occ.local_start.time_since_epoch()}, le{occ.local_end.time_since_epoch()};
        const date::year_month_day d{date::floor<date::days>(ls)};
        const std::string z = p.zone_on(std::chrono::year_month_day{std::chrono::year(int(d.year())),
                                                                    std::chrono::month(unsigned(d.month())),
                                                                    std::chrono::day(unsigned(d.day()))});
        x.start = Brute::instant(z, ls);
        x.end = Brute::instant(z, le);
      }
      list.push_back(x);
    }
  }
  return out;
}

// The solver's compromise against the reference's: the same start, penalty and broken rules (each rule,
// person and amount, in the same order). Empty when they agree.
std::string compare_compromise(const SolveResult& got, const std::optional<RefCompromise>& want, const std::string& zone) {
  if (!want) return got.compromise ? "a compromise where the reference has none" : "";
  if (!got.compromise) return "no compromise; the reference has one at " + format_instant(sys_seconds{seconds{want->start}}, zone);
  const Compromise& c = *got.compromise;
  std::vector<RefViolation> broken;
  for (const Violation& v : c.broken) broken.push_back({v.constraint, v.person, v.minutes, v.meetings});
  if (S(c.slot.start) == want->start && c.penalty == want->penalty && broken == want->broken) return "";
  return "solver " + format_instant(c.slot.start, zone) + " penalty " + std::to_string(c.penalty) + describe(broken) +
         "\nreference " + format_instant(sys_seconds{seconds{want->start}}, zone) + " penalty " + std::to_string(want->penalty) +
         describe(want->broken);
}

TEST(SchedulingBruteForce, ThousandRandomRequests) {
  Gen g{std::mt19937_64(20260311)};
  int feasible_cases = 0, loops = 0, in_person = 0, compared = 0;
  for (int n = 0; n < 1000; ++n) {
    const Case c = make_case(g, n);
    const PeopleDirectory dir = directory_from_yaml(c.yaml);
    ASSERT_FALSE(dir.people.empty()) << c.yaml;
    const Scheduler s = make_scheduler(dir, c.calendars);
    const SlotRequest& r = c.request;
    Brute b{dir, r, busy_of(dir, c.calendars, r)};
    // Every 5-minute start from now to the end of the last offer or the horizon.
    Sec lo = S(r.now) - S(r.now) % 300, hi = S(r.now) + Sec(r.horizon.count()) * 86400;
    for (const Window& w : r.offered) hi = std::max(hi, S(w.end));
    for (sys_seconds p : r.offered_points) hi = std::max(hi, S(p) + 1);
    std::map<Sec, double> expected;
    for (Sec x = lo; x < hi; x += 300)
      if (auto score = b.evaluate(x)) expected[x] = *score;
    const SolveResult all = s.solve(r);
    std::map<Sec, double> got;
    for (const Slot& slot : all.slots) got[S(slot.start)] = slot.score;
    std::string diff;
    for (const auto& [x, v] : expected)
      if (!got.count(x)) diff += " missing " + format_instant(sys_seconds{seconds{x}}, r.zone);
    for (const auto& [x, v] : got)
      if (!expected.count(x)) diff += " extra " + format_instant(sys_seconds{seconds{x}}, r.zone);
    ASSERT_TRUE(diff.empty()) << "case " << n << ":" << diff.substr(0, 600) << "\n" << c.yaml;
    ASSERT_EQ(all.nothing_fits, expected.empty()) << "case " << n;
    for (const auto& [x, v] : expected) ASSERT_NEAR(got[x], v, 1e-9) << "case " << n << " start " << x;
    SlotRequest top = r;
    top.top_n = 1;
    const SolveResult best = s.solve(top);
    if (!expected.empty()) {
      double max = -1;
      for (const auto& [x, v] : expected) max = std::max(max, v);
      ASSERT_EQ(best.slots.size(), 1u) << "case " << n;
      ASSERT_NEAR(best.slots[0].score, max, 1e-9) << "case " << n;
      ++feasible_cases;
    } else {
      ASSERT_TRUE(best.nothing_fits) << "case " << n;
      ASSERT_TRUE(best.compromise.has_value()) << "case " << n;
      ASSERT_FALSE(best.compromise->broken.empty()) << "case " << n;
      const std::string wrong = compare_compromise(best, b.compromise(), r.zone);
      ASSERT_TRUE(wrong.empty()) << "case " << n << ": " << wrong << "\n" << c.yaml;
    }
    loops += r.sessions.empty() ? 0 : 1;
    in_person += r.in_person ? 1 : 0;
    ++compared;
  }
  std::cout << "Brute force: " << compared << " requests, " << feasible_cases << " with a slot (top score equal, every "
            << "feasible start equal), " << compared - feasible_cases << " with none (a compromise each, equal to the reference's); " << loops
            << " loops, " << in_person << " in person\n";
  EXPECT_GT(feasible_cases, 150);  // 229 with this seed: the generator makes both kinds common
  EXPECT_GT(compared - feasible_cases, 50);
}

// Larger teams, where nothing fits far more often: 8-30 people over 2-4 days on a 15-minute grid, 1-24 events
// each, loops of several interviewers a session, ignored events. Where the solver says nothing fits, its
// compromise (start, penalty, every broken rule with its person and amount) is the reference's, measured
// start by start with the documented costs, score and tie-breaks.
TEST(SchedulingBruteForce, CompromiseOfLargerTeams) {
  Gen g{std::mt19937_64(20261124)};
  Shape shape;
  shape.people_lo = 8;
  shape.people_hi = 28;
  shape.events_hi = 24;
  shape.horizon_lo = 2;
  shape.horizon_hi = 4;
  shape.grid = 15;
  shape.large = true;
  int none = 0, loops = 0, in_person = 0, people = 0;
  for (int n = 0; n < 40; ++n) {
    const Case c = make_case(g, n, shape);
    const PeopleDirectory dir = directory_from_yaml(c.yaml);
    ASSERT_FALSE(dir.people.empty()) << c.yaml;
    const Scheduler s = make_scheduler(dir, c.calendars);
    SlotRequest r = c.request;
    r.top_n = 1;
    const SolveResult got = s.solve(r);
    if (!got.nothing_fits) continue;
    const Brute b{dir, r, busy_of(dir, c.calendars, r)};
    const std::string wrong = compare_compromise(got, b.compromise(), r.zone);
    ASSERT_TRUE(wrong.empty()) << "case " << n << ": " << wrong << "\n" << c.yaml;
    ++none;
    loops += r.sessions.empty() ? 0 : 1;
    in_person += r.in_person ? 1 : 0;
    people += int(dir.people.size());
  }
  std::cout << "Larger teams: " << none << " of 40 requests with nothing fitting (" << people << " people in all), "
            << "the compromise equal to the reference's; " << loops << " loops, " << in_person << " in person\n";
  EXPECT_GE(none, 30);
}

}  // namespace
}  // namespace tandem::scheduling::testing
