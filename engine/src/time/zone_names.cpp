#include "time/zone_names.hpp"

#include <date/tz.h>
#include <unicode/locid.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tznames.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tandem/sdk/config.hpp"
#include "util/guarded.hpp"

namespace tandem::detail::time {
namespace {

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Case-folded, trimmed, inner runs of blanks, '_' and '-' made one space: "new_york" == "New York".
std::string normalize(std::string_view text) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  u.foldCase();
  std::string s = to_utf8(u);
  std::string out;
  for (char c : s) {
    const bool blank = c == ' ' || c == '_' || c == '-' || c == '\t' || c == '.';
    if (blank) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Zone ids ICU (CLDR) keeps in their old spelling, which the tz database has since renamed; the system
// tz database date/tz reads has the old names as copies, not as links, so date/tz cannot tell us.
const std::map<std::string, const char*, std::less<>>& renamed_zones() {
  static const std::map<std::string, const char*, std::less<>> renamed = {
      {"Asia/Calcutta", "Asia/Kolkata"},         {"Asia/Katmandu", "Asia/Kathmandu"},
      {"Asia/Rangoon", "Asia/Yangon"},           {"Asia/Saigon", "Asia/Ho_Chi_Minh"},
      {"Europe/Kiev", "Europe/Kyiv"},            {"Atlantic/Faeroe", "Atlantic/Faroe"},
      {"America/Godthab", "America/Nuuk"},       {"Pacific/Truk", "Pacific/Chuuk"},
      {"Pacific/Ponape", "Pacific/Pohnpei"},     {"Pacific/Enderbury", "Pacific/Kanton"},
      {"America/Buenos_Aires", "America/Argentina/Buenos_Aires"},
      {"America/Cordoba", "America/Argentina/Cordoba"},
      {"America/Indianapolis", "America/Indiana/Indianapolis"},
      {"America/Louisville", "America/Kentucky/Louisville"},
  };
  return renamed;
}

// The current tz database name of a zone id ("Asia/Calcutta" -> "Asia/Kolkata"); "" when the tz
// database does not know it.
std::string canonical_zone(std::string_view id) {
  try {
    if (auto it = renamed_zones().find(id); it != renamed_zones().end()) {
      try {
        return std::string(date::locate_zone(it->second)->name());
      } catch (...) {
        // An older tz database without the new name: keep the old one.
      }
    }
    return std::string(date::locate_zone(id)->name());
  } catch (...) {
    return {};
  }
}

struct LocaleParts {
  std::string language;  // "en"
  std::string region;    // "US", "" when none
  icu::Locale locale;
};

LocaleParts split_locale(std::string_view locale) {
  std::string id(locale);
  std::replace(id.begin(), id.end(), '-', '_');
  if (id.empty() || id == "und") id = "root";
  icu::Locale loc = icu::Locale::createCanonical(id.c_str());
  return {loc.getLanguage(), loc.getCountry(), loc};
}

// Abbreviations that name several zones. The first zone is the default; `main_for` lists, per other
// zone, the regions and languages whose writers mean that one ("IST" from Dublin is Irish time).
struct AmbiguousName {
  const char* name;  // normalized (folded) form
  std::vector<const char*> zones;
  std::vector<std::vector<const char*>> main_for;  // per zone: regions ("IE") and languages ("he")
  const char* what;
};

const std::vector<AmbiguousName>& ambiguous_names() {
  static const std::vector<AmbiguousName> names = {
      // India has by far the most writers of "IST"; Ireland's summer time and Israel's standard time
      // win only for writers there.
      {"ist", {"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"}, {{"IN"}, {"IE", "ga"}, {"IL", "he"}},
       "IST: India, Irish or Israel Standard Time"},
      // US Central unless the writer is Chinese or in China, Taiwan, Hong Kong, Macao.
      {"cst", {"America/Chicago", "Asia/Shanghai"}, {{"US"}, {"CN", "TW", "HK", "MO", "zh"}},
       "CST: US Central or China Standard Time"},
      {"ast", {"America/Halifax", "Asia/Riyadh"}, {{"CA"}, {"SA", "ar"}}, "AST: Atlantic or Arabia Standard Time"},
  };
  return names;
}

// What ICU lacks for some or all locales: abbreviations (ICU has "EST" only in en_US/en_CA, "CET" only in
// some locales, "JST" in none of the usual ones), and cities people name that are not a zone's exemplar.
const std::map<std::string, const char*, std::less<>>& fixed_names() {
  static const std::map<std::string, const char*, std::less<>> names = {
      // North America. "MST" names the Mountain zone (Denver); Arizona's all-year MST is "Phoenix".
      {"et", "America/New_York"}, {"est", "America/New_York"}, {"edt", "America/New_York"},
      {"eastern", "America/New_York"}, {"east coast", "America/New_York"},
      {"ct", "America/Chicago"}, {"cdt", "America/Chicago"}, {"central", "America/Chicago"},
      {"mt", "America/Denver"}, {"mst", "America/Denver"}, {"mdt", "America/Denver"}, {"mountain", "America/Denver"},
      {"pt", "America/Los_Angeles"}, {"pst", "America/Los_Angeles"}, {"pdt", "America/Los_Angeles"},
      {"pacific", "America/Los_Angeles"}, {"west coast", "America/Los_Angeles"},
      {"akst", "America/Anchorage"}, {"akdt", "America/Anchorage"}, {"hst", "Pacific/Honolulu"},
      {"adt", "America/Halifax"},
      // Europe. GMT is the UK's zone as people write it ("3pm GMT" in July is London's summer time).
      {"gmt", "Europe/London"}, {"bst", "Europe/London"}, {"uk time", "Europe/London"},
      {"utc", "Etc/UTC"}, {"z", "Etc/UTC"}, {"zulu", "Etc/UTC"},
      {"wet", "Europe/Lisbon"}, {"west", "Europe/Lisbon"},
      {"cet", "Europe/Berlin"}, {"cest", "Europe/Berlin"}, {"mez", "Europe/Berlin"}, {"mesz", "Europe/Berlin"},
      {"met", "Europe/Berlin"}, {"eet", "Europe/Athens"}, {"eest", "Europe/Athens"},
      {"msk", "Europe/Moscow"}, {"peninsular", "Europe/Madrid"}, {"hora peninsular", "Europe/Madrid"},
      // Asia and Oceania.
      {"jst", "Asia/Tokyo"}, {"kst", "Asia/Seoul"}, {"hkt", "Asia/Hong_Kong"}, {"sgt", "Asia/Singapore"},
      {"pht", "Asia/Manila"}, {"wib", "Asia/Jakarta"}, {"pkt", "Asia/Karachi"},
      {"aest", "Australia/Sydney"}, {"aedt", "Australia/Sydney"}, {"aet", "Australia/Sydney"},
      {"acst", "Australia/Adelaide"}, {"acdt", "Australia/Adelaide"}, {"awst", "Australia/Perth"},
      {"nzst", "Pacific/Auckland"}, {"nzdt", "Pacific/Auckland"}, {"nzt", "Pacific/Auckland"},
      // Cities that are not the exemplar city of their zone.
      {"seattle", "America/Los_Angeles"}, {"san francisco", "America/Los_Angeles"}, {"sf", "America/Los_Angeles"},
      {"silicon valley", "America/Los_Angeles"}, {"portland", "America/Los_Angeles"},
      {"boston", "America/New_York"}, {"washington", "America/New_York"}, {"atlanta", "America/New_York"},
      {"miami", "America/New_York"}, {"austin", "America/Chicago"}, {"dallas", "America/Chicago"},
      {"houston", "America/Chicago"}, {"munich", "Europe/Berlin"}, {"münchen", "Europe/Berlin"},
      {"frankfurt", "Europe/Berlin"}, {"hamburg", "Europe/Berlin"}, {"barcelona", "Europe/Madrid"},
      {"lyon", "Europe/Paris"}, {"marseille", "Europe/Paris"}, {"manchester", "Europe/London"},
      {"edinburgh", "Europe/London"}, {"mumbai", "Asia/Kolkata"}, {"delhi", "Asia/Kolkata"},
      {"new delhi", "Asia/Kolkata"}, {"bangalore", "Asia/Kolkata"}, {"bengaluru", "Asia/Kolkata"},
      {"beijing", "Asia/Shanghai"}, {"osaka", "Asia/Tokyo"}, {"canberra", "Australia/Sydney"},
      {"nyc", "America/New_York"}, {"la", "America/Los_Angeles"},
      // Countries with one zone, as in "Japan time", "heure française" is left to the extractor.
      {"uk", "Europe/London"}, {"britain", "Europe/London"}, {"ireland", "Europe/Dublin"},
      {"india", "Asia/Kolkata"}, {"japan", "Asia/Tokyo"}, {"korea", "Asia/Seoul"}, {"china", "Asia/Shanghai"},
      {"israel", "Asia/Jerusalem"}, {"germany", "Europe/Berlin"}, {"deutschland", "Europe/Berlin"},
      {"france", "Europe/Paris"}, {"italy", "Europe/Rome"}, {"netherlands", "Europe/Amsterdam"},
      {"singapore", "Asia/Singapore"},
  };
  return names;
}

// Exemplar city (folded) -> ICU zone id, for one language; built from every canonical location zone.
using CityIndex = std::map<std::string, std::string, std::less<>>;

std::shared_ptr<const CityIndex> city_index(const icu::Locale& locale) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const CityIndex>, std::less<>> cache;
  const std::string key = locale.getName();
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  auto index = std::make_shared<CityIndex>();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZoneNames> names(icu::TimeZoneNames::createInstance(locale, status));
  std::unique_ptr<icu::StringEnumeration> ids(
      icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, nullptr, nullptr, status));
  if (U_SUCCESS(status) && names && ids) {
    while (const icu::UnicodeString* id = ids->snext(status)) {
      if (U_FAILURE(status)) break;
      icu::UnicodeString city;
      names->getExemplarLocationName(*id, city);
      if (city.isBogus() || city.isEmpty()) continue;
      index->emplace(normalize(to_utf8(city)), to_utf8(*id));
    }
  }
  std::lock_guard<std::mutex> lock(mutex);
  return cache.emplace(key, std::move(index)).first->second;
}

// The zone of a metazone short name ("EST", "CET", "MEZ") in ICU's data for `locale`; the reference
// zone for the region of `context` ("CET" in de_DE is Europe/Berlin, in es_ES Europe/Madrid).
std::string icu_abbreviation(std::string_view written, const icu::Locale& locale, const std::string& region) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZoneNames> names(icu::TimeZoneNames::createInstance(locale, status));
  if (U_FAILURE(status) || !names) return {};
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(written.data(), static_cast<int32_t>(written.size())));
  std::unique_ptr<icu::TimeZoneNames::MatchInfoCollection> matches(
      names->find(text, 0, UTZNM_SHORT_STANDARD | UTZNM_SHORT_DAYLIGHT | UTZNM_SHORT_GENERIC, status));
  if (U_FAILURE(status) || !matches) return {};
  for (int32_t i = 0; i < matches->size(); ++i) {
    if (matches->getMatchLengthAt(i) != text.length()) continue;
    icu::UnicodeString id;
    if (matches->getTimeZoneIDAt(i, id)) return to_utf8(id);
    if (matches->getMetaZoneIDAt(i, id)) {
      icu::UnicodeString zone;
      names->getReferenceZoneID(id, region.empty() ? "001" : region.c_str(), zone);
      if (zone.isBogus() || zone.isEmpty()) names->getReferenceZoneID(id, "001", zone);
      if (!zone.isBogus() && !zone.isEmpty()) return to_utf8(zone);
    }
  }
  return {};
}

