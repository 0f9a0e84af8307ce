// The calendar constraint solver (docs/scheduling.md). Every hard rule is turned into the set of starts it
// allows or forbids for one person and one length of time (an IntervalSet: one pass over that person's
// days and events), the sets are combined, and only the starts that survive are scored. A second path
// measures one start against every rule by how much it breaks each (the compromise, and the reasons); when
// nothing fits, a third one costs every candidate start as numbers only (cheapest_start) and the winner alone
// is measured with its texts.
#include "tandem/scheduling.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scheduling/busy.hpp"
#include "scheduling/interval_set.hpp"
#include "scheduling/text.hpp"
#include "scheduling/zones.hpp"

namespace tandem::scheduling {

using detail::BusyCache;
using detail::BusyOcc;
using detail::IntervalSet;
using detail::Sec;

struct Scheduler::Impl {
  PeopleDirectory directory;
  std::vector<std::optional<calendar::Calendar>> calendars;
  std::unique_ptr<BusyCache> cache;  // refers to the two members above; an Impl never moves
};

namespace {

constexpr Sec kMinute = 60;
constexpr Sec kDay = 86400;
constexpr Sec kFar = std::numeric_limits<Sec>::max() / 4;

// The score's weights (docs/scheduling.md, "The score").
constexpr double kWeightOptional = 100;  // per optional participant free: dominates the rest
constexpr double kWeightWished = 10;     // share of the meeting inside the request's preferred windows
constexpr double kWeightPreferred = 5;   // mean share of each person's span inside their preferred hours
constexpr double kWeightSoon = 1;        // 1 at `now`, 0 at the horizon and after

// The compromise's weights (docs/scheduling.md, "The compromise"): a fixed cost per broken rule, plus a
// cost per minute (per meeting for the daily cap).
constexpr double kPenaltyEach = 20;
double penalty_per_unit(const std::string& c) {
  if (c == "busy") return 10;
  if (c == "refused") return 8;
  if (c == "lead") return 6;
  if (c == "outside_offered") return 4;
  if (c == "off_limits") return 4;
  if (c == "working_hours") return 3;
  if (c == "travel") return 3;
  if (c == "buffer") return 1;
  if (c == "daily_cap") return 45;
  return 1;
}

Sec secs(sys_seconds t) { return t.time_since_epoch().count(); }
sys_seconds instant(Sec s) { return sys_seconds{std::chrono::seconds{s}}; }
long long whole_minutes(Sec s) { return static_cast<long long>((s + kMinute - 1) / kMinute); }

Sec overlap(Sec a0, Sec a1, Sec b0, Sec b1) { return std::max<Sec>(0, std::min(a1, b1) - std::max(a0, b0)); }

// Candidate starts: grid points of `windows`, and exact `points`.
struct Candidates {
  IntervalSet windows;
  std::vector<Sec> points;  // sorted, unique

  std::size_t count(Sec grid) const { return windows.count_on_grid(grid) + points.size(); }
  Candidates without(const IntervalSet& forbidden) const {
    Candidates c;
    c.windows = windows.minus(forbidden);
    for (Sec p : points)
      if (!forbidden.contains(p)) c.points.push_back(p);
    return c;
  }
  Candidates within(const IntervalSet& allowed) const {
    Candidates c;
    c.windows = windows.intersect(allowed);
    for (Sec p : points)
      if (allowed.contains(p)) c.points.push_back(p);
    return c;
  }
  std::size_t count_in(const IntervalSet& s, Sec grid) const {
    std::size_t n = windows.intersect(s).count_on_grid(grid);
    for (Sec p : points)
      if (s.contains(p)) ++n;
    return n;
  }
  template <class F>
  void for_each(Sec grid, F&& f) const {
    std::vector<Sec> all;
    windows.for_each_on_grid(grid, [&](Sec x) { all.push_back(x); });
    all.insert(all.end(), points.begin(), points.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    for (Sec x : all) f(x);
  }
};

// What one rule forbids (or, for working hours, allows) for one person and one span length, over the
// span starts of the solve's range.
struct PersonSets {
  IntervalSet hours_ok;
  IntervalSet off, busy, buffer, cap, travel;
  IntervalSet allowed;
};

struct Segment {
  const date::time_zone* zone = nullptr;
  std::string zone_name;
  std::string trip;  // the trip's label ("" at home)
  IntervalSet starts;
};

struct Participant {
  std::string named;  // as the request names them
  const Person* person = nullptr;
  std::size_t index = 0;
  std::string display;
  std::vector<BusyOcc> busy;      // blocking, the ignored event left out, by start
  Sec longest = 0;                // the longest busy occurrence (for searches by start)
  std::vector<Sec> timed_starts;  // sorted starts of the timed ones (the daily cap)
  std::vector<Segment> segments;  // which zone holds which span starts
  std::map<Sec, PersonSets> sets; // by span length
};

// The span of one person in a loop: from their first session's start to their last session's end.
struct Span {
  Sec offset = 0;
  Sec length = 0;
};

struct Measured {
  std::vector<Violation> broken;
  double penalty = 0;
};

// What the compromise search keeps of one required person: their busy time as bare intervals, their located
// events for travel, and the rules of the local day asked about last, which hold for span starts in [lo, hi)
// (one zone segment, one offset period, one local day).
struct PersonCost {
  std::vector<std::pair<Sec, Sec>> busy;            // (start, end) of Participant::busy, in its order
  std::vector<std::pair<Sec, Sec>> located_ends;    // (end, travel from its place) of each located event, sorted
  std::vector<std::pair<Sec, Sec>> located_starts;  // (start, minus the travel to its place), sorted
  Sec lo = 0;
  Sec hi = 0;
  std::vector<std::pair<Sec, Sec>> hours;             // the day's working-hours ranges
  std::vector<std::vector<std::pair<Sec, Sec>>> off;  // per off-limits block: its times the day before, on and after
  double cap = 0;                                     // the day's daily-cap cost (0: under the cap)
};

class Solve {
 public:
  Solve(const Scheduler::Impl& impl, const SlotRequest& r) : impl_(impl), dir_(impl.directory), r_(r) {}

  SolveResult run();

 private:
  // --- setup
  Participant make_participant(const std::string& named) const;
  void load_busy(Participant& p, Sec lo, Sec hi) const;
  void make_segments(Participant& p, Sec lo, Sec hi) const;
  const date::time_zone* zone_at(const Participant& p, Sec t, const Segment** seg = nullptr) const;

  // --- the rules as sets
  const PersonSets& sets_for(Participant& p, Sec len);
  std::size_t count_timed(const Participant& p, Sec from, Sec to) const;
  IntervalSet travel_forbidden(const Participant& p, Sec len) const;

  // --- one start measured
  void measure_person(const Participant& p, Sec a, Sec len, std::vector<Violation>& out) const;
  void measure_request(Sec start, std::vector<Violation>& out) const;
  Measured measure(Sec start, const std::vector<Span>& spans) const;

  // --- the compromise search: what each start costs, without texts
  std::optional<Sec> cheapest_start(const Candidates& all, const std::vector<Span>& spans) const;
  double request_cost(Sec start) const;
  double person_cost(const Participant& p, PersonCost& c, Sec a, Sec len) const;
  bool load_day(const Participant& p, PersonCost& c, Sec a) const;

  // --- scoring and reasons
  double score(Sec start, const std::vector<Span>& spans, std::vector<std::string>* optional_free) const;
  double preferred_share(const Participant& p, Sec a, Sec len) const;
  void reasons(Slot& slot, const std::vector<Span>& spans, const std::vector<std::size_t>& order) const;

  std::vector<Span> spans_for(const std::vector<std::size_t>& order, std::vector<Window>* windows, Sec start) const;
  std::vector<std::string> why_none(const Candidates& time, const std::vector<Span>& spans);

