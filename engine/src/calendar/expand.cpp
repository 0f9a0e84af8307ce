// expand(): the recurrence set of each event (RFC 5545 §3.8.5: DTSTART, RRULE through libical's iterator,
// RDATE, minus EXDATE), overrides by RECURRENCE-ID, VFREEBUSY periods; every wall time made an instant in
// its frame (model.hpp), the occurrences overlapping the window returned in time order.
#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <string_view>

#include "calendar/model.hpp"
#include "tandem/calendar.hpp"
#include "time/zone_clock.hpp"

namespace tandem::detail::calendar {
namespace {

// libical's recurrence iterator, freed with its owner; null (and libical's error cleared) when libical
// refuses the rule.
struct IteratorFree {
  void operator()(icalrecur_iterator* it) const noexcept { icalrecur_iterator_free(it); }
};
using RecurIterator = std::unique_ptr<icalrecur_iterator, IteratorFree>;

RecurIterator new_iterator(const icalrecurrencetype& recur, icaltimetype start) {
  RecurIterator it(icalrecur_iterator_new(recur, start));
  if (!it) icalerror_clear_errno();
  return it;
}

using std::chrono::sys_seconds;
using tandem::calendar::ExpandOptions;
using tandem::calendar::Occurrence;
using Impl = tandem::calendar::Calendar::Impl;

const date::time_zone* zone_or_null(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return detail::time::ZoneClock::locate(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// One instance before overrides and EXDATEs: its start, the same as a wall time in DTSTART's frame, and
// an end when an RDATE period gave one.
struct Candidate {
  sys_seconds start{};
  date::local_seconds wall{};
  std::optional<sys_seconds> end;
};

class Expander {
 public:
  Expander(const Impl& cal, sys_seconds from, sys_seconds to, const ExpandOptions& o)
      : cal_(cal), from_(from), to_(to), o_(o), floating_(zone_or_null(o.default_zone)),
        display_(zone_or_null(o.display_zone)) {
    floating_name_ = floating_ != nullptr ? std::string(floating_->name()) : "UTC";
  }

  std::vector<Occurrence> run() {
    std::map<std::string, std::vector<const Event*>> overrides;
    for (const Event& e : cal_.events)
      if (e.recurrence_id) overrides[e.uid].push_back(&e);
    for (const Event& e : cal_.events) {
      if (e.recurrence_id) {
        add_override(e);
      } else {
        auto it = overrides.find(e.uid);
        add_master(e, it == overrides.end() ? kNone : it->second);
      }
    }
    for (const BusyPeriod& b : cal_.busy) add_busy(b);
    std::sort(out_.begin(), out_.end(), [](const Occurrence& a, const Occurrence& b) {
      if (a.start != b.start) return a.start < b.start;
      if (a.end != b.end) return a.end < b.end;
      return a.uid < b.uid;
    });
    if (o_.max_occurrences != 0 && out_.size() > o_.max_occurrences) out_.resize(o_.max_occurrences);
    return std::move(out_);
  }

 private:
  static inline const std::vector<const Event*> kNone{};
  // Bounds of one rule in one expansion (a secondly rule over years): at most this many instances kept, and
  // this many taken from libical where the engine filters them.
  static constexpr std::size_t kMaxInstances = 1'000'000;
  static constexpr std::size_t kMaxSteps = 20'000'000;

  sys_seconds instant(const WallTime& w) const { return to_instant(cal_, w, floating_); }
  sys_seconds instant(date::local_seconds wall, const WallTime& like) const {
    return to_instant(cal_, WallTime{wall, like.is_date, like.frame}, floating_);
  }

  bool overlaps(sys_seconds start, sys_seconds end) const {
    if (start == end) return start >= from_ && start < to_;
    return start < to_ && end > from_;
  }

  // The end of one instance: an RDATE period's own end; DURATION added to the instance's wall time (days)
  // then exactly (hours and less); DTEND's exact distance from DTSTART (whole days for all-day events);
  // else one day for an all-day event, none for a timed one.
  sys_seconds end_of(const Event& e, const Candidate& c) const {
    if (c.end) return *c.end;
    if (e.duration) {
      const sys_seconds base = e.duration->days.count() == 0 ? c.start : instant(c.wall + e.duration->days, e.dtstart);
      return base + e.duration->exact;
    }
    if (e.dtend) {
      if (e.dtstart.is_date && e.dtend->is_date)
        return instant(c.wall + (date::floor<date::days>(e.dtend->wall) - date::floor<date::days>(e.dtstart.wall)), e.dtstart);
      return c.start + (instant(*e.dtend) - instant(e.dtstart));
    }
    if (e.dtstart.is_date) return instant(c.wall + date::days{1}, e.dtstart);
    return c.start;
  }

  Occurrence make(const Event& e, sys_seconds start, sys_seconds end) const {
    Occurrence o;
    o.kind = tandem::calendar::Kind::event;
    o.uid = e.uid;
    o.summary = e.summary;
    o.location = e.location;
    o.organizer = e.organizer;
    o.attendees = e.attendees;
    o.start = start;
    o.end = end;
    fill_local(o, *e.dtstart.frame);
    o.all_day = e.dtstart.is_date;
    o.floating = e.dtstart.frame->type == Frame::Type::floating;
    o.transparent = e.transparent;
    o.status = e.status;
    o.line = e.line;
    return o;
  }

  void fill_local(Occurrence& o, const Frame& frame) const {
    auto as_std = [](date::local_seconds t) { return std::chrono::local_seconds{t.time_since_epoch()}; };
    if (display_ != nullptr) {
      o.zone = std::string(display_->name());
      o.local_start = as_std(detail::time::ZoneClock::to_local(*display_, o.start));
      o.local_end = as_std(detail::time::ZoneClock::to_local(*display_, o.end));
      return;
    }
    o.zone = frame.type == Frame::Type::floating ? floating_name_ : frame.name;
    o.local_start = as_std(to_wall(cal_, o.start, frame, floating_));
    o.local_end = as_std(to_wall(cal_, o.end, frame, floating_));
  }

  void push(Occurrence o) {
    if (o.status == tandem::calendar::EventStatus::cancelled && !o_.keep_cancelled) return;
    out_.push_back(std::move(o));
  }

  // Dates and instants a list of wall times stands for: a DATE matches every instance on that day (of
  // DTSTART's frame), a date-time the instance starting at that instant.
  struct Matcher {
    std::set<date::local_days> days;
    std::set<sys_seconds> instants;
    bool matches(const Candidate& c) const {
      return instants.count(c.start) != 0 || (!days.empty() && days.count(date::floor<date::days>(c.wall)) != 0);
    }
  };
  Matcher matcher(const std::vector<WallTime>& times) const {
    Matcher m;
    for (const WallTime& t : times) {
      if (t.is_date) m.days.insert(date::floor<date::days>(t.wall));
      else m.instants.insert(instant(t));
    }
    return m;
  }

  void add_override(const Event& e) {
    const sys_seconds start = instant(e.dtstart);
    const sys_seconds end = end_of(e, Candidate{start, e.dtstart.wall, std::nullopt});
    if (!overlaps(start, end)) return;
    Occurrence o = make(e, start, end);
    o.recurrence_id = instant(*e.recurrence_id);
    o.overridden = true;
    push(std::move(o));
  }

  void add_master(const Event& e, const std::vector<const Event*>& overrides) {
    const bool recurring = !e.rules.empty() || !e.rdates.empty();
    std::vector<WallTime> rids;
    for (const Event* o : overrides) rids.push_back(*o->recurrence_id);
    const Matcher overridden = matcher(rids);
    const Matcher excluded = matcher(e.exdates);
    const Candidate first{instant(e.dtstart), e.dtstart.wall, std::nullopt};
    // How long an instance may last: the first one's length, with a day for DST and nominal days.
    const auto reach = (end_of(e, first) - first.start) + std::chrono::hours(48);

    // DTSTART is an instance unless a rule is there to say which instances there are: libical's iterator
    // (like python-dateutil) leaves out a DTSTART the rule does not produce (RFC 5545 leaves that case
    // undefined).
    std::vector<Candidate> candidates;
    if (e.rules.empty()) candidates.push_back(first);
    for (const RDate& r : e.rdates) {
      Candidate c;
      c.start = instant(r.start);
      c.wall = r.start.frame == e.dtstart.frame ? r.start.wall : to_wall(cal_, c.start, *e.dtstart.frame, floating_);
      if (r.end) c.end = instant(*r.end);
      else if (r.span) c.end = (r.span->days.count() == 0 ? c.start : instant(r.start.wall + r.span->days, r.start)) + r.span->exact;
      candidates.push_back(c);
    }
    for (const Rule& rule : e.rules) expand_rule(e, rule, reach, excluded, overridden, candidates);

    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.start < b.start; });
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const Candidate& a, const Candidate& b) { return a.start == b.start; }),
                     candidates.end());
    for (const Candidate& c : candidates) {
      if (excluded.matches(c) || overridden.matches(c)) continue;
      const sys_seconds end = end_of(e, c);
      if (!overlaps(c.start, end)) continue;
      Occurrence o = make(e, c.start, end);
      if (recurring) o.recurrence_id = c.start;
      push(std::move(o));
    }
  }

  // The instances of one RRULE from libical's iterator (COUNT included). UNTIL is applied here (taken out
  // of the rule at parse time): an instant when written in UTC, else a wall time of DTSTART's frame, a DATE
  // inclusive of its day.
  void expand_rule(const Event& e, const Rule& rule, std::chrono::seconds reach, const Matcher& excluded,
                   const Matcher& overridden, std::vector<Candidate>& out) const {
    if (needs_periods(rule.recur)) {
      expand_by_periods(e, rule, excluded, overridden, out);
      return;
    }
    const RecurIterator owned = new_iterator(rule.recur, to_ical(e.dtstart.wall, e.dtstart.is_date));
    icalrecur_iterator* it = owned.get();
    if (it == nullptr) return;

    if (rule.recur.count == 0) {
      // Skip ahead: libical starts the rule again at a wall time shortly before the window. libical 3.0
      // counts INTERVAL from that start, so the start is put on DTSTART's phase (a whole number of
      // intervals after it); other rules are iterated from DTSTART.
      const sys_seconds skip_to = from_ - reach;
      const std::optional<std::chrono::seconds> period = fixed_period(rule.recur);
      if (skip_to > instant(e.dtstart) && period) {
        const date::local_seconds wall = to_wall(cal_, skip_to, *e.dtstart.frame, floating_);
        const auto whole = (wall - e.dtstart.wall) / *period;  // whole intervals since DTSTART
        if (whole > 0) icalrecur_iterator_set_start(it, to_ical(e.dtstart.wall + whole * *period, e.dtstart.is_date));
      }
    }
    const sys_seconds stop = to_ + std::chrono::hours(48);  // wall order and instant order differ by < 1 day
    const bool until_is_instant = rule.until && rule.until->frame->type == Frame::Type::utc;
    const sys_seconds until_instant = until_is_instant ? instant(*rule.until) : sys_seconds{};
    std::size_t kept = 0;
    const std::size_t size_before = out.size();
    for (;;) {
      if (out.size() - size_before >= kMaxInstances) break;
      const icaltimetype t = icalrecur_iterator_next(it);
      if (icaltime_is_null_time(t)) break;
      const auto wall = from_ical(t);
      if (!wall) break;
      if (rule.until) {
        if (rule.until->is_date) {
          if (date::floor<date::days>(*wall) > date::floor<date::days>(rule.until->wall)) break;
        } else if (until_is_instant) {
          if (instant(*wall, e.dtstart) > until_instant) break;
        } else if (*wall > rule.until->wall) {
          break;
        }
      }
      Candidate c{instant(*wall, e.dtstart), *wall, std::nullopt};
      if (c.start >= stop) break;
      out.push_back(c);
      // With a limit, each rule needs to give no more than that many kept instances.
      if (o_.max_occurrences != 0 && !excluded.matches(c) && !overridden.matches(c) && c.start >= from_ &&
          ++kept >= o_.max_occurrences)
        break;
    }
  }

  // libical 3.0's iterator applies BYSETPOS only to the days of a monthly or yearly rule, and loses INTERVAL
  // for hourly and finer rules with BY parts. Such rules are expanded period by period (RFC 5545 §3.3.10: the
  // set of a period is every instance of the rule inside one FREQ interval; BYSETPOS picks among them; INTERVAL
  // keeps every n-th period from DTSTART's): libical generates the instances of every period (the rule
  // without BYSETPOS, COUNT and INTERVAL, begun at the start of DTSTART's period with what DTSTART implied
  // written out), and the periods, positions, DTSTART, COUNT and UNTIL are applied here.
  static bool has(const short* list) { return list[0] != ICAL_RECURRENCE_ARRAY_MAX; }
  // Empties a BY list whole: libical fills a default into the first slot of an empty list, and would read
  // the values left behind it.
  template <std::size_t N>
  static void clear(short (&list)[N]) {
    std::fill(list, list + N, static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
  }
  static bool needs_periods(const icalrecurrencetype& r) {
    const bool sub_daily = r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
                           r.freq == ICAL_HOURLY_RECURRENCE;
    // COUNT too is counted here for a SECONDLY rule with BYSECOND: libical 3.0 gives its DTSTART twice and
    // counts both.
    // BYMONTHDAY in a daily or finer rule and BYYEARDAY in an hourly or finer one only limit (RFC 5545's
    // table); libical 3.0 drops instances for negative values there, so they are applied here as filters.
    // A yearly rule with BYWEEKNO: libical 3.0 misplaces weeks across the turn of the year; the weeks are
    // taken here from a weekly expansion, numbered in their week-year (RFC 5545: week 1 is the first week,
    // starting on WKST, with at least four days of the year), the week-year being the period.
    return has(r.by_set_pos) || (sub_daily && r.interval > 1) ||
           (r.freq == ICAL_SECONDLY_RECURRENCE && has(r.by_second) && r.count > 0) || limits_here(r) ||
           (r.freq == ICAL_YEARLY_RECURRENCE && has(r.by_week_no));
  }
  static bool limits_here(const icalrecurrencetype& r) {
    const bool sub_daily = r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
                           r.freq == ICAL_HOURLY_RECURRENCE;
    return ((sub_daily || r.freq == ICAL_DAILY_RECURRENCE) && has(r.by_month_day)) || (sub_daily && has(r.by_year_day));
  }
  // Whether a day is one of a BYMONTHDAY (or BYYEARDAY) list; negative values count from the end.
  template <std::size_t N>
  static bool day_in(const short (&list)[N], date::local_days day, bool of_year) {
    const date::year_month_day ymd{day};
    long long n = 0, length = 0;
    if (of_year) {
      const date::local_days jan1{ymd.year() / date::January / 1};
      n = (day - jan1).count() + 1;
      length = (date::local_days{(ymd.year() + date::years{1}) / date::January / 1} - jan1).count();
    } else {
      n = static_cast<unsigned>(ymd.day());
      length = static_cast<unsigned>((ymd.year() / ymd.month() / date::last).day());
    }
    for (std::size_t i = 0; i < N && list[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
      if (list[i] > 0 ? list[i] == n : length + 1 + list[i] == n) return true;
    return false;
  }

  // The index of the FREQ period holding a wall time (consecutive periods, consecutive indices), and the
  // period's first second.
  struct Period {
    long long index = 0;
    date::local_seconds start{};
  };
  // Week-years (RFC 5545 §3.3.10, BYWEEKNO): week 1 of year Y is the week starting on WKST that holds 4 January.
  static date::weekday week_start_day(const icalrecurrencetype& r) {
    return date::weekday{static_cast<unsigned>(r.week_start == ICAL_NO_WEEKDAY ? 1 : static_cast<int>(r.week_start) - 1)};
  }
  static date::local_days week1_start(date::year y, date::weekday wkst) {
    const date::local_days jan4{y / date::January / 4};
    return jan4 - (date::weekday{jan4} - wkst);
  }
  struct WeekOf {
    date::year week_year;
    int number = 0;  // 1-based
    int weeks = 0;   // weeks in the week-year
    date::local_days year_start;
  };
  static WeekOf week_of(date::local_days day, date::weekday wkst) {
    date::year y = date::year_month_day{day}.year();
    if (day >= week1_start(y + date::years{1}, wkst)) y += date::years{1};
    else if (day < week1_start(y, wkst)) y -= date::years{1};
    const date::local_days start = week1_start(y, wkst);
    const date::local_days next = week1_start(y + date::years{1}, wkst);
    return {y, static_cast<int>((day - start).count() / 7 + 1), static_cast<int>((next - start).count() / 7), start};
  }

  static Period period_of(const icalrecurrencetype& r, date::local_seconds t, bool week_years = false) {
    if (week_years) {
      const WeekOf w = week_of(date::floor<date::days>(t), week_start_day(r));
      return {static_cast<int>(w.week_year), w.year_start};
    }
    using namespace std::chrono;
    const date::local_days day = date::floor<date::days>(t);
    switch (r.freq) {
      case ICAL_SECONDLY_RECURRENCE: return {t.time_since_epoch().count(), t};
      case ICAL_MINUTELY_RECURRENCE: {
        const auto m = date::floor<minutes>(t);
        return {m.time_since_epoch().count(), m};
      }
      case ICAL_HOURLY_RECURRENCE: {
        const auto h = date::floor<hours>(t);
        return {h.time_since_epoch().count(), h};
      }
      case ICAL_DAILY_RECURRENCE: return {day.time_since_epoch().count(), day};
      case ICAL_WEEKLY_RECURRENCE: {
        const int wkst = r.week_start == ICAL_NO_WEEKDAY ? 1 : static_cast<int>(r.week_start) - 1;  // Sunday 0
        const date::local_days first = day - (date::weekday{day} - date::weekday{static_cast<unsigned>(wkst)});
        const long long n = first.time_since_epoch().count();
        return {n >= 0 ? n / 7 : -((-n + 6) / 7), first};
      }
      case ICAL_MONTHLY_RECURRENCE: {
        const date::year_month_day ymd{day};
        return {static_cast<long long>(static_cast<int>(ymd.year())) * 12 + static_cast<unsigned>(ymd.month()) - 1,
                date::local_days{ymd.year() / ymd.month() / 1}};
      }
      default: {
        const date::year_month_day ymd{day};
        return {static_cast<int>(ymd.year()), date::local_days{ymd.year() / date::January / 1}};
      }
    }
  }

  void expand_by_periods(const Event& e, const Rule& rule, const Matcher& excluded, const Matcher& overridden,
                         std::vector<Candidate>& out) const {
    icalrecurrencetype r = rule.recur;
    std::vector<int> positions;
    for (std::size_t i = 0; i < ICAL_BY_SETPOS_SIZE && r.by_set_pos[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
      positions.push_back(r.by_set_pos[i]);
    const long long interval = r.interval > 1 ? r.interval : 1;
    const int count = r.count;
    icalrecurrencetype limits = r;  // by_month_day / by_year_day applied here when they only limit
    const bool filter = limits_here(r);
    if (filter) {
      const bool sub_daily = r.freq != ICAL_DAILY_RECURRENCE;
      if (has(r.by_month_day)) clear(r.by_month_day);
      else clear(limits.by_month_day);
      if (sub_daily && has(r.by_year_day)) clear(r.by_year_day);
      else clear(limits.by_year_day);
    }
    clear(r.by_set_pos);
    r.interval = 1;
    r.count = 0;
    // What DTSTART implied, written out, so that the rule may begin at its period's start.
    const icaltimetype s = to_ical(e.dtstart.wall, e.dtstart.is_date);
    const date::local_days day = date::floor<date::days>(e.dtstart.wall);
    auto set_one = [](short* list, int v) {
      list[0] = static_cast<short>(v);
      list[1] = ICAL_RECURRENCE_ARRAY_MAX;
    };
    if (!e.dtstart.is_date) {
      if (!has(r.by_second) && r.freq != ICAL_SECONDLY_RECURRENCE) set_one(r.by_second, s.second);
      if (!has(r.by_minute) && r.freq != ICAL_SECONDLY_RECURRENCE && r.freq != ICAL_MINUTELY_RECURRENCE)
        set_one(r.by_minute, s.minute);
      if (!has(r.by_hour) && (r.freq == ICAL_DAILY_RECURRENCE || r.freq == ICAL_WEEKLY_RECURRENCE ||
                              r.freq == ICAL_MONTHLY_RECURRENCE || r.freq == ICAL_YEARLY_RECURRENCE))
        set_one(r.by_hour, s.hour);
    }
    const bool any_day = has(r.by_day) || has(r.by_month_day) || has(r.by_year_day) || has(r.by_week_no);
    // A yearly rule with BYWEEKNO: the weeks of a weekly rule (DTSTART's weekday unless BYDAY says), kept
    // by their number.
    const bool week_years = r.freq == ICAL_YEARLY_RECURRENCE && has(r.by_week_no);
    std::vector<int> week_numbers;
    if (week_years) {
      for (std::size_t i = 0; i < ICAL_BY_WEEKNO_SIZE && r.by_week_no[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
        week_numbers.push_back(r.by_week_no[i]);
      clear(r.by_week_no);
      clear(r.by_month_day);
      clear(r.by_year_day);
      r.freq = ICAL_WEEKLY_RECURRENCE;
    }
    if (r.freq == ICAL_WEEKLY_RECURRENCE && !has(r.by_day))
      set_one(r.by_day, static_cast<int>(date::weekday{day}.c_encoding()) + 1);
    if (r.freq == ICAL_MONTHLY_RECURRENCE && !any_day) set_one(r.by_month_day, s.day);
    if (r.freq == ICAL_YEARLY_RECURRENCE && !any_day) {
      if (!has(r.by_month)) set_one(r.by_month, s.month);
      set_one(r.by_month_day, s.day);
    }
    const Period first = period_of(r, e.dtstart.wall, week_years);
    const RecurIterator owned = new_iterator(r, to_ical(first.start, e.dtstart.is_date));
    icalrecur_iterator* it = owned.get();
    if (it == nullptr) return;

    const sys_seconds stop = to_ + std::chrono::hours(48);
    const bool until_is_instant = rule.until && rule.until->frame->type == Frame::Type::utc;
    const sys_seconds until_instant = until_is_instant ? instant(*rule.until) : sys_seconds{};
    auto past_until = [&](date::local_seconds wall, sys_seconds at) {
      if (!rule.until) return false;
      if (rule.until->is_date) return date::floor<date::days>(wall) > date::floor<date::days>(rule.until->wall);
      if (until_is_instant) return at > until_instant;
      return wall > rule.until->wall;
    };
    int emitted = 0;
    std::size_t kept = 0;
    bool done = false;
    // One period's instances: the positions picked, then DTSTART, COUNT, UNTIL and the window applied.
    auto flush = [&](std::vector<date::local_seconds>& group) {
      // A period's instances are a set (libical 3.0 may give one twice, as it does DTSTART of a SECONDLY rule).
      std::sort(group.begin(), group.end());
      group.erase(std::unique(group.begin(), group.end()), group.end());
      std::vector<date::local_seconds> picked;
      if (positions.empty()) {
        picked = group;
      } else {
        const long long n = static_cast<long long>(group.size());
        for (int p : positions) {
          const long long i = p > 0 ? p - 1 : n + p;
          if (i >= 0 && i < n) picked.push_back(group[static_cast<std::size_t>(i)]);
        }
        std::sort(picked.begin(), picked.end());
        picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
      }
      group.clear();
      for (const date::local_seconds wall : picked) {
        if (done) return;
        if (wall < e.dtstart.wall) continue;
        const Candidate c{instant(wall, e.dtstart), wall, std::nullopt};
        if (past_until(wall, c.start) || c.start >= stop) {
          done = true;
          return;
        }
        out.push_back(c);
        if (count > 0 && ++emitted >= count) done = true;
        if (o_.max_occurrences != 0 && !excluded.matches(c) && !overridden.matches(c) && c.start >= from_ &&
            ++kept >= o_.max_occurrences)
          done = true;
      }
    };
    std::vector<date::local_seconds> group;
    const std::size_t size_before = out.size();
    std::size_t steps = 0;
    long long current = first.index;
    bool ending = false;  // an instance past UNTIL or the window was seen: this period is the last
    while (!done) {
      const icaltimetype t = icalrecur_iterator_next(it);
      const auto wall = icaltime_is_null_time(t) ? std::nullopt : from_ical(t);
      if (!wall) {
        flush(group);
        break;
      }
      const Period p = period_of(r, *wall, week_years);
      if (p.index != current) {
        flush(group);
        if (ending) break;
        current = p.index;
      }
      // The stop is checked on every instance libical gives, kept or not, so that a rule whose filters keep
      // nothing still ends with the window.
      if (!ending) {
        const sys_seconds at = instant(*wall, e.dtstart);
        if (past_until(*wall, at) || at >= stop) ending = true;
      }
      if (++steps > kMaxSteps || out.size() - size_before >= kMaxInstances) break;
      if ((p.index - first.index) % interval != 0) continue;
      if (week_years) {
        const WeekOf w = week_of(date::floor<date::days>(*wall), week_start_day(r));
        if (std::none_of(week_numbers.begin(), week_numbers.end(),
                         [&](int n) { return n > 0 ? n == w.number : w.weeks + 1 + n == w.number; }))
          continue;
      }
      if (filter) {
        const date::local_days its_day = date::floor<date::days>(*wall);
        if (has(limits.by_month_day) && !day_in(limits.by_month_day, its_day, false)) continue;
        if (has(limits.by_year_day) && !day_in(limits.by_year_day, its_day, true)) continue;
      }
      group.push_back(*wall);
    }
  }

  // The length of one INTERVAL of a rule in wall time, for the rules libical 3.0 can start again at a later
  // time and keep in phase (daily and weekly; its hourly and finer iterators lose the phase: the test
  // Calendar.LateWindowEqualsTheWholeSeriesFiltered shows it).
  static std::optional<std::chrono::seconds> fixed_period(const icalrecurrencetype& r) {
    const long n = r.interval > 0 ? r.interval : 1;
    switch (r.freq) {
      case ICAL_DAILY_RECURRENCE: return date::days(n);
      case ICAL_WEEKLY_RECURRENCE: return date::weeks(n);
      default: return std::nullopt;
    }
  }

  void add_busy(const BusyPeriod& b) {
    const sys_seconds start = instant(b.start);
    const sys_seconds end = b.span ? (b.span->days.count() == 0 ? start : instant(b.start.wall + b.span->days, b.start)) + b.span->exact
                                   : instant(b.end);
    if (!overlaps(start, end)) return;
    Occurrence o;
    o.kind = tandem::calendar::Kind::busy;
    o.uid = b.uid;
    o.start = start;
    o.end = end;
    fill_local(o, *b.start.frame);
    o.floating = b.start.frame->type == Frame::Type::floating;
    o.busy_type = b.type;
    o.transparent = b.type == tandem::calendar::BusyType::free;
    o.line = b.line;
    push(std::move(o));
  }

  const Impl& cal_;
  sys_seconds from_, to_;
  const ExpandOptions& o_;
  const date::time_zone* floating_;
  const date::time_zone* display_;
  std::string floating_name_;
  std::vector<Occurrence> out_;
};

}  // namespace
}  // namespace tandem::detail::calendar

namespace tandem::calendar {

std::vector<Occurrence> expand(const Calendar& calendar, sys_seconds from, sys_seconds to, const ExpandOptions& options) {
  if (!(from < to)) return {};
  try {
    return detail::calendar::Expander(calendar.impl(), from, to, options).run();
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace tandem::calendar
