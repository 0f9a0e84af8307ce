// TimeService::resolve (engine/src/time): every convention of shared/eval/time/FORMAT.md that concerns
// resolution, in en_US (weeks from Sunday) and en_GB / de_DE (weeks from Monday); DST changes of 2026 in
// three rule sets; year ends; 29 February; named zones (IANA, cities in four languages, abbreviations,
// ambiguous abbreviations); invalid inputs.
//
// Readings are written "START/END" in the sender's wall time, minute precision, an open side empty; a
// point is "T/T" — the encoding of the time contract (notes/time_contract.md).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <iterator>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "services/locale_facts.hpp"
#include "services/time_service.hpp"
#include "tandem/services.hpp"

namespace tandem::detail {
namespace {

using namespace std::chrono;
using sdk::DayRef;
using sdk::Meridiem;
using sdk::PartOfDay;
using sdk::TimeExpression;
using sdk::TimePoint;
using Kind = DayRef::Kind;
using Mode = DayRef::Mode;
using Shape = TimeExpression::Shape;

constexpr int kSun = 0, kMon = 1, kTue = 2, kWed = 3, kThu = 4, kFri = 5, kSat = 6;

// ---- building expressions -------------------------------------------------------------------------
DayRef none() { return {}; }
DayRef rel(int offset) { DayRef d; d.kind = Kind::relative; d.offset = offset; return d; }
DayRef wd(int weekday, Mode mode = Mode::bare, int offset = 0) {
  DayRef d; d.kind = Kind::weekday; d.weekday = weekday; d.mode = mode; d.offset = offset; return d;
}
DayRef past(DayRef d) { d.past = true; return d; }
DayRef plus(DayRef d, int days) { d.plus_days = days; return d; }
DayRef date_(int month, int day, int year = 0, int weekday = -1) {
  DayRef d; d.kind = Kind::date; d.month = month; d.day = day; d.year = year; d.weekday = weekday; return d;
}
DayRef dom(int day, int weekday = -1) { DayRef d; d.kind = Kind::day_of_month; d.day = day; d.weekday = weekday; return d; }
DayRef week(Mode mode, int offset = 0) { DayRef d; d.kind = Kind::week; d.mode = mode; d.offset = offset; return d; }
DayRef week_of(int month, int day) { DayRef d; d.kind = Kind::week; d.month = month; d.day = day; return d; }
DayRef rest_of_week() { DayRef d; d.kind = Kind::rest_of_week; return d; }
DayRef end_of_week() { DayRef d; d.kind = Kind::end_of_week; return d; }
DayRef month_(int month, int year = 0) { DayRef d; d.kind = Kind::month; d.month = month; d.year = year; return d; }
DayRef month_offset(int offset) { DayRef d; d.kind = Kind::month; d.offset = offset; return d; }
DayRef iso(int n, int year = 0) { DayRef d; d.kind = Kind::iso_week; d.week_number = n; d.year = year; return d; }

TimePoint pt(DayRef day, int hour = -1, int minute = 0, Meridiem m = Meridiem::unknown, PartOfDay part = PartOfDay::none) {
  TimePoint p;
  p.day = day;
  p.clock.hour = hour;
  p.clock.minute = minute;
  p.clock.meridiem = m;
  p.part = part;
  return p;
}
TimePoint part(DayRef day, PartOfDay p) { return pt(day, -1, 0, Meridiem::unknown, p); }

TimeExpression at(TimePoint p, std::string zone = "") {
  TimeExpression x; x.shape = Shape::at; x.from = p; x.zone = std::move(zone); return x;
}
TimeExpression shape(Shape s, TimePoint p, std::string zone = "") { TimeExpression x = at(p, std::move(zone)); x.shape = s; return x; }
TimeExpression range(TimePoint from, TimePoint to) { TimeExpression x = at(from); x.shape = Shape::range; x.to = to; return x; }

constexpr Meridiem am = Meridiem::am, pm = Meridiem::pm, h24 = Meridiem::h24, unk = Meridiem::unknown;

// ---- reading and printing ---------------------------------------------------------------------------
// "2026-11-23T10:00:00-08:00" -> the instant.
sys_seconds instant(const std::string& iso) {
  int y, mo, d, h, mi, s, oh, om;
  char sign;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s, &sign, &oh, &om) != 9) {
    ADD_FAILURE() << "bad instant in test: " << iso;
    return {};
  }
  const sys_seconds local = sys_days{year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)}} +
                            hours{h} + minutes{mi} + seconds{s};
  const minutes offset = hours{oh} + minutes{om};
  return sign == '-' ? local + offset : local - offset;
}

