#include "time/resolver.hpp"

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>
#include <unicode/calendar.h>
#include <unicode/locid.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "time/zone_clock.hpp"
#include "time/zone_names.hpp"

namespace tandem::detail::time {
namespace {

using date::days;
using date::local_days;
using date::local_seconds;
using std::chrono::minutes;
using Shape = sdk::TimeExpression::Shape;
using Kind = sdk::DayRef::Kind;
using Mode = sdk::DayRef::Mode;

// Priors of the ambiguity readings (main, alternative). A person reading the text would accept either;
// the main one is what most writers mean (FORMAT.md), and the extractor asks when it is below 0.9.
constexpr double kNextWeekdayMain = 0.7;    // "next Tuesday": next week's vs the first after sent
constexpr double kBareSevenEightMain = 0.75;  // "at 7" / "at 8": morning vs evening
constexpr double kNextWeekOnFirstDayMain = 0.7;  // "next week" sent on the first day of a week
constexpr double kDateOverWeekdayMain = 0.7;  // "Tuesday 11 March" when 11 March is a Wednesday
constexpr int kMinutesPerDay = 24 * 60;

constexpr std::string_view kWeekdayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

std::string_view weekday_name(date::weekday wd) { return kWeekdayNames[wd.c_encoding()]; }

// Copies `n` bytes from `from` to `to` (not overlapping). The texts copied here are short (parts of
// explanations), so a copy is a few overlapping word moves inline rather than a call of memcpy.
template <std::size_t N>
void move_word(char* to, const char* from) {
  char word[N];
  std::memcpy(word, from, N);
  std::memcpy(to, word, N);
}
[[gnu::always_inline]] inline void copy_bytes(char* to, const char* from, std::size_t n) {
  if (n <= 16) {
    if (n >= 8) {
      move_word<8>(to, from);
      move_word<8>(to + n - 8, from + n - 8);
    } else if (n >= 4) {
      move_word<4>(to, from);
      move_word<4>(to + n - 4, from + n - 4);
    } else if (n != 0) {
      to[0] = from[0];
      to[n / 2] = from[n / 2];
      to[n - 1] = from[n - 1];
    }
  } else if (n <= 32) {
    move_word<16>(to, from);
    move_word<16>(to + n - 16, from + n - 16);
  } else if (n <= 64) {
    move_word<16>(to, from);
    move_word<16>(to + 16, from + 16);
    move_word<16>(to + n - 32, from + n - 32);
    move_word<16>(to + n - 16, from + n - 16);
  } else {
    std::memcpy(to, from, n);
  }
}

// An explanation being written. Its bytes live in a string kept at its largest size, so that a Text
// reused from one resolve to the next writes into room it already has: appending is a copy after one
// comparison, with none of std::string's checks and terminators per part. A Text may also show text
// that lives elsewhere (refer(): a literal, or a table made once) without copying it.
class Text {
 public:
  Text() = default;
  Text(std::string_view s) { assign(s); }  // NOLINT: implicit, as a string's
  Text(const char* s) : Text(std::string_view(s)) {}  // NOLINT

  void clear() noexcept {
    len_ = 0;
    other_ = nullptr;
  }
  bool empty() const noexcept { return len_ == 0; }
  std::string_view view() const noexcept { return {other_ != nullptr ? other_ : bytes_.data(), len_}; }

  // Shows `s`, which must outlive this Text's use, without copying it; an append copies it first.
  void refer(std::string_view s) noexcept {
    other_ = s.data();
    len_ = s.size();
  }
  // `s` must not point into this Text.
  void append(std::string_view s) {
    copy_bytes(room(s.size()), s.data(), s.size());
  }
  void assign(std::string_view s) {
    clear();
    append(s);
  }
  Text& operator+=(std::string_view s) {
    append(s);
    return *this;
  }
  // `n` more bytes at the end, to be written by the caller.
  char* room(std::size_t n) {
    if (other_ != nullptr) own();
    if (bytes_.size() - len_ < n) grow(n);
    char* at = bytes_.data() + len_;
    len_ += n;
    return at;
  }

 private:
  // Out of line, so that room() is a comparison where it is used.
  [[gnu::noinline]] void grow(std::size_t n) { bytes_.resize(std::max(len_ + n, 2 * bytes_.size() + 64)); }
  // The text referred to, copied into bytes_.
  [[gnu::noinline]] void own() {
    const char* from = other_;
    const std::size_t n = len_;
    clear();
    copy_bytes(room(n), from, n);
  }

  std::string bytes_;    // bytes_.size() is the room; the first len_ bytes are the text (unless other_)
  std::size_t len_ = 0;
  const char* other_ = nullptr;  // the text shown, when it is not in bytes_ (refer())
};

// The parts, one after the other, written over `out` (its room reused).
void cat_to(Text& out, std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  out.clear();
  char* at = out.room(n);
  for (std::string_view p : parts) {
    copy_bytes(at, p.data(), p.size());
    at += p.size();
  }
}

// The parts, one after the other, written over `out` (whose capacity is reused; at most one allocation).
void cat_to(std::string& out, std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  out.clear();
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
}

// The parts, one after the other, in one allocation (explanations are made for every reading).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  cat_to(out, parts);
  return out;
}

// "00" to "99": two digits per table lookup.
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> t{};
  for (int v = 0; v < 100; ++v) {
    t[static_cast<std::size_t>(2 * v)] = static_cast<char>('0' + v / 10);
    t[static_cast<std::size_t>(2 * v + 1)] = static_cast<char>('0' + v % 10);
  }
  return t;
}();
void put2(char* at, int value) {  // 0 <= value < 100
  at[0] = kDigitPairs[static_cast<std::size_t>(2 * value)];
  at[1] = kDigitPairs[static_cast<std::size_t>(2 * value + 1)];
}

// "2026-11-24" (years 0 to 9999 in a buffer of its own; others through date's formatting). Made from
// the year, month and day where the caller has them (finding a date gives them): from a day count they
// are a conversion.
class DayText {
 public:
  explicit DayText(local_days d) : DayText(date::year_month_day{d}) {}
  explicit DayText(const date::year_month_day& ymd) {
    const int y = static_cast<int>(ymd.year());
    if (y < 0 || y > 9999) {
      // At most "-32767-12-31": date::format's text, copied into the buffer (no string kept to destroy).
      const std::string other = date::format("%Y-%m-%d", local_days{ymd});
      len_ = std::min(other.size(), sizeof buf_);
      std::memcpy(buf_, other.data(), len_);
      return;
    }
    put2(buf_, y / 100);
    put2(buf_ + 2, y % 100);
    buf_[4] = '-';
    put2(buf_ + 5, static_cast<int>(static_cast<unsigned>(ymd.month())));
    buf_[7] = '-';
    put2(buf_ + 8, static_cast<int>(static_cast<unsigned>(ymd.day())));
    len_ = 10;
  }
  std::string_view view() const { return {buf_, len_}; }

 private:
  char buf_[16];
  std::size_t len_ = 0;
};

// An int in decimal, as std::to_string writes it, in a buffer of its own (no string made for a part of
// an explanation).
class IntText {
 public:
  explicit IntText(int v) {
    unsigned u = v < 0 ? 0u - static_cast<unsigned>(v) : static_cast<unsigned>(v);
    char* at = buf_ + sizeof buf_;
    do {
      *--at = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0) *--at = '-';
    begin_ = at;
  }
  IntText(const IntText&) = delete;  // begin_ points into buf_
  IntText& operator=(const IntText&) = delete;
  std::string_view view() const { return {begin_, static_cast<std::size_t>(buf_ + sizeof buf_ - begin_)}; }

 private:
  char buf_[11];  // "-2147483648"
  const char* begin_;
};