  const Scheduler::Impl& impl_;
  const PeopleDirectory& dir_;
  const SlotRequest& r_;
  Sec grid_ = 15 * kMinute;
  Sec now_ = 0;
  Sec earliest_ = 0;
  Sec total_ = 0;
  Sec range_lo_ = 0;
  Sec range_hi_ = 0;
  std::string place_;  // the meeting's resolved place when travel applies
  const date::time_zone* show_ = nullptr;
  std::string show_name_;
  std::vector<Participant> required_;
  std::vector<Participant> optional_;
  std::vector<std::vector<std::size_t>> session_people_;  // per session: indexes into required_
  std::vector<Sec> session_len_;
  IntervalSet refused_;  // forbidden meeting starts
};

Participant Solve::make_participant(const std::string& named) const {
  Participant p;
  p.named = named;
  p.person = dir_.find(named);
  if (p.person != nullptr) {
    p.index = static_cast<std::size_t>(p.person - dir_.people.data());
    p.display = p.person->name.empty() ? p.person->addresses.front() : p.person->name;
    return p;
  }
  p.display = named;
  for (const Person& g : r_.guests)  // known to the caller only: no calendar
    for (const std::string& a : g.addresses)
      if (MailSpec::equal_address(a, named)) {
        p.person = &g;
        p.index = std::numeric_limits<std::size_t>::max();
        if (!g.name.empty()) p.display = g.name;
        return p;
      }
  return p;
}

void Solve::load_busy(Participant& p, Sec lo, Sec hi) const {
  if (p.person == nullptr) return;
  std::vector<BusyOcc> all = impl_.cache->get(p.index, lo, hi);
  for (BusyOcc& b : all) {
    if (!r_.ignore_event_uid.empty() && b.uid == r_.ignore_event_uid) continue;
    p.longest = std::max(p.longest, b.end - b.start);
    if (!b.all_day) p.timed_starts.push_back(b.start);
    p.busy.push_back(std::move(b));
  }
  std::sort(p.timed_starts.begin(), p.timed_starts.end());
}

// Span starts on a trip's dates (in the trip's zone, both included) are in the trip's zone (the first trip
// listed wins where two overlap); the others at home.
void Solve::make_segments(Participant& p, Sec lo, Sec hi) const {
  const IntervalSet range = IntervalSet::of(lo, hi);
  IntervalSet taken;
  if (p.person != nullptr) {
    for (const Trip& t : p.person->travel) {
      const date::time_zone* z = detail::zone_of(t.zone);
      const date::local_days from{date::year(static_cast<int>(t.from.year())) / static_cast<unsigned>(t.from.month()) /
                                  static_cast<unsigned>(t.from.day())};
      const date::local_days to{date::year(static_cast<int>(t.to.year())) / static_cast<unsigned>(t.to.month()) /
                                static_cast<unsigned>(t.to.day())};
      const IntervalSet days = IntervalSet::of(detail::to_sys(z, date::local_seconds{from}),
                                               detail::to_sys(z, date::local_seconds{to + date::days{1}}));
      Segment s{z, t.zone, t.label.empty() ? "trip" : t.label, days.intersect(range).minus(taken)};
      IntervalSet merged = taken;
      for (const auto& sp : days.spans()) merged.add(sp.lo, sp.hi);
      merged.normalize();
      taken = std::move(merged);
      if (!s.starts.empty()) p.segments.push_back(std::move(s));
    }
  }
  const std::string home = p.person != nullptr && !p.person->zone.empty() ? p.person->zone : "UTC";
  Segment s{detail::zone_of(home), home, "", range.minus(taken)};
  if (!s.starts.empty()) p.segments.push_back(std::move(s));
}

const date::time_zone* Solve::zone_at(const Participant& p, Sec t, const Segment** seg) const {
  for (const Segment& s : p.segments)
    if (s.starts.contains(t)) {
      if (seg != nullptr) *seg = &s;
      return s.zone;
    }
  // Outside the solve's range (a compromise candidate): the same rule, computed for this instant.
  if (p.person != nullptr) {
    for (const Segment& s : p.segments)
      if (!s.trip.empty()) {
        for (const Trip& tr : p.person->travel)
          if (tr.zone == s.zone_name) {
            const date::year_month_day d{detail::local_day(s.zone, t)};
            const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(d.year())),
                                                  std::chrono::month(static_cast<unsigned>(d.month())),
                                                  std::chrono::day(static_cast<unsigned>(d.day()))};
            if (std::chrono::sys_days{ymd} >= std::chrono::sys_days{tr.from} &&
                std::chrono::sys_days{ymd} <= std::chrono::sys_days{tr.to}) {
              if (seg != nullptr) *seg = &s;
              return s.zone;
            }
          }
      }
    for (const Segment& s : p.segments)
      if (s.trip.empty()) {
        if (seg != nullptr) *seg = &s;
        return s.zone;
      }
  }
  if (seg != nullptr) *seg = nullptr;
  return detail::zone_of(p.person != nullptr ? p.person->zone : "UTC");
}

std::size_t Solve::count_timed(const Participant& p, Sec from, Sec to) const {
  const auto a = std::lower_bound(p.timed_starts.begin(), p.timed_starts.end(), from);
  const auto b = std::lower_bound(p.timed_starts.begin(), p.timed_starts.end(), to);
  return static_cast<std::size_t>(b - a);
}

// Travel (docs/scheduling.md, rule 10): the busy event with a place that ends last before the meeting
// must end at least the travel time from its place before the meeting starts; the one with a place that
// starts first after it must start at least the travel time to its place after the meeting ends.
IntervalSet Solve::travel_forbidden(const Participant& p, Sec len) const {
  IntervalSet out;
  if (place_.empty()) return out;
  std::vector<const BusyOcc*> located;
  for (const BusyOcc& b : p.busy)
    if (!b.place.empty()) located.push_back(&b);
  if (located.empty()) return out;
  // Before: for starts in [end_g, next distinct end), the group ending at end_g is the one before.
  std::vector<std::pair<Sec, Sec>> ends;  // (end, travel seconds from its place)
  for (const BusyOcc* b : located) ends.emplace_back(b->end, dir_.travel(b->place, place_) * kMinute);
  std::sort(ends.begin(), ends.end());
  for (std::size_t i = 0; i < ends.size();) {
    std::size_t j = i;
    Sec t = 0;
    while (j < ends.size() && ends[j].first == ends[i].first) t = std::max(t, ends[j++].second);
    const Sec next = j < ends.size() ? ends[j].first : kFar;
    if (t > 0) out.add(ends[i].first, std::min(ends[i].first + t, next));
    i = j;
  }
  // After: for meeting ends in (previous distinct start, start_g], the group starting at start_g is next.
  std::vector<std::pair<Sec, Sec>> starts;
  for (const BusyOcc* b : located) starts.emplace_back(b->start, dir_.travel(place_, b->place) * kMinute);
  std::sort(starts.begin(), starts.end());
  Sec previous = -kFar;
  for (std::size_t i = 0; i < starts.size();) {
    std::size_t j = i;
    Sec t = 0;
    while (j < starts.size() && starts[j].first == starts[i].first) t = std::max(t, starts[j++].second);
    const Sec st = starts[i].first;
    if (t > 0) {
      const Sec lo_end = std::max(st - t, previous);  // meeting ends in (lo_end, st] are too close
      out.add(lo_end - len + 1, st - len + 1);
    }
    previous = st;
    i = j;
  }
  out.normalize();
  return out;
}

const PersonSets& Solve::sets_for(Participant& p, Sec len) {
  auto it = p.sets.find(len);
  if (it != p.sets.end()) return it->second;
  PersonSets s;
  const Sec lo = range_lo_;
  const Sec hi = range_hi_ + total_;
  const IntervalSet range = IntervalSet::of(lo, hi);
  if (p.person == nullptr) {
    s.hours_ok = range;
    s.allowed = range;
    return p.sets.emplace(len, std::move(s)).first->second;
  }
  const Person& person = *p.person;
  for (const Segment& seg : p.segments) {
    IntervalSet hours, off, cap;
    const date::time_zone* z = seg.zone;
    const date::local_days first = detail::local_day(z, seg.starts.spans().front().lo) - date::days{1};
    const date::local_days last = detail::local_day(z, seg.starts.spans().back().hi - 1) + date::days{1};
    for (date::local_days d = first; d <= last; d += date::days{1}) {
      const unsigned wd = date::weekday{d}.c_encoding();
      if (person.has_working_hours) {
        for (const DayRange& wr : person.working_hours[wd])
          hours.add(detail::at_minute(z, d, wr.begin), detail::at_minute(z, d, wr.end) - len + 1);
      }
      for (const OffLimits& ol : person.off_limits)
        if (std::find(ol.days.begin(), ol.days.end(), static_cast<int>(wd)) != ol.days.end())
          off.add(detail::at_minute(z, d, ol.range.begin) - len + 1, detail::at_minute(z, d, ol.range.end));
      if (person.daily_meeting_cap > 0) {
        const Sec d0 = detail::at_minute(z, d, 0);
        const Sec d1 = detail::at_minute(z, d, 1440);
        if (count_timed(p, d0, d1) >= static_cast<std::size_t>(person.daily_meeting_cap)) cap.add(d0, d1);
      }
    }
    hours.normalize();
    off.normalize();
    cap.normalize();
    const IntervalSet ok = person.has_working_hours ? hours.intersect(seg.starts) : seg.starts;
    for (const auto& sp : ok.spans()) s.hours_ok.add(sp.lo, sp.hi);
    const IntervalSet seg_off = off.intersect(seg.starts);
    const IntervalSet seg_cap = cap.intersect(seg.starts);
    for (const auto& sp : seg_off.spans()) s.off.add(sp.lo, sp.hi);
    for (const auto& sp : seg_cap.spans()) s.cap.add(sp.lo, sp.hi);
  }
  s.hours_ok.normalize();
  s.off.normalize();
  s.cap.normalize();
  // Busy time: [start, start + len) overlaps [b.start, b.end); widened by the buffers: the buffer rule.
  IntervalSet plain, wide;
  const Sec before = person.buffer_before_minutes * kMinute;
  const Sec after = person.buffer_after_minutes * kMinute;
  for (const BusyOcc& b : p.busy) {
    if (b.end < lo - before - len || b.start > hi + after + len) continue;
    plain.add(b.start - len + 1, b.end);
    wide.add(b.start - len - after + 1, b.end + before);
  }
  plain.normalize();
  wide.normalize();
  s.busy = plain.intersect(range);
  s.buffer = wide.minus(plain).intersect(range);
  s.travel = travel_forbidden(p, len).intersect(range);
  s.allowed = s.hours_ok.minus(s.off).minus(s.busy).minus(s.buffer).minus(s.cap).minus(s.travel);
  return p.sets.emplace(len, std::move(s)).first->second;
}

// --- one start measured against every rule -----------------------------------------------------------

void Solve::measure_person(const Participant& p, Sec a, Sec len, std::vector<Violation>& out) const {
  if (p.person == nullptr) return;
  const Person& person = *p.person;
  const Sec b = a + len;
  const Segment* seg = nullptr;
  const date::time_zone* z = zone_at(p, a, &seg);
  const std::string zname = seg != nullptr ? seg->zone_name : (person.zone.empty() ? "UTC" : person.zone);
  const date::local_days d = detail::local_day(z, a);
  const unsigned wd = date::weekday{d}.c_encoding();
  auto add = [&](const char* constraint, int minutes, int meetings, std::string text) {
    out.push_back(Violation{constraint, p.display, minutes, meetings, std::move(text)});
  };
  if (person.has_working_hours) {
    // By how much: the least the meeting sticks out of one range of the day (before its start plus after
    // its end); a day without hours counts as a whole day.
    Sec least = kDay;
    for (const DayRange& wr : person.working_hours[wd]) {
      const Sec rb = detail::at_minute(z, d, wr.begin);
      const Sec re = detail::at_minute(z, d, wr.end);
      least = std::min(least, std::max<Sec>(0, rb - a) + std::max<Sec>(0, b - re));
    }
    if (least > 0) {
      const long long m = whole_minutes(least);
      const std::string hours = person.working_hours[wd].empty()
                                    ? "none on " + detail::day_text(d).substr(0, 3) + ", " + zname
                                    : detail::ranges_text(person.working_hours[wd]) + " " + zname;
      add("working_hours", static_cast<int>(m), 0,
          detail::minutes_text(m) + " outside " + p.display + "'s working hours (" + hours + ")");
      for (const DayRange& wr : person.working_hours[wd]) {  // the range `least` came from
        const Sec rb = detail::at_minute(z, d, wr.begin);
        const Sec re = detail::at_minute(z, d, wr.end);
        if (std::max<Sec>(0, rb - a) + std::max<Sec>(0, b - re) == least) {
          out.back().window = Window{instant(rb), instant(re)};
          break;
        }
      }
    }
  }
  for (const OffLimits& ol : person.off_limits) {
    Sec inside = 0;
    for (date::local_days k = d - date::days{1}; k <= d + date::days{1}; k += date::days{1}) {
      const unsigned kwd = date::weekday{k}.c_encoding();
      if (std::find(ol.days.begin(), ol.days.end(), static_cast<int>(kwd)) == ol.days.end()) continue;
      inside += overlap(a, b, detail::at_minute(z, k, ol.range.begin), detail::at_minute(z, k, ol.range.end));
    }
    if (inside > 0) {
      const long long m = whole_minutes(inside);
      add("off_limits", static_cast<int>(m), 0,
          detail::minutes_text(m) + " inside " + p.display + "'s off-limits block" +
              (ol.label.empty() ? "" : " \"" + ol.label + "\"") + " (" + detail::hhmm(ol.range.begin) + "-" +
              detail::hhmm(ol.range.end) + " " + zname + ")");
      for (date::local_days k = d - date::days{1}; k <= d + date::days{1} && !out.back().window; k += date::days{1}) {
        const Sec kb = detail::at_minute(z, k, ol.range.begin);
        const Sec ke = detail::at_minute(z, k, ol.range.end);
        const bool on_day = std::find(ol.days.begin(), ol.days.end(), static_cast<int>(date::weekday{k}.c_encoding())) != ol.days.end();
        if (on_day && overlap(a, b, kb, ke) > 0) out.back().window = Window{instant(kb), instant(ke)};
      }
    }
  }
  // Busy and buffers.
  const Sec before = person.buffer_before_minutes * kMinute;
  const Sec after = person.buffer_after_minutes * kMinute;
  Sec busy_overlap = 0, buffer_overlap = 0;
  std::string busy_what, buffer_what;
  const auto first = std::lower_bound(p.busy.begin(), p.busy.end(), a - before - p.longest - 1,
                                      [](const BusyOcc& o, Sec v) { return o.start < v; });
  for (auto it = first; it != p.busy.end() && it->start < b + after; ++it) {
    if (it->end <= a - before) continue;
    const bool hits = it->start < b && it->end > a;
    const bool hits_wide = it->start < b + after && it->end > a - before;
    if (hits) {
      busy_overlap += std::max<Sec>(overlap(a, b, it->start, it->end), kMinute);
      if (busy_what.empty()) busy_what = it->summary.empty() ? "an event" : "\"" + it->summary + "\"";
    } else if (hits_wide) {
      buffer_overlap += std::max<Sec>(overlap(a - before, a, it->start, it->end) + overlap(b, b + after, it->start, it->end),
                                      kMinute);
      if (buffer_what.empty()) buffer_what = it->summary.empty() ? "an event" : "\"" + it->summary + "\"";
    }
  }
  if (busy_overlap > 0) {
    const long long m = std::min<long long>(whole_minutes(busy_overlap), whole_minutes(len));
    add("busy", static_cast<int>(m), 0, p.display + " is busy for " + detail::minutes_text(m) + " of it (" + busy_what + ")");
  }
  if (buffer_overlap > 0) {
    const long long m = whole_minutes(buffer_overlap);
    add("buffer", static_cast<int>(m), 0,
        detail::minutes_text(m) + " of " + p.display + "'s buffers (" + std::to_string(person.buffer_before_minutes) +
            " min before, " + std::to_string(person.buffer_after_minutes) + " min after) overlap " + buffer_what);
  }
  if (person.daily_meeting_cap > 0) {
    const std::size_t n = count_timed(p, detail::at_minute(z, d, 0), detail::at_minute(z, d, 1440));
    if (n >= static_cast<std::size_t>(person.daily_meeting_cap)) {
      const int over = static_cast<int>(n) - person.daily_meeting_cap + 1;
      add("daily_cap", 0, over,
          p.display + " already has " + std::to_string(n) + " meetings on " + detail::day_text(d) + " (cap " +
              std::to_string(person.daily_meeting_cap) + ", " + zname + ")");
      out.back().limit = person.daily_meeting_cap;
    }
  }
  // Travel: the events with a place right before and right after.
  if (!place_.empty()) {
    const BusyOcc* prev = nullptr;
    const BusyOcc* next = nullptr;
    Sec prev_travel = 0, next_travel = 0;
    for (const BusyOcc& o : p.busy) {
      if (o.place.empty()) continue;
      if (o.end <= a && (prev == nullptr || o.end > prev->end || (o.end == prev->end && dir_.travel(o.place, place_) * kMinute > prev_travel))) {
        if (prev == nullptr || o.end > prev->end) prev_travel = 0;
        prev = &o;
        prev_travel = std::max(prev_travel, dir_.travel(o.place, place_) * kMinute);
      }
      if (o.start >= b && (next == nullptr || o.start < next->start || (o.start == next->start && dir_.travel(place_, o.place) * kMinute > next_travel))) {
        if (next == nullptr || o.start < next->start) next_travel = 0;
        next = &o;
        next_travel = std::max(next_travel, dir_.travel(place_, o.place) * kMinute);
      }
    }
    Sec short_by = 0;
    std::string what;
    if (prev != nullptr && a - prev->end < prev_travel) {
      short_by += prev_travel - (a - prev->end);
      what = std::to_string(prev_travel / kMinute) + " min from " + prev->place;
    }
    if (next != nullptr && next->start - b < next_travel) {
      short_by += next_travel - (next->start - b);
      what += (what.empty() ? "" : " and ") + std::to_string(next_travel / kMinute) + " min to " + next->place;
    }
    if (short_by > 0) {
      const long long m = whole_minutes(short_by);
      add("travel", static_cast<int>(m), 0,
          p.display + " lacks " + detail::minutes_text(m) + " of travel time (" + what + ")");
    }
  }
}

void Solve::measure_request(Sec start, std::vector<Violation>& out) const {
  const Sec end = start + total_;
  if (start < earliest_) {
    const long long m = whole_minutes(earliest_ - start);
    out.push_back(Violation{"lead", "", static_cast<int>(m), 0,
                            "starts " + detail::minutes_text(m) + " sooner than the " +
                                std::to_string(r_.lead.count()) + "-minute lead time allows"});
    out.back().limit = static_cast<int>(r_.lead.count());
  }
  const bool offers = !r_.offered.empty() || !r_.offered_points.empty();
  if (offers) {
    Sec best = kFar;  // seconds of the meeting outside the best window, or away from the nearest point
    std::string what;
    std::optional<Window> nearest_point;
    for (const Window& w : r_.offered) {
      const Sec outside = total_ - overlap(start, end, secs(w.begin), secs(w.end));
      if (outside < best) {
        best = outside;
        what = "outside the offered windows";
      }
    }
    for (sys_seconds p : r_.offered_points) {
      const Sec away = std::abs(start - secs(p));
      if (away < best) {
        best = away;
        what = "away from the offered time " + detail::local_text(show_, secs(p)) + " " + show_name_;
        nearest_point = Window{p, p};
      }
    }
    if (best > 0) {
      const long long m = whole_minutes(best);
      out.push_back(Violation{"outside_offered", "", static_cast<int>(m), 0, detail::minutes_text(m) + " " + what});
      out.back().window = nearest_point;
    }
  }
  for (const Window& w : r_.refused) {
    const Sec o = overlap(start, end, secs(w.begin), secs(w.end));
    if (o > 0) {
      const long long m = whole_minutes(o);
      out.push_back(Violation{"refused", "", static_cast<int>(m), 0,
                              "overlaps the refused time " + detail::window_text(show_, secs(w.begin), secs(w.end)) +
                                  " " + show_name_ + " by " + detail::minutes_text(m)});
      out.back().window = w;
    }
  }
}

Measured Solve::measure(Sec start, const std::vector<Span>& spans) const {
  Measured m;
  measure_request(start, m.broken);
  for (std::size_t i = 0; i < required_.size(); ++i)
    measure_person(required_[i], start + spans[i].offset, spans[i].length, m.broken);
  for (const Violation& v : m.broken)
    m.penalty += kPenaltyEach + penalty_per_unit(v.constraint) * (v.constraint == "daily_cap" ? v.meetings : v.minutes);
  return m;
}

// --- the compromise search: what each start costs -----------------------------------------------------

// The start of `all` whose broken rules cost least (docs/scheduling.md, "The compromise"; ties: the higher
// score, then the earlier), or none when no start breaks anything. The same choice as measure() on every
// start, without writing a single text: a start's cost is summed rule by rule and person by person (each a
// whole number, so the order of the sum does not matter) and given up as soon as it exceeds the cheapest so
// far (an equal cost still needs the score); the person who ended the last sum early is asked first next
// time. A person's rules of one local day (the working-hours ranges, off-limits blocks, the cap) are turned
// into instants once for every start of that day; busy time is searched by start.
std::optional<Sec> Solve::cheapest_start(const Candidates& all, const std::vector<Span>& spans) const {
  std::vector<PersonCost> costs(required_.size());
  for (std::size_t i = 0; i < required_.size(); ++i) {
    const Participant& p = required_[i];
    PersonCost& c = costs[i];
    c.busy.reserve(p.busy.size());
    for (const BusyOcc& b : p.busy) {
      c.busy.emplace_back(b.start, b.end);
      if (place_.empty() || b.place.empty()) continue;
      c.located_ends.emplace_back(b.end, dir_.travel(b.place, place_) * kMinute);
      c.located_starts.emplace_back(b.start, -dir_.travel(place_, b.place) * kMinute);
    }
    std::sort(c.located_ends.begin(), c.located_ends.end());
    std::sort(c.located_starts.begin(), c.located_starts.end());
  }
  std::vector<std::size_t> order(required_.size());
  std::iota(order.begin(), order.end(), 0);
  std::optional<Sec> best;
  double best_cost = std::numeric_limits<double>::infinity();
  double best_score = 0;
  bool scored = false;  // best_score is computed when a tie asks for it
  all.for_each(grid_, [&](Sec x) {
    double cost = request_cost(x);
    if (cost > best_cost) return;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t i = order[k];
      cost += person_cost(required_[i], costs[i], x + spans[i].offset, spans[i].length);
      if (cost > best_cost) {
        std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.begin() + static_cast<std::ptrdiff_t>(k) + 1);
        return;
      }
    }
    if (cost == 0) return;  // breaks nothing: cannot happen when nothing fits; kept out of the compromise anyway
    if (!best || cost < best_cost) {
      best = x;
      best_cost = cost;
      scored = false;
      return;
    }
    if (!scored) best_score = score(*best, spans, nullptr);
    scored = true;
    const double s = score(x, spans, nullptr);
    if (s > best_score) {
      best = x;
      best_score = s;
    }
  });
  return best;
}

