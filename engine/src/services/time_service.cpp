#include "services/time_service.hpp"

#include <date/tz.h>

#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include "services/locale_facts.hpp"
#include "tandem/sdk/config.hpp"
#include "time/resolver.hpp"
#include "time/zone_clock.hpp"

namespace tandem::detail {
namespace {

using std::chrono::duration_cast;
using std::chrono::minutes;
using std::chrono::seconds;

// date/tz's own local clock is distinct from std::chrono's; both count from the same epoch.
date::local_seconds to_date_local(sdk::LocalTime t) noexcept { return date::local_seconds{t.time_since_epoch()}; }
sdk::LocalTime from_date_local(date::local_seconds t) noexcept { return sdk::LocalTime{t.time_since_epoch()}; }

int offset_minutes(const date::sys_info& info) noexcept {
  return static_cast<int>(duration_cast<minutes>(info.offset).count());
}

// "unknown time zone \"Europe/Berln\" (did you mean \"Europe/Berlin\"?)" — the suggestion only when the
// tz database can be listed.
std::string unknown_zone_message(std::string_view zone) {
  if (zone.empty()) return "no time zone given (an IANA name such as \"Europe/Berlin\" is needed)";
  std::string message = "unknown time zone \"" + std::string(zone) + "\"";
  try {
    const date::tzdb& db = date::get_tzdb();
    std::vector<std::string> names;
    names.reserve(db.zones.size());
    for (const auto& z : db.zones) names.emplace_back(z.name());
    message += sdk::did_you_mean(zone, names);
  } catch (...) {
    // No suggestion; the message still names the zone.
  }
  return message;
}

// Runs `f` on the zone named `zone`; an unknown zone is Status not_found naming it (date::locate_zone
// throws for an unknown name), and anything else date/tz throws becomes a Status too.
template <typename T, typename F>
sdk::Result<T> with_zone(std::string_view zone, F&& f) noexcept {
  try {
    const date::time_zone* tz = nullptr;
    try {
      if (!zone.empty()) tz = date::locate_zone(zone);
    } catch (const std::runtime_error&) {
      tz = nullptr;
    }
    if (tz == nullptr) return sdk::Status::not_found(unknown_zone_message(zone));
    return f(*tz);
  } catch (const std::exception& e) {
    try {
      return sdk::Status::invalid_input("time zone \"" + std::string(zone) + "\": " + e.what());
    } catch (...) {
      return sdk::Status(sdk::Code::invalid_input, {});
    }
  } catch (...) {
    return sdk::Status(sdk::Code::internal, {});
  }
}

}  // namespace

bool TzTimeService::has_zone(std::string_view zone) const noexcept {
  try {
    return !zone.empty() && date::locate_zone(zone) != nullptr;
  } catch (...) {
    return false;
  }
}

sdk::Result<sdk::ZonedInstant> TzTimeService::to_instant(sdk::LocalTime local, std::string_view zone) const noexcept {
  return with_zone<sdk::ZonedInstant>(zone, [&](const date::time_zone& tz) {
    const date::local_seconds lt = to_date_local(local);
    const date::local_info info = tz.get_info(lt);
    // zoned_time with choose::earliest gives the earlier instant of an overlap and, for a gap, the
    // transition itself (the instant the gap ended); choose::latest gives the later instant of an overlap.
    const date::zoned_time<seconds> earliest(&tz, lt, date::choose::earliest);
    const date::zoned_time<seconds> latest(&tz, lt, date::choose::latest);
    const date::sys_info at = earliest.get_info();

    sdk::ZonedInstant out;
    out.instant = earliest.get_sys_time();
    out.ambiguous = info.result == date::local_info::ambiguous;
    out.nonexistent = info.result == date::local_info::nonexistent;
    out.later = out.ambiguous ? latest.get_sys_time() : out.instant;
    out.utc_offset_minutes = offset_minutes(at);
    out.abbreviation = at.abbrev;
    return out;
  });
}

sdk::Result<sdk::LocalTime> TzTimeService::to_local(std::chrono::sys_seconds instant, std::string_view zone) const noexcept {
  // A thread converts many messages' instants in a few zones: time::ZoneClock remembers the zones found
  // and their current offset periods. An unknown name takes with_zone's path (and its message).
  try {
    if (!zone.empty()) {
      time::ZoneClock& clock = time::ZoneClock::of_thread();
      return from_date_local(clock.local(*clock.find(zone), instant));
    }
  } catch (...) {
  }
  return with_zone<sdk::LocalTime>(zone, [&](const date::time_zone& tz) {
    return from_date_local(date::zoned_time<seconds>(&tz, instant).get_local_time());
  });
}

sdk::Result<int> TzTimeService::utc_offset_minutes(std::chrono::sys_seconds instant, std::string_view zone) const noexcept {
  return with_zone<int>(zone, [&](const date::time_zone& tz) { return offset_minutes(tz.get_info(instant)); });
}

TzTimeService::TzTimeService() {
  static const IcuLocaleFacts facts;  // built once; ICU data is read-only afterwards
  locale_facts_ = &facts;
}

sdk::Status TzTimeService::resolve_into(const sdk::TimeExpression& expression, const sdk::TimeContext& context,
                                       std::vector<sdk::TimeReading>& out, bool explain) const noexcept {
  return time::resolve_into(expression, context, *locale_facts_, out, explain);
}

}  // namespace tandem::detail
