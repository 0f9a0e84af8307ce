// Internal: wall time <-> instant in a date/tz zone, with the zone's offset periods met remembered per
// thread, so that the many conversions of one message (the day of sent, every reading's start and end)
// do not each search the zone's transitions, nor does a flow of mail sent over several years.
//
// Both functions give exactly what date::zoned_time gives:
//   to_local(z, t)          == zoned_time(&z, t).get_local_time()
//   to_sys_earliest(z, t)   == zoned_time(&z, t, date::choose::earliest).get_sys_time()
//   wall(z, t)              == local(z, sys_earliest(z, t))  (t itself, but for a time a change skipped)
// A remembered period [begin, end) with offset o answers an instant inside it (local = instant + o). It
// answers a wall time t only when t - o lies at least kEdge inside the period: no two offsets of a zone
// differ by kEdge or more (every offset is within ±26 hours), so no other period can map t, t is neither
// skipped nor repeated, and its instant is t - o. Wall times near a change (DST gaps and overlaps) always
// take date/tz's own path.
//
// find() / locate() is date::locate_zone with the last names found remembered.
//
// Thread-safety: each thread has its own ZoneClock (of_thread(); the static forms use it); date/tz's
// database is read-only once loaded.
// Ownership: remembers zone pointers, which date/tz keeps for the life of the process.
#ifndef TANDEM_ENGINE_TIME_ZONE_CLOCK_HPP_
#define TANDEM_ENGINE_TIME_ZONE_CLOCK_HPP_

#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <string>
#include <string_view>

namespace tandem::detail::time {

// Whether `a` and `b` hold the same bytes. Zone names and locales are short, so words are compared inline
// (the last word overlapping the one before) instead of calling memcmp.
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const auto word = [](const char* at) {
    std::uint64_t w;
    std::memcpy(&w, at, sizeof w);
    return w;
  };
  if (n < 8) {
    if (n < 4) {
      for (std::size_t k = 0; k < n; ++k)
        if (a[k] != b[k]) return false;
      return true;
    }
    const auto half = [](const char* at) {
      std::uint32_t w;
      std::memcpy(&w, at, sizeof w);
      return w;
    };
    return half(a.data()) == half(b.data()) && half(a.data() + n - 4) == half(b.data() + n - 4);
  }
  if (word(a.data()) != word(b.data())) return false;
  for (std::size_t k = 8; k + 8 < n; k += 8)
    if (word(a.data() + k) != word(b.data() + k)) return false;
  return word(a.data() + n - 8) == word(b.data() + n - 8);
}

class ZoneClock {
 public:
  // The calling thread's memory, in one thread_local (one TLS lookup): a caller making many conversions
  // (the resolver) keeps the reference and calls the members; the static forms below look it up each time.
  // (Not inlined: each use of a thread_local in a function may repeat the lookup, a call of __tls_get_addr.)
  // The pointer is constant-initialised, so its use needs no lookup of an initialisation guard besides.
  [[gnu::noinline]] static ZoneClock& of_thread() {
    thread_local ZoneClock* clock = nullptr;
    if (clock == nullptr) clock = make_for_thread();
    return *clock;
  }

  // date::locate_zone(name), the names found remembered (a mail flow mixes a few senders' zones).
  // Throws as locate_zone does for an unknown name; unknown names are not remembered.
  const date::time_zone* find(std::string_view name) {
    // The calls for one message ask for the same name: the last one found is compared first, inline.
    if (last_ != nullptr && same_text(last_->name, name)) return last_->zone;
    return find_named(name);
  }

  date::local_seconds local(const date::time_zone& zone, std::chrono::sys_seconds t) {
    const Period& p = period_at(zone, t);
    return date::local_seconds{(t + p.offset).time_since_epoch()};
  }

