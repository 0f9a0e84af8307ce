// The resolve and decide steps (tandem/intent.hpp, tandem/decision.hpp): annotations become an intent, the
// intent a slot request over a small directory with real calendar files, and the solver answers it.
#include "tandem/decision.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "../scheduling/fixtures.hpp"
#include "tandem/intent.hpp"

namespace tandem {
namespace {

using scheduling::testing::at;
using scheduling::testing::ics;
using scheduling::testing::TempDir;
using scheduling::testing::vevent;
using scheduling::testing::wall;

sdk::Annotation annotation(const std::string& name, std::vector<sdk::Candidate> candidates) {
  sdk::Annotation a;
  a.variable.name = name;
  a.variable.distribution = sdk::Distribution(std::move(candidates));
  a.source = "test";
  return a;
}

// A message sent on Monday 2 March 2026, 09:00 in Berlin.
sdk::Message monday_message(const std::string& text = "") {
  sdk::Message m;
  m.id = "m-1";
  m.text = text;
  m.sent = at("Europe/Berlin", "2026-03-02 09:00");
  m.utc_offset_minutes = 60;
  m.sender_zone = "Europe/Berlin";
  m.sender_locale = "de_DE";
  m.from = {"Ana Roth", "ana@example.de", "", false};
  m.to = {{"Ben Kurz", "ben@example.de", "", false}};
  return m;
}

TEST(ResolveIntent, ReadsEveryVariableAndPrefersWhatPeopleSettled) {
  const sdk::Message m = monday_message("Können wir uns Freitag ab 14 Uhr treffen? Nicht vor 10.");
  std::vector<sdk::Annotation> in = {
      annotation("request", {{"schedule_new", 0.7}, {"propose_times", 0.3}}),
      annotation("event_type", {{"none", 1}}),
      annotation("duration", {{"45", 0.9}, {"none", 0.1}}),
      annotation("location", {{"none", 1}}),
      annotation("participants", {{"ben@example.de,Ana@Example.de", 1}}),
      annotation("sessions", {{"a@x.de:30,b@x.de+c@x.de:45", 1}}),
      annotation("sessions.order", {{"free", 1}}),
      annotation("time[1].value", {{"/2026-03-06T10:00", 1}}),
      annotation("time[1].polarity", {{"negative", 1}}),
      annotation("time[0].value", {{"2026-03-06T14:00/", 0.8}, {"2026-03-13T14:00/", 0.2}}),
      annotation("time[0].polarity", {{"positive", 0.9}, {"neutral", 0.1}}),
      annotation("time[2].value", {{"not a time", 1}}),
  };
  const SchedulingIntent intent = resolve_intent(m, in, {{"request", "propose_times"}});
  EXPECT_EQ(intent.request, "propose_times");  // settled by people, over the model's first reading
  EXPECT_EQ(intent.event_type, "");
  ASSERT_TRUE(intent.duration_minutes);
  EXPECT_EQ(*intent.duration_minutes, 45);
  EXPECT_EQ(intent.location, "");
  EXPECT_EQ(intent.participants, (std::vector<std::string>{"ben@example.de", "ana@example.de"}));
  ASSERT_EQ(intent.sessions.size(), 2u);
  EXPECT_EQ(intent.sessions[1].with, (std::vector<std::string>{"b@x.de", "c@x.de"}));
  EXPECT_EQ(intent.sessions[1].minutes, 45);
  EXPECT_FALSE(intent.fixed_order);
  // In text order (by index), the unreadable one left out and said.
  ASSERT_EQ(intent.times.size(), 2u);
  EXPECT_TRUE(intent.times[0].start && !intent.times[0].end);  // an open end
  EXPECT_EQ(intent.times[0].polarity, "positive");
  EXPECT_DOUBLE_EQ(intent.times[0].confidence, 0.8);
  EXPECT_EQ(intent.times[0].readings.size(), 2u);
  EXPECT_TRUE(!intent.times[1].start && intent.times[1].end);  // an open start
  EXPECT_EQ(intent.times[1].polarity, "negative");
  ASSERT_EQ(intent.problems.size(), 1u);
  EXPECT_NE(intent.problems[0].find("time[2].value"), std::string::npos);
  EXPECT_TRUE(intent.scheduling());
}

TEST(ResolveIntent, TimeValuesReadOnlyInTheirForm) {
  std::optional<local_minutes> s, e;
  EXPECT_TRUE(parse_time_value("2026-03-06T14:00/2026-03-06T14:00", s, e));
  EXPECT_TRUE(s && e && *s == *e);
  EXPECT_FALSE(parse_time_value("2026-03-06T15:00/2026-03-06T14:00", s, e));  // ends before it starts
  EXPECT_FALSE(parse_time_value("2026-02-30T10:00/", s, e));                   // no such day
  EXPECT_FALSE(parse_time_value("/", s, e));
  EXPECT_FALSE(parse_time_value("2026-03-06 14:00/", s, e));
}

TEST(ResolveIntent, WhenOpenAskOrTheDatesAPersonGave) {
  sdk::Message m = monday_message("Kaffee, wenn du in Berlin bist?");
  sdk::Annotation when = annotation("when", {{"open", 0.55}, {"ask", 0.45}});
  when.span = {8, 30};
  const std::vector<sdk::Annotation> in = {annotation("request", {{"schedule_new", 1}}), when};
  SchedulingIntent i = resolve_intent(m, in);
  EXPECT_FALSE(i.dates_unknown);  // open: the usual weeks
  EXPECT_TRUE(i.times.empty());
  EXPECT_EQ(i.when_text, "wenn du in Berlin bist");
  i = resolve_intent(m, in, {{"when", "ask"}});
  EXPECT_TRUE(i.dates_unknown);
  i = resolve_intent(m, in, {{"when", "2026-03-16T00:00/2026-03-19T00:00"}});
  EXPECT_FALSE(i.dates_unknown);
  ASSERT_EQ(i.times.size(), 1u);
  EXPECT_EQ(i.times[0].polarity, "positive");
  EXPECT_EQ(i.times[0].text, "wenn du in Berlin bist");
  i = resolve_intent(m, in, {{"when", "next week"}});
  EXPECT_TRUE(i.times.empty());
  ASSERT_EQ(i.problems.size(), 1u);
  EXPECT_NE(i.problems[0].find("when: \"next week\""), std::string::npos);
}

// Two people in Berlin who share a weekly meeting (one UID in both calendars) on Thursdays 10:00-11:00.
class DecideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> lines = {"RRULE:FREQ=WEEKLY;COUNT=10", "SUMMARY:Weekly sync"};
    if (attendees_)
      lines.insert(lines.end(), {"ORGANIZER;CN=Ana Roth:MAILTO:Ana@Example.de", "ATTENDEE;CN=Ben Kurz:mailto:ben@example.de",
                                 "ATTENDEE;CN=Cleo Marx;ROLE=REQ-PARTICIPANT:mailto:cleo@partner.example",
                                 "ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:dora@partner.example",
                                 "ATTENDEE;PARTSTAT=DECLINED:mailto:egon@partner.example",
                                 "ATTENDEE;CN=Assistant:mailto:assistant@tandem.example"});
    const std::string weekly = vevent("sync-1", "TZID=Europe/Berlin:20260226T100000", "TZID=Europe/Berlin:20260226T110000",
                                      lines);
    std::string extra;
    if (second_meeting_) extra = vevent("review-7", "TZID=Europe/Berlin:20260305T140000",
                                         "TZID=Europe/Berlin:20260305T143000", {"SUMMARY:Weekly review"});
    tmp_.write("ana.ics", ics({weekly, extra}));
    tmp_.write("ben.ics", ics({weekly, extra}));
    const std::string hours = "    working_hours: {mon: [\"09:00-17:00\"], tue: [\"09:00-17:00\"], wed: [\"09:00-17:00\"], "
                              "thu: [\"09:00-17:00\"], fri: [\"09:00-17:00\"]}\n";
    tmp_.write("people.yaml", "people:\n  ana:\n    email: ana@example.de\n    name: Ana Roth\n    tz: Europe/Berlin\n" +
                                  hours + "    calendar: ana.ics\n  ben:\n    email: ben@example.de\n    name: Ben Kurz\n"
                                  "    tz: Europe/Berlin\n" + hours + "    calendar: ben.ics\n");
    auto people = load_people(tmp_.path() / "people.yaml");
    ASSERT_TRUE(people) << people.status().message();
    auto made = Decider::create(ScheduleSpec{}, std::move(people).value());
    ASSERT_TRUE(made) << made.status().message();
    decider_ = std::move(made).value();
  }

