// The lines of a nothing_fits reply that say what the compromise breaks: DraftInput::broken_rules worded by
// the `broken_item` template in the recipient's language (every kind of rule the solver names, in en, de,
// fr, es), plurals of minutes and meetings, the times a rule names written by ICU in the recipient's zone,
// the English fallback for a language without the template, the plain `broken` strings kept as they are,
// and the solver's own violations (scheduling::Violation's fields) drafted end to end.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tandem/drafts.hpp"
#include "tandem/scheduling.hpp"
#include "unit/scheduling/fixtures.hpp"
#include "unit/drafts/helpers.hpp"

using namespace std::chrono;
using tandem::drafts::BrokenRule;
using tandem::drafts::Draft;
using tandem::drafts::DraftInput;
using tandem::drafts::Person;
using Kind = tandem::drafts::DraftInput::Kind;

namespace {

using tandem::drafts::testing::utc;
using tandem::drafts::testing::has;

// The line of `body` that starts "- " + `start`, or "".
std::string line_starting(const std::string& body, const std::string& start) {
  const std::size_t at = body.find("\n- " + start);
  if (at == std::string::npos) return {};
  const std::size_t end = body.find('\n', at + 1);
  return body.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
}

BrokenRule rule(const char* constraint, const char* person, int minutes, int meetings = 0, int limit = 0,
                std::optional<tandem::drafts::Slot> window = std::nullopt) {
  return BrokenRule{constraint, person, minutes, meetings, limit, window};
}

// A recipient's language, and what its `broken_item` template writes for each kind of rule (a line's
// beginning where a time follows), for 30 minutes and for 1 minute / 1 meeting.
struct Wording {
  const char* locale;
  const char* zone;
  std::map<std::string, std::string> thirty;  // by constraint ("outside_offered_point", "no_hours": variants)
  std::map<std::string, std::string> one;
  std::vector<const char*> times;  // the working hours 08:00–16:00 UTC as ICU writes them in `zone`
  const char* other_day;           // the weekday of the offered point (Wednesday 4 March)
};

const Wording kWordings[] = {
    {"en_GB", "Europe/London",
     {{"working_hours", "30 minutes outside Jonas Becker's working hours ("},
      {"no_hours", "Jonas Becker doesn't work that day"},
      {"busy", "Jonas Becker is busy for 30 minutes of it"},
      {"buffer", "30 minutes of the buffer Jonas Becker keeps around other meetings"},
      {"off_limits", "30 minutes inside time Jonas Becker keeps free ("},
      {"daily_cap", "Jonas Becker already has 3 meetings that day (limit: 2 meetings)"},
      {"travel", "Jonas Becker would be 30 minutes short of travel time"},
      {"refused", "it overlaps a time that was ruled out ("},
      {"outside_offered", "30 minutes outside the suggested times"},
      {"outside_offered_point", "30 minutes away from the suggested time ("},
      {"lead", "it starts 30 minutes sooner than the 120-minute notice allows"},
      {"optional_missing", "another of Jonas Becker's rules (30 minutes)"}},
     {{"working_hours", "1 minute outside Jonas Becker's working hours ("},
      {"daily_cap", "Jonas Becker already has 1 meeting that day (limit: 1 meeting)"},
      {"travel", "Jonas Becker would be 1 minute short of travel time"},
      {"lead", "it starts 1 minute sooner than the 120-minute notice allows"}},
     {"08:00", "16:00"},
     "Wednesday"},
    {"de_DE", "Europe/Berlin",
     {{"working_hours", "30 Minuten außerhalb der Arbeitszeit von Jonas Becker ("},
      {"no_hours", "Jonas Becker arbeitet an diesem Tag nicht"},
      {"busy", "Jonas Becker ist 30 Minuten davon schon verplant"},
      {"buffer", "30 Minuten in der Pufferzeit, die Jonas Becker um andere Termine freihält"},
      {"off_limits", "30 Minuten in einer Zeit, die Jonas Becker sich freihält ("},
      {"daily_cap", "Jonas Becker hat an diesem Tag schon 3 Termine (Obergrenze: 2 Termine)"},
      {"travel", "Jonas Becker fehlen 30 Minuten Fahrzeit"},
      {"refused", "30 Minuten Überschneidung mit einer ausgeschlossenen Zeit ("},
      {"outside_offered", "30 Minuten außerhalb der vorgeschlagenen Zeiten"},
      {"outside_offered_point", "30 Minuten entfernt vom vorgeschlagenen Zeitpunkt ("},
      {"lead", "30 Minuten zu kurzfristig (Vorlauf: 120 Minuten)"},
      {"optional_missing", "eine weitere Regel von Jonas Becker (30 Minuten)"}},
     {{"working_hours", "1 Minute außerhalb der Arbeitszeit von Jonas Becker ("},
      {"daily_cap", "Jonas Becker hat an diesem Tag schon 1 Termin (Obergrenze: 1 Termin)"},
      {"travel", "Jonas Becker fehlt 1 Minute Fahrzeit"},
      {"lead", "1 Minute zu kurzfristig (Vorlauf: 120 Minuten)"}},
     {"09:00", "17:00"},
     "Mittwoch"},
    {"fr_FR", "Europe/Paris",
     {{"working_hours", "30 minutes en dehors des heures de travail de Jonas Becker ("},
      {"no_hours", "Jonas Becker ne travaille pas ce jour-là"},
      {"busy", "Jonas Becker a déjà un engagement pendant 30 minutes de ce créneau"},
      {"buffer", "30 minutes sur la marge que Jonas Becker garde autour de ses rendez-vous"},
      {"off_limits", "30 minutes sur un moment que Jonas Becker garde libre ("},
      {"daily_cap", "Jonas Becker a déjà 3 rendez-vous ce jour-là (au plus 2 rendez-vous par jour)"},
      {"travel", "il manque 30 minutes de trajet à Jonas Becker"},
      {"refused", "30 minutes de chevauchement avec un moment exclu ("},
      {"outside_offered", "30 minutes en dehors des créneaux proposés"},
      {"outside_offered_point", "30 minutes d’écart avec l’horaire proposé ("},
      {"lead", "30 minutes de moins que le délai de prévenance de 120 minutes"},
      {"optional_missing", "une autre règle de Jonas Becker (30 minutes)"}},
     {{"working_hours", "1 minute en dehors des heures de travail de Jonas Becker ("},
      {"daily_cap", "Jonas Becker a déjà 1 rendez-vous ce jour-là (au plus 1 rendez-vous par jour)"},
      {"travel", "il manque 1 minute de trajet à Jonas Becker"},
      {"lead", "1 minute de moins que le délai de prévenance de 120 minutes"}},
     {"09:00", "17:00"},
     "mercredi"},
    {"es_ES", "Europe/Madrid",
     {{"working_hours", "30 minutos fuera del horario laboral de Jonas Becker ("},
      {"no_hours", "Jonas Becker no trabaja ese día"},
      {"busy", "Jonas Becker tiene otro compromiso durante 30 minutos de ese horario"},
      {"buffer", "30 minutos dentro del margen que Jonas Becker deja entre reuniones"},
      {"off_limits", "30 minutos dentro de un tiempo que Jonas Becker reserva ("},
      {"daily_cap", "Jonas Becker ya tiene 3 reuniones ese día (máximo: 2 reuniones)"},
      {"travel", "a Jonas Becker le faltan 30 minutos de desplazamiento"},
      {"refused", "se solapa 30 minutos con un horario descartado ("},
      {"outside_offered", "30 minutos fuera de los horarios propuestos"},
      {"outside_offered_point", "a 30 minutos del horario propuesto ("},
      {"lead", "empieza 30 minutos antes de lo que permite la antelación de 120 minutos"},
      {"optional_missing", "otra regla de Jonas Becker (30 minutos)"}},
     {{"working_hours", "1 minuto fuera del horario laboral de Jonas Becker ("},
      {"daily_cap", "Jonas Becker ya tiene 1 reunión ese día (máximo: 1 reunión)"},
      {"travel", "a Jonas Becker le falta 1 minuto de desplazamiento"},
      {"lead", "empieza 1 minuto antes de lo que permite la antelación de 120 minutos"}},
     {"9:00", "17:00"},
     "miércoles"},
};

// The solver's English sentences for the same rules (what the reply must no longer show elsewhere).
const char* const kEnglish[] = {"outside Jonas Becker's working hours", "is busy for", "of Jonas Becker's buffers",
                                "off-limits block", "already has 3 meetings on", "lacks 30 min of travel time",
                                "overlaps the refused time", "outside the offered windows",
                                "away from the offered time", "lead time allows", " min "};

const tandem::drafts::Slot kHours{utc(2026, 3, 3, 8), utc(2026, 3, 3, 16)};  // the compromise's day
const tandem::drafts::Slot kBlock{utc(2026, 3, 3, 15), utc(2026, 3, 3, 16)};
const tandem::drafts::Slot kPoint{utc(2026, 3, 4, 13), utc(2026, 3, 4, 13)};  // the next day

DraftInput nothing_fits(const Wording& w, std::vector<BrokenRule> rules) {
  DraftInput in;
  in.kind = Kind::nothing_fits;
  in.event_type = "interview";
  in.organizer = Person{"Ana Ruiz", "ana@example.com", "es_ES", "Europe/Madrid", false};
  in.recipient = Person{"Lea Martin", "lea@example.org", w.locale, w.zone, false};
  in.sender_zone = w.zone;
  in.attendees = {in.recipient, Person{"Jonas Becker", "jonas@example.de", "de_DE", "Europe/Berlin", false}};
  in.slots = {{utc(2026, 3, 3, 15, 45), utc(2026, 3, 3, 16, 15)}};
  in.broken_rules = std::move(rules);
  in.uid = "case-9@tandem.example";
  in.now = utc(2026, 2, 27, 9, 0);
  return in;
}

Draft must_draft(const DraftInput& in, const tandem::drafts::Templates& t = tandem::drafts::Templates::bundled()) {
  auto d = tandem::drafts::draft(in, t);
  if (!d) ADD_FAILURE() << d.status().message();
  return d ? std::move(d).value() : Draft{};
}

class DraftsBrokenRulesByLanguage : public ::testing::TestWithParam<Wording> {};

TEST_P(DraftsBrokenRulesByLanguage, EveryKindOfRuleIsWordedInTheRecipientsLanguage) {
  const Wording& w = GetParam();
  const Draft d = must_draft(nothing_fits(
      w, {rule("working_hours", "Jonas Becker", 30, 0, 0, kHours), rule("working_hours", "Jonas Becker", 1440),
          rule("busy", "Jonas Becker", 30), rule("buffer", "Jonas Becker", 30),
          rule("off_limits", "Jonas Becker", 30, 0, 0, kBlock), rule("daily_cap", "Jonas Becker", 0, 2, 2),
          rule("travel", "Jonas Becker", 30), rule("refused", "", 30, 0, 0, kBlock), rule("outside_offered", "", 30),
          rule("outside_offered", "", 30, 0, 0, kPoint), rule("lead", "", 30, 0, 120),
          rule("optional_missing", "Jonas Becker", 30)}));
  EXPECT_TRUE(d.notes.empty()) << d.notes.front();
  const std::pair<const char*, const char*> order[] = {
      {"working_hours", "working_hours"}, {"no_hours", "no_hours"}, {"busy", "busy"}, {"buffer", "buffer"},
      {"off_limits", "off_limits"}, {"daily_cap", "daily_cap"}, {"travel", "travel"}, {"refused", "refused"},
      {"outside_offered", "outside_offered"}, {"outside_offered_point", "outside_offered_point"}, {"lead", "lead"},
      {"optional_missing", "optional_missing"}};
  std::size_t previous = 0;
  for (const auto& [name, key] : order) {
    const std::string want = w.thirty.at(key);
    const std::size_t at = d.body.find("\n- " + want);
    EXPECT_NE(at, std::string::npos) << name << ": \"" << want << "\"\n" << d.body;
    if (at != std::string::npos) {
      EXPECT_GT(at, previous) << name << ": the lines keep the rules' order\n" << d.body;
      previous = at;
    }
  }
  // Twelve lines, one per rule, counted by the body's plural (ICU spellout).
  std::size_t lines = 0;
  for (std::size_t at = d.body.find("\n- "); at != std::string::npos; at = d.body.find("\n- ", at + 1)) ++lines;
  EXPECT_EQ(lines, 12u) << d.body;
  if (std::string(w.locale) != "en_GB") {
    for (const char* english : kEnglish) EXPECT_FALSE(has(d.body, english)) << english << "\n" << d.body;
  }
}

TEST_P(DraftsBrokenRulesByLanguage, TimesAreTheRecipientsByIcuWithTheDateOnlyForAnotherDay) {
  const Wording& w = GetParam();
  const Draft d = must_draft(nothing_fits(w, {rule("working_hours", "Jonas Becker", 30, 0, 0, kHours),
                                              rule("outside_offered", "", 30, 0, 0, kPoint)}));
  const std::string hours = line_starting(d.body, w.thirty.at("working_hours"));
  ASSERT_FALSE(hours.empty()) << d.body;
  for (const char* t : w.times) EXPECT_TRUE(has(hours, t)) << t << " in: " << hours;
  EXPECT_EQ(hours.back(), ')') << hours;
  EXPECT_FALSE(has(hours, w.other_day)) << "the compromise's own day is not repeated: " << hours;
  const std::string point = line_starting(d.body, w.thirty.at("outside_offered_point"));
  ASSERT_FALSE(point.empty()) << d.body;
  EXPECT_TRUE(has(point, w.other_day)) << "another day is dated: " << point;
  // 13:00 UTC on the 4th: the recipient's wall time (date/tz), not UTC's, unless the zone is UTC's too.
  EXPECT_TRUE(has(point, std::string(w.zone) == "Europe/London" ? "13:00" : "14:00")) << point;
  EXPECT_FALSE(has(d.body, "UTC")) << d.body;
}

TEST_P(DraftsBrokenRulesByLanguage, OneMinuteAndOneMeetingAreSingular) {
  const Wording& w = GetParam();
  const Draft one = must_draft(nothing_fits(
      w, {rule("working_hours", "Jonas Becker", 1, 0, 0, kHours), rule("daily_cap", "Jonas Becker", 0, 1, 1),
          rule("travel", "Jonas Becker", 1), rule("lead", "", 1, 0, 120)}));
  for (const auto& [key, want] : w.one) EXPECT_TRUE(has(one.body, "\n- " + want)) << key << ": " << want << "\n" << one.body;
  // And a single rule makes the body's count singular too ("one drawback", "einem Haken", ...).
  const Draft single = must_draft(nothing_fits(w, {rule("busy", "Jonas Becker", 30)}));
  const Draft two = must_draft(nothing_fits(w, {rule("busy", "Jonas Becker", 30), rule("travel", "Jonas Becker", 30)}));
  EXPECT_NE(single.body.substr(0, single.body.find("\n- ")), two.body.substr(0, two.body.find("\n- "))) << single.body;
}

// Named so that --gtest_filter='Draft*' selects it.
INSTANTIATE_TEST_SUITE_P(Drafts, DraftsBrokenRulesByLanguage, ::testing::ValuesIn(kWordings),
                         [](const ::testing::TestParamInfo<Wording>& i) { return std::string(i.param.locale); });

TEST(DraftsBrokenRules, PlainStringsAreUsedAsGivenOnlyWithoutRules) {
  DraftInput in = nothing_fits(kWordings[1], {});
  in.broken = {"30 min outside Jonas Becker's working hours (09:00-17:00 Europe/Berlin)"};
  const Draft plain = must_draft(in);
  EXPECT_TRUE(has(plain.body, "\n- 30 min outside Jonas Becker's working hours (09:00-17:00 Europe/Berlin)\n")) << plain.body;
  EXPECT_TRUE(has(plain.body, "mit einem Haken")) << plain.body;
  in.broken_rules = {rule("working_hours", "Jonas Becker", 30, 0, 0, kHours)};
  const Draft worded = must_draft(in);
  EXPECT_FALSE(has(worded.body, "min outside")) << worded.body;
  EXPECT_TRUE(has(worded.body, "\n- 30 Minuten außerhalb der Arbeitszeit von Jonas Becker (")) << worded.body;
}

TEST(DraftsBrokenRules, ALanguageWithoutTheTemplateUsesEnglishWithOneNote) {
  const auto t = tandem::drafts::Templates::from_texts(
      {{"it.yaml", "language: it\ngreeting: \"Ciao,\"\nnothing_fits: \"Purtroppo no:\n\n  {broken}\"\n"}});
  bool listed = false;
  for (const auto& n : t.notes()) listed = listed || has(n, "it has no template \"broken_item\"");
  EXPECT_TRUE(listed);
  Wording it = kWordings[0];
  it.locale = "it_IT";
  it.zone = "Europe/Rome";
  const Draft d = must_draft(nothing_fits(it, {rule("busy", "Jonas Becker", 30), rule("travel", "Jonas Becker", 1)}), t);
  EXPECT_EQ(d.language, "it");
  EXPECT_TRUE(has(d.body, "- Jonas Becker is busy for 30 minutes of it\n- Jonas Becker would be 1 minute short of travel time"))
      << d.body;
  std::size_t notes = 0;
  for (const auto& n : d.notes) notes += has(n, "it: no template \"broken_item\"") ? 1 : 0;
  EXPECT_EQ(notes, 1u) << "one note for the key, not one per rule";
}

TEST(DraftsBrokenRules, AWindowThatEndsBeforeItStartsIsNamed) {
  const auto bad = tandem::drafts::draft(
      nothing_fits(kWordings[1], {rule("refused", "", 30), rule("refused", "", 30, 0, 0, {{kHours.end, kHours.start}})}));
  ASSERT_FALSE(bad);
  EXPECT_TRUE(has(bad.status().message(), "broken_rules[1].window")) << bad.status().message();
}

// --- the solver's violations, drafted -----------------------------------------------------------------

namespace ts = tandem::scheduling::testing;

const char* const kJonas = R"(people:
  jonas:
    email: jonas@example.de
    name: Jonas Becker
    tz: Europe/Berlin
    working_hours:
      mon: ["09:00-17:00"]
      tue: ["09:00-17:00"]
      wed: ["09:00-17:00"]
      thu: ["09:00-17:00"]
      fri: ["09:00-17:00"]
    preferences:
      daily_meeting_cap: 1
      off_limits:
        - {days: [thu], from: "16:30", to: "16:45", label: Schreibzeit}
)";

