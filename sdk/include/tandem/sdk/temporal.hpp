// tandem SDK — time expressions as extractors read them, and the readings the engine resolves them to.
//
// The split: an extractor turns text into TimeExpressions (what was written: "next Tuesday", "at 3",
// "from 9 to noon", "15:00 CET"), using locale facts and its own language data; the engine's
// TimeService::resolve turns one expression, in the context of the message (sent instant, sender zone,
// locale), into readings — zoned intervals as wall-clock times in the sender's zone — with every
// convention of shared/eval/time/FORMAT.md applied once, in one place, through date/tz and ICU.
//
// Context that spans expressions ("I'm out next week ... the Tuesday after") is the extractor's job: it
// writes the week it means into the expression (DayRef::Mode::in_week, offset 2).
//
// Thread-safety: plain values.
#ifndef TANDEM_SDK_TEMPORAL_HPP_
#define TANDEM_SDK_TEMPORAL_HPP_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem::sdk {

// How an hour was written.
enum class Meridiem : std::uint8_t {
  unknown,  // "at 3", "um 8": the clock rule decides (1-6 afternoon, 7-11 morning; 7 and 8 ambiguous)
  am,       // "3am", "3 in the morning"
  pm,       // "3pm", "3 in the afternoon"
  h24,      // a 24-hour form: "15:00", "14 Uhr", "14h", "0:30"; taken as written
};

enum class PartOfDay : std::uint8_t {
  none,
  morning,     // [08:00, 12:00)
  afternoon,   // [12:00, 17:00)
  evening,     // [17:00, 21:00)
  night,       // [21:00, 24:00)
  lunch,       // [12:00, 13:00); "after lunch" starts 13:00, "before lunch" ends 12:00
  noon,        // 12:00, a point
  midnight,    // 00:00, a point
  end_of_day,  // 17:00, a point
};

// Which day, week or month is meant, before any clock time.
struct DayRef {
  enum class Kind : std::uint8_t {
    none,          // no day written: a clock time alone is today if still ahead of sent, else tomorrow
    relative,      // `offset` days from the day of sent: today 0, tomorrow 1, yesterday -1, "in 3 days" 3
    weekday,       // `weekday`, chosen by `mode`
    date,          // `month` and `day`, and `year` when written (else the next occurrence; most recent if past)
    day_of_month,  // "the 16th": `day` of the month, next occurrence on or after the day of sent
    week,          // a whole week: `mode` this/next/last with `offset` weeks, or the week holding a date
                   // (`month`, `day`, optional `year`: "the week of Dec 7")
    rest_of_week,  // "this week", "later this week": from the day after sent to the end of its week
    end_of_week,   // "EOW", "end of the week": the last working day of the current week, as a day
    month,         // a whole month: `month` 1-12 (next occurrence, or `year`), or `offset` months from
                   // sent's month when `month` is 0 ("next month": 1)
    iso_week,      // "KW 12": ISO 8601 week `week_number` (of `year`, else the next such week)
  };
  enum class Mode : std::uint8_t {
    bare,     // weekday: the first such day strictly after the day of sent
    this_,    // weekday: the first on or after the day of sent ("this Tuesday", "ce mardi")
    next,     // weekday: the one in next week ("next Tuesday"); ambiguous when that differs from `bare`
    next_only,// weekday: next week's, with no alternative (the text also says "this X")
    last,     // weekday: the most recent before the day of sent
    in_week,  // weekday: the one in the week `offset` weeks after sent's week (0 this week, 1 next, ...);
              // week: `offset` weeks after sent's week
  };
  Kind kind = Kind::none;
  Mode mode = Mode::bare;
  int offset = 0;
  int weekday = -1;  // 0 Sunday ... 6 Saturday (std::chrono::weekday's encoding); with `date` or
                     // `day_of_month`, the weekday written beside the date ("Tuesday 11 March"): when the
                     // date falls on another weekday the date is the main reading, this weekday (the one
                     // nearest the date) the alternative
  int year = 0;      // 0: not written
  int month = 0;     // 1-12, 0: not written
  int day = 0;       // 1-31, 0: not written
  int week_number = 0;
  int plus_days = 0;  // added to the resolved day: "a week from Monday" is Monday + 7
  bool past = false;  // in a past-tense clause: the most recent such day before the day of sent
};

struct ClockTime {
  int hour = -1;  // -1: no clock time
  int minute = 0;
  Meridiem meridiem = Meridiem::unknown;
};

// One end of an expression (or the whole of it).
struct TimePoint {
  DayRef day;
  ClockTime clock;
  PartOfDay part = PartOfDay::none;  // with a clock time, it decides am/pm ("8 in the evening")
};

struct TimeExpression {
  enum class Shape : std::uint8_t {
    at,      // `from` itself: a point for a clock time, else its natural interval (day, part of day, week)
    range,   // [from, to): "3-5pm", "from Monday to Wednesday" (a day range ends at 00:00 after `to`)
    after,   // from `from` on, no end: "after 2", "ab 14 Uhr"; "after lunch" starts 13:00
    before,  // until the start of `from`, no start: "before Friday" ends Friday 00:00
    by,      // until the end of `from`, no start: "by Friday" ends Saturday 00:00; "until noon" ends 12:00
  };
  Shape shape = Shape::at;
  TimePoint from;
  TimePoint to;       // range only; a `to` without a day takes `from`'s day ("Tuesday 3-5pm"); a `to`
                      // weekday or date without a year is the first on or after `from`'s day
  std::string zone;   // as written: "ET", "CET", "London", "New York"; "" for the sender's zone
};

// What an expression is read against.
struct TimeContext {
  std::chrono::sys_seconds sent{};
  std::string zone;    // the sender's IANA zone
  std::string locale;  // the sender's ICU locale; "und" when unknown
};

// One reading: wall-clock times in the context's zone (converted from the zone named in the text),
// minute precision. An open side has no value; a point in time has both sides, equal (start == end), so
// that "3pm" (START/START) and "after 3pm" (START/) stay apart.
struct TimeReading {
  bool has_start = false;
  bool has_end = false;
  std::chrono::local_seconds start{};
  std::chrono::local_seconds end{};
  double weight = 1.0;         // prior of this reading among the expression's readings (main first)
  bool zone_ambiguous = false; // the zone written could name several zones; the locale chose this one
  std::string zone;            // the IANA zone the text named ("" when none was named)
  std::string why;             // for people and logs: "next Tuesday: the Tuesday of next week"
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_TEMPORAL_HPP_
