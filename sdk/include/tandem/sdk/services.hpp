// tandem SDK — what the host offers plugins, so that plugins never need engine headers.
//
// The engine implements these with its own logger, the system clock, Howard Hinnant's date/tz (zones,
// DST) and ICU (locale facts). Plugins get a Services& in their constructor (PluginContext) and may keep
// it: it outlives every plugin object. Tests use the fakes of the conformance kit.
//
// Thread-safety: every method of every service may be called from many threads at once.
// No method throws; failures are Result/Status values.
#ifndef TANDEM_SDK_SERVICES_HPP_
#define TANDEM_SDK_SERVICES_HPP_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/status.hpp"
#include "tandem/sdk/temporal.hpp"

namespace tandem::sdk {

enum class LogLevel { debug, info, warning, error };

class Logger {
 public:
  virtual ~Logger() = default;
  // `source` is the plugin instance name; the engine adds it to every line.
  virtual void log(LogLevel level, std::string_view source, std::string_view message) noexcept = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_time<std::chrono::milliseconds> now() const noexcept = 0;
};

// A wall-clock time in some zone, as written in text ("1 Dec 2026, 15:00").
using LocalTime = std::chrono::local_seconds;

// How a local time maps to instants in a zone.
struct ZonedInstant {
  std::chrono::sys_seconds instant{};  // the chosen instant (the earlier one when ambiguous)
  std::chrono::sys_seconds later{};    // the other instant when `ambiguous` (DST fall-back), else = instant
  int utc_offset_minutes = 0;          // at `instant`
  std::string abbreviation;            // "CET", "PDT"
  bool ambiguous = false;              // the local time occurs twice (clocks went back)
  bool nonexistent = false;            // the local time was skipped (clocks went forward); `instant`
                                       // is the moment the gap ended, as a person would mean it
};

// Time zones and zone arithmetic (date/tz in the engine). Calendar arithmetic on dates needs no
// service: std::chrono's year_month_day, weekday and local_days are part of the standard library.
class TimeService {
 public:
  virtual ~TimeService() = default;
  // True when `zone` is an IANA zone name the tz database knows ("Europe/Berlin").
  virtual bool has_zone(std::string_view zone) const noexcept = 0;
  // The instant(s) a local time names in `zone`.
  virtual Result<ZonedInstant> to_instant(LocalTime local, std::string_view zone) const noexcept = 0;
  // The local time an instant shows in `zone`.
  virtual Result<LocalTime> to_local(std::chrono::sys_seconds instant, std::string_view zone) const noexcept = 0;
  // The offset from UTC, in minutes, of `zone` at `instant`.
  virtual Result<int> utc_offset_minutes(std::chrono::sys_seconds instant, std::string_view zone) const noexcept = 0;

  // Every reading of a time expression in `context`, the main one first (temporal.hpp; the conventions
  // of shared/eval/time/FORMAT.md). A zone named in the expression is looked up (IANA names, city
  // names, abbreviations by the context's locale) and the times converted into the context's zone.
  // The readings are written over `out`, which ends holding exactly them: its elements are reused, so
  // that a caller resolving many expressions with one vector soon stops allocating. With `explain`
  // false every reading's `why` is left empty: the same readings, without the work of explaining them.
  // invalid_input: the expression cannot be resolved (an impossible date, an unknown zone name); `out`
  // is then empty.
  virtual Status resolve_into(const TimeExpression& expression, const TimeContext& context,
                              std::vector<TimeReading>& out, bool explain) const noexcept = 0;

  // resolve_into() into a new vector, every reading explained.
  Result<std::vector<TimeReading>> resolve(const TimeExpression& expression, const TimeContext& context) const noexcept {
    std::vector<TimeReading> out;
    if (Status s = resolve_into(expression, context, out, true); !s.is_ok()) return s;
    return out;
  }
};

enum class NameWidth { wide, abbreviated, narrow };
enum class DateOrder { dmy, mdy, ymd };

// Locale facts from ICU. `locale` is an ICU id ("en_GB", "de-DE" is accepted too).
class LocaleFacts {
 public:
  virtual ~LocaleFacts() = default;
  // True when ICU has data for the locale's language.
  virtual bool has_locale(std::string_view locale) const noexcept = 0;
  // The canonical ICU id ("de-de" -> "de_DE").
  virtual Result<std::string> canonical(std::string_view locale) const noexcept = 0;
  // January first; standalone (nominative) forms.
  virtual Result<std::vector<std::string>> month_names(std::string_view locale, NameWidth width) const noexcept = 0;
  // Sunday first, as std::chrono::weekday counts; standalone forms.
  virtual Result<std::vector<std::string>> weekday_names(std::string_view locale, NameWidth width) const noexcept = 0;
  // 0 = Sunday ... 6 = Saturday.
  virtual Result<int> first_day_of_week(std::string_view locale) const noexcept = 0;
  // The order of day, month and year in the locale's short numeric date.
  virtual Result<DateOrder> date_order(std::string_view locale) const noexcept = 0;
  // True when the locale's preferred clock has 24 hours.
  virtual Result<bool> uses_24_hour_clock(std::string_view locale) const noexcept = 0;
  // Full Unicode case folding of UTF-8 text, for case-insensitive matching.
  virtual std::string fold_case(std::string_view text) const noexcept = 0;
};

// Everything at once; what a plugin receives.
class Services {
 public:
  virtual ~Services() = default;
  virtual Logger& logger() noexcept = 0;
  virtual const Clock& clock() const noexcept = 0;
  virtual const TimeService& time() const noexcept = 0;
  virtual const LocaleFacts& locale() const noexcept = 0;
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_SERVICES_HPP_