// The working days of a locale, Sunday first, from ICU's week data (Calendar::getDayOfWeekType): Monday
// to Friday for most, Sunday to Thursday in Israel and much of the Middle East. Cached per locale.
std::array<bool, 7> working_days(const std::string& locale) {
  static std::mutex mutex;
  static std::map<std::string, std::array<bool, 7>, std::less<>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(locale); it != cache.end()) return it->second;
  }
  std::array<bool, 7> days_on = {false, true, true, true, true, true, false};
  UErrorCode status = U_ZERO_ERROR;
  std::string id = locale.empty() || locale == "und" ? std::string("root") : locale;
  std::replace(id.begin(), id.end(), '-', '_');
  const std::unique_ptr<icu::Calendar> calendar(icu::Calendar::createInstance(icu::Locale(id.c_str()), status));
  if (U_SUCCESS(status) && calendar) {
    std::array<bool, 7> from_icu{};
    for (int i = 0; i < 7 && U_SUCCESS(status); ++i) {
      from_icu[static_cast<std::size_t>(i)] =
          calendar->getDayOfWeekType(static_cast<UCalendarDaysOfWeek>(UCAL_SUNDAY + i), status) == UCAL_WEEKDAY;
    }
    if (U_SUCCESS(status)) days_on = from_icu;
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(locale, days_on);
  return days_on;
}

// Everything a reading is computed against, for one candidate zone.
struct Env {
  const date::time_zone* zone = nullptr;    // the zone the text names, or the sender's
  const date::time_zone* sender = nullptr;  // the context's zone
  std::chrono::sys_seconds sent{};
  local_days today;           // the day of sent in `zone`'s calendar
  date::weekday first_dow;    // the locale's first day of the week
  std::string_view week_rule;  // "weeks start on Sunday for en_US" (owned by the thread's LocaleWeek)
  const std::array<bool, 7>* working = nullptr;  // the locale's working days, Sunday first (the thread's)
  ZoneClock* clock = nullptr;     // the thread's (one TLS lookup per resolve)
  bool explain = true;            // write the explanations (`why`) of day choices and readings
};

// Writes an explanation made of `parts` over `out`, when `e` asks for explanations.
void say(const Env& e, Text& out, std::initializer_list<std::string_view> parts) {
  if (e.explain) cat_to(out, parts);
}

[[gnu::always_inline]] inline local_days week_start(const Env& e, local_days d) { return d - (date::weekday{d} - e.first_dow); }
local_days first_after(local_days ref, date::weekday wd) { return ref + days{1} + (wd - date::weekday{ref + days{1}}); }
local_days on_or_after(local_days ref, date::weekday wd) { return ref + (wd - date::weekday{ref}); }
local_days last_before(local_days ref, date::weekday wd) { return ref - days{1} - (date::weekday{ref - days{1}} - wd); }

// The instant a wall time in `zone` names: a time skipped by a spring-forward change means the instant
// the gap ended; a time that occurs twice, the earlier instant (as TzTimeService::to_instant).
std::chrono::sys_seconds instant_of(const Env& e, local_seconds t) { return e.clock->sys_earliest(*e.zone, t); }
// Inlined into the loop over readings: mostly one comparison with the period used last.
[[gnu::always_inline]] inline local_seconds in_sender_zone(const Env& e, local_seconds t) {
  if (e.zone == e.sender) return e.clock->wall(*e.zone, t);  // the same instant round trip, mostly no search
  return e.clock->local(*e.sender, instant_of(e, t));
}

// A day, or a run of days [first, end), that a DayRef can mean.
struct DayChoice {
  local_days first;
  local_days end;  // exclusive: the 00:00 after the last day
  double weight = 1;
  Text why;
};

// The day choices of one DayRef (at most two by the rules below: a main reading and one other), in a
// list that keeps its elements from one use to the next, so that their explanations are written into
// strings that already have room (a thread resolves many).
class DayList {
 public:
  void clear() noexcept { size_ = 0; }
  // A new last choice; its explanation is empty, to be written.
  DayChoice& add(local_days first, local_days end, double weight) {
    if (size_ == kMax) throw std::logic_error("time resolver: more day choices than a DayList holds");
    DayChoice& c = items_[size_++];
    c.first = first;
    c.end = end;
    c.weight = weight;
    c.why.clear();
    return c;
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  DayChoice& front() noexcept { return items_.front(); }
  const DayChoice* data() const noexcept { return items_.data(); }
  DayChoice* begin() noexcept { return items_.data(); }
  DayChoice* end() noexcept { return items_.data() + size_; }

 private:
  static constexpr std::size_t kMax = 4;
  std::array<DayChoice, kMax> items_;  // the first size_ are in use
  std::size_t size_ = 0;
};

DayChoice& one_day(DayList& out, local_days d, double weight = 1) { return out.add(d, d + days{1}, weight); }

sdk::Status bad(std::string what) { return sdk::Status::invalid_input("time expression: " + std::move(what)); }

sdk::Status check_month_day(int month, int day) {
  if (month < 1 || month > 12) return bad("month " + std::to_string(month) + " does not exist (months run 1 to 12)");
  if (day < 1 || day > 31) return bad("day " + std::to_string(day) + " does not exist (days run 1 to 31)");
  // 2000 is a leap year: the most days each month can have.
  const unsigned most = static_cast<unsigned>((date::year{2000} / date::month{static_cast<unsigned>(month)} / date::last).day());
  if (static_cast<unsigned>(day) > most) {
    return bad(std::string(kMonthNames[month - 1]) + " " + std::to_string(day) + " does not exist (" +
               kMonthNames[month - 1] + " has at most " + std::to_string(most) + " days)");
  }
  return sdk::Status::ok();
}

// A day found, with its year, month and day (for its text).
struct FoundDay {
  local_days day;
  date::year_month_day ymd;
};

// A date: as written when the year is; else its next occurrence on or after `ref` (backward: the most
// recent on or before `ref`), skipping years without it (29 February). Written into `found`; false with
// `error` naming what is wrong (a bool and no Result, so that a success builds and destroys no Status).
bool find_date(int year, int month, int day, local_days ref, bool backward, FoundDay& found, sdk::Status& error) {
  // The Status naming what is wrong only for a month or day that cannot be.
  if (month < 1 || month > 12 || day < 1 || day > 29) {
    if (sdk::Status s = check_month_day(month, day); !s) {
      error = std::move(s);
      return false;
    }
  }
  const date::month m{static_cast<unsigned>(month)};
  const date::day d{static_cast<unsigned>(day)};
  if (year != 0) {
    const date::year_month_day ymd = date::year{year} / m / d;
    if (!ymd.ok()) {
      error = bad("date " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day) +
                  " does not exist (" + kMonthNames[month - 1] + " " + std::to_string(year) + " has " +
                  std::to_string(static_cast<unsigned>((date::year{year} / m / date::last).day())) + " days)");
      return false;
    }
    found = {local_days{ymd}, ymd};
    return true;
  }
  const date::year y0 = date::year_month_day{ref}.year();
  for (int k = 0; k <= 8; ++k) {
    const date::year y = backward ? y0 - date::years{k} : y0 + date::years{k};
    const date::year_month_day ymd = y / m / d;
    if (!ymd.ok()) continue;
    const local_days ld{ymd};
    if (backward ? ld <= ref : ld >= ref) {
      found = {ld, ymd};
      return true;
    }
  }
  error = bad(std::string(kMonthNames[month - 1]) + " " + std::to_string(day) + ": no such day within 8 years");
  return false;
}

// "the 16th": the next month (from `ref`'s) that has that day on or after `ref`; backward: on or before.
// Written into `found`, as find_date() does.
bool find_day_of_month(int day, local_days ref, bool backward, FoundDay& found, sdk::Status& error) {
  if (day < 1 || day > 31) {
    error = bad("day " + std::to_string(day) + " does not exist (days run 1 to 31)");
    return false;
  }
  const date::year_month_day r{ref};
  const date::year_month ym0 = r.year() / r.month();
  for (int k = 0; k <= 24; ++k) {
    const date::year_month ym = backward ? ym0 - date::months{k} : ym0 + date::months{k};
    const date::year_month_day ymd = ym / date::day{static_cast<unsigned>(day)};
    if (!ymd.ok()) continue;
    const local_days ld{ymd};
    if (backward ? ld <= ref : ld >= ref) {
      found = {ld, ymd};
      return true;
    }
  }
  error = bad("day " + std::to_string(day) + " of a month: not found within two years");
  return false;
}

bool is_weekday(int wd) { return wd >= 0 && wd <= 6; }
sdk::Status bad_weekday(int wd) { return bad("weekday " + std::to_string(wd) + " does not exist (0 Sunday to 6 Saturday)"); }

