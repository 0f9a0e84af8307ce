// Behaviour of tandem.extractor.time_rules: the TimeExpressions its parser builds per convention and per
// locale (no resolver needed), its config errors through the real host, and end to end through the
// host's resolver (skipped while the host cannot resolve yet).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lexicon.hpp"
#include "parser.hpp"
#include "tandem/conformance/plugin_under_test.hpp"
#include "tandem/services.hpp"

namespace {

using namespace tandem::plugins::time_rules;
using tandem::sdk::DayRef;
using tandem::sdk::Meridiem;
using tandem::sdk::PartOfDay;
using tandem::sdk::TimeExpression;
using tandem::sdk::TimePoint;

std::shared_ptr<tandem::sdk::Services> services() {
  static auto s = tandem::make_services();
  return s;
}

// The lexicon for a locale, from the source data files and the host's ICU facts.
const Lexicon& lexicon(const std::string& locale) {
  static std::map<std::string, std::unique_ptr<Lexicon>> cache;
  auto& slot = cache[locale];
  if (!slot) {
    const std::string lang = locale.substr(0, 2);
    std::vector<std::string> errors;
    LanguageData data;
    EXPECT_TRUE(load_language(std::string(TIME_RULES_DATA_DIR) + "/" + lang + ".yaml", data, errors));
    std::unordered_map<std::string, std::string> zones;
    EXPECT_TRUE(load_zone_abbreviations(std::string(TIME_RULES_DATA_DIR) + "/zones.yaml", zones, errors));
    EXPECT_EQ(errors, std::vector<std::string>{});
    const auto& f = services()->locale();
    LocaleWords w;
    w.months_wide = f.month_names(locale, tandem::sdk::NameWidth::wide).value();
    w.months_abbr = f.month_names(locale, tandem::sdk::NameWidth::abbreviated).value();
    w.weekdays_wide = f.weekday_names(locale, tandem::sdk::NameWidth::wide).value();
    w.weekdays_abbr = f.weekday_names(locale, tandem::sdk::NameWidth::abbreviated).value();
    const auto order = f.date_order(locale).value();
    w.order = order == tandem::sdk::DateOrder::mdy ? LocaleWords::Order::mdy : LocaleWords::Order::dmy;
    w.h24 = f.uses_24_hour_clock(locale).value();
    w.first_day = f.first_day_of_week(locale).value();
    auto s = services();
    slot = std::make_unique<Lexicon>(data, w, zones, [s](std::string_view t) { return s->locale().fold_case(t); });
  }
  return *slot;
}

std::string describe_day(const DayRef& d) {
  static const char* modes[] = {"", "/this", "/next", "/next_only", "/last", "/in_week"};
  std::string s;
  switch (d.kind) {
    case DayRef::Kind::none: return "";
    case DayRef::Kind::relative: s = "rel" + std::string(d.offset >= 0 ? "+" : "") + std::to_string(d.offset); break;
    case DayRef::Kind::weekday: s = "wd" + std::to_string(d.weekday) + modes[static_cast<int>(d.mode)]; break;
    case DayRef::Kind::date:
      s = "date " + (d.year ? std::to_string(d.year) + "-" : std::string()) + std::to_string(d.month) + "-" +
          std::to_string(d.day);
      if (d.weekday >= 0) s += " wd" + std::to_string(d.weekday);
      break;
    case DayRef::Kind::day_of_month:
      s = "dom " + std::to_string(d.day);
      if (d.weekday >= 0) s += " wd" + std::to_string(d.weekday);
      break;
    case DayRef::Kind::week:
      s = d.month ? "week of " + std::to_string(d.month) + "-" + std::to_string(d.day)
                  : "week" + std::string(modes[static_cast<int>(d.mode)]);
      break;
    case DayRef::Kind::rest_of_week: s = "rest_of_week"; break;
    case DayRef::Kind::end_of_week: s = "eow"; break;
    case DayRef::Kind::month: s = d.month ? "month " + std::to_string(d.month) : "month +" + std::to_string(d.offset); break;
    case DayRef::Kind::iso_week: s = "kw " + std::to_string(d.week_number); break;
  }
  if (d.mode == DayRef::Mode::in_week) s += "+" + std::to_string(d.offset);
  if (d.plus_days) s += " +" + std::to_string(d.plus_days) + "d";
  if (d.past) s += " past";
  return s;
}

std::string describe_point(const TimePoint& p) {
  static const char* parts[] = {"", "morning", "afternoon", "evening", "night", "lunch", "noon", "midnight", "eod"};
  static const char* mer[] = {"?", "am", "pm", "h"};
  std::string s = describe_day(p.day);
  if (p.clock.hour >= 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d:%02d%s", p.clock.hour, p.clock.minute, mer[static_cast<int>(p.clock.meridiem)]);
    s += (s.empty() ? "" : " ") + std::string(buf);
  }
  if (p.part != PartOfDay::none) s += (s.empty() ? "" : " ") + std::string(parts[static_cast<int>(p.part)]);
  return s;
}

// "at wd2/next 3:00? | positive": shape, from [- to], [@zone], polarity.
std::string describe(const Found& f) {
  static const char* shapes[] = {"at", "range", "after", "before", "by"};
  std::string s = shapes[static_cast<int>(f.expression.shape)];
  s += " " + describe_point(f.expression.from);
  if (f.expression.shape == TimeExpression::Shape::range) s += " - " + describe_point(f.expression.to);
  if (!f.expression.zone.empty()) s += " @" + f.expression.zone;
  s += " | " + std::string(to_string(f.polarity));
  return s;
}

std::vector<std::string> read(const std::string& locale, const std::string& text,
                              std::chrono::year_month_day today = std::chrono::year{2026} / 11 / 23) {
  std::vector<std::string> out;
  for (const auto& f : parse(text, lexicon(locale), today)) out.push_back(describe(f));
  return out;
}

using V = std::vector<std::string>;

// ---- English: days, clocks, ranges, shapes
// The tokenizer folds ASCII and Latin-1 letters itself; its words must be those of the host's fold_case,
// and a capital the same. Every code point U+00C0..U+00FF first, inside and last in a word, and other scripts.
TEST(TimeRulesTokenize, FoldsLikeTheHost) {
  const Lexicon& lex = lexicon("de_DE");
  const auto& facts = services()->locale();
  std::vector<std::string> words = {"MÄRZ", "Größe", "STRASSE", "Ärger", "ßa", "İstanbul", "Ωmega", "naïve", "ÉtÉ", "Ÿ"};
  for (unsigned b = 0x80; b <= 0xBF; ++b) {
    const std::string letter{static_cast<char>(0xC3), static_cast<char>(b)};
    words.push_back(letter + "x");
    words.push_back("X" + letter + "Y");
    words.push_back("a" + letter);
  }
  for (const std::string& w : words) {
    std::vector<Token> tokens;
    std::string store;
    lex.tokenize(w, tokens, store);
    std::string joined;
    bool capital = false;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      joined += tokens[k].text;
      if (k == 0) capital = tokens[k].capital;
    }
    EXPECT_EQ(joined, facts.fold_case(w)) << w;  // the signs U+00D7 and U+00F7 are tokens of their own
    if (!tokens.empty()) {
      const std::size_t first_len = static_cast<unsigned char>(w[0]) < 0x80 ? 1 : 2;
      EXPECT_EQ(capital, facts.fold_case(w.substr(0, first_len)) != w.substr(0, first_len)) << w;
    }
  }
}

// Words the host folds longer than they are written ("ß" to "ss") outgrow the tokenizer's store: every
// token made before, and after, still reads its folded word.
TEST(TimeRulesTokenize, WordsStayReadableWhenFoldingLengthens) {
  const Lexicon& lex = lexicon("de_DE");
  const auto& facts = services()->locale();
  std::string text;
  std::vector<std::string> words;
  for (int k = 0; k < 40; ++k) {
    // ("İ" is two bytes, folded three: the words of İ alone need more room than the whole text.)
    for (const char* w : {"Größe", "STRAẞE", "Donnerstag", "İİİİİİİİ", "Fußball", "Mittwochabend", "İstanbul"}) {
      words.emplace_back(w);
      text += w;
      text += ' ';
    }
  }
  std::vector<Token> tokens;
  std::string store;
  lex.tokenize(text, tokens, store);
  ASSERT_EQ(tokens.size(), words.size());
  for (std::size_t k = 0; k < words.size(); ++k) EXPECT_EQ(tokens[k].text, facts.fold_case(words[k])) << k << " " << words[k];
  EXPECT_NE(tokens[2].word, kWordNone);  // "donnerstag", a weekday of the lexicon, found by its folded text
}

// ASCII words are read eight bytes at a time: words of every length from 1 to 24 bytes, in three casings,
// alone (the text ending inside the first eight bytes), first, last and between others, fold as the host
// folds them, keep their flags, and find the same vocabulary entry as their folded text.
TEST(TimeRulesTokenize, WordsOfEveryLengthAndCasing) {
  const Lexicon& lex = lexicon("en_US");
  const auto& facts = services()->locale();
  const std::string letters = "wednesdayafternoonthursdayx";
  std::vector<std::string> words = {"a", "at", "pm", "noon", "next", "Friday", "tomorrow", "afternoon", "wednesday",
                                    "o", "ET", "CET", "IST"};
  for (std::size_t n = 1; n <= 24; ++n) words.push_back(letters.substr(0, n));
  for (const std::string& base : words) {
    std::string upper = base, capital = base;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    capital[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capital[0])));
    for (const std::string& w : {base, upper, capital}) {
      for (const std::string& text : {w, w + " 3pm", "at " + w, "x " + w + ", y", w + "é"}) {
        std::vector<Token> tokens;
        std::string store;
        lex.tokenize(text, tokens, store);
        const auto at = std::find_if(tokens.begin(), tokens.end(), [&](const Token& t) {
          return t.begin == text.find(w) && t.kind == Token::Kind::word;
        });
        ASSERT_NE(at, tokens.end()) << text;
        const std::string raw = text.substr(at->begin, at->end - at->begin);
        EXPECT_EQ(at->text, facts.fold_case(raw)) << text;
        EXPECT_EQ(at->capital, std::isupper(static_cast<unsigned char>(raw[0])) != 0) << text;
        if (raw.find('\xC3') == std::string::npos) {  // (all capitals: at least two ASCII letters, none small)
          const bool all_caps = raw.size() >= 2 && std::all_of(raw.begin(), raw.end(), [](char c) {
            return std::isupper(static_cast<unsigned char>(c)) != 0;
          });
          EXPECT_EQ(at->upper, all_caps) << text;
        }
        EXPECT_EQ(lex.word(*at), lex.word(std::string_view(at->text))) << text;
      }
    }
  }
  // Words the vocabulary has are found in every casing; words it lacks are not.
  std::vector<Token> tokens;
  std::string store;
  lex.tokenize("TOMORROW Tomorrow tomorrow Wednesdayafternoonx", tokens, store);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_NE(lex.word(tokens[0]), nullptr);
  EXPECT_EQ(lex.word(tokens[0]), lex.word(tokens[1]));
  EXPECT_EQ(lex.word(tokens[1]), lex.word(tokens[2]));
  EXPECT_EQ(lex.word(tokens[3]), nullptr);
}

