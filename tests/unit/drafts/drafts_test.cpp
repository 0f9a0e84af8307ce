// Drafted replies: every Kind in en, de, fr, es, checked on the pieces ICU gives for each locale (weekday
// and month names, the 12- or 24-hour clock, the zone's name only when zones differ), not on whole
// paragraphs; wall times at DST changes (date/tz) against ICU's own zone arithmetic; identical bytes on
// two runs; input errors.
#include <gtest/gtest.h>

#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tandem/drafts.hpp"
#include "unit/drafts/helpers.hpp"

using namespace std::chrono;
using tandem::drafts::Draft;
using tandem::drafts::DraftInput;
using tandem::drafts::Person;
using Kind = tandem::drafts::DraftInput::Kind;

namespace {

using tandem::drafts::testing::utc;
using tandem::drafts::testing::has;

// The recipient's side of each language: locale, zone, and what ICU writes for Tuesday 3 March 2026
// 13:00–13:30 UTC and Thursday 5 March 08:00 UTC in that zone.
struct LocaleCase {
  const char* locale;
  const char* zone;
  const char* language;
  std::vector<const char*> first;   // pieces of the first slot
  const char* second_weekday;       // the second slot's weekday
  const char* second_time;          // the second slot's start
  std::vector<const char*> never;   // what this locale's clock never writes for these slots
  const char* two;                  // "two" spelled out by ICU's spellout
  const char* and_word;             // ICU ListFormatter's last conjunction
  const char* zone_name;            // ICU's generic name of `zone`
  const char* other_zone;           // a zone whose offset differs in March
};

const LocaleCase kLocales[] = {
    {"en_US", "America/New_York", "en", {"Tuesday", "March 3", "8:00", "8:30", "AM"}, "Thursday", "3:00",
     {"08:00", "13:00"}, "two", " and ", "Eastern Time", "Europe/Berlin"},
    {"de_DE", "Europe/Berlin", "de", {"Dienstag", "3. März", "14:00", "14:30 Uhr"}, "Donnerstag", "09:00",
     {"PM", "2:00"}, "zwei", " und ", "Mitteleuropäische Zeit", "America/New_York"},
    {"fr_FR", "Europe/Paris", "fr", {"mardi", "3 mars", "14:00", "14:30"}, "jeudi", "09:00",
     {"PM", "2:00"}, "deux", " et ", "heure d’Europe centrale", "America/New_York"},
    {"es_ES", "Europe/Madrid", "es", {"martes", "3 de marzo", "14:00", "14:30"}, "jueves", "9:00",
     {"PM", "2:00 p"}, "dos", " y ", "hora de Europa central", "America/New_York"},
};

DraftInput base(Kind kind, const LocaleCase& lc) {
  DraftInput in;
  in.kind = kind;
  in.event_type = "interview";
  in.duration_minutes = 30;
  in.organizer = Person{"Ana Ruiz", "ana@example.com", "es_ES", "Europe/Madrid", false};
  in.recipient = Person{"Jonas Weber", "jonas@example.org", lc.locale, lc.zone, false};
  in.sender_zone = lc.zone;
  in.attendees = {in.recipient, Person{"Lea Martin", "lea@example.fr", "fr_FR", "Europe/Paris", true}};
  in.slots = {{utc(2026, 3, 3, 13, 0), utc(2026, 3, 3, 13, 30)}, {utc(2026, 3, 5, 8, 0), utc(2026, 3, 5, 8, 30)}};
  in.broken = {"30 min outside Lea Martin's working hours"};
  in.missing = {"times", "duration"};
  in.subject = "Re: Interview next week";
  in.in_reply_to = "<m1@example.org>";
  in.uid = "case-17@tandem.example";
  in.sequence = 2;
  in.now = utc(2026, 2, 27, 9, 0);
  return in;
}

Draft must_draft(const DraftInput& in) {
  auto d = tandem::drafts::draft(in);
  if (!d) ADD_FAILURE() << d.status().message();
  return d ? std::move(d).value() : Draft{};
}

class DraftsByLocale : public ::testing::TestWithParam<LocaleCase> {};

TEST_P(DraftsByLocale, EveryKindHasGreetingBodyAndClosing) {
  const LocaleCase& lc = GetParam();
  for (Kind kind : {Kind::propose, Kind::confirm, Kind::nothing_fits, Kind::cancelled, Kind::declined,
                    Kind::need_info, Kind::none}) {
    SCOPED_TRACE(tandem::drafts::to_string(kind));
    const Draft d = must_draft(base(kind, lc));
    EXPECT_EQ(d.language, lc.language);
    EXPECT_TRUE(d.notes.empty()) << d.notes.front();
    EXPECT_TRUE(has(d.body.substr(0, d.body.find('\n')), "Jonas")) << d.body;  // greeting by first name
    EXPECT_TRUE(has(d.body, "\n\n")) << d.body;
    EXPECT_EQ(d.body.substr(d.body.size() - 9), "Ana Ruiz\n") << d.body;     // signed by the organizer
    EXPECT_EQ(d.subject, "Re: Interview next week");                         // "Re:" not doubled
    EXPECT_EQ(d.to, std::vector<std::string>{"jonas@example.org"});
    EXPECT_EQ(d.cc, std::vector<std::string>{"lea@example.fr"});
    EXPECT_EQ(d.in_reply_to, "<m1@example.org>");
    EXPECT_FALSE(has(d.body, "{")) << d.body;
    EXPECT_FALSE(has(d.body, "  ")) << d.body;
    EXPECT_FALSE(has(d.body, "\n\n\n")) << d.body;
    EXPECT_FALSE(has(d.body, lc.zone_name)) << "zones are the same: the zone is not named\n" << d.body;
    const bool dated = kind != Kind::need_info && kind != Kind::none;
    for (const char* piece : lc.first) EXPECT_EQ(has(d.body, piece), dated) << piece << "\n" << d.body;
    for (const char* piece : lc.never) EXPECT_FALSE(has(d.body, piece)) << piece << "\n" << d.body;
    const bool invitation = kind == Kind::confirm || kind == Kind::cancelled;
    EXPECT_EQ(!d.invitation.empty(), invitation);
    EXPECT_EQ(d.method, kind == Kind::confirm ? "REQUEST" : kind == Kind::cancelled ? "CANCEL" : "");
  }
}

TEST_P(DraftsByLocale, ProposeListsEverySlotAndCountsThem) {
  const LocaleCase& lc = GetParam();
  const Draft d = must_draft(base(Kind::propose, lc));
  EXPECT_TRUE(has(d.body, lc.second_weekday)) << d.body;
  EXPECT_TRUE(has(d.body, lc.second_time)) << d.body;
  EXPECT_TRUE(has(d.body, std::string(" ") + lc.two + " ")) << d.body;  // ICU spellout in a plural
  EXPECT_TRUE(has(d.body, "\n- ")) << d.body;

  DraftInput one = base(Kind::propose, lc);
  one.slots.resize(1);
  const Draft d1 = must_draft(one);
  EXPECT_FALSE(has(d1.body, lc.second_weekday)) << d1.body;
  EXPECT_NE(d1.body, d.body);
}

TEST_P(DraftsByLocale, NothingFitsNamesEachViolationAndItsCount) {
  const LocaleCase& lc = GetParam();
  DraftInput in = base(Kind::nothing_fits, lc);
  in.broken.push_back("the 14:00 interview overlaps by 15 min");
  const Draft d = must_draft(in);
  EXPECT_TRUE(has(d.body, "- 30 min outside Lea Martin's working hours\n- the 14:00 interview")) << d.body;
  EXPECT_TRUE(has(d.body, std::string(" ") + lc.two + " ")) << d.body;
  in.slots.clear();
  in.broken.clear();
  const Draft none = must_draft(in);
  for (const char* piece : lc.first) EXPECT_FALSE(has(none.body, piece)) << none.body;
}

TEST_P(DraftsByLocale, NeedInfoJoinsTheMissingItemsWithIcuListFormat) {
  const LocaleCase& lc = GetParam();
  const Draft d = must_draft(base(Kind::need_info, lc));
  EXPECT_TRUE(has(d.body, lc.and_word)) << d.body;
  DraftInput one = base(Kind::need_info, lc);
  one.missing = {"location"};
  const Draft d1 = must_draft(one);
  EXPECT_NE(d1.body, d.body);
}

TEST_P(DraftsByLocale, ZoneIsNamedOnlyWhenTheSenderZoneDiffers) {
  const LocaleCase& lc = GetParam();
  DraftInput in = base(Kind::confirm, lc);
  in.sender_zone = lc.other_zone;
  const Draft d = must_draft(in);
  EXPECT_TRUE(has(d.body, lc.zone_name)) << d.body;
  for (const char* piece : lc.first) EXPECT_TRUE(has(d.body, piece)) << piece << "\n" << d.body;  // still the recipient's zone
  // A zone with the same offsets at those times is not named: Paris and Berlin, Toronto and New York.
  in.sender_zone = std::string(lc.zone) == "America/New_York" ? "America/Toronto" : "Europe/Rome";
  EXPECT_FALSE(has(must_draft(in).body, lc.zone_name));
  // An unknown sender zone: named, to be safe.
  in.sender_zone.clear();
  EXPECT_TRUE(has(must_draft(in).body, lc.zone_name));
}

INSTANTIATE_TEST_SUITE_P(Drafts, DraftsByLocale, ::testing::ValuesIn(kLocales),
                         [](const ::testing::TestParamInfo<LocaleCase>& p) { return std::string(p.param.locale); });

TEST(Drafts, LocaleDecidesTheClockAndTheZoneTheTimes) {
  DraftInput in = base(Kind::confirm, kLocales[0]);
  in.recipient.locale = "en-GB";  // a BCP 47 tag works too
  in.recipient.zone = "Europe/London";
  in.sender_zone = "Europe/London";
  const Draft gb = must_draft(in);
  EXPECT_EQ(gb.locale, "en_GB");
  EXPECT_TRUE(has(gb.body, "Tuesday 3 March") || has(gb.body, "Tuesday, 3 March")) << gb.body;
  EXPECT_TRUE(has(gb.body, "13:00")) << gb.body;
  EXPECT_FALSE(has(gb.body, "PM")) << gb.body;
  in.recipient.locale = "fr_CA";
  in.recipient.zone = "America/Toronto";
  in.sender_zone = "America/Toronto";
  const Draft ca = must_draft(in);
  EXPECT_TRUE(has(ca.body, "8 h 00")) << ca.body;  // Canadian French writes the hour with "h"
}

TEST(Drafts, YearIsWrittenOnlyOutsideTheCurrentYear) {
  DraftInput in = base(Kind::confirm, kLocales[1]);
  EXPECT_FALSE(has(must_draft(in).body, "2026"));
  in.now = utc(2025, 12, 20, 9, 0);
  EXPECT_TRUE(has(must_draft(in).body, "2026"));
}

// The wall times come from date/tz; around a DST change they must be the ones ICU's own zone rules give
// (ICU's data agrees with the system's for these zones), and the slot is written across the change.
TEST(Drafts, WallTimesAgreeWithIcuAcrossDstChanges) {
  struct Edge {
    const char* locale;
    const char* zone;
    sys_seconds start, end;
    const char* from;
    const char* to;
  };
  const Edge edges[] = {
      {"de_DE", "Europe/Berlin", utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30), "01:30", "03:30"},
      {"de_DE", "Europe/Berlin", utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30), "02:30", "02:30"},
      {"en_US", "America/Los_Angeles", utc(2026, 3, 8, 9, 30), utc(2026, 3, 8, 10, 30), "1:30", "3:30"},
      {"en_US", "America/Los_Angeles", utc(2026, 11, 1, 7, 30), utc(2026, 11, 1, 9, 0), "12:30", "1:00"},
  };
  const char* lengths[] = {"1 Stunde", "1 Stunde", "1 hour", "1 hour, 30 minutes"};  // the change inside says how long
  std::size_t n = 0;
  for (const Edge& e : edges) {
    SCOPED_TRACE(std::string(e.zone) + " " + e.from);
    DraftInput in = base(Kind::confirm, kLocales[0]);
    in.recipient.locale = e.locale;
    in.recipient.zone = e.zone;
    in.sender_zone = e.zone;
    in.organizer.zone = e.zone;
    in.slots = {{e.start, e.end}};
    const Draft d = must_draft(in);
    EXPECT_TRUE(has(d.body, e.from)) << d.body;
    EXPECT_TRUE(has(d.body, e.to)) << d.body;
    EXPECT_TRUE(has(d.body, std::string("(") + lengths[n++] + ")")) << d.body;
    // ICU with the IANA id formats the same instants to the same wall times.
    UErrorCode status = U_ZERO_ERROR;
    icu::SimpleDateFormat fmt(icu::UnicodeString(std::string(e.locale) == "en_US" ? "h:mm" : "HH:mm"),
                              icu::Locale(e.locale), status);
    fmt.adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(e.zone)));
    for (auto [t, want] : {std::pair{e.start, e.from}, std::pair{e.end, e.to}}) {
      icu::UnicodeString out;
      fmt.format(static_cast<UDate>(t.time_since_epoch().count()) * 1000.0, out);
      std::string s;
      out.toUTF8String(s);
      EXPECT_EQ(s, want);
    }
  }
}

