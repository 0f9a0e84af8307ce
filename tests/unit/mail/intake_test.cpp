#include "tandem/intake.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tandem/services.hpp"

namespace tandem {
namespace {

MailSpec spec_with_people() {
  MailSpec spec;
  spec.assistant = {"assistant@example.org"};
  Person jonas;
  jonas.name = "Jonas Weber";
  jonas.addresses = {"jonas@example.de"};
  jonas.zone = "Europe/Berlin";
  jonas.locale = "de_DE";
  spec.people.push_back(jonas);
  return spec;
}

std::string mail(const std::string& headers, const std::string& body) { return headers + "\r\n" + body; }

const std::string kGerman =
    "Hallo Jonas,\r\n\r\nhättest du nächste Woche Zeit für ein Mittagessen? Mittwoch um 12:30 würde mir passen.\r\n";

TEST(ReadMail, AKnownSendersZoneAndLocaleComeFromTheDirectory) {
  auto services = make_services();
  const std::string raw = mail(
      "From: Jonas Weber <Jonas@Example.de>\r\nTo: dana@example.com\r\nCc: Assistant <ASSISTANT@example.org>\r\n"
      "Subject: Termin\r\nDate: Tue, 24 Nov 2026 15:10:00 +0100\r\nMessage-ID: <a1@example.de>\r\n",
      kGerman);
  auto r = read_mail(raw, spec_with_people(), *services);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  const MailMessage& m = r.value();
  EXPECT_TRUE(m.sender_known);
  EXPECT_EQ(m.message.sender_zone, "Europe/Berlin");
  EXPECT_EQ(m.message.sender_locale, "de_DE");
  EXPECT_TRUE(m.context.empty()) << "nothing is inferred about a known sender";
  EXPECT_EQ(m.language, "de");
  EXPECT_TRUE(m.to_assistant);
  EXPECT_TRUE(m.assistant_cc);
  EXPECT_EQ(m.assistant_address, "ASSISTANT@example.org");
  EXPECT_EQ(m.message.from.name, "Jonas Weber");
  ASSERT_EQ(m.message.cc.size(), 1u);
  EXPECT_EQ(m.message.utc_offset_minutes, 60);
  EXPECT_EQ(m.message.sent, std::chrono::sys_days(std::chrono::year(2026) / 11 / 24) + std::chrono::hours(14) +
                                std::chrono::minutes(10));
  EXPECT_EQ(m.message.text, m.reply_text);
  EXPECT_NE(m.message.text.find("Mittwoch um 12:30"), std::string::npos);
}

TEST(ReadMail, AKnownSenderOnATripWritesFromTheTripsZone) {
  auto services = make_services();
  MailSpec spec = spec_with_people();
  Trip trip;
  trip.zone = "America/Los_Angeles";
  trip.from = std::chrono::year(2026) / 11 / 23;
  trip.to = std::chrono::year(2026) / 11 / 27;
  spec.people[0].travel.push_back(trip);
  const std::string head = "From: jonas@example.de\r\nTo: dana@example.com\r\nMessage-ID: <t1@example.de>\r\n";
  auto away = read_mail(mail(head + "Date: Tue, 24 Nov 2026 09:00:00 -0800\r\n", kGerman), spec, *services);
  ASSERT_TRUE(away.is_ok());
  EXPECT_EQ(away->message.sender_zone, "America/Los_Angeles");
  auto home = read_mail(mail(head + "Date: Mon, 30 Nov 2026 09:00:00 +0100\r\n", kGerman), spec, *services);
  ASSERT_TRUE(home.is_ok());
  EXPECT_EQ(home->message.sender_zone, "Europe/Berlin");
}

TEST(ReadMail, AnUnknownSendersZoneAndLocaleAreInferredAsVariablesNotGuessedSilently) {
  auto services = make_services();
  const std::string raw = mail(
      "From: Katrin <katrin@example.de>\r\nTo: jonas@example.de\r\nSubject: Mittag\r\n"
      "Date: Tue, 24 Nov 2026 15:10:00 +0100\r\nMessage-ID: <k1@example.de>\r\n",
      kGerman);
  auto r = read_mail(raw, spec_with_people(), *services);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  const MailMessage& m = r.value();
  EXPECT_FALSE(m.sender_known);
  EXPECT_FALSE(m.to_assistant);
  ASSERT_EQ(m.context.size(), 2u);
  EXPECT_EQ(m.context[0].variable.name, "sender.zone");
  EXPECT_EQ(m.context[0].variable.distribution.top().value, "Europe/Berlin");
  EXPECT_GE(m.context[0].variable.distribution.size(), 2u) << "other zones of +01:00 stay candidates";
  EXPECT_NE(m.context[0].note.find("+01:00"), std::string::npos) << m.context[0].note;
  EXPECT_EQ(m.context[1].variable.name, "sender.locale");
  EXPECT_EQ(m.context[1].variable.distribution.top().value, "de_DE");
  EXPECT_EQ(m.message.sender_zone, "Europe/Berlin");  // the best candidate, for reading times meanwhile
  EXPECT_EQ(m.message.sender_locale, "de_DE");
}

TEST(ReadMail, TheThreadIsTheFirstMessageReferencesName) {
  auto services = make_services();
  const MailSpec spec;
  const std::string head = "From: a@example.com\r\nTo: b@example.com\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n";
  auto chain = read_mail(mail(head + "Message-ID: <m3@x>\r\nIn-Reply-To: <m2@x>\r\nReferences: <m1@x> <m2@x>\r\n", "ok\r\n"),
                         spec, *services);
  ASSERT_TRUE(chain.is_ok());
  EXPECT_EQ(chain->message.thread_id, "m1@x");
  EXPECT_EQ(chain->message.message_id, "m3@x");
  auto answer = read_mail(mail(head + "Message-ID: <m3@x>\r\nIn-Reply-To: <m2@x>\r\n", "ok\r\n"), spec, *services);
  ASSERT_TRUE(answer.is_ok());
  EXPECT_EQ(answer->message.thread_id, "m2@x");
  auto first = read_mail(mail(head + "Message-ID: <m1@x>\r\n", "ok\r\n"), spec, *services);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(first->message.thread_id, "m1@x");
  // The same Message-ID is the same case, whatever the bytes around it.
  EXPECT_EQ(chain->message.id, answer->message.id);
  EXPECT_NE(chain->message.id, first->message.id);
  EXPECT_EQ(first->message.id.rfind("m-", 0), 0u);
  EXPECT_EQ(first->message.id.size(), 18u);
}

TEST(ReadMail, WithoutADateTheTimeOfReadingStandsInAndSaysSo) {
  auto services = make_services();
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto r = read_mail(mail("From: a@example.com\r\nSubject: x\r\n", "Tuesday at 3?\r\n"), MailSpec{}, *services);
  ASSERT_TRUE(r.is_ok());
  EXPECT_GE(r->message.sent, before);
  bool said = false;
  for (const auto& p : r->problems) said = said || p.find("no Date header") != std::string::npos;
  EXPECT_TRUE(said);
  // No Date, no offset: no zone is inferred from it; the locale still is, from the language.
  for (const auto& a : r->context) EXPECT_NE(a.variable.name, "sender.zone");
}

TEST(ReadMail, AnOffsetNoZoneHasIsReadAtThatOffsetAndSaidSo) {
  auto services = make_services();
  auto r = read_mail(mail("From: a@example.com\r\nDate: Tue, 24 Nov 2026 10:00:00 +1337\r\n", "Lunch Tuesday?\r\n"),
                     MailSpec{}, *services);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->message.sender_zone, "");
  EXPECT_EQ(r->message.utc_offset_minutes, 13 * 60 + 37);
  bool said = false;
  for (const auto& p : r->problems) said = said || p.find("+13:37") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(ReadMail, OverTheLimitIsAnErrorNamingTheKey) {
  auto services = make_services();
  MailSpec spec;
  spec.max_bytes = 2048;
  auto r = read_mail(mail("From: a@example.com\r\n", std::string(4096, 'x')), spec, *services);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("mail.max_bytes"), std::string::npos) << r.status().message();
}

TEST(SplitMbox, MessagesSeparatedAndFromLinesUnquoted) {
  const std::string mbox =
      "From a@example.com Tue Nov 24 10:00:00 2026\nSubject: one\n\nbody one\n>From the start\n>>From deeper\n\n"
      "From b@example.com Tue Nov 24 11:00:00 2026\nSubject: two\n\nbody two\n";
  const auto messages = split_mbox(mbox);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], "Subject: one\n\nbody one\nFrom the start\n>From deeper\n");
  EXPECT_EQ(messages[1], "Subject: two\n\nbody two\n");
  EXPECT_TRUE(split_mbox("no separator at all\n").empty());
}

}  // namespace
}  // namespace tandem
