// `tandem tasks --store FILE [--variable V]`: the tasks waiting for people, one JSON object a line,
// oldest first (tandem/cases.hpp). What a worker would be shown: the options (plus "none of these" when
// allowed), the instructions and the snippet with the span highlighted — never the whole mail.
// `tandem answer --store FILE --pipeline P --task ID --worker W (--value V | --other TEXT)`: one answer,
// recorded with the new posterior and the decision (accept / ask the next worker / expert) in one
// transaction; one JSON object on stdout.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.hpp"
#include "tandem/cases.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/services.hpp"

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

struct AnswerOptions {
  std::filesystem::path store;
  std::filesystem::path pipeline;
  std::string task;
  std::string worker;
  std::string value;
  std::string other;
};

int run_answer(const AnswerOptions& o) {
  if (o.value.empty() == o.other.empty()) {
    std::cerr << "tandem: error: give exactly one of --value (one of the task's options) and --other (\"none of "
                 "these\", with what fits)\n";
    return kExitUsage;
  }
  std::error_code ec;
  if (!std::filesystem::exists(o.store, ec)) {
    std::cerr << o.store.string() << ": error: no case store here (tandem run --store writes one)\n";
    return kExitBadInput;
  }
  // The pipeline says the variable's threshold and budget; its plugins are not run.
  PluginHost host(make_services());
  print_load_problems(host.load_all(PluginHost::search_paths()));
  auto loaded = load_pipeline(o.pipeline, host);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return kExitBadInput;
  }
  auto cases = CaseStore::open(o.store);
  if (!cases.is_ok()) {
    std::cerr << "tandem: error: --store: " << cases.status().message() << "\n";
    return kExitBadInput;
  }
  auto r = cases.value()->answer(*loaded.pipeline, o.task, o.worker, o.value, o.other);
  if (!r.is_ok()) {
    std::cerr << "tandem: error: " << r.status().message() << "\n";
    return kExitBadInput;
  }
  const AnswerResult& a = r.value();
  const nlohmann::ordered_json line = {{"task", o.task},     {"worker", o.worker},   {"verdict", a.verdict},
                                       {"reason", a.reason}, {"top", a.top_value},   {"p", a.top_p},
                                       {"answers", a.answers}, {"case_ready", a.case_ready}};
  std::cout << line.dump() << "\n";
  return kExitOk;
}

}  // namespace

void add_answer(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<AnswerOptions>();
  CLI::App* sub = app.add_subcommand("answer", "Records one worker's answer to a task and decides: accept, ask the "
                                               "next worker, or call an expert (one transaction)");
  sub->add_option("--store", o->store, "Case store (SQLite) written by tandem run --store")->required();
  sub->add_option("--pipeline,-p", o->pipeline, "The pipeline whose route section sets thresholds and budgets")
      ->required();
  sub->add_option("--task", o->task, "Task id, as tandem tasks prints it")->required();
  sub->add_option("--worker", o->worker, "The worker's id")->required();
  sub->add_option("--value", o->value, "The chosen option");
  sub->add_option("--other", o->other, "\"None of these\": what fits instead");
  sub->callback([&chosen, o] { chosen.run = [o] { return run_answer(*o); }; });
}

void add_tasks(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<TasksOptions>();
  CLI::App* sub = app.add_subcommand("tasks", "The tasks waiting for people in a case store, one JSON object a line");
  sub->add_option("--store", o->store, "Case store (SQLite) written by tandem run --store")->required();
  sub->add_option("--variable", o->variable, "Only this variable's tasks (\"time[0].polarity\")");
  sub->callback([&chosen, o] { chosen.run = [o] { return run_tasks(*o); }; });
}

}  // namespace tandem::cli