  static TimeItem item(const std::string& value, const std::string& polarity) {
    TimeItem t;
    EXPECT_TRUE(parse_time_value(value, t.start, t.end)) << value;
    t.polarity = polarity;
    return t;
  }
  static SchedulingIntent intent(const std::string& request, std::vector<TimeItem> times) {
    SchedulingIntent i;
    i.request = request;
    i.event_type = "meeting";
    i.participants = {"ana@example.de", "ben@example.de"};
    i.times = std::move(times);
    i.zone = "Europe/Berlin";
    return i;
  }

  bool second_meeting_ = false;
  bool attendees_ = false;  // the weekly sync names its ORGANIZER and ATTENDEEs
  TempDir tmp_;
  std::unique_ptr<Decider> decider_;
};

TEST_F(DecideTest, ARescheduleFindsTheMeetingItMovesAndOffersOnlyTheNewDay) {
  // "Could we move Thursday's sync to Friday?" — Thursday names the meeting, Friday is offered.
  const Decision d = decider_->decide(
      monday_message(), intent("reschedule", {item("2026-03-05T00:00/2026-03-06T00:00", "neutral"),
                                              item("2026-03-06T00:00/2026-03-07T00:00", "positive")}));
  ASSERT_TRUE(d.existing);
  EXPECT_EQ(d.existing->uid, "sync-1");
  EXPECT_EQ(wall(d.existing->start, "Europe/Berlin"), "2026-03-05 10:00");
  EXPECT_EQ(d.names_existing, (std::vector<bool>{true, false}));
  EXPECT_EQ(d.request.ignore_event_uid, "sync-1");
  EXPECT_EQ(d.slot_minutes, 60);  // the moved meeting's length: the mail gives none
  ASSERT_TRUE(d.scheduled);
  ASSERT_FALSE(d.solved.slots.empty());
  for (const auto& s : d.solved.slots) EXPECT_EQ(wall(s.start, "Europe/Berlin").substr(0, 10), "2026-03-06");
  EXPECT_EQ(wall(d.solved.slots[0].start, "Europe/Berlin"), "2026-03-06 10:00");  // it keeps its hour first
  EXPECT_TRUE(d.questions.empty());
}