// An internal step's failure: `error` takes the Status and the step returns false (the steps return a
// bool, so that a success builds and destroys no Status).
bool fail(sdk::Status& error, sdk::Status s) {
  error = std::move(s);
  return false;
}

// The explanations of weekday choices that name nothing but the weekday, made once per process (the
// same parts as written by say()), by variant and weekday.
enum WeekdayWhy { kPastWeekday, kEndingRange, kBareWeekday, kThisWeekday, kNextWeekday, kNextAlsoFirst, kNextOnly, kLastWeekday, kWeekdayWhys };

// The weekday explanations, joined at compile time into fixed rooms: a lookup is an index, with no
// initialisation guard to test per call.
struct WeekdayWhyTable {
  static constexpr std::size_t kRoom = 96;  // the longest, "next Wednesday (the text also says ...", is 79
  std::array<std::array<char, kRoom>, kWeekdayWhys * 7> text{};
  std::array<std::uint8_t, kWeekdayWhys * 7> size{};

  constexpr void put(WeekdayWhy variant, unsigned wd, std::initializer_list<std::string_view> parts) {
    const std::size_t k = static_cast<std::size_t>(variant) * 7 + wd;
    std::size_t n = 0;
    for (std::string_view p : parts)
      for (char c : p) {
        if (n == kRoom) throw std::logic_error("weekday explanation longer than its room");  // a compile error
        text[k][n++] = c;
      }
    size[k] = static_cast<std::uint8_t>(n);
  }
};
constexpr WeekdayWhyTable kWeekdayWhyTable = [] {
  WeekdayWhyTable t;
  for (unsigned k = 0; k < 7; ++k) {
    const std::string_view name = kWeekdayNames[k];
    t.put(kPastWeekday, k, {name, " in a past clause: the most recent before the day of sent"});
    t.put(kEndingRange, k, {name, " ending a range: the first on or after its start"});
    t.put(kBareWeekday, k, {name, ": the first ", name, " after the day of sent"});
    t.put(kThisWeekday, k, {"this ", name, ": the first on or after the day of sent"});
    t.put(kNextWeekday, k, {"next ", name, ": the ", name, " of next week"});
    t.put(kNextAlsoFirst, k, {"next ", name, ": also read as the first ", name, " after the day of sent"});
    t.put(kNextOnly, k, {"next ", name, " (the text also says this ", name, "): the ", name, " of next week"});
    t.put(kLastWeekday, k, {"last ", name, ": the most recent before the day of sent"});
  }
  return t;
}();

std::string_view weekday_why(WeekdayWhy variant, date::weekday wd) {
  const std::size_t k = static_cast<std::size_t>(variant) * 7 + wd.c_encoding();
  return {kWeekdayWhyTable.text[k].data(), kWeekdayWhyTable.size[k]};
}

// `c` explained by `variant` of its weekday, when `e` asks for explanations.
[[gnu::always_inline]] inline void say_weekday(const Env& e, DayChoice& c, WeekdayWhy variant, date::weekday wd) {
  if (e.explain) c.why.refer(weekday_why(variant, wd));
}

// A week from `start`, explained by `why` (and `why_more`, `why_end`: the parts of an explanation with a
// number or a date in it, joined without a string made for them) and the locale's week rule.
void week_choice(DayList& out, const Env& e, local_days start, std::string_view why, double weight = 1,
                 std::string_view why_more = {}, std::string_view why_end = {}) {
  say(e, out.add(start, start + days{7}, weight).why, {why, why_more, why_end, " (", e.week_rule, ")"});
}