TEST(TimeRulesParse, EnglishWeekdaysAndClockRule) {
  EXPECT_EQ(read("en_US", "Would Tuesday at 3 work for a quick phone screen?"), V{"at wd2 3:00? | positive"});
  EXPECT_EQ(read("en_US", "Can we talk Thursday at 7?"), V{"at wd4 7:00? | positive"});
  EXPECT_EQ(read("en_US", "Next Tuesday at 11 works well for the panel."), V{"at wd2/next 11:00? | positive"});
  EXPECT_EQ(read("en_US", "This Thursday at 4pm ET would be ideal."), V{"at wd4/this 4:00pm @ET | positive"});
  EXPECT_EQ(read("en_US", "tmrw at 2 work for you?"), V{"at rel+1 2:00? | positive"});
  EXPECT_EQ(read("en_US", "How about the day after tomorrow, say 2pm?"), V{"at rel+2 2:00pm | positive"});
  EXPECT_EQ(read("en_US", "half past three on Wednesday?"), V{"at wd3 3:30? | positive"});
  EXPECT_EQ(read("en_US", "Quarter to four Thursday works; I'll send an invite."), V{"at wd4 3:45? | positive"});
  EXPECT_EQ(read("en_US", "thurs 3 pm-ish works on my end"), V{"at wd4 3:00pm | positive"});
  EXPECT_EQ(read("en_US", "The team would love to take you to dinner Friday at 7."),
            V{"at wd5 7:00? evening | positive"});
  EXPECT_EQ(read("en_US", "Can we schedule the call for 9 tonight? I'm on the West Coast."),
            V{"at rel+0 9:00? evening | positive"});
}

// "3 o'clock" is said on a 12-hour dial, in en_GB too; "7 Uhr" in German is 07:00.
TEST(TimeRulesParse, OclockFollowsTheLanguage) {
  EXPECT_EQ(read("en_GB", "Could we do 3 o'clock on Friday?"), V{"at wd5 3:00? | positive"});
  EXPECT_EQ(read("de_DE", "Ginge auch 7 Uhr am Montag?"), V{"at wd1 7:00h | positive"});
}

TEST(TimeRulesParse, EnglishDatesFollowTheLocaleOrder) {
  EXPECT_EQ(read("en_US", "Please hold 4/10 for the final round."), V{"at date 4-10 | positive"});
  EXPECT_EQ(read("en_GB", "Could we meet on 4/10 instead?"), V{"at date 10-4 | positive"});
  EXPECT_EQ(read("en_GB", "Shall we say 10/04/2026 at 14:00?"), V{"at date 2026-4-10 14:00h | positive"});
  EXPECT_EQ(read("en_US", "Let's book the onsite for March 3, 2027."), V{"at date 2027-3-3 | positive"});
  EXPECT_EQ(read("en_US", "How's noon on the 14th?"), V{"at dom 14 12:00h | positive"});
  EXPECT_EQ(read("en_GB", "Would Tuesday 11 March at 2pm work for the final round?"),
            V{"at date 3-11 wd2 2:00pm | positive"});
  EXPECT_EQ(read("en_US", "Friday the 13th at 2 could work, oddly enough."), V{"at dom 13 wd5 2:00? | positive"});
  EXPECT_EQ(read("en_US", "The 2nd is a no-go for me; the 3rd or 4th would be better."),
            (V{"at dom 2 | negative", "at dom 3 | positive", "at dom 4 | positive"}));
}

TEST(TimeRulesParse, EnglishRangesAndShapes) {
  EXPECT_EQ(read("en_US", "Tue 2-4 or Wed after 3?"), (V{"range wd2 2:00? - 4:00? | positive", "after wd3 3:00? | positive"}));
  EXPECT_EQ(read("en_US", "I'm free between 2 and 4 on Thursday."), V{"range wd4 2:00? - wd4 4:00? | positive"});
  EXPECT_EQ(read("en_US", "Can you do a 1-hour panel 1-2pm on 11/12?"),
            V{"range date 11-12 1:00pm - date 11-12 2:00pm | positive"});
  EXPECT_EQ(read("en_US", "I'm on PTO from the 24th to the 28th."), V{"range dom 24 - dom 28 | negative"});
  EXPECT_EQ(read("en_US", "The team is at an offsite Sept 20-21, so please avoid those days."),
            V{"range date 9-20 - date 9-21 | negative"});
  EXPECT_EQ(read("en_US", "Can we get the call in before Friday?"), V{"before wd5 | positive"});
  EXPECT_EQ(read("en_US", "Please send over your availability by EOD."), V{"by eod | neutral"});
  EXPECT_EQ(read("en_US", "From Monday on I'm back at my desk, so any time works."), V{"after wd1 | positive"});
  EXPECT_EQ(read("en_US", "Our offices are closed 12/24 through 1/1, so let's aim for 1/4 or later."),
            (V{"range date 12-24 - date 1-1 | negative", "after date 1-4 | positive"}));
  EXPECT_EQ(read("en_US", "I'm free today until noon if that's easier."), V{"by rel+0 12:00h | positive"});
}

// A comparison of preference refuses its second term, in each language's word order; a `than` word with no
// item before it in its comma-clause ("il vaut mieux que ce soit ...": better that it be) compares nothing,
// and "later than" is no preference.
TEST(TimeRulesParse, ComparisonsOfPreferenceRefuseTheSecondTerm) {
  EXPECT_EQ(read("en_US", "Wednesday at 10 works better than Thursday."),
            (V{"at wd3 10:00? | positive", "at wd4 | negative"}));
  EXPECT_EQ(read("en_GB", "I'd rather meet on Monday than on Tuesday or Wednesday."),
            (V{"at wd1 | positive", "at wd2 | negative", "at wd3 | negative"}));
  EXPECT_EQ(read("de_DE", "Mittwoch um 10 wäre mir lieber als Donnerstag."),
            (V{"at wd3 10:00? | positive", "at wd4 | negative"}));
  EXPECT_EQ(read("fr_FR", "Jeudi me semble mieux que vendredi."), (V{"at wd4 | positive", "at wd5 | negative"}));
  EXPECT_EQ(read("es_ES", "Mejor el martes por la tarde que el viernes."),
            (V{"at wd2 afternoon | positive", "at wd5 | negative"}));
  EXPECT_EQ(read("es_ES", "Preferiría el jueves por la mañana antes que el viernes por la tarde."),
            (V{"at wd4 morning | positive", "at wd5 afternoon | negative"}));
  EXPECT_EQ(read("fr_FR", "Il vaut mieux que ce soit jeudi."), V{"at wd4 | positive"});
  EXPECT_EQ(read("fr_FR", "Le mercredi, il vaut mieux que ce soit le matin."), V{"at wd3 morning | positive"});
  EXPECT_EQ(read("es_ES", "Mejor que sea el jueves."), V{"at wd4 | positive"});
  EXPECT_EQ(read("es_ES", "Prefiero que sea el jueves."), V{"at wd4 | positive"});
  EXPECT_EQ(read("en_US", "Anything later than 3pm on Friday works."), V{"at wd5 3:00pm | positive"});
}

// A weekday refused after a date is placed in the date's week, unless that is the date itself: the writer
// refuses another such weekday (5 March 2026 is a Thursday).
TEST(TimeRulesParse, ARefusedWeekdayIsNotTheDateJustOffered) {
  const auto today = std::chrono::year{2026} / 2 / 23;
  EXPECT_EQ(read("en_GB", "Could we do 5/3 at 2pm instead of Thursday?", today),
            (V{"at date 3-5 2:00pm | positive", "at wd4 | negative"}));
  EXPECT_EQ(read("en_GB", "Could we do 5/3 at 2pm instead of Friday?", today),
            (V{"at date 3-5 2:00pm | positive", "at wd5/in_week+1 | negative"}));
  EXPECT_EQ(read("es_ES", "Podemos el 5 de marzo a las 16:00 en vez del jueves.", today),
            (V{"at date 3-5 16:00h | positive", "at wd4 | negative"}));
}

// German days of the month written "am 25." are days whatever word follows, and 24 is the 24th (not the
// hour 24, which is 0), as are days past any hour (25 to 31).
TEST(TimeRulesParse, GermanDottedDaysBeforeAnyWord) {
  EXPECT_EQ(read("de_DE", "Können wir am 24. telefonieren?"), V{"at dom 24 | positive"});
  EXPECT_EQ(read("de_DE", "Können wir am 25. telefonieren?"), V{"at dom 25 | positive"});
  EXPECT_EQ(read("de_DE", "Version 2.3 ist fertig; können wir sie am 31. besprechen?"), V{"at dom 31 | positive"});
  EXPECT_EQ(read("de_DE", "Können wir am 3. telefonieren?"), V{"at dom 3 | positive"});
  EXPECT_EQ(read("de_DE", "Bis 24. brauche ich eine Antwort."), V{"by dom 24 | neutral"});
}