std::string text(local_seconds t) {
  const auto day_point = floor<days>(t);
  const year_month_day ymd{day_point};
  const hh_mm_ss<seconds> hms{t - day_point};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

std::string text(const sdk::TimeReading& r) {
  return (r.has_start ? text(r.start) : "") + "/" + (r.has_end ? text(r.end) : "");
}

const IcuLocaleFacts& facts() {
  static const IcuLocaleFacts f;
  return f;
}

sdk::Result<std::vector<sdk::TimeReading>> run(const TimeExpression& x, const char* sent, const char* zone, const char* locale) {
  const TzTimeService service(facts());
  sdk::TimeContext ctx;
  ctx.sent = instant(sent);
  ctx.zone = zone;
  ctx.locale = locale;
  return service.resolve(x, ctx);
}

struct Case {
  const char* name;
  const char* sent;
  const char* zone;
  const char* locale;
  TimeExpression expression;
  std::vector<std::string> readings;  // every reading, main first
  double main_weight = 1.0;           // checked to 1e-9
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

// Sent Monday 23 Nov 2026 10:00 in Los Angeles (en_US: the week is Sun 22 - Sat 28 Nov).
constexpr const char* kMonLA = "2026-11-23T10:00:00-08:00";
// Sent Monday 23 Nov 2026 10:00 in London (en_GB: the week is Mon 23 - Sun 29 Nov; sent on its first day).
constexpr const char* kMonLondon = "2026-11-23T10:00:00+00:00";
constexpr const char* LA = "America/Los_Angeles";
constexpr const char* NY = "America/New_York";
constexpr const char* London = "Europe/London";
constexpr const char* Berlin = "Europe/Berlin";

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      // ---- days -------------------------------------------------------------------------------------
      {"today_is_the_whole_day", kMonLA, LA, "en_US", at(pt(rel(0))), {"2026-11-23T00:00/2026-11-24T00:00"}},
      {"tomorrow", kMonLA, LA, "en_US", at(pt(rel(1))), {"2026-11-24T00:00/2026-11-25T00:00"}},
      {"yesterday", kMonLA, LA, "en_US", at(pt(rel(-1))), {"2026-11-22T00:00/2026-11-23T00:00"}},
      {"in_3_days", kMonLA, LA, "en_US", at(pt(rel(3))), {"2026-11-26T00:00/2026-11-27T00:00"}},
      {"in_2_weeks", "2026-06-30T15:00:00-04:00", NY, "en_US", at(pt(rel(14))), {"2026-07-14T00:00/2026-07-15T00:00"}},
      // ---- weekdays -----------------------------------------------------------------------------------
      {"bare_weekday_is_first_after_sent", kMonLA, LA, "en_US", at(pt(wd(kTue))), {"2026-11-24T00:00/2026-11-25T00:00"}},
      {"bare_weekday_same_as_sent_is_next_week", kMonLA, LA, "en_US", at(pt(wd(kMon))), {"2026-11-30T00:00/2026-12-01T00:00"}},
      {"this_weekday_on_or_after_sent", kMonLA, LA, "en_US", at(pt(wd(kMon, Mode::this_))), {"2026-11-23T00:00/2026-11-24T00:00"}},
      {"next_weekday_us_ambiguous", kMonLA, LA, "en_US", at(pt(wd(kTue, Mode::next))),
       {"2026-12-01T00:00/2026-12-02T00:00", "2026-11-24T00:00/2026-11-25T00:00"}, 0.7},
      {"next_saturday_us_ambiguous", kMonLA, LA, "en_US", at(pt(wd(kSat, Mode::next))),
       {"2026-12-05T00:00/2026-12-06T00:00", "2026-11-28T00:00/2026-11-29T00:00"}, 0.7},
      {"next_sunday_us_is_tomorrows_week_not_ambiguous", "2026-11-28T10:00:00-08:00", LA, "en_US", at(pt(wd(kSun, Mode::next))),
       {"2026-11-29T00:00/2026-11-30T00:00"}},
      {"next_sunday_gb_week_starts_monday", kMonLondon, London, "en_GB", at(pt(wd(kSun, Mode::next))),
       {"2026-12-06T00:00/2026-12-07T00:00", "2026-11-29T00:00/2026-11-30T00:00"}, 0.7},
      {"next_sunday_us_from_monday", kMonLA, LA, "en_US", at(pt(wd(kSun, Mode::next))), {"2026-11-29T00:00/2026-11-30T00:00"}},
      {"next_monday_sent_sunday_us", "2026-05-31T19:00:00-04:00", NY, "en_US", at(pt(wd(kMon, Mode::next))),
       {"2026-06-08T00:00/2026-06-09T00:00", "2026-06-01T00:00/2026-06-02T00:00"}, 0.7},
      {"next_tuesday_friday_sent_is_not_ambiguous", "2026-11-27T10:00:00+00:00", London, "en_GB", at(pt(wd(kTue, Mode::next))),
       {"2026-12-01T00:00/2026-12-02T00:00"}},
      {"next_only_has_no_alternative", kMonLA, LA, "en_US", at(pt(wd(kTue, Mode::next_only))), {"2026-12-01T00:00/2026-12-02T00:00"}},
      {"last_weekday", "2026-03-16T10:00:00-04:00", NY, "en_US", at(pt(wd(kTue, Mode::last))), {"2026-03-10T00:00/2026-03-11T00:00"}},
      {"weekday_in_past_clause", "2026-09-15T10:00:00+02:00", "Europe/Paris", "fr_FR", at(pt(past(wd(kThu)))),
       {"2026-09-10T00:00/2026-09-11T00:00"}},
      {"weekday_in_week_after_next_us", kMonLA, LA, "en_US", at(pt(wd(kTue, Mode::in_week, 2), 3)), {"2026-12-08T15:00/2026-12-08T15:00"}},
      {"weekday_in_next_week_de", "2026-04-06T10:00:00+02:00", Berlin, "de_DE", at(pt(wd(kWed, Mode::in_week, 1))),
       {"2026-04-15T00:00/2026-04-16T00:00"}},
      {"a_week_from_monday", kMonLA, LA, "en_US", at(pt(plus(wd(kMon), 7))), {"2026-12-07T00:00/2026-12-08T00:00"}},
      // ---- weeks --------------------------------------------------------------------------------------
      {"next_week_us_sunday_start", kMonLA, LA, "en_US", at(pt(week(Mode::next))), {"2026-11-29T00:00/2026-12-06T00:00"}},
      // Sent on a Monday that starts the week (en_GB, de): the writer is inside this week, "next week" is the
      // one after, with no alternative (the shared scheduling threads read it so); only a first day that is a
      // day off (Sunday in en_US) leaves the coming working week as a second reading.
      {"next_week_gb_sent_on_first_day_a_working_day", kMonLondon, London, "en_GB", at(pt(week(Mode::next))),
       {"2026-11-30T00:00/2026-12-07T00:00"}},
      {"next_week_de_sent_on_monday", "2026-03-09T11:20:00+01:00", "Europe/Berlin", "de_DE", at(pt(week(Mode::next))),
       {"2026-03-16T00:00/2026-03-23T00:00"}},
      {"next_week_us_sent_sunday_is_ambiguous", "2026-08-30T18:00:00-04:00", NY, "en_US", at(pt(week(Mode::next))),
       {"2026-09-06T00:00/2026-09-13T00:00", "2026-08-30T00:00/2026-09-06T00:00"}, 0.7},
      {"next_week_de_midweek", "2026-10-16T10:00:00+02:00", "Europe/Paris", "fr_FR", at(pt(week(Mode::next))),
       {"2026-10-19T00:00/2026-10-26T00:00"}},
      {"next_week_und_locale_weeks_start_monday", "2026-11-25T10:00:00+00:00", "UTC", "und", at(pt(week(Mode::next))),
       {"2026-11-30T00:00/2026-12-07T00:00"}},
      {"next_weekday_es", "2026-10-05T10:00:00+02:00", "Europe/Madrid", "es_ES", at(pt(wd(kThu, Mode::next), 11)),
       {"2026-10-15T11:00/2026-10-15T11:00", "2026-10-08T11:00/2026-10-08T11:00"}, 0.7},
      {"last_week_de", "2026-06-09T10:00:00+02:00", Berlin, "de_DE", at(pt(week(Mode::last))), {"2026-06-01T00:00/2026-06-08T00:00"}},
      {"week_after_next", "2026-07-20T11:00:00-04:00", NY, "en_US", at(pt(week(Mode::in_week, 2))), {"2026-08-02T00:00/2026-08-09T00:00"}},
      {"this_week_whole", kMonLA, LA, "en_US", at(pt(week(Mode::this_))), {"2026-11-22T00:00/2026-11-29T00:00"}},
      {"week_of_dec_7_us", "2026-11-18T15:30:00-08:00", LA, "en_US", at(pt(week_of(12, 7))), {"2026-12-06T00:00/2026-12-13T00:00"}},
      {"week_of_dec_7_de", "2026-11-20T10:00:00+01:00", Berlin, "de_DE", at(pt(week_of(12, 7))), {"2026-12-07T00:00/2026-12-14T00:00"}},
      {"week_of_the_16th", "2026-11-04T10:00:00-05:00", NY, "en_US", at(pt(week_of(0, 16))), {"2026-11-15T00:00/2026-11-22T00:00"}},
      {"rest_of_week_us", "2025-01-14T09:00:00-05:00", NY, "en_US", at(pt(rest_of_week())), {"2025-01-15T00:00/2025-01-19T00:00"}},
      {"rest_of_week_de_sent_monday", "2026-09-14T10:00:00+02:00", Berlin, "de_DE", at(pt(rest_of_week())),
       {"2026-09-15T00:00/2026-09-21T00:00"}},
      {"rest_of_week_gb", kMonLondon, London, "en_GB", at(pt(rest_of_week())), {"2026-11-24T00:00/2026-11-30T00:00"}},
      {"rest_of_week_sent_on_last_day_is_the_coming_week", "2026-11-28T10:00:00-08:00", LA, "en_US", at(pt(rest_of_week())),
       {"2026-11-29T00:00/2026-12-06T00:00"}},
      {"end_of_week_us", "2026-09-08T10:00:00-04:00", NY, "en_US", at(pt(end_of_week())), {"2026-09-11T00:00/2026-09-12T00:00"}},
      {"end_of_week_de", "2027-06-29T10:00:00+02:00", Berlin, "de_DE", at(pt(end_of_week())), {"2027-07-02T00:00/2027-07-03T00:00"}},
      {"end_of_week_sent_saturday_gb_is_next_friday", "2026-11-28T10:00:00+00:00", London, "en_GB", at(pt(end_of_week())),
       {"2026-12-04T00:00/2026-12-05T00:00"}},
      {"end_of_week_israel_is_thursday", "2026-11-22T10:00:00+02:00", "Asia/Jerusalem", "he_IL", at(pt(end_of_week())),
       {"2026-11-26T00:00/2026-11-27T00:00"}},
      {"iso_week_with_year", kMonLA, LA, "en_US", at(pt(iso(12, 2026))), {"2026-03-16T00:00/2026-03-23T00:00"}},
      {"iso_week_without_year_is_next", kMonLA, LA, "de_DE", at(pt(iso(12))), {"2027-03-22T00:00/2027-03-29T00:00"}},
      {"iso_week_53_of_2026_crosses_the_year", kMonLA, LA, "de_DE", at(pt(iso(53, 2026))), {"2026-12-28T00:00/2027-01-04T00:00"}},
      // ---- dates, days of month, months ---------------------------------------------------------------
      {"date_without_year_next_occurrence", kMonLA, LA, "en_US", at(pt(date_(12, 8))), {"2026-12-08T00:00/2026-12-09T00:00"}},
      {"date_without_year_today_counts", kMonLA, LA, "en_US", at(pt(date_(11, 23))), {"2026-11-23T00:00/2026-11-24T00:00"}},
      {"date_without_year_passed_is_next_year", kMonLA, LA, "en_US", at(pt(date_(11, 20))), {"2027-11-20T00:00/2027-11-21T00:00"}},
      {"date_in_past_clause", "2026-05-18T10:00:00-04:00", NY, "en_US", at(pt(past(date_(5, 14)))), {"2026-05-14T00:00/2026-05-15T00:00"}},
      {"date_with_year", "2026-12-02T10:00:00-05:00", NY, "en_US", at(pt(date_(3, 3, 2027))), {"2027-03-03T00:00/2027-03-04T00:00"}},
      {"date_with_clock", "2026-03-02T11:00:00-05:00", NY, "en_US", at(pt(date_(3, 12), 9, 30)), {"2026-03-12T09:30/2026-03-12T09:30"}},
      {"weekday_date_mismatch_date_wins", "2026-03-02T10:00:00+00:00", London, "en_GB", at(pt(date_(3, 11, 0, kTue), 2, 0, pm)),
       {"2026-03-11T14:00/2026-03-11T14:00", "2026-03-10T14:00/2026-03-10T14:00"}, 0.7},
      {"weekday_date_agree", "2026-11-09T12:00:00-05:00", NY, "en_US", at(pt(dom(13, kFri), 2)), {"2026-11-13T14:00/2026-11-13T14:00"}},
      {"day_of_month_next_month", "2026-07-28T16:10:00-04:00", NY, "en_US", at(part(dom(3), PartOfDay::morning)),
       {"2026-08-03T08:00/2026-08-03T12:00"}},
      {"day_of_month_skips_short_months", kMonLA, LA, "en_US", at(pt(dom(31))), {"2026-12-31T00:00/2027-01-01T00:00"}},
      {"month_next_occurrence", "2025-12-10T10:00:00-05:00", NY, "en_US", at(pt(month_(1))), {"2026-01-01T00:00/2026-02-01T00:00"}},
      {"month_current_counts", kMonLA, LA, "en_US", at(pt(month_(11))), {"2026-11-01T00:00/2026-12-01T00:00"}},
      {"month_past_clause", kMonLA, LA, "en_US", at(pt(past(month_(12)))), {"2025-12-01T00:00/2026-01-01T00:00"}},
      {"next_month", kMonLA, LA, "en_US", at(pt(month_offset(1))), {"2026-12-01T00:00/2027-01-01T00:00"}},
      // ---- parts of day and the clock rule ------------------------------------------------------------
      {"morning", kMonLA, LA, "en_US", at(part(wd(kThu), PartOfDay::morning)), {"2026-11-26T08:00/2026-11-26T12:00"}},
      {"afternoon", kMonLA, LA, "en_US", at(part(wd(kThu), PartOfDay::afternoon)), {"2026-11-26T12:00/2026-11-26T17:00"}},
      {"evening", kMonLA, LA, "en_US", at(part(wd(kWed), PartOfDay::evening)), {"2026-11-25T17:00/2026-11-25T21:00"}},
      {"night", kMonLA, LA, "en_US", at(part(rel(0), PartOfDay::night)), {"2026-11-23T21:00/2026-11-24T00:00"}},
      {"lunch", kMonLA, LA, "en_US", at(part(wd(kThu), PartOfDay::lunch)), {"2026-11-26T12:00/2026-11-26T13:00"}},
      {"noon_point", kMonLA, LA, "en_US", at(part(rel(1), PartOfDay::noon)), {"2026-11-24T12:00/2026-11-24T12:00"}},
      {"midnight_ends_the_day", kMonLA, LA, "en_US", at(part(rel(0), PartOfDay::midnight)), {"2026-11-24T00:00/2026-11-24T00:00"}},
      {"end_of_day_point", kMonLA, LA, "en_US", at(part(rel(0), PartOfDay::end_of_day)), {"2026-11-23T17:00/2026-11-23T17:00"}},
      {"part_without_day_today_when_not_over", kMonLA, LA, "en_US", at(part(none(), PartOfDay::afternoon)),
       {"2026-11-23T12:00/2026-11-23T17:00"}},
      {"part_without_day_over_is_tomorrow", "2026-11-23T13:00:00-08:00", LA, "en_US", at(part(none(), PartOfDay::morning)),
       {"2026-11-24T08:00/2026-11-24T12:00"}},
      {"clock_rule_3_is_afternoon", kMonLA, LA, "en_US", at(pt(wd(kTue), 3)), {"2026-11-24T15:00/2026-11-24T15:00"}},
      {"clock_rule_6_is_afternoon", kMonLA, LA, "en_US", at(pt(wd(kTue), 6)), {"2026-11-24T18:00/2026-11-24T18:00"}},
      {"clock_rule_9_is_morning", kMonLA, LA, "en_US", at(pt(wd(kTue), 9)), {"2026-11-24T09:00/2026-11-24T09:00"}},
      {"clock_rule_12_is_noon", kMonLA, LA, "en_US", at(pt(wd(kTue), 12)), {"2026-11-24T12:00/2026-11-24T12:00"}},
      {"clock_rule_7_ambiguous", kMonLA, LA, "en_US", at(pt(wd(kThu), 7)),
       {"2026-11-26T07:00/2026-11-26T07:00", "2026-11-26T19:00/2026-11-26T19:00"}, 0.75},
      {"clock_rule_8_ambiguous_de", "2027-10-04T10:00:00+02:00", Berlin, "de_DE", at(pt(wd(kThu), 8)),
       {"2027-10-07T08:00/2027-10-07T08:00", "2027-10-07T20:00/2027-10-07T20:00"}, 0.75},
      {"evening_decides_8", "2025-01-27T10:00:00+00:00", London, "en_GB", at(pt(wd(kWed), 8, 0, unk, PartOfDay::evening)),
       {"2025-01-29T20:00/2025-01-29T20:00"}},
      {"dinner_at_7_is_evening", "2026-10-06T11:00:00-04:00", NY, "en_US", at(pt(wd(kFri), 7, 0, unk, PartOfDay::evening)),
       {"2026-10-09T19:00/2026-10-09T19:00"}},
      {"morning_decides_630", "2026-10-26T22:00:00-04:00", NY, "en_US", at(pt(rel(1), 6, 30, unk, PartOfDay::morning)),
       {"2026-10-27T06:30/2026-10-27T06:30"}},
      {"tonight_at_9", "2026-06-22T12:00:00-07:00", LA, "en_US", at(pt(rel(0), 9, 0, unk, PartOfDay::night)),
       {"2026-06-22T21:00/2026-06-22T21:00"}},
      {"lunch_at_1", kMonLA, LA, "en_US", at(pt(wd(kThu), 1, 0, unk, PartOfDay::lunch)), {"2026-11-26T13:00/2026-11-26T13:00"}},
      {"am_as_written", kMonLA, LA, "en_US", at(pt(wd(kTue), 3, 0, am)), {"2026-11-24T03:00/2026-11-24T03:00"}},
      {"pm_as_written", kMonLA, LA, "en_US", at(pt(wd(kTue), 10, 0, pm)), {"2026-11-24T22:00/2026-11-24T22:00"}},
      {"12am_is_midnight", kMonLA, LA, "en_US", at(pt(wd(kTue), 12, 0, am)), {"2026-11-24T00:00/2026-11-24T00:00"}},
      {"h24_as_written", kMonLA, LA, "de_DE", at(pt(wd(kTue), 8, 0, h24)), {"2026-11-24T08:00/2026-11-24T08:00"}},
      {"hour_13_without_meridiem_is_24h", kMonLA, LA, "en_US", at(pt(wd(kTue), 15, 30)), {"2026-11-24T15:30/2026-11-24T15:30"}},
      // ---- a clock time with no day ---------------------------------------------------------------------
      {"no_day_ahead_is_today", "2025-12-09T10:15:00-06:00", "America/Chicago", "en_US", at(pt(none(), 4)),
       {"2025-12-09T16:00/2025-12-09T16:00"}},
      {"no_day_passed_is_tomorrow", kMonLA, LA, "en_US", at(pt(none(), 9)), {"2026-11-24T09:00/2026-11-24T09:00"}},
      {"no_day_exactly_now_is_tomorrow", kMonLA, LA, "en_US", at(pt(none(), 10, 0, am)), {"2026-11-24T10:00/2026-11-24T10:00"}},
      {"no_day_8_each_reading_its_own_day", kMonLA, LA, "en_US", at(pt(none(), 8)),
       {"2026-11-24T08:00/2026-11-24T08:00", "2026-11-23T20:00/2026-11-23T20:00"}, 0.75},
      {"no_day_late_evening_sent", "2026-07-14T23:30:00-07:00", LA, "en_US", at(pt(none(), 11, 0, am)),
       {"2026-07-15T11:00/2026-07-15T11:00"}},
      {"today_at_a_passed_time_stays_today", kMonLA, LA, "en_US", at(pt(rel(0), 9, 0, am)), {"2026-11-23T09:00/2026-11-23T09:00"}},
      // ---- ranges ---------------------------------------------------------------------------------------
      {"range_2_to_4_takes_from_day", "2026-09-14T17:20:00-04:00", NY, "en_US", range(pt(wd(kTue), 2), pt(none(), 4)),
       {"2026-09-15T14:00/2026-09-15T16:00"}},
      {"range_9_to_noon", "2026-10-19T09:00:00-04:00", NY, "en_US", range(pt(wd(kFri), 9), part(none(), PartOfDay::noon)),
       {"2026-10-23T09:00/2026-10-23T12:00"}},
      {"range_10_to_2", "2026-07-14T10:00:00-07:00", LA, "en_US", range(pt(wd(kSat), 10), pt(none(), 2)),
       {"2026-07-18T10:00/2026-07-18T14:00"}},
      {"range_11_to_1", "2026-10-30T09:30:00-04:00", NY, "en_US", range(pt(wd(kWed), 11), pt(none(), 1)),
       {"2026-11-04T11:00/2026-11-04T13:00"}},
      {"range_1_to_2pm", "2026-11-03T10:00:00-05:00", NY, "en_US", range(pt(date_(11, 12), 1), pt(none(), 2, 0, pm)),
       {"2026-11-12T13:00/2026-11-12T14:00"}},
      {"range_9_to_11pm_shares_pm", kMonLA, LA, "en_US", range(pt(wd(kFri), 9), pt(none(), 11, 0, pm)),
       {"2026-11-27T21:00/2026-11-27T23:00"}},
      {"range_10pm_to_2am_crosses_midnight", kMonLA, LA, "en_US", range(pt(wd(kFri), 10, 0, pm), pt(none(), 2, 0, am)),
       {"2026-11-27T22:00/2026-11-28T02:00"}},
      {"range_7_to_9_ambiguous_moves_both_ends", kMonLA, LA, "en_US", range(pt(wd(kFri), 7), pt(none(), 9)),
       {"2026-11-27T07:00/2026-11-27T09:00", "2026-11-27T19:00/2026-11-27T21:00"}, 0.75},
      {"range_h24", "2027-01-13T10:00:00+01:00", Berlin, "de_DE", range(pt(wd(kThu), 9, 0, h24), pt(none(), 11, 0, h24)),
       {"2027-01-14T09:00/2027-01-14T11:00"}},
      {"range_afternoon_part_shared", kMonLA, LA, "en_US", range(pt(wd(kTue), 2), pt(none(), 4, 0, unk, PartOfDay::afternoon)),
       {"2026-11-24T14:00/2026-11-24T16:00"}},
      {"day_range_ends_after_last_day", "2026-04-03T10:00:00-04:00", NY, "en_US", range(pt(wd(kMon)), pt(wd(kWed))),
       {"2026-04-06T00:00/2026-04-09T00:00"}},
      {"day_range_monday_to_wednesday_sent_monday", kMonLA, LA, "en_US", range(pt(wd(kMon)), pt(wd(kWed))),
       {"2026-11-30T00:00/2026-12-03T00:00"}},
      {"date_range_across_the_year", "2025-12-15T10:00:00-05:00", NY, "en_US", range(pt(date_(12, 22)), pt(date_(1, 2))),
       {"2025-12-22T00:00/2026-01-03T00:00"}},
      {"day_of_month_range", "2025-11-20T15:30:00-06:00", "America/Chicago", "en_US", range(pt(dom(24)), pt(dom(28))),
       {"2025-11-24T00:00/2025-11-29T00:00"}},
      // ---- open ends --------------------------------------------------------------------------------------
      {"after_2_tomorrow", "2025-12-01T10:00:00-05:00", NY, "en_US", shape(Shape::after, pt(rel(1), 2)), {"2025-12-02T14:00/"}},
      {"after_lunch_starts_at_13", "2026-08-24T09:00:00-04:00", NY, "en_US", shape(Shape::after, part(wd(kThu), PartOfDay::lunch)),
       {"2026-08-27T13:00/"}},
      {"from_monday_on", "2025-10-23T10:00:00-04:00", NY, "en_US", shape(Shape::after, pt(wd(kMon))), {"2025-10-27T00:00/"}},
      {"next_thursday_after_1", "2026-06-08T10:12:00-05:00", "America/Chicago", "en_US", shape(Shape::after, pt(wd(kThu, Mode::next), 1)),
       {"2026-06-18T13:00/", "2026-06-11T13:00/"}, 0.7},
      {"after_2_no_day_passed_is_tomorrow", "2026-11-23T15:00:00-08:00", LA, "en_US", shape(Shape::after, pt(none(), 2)),
       {"2026-11-24T14:00/"}},
      {"before_friday_ends_at_its_start", "2026-06-01T13:00:00-07:00", LA, "en_US", shape(Shape::before, pt(wd(kFri))),
       {"/2026-06-05T00:00"}},
      {"before_friday_across_the_year", "2025-12-29T10:00:00+01:00", "Europe/Madrid", "es_ES", shape(Shape::before, pt(wd(kFri))),
       {"/2026-01-02T00:00"}},
      {"before_lunch_ends_at_12", kMonLA, LA, "en_US", shape(Shape::before, part(wd(kThu), PartOfDay::lunch)), {"/2026-11-26T12:00"}},
      {"by_friday_includes_friday", kMonLA, LA, "en_US", shape(Shape::by, pt(wd(kFri))), {"/2026-11-28T00:00"}},
      {"until_noon_today", "2026-11-12T08:00:00-07:00", "America/Denver", "en_US", shape(Shape::by, part(rel(0), PartOfDay::noon)),
       {"/2026-11-12T12:00"}},
      {"by_eod_no_day", "2026-01-21T09:30:00-05:00", NY, "en_US", shape(Shape::by, part(none(), PartOfDay::end_of_day)),
       {"/2026-01-21T17:00"}},
      {"by_eod_thursday", "2026-05-13T15:00:00-05:00", "America/Chicago", "en_US", shape(Shape::by, part(wd(kThu), PartOfDay::end_of_day)),
       {"/2026-05-14T17:00"}},
      {"until_3_on_thursday", "2026-04-08T09:00:00-04:00", NY, "en_US", shape(Shape::by, pt(wd(kThu), 3)), {"/2026-04-09T15:00"}},
      {"by_date_inclusive", "2026-12-28T10:00:00+01:00", Berlin, "de_DE", shape(Shape::by, pt(date_(1, 3))), {"/2027-01-04T00:00"}},
      // ---- year ends and 29 February -------------------------------------------------------------------
      {"dec31_tomorrow", "2026-12-31T10:00:00-05:00", NY, "en_US", at(pt(rel(1))), {"2027-01-01T00:00/2027-01-02T00:00"}},
      {"dec31_next_week_crosses_the_year", "2026-12-31T10:00:00-05:00", NY, "en_US", at(pt(week(Mode::next))),
       {"2027-01-03T00:00/2027-01-10T00:00"}},
      {"dec31_next_week_gb", "2026-12-31T10:00:00+00:00", London, "en_GB", at(pt(week(Mode::next))), {"2027-01-04T00:00/2027-01-11T00:00"}},
      {"dec31_next_tuesday_same_both_ways", "2026-12-31T10:00:00-05:00", NY, "en_US", at(pt(wd(kTue, Mode::next))),
       {"2027-01-05T00:00/2027-01-06T00:00"}},
      {"late_december_date_means_january", "2026-12-30T10:00:00-05:00", NY, "en_US", at(pt(date_(1, 8))), {"2027-01-08T00:00/2027-01-09T00:00"}},
      {"late_december_day_of_month", "2026-12-31T10:00:00-05:00", NY, "en_US", at(pt(dom(2))), {"2027-01-02T00:00/2027-01-03T00:00"}},
      {"late_december_month_january", "2026-12-31T10:00:00-05:00", NY, "en_US", at(pt(month_(1))), {"2027-01-01T00:00/2027-02-01T00:00"}},
      {"closed_dec24_to_jan1", "2027-12-20T10:00:00-05:00", NY, "en_US", range(pt(date_(12, 24)), pt(date_(1, 1))),
       {"2027-12-24T00:00/2028-01-02T00:00"}},
      {"feb29_sent_2027_is_2028", "2027-06-10T10:00:00-04:00", NY, "en_US", at(pt(date_(2, 29))), {"2028-02-29T00:00/2028-03-01T00:00"}},
      {"feb29_past_clause_is_2024", "2027-03-01T10:00:00-05:00", NY, "en_US", at(pt(past(date_(2, 29)))),
       {"2024-02-29T00:00/2024-03-01T00:00"}},
      {"tuesday_the_29th_2028", "2028-02-25T10:00:00-05:00", NY, "en_US", at(pt(dom(29, kTue))), {"2028-02-29T00:00/2028-03-01T00:00"}},
      {"tomorrow_is_feb29", "2028-02-28T16:00:00-06:00", "America/Chicago", "en_US", at(pt(rel(1), 9, 30)),
       {"2028-02-29T09:30/2028-02-29T09:30"}},
      {"day_29_in_february_2027_skips_to_march", "2027-02-10T10:00:00-05:00", NY, "en_US", at(pt(dom(29))),
       {"2027-03-29T00:00/2027-03-30T00:00"}},
      // ---- DST: the days before and after each 2026 change --------------------------------------------
      {"la_spring_forward_gap_230_is_300", "2026-03-07T10:00:00-08:00", LA, "en_US", at(pt(rel(1), 2, 30, am)),
       {"2026-03-08T03:00/2026-03-08T03:00"}},
      {"la_spring_forward_day_is_23_hours_wall_time", "2026-03-07T10:00:00-08:00", LA, "en_US", at(pt(rel(1))),
       {"2026-03-08T00:00/2026-03-09T00:00"}},
      {"la_day_after_spring_forward", "2026-03-08T10:00:00-07:00", LA, "en_US", at(pt(rel(1), 2, 30, am)),
       {"2026-03-09T02:30/2026-03-09T02:30"}},
      {"la_day_before_spring_forward", "2026-03-06T10:00:00-08:00", LA, "en_US", at(pt(rel(1), 2, 30, am)),
       {"2026-03-07T02:30/2026-03-07T02:30"}},
      {"la_fall_back_overlap_keeps_wall_time", "2026-10-31T10:00:00-07:00", LA, "en_US", at(pt(rel(1), 1, 30, am)),
       {"2026-11-01T01:30/2026-11-01T01:30"}},
      {"la_day_after_fall_back", "2026-11-01T10:00:00-08:00", LA, "en_US", at(pt(rel(1), 1, 30, am)),
       {"2026-11-02T01:30/2026-11-02T01:30"}},
      {"berlin_spring_forward_gap", "2026-03-28T10:00:00+01:00", Berlin, "de_DE", at(pt(rel(1), 2, 30, h24)),
       {"2026-03-29T03:00/2026-03-29T03:00"}},
      {"berlin_day_after_spring_forward", "2026-03-29T10:00:00+02:00", Berlin, "de_DE", at(pt(rel(1), 2, 30, h24)),
       {"2026-03-30T02:30/2026-03-30T02:30"}},
      {"berlin_fall_back_overlap", "2026-10-24T10:00:00+02:00", Berlin, "de_DE", at(pt(rel(1), 2, 30, h24)),
       {"2026-10-25T02:30/2026-10-25T02:30"}},
      {"sydney_spring_forward_gap", "2026-10-03T10:00:00+10:00", "Australia/Sydney", "en_AU", at(pt(rel(1), 2, 30, h24)),
       {"2026-10-04T03:00/2026-10-04T03:00"}},
      {"sydney_fall_back_overlap", "2026-04-04T10:00:00+11:00", "Australia/Sydney", "en_AU", at(pt(rel(1), 2, 30, h24)),
       {"2026-04-05T02:30/2026-04-05T02:30"}},
      {"sydney_day_after_fall_back", "2026-04-05T10:00:00+10:00", "Australia/Sydney", "en_AU", at(pt(rel(1), 2, 30, h24)),
       {"2026-04-06T02:30/2026-04-06T02:30"}},
      // ---- named zones ----------------------------------------------------------------------------------
      {"et_when_us_changed_and_europe_not", "2026-03-09T10:00:00+01:00", Berlin, "de_DE", at(pt(wd(kTue), 10, 0, am), "ET"),
       {"2026-03-10T15:00/2026-03-10T15:00"}},
      {"et_before_us_change", "2026-03-02T10:00:00+01:00", Berlin, "de_DE", at(pt(wd(kTue), 10, 0, am), "ET"),
       {"2026-03-03T16:00/2026-03-03T16:00"}},
      {"et_to_la", "2026-01-26T08:45:00-08:00", LA, "en_US", at(pt(wd(kThu, Mode::this_), 4, 0, pm), "ET"),
       {"2026-01-29T13:00/2026-01-29T13:00"}},
      {"pt_to_ny", "2026-02-02T13:15:00-05:00", NY, "en_US", at(pt(wd(kFri), 10, 0, am), "PT"), {"2026-02-06T13:00/2026-02-06T13:00"}},
      {"pt_to_phoenix", "2026-01-07T09:00:00-07:00", "America/Phoenix", "en_US", at(pt(wd(kMon), 8, 0, am), "PT"),
       {"2026-01-12T09:00/2026-01-12T09:00"}},
      {"mt_to_la_in_april", "2025-04-08T10:00:00-07:00", LA, "en_US", at(pt(wd(kFri), 11, 0, am), "MT"),
       {"2025-04-11T10:00/2025-04-11T10:00"}},
      {"ct_with_date", "2025-12-29T09:00:00-05:00", NY, "en_US", at(pt(date_(1, 7, 0, kWed), 10, 0, am), "CT"),
       {"2026-01-07T11:00/2026-01-07T11:00"}},
      {"est_in_winter", "2026-11-30T09:00:00-08:00", LA, "en_US", at(pt(wd(kThu), 2, 0, pm), "EST"), {"2026-12-03T11:00/2026-12-03T11:00"}},
      {"est_in_july_names_the_zone", "2026-07-13T10:00:00-07:00", LA, "en_US", at(pt(wd(kThu), 2, 0, pm), "EST"),
       {"2026-07-16T11:00/2026-07-16T11:00"}},
      {"est_in_a_german_text_uses_the_table", "2026-07-13T10:00:00+02:00", Berlin, "de_DE", at(pt(wd(kThu), 14, 0, h24), "EST"),
       {"2026-07-16T20:00/2026-07-16T20:00"}},
      {"cet_to_ny", "2026-01-19T08:20:00-05:00", NY, "en_US", at(pt(wd(kThu), 15, 0, h24), "CET"), {"2026-01-22T09:00/2026-01-22T09:00"}},
      {"cet_to_london", "2026-01-29T10:00:00+00:00", London, "en_GB", at(pt(wd(kTue), 14, 0, h24), "CET"),
       {"2026-02-03T13:00/2026-02-03T13:00"}},
      {"mez_de", "2026-07-13T10:00:00+01:00", London, "de_DE", at(pt(wd(kThu), 15, 0, h24), "MEZ"), {"2026-07-16T14:00/2026-07-16T14:00"}},
      {"gmt_in_summer_is_london", "2026-07-13T10:00:00+02:00", Berlin, "en_GB", at(pt(wd(kThu), 15, 0, h24), "GMT"),
       {"2026-07-16T16:00/2026-07-16T16:00"}},
      {"gmt_in_summer_is_london_us_too", "2026-07-13T10:00:00-04:00", NY, "en_US", at(pt(wd(kThu), 15, 0, h24), "GMT"),
       {"2026-07-16T10:00/2026-07-16T10:00"}},
      {"japan_time", "2026-07-13T10:00:00-07:00", LA, "en_US", at(pt(wd(kThu), 9, 0, am), "Japan time"),
       {"2026-07-15T17:00/2026-07-15T17:00"}},
      {"bst", "2026-07-13T10:00:00-04:00", NY, "en_US", at(pt(wd(kThu), 15, 0, h24), "BST"), {"2026-07-16T10:00/2026-07-16T10:00"}},
      {"mst_names_denver_in_summer", "2026-07-13T10:00:00-07:00", LA, "en_US", at(pt(wd(kThu), 9, 0, am), "MST"),
       {"2026-07-16T08:00/2026-07-16T08:00"}},
      {"utc", "2026-07-13T10:00:00-04:00", NY, "en_US", at(pt(wd(kThu), 15, 0, h24), "UTC"), {"2026-07-16T11:00/2026-07-16T11:00"}},
      {"jst", "2026-07-13T10:00:00-07:00", LA, "en_US", at(pt(wd(kThu), 9, 0, am), "JST"), {"2026-07-15T17:00/2026-07-15T17:00"}},
      {"aest_from_london", "2026-07-13T10:00:00+01:00", London, "en_GB", at(pt(wd(kThu), 18, 0, h24), "AEST"),
       {"2026-07-16T09:00/2026-07-16T09:00"}},
      {"london_time_to_ny", "2026-03-18T09:00:00-04:00", NY, "en_US", at(pt(wd(kTue), 3, 0, pm), "London"),
       {"2026-03-24T11:00/2026-03-24T11:00"}},
      {"london_time_to_chicago_across_dst_gap", "2026-10-29T09:00:00-05:00", "America/Chicago", "en_US", at(pt(wd(kTue), 4, 0, pm), "London"),
       {"2026-11-03T10:00/2026-11-03T10:00"}},
      {"new_york_time_from_london", "2026-03-09T10:00:00+00:00", London, "en_GB", at(pt(wd(kThu), 9, 0, am), "New York"),
       {"2026-03-12T13:00/2026-03-12T13:00"}},
      {"iana_name", "2026-03-09T10:00:00+00:00", London, "en_GB", at(pt(wd(kThu), 9, 0, am), "America/New_York"),
       {"2026-03-12T13:00/2026-03-12T13:00"}},
      {"tokyo_day_is_tokyos_calendar", "2026-06-10T10:00:00-07:00", LA, "en_US", at(pt(wd(kTue), 9, 0, am), "Tokyo"),
       {"2026-06-15T17:00/2026-06-15T17:00"}},
      {"new_yorker_zeit", "2026-10-26T10:00:00+01:00", Berlin, "de_DE", at(pt(wd(kWed), 9, 0, h24), "New Yorker"),
       {"2026-10-28T14:00/2026-10-28T14:00"}},
      {"londoner_zeit", "2027-03-29T11:00:00+02:00", Berlin, "de_DE", at(pt(wd(kFri), 15, 0, h24), "Londoner"),
       {"2027-04-02T16:00/2027-04-02T16:00"}},
      {"heure_de_londres", "2025-09-22T10:00:00+02:00", "Europe/Paris", "fr_FR", at(pt(wd(kThu), 15, 0, h24), "Londres"),
       {"2025-09-25T16:00/2025-09-25T16:00"}},
      {"heure_de_new_york", "2027-03-15T10:00:00+01:00", "Europe/Paris", "fr_FR", at(pt(wd(kThu), 10, 0, h24), "New York"),
       {"2027-03-18T15:00/2027-03-18T15:00"}},
      {"hora_de_nueva_york", "2026-10-28T10:00:00+01:00", "Europe/Madrid", "es_ES", at(pt(wd(kFri), 10, 0, am), "Nueva York"),
       {"2026-10-30T15:00/2026-10-30T15:00"}},
      {"hora_peninsular", "2026-02-09T10:00:00+00:00", "Atlantic/Canary", "es_ES", at(pt(wd(kThu), 10, 0, h24), "peninsular"),
       {"2026-02-12T09:00/2026-02-12T09:00"}},
      {"sydney_city", "2026-07-13T10:00:00+01:00", London, "en_GB", at(pt(wd(kThu), 18, 0, h24), "Sydney"),
       {"2026-07-16T09:00/2026-07-16T09:00"}},
      {"seattle_from_the_table", "2026-02-02T13:15:00-05:00", NY, "en_US", at(pt(wd(kFri), 10, 0, am), "Seattle"),
       {"2026-02-06T13:00/2026-02-06T13:00"}},
      {"ist_us_means_india", kMonLondon, London, "en_US", at(pt(rel(1), 10, 0, h24), "IST"),
       {"2026-11-24T04:30/2026-11-24T04:30", "2026-11-24T10:00/2026-11-24T10:00", "2026-11-24T08:00/2026-11-24T08:00"}, 0.8},
      {"ist_ie_means_ireland", kMonLondon, London, "en_IE", at(pt(rel(1), 10, 0, h24), "IST"),
       {"2026-11-24T10:00/2026-11-24T10:00", "2026-11-24T04:30/2026-11-24T04:30", "2026-11-24T08:00/2026-11-24T08:00"}, 0.8},
      {"cst_cn_means_china", kMonLondon, London, "zh_CN", at(pt(rel(1), 10, 0, h24), "CST"),
       {"2026-11-24T02:00/2026-11-24T02:00", "2026-11-24T16:00/2026-11-24T16:00"}, 0.8},
      {"cst_us_means_central", kMonLondon, London, "en_US", at(pt(rel(1), 10, 0, h24), "CST"),
       {"2026-11-24T16:00/2026-11-24T16:00", "2026-11-24T02:00/2026-11-24T02:00"}, 0.8},
      {"zone_with_no_day_uses_the_named_zones_now", "2026-11-23T10:00:00-08:00", LA, "en_US", at(pt(none(), 1, 30, pm), "ET"),
       {"2026-11-23T10:30/2026-11-23T10:30"}},
      {"zone_with_no_day_exactly_now_there_is_tomorrow", "2026-11-23T10:00:00-08:00", LA, "en_US", at(pt(none(), 1, 0, pm), "ET"),
       {"2026-11-24T10:00/2026-11-24T10:00"}},
      {"part_without_day_in_progress_is_today", kMonLA, LA, "en_US", at(part(none(), PartOfDay::morning)),
       {"2026-11-23T08:00/2026-11-23T12:00"}},
      {"zone_with_no_day_passed_there", "2026-11-23T10:00:00-08:00", LA, "en_US", at(pt(none(), 12, 30, pm), "ET"),
       {"2026-11-24T09:30/2026-11-24T09:30"}},
      {"until_6pm_et_today", "2026-03-04T13:00:00-06:00", "America/Chicago", "en_US", shape(Shape::by, pt(rel(0), 6, 0, pm), "ET"),
       {"/2026-03-04T17:00"}},
  };
  return all;
}

