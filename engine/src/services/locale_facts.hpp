// Internal: sdk::LocaleFacts on ICU — month and weekday names (DateFormatSymbols, standalone forms), the
// first day of the week (Calendar), the numeric date order and the hour cycle (DateTimePatternGenerator,
// skeletons "yMd" and "j"), locale canonicalisation (Locale::createCanonical) and full Unicode case
// folding (UnicodeString::foldCase). No locale fact is written down here by hand.
//
// A locale whose language ICU has no data for is refused (Status not_found) rather than answered from
// ICU's root locale, which would silently give English-like facts for any typo.
//
// Thread-safety: every method may be called from many threads. The facts of each locale are computed
// once, on first use, and kept in a cache guarded by a mutex; ICU objects never leave this file.
#ifndef TANDEM_ENGINE_SERVICES_LOCALE_FACTS_HPP_
#define TANDEM_ENGINE_SERVICES_LOCALE_FACTS_HPP_

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/services.hpp"

namespace tandem::detail {

// The order of day, month and year in a date pattern ("dd/MM/y" -> dmy), ignoring quoted literals;
// ymd when the year comes first, mdy when the month precedes the day, dmy otherwise.
sdk::DateOrder date_order_of_pattern(std::string_view pattern) noexcept;
// True when a time pattern's hour field is a 24-hour one (H or k), outside quoted literals.
bool pattern_has_24_hour_clock(std::string_view pattern) noexcept;

class IcuLocaleFacts final : public sdk::LocaleFacts {
 public:
  IcuLocaleFacts();
  ~IcuLocaleFacts() override;

  bool has_locale(std::string_view locale) const noexcept override;
  sdk::Result<std::string> canonical(std::string_view locale) const noexcept override;
  sdk::Result<std::vector<std::string>> month_names(std::string_view locale, sdk::NameWidth width) const noexcept override;
  sdk::Result<std::vector<std::string>> weekday_names(std::string_view locale, sdk::NameWidth width) const noexcept override;
  sdk::Result<int> first_day_of_week(std::string_view locale) const noexcept override;
  sdk::Result<sdk::DateOrder> date_order(std::string_view locale) const noexcept override;
  sdk::Result<bool> uses_24_hour_clock(std::string_view locale) const noexcept override;
  std::string fold_case(std::string_view text) const noexcept override;

  // Everything this class answers about one locale, computed at once from ICU.
  struct Facts {
    std::vector<std::string> months[3];    // by NameWidth: wide, abbreviated, narrow
    std::vector<std::string> weekdays[3];  // Sunday first
    int first_day_of_week = 0;
    sdk::DateOrder date_order = sdk::DateOrder::dmy;
    bool uses_24_hour_clock = true;
  };

 private:
  // The facts of a locale, from the cache or computed now; a Status when the id is malformed or ICU
  // has no data for its language.
  sdk::Result<std::shared_ptr<const Facts>> facts(std::string_view locale) const noexcept;

  std::set<std::string, std::less<>> languages_;  // every language ICU has locale data for
  std::vector<std::string> available_;            // every available locale id, for suggestions
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const Facts>, std::less<>> cache_;  // by canonical id and by the id as written
};

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_SERVICES_LOCALE_FACTS_HPP_
