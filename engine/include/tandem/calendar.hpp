// tandem — calendars: iCalendar (RFC 5545) files read and expanded into occurrences over a window.
//
//   auto cal = tandem::calendar::parse_ics(text, "team.ics");
//   if (!cal) fail(cal.status().message());   // "team.ics:14: DTSTART: ..." one line per problem
//   tandem::calendar::ExpandOptions o;
//   o.default_zone = "Europe/Berlin";          // floating and all-day events are read in this zone
//   for (const auto& occ : tandem::calendar::expand(*cal, from, to, o)) use(occ.start, occ.end, occ.transparent);
//
// What is read (docs/calendar.md): VEVENT with DTSTART, DTEND or DURATION, RRULE, RDATE (dates, date-times,
// periods), EXDATE, RECURRENCE-ID overrides (a modified instance replaces the generated one; a cancelled
// one removes it), STATUS, TRANSP, SUMMARY, LOCATION; VFREEBUSY's FREEBUSY periods; VTIMEZONE. Parsing is
// libical's, and so is the generation of every recurrence instance (its RRULE iterator); for the rule parts
// libical 3.0 gets wrong (BYSETPOS outside monthly/yearly days, INTERVAL of hourly and finer rules, yearly
// BYWEEKNO, limiting BYMONTHDAY/BYYEARDAY) the engine groups libical's instances by FREQ period and applies
// those parts itself (docs/calendar.md). Wall times in an IANA zone (a TZID that names one, with or without
// a VTIMEZONE) become instants through date/tz; a TZID defined only by a VTIMEZONE of the file uses that
// VTIMEZONE's rules (libical). A wall time skipped by a DST change is read with the offset before the gap,
// one that occurs twice as the first of the two (RFC 5545 §3.3.5). A DTSTART its RRULE does not produce is
// not an instance (libical's reading; RFC 5545 leaves the case undefined).
//
// Errors: parse_ics fails with Status invalid_input whose message holds every problem found, one a line,
// sorted by line, each "FILE:LINE: PROPERTY: what" (libical's X-LIC-ERROR reports included, with the line
// counted here). expand() does not fail: the calendar was checked when it was parsed.
//
// Ownership: a Calendar owns its parsed data (and libical's tree); copies share it (it is immutable).
// parse_ics keeps no reference to `text`. Occurrences are plain values.
// Thread-safety: a Calendar is immutable after parse_ics: many threads may expand one Calendar (or copies of
// it) at once. parse_ics and expand have no other shared state.
#ifndef TANDEM_CALENDAR_HPP_
#define TANDEM_CALENDAR_HPP_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/status.hpp"

namespace tandem::calendar {

using sys_seconds = std::chrono::sys_seconds;
using local_seconds = std::chrono::local_seconds;

enum class EventStatus { none, tentative, confirmed, cancelled };  // STATUS (none: not given)
enum class Kind { event, busy };                               // a VEVENT instance, a VFREEBUSY period
enum class BusyType { busy, busy_tentative, busy_unavailable, free };  // FREEBUSY's FBTYPE

// Someone an event names: its ORGANIZER, or one of its ATTENDEEs.
struct Attendee {
  std::string email;      // the calendar address without "mailto:", lower case
  std::string name;       // CN; may be empty
  bool optional = false;  // ROLE=OPT-PARTICIPANT (or NON-PARTICIPANT)
  bool declined = false;  // PARTSTAT=DECLINED
};

// One instance of an event (or one busy period of a VFREEBUSY) as it lies in time.
struct Occurrence {
  Kind kind = Kind::event;
  std::string uid;
  std::string summary;
  std::string location;
  std::optional<Attendee> organizer;  // ORGANIZER, when written
  std::vector<Attendee> attendees;    // ATTENDEE, in the file's order (an override's own list for its instance)
  sys_seconds start{};  // the instant it starts
  sys_seconds end{};    // the instant it ends (== start for an event with neither DTEND nor DURATION)
  // The same two instants as wall times in `zone`: the zone the event was written in (its TZID, "UTC" for
  // UTC times, the default zone for floating and all-day ones), or ExpandOptions::display_zone when set.
  local_seconds local_start{};
  local_seconds local_end{};
  std::string zone;
  bool all_day = false;      // DTSTART is a DATE
  bool floating = false;     // written without a zone (all-day events too): read in the default zone
  bool transparent = false;  // TRANSP:TRANSPARENT (or FBTYPE=FREE): free time, does not block
  EventStatus status = EventStatus::none;
  BusyType busy_type = BusyType::busy;  // Kind::busy only
  // For an instance of a recurring event: the instant of the instance it is (the generated start, or the
  // RECURRENCE-ID of an override). Empty for a single event.
  std::optional<sys_seconds> recurrence_id;
  bool overridden = false;  // a RECURRENCE-ID component replaced the generated instance
  std::size_t line = 0;     // the line of the component's BEGIN in the file
};

struct ExpandOptions {
  // The IANA zone floating and all-day events are read in. An unknown name reads them as UTC.
  std::string default_zone = "UTC";
  // Where set (an IANA name), local_start/local_end/zone are given in this zone rather than the written
  // one. An unknown name is ignored.
  std::string display_zone;
  // Cancelled events and instances (STATUS:CANCELLED) are dropped, or kept with status cancelled.
  bool keep_cancelled = false;
  // At most this many occurrences, the earliest (0: no limit).
  std::size_t max_occurrences = 0;
};

// A parsed iCalendar file: every VCALENDAR in it.
class TANDEM_API Calendar {
 public:
  struct Impl;
  explicit Calendar(std::shared_ptr<const Impl> impl) noexcept : impl_(std::move(impl)) {}

  const std::string& file_name() const noexcept;
  std::size_t event_count() const noexcept;     // VEVENTs read, overrides included
  std::size_t freebusy_count() const noexcept;  // VFREEBUSY components read
  const Impl& impl() const noexcept { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

// Reads an iCalendar text. `file_name` only names the file in errors. Never throws.
TANDEM_API sdk::Result<Calendar> parse_ics(std::string_view text, const std::string& file_name);
// Reads an iCalendar file (errors name `path` as given). Never throws.
TANDEM_API sdk::Result<Calendar> load_ics(const std::string& path);

// The occurrences that overlap [from, to) (an instant-long one: from <= start < to), in time order (start,
// then end, then uid). One rule gives at most 1,000,000 instances in one expansion (a secondly rule over
// years); ask for shorter windows. Never throws: should the host fail (out of memory), the result is empty.
TANDEM_API std::vector<Occurrence> expand(const Calendar& calendar, sys_seconds from, sys_seconds to,
                                          const ExpandOptions& options = {});

// "none", "tentative", "confirmed", "cancelled"; "busy", "busy-tentative", "busy-unavailable", "free".
TANDEM_API const char* to_string(EventStatus status) noexcept;
TANDEM_API const char* to_string(BusyType type) noexcept;

}  // namespace tandem::calendar

#endif  // TANDEM_CALENDAR_HPP_