class Resolver : public ::testing::TestWithParam<Case> {};

TEST_P(Resolver, ReadingsMainFirst) {
  const Case& c = GetParam();
  auto result = run(c.expression, c.sent, c.zone, c.locale);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  std::vector<std::string> got;
  double total = 0;
  for (const auto& r : *result) {
    got.push_back(text(r));
    total += r.weight;
    EXPECT_FALSE(r.why.empty()) << text(r);
  }
  EXPECT_EQ(got, c.readings);
  ASSERT_FALSE(result->empty());
  EXPECT_NEAR(result->front().weight, c.main_weight, 1e-9) << result->front().why;
  EXPECT_NEAR(total, 1.0, 1e-9);
  for (std::size_t i = 1; i < result->size(); ++i) EXPECT_LE((*result)[i].weight, (*result)[i - 1].weight);
}

INSTANTIATE_TEST_SUITE_P(Conventions, Resolver, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

// ---- zone fields, why texts -------------------------------------------------------------------------------
TEST(ResolverZones, AmbiguousAbbreviationMarksEveryReadingAndNamesTheZones) {
  auto r = run(at(pt(rel(1), 10, 0, h24), "IST"), kMonLondon, London, "en_US");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].zone, "Asia/Kolkata");
  EXPECT_EQ((*r)[1].zone, "Europe/Dublin");
  EXPECT_EQ((*r)[2].zone, "Asia/Jerusalem");
  for (const auto& reading : *r) EXPECT_TRUE(reading.zone_ambiguous);
  EXPECT_NEAR((*r)[1].weight, 0.1, 1e-9);
}