TEST(TimeRulesParse, EnglishWeeksAndContext) {
  EXPECT_EQ(read("en_US", "I'm out next week, but could we grab coffee the Tuesday after at 3?"),
            (V{"at week/next | negative", "at wd2/in_week+2 3:00? | positive"}));
  EXPECT_EQ(read("en_US", "I'm traveling next week; the following week is better."),
            (V{"at week/next | negative", "at week/in_week+2 | positive"}));
  EXPECT_EQ(read("en_US", "Tuesday or Wednesday of next week works for the panel."),
            (V{"at wd2/in_week+1 | positive", "at wd3/in_week+1 | positive"}));
  EXPECT_EQ(read("en_US", "Any day next week except Wednesday."),
            (V{"at week/next | positive", "at wd3/in_week+1 | negative"}));
  EXPECT_EQ(read("en_US", "Could we do next Friday afternoon instead of this Friday?"),
            (V{"at wd5/next_only afternoon | positive", "at wd5/this | negative"}));
  EXPECT_EQ(read("en_US", "I'm out the week of July 5th; the week after works."),
            (V{"at week of 7-5 | negative", "at week of 7-5 +7d | positive"}));
  EXPECT_EQ(read("en_US", "Is there any time later this week that works for you?"), V{"at rest_of_week | positive"});
  // today is Monday 2026-11-23: the week of March 9 (2027) is 15 weeks after this one (en_US weeks start on Sunday)
  EXPECT_EQ(read("en_US", "I'm traveling the week of March 9, but the following Monday works."),
            (V{"at week of 3-9 | negative", "at wd1/in_week+16 | positive"}));
  EXPECT_EQ(read("en_US", "Let's meet Tuesday the week of Dec 7."), V{"at wd2/in_week+2 | positive"});
  // "the following week" after a named day: the week after that day's week (en_US weeks start on Sunday)
  EXPECT_EQ(read("en_US", "I'm out Thursday; the following week works."),
            (V{"at wd4 | negative", "at week/in_week+1 | positive"}));
  EXPECT_EQ(read("en_US", "I'm out Sunday; the following week works."),
            (V{"at wd0 | negative", "at week/in_week+2 | positive"}));
  EXPECT_EQ(read("en_GB", "I'm out Sunday; the week after is better."),
            (V{"at wd0 | negative", "at week/in_week+1 | positive"}));
  EXPECT_EQ(read("es_ES", "No estoy la semana del 9 de marzo; el lunes siguiente sí."),
            (V{"at week of 3-9 | negative", "at wd1/in_week+16 | positive"}));
  EXPECT_EQ(read("en_US", "I'll have feedback for you EOW."), V{"at eow | neutral"});
  EXPECT_EQ(read("en_US", "Let's meet again in 2 weeks to review progress."), V{"at rel+14 | positive"});
  EXPECT_EQ(read("en_US", "I'm out all of August, but September is wide open."),
            (V{"at month 8 | negative", "at month 9 | positive"}));
}

TEST(TimeRulesParse, EnglishZonesAndSameTimeTwice) {
  EXPECT_EQ(read("en_US", "Let's connect Thursday at 11am ET / 8am PT."), V{"at wd4 11:00am @ET | positive"});
  EXPECT_EQ(read("en_US", "2pm ET / 11am PT on Thursday works for both offices."), V{"at wd4 2:00pm @ET | positive"});
  EXPECT_EQ(read("en_GB", "Could you do 9am New York time on Thursday?"), V{"at wd4 9:00am @New York | positive"});
  EXPECT_EQ(read("en_US", "Let's do 9:30 Pacific on Tuesday."), V{"at wd2 9:30? @PT | positive"});
  EXPECT_EQ(read("de_DE", "Um 16 Uhr MEZ am Dienstag?"), V{"at wd2 16:00h @MEZ | positive"});
  EXPECT_EQ(read("en_US", "Let's do 15:00 CET on Thursday so the Berlin team can join."),
            V{"at wd4 15:00h @CET | positive"});
}

TEST(TimeRulesParse, EnglishPolarityAndPast) {
  EXPECT_EQ(read("en_US", "I can't do Tuesday, but Wednesday at 3 works for me."),
            (V{"at wd2 | negative", "at wd3 3:00? | positive"}));
  EXPECT_EQ(read("en_US", "The interview last Tuesday went well, and the team would like to move forward."),
            V{"at wd2/last | neutral"});
  EXPECT_EQ(read("en_GB", "The panel on Monday went well. Thanks for your patience."), V{"at wd1 past | neutral"});
  EXPECT_EQ(read("en_US", "Please confirm by tomorrow noon."), V{"by rel+1 12:00h | neutral"});
  EXPECT_EQ(read("en_US", "We need the signed offer back no later than Friday."), V{"before wd5 | neutral"});
  EXPECT_EQ(read("en_US", "Can you confirm that Tuesday at 3 works?"), V{"at wd2 3:00? | positive"});
  EXPECT_EQ(read("en_US", "I'm free all day Thursday except 12-1."),
            (V{"at wd4 | positive", "range wd4 12:00? - 1:00? | negative"}));
  EXPECT_EQ(read("en_US", "I can't make it at 2 today. Could we push to 2:30?"),
            (V{"at rel+0 2:00? | negative", "at rel+0 2:30? | positive"}));
}

// Judgements ("tough", "too early") refuse a time, unless a question offers it anyway; a condition ("if",
// "wenn", "si") keeps its cues; a contrast word after the first words of a clause opens the clause at its
// comma; a negation may follow the time elliptically ("Thursday doesn't").
TEST(TimeRulesParse, PolarityJudgementsConditionsAndContrast) {
  EXPECT_EQ(read("en_US", "Friday at noon works; Thursday doesn't."),
            (V{"at wd5 12:00h | positive", "at wd4 | negative"}));
  EXPECT_EQ(read("en_US", "The week of January 11 is tough for me."), V{"at week of 1-11 | negative"});
  EXPECT_EQ(read("en_US", "Would 8am on Monday be too early for you?"), V{"at wd1 8:00am | positive"});
  EXPECT_EQ(read("en_US", "Monday at 8am would be too early for me."), V{"at wd1 8:00am | negative"});
  EXPECT_EQ(read("en_US", "Next Saturday could work if weekdays are tough for you."), V{"at wd6/next | positive"});
  EXPECT_EQ(read("en_GB", "Tuesday is tricky, however Wednesday works."), (V{"at wd2 | negative", "at wd3 | positive"}));
  EXPECT_EQ(read("de_DE", "Am Mittwoch kann ich leider nicht, Donnerstag Vormittag aber gern."),
            (V{"at wd3 | negative", "at wd4 morning | positive"}));
  EXPECT_EQ(read("de_DE", "Freitag ist schwierig, wenn es geht lieber Montag."),
            (V{"at wd5 | negative", "at wd1 | positive"}));
  EXPECT_EQ(read("fr_FR", "Lundi, c'est compliqué ; mardi, en revanche, ça marche."),
            (V{"at wd1 | negative", "at wd2 | positive"}));
  EXPECT_EQ(read("es_ES", "El lunes lo tengo difícil; el martes, en cambio, me va bien."),
            (V{"at wd1 | negative", "at wd2 | positive"}));
  EXPECT_EQ(read("es_ES", "En 3 días lo hablamos."), V{"at rel+3 | positive"});
  // a deadline for a reply whose verb is split around the time ("geben Sie mir bis Freitag Bescheid")
  EXPECT_EQ(read("de_DE", "Bitte geben Sie mir bis Freitag Bescheid."), V{"by wd5 | neutral"});
  // a meal said as a verb sets the part of day as the noun does ("¿Comemos juntos el jueves?": lunch)
  EXPECT_EQ(read("es_ES", "¿Comemos juntos el jueves?"), V{"at wd4 lunch | positive"});
  // a time the words put in the past is mentioned, even when the clause judges it
  EXPECT_EQ(read("de_DE", "Letzte Woche war stressig, aber diesen Donnerstag um 14 Uhr passt es."),
            (V{"at week/last | neutral", "at wd4/this 14:00h | positive"}));
  EXPECT_EQ(read("de_DE", "Im Januar habe ich viel zu tun, im Februar passt es besser."),
            (V{"at month 1 | negative", "at month 2 | positive"}));
  EXPECT_EQ(read("en_US", "Let's kick off on 1/6/2027 at 10am."), V{"at date 2027-1-6 10:00am | positive"});
  // the tail of an exclusion opens no "after": "apart from Wednesday" is the day
  EXPECT_EQ(read("en_GB", "Any day next week apart from Wednesday is fine."),
            (V{"at week/next | positive", "at wd3/in_week+1 | negative"}));
}

TEST(TimeRulesParse, EnglishMessagesWithHeadersCorrectionsAndLists) {
  EXPECT_EQ(read("en_US", "On Mon, Nov 2, 2026 at 9:14 AM Alex wrote:\n> Are you free Tuesday?\nYes, Tuesday at 3 works."),
            (V{"at wd2 | positive", "at wd2 3:00? | positive"}));
  EXPECT_EQ(read("en_US", "Sorry, I meant Thursday, not Tuesday."), (V{"at wd4 | positive", "at wd2 | neutral"}));
  EXPECT_EQ(read("de_DE", "Entschuldigung, ich meinte Mittwoch, nicht Dienstag."),
            (V{"at wd3 | positive", "at wd2 | neutral"}));
  EXPECT_EQ(read("en_US", "I'm out the rest of the week."), V{"at rest_of_week | negative"});
  EXPECT_EQ(read("en_US", "I can do 9-10 or 3-4 tomorrow."),
            (V{"range rel+1 9:00? - rel+1 10:00? | positive", "range rel+1 3:00? - rel+1 4:00? | positive"}));
  EXPECT_EQ(read("en_US", "Any time from 10am to 4pm ET works on Monday."),
            V{"range wd1 10:00am - wd1 4:00pm @ET | positive"});
  EXPECT_EQ(read("en_US", "Could we do thurs instead? Anytime after 10."), V{"after wd4 10:00? | positive"});
  EXPECT_EQ(read("en_US", "Sorry, noon doesn't work tomorrow. 12:30?"),
            (V{"at rel+1 12:00h | negative", "at rel+1 12:30? | positive"}));
}

TEST(TimeRulesParse, EnglishNotTimes) {
  EXPECT_EQ(read("en_US", "The role needs 3 to 5 years of experience, and the loop is 4 interviews of 45 minutes each."), V{});
  EXPECT_EQ(read("en_GB", "Please find attached the job description; the role is four days a week, 9 to 5."), V{});
  EXPECT_EQ(read("en_US", "Morning Jess, happy new year! Call me on 555-123-4567, I rated it 4/5."), V{});
  EXPECT_EQ(read("en_US", "May I ask about version 2.10.3 at 221 Baker Street?"), V{});
  EXPECT_EQ(read("en_US", "Could you send the take-home back? Most candidates spend 2-3 hours on it."), V{});
  EXPECT_EQ(read("en_US", "I have 2 quick questions about the 2nd round. Our office is at 500 Market St, 2nd floor."), V{});
  EXPECT_EQ(read("en_US", "Please ask for April at the front desk. June will join the call."), V{});
  EXPECT_EQ(read("en_US", "I sat in on the panel. Sun was great."), V{});
  EXPECT_EQ(read("en_US", "The job is Mon-Fri, 9-5, hybrid."), V{});
  EXPECT_EQ(read("es_ES", "La jornada es de 9 a 6 de lunes a viernes."), V{});
  EXPECT_EQ(read("fr_FR", "Le poste est à 35 heures par semaine, du lundi au vendredi."), V{});
  EXPECT_EQ(read("en_US", "I'm out Fri, back Mon."), (V{"at wd5 | negative", "at wd1 | positive"}));
  EXPECT_EQ(read("en_US", "I rated the candidate 4/5; can we debrief Thursday at 2:30?"), V{"at wd4 2:30? | positive"});
  // a person going back is available; a negation of something else is no refusal of the time
  EXPECT_EQ(read("en_US", "I'll go back on Friday"), V{"at wd5 | positive"});
  EXPECT_EQ(read("en_US", "I don't remember the date, it should be next Monday."), V{"at wd1/next | positive"});
  // a dated fact that is no meeting is mentioned, not offered
  EXPECT_EQ(read("en_GB", "The clocks go back on Sunday, so shall we say Monday at 9?"),
            (V{"at wd0 | neutral", "at wd1 9:00? | positive"}));
  EXPECT_EQ(read("de_DE", "Am Sonntag werden die Uhren umgestellt; Montag um 10 Uhr?"),
            (V{"at wd0 | neutral", "at wd1 10:00h | positive"}));
}

