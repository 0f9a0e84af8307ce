// parse_ics: libical parses; the scan (ics_scan.hpp) gives every property its line; this file turns libical's
// tree into the model of model.hpp and checks what libical lets through (impossible dates, unknown zones,
// rules that cannot be expanded, DTEND before DTSTART).
#include <algorithm>
#include <exception>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "calendar/ics_scan.hpp"
#include "calendar/model.hpp"
#include "tandem/calendar.hpp"
#include "time/zone_clock.hpp"
#include "util/ascii.hpp"

tandem::calendar::Calendar::Impl::~Impl() {
  for (auto& f : frames)
    if (f->vtimezone != nullptr) icaltimezone_free(f->vtimezone, 1);
  if (root != nullptr) icalcomponent_free(root);
}

namespace tandem::calendar {

const std::string& Calendar::file_name() const noexcept { return impl_->file_name; }
std::size_t Calendar::event_count() const noexcept { return impl_->events.size(); }
std::size_t Calendar::freebusy_count() const noexcept { return impl_->freebusy_components; }

const char* to_string(EventStatus status) noexcept {
  switch (status) {
    case EventStatus::none: return "none";
    case EventStatus::tentative: return "tentative";
    case EventStatus::confirmed: return "confirmed";
    case EventStatus::cancelled: return "cancelled";
  }
  return "none";
}

const char* to_string(BusyType type) noexcept {
  switch (type) {
    case BusyType::busy: return "busy";
    case BusyType::busy_tentative: return "busy-tentative";
    case BusyType::busy_unavailable: return "busy-unavailable";
    case BusyType::free: return "free";
  }
  return "busy";
}

}  // namespace tandem::calendar

namespace tandem::detail::calendar {
namespace {

using tandem::calendar::Calendar;
using Impl = tandem::calendar::Calendar::Impl;

struct Problem {
  std::size_t line = 0;
  std::string property;
  std::string what;
};

std::string property_name(icalproperty* p) {
  const icalproperty_kind k = icalproperty_isa(p);
  if (k == ICAL_X_PROPERTY) {
    const char* x = icalproperty_get_x_name(p);
    return x != nullptr ? std::string(x) : std::string("X-");
  }
  const char* s = icalproperty_kind_to_string(k);
  return s != nullptr ? std::string(s) : std::string("?");
}

std::string value_text(icalproperty* p) {
  char* s = icalproperty_get_value_as_string_r(p);
  std::string out = s != nullptr ? s : "";
  if (s != nullptr) icalmemory_free_buffer(s);
  return out;
}

std::string parameter(icalproperty* p, icalparameter_kind kind) {
  icalparameter* par = icalproperty_get_first_parameter(p, kind);
  if (par == nullptr) return {};
  if (kind == ICAL_TZID_PARAMETER) {
    const char* s = icalparameter_get_tzid(par);
    return s != nullptr ? s : "";
  }
  return {};
}

// libical's components in pre-order, as the scan lists them (an XROOT, made when a text holds several
// VCALENDARs, is not one of them).
void preorder(icalcomponent* c, std::vector<icalcomponent*>& out) {
  if (icalcomponent_isa(c) != ICAL_XROOT_COMPONENT) out.push_back(c);
  for (icalcomponent* k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k != nullptr;
       k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
    preorder(k, out);
}

// "Can't parse as DATE-TIME value in EXDATE property. Removing entire property: garbage" ->
// cannot read "garbage" (libical: Can't parse as DATE-TIME value in EXDATE property)
std::string explain_lic_error(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::string marker = ". Removing entire property: ";
  const std::size_t m = text.find(marker);
  if (m != std::string::npos)
    return "cannot read \"" + text.substr(m + marker.size()) + "\" (libical: " + text.substr(0, m) + ")";
  return "libical: " + text;
}

std::vector<std::string> lic_errors(icalcomponent* c) {
  std::vector<std::string> out;
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
    const char* s = icalproperty_get_xlicerror(p);
    out.emplace_back(s != nullptr ? s : "");
  }
  return out;
}

// The X-LIC-ERRORs of one component, each with its line: every property line of the component parsed again
// alone (in a component of the same kind), so that what libical says about it is known to be about it.
// Returns how many were placed.
std::size_t locate_lic_errors(const ScanComponent& sc, std::vector<Problem>& problems) {
  std::size_t found = 0;
  for (const ScanLine& l : sc.properties) {
    std::string text = "BEGIN:VCALENDAR\r\n";
    if (sc.kind != "VCALENDAR") text += "BEGIN:" + sc.kind + "\r\n";
    text += l.text + "\r\n";
    if (sc.kind != "VCALENDAR") text += "END:" + sc.kind + "\r\n";
    text += "END:VCALENDAR\r\n";
    icalcomponent* alone = icalparser_parse_string(text.c_str());
    if (alone == nullptr) continue;
    std::vector<icalcomponent*> all;
    preorder(alone, all);
    for (icalcomponent* c : all)
      for (const std::string& e : lic_errors(c)) {
        problems.push_back({l.line, l.name, explain_lic_error(e)});
        ++found;
      }
    icalcomponent_free(alone);
  }
  return found;
}

// A BY list as a set: each value once, and (`sorted`) in ascending order. RFC 5545 gives the lists no order
// and no meaning to a repeated value; libical 3.0's iterator skips instances when a list of numbers is
// unsorted ("BYSECOND=5,4") or holds a value twice ("BYDAY=SU,TH,TH"). BYDAY keeps its order: libical
// walks it from the week start.
template <std::size_t N>
void as_set(short (&list)[N], bool sorted = true) {
  std::size_t n = 0;
  while (n < N && list[n] != ICAL_RECURRENCE_ARRAY_MAX) ++n;
  if (sorted) std::sort(list, list + n);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::find(list, list + kept, list[i]) == list + kept) list[kept++] = list[i];
  for (std::size_t i = kept; i < n; ++i) list[i] = ICAL_RECURRENCE_ARRAY_MAX;
}

class Builder {
 public:
  Builder(Impl& cal, std::vector<Problem>& problems) : cal_(cal), problems_(problems) {}