TEST(ResolverZones, NoZoneWrittenLeavesZoneEmpty) {
  auto r = run(at(pt(rel(1), 10, 0, h24)), kMonLondon, London, "en_GB");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ((*r)[0].zone, "");
  EXPECT_FALSE((*r)[0].zone_ambiguous);
}

TEST(ResolverZones, CityNameGivesTheCanonicalIanaZone) {
  auto r = run(at(pt(rel(1), 10, 0, h24), "Kolkata"), kMonLondon, London, "en_GB");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ((*r)[0].zone, "Asia/Kolkata");
  EXPECT_EQ(text((*r)[0]), "2026-11-24T04:30/2026-11-24T04:30");
}

TEST(ResolverWhy, SaysWhichRuleGaveEachReading) {
  auto r = run(at(pt(wd(kTue, Mode::next), 3)), kMonLA, LA, "en_US");
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_NE((*r)[0].why.find("next Tuesday: the Tuesday of next week"), std::string::npos) << (*r)[0].why;
  EXPECT_NE((*r)[0].why.find("clock rule: hours 1 to 6 are afternoon"), std::string::npos) << (*r)[0].why;
  EXPECT_NE((*r)[1].why.find("the first Tuesday after the day of sent"), std::string::npos) << (*r)[1].why;
  auto w = run(at(pt(week(Mode::next))), kMonLA, LA, "en_US");
  ASSERT_TRUE(w.is_ok());
  EXPECT_NE((*w)[0].why.find("weeks start on Sunday for en_US"), std::string::npos) << (*w)[0].why;
}