// What measure_request's violations cost.
double Solve::request_cost(Sec start) const {
  static const double kLead = penalty_per_unit("lead");
  static const double kOutside = penalty_per_unit("outside_offered");
  static const double kRefused = penalty_per_unit("refused");
  double cost = 0;
  const Sec end = start + total_;
  if (start < earliest_) cost += kPenaltyEach + kLead * static_cast<int>(whole_minutes(earliest_ - start));
  if (!r_.offered.empty() || !r_.offered_points.empty()) {
    Sec best = kFar;
    for (const Window& w : r_.offered) best = std::min(best, total_ - overlap(start, end, secs(w.begin), secs(w.end)));
    for (sys_seconds p : r_.offered_points) best = std::min(best, std::abs(start - secs(p)));
    if (best > 0) cost += kPenaltyEach + kOutside * static_cast<int>(whole_minutes(best));
  }
  for (const Window& w : r_.refused) {
    const Sec o = overlap(start, end, secs(w.begin), secs(w.end));
    if (o > 0) cost += kPenaltyEach + kRefused * static_cast<int>(whole_minutes(o));
  }
  return cost;
}

// The rules of the local day of span start `a` (zone_at's segment, that day in its zone), and the span starts
// they hold for. False when `a` lies in none of the person's segments (outside the solve's range).
bool Solve::load_day(const Participant& p, PersonCost& c, Sec a) const {
  const Segment* seg = nullptr;
  const IntervalSet::Span* span = nullptr;
  for (const Segment& s : p.segments)
    if ((span = s.starts.span_at(a)) != nullptr) {
      seg = &s;
      break;
    }
  if (seg == nullptr) return false;
  const date::time_zone* z = seg->zone;
  // The local day of `a`, as detail::local_day reads it (the instant plus the offset of its period); it is the
  // same for every instant of the period with the same offset and the same local date.
  const date::sys_info info = z->get_info(instant(a));
  const Sec offset = info.offset.count();
  const Sec day = detail::floor_div(a + offset, kDay);
  const date::local_days d{date::days{day}};
  c.lo = std::max({span->lo, secs(info.begin), day * kDay - offset});
  c.hi = std::min({span->hi, secs(info.end), (day + 1) * kDay - offset});
  const Person& person = *p.person;
  const unsigned wd = date::weekday{d}.c_encoding();
  c.hours.clear();
  if (person.has_working_hours)
    for (const DayRange& wr : person.working_hours[wd])
      c.hours.emplace_back(detail::at_minute(z, d, wr.begin), detail::at_minute(z, d, wr.end));
  c.off.assign(person.off_limits.size(), {});
  for (std::size_t i = 0; i < person.off_limits.size(); ++i) {
    const OffLimits& ol = person.off_limits[i];
    for (date::local_days k = d - date::days{1}; k <= d + date::days{1}; k += date::days{1}) {
      const unsigned kwd = date::weekday{k}.c_encoding();
      if (std::find(ol.days.begin(), ol.days.end(), static_cast<int>(kwd)) == ol.days.end()) continue;
      c.off[i].emplace_back(detail::at_minute(z, k, ol.range.begin), detail::at_minute(z, k, ol.range.end));
    }
  }
  c.cap = 0;
  if (person.daily_meeting_cap > 0) {
    static const double kCap = penalty_per_unit("daily_cap");
    const std::size_t n = count_timed(p, detail::at_minute(z, d, 0), detail::at_minute(z, d, 1440));
    if (n >= static_cast<std::size_t>(person.daily_meeting_cap))
      c.cap = kPenaltyEach + kCap * (static_cast<int>(n) - person.daily_meeting_cap + 1);
  }
  return true;
}