TEST_F(DecideTest, TheItemNamingTheMeetingOffersNothingWhateverItsPolarity) {
  // The extractor took "Thursday" for an offer: it still names the meeting, and offers nothing.
  const Decision d = decider_->decide(
      monday_message(), intent("reschedule", {item("2026-03-05T10:00/2026-03-05T10:00", "positive"),
                                              item("2026-03-06T00:00/2026-03-07T00:00", "positive")}));
  ASSERT_TRUE(d.existing);
  EXPECT_EQ(d.names_existing, (std::vector<bool>{true, false}));
  EXPECT_TRUE(d.request.offered_points.empty());
  ASSERT_EQ(d.request.offered.size(), 1u);
  EXPECT_EQ(wall(d.request.offered[0].begin, "Europe/Berlin"), "2026-03-06 00:00");
}

class DecideAttendeesTest : public DecideTest {
 protected:
  void SetUp() override {
    attendees_ = true;
    DecideTest::SetUp();
  }
};

TEST_F(DecideAttendeesTest, TheMeetingsOwnAttendeesCompleteWhoAttends) {
  // "I can't make Thursday's sync": the decline concerns everyone the event invites, whoever the mail names.
  sdk::Message m = monday_message("Ich kann am Donnerstag leider nicht.");
  m.cc = {{"Assistant", "assistant@tandem.example", "", true}};
  Decision d = decider_->decide(m, intent("decline", {item("2026-03-05T00:00/2026-03-06T00:00", "neutral")}));
  ASSERT_TRUE(d.existing);
  EXPECT_EQ(d.participants,
            (std::vector<std::string>{"ana@example.de", "ben@example.de", "cleo@partner.example"}));  // not the assistant, not Egon
  EXPECT_EQ(d.optional, (std::vector<std::string>{"dora@partner.example"}));
  ASSERT_TRUE(d.existing->organizer);
  EXPECT_EQ(d.existing->organizer->email, "ana@example.de");
  EXPECT_EQ(d.existing->organizer->name, "Ana Roth");
  // A move needs them all free: Cleo, whom the directory lacks, is a guest with the assumed week.
  d = decider_->decide(m, intent("reschedule", {item("2026-03-05T00:00/2026-03-06T00:00", "neutral"),
                                                item("2026-03-06T00:00/2026-03-07T00:00", "positive")}));
  ASSERT_TRUE(d.scheduled);
  EXPECT_NE(std::find(d.request.required.begin(), d.request.required.end(), "cleo@partner.example"), d.request.required.end());
}

