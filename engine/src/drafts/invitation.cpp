// The invitation: a VCALENDAR with METHOD:REQUEST or METHOD:CANCEL built node by node with libical, and
// a VTIMEZONE made from date/tz's transitions around the event.
#include "drafts/invitation.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <libical/ical.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <utility>

namespace tandem::drafts::detail {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

const date::time_zone* find_zone(const std::string& zone) noexcept {
  if (zone.empty()) return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool is_utc(const std::string& zone) {
  return zone.empty() || zone == "UTC" || zone == "Etc/UTC" || zone == "Etc/UCT" || zone == "Zulu" ||
         zone == "Etc/Zulu" || zone == "UCT" || zone == "Universal" || zone == "Etc/Universal";
}

struct ComponentDeleter {
  void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

// A floating libical date-time holding the wall time `t` (the TZID parameter is added by the caller).
icaltimetype floating(date::local_seconds t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{t - day};
  icaltimetype out = icaltime_null_time();
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(hms.hours().count());
  out.minute = static_cast<int>(hms.minutes().count());
  out.second = static_cast<int>(hms.seconds().count());
  out.is_date = 0;
  return out;
}

icaltimetype utc_time(sys_seconds t) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0,
                                       icaltimezone_get_utc_timezone());
}

// A date-time property (DTSTART, DTEND) at `instant`: the wall time in `tz` with TZID, or UTC.
icalproperty* time_property(icalproperty* (*make)(icaltimetype), sys_seconds instant, const date::time_zone* tz,
                            const std::string& zone) {
  if (!tz) return make(utc_time(instant));
  // A wall time that occurs twice (the hour a DST change repeats) is to be read as the first one (RFC 5545
  // §3.3.5), but readers differ (libical 3.0 takes the second): either instant is written in UTC instead.
  const date::local_seconds local = tz->to_local(instant);
  if (tz->get_info(local).result == date::local_info::ambiguous) return make(utc_time(instant));
  icalproperty* p = make(floating(local));
  icalproperty_add_parameter(p, icalparameter_new_tzid(zone.c_str()));
  return p;
}

// One observance of the VTIMEZONE: the period `info` from its onset, or from 1970 (FROM = TO) when it
// began before that (a zone that has kept its offset for decades).
icalcomponent* observance(const date::time_zone& tz, const date::sys_info& info) {
  const bool daylight = info.save != std::chrono::minutes{0};
  icalcomponent* c = icalcomponent_new(daylight ? ICAL_XDAYLIGHT_COMPONENT : ICAL_XSTANDARD_COMPONENT);
  const sys_seconds epoch{seconds{0}};
  seconds from = info.offset;
  date::local_seconds onset{};
  if (info.begin <= epoch) {
    onset = date::local_seconds{seconds{0}};
  } else {
    from = tz.get_info(info.begin - seconds{1}).offset;
    onset = date::local_seconds{(info.begin + from).time_since_epoch()};
  }
  icalcomponent_add_property(c, icalproperty_new_dtstart(floating(onset)));
  icalcomponent_add_property(c, icalproperty_new_tzoffsetfrom(static_cast<int>(from.count())));
  icalcomponent_add_property(c, icalproperty_new_tzoffsetto(static_cast<int>(info.offset.count())));
  if (!info.abbrev.empty() && info.abbrev.front() != '+' && info.abbrev.front() != '-')
    icalcomponent_add_property(c, icalproperty_new_tzname(info.abbrev.c_str()));
  return c;
}

// VTIMEZONE for `zone` covering [start, end]: the period in effect at the start, every one that begins
// up to the end, and the next one (so the zone's other observance is described too).
icalcomponent* vtimezone(const date::time_zone& tz, const std::string& zone, sys_seconds start, sys_seconds end) {
  icalcomponent* c = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
  icalcomponent_add_property(c, icalproperty_new_tzid(zone.c_str()));
  const sys_seconds far = date::sys_days{date::year{9000} / 1 / 1};
  date::sys_info info = tz.get_info(start);
  icalcomponent_add_component(c, observance(tz, info));
  bool after_end = false;
  while (info.end < far && !after_end) {
    after_end = info.end > end;
    info = tz.get_info(info.end);
    icalcomponent_add_component(c, observance(tz, info));
  }
  return c;
}

icalproperty* person_property(icalproperty* (*make)(const char*), const Person& p) {
  const std::string address = "mailto:" + p.email;
  icalproperty* prop = make(address.c_str());
  if (!p.name.empty()) icalproperty_add_parameter(prop, icalparameter_new_cn(p.name.c_str()));
  return prop;
}

}  // namespace