  std::chrono::sys_seconds sys_earliest(const date::time_zone& zone, date::local_seconds t) {
    const std::chrono::seconds wall = t.time_since_epoch();
    if (hint_->zone == &zone) {  // the period used last: most conversions of a message fall in it
      const std::chrono::sys_seconds s{wall - hint_->offset};
      if (s >= hint_->begin + kEdge && s < hint_->end - kEdge) return s;
    }
    Period* set = &periods_[set_of(zone, wall)][0];
    for (std::size_t w = 0; w < kWays; ++w) {
      const Period& p = set[w];
      if (p.zone != &zone) continue;
      const std::chrono::sys_seconds s{wall - p.offset};
      if (s >= p.begin + kEdge && s < p.end - kEdge) return s;
    }
    return sys_earliest_slow(zone, t, set);
  }

  // The wall time `t` shows after a round trip through its instant: `t` itself when it occurs (once or
  // twice), the end of the gap when a spring-forward change skipped it. Any remembered period that maps
  // `t` (t - offset inside it) shows that `t` occurs, so no edge is kept here; a skipped time is mapped
  // by no period and takes the round trip.
  date::local_seconds wall(const date::time_zone& zone, date::local_seconds t) {
    if (hint_->zone == &zone) {  // the period used last: most conversions of a message fall in it
      const std::chrono::sys_seconds s{t.time_since_epoch() - hint_->offset};
      if (s >= hint_->begin && s < hint_->end) return t;
    }
    return wall_searched(zone, t);
  }

  ZoneClock(const ZoneClock&) = delete;  // hint_ points into this object's own memory
  ZoneClock& operator=(const ZoneClock&) = delete;

  // The same through the calling thread's memory.
  static const date::time_zone* locate(std::string_view name) { return of_thread().find(name); }
  static date::local_seconds to_local(const date::time_zone& zone, std::chrono::sys_seconds t) {
    return of_thread().local(zone, t);
  }
  static std::chrono::sys_seconds to_sys_earliest(const date::time_zone& zone, date::local_seconds t) {
    return of_thread().sys_earliest(zone, t);
  }

 private:
  ZoneClock() = default;

  // The calling thread's clock, made on its first use and destroyed at its exit.
  [[gnu::noinline]] static ZoneClock* make_for_thread() {
    thread_local ZoneClock clock;
    return &clock;
  }

  // Small set-associative memories of kWays entries per set, newest first, so that a lookup reads at
  // most four entries. A period is filed under its zone and the stretch of time (kStretchBits: about
  // 194 days) that the instant or wall time looked up falls in, so that a flow of mail sent over years
  // keeps each year's summer and winter periods of each zone (a period met in several stretches is filed
  // in each). Names are filed by their last letters.
  static constexpr std::size_t kSets = 64;
  static constexpr std::size_t kNameSets = 32;
  static constexpr std::size_t kWays = 4;
  static constexpr int kStretchBits = 24;
  static constexpr std::chrono::hours kEdge{72};

  struct Period {
    const date::time_zone* zone = nullptr;
    std::chrono::sys_seconds begin{};
    std::chrono::sys_seconds end{};
    std::chrono::seconds offset{};
  };
  struct Named {
    std::string name;
    const date::time_zone* zone = nullptr;
  };

  // The set of `zone`'s periods for the stretch of time holding `t` (seconds since the epoch, instant or
  // wall time): consecutive stretches of one zone fall in different sets.
  static std::size_t set_of(const date::time_zone& zone, std::chrono::seconds t) {
    const auto a = reinterpret_cast<std::uintptr_t>(&zone);
    const auto stretch = static_cast<std::uintptr_t>(t.count() >> kStretchBits);
    return static_cast<std::size_t>((a >> 4) ^ (a >> 10) ^ stretch) % kSets;
  }
  static std::size_t name_set(std::string_view name) {
    // Zone names are long and alike at the start ("America/..."): the length and the last four letters,
    // read as one word (no loop per letter), mixed by a multiplication whose high bits pick the set.
    const std::size_t n = name.size();
    std::uint32_t last = 0;
    if (n >= 4) {
      std::memcpy(&last, name.data() + n - 4, sizeof last);
    } else {
      for (std::size_t k = 0; k < n; ++k) last = last << 8 | static_cast<unsigned char>(name[k]);
    }
    const std::uint64_t h = (std::uint64_t{last} ^ (std::uint64_t{n} << 32)) * 0x9E3779B97F4A7C15u;
    return static_cast<std::size_t>(h >> 59) % kNameSets;
  }