// ---- German, French, Spanish
TEST(TimeRulesParse, German) {
  EXPECT_EQ(read("de_DE", "Passt Ihnen nächsten Dienstag um 15 Uhr?"), V{"at wd2/next 15:00h | positive"});
  EXPECT_EQ(read("de_DE", "Montag geht leider nicht, aber Dienstag ab 14 Uhr wäre möglich."),
            (V{"at wd1 | negative", "after wd2 14:00h | positive"}));
  EXPECT_EQ(read("de_DE", "Morgen um halb vier?"), V{"at rel+1 3:30? | positive"});
  EXPECT_EQ(read("de_DE", "Wie wäre es am 10.04. um 9:30 Uhr?"), V{"at date 4-10 9:30h | positive"});
  EXPECT_EQ(read("de_DE", "Ich bin vom 20. bis 23. Juli auf Dienstreise."), V{"range date 7-20 - date 7-23 | negative"});
  EXPECT_EQ(read("de_DE", "Dienstag- oder Mittwochnachmittag würde mir gut passen."),
            (V{"at wd2 afternoon | positive", "at wd3 afternoon | positive"}));
  EXPECT_EQ(read("de_DE", "Mittags bin ich am Dienstag immer blockiert, ab 13:30 Uhr wäre ich frei."),
            (V{"at wd2 lunch | negative", "after wd2 13:30h | positive"}));
  EXPECT_EQ(read("de_DE", "Ich bin nächste Woche im Urlaub, übernächste Woche passt es wieder."),
            (V{"at week/next | negative", "at week/in_week+2 | positive"}));
  EXPECT_EQ(read("de_DE", "Wäre 9 Uhr New Yorker Zeit am Mittwoch möglich?"), V{"at wd3 9:00h @New York | positive"});
  EXPECT_EQ(read("de_DE", "Alles außer Freitag ist für mich okay."), V{"at wd5 | negative"});
  EXPECT_EQ(read("de_DE", "Das Interview dauert etwa 45 Minuten, es gibt 2 Runden."), V{});
  EXPECT_EQ(read("de_DE", "Ich kann morgen zwischen 9 und 11."), V{"range rel+1 9:00? - rel+1 11:00? | positive"});
  EXPECT_EQ(read("de_DE", "Hallo Herr Müller,\nkönnten wir den Termin auf Donnerstag, 14 Uhr verschieben?\nViele Grüße"),
            V{"at wd4 14:00h | positive"});
  EXPECT_EQ(read("de_DE", "Nächste Woche Mittwoch um 10?"), V{"at wd3/in_week+1 10:00? | positive"});
  EXPECT_EQ(read("de_DE", "KW 12 wäre gut."), V{"at kw 12 | positive"});
  EXPECT_EQ(read("de_DE", "Donnerstag ginge ab 10 Uhr, Freitag ganztägig."),
            (V{"after wd4 10:00h | positive", "at wd5 | positive"}));
  EXPECT_EQ(read("de_DE", "Um 8 ist zu früh, lieber um halb zehn."), (V{"at 8:00? | negative", "at 9:30? | positive"}));
}

