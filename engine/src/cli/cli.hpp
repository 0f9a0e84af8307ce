// The `tandem` command line: shared helpers of the subcommands. The CLI uses the public embedding API
// only (engine/include/tandem), as an embedder would.
#ifndef TANDEM_CLI_CLI_HPP_
#define TANDEM_CLI_CLI_HPP_

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/plugin_host.hpp"
#include "tandem/sdk/config.hpp"

namespace CLI {
class App;
}

namespace tandem::cli {

// Documented in `tandem --help` and README.md.
enum ExitCode : int {
  kExitOk = 0,        // done; every input was valid and processed
  kExitBadInput = 1,  // an input (pipeline, mail, case file) is invalid, or a message failed
  kExitUsage = 2,     // the command line itself is wrong
  kExitInternal = 3,  // a bug in tandem or a broken installation
};

// Every subcommand registers itself on `app` and sets `run` to its action.
struct Command {
  std::function<int()> run;
};
void add_version(CLI::App& app, Command& chosen);
void add_plugins(CLI::App& app, Command& chosen);
void add_validate(CLI::App& app, Command& chosen);
void add_explain(CLI::App& app, Command& chosen);
void add_run(CLI::App& app, Command& chosen);
void add_times(CLI::App& app, Command& chosen);
void add_aggregate(CLI::App& app, Command& chosen);
void add_simulate(CLI::App& app, Command& chosen);
void add_tasks(CLI::App& app, Command& chosen);
void add_answer(CLI::App& app, Command& chosen);
void add_workers(CLI::App& app, Command& chosen);
void add_serve(CLI::App& app, Command& chosen);
void add_qualify(CLI::App& app, Command& chosen);
void add_mail(CLI::App& app, Command& chosen);
void add_calendar(CLI::App& app, Command& chosen);
void add_slots(CLI::App& app, Command& chosen);

// An ISO 8601 instant: "2026-11-24T09:30:00Z" or with an offset "+01:00"; seconds optional. Sets `out` (UTC)
// and `offset_minutes` (the written offset). False for anything else, or an impossible calendar date or
// clock time (30 February, 24:00).
bool parse_instant(const std::string& text, std::chrono::sys_seconds& out, int& offset_minutes);

// A `time[i].value` candidate "START/END" as the fields of a shared/eval/time/FORMAT.md answer item (`start`,
// `end`; a point has no end); false when it does not have that form.
bool value_fields(std::string_view value, nlohmann::ordered_json& out);

// "tandem: warning: ..." on stderr for each library refused while searching for plugins.
void print_load_problems(const std::vector<LoadProblem>& problems);
// A config node as JSON (scalars typed the way the schema would read them).
nlohmann::ordered_json to_json(const sdk::ConfigNode& node);
// One plugin as the JSON object `tandem plugins --json` prints.
nlohmann::ordered_json to_json(const PluginInfo& info);

}  // namespace tandem::cli

#endif  // TANDEM_CLI_CLI_HPP_
