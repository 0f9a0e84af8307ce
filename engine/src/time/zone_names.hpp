// Internal: what zone a name written in a message means — "America/New_York", "New York", "Nueva York",
// "New Yorker", "Londres", "ET", "EST", "CET", "MEZ", "IST" — as IANA zone names with weights.
//
// Sources, in order: the tz database itself (an IANA name as written); a small table of abbreviations
// that name several zones (IST, CST, AST, BST), decided by the locale; ICU's metazone short names
// (TimeZoneNames, UTZNM_SHORT_*) in the context's locale and in the English locales whose speakers write
// them; ICU's exemplar cities (getExemplarLocationName) in the context's language and in English; and,
// for what ICU lacks, the table in zone_names.cpp (abbreviations ICU has only for some locales, cities
// that are not the exemplar of a zone: "Seattle", "Munich", "hora peninsular").
//
// An abbreviation names a zone, not an offset: "EST" is America/New_York all year, so that "2pm EST" in
// July is New York's summer time, as people mean it.
//
// Thread-safety: every function may be called from many threads. The exemplar-city index of a locale is
// built once, on first use, under a mutex; answers are memoized (bounded) under another; ICU objects
// never leave the .cpp file.
#ifndef TANDEM_ENGINE_TIME_ZONE_NAMES_HPP_
#define TANDEM_ENGINE_TIME_ZONE_NAMES_HPP_

#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/status.hpp"

namespace date {
class time_zone;
}  // namespace date

namespace tandem::detail::time {

struct ZoneChoice {
  std::string iana;   // a zone date::locate_zone accepts, canonical ("Asia/Kolkata")
  double weight = 1;  // main first; the weights of one lookup add up to 1
  std::string why;    // "IST: India Standard Time (the default outside Ireland and Israel)"
  // The tz database's zone of `iana`, for a user that keeps its own copy of the choice and finds it once
  // (the resolver's memory of named zones); lookup_zone() leaves it null.
  const date::time_zone* tz = nullptr;
};

struct ZoneLookup {
  std::vector<ZoneChoice> zones;  // never empty on success
  bool ambiguous = false;         // the name names several zones; the locale chose the first
};

// The zones `written` names for a writer in `locale` (an ICU id such as "en_US", "de-DE", "und").
// not_found: nothing is known by that name ("unknown time zone \"Mars\" ...").
sdk::Result<ZoneLookup> lookup_zone(std::string_view written, std::string_view locale) noexcept;

}  // namespace tandem::detail::time

#endif  // TANDEM_ENGINE_TIME_ZONE_NAMES_HPP_