TEST(TimeRulesParse, French) {
  EXPECT_EQ(read("fr_FR", "Seriez-vous disponible mardi prochain à 15h ?"), V{"at wd2/next 15:00h | positive"});
  EXPECT_EQ(read("fr_FR", "Mardi prochain, je suis en déplacement toute la journée."), V{"at wd2/next | negative"});
  EXPECT_EQ(read("fr_FR", "Ce jeudi à 11h ?"), V{"at wd4/this 11:00h | positive"});
  EXPECT_EQ(read("fr_FR", "Le créneau de 9h à midi mardi me convient."),
            V{"range wd2 9:00h - wd2 12:00h | positive"});
  EXPECT_EQ(read("fr_FR", "Je peux lundi ou mardi, mais pas mercredi."),
            (V{"at wd1 | positive", "at wd2 | positive", "at wd3 | negative"}));
  EXPECT_EQ(read("fr_FR", "Quinze heures, heure de Londres, jeudi : ça vous va ?"),
            V{"at wd4 15:00h @London | positive"});
  EXPECT_EQ(read("fr_FR", "Je suis absente jusqu'au 3 janvier inclus ; on peut se caler le 5 à 10h ?"),
            (V{"by date 1-3 | negative", "at dom 5 10:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "L'entretien de jeudi dernier s'est très bien passé."), V{"at wd4/last | neutral"});
  EXPECT_EQ(read("fr_FR", "La réunion d'hier s'est bien passée ; on se revoit dans deux semaines ?"),
            (V{"at rel-1 | neutral", "at rel+14 | positive"}));
  EXPECT_EQ(read("fr_FR", "Le 25 décembre, le bureau est fermé."), V{"at date 12-25 | negative"});
  EXPECT_EQ(read("fr_FR", "Jeudi 8h ou 18h ?"), (V{"at wd4 8:00h | positive", "at wd4 18:00h | positive"}));
}

TEST(TimeRulesParse, Spanish) {
  EXPECT_EQ(read("es_ES", "¿Te viene bien el martes que viene a las 3 de la tarde?"),
            V{"at wd2/next 3:00? afternoon | positive"});
  EXPECT_EQ(read("es_ES", "El lunes no puedo, pero el martes por la mañana sí."),
            (V{"at wd1 | negative", "at wd2 morning | positive"}));
  EXPECT_EQ(read("es_ES", "Pasado mañana a las 16:30 me viene perfecto."), V{"at rel+2 16:30h | positive"});
  EXPECT_EQ(read("es_ES", "Del 22 al 26 de diciembre no estaré disponible."),
            V{"range date 12-22 - date 12-26 | negative"});
  EXPECT_EQ(read("es_ES", "Estaré fuera toda la semana que viene, pero la siguiente sí."),
            (V{"at week/next | negative", "at week/in_week+2 | positive"}));
  EXPECT_EQ(read("es_ES", "el lunes 2 a las 10"), V{"at dom 2 wd1 10:00? | positive"});
  EXPECT_EQ(read("es_ES", "¿Le viene bien el jueves a las 10, hora peninsular?"),
            V{"at wd4 10:00? @Europe/Madrid | positive"});
  EXPECT_EQ(read("es_ES", "La entrevista del martes pasado fue muy bien."), V{"at wd2/last | neutral"});
  EXPECT_EQ(read("es_ES", "No puedo el 3 de abril, pero el 4 sí."), (V{"at date 4-3 | negative", "at date 4-4 | positive"}));
  EXPECT_EQ(read("es_ES", "Esta semana imposible, la que viene mejor."),
            (V{"at rest_of_week | negative", "at week/in_week+1 | positive"}));
}

// ---- Scheduling mail (issue 7's threads): kinds of expression whole mails use, in every locale. Monday
// 2026-11-23 is "today"; the sentences are ours, not the shared threads'.

// A part of day, clock time or open end written once for coordinated days applies to each; a month or year
// written once at the end of a list of days is each day's.
TEST(TimeRulesSchedulingMail, TimeWrittenOnceServesEveryCoordinatedDay) {
  EXPECT_EQ(read("en_US", "I could meet Wednesday or Friday afternoon next week."),
            (V{"at wd3/in_week+1 afternoon | positive", "at wd5/in_week+1 afternoon | positive"}));
  EXPECT_EQ(read("en_US", "Would Monday or Tuesday at 2pm Pacific work?"),
            (V{"at wd1 2:00pm @PT | positive", "at wd2 2:00pm @PT | positive"}));
  EXPECT_EQ(read("en_GB", "Either Thursday 3 or Friday 4 December, any time before noon."),
            (V{"before date 12-3 wd4 12:00h | positive", "before date 12-4 wd5 12:00h | positive"}));
  EXPECT_EQ(read("de_DE", "Können wir Dienstag oder Donnerstag um 10 Uhr machen?"),
            (V{"at wd2 10:00h | positive", "at wd4 10:00h | positive"}));
  EXPECT_EQ(read("de_DE", "Ich könnte am Montag, 7. oder Dienstag, 8. Dezember, jeweils ab 14 Uhr."),
            (V{"after date 12-7 wd1 14:00h | positive", "after date 12-8 wd2 14:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "Je suis libre le lundi 7 ou le mardi 8 décembre, vers 10h."),
            (V{"at date 12-7 wd1 10:00h | positive", "at date 12-8 wd2 10:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "Les matinées du lundi ou du mardi me conviennent."),
            (V{"at wd1 morning | positive", "at wd2 morning | positive"}));
  EXPECT_EQ(read("fr_FR", "Je suis disponible jeudi 26 ou vendredi 27 novembre."),
            (V{"at date 11-26 wd4 | positive", "at date 11-27 wd5 | positive"}));
  EXPECT_EQ(read("es_ES", "¿Te vendrían bien las mañanas del lunes o del martes?"),
            (V{"at wd1 morning | positive", "at wd2 morning | positive"}));
  EXPECT_EQ(read("es_ES", "Podría el lunes 30 o el martes 1 de diciembre, a partir de las 10."),
            (V{"after date 11-30 wd1 10:00? | positive", "after date 12-1 wd2 10:00? | positive"}));
  // two days in a row joined by "and" with their month after them are one range; "or" keeps two items
  EXPECT_EQ(read("de_DE", "Am 3. und 4. Dezember bin ich in Hamburg."), V{"range date 12-3 - date 12-4 | positive"});
  EXPECT_EQ(read("de_DE", "Am 3. oder 4. Dezember?"), (V{"at date 12-3 | positive", "at date 12-4 | positive"}));
  EXPECT_EQ(read("en_GB", "I'm away on the 3rd and 4th of December."), V{"range date 12-3 - date 12-4 | negative"});
  // a part of day in the plural is a habit, no time, unless a day is named with it
  EXPECT_EQ(read("en_US", "Early mornings are fine on my side. Tuesday or Thursday mornings work."),
            (V{"at wd2 morning | positive", "at wd4 morning | positive"}));
  EXPECT_EQ(read("es_ES", "Las tardes me vienen mejor."), V{});
}

// A colon joining a number that is no two-digit minute makes a ratio or a meeting's name ("our 1:1"), no
// clock; "10:30" stays one.
TEST(TimeRulesSchedulingMail, RatiosAndOneOnOnesAreNoClockTimes) {
  EXPECT_EQ(read("en_US", "Could we move tomorrow's 1:1 to Thursday?"), (V{"at rel+1 | positive", "at wd4 | positive"}));
  EXPECT_EQ(read("en_US", "The deck is 16:9. Thursday at 10:30 works."), V{"at wd4 10:30? | positive"});
}

// Zones named in words or in brackets convert (the resolver converts; here: the zone reaches it), also
// after a part of day; the same instant restated in another zone is one item.
TEST(TimeRulesSchedulingMail, ZonesInWordsAndRestatedTimes) {
  EXPECT_EQ(read("en_US", "Could we talk Thursday at 10 (London time)?"), V{"at wd4 10:00? @London | positive"});
  EXPECT_EQ(read("en_GB", "Thursday afternoon Pacific time would be best."), V{"at wd4 afternoon @PT | positive"});
  EXPECT_EQ(read("en_GB", "Would Tuesday 1 or Wednesday 2 December, in the morning New York time, suit you?"),
            (V{"at date 12-1 wd2 morning @New York | positive", "at date 12-2 wd3 morning @New York | positive"}));
  EXPECT_EQ(read("en_US", "How about 3pm ET, i.e. 9pm for you in Berlin?"), V{"at 3:00pm @ET | positive"});
  EXPECT_EQ(read("de_DE", "Wir könnten Mittwoch um 16 Uhr (Londoner Zeit), d.h. um 17 Uhr bei uns."),
            V{"at wd3 16:00h @London | positive"});
  EXPECT_EQ(read("fr_FR", "Jeudi à 10h (heure de New York), soit 16h à Paris."),
            V{"at wd4 10:00h @New York | positive"});
  EXPECT_EQ(read("es_ES", "El martes a las 10:00 (hora de Nueva York), o sea, a las 16:00 aquí."),
            V{"at wd2 10:00h @New York | positive"});
  EXPECT_EQ(read("es_ES", "El jueves a las 9:30 (hora peninsular) me va bien."),
            V{"at wd4 9:30h @Europe/Madrid | positive"});
}

// The meeting being moved, cancelled or declined is mentioned (neutral); where it moves to is offered.
TEST(TimeRulesSchedulingMail, MovedCancelledAndDeclinedMeetingsAreNeutral) {
  EXPECT_EQ(read("en_US", "We need to reschedule our interview on Friday. Would Monday at 11 work instead?"),
            (V{"at wd5 | neutral", "at wd1 11:00? | positive"}));
  EXPECT_EQ(read("en_US", "Can we push Wednesday's standup to Thursday at 10?"),
            (V{"at wd3 | neutral", "at wd4 10:00? | positive"}));
  EXPECT_EQ(read("en_GB", "I have to cancel our call tomorrow, sorry."), V{"at rel+1 | neutral"});
  EXPECT_EQ(read("en_GB", "I'm afraid I can't attend the workshop on Tuesday."), V{"at wd2 | neutral"});
  EXPECT_EQ(read("en_GB", "Sadly I have to cancel Friday's dinner."), V{"at wd5 | neutral"});
  EXPECT_EQ(read("en_US", "Monday's sync clashes with the board meeting. Tuesday at 4?"),
            (V{"at wd1 | neutral", "at wd2 4:00? | positive"}));
  // a time refused without a meeting named stays refused; a meeting of someone else's is no meeting of ours
  EXPECT_EQ(read("en_US", "Sorry, I can't do Tuesday. Wednesday at 3?"),
            (V{"at wd2 | negative", "at wd3 3:00? | positive"}));
  EXPECT_EQ(read("en_GB", "I've a dentist appointment Thursday morning but I'm free from 1."),
            (V{"at wd4 morning | negative", "after wd4 1:00? | positive"}));
  EXPECT_EQ(read("de_DE", "Leider muss ich unser Treffen am Freitag absagen."), V{"at wd5 | neutral"});
  EXPECT_EQ(read("de_DE", "Können wir den Termin am Montag auf Mittwoch um 15 Uhr verschieben?"),
            (V{"at wd1 | neutral", "at wd3 15:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "Je dois annuler la réunion de lundi."), V{"at wd1 | neutral"});
  EXPECT_EQ(read("fr_FR", "Pouvons-nous reporter notre entretien de mardi à jeudi ?"),
            (V{"at wd2 | neutral", "at wd4 | positive"}));
  EXPECT_EQ(read("es_ES", "Tengo que cancelar la llamada del viernes."), V{"at wd5 | neutral"});
  EXPECT_EQ(read("es_ES", "¿Podemos mover la reunión del lunes al martes a las 10?"),
            (V{"at wd1 | neutral", "at wd2 10:00? | positive"}));
  EXPECT_EQ(read("es_ES", "Marta tiene médico el jueves y no podrá hacer la entrevista."), V{"at wd4 | neutral"});
  // moved from ... to: the old time neutral (a day or a clock time), the new one offered
  EXPECT_EQ(read("en_US", "Can we move it from Tuesday to Thursday at 10?"),
            (V{"at wd2 | neutral", "at wd4 10:00? | positive"}));
  EXPECT_EQ(read("en_US", "Can we move the 3pm to 4pm?"), (V{"at 3:00pm | neutral", "at 4:00pm | positive"}));
  EXPECT_EQ(read("de_DE", "Können wir das Gespräch vom Montag auf Dienstag verschieben?"),
            (V{"at wd1 | neutral", "at wd2 | positive"}));
  EXPECT_EQ(read("es_ES", "¿Podemos cambiar la cita del lunes al miércoles?"),
            (V{"at wd1 | neutral", "at wd3 | positive"}));
  // a range that is where the meeting moves to stays one offered range; a move of no meeting changes nothing
  EXPECT_EQ(read("en_US", "Can we move our call to 3 to 4pm tomorrow?"),
            V{"range rel+1 3:00pm - rel+1 4:00pm | positive"});
  EXPECT_EQ(read("en_US", "Let's move forward on Tuesday."), V{"at wd2 | positive"});
}

// "same time" takes the clock time named just before; with none named the days stay days.
TEST(TimeRulesSchedulingMail, SameTimeTakesTheClockNamedBefore) {
  EXPECT_EQ(read("en_US", "Tuesday at 4 is out for me; Thursday, same time?"),
            (V{"at wd2 4:00? | negative", "at wd4 4:00? | positive"}));
  EXPECT_EQ(read("de_DE", "Dienstag um 9 Uhr passt nicht, aber Donnerstag zur gleichen Zeit."),
            (V{"at wd2 9:00h | negative", "at wd4 9:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "Mardi à 14h ne me va pas ; jeudi à la même heure ?"),
            (V{"at wd2 14:00h | negative", "at wd4 14:00h | positive"}));
  EXPECT_EQ(read("es_ES", "El lunes a las 9 no puedo, ¿el martes a la misma hora?"),
            (V{"at wd1 9:00? | negative", "at wd2 9:00? | positive"}));
  EXPECT_EQ(read("de_DE", "Ich kann am Dienstag nicht, aber Mittwoch zur gleichen Zeit?"),
            (V{"at wd2 | negative", "at wd3 | positive"}));
}

// "the Friday" (en) and a weekday excluded after a week or a date was named are that week's day.
TEST(TimeRulesSchedulingMail, TheWeekdayOfTheWeekJustNamed) {
  EXPECT_EQ(read("en_GB", "Next week is fine, any day except the Friday."),
            (V{"at week/next | positive", "at wd5/in_week+1 | negative"}));
  EXPECT_EQ(read("en_GB", "Could we do Tuesday 1 December? I'm out on the Thursday."),
            (V{"at date 12-1 wd2 | positive", "at wd4/in_week+1 | negative"}));
  EXPECT_EQ(read("en_GB", "I could do Monday 7th or Tuesday 8th December. Not Wednesday, I'm travelling."),
            (V{"at date 12-7 wd1 | positive", "at date 12-8 wd2 | positive", "at wd3/in_week+2 | negative"}));
  EXPECT_EQ(read("de_DE", "Wie wäre es in der Woche vom 7. Dezember? Aber nicht am Freitag."),
            (V{"at week of 12-7 | positive", "at wd5/in_week+2 | negative"}));
  EXPECT_EQ(read("de_DE", "Am besten in der Woche ab dem 7. Dezember, aber nicht am Montag."),
            (V{"at week of 12-7 | positive", "at wd1/in_week+2 | negative"}));
  EXPECT_EQ(read("fr_FR", "La semaine du 7 décembre me va. Sauf le mercredi."),
            (V{"at week of 12-7 | positive", "at wd3/in_week+2 | negative"}));
  EXPECT_EQ(read("es_ES", "¿Podrías venir la semana del 7 de diciembre? Cualquier día menos el viernes."),
            (V{"at week of 12-7 | positive", "at wd5/in_week+2 | negative"}));
  // days named only by their weekday locate no week: "mais pas mercredi" stays the coming Wednesday
  EXPECT_EQ(read("fr_FR", "Je peux lundi ou mardi, mais pas mercredi."),
            (V{"at wd1 | positive", "at wd2 | positive", "at wd3 | negative"}));
}

// A week offered, then narrowed to days of it offered too, only locates them; a refused week stays.
TEST(TimeRulesSchedulingMail, AWeekNarrowedToItsDaysIsNoItem) {
  EXPECT_EQ(read("en_GB", "Oliver is in Madrid next week. Could you do Tuesday or Wednesday next week?"),
            (V{"at wd2/in_week+1 | positive", "at wd3/in_week+1 | positive"}));
  EXPECT_EQ(read("en_GB", "I'll be in New York the week of 7 December. Would Tuesday 8 December suit you?"),
            V{"at date 12-8 wd2 | positive"});
  EXPECT_EQ(read("en_GB", "Next week is busy. Thursday next week I'm out too."),
            (V{"at week/next | negative", "at wd4/in_week+1 | negative"}));
}

// An open end is an offer; a soft wish for a part of day narrows nothing; a meal named alone is the
// occasion of the days named next.
TEST(TimeRulesSchedulingMail, OpenEndsWishesAndMeals) {
  EXPECT_EQ(read("fr_FR", "Je peux mardi entre 10h et 12h, ou jeudi après 15h. Lundi, je suis en déplacement."),
            (V{"range wd2 10:00h - wd2 12:00h | positive", "after wd4 15:00h | positive", "at wd1 | negative"}));
  EXPECT_EQ(read("de_DE", "Ich kann Donnerstag ab 15 Uhr."), V{"after wd4 15:00h | positive"});
  EXPECT_EQ(read("en_US", "Can we meet on Tuesday 1 December? Ideally in your afternoon."),
            V{"at date 12-1 wd2 | positive"});
  EXPECT_EQ(read("es_ES", "¿Quedamos el martes? Idealmente por la tarde."), V{"at wd2 | positive"});
  EXPECT_EQ(read("en_GB", "Let's have dinner! Would Thursday or Friday suit you?"),
            (V{"at wd4 evening | positive", "at wd5 evening | positive"}));
  EXPECT_EQ(read("de_DE", "Ich lade Sie zum Mittagessen ein. Passt Ihnen Dienstag oder Mittwoch?"),
            (V{"at wd2 lunch | positive", "at wd3 lunch | positive"}));
  EXPECT_EQ(read("fr_FR", "Je vous invite à déjeuner ! Seriez-vous libre mardi 1er ou jeudi 3 décembre, vers 12h30 ?"),
            (V{"at date 12-1 wd2 12:30h | positive", "at date 12-3 wd4 12:30h | positive"}));
  // A time after the list, past a few words and a comma, is each day's; a range of clock times too.
  EXPECT_EQ(read("en_GB", "Fancy a coffee? Tuesday or Wednesday would suit me, any time after half two."),
            (V{"after wd2 2:30? | positive", "after wd3 2:30? | positive"}));
  EXPECT_EQ(read("en_US", "Thursday or Friday, anywhere between 10 and noon.").size(), 2u);
  // A part of day, a colon, the days it is for; the week of the sentence before; a contrast after a comma.
  EXPECT_EQ(read("es_ES", "La semana que viene lo tengo mejor por la tarde: el miércoles o el jueves.").size(), 2u);
  EXPECT_EQ(read("de_DE", "Hättest du nächste Woche Zeit? Mittwoch oder Donnerstag um 12:30 würde mir passen.").size(), 2u);
  EXPECT_EQ(read("fr_FR", "Le lundi 14, en revanche, je suis en déplacement."), V{"at dom 14 wd1 | negative"});
  EXPECT_EQ(read("es_ES", "No podré asistir a la revisión del martes 15: ese día estoy fuera.").size(), 1u);
  // "13 a primera hora": a day and a part of day, not a range from 13:00; "en rendez-vous" refuses.
  EXPECT_EQ(read("es_ES", "Si no, el viernes 13 a primera hora."), V{"at dom 13 wd5 morning | positive"});
  EXPECT_EQ(read("fr_FR", "Le lundi je suis en rendez-vous client toute la journée."), V{"at wd1 | negative"});
  // Parts of day in several words ("toda la mañana" is a morning, not tomorrow; "en fin de matinée").
  EXPECT_EQ(read("es_ES", "El martes estoy liado toda la mañana; a partir de las 16:00 sí podría."),
            (V{"at wd2 morning | negative", "after wd2 16:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "Pourrait-on se voir mercredi ou jeudi en fin de matinée ?"),
            (V{"at wd3 morning | positive", "at wd4 morning | positive"}));
  // "d'une heure" next to a day is a length, not one o'clock; "à une heure" stays a clock.
  EXPECT_EQ(read("fr_FR", "Je cherche un créneau d'une heure la semaine prochaine.").size(), 1u);
  EXPECT_EQ(read("fr_FR", "Je cherche un créneau d'une heure la semaine prochaine.")[0].find("1:00"), std::string::npos);
  EXPECT_EQ(read("fr_FR", "Rendez-vous mardi à une heure."), V{"at wd2 1:00h | positive"});
  // A move between two clock times of one day: the old one names the meeting, the new one is offered.
  EXPECT_EQ(read("en_US", "Can we move our sync from 3pm to 4pm tomorrow?").size(), 2u);
  // A time in the next sentence for a list of days: each day's.
  EXPECT_EQ(read("en_GB", "Could we have a quick call on Monday or Tuesday? Any time after 2pm works for me."),
            (V{"after wd1 2:00pm | positive", "after wd2 2:00pm | positive"}));
  // An open end refused after a list of days is each day's.
  EXPECT_EQ(read("fr_FR", "Je suis disponible mardi ou jeudi après-midi, pas avant 14h.").size(), 4u);
  // Busy at a workshop, a fair, a client's: a refusal.
  EXPECT_EQ(read("de_DE", "Am Montag bin ich ganztägig im Workshop, Dienstag ab 13 Uhr geht."),
            (V{"at wd1 | negative", "after wd2 13:00h | positive"}));
  // "next" written once before a list of weekdays is each one's.
  EXPECT_EQ(read("en_US", "Would you have time next Tuesday or Wednesday?"), (V{"at wd2/next | positive", "at wd3/next | positive"}));
  // ISO 8601 dates (not phone numbers); codes such as "Q4" are no time; "any day but Friday" excepts Friday.
  EXPECT_EQ(read("en_US", "Meet on 2026-05-06 at 10:00?").size(), 1u);
  EXPECT_EQ(read("en_US", "Could we go over the Q4 roadmap on Tuesday?").size(), 1u);
  EXPECT_EQ(read("fr_FR", "Est-ce qu'on pourrait décaler notre point de jeudi à vendredi matin ?").size(), 2u);
  // A meal with no day and no time word names the occasion, not when; with either it stays a time.
  EXPECT_EQ(read("en_US", "It would be great to catch up over lunch when you're next in town."), V{});
  EXPECT_EQ(read("en_GB", "Let's grab lunch sometime."), V{});
  EXPECT_EQ(read("en_US", "I have lunch plans today."), V{"at rel+0 lunch | positive"});
  EXPECT_EQ(read("en_US", "Could we get it done before lunch?").size(), 1u);
}

TEST(TimeRulesParse, WholeMessagesWithGreetingAndSignOff) {
  EXPECT_EQ(read("en_US", "Hi Priya,\n\nThanks for getting back to me so quickly! Unfortunately I'm tied up all day Tuesday "
                          "with the board meeting. Would Wednesday at 10:30 or Thursday after 2 work instead?\n\n"
                          "Happy Thanksgiving,\nMark\n\nSent from my iPhone"),
            (V{"at wd2 | negative", "at wd3 10:30? | positive", "after wd4 2:00? | positive"}));
  EXPECT_EQ(read("de_DE", "Sehr geehrte Frau Schmidt,\nvielen Dank für Ihre Nachricht. Am Mittwoch, den 4. März, bin ich "
                          "leider verhindert. Ginge auch Freitag, 6. März, um 10 Uhr?\nMit freundlichen Grüßen\nJan Meier"),
            (V{"at date 3-4 wd3 | negative", "at date 3-6 wd5 10:00h | positive"}));
  EXPECT_EQ(read("fr_FR", "Bonjour Madame Dupont,\nMerci pour votre message. Je ne suis malheureusement pas disponible le "
                          "12, mais le 13 à 14h me conviendrait parfaitement.\nBien cordialement,\nLuc"),
            (V{"at dom 12 | negative", "at dom 13 14:00h | positive"}));
  EXPECT_EQ(read("es_ES", "Hola Carmen:\nGracias por escribir. El martes tengo el día completo, pero el miércoles por la "
                          "mañana podría a partir de las 10.\nUn abrazo,\nPablo"),
            (V{"at wd2 | negative", "after wd3 10:00? morning | positive"}));
}

TEST(TimeRulesParse, ReadingsTheParserConsideredAreAlternatives) {
  const auto today = std::chrono::year{2026} / 11 / 23;
  // "quinze jours": 14 days, 15 the alternative a careful person would ask about
  auto f = parse("On se revoit dans quinze jours ?", lexicon("fr_FR"), today);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].expression.from.day.offset, 14);
  ASSERT_EQ(f[0].alternatives.size(), 1u);
  EXPECT_EQ(f[0].alternatives[0].expression.from.day.offset, 15);
  EXPECT_DOUBLE_EQ(f[0].alternatives[0].weight, 0.3);
  // a weekday tied to the week of its sentence is that week's day: the words leave no other reading
  f = parse("Tuesday or Wednesday of next week works for the panel.", lexicon("en_US"), today);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].expression.from.day.mode, DayRef::Mode::in_week);
  EXPECT_EQ(f[0].expression.from.day.offset, 1);
  EXPECT_TRUE(f[0].alternatives.empty());
  // with two weeks in the sentence, the day belongs to the nearer one in its own clause
  f = parse("Diese Woche ist schlecht, aber nächste Woche Dienstag passt.", lexicon("de_DE"), today);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].expression.from.day.kind, DayRef::Kind::rest_of_week);
  EXPECT_EQ(f[0].polarity, Polarity::negative);
  EXPECT_EQ(f[1].expression.from.day.mode, DayRef::Mode::in_week);
  EXPECT_EQ(f[1].expression.from.day.offset, 1);
  EXPECT_EQ(f[1].polarity, Polarity::positive);
  // "next X" when the text also says "this X": no alternative
  f = parse("I can't do this Thursday, but next Thursday is fine.", lexicon("en_GB"), today);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1].expression.from.day.mode, DayRef::Mode::next_only);
  EXPECT_TRUE(f[1].alternatives.empty());
  // an hour with no am/pm other than 7 or 8: the other half of the day, small
  f = parse("Let's chat at 4.", lexicon("en_US"), today);
  ASSERT_EQ(f.size(), 1u);
  ASSERT_EQ(f[0].alternatives.size(), 1u);
  EXPECT_EQ(f[0].alternatives[0].expression.from.clock.meridiem, Meridiem::am);
}

TEST(TimeRulesParse, SpansCoverTheExpressionBytes) {
  const std::string text = "I can't do Tuesday, but Wednesday at 3 works for me.";
  const auto found = parse(text, lexicon("en_US"), std::chrono::year{2026} / 2 / 9);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].span.of(text), "Tuesday");
  EXPECT_EQ(found[1].span.of(text), "Wednesday at 3");
  const std::string de = "Übermorgen Vormittag hätte ich Zeit.";
  const auto f2 = parse(de, lexicon("de_DE"), std::chrono::year{2026} / 2 / 9);
  ASSERT_EQ(f2.size(), 1u);
  EXPECT_EQ(f2[0].span.of(de), "Übermorgen Vormittag");
}

TEST(TimeRulesParse, NotesNameShapeDayClockAndZone) {
  const auto today = std::chrono::year{2026} / 11 / 23;
  auto f = parse("Could we move it to next Tuesday at 3pm?", lexicon("en_US"), today);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].note.view(), "at; weekday (next); clock");
  f = parse("I'm free from Monday to Wednesday.", lexicon("en_US"), today);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].note.view(), "range; weekday (bare)");
  f = parse("Could you do 9am New York time on Thursday?", lexicon("en_GB"), today);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].note.view(), "at; weekday (bare); clock; zone New York");
  // A zone written at any length stays whole in the note (past the note's in-place buffer), and the next
  // text's short note, written over it in a reused scratch, is whole too.
  const std::string city = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Vaughan Williams";
  const auto scratch = make_parse_scratch();
  const std::string long_text = "Can we talk at 3pm " + city + " time?";
  const auto& g = parse(long_text, lexicon("en_US"), today, *scratch);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].note.view(), "at; no day; clock; zone " + city);
  EXPECT_STREQ(g[0].note.c_str(), ("at; no day; clock; zone " + city).c_str());
  const auto& h = parse("Could we do Friday at 10 instead?", lexicon("en_US"), today, *scratch);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].note.view(), "at; weekday (bare); clock");
  EXPECT_STREQ(h[0].note.c_str(), "at; weekday (bare); clock");
}

