// Invitations: METHOD:REQUEST for a confirmed slot and METHOD:CANCEL for a cancelled event, parsed back
// with libical (the VTIMEZONE we wrote gives the instants) and with tandem's own calendar::parse_ics +
// expand (the IANA TZID through date/tz): the same instants, attendees and UID; DST edges in Europe/Berlin
// and America/Los_Angeles; CRLF lines of at most 75 octets; identical bytes on two runs.
#include <gtest/gtest.h>

#include <libical/ical.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tandem/calendar.hpp"
#include "tandem/drafts.hpp"
#include "unit/drafts/helpers.hpp"

using namespace std::chrono;
using tandem::drafts::Draft;
using tandem::drafts::DraftInput;
using tandem::drafts::Person;
using Kind = tandem::drafts::DraftInput::Kind;

namespace {

using tandem::drafts::testing::utc;

DraftInput confirm_in(const std::string& zone, sys_seconds start, sys_seconds end) {
  DraftInput in;
  in.kind = Kind::confirm;
  in.event_type = "video_call";
  in.title = "Quarterly planning — Zusammenarbeit, nächste Schritte und offene Fragen für das zweite Halbjahr";
  in.location = "Raum 4.12; Hauptgebäude";
  in.organizer = Person{"Ana Ruiz", "ana@example.com", "es_ES", zone, false};
  in.recipient = Person{"Jonas Weber", "jonas@example.de", "de_DE", "Europe/Berlin", false};
  in.sender_zone = "Europe/Berlin";
  in.attendees = {in.recipient, Person{"Lea Martin, PhD", "lea@example.fr", "fr_FR", "Europe/Paris", true},
                  Person{"", "room-412@example.com", "", "", false}};
  in.slots = {{start, end}};
  in.uid = "case-42-thread-7@tandem.example";
  in.sequence = 3;
  in.now = utc(2026, 2, 27, 9, 15);
  return in;
}

struct IcalDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Ical = std::unique_ptr<icalcomponent, IcalDeleter>;

struct Attendee {
  std::string address, cn, role, partstat, rsvp;
};

struct ReadBack {
  std::string method, uid, summary, location, organizer, organizer_cn, status;
  int sequence = -1;
  sys_seconds start{}, end{}, stamp{};
  std::vector<Attendee> attendees;
  int vtimezones = 0;
};

std::string param(icalproperty* p, icalparameter_kind kind) {
  icalparameter* x = icalproperty_get_first_parameter(p, kind);
  if (!x) return {};
  const char* s = icalparameter_as_ical_string(x);
  std::string v = s ? s : "";
  return v.substr(v.find('=') + 1);
}

sys_seconds instant(icaltimetype t) {
  return sys_seconds{seconds{icaltime_as_timet_with_zone(t, t.zone ? t.zone : icaltimezone_get_utc_timezone())}};
}

// Reads the invitation with libical alone: DTSTART/DTEND through the VTIMEZONE of the file.
ReadBack read_with_libical(const std::string& text) {
  ReadBack r;
  Ical cal(icalparser_parse_string(text.c_str()));
  if (!cal) {
    ADD_FAILURE() << "libical does not parse it";
    return r;
  }
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0);
  r.method = icalproperty_method_to_string(icalcomponent_get_method(cal.get()));
  r.vtimezones = icalcomponent_count_components(cal.get(), ICAL_VTIMEZONE_COMPONENT);
  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  if (!ev) {
    ADD_FAILURE() << "no VEVENT";
    return r;
  }
  r.uid = icalcomponent_get_uid(ev);
  if (const char* s = icalcomponent_get_summary(ev)) r.summary = s;
  if (const char* s = icalcomponent_get_location(ev)) r.location = s;
  r.sequence = icalcomponent_get_sequence(ev);
  r.status = icalproperty_status_to_string(icalcomponent_get_status(ev));
  if (icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY)) {
    r.start = instant(icalcomponent_get_dtstart(ev));
    r.end = instant(icalcomponent_get_dtend(ev));
  }
  r.stamp = instant(icalcomponent_get_dtstamp(ev));
  icalproperty* org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
  if (org) {
    r.organizer = icalproperty_get_organizer(org);
    r.organizer_cn = param(org, ICAL_CN_PARAMETER);
  }
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
    icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
    r.attendees.push_back({icalproperty_get_attendee(p), cn ? icalparameter_get_cn(cn) : "",
                           param(p, ICAL_ROLE_PARAMETER), param(p, ICAL_PARTSTAT_PARAMETER), param(p, ICAL_RSVP_PARAMETER)});
  }
  return r;
}