ZoneLookup single(std::string zone, std::string why) {
  ZoneLookup out;
  out.zones.push_back({std::move(zone), 1.0, std::move(why), nullptr});
  return out;
}

// Words around a city name that say "the time of": "London time", "Londoner Zeit", "heure de Londres",
// "hora de Nueva York". Removed before the city is looked up.
std::string strip_time_words(std::string s) {
  for (std::string_view suffix : {" time", " zeit", " local time"}) {
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
      s.erase(s.size() - suffix.size());
    }
  }
  for (std::string_view prefix : {"heure de ", "heure d'", "hora de ", "horario de "}) {
    if (s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0) s.erase(0, prefix.size());
  }
  return s;
}

}  // namespace

namespace {

sdk::Result<ZoneLookup> lookup_uncached(std::string_view written, std::string_view locale);

}  // namespace

sdk::Result<ZoneLookup> lookup_zone(std::string_view written, std::string_view locale) noexcept {
  // Messages name few zones, again and again; ICU's name search costs ~0.1 ms, a cache hit ~1 us.
  // Bounded: cleared when full, so odd inputs cannot grow it without limit.
  constexpr std::size_t kMaxCached = 4096;
  static std::mutex mutex;
  static std::map<std::string, sdk::Result<ZoneLookup>, std::less<>> cache;
  try {
    std::string key(locale);
    key.push_back('\x1f');
    key.append(written);
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (auto it = cache.find(key); it != cache.end()) return it->second;
    }
    sdk::Result<ZoneLookup> result = lookup_uncached(written, locale);
    if (result.is_ok() || result.status().code() == sdk::Code::not_found) {
      std::lock_guard<std::mutex> lock(mutex);
      if (cache.size() >= kMaxCached) cache.clear();
      cache.emplace(std::move(key), result);
    }
    return result;
  } catch (...) {
    return sdk::Status(sdk::Code::internal, {});
  }
}