// Whole explanations, as the parts are joined: the day's (a weekday's made once, then extended by "plus
// days"; a date's with the weekday that disagrees), a clock time's "HH:MM: ", the shape's, a range's end.
TEST(ResolverWhy, WholeExplanationsJoinTheirParts) {
  const auto why = [](const TimeExpression& x, const char* sent = kMonLA, const char* zone = LA) {
    auto r = run(x, sent, zone, "en_US");
    std::vector<std::string> out;
    if (r.is_ok())
      for (const auto& reading : *r) out.push_back(reading.why);
    return out;
  };
  EXPECT_EQ(why(at(pt(plus(wd(kMon), 7)))),
            std::vector<std::string>{"Monday: the first Monday after the day of sent, plus 7 days"});
  EXPECT_EQ(why(at(pt(wd(kTue, Mode::next), 3))),
            (std::vector<std::string>{"next Tuesday: the Tuesday of next week; 15:00: clock rule: hours 1 to 6 are afternoon",
                                      "next Tuesday: also read as the first Tuesday after the day of sent; 15:00: clock rule: "
                                      "hours 1 to 6 are afternoon"}));
  EXPECT_EQ(why(range(pt(wd(kTue), 3), pt(none(), 5))),
            std::vector<std::string>{"Tuesday: the first Tuesday after the day of sent; 15:00: clock rule: hours 1 to 6 are "
                                     "afternoon; to until 17:00: end of a range: the first such hour after its start"});
  EXPECT_EQ(why(range(pt(wd(kTue)), pt(wd(kThu)))),
            std::vector<std::string>{"Tuesday: the first Tuesday after the day of sent; to Thursday ending a range: the "
                                     "first on or after its start; a day range ends at 00:00 after its last day"});
  EXPECT_EQ(why(shape(Shape::by, pt(wd(kFri)))),
            std::vector<std::string>{"Friday: the first Friday after the day of sent; by/until: the day included, ends at "
                                     "00:00 after it"});
  EXPECT_EQ(why(at(pt(date_(11, 25, 0, kTue)))),
            (std::vector<std::string>{"2026-11-25: a date without a year, its next occurrence on or after the day of sent "
                                      "(Wednesday, not Tuesday: the date wins)",
                                      "Tuesday nearest to 2026-11-25: the weekday as written"}));
  EXPECT_EQ(why(at(pt(none(), 9))),
            std::vector<std::string>{"no day written: tomorrow, the time has passed today; 09:00: clock rule: hours 7 to 11 "
                                     "are morning"});
  EXPECT_EQ(why(shape(Shape::after, pt(rel(1), -1, 0, unk, PartOfDay::lunch))),
            std::vector<std::string>{"tomorrow; lunch [12:00, 13:00); open end: from then on"});
  EXPECT_EQ(why(at(pt(rel(1), 15), "Europe/London")),
            std::vector<std::string>{"tomorrow; 15:00: an hour past 12 or 0 is 24-hour time; IANA zone Europe/London, "
                                     "converted to America/Los_Angeles"});
  // The same zone named again by a sender in another zone: converted to that one.
  EXPECT_EQ(why(at(pt(rel(1), 15), "Europe/London"), kMonLA, NY),
            std::vector<std::string>{"tomorrow; 15:00: an hour past 12 or 0 is 24-hour time; IANA zone Europe/London, "
                                     "converted to America/New_York"});
}