// What measure_person's violations cost, for the span [a, a + len).
double Solve::person_cost(const Participant& p, PersonCost& c, Sec a, Sec len) const {
  static const double kHours = penalty_per_unit("working_hours");
  static const double kOff = penalty_per_unit("off_limits");
  static const double kBusy = penalty_per_unit("busy");
  static const double kBuffer = penalty_per_unit("buffer");
  static const double kTravel = penalty_per_unit("travel");
  if (p.person == nullptr) return 0;
  if ((a < c.lo || a >= c.hi) && !load_day(p, c, a)) {
    std::vector<Violation> broken;  // outside the person's segments: measured in full
    measure_person(p, a, len, broken);
    double cost = 0;
    for (const Violation& v : broken)
      cost += kPenaltyEach + penalty_per_unit(v.constraint) * (v.constraint == "daily_cap" ? v.meetings : v.minutes);
    return cost;
  }
  const Person& person = *p.person;
  const Sec b = a + len;
  double cost = c.cap;
  if (person.has_working_hours) {
    Sec least = kDay;
    for (const auto& [rb, re] : c.hours) least = std::min(least, std::max<Sec>(0, rb - a) + std::max<Sec>(0, b - re));
    if (least > 0) cost += kPenaltyEach + kHours * static_cast<int>(whole_minutes(least));
  }
  for (const auto& blocks : c.off) {
    Sec inside = 0;
    for (const auto& [bs, be] : blocks) inside += overlap(a, b, bs, be);
    if (inside > 0) cost += kPenaltyEach + kOff * static_cast<int>(whole_minutes(inside));
  }
  const Sec before = person.buffer_before_minutes * kMinute;
  const Sec after = person.buffer_after_minutes * kMinute;
  Sec busy_overlap = 0, buffer_overlap = 0;
  const auto first = std::lower_bound(c.busy.begin(), c.busy.end(), a - before - p.longest - 1,
                                      [](const std::pair<Sec, Sec>& o, Sec v) { return o.first < v; });
  for (auto it = first; it != c.busy.end() && it->first < b + after; ++it) {
    const auto [start, end] = *it;
    if (end <= a - before) continue;
    if (start < b && end > a) busy_overlap += std::max<Sec>(overlap(a, b, start, end), kMinute);
    else if (start < b + after && end > a - before)
      buffer_overlap += std::max<Sec>(overlap(a - before, a, start, end) + overlap(b, b + after, start, end), kMinute);
  }
  if (busy_overlap > 0)
    cost += kPenaltyEach + kBusy * static_cast<int>(std::min<long long>(whole_minutes(busy_overlap), whole_minutes(len)));
  if (buffer_overlap > 0) cost += kPenaltyEach + kBuffer * static_cast<int>(whole_minutes(buffer_overlap));
  if (!place_.empty()) {
    // The located event that ends last at or before the start (the longest travel among those ending then),
    // and the one that starts first at or after the end (likewise).
    Sec short_by = 0;
    const auto prev = std::upper_bound(c.located_ends.begin(), c.located_ends.end(), std::make_pair(a, kFar));
    if (prev != c.located_ends.begin()) {
      const auto [end, travel] = *std::prev(prev);
      if (a - end < travel) short_by += travel - (a - end);
    }
    const auto next = std::lower_bound(c.located_starts.begin(), c.located_starts.end(), std::make_pair(b, -kFar));
    if (next != c.located_starts.end()) {
      const Sec start = next->first, travel = -next->second;
      if (start - b < travel) short_by += travel - (start - b);
    }
    if (short_by > 0) cost += kPenaltyEach + kTravel * static_cast<int>(whole_minutes(short_by));
  }
  return cost;
}