// Every day (or run of days) `ref` can mean, into `out` (cleared first). `reference` is the day relative
// words count from: the day of sent, or — for the `to` end of a range — the first day of `from` (then
// "Wednesday" and "Jan 2" mean the first on or after it). Kind::none gives no choice: the caller decides
// today or tomorrow.
bool resolve_day(const sdk::DayRef& ref, const Env& e, local_days reference, bool to_side, DayList& out,
                 sdk::Status& error) {
  out.clear();
  const local_days today = e.today;
  FoundDay date_found{};  // a date's or a day of the month's (its text is made from it)
  switch (ref.kind) {
    case Kind::none:
      return true;
    case Kind::relative: {
      DayChoice& c = one_day(out, today + days{ref.offset});
      if (e.explain) {
        if (ref.offset == 0) c.why.refer("today");
        else if (ref.offset == 1) c.why.refer("tomorrow");
        else if (ref.offset == -1) c.why.refer("yesterday");
        else if (ref.offset > 0) cat_to(c.why, {IntText(ref.offset).view(), " days after the day of sent"});
        else cat_to(c.why, {IntText(-ref.offset).view(), " days before the day of sent"});
      }
      break;
    }
    case Kind::weekday: {
      if (!is_weekday(ref.weekday)) return fail(error, bad_weekday(ref.weekday));
      const date::weekday weekday{static_cast<unsigned>(ref.weekday)};
      const date::weekday* wd = &weekday;
      // The weekday of next week (week_start's arithmetic only for the modes that use it).
      const auto next_week_day = [&] { return week_start(e, today) + days{7} + (*wd - e.first_dow); };
      switch (ref.mode) {
        case Mode::bare:
        case Mode::this_:
          if (ref.past) {
            say_weekday(e, one_day(out, last_before(today, *wd)), kPastWeekday, *wd);
          } else if (to_side) {
            say_weekday(e, one_day(out, on_or_after(reference, *wd)), kEndingRange, *wd);
          } else if (ref.mode == Mode::bare) {
            say_weekday(e, one_day(out, first_after(today, *wd)), kBareWeekday, *wd);
          } else {
            say_weekday(e, one_day(out, on_or_after(today, *wd)), kThisWeekday, *wd);
          }
          break;
        case Mode::next: {
          const local_days next = next_week_day();
          say_weekday(e, one_day(out, next, kNextWeekdayMain), kNextWeekday, *wd);
          const local_days bare = first_after(today, *wd);
          if (bare != next) {
            say_weekday(e, one_day(out, bare, 1 - kNextWeekdayMain), kNextAlsoFirst, *wd);
          } else {
            out.front().weight = 1;
          }
          break;
        }
        case Mode::next_only:
          say_weekday(e, one_day(out, next_week_day()), kNextOnly, *wd);
          break;
        case Mode::last:
          say_weekday(e, one_day(out, last_before(today, *wd)), kLastWeekday, *wd);
          break;
        case Mode::in_week: {
          DayChoice& c = one_day(out, week_start(e, today) + date::weeks{ref.offset} + (*wd - e.first_dow));
          if (e.explain) cat_to(c.why, {weekday_name(*wd), " of the week ", IntText(ref.offset).view(), " week(s) after sent's week"});
          break;
        }
      }
      break;
    }
    case Kind::date: {
      using namespace std::string_view_literals;  // lengths known at compile time
      const bool backward = ref.past && ref.year == 0;
      if (!find_date(ref.year, ref.month, ref.day, to_side ? reference : today, backward, date_found, error))
        return false;
      DayChoice& c = one_day(out, date_found.day);
      if (e.explain)
        cat_to(c.why, {DayText(date_found.ymd).view(), ref.year != 0 ? ": the date as written"sv
                                     : backward    ? ": a date in a past clause, the most recent on or before the day of sent"sv
                                     : to_side     ? ": a date ending a range, the first on or after its start"sv
                                                   : ": a date without a year, its next occurrence on or after the day of sent"sv});
      break;
    }
    case Kind::day_of_month: {
      using namespace std::string_view_literals;
      if (!find_day_of_month(ref.day, to_side ? reference : today, ref.past, date_found, error)) return false;
      DayChoice& c = one_day(out, date_found.day);
      if (e.explain)
        cat_to(c.why, {"the "sv, IntText(ref.day).view(),
                       ref.past ? ": the most recent such day on or before the day of sent"sv
                                : ": the next such day on or after "sv,
                       ref.past ? ""sv : to_side ? "the range's start"sv : "the day of sent"sv});
      break;
    }
    case Kind::week: {
      const local_days this_week = week_start(e, today);
      if (ref.day != 0) {
        // "the week of Dec 7": the week holding the date; the date counts from the start of this week, so
        // that "the week of" a day earlier this week is this week.
        if (!(ref.month != 0 ? find_date(ref.year, ref.month, ref.day, this_week, false, date_found, error)
                             : find_day_of_month(ref.day, this_week, false, date_found, error)))
          return false;
        week_choice(out, e, week_start(e, date_found.day), "the week of ", 1,
                    e.explain ? DayText(date_found.ymd).view() : std::string_view());
        break;
      }
      switch (ref.mode) {
        case Mode::bare:
        case Mode::this_:
          week_choice(out, e, this_week, "this week, whole");
          break;
        case Mode::next:
          if (today == this_week && !(*e.working)[date::weekday{today}.c_encoding()]) {
            // Sent on the first day of a week that is a day off (Sunday in en_US): FORMAT's rule ("the week
            // after the one that holds sent") is the main reading; the working week starting tomorrow, which
            // many writers still call "next week" on a weekend, is the other. Sent on a first day that is a
            // working day (Monday in de, fr, es, en_GB) the writer is inside this week: next week is the one
            // after, with no alternative.
            week_choice(out, e, this_week + date::weeks{1}, "next week: the week after the one holding sent", kNextWeekOnFirstDayMain);
            week_choice(out, e, this_week, "next week sent on a first day of the week that is a day off: also the week starting that day", 1 - kNextWeekOnFirstDayMain);
          } else {
            week_choice(out, e, this_week + date::weeks{1}, "next week: the week after the one holding sent");
          }
          break;
        case Mode::next_only:
          week_choice(out, e, this_week + date::weeks{1}, "next week: the week after the one holding sent");
          break;
        case Mode::last:
          week_choice(out, e, this_week - date::weeks{1}, "last week: the week before the one holding sent");
          break;
        case Mode::in_week:
          week_choice(out, e, this_week + date::weeks{ref.offset}, "the week ", 1, IntText(ref.offset).view(),
                      " week(s) after sent's week");
          break;
      }
      break;
    }
    case Kind::rest_of_week: {
      const local_days end = week_start(e, today) + days{7};
      if (today + days{1} < end) {
        say(e, out.add(today + days{1}, end, 1).why,
            {"this week: from the day after sent to the end of its week (", e.week_rule, ")"});
      } else {
        // Sent on the last day of a week nothing of it is left: the writer means the coming week.
        week_choice(out, e, end, "this week, sent on the week's last day: the coming week");
      }
      break;
    }
    case Kind::end_of_week: {
      auto last_working_day = [&e](local_days start) {
        for (int i = 6; i >= 0; --i) {
          const local_days d = start + days{i};
          if ((*e.working)[date::weekday{d}.c_encoding()]) return d;
        }
        return start + days{6};
      };
      local_days d = last_working_day(week_start(e, today));
      if (d >= today) {
        say(e, one_day(out, d).why, {"end of the week: the last working day of the current week (",
                                     weekday_name(date::weekday{d}), " for the locale)"});
      } else {
        d = last_working_day(week_start(e, today) + date::weeks{1});
        say(e, one_day(out, d).why, {"end of the week: this week's last working day is past, so next week's"});
      }
      break;
    }
    case Kind::month: {
      const date::year_month_day t{today};
      date::year_month ym = t.year() / t.month();
      if (ref.month != 0 && (ref.month < 1 || ref.month > 12)) {
        return fail(error, bad("month " + std::to_string(ref.month) + " does not exist (months run 1 to 12)"));
      }
      const date::month m{static_cast<unsigned>(ref.month)};
      if (ref.month == 0) ym += date::months{ref.offset};
      else if (ref.year != 0) ym = date::year{ref.year} / m;
      else if (ref.past) ym = (m <= t.month() ? t.year() : t.year() - date::years{1}) / m;
      else ym = (m >= t.month() ? t.year() : t.year() + date::years{1}) / m;
      const local_days first{ym / date::day{1}};
      const local_days end{(ym + date::months{1}) / date::day{1}};
      DayChoice& c = out.add(first, end, 1);
      if (e.explain) {
        const std::string_view name = ref.month != 0 ? kMonthNames[ref.month - 1] : "";
        if (ref.month == 0) cat_to(c.why, {"the month ", IntText(ref.offset).view(), " month(s) after sent's"});
        else if (ref.year != 0) cat_to(c.why, {name, " ", IntText(ref.year).view(), ": as written"});
        else if (ref.past) cat_to(c.why, {name, " in a past clause: the most recent"});
        else cat_to(c.why, {name, ": its next occurrence (the current month included)"});
      }
      break;
    }
    case Kind::iso_week: {
      if (ref.week_number < 1 || ref.week_number > 53) {
        return fail(error, bad("ISO week " + std::to_string(ref.week_number) + " does not exist (weeks run 1 to 53)"));
      }
      const iso_week::weeknum n{static_cast<unsigned>(ref.week_number)};
      auto start_of = [&](iso_week::year y) -> std::pair<bool, local_days> {
        const iso_week::year_weeknum_weekday w = y / n / iso_week::mon;
        if (!w.ok()) return {false, {}};
        return {true, local_days{w}};
      };
      std::pair<bool, local_days> found{false, {}};
      if (ref.year != 0) {
        found = start_of(iso_week::year{ref.year});
        if (!found.first) {
          return fail(error, bad("ISO week " + std::to_string(ref.week_number) + " of " + std::to_string(ref.year) +
                                 " does not exist (that year has 52 weeks)"));
        }
      } else {
        iso_week::year y = iso_week::year_weeknum_weekday{today}.year();
        for (int k = 0; k < 8 && !found.first; ++k, y += iso_week::years{1}) {
          auto f = start_of(y);
          if (f.first && f.second + days{7} > today) found = f;
        }
      }
      DayChoice& c = out.add(found.second, found.second + days{7}, 1);
      if (e.explain) cat_to(c.why, {"ISO week ", IntText(ref.week_number).view(), ": Monday to Sunday, ISO 8601"});
      break;
    }
  }

  // A weekday written with a date that falls on another weekday: the date is the main reading, the
  // written weekday nearest to the date the other.
  if ((ref.kind == Kind::date || ref.kind == Kind::day_of_month) && ref.weekday >= 0 && !out.empty()) {
    if (!is_weekday(ref.weekday)) return fail(error, bad_weekday(ref.weekday));
    const date::weekday weekday{static_cast<unsigned>(ref.weekday)};
    const date::weekday* wd = &weekday;
    const local_days d = out.front().first;
    if (date::weekday{d} != *wd) {
      days forward = *wd - date::weekday{d};
      local_days alt = forward.count() > 3 ? d + forward - days{7} : d + forward;
      out.front().weight = kDateOverWeekdayMain;
      if (e.explain) {
        for (std::string_view part : {std::string_view(" ("), weekday_name(date::weekday{d}), std::string_view(", not "),
                                      weekday_name(*wd), std::string_view(": the date wins)")})
          out.front().why.append(part);
      }
      DayChoice& c = one_day(out, alt, 1 - kDateOverWeekdayMain);
      if (e.explain) cat_to(c.why, {weekday_name(*wd), " nearest to ", DayText(date_found.ymd).view(), ": the weekday as written"});
    }
  }
  if (ref.plus_days != 0) {
    for (DayChoice& c : out) {
      c.first += days{ref.plus_days};
      c.end += days{ref.plus_days};
      if (e.explain) {
        c.why.append(", plus ");
        c.why.append(IntText(ref.plus_days).view());
        c.why.append(" days");
      }
    }
  }
  return true;
}

// A time of day a TimePoint can mean, in minutes from its day's 00:00 (24:00 and later: the next day).
struct DayTime {
  bool whole_day = true;
  bool point = false;
  bool lunch = false;  // the lunch interval: "after lunch" starts at its end
  bool clock = false;  // a clock time (not a part of day)
  int start = 0;
  int end = kMinutesPerDay;
  double weight = 1;
  std::string_view why;  // a literal; a clock time's explanation is "HH:MM: " (of `start`) and this
};