  // VTIMEZONE components by TZID, for zones that are not IANA names.
  void add_vtimezone(icalcomponent* c) {
    icalproperty* p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
    if (p == nullptr) return;
    const char* id = icalproperty_get_tzid(p);
    if (id != nullptr) vtimezones_.emplace(id, c);
  }

  void add_event(icalcomponent* c, const ScanComponent* sc) {
    Props props(sc);
    Event e;
    e.line = sc != nullptr ? sc->begin_line : 0;
    bool has_start = false;
    bool dtstart_written = false;  // a DTSTART line, read or not
    std::vector<std::pair<icalproperty*, std::size_t>> later;  // what needs DTSTART first
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
      const std::size_t line = props.line_of(p, e.line);
      switch (icalproperty_isa(p)) {
        case ICAL_UID_PROPERTY: e.uid = text_of(icalproperty_get_uid(p)); break;
        case ICAL_SUMMARY_PROPERTY: e.summary = text_of(icalproperty_get_summary(p)); break;
        case ICAL_LOCATION_PROPERTY: e.location = text_of(icalproperty_get_location(p)); break;
        case ICAL_ORGANIZER_PROPERTY:
          if (auto a = person(p, icalproperty_get_organizer(p))) e.organizer = std::move(*a);
          break;
        case ICAL_ATTENDEE_PROPERTY:
          if (auto a = person(p, icalproperty_get_attendee(p))) e.attendees.push_back(std::move(*a));
          break;
        case ICAL_STATUS_PROPERTY:
          switch (icalproperty_get_status(p)) {
            case ICAL_STATUS_TENTATIVE: e.status = tandem::calendar::EventStatus::tentative; break;
            case ICAL_STATUS_CONFIRMED: e.status = tandem::calendar::EventStatus::confirmed; break;
            case ICAL_STATUS_CANCELLED: e.status = tandem::calendar::EventStatus::cancelled; break;
            default: break;
          }
          break;
        case ICAL_TRANSP_PROPERTY: {
          const icalproperty_transp t = icalproperty_get_transp(p);
          e.transparent = t == ICAL_TRANSP_TRANSPARENT || t == ICAL_TRANSP_TRANSPARENTNOCONFLICT;
          break;
        }
        case ICAL_DTSTART_PROPERTY:
          dtstart_written = true;
          if (auto w = wall_time(p, icalproperty_get_dtstart(p), line)) {
            e.dtstart = *w;
            has_start = true;
          }
          break;
        case ICAL_DTEND_PROPERTY:
          if (auto w = wall_time(p, icalproperty_get_dtend(p), line)) e.dtend = *w;
          later.emplace_back(p, line);
          break;
        case ICAL_DURATION_PROPERTY: {
          const icaldurationtype d = icalproperty_get_duration(p);
          if (d.is_neg) problem(line, "DURATION", "a negative duration (\"" + value_text(p) + "\")");
          else e.duration = span(d);
          later.emplace_back(p, line);
          break;
        }
        case ICAL_RECURRENCEID_PROPERTY:
          if (auto w = wall_time(p, icalproperty_get_recurrenceid(p), line)) e.recurrence_id = *w;
          break;
        case ICAL_EXDATE_PROPERTY:
          if (auto w = wall_time(p, icalproperty_get_exdate(p), line)) e.exdates.push_back(*w);
          break;
        case ICAL_RDATE_PROPERTY: {
          const icaldatetimeperiodtype v = icalproperty_get_rdate(p);
          RDate r;
          if (!icaltime_is_null_time(v.period.start)) {
            auto s = wall_time(p, v.period.start, line);
            if (!s) break;
            r.start = *s;
            if (!icaltime_is_null_time(v.period.end)) {
              auto en = wall_time(p, v.period.end, line);
              if (!en) break;
              r.end = *en;
            } else {
              r.span = span(v.period.duration);
            }
          } else {
            auto s = wall_time(p, v.time, line);
            if (!s) break;
            r.start = *s;
          }
          e.rdates.push_back(std::move(r));
          break;
        }
        case ICAL_RRULE_PROPERTY:
          later.emplace_back(p, line);
          break;
        default:
          break;
      }
    }
    if (!has_start) {
      if (dtstart_written) return;  // its problem is reported already
      problem(e.line, "VEVENT", "no DTSTART" + std::string(e.uid.empty() ? "" : " (UID " + e.uid + ")"));
      return;
    }
    for (auto [p, line] : later) {
      switch (icalproperty_isa(p)) {
        case ICAL_DTEND_PROPERTY:
          if (e.duration) problem(line, "DTEND", "both DTEND and DURATION are given (RFC 5545 allows one)");
          else if (e.dtend && ends_before(*e.dtend, e.dtstart))
            problem(line, "DTEND", "\"" + value_text(p) + "\" is before DTSTART");
          break;
        case ICAL_RRULE_PROPERTY:
          add_rule(e, p, line);
          break;
        default:
          break;
      }
    }
    cal_.events.push_back(std::move(e));
  }

