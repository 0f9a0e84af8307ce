// Wall times and instants in the frames of a calendar (model.hpp): date/tz for IANA zones, libical for
// zones defined only by a VTIMEZONE of the file.
#include <ctime>

#include "calendar/model.hpp"
#include "time/zone_clock.hpp"

namespace tandem::detail::calendar {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using ZoneClock = detail::time::ZoneClock;

namespace {

sys_seconds iana_instant(const date::time_zone& zone, date::local_seconds wall) {
  // unique: first is the one; ambiguous: first is the earlier; nonexistent: first is the offset before the gap.
  const date::local_info info = zone.get_info(wall);
  return sys_seconds{wall.time_since_epoch() - info.first.offset};
}

}  // namespace

icaltimetype to_ical(date::local_seconds wall, bool is_date) {
  const auto day = date::floor<date::days>(wall);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{wall - day};
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  if (is_date) {
    t.is_date = 1;
  } else {
    t.hour = static_cast<int>(hms.hours().count());
    t.minute = static_cast<int>(hms.minutes().count());
    t.second = static_cast<int>(hms.seconds().count());
  }
  t.zone = nullptr;
  return t;
}

std::optional<date::local_seconds> from_ical(const icaltimetype& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return std::nullopt;
  const date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                 date::day{static_cast<unsigned>(t.day)}};
  if (!ymd.ok()) return std::nullopt;
  if (t.is_date) return date::local_days{ymd};
  if (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 60) return std::nullopt;
  // A leap second (:60) is read as the last second of its minute: neither date/tz nor libical count them.
  return date::local_days{ymd} + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} +
         seconds{t.second == 60 ? 59 : t.second};
}

sys_seconds to_instant(const tandem::calendar::Calendar::Impl& cal, const WallTime& t, const date::time_zone* floating_zone) {
  const Frame& f = *t.frame;
  switch (f.type) {
    case Frame::Type::utc:
      return sys_seconds{t.wall.time_since_epoch()};
    case Frame::Type::iana:
      return iana_instant(*f.iana, t.wall);
    case Frame::Type::vtimezone: {
      icaltimetype it = to_ical(t.wall, false);  // a DATE in a zone is its midnight there
      it.zone = f.vtimezone;
      std::lock_guard lock(cal.vtimezone_mutex);
      return sys_seconds{seconds{static_cast<long long>(icaltime_as_timet_with_zone(it, f.vtimezone))}};
    }
    case Frame::Type::floating:
      break;
  }
  return floating_zone != nullptr ? iana_instant(*floating_zone, t.wall) : sys_seconds{t.wall.time_since_epoch()};
}

date::local_seconds to_wall(const tandem::calendar::Calendar::Impl& cal, sys_seconds t, const Frame& frame,
                            const date::time_zone* floating_zone) {
  switch (frame.type) {
    case Frame::Type::utc:
      return date::local_seconds{t.time_since_epoch()};
    case Frame::Type::iana:
      return ZoneClock::to_local(*frame.iana, t);
    case Frame::Type::vtimezone: {
      icaltimetype it;
      {
        std::lock_guard lock(cal.vtimezone_mutex);
        it = icaltime_from_timet_with_zone(static_cast<std::time_t>(t.time_since_epoch().count()), 0, frame.vtimezone);
      }
      if (auto w = from_ical(it)) return *w;
      return date::local_seconds{t.time_since_epoch()};
    }
    case Frame::Type::floating:
      break;
  }
  return floating_zone != nullptr ? ZoneClock::to_local(*floating_zone, t) : date::local_seconds{t.time_since_epoch()};
}

}  // namespace tandem::detail::calendar
