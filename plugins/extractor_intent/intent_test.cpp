// Behaviour of tandem.extractor.intent, loaded through the real host with the engine's services and the
// data files the build put next to it: each request kind, event type, duration form and arranger rule in
// en, de, fr and es, with sentences written for these tests; and config errors with their positions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

using tandem::conformance::PluginUnderTest;
using tandem::sdk::Annotation;
using tandem::sdk::Message;
using tandem::sdk::Participant;

struct Mail {
  std::string language = "en";
  std::string subject;
  std::string text;
  std::string quoted;
  std::string signature;
  Participant from{"Nora Lind", "nora@acme.example", ""};
  std::vector<Participant> to{{"Omar Bell", "omar@other.example", ""}};
  std::vector<Participant> cc{{"Assistant", "assistant@tandem.example", ""}};
};

Message message(const Mail& m) {
  Message msg;
  msg.language = m.language;
  msg.sender_locale = m.language;
  msg.subject = m.subject;
  msg.text = m.text;
  msg.quoted = m.quoted;
  msg.signature = m.signature;
  msg.from = m.from;
  msg.to = m.to;
  msg.cc = m.cc;
  msg.sender_zone = "Europe/Berlin";
  return msg;
}

class Intent : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
  std::shared_ptr<tandem::sdk::Extractor> extractor = plugin.extractor("assistant: [assistant@tandem.example]\n");

  std::map<std::string, Annotation> run(const Mail& m) {
    std::vector<Annotation> out;
    const Message msg = message(m);
    EXPECT_TRUE(extractor->extract(msg, out).is_ok());
    std::map<std::string, Annotation> by_name;
    for (auto& a : out) {
      EXPECT_TRUE(a.span.fits(msg.text)) << a.variable.name;
      by_name[a.variable.name] = a;
    }
    return by_name;
  }
  std::string top(const Mail& m, const std::string& variable) {
    auto r = run(m);
    const auto it = r.find(variable);
    return it == r.end() ? std::string("(absent)") : it->second.variable.distribution.top().value;
  }
};

struct Case {
  const char* language;
  const char* text;
  const char* quoted;
  const char* want;
};

// ---- request ------------------------------------------------------------------------------------------

TEST_F(Intent, RequestKindsInEachLanguage) {
  const char* ask_en = "> Could we set up a call next week about the budget?\n";
  const char* ask_de = "> Können wir nächste Woche telefonieren?\n";
  const char* ask_fr = "> Pourrions-nous faire un point la semaine prochaine ?\n";
  const char* ask_es = "> ¿Podríamos vernos la semana que viene?\n";
  const Case cases[] = {
      {"en", "Can we meet on Friday to plan the launch?", "", "schedule_new"},
      {"en", "I have to move our review on Tuesday. Could we do Thursday instead?", "", "reschedule"},
      {"en", "I'm sorry, but I need to cancel tomorrow's workshop.", "", "cancel"},
      {"en", "I won't be able to join the offsite planning, please carry on.", "", "decline"},
      {"en", "Friday at 3 works for me.", ask_en, "accept_proposal"},
      {"en", "I could do Monday after 2, Tuesday doesn't work for me.", ask_en, "propose_times"},
      {"en", "The slides are attached, thanks for your comments.", "", "none"},
      {"de", "Können wir uns am Montag zur Planung zusammensetzen?", "", "schedule_new"},
      {"de", "Ich muss unseren Termin am Dienstag leider verschieben, geht auch Mittwoch?", "", "reschedule"},
      {"de", "Den Workshop morgen müssen wir leider absagen.", "", "cancel"},
      {"de", "Ich kann leider nicht teilnehmen, macht gern ohne mich weiter.", "", "decline"},
      {"de", "Mittwoch um 10 Uhr passt mir gut.", ask_de, "accept_proposal"},
      {"de", "Ich könnte am Donnerstag ab 15 Uhr, Freitag geht bei mir nicht.", ask_de, "propose_times"},
      {"de", "Zur Info: das Protokoll liegt im Ordner.", "", "none"},
      {"fr", "Pourriez-vous venir mardi pour une réunion sur le budget ?", "", "schedule_new"},
      {"fr", "Pouvons-nous décaler notre réunion de jeudi à vendredi ?", "", "reschedule"},
      {"fr", "Je dois malheureusement annuler notre déjeuner de lundi.", "", "cancel"},
      {"fr", "Je ne pourrai malheureusement pas participer à la présentation.", "", "decline"},
      {"fr", "Jeudi à 14h me convient très bien.", ask_fr, "accept_proposal"},
      {"fr", "Je peux lundi matin ou mercredi après 16h.", ask_fr, "propose_times"},
      {"fr", "Merci pour le compte rendu, tout est clair.", "", "none"},
      {"es", "¿Podemos reunirnos el martes para revisar el presupuesto?", "", "schedule_new"},
      {"es", "Me ha surgido un viaje, ¿podríamos pasar la reunión al viernes?", "", "reschedule"},
      {"es", "Tenemos que cancelar la comida del jueves, lo siento.", "", "cancel"},
      {"es", "Lo siento, no podré asistir a la presentación del lunes.", "", "decline"},
      {"es", "El jueves a las 10:00 me viene bien.", ask_es, "accept_proposal"},
      {"es", "Yo podría el lunes por la tarde; el martes estoy de viaje.", ask_es, "propose_times"},
      {"es", "Gracias por los documentos, los reviso esta semana.", "", "none"},
  };
  for (const Case& c : cases) {
    Mail m;
    m.language = c.language;
    m.text = c.text;
    m.quoted = c.quoted;
    EXPECT_EQ(top(m, "request"), c.want) << c.language << ": " << c.text;
  }
}