const std::string kBerlin = "Europe/Berlin";

// What `tandem run` does with a compromise: its violations as the draft's rules.
DraftInput from_solver(const tandem::scheduling::SolveResult& r, const char* locale, const char* zone) {
  DraftInput in = nothing_fits(kWordings[1], {});
  in.recipient.locale = locale;
  in.recipient.zone = zone;
  in.sender_zone = zone;
  in.slots = {{r.compromise->slot.start, r.compromise->slot.end}};
  for (const auto& v : r.compromise->broken) {
    std::optional<tandem::drafts::Slot> window;
    if (v.window) window = tandem::drafts::Slot{v.window->begin, v.window->end};
    in.broken_rules.push_back({v.constraint, v.person, v.minutes, v.meetings, v.limit, window});
  }
  return in;
}

tandem::scheduling::SolveResult solve(const tandem::scheduling::SlotRequest& r) {
  const tandem::PeopleDirectory dir = ts::directory_from_yaml(kJonas);
  const auto s = ts::make_scheduler(
      dir, {{"jonas", ts::ics({ts::vevent("standup", "TZID=Europe/Berlin:20260311T100000", "TZID=Europe/Berlin:20260311T103000")})}});
  return s.solve(r);
}

tandem::scheduling::SlotRequest request_for(const std::string& from, const std::string& to) {
  tandem::scheduling::SlotRequest r;
  r.required = {"jonas"};
  r.duration = minutes(30);
  r.now = ts::at(kBerlin, "2026-03-09 08:00");
  r.offered = {{ts::at(kBerlin, from), ts::at(kBerlin, to)}};
  return r;
}

