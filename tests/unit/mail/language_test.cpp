#include "mail/language.hpp"

#include <gtest/gtest.h>

namespace tandem::detail::mail {
namespace {

TEST(DetectLanguage, ShortSchedulingMailInEachLanguage) {
  EXPECT_EQ(detect_language("I'm out next week, but could we grab coffee the Tuesday after at 3?").top().value, "en");
  EXPECT_EQ(detect_language("Hättest du nächste Woche Zeit für ein Mittagessen? Dienstag passt mir gut.").top().value, "de");
  EXPECT_EQ(detect_language("Bonjour, pourrions-nous nous voir mardi prochain pour un café ?").top().value, "fr");
  EXPECT_EQ(detect_language("Hola, ¿quedamos el martes para comer? Estoy libre a las dos.").top().value, "es");
  EXPECT_EQ(detect_language("Ciao, possiamo fare una riunione domani alle 10? Grazie").top().value, "it");
}

TEST(DetectLanguage, FewWordsGiveAFlatterDistribution) {
  const auto long_text = detect_language("Could we meet next week on Tuesday? Thanks, and let me know if that works for you.");
  const auto short_text = detect_language("Tuesday?");
  ASSERT_FALSE(short_text.empty());
  EXPECT_EQ(short_text.top().value, "en");
  EXPECT_GT(long_text.top_p(), short_text.top_p());
  EXPECT_GT(long_text.top_p(), 0.7);
}

TEST(DetectLanguage, NoKnownWordGivesNothing) {
  EXPECT_TRUE(detect_language("12:30 — 14:00 ✓").empty());
  EXPECT_TRUE(detect_language("").empty());
}

}  // namespace
}  // namespace tandem::detail::mail