// The times of day one TimePoint can mean: at most two (a bare 7 or 8), kept inline so that resolving
// allocates nothing for them.
class DayTimes {
 public:
  void clear() noexcept { size_ = 0; }
  void push_back(const DayTime& t) { items_[size_++] = t; }  // at most kMax per TimePoint (the rules above)
  DayTime& add() { return items_[size_++]; }  // a new last time, as it was: every field to be written
  std::size_t size() const noexcept { return size_; }
  const DayTime& front() const noexcept { return items_[0]; }
  const DayTime* begin() const noexcept { return items_.data(); }
  const DayTime* end() const noexcept { return items_.data() + size_; }

 private:
  static constexpr std::size_t kMax = 2;
  std::array<DayTime, kMax> items_{};
  std::size_t size_ = 0;
};


// The explanation of a time of day: for a clock time "HH:MM: " of its start (hours past 24 wrap; a
// negative minute count keeps its sign), written into `buf`, then `t.why`; else `t.why` alone. The
// prefix is returned (a view of `buf`).
[[gnu::always_inline]] inline std::string_view clock_prefix(const DayTime& t, char (&buf)[8]) {
  if (!t.clock) return {};
  int minute = t.start;
  std::size_t n = 0;
  if (minute < 0) {
    buf[n++] = '-';
    minute = -minute;
  }
  put2(buf + n, minute / 60 % 24);
  buf[n + 2] = ':';
  put2(buf + n + 3, minute % 60);
  buf[n + 5] = ':';
  buf[n + 6] = ' ';
  return {buf, n + 7};
}

// `t` made the clock time at `minute`.
void set_clock(DayTime& t, int minute, std::string_view why, double weight) {
  t.whole_day = false;
  t.point = true;
  t.lunch = false;
  t.clock = true;
  t.start = t.end = minute;
  t.weight = weight;
  t.why = why;
}

// A clock time at `minute`, written in place as the last of `out`.
void add_clock(DayTimes& out, int minute, std::string_view why, double weight = 1) {
  set_clock(out.add(), minute, why, weight);
}

DayTime clock_at(int minute, std::string_view why, double weight = 1) {
  DayTime t;
  set_clock(t, minute, why, weight);
  return t;
}

bool is_interval_part(sdk::PartOfDay p) {
  using P = sdk::PartOfDay;
  return p == P::morning || p == P::afternoon || p == P::evening || p == P::night;
}

// The clock rule and what a part of day or meridiem says instead.
// Written over `out` (its earlier times dropped).
// Why clock_times() refuses `c` (false, the Status in `error`), tested in its order. Out of its way and
// cold: the messages build strings, whose room and saved registers the common path would pay for.
[[gnu::cold, gnu::noinline]] bool bad_clock(const sdk::ClockTime& c, sdk::Status& error) {
  using M = sdk::Meridiem;
  const int h = c.hour;
  const int m = c.minute;
  // "9:05": only the errors say it
  const auto written = [h, m] { return std::to_string(h) + ":" + (m < 10 ? "0" : "") + std::to_string(m); };
  if (m < 0 || m > 59) return fail(error, bad("minute " + std::to_string(m) + " in " + written() + " does not exist (0 to 59)"));
  if (c.meridiem == M::h24) return fail(error, bad("hour " + written() + " does not exist on a 24-hour clock"));
  if (c.meridiem == M::am || c.meridiem == M::pm) {
    return fail(error, bad("hour " + std::to_string(h) + (c.meridiem == M::am ? "am" : "pm") + " does not exist (1 to 12)"));
  }
  return fail(error, bad("hour " + std::to_string(h) + " does not exist (0 to 23)"));
}

bool clock_times(const sdk::ClockTime& c, sdk::PartOfDay part, DayTimes& out, sdk::Status& error) {
  using P = sdk::PartOfDay;
  using M = sdk::Meridiem;
  const int h = c.hour;
  const int m = c.minute;
  if (m < 0 || m > 59) return bad_clock(c, error);
  out.clear();
  switch (c.meridiem) {
    case M::h24:
      if (h > 24 || (h == 24 && m != 0)) return bad_clock(c, error);
      add_clock(out, h * 60 + m, "24-hour time as written");
      return true;
    case M::am:
    case M::pm:
      if (h < 0 || h > 12) return bad_clock(c, error);
      add_clock(out, (h % 12 + (c.meridiem == M::pm ? 12 : 0)) * 60 + m,
                c.meridiem == M::am ? "am as written" : "pm as written");
      return true;
    case M::unknown:
      break;
  }
  if (h < 0 || h > 23) return bad_clock(c, error);
  if (h == 0 || h >= 13) {
    add_clock(out, h * 60 + m, "an hour past 12 or 0 is 24-hour time");
    return true;
  }
  switch (part) {
    case P::morning:
      add_clock(out, (h == 12 ? 12 : h) * 60 + m, "the morning decides am");
      return true;
    case P::afternoon:
    case P::evening:
      add_clock(out, (h % 12 + 12) * 60 + m, "the part of day decides pm");
      return true;
    case P::night:
      if (h == 12) {
        add_clock(out, kMinutesPerDay + m, "12 at night is midnight, the end of the day");
      } else if (h <= 4) {
        add_clock(out, kMinutesPerDay + h * 60 + m, "the small hours after the night");
      } else {
        add_clock(out, (h + 12) * 60 + m, "the night decides pm");
      }
      return true;
    case P::lunch:
      if (h == 11 || h == 12) {
        add_clock(out, h * 60 + m, "lunch time, late morning or noon");
      } else if (h <= 6) {
        add_clock(out, (h + 12) * 60 + m, "lunch time, early afternoon");
      } else {
        break;
      }
      return true;
    default:
      break;
  }
  if (h <= 6) {
    add_clock(out, (h + 12) * 60 + m, "clock rule: hours 1 to 6 are afternoon");
  } else if (h == 7 || h == 8) {
    add_clock(out, h * 60 + m, "clock rule: a bare 7 or 8 is morning (main reading)", kBareSevenEightMain);
    add_clock(out, (h + 12) * 60 + m, "clock rule: a bare 7 or 8 may be evening", 1 - kBareSevenEightMain);
  } else if (h <= 11) {
    add_clock(out, h * 60 + m, "clock rule: hours 7 to 11 are morning");
  } else {
    add_clock(out, 12 * 60 + m, "clock rule: 12 is noon");
  }
  return true;
}

// The time of day of each part of day (no clock time), by sdk::PartOfDay; the last entry, for a value
// past the enumeration, is a part of day with no bounds and no explanation.
constexpr std::array<DayTime, 10> kPartTimes = [] {
  using P = sdk::PartOfDay;
  std::array<DayTime, 10> all{};
  for (DayTime& t : all) t.whole_day = false;
  const auto set = [&all](P p, bool point, int start, int end, std::string_view why) {
    DayTime& t = all[static_cast<std::size_t>(p)];
    t.point = point;
    t.start = start;
    t.end = end;
    t.why = why;
  };
  all[static_cast<std::size_t>(P::none)].whole_day = true;
  all[static_cast<std::size_t>(P::none)].why = "the whole day";
  set(P::morning, false, 8 * 60, 12 * 60, "morning [08:00, 12:00)");
  set(P::afternoon, false, 12 * 60, 17 * 60, "afternoon [12:00, 17:00)");
  set(P::evening, false, 17 * 60, 21 * 60, "evening [17:00, 21:00)");
  set(P::night, false, 21 * 60, 24 * 60, "night [21:00, 24:00)");
  set(P::lunch, false, 12 * 60, 13 * 60, "lunch [12:00, 13:00)");
  all[static_cast<std::size_t>(P::lunch)].lunch = true;
  set(P::noon, true, 12 * 60, 12 * 60, "noon 12:00");
  set(P::midnight, true, 24 * 60, 24 * 60, "midnight: the 00:00 that ends the day");
  set(P::end_of_day, true, 17 * 60, 17 * 60, "end of day 17:00");
  return all;
}();

// The times of day `p` can mean, written over `out` (a part of day's from the table: one copy).
[[gnu::always_inline]] inline bool day_times(const sdk::TimePoint& p, DayTimes& out, sdk::Status& error) {
  if (p.clock.hour >= 0) return clock_times(p.clock, p.part, out, error);
  const std::size_t part = static_cast<std::size_t>(p.part);
  out.clear();
  out.push_back(kPartTimes[part < kPartTimes.size() ? part : kPartTimes.size() - 1]);
  return true;
}