TEST(DraftsBrokenRules, TheSolversViolationsCarryWhatTheLinesNeed) {
  // After hours on Tuesday: the hours of that day as instants.
  const auto late = solve(request_for("2026-03-10 17:00", "2026-03-10 18:00"));
  ASSERT_TRUE(late.nothing_fits && late.compromise);
  ASSERT_EQ(late.compromise->broken.size(), 1u);
  const auto& hours = late.compromise->broken[0];
  EXPECT_EQ(hours.constraint, "working_hours");
  ASSERT_TRUE(hours.window.has_value());
  EXPECT_EQ(ts::wall(hours.window->begin, kBerlin), "2026-03-10 09:00");
  EXPECT_EQ(ts::wall(hours.window->end, kBerlin), "2026-03-10 17:00");
  // Wednesday holds the stand-up and the cap is one: the cap as the limit.
  const auto capped = solve(request_for("2026-03-11 14:00", "2026-03-11 15:00"));
  ASSERT_TRUE(capped.nothing_fits && capped.compromise);
  ASSERT_EQ(capped.compromise->broken.size(), 1u);
  EXPECT_EQ(capped.compromise->broken[0].constraint, "daily_cap");
  EXPECT_EQ(capped.compromise->broken[0].limit, 1);
  EXPECT_EQ(capped.compromise->broken[0].meetings, 1);
  // Thursday's off-limits block at the end of the offered window (moving out costs more): that day's block.
  const auto lunch = solve(request_for("2026-03-12 16:30", "2026-03-12 17:00"));
  ASSERT_TRUE(lunch.nothing_fits && lunch.compromise);
  ASSERT_EQ(lunch.compromise->broken.size(), 1u);
  EXPECT_EQ(lunch.compromise->broken[0].constraint, "off_limits") << lunch.compromise->broken[0].text << " at " << ts::wall(lunch.compromise->slot.start, kBerlin);
  ASSERT_TRUE(lunch.compromise->broken[0].window.has_value());
  EXPECT_EQ(ts::wall(lunch.compromise->broken[0].window->begin, kBerlin), "2026-03-12 16:30");
  EXPECT_EQ(ts::wall(lunch.compromise->broken[0].window->end, kBerlin), "2026-03-12 16:45");
  EXPECT_EQ(lunch.compromise->broken[0].minutes, 15);
  // An offered point that is refused too: the compromise moves away from it, which names the point.
  auto point = request_for("2026-03-12 10:00", "2026-03-12 10:00");
  point.offered = {};
  point.offered_points = {ts::at(kBerlin, "2026-03-12 10:00")};
  point.refused = {{ts::at(kBerlin, "2026-03-12 10:00"), ts::at(kBerlin, "2026-03-12 10:30")}};
  const auto away = solve(point);
  ASSERT_TRUE(away.nothing_fits && away.compromise);
  ASSERT_EQ(away.compromise->broken.size(), 1u);
  EXPECT_EQ(away.compromise->broken[0].constraint, "outside_offered");
  ASSERT_TRUE(away.compromise->broken[0].window.has_value());
  EXPECT_EQ(away.compromise->broken[0].window->begin, ts::at(kBerlin, "2026-03-12 10:00"));
  EXPECT_EQ(away.compromise->broken[0].window->end, away.compromise->broken[0].window->begin);
  // The lead, when everything after it is refused for a month: limit is the lead time.
  auto soon = request_for("2026-03-09 08:30", "2026-03-09 09:00");
  soon.refused = {{ts::at(kBerlin, "2026-03-09 10:00"), ts::at(kBerlin, "2026-04-30 00:00")}};
  const auto early = solve(soon);
  ASSERT_TRUE(early.nothing_fits && early.compromise);
  bool lead = false;
  for (const auto& v : early.compromise->broken)
    if (v.constraint == "lead") {
      lead = true;
      EXPECT_EQ(v.limit, 120);
    }
  EXPECT_TRUE(lead) << early.compromise->broken.front().text;
}