// Every weekday in every reading of a weekday (a table joined at compile time): the explanation names it
// where the rule says.
TEST(ResolverWhy, EveryWeekdayInEveryWeekdayReading) {
  const char* const names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  const auto whys = [](const TimeExpression& x) {
    auto r = run(x, kMonLA, LA, "en_US");
    std::vector<std::string> out;
    if (r.is_ok())
      for (const auto& reading : *r) out.push_back(reading.why);
    return out;
  };
  for (int k = 0; k < 7; ++k) {
    const std::string n = names[k];
    SCOPED_TRACE(n);
    EXPECT_EQ(whys(at(pt(wd(k)))), std::vector<std::string>{n + ": the first " + n + " after the day of sent"});
    EXPECT_EQ(whys(at(pt(past(wd(k))))),
              std::vector<std::string>{n + " in a past clause: the most recent before the day of sent"});
    EXPECT_EQ(whys(at(pt(wd(k, Mode::this_)))), std::vector<std::string>{"this " + n + ": the first on or after the day of sent"});
    EXPECT_EQ(whys(at(pt(wd(k, Mode::last)))), std::vector<std::string>{"last " + n + ": the most recent before the day of sent"});
    EXPECT_EQ(whys(at(pt(wd(k, Mode::next_only)))),
              std::vector<std::string>{"next " + n + " (the text also says this " + n + "): the " + n + " of next week"});
    const std::vector<std::string> next = whys(at(pt(wd(k, Mode::next))));
    ASSERT_FALSE(next.empty());
    EXPECT_EQ(next[0], "next " + n + ": the " + n + " of next week");
    if (next.size() > 1) {
      EXPECT_EQ(next[1], "next " + n + ": also read as the first " + n + " after the day of sent");
    }
    const std::vector<std::string> to = whys(range(pt(rel(0)), pt(wd(k))));
    ASSERT_EQ(to.size(), 1u);
    EXPECT_EQ(to[0], "today; to " + n + " ending a range: the first on or after its start; a day range ends at 00:00 "
                     "after its last day");
  }
}