// One side of an expression on one day, in the named zone's wall time.
struct Span {
  local_seconds start;
  local_seconds end;
  bool point = false;
  bool lunch = false;
  bool interval_part = false;  // a part of day that is an interval (morning ... lunch)
};

[[gnu::always_inline]] inline Span span_of(const DayChoice& day, const DayTime& t) {
  Span s;
  if (t.whole_day) {
    s.start = local_seconds{day.first};
    s.end = local_seconds{day.end};
    return s;
  }
  s.start = local_seconds{day.first} + minutes{t.start};
  s.end = local_seconds{day.first} + minutes{t.end};
  s.point = t.point;
  s.lunch = t.lunch;
  s.interval_part = !t.point;
  return s;
}

// A reading in the named zone's wall time, before conversion. Its explanation is kept as its parts and
// joined only when the reading is kept (write_why): its day's, its time of day's, and its shape's.
struct Raw {
  bool has_start = false;
  bool has_end = false;
  local_seconds start;
  local_seconds end;
  double weight = 1;
  const DayChoice* day = nullptr;  // the day choice read (the resolve's own memory)
  const DayTime* time = nullptr;   // the time of day read; nullptr for the whole day, which adds no part
  std::string_view shape_why;      // a literal, or a range's end ("to ...", in the resolve's memory); empty for `at`
};

// The reading of a single-point shape (at, after, before, by) from one span, written over `r` (its
// explanation is left as it is). Inlined, as say_weekday() and week_start() are: each is a few moves,
// fewer than a call's.
[[gnu::always_inline]] inline void shape_into(Shape shape, const Span& s, Raw& r) {
  r.has_start = r.has_end = false;
  switch (shape) {
    case Shape::at:
    case Shape::range:
      r.has_start = r.has_end = true;
      r.start = s.start;
      r.end = s.point ? s.start : s.end;
      break;
    case Shape::after:
      // "after lunch" starts when lunch ends; "after 2", "from Monday on", "ab 14 Uhr" start at T.
      r.has_start = true;
      r.start = s.lunch ? s.end : s.start;
      break;
    case Shape::before:
      r.has_end = true;
      r.end = s.start;
      break;
    case Shape::by:
      // A day is included ("by Friday" ends Saturday 00:00); a time or a part of day ends the span at
      // its start ("until noon" 12:00, "until lunch" 12:00).
      r.has_end = true;
      r.end = s.point || s.interval_part ? s.start : s.end;
      break;
  }
}

// The instant that decides whether a day-less time is still ahead of sent.
local_seconds key_of(Shape shape, const Raw& r, const Span& s) {
  if (shape == Shape::at && !s.point) return r.end;
  return r.has_start ? r.start : r.end;
}

// A named zone's part of an explanation: "<its why>, converted to <the sender's zone>", kept as its two
// variable parts (the sender's zone changes from message to message, the named zone's why does not).
struct ZoneWhy {
  bool named = false;  // false: the sender's own zone, which adds no part
  std::string_view why;
  std::string_view sender;
};

// The explanation of `r` — the non-empty parts among its day's, its time of day's, its shape's and
// `zone`'s, joined by "; " — written straight over `out` (its capacity reused: the caller's readings
// keep their strings from one resolve to the next).
void write_why(std::string& out, const Raw& r, const ZoneWhy& zone) {
  using namespace std::string_view_literals;
  constexpr std::string_view kConverted = ", converted to "sv;
  const std::string_view day = r.day->why.view();
  char hm[8];
  std::string_view prefix, reason;  // a time of day's part: a clock time's "HH:MM: ", and its reason
  if (r.time != nullptr) {
    prefix = clock_prefix(*r.time, hm);
    reason = r.time->why;
  }
  const std::string_view shape = r.shape_why;
  const std::size_t time_size = prefix.size() + reason.size();
  const std::size_t zone_size = zone.named ? zone.why.size() + kConverted.size() + zone.sender.size() : 0;
  const std::size_t parts = std::size_t{!day.empty()} + std::size_t{time_size != 0} + std::size_t{!shape.empty()} +
                            std::size_t{zone.named};
  out.resize(day.size() + time_size + shape.size() + zone_size + (parts > 1 ? 2 * (parts - 1) : 0));
  char* at = out.data();
  char* const first = at;
  // Inlined (a lambda of this size was called per part): copy_bytes' size tests fold where a part's
  // size is known.
  const auto put = [&at](std::string_view piece) __attribute__((always_inline)) {
    copy_bytes(at, piece.data(), piece.size());
    at += piece.size();
  };
  const auto separate = [&at, first] {
    if (at == first) return;
    at[0] = ';';
    at[1] = ' ';
    at += 2;
  };
  put(day);
  if (time_size != 0) {
    separate();
    put(prefix);
    put(reason);
  }
  if (!shape.empty()) {
    separate();
    put(shape);
  }
  if (zone.named) {
    separate();
    put(zone.why);
    put(kConverted);
    put(zone.sender);
  }
}

// The from-side meridiem and part of day a range's `to` implies ("9-11pm": 21:00; "2-4 in the
// afternoon"), and the `to` side's part from `from`.
void share_range_cues(sdk::TimePoint& from, sdk::TimePoint& to) {
  using M = sdk::Meridiem;
  if (from.part == sdk::PartOfDay::none && is_interval_part(to.part)) from.part = to.part;
  if (to.part == sdk::PartOfDay::none && is_interval_part(from.part)) to.part = from.part;
  if (from.clock.hour >= 1 && from.clock.hour <= 12 && from.clock.meridiem == M::unknown &&
      from.part == sdk::PartOfDay::none && to.clock.hour >= 1 && to.clock.hour <= 12) {
    const int from_12 = (from.clock.hour % 12) * 60 + from.clock.minute;
    const int to_12 = (to.clock.hour % 12) * 60 + to.clock.minute;
    if (to.clock.meridiem == M::pm) {
      from.clock.meridiem = from_12 < to_12 ? M::pm : M::am;
    } else if (to.clock.meridiem == M::am && from_12 < to_12) {
      from.clock.meridiem = M::am;
    }
  }
}

// The end of a range for one start reading (`r`, its start read from `from_day` and `from_time`), and
// with explanations its part "to ..." (written into `why`). `to_days` and `to_times` are working memory.
bool range_end(const sdk::TimePoint& to, const Env& e, const DayChoice& from_day, const DayTime& from_time,
               const Span& from_span, DayList& to_days, DayTimes& to_times, Raw& r, Text& why, sdk::Status& error) {
  if (to.day.kind == Kind::none) {
    to_days.clear();
    to_days.add(from_day.first, from_day.end, 1);
  } else if (!resolve_day(to.day, e, from_day.first, true, to_days, error)) {
    return false;
  }
  const DayChoice& day = to_days.front();  // the end of a range takes its main reading only
  DayTime to_time;
  if (to.clock.hour >= 1 && to.clock.hour <= 12 && to.clock.meridiem == sdk::Meridiem::unknown &&
      to.part == sdk::PartOfDay::none && from_time.clock) {
    // "2-4", "from 4 to 7", "11 and 1": the first of h, h+12 after the start, on the same day.
    const int a = (to.clock.hour % 12) * 60 + to.clock.minute;
    const int b = a + 12 * 60;
    const auto offset = std::chrono::duration_cast<minutes>(from_span.start - local_seconds{day.first}).count();
    const long start = offset >= 0 ? static_cast<long>(offset) : -1;
    to_time = clock_at(a > start ? a : b > start ? b : a + kMinutesPerDay, "end of a range: the first such hour after its start");
  } else {
    if (!day_times(to, to_times, error)) return false;
    to_time = to_times.front();
  }
  const Span to_span = span_of(day, to_time);
  r.start = from_span.start;
  r.end = to_span.point ? to_span.start : to_span.end;
  if (r.end <= r.start && to_time.clock && to.day.kind == Kind::none) {
    r.end += days{1};  // "10pm-2am": past midnight
  }
  if (r.end <= r.start) {
    return fail(error, bad("range ends (" + date::format("%Y-%m-%dT%H:%M", r.end) + ") before it starts (" +
                           date::format("%Y-%m-%dT%H:%M", r.start) + ")"));
  }
  if (!e.explain) return true;
  // "to " and the end's parts joined by "; ": its day's, then what ends the range on it.
  why.assign("to ");
  why.append(day.why.view());
  char hm[8];
  const std::string_view prefix = to_time.whole_day ? std::string_view() : clock_prefix(to_time, hm);
  const std::string_view reason = to_time.whole_day ? "a day range ends at 00:00 after its last day" : to_time.why;
  if (!prefix.empty() || !reason.empty()) {
    if (!day.why.empty()) why.append("; ");
    if (!to_time.whole_day) why.append("until ");
    why.append(prefix);
    why.append(reason);
  }
  r.shape_why = why.view();
  return true;
}