// One scratch through texts whose item counts go down, to none and up again: each text's items (spans,
// readings, alternatives, polarity, notes) are what a fresh parse gives, never an item of a text before.
TEST(TimeRulesParse, AReusedScratchGivesWhatAFreshParseGives) {
  const auto today = std::chrono::year{2026} / 11 / 23;
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"en_US", "I can't do Tuesday or Wednesday, but Thursday at 3 or Friday 9am PT works."},
      {"en_US", "Let's chat at 4."},
      {"en_US", "Thanks for the update, see you soon."},
      {"fr_FR", "On se revoit dans quinze jours ? Sinon lundi prochain à 10h."},
      {"en_GB", "Not Monday. Tuesday 2-4pm, Wednesday after 3 or Thursday morning, London time."},
      {"de_DE", "Nächste Woche Dienstag passt."},
  };
  const auto scratch = make_parse_scratch();
  const auto whole = [](const Found& f) {
    std::string s = describe(f) + " [" + std::to_string(f.span.begin) + "," + std::to_string(f.span.end) + ") " +
                    std::string(f.note.view()) + " p=" + std::to_string(f.polarity_strength);
    for (const auto& a : f.alternatives) s += " / " + std::to_string(a.weight);
    return s;
  };
  for (int round = 0; round < 2; ++round)
    for (const auto& [locale, text] : texts) {
      std::vector<std::string> reused, fresh;
      for (const Found& f : parse(text, lexicon(locale), today, *scratch)) reused.push_back(whole(f));
      for (const Found& f : parse(text, lexicon(locale), today)) fresh.push_back(whole(f));
      EXPECT_EQ(reused, fresh) << text;
    }
}