TEST_F(Intent, NegatedAcceptanceIsARefusalNotAnAcceptance) {
  Mail m;
  m.text = "Thursday morning works.";
  m.quoted = "> Could you do Thursday morning or Friday afternoon?\n";
  EXPECT_EQ(top(m, "request"), "accept_proposal");
  m.text = "Thursday morning does not work, sorry.";
  EXPECT_EQ(top(m, "request"), "propose_times");
  m.language = "de";
  m.text = "Donnerstag passt mir leider nicht.";
  m.quoted = "> Passt es Ihnen am Donnerstag?\n";
  EXPECT_EQ(top(m, "request"), "propose_times");
}

TEST_F(Intent, AReplyThatNamesDaysOffersThem) {
  Mail m;
  // Offering times for an event in a first mail asks for a new meeting.
  m.language = "fr";
  m.text = "Je vous propose un déjeuner la semaine du 16 novembre, idéalement le mardi ou le mercredi.";
  EXPECT_EQ(top(m, "request"), "schedule_new");
  m.language = "en";
  m.quoted = "On Mon, 30 Nov 2026, Omar Bell <omar@other.example> wrote:\n> Could we have a call next week?\n";
  m.text = "Thursday the 10th or Friday the 11th, anywhere between 10 and noon, would be great.";
  EXPECT_EQ(top(m, "request"), "propose_times");
  m.language = "es";
  m.quoted = "El lun, 30 nov 2026, Omar Bell <omar@other.example> escribió:\n> ¿Cuándo te vendría bien una llamada?\n";
  m.text = "La semana que viene mejor por la tarde: el miércoles o el jueves.";
  EXPECT_EQ(top(m, "request"), "propose_times");
  // Naming a day to inform is no offer.
  m.language = "en";
  m.quoted = "On Mon, 30 Nov 2026, Omar Bell <omar@other.example> wrote:\n> The workshop on Monday went well.\n";
  m.text = "Thanks for the update. FYI our office is closed on Friday 11 December.";
  EXPECT_EQ(top(m, "request"), "none");
  // The quoted message only took a time ("Friday works well for him"): the thread is still a scheduling one.
  m.language = "en";
  m.quoted = "-----Original Message-----\nFrom: Omar Bell <omar@other.example>\n\nFriday at 9am works well for him.\n";
  m.text = "Friday at 2pm my time is perfect, thank you.";
  EXPECT_EQ(top(m, "request"), "accept_proposal");
}

TEST_F(Intent, AFirstMailCopyingTheAssistantWithAnEventOrALengthAsksForAMeeting) {
  Mail m;  // the assistant is in Cc
  m.text = "Great meeting you last week. Adding my assistant to sort out 45 minutes for a follow-up video call.";
  auto r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "schedule_new");
  EXPECT_LT(r.at("request").variable.distribution.top_p(), 0.85);  // no cue says so: a person confirms
  m.text = "Looping in my assistant to find 45 minutes for a follow-up video call.";
  EXPECT_EQ(top(m, "request"), "schedule_new");
  // Thanks for one: nothing to schedule.
  m.text = "Thanks for the video call yesterday, it was very helpful.";
  EXPECT_EQ(top(m, "request"), "none");
}