TEST_F(DecideTest, DatesTheMailDoesNotGiveAreAskedForNotGuessed) {
  SchedulingIntent i = intent("schedule_new", {});
  i.dates_unknown = true;
  i.when_text = "wenn du in Berlin bist";
  const Decision d = decider_->decide(monday_message(), i);
  EXPECT_FALSE(d.scheduled);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes.back().find("wenn du in Berlin bist"), std::string::npos);
  i.dates_unknown = false;  // "open": the usual weeks
  EXPECT_TRUE(decider_->decide(monday_message(), i).scheduled);
}

TEST_F(DecideTest, ALunchIsPreferredAtTheMiddayOfThePeopleWhereTheyAre) {
  SchedulingIntent i = intent("schedule_new", {item("2026-03-04T00:00/2026-03-05T00:00", "positive")});
  i.event_type = "lunch";
  i.zone = "America/Los_Angeles";  // written from Los Angeles, for two people in Berlin
  const Decision d = decider_->decide(monday_message(), i);
  ASSERT_TRUE(d.scheduled);
  ASSERT_FALSE(d.request.preferred.empty());
  bool berlin_midday = false;
  for (const auto& w : d.request.preferred)
    berlin_midday = berlin_midday || (wall(w.begin, "Europe/Berlin") == "2026-03-04 12:00" && wall(w.end, "Europe/Berlin") == "2026-03-04 14:00");
  EXPECT_TRUE(berlin_midday);
  ASSERT_FALSE(d.solved.slots.empty());
  EXPECT_EQ(wall(d.solved.slots[0].start, "Europe/Berlin").substr(0, 13), "2026-03-04 12");
}

TEST_F(DecideTest, AnOpenStartWithAClockIsThatMorningNotFromNow) {
  // "Thursday before noon", sent on Monday: Thursday 00:00-12:00, not Monday to Thursday noon.
  const Decision d = decider_->decide(monday_message(), intent("schedule_new", {item("/2026-03-05T12:00", "positive")}));
  ASSERT_TRUE(d.scheduled);
  ASSERT_EQ(d.request.offered.size(), 1u);
  EXPECT_EQ(wall(d.request.offered[0].begin, "Europe/Berlin"), "2026-03-05 00:00");
  EXPECT_EQ(wall(d.request.offered[0].end, "Europe/Berlin"), "2026-03-05 12:00");
}

TEST_F(DecideTest, WithoutAMeetingThatExistsTheIntentsAttendeesStand) {
  const Decision d = decider_->decide(monday_message(), intent("schedule_new", {}));
  EXPECT_EQ(d.participants, (std::vector<std::string>{"ana@example.de", "ben@example.de"}));
  EXPECT_TRUE(d.optional.empty());
}

class DecideTwoMeetingsTest : public DecideTest {
 protected:
  void SetUp() override {
    second_meeting_ = true;
    DecideTest::SetUp();
  }
};

TEST_F(DecideTwoMeetingsTest, TwoMeetingsThatFitEquallyBecomeAQuestion) {
  // "Can we cancel Thursday's meeting?": the sync and the review are both on Thursday.
  const Decision d = decider_->decide(monday_message(),
                                      intent("cancel", {item("2026-03-05T00:00/2026-03-06T00:00", "neutral")}));
  ASSERT_TRUE(d.existing);
  ASSERT_EQ(d.questions.size(), 1u);
  EXPECT_EQ(d.questions[0].variable.name, "meeting");
  EXPECT_EQ(d.questions[0].variable.distribution.size(), 2u);
  EXPECT_LT(d.questions[0].variable.distribution.top_p(), 0.8);
  EXPECT_FALSE(d.scheduled);  // a cancellation asks for no slot
}