// The numbers and dates inside explanations (written without std::to_string or a day-count conversion):
// signs, one and several digits, years, months, ISO weeks, the days added.
TEST(ResolverWhy, NumbersAndDatesInExplanations) {
  const auto why = [](const TimeExpression& x) {
    auto r = run(x, kMonLA, LA, "en_US");
    return r.is_ok() && !r->empty() ? (*r)[0].why : r.status().to_string();
  };
  EXPECT_EQ(why(at(pt(rel(3)))), "3 days after the day of sent");
  EXPECT_EQ(why(at(pt(rel(-12)))), "12 days before the day of sent");
  EXPECT_EQ(why(at(pt(rel(1000000)))), "1000000 days after the day of sent");
  EXPECT_EQ(why(at(pt(rel(-100000)))), "100000 days before the day of sent");
  EXPECT_EQ(why(at(pt(month_offset(1)))), "the month 1 month(s) after sent's");
  EXPECT_EQ(why(at(pt(month_offset(-10)))), "the month -10 month(s) after sent's");
  EXPECT_EQ(why(at(pt(month_(3, 2027)))), "March 2027: as written");
  EXPECT_EQ(why(at(pt(month_(3)))), "March: its next occurrence (the current month included)");
  EXPECT_EQ(why(at(pt(past(month_(12))))), "December in a past clause: the most recent");
  EXPECT_EQ(why(at(pt(week(Mode::in_week, 2)))), "the week 2 week(s) after sent's week (weeks start on Sunday for en_US)");
  EXPECT_EQ(why(at(pt(wd(kWed, Mode::in_week, 10)))), "Wednesday of the week 10 week(s) after sent's week");
  EXPECT_EQ(why(at(pt(dom(16)))), "the 16: the next such day on or after the day of sent");
  EXPECT_EQ(why(at(pt(past(dom(9))))), "the 9: the most recent such day on or before the day of sent");
  EXPECT_EQ(why(at(pt(iso(12)))), "ISO week 12: Monday to Sunday, ISO 8601");
  EXPECT_EQ(why(at(pt(date_(3, 5, 2027)))), "2027-03-05: the date as written");
  EXPECT_EQ(why(at(pt(date_(1, 5, 10000)))), "10000-01-05: the date as written");  // past four digits: date's format
  EXPECT_EQ(why(at(pt(date_(1, 9)))), "2027-01-09: a date without a year, its next occurrence on or after the day of sent");
  EXPECT_EQ(why(at(pt(week_of(12, 7)))), "the week of 2026-12-07 (weeks start on Sunday for en_US)");
  EXPECT_EQ(why(at(pt(plus(rel(0), -14)))), "today, plus -14 days");
  EXPECT_EQ(why(at(pt(plus(date_(2, 29, 2028), 100)))), "2028-02-29: the date as written, plus 100 days");
}

// The zones written are remembered per thread (a bounded number, the oldest replaced): naming more zones
// than are remembered, in two orders, gives the same readings and explanations each time.
TEST(ResolverZones, ManyNamedZonesGiveTheSameAnswersAgain) {
  const char* const names[] = {
      "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Vienna",
      "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki", "Europe/Lisbon", "Europe/Dublin", "Europe/Oslo",
      "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
      "America/Anchorage", "America/Halifax", "America/Sao_Paulo", "America/Mexico_City", "America/Bogota",
      "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Kolkata", "Asia/Dubai", "Asia/Singapore",
      "Asia/Jakarta", "Australia/Sydney", "Australia/Perth", "Pacific/Auckland", "Africa/Cairo",
      "Africa/Johannesburg", "Africa/Lagos", "ET", "CET", "PT", "London", "Tokyo"};
  const auto answer = [](const char* zone) {
    auto r = run(at(pt(wd(kTue), 15), zone), kMonLA, LA, "en_US");
    if (!r.is_ok()) return r.status().to_string();
    std::string all;
    for (const auto& reading : *r) all += text(reading) + " " + reading.zone + " " + reading.why + "\n";
    return all;
  };
  std::vector<std::string> first;
  for (const char* zone : names) first.push_back(answer(zone));
  for (std::size_t k = std::size(names); k-- > 0;) EXPECT_EQ(answer(names[k]), first[k]) << names[k];
  for (std::size_t k = 0; k < std::size(names); ++k) EXPECT_EQ(answer(names[k]), first[k]) << names[k];
  EXPECT_EQ(first[0].find(" Europe/London "), 33u) << first[0];  // "START/END", then the zone
}

// ---- invalid inputs ---------------------------------------------------------------------------------------
struct Bad {
  const char* name;
  TimeExpression expression;
  const char* zone;
  const char* message;
};

std::ostream& operator<<(std::ostream& os, const Bad& b) { return os << b.name; }

const std::vector<Bad>& bad_cases() {
  static const std::vector<Bad> all = {
      {"month_13", at(pt(date_(13, 1))), LA, "time expression: month 13 does not exist (months run 1 to 12)"},
      {"feb_30", at(pt(date_(2, 30))), LA, "time expression: February 30 does not exist (February has at most 29 days)"},
      {"april_31", at(pt(date_(4, 31))), LA, "time expression: April 31 does not exist (April has at most 30 days)"},
      {"feb_29_2027", at(pt(date_(2, 29, 2027))), LA, "time expression: date 2027-2-29 does not exist (February 2027 has 28 days)"},
      {"day_32", at(pt(dom(32))), LA, "time expression: day 32 does not exist (days run 1 to 31)"},
      {"month_of_year_0", at(pt(month_(0, 2026))), LA, nullptr},  // month 0 with a year: offset 0, valid
      {"month_14", at(pt(month_(14))), LA, "time expression: month 14 does not exist (months run 1 to 12)"},
      {"weekday_7", at(pt(wd(7))), LA, "time expression: weekday 7 does not exist (0 Sunday to 6 Saturday)"},
      {"hour_25", at(pt(rel(1), 25, 0, h24)), LA, "time expression: hour 25:00 does not exist on a 24-hour clock"},
      {"13pm", at(pt(rel(1), 13, 0, pm)), LA, "time expression: hour 13pm does not exist (1 to 12)"},
      {"minute_61", at(pt(rel(1), 10, 61, h24)), LA, "time expression: minute 61 in 10:61 does not exist (0 to 59)"},
      {"minute_before_hour", at(pt(rel(1), 13, -5, am)), LA, "time expression: minute -5 in 13:0-5 does not exist (0 to 59)"},
      {"h24_24_30", at(pt(rel(1), 24, 30, h24)), LA, "time expression: hour 24:30 does not exist on a 24-hour clock"},
      {"am_0_ok_but_13am", at(pt(rel(1), 13, 5, am)), LA, "time expression: hour 13am does not exist (1 to 12)"},
      {"hour_30", at(pt(rel(1), 30)), LA, "time expression: hour 30 does not exist (0 to 23)"},
      {"iso_week_53_of_2027", at(pt(iso(53, 2027))), LA, "time expression: ISO week 53 of 2027 does not exist (that year has 52 weeks)"},
      {"nothing_written", at(pt(none())), LA, "time expression: the expression names neither a day nor a time of day"},
      {"range_backwards", range(pt(date_(3, 5, 2027)), pt(date_(3, 1, 2027))), LA,
       "time expression: range ends (2027-03-02T00:00) before it starts (2027-03-05T00:00)"},
      {"unknown_context_zone", at(pt(rel(1))), "Mars/Olympus_Mons",
       "time context: unknown sender time zone \"Mars/Olympus_Mons\" (an IANA name such as \"Europe/Berlin\" is needed)"},
  };
  return all;
}