TEST_F(Intent, MoreWaysToAsk) {
  Mail m;
  m.text = "Please block 2 hours on Friday morning for the quarterly review.";
  EXPECT_EQ(top(m, "request"), "schedule_new");
  m.language = "de";
  m.text = "Hast du nächste Woche Zeit für ein kurzes Telefonat?";
  EXPECT_EQ(top(m, "request"), "schedule_new");
  EXPECT_EQ(top(m, "event_type"), "call");
  m.language = "fr";
  m.text = "Serait-il possible de caler un échange téléphonique jeudi ou vendredi ?";
  EXPECT_EQ(top(m, "event_type"), "call");
  m.language = "de";
  m.text = "Der Termin am Freitag fällt leider aus.";
  EXPECT_EQ(top(m, "request"), "cancel");
  m.language = "en";
  m.text = "Unfortunately I can no longer make our call on Thursday. Could we push it to next Monday, same time?";
  EXPECT_EQ(top(m, "request"), "reschedule");
}

TEST_F(Intent, AnEventWordBeforeATopicNounIsTheTopic) {
  Mail m;
  m.text = "Could we have 30 minutes next week to review the Q3 interview load?";
  EXPECT_EQ(top(m, "event_type"), "meeting");
  m.text = "Could we schedule the final interview with Omar next week?";
  EXPECT_EQ(top(m, "event_type"), "interview");
}

TEST_F(Intent, ConflictingCuesGiveAnUnsureRequest) {
  Mail m;
  // Calling it off and asking now for another time: rather a move, but a person should say.
  m.text = "We must cancel Monday's meeting. Could we find another time next week?";
  auto r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "reschedule");
  EXPECT_LT(r.at("request").variable.distribution.top_p(), 0.8);
  // A new date promised for later asks nothing now: a cancellation, confidently.
  m.text = "We must cancel Monday's meeting; we'll find another time later.";
  r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "cancel");
  EXPECT_GE(r.at("request").variable.distribution.top_p(), 0.85);
  m.language = "fr";
  m.text = "Je dois annuler notre rendez-vous de lundi. Je reviens vers vous pour convenir d'une nouvelle date.";
  r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "cancel");
  EXPECT_GE(r.at("request").variable.distribution.top_p(), 0.85);
  m.language = "en";
  m.text = "Can we meet on Monday to go through the numbers?";
  EXPECT_GE(run(m).at("request").variable.distribution.top_p(), 0.8);
}

TEST_F(Intent, CannotAttendAndAsksAgainUnderAMoveSubjectIsAConfidentReschedule) {
  Mail m;
  m.language = "es";
  m.subject = "Cambio de fecha: revisión";
  m.text = "Pedro no podrá hacer la revisión del jueves. ¿Te vendría bien el lunes por la tarde?";
  auto r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "reschedule");
  EXPECT_GE(r.at("request").variable.distribution.top_p(), 0.85);
  // The subject alone, with a text that asks nothing again, stays unsure.
  m.text = "Pedro no podrá hacer la revisión del jueves.";
  r = run(m);
  EXPECT_LT(r.at("request").variable.distribution.top_p(), 0.85);
}

// ---- event type --------------------------------------------------------------------------------------