TEST_F(DecideTwoMeetingsTest, TheTitleInTheMailTellsThemApart) {
  const Decision d = decider_->decide(monday_message("Können wir das Review am Donnerstag absagen?"),
                                      intent("cancel", {item("2026-03-05T00:00/2026-03-06T00:00", "neutral")}));
  ASSERT_TRUE(d.existing);
  EXPECT_EQ(d.existing->uid, "review-7");
  EXPECT_TRUE(d.questions.empty());
}

TEST_F(DecideTest, AnAcceptanceNamingADayTakesTheTimeFromTheQuotedOffer) {
  // "Wednesday works" under a quoted "Wednesday at 14:00 or Thursday at 15:00?".
  const Decision d = decider_->decide(
      monday_message(), intent("accept_proposal", {item("2026-03-04T00:00/2026-03-05T00:00", "positive")}),
      {item("2026-03-04T14:00/2026-03-04T14:00", "positive"), item("2026-03-05T15:00/2026-03-05T15:00", "positive")});
  ASSERT_TRUE(d.scheduled);
  ASSERT_EQ(d.request.offered_points.size(), 1u);
  EXPECT_EQ(wall(d.request.offered_points[0], "Europe/Berlin"), "2026-03-04 14:00");
  ASSERT_EQ(d.solved.slots.size(), 1u);
  EXPECT_EQ(wall(d.solved.slots[0].start, "Europe/Berlin"), "2026-03-04 14:00");
}

TEST_F(DecideTest, OpenEndsRunToTheEndOfTheDayAndNotBeforeRefusesThatMorning) {
  SchedulingIntent i = intent("schedule_new", {item("2026-03-04T15:00/", "positive"), item("/2026-03-04T16:00", "negative")});
  i.duration_minutes = 30;
  const Decision d = decider_->decide(monday_message(), i);
  ASSERT_EQ(d.request.offered.size(), 1u);
  EXPECT_EQ(wall(d.request.offered[0].end, "Europe/Berlin"), "2026-03-05 00:00");
  ASSERT_EQ(d.request.refused.size(), 1u);
  EXPECT_EQ(wall(d.request.refused[0].begin, "Europe/Berlin"), "2026-03-04 00:00");
  ASSERT_FALSE(d.solved.slots.empty());
  for (const auto& s : d.solved.slots) {
    const std::string w = wall(s.start, "Europe/Berlin");
    EXPECT_GE(w, "2026-03-04 16:00") << w;
    EXPECT_LE(w, "2026-03-04 16:30") << w;  // working hours end at 17:00
  }
}

TEST_F(DecideTest, SomeoneOutsideTheDirectoryGetsTheAssumedWorkingWeekInTheSendersZone) {
  SchedulingIntent i = intent("schedule_new", {item("2026-03-04T00:00/2026-03-05T00:00", "positive")});
  i.participants = {"ana@example.de", "guest@example.org"};
  const Decision d = decider_->decide(monday_message(), i);
  ASSERT_EQ(d.request.guests.size(), 1u);
  EXPECT_EQ(d.request.guests[0].zone, "Europe/Berlin");
  ASSERT_FALSE(d.solved.slots.empty());
  for (const auto& s : d.solved.slots) {
    const std::string w = wall(s.start, "Europe/Berlin");
    EXPECT_GE(w, "2026-03-04 09:00") << w;  // not at midnight: the guest keeps office hours
    EXPECT_LE(w, "2026-03-04 16:30") << w;
  }
  EXPECT_TRUE(std::any_of(d.notes.begin(), d.notes.end(),
                          [](const std::string& n) { return n.find("guest@example.org") != std::string::npos; }));
}

TEST_F(DecideTest, NowIsTheSentInstantSoThatARerunDecidesTheSame) {
  SchedulingIntent i = intent("schedule_new", {});
  const Decision a = decider_->decide(monday_message(), i);
  const Decision b = decider_->decide(monday_message(), i);
  EXPECT_EQ(a.now, monday_message().sent);
  ASSERT_FALSE(a.solved.slots.empty());
  ASSERT_EQ(a.solved.slots.size(), b.solved.slots.size());
  for (std::size_t k = 0; k < a.solved.slots.size(); ++k) EXPECT_EQ(a.solved.slots[k].start, b.solved.slots[k].start);
  EXPECT_GE(a.solved.slots[0].start, a.now + std::chrono::hours(2));  // the lead time
}

}  // namespace
}  // namespace tandem
