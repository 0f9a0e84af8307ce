// tandem — drafted replies and iCalendar invitations (ARCHITECTURE.md step 9, "act").
//
//   tandem::drafts::DraftInput in;
//   in.kind = tandem::drafts::DraftInput::Kind::confirm;
//   in.event_type = "coffee";  in.duration_minutes = 30;
//   in.organizer = {"Ana Ruiz", "ana@example.com", "es_ES", "Europe/Madrid"};
//   in.recipient = {"Jonas Weber", "jonas@example.de", "de_DE", "Europe/Berlin"};
//   in.sender_zone = "Europe/Berlin";  in.slots = {{start, end}};
//   in.uid = "case-4711@tandem";  in.now = sent_instant;
//   auto d = tandem::drafts::draft(in, tandem::drafts::Templates::bundled());
//   if (!d) fail(d.status().message());
//   send(d->to, d->cc, d->subject, d->body, d->invitation);   // unless d->held
//
// Wording comes from per-language templates, config/replies/<lang>.yaml (en, de, fr, es), ICU MessageFormat
// strings compiled into the engine at build time; Templates::load() adds or overrides languages (and single
// keys) from a directory. Every template is checked when it is read: the MessageFormat parses, it uses only
// the arguments its key gets (each with the right kind: a number where it is counted), and it uses the
// arguments its key requires; problems are "file:line:column: error: key: what". A language that lacks a key
// uses the English template for it, with a note (Templates::notes(), and Draft::notes for the draft that
// used it). The format, the keys and their arguments: docs/drafts.md. The lines of a nothing_fits reply
// that say what the compromise breaks come from DraftInput::broken_rules through the `broken_item` template
// (one line per rule, in the recipient's language); plain DraftInput::broken strings are printed as given.
//
// Language, dates and zones: the recipient's locale chooses the template language (its language subtag;
// English, with a note, when there are no templates for it) and the date and time formats (ICU skeletons
// through DateTimePatternGenerator, DateIntervalFormat for start–end; the locale decides the 12- or 24-hour
// clock, the order and the names). Times are given in the recipient's zone (the sender's, then the
// organizer's, when the recipient has none). Every wall time is computed by Howard Hinnant's date/tz from
// the system tz database, never by ICU: ICU only formats the wall time date/tz gave (ICU's built-in zone
// data may be older than the system's), so the reply and the invitation always agree. The zone is named
// (ICU's localized generic name, e.g. "Central European Time", else the generic location format) when its
// UTC offset differs from the sender zone's at any time the reply mentions, or when the sender zone is
// unknown.
//
// Invitations: for Kind::confirm an iCalendar METHOD:REQUEST, for Kind::cancelled a METHOD:CANCEL with the
// same UID and SEQUENCE + 1, built with libical (CRLF, lines folded at 75 octets). DTSTART/DTEND carry the
// organizer's IANA zone as TZID with a VTIMEZONE generated from date/tz's transitions around the event
// (UTC times, without a VTIMEZONE, for a UTC organizer). DTSTAMP is DraftInput::now, so the same input gives
// the same bytes every time.
//
// QA hold: DraftInput::hold is the caller's decision (a pipeline setting) that a person checks the draft
// before it leaves; draft() only copies it to Draft::held. Nothing is sent by this module.
//
// Errors: draft() returns Status invalid_input naming the field for input it cannot draft from (a confirm
// or propose without slots, a slot or a broken rule's window that ends before it starts, an unknown IANA
// zone, an attendee without an address on an invitation). Templates::load/from_texts throw TemplatesError with every problem found.
//
// Ownership: draft() copies what it returns and keeps no reference to its input. A Templates owns its
// templates; copies share them (they are immutable).
// Thread-safety: a Templates is immutable after construction: one object (bundled() included) may be used by
// many threads at once; bundled() parses the bundled files once, on first use, thread-safely. draft() has no
// shared state.
#ifndef TANDEM_DRAFTS_HPP_
#define TANDEM_DRAFTS_HPP_

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/status.hpp"