TEST_F(Intent, EventTypesInEachLanguage) {
  const Case cases[] = {
      {"en", "Could we do a quick phone screen on Monday?", "", "phone_screen"},
      {"en", "Can we book the second interview with Priya?", "", "interview"},
      {"en", "Could you come by our plant for a site visit?", "", "onsite"},
      {"en", "Shall we grab a coffee on Friday?", "", "coffee"},
      {"en", "Could we have lunch on Wednesday?", "", "lunch"},
      {"en", "Can we do a short call on Tuesday?", "", "call"},
      {"en", "Could we set up a video call with the team?", "", "video_call"},
      {"en", "Can we hold the budget review on Thursday?", "", "meeting"},
      {"de", "Können wir ein kurzes Telefoninterview vereinbaren?", "", "phone_screen"},
      {"de", "Ich würde gern ein Vorstellungsgespräch mit Ihnen führen.", "", "interview"},
      {"de", "Können wir uns vor Ort die Anlage ansehen?", "", "onsite"},
      {"de", "Hast du Lust auf einen Kaffee am Freitag?", "", "coffee"},
      {"de", "Wollen wir am Mittwoch zusammen Mittagessen gehen?", "", "lunch"},
      {"de", "Können wir morgen kurz telefonieren? Ein Telefonat reicht.", "", "call"},
      {"de", "Können wir einen Videocall am Montag machen?", "", "video_call"},
      {"de", "Können wir eine Besprechung am Dienstag ansetzen?", "", "meeting"},
      {"fr", "Pourrions-nous organiser un entretien téléphonique lundi ?", "", "phone_screen"},
      {"fr", "Pourriez-vous passer un entretien avec notre équipe ?", "", "interview"},
      {"fr", "Pourriez-vous venir sur place pour voir la machine ?", "", "onsite"},
      {"fr", "Pourrions-nous prendre un café vendredi ?", "", "coffee"},
      {"fr", "Je vous invite à déjeuner mercredi !", "", "lunch"},
      {"fr", "Pourrions-nous faire un appel rapide mardi ?", "", "call"},
      {"fr", "Pourrions-nous faire une visio jeudi ?", "", "video_call"},
      {"fr", "Pourrions-nous fixer une réunion mardi ?", "", "meeting"},
      {"es", "Me gustaría hacerte una entrevista telefónica breve.", "", "phone_screen"},
      {"es", "Nos gustaría hacerte una segunda entrevista con el equipo.", "", "interview"},
      {"es", "¿Podrías venir a una entrevista presencial el lunes?", "", "onsite"},
      {"es", "¿Te apetece tomar un café el viernes?", "", "coffee"},
      {"es", "¿Comemos juntos el miércoles?", "", "lunch"},
      {"es", "¿Podemos hacer una llamada el martes?", "", "call"},
      {"es", "¿Podemos hacer una videollamada el jueves?", "", "video_call"},
      {"es", "¿Podemos tener una reunión el lunes?", "", "meeting"},
  };
  for (const Case& c : cases) {
    Mail m;
    m.language = c.language;
    m.text = c.text;
    EXPECT_EQ(top(m, "event_type"), c.want) << c.language << ": " << c.text;
  }
}

TEST_F(Intent, ThePurposeBeatsTheMediumAndTheQuotedHistoryCounts) {
  Mail m;
  m.language = "es";
  m.subject = "Re: Entrevista con el equipo de datos";
  m.text = "El lunes me viene perfecto.";
  m.quoted = "> Sería una videollamada de 30 minutos. ¿Te viene bien el lunes?\n";
  EXPECT_EQ(top(m, "event_type"), "interview");
  EXPECT_EQ(top(m, "duration"), "30");
}

TEST_F(Intent, NothingToScheduleHasNoEventNorAttendees) {
  Mail m;
  m.text = "FYI, the interviews are all written up in the tracker.";
  const auto r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "none");
  EXPECT_EQ(r.at("event_type").variable.distribution.top().value, "none");
  EXPECT_EQ(r.at("participants").variable.distribution.top().value, "none");
}

// ---- duration ----------------------------------------------------------------------------------------

