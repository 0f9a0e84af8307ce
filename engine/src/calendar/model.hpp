// Internal: what parse_ics keeps of a calendar (Calendar::Impl), and the zone frames wall times are read in.
//
// A wall time is kept as written (a local_seconds of date/tz and whether it is a DATE) with the frame it is
// to be read in: floating (the expansion's default zone), UTC, an IANA zone (date/tz) or a zone defined
// only by a VTIMEZONE of the file (libical's icaltimezone). Conversions in the last kind go through
// libical, which fills a cache inside the icaltimezone as it goes: they are serialised by `vtimezone_mutex`.
//
// Thread-safety: immutable after parse_ics but for the libical zone caches (guarded). Ownership: the Impl
// owns libical's tree and the icaltimezones it made; date/tz zones live as long as the process.
#ifndef TANDEM_ENGINE_CALENDAR_MODEL_HPP_
#define TANDEM_ENGINE_CALENDAR_MODEL_HPP_

#include <date/tz.h>
#include <libical/ical.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tandem/calendar.hpp"

namespace tandem::detail::calendar {

using namespace std::chrono_literals;

// The frame a wall time is read in.
struct Frame {
  enum class Type { floating, utc, iana, vtimezone };
  Type type = Type::floating;
  const date::time_zone* iana = nullptr;  // Type::iana
  icaltimezone* vtimezone = nullptr;      // Type::vtimezone; owned by the Impl
  std::string name;                       // the IANA name, or the TZID of the VTIMEZONE
};

struct WallTime {
  date::local_seconds wall{};
  bool is_date = false;
  const Frame* frame = nullptr;  // never null; owned by the Impl
};

// DURATION: the nominal part (days and weeks, added to the wall time) and the exact part (seconds).
struct Span {
  date::days days{0};
  std::chrono::seconds exact{0};
};

struct Rule {
  icalrecurrencetype recur{};            // UNTIL taken out: the expansion applies `until` itself
  std::optional<WallTime> until;
  std::size_t line = 0;
};

struct RDate {
  WallTime start;
  std::optional<WallTime> end;  // a PERIOD with an end
  std::optional<Span> span;     // a PERIOD with a duration
};

struct Event {
  std::string uid, summary, location;
  std::optional<tandem::calendar::Attendee> organizer;
  std::vector<tandem::calendar::Attendee> attendees;
  tandem::calendar::EventStatus status = tandem::calendar::EventStatus::none;
  bool transparent = false;
  WallTime dtstart;
  std::optional<WallTime> dtend;
  std::optional<Span> duration;
  std::vector<Rule> rules;
  std::vector<RDate> rdates;
  std::vector<WallTime> exdates;
  std::optional<WallTime> recurrence_id;
  std::size_t line = 0;
};

struct BusyPeriod {
  std::string uid;
  WallTime start;
  WallTime end;
  std::optional<Span> span;  // when the period is start/duration
  tandem::calendar::BusyType type = tandem::calendar::BusyType::busy;
  std::size_t line = 0;
};

// Wall time -> instant. A floating wall time is read in `floating_zone` (UTC when null). In an IANA zone, a
// wall time skipped by a DST change is read with the offset before the gap and one that occurs twice as
// the first (RFC 5545 §3.3.5; date/tz's local_info gives both); in a VTIMEZONE, libical decides.
std::chrono::sys_seconds to_instant(const tandem::calendar::Calendar::Impl& cal, const WallTime& t,
                                    const date::time_zone* floating_zone);
// Instant -> wall time in a frame (floating: in `floating_zone`, UTC when null).
date::local_seconds to_wall(const tandem::calendar::Calendar::Impl& cal, std::chrono::sys_seconds t, const Frame& frame,
                            const date::time_zone* floating_zone);
// libical's time fields of a wall time (no zone: libical iterates wall times).
icaltimetype to_ical(date::local_seconds wall, bool is_date);
// The wall time of libical's fields (a date at midnight); nullopt for an impossible date or clock time.
std::optional<date::local_seconds> from_ical(const icaltimetype& t);

}  // namespace tandem::detail::calendar

struct tandem::calendar::Calendar::Impl {
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();

  std::string file_name;
  icalcomponent* root = nullptr;  // owned
  std::vector<std::unique_ptr<detail::calendar::Frame>> frames;  // stable addresses
  const detail::calendar::Frame* floating = nullptr;
  const detail::calendar::Frame* utc = nullptr;
  std::vector<detail::calendar::Event> events;  // masters, single events and overrides, in file order
  std::vector<detail::calendar::BusyPeriod> busy;
  std::size_t freebusy_components = 0;
  mutable std::mutex vtimezone_mutex;
};

#endif  // TANDEM_ENGINE_CALENDAR_MODEL_HPP_