// ---- Through the real host
class TimeRulesPlugin : public ::testing::Test {
 protected:
  tandem::conformance::PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(TimeRulesPlugin, ConfigErrorsNameTheKeyAndSuggest) {
  const auto errors = plugin.config_errors("languages: [en, dee]\n", "p.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(), "p.yaml:1:17: error: languages[1]: no language file \"dee.yaml\" in \"" +
                                       (std::filesystem::path(PLUGIN_FILE).parent_path() / "time_rules").string() +
                                       "\" (did you mean \"de\"?)");
  const auto missing = plugin.config_errors("data_dir: no_such_folder\n", "cfg/p.yaml");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].to_string(),
            "cfg/p.yaml:1:11: error: data_dir: data_dir: expected a folder of language files, found no folder "
            "\"cfg/no_such_folder\"");
}

TEST_F(TimeRulesPlugin, BadLanguageFileNamesFileLineAndColumn) {
  const auto dir = std::filesystem::temp_directory_path() / "time_rules_bad_data";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "xx.yaml") << "language: xx\nwords:\n  nxt: [foo]\n";
  const auto errors = plugin.config_errors("data_dir: " + dir.string() + "\n", "p.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(), "p.yaml:1:11: error: data_dir: data_dir: " + (dir / "xx.yaml").string() +
                                       ":3:3: error: words.nxt: unknown role (did you mean \"next\"?)");
  std::filesystem::remove_all(dir);
}

// "2026-02-09T22:40[:00][+hh:mm]" as an instant (the offset, when written, is applied).
std::chrono::sys_seconds instant(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec);
  auto t = std::chrono::sys_days{std::chrono::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi} +
           std::chrono::seconds{sec};
  if (s.size() >= 6 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-')) {
    const int off = std::stoi(s.substr(s.size() - 5, 2)) * 60 + std::stoi(s.substr(s.size() - 2));
    t -= std::chrono::minutes{s[s.size() - 6] == '-' ? -off : off};
  }
  return std::chrono::sys_seconds{t};
}

tandem::sdk::Message message(const std::string& text, const std::string& sent_utc, const std::string& zone,
                             const std::string& locale) {
  tandem::sdk::Message m;
  m.text = text;
  m.sent = instant(sent_utc);
  m.sender_zone = zone;
  m.sender_locale = locale;
  return m;
}

bool host_resolves() {
  tandem::sdk::TimeExpression x;
  x.from.day.kind = DayRef::Kind::relative;
  x.from.day.offset = 1;
  return services()->time().resolve(x, {std::chrono::sys_seconds{}, "UTC", "en_US"}).is_ok();
}

TEST_F(TimeRulesPlugin, EndToEndThroughTheResolver) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("{}\n");
  std::vector<tandem::sdk::Annotation> out;
  // Monday 2026-02-09 16:40 in Chicago (22:40 UTC)
  ASSERT_TRUE(e->extract(message("I can't do Tuesday, but Wednesday at 3 works for me.", "2026-02-09T22:40",
                                 "America/Chicago", "en_US"),
                         out)
                  .is_ok());
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].variable.name, "time[0].value");
  EXPECT_EQ(out[0].variable.distribution.top().value, "2026-02-10T00:00/2026-02-11T00:00");
  EXPECT_EQ(out[1].variable.name, "time[0].polarity");
  EXPECT_EQ(out[1].variable.distribution.top().value, "negative");
  EXPECT_EQ(out[2].variable.distribution.top().value, "2026-02-11T15:00/2026-02-11T15:00");
  EXPECT_EQ(out[3].variable.distribution.top().value, "positive");
}

// Zones named in words reach the resolver and are converted into the sender's zone, a part of day too.
TEST_F(TimeRulesPlugin, ZonesInWordsConvertIntoTheSendersZone) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("{}\n");
  const auto top_values = [&](const std::string& text, const std::string& sent, const std::string& zone,
                              const std::string& locale) {
    std::vector<tandem::sdk::Annotation> out;
    EXPECT_TRUE(e->extract(message(text, sent, zone, locale), out).is_ok()) << text;
    std::vector<std::string> values;
    for (const auto& a : out)
      if (a.variable.name.size() > 6 && a.variable.name.compare(a.variable.name.size() - 6, 6, ".value") == 0)
        values.push_back(a.variable.distribution.top().value);
    return values;
  };
  // From the Canaries (UTC+0 in November), 9:30 on the mainland is 8:30.
  EXPECT_EQ(top_values("El jueves a las 9:30 (hora peninsular) me va bien.", "2026-11-23T10:00", "Atlantic/Canary",
                       "es_ES"),
            V{"2026-11-26T08:30/2026-11-26T08:30"});
  // From London, mornings in New York (UTC-5 in December) are 13:00 to 17:00, for both days.
  EXPECT_EQ(top_values("Would Tuesday 1 or Wednesday 2 December, in the morning New York time, suit you?",
                       "2026-11-23T10:00", "Europe/London", "en_GB"),
            (V{"2026-12-01T13:00/2026-12-01T17:00", "2026-12-02T13:00/2026-12-02T17:00"}));
  // "a las 15:00 (hora de Londres), es decir, a las 16:00 en Madrid": one item, 16:00 in Madrid.
  EXPECT_EQ(top_values("Prefiere el jueves a las 15:00 (hora de Londres), es decir, a las 16:00 en Madrid.",
                       "2026-11-23T10:00", "Europe/Madrid", "es_ES"),
            V{"2026-11-26T16:00/2026-11-26T16:00"});
}

TEST_F(TimeRulesPlugin, AmbiguousHourListsBothReadingsBelowReviewLevel) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("{}\n");
  std::vector<tandem::sdk::Annotation> out;
  // Monday 2026-09-21 10:00 in Los Angeles (17:00 UTC)
  ASSERT_TRUE(e->extract(message("Can we talk Thursday at 7?", "2026-09-21T17:00", "America/Los_Angeles", "en_US"), out)
                  .is_ok());
  ASSERT_EQ(out.size(), 2u);
  const auto& d = out[0].variable.distribution;
  EXPECT_EQ(d.top().value, "2026-09-24T07:00/2026-09-24T07:00");
  EXPECT_LT(d.top_p(), 0.9);
  EXPECT_GT(d.p("2026-09-24T19:00/2026-09-24T19:00"), 0.0);
  EXPECT_EQ(out[0].span.of("Can we talk Thursday at 7?"), "Thursday at 7");
  EXPECT_EQ(out[1].variable.distribution.top().value, "positive");
}

// Wall times are written from the month written last (kept from one message to the next): days at the
// ends of months and years, a leap day, and messages that go back and forth between months and years.
TEST_F(TimeRulesPlugin, WallTimesAtTheEndsOfMonthsAndYears) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("{}\n");
  const auto top_values = [&](const std::string& text, const std::string& sent) {
    std::vector<tandem::sdk::Annotation> out;
    EXPECT_TRUE(e->extract(message(text, sent, "Europe/London", "en_GB"), out).is_ok()) << text;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < out.size(); i += 2) values.push_back(out[i].variable.distribution.top().value);
    return values;
  };
  for (int round = 0; round < 2; ++round) {  // the second round starts in a month written before
    EXPECT_EQ(top_values("Would 29 February 2028 at 15:00 or 1 March 2028 at 09:30 work?", "2028-02-21T10:00"),
              (V{"2028-02-29T15:00/2028-02-29T15:00", "2028-03-01T09:30/2028-03-01T09:30"}));
    EXPECT_EQ(top_values("Shall we say 31 December at 23:45, or 1 January 2027 at 00:15?", "2026-12-01T10:00"),
              (V{"2026-12-31T23:45/2026-12-31T23:45", "2027-01-01T00:15/2027-01-01T00:15"}));
    EXPECT_EQ(top_values("I'm away from 30 January 2027 to 2 February 2027.", "2026-12-01T10:00"),
              V{"2027-01-30T00:00/2027-02-03T00:00"});
    EXPECT_EQ(top_values("Can we meet on 28 February 2027 at 08:05?", "2026-12-01T10:00"),
              V{"2027-02-28T08:05/2027-02-28T08:05"});
    EXPECT_EQ(top_values("Can we meet on 1 September 1999 at 23:59?", "1999-08-02T10:00"),
              V{"1999-09-01T23:59/1999-09-01T23:59"});
  }
}