TEST_F(Intent, DurationFormsInEachLanguage) {
  const Case cases[] = {
      {"en", "Can we meet for 40 minutes on Monday?", "", "40"},
      {"en", "Could we do a 20-minute call?", "", "20"},
      {"en", "Can we meet for an hour on Monday?", "", "60"},
      {"en", "Can we block half an hour on Monday?", "", "30"},
      {"en", "Can we meet for an hour and a half on Monday?", "", "90"},
      {"en", "Can we meet for two hours on Monday?", "", "120"},
      {"en", "Can we meet for 1.5 hours on Monday?", "", "90"},
      {"en", "Can we meet on Monday at 3?", "", "none"},
      {"en", "Can we meet in 30 minutes?", "", "none"},
      {"de", "Können wir uns 45 Min. zusammensetzen?", "", "45"},
      {"de", "Können wir ein 90-minütiges Meeting machen?", "", "90"},
      {"de", "Können wir uns 1,5 Stunden zusammensetzen?", "", "90"},
      {"de", "Können wir uns eine halbe Stunde zusammensetzen?", "", "30"},
      {"de", "Können wir uns anderthalb Stunden zusammensetzen?", "", "90"},
      {"de", "Können wir uns zwei Stunden zusammensetzen?", "", "120"},
      {"de", "Können wir uns um 14 Uhr zusammensetzen?", "", "none"},
      {"fr", "Pourrions-nous faire une réunion d'une heure et demie ?", "", "90"},
      {"fr", "Pourrions-nous faire une réunion d'une demi-heure ?", "", "30"},
      {"fr", "Pourrions-nous faire une réunion (1h30) mardi ?", "", "90"},
      {"fr", "Pourrions-nous faire une réunion de deux heures ?", "", "120"},
      {"fr", "Pourrions-nous faire une réunion mardi à 10h30 ?", "", "none"},
      {"es", "¿Podemos hacer una reunión de hora y media?", "", "90"},
      {"es", "¿Podemos hacer una reunión de media hora?", "", "30"},
      {"es", "¿Podemos hacer una reunión de unas tres horas?", "", "180"},
      {"es", "¿Podemos hacer una reunión de 50 minutos?", "", "50"},
      {"es", "¿Podemos hacer una reunión a las 10:30?", "", "none"},
  };
  for (const Case& c : cases) {
    Mail m;
    m.language = c.language;
    m.text = c.text;
    EXPECT_EQ(top(m, "duration"), c.want) << c.language << ": " << c.text;
  }
}

TEST_F(Intent, TheLengthComesFromTheQuotedHistoryWhenTheReplyDoesNotSayIt) {
  Mail m;
  m.text = "Tuesday at 11 works for me.";
  m.quoted = "> Could we have a 25-minute call on Tuesday or Wednesday?\n";
  EXPECT_EQ(top(m, "duration"), "25");
}

// ---- participants and arrangers ---------------------------------------------------------------------

TEST_F(Intent, TheAssistantIsNeverAnAttendee) {
  Mail m;
  m.text = "Can we meet on Monday for an hour?";
  EXPECT_EQ(top(m, "participants"), "nora@acme.example,omar@other.example");
}

TEST_F(Intent, AnExecutiveAssistantArrangesForHerBossInEachLanguage) {
  const char* texts[][2] = {
      {"en", "Ines would like to meet you for an hour next week. Would Tuesday suit you?"},
      {"de", "Ines würde Sie gern nächste Woche für eine Stunde treffen. Passt es Ihnen am Dienstag?"},
      {"fr", "Ines aimerait vous rencontrer une heure la semaine prochaine. Seriez-vous disponible mardi ?"},
      {"es", "A Ines le gustaría reunirse contigo una hora. ¿Te vendría bien el martes?"},
  };
  const char* roles[] = {"Executive Assistant, Acme", "Assistentin der Geschäftsführung, Acme",
                         "Assistante de direction, Acme", "Asistente de dirección, Acme"};
  for (int i = 0; i < 4; ++i) {
    Mail m;
    m.language = texts[i][0];
    m.text = texts[i][1];
    m.from = {"Pia Ross", "pia@acme.example", roles[i]};
    m.cc = {{"Ines Vogt", "ines@acme.example", "Managing Director, Acme"}, {"A", "assistant@tandem.example", ""}};
    EXPECT_EQ(top(m, "participants"), "ines@acme.example,omar@other.example") << m.language;
  }
}

