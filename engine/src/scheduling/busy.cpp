#include "scheduling/busy.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "scheduling/zones.hpp"

namespace tandem::scheduling::detail {

BusyCache::BusyCache(const PeopleDirectory& directory, const std::vector<std::optional<calendar::Calendar>>& calendars)
    : directory_(directory), calendars_(calendars) {
  people_.reserve(directory.people.size());
  for (std::size_t i = 0; i < directory.people.size(); ++i) people_.push_back(std::make_unique<PersonWeeks>());
}

void BusyCache::clear() const {
  for (const auto& p : people_) {
    std::lock_guard<std::mutex> lock(p->mutex);
    p->weeks.clear();
  }
}

std::vector<BusyOcc> BusyCache::expand(std::size_t index, Sec from, Sec to) const {
  std::vector<BusyOcc> out;
  if (index >= calendars_.size() || !calendars_[index]) return out;
  const Person& person = directory_.people[index];
  calendar::ExpandOptions options;
  options.default_zone = person.zone.empty() ? "UTC" : person.zone;
  const auto occurrences = calendar::expand(*calendars_[index], std::chrono::sys_seconds{std::chrono::seconds{from}},
                                            std::chrono::sys_seconds{std::chrono::seconds{to}}, options);
  out.reserve(occurrences.size());
  for (const calendar::Occurrence& o : occurrences) {
    if (o.transparent || o.status == calendar::EventStatus::cancelled) continue;
    BusyOcc b;
    b.raw_start = o.start.time_since_epoch().count();
    b.start = b.raw_start;
    b.end = o.end.time_since_epoch().count();
    b.raw_end = b.end;
    b.all_day = o.all_day;
    if (o.floating) {
      // Read in the person's zone on that date: a trip's zone on its dates, else home.
      const date::local_seconds ls{o.local_start.time_since_epoch()};
      const date::local_seconds le{o.local_end.time_since_epoch()};
      const date::year_month_day day{date::floor<date::days>(ls)};
      const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(day.year())),
                                            std::chrono::month(static_cast<unsigned>(day.month())),
                                            std::chrono::day(static_cast<unsigned>(day.day()))};
      const date::time_zone* z = zone_of(person.zone_on(ymd));
      b.start = to_sys(z, ls);
      b.end = to_sys(z, le);
    }
    b.uid = o.uid;
    b.summary = o.summary;
    if (!o.location.empty()) b.place = directory_.resolve_place(o.location);
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<BusyOcc> BusyCache::get(std::size_t index, Sec from, Sec to) const {
  std::vector<BusyOcc> out;
  if (index >= people_.size() || from >= to) return out;
  const Sec first = floor_div(from, kWeek);
  const Sec last = floor_div(to - 1, kWeek);
  PersonWeeks& pw = *people_[index];
  std::vector<Week> weeks;
  weeks.reserve(static_cast<std::size_t>(last - first + 1));
  {
    std::unique_lock<std::mutex> lock(pw.mutex);
    // The weeks not cached yet, expanded in one call per run of missing weeks and shared out: an occurrence
    // goes to every week it overlaps (instant-long ones to the week of their start).
    Sec k = first;
    while (k <= last) {
      if (pw.weeks.count(k) != 0) {
        ++k;
        continue;
      }
      Sec run_end = k;
      while (run_end + 1 <= last && pw.weeks.count(run_end + 1) == 0) ++run_end;
      lock.unlock();
      std::vector<BusyOcc> all = expand(index, k * kWeek, (run_end + 1) * kWeek);
      std::vector<std::vector<BusyOcc>> split(static_cast<std::size_t>(run_end - k + 1));
      for (BusyOcc& b : all) {
        const Sec a = std::max(b.raw_start, k * kWeek);
        const Sec e = std::max(b.raw_end, b.raw_start + 1);
        const Sec w0 = std::max(floor_div(a, kWeek), k);
        const Sec w1 = std::min(floor_div(e - 1, kWeek), run_end);
        for (Sec w = w0; w <= w1; ++w) split[static_cast<std::size_t>(w - k)].push_back(b);
      }
      lock.lock();
      for (Sec w = k; w <= run_end; ++w)
        pw.weeks.emplace(w, std::make_shared<const std::vector<BusyOcc>>(std::move(split[static_cast<std::size_t>(w - k)])));
      k = run_end + 1;
    }
    for (Sec w = first; w <= last; ++w) weeks.push_back(pw.weeks.at(w));
  }
  // Each occurrence once: from the first week asked for, or from the week its own start lies in. Sorted as
  // pointers, then copied once (the same order as sorting the copies: std::sort moves elements by the same
  // comparisons whatever they are).
  std::vector<const BusyOcc*> sorted;
  for (Sec w = first; w <= last; ++w) {
    const Sec w0 = w * kWeek;
    for (const BusyOcc& b : *weeks[static_cast<std::size_t>(w - first)])
      if (w == first || b.raw_start >= w0) sorted.push_back(&b);
  }
  std::sort(sorted.begin(), sorted.end(), [](const BusyOcc* a, const BusyOcc* b) {
    return a->start != b->start ? a->start < b->start : a->end < b->end;
  });
  out.reserve(sorted.size());
  for (const BusyOcc* b : sorted) out.push_back(*b);
  return out;
}

}  // namespace tandem::scheduling::detail
