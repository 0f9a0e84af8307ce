// tandem — the calendar constraint solver: the slots where every required person can meet, ranked, with
// the reasons for each; or, when none fits, why, and the compromise that breaks the least.
//
//   auto people = tandem::load_people("people.yaml");            // the directory (pipeline.hpp)
//   tandem::scheduling::Scheduler scheduler(*people);            // calendars read once, here
//   tandem::scheduling::SlotRequest r;
//   r.required = {"emily.park@postbox.example", "ben"};          // addresses or directory ids
//   r.duration = std::chrono::minutes(30);
//   r.now = sent;                                                // every decision is relative to it
//   r.offered = {{from, to}};                                    // the mail's positive windows
//   auto result = scheduler.solve(r);
//   for (const auto& slot : result.slots) use(slot.start, slot.reasons);
//   if (result.nothing_fits) explain(result.why_none, result.compromise);
//
// The rules (docs/scheduling.md, "The rules"; shared/eval/scheduling/README.md, "The slot rules") are hard:
// the grid, the lead time, the offered windows and points or else the horizon, refusals, each required
// person's working hours in their zone at the meeting start (trips included), off-limits blocks, busy time
// widened by their buffers, the daily cap, travel time around an in-person meeting, and for an interview
// loop each rule per session. Preferences only rank (docs/scheduling.md, "The score"). Every zone
// computation goes through date/tz.
//
// Ownership: a Scheduler keeps its own copy of the directory and the parsed calendars (shared, immutable
// calendar::Calendar values); results are plain values.
// Thread-safety: after construction a Scheduler may be used by many threads at once: solve() is const; the
// busy time it expands lazily is cached per person and per week behind a mutex.
#ifndef TANDEM_SCHEDULING_HPP_
#define TANDEM_SCHEDULING_HPP_

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/calendar.hpp"
#include "tandem/export.h"
#include "tandem/pipeline.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem::scheduling {

using sys_seconds = std::chrono::sys_seconds;

// A half-open stretch of time [begin, end).
struct Window {
  sys_seconds begin{};
  sys_seconds end{};
  friend bool operator==(const Window&, const Window&) = default;
};

// One part of an interview loop: who meets the candidate, and for how long.
struct Session {
  std::vector<std::string> with;  // addresses or directory ids
  std::chrono::minutes length{45};
};

struct SlotRequest {
  std::vector<std::string> required;  // addresses or directory ids; people not in the directory are free
  std::vector<std::string> optional;  // maximised: the score prefers slots where more of them are free
  std::chrono::minutes duration{30};  // ignored when `sessions` is given (the loop lasts their sum)
  // An interview loop: back-to-back sessions. Everyone in a session is required; a required person in no
  // session attends the whole loop. Each person's rules apply from their first session's start to their
  // last session's end (buffers around that, not between sessions).
  std::vector<Session> sessions;
  bool fixed_order = true;  // false: the sessions may come in any order (each start keeps its best order)
  // The mail's offers. When any is given, a meeting lies entirely inside one offered window or starts at
  // an offered point; otherwise its start lies in [now + lead, now + horizon).
  std::vector<Window> offered;
  std::vector<sys_seconds> offered_points;
  std::vector<Window> refused;    // a meeting may not overlap one
  std::vector<Window> preferred;  // soft wishes ("ideally Tuesday morning"): ranking only
  std::string location;           // free text; resolved through the directory's places
  bool in_person = false;         // travel time applies (needs `location`)
  sys_seconds now{};              // the decision's "now" (the mail's sent instant)
  std::chrono::minutes lead{120};  // starts at least this long after `now`
  std::chrono::days horizon{28};   // without offers, starts before now + horizon
  std::chrono::minutes grid{15};   // starts on multiples of this since 1970-01-01T00:00Z
  std::string ignore_event_uid;    // a reschedule: this meeting does not block (nor count for the cap)
  // People the directory does not hold, as the caller knows them (an address in Person::addresses, a zone
  // inferred from their mail, assumed working hours): required or optional people named by one of these
  // addresses get its zone, hours and preferences, and no calendar. Anyone else unknown is free at any time.
  std::vector<Person> guests;
  std::string zone;                // the zone reasons speak in ("": the first required person's, else UTC)
  std::size_t top_n = 5;           // slots returned; 0: every feasible start, best first
};

