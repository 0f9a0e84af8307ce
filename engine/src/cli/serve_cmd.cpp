// `tandem serve --pipeline P --store S [--roster R] [--qualification Q]... [--once | --until-idle]`: the human
// loop as a service (tandem/human_loop.hpp): every --interval seconds one step — answers collected from the
// pipeline's backends and recorded, open tasks given to the best next worker, a refit on schedule. One JSON
// object per event on stdout; a summary on stderr when it stops (SIGINT, SIGTERM, or --once / --until-idle).
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli.hpp"
#include "tandem/human_loop.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

struct ServeOptions {
  std::filesystem::path pipeline;
  std::filesystem::path store;
  std::filesystem::path roster;
  std::vector<std::filesystem::path> qualifications;
  double interval = 1.0;
  int lease_minutes = 30;
  int refit_every_minutes = 60;
  int window_days = 7;
  std::uint64_t seed = 1;
  bool once = false;
  bool until_idle = false;
  int idle_steps = 1;
  int max_steps = 0;
};

std::string iso(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

int run_serve(const ServeOptions& o) {
  PluginHost host(make_services());
  print_load_problems(host.load_all(PluginHost::search_paths()));
  auto loaded = load_pipeline(o.pipeline, host);
  print_load_problems(loaded.plugin_problems);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return kExitBadInput;
  }
  HumanLoopOptions options;
  options.store = o.store;
  if (!o.roster.empty()) options.roster = o.roster;
  options.qualifications = o.qualifications;
  options.seed = o.seed;
  options.lease = std::chrono::minutes(o.lease_minutes);
  options.refit_every = std::chrono::minutes(o.refit_every_minutes);
  options.refit_window = std::chrono::hours(24) * o.window_days;
  auto loop = HumanLoop::open(*loaded.pipeline, host, options);
  if (!loop.is_ok()) {
    std::cerr << loop.status().message() << "\n";
    return kExitBadInput;
  }

  g_stop = false;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  StepReport total;
  int steps = 0;
  int quiet = 0;
  StepReport last;
  while (!g_stop) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto r = loop.value()->step(now);
    if (!r.is_ok()) {
      std::cerr << "tandem serve: error: " << r.status().message() << "\n";
      return kExitBadInput;
    }
    ++steps;
    last = std::move(r).value();
    for (const LoopEvent& e : last.events) {
      nlohmann::ordered_json line = {{"at", iso(now)}, {"event", e.kind}};
      if (!e.task.empty()) line["task"] = e.task;
      if (!e.worker.empty()) line["worker"] = e.worker;
      if (!e.detail.empty()) line["detail"] = e.detail;
      std::cout << line.dump() << "\n";
    }
    std::cout.flush();
    total.answers += last.answers;
    total.refused += last.refused;
    total.accepted += last.accepted;
    total.expert += last.expert;
    total.revoked += last.revoked;
    total.posted += last.posted;
    total.refits += last.refits;
    total.errors += last.errors;
    quiet = last.quiet() ? quiet + 1 : 0;
    if (o.once || (o.max_steps > 0 && steps >= o.max_steps)) break;
    if (o.until_idle && quiet >= o.idle_steps) break;
    // Sleep in short slices so that a signal stops the service promptly.
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.interval);
    while (!g_stop && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::cerr << "tandem serve: " << steps << (steps == 1 ? " step" : " steps") << "; answers " << total.answers
            << " (refused " << total.refused << "), accepted " << total.accepted << ", expert " << total.expert
            << ", revoked " << total.revoked << ", posted " << total.posted << ", refits " << total.refits
            << ", errors " << total.errors << "; open tasks " << last.open << " (" << last.in_progress
            << " with a worker)\n";
  return kExitOk;
}

}  // namespace

void add_serve(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "The human loop as a service: answers from the pipeline's backends recorded and decided, open tasks "
      "given to the best next worker, worker skill refitted on schedule (docs/hitl.md). One JSON event a line.\n"
      "  tandem serve -p P --store S [--roster R.yaml] [--qualification Q.yaml]... [--once | --until-idle]");
  sub->add_option("--pipeline,-p", o->pipeline, "The pipeline: its route section and its human-stage backends")
      ->required();
  sub->add_option("--store", o->store, "Case store (SQLite), created when missing")->required();
  sub->add_option("--roster", o->roster, "Workers to add or replace first (docs/workers.md)");
  sub->add_option("--qualification", o->qualifications,
                  "A qualification file (repeatable): only workers qualified on its variable get those tasks; "
                  "its gold questions are mixed in");
  sub->add_option("--interval", o->interval, "Seconds between steps (default 1)")->check(CLI::Range(0.0, 3600.0));
  sub->add_option("--lease-minutes", o->lease_minutes,
                  "How long a posted task waits for its worker before another is asked (default 30)")
      ->check(CLI::Range(1, 7 * 24 * 60));
  sub->add_option("--refit-every-minutes", o->refit_every_minutes,
                  "Refit every worker's confusion matrices this often; 0: never (default 60)")
      ->check(CLI::Range(0, 7 * 24 * 60));
  sub->add_option("--window-days", o->window_days, "The refit's sliding window (default 7)")->check(CLI::Range(1, 365));
  sub->add_option("--seed", o->seed, "Keys the gold schedule (default 1)");
  auto* once = sub->add_flag("--once", o->once, "One step, then stop");
  auto* idle = sub->add_flag("--until-idle", o->until_idle, "Stop after a step in which nothing happened");
  once->excludes(idle);
  sub->add_option("--idle-steps", o->idle_steps, "With --until-idle: this many quiet steps in a row (default 1)")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--max-steps", o->max_steps, "Stop after this many steps (0: no limit)")->check(CLI::Range(0, 1000000));
  sub->callback([&chosen, o] { chosen.run = [o] { return run_serve(*o); }; });
}

}  // namespace tandem::cli
