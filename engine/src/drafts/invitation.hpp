// Internal: the iCalendar invitation of a draft (RFC 5545 / RFC 5546 iTIP), built with libical's
// icalcomponent API, and the zone helpers it shares with the reply text (date/tz only).
//
// Thread-safety: free functions without shared state (date/tz's database is read-only once loaded;
// libical's component tree is local to each call).
#ifndef TANDEM_ENGINE_DRAFTS_INVITATION_HPP_
#define TANDEM_ENGINE_DRAFTS_INVITATION_HPP_

#include <chrono>
#include <string>
#include <vector>

#include "tandem/drafts.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem::drafts::detail {

// The wall time of `instant` in the IANA zone `zone`, and the zone's UTC offset then (date/tz).
struct WallTime {
  std::chrono::local_seconds local{};
  std::chrono::seconds offset{};
};
sdk::Result<WallTime> wall_time(std::chrono::sys_seconds instant, const std::string& zone);
bool known_zone(const std::string& zone);

// What the invitation says; the method is REQUEST (confirm) or CANCEL (cancelled).
struct InvitationSpec {
  enum class Method { request, cancel } method = Method::request;
  std::string uid;
  int sequence = 0;  // as written (the caller adds 1 for a CANCEL)
  std::chrono::sys_seconds stamp{};
  std::chrono::sys_seconds start{}, end{};
  bool has_time = true;  // false: a CANCEL of an event whose time is not given
  std::string zone;      // the organizer's IANA zone; "UTC" (or empty) writes UTC times
  std::string summary;
  std::string location;
  Person organizer;
  std::vector<Person> attendees;
};

// The VCALENDAR text (CRLF, folded by libical), or invalid_input naming what is missing.
sdk::Result<std::string> build_invitation(const InvitationSpec& spec);

}  // namespace tandem::drafts::detail

#endif  // TANDEM_ENGINE_DRAFTS_INVITATION_HPP_