namespace tandem::drafts {

using sys_seconds = std::chrono::sys_seconds;

// One time span: [start, end).
struct Slot {
  sys_seconds start{};
  sys_seconds end{};
};

struct Person {
  std::string name;    // display name ("Jonas Weber"); may be empty
  std::string email;   // address without "mailto:"
  std::string locale;  // ICU id or BCP 47 tag ("de_DE", "fr-CA"); the recipient's decides the language
  std::string zone;    // IANA zone ("Europe/Berlin")
  bool optional = false;  // an optional attendee (ROLE=OPT-PARTICIPANT)
};

// One rule the compromise of a nothing_fits reply breaks, as values: the `broken_item` template words each
// in the recipient's language (scheduling::Violation holds the same fields; `tandem run` copies them).
struct BrokenRule {
  // working_hours, busy, buffer, off_limits, daily_cap, travel, refused, outside_offered, lead (the kinds
  // scheduling::Violation::constraint names); another word reaches the template's `other` branch.
  std::string constraint;
  std::string person;  // the person's display name; "" for the request's own rules (refused, offered, lead)
  int minutes = 0;     // by how much: minutes of the meeting (or of the buffer, or of travel time)
  int meetings = 0;    // daily_cap: the meetings beyond the cap, this one included
  int limit = 0;       // daily_cap: the cap (the day already holds limit + meetings - 1); lead: the lead, minutes
  // The time the rule names, if any (working hours, the off-limits block, the refused window, an offered
  // point as start == end): written by ICU in the recipient's zone and locale.
  std::optional<Slot> window{};
};

struct DraftInput {
  enum class Kind {
    propose,       // offer slots (ranked) for the recipient to choose from
    confirm,       // slots[0] is agreed: confirm it, with an invitation (METHOD:REQUEST)
    nothing_fits,  // no slot fits: slots[0] (if any) is the best compromise, `broken_rules` what it breaks
    cancelled,     // the organizer cancels the known event slots[0] (METHOD:CANCEL)
    declined,      // decline what was asked; slots (if any) are offered instead
    need_info,     // ask for what is missing (`missing`)
    none,          // nothing to schedule: a short acknowledgement
  };
  Kind kind = Kind::none;
  // phone_screen, interview, coffee, lunch, call, video_call, meeting, onsite; another word is passed to
  // the templates as it is (their `other` branch); empty means meeting.
  std::string event_type;
  std::string title;     // the event's title (SUMMARY); empty: the `event_title` template's wording
  std::string location;  // empty: none
  int duration_minutes = 0;  // 0: taken from slots[0] when there is one
  Person organizer;          // the event's organizer (ORGANIZER)
  Person recipient;          // whom the reply addresses: its locale decides the language, its zone the times
  Person sender;             // who writes (signs) the reply; empty name and email: the organizer
  std::string sender_zone;   // the zone of the mail being answered: the zone is named when it differs
  std::vector<Person> attendees;  // invited (ATTENDEE); the organizer need not be among them
  std::vector<Slot> slots;        // ranked; for confirm and cancelled: slots[0] is the event
  // nothing_fits: what the compromise breaks. `broken_rules` are worded by the `broken_item` template in the
  // recipient's language; when there are none, the `broken` strings (already worded, whatever their
  // language) are used as they are. Given both, `broken` is ignored.
  std::vector<BrokenRule> broken_rules;
  std::vector<std::string> broken;
  std::vector<std::string> missing;  // need_info: times, dates, duration, location, participants, event_type, or
                                     // another word the `need_info_item` template knows
  std::string in_reply_to;  // Message-ID of the mail answered (copied to the draft)
  std::string subject;      // subject of the mail answered ("Re: " is not doubled)
  std::string uid;          // stable, from the caller (thread/case); a reschedule keeps the event's UID
  int sequence = 0;         // the event's SEQUENCE: a REQUEST carries it, a CANCEL carries it + 1
  sys_seconds now{};        // DTSTAMP and "this year": the decision's now, never the wall clock
  bool hold = false;        // QA hold decided by the caller: copied to Draft::held
};

struct Draft {
  std::string language;  // the template language used ("de"; "en" when falling back)
  std::string locale;    // the ICU locale dates were formatted in ("de_DE")
  std::string zone;      // the zone times are given in
  std::string subject;
  std::string body;      // plain text, "\n" line ends
  std::vector<std::string> to, cc;  // addresses
  std::string in_reply_to;
  std::string invitation;  // iCalendar text (CRLF), empty when none
  std::string method;      // "REQUEST", "CANCEL", or empty
  bool held = false;       // a person checks it before it leaves (DraftInput::hold)
  std::vector<std::string> notes;  // fallbacks taken ("de: no template \"need_info\": English used")
};

// Every problem found in template files, one "file:line:column: error: ..." line each, sorted.
class TANDEM_API TemplatesError : public std::runtime_error {
 public:
  explicit TemplatesError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const noexcept { return errors_; }

 private:
  std::vector<std::string> errors_;
};

class TANDEM_API Templates {
 public:
  struct Impl;
  explicit Templates(std::shared_ptr<const Impl> impl) noexcept : impl_(std::move(impl)) {}

  // The templates compiled into the engine (config/replies/*.yaml at build time). A bundled file that does
  // not check is left out (a unit test fails on it).
  static const Templates& bundled();
  // The bundled templates (when `with_bundled`) plus `files` ({name, text}, e.g. {"it.yaml", "..."}): a
  // file for a new language adds it; one for a known language overrides the keys it gives.
  static Templates from_texts(const std::vector<std::pair<std::string, std::string>>& files,
                              bool with_bundled = true);
  // The bundled templates plus every *.yaml in `directory`, in name order.
  static Templates load(const std::string& directory);

  std::vector<std::string> languages() const;   // sorted
  // One note per key a language lacks ("de: no template \"none\": the English one is used").
  const std::vector<std::string>& notes() const noexcept;
  const Impl& impl() const noexcept { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

// Drafts the reply (and the invitation) for `input`. Never throws.
TANDEM_API sdk::Result<Draft> draft(const DraftInput& input, const Templates& templates = Templates::bundled());

TANDEM_API const char* to_string(DraftInput::Kind kind) noexcept;  // "propose", "confirm", ...

}  // namespace tandem::drafts

#endif  // TANDEM_DRAFTS_HPP_