  void add_freebusy(icalcomponent* c, const ScanComponent* sc) {
    Props props(sc);
    const std::size_t begin = sc != nullptr ? sc->begin_line : 0;
    ++cal_.freebusy_components;
    std::string uid;
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_UID_PROPERTY)) uid = text_of(icalproperty_get_uid(p));
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
      const std::size_t line = props.line_of(p, begin);
      if (icalproperty_isa(p) != ICAL_FREEBUSY_PROPERTY) continue;
      const icalperiodtype v = icalproperty_get_freebusy(p);
      BusyPeriod b;
      b.uid = uid;
      b.line = line;
      if (icalparameter* t = icalproperty_get_first_parameter(p, ICAL_FBTYPE_PARAMETER)) {
        switch (icalparameter_get_fbtype(t)) {
          case ICAL_FBTYPE_FREE: b.type = tandem::calendar::BusyType::free; break;
          case ICAL_FBTYPE_BUSYTENTATIVE: b.type = tandem::calendar::BusyType::busy_tentative; break;
          case ICAL_FBTYPE_BUSYUNAVAILABLE: b.type = tandem::calendar::BusyType::busy_unavailable; break;
          default: break;
        }
      }
      auto s = wall_time(p, v.start, line);
      if (!s) continue;
      b.start = *s;
      if (!icaltime_is_null_time(v.end)) {
        auto en = wall_time(p, v.end, line);
        if (!en) continue;
        if (ends_before(*en, *s)) {
          problem(line, "FREEBUSY", "a period that ends before it starts");
          continue;
        }
        b.end = *en;
      } else {
        b.end = *s;
        b.span = span(v.duration);
      }
      cal_.busy.push_back(std::move(b));
    }
  }

 private:
  // The line of each property of one component: the k-th property called NAME is the k-th value of a line
  // called NAME in the scan (libical keeps the order of the text, and splits the same lists).
  class Props {
   public:
    explicit Props(const ScanComponent* sc) : sc_(sc) {}
    std::size_t line_of(icalproperty* p, std::size_t fallback) {
      if (sc_ == nullptr) return fallback;
      const std::string name = property_name(p);
      const std::size_t k = seen_[name]++;
      auto it = sc_->value_lines.find(name);
      if (it == sc_->value_lines.end() || k >= it->second.size()) return fallback;
      return it->second[k];
    }

   private:
    const ScanComponent* sc_;
    std::map<std::string, std::size_t> seen_;
  };

  static std::string text_of(const char* s) { return s != nullptr ? s : ""; }

  // An ORGANIZER or ATTENDEE: its address without "mailto:" (any case), lower case, with CN, ROLE and
  // PARTSTAT. A property without an address names nobody.
  static std::optional<tandem::calendar::Attendee> person(icalproperty* p, const char* value) {
    std::string address = text_of(value);
    if (address.size() >= 7 && util::lower_ascii(address.substr(0, 7)) == "mailto:") address.erase(0, 7);
    address = util::lower_ascii(address);
    if (address.empty()) return std::nullopt;
    tandem::calendar::Attendee a;
    a.email = std::move(address);
    if (icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER)) a.name = text_of(icalparameter_get_cn(cn));
    if (icalparameter* role = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER)) {
      const icalparameter_role r = icalparameter_get_role(role);
      a.optional = r == ICAL_ROLE_OPTPARTICIPANT || r == ICAL_ROLE_NONPARTICIPANT;
    }
    if (icalparameter* ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER))
      a.declined = icalparameter_get_partstat(ps) == ICAL_PARTSTAT_DECLINED;
    return a;
  }

  static Span span(const icaldurationtype& d) {
    Span s;
    s.days = date::days{static_cast<int>(d.days + 7 * d.weeks)};
    s.exact = std::chrono::hours{d.hours} + std::chrono::minutes{d.minutes} + std::chrono::seconds{d.seconds};
    return s;
  }

  void problem(std::size_t line, std::string property, std::string what) {
    problems_.push_back({line, std::move(property), std::move(what)});
  }

  bool ends_before(const WallTime& end, const WallTime& start) const {
    // Floating times read in UTC: only compared with each other, or when neither floats.
    const bool end_floats = end.frame->type == Frame::Type::floating;
    const bool start_floats = start.frame->type == Frame::Type::floating;
    if (end_floats != start_floats) return false;
    return to_instant(cal_, end, nullptr) < to_instant(cal_, start, nullptr);
  }

  // The frame of a TZID: an IANA zone when the name is one (or ends in one, as in
  // "/mozilla.org/20050126_1/America/New_York"), else the file's VTIMEZONE of that TZID; null when neither.
  const Frame* frame_of(const std::string& tzid) {
    auto known = by_tzid_.find(tzid);
    if (known != by_tzid_.end()) return known->second;
    const Frame* found = nullptr;
    for (std::size_t from = 0; found == nullptr && from != std::string::npos;) {
      const std::string candidate = tzid.substr(from);
      if (!candidate.empty()) {
        try {
          const date::time_zone* z = detail::time::ZoneClock::locate(candidate);
          auto f = std::make_unique<Frame>();
          f->type = Frame::Type::iana;
          f->iana = z;
          f->name = std::string(z->name());
          found = f.get();
          cal_.frames.push_back(std::move(f));
        } catch (const std::exception&) {
        }
      }
      const std::size_t slash = tzid.find('/', from);
      from = slash == std::string::npos ? std::string::npos : slash + 1;
    }
    if (found == nullptr) {
      auto vt = vtimezones_.find(tzid);
      if (vt != vtimezones_.end()) {
        icaltimezone* z = icaltimezone_new();
        if (z != nullptr && icaltimezone_set_component(z, icalcomponent_new_clone(vt->second)) != 0) {
          auto f = std::make_unique<Frame>();
          f->type = Frame::Type::vtimezone;
          f->vtimezone = z;
          f->name = tzid;
          found = f.get();
          cal_.frames.push_back(std::move(f));
        } else if (z != nullptr) {
          icaltimezone_free(z, 1);
        }
      }
    }
    by_tzid_.emplace(tzid, found);
    return found;
  }

  std::optional<WallTime> wall_time(icalproperty* p, const icaltimetype& t, std::size_t line) {
    const std::string name = property_name(p);
    auto wall = from_ical(t);
    if (!wall) {
      problem(line, name, "\"" + value_text(p) + "\" is not a valid " + (t.is_date ? "date" : "date-time"));
      return std::nullopt;
    }
    WallTime w;
    w.wall = *wall;
    w.is_date = t.is_date != 0;
    if (w.is_date) {
      w.frame = cal_.floating;
    } else if (icaltime_is_utc(t)) {
      w.frame = cal_.utc;
    } else if (const std::string tzid = parameter(p, ICAL_TZID_PARAMETER); !tzid.empty()) {
      w.frame = frame_of(tzid);
      if (w.frame == nullptr) {
        problem(line, name, "TZID \"" + tzid + "\" is neither an IANA zone name nor defined by a VTIMEZONE of the file");
        return std::nullopt;
      }
    } else {
      w.frame = cal_.floating;
    }
    return w;
  }

  void add_rule(Event& e, icalproperty* p, std::size_t line) {
    Rule r;
    r.recur = icalproperty_get_rrule(p);
    r.line = line;
    if (r.recur.freq == ICAL_NO_RECURRENCE) {
      problem(line, "RRULE", "no FREQ in \"" + value_text(p) + "\"");
      return;
    }
    as_set(r.recur.by_second);
    as_set(r.recur.by_minute);
    as_set(r.recur.by_hour);
    as_set(r.recur.by_day, false);
    as_set(r.recur.by_month_day);
    as_set(r.recur.by_year_day);
    as_set(r.recur.by_week_no);
    as_set(r.recur.by_month);
    if (!icaltime_is_null_time(r.recur.until)) {
      auto until = from_ical(r.recur.until);
      if (!until) {
        problem(line, "RRULE", "UNTIL is not a valid date or date-time in \"" + value_text(p) + "\"");
        return;
      }
      WallTime u;
      u.wall = *until;
      u.is_date = r.recur.until.is_date != 0;
      // UNTIL in UTC is an instant; otherwise it is read as DTSTART is (RFC 5545: same frame).
      u.frame = (!u.is_date && icaltime_is_utc(r.recur.until)) ? cal_.utc : e.dtstart.frame;
      r.until = u;
      r.recur.until = icaltime_null_time();
    }
    if (e.dtstart.is_date) {
      // An all-day event's instances are days: BYHOUR, BYMINUTE and BYSECOND have nothing to pick.
      std::fill(std::begin(r.recur.by_hour), std::end(r.recur.by_hour), static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
      std::fill(std::begin(r.recur.by_minute), std::end(r.recur.by_minute), static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
      std::fill(std::begin(r.recur.by_second), std::end(r.recur.by_second), static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
    }
    // A yearly rule with BYWEEKNO is expanded through a weekly one (expand.cpp): libical 3.0 refuses some
    // of them (negative week numbers) that the expansion reads.
    const bool by_weeks = r.recur.freq == ICAL_YEARLY_RECURRENCE && r.recur.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX;
    // BYSETPOS is applied by the expansion, not libical (which refuses positions beyond a period's instances).
    icalrecurrencetype check = r.recur;
    std::fill(std::begin(check.by_set_pos), std::end(check.by_set_pos), static_cast<short>(ICAL_RECURRENCE_ARRAY_MAX));
    icalrecur_iterator* it = by_weeks ? nullptr : icalrecur_iterator_new(check, to_ical(e.dtstart.wall, e.dtstart.is_date));
    if (it == nullptr && !by_weeks) {
      problem(line, "RRULE", "libical cannot expand \"" + value_text(p) + "\" from this DTSTART (" +
                                 std::string(icalerror_strerror(icalerrno)) + ")");
      icalerror_clear_errno();
      return;
    }
    if (it != nullptr) icalrecur_iterator_free(it);
    e.rules.push_back(r);
  }

  Impl& cal_;
  std::vector<Problem>& problems_;
  std::map<std::string, icalcomponent*> vtimezones_;
  std::map<std::string, const Frame*> by_tzid_;
};

std::string format(const std::string& file, std::vector<Problem> problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) { return a.line < b.line; });
  std::string out;
  for (const Problem& p : problems) {
    if (!out.empty()) out += '\n';
    out += file + ":" + std::to_string(p.line) + ": " + p.property + ": " + p.what;
  }
  return out;
}

}  // namespace
}  // namespace tandem::detail::calendar

