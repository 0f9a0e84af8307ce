// `tandem tasks --store FILE [--variable V]`: the tasks waiting for people, one JSON object a line,
// oldest first (tandem/cases.hpp). What a worker would be shown: the options (plus "none of these" when
// allowed), the instructions and the snippet with the span highlighted — never the whole mail.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.hpp"
#include "tandem/cases.hpp"

namespace tandem::cli {
namespace {

struct TasksOptions {
  std::filesystem::path store;
  std::string variable;
};

int run_tasks(const TasksOptions& o) {
  std::error_code ec;
  if (!std::filesystem::exists(o.store, ec)) {
    std::cerr << o.store.string() << ": error: no case store here (tandem run --store writes one)\n";
    return kExitBadInput;
  }
  auto cases = CaseStore::open(o.store);
  if (!cases.is_ok()) {
    std::cerr << "tandem: error: --store: " << cases.status().message() << "\n";
    return kExitBadInput;
  }
  auto tasks = cases.value()->open_tasks(o.variable);
  if (!tasks.is_ok()) {
    std::cerr << "tandem: error: " << tasks.status().message() << "\n";
    return kExitBadInput;
  }
  for (const AskedTask& t : tasks.value()) {
    const nlohmann::ordered_json line = {{"id", t.id},
                                         {"case", t.case_id},
                                         {"variable", t.variable},
                                         {"kind", t.kind},
                                         {"options", t.options},
                                         {"allow_other", t.allow_other},
                                         {"instructions", t.instructions},
                                         {"snippet", t.snippet},
                                         {"highlight", {t.highlight.begin, t.highlight.end}},
                                         {"model_p", t.top_p}};
    std::cout << line.dump() << "\n";
  }
  std::cerr << "tandem tasks: " << tasks.value().size() << " open" << (o.variable.empty() ? "" : " for " + o.variable)
            << " in " << cases.value()->location() << "\n";
  return kExitOk;
}

}  // namespace

void add_tasks(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<TasksOptions>();
  CLI::App* sub = app.add_subcommand("tasks", "The tasks waiting for people in a case store, one JSON object a line");
  sub->add_option("--store", o->store, "Case store (SQLite) written by tandem run --store")->required();
  sub->add_option("--variable", o->variable, "Only this variable's tasks (\"time[0].polarity\")");
  sub->callback([&chosen, o] { chosen.run = [o] { return run_tasks(*o); }; });
}

}  // namespace tandem::cli
