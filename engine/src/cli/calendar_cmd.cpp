// `tandem calendar expand FILE.ics --from ISO --to ISO [--tz ZONE] [--cancelled] [--limit N]`: the occurrences of
// an iCalendar file over a window, one JSON object a line, in time order (docs/calendar.md).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <tuple>

#include "cli/cli.hpp"
#include "tandem/calendar.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

struct ExpandCmdOptions {
  std::string file;
  std::string from;
  std::string to;
  std::string tz;
  bool cancelled = false;
  std::size_t limit = 0;
};

// "2026-03-29T09:00:00+02:00": a wall time and its offset from UTC.
std::string iso_with_offset(std::chrono::local_seconds local, std::chrono::sys_seconds instant) {
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss<std::chrono::seconds> hms{local - day};
  const auto offset = std::chrono::duration_cast<std::chrono::minutes>(local.time_since_epoch() - instant.time_since_epoch());
  const long long off = offset.count();
  const long long a = off < 0 ? -off : off;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02lld:%02lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()), off < 0 ? '-' : '+',
                a / 60, a % 60);
  return buf;
}

// --from/--to: an instant with its offset ("2026-03-01T00:00:00Z", "...+01:00"), or a wall time without one
// ("2026-03-01", "2026-03-01T09:00") read in --tz (UTC without --tz).
bool read_bound(const std::string& text, const std::string& zone, const sdk::TimeService& time,
                std::chrono::sys_seconds& out) {
  int offset = 0;
  if (parse_instant(text, out, offset)) return true;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used);
  if (n != 3) return false;
  if (static_cast<std::size_t>(used) != text.size()) {
    int more = 0;
    if (std::sscanf(text.c_str() + used, "T%2d:%2d%n", &h, &mi, &more) != 2) return false;
    used += more;
    if (static_cast<std::size_t>(used) != text.size()) {
      if (std::sscanf(text.c_str() + used, ":%2d%n", &s, &more) != 1) return false;
      used += more;
    }
    if (static_cast<std::size_t>(used) != text.size()) return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return false;
  const std::chrono::local_seconds local =
      std::chrono::local_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s);
  auto r = time.to_instant(local, zone.empty() ? "UTC" : zone);
  if (!r) return false;
  out = r->instant;
  return true;
}

int run_expand(const ExpandCmdOptions& o) {
  auto services = make_services();
  const sdk::TimeService& time = services->time();
  if (!o.tz.empty() && !time.has_zone(o.tz)) {
    std::cerr << "tandem calendar expand: error: --tz: expected an IANA time zone such as \"Europe/Berlin\", got \""
              << o.tz << "\"\n";
    return kExitUsage;
  }
  std::chrono::sys_seconds from{}, to{};
  for (auto [name, text, out] : {std::tuple{"--from", &o.from, &from}, std::tuple{"--to", &o.to, &to}})
    if (!read_bound(*text, o.tz, time, *out)) {
      std::cerr << "tandem calendar expand: error: " << name
                << ": expected an ISO 8601 date or date-time such as \"2026-03-01\", \"2026-03-01T09:00\" or "
                   "\"2026-03-01T09:00:00+01:00\", got \""
                << *text << "\"\n";
      return kExitUsage;
    }
  if (!(from < to)) {
    std::cerr << "tandem calendar expand: error: --to must be after --from\n";
    return kExitUsage;
  }
  auto cal = calendar::load_ics(o.file);
  if (!cal) {
    std::cerr << cal.status().message() << "\n";
    return kExitBadInput;
  }
  calendar::ExpandOptions options;
  options.default_zone = o.tz.empty() ? "UTC" : o.tz;
  options.display_zone = o.tz;
  options.keep_cancelled = o.cancelled;
  options.max_occurrences = o.limit;
  for (const calendar::Occurrence& occ : calendar::expand(*cal, from, to, options)) {
    nlohmann::ordered_json j;
    j["uid"] = occ.uid;
    j["summary"] = occ.summary;
    j["start"] = iso_with_offset(occ.local_start, occ.start);
    j["end"] = iso_with_offset(occ.local_end, occ.end);
    j["zone"] = occ.zone;
    j["all_day"] = occ.all_day;
    j["floating"] = occ.floating;
    j["transparent"] = occ.transparent;
    j["status"] = calendar::to_string(occ.status);
    if (occ.kind == calendar::Kind::busy) {
      j["kind"] = "busy";
      j["busy_type"] = calendar::to_string(occ.busy_type);
    } else {
      j["kind"] = "event";
    }
    if (!occ.location.empty()) j["location"] = occ.location;
    const auto person = [](const calendar::Attendee& a) {
      nlohmann::ordered_json p;
      p["email"] = a.email;
      if (!a.name.empty()) p["name"] = a.name;
      if (a.optional) p["optional"] = true;
      if (a.declined) p["declined"] = true;
      return p;
    };
    if (occ.organizer) j["organizer"] = person(*occ.organizer);
    if (!occ.attendees.empty()) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const calendar::Attendee& a : occ.attendees) list.push_back(person(a));
      j["attendees"] = std::move(list);
    }
    if (occ.recurrence_id) {
      const auto rid = *occ.recurrence_id;
      j["recurrence_id"] = iso_with_offset(std::chrono::local_seconds{rid.time_since_epoch()}, rid);
    }
    if (occ.overridden) j["overridden"] = true;
    std::cout << j.dump() << "\n";
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace

void add_calendar(CLI::App& app, Command& chosen) {
  CLI::App* cal = app.add_subcommand("calendar", "iCalendar files: recurrence expanded, zones resolved");
  cal->require_subcommand(1);
  auto o = std::make_shared<ExpandCmdOptions>();
  CLI::App* expand = cal->add_subcommand(
      "expand",
      "The occurrences of FILE.ics that overlap [--from, --to), one JSON object a line in time order:\n"
      "uid, summary, start, end (ISO 8601 with the UTC offset, in --tz or else in the zone the event was\n"
      "written in), zone, all_day, floating, transparent, status, kind (event | busy, with busy_type),\n"
      "recurrence_id (UTC) for instances of recurring events. RRULE, RDATE, EXDATE, RECURRENCE-ID overrides,\n"
      "VTIMEZONE and IANA TZIDs without one, all-day and floating events (read in --tz, else UTC) and\n"
      "VFREEBUSY periods. A broken file: every problem as FILE:LINE: PROPERTY: what, exit 1.");
  expand->add_option("FILE", o->file, "The iCalendar file (.ics)")->required();
  expand->add_option("--from", o->from, "Window start: 2026-03-01, 2026-03-01T09:00 (in --tz) or with an offset")->required();
  expand->add_option("--to", o->to, "Window end (exclusive), same forms")->required();
  expand->add_option("--tz", o->tz, "IANA zone: times shown in it; floating and all-day events read in it");
  expand->add_flag("--cancelled", o->cancelled, "Keep cancelled events and instances (status \"cancelled\")");
  expand->add_option("--limit", o->limit, "At most N occurrences, the earliest");
  expand->callback([&chosen, o] { chosen.run = [o] { return run_expand(*o); }; });
}

}  // namespace tandem::cli
