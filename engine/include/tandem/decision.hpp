// tandem — from a resolved intent to a decision (ARCHITECTURE.md steps 7-8): the meeting a message
// concerns, the slot request built from the intent (who, how long, the offered and refused windows), and
// the solver's ranked slots or its compromise.
//
//   auto decider = tandem::Decider::create(pipeline.schedule, std::move(people), calendars_dir);
//   tandem::Decision d = (*decider)->decide(message, intent, quoted_times);
//   for (const auto& slot : d.solved.slots) ...
//
// How the request is built (docs/scheduling.md, "From intent to request"):
// - offered windows are the positive time items: a range is a window, a point is a start ("Thursday at 9"),
//   an open end runs to the end of that day, an open start from now; refused windows are the negative
//   items (a point refuses the minute it names); neutral items constrain nothing but name the meeting a
//   reschedule, cancel or decline is about;
// - an acceptance that names only a day ("Wednesday works") takes its times from the offers the quoted
//   history makes on that day (`quoted_times`: the time items of Message::quoted);
// - the existing meeting: an event that two or more of the participants' calendars share (one UID), in the
//   weeks ahead, that the neutral or negative items name; when several fit equally, the decision asks
//   (`questions`); a reschedule keeps its length unless the mail gives one, and it does not block;
// - the length: the mail's, else the sessions' sum, else the existing meeting's, else the pipeline's
//   default for the event type (`schedule.default_minutes`);
// - now: the message's sent instant (`schedule.now: sent`, so that a rerun decides the same), or the clock.
//
// Thread-safety: decide() is const and may be called from many threads. Ownership: the Decider owns the
// scheduler (directory and calendars); results are plain values.
#ifndef TANDEM_DECISION_HPP_
#define TANDEM_DECISION_HPP_

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/calendar.hpp"
#include "tandem/export.h"
#include "tandem/intent.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/scheduling.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem {

// A meeting already in the calendars that the message is about.
struct ExistingMeeting {
  std::string uid;
  std::string summary;
  std::string location;
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds end{};
  std::vector<std::string> attendees;  // the participants whose calendars hold it (addresses)
  std::optional<calendar::Attendee> organizer;  // the event's own ORGANIZER, when written
  std::vector<calendar::Attendee> invited;      // the event's own ATTENDEEs
};

struct Decision {
  std::chrono::sys_seconds now{};
  std::optional<ExistingMeeting> existing;   // reschedule, cancel, decline: the meeting concerned
  // Per time item of the intent: true for the item that says when the existing meeting is now (it offers
  // and refuses nothing, whatever its polarity: it is reported as neutral).
  std::vector<bool> names_existing;
  // Who attends, as the decision used it: the intent's required and optional attendees, completed, for a
  // meeting the message moves, cancels or declines, by that event's ORGANIZER and ATTENDEEs (those who did
  // not decline; ROLE=OPT-PARTICIPANT as optional), less the assistant. Lower-case addresses.
  std::vector<std::string> participants;
  std::vector<std::string> optional;
  bool scheduled = false;                    // a slot request was built and solved
  int slot_minutes = 0;                      // the meeting's length (a loop: its sessions' sum)
  scheduling::SlotRequest request;           // when `scheduled`
  scheduling::SolveResult solved;            // when `scheduled`
  // Variables the decision is itself unsure of (which existing meeting is meant), as annotations to be
  // routed to people like the extractors' ones.
  std::vector<sdk::Annotation> questions;
  std::vector<std::string> notes;            // what was assumed, in plain English
};

class TANDEM_API Decider {
 public:
  // Reads every calendar the directory names (from `calendars_dir` by file name when given): errors name
  // the file and line.
  static sdk::Result<std::unique_ptr<Decider>> create(const ScheduleSpec& spec, PeopleDirectory people,
                                                      const std::filesystem::path& calendars_dir = {});
  ~Decider();
  Decider(const Decider&) = delete;
  Decider& operator=(const Decider&) = delete;

  // `quoted_times`: the time items read from message.quoted (for acceptances that name only a day); may be
  // empty.
  Decision decide(const sdk::Message& message, const SchedulingIntent& intent,
                  const std::vector<TimeItem>& quoted_times = {}) const;

  const PeopleDirectory& people() const noexcept;
  const scheduling::Scheduler& scheduler() const noexcept;

 private:
  struct Impl;
  explicit Decider(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The wall time `t` in `zone` as an instant (the earlier one where the clock runs twice; the moment the clock
// jumps where it skips `t`); `zone` "" or unknown reads it as UTC.
TANDEM_API std::chrono::sys_seconds to_instant(local_minutes t, const std::string& zone);

}  // namespace tandem

#endif  // TANDEM_DECISION_HPP_
