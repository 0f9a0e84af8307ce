// `tandem slots REQUEST.yaml [--calendars DIR] [--top N]`: the ranked slots of a request with the reasons for
// each, or why none fits and the best compromise; one JSON object on stdout (docs/scheduling.md).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.hpp"
#include "tandem/scheduling.hpp"

namespace tandem::cli {
namespace {

struct SlotsCmdOptions {
  std::string file;
  std::string calendars;
  long long top = -1;
};

nlohmann::ordered_json slot_json(const scheduling::Slot& s, const std::string& zone) {
  nlohmann::ordered_json j;
  j["start"] = scheduling::format_instant(s.start, zone);
  j["end"] = scheduling::format_instant(s.end, zone);
  j["score"] = s.score;
  j["reasons"] = s.reasons;
  if (!s.optional_free.empty()) j["optional_free"] = s.optional_free;
  if (!s.sessions.empty()) {
    nlohmann::ordered_json sessions = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < s.sessions.size(); ++k)
      sessions.push_back({{"session", s.session_order.at(k)},
                          {"start", scheduling::format_instant(s.sessions[k].begin, zone)},
                          {"end", scheduling::format_instant(s.sessions[k].end, zone)}});
    j["sessions"] = std::move(sessions);
  }
  return j;
}

int run_slots(const SlotsCmdOptions& o) {
  auto loaded = scheduling::load_request(o.file);
  if (!loaded) {
    std::cerr << loaded.status().message() << "\n";
    return loaded.status().code() == sdk::Code::internal ? kExitInternal : kExitBadInput;
  }
  scheduling::RequestFile& rf = loaded.value();
  if (!o.calendars.empty()) rf.calendars_dir = o.calendars;
  if (o.top >= 0) rf.request.top_n = static_cast<std::size_t>(o.top);
  auto scheduler = scheduling::Scheduler::create(rf.directory, rf.calendars_dir);
  if (!scheduler) {
    std::cerr << scheduler.status().message() << "\n";
    return kExitBadInput;
  }
  std::string zone = rf.zone;
  if (zone.empty())
    for (const std::string& who : rf.request.required)
      if (const Person* p = rf.directory.find(who); p != nullptr && !p->zone.empty()) {
        zone = p->zone;
        break;
      }
  if (zone.empty()) zone = "UTC";
  rf.request.zone = zone;
  const scheduling::SolveResult result = scheduler.value().solve(rf.request);
  nlohmann::ordered_json j;
  j["tz"] = zone;
  j["nothing_fits"] = result.nothing_fits;
  nlohmann::ordered_json slots = nlohmann::ordered_json::array();
  for (const auto& s : result.slots) slots.push_back(slot_json(s, zone));
  j["slots"] = std::move(slots);
  if (result.nothing_fits) {
    j["why_none"] = result.why_none;
    if (result.compromise) {
      nlohmann::ordered_json c = slot_json(result.compromise->slot, zone);
      c["penalty"] = result.compromise->penalty;
      nlohmann::ordered_json broken = nlohmann::ordered_json::array();
      for (const auto& v : result.compromise->broken) {
        nlohmann::ordered_json b;
        b["constraint"] = v.constraint;
        if (!v.person.empty()) b["person"] = v.person;
        if (v.constraint == "daily_cap") b["meetings"] = v.meetings;
        else b["minutes"] = v.minutes;
        b["text"] = v.text;
        broken.push_back(std::move(b));
      }
      c["broken"] = std::move(broken);
      j["compromise"] = std::move(c);
    } else {
      j["compromise"] = nullptr;
    }
  }
  std::cout << j.dump() << "\n";
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace

void add_slots(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<SlotsCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "slots",
      "The slots of a request (REQUEST.yaml: people, now, required, optional, duration or sessions, offered,\n"
      "refused and preferred windows, location; docs/scheduling.md) where every required person can meet,\n"
      "ranked, with the reasons for each: one JSON object {tz, nothing_fits, slots: [{start, end, score,\n"
      "reasons}]}; when nothing fits, why_none and the compromise that breaks the least, each broken rule\n"
      "with its person and by how much. A bad request: every problem as file:line:column, exit 1.");
  cmd->add_option("REQUEST", o->file, "The request file (YAML)")->required();
  cmd->add_option("--calendars", o->calendars,
                  "A folder holding each person's calendar under its file name (instead of the directory's paths)");
  cmd->add_option("--top", o->top, "Slots returned (0: every feasible start, best first); default: the file's `top`, else 5");
  cmd->callback([&chosen, o] { chosen.run = [o] { return run_slots(*o); }; });
}

}  // namespace tandem::cli