// Every value distribution is in normal form: probabilities summing to 1, sorted by decreasing
// probability (equal ones by value), values unique; a lone reading has probability 1 exactly.
TEST_F(TimeRulesPlugin, ValueDistributionsAreInNormalForm) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("{}\n");
  std::size_t lone = 0, several = 0;
  for (const char* text :
       {"Can we talk Thursday at 7?", "Would Tuesday at 3 work for a quick phone screen?",
        "I can't do Tuesday, but Wednesday at 3 works for me.", "Can we meet on 28 February 2027 at 08:05?",
        "Next Friday around 3ish, or the week of the 16th?", "How about 9-11 tomorrow, or after lunch?"}) {
    std::vector<tandem::sdk::Annotation> out;
    ASSERT_TRUE(e->extract(message(text, "2026-09-21T17:00", "America/Los_Angeles", "en_US"), out).is_ok()) << text;
    for (std::size_t i = 0; i < out.size(); i += 2) {
      const auto& c = out[i].variable.distribution.candidates();
      ASSERT_FALSE(c.empty()) << text;
      if (c.size() == 1) {
        ++lone;
        EXPECT_EQ(c[0].p, 1.0) << text;
        continue;
      }
      ++several;
      double sum = 0;
      for (std::size_t k = 0; k < c.size(); ++k) {
        sum += c[k].p;
        if (k == 0) continue;
        EXPECT_TRUE(c[k - 1].p > c[k].p || (c[k - 1].p == c[k].p && c[k - 1].value < c[k].value)) << text;
        for (std::size_t j = 0; j < k; ++j) EXPECT_NE(c[j].value, c[k].value) << text;
      }
      EXPECT_NEAR(sum, 1.0, 1e-12) << text;
    }
  }
  EXPECT_GT(lone, 0u);
  EXPECT_GT(several, 0u);
}

// Names are "time[i].value" and "time[i].polarity" past ten items too; a polarity's note says whether a cue
// was found (a strong polarity) or the offer is assumed.
TEST_F(TimeRulesPlugin, NamesPastTenItemsAndPolarityNotes) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("{}\n");
  std::string text;
  for (int day = 1; day <= 12; ++day)
    text += std::string(day == 3 ? "I can't do " : day % 2 == 0 ? "How about " : "Then ") + std::to_string(day) +
            " December at " + std::to_string(8 + day % 9) + ":30" + (day % 2 == 0 ? "? " : ". ");
  std::vector<tandem::sdk::Annotation> out;
  ASSERT_TRUE(e->extract(message(text, "2026-11-23T10:00", "Europe/London", "en_GB"), out).is_ok());
  ASSERT_EQ(out.size(), 24u);
  std::size_t cues = 0, offers = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_EQ(out[2 * i].variable.name, "time[" + std::to_string(i) + "].value");
    const auto& polarity = out[2 * i + 1];
    EXPECT_EQ(polarity.variable.name, "time[" + std::to_string(i) + "].polarity");
    EXPECT_EQ(polarity.span, out[2 * i].span);
    if (polarity.note == "a polarity cue in the clause") {
      ++cues;
      EXPECT_GE(polarity.variable.distribution.top_p(), 0.8 - 1e-9) << i;
    } else {
      ++offers;
      EXPECT_EQ(polarity.note, "no polarity cue; an offer by default") << i;
      EXPECT_LT(polarity.variable.distribution.top_p(), 0.8 + 1e-9) << i;
    }
  }
  EXPECT_EQ(out[5].variable.distribution.top().value, "negative");
  EXPECT_GT(cues, 0u);
  EXPECT_GT(offers, 0u);
}

// min_confidence leaves out the expressions whose most probable reading is less likely; the ones kept are
// numbered without gaps.
TEST_F(TimeRulesPlugin, MinConfidenceLeavesOutUnsureExpressions) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  const std::string text = "Can we talk Thursday at 7? Otherwise Friday at 15:00.";
  const auto m = message(text, "2026-09-21T17:00", "America/Los_Angeles", "en_US");
  std::vector<tandem::sdk::Annotation> all, sure;
  ASSERT_TRUE(plugin.extractor("{}\n")->extract(m, all).is_ok());
  ASSERT_EQ(all.size(), 4u);
  ASSERT_LT(all[0].variable.distribution.top_p(), 0.9);
  ASSERT_GE(all[2].variable.distribution.top_p(), 0.9);
  ASSERT_TRUE(plugin.extractor("min_confidence: 0.9\n")->extract(m, sure).is_ok());
  ASSERT_EQ(sure.size(), 2u);
  EXPECT_EQ(sure[0].variable.name, "time[0].value");
  EXPECT_EQ(sure[0].variable.distribution, all[2].variable.distribution);
  EXPECT_EQ(sure[0].note, all[2].note);
  EXPECT_EQ(sure[0].span.of(text), "Friday at 15:00");
  EXPECT_EQ(sure[1].variable.name, "time[0].polarity");
  EXPECT_EQ(sure[1].variable.distribution, all[3].variable.distribution);
}

TEST_F(TimeRulesPlugin, LanguagesOutsideTheListGetNoAnnotation) {
  if (!host_resolves()) GTEST_SKIP() << "the host's TimeService::resolve is not implemented yet";
  auto e = plugin.extractor("languages: [de]\n");
  std::vector<tandem::sdk::Annotation> out;
  ASSERT_TRUE(e->extract(message("Tuesday at 3?", "2026-09-21T17:00", "America/Los_Angeles", "en_US"), out).is_ok());
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(e->extract(message("Dienstag um 15 Uhr?", "2026-09-21T08:00", "Europe/Berlin", "de_DE"), out).is_ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].variable.distribution.top().value, "2026-09-22T15:00/2026-09-22T15:00");
}

// The case file the measuring aids below read: TIME_RULES_CASES, else the shared dev cases.
std::string aid_cases() {
  const char* cases_env = std::getenv("TIME_RULES_CASES");
  return cases_env != nullptr ? std::string(cases_env) : std::string(TANDEM_SHARED_DIR) + "/eval/time/dev.jsonl";
}

// A case of a time case file (FORMAT.md) as the message the plugin reads.
tandem::sdk::Message case_message(const nlohmann::json& c) {
  const std::string sent = c["sent"];
  tandem::sdk::Message m;
  m.text = c["text"];
  m.sent = instant(sent);
  m.utc_offset_minutes = (sent[sent.size() - 6] == '-' ? -1 : 1) *
                         (std::stoi(sent.substr(sent.size() - 5, 2)) * 60 + std::stoi(sent.substr(sent.size() - 2)));
  m.sender_zone = c["tz"];
  m.sender_locale = c["locale"];
  return m;
}

// Runs the shared dev cases (or the file TIME_RULES_CASES names) when TIME_RULES_ANSWERS names a file: writes
// the answers there (FORMAT.md) for score_times.py. A measuring aid, not a check of its own.
TEST_F(TimeRulesPlugin, DevCasesToAnswerFile) {
  const char* answers = std::getenv("TIME_RULES_ANSWERS");
  const std::string cases = aid_cases();
  if (answers == nullptr) GTEST_SKIP() << "set TIME_RULES_ANSWERS=<file> to answer " << cases;
  std::ifstream in(cases);
  if (!in) GTEST_SKIP() << "no " << cases;
  auto e = plugin.extractor("{}\n");
  std::ofstream out(answers);
  std::string line;
  while (std::getline(in, line)) {
    const auto c = nlohmann::json::parse(line);
    std::vector<tandem::sdk::Annotation> anns;
    ASSERT_TRUE(e->extract(case_message(c), anns).is_ok());
    nlohmann::json times = nlohmann::json::array();
    const auto split = [](const std::string& v, nlohmann::json& j) {
      const auto slash = v.find('/');
      const std::string a = v.substr(0, slash);
      const std::string b = v.substr(slash + 1);
      if (!a.empty()) j["start"] = a;
      if (!b.empty() && b != a) j["end"] = b;
    };
    for (std::size_t i = 0; i + 1 < anns.size(); i += 2) {
      nlohmann::json item;
      const auto& d = anns[i].variable.distribution;
      split(d.top().value, item);
      item["polarity"] = anns[i + 1].variable.distribution.top().value;
      item["confidence"] = d.top_p();
      item["candidates"] = nlohmann::json::array();
      for (const auto& cand : d.candidates()) {
        nlohmann::json cj;
        split(cand.value, cj);
        cj["p"] = cand.p;
        item["candidates"].push_back(cj);
      }
      item["note"] = anns[i].note;
      times.push_back(item);
    }
    out << nlohmann::json{{"id", c["id"]}, {"times", times}}.dump() << "\n";
  }
}


// Writes every annotation of the cases in TIME_RULES_CASES (default: the shared dev cases) to the file
// TIME_RULES_DUMP names: name, span, note and each candidate with its probability to 17 digits. A
// measuring aid for changes that must keep the plugin's answers byte for byte (compare two dumps).
TEST_F(TimeRulesPlugin, AnnotationsToDumpFile) {
  const char* dump = std::getenv("TIME_RULES_DUMP");
  const std::string cases = aid_cases();
  if (dump == nullptr) GTEST_SKIP() << "set TIME_RULES_DUMP=<file> to dump the annotations of " << cases;
  std::ifstream in(cases);
  if (!in) GTEST_SKIP() << "no " << cases;
  auto e = plugin.extractor("{}\n");
  std::FILE* out = std::fopen(dump, "w");
  ASSERT_NE(out, nullptr) << dump;
  std::string line;
  while (std::getline(in, line)) {
    const auto c = nlohmann::json::parse(line);
    std::vector<tandem::sdk::Annotation> anns;
    ASSERT_TRUE(e->extract(case_message(c), anns).is_ok());
    std::fprintf(out, "%s\n", c["id"].get<std::string>().c_str());
    for (const auto& a : anns) {
      std::fprintf(out, "  %s [%zu,%zu) %s\n", a.variable.name.c_str(), a.span.begin, a.span.end, a.note.c_str());
      for (const auto& cand : a.variable.distribution.candidates())
        std::fprintf(out, "    %s %.17g\n", cand.value.c_str(), cand.p);
    }
  }
  std::fclose(out);
}

}  // namespace
namespace {
// A tool, not a check: TR_TEXT="..." [TR_LOCALE=de_DE] prints the tokens with their lexicon categories and
// the expressions read (for people extending a data file).
TEST(TimeRulesTool, PrintReading) {
  const char* t = std::getenv("TR_TEXT");
  if (t == nullptr) GTEST_SKIP();
  const char* loc = std::getenv("TR_LOCALE");
  const auto& lex = lexicon(loc ? loc : "en_US");
  std::vector<Token> tokens;
  std::string store;
  tokenize(t, lex.fold(), tokens, store);
  for (const auto& tok : tokens) {
    const Entry* e = lex.word(tok.text);
    std::printf("[%.*s] %s\n", static_cast<int>(tok.text.size()), tok.text.data(), e ? e->cats.to_string().c_str() : "-");
  }
  for (const auto& f : parse(t, lex, std::chrono::year{2026} / 11 / 23)) std::printf("%s  (%s)\n", describe(f).c_str(), f.note.c_str());
}
}  // namespace