TEST(Drafts, SameInputGivesIdenticalBytes) {
  for (const LocaleCase& lc : kLocales) {
    const DraftInput in = base(Kind::confirm, lc);
    const Draft a = must_draft(in);
    const Draft b = must_draft(in);
    EXPECT_EQ(a.body, b.body);
    EXPECT_EQ(a.subject, b.subject);
    EXPECT_EQ(a.invitation, b.invitation);
    EXPECT_FALSE(a.invitation.empty());
  }
}

TEST(Drafts, ManyThreadsDraftAtOnceWithTheSameResult) {
  const DraftInput in = base(Kind::confirm, kLocales[2]);
  const Draft want = must_draft(in);
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < 20; ++k) {
        auto d = tandem::drafts::draft(in);
        got[i] = d ? d->body + d->invitation : d.status().message();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, want.body + want.invitation);
}

TEST(Drafts, HoldIsCopied) {
  DraftInput in = base(Kind::propose, kLocales[0]);
  EXPECT_FALSE(must_draft(in).held);
  in.hold = true;
  EXPECT_TRUE(must_draft(in).held);
}

TEST(Drafts, TitleSubjectAndSignature) {
  DraftInput in = base(Kind::confirm, kLocales[1]);
  in.subject = "AW: RE: Kaffee?";
  in.sender = Person{"Büro Ruiz", "office@example.com", "", "", false};
  in.event_type = "coffee";
  const Draft d = must_draft(in);
  EXPECT_EQ(d.subject, "Re: Kaffee?");
  EXPECT_TRUE(d.body.size() > 11 && d.body.substr(d.body.size() - 11) == "Büro Ruiz\n") << d.body;
  EXPECT_TRUE(has(d.invitation, "SUMMARY:Kaffee: Ana Ruiz\\, Jonas Weber und Lea Martin")) << d.invitation;
  EXPECT_EQ(d.cc, (std::vector<std::string>{"ana@example.com", "lea@example.fr"}));
  in.subject.clear();
  in.title = "Kaffee mit Jonas";
  EXPECT_EQ(must_draft(in).subject, "Re: Kaffee mit Jonas");
}