TEST_F(Intent, ARecruiterArrangesBetweenOthersButAttendsHerOwnScreen) {
  const char* between[][2] = {
      {"en", "Hi Omar,\nIvan Petrov would like to do a 30-minute phone screen with you. Could you do Monday?"},
      {"de", "Hallo Omar,\nIvan Petrov würde gern ein Telefoninterview mit Ihnen führen. Passt Montag?"},
      {"fr", "Bonjour Omar,\nIvan Petrov aimerait faire un entretien téléphonique avec vous. Êtes-vous disponible lundi ?"},
      {"es", "Hola Omar:\nIvan Petrov quiere hacerte una entrevista telefónica. ¿Te vendría bien el lunes?"},
  };
  const char* own[][2] = {
      {"en", "Hi Omar,\nI'd like to do a 30-minute phone screen with you. Could you do Monday?"},
      {"de", "Hallo Omar,\nich würde gern ein kurzes Telefoninterview mit Ihnen führen. Passt Montag?"},
      {"fr", "Bonjour Omar,\nj'aimerais faire un entretien téléphonique avec vous. Êtes-vous disponible lundi ?"},
      {"es", "Hola Omar:\nMe gustaría hacerte una entrevista telefónica. ¿Te vendría bien el lunes?"},
  };
  const char* roles[] = {"Technical Recruiter, Acme", "Recruiterin, Acme", "Chargée de recrutement, Acme",
                         "Responsable de Talento, Acme"};
  for (int i = 0; i < 4; ++i) {
    Mail m;
    m.language = between[i][0];
    m.text = between[i][1];
    m.from = {"Rita Moss", "rita@acme.example", roles[i]};
    m.cc = {{"Ivan Petrov", "ivan@acme.example", "Engineering Lead, Acme"}, {"A", "assistant@tandem.example", ""}};
    EXPECT_EQ(top(m, "participants"), "ivan@acme.example,omar@other.example") << m.language;
    m.text = own[i][1];
    m.cc = {{"A", "assistant@tandem.example", ""}};
    EXPECT_EQ(top(m, "participants"), "omar@other.example,rita@acme.example") << m.language;
  }
}

TEST_F(Intent, SomeoneUnnamedMakesTheSetUnsure) {
  const char* texts[][2] = {
      {"en", "Can we meet on Monday? I'll bring someone from our finance team."},
      {"de", "Können wir uns am Montag treffen? Ich bringe noch jemanden aus der Buchhaltung mit."},
      {"fr", "Pourrions-nous nous voir lundi ? Je viendrai avec quelqu'un de l'équipe finance."},
      {"es", "¿Podemos reunirnos el lunes? Vendré con alguien del equipo de finanzas."},
  };
  for (const auto& t : texts) {
    Mail m;
    m.language = t[0];
    m.text = t[1];
    const auto r = run(m);
    EXPECT_EQ(r.at("participants").variable.distribution.top().value, "nora@acme.example,omar@other.example") << t[0];
    EXPECT_LT(r.at("participants").variable.distribution.top_p(), 0.8) << t[0];
  }
  // A stand-in for a meeting declined changes nothing to schedule: the attendees stay sure.
  Mail m;
  m.language = "es";
  m.text = "Gracias por la invitación, pero no podré asistir a la presentación del jueves. Marta confirmará si "
           "alguien del equipo puede ir en mi lugar.";
  const auto r = run(m);
  EXPECT_EQ(r.at("request").variable.distribution.top().value, "decline");
  EXPECT_GE(r.at("participants").variable.distribution.top_p(), 0.8);
}

TEST_F(Intent, APronounBeforeTheOptionalCueIsTheLastPersonNamed) {
  Mail m;
  m.text = "We'd like to invite you to an onsite with Omar. Lea will dial in from Leeds if her calendar allows, but "
           "she's optional.";
  m.cc = {{"Lea Brun", "lea@acme.example", ""}, {"A", "assistant@tandem.example", ""}};
  EXPECT_EQ(top(m, "optional"), "lea@acme.example");
  EXPECT_EQ(top(m, "participants"), "nora@acme.example,omar@other.example");
  m.text = "We'd like to invite you to an onsite. It's a two-hour session with Omar Bell on any day in the week of "
           "January 11. Lea will dial in from Leeds "
           "if her calendar allows, but she's optional.";
  EXPECT_EQ(top(m, "optional"), "lea@acme.example");
}

TEST_F(Intent, SomeoneReportedAsASourceIsNoAttendee) {
  Mail m;
  m.text = "Lea mentioned you're in town next week. Fancy a coffee on Tuesday?";
  m.quoted = "On Mon, 30 Nov 2026 at 09:00, Lea Brun <lea@acme.example> wrote:\n> Omar will be in Berlin.\n";
  m.cc = {{"A", "assistant@tandem.example", ""}};
  EXPECT_EQ(top(m, "participants"), "nora@acme.example,omar@other.example");
  m.text = "Lea and I would like to meet you on Tuesday.";
  EXPECT_EQ(top(m, "participants"), "lea@acme.example,nora@acme.example,omar@other.example");
}

TEST_F(Intent, OptionalAttendeesAreNamedNearAnOptionalCue) {
  Mail m;
  m.text = "Can we meet on Monday? Lea is welcome to join if she has time.";
  m.cc = {{"Lea Brun", "lea@acme.example", ""}, {"A", "assistant@tandem.example", ""}};
  EXPECT_EQ(top(m, "optional"), "lea@acme.example");
  EXPECT_EQ(top(m, "participants"), "nora@acme.example,omar@other.example");
}