Draft must_draft(const DraftInput& in) {
  auto d = tandem::drafts::draft(in);
  if (!d) ADD_FAILURE() << d.status().message();
  return d ? std::move(d).value() : Draft{};
}

void expect_wire_form(const std::string& text) {
  ASSERT_FALSE(text.empty());
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t crlf = text.find("\r\n", start);
    ASSERT_NE(crlf, std::string::npos) << "a line without CRLF at byte " << start;
    const std::string line = text.substr(start, crlf - start);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    start = crlf + 2;
  }
}

TEST(Invitation, RequestReadsBackWithLibicalAndTandem) {
  const DraftInput in = confirm_in("Europe/Madrid", utc(2026, 3, 3, 13, 0), utc(2026, 3, 3, 14, 0));
  const Draft d = must_draft(in);
  expect_wire_form(d.invitation);
  EXPECT_NE(d.invitation.find("DTSTART;TZID=Europe/Madrid:20260303T140000\r\n"), std::string::npos) << d.invitation;
  EXPECT_NE(d.invitation.find("PRODID:"), std::string::npos);
  EXPECT_NE(d.invitation.find("VERSION:2.0"), std::string::npos);

  const ReadBack r = read_with_libical(d.invitation);
  EXPECT_EQ(r.method, "REQUEST");
  EXPECT_EQ(r.uid, in.uid);
  EXPECT_EQ(r.sequence, 3);
  EXPECT_EQ(r.status, "CONFIRMED");
  EXPECT_EQ(r.vtimezones, 1);
  EXPECT_EQ(r.start, in.slots[0].start);
  EXPECT_EQ(r.end, in.slots[0].end);
  EXPECT_EQ(r.stamp, in.now);
  EXPECT_EQ(r.summary, in.title);
  EXPECT_EQ(r.location, in.location);
  EXPECT_EQ(r.organizer, "mailto:ana@example.com");
  EXPECT_EQ(r.organizer_cn, "Ana Ruiz");
  ASSERT_EQ(r.attendees.size(), 3u);
  EXPECT_EQ(r.attendees[0].address, "mailto:jonas@example.de");
  EXPECT_EQ(r.attendees[0].cn, "Jonas Weber");
  EXPECT_EQ(r.attendees[0].role, "REQ-PARTICIPANT");
  EXPECT_EQ(r.attendees[0].partstat, "NEEDS-ACTION");
  EXPECT_EQ(r.attendees[0].rsvp, "TRUE");
  EXPECT_EQ(r.attendees[1].cn, "Lea Martin, PhD");
  EXPECT_EQ(r.attendees[1].role, "OPT-PARTICIPANT");
  EXPECT_EQ(r.attendees[2].address, "mailto:room-412@example.com");
  EXPECT_EQ(r.attendees[2].cn, "");

  auto cal = tandem::calendar::parse_ics(d.invitation, "invitation.ics");
  ASSERT_TRUE(cal) << cal.status().message();
  const auto occ = tandem::calendar::expand(*cal, utc(2026, 3, 1), utc(2026, 3, 31));
  ASSERT_EQ(occ.size(), 1u);
  EXPECT_EQ(occ[0].uid, in.uid);
  EXPECT_EQ(occ[0].start, in.slots[0].start);
  EXPECT_EQ(occ[0].end, in.slots[0].end);
  EXPECT_EQ(occ[0].zone, "Europe/Madrid");
  EXPECT_EQ(occ[0].summary, in.title);
  EXPECT_EQ(occ[0].status, tandem::calendar::EventStatus::confirmed);
}

