// Internal: a person's busy time as the solver reads it, and the cache that expands each calendar lazily,
// a week at a time, once per process (until Scheduler::clear_cache).
//
// What blocks (shared/eval/scheduling/README.md, rule 7): every expanded occurrence except cancelled ones
// (the calendar layer drops them) and transparent ones (TRANSP:TRANSPARENT, FBTYPE=FREE). Floating and
// all-day occurrences are read in the person's zone on their date: a trip's zone on its dates, else home
// (an all-day event blocks 00:00 to 00:00 there).
//
// Thread-safety: BusyCache::get may be called by many threads at once (one mutex per person).
#ifndef TANDEM_ENGINE_SCHEDULING_BUSY_HPP_
#define TANDEM_ENGINE_SCHEDULING_BUSY_HPP_

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scheduling/interval_set.hpp"
#include "tandem/calendar.hpp"
#include "tandem/pipeline.hpp"

namespace tandem::scheduling::detail {

struct BusyOcc {
  Sec start = 0;
  Sec end = 0;
  Sec raw_start = 0;  // the calendar layer's own start and end (which weeks hold the occurrence)
  Sec raw_end = 0;
  bool all_day = false;
  std::string uid;
  std::string summary;
  std::string place;  // PeopleDirectory::resolve_place of LOCATION; "" when none
};

class BusyCache {
 public:
  static constexpr Sec kWeek = 7 * 86400;

  BusyCache(const PeopleDirectory& directory, const std::vector<std::optional<calendar::Calendar>>& calendars);

  // The busy occurrences of person `index` that overlap [from, to) (and maybe a few more), each once, in
  // start order.
  std::vector<BusyOcc> get(std::size_t index, Sec from, Sec to) const;
  void clear() const;

 private:
  using Week = std::shared_ptr<const std::vector<BusyOcc>>;
  struct PersonWeeks {
    std::mutex mutex;
    std::map<Sec, Week> weeks;  // by week number since the epoch
  };
  std::vector<BusyOcc> expand(std::size_t index, Sec from, Sec to) const;

  const PeopleDirectory& directory_;
  const std::vector<std::optional<calendar::Calendar>>& calendars_;
  std::vector<std::unique_ptr<PersonWeeks>> people_;
};

}  // namespace tandem::scheduling::detail

#endif  // TANDEM_ENGINE_SCHEDULING_BUSY_HPP_