  const Period& period_at(const date::time_zone& zone, std::chrono::sys_seconds t) {
    if (hint_->zone == &zone && t >= hint_->begin && t < hint_->end) return *hint_;
    return period_searched(zone, t);
  }

  // period_at() when the period used last does not hold `t`.
  [[gnu::noinline]] const Period& period_searched(const date::time_zone& zone, std::chrono::sys_seconds t) {
    Period* set = &periods_[set_of(zone, t.time_since_epoch())][0];
    for (std::size_t w = 0; w < kWays; ++w)
      if (set[w].zone == &zone && t >= set[w].begin && t < set[w].end) {
        hint_ = &set[w];
        return set[w];
      }
    return remember(zone, t, set);
  }

  // date/tz's period of `zone` at `t`, filed first in `set` (and used next).
  const Period& remember(const date::time_zone& zone, std::chrono::sys_seconds t, Period* set) {
    const date::sys_info info = zone.get_info(t);
    for (std::size_t w = kWays - 1; w > 0; --w) set[w] = set[w - 1];
    Period& p = set[0];
    p.zone = &zone;
    p.begin = info.begin;
    p.end = info.end;
    p.offset = info.offset;
    hint_ = &p;
    return p;
  }

  // wall() when the period used last does not map `t`.
  [[gnu::noinline]] date::local_seconds wall_searched(const date::time_zone& zone, date::local_seconds t) {
    const std::chrono::seconds wall = t.time_since_epoch();
    const Period* set = &periods_[set_of(zone, wall)][0];
    for (std::size_t w = 0; w < kWays; ++w) {
      const Period& p = set[w];
      if (p.zone != &zone) continue;
      const std::chrono::sys_seconds s{wall - p.offset};
      if (s >= p.begin && s < p.end) {  // local(zone, s) is s + p.offset
        hint_ = &p;
        return t;
      }
    }
    return local(zone, sys_earliest(zone, t));
  }

  // sys_earliest() when no remembered period maps `t` well inside it: date/tz's own answer, its period
  // filed in `set` (the set of `t`'s stretch) for the next wall times of this day.
  [[gnu::noinline]] std::chrono::sys_seconds sys_earliest_slow(const date::time_zone& zone, date::local_seconds t,
                                                               Period* set) {
    const std::chrono::sys_seconds s =
        date::zoned_time<std::chrono::seconds>(&zone, t, date::choose::earliest).get_sys_time();
    for (std::size_t w = 0; w < kWays; ++w)
      if (set[w].zone == &zone && s >= set[w].begin && s < set[w].end) {
        hint_ = &set[w];
        return s;
      }
    (void)remember(zone, s, set);
    return s;
  }

  // find() when the name is not the last one found.
  [[gnu::noinline]] const date::time_zone* find_named(std::string_view name) {
    Named* set = &names_[name_set(name)][0];
    last_ = nullptr;
    for (std::size_t w = 0; w < kWays; ++w)
      if (set[w].zone != nullptr && same_text(set[w].name, name)) {
        last_ = &set[w];
        return set[w].zone;
      }
    const date::time_zone* zone = date::locate_zone(name);
    Named& slot = set[kWays - 1];  // the older way makes room; the newest goes first
    slot.zone = nullptr;           // stays empty if the name cannot be stored
    slot.name = name;
    slot.zone = zone;
    std::swap(set[0], slot);
    last_ = &set[0];
    return zone;
  }

  std::array<std::array<Period, kWays>, kSets> periods_{};
  // Default-initialised (Named's members have initialisers): clang 14 crashes on `names_{}` here.
  std::array<std::array<Named, kWays>, kNameSets> names_;
  const Named* last_ = nullptr;  // the name found last
  // The period used last (any entry: each holds one whole period, so the entry is checked, not trusted).
  const Period* hint_ = &periods_[0][0];
};

}  // namespace tandem::detail::time

#endif  // TANDEM_ENGINE_TIME_ZONE_CLOCK_HPP_
