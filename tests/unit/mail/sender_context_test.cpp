#include "mail/sender_context.hpp"

#include "tandem/services.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace tandem::detail::mail {
namespace {

using namespace std::chrono;

sys_seconds at(int y, unsigned m, unsigned d) { return sys_days(year(y) / month(m) / day(d)) + hours(12); }

std::string dump(const sdk::Distribution& d) {
  std::string s;
  for (const auto& c : d.candidates()) s += c.value + " " + std::to_string(c.p) + "; ";
  return s;
}

TEST(ZoneCandidates, AGermanWriterAtPlusOneInWinterIsMostLikelyInBerlinsRules) {
  const auto d = zone_candidates(at(2026, 11, 24), 60, "de");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d.top().value, "Europe/Berlin") << dump(d);
  // Paris, Vienna and Rome keep Berlin's offsets all winter and spring: one candidate, not four.
  for (const auto& c : d.candidates()) {
    EXPECT_NE(c.value, "Europe/Paris") << dump(d);
    EXPECT_NE(c.value, "Europe/Vienna") << dump(d);
  }
  // Zones of the same offset without summer time (West Africa) stay a candidate of their own.
  bool africa = false;
  for (const auto& c : d.candidates()) africa = africa || c.value.rfind("Africa/", 0) == 0;
  EXPECT_TRUE(africa) << dump(d);
  EXPECT_GT(d.top_p(), 0.7) << dump(d);
}

TEST(ZoneCandidates, TheLanguageOrAKnownRegionPicksAmongZonesOfOneOffset) {
  EXPECT_EQ(zone_candidates(at(2026, 11, 24), -5 * 60, "en").top().value, "America/New_York");
  EXPECT_EQ(zone_candidates(at(2026, 11, 24), -8 * 60, "en").top().value, "America/Los_Angeles");
  // Spanish at -05:00 in November: New York's rules or those of the zones without summer time (Bogotá,
  // Lima, Panamá): both likely, so a person is asked.
  const auto es = zone_candidates(at(2026, 11, 24), -5 * 60, "es");
  ASSERT_GE(es.size(), 2u) << dump(es);
  EXPECT_LT(es.top_p(), 0.8) << dump(es);
  EXPECT_GT(es.candidates()[1].p, 0.2) << dump(es);
  EXPECT_EQ(zone_candidates(at(2026, 11, 24), 60, "fr").top().value, "Europe/Paris");
  EXPECT_EQ(zone_candidates(at(2026, 11, 24), 60, "", "AT").top().value, "Europe/Vienna");
}

TEST(ZoneCandidates, AnOffsetOnlyOneZoneHasIsCertain) {
  const auto d = zone_candidates(at(2026, 11, 24), 5 * 60 + 30, "en");
  ASSERT_EQ(d.size(), 1u) << dump(d);
  EXPECT_EQ(d.top().value, "Asia/Kolkata");
  EXPECT_DOUBLE_EQ(d.top_p(), 1.0);
}

TEST(ZoneCandidates, TheOffsetIsTakenAtTheSentInstant) {
  // London is UTC+1 in July and UTC+0 in November.
  bool london_in_july = false;
  const auto july = zone_candidates(at(2026, 7, 1), 60, "en");
  for (const auto& c : july.candidates())
    london_in_july = london_in_july || c.value == "Europe/London" || c.value == "Europe/Dublin";  // one rule set
  EXPECT_TRUE(london_in_july) << dump(july);
  EXPECT_EQ(zone_candidates(at(2026, 11, 24), 0, "en", "GB").top().value, "Europe/London");
}

TEST(ZoneCandidates, AnOffsetNoZoneHasGivesNoCandidate) {
  EXPECT_TRUE(zone_candidates(at(2026, 11, 24), 13 * 60 + 37, "en").empty());
}

TEST(LocaleCandidates, TheLanguageWithTheRegionsOfTheZones) {
  const auto services = make_services();
  const sdk::LocaleFacts& facts = services->locale();
  EXPECT_EQ(locale_candidates("de", zone_candidates(at(2026, 11, 24), 60, "de"), facts).top().value, "de_DE");
  EXPECT_EQ(locale_candidates("en", zone_candidates(at(2026, 11, 24), 0, "en", "GB"), facts).top().value, "en_GB");
  EXPECT_EQ(locale_candidates("en", zone_candidates(at(2026, 11, 24), -5 * 60, "en"), facts).top().value, "en_US");
  EXPECT_EQ(locale_candidates("fr", sdk::Distribution(), facts).top().value, "fr_FR");
}

TEST(ZoneRegion, FromIcu) {
  EXPECT_EQ(zone_region("Europe/Berlin"), "DE");
  EXPECT_EQ(zone_region("America/Los_Angeles"), "US");
  EXPECT_EQ(zone_region("Etc/UTC"), "");
}

}  // namespace
}  // namespace tandem::detail::mail