// What a thread keeps from one resolve_into() to the next, in one thread_local (one TLS lookup per call):
// resolve_into() does not call itself, so one set serves every call of the thread.
struct ThreadScratch {
  ZoneClock* clock = &ZoneClock::of_thread();  // the thread's, found once
  // A thread resolves one message's expressions in a row, in one locale: its week is looked up once. A
  // flow of mail mixes a few locales: the last kLocaleWeeks are remembered, the one used last first.
  struct LocaleWeek {
    const sdk::LocaleFacts* facts = nullptr;
    std::string locale;
    date::weekday first_dow;
    std::array<bool, 7> working{};
    std::string rule;  // empty: the entry holds nothing yet
  };
  static constexpr std::size_t kLocaleWeeks = 8;
  std::array<LocaleWeek, kLocaleWeeks> weeks;
  LocaleWeek* week = &weeks[0];     // the one used last
  std::size_t week_next = 0;        // the entry a locale not remembered replaces (the oldest)
  // The zones written last, as lookup_zone() found them for a locale: a flow of mail names a few zones
  // again and again, and finds them here without a lookup, a lock or a copy (the one found last first).
  struct NamedZone {
    bool valid = false;  // `found` is lookup_zone(written, locale)
    std::string written, locale;
    ZoneLookup found;
  };
  static constexpr std::size_t kNamedZones = 32;
  std::array<NamedZone, kNamedZones> named;
  NamedZone* named_last = &named[0];  // the one found last
  std::size_t named_next = 0;  // the entry a zone not remembered replaces (the oldest)
  Text to_why;  // the explanation of the end of the range being read
  sdk::TimePoint range_from, range_to;  // a range's sides, with the cues they share
  // The day of sent in the zone last asked (a message's expressions share both).
  const date::time_zone* today_zone = nullptr;
  std::chrono::sys_seconds today_sent{};
  local_days today;
  DayList from_days, to_days;  // the day choices of an expression's two sides
  DayTimes from_times, to_times;  // the times of day of an expression's two sides
  // The choices of a time with no day: only their days change, their explanations are made once.
  DayChoice no_day_today{local_days{}, local_days{} + days{1}, 1, "no day written: today, the time is still ahead of sent"};
  DayChoice no_day_tomorrow{local_days{}, local_days{} + days{1}, 1, "no day written: tomorrow, the time has passed today"};
};

// The calling thread's ThreadScratch, made on its first use and destroyed at its exit.
[[gnu::noinline]] ThreadScratch* make_thread_scratch() {
  thread_local ThreadScratch scratch;
  return &scratch;
}

// The calling thread's ThreadScratch. Not inlined, so that a call looks the thread_local up once: every
// use of a thread_local variable in a function may repeat the lookup (a call of __tls_get_addr). The
// pointer is constant-initialised, so its use needs no lookup of an initialisation guard besides.
[[gnu::noinline]] ThreadScratch& thread_scratch() {
  thread_local ThreadScratch* scratch = nullptr;
  if (scratch == nullptr) scratch = make_thread_scratch();
  return *scratch;
}

// Where the readings go: the caller's vector, written over its elements (their strings keep their
// capacity), the first `n` this call's; and the zone choice being read.
struct Sink {
  explicit Sink(std::vector<sdk::TimeReading>& readings) : out(readings), have(readings.size()) {}

  std::vector<sdk::TimeReading>& out;
  std::size_t n = 0;           // readings written by this call
  std::size_t have = 0;        // out.size()
  const ZoneChoice* zone = nullptr;
  ZoneWhy zone_why;            // the zone choice's part of the explanations
  bool zone_ambiguous = false;
  bool explain = false;
};

// `r` converted to the sender's zone, added to the sink's readings: to the one it coincides with, if any
// (the same interval reached twice is one reading), else as a new reading, explained when asked.
void emit(Sink& sink, const Env& e, const Raw& r) {
  const std::chrono::local_seconds start{r.has_start ? in_sender_zone(e, r.start).time_since_epoch() : std::chrono::seconds{}};
  const std::chrono::local_seconds end{r.has_end ? in_sender_zone(e, r.end).time_since_epoch() : std::chrono::seconds{}};
  std::vector<sdk::TimeReading>& out = sink.out;
  const std::size_t n = sink.n;
  const double weight = r.weight * sink.zone->weight;
  for (std::size_t k = 0; k < n; ++k) {
    sdk::TimeReading& o = out[k];
    if (o.has_start == r.has_start && o.has_end == r.has_end && o.start == start && o.end == end) {
      o.weight += weight;
      return;
    }
  }
  if (n == sink.have) {
    out.emplace_back();
    ++sink.have;
  }
  sdk::TimeReading& reading = out[n];
  sink.n = n + 1;
  reading.has_start = r.has_start;
  reading.has_end = r.has_end;
  reading.start = start;
  reading.end = end;
  reading.weight = weight;
  // The reading's string keeps the zone of its last use (mostly the same): copied only when it differs,
  // by string assignment (a shorter path than assign()'s general replace).
  if (sink.zone->iana.empty()) reading.zone.clear();
  else if (!same_text(reading.zone, sink.zone->iana)) reading.zone = sink.zone->iana;
  reading.zone_ambiguous = sink.zone_ambiguous;
  if (sink.explain) write_why(reading.why, r, sink.zone_why);
  else reading.why.clear();
}

// Every reading of `x` with the sides `from` and `to` in `e`'s named zone, converted and added to `sink`.
// Inlined into its one caller: a call passed seven arguments and saved and restored six registers per
// expression.
[[gnu::always_inline]] inline bool readings_of(const sdk::TimeExpression& x, const sdk::TimePoint& from,
                                               const sdk::TimePoint& to, const Env& e, ThreadScratch& scratch,
                                               Sink& sink, sdk::Status& error) {
  DayTimes& times = scratch.from_times;
  if (!day_times(from, times, error)) return false;
  const bool no_day = from.day.kind == Kind::none;
  if (no_day && from.clock.hour < 0 && from.part == sdk::PartOfDay::none) {
    return fail(error, bad("the expression names neither a day nor a time of day"));
  }
  DayList& days_list = scratch.from_days;
  days_list.clear();
  if (!no_day && !resolve_day(from.day, e, e.today, false, days_list, error)) return false;

  // A time with no day: today if still ahead of sent (in the named zone), else tomorrow.
  DayChoice& no_day_today = scratch.no_day_today;
  DayChoice& no_day_tomorrow = scratch.no_day_tomorrow;
  if (no_day) {
    no_day_today.first = e.today;
    no_day_today.end = e.today + days{1};
  }
  const DayChoice* choices = no_day ? &no_day_today : days_list.data();
  const std::size_t choice_count = no_day ? 1 : days_list.size();
  Raw r;
  for (const DayTime& t : times) {
    for (std::size_t c = 0; c < choice_count; ++c) {
      const DayChoice* chosen = &choices[c];
      Span s = span_of(*chosen, t);
      shape_into(x.shape, s, r);
      if (no_day && instant_of(e, key_of(x.shape, r, s)) <= e.sent) {
        no_day_tomorrow.first = e.today + days{1};
        no_day_tomorrow.end = e.today + days{2};
        chosen = &no_day_tomorrow;
        s = span_of(*chosen, t);
        shape_into(x.shape, s, r);
      }
      const DayChoice& day = *chosen;
      r.weight = day.weight * t.weight;
      r.day = &day;
      r.time = t.whole_day ? nullptr : &t;
      r.shape_why = {};
      if (x.shape == Shape::range) {
        if (!range_end(to, e, day, t, s, scratch.to_days, scratch.to_times, r, scratch.to_why, error)) return false;
      } else if (e.explain) {
        using namespace std::string_view_literals;  // lengths known at compile time
        r.shape_why = x.shape == Shape::after    ? "open end: from then on"sv
                      : x.shape == Shape::before ? "before: ends at its start"sv
                      : x.shape == Shape::by     ? (s.point || s.interval_part ? "by/until: ends at that time"sv
                                                                               : "by/until: the day included, ends at 00:00 after it"sv)
                                                 : std::string_view();
      }
      emit(sink, e, r);
    }
  }
  return true;
}

