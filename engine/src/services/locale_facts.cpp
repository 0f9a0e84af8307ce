#include "services/locale_facts.hpp"
#include "util/guarded.hpp"

#include <unicode/calendar.h>
#include <unicode/dtfmtsym.h>
#include <unicode/dtptngen.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <exception>
#include <string>
#include <utility>

#include "tandem/sdk/config.hpp"

namespace tandem::detail {
namespace {

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool all_of(std::string_view s, bool (*pred)(char) noexcept) noexcept {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

// ICU's canonicaliser accepts almost any text ("!!!" becomes a "language" of its own), so the parts it
// produced are checked against the shapes BCP 47 / ICU ids allow.
bool looks_like_locale(const icu::Locale& loc) noexcept {
  const std::string_view language = loc.getLanguage();
  const std::string_view script = loc.getScript();
  const std::string_view country = loc.getCountry();
  if (!(language.size() >= 2 && language.size() <= 8 && language.size() != 4 && all_of(language, is_alpha)))
    return false;
  if (!script.empty() && !(script.size() == 4 && all_of(script, is_alpha))) return false;
  if (!country.empty() && !((country.size() == 2 && all_of(country, is_alpha)) ||
                            (country.size() == 3 && all_of(country, is_digit))))
    return false;
  return true;
}

// The canonical ICU locale for an id written either way ("de-de", "de_DE", "en-GB"), or why it is not one.
sdk::Result<icu::Locale> parse_locale(std::string_view id) {
  if (id.empty()) return sdk::Status::invalid_input("no locale given (an ICU id such as \"en_GB\" is needed)");
  const std::string text(id);
  const icu::Locale loc = icu::Locale::createCanonical(text.c_str());
  if (loc.isBogus() || text.find('\0') != std::string::npos || !looks_like_locale(loc))
    return sdk::Status::invalid_input("\"" + text + "\" is not a locale id (expected an ICU id such as \"en_GB\" or a "
                                      "BCP 47 tag such as \"en-GB\")");
  return loc;
}

const icu::DateFormatSymbols::DtWidthType kIcuWidths[3] = {
    icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED, icu::DateFormatSymbols::NARROW};

std::size_t width_index(sdk::NameWidth width) noexcept {
  switch (width) {
    case sdk::NameWidth::wide: return 0;
    case sdk::NameWidth::abbreviated: return 1;
    case sdk::NameWidth::narrow: return 2;
  }
  return 0;
}

sdk::Status icu_failure(const icu::Locale& loc, const char* what, UErrorCode status) {
  return sdk::Status::internal(std::string("ICU could not give the ") + what + " of locale \"" + loc.getName() +
                               "\": " + u_errorName(status));
}

// Everything IcuLocaleFacts answers about `loc`, straight from ICU.
sdk::Result<std::shared_ptr<const IcuLocaleFacts::Facts>> compute_facts(const icu::Locale& loc) {
  auto facts = std::make_shared<IcuLocaleFacts::Facts>();

  UErrorCode status = U_ZERO_ERROR;
  const icu::DateFormatSymbols symbols(loc, status);
  if (U_FAILURE(status)) return icu_failure(loc, "date symbols", status);
  for (std::size_t w = 0; w < 3; ++w) {
    int32_t count = 0;
    const icu::UnicodeString* months = symbols.getMonths(count, icu::DateFormatSymbols::STANDALONE, kIcuWidths[w]);
    for (int32_t i = 0; i < count; ++i) facts->months[w].push_back(to_utf8(months[i]));
    // ICU indexes weekdays by UCalendarDaysOfWeek: [0] is unused, [1] is Sunday ... [7] Saturday.
    const icu::UnicodeString* days = symbols.getWeekdays(count, icu::DateFormatSymbols::STANDALONE, kIcuWidths[w]);
    for (int32_t i = UCAL_SUNDAY; i < count && i <= UCAL_SATURDAY; ++i) facts->weekdays[w].push_back(to_utf8(days[i]));
  }

  status = U_ZERO_ERROR;
  const std::unique_ptr<icu::Calendar> calendar(icu::Calendar::createInstance(loc, status));
  if (U_FAILURE(status) || !calendar) return icu_failure(loc, "calendar", status);
  const UCalendarDaysOfWeek first = calendar->getFirstDayOfWeek(status);
  if (U_FAILURE(status)) return icu_failure(loc, "first day of the week", status);
  facts->first_day_of_week = static_cast<int>(first) - static_cast<int>(UCAL_SUNDAY);

  status = U_ZERO_ERROR;
  const std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(loc, status));
  if (U_FAILURE(status) || !generator) return icu_failure(loc, "date patterns", status);
  const icu::UnicodeString date_pattern = generator->getBestPattern(icu::UnicodeString(u"yMd"), status);
  if (U_FAILURE(status)) return icu_failure(loc, "numeric date pattern", status);
  facts->date_order = date_order_of_pattern(to_utf8(date_pattern));
  // "j" asks for the hour field of the locale's preferred clock: h/K (12 hours) or H/k (24 hours).
  const icu::UnicodeString hour_pattern = generator->getBestPattern(icu::UnicodeString(u"j"), status);
  if (U_FAILURE(status)) return icu_failure(loc, "hour pattern", status);
  facts->uses_24_hour_clock = pattern_has_24_hour_clock(to_utf8(hour_pattern));

  return std::shared_ptr<const IcuLocaleFacts::Facts>(std::move(facts));
}


}  // namespace

sdk::DateOrder date_order_of_pattern(std::string_view pattern) noexcept {
  std::size_t year = std::string_view::npos, month = std::string_view::npos, day = std::string_view::npos;
  bool quoted = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\'') {
      quoted = !quoted;  // '' (an escaped quote) toggles twice: no change
      continue;
    }
    if (quoted) continue;
    if ((c == 'y' || c == 'Y' || c == 'u' || c == 'U' || c == 'r') && year == std::string_view::npos) year = i;
    if ((c == 'M' || c == 'L') && month == std::string_view::npos) month = i;
    if (c == 'd' && day == std::string_view::npos) day = i;
  }
  if (year < month && year < day) return sdk::DateOrder::ymd;
  if (month < day) return sdk::DateOrder::mdy;
  return sdk::DateOrder::dmy;
}