TEST(Drafts, LanguageWithoutTemplatesFallsBackToEnglishWithANote) {
  DraftInput in = base(Kind::propose, kLocales[1]);
  in.recipient.locale = "pt_BR";
  in.recipient.zone = "America/Sao_Paulo";
  in.sender_zone = "America/Sao_Paulo";
  const Draft d = must_draft(in);
  EXPECT_EQ(d.language, "en");
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_TRUE(has(d.notes[0], "pt")) << d.notes[0];
  EXPECT_TRUE(has(d.body, "Tuesday")) << d.body;
  EXPECT_TRUE(has(d.body, "10:00")) << d.body;  // Brazil's 24-hour clock kept: en with the recipient's region
  in.recipient.locale.clear();
  const Draft none = must_draft(in);
  EXPECT_EQ(none.language, "en");
  EXPECT_FALSE(none.notes.empty());
}

TEST(Drafts, BadInputIsAnErrorNamingTheField) {
  DraftInput in = base(Kind::confirm, kLocales[1]);
  in.slots.clear();
  auto d = tandem::drafts::draft(in);
  ASSERT_FALSE(d);
  EXPECT_TRUE(has(d.status().message(), "slots")) << d.status().message();

  in = base(Kind::propose, kLocales[1]);
  in.recipient.zone = "Europe/Berln";
  d = tandem::drafts::draft(in);
  ASSERT_FALSE(d);
  EXPECT_TRUE(has(d.status().message(), "recipient.zone")) << d.status().message();

  in = base(Kind::propose, kLocales[1]);
  in.slots[1].end = in.slots[1].start - minutes{5};
  d = tandem::drafts::draft(in);
  ASSERT_FALSE(d);
  EXPECT_TRUE(has(d.status().message(), "slots[1]")) << d.status().message();

  in = base(Kind::confirm, kLocales[1]);
  in.attendees[1].email.clear();
  d = tandem::drafts::draft(in);
  ASSERT_FALSE(d);
  EXPECT_TRUE(has(d.status().message(), "attendees[1]")) << d.status().message();

  in = base(Kind::confirm, kLocales[1]);
  in.uid.clear();
  d = tandem::drafts::draft(in);
  ASSERT_FALSE(d);
  EXPECT_TRUE(has(d.status().message(), "uid")) << d.status().message();
}

}  // namespace