// Every reading in `e`'s named zone, converted and added to `sink`. A range's sides share their cues (on
// copies); the other shapes read the expression as it is.
bool readings_in_zone(const sdk::TimeExpression& x, const Env& e, ThreadScratch& scratch, Sink& sink, sdk::Status& error) {
  const sdk::TimePoint* from = &x.from;
  const sdk::TimePoint* to = &x.to;
  if (x.shape == Shape::range) {  // the copies are the thread's: a point is made only for a range
    scratch.range_from = x.from;
    scratch.range_to = x.to;
    share_range_cues(scratch.range_from, scratch.range_to);
    from = &scratch.range_from;
    to = &scratch.range_to;
  }
  return readings_of(x, *from, *to, e, scratch, sink, error);
}

}  // namespace

namespace {

// The sender's own zone, the one choice when the text names none. At namespace scope and constant-
// initialised: a function's static would test its guard on every call.
const ZoneChoice kSenderZone{"", 1, "", nullptr};

// resolve_into() without its guard: may throw (date/tz on a broken database, bad_alloc).
// False with `error` saying why when the expression cannot be resolved (a bool, so that a success builds
// and moves no Status).
bool resolve_unguarded(const sdk::TimeExpression& expression, const sdk::TimeContext& context,
                       const sdk::LocaleFacts& locale_facts, std::vector<sdk::TimeReading>& out, bool explain,
                       sdk::Status& error) {
  ThreadScratch& scratch = thread_scratch();
  Env base;
  base.clock = scratch.clock;
  base.explain = explain;
  // A thread resolves one message's expressions in a row, in one zone and one locale: what they need
  // is looked up once and kept for the next call (the tz database's zones never move).
  try {
    base.sender = base.clock->find(context.zone);
  } catch (const std::exception&) {
    return fail(error, sdk::Status::invalid_input("time context: unknown sender time zone \"" + context.zone +
                                                  "\" (an IANA name such as \"Europe/Berlin\" is needed)"));
  }
  base.sent = context.sent;
  const auto holds_week = [&](const ThreadScratch::LocaleWeek& w) {
    return w.facts == &locale_facts && same_text(w.locale, context.locale) && !w.rule.empty();
  };
  if (!holds_week(*scratch.week)) {
    ThreadScratch::LocaleWeek* found = nullptr;
    for (ThreadScratch::LocaleWeek& w : scratch.weeks)
      if (holds_week(w)) {
        found = &w;
        break;
      }
    if (found == nullptr) {
      found = &scratch.weeks[scratch.week_next];
      scratch.week_next = (scratch.week_next + 1) % ThreadScratch::kLocaleWeeks;
      ThreadScratch::LocaleWeek& week = *found;
      week.rule.clear();  // until every part is in place
      // The first day of the week is the locale's (ICU); a locale ICU does not know ("und") gets ISO's Monday.
      auto first = locale_facts.first_day_of_week(context.locale);
      week.first_dow = date::weekday{static_cast<unsigned>(first && *first >= 0 && *first <= 6 ? *first : 1)};
      week.working = working_days(context.locale);
      week.facts = &locale_facts;
      week.locale = context.locale;
      week.rule = cat({"weeks start on ", weekday_name(week.first_dow), " for ",
                       context.locale.empty() ? std::string_view("und") : std::string_view(context.locale)});
    }
    scratch.week = found;
  }
  const ThreadScratch::LocaleWeek& week = *scratch.week;
  base.first_dow = week.first_dow;
  base.working = &week.working;
  base.week_rule = week.rule;

  // No zone written (the common case): the sender's, with no lookup and no list made.
  const ZoneChoice* zones = &kSenderZone;
  std::size_t zone_count = 1;
  bool zone_ambiguous = false;
  if (!expression.zone.empty()) {
    const auto holds_zone = [&](const ThreadScratch::NamedZone& z) {
      return z.valid && same_text(z.written, expression.zone) && same_text(z.locale, context.locale);
    };
    ThreadScratch::NamedZone* remembered = holds_zone(*scratch.named_last) ? scratch.named_last : nullptr;
    if (remembered == nullptr)
      for (ThreadScratch::NamedZone& z : scratch.named)
        if (holds_zone(z)) {
          remembered = &z;
          break;
        }
    if (remembered == nullptr) {
      auto found = lookup_zone(expression.zone, context.locale);
      if (!found) {
        if (found.status().code() == sdk::Code::not_found) {
          return fail(error, sdk::Status::invalid_input("time expression: " + found.status().message()));
        }
        return fail(error, found.status());
      }
      remembered = &scratch.named[scratch.named_next];
      scratch.named_next = (scratch.named_next + 1) % ThreadScratch::kNamedZones;
      remembered->valid = false;  // until every part is in place
      remembered->found = std::move(*found);
      // Each choice's zone found once, not through the ZoneClock's names at every call (whose memory of
      // the name found last then stays the sender's).
      for (ZoneChoice& z : remembered->found.zones) z.tz = base.clock->find(z.iana);
      remembered->written.assign(expression.zone);
      remembered->locale.assign(context.locale);
      remembered->valid = true;
    }
    scratch.named_last = remembered;
    const ThreadScratch::NamedZone& named = *remembered;
    zones = named.found.zones.data();
    zone_count = named.found.zones.size();
    zone_ambiguous = named.found.ambiguous;
  }

  Sink sink(out);
  sink.zone_ambiguous = zone_ambiguous;
  sink.explain = explain;
  for (std::size_t zi = 0; zi < zone_count; ++zi) {
    const ZoneChoice& z = zones[zi];
    Env& e = base;  // each zone's fields are set here
    e.zone = z.tz != nullptr ? z.tz : base.sender;
    if (e.zone != scratch.today_zone || e.sent != scratch.today_sent) {
      scratch.today = date::floor<days>(e.clock->local(*e.zone, e.sent));
      scratch.today_zone = e.zone;
      scratch.today_sent = e.sent;
    }
    e.today = scratch.today;
    sink.zone = &z;
    sink.zone_why = ZoneWhy{!z.iana.empty(), z.why, context.zone};
    if (!readings_in_zone(expression, e, scratch, sink, error)) return false;
  }
  const std::size_t n = sink.n;
  if (n != sink.have) out.resize(n);  // sink.have is out.size()
  if (n == 1) {  // the loops below for one reading
    if (out[0].weight > 0) out[0].weight /= out[0].weight;
    return true;
  }
  double total = 0;
  for (const auto& r : out) total += r.weight;
  if (total > 0) {
    for (auto& r : out) r.weight /= total;
  }
  // Stable, by decreasing weight: an insertion sort, as a handful of readings needs no buffer.
  for (std::size_t i = 1; i < out.size(); ++i)
    for (std::size_t j = i; j > 0 && out[j].weight > out[j - 1].weight; --j) std::swap(out[j], out[j - 1]);
  return true;
}

}  // namespace

sdk::Status resolve_into(const sdk::TimeExpression& expression, const sdk::TimeContext& context,
                         const sdk::LocaleFacts& locale_facts, std::vector<sdk::TimeReading>& out,
                         bool explain) noexcept {
  // One Status, the one returned (a success builds, moves and destroys no other): the resolve writes a
  // failure's into it.
  sdk::Status result;
  try {
    if (!resolve_unguarded(expression, context, locale_facts, out, explain, result)) out.clear();
  } catch (const std::exception& e) {
    out.clear();
    try {
      result = sdk::Status::internal(std::string("time expression: ") + e.what());
    } catch (...) {
      result = sdk::Status(sdk::Code::internal, {});
    }
  } catch (...) {
    out.clear();
    result = sdk::Status(sdk::Code::internal, {});
  }
  return result;
}

}  // namespace tandem::detail::time
