// IcuLocaleFacts: names, first day of week, numeric date order, hour clock, canonical ids, case folding,
// and a locale ICU has no data for.
#include "services/locale_facts.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::detail {
namespace {

using Names = std::vector<std::string>;

const IcuLocaleFacts& facts() {
  static const IcuLocaleFacts kFacts;
  return kFacts;
}

TEST(IcuLocaleFacts, MonthNamesAreStandaloneJanuaryFirst) {
  const auto de = facts().month_names("de_DE", sdk::NameWidth::wide);
  ASSERT_TRUE(de.is_ok()) << de.status().to_string();
  EXPECT_EQ(*de, (Names{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                        "Oktober", "November", "Dezember"}));
  EXPECT_EQ(facts().month_names("fr_FR", sdk::NameWidth::wide)->front(), "janvier");
  EXPECT_EQ(facts().month_names("es_ES", sdk::NameWidth::wide)->front(), "enero");
  EXPECT_EQ(facts().month_names("en_US", sdk::NameWidth::abbreviated)->at(8), "Sep");
  EXPECT_EQ(facts().month_names("en_GB", sdk::NameWidth::abbreviated)->at(8), "Sept");
  EXPECT_EQ(facts().month_names("fr_FR", sdk::NameWidth::abbreviated)->front(), "janv.");
  EXPECT_EQ(*facts().month_names("en_US", sdk::NameWidth::narrow),
            (Names{"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"}));
  // A BCP 47 tag in any case works the same.
  EXPECT_EQ(facts().month_names("de-de", sdk::NameWidth::wide)->at(2), "März");
}

TEST(IcuLocaleFacts, WeekdayNamesAreSundayFirst) {
  EXPECT_EQ(*facts().weekday_names("en_US", sdk::NameWidth::wide),
            (Names{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}));
  EXPECT_EQ(*facts().weekday_names("de_DE", sdk::NameWidth::wide),
            (Names{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}));
  EXPECT_EQ(facts().weekday_names("fr_FR", sdk::NameWidth::wide)->at(2), "mardi");
  EXPECT_EQ(facts().weekday_names("es_ES", sdk::NameWidth::wide)->at(3), "miércoles");
  EXPECT_EQ(facts().weekday_names("en_US", sdk::NameWidth::abbreviated)->at(4), "Thu");
  EXPECT_EQ(facts().weekday_names("en_US", sdk::NameWidth::narrow)->size(), 7u);
}

struct LocaleCase {
  const char* locale;
  int first_day;  // 0 = Sunday
  sdk::DateOrder order;
  bool h24;
};

TEST(IcuLocaleFacts, CalendarAndPatternFactsPerLocale) {
  const LocaleCase cases[] = {
      {"en_US", 0, sdk::DateOrder::mdy, false}, {"en_GB", 1, sdk::DateOrder::dmy, true},
      {"de_DE", 1, sdk::DateOrder::dmy, true},  {"fr_FR", 1, sdk::DateOrder::dmy, true},
      {"es_ES", 1, sdk::DateOrder::dmy, true},  {"ja_JP", 0, sdk::DateOrder::ymd, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.locale);
    const auto first = facts().first_day_of_week(c.locale);
    ASSERT_TRUE(first.is_ok()) << first.status().to_string();
    EXPECT_EQ(*first, c.first_day);
    EXPECT_EQ(*facts().date_order(c.locale), c.order);
    EXPECT_EQ(*facts().uses_24_hour_clock(c.locale), c.h24);
  }
}

TEST(IcuLocaleFacts, PatternScanningSkipsQuotedLiterals) {
  EXPECT_EQ(date_order_of_pattern("M/d/y"), sdk::DateOrder::mdy);
  EXPECT_EQ(date_order_of_pattern("dd/MM/y"), sdk::DateOrder::dmy);
  EXPECT_EQ(date_order_of_pattern("d.M.y"), sdk::DateOrder::dmy);
  EXPECT_EQ(date_order_of_pattern("y/M/d"), sdk::DateOrder::ymd);
  EXPECT_EQ(date_order_of_pattern("'day' d 'of' M y"), sdk::DateOrder::dmy);
  EXPECT_EQ(date_order_of_pattern("'y''d' M/d/y"), sdk::DateOrder::mdy);
  EXPECT_FALSE(pattern_has_24_hour_clock("h a"));
  EXPECT_TRUE(pattern_has_24_hour_clock("HH 'Uhr'"));
  EXPECT_TRUE(pattern_has_24_hour_clock("HH 'h'"));
  EXPECT_FALSE(pattern_has_24_hour_clock("'H' h a"));
  EXPECT_TRUE(pattern_has_24_hour_clock("k"));
  EXPECT_FALSE(pattern_has_24_hour_clock("K a"));
}

TEST(IcuLocaleFacts, CanonicalIds) {
  EXPECT_EQ(*facts().canonical("de-de"), "de_DE");
  EXPECT_EQ(*facts().canonical("de_DE"), "de_DE");
  EXPECT_EQ(*facts().canonical("EN-gb"), "en_GB");
  EXPECT_EQ(*facts().canonical("sr-Latn-RS"), "sr_Latn_RS");
  EXPECT_TRUE(facts().has_locale("de-de"));
  EXPECT_TRUE(facts().has_locale("en_GB"));
  EXPECT_TRUE(facts().has_locale("fr"));
}

TEST(IcuLocaleFacts, FoldCaseIsFullUnicodeFolding) {
  EXPECT_EQ(facts().fold_case("Straße"), "strasse");
  EXPECT_EQ(facts().fold_case("STRASSE"), "strasse");
  EXPECT_EQ(facts().fold_case("ΣΊΣΥΦΟΣ"), "σίσυφοσ");
  EXPECT_EQ(facts().fold_case("ﬁne Ǆ"), "fine ǆ");
  EXPECT_EQ(facts().fold_case("Tuesday AFTER next"), "tuesday after next");
  EXPECT_EQ(facts().fold_case(""), "");
}

TEST(IcuLocaleFacts, BogusLocalesAreRefusedNotAnsweredFromRoot) {
  EXPECT_FALSE(facts().has_locale("zz_ZZ"));
  EXPECT_FALSE(facts().has_locale("!!!"));
  EXPECT_FALSE(facts().has_locale(""));

  const auto unknown = facts().month_names("zz_ZZ", sdk::NameWidth::wide);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().code(), sdk::Code::not_found);
  EXPECT_EQ(unknown.status().message(), "unknown locale \"zz_ZZ\": ICU has no data for the language \"zz\"");
  EXPECT_EQ(facts().first_day_of_week("zz_ZZ").status().code(), sdk::Code::not_found);
  EXPECT_EQ(facts().date_order("zz_ZZ").status().code(), sdk::Code::not_found);
  EXPECT_EQ(facts().uses_24_hour_clock("zz_ZZ").status().code(), sdk::Code::not_found);

  const auto garbage = facts().canonical("!!!");
  ASSERT_FALSE(garbage.is_ok());
  EXPECT_EQ(garbage.status().code(), sdk::Code::invalid_input);
  EXPECT_EQ(garbage.status().message(),
            "\"!!!\" is not a locale id (expected an ICU id such as \"en_GB\" or a BCP 47 tag such as \"en-GB\")");
  EXPECT_EQ(facts().weekday_names("de DE", sdk::NameWidth::wide).status().code(), sdk::Code::invalid_input);
  EXPECT_EQ(facts().canonical("").status().message(), "no locale given (an ICU id such as \"en_GB\" is needed)");
}

}  // namespace
}  // namespace tandem::detail