TEST_F(Intent, AnInterviewLoopListsItsSessionsInOrder) {
  Mail m;
  m.text =
      "Hi Omar,\nCould you do Tuesday? The final round is three back-to-back 40-minute interviews: Kai Berg first, "
      "then Lea Brun, then me.";
  m.cc = {{"Kai Berg", "kai@acme.example", ""}, {"Lea Brun", "lea@acme.example", ""},
          {"A", "assistant@tandem.example", ""}};
  const auto r = run(m);
  ASSERT_TRUE(r.count("sessions"));
  EXPECT_EQ(r.at("sessions").variable.distribution.top().value,
            "kai@acme.example:40,lea@acme.example:40,nora@acme.example:40");
  EXPECT_EQ(r.at("sessions.order").variable.distribution.top().value, "fixed");
}

// ---- location ------------------------------------------------------------------------------------------

TEST_F(Intent, PlacesAsWritten) {
  Mail m;
  m.text = "Can we meet for an hour at our office next week?";
  m.from = {"Nora Lind", "nora@acme.example", "Head of Sales, Acme Tools"};
  m.signature = "Nora Lind\nAcme Tools | 4 Harbour Street, Leeds";
  EXPECT_EQ(top(m, "location"), "Acme Tools, 4 Harbour Street, Leeds");
  m.signature.clear();
  m.language = "es";
  m.text = "¿Podemos vernos en nuestra oficina de Sevilla el lunes?";
  EXPECT_EQ(top(m, "location"), "Acme Tools, Sevilla");
  m.language = "fr";
  m.text = "Pourrions-nous déjeuner mardi ? Je pensais au Petit Zinc.";
  m.from.role.clear();
  EXPECT_EQ(top(m, "location"), "Le Petit Zinc, Berlin");  // the sender's city (Europe/Berlin)
  m.language = "en";
  m.text = "Could we have a video call on Monday?";
  EXPECT_EQ(top(m, "location"), "none");
}

TEST_F(Intent, AVisitCityInTheMailIsThePlaceOfAnInPersonMeeting) {
  Mail m;
  m.language = "de";
  m.text = "Ich bin am 17. und 18. Juni in Hamburg. Hast du Lust auf einen Kaffee?";
  auto r = run(m);
  EXPECT_EQ(r.at("location").variable.distribution.top().value, "Hamburg");
  const double in_text = r.at("location").variable.distribution.top_p();
  EXPECT_GE(in_text, 0.7);
  // Named only by the subject: weaker evidence.
  m.subject = "Kaffee in Hamburg?";
  m.text = "Hast du am 17. oder 18. Juni Lust auf einen Kaffee?";
  r = run(m);
  EXPECT_EQ(r.at("location").variable.distribution.top().value, "Hamburg");
  EXPECT_LT(r.at("location").variable.distribution.top_p(), in_text);
  // A move's city is why the sender cannot come, not where the meeting goes.
  m.subject.clear();
  m.text = "Ich muss am Donnerstag nach Hamburg. Können wir unseren Jour fixe verschieben? Mittwoch ginge.";
  EXPECT_EQ(top(m, "location"), "none");
  // A call has no place, wherever its people are.
  m.language = "en";
  m.subject.clear();
  m.text = "I'll be in Hamburg next week: could we have a quick call on Tuesday?";
  EXPECT_EQ(top(m, "location"), "none");
}

// ---- when ---------------------------------------------------------------------------------------------