struct Slot {
  sys_seconds start{};
  sys_seconds end{};
  double score = 0;                        // docs/scheduling.md, "The score"; higher is better
  std::vector<std::string> reasons;        // plain English, naming people and zones
  std::vector<std::string> optional_free;  // the optional participants free for it (as the request names them)
  std::vector<Window> sessions;            // an interview loop: each session's window, in the order chosen
  std::vector<std::size_t> session_order;  // indexes into SlotRequest::sessions, in the order chosen
};

// One hard rule a compromise breaks, for one person (or for the request: `person` empty).
struct Violation {
  // working_hours, busy, buffer, off_limits, daily_cap, travel, refused, outside_offered, lead
  std::string constraint;
  std::string person;  // the person's name (or address), "" for the request's own rules
  int minutes = 0;     // by how much: minutes of the meeting (or buffer, or travel) it lacks
  int meetings = 0;    // daily_cap only: the meetings already on that day beyond the cap, plus this one
  std::string text;    // "30 min outside Ben Whitaker's working hours (08:00-16:30 America/Denver)"
  // What `text` says, as values, so a reply can word it in another language (drafts::BrokenRule):
  int limit = 0;  // daily_cap: the cap (the day already holds limit + meetings - 1); lead: the lead in minutes
  // The time the rule is about, when it names one: working_hours the day's range of hours the meeting is
  // nearest (none on a day without hours); off_limits the block's first stretch the meeting overlaps;
  // refused the refused window; outside_offered the nearest offered point (begin == end; none when an
  // offered window is nearest).
  std::optional<Window> window{};
};

struct Compromise {
  Slot slot;
  std::vector<Violation> broken;
  double penalty = 0;  // docs/scheduling.md, "The compromise"; lower is better
};

struct SolveResult {
  std::vector<Slot> slots;  // best first
  bool nothing_fits = false;
  std::optional<Compromise> compromise;  // when nothing fits and some start was considered at all
  std::vector<std::string> why_none;     // when nothing fits: per rule, what it removed, and which left none
};

class TANDEM_API Scheduler {
 public:
  struct Impl;
  // Reads each person's calendar once: from `calendars_dir` (by the calendar file's own name) when it is
  // given, else from the path the directory names. A calendar that cannot be read is an error naming
  // every problem (create() fails); the constructor throws std::runtime_error with the same text.
  static sdk::Result<Scheduler> create(PeopleDirectory directory, const std::filesystem::path& calendars_dir = {});
  explicit Scheduler(PeopleDirectory directory, const std::filesystem::path& calendars_dir = {});
  // For embedders who parsed the calendars themselves (tests, benchmarks): `calendars` holds one entry per
  // person of the directory, in its order; an empty optional is a person without a calendar.
  Scheduler(PeopleDirectory directory, std::vector<std::optional<calendar::Calendar>> calendars);
  Scheduler(Scheduler&&) noexcept;
  Scheduler& operator=(Scheduler&&) noexcept;
  ~Scheduler();

  const PeopleDirectory& directory() const noexcept;

  // Never throws (a failure of the host, such as memory, gives an empty result with nothing_fits).
  SolveResult solve(const SlotRequest& request) const;

  // The events of one person's calendar (an address or directory id) that overlap [from, to), in time
  // order, expanded as `tandem calendar expand` does (cancelled ones left out; floating and all-day ones in
  // the person's home zone). Empty for an unknown person or one without a calendar.
  std::vector<calendar::Occurrence> events_of(std::string_view person, sys_seconds from, sys_seconds to) const;

  // Forgets the expanded busy time (the parsed calendars stay).
  void clear_cache() const;

 private:
  explicit Scheduler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A request file (docs/scheduling.md, "The request file"), read with everything it names: the people
// directory (relative to the file) and the calendars folder.
struct RequestFile {
  std::filesystem::path file;
  PeopleDirectory directory;
  std::filesystem::path calendars_dir;  // "" when the file names none
  std::string zone;                     // `tz`: the zone times are shown in ("" when not given)
  SlotRequest request;
};
// Reads a request file. Fails with Status invalid_input holding every problem, one a line, sorted, each
// "file:line:column: error: path: what" (the people directory's own problems at its own lines). Never throws.
TANDEM_API sdk::Result<RequestFile> load_request(const std::filesystem::path& file);

// "2026-03-11T13:00:00-05:00": an instant as wall time and offset in an IANA zone ("UTC" when `zone` is
// unknown).
TANDEM_API std::string format_instant(sys_seconds instant, const std::string& zone);

}  // namespace tandem::scheduling

#endif  // TANDEM_SCHEDULING_HPP_
