#include "mail/sender_context.hpp"

#include <date/tz.h>
#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tznames.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tandem::detail::mail {
namespace {

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

struct ZoneFacts {
  std::string id;
  std::string region;             // "DE"; "" for none
  std::string metazone_now;       // ICU's metazone at load time ("Europe_Central"), "" for none
  bool world_reference = false;   // ICU's reference zone of its metazone for the world ("001")
  bool region_reference = false;  // ... for its own region
  const date::time_zone* tz = nullptr;
};

// The zones of the tz database's own list (zone.tab: every canonical location zone with its country),
// with ICU's metazone facts; read once. Where zone.tab is missing, ICU's list of canonical location
// zones stands in (its ids keep some old spellings, such as Asia/Calcutta).
std::vector<std::pair<std::string, std::string>> listed_zones() {
  std::vector<std::pair<std::string, std::string>> out;  // (IANA id, region)
  const char* dir = std::getenv("TZDIR");
  std::ifstream in(std::filesystem::path(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") / "zone.tab");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t a = line.find('\t');
    const std::size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    const std::size_t c = line.find('\t', b + 1);
    out.emplace_back(line.substr(b + 1, c == std::string::npos ? std::string::npos : c - b - 1), line.substr(0, a));
  }
  if (!out.empty()) return out;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> ids(
      icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, nullptr, nullptr, status));
  const icu::UnicodeString* id = nullptr;
  while (ids && (id = ids->snext(status)) != nullptr && U_SUCCESS(status)) {
    char region[8] = {};
    UErrorCode rs = U_ZERO_ERROR;
    icu::TimeZone::getRegion(*id, region, sizeof region, rs);
    out.emplace_back(utf8(*id), U_SUCCESS(rs) && std::string_view(region) != "001" ? region : "");
  }
  return out;
}

const std::vector<ZoneFacts>& all_zones() {
  static const std::vector<ZoneFacts> zones = [] {
    std::vector<ZoneFacts> out;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::TimeZoneNames> names(icu::TimeZoneNames::createInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) names.reset();
    const UDate now = icu::Calendar::getNow();
    for (auto& [iana, region] : listed_zones()) {
      ZoneFacts z;
      z.id = iana;
      z.region = region;
      try {
        z.tz = date::locate_zone(z.id);
      } catch (const std::exception&) {
        continue;  // listed but not installed: not a zone we can compute with
      }
      if (names) {
        // ICU's metazone facts speak of ICU's canonical ids: compare in those.
        icu::UnicodeString canonical;
        UErrorCode cs = U_ZERO_ERROR;
        icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(z.id), canonical, cs);
        if (U_FAILURE(cs)) canonical = icu::UnicodeString::fromUTF8(z.id);
        icu::UnicodeString mz;
        names->getMetaZoneID(canonical, now, mz);
        if (!mz.isBogus() && !mz.isEmpty()) {
          z.metazone_now = utf8(mz);
          icu::UnicodeString ref;
          names->getReferenceZoneID(mz, "001", ref);
          z.world_reference = ref == canonical;
          if (!z.region.empty()) {
            names->getReferenceZoneID(mz, z.region.c_str(), ref);
            z.region_reference = ref == canonical;
          }
        }
      }
      out.push_back(std::move(z));
    }
    return out;
  }();
  return zones;
}

// The offsets a zone keeps from `from` to `from + kZoneHorizon`: the offset at `from`, then each change
// (its instant and the new offset). Two zones with equal signatures schedule alike.
std::vector<std::pair<std::int64_t, std::int64_t>> signature(const date::time_zone& tz, std::chrono::sys_seconds from) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  const std::chrono::sys_seconds until = from + kZoneHorizon;
  std::chrono::sys_seconds t = from;
  for (int guard = 0; guard < 16 && t < until; ++guard) {
    const date::sys_info info = tz.get_info(t);
    out.emplace_back(guard == 0 ? 0 : t.time_since_epoch().count(), info.offset.count());
    if (info.end <= t) break;
    t = info.end;
  }
  return out;
}