TEST_F(Intent, ATimeTiedToAnUndatedEventIsAQuestion) {
  const Case cases[] = {
      {"en", "Can you set up coffee with Ben when he's in town? Half an hour is plenty.", "", "when he's in town"},
      {"en", "Let's have lunch once I'm back from Tokyo.", "", "once I'm back from Tokyo"},
      {"de", "Lass uns einen Kaffee trinken, wenn du in Berlin bist.", "", "wenn du in Berlin bist"},
      {"fr", "On prend un café quand tu seras de passage ?", "", "quand tu seras de passage"},
      {"es", "¿Quedamos para comer cuando vuelvas de Londres?", "", "cuando vuelvas de Londres"},
  };
  for (const Case& c : cases) {
    Mail m;
    m.language = c.language;
    m.text = c.text;
    const auto r = run(m);
    ASSERT_TRUE(r.count("when")) << c.text;
    const auto& a = r.at("when");
    EXPECT_EQ(a.variable.distribution.top().value, "open") << c.text;
    EXPECT_LT(a.variable.distribution.top_p(), 0.8) << c.text;  // a person is asked
    EXPECT_EQ(a.span.of(m.text), c.want) << c.text;
  }
  // Dated in the clause or elsewhere in the mail, about the scheduling itself, or nothing to schedule: no question.
  const Case none[] = {
      {"en", "Let's have lunch when you're in London next week.", "", ""},
      {"en", "When you're back, Tuesday or Wednesday would work for coffee.", "", ""},
      {"en", "Our assistant will send the invite once we have a time. Can we meet for coffee?", "", ""},
      {"en", "Thanks, I'll let you know when I'm back.", "", ""},
  };
  for (const Case& c : none) {
    Mail m;
    m.language = c.language;
    m.text = c.text;
    EXPECT_EQ(run(m).count("when"), 0u) << c.text;
  }
}

TEST_F(Intent, VenuesByTheirNounAndOfficesWithTheirCity) {
  Mail m;
  m.language = "de";
  m.text = "Hättest du nächste Woche Zeit? Mittwoch um 12:30 würde mir passen, am liebsten im Gasthaus Zur Linde am "
           "Zionskirchplatz.";
  m.subject = "Mittagessen?";
  EXPECT_EQ(top(m, "location"), "Gasthaus Zur Linde am Zionskirchplatz, Berlin");
  m.language = "en";
  m.subject.clear();
  m.text = "We'd like to invite you to an onsite at our New York office (88 Larch Street, 5th floor) next week.";
  EXPECT_EQ(top(m, "location"), "88 Larch Street, 5th floor, New York");
  m.text = "I'll be in London next week. Fancy a coffee on Tuesday? Tallow & Bean on Exmouth Market isn't far from "
           "your office.";
  EXPECT_EQ(top(m, "location"), "Tallow & Bean on Exmouth Market, London");
}

// ---- config ------------------------------------------------------------------------------------------------

TEST_F(Intent, ConfigErrorsNameTheirPlace) {
  const auto errors = plugin.config_errors("languages: [en, ees]\n");
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.front().to_string().find("1:17"), std::string::npos) << errors.front().to_string();
  EXPECT_NE(errors.front().to_string().find("no language file \"ees.yaml\""), std::string::npos);
}

TEST_F(Intent, ABrokenLanguageFileIsReportedWithItsLineAndColumn) {
  const auto dir = std::filesystem::temp_directory_path() / "tandem_intent_bad_lang";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "xx.yaml") << "language: xx\nrequest:\n  cancle: [abort]\nevent:\n  coffee: banana\n";
  const auto errors = plugin.config_errors("data_dir: \"" + dir.string() + "\"\n");
  std::string all;
  for (const auto& e : errors) all += e.to_string() + "\n";
  EXPECT_NE(all.find("xx.yaml:3:3: error: request.cancle: unknown key (did you mean \"cancel\"?)"), std::string::npos)
      << all;
  EXPECT_NE(all.find("xx.yaml:5:11: error: event.coffee: expected a list of phrases"), std::string::npos) << all;
  std::filesystem::remove_all(dir);
}

TEST_F(Intent, AnExtraFolderAddsALanguage) {
  const auto dir = std::filesystem::temp_directory_path() / "tandem_intent_extra_lang";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "it.yaml") << "language: it\nrequest:\n  ask: [possiamo]\nevent:\n  coffee: [caffè]\n";
  auto e = plugin.extractor("extra_data_dir: \"" + dir.string() + "\"\n");
  ASSERT_TRUE(e);
  Mail m;
  m.language = "it";
  m.text = "Possiamo prendere un caffè lunedì?";
  std::vector<Annotation> out;
  ASSERT_TRUE(e->extract(message(m), out).is_ok());
  std::map<std::string, std::string> tops;
  for (const auto& a : out) tops[a.variable.name] = a.variable.distribution.top().value;
  EXPECT_EQ(tops["request"], "schedule_new");
  EXPECT_EQ(tops["event_type"], "coffee");
  std::filesystem::remove_all(dir);
}

}  // namespace