TEST(DraftsBrokenRules, TheSolversCompromiseIsDraftedInGermanFrenchAndSpanish) {
  const auto late = solve(request_for("2026-03-10 17:00", "2026-03-10 18:00"));
  const auto capped = solve(request_for("2026-03-11 14:00", "2026-03-11 15:00"));
  ASSERT_TRUE(late.compromise && capped.compromise);
  struct Case {
    const char* locale;
    const char* zone;
    const char* hours;  // the working-hours line's beginning; its times (ICU's) follow
    std::vector<const char*> times;
    const char* cap;    // the daily cap's line, whole
  };
  const Case cases[] = {
      {"de_DE", "Europe/Berlin", "30 Minuten außerhalb der Arbeitszeit von Jonas Becker (", {"09:00", "17:00 Uhr)"},
       "Jonas Becker hat an diesem Tag schon 1 Termin (Obergrenze: 1 Termin)"},
      {"fr_FR", "Europe/Paris", "30 minutes en dehors des heures de travail de Jonas Becker (", {"09:00", "17:00)"},
       "Jonas Becker a déjà 1 rendez-vous ce jour-là (au plus 1 rendez-vous par jour)"},
      {"es_ES", "Europe/Madrid", "30 minutos fuera del horario laboral de Jonas Becker (", {"9:00", "17:00)"},
       "Jonas Becker ya tiene 1 reunión ese día (máximo: 1 reunión)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.locale);
    const Draft h = must_draft(from_solver(late, c.locale, c.zone));
    const std::string line = line_starting(h.body, c.hours);
    EXPECT_FALSE(line.empty()) << h.body;
    for (const char* t : c.times) EXPECT_TRUE(has(line, t)) << t << " in: " << line;
    EXPECT_FALSE(has(h.body, late.compromise->broken[0].text)) << h.body;
    EXPECT_FALSE(has(h.body, "working hours")) << h.body;
    const Draft k = must_draft(from_solver(capped, c.locale, c.zone));
    EXPECT_TRUE(has(k.body, std::string("\n- ") + c.cap + "\n")) << k.body;
    EXPECT_FALSE(has(k.body, capped.compromise->broken[0].text)) << k.body;
    EXPECT_FALSE(has(k.body, "meetings on")) << k.body;
  }
}

}  // namespace