bool known_zone(const std::string& zone) { return find_zone(zone) != nullptr; }

sdk::Result<WallTime> wall_time(sys_seconds instant, const std::string& zone) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) return sdk::Status::not_found("\"" + zone + "\" is not an IANA time zone known to the tz database");
  const date::sys_info info = tz->get_info(instant);
  return WallTime{std::chrono::local_seconds{(instant + info.offset).time_since_epoch()}, info.offset};
}

sdk::Result<std::string> build_invitation(const InvitationSpec& spec) {
  if (spec.uid.empty()) return sdk::Status::invalid_input("uid: an invitation needs a stable UID (from the thread or case)");
  if (spec.organizer.email.empty()) return sdk::Status::invalid_input("organizer.email: an invitation needs the organizer's address");
  for (std::size_t i = 0; i < spec.attendees.size(); ++i)
    if (spec.attendees[i].email.empty())
      return sdk::Status::invalid_input("attendees[" + std::to_string(i) + "] (" + spec.attendees[i].name +
                                        "): an attendee of an invitation needs an address");
  const date::time_zone* tz = nullptr;
  if (spec.has_time && !is_utc(spec.zone)) {
    tz = find_zone(spec.zone);
    if (!tz) return sdk::Status::invalid_input("organizer.zone: \"" + spec.zone + "\" is not an IANA time zone");
  }
  try {
    const bool cancel = spec.method == InvitationSpec::Method::cancel;
    Component cal(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//tandem//drafts//EN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST));
    if (tz) icalcomponent_add_component(cal.get(), vtimezone(*tz, spec.zone, spec.start, spec.end));

    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(event, icalproperty_new_uid(spec.uid.c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(utc_time(spec.stamp)));
    icalcomponent_add_property(event, icalproperty_new_sequence(spec.sequence));
    if (spec.has_time) {
      icalcomponent_add_property(event, time_property(icalproperty_new_dtstart, spec.start, tz, spec.zone));
      icalcomponent_add_property(event, time_property(icalproperty_new_dtend, spec.end, tz, spec.zone));
    }
    if (!spec.summary.empty()) icalcomponent_add_property(event, icalproperty_new_summary(spec.summary.c_str()));
    if (!spec.location.empty()) icalcomponent_add_property(event, icalproperty_new_location(spec.location.c_str()));
    icalcomponent_add_property(event, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(event, person_property(icalproperty_new_organizer, spec.organizer));
    for (const Person& a : spec.attendees) {
      icalproperty* p = person_property(icalproperty_new_attendee, a);
      icalproperty_add_parameter(p, icalparameter_new_role(a.optional ? ICAL_ROLE_OPTPARTICIPANT : ICAL_ROLE_REQPARTICIPANT));
      icalproperty_add_parameter(p, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
      icalproperty_add_parameter(p, icalparameter_new_rsvp(cancel ? ICAL_RSVP_FALSE : ICAL_RSVP_TRUE));
      icalcomponent_add_property(event, p);
    }
    icalcomponent_add_component(cal.get(), event);

    char* text = icalcomponent_as_ical_string_r(cal.get());
    if (!text) return sdk::Status::internal("libical could not write the invitation");
    std::string out(text);
    icalmemory_free_buffer(text);
    return out;
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("building the invitation failed: ") + e.what());
  }
}

}  // namespace tandem::drafts::detail