std::string likely_region(std::string_view language) {
  if (language.empty()) return {};
  icu::Locale loc(std::string(language).c_str());
  UErrorCode status = U_ZERO_ERROR;
  loc.addLikelySubtags(status);
  return U_SUCCESS(status) ? std::string(loc.getCountry()) : std::string();
}

// The language most spoken in `region`, by ICU's likely subtags ("GB" -> "en", "AT" -> "de").
std::string region_language(const std::string& region) {
  if (region.empty()) return {};
  icu::Locale loc(("und_" + region).c_str());
  UErrorCode status = U_ZERO_ERROR;
  loc.addLikelySubtags(status);
  return U_SUCCESS(status) ? std::string(loc.getLanguage()) : std::string();
}

}  // namespace

std::string zone_region(std::string_view zone) {
  for (const ZoneFacts& z : all_zones())
    if (z.id == zone) return z.region;
  char region[8] = {};
  UErrorCode status = U_ZERO_ERROR;
  icu::TimeZone::getRegion(icu::UnicodeString::fromUTF8(zone), region, sizeof region, status);
  return U_SUCCESS(status) && std::string_view(region) != "001" ? std::string(region) : std::string();
}

sdk::Distribution zone_candidates(std::chrono::sys_seconds sent, int offset_minutes, std::string_view language,
                                  std::string_view region) {
  const std::string likely = region.empty() ? likely_region(language) : std::string(region);
  static std::mutex languages_mutex;
  static std::map<std::string, std::string> languages;  // region -> its main language, memoised
  struct Group {
    std::vector<std::pair<std::int64_t, std::int64_t>> signature;
    double weight = 0;
    double best = -1;
    std::string name;
  };
  std::vector<Group> groups;
  for (const ZoneFacts& z : all_zones()) {
    const date::sys_info info = z.tz->get_info(sent);
    if (info.offset.count() != static_cast<std::int64_t>(offset_minutes) * 60) continue;
    // The prior: ICU's reference zones first, the language's likely region above the rest.
    double w = 1.0;
    if (z.world_reference) w *= 1.5;  // a tie-breaker: where the writer's language is spoken counts more
    if (!likely.empty() && z.region == likely) {
      w *= z.region_reference ? 12.0 : 4.0;
    } else if (!language.empty() && !z.region.empty()) {
      std::string main_language;
      {
        const std::lock_guard<std::mutex> lock(languages_mutex);
        auto [it, fresh] = languages.try_emplace(z.region);
        if (fresh) it->second = region_language(z.region);
        main_language = it->second;
      }
      if (main_language == language) w *= z.region_reference ? 3.0 : 2.0;  // a region where it is spoken most
    }
    auto sig = signature(*z.tz, sent);
    auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.signature == sig; });
    if (g == groups.end()) {
      groups.push_back(Group{std::move(sig), 0, -1, {}});
      g = groups.end() - 1;
    }
    g->weight += w;
    if (w > g->best || (w == g->best && z.id < g->name)) {
      g->best = w;
      g->name = z.id;
    }
  }
  std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.name < b.name;
  });
  std::vector<sdk::Candidate> out;
  for (const Group& g : groups) {
    if (out.size() == 5) break;  // the long tail of one-zone groups says nothing a person could use
    out.push_back({g.name, g.weight});
  }
  return sdk::Distribution(std::move(out));
}

sdk::Distribution locale_candidates(std::string_view language, const sdk::Distribution& zones,
                                    const sdk::LocaleFacts& facts) {
  std::map<std::string, double> by_locale;
  const std::string lang(language.empty() ? "en" : language);
  const std::string fallback_region = likely_region(lang);
  const std::string fallback = fallback_region.empty() ? lang : lang + "_" + fallback_region;
  for (const sdk::Candidate& c : zones.candidates()) {
    const std::string region = zone_region(c.value);
    std::string id = region.empty() ? std::string() : lang + "_" + region;
    if (id.empty() || !facts.has_locale(id)) id = fallback;
    by_locale[id] += c.p;
  }
  if (by_locale.empty()) by_locale[fallback] = 1.0;
  std::vector<sdk::Candidate> out;
  for (auto& [id, p] : by_locale) out.push_back({id, p});
  return sdk::Distribution(std::move(out));
}

}  // namespace tandem::detail::mail
