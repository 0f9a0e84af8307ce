// Internal: sdk::TimeService on Howard Hinnant's date/tz and the system tz database (tzdata).
//
// Every zone rule comes from date/tz (locate_zone, zoned_time, local_info); nothing here does calendar or
// offset arithmetic of its own. A local time skipped by a DST change maps to the instant the gap ended
// (02:30 on a spring-forward night means 03:00 new time, as a person would mean it); a local time that
// occurs twice gives both instants, the earlier first.
//
// resolve_into() is time/resolver.hpp: the conventions of shared/eval/time/FORMAT.md, with the first day of
// the week from the LocaleFacts given at construction.
//
// Thread-safety: stateless apart from date/tz's database, which is read-only once loaded; every method
// may be called from many threads. Nothing throws: an unknown zone is Status not_found.
#ifndef TANDEM_ENGINE_SERVICES_TIME_SERVICE_HPP_
#define TANDEM_ENGINE_SERVICES_TIME_SERVICE_HPP_

#include <string_view>
#include <vector>

#include "tandem/sdk/services.hpp"

namespace tandem::detail {

class TzTimeService final : public sdk::TimeService {
 public:
  // `locale_facts` gives resolve_into() the first day of the week; it must outlive this object.
  explicit TzTimeService(const sdk::LocaleFacts& locale_facts) noexcept : locale_facts_(&locale_facts) {}
  // Uses a process-wide IcuLocaleFacts of its own (for tests and tools that need no other services).
  TzTimeService();

  bool has_zone(std::string_view zone) const noexcept override;
  sdk::Result<sdk::ZonedInstant> to_instant(sdk::LocalTime local, std::string_view zone) const noexcept override;
  sdk::Result<sdk::LocalTime> to_local(std::chrono::sys_seconds instant, std::string_view zone) const noexcept override;
  sdk::Result<int> utc_offset_minutes(std::chrono::sys_seconds instant, std::string_view zone) const noexcept override;
  sdk::Status resolve_into(const sdk::TimeExpression& expression, const sdk::TimeContext& context,
                           std::vector<sdk::TimeReading>& out, bool explain) const noexcept override;

 private:
  const sdk::LocaleFacts* locale_facts_;  // not owned
};

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_SERVICES_TIME_SERVICE_HPP_