bool pattern_has_24_hour_clock(std::string_view pattern) noexcept {
  bool quoted = false;
  for (char c : pattern) {
    if (c == '\'') {
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    if (c == 'H' || c == 'k') return true;
    if (c == 'h' || c == 'K') return false;
  }
  return true;
}

IcuLocaleFacts::IcuLocaleFacts() {
  int32_t count = 0;
  const icu::Locale* locales = icu::Locale::getAvailableLocales(count);
  for (int32_t i = 0; i < count; ++i) {
    languages_.emplace(locales[i].getLanguage());
    available_.emplace_back(locales[i].getName());
  }
}

IcuLocaleFacts::~IcuLocaleFacts() = default;

sdk::Result<std::shared_ptr<const IcuLocaleFacts::Facts>> IcuLocaleFacts::facts(std::string_view locale) const noexcept {
  return guarded<std::shared_ptr<const Facts>>("locale facts", [&]() -> sdk::Result<std::shared_ptr<const Facts>> {
    // The id as written is a key too ("en_US", "de-DE"), so that a known spelling skips ICU's parsing:
    // the time resolver asks on every expression.
    const std::string written(locale);
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = cache_.find(written); it != cache_.end()) return it->second;
    }
    auto loc = parse_locale(locale);
    if (!loc) return loc.status();
    const std::string name = loc->getName();
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = cache_.find(name); it != cache_.end()) {
        cache_.emplace(written, it->second);
        return it->second;
      }
    }
    if (languages_.find(std::string_view(loc->getLanguage())) == languages_.end())
      return sdk::Status::not_found("unknown locale \"" + std::string(locale) + "\": ICU has no data for the language \"" +
                                    loc->getLanguage() + "\"" + sdk::did_you_mean(name, available_));
    // Computed outside the lock: two threads may both compute a new locale; the first one stored wins.
    auto computed = compute_facts(*loc);
    if (!computed) return computed.status();
    const std::lock_guard<std::mutex> lock(mutex_);
    auto stored = cache_.emplace(name, *computed).first->second;
    cache_.emplace(written, stored);
    return stored;
  });
}

bool IcuLocaleFacts::has_locale(std::string_view locale) const noexcept {
  try {
    auto loc = parse_locale(locale);
    return loc && languages_.find(std::string_view(loc->getLanguage())) != languages_.end();
  } catch (...) {
    return false;
  }
}

sdk::Result<std::string> IcuLocaleFacts::canonical(std::string_view locale) const noexcept {
  return guarded<std::string>("locale facts", [&]() -> sdk::Result<std::string> {
    auto loc = parse_locale(locale);
    if (!loc) return loc.status();
    return std::string(loc->getName());
  });
}

sdk::Result<std::vector<std::string>> IcuLocaleFacts::month_names(std::string_view locale,
                                                                  sdk::NameWidth width) const noexcept {
  return guarded<std::vector<std::string>>("locale facts", [&]() -> sdk::Result<std::vector<std::string>> {
    auto f = facts(locale);
    if (!f) return f.status();
    return (*f)->months[width_index(width)];
  });
}

sdk::Result<std::vector<std::string>> IcuLocaleFacts::weekday_names(std::string_view locale,
                                                                    sdk::NameWidth width) const noexcept {
  return guarded<std::vector<std::string>>("locale facts", [&]() -> sdk::Result<std::vector<std::string>> {
    auto f = facts(locale);
    if (!f) return f.status();
    return (*f)->weekdays[width_index(width)];
  });
}

sdk::Result<int> IcuLocaleFacts::first_day_of_week(std::string_view locale) const noexcept {
  return guarded<int>("locale facts", [&]() -> sdk::Result<int> {
    auto f = facts(locale);
    if (!f) return f.status();
    return (*f)->first_day_of_week;
  });
}

sdk::Result<sdk::DateOrder> IcuLocaleFacts::date_order(std::string_view locale) const noexcept {
  return guarded<sdk::DateOrder>("locale facts", [&]() -> sdk::Result<sdk::DateOrder> {
    auto f = facts(locale);
    if (!f) return f.status();
    return (*f)->date_order;
  });
}

sdk::Result<bool> IcuLocaleFacts::uses_24_hour_clock(std::string_view locale) const noexcept {
  return guarded<bool>("locale facts", [&]() -> sdk::Result<bool> {
    auto f = facts(locale);
    if (!f) return f.status();
    return (*f)->uses_24_hour_clock;
  });
}

std::string IcuLocaleFacts::fold_case(std::string_view text) const noexcept {
  try {
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    return to_utf8(s.foldCase(U_FOLD_CASE_DEFAULT));
  } catch (...) {
    return {};
  }
}

}  // namespace tandem::detail
