// Internal: the sender's zone and locale when the people directory does not know them, inferred as
// distributions (the variables `sender.zone` and `sender.locale`), never as a silent guess.
//
// Zones: every canonical location zone of ICU whose UTC offset at the sent instant (date/tz's rules) is
// the Date header's offset is a candidate. Zones that keep the same offsets from the sent instant on for
// the horizon (same transitions, same offsets: Berlin, Paris and Vienna alike) cannot be told apart by
// anything a scheduler does and form one candidate, named by its most likely member. A zone's prior,
// from the tz database's zone list (zone.tab: each zone's country) and ICU's facts: a zone of the
// language's likely region (ICU's likely subtags: en -> US, de -> DE; or the region of a locale the
// sender is known to use) weighs 4, 12 when ICU names it its region's reference zone for its metazone;
// a zone of a region whose main language is the writer's (GB, IE for English) 2, or 3 as its region's
// reference; ICU's reference zone for the world is worth half as much again; every other zone 1.
// Locales: the language with the region of each zone candidate, where ICU has data for that locale;
// else the language's likely locale.
//
// Thread-safety: free functions; the zone list is read once (thread-safe static).
#ifndef TANDEM_ENGINE_MAIL_SENDER_CONTEXT_HPP_
#define TANDEM_ENGINE_MAIL_SENDER_CONTEXT_HPP_

#include <chrono>
#include <string>
#include <string_view>

#include "tandem/sdk/services.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::detail::mail {

// How far ahead two zones must agree to be one candidate.
inline constexpr std::chrono::days kZoneHorizon{183};

// Candidate zones of a sender who wrote at `sent` with UTC offset `offset_minutes`, in `language`
// (ISO 639, "" when unknown) and, when known, `region` (ISO 3166, from a locale the sender is known to
// use). Empty when no zone has that offset then (a forged or broken Date header).
sdk::Distribution zone_candidates(std::chrono::sys_seconds sent, int offset_minutes, std::string_view language,
                                  std::string_view region = {});

// Candidate locales for `language` given the zone candidates (their regions): language_REGION where `facts`
// has data for it, else the language's likely locale.
sdk::Distribution locale_candidates(std::string_view language, const sdk::Distribution& zones,
                                    const sdk::LocaleFacts& facts);

// The ISO 3166 region ICU gives a zone ("Europe/Berlin" -> "DE"), "" when none.
std::string zone_region(std::string_view zone);

}  // namespace tandem::detail::mail

#endif  // TANDEM_ENGINE_MAIL_SENDER_CONTEXT_HPP_