// --- the score ---------------------------------------------------------------------------------------

// The share of [a, a + len) inside the person's preferred hours of the local days it touches (zone at a).
double Solve::preferred_share(const Participant& p, Sec a, Sec len) const {
  const date::time_zone* z = zone_at(p, a);
  const date::local_days d = detail::local_day(z, a);
  Sec inside = 0;
  for (date::local_days k = d; k <= d + date::days{1}; k += date::days{1})
    for (const DayRange& pr : p.person->preferred_hours)
      inside += overlap(a, a + len, detail::at_minute(z, k, pr.begin), detail::at_minute(z, k, pr.end));
  return len > 0 ? std::min(1.0, static_cast<double>(inside) / static_cast<double>(len)) : 0.0;
}

double Solve::score(Sec start, const std::vector<Span>& spans, std::vector<std::string>* optional_free) const {
  double s = 0;
  for (const Participant& o : optional_) {
    const auto it = o.sets.find(total_);
    if (it != o.sets.end() && it->second.allowed.contains(start)) {
      s += kWeightOptional;
      if (optional_free != nullptr) optional_free->push_back(o.named);
    }
  }
  if (!r_.preferred.empty()) {
    IntervalSet wished;
    for (const Window& w : r_.preferred) wished.add(secs(w.begin), secs(w.end));
    wished.normalize();
    Sec inside = 0;
    for (const auto& sp : wished.spans()) inside += overlap(start, start + total_, sp.lo, sp.hi);
    s += kWeightWished * static_cast<double>(inside) / static_cast<double>(total_);
  }
  double sum = 0;
  int n = 0;
  for (std::size_t i = 0; i < required_.size(); ++i) {
    const Participant& p = required_[i];
    if (p.person == nullptr || p.person->preferred_hours.empty()) continue;
    sum += preferred_share(p, start + spans[i].offset, spans[i].length);
    ++n;
  }
  if (n > 0) s += kWeightPreferred * sum / n;
  const double horizon = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(r_.horizon).count());
  if (horizon > 0) s += kWeightSoon * std::max(0.0, 1.0 - static_cast<double>(start - now_) / horizon);
  return s;
}