// Events across a DST change and in the hour a change repeats: the VTIMEZONE (libical) and date/tz
// (tandem) read them as the instants they are.
TEST(Invitation, DstEdgesReadBackToTheSameInstants) {
  struct Edge {
    const char* zone;
    sys_seconds start, end;
  };
  const Edge edges[] = {
      {"Europe/Berlin", utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)},    // 01:30 CET – 03:30 CEST
      {"Europe/Berlin", utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)},  // 02:30 CEST – 02:30 CET
      {"Europe/Berlin", utc(2026, 10, 25, 1, 15), utc(2026, 10, 25, 2, 0)},   // starts in the repeated hour
      {"America/Los_Angeles", utc(2026, 3, 8, 9, 30), utc(2026, 3, 8, 10, 30)},  // 01:30 PST – 03:30 PDT
      {"America/Los_Angeles", utc(2026, 11, 1, 8, 30), utc(2026, 11, 1, 9, 30)}, // 01:30 PDT – 01:30 PST
      {"America/Los_Angeles", utc(2026, 7, 14, 16, 0), utc(2026, 7, 14, 17, 0)}, // summer, no change
      {"Asia/Kolkata", utc(2026, 7, 14, 4, 30), utc(2026, 7, 14, 5, 0)},         // a fixed-offset zone
      {"UTC", utc(2026, 7, 14, 4, 30), utc(2026, 7, 14, 5, 0)},                  // UTC times, no VTIMEZONE
  };
  for (const Edge& e : edges) {
    SCOPED_TRACE(std::string(e.zone) + " " + std::to_string(e.start.time_since_epoch().count()));
    const DraftInput in = confirm_in(e.zone, e.start, e.end);
    const Draft d = must_draft(in);
    expect_wire_form(d.invitation);
    const ReadBack r = read_with_libical(d.invitation);
    EXPECT_EQ(r.start, e.start) << d.invitation;
    EXPECT_EQ(r.end, e.end) << d.invitation;
    EXPECT_EQ(r.vtimezones, std::string(e.zone) == "UTC" ? 0 : 1);
    auto cal = tandem::calendar::parse_ics(d.invitation, "invitation.ics");
    ASSERT_TRUE(cal) << cal.status().message();
    const auto occ = tandem::calendar::expand(*cal, e.start - hours{24}, e.end + hours{24});
    ASSERT_EQ(occ.size(), 1u);
    EXPECT_EQ(occ[0].start, e.start);
    EXPECT_EQ(occ[0].end, e.end);
    EXPECT_EQ(occ[0].uid, in.uid);
  }
}

TEST(Invitation, VtimezoneDescribesBothObservancesAroundTheChange) {
  const Draft d = must_draft(confirm_in("Europe/Berlin", utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)));
  const std::string& t = d.invitation;
  EXPECT_NE(t.find("BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("TZNAME:CEST"), std::string::npos) << t;
}

TEST(Invitation, CancelKeepsUidAndRaisesSequence) {
  DraftInput in = confirm_in("America/Los_Angeles", utc(2026, 7, 14, 16, 0), utc(2026, 7, 14, 17, 0));
  const Draft request = must_draft(in);
  in.kind = Kind::cancelled;
  const Draft cancel = must_draft(in);
  EXPECT_EQ(cancel.method, "CANCEL");
  expect_wire_form(cancel.invitation);
  const ReadBack r = read_with_libical(cancel.invitation);
  EXPECT_EQ(r.method, "CANCEL");
  EXPECT_EQ(r.uid, read_with_libical(request.invitation).uid);
  EXPECT_EQ(r.sequence, in.sequence + 1);
  EXPECT_EQ(r.status, "CANCELLED");
  EXPECT_EQ(r.start, in.slots[0].start);
  EXPECT_EQ(r.attendees.size(), 3u);
  auto cal = tandem::calendar::parse_ics(cancel.invitation, "cancel.ics");
  ASSERT_TRUE(cal) << cal.status().message();
  tandem::calendar::ExpandOptions keep;
  keep.keep_cancelled = true;
  const auto occ = tandem::calendar::expand(*cal, utc(2026, 7, 1), utc(2026, 8, 1), keep);
  ASSERT_EQ(occ.size(), 1u);
  EXPECT_EQ(occ[0].status, tandem::calendar::EventStatus::cancelled);
  EXPECT_TRUE(tandem::calendar::expand(*cal, utc(2026, 7, 1), utc(2026, 8, 1)).empty());
  // A cancellation of an event whose time is not given still names the event by UID.
  in.slots.clear();
  const Draft untimed = must_draft(in);
  EXPECT_EQ(read_with_libical(untimed.invitation).uid, in.uid);
}

TEST(Invitation, SameInputSameBytesAndNoWallClock) {
  const DraftInput in = confirm_in("Europe/Berlin", utc(2026, 3, 3, 13, 0), utc(2026, 3, 3, 14, 0));
  const Draft a = must_draft(in);
  const Draft b = must_draft(in);
  EXPECT_EQ(a.invitation, b.invitation);
  EXPECT_NE(a.invitation.find("DTSTAMP:20260227T091500Z"), std::string::npos) << a.invitation;
  DraftInput later = in;
  later.now += minutes{1};
  EXPECT_NE(must_draft(later).invitation, a.invitation);
}

}  // namespace