class ResolverInvalid : public ::testing::TestWithParam<Bad> {};

TEST_P(ResolverInvalid, IsInvalidInputWithAClearMessage) {
  const Bad& b = GetParam();
  auto r = run(b.expression, kMonLA, b.zone, "en_US");
  if (b.message == nullptr) {
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return;
  }
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), sdk::Code::invalid_input);
  EXPECT_EQ(r.status().message(), b.message);
}

INSTANTIATE_TEST_SUITE_P(Inputs, ResolverInvalid, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<Bad>& p) { return std::string(p.param.name); });

TEST(ResolverInvalidZone, UnknownZoneNameIsInvalidInputNamingIt) {
  auto r = run(at(pt(rel(1), 10, 0, h24), "Mars/Olympus"), kMonLA, LA, "en_US");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), sdk::Code::invalid_input);
  EXPECT_EQ(r.status().message().rfind("time expression: unknown time zone \"Mars/Olympus\": not an IANA zone, a city or an "
                                       "abbreviation known for locale \"en_US\"", 0),
            0u)
      << r.status().message();
}

TEST(ResolverInvalidZone, MisspelledAbbreviationGetsASuggestion) {
  auto r = run(at(pt(rel(1), 10, 0, h24), "ESTT"), kMonLA, LA, "en_US");
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("did you mean"), std::string::npos) << r.status().message();
}

TEST(ResolverWiring, EngineServicesResolveWithTheLocalesWeek) {
  const auto services = make_services();
  sdk::TimeContext ctx;
  ctx.sent = instant(kMonLA);
  ctx.zone = LA;
  ctx.locale = "en_US";
  auto us = services->time().resolve(at(pt(week(Mode::next))), ctx);
  ASSERT_TRUE(us.is_ok()) << us.status().to_string();
  EXPECT_EQ(text((*us)[0]), "2026-11-29T00:00/2026-12-06T00:00");
  ctx.locale = "de_DE";
  auto de = services->time().resolve(at(pt(week(Mode::next))), ctx);
  ASSERT_TRUE(de.is_ok()) << de.status().to_string();
  EXPECT_EQ(text((*de)[0]), "2026-11-30T00:00/2026-12-07T00:00");
}

// A thread remembers the weeks of the last few locales it resolved in: more locales than it keeps, in
// turns and back again, each give what a thread that never saw another locale gives (the first day of
// the week, the working days and the explanation's "weeks start on ... for ...").
TEST(ResolverWeeks, ManyLocalesInTurnGiveWhatAFreshThreadGives) {
  const char* const locales[] = {"en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "he_IL", "ar_EG",
                                 "ja_JP", "pt_BR", "it_IT", "und"};
  const TimeExpression expressions[] = {at(pt(week(Mode::next))), at(pt(end_of_week())), at(pt(rest_of_week()))};
  const auto answer = [&](const char* locale, const TimeExpression& x) {
    const TzTimeService service(facts());
    sdk::TimeContext ctx;
    ctx.sent = instant("2026-11-22T10:00:00+00:00");  // a Sunday: first day of some locales' week, not others'
    ctx.zone = London;
    ctx.locale = locale;
    std::vector<sdk::TimeReading> out;
    const sdk::Status s = service.resolve_into(x, ctx, out, true);
    if (!s.is_ok()) return s.to_string();
    std::string all;
    for (const auto& reading : out) all += text(reading) + " " + reading.why + "\n";
    return all;
  };
  std::vector<std::string> fresh;
  for (const char* locale : locales)
    for (const TimeExpression& x : expressions) {
      std::thread t([&] { fresh.push_back(answer(locale, x)); });
      t.join();
    }
  for (int round = 0; round < 3; ++round) {
    std::size_t k = 0;
    for (const char* locale : locales)
      for (const TimeExpression& x : expressions) EXPECT_EQ(answer(locale, x), fresh[k++]) << locale << " round " << round;
  }
  EXPECT_NE(fresh[0].find("weeks start on Sunday for en_US"), std::string::npos) << fresh[0];
  EXPECT_NE(fresh[3].find("weeks start on Monday for en_GB"), std::string::npos) << fresh[3];
}

TEST(ResolverThreads, ConcurrentCallsAgree) {
  const TzTimeService service(facts());
  sdk::TimeContext ctx;
  ctx.sent = instant("2026-10-28T10:00:00+01:00");
  ctx.zone = "Europe/Madrid";
  ctx.locale = "es_ES";
  const char* zones[] = {"Nueva York", "Londres", "Tokio", "CET", "IST", "ET"};
  std::vector<std::string> expected;
  for (const char* z : zones) {
    auto r = service.resolve(at(pt(wd(kFri), 10, 0, h24), z), ctx);
    ASSERT_TRUE(r.is_ok()) << z << ": " << r.status().to_string();
    expected.push_back(text((*r)[0]));
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::size_t k = static_cast<std::size_t>((i + t) % 6);
        auto r = service.resolve(at(pt(wd(kFri), 10, 0, h24), zones[k]), ctx);
        if (!r.is_ok() || text((*r)[0]) != expected[k]) ++mismatches[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
  EXPECT_EQ(expected[0], "2026-10-30T15:00/2026-10-30T15:00");
}

// resolve_into: one vector reused for every case of the table, whatever it held before; unexplained
// readings are the explained ones without their `why`; an expression that cannot be resolved leaves the
// vector empty.
TEST(ResolverInto, ReusedVectorGivesWhatResolveGives) {
  const TzTimeService service(facts());
  std::vector<sdk::TimeReading> out(5);  // elements from "before", to be written over or dropped
  for (auto& r : out) r.why = "a stale explanation long enough to live on the heap, not in the string";
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    sdk::TimeContext ctx;
    ctx.sent = instant(c.sent);
    ctx.zone = c.zone;
    ctx.locale = c.locale;
    auto whole = service.resolve(c.expression, ctx);
    ASSERT_TRUE(whole.is_ok()) << whole.status().to_string();
    for (const bool explain : {false, true}) {
      ASSERT_TRUE(service.resolve_into(c.expression, ctx, out, explain).is_ok());
      ASSERT_EQ(out.size(), whole->size());
      for (std::size_t i = 0; i < out.size(); ++i) {
        const sdk::TimeReading& a = out[i];
        const sdk::TimeReading& b = (*whole)[i];
        EXPECT_EQ(text(a), text(b));
        EXPECT_EQ(a.weight, b.weight);
        EXPECT_EQ(a.zone, b.zone);
        EXPECT_EQ(a.zone_ambiguous, b.zone_ambiguous);
        EXPECT_EQ(a.why, explain ? b.why : std::string());
        if (explain) {
          EXPECT_FALSE(a.why.empty());
        }
      }
    }
  }
  sdk::TimeContext ctx;
  ctx.sent = instant(kMonLA);
  ctx.zone = LA;
  ctx.locale = "en_US";
  const sdk::Status s = service.resolve_into(at(pt(dom(32))), ctx, out, true);
  EXPECT_EQ(s.code(), sdk::Code::invalid_input);
  EXPECT_TRUE(out.empty());
}

// The SDK's TimeService reference: the engine's Services hand out a resolver that knows the locale.
TEST(ResolverWiring, DefaultConstructedServiceResolvesToo) {
  const TzTimeService service;
  sdk::TimeContext ctx;
  ctx.sent = instant(kMonLondon);
  ctx.zone = London;
  ctx.locale = "en_GB";
  auto r = service.resolve(at(pt(week(Mode::next))), ctx);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(text((*r)[0]), "2026-11-30T00:00/2026-12-07T00:00");
}

}  // namespace
}  // namespace tandem::detail