namespace {

sdk::Result<ZoneLookup> lookup_uncached(std::string_view written, std::string_view locale) {
  return guarded<ZoneLookup>("time zone lookup", [&]() -> sdk::Result<ZoneLookup> {
    // 1. An IANA name as written ("Area/Location"). Names without a '/' ("EST", "MST", "GMT", "CET") are
    //    fixed-offset or legacy zones in the tz database; as people write them they are abbreviations
    //    of a place's zone, so they go through the abbreviation tables below.
    if (written.find('/') != std::string_view::npos) {
      if (std::string iana = canonical_zone(written); !iana.empty()) return single(iana, "IANA zone " + iana);
    }

    const std::string key = strip_time_words(normalize(written));
    const LocaleParts parts = split_locale(locale);

    // 2. Abbreviations that name several zones: the locale chooses, the others stay as readings.
    for (const AmbiguousName& name : ambiguous_names()) {
      if (key != name.name) continue;
      std::size_t main = 0;
      for (std::size_t i = 0; i < name.main_for.size(); ++i) {
        for (const char* who : name.main_for[i]) {
          if (parts.region == who || parts.language == who) main = i;
        }
      }
      ZoneLookup out;
      out.ambiguous = true;
      const double rest = 0.2 / static_cast<double>(name.zones.size() - 1);
      out.zones.push_back({canonical_zone(name.zones[main]), 0.8,
                           std::string(name.what) + ": " + name.zones[main] + " for locale " + std::string(locale),
                           nullptr});
      for (std::size_t i = 0; i < name.zones.size(); ++i) {
        if (i == main) continue;
        out.zones.push_back({canonical_zone(name.zones[i]), rest, std::string(name.what) + ": also " + name.zones[i], nullptr});
      }
      return out;
    }

    // 3. Names whose ICU reading we do not follow: ICU's en_US "GMT" is the metazone of Reykjavik (no
    //    summer time), but people who write "3pm GMT" mean the UK's clock.
    for (std::string_view own : {"gmt", "utc", "z", "zulu"}) {
      if (key == own) {
        const std::string zone = canonical_zone(fixed_names().find(own)->second);
        return single(zone, "\"" + std::string(written) + "\" -> " + zone);
      }
    }

    // 4. ICU's metazone short names, in the writer's locale, then in the English locales that write them.
    const std::string original(written);
    for (const char* id : {"", "en_US", "en_GB", "en_AU", "en_IN", "en_CA"}) {
      const icu::Locale loc = *id == '\0' ? parts.locale : icu::Locale(id);
      const std::string zone = canonical_zone(icu_abbreviation(original, loc, parts.region));
      if (!zone.empty()) {
        return single(zone, "abbreviation " + original + " -> " + zone + " (ICU, " + loc.getName() + ")");
      }
    }

    // 5. The table of what ICU lacks.
    if (auto it = fixed_names().find(key); it != fixed_names().end()) {
      const std::string zone = canonical_zone(it->second);
      if (!zone.empty()) return single(zone, "\"" + original + "\" -> " + zone);
    }

    // 6. Exemplar cities in the writer's language and in English; a German adjective form ("New Yorker",
    //    "Londoner") is the city with "er" added.
    std::vector<std::string> keys = {key};
    if (key.size() > 2 && key.compare(key.size() - 2, 2, "er") == 0) keys.push_back(key.substr(0, key.size() - 2));
    for (const icu::Locale& loc : {parts.locale, icu::Locale("en")}) {
      const auto index = city_index(loc);
      for (const std::string& k : keys) {
        if (auto it = index->find(k); it != index->end()) {
          const std::string zone = canonical_zone(it->second);
          if (!zone.empty()) return single(zone, "city \"" + original + "\" -> " + zone + " (ICU exemplar city)");
        }
        if (auto it = fixed_names().find(k); it != fixed_names().end()) {
          const std::string zone = canonical_zone(it->second);
          if (!zone.empty()) return single(zone, "\"" + original + "\" -> " + zone);
        }
      }
    }

    std::vector<std::string> known;
    for (const auto& [name, zone] : fixed_names()) known.push_back(name);
    return sdk::Status::not_found("unknown time zone \"" + original +
                                  "\": not an IANA zone, a city or an abbreviation known for locale \"" +
                                  std::string(locale) + "\"" + sdk::did_you_mean(key, known));
  });
}

}  // namespace
}  // namespace tandem::detail::time
