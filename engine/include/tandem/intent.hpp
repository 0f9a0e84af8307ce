// tandem — the resolve step (ARCHITECTURE.md step 7): the accepted readings of a message's variables become
// one SchedulingIntent: what is asked (request), what kind of event, how long, where, who meets, and which
// times are offered, refused or only mentioned, as wall times in the sender's zone.
//
//   tandem::MessageResult r = engine->process(message);
//   tandem::SchedulingIntent intent = tandem::resolve_intent(message, r.annotations, settled);
//
// The variables read (their wire forms are the extractors' contract, docs/scheduling.md "Intent"):
// `request`, `event_type`, `duration` (minutes or "none"), `location` (text or "none"), `participants` and
// `optional` (lower-case addresses joined by ","; "none"), `sessions` ("a@x:45,b@y+c@y:30": one session per
// item, its interviewers joined by "+", in order) and `sessions.order` ("fixed" | "free"), `time[i].value`
// ("START/END" wall times YYYY-MM-DDTHH:MM; a point START/START; an open end START/; an open start /END),
// `time[i].polarity`, and `when` (the mail ties the time to something it does not date, "when he's in
// town": "open" searches the usual weeks, "ask" waits for the sender to say when, a START/END value from a
// person is an offered window). Each variable's value is what people settled (`settled`, by variable name) where they
// did, else the top candidate of its annotation. A value that does not read is left out and said in
// `problems`.
//
// Thread-safety: a pure function of its arguments. Ownership: plain values.
#ifndef TANDEM_INTENT_HPP_
#define TANDEM_INTENT_HPP_

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/types.hpp"

namespace tandem {

using local_minutes = std::chrono::local_time<std::chrono::minutes>;

// One time expression of the message, as its top reading has it.
struct TimeItem {
  std::optional<local_minutes> start;  // wall time in SchedulingIntent::zone; absent: open start
  std::optional<local_minutes> end;    // absent: open end; == start: a point
  std::string polarity;                // "positive", "negative", "neutral"
  double confidence = 0;               // probability of the top reading of the value
  double polarity_confidence = 0;
  std::vector<sdk::Candidate> readings;  // every reading considered ("START/END" values), top first
  sdk::Span span;
  std::string text;                    // the words it was read from
  bool point() const noexcept { return start && end && *start == *end; }
};

struct Session {
  std::vector<std::string> with;  // interviewers' addresses
  int minutes = 0;
};

struct SchedulingIntent {
  std::string request;     // schedule_new | reschedule | cancel | accept_proposal | decline | propose_times | none
  std::string event_type;  // phone_screen | interview | coffee | lunch | call | video_call | meeting | onsite; ""
  std::optional<int> duration_minutes;  // as the thread says it; absent when it does not
  std::string location;                 // "" when none is said
  std::vector<std::string> participants;  // required attendees, lower-case addresses
  std::vector<std::string> optional;      // optional attendees
  std::vector<Session> sessions;          // an interview loop, in order; empty otherwise
  bool fixed_order = true;                // the sessions' order is given
  std::vector<TimeItem> times;            // in text order (a window a person gave for `when` last)
  // The time hangs on something the mail does not date and the sender must first say when (`when` is
  // "ask"): nothing is proposed, the reply asks for the dates. `when_text` holds the mail's words.
  bool dates_unknown = false;
  std::string when_text;
  std::string zone;                       // the IANA zone the wall times are in (the sender's)
  std::vector<std::string> problems;      // values that did not read

  bool scheduling() const noexcept {
    return request == "schedule_new" || request == "reschedule" || request == "propose_times" ||
           request == "accept_proposal";
  }
};

// Variable name -> the value people settled on.
using SettledValues = std::map<std::string, std::string, std::less<>>;

TANDEM_API SchedulingIntent resolve_intent(const sdk::Message& message, const std::vector<sdk::Annotation>& annotations,
                                           const SettledValues& settled = {});

// "START/END" as in `time[i].value`; false when it does not read.
TANDEM_API bool parse_time_value(std::string_view value, std::optional<local_minutes>& start,
                                 std::optional<local_minutes>& end);

}  // namespace tandem

#endif  // TANDEM_INTENT_HPP_