// --- reasons -----------------------------------------------------------------------------------------

void Solve::reasons(Slot& slot, const std::vector<Span>& spans, const std::vector<std::size_t>& order) const {
  const Sec start = secs(slot.start);
  const Sec end = secs(slot.end);
  auto& out = slot.reasons;
  for (std::size_t i = 0; i < required_.size(); ++i) {
    const Participant& p = required_[i];
    const Sec a = start + spans[i].offset;
    const Sec b = a + spans[i].length;
    if (p.person == nullptr) {
      out.push_back(p.named + " is not in the directory: taken as free at any time, with no working hours");
      continue;
    }
    const Segment* seg = nullptr;
    const date::time_zone* z = zone_at(p, a, &seg);
    const std::string zname = seg != nullptr ? seg->zone_name : p.person->zone;
    std::string line = p.display + ": " + detail::window_text(z, a, b) + " " + zname;
    if (seg != nullptr && !seg->trip.empty()) line += " (on a trip: " + seg->trip + ")";
    const date::local_days d = detail::local_day(z, a);
    const unsigned wd = date::weekday{d}.c_encoding();
    if (p.person->has_working_hours) {
      bool inside = false;
      for (const DayRange& wr : p.person->working_hours[wd])
        if (!inside && a >= detail::at_minute(z, d, wr.begin) && b <= detail::at_minute(z, d, wr.end)) {
          line += ", inside working hours " + detail::hhmm(wr.begin) + "-" + detail::hhmm(wr.end);
          inside = true;
        }
      if (!inside)  // a compromise
        line += p.person->working_hours[wd].empty() ? std::string(", not a working day")
                                                    : ", outside working hours " + detail::ranges_text(p.person->working_hours[wd]);
    } else {
      line += ", no working hours given";
    }
    {
      std::vector<Violation> broken;
      measure_person(p, a, b - a, broken);
      bool busy = false;
      for (const Violation& v : broken) busy = busy || v.constraint == "busy";
      line += busy ? ", busy" : ", free";
    }
    if (p.person->buffer_before_minutes > 0 || p.person->buffer_after_minutes > 0)
      line += " with buffers (" + std::to_string(p.person->buffer_before_minutes) + " min before, " +
              std::to_string(p.person->buffer_after_minutes) + " min after)";
    if (!p.person->preferred_hours.empty()) {
      const double share = preferred_share(p, a, b - a);
      line += share >= 1.0   ? ", in preferred hours " + detail::ranges_text(p.person->preferred_hours)
              : share > 0.0 ? ", partly in preferred hours " + detail::ranges_text(p.person->preferred_hours)
                            : ", outside preferred hours " + detail::ranges_text(p.person->preferred_hours);
    }
    out.push_back(std::move(line));
  }
  if (!session_len_.empty() && session_len_.size() > 1) {
    std::string line = "loop:";
    Sec t = start;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t si = order[k];
      std::string who;
      for (std::size_t pi : session_people_[si]) {
        bool everywhere = true;
        for (const auto& other : session_people_)
          if (std::find(other.begin(), other.end(), pi) == other.end()) everywhere = false;
        if (everywhere && session_people_.size() > 1) continue;  // the candidate: in every session
        who += (who.empty() ? "" : ", ") + required_[pi].display;
      }
      line += std::string(k == 0 ? " " : "; ") + detail::hhmm(detail::local_minute(show_, t)) + "-" +
              detail::hhmm(detail::local_minute(show_, t + session_len_[si])) + " with " + (who.empty() ? "everyone" : who);
      t += session_len_[si];
    }
    out.push_back(line + " (" + show_name_ + ")");
  }
  for (const Window& w : r_.offered)
    if (start >= secs(w.begin) && end <= secs(w.end)) {
      out.push_back("inside the offered window " + detail::window_text(show_, secs(w.begin), secs(w.end)) + " " + show_name_);
      break;
    }
  for (sys_seconds p : r_.offered_points)
    if (secs(p) == start) {
      out.push_back("at the offered time " + detail::local_text(show_, start) + " " + show_name_);
      break;
    }
  if (!r_.preferred.empty()) {
    bool inside = false;
    for (const Window& w : r_.preferred)
      if (start >= secs(w.begin) && end <= secs(w.end)) inside = true;
    out.push_back(inside ? "inside the wished time" : "outside the wished time");
  }
  for (const Participant& o : optional_) {
    const bool free = std::find(slot.optional_free.begin(), slot.optional_free.end(), o.named) != slot.optional_free.end();
    if (o.person == nullptr) out.push_back("optional " + o.named + " is not in the directory: taken as free");
    else out.push_back("optional " + o.display + (free ? " is free too" : " is not free then"));
  }
  if (!place_.empty()) out.push_back("in person at " + place_ + ": travel time from and to other places kept");
}

// --- loops --------------------------------------------------------------------------------------------

// Each required person's span for sessions in `order` (and each session's window from `start`).
std::vector<Span> Solve::spans_for(const std::vector<std::size_t>& order, std::vector<Window>* windows, Sec start) const {
  std::vector<Span> spans(required_.size(), Span{0, total_});
  if (session_len_.empty()) return spans;
  std::vector<Sec> first(required_.size(), -1), last(required_.size(), -1);
  Sec t = 0;
  for (std::size_t si : order) {
    for (std::size_t pi : session_people_[si]) {
      if (first[pi] < 0) first[pi] = t;
      last[pi] = t + session_len_[si];
    }
    if (windows != nullptr) windows->push_back(Window{instant(start + t), instant(start + t + session_len_[si])});
    t += session_len_[si];
  }
  for (std::size_t i = 0; i < required_.size(); ++i)
    if (first[i] >= 0) spans[i] = Span{first[i], last[i] - first[i]};
  return spans;
}

// --- why nothing fits --------------------------------------------------------------------------------

std::vector<std::string> Solve::why_none(const Candidates& time, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  const bool offers = !r_.offered.empty() || !r_.offered_points.empty();
  const std::size_t n0 = time.count(grid_);
  const std::string lead = std::to_string(r_.lead.count()) + " min";
  if (offers)
    out.push_back("the offered windows and times give " + std::to_string(n0) + " possible starts (" +
                  std::to_string(grid_ / kMinute) + "-minute grid, a " + std::to_string(total_ / kMinute) +
                  "-minute meeting inside one window, at least " + lead + " after now)");
  else
    out.push_back("the next " + std::to_string(r_.horizon.count()) + " days give " + std::to_string(n0) +
                  " possible starts (" + std::to_string(grid_ / kMinute) + "-minute grid, at least " + lead +
                  " after now)");
  if (n0 == 0) return out;
  Candidates cum = time;
  auto stage = [&](const char* label, const std::vector<std::pair<std::string, IntervalSet>>& by_person) {
    const std::size_t before = cum.count(grid_);
    if (before == 0) return;
    // What is left once every person's forbidden starts that remove any are taken out (one after the
    // other: the same as taking out their union).
    Candidates left = cum;
    std::string who;
    for (const auto& [name, forbidden] : by_person) {
      const std::size_t n = cum.count_in(forbidden, grid_);
      if (n == 0) continue;
      who += (who.empty() ? "" : ", ") + name + " " + std::to_string(n);
      left = left.without(forbidden);
    }
    cum = std::move(left);
    const std::size_t after = cum.count(grid_);
    if (after == before) return;
    std::string line = std::string(label) + ": " + (after == 0 ? "left none of " : "removed " +
                       std::to_string(before - after) + " of ") + std::to_string(before);
    if (!who.empty()) line += " (" + who + ")";
    out.push_back(std::move(line));
  };
  stage("refused times", {{"refused by the mail", refused_}});
  auto per_person = [&](auto get) {
    std::vector<std::pair<std::string, IntervalSet>> v;
    if (cum.count(grid_) == 0) return v;  // an earlier rule left none: this stage says nothing
    for (std::size_t i = 0; i < required_.size(); ++i) {
      Participant& p = required_[i];
      const PersonSets& s = sets_for(p, spans[i].length);
      v.emplace_back(p.display, get(p, s).shifted(-spans[i].offset));
    }
    return v;
  };
  stage("working hours", per_person([&](Participant&, const PersonSets& s) {
          return IntervalSet::of(range_lo_, range_hi_ + total_).minus(s.hours_ok);
        }));
  stage("off-limits blocks", per_person([](Participant&, const PersonSets& s) { return s.off; }));
  stage("busy time", per_person([](Participant&, const PersonSets& s) { return s.busy; }));
  stage("buffers around busy time", per_person([](Participant&, const PersonSets& s) { return s.buffer; }));
  stage("daily meeting caps", per_person([](Participant&, const PersonSets& s) { return s.cap; }));
  stage("travel time", per_person([](Participant&, const PersonSets& s) { return s.travel; }));
  return out;
}