namespace tandem::calendar {

sdk::Result<Calendar> parse_ics(std::string_view text, const std::string& file_name) {
  using namespace detail::calendar;
  try {
    Scan scan = scan_ics(text);
    std::vector<Problem> problems;
    for (auto& p : scan.problems) problems.push_back({p.line, p.property, p.what});
    if (!problems.empty()) return sdk::Status::invalid_input(format(file_name, std::move(problems)));

    auto impl = std::make_shared<Calendar::Impl>();
    impl->file_name = file_name;
    const std::string copy(text);  // libical wants a NUL-terminated text
    impl->root = icalparser_parse_string(copy.c_str());
    if (impl->root == nullptr)
      return sdk::Status::invalid_input(file_name + ":1: VCALENDAR: libical could not read the text");
    for (const char* kind : {"floating", "UTC"}) {
      auto f = std::make_unique<Frame>();
      f->type = std::string_view(kind) == "UTC" ? Frame::Type::utc : Frame::Type::floating;
      f->name = kind;
      (std::string_view(kind) == "UTC" ? impl->utc : impl->floating) = f.get();
      impl->frames.push_back(std::move(f));
    }

    std::vector<icalcomponent*> comps;
    preorder(impl->root, comps);
    const bool aligned = comps.size() == scan.components.size();
    auto scanned = [&](std::size_t i) -> const ScanComponent* { return aligned ? &scan.components[i] : nullptr; };

    for (std::size_t i = 0; i < comps.size(); ++i) {
      const std::size_t n = lic_errors(comps[i]).size();
      if (n == 0) continue;
      const ScanComponent* sc = scanned(i);
      // What libical only finds in context is named at the component's BEGIN.
      if (sc == nullptr || locate_lic_errors(*sc, problems) == 0)
        for (const std::string& e : lic_errors(comps[i]))
          problems.push_back({sc != nullptr ? sc->begin_line : 0, icalcomponent_kind_to_string(icalcomponent_isa(comps[i])),
                              explain_lic_error(e)});
    }
    // libical removed what it could not read: the rest is still checked, so that one run names every problem.
    Builder builder(*impl, problems);
    for (icalcomponent* c : comps)
      if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT) builder.add_vtimezone(c);
    for (std::size_t i = 0; i < comps.size(); ++i) {
      const icalcomponent_kind k = icalcomponent_isa(comps[i]);
      if (k == ICAL_VEVENT_COMPONENT) builder.add_event(comps[i], scanned(i));
      else if (k == ICAL_VFREEBUSY_COMPONENT) builder.add_freebusy(comps[i], scanned(i));
    }
    if (!problems.empty()) return sdk::Status::invalid_input(format(file_name, std::move(problems)));
    return Calendar(std::move(impl));
  } catch (const std::exception& e) {
    return sdk::Status::internal(file_name + ": reading the calendar failed: " + e.what());
  }
}

sdk::Result<Calendar> load_ics(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return sdk::Status::invalid_input(path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return sdk::Status::invalid_input(path + ": cannot read the file");
  return parse_ics(text.str(), path);
}

}  // namespace tandem::calendar