// --- the solve ----------------------------------------------------------------------------------------

SolveResult Solve::run() {
  SolveResult result;
  grid_ = std::max<Sec>(60, std::chrono::duration_cast<std::chrono::seconds>(r_.grid).count());
  now_ = secs(r_.now);
  earliest_ = detail::ceil_to(now_ + std::chrono::duration_cast<std::chrono::seconds>(r_.lead).count(), grid_);

  // Who: the required people, then everyone of a session not named yet, then the optional ones.
  std::set<const Person*> seen_people;
  std::set<std::string> seen_unknown;
  auto add_required = [&](const std::string& named) -> std::size_t {
    Participant p = make_participant(named);
    for (std::size_t i = 0; i < required_.size(); ++i)
      if ((p.person != nullptr && required_[i].person == p.person) ||
          (p.person == nullptr && required_[i].person == nullptr && MailSpec::equal_address(required_[i].named, named)))
        return i;
    required_.push_back(std::move(p));
    return required_.size() - 1;
  };
  for (const std::string& n : r_.required) add_required(n);
  for (const Session& s : r_.sessions) {
    std::vector<std::size_t> people;
    for (const std::string& n : s.with) people.push_back(add_required(n));
    session_people_.push_back(std::move(people));
    session_len_.push_back(std::chrono::duration_cast<std::chrono::seconds>(s.length).count());
  }
  // A required person in no session attends the whole loop.
  if (!session_people_.empty())
    for (std::size_t i = 0; i < required_.size(); ++i) {
      bool in_one = false;
      for (const auto& sp : session_people_)
        if (std::find(sp.begin(), sp.end(), i) != sp.end()) in_one = true;
      if (!in_one)
        for (auto& sp : session_people_) sp.push_back(i);
    }
  for (const std::string& n : r_.optional) {
    Participant p = make_participant(n);
    bool dup = false;
    for (const Participant& q : required_)
      if ((p.person != nullptr && q.person == p.person) || (p.person == nullptr && MailSpec::equal_address(q.named, n))) dup = true;
    if (!dup) optional_.push_back(std::move(p));
  }
  total_ = session_len_.empty() ? std::chrono::duration_cast<std::chrono::seconds>(r_.duration).count()
                                : std::accumulate(session_len_.begin(), session_len_.end(), Sec{0});
  if (total_ <= 0) {
    result.nothing_fits = true;
    result.why_none.push_back("the meeting has no length");
    return result;
  }
  show_name_ = r_.zone;
  if (show_name_.empty())
    for (const Participant& p : required_)
      if (p.person != nullptr && !p.person->zone.empty()) {
        show_name_ = p.person->zone;
        break;
      }
  if (show_name_.empty()) show_name_ = "UTC";
  show_ = detail::zone_of(show_name_);
  if (r_.in_person && !r_.location.empty()) place_ = dir_.resolve_place(r_.location);

  // When: the offered windows and points (a meeting inside one window, or starting at a point), or the
  // horizon; never before now + lead.
  Candidates time;
  const bool offers = !r_.offered.empty() || !r_.offered_points.empty();
  if (offers) {
    for (const Window& w : r_.offered) time.windows.add(std::max(secs(w.begin), earliest_), secs(w.end) - total_ + 1);
    for (sys_seconds p : r_.offered_points)
      if (secs(p) >= earliest_) time.points.push_back(secs(p));
  } else {
    time.windows.add(earliest_, now_ + std::chrono::duration_cast<std::chrono::seconds>(r_.horizon).count());
  }
  time.windows.normalize();
  std::sort(time.points.begin(), time.points.end());
  time.points.erase(std::unique(time.points.begin(), time.points.end()), time.points.end());
  for (const Window& w : r_.refused) refused_.add(secs(w.begin) - total_ + 1, secs(w.end));
  refused_.normalize();

  // The range every rule is computed over (the compromise looks at the horizon too).
  range_lo_ = kFar;
  range_hi_ = -kFar;
  for (const auto& sp : time.windows.spans()) {
    range_lo_ = std::min(range_lo_, sp.lo);
    range_hi_ = std::max(range_hi_, sp.hi);
  }
  for (Sec p : time.points) {
    range_lo_ = std::min(range_lo_, p);
    range_hi_ = std::max(range_hi_, p + 1);
  }
  const Sec compromise_lo = detail::ceil_to(now_, grid_);
  const Sec compromise_hi = now_ + std::chrono::duration_cast<std::chrono::seconds>(r_.horizon).count();
  const bool any_time = range_lo_ < range_hi_;
  const Sec lo = any_time ? std::min(range_lo_, compromise_lo) : compromise_lo;
  const Sec hi = any_time ? std::max(range_hi_, compromise_hi) : compromise_hi;
  Sec comp_lo = lo, comp_hi = hi;
  for (const Window& w : r_.offered) {
    comp_lo = std::min(comp_lo, std::max(secs(w.begin), compromise_lo));
    comp_hi = std::max(comp_hi, secs(w.end));
  }
  for (sys_seconds p : r_.offered_points) {
    if (secs(p) >= compromise_lo) {
      comp_lo = std::min(comp_lo, secs(p));
      comp_hi = std::max(comp_hi, secs(p) + 1);
    }
  }
  range_lo_ = comp_lo;
  range_hi_ = comp_hi;
  Sec pad = 2 * kDay;
  int longest_travel = dir_.default_travel_minutes;
  for (const TravelTime& t : dir_.travel_minutes) longest_travel = std::max(longest_travel, t.minutes);
  auto prepare = [&](Participant& p) {
    Sec before = 0, after = 0;
    if (p.person != nullptr) {
      before = p.person->buffer_before_minutes * kMinute;
      after = p.person->buffer_after_minutes * kMinute;
    }
    const Sec extra = pad + std::max(before, after) + longest_travel * kMinute;
    load_busy(p, range_lo_ - extra, range_hi_ + total_ + extra);
    make_segments(p, range_lo_, range_hi_ + total_);
  };
  for (Participant& p : required_) prepare(p);
  for (Participant& p : optional_) {
    prepare(p);
    (void)sets_for(p, total_);
  }

  // The orders a loop may take.
  std::vector<std::vector<std::size_t>> orders;
  std::vector<std::size_t> given(session_len_.size());
  std::iota(given.begin(), given.end(), 0);
  orders.push_back(given);
  if (!r_.fixed_order && given.size() > 1 && given.size() <= 6) {
    std::vector<std::size_t> o = given;
    while (std::next_permutation(o.begin(), o.end())) orders.push_back(o);
  }

  // Every feasible start, with its best order.
  struct Found {
    double score;
    std::size_t order;
    std::vector<std::string> optional_free;
  };
  std::map<Sec, Found> found;
  for (std::size_t oi = 0; oi < orders.size(); ++oi) {
    const std::vector<Span> spans = spans_for(orders[oi], nullptr, 0);
    IntervalSet allowed = IntervalSet::of(range_lo_, range_hi_).minus(refused_);
    for (std::size_t i = 0; i < required_.size() && !allowed.empty(); ++i)
      allowed = allowed.intersect(sets_for(required_[i], spans[i].length).allowed.shifted(-spans[i].offset));
    const Candidates ok = time.within(allowed);
    ok.for_each(grid_, [&](Sec x) {
      std::vector<std::string> free;
      const double s = score(x, spans, &free);
      auto it = found.find(x);
      if (it == found.end()) found.emplace(x, Found{s, oi, std::move(free)});
      else if (s > it->second.score) it->second = Found{s, oi, std::move(free)};
    });
  }

  auto make_slot = [&](Sec x, std::size_t oi, double s, std::vector<std::string> free) {
    Slot slot;
    slot.start = instant(x);
    slot.end = instant(x + total_);
    slot.score = s;
    slot.optional_free = std::move(free);
    if (!session_len_.empty()) {
      (void)spans_for(orders[oi], &slot.sessions, x);
      slot.session_order = orders[oi];
    }
    return slot;
  };

  if (!found.empty()) {
    std::vector<std::pair<Sec, const Found*>> ranked;
    ranked.reserve(found.size());
    for (const auto& [x, f] : found) ranked.emplace_back(x, &f);
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      if (a.second->score != b.second->score) return a.second->score > b.second->score;
      return a.first < b.first;
    });
    std::vector<std::size_t> picked;
    if (r_.top_n == 0) {
      picked.resize(ranked.size());
      std::iota(picked.begin(), picked.end(), 0);
    } else {
      // A choice of times, not one time five ways: the best slot of each day first (in the zone the
      // reasons speak in; "Tuesday 14:00 or Thursday 14:00" rather than three starts on Tuesday), then the
      // best slots that do not overlap one another, then the next best to fill up top_n. The best slot of
      // all is first either way.
      std::vector<bool> taken(ranked.size(), false);
      std::set<std::int64_t> days;
      for (std::size_t k = 0; k < ranked.size() && picked.size() < r_.top_n; ++k) {
        const std::int64_t day = show_ != nullptr ? detail::local_day(show_, ranked[k].first).time_since_epoch().count()
                                                  : ranked[k].first / 86400;
        if (!days.insert(day).second) continue;
        picked.push_back(k);
        taken[k] = true;
      }
      for (std::size_t k = 0; k < ranked.size() && picked.size() < r_.top_n; ++k) {
        if (taken[k]) continue;
        bool clash = false;
        for (std::size_t q : picked)
          if (ranked[k].first < ranked[q].first + total_ && ranked[q].first < ranked[k].first + total_) clash = true;
        if (!clash) {
          picked.push_back(k);
          taken[k] = true;
        }
      }
      for (std::size_t k = 0; k < ranked.size() && picked.size() < r_.top_n; ++k)
        if (!taken[k]) picked.push_back(k);
      std::sort(picked.begin(), picked.end());
    }
    for (std::size_t k : picked) {
      const auto& [x, f] = ranked[k];
      Slot slot = make_slot(x, f->order, f->score, f->optional_free);
      if (r_.top_n != 0) reasons(slot, spans_for(orders[f->order], nullptr, 0), orders[f->order]);
      result.slots.push_back(std::move(slot));
    }
    return result;
  }

  // Nothing fits: why, and the start that breaks the least (the loop in the order given).
  result.nothing_fits = true;
  const std::vector<Span> spans = spans_for(orders[0], nullptr, 0);
  result.why_none = why_none(time, spans);
  Candidates all;
  all.windows.add(compromise_lo, compromise_hi);
  for (const Window& w : r_.offered) all.windows.add(std::max(secs(w.begin), compromise_lo), secs(w.end) - total_ + 1);
  all.windows.normalize();
  for (sys_seconds p : r_.offered_points)
    if (secs(p) >= compromise_lo) all.points.push_back(secs(p));
  std::sort(all.points.begin(), all.points.end());
  std::optional<std::pair<Sec, Measured>> best;
  if (const std::optional<Sec> x = cheapest_start(all, spans)) best = std::make_pair(*x, measure(*x, spans));
  if (best) {
    std::vector<std::string> free;
    const double s = score(best->first, spans, &free);
    Compromise c;
    c.slot = make_slot(best->first, 0, s, std::move(free));
    reasons(c.slot, spans, orders[0]);
    c.broken = std::move(best->second.broken);
    c.penalty = best->second.penalty;
    result.compromise = std::move(c);
  }
  return result;
}

}  // namespace

// --- Scheduler ------------------------------------------------------------------------------------------

Scheduler::Scheduler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->cache = std::make_unique<BusyCache>(impl_->directory, impl_->calendars);
}

sdk::Result<Scheduler> Scheduler::create(PeopleDirectory directory, const std::filesystem::path& calendars_dir) {
  auto impl = std::make_unique<Impl>();
  std::string errors;
  for (const Person& p : directory.people) {
    std::optional<calendar::Calendar> cal;
    std::filesystem::path path = p.calendar;
    if (!calendars_dir.empty() && !path.empty()) path = calendars_dir / path.filename();
    if (!path.empty()) {
      std::error_code ec;
      if (!calendars_dir.empty() && !std::filesystem::is_regular_file(path, ec)) {
        errors += (errors.empty() ? "" : "\n") + path.string() + ": error: no calendar file for " + p.id +
                  " in the calendars folder " + calendars_dir.string();
      } else {
        auto loaded = calendar::load_ics(path.string());
        if (loaded) cal = std::move(loaded).value();
        else errors += (errors.empty() ? "" : "\n") + loaded.status().message();
      }
    }
    impl->calendars.push_back(std::move(cal));
  }
  if (!errors.empty()) return sdk::Status::invalid_input(std::move(errors));
  impl->directory = std::move(directory);
  return Scheduler(std::move(impl));
}

Scheduler::Scheduler(PeopleDirectory directory, const std::filesystem::path& calendars_dir)
    : Scheduler([&] {
        auto made = create(std::move(directory), calendars_dir);
        if (!made) throw std::runtime_error(made.status().message());
        return std::move(std::move(made).value().impl_);
      }()) {}

Scheduler::Scheduler(PeopleDirectory directory, std::vector<std::optional<calendar::Calendar>> calendars)
    : Scheduler([&] {
        auto impl = std::make_unique<Impl>();
        calendars.resize(directory.people.size());
        impl->directory = std::move(directory);
        impl->calendars = std::move(calendars);
        return impl;
      }()) {}

Scheduler::Scheduler(Scheduler&&) noexcept = default;
Scheduler& Scheduler::operator=(Scheduler&&) noexcept = default;
Scheduler::~Scheduler() = default;

const PeopleDirectory& Scheduler::directory() const noexcept { return impl_->directory; }

void Scheduler::clear_cache() const { impl_->cache->clear(); }

std::vector<calendar::Occurrence> Scheduler::events_of(std::string_view person, sys_seconds from, sys_seconds to) const {
  const Person* p = impl_->directory.find(person);
  if (p == nullptr) return {};
  const auto index = static_cast<std::size_t>(p - impl_->directory.people.data());
  if (index >= impl_->calendars.size() || !impl_->calendars[index]) return {};
  calendar::ExpandOptions options;
  options.default_zone = p->zone.empty() ? "UTC" : p->zone;
  return calendar::expand(*impl_->calendars[index], from, to, options);
}

SolveResult Scheduler::solve(const SlotRequest& request) const {
  try {
    return Solve(*impl_, request).run();
  } catch (const std::exception& e) {
    SolveResult r;
    r.nothing_fits = true;
    r.why_none.push_back(std::string("the solver failed: ") + e.what());
    return r;
  }
}

std::string format_instant(sys_seconds t, const std::string& zone) {
  const date::time_zone* z = detail::zone_of(zone);
  const date::local_seconds l = detail::to_local(z, secs(t));
  const date::local_days d = date::floor<date::days>(l);
  const date::year_month_day ymd{d};
  const date::hh_mm_ss<std::chrono::seconds> hms{l - d};
  const long long off = (l.time_since_epoch() - t.time_since_epoch()).count() / 60;
  const long long a = off < 0 ? -off : off;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02lld:%02lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()), off < 0 ? '-' : '+', a / 60,
                a % 60);
  return buf;
}

}  // namespace tandem::scheduling
