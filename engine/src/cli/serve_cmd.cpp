// `tandem serve --pipeline P --store S [--roster R] [--qualification Q]... [--once | --until-idle]`: the human
// loop as a service (tandem/human_loop.hpp): every --interval seconds one step — answers collected from the
// pipeline's backends and recorded, open tasks given to the best next worker, a refit on schedule. One JSON
// object per event on stdout; a summary on stderr when it stops (SIGINT, SIGTERM, or --once / --until-idle).
// With --milter SOCKET it is also the mail server's milter (tandem/milter.hpp): each message addressed to the
// assistant is read (tandem/intake.hpp), run through the pipeline and routed into the store, and gets an
// X-Tandem-Case header; every other message, and any message tandem cannot read in time, passes untouched.
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli.hpp"
#include "tandem/cases.hpp"
#include "tandem/engine.hpp"
#include "tandem/human_loop.hpp"
#include "tandem/intake.hpp"
#include "tandem/milter.hpp"
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
  std::string milter;
  int milter_budget_ms = 5000;
};

std::mutex g_out_mutex;  // event lines come from the loop and from milter threads

void emit(const nlohmann::ordered_json& line) {
  const std::lock_guard<std::mutex> lock(g_out_mutex);
  std::cout << line.dump() << "\n";
  std::cout.flush();
}

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
  // A pipeline without a human stage has nobody to ask: with --milter the service is the milter alone.
  const bool milter_only = !o.milter.empty() && loaded.pipeline->in_stage(Stage::human).empty();
  std::unique_ptr<HumanLoop> loop;
  if (!milter_only) {
    auto opened_loop = HumanLoop::open(*loaded.pipeline, host, options);
    if (!opened_loop.is_ok()) {
      std::cerr << opened_loop.status().message() << "\n";
      return kExitBadInput;
    }
    loop = std::move(opened_loop).value();
  }

  // The milter: the engine runs each message addressed to the assistant and routes it into the store.
  std::unique_ptr<Engine> engine;
  std::unique_ptr<CaseStore> milter_store;
  std::unique_ptr<MilterServer> milter;
  if (!o.milter.empty()) {
    auto opened = Engine::open(o.pipeline, host.shared_services());
    for (const auto& w : opened.warnings) std::cerr << "tandem: warning: " << w << "\n";
    if (!opened.engine) {
      for (const auto& e : opened.errors) std::cerr << e << "\n";
      return kExitBadInput;
    }
    engine = std::move(opened.engine);
    if (engine->pipeline().mail.assistant.empty()) {
      std::cerr << "tandem serve: error: --milter: the pipeline " << o.pipeline.string()
                << " names no assistant address (mail.assistant): the milter would take no mail\n";
      return kExitBadInput;
    }
    auto store = CaseStore::open(o.store);
    if (!store.is_ok()) {
      std::cerr << "tandem serve: error: " << store.status().message() << "\n";
      return kExitBadInput;
    }
    milter_store = std::move(store).value();
    MilterOptions mo;
    mo.socket = o.milter;
    mo.assistant = engine->pipeline().mail.assistant;
    mo.budget = std::chrono::milliseconds(o.milter_budget_ms);
    mo.max_bytes = engine->pipeline().mail.max_bytes;
    Engine* e = engine.get();
    CaseStore* cs = milter_store.get();
    sdk::Services& services = host.services();
    auto started = MilterServer::start(
        mo,
        [e, cs, &services](const MilterMessage& m) -> MilterVerdict {
          const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
          auto read = read_mail(m.raw, e->pipeline().mail, services);
          if (!read.is_ok()) throw std::runtime_error("unreadable: " + read.status().message());
          const MailMessage& mail = read.value();
          const MessageResult r = e->process(mail.message, mail.context);
          if (r.state == MessageResult::State::failed) throw std::runtime_error(r.error);
          std::size_t tasks = 0;
          std::string state = "routed";
          auto seen = cs->has_case(mail.message.id);
          if (!seen.is_ok()) throw std::runtime_error(seen.status().message());
          if (seen.value()) {
            state = "seen before";  // the same mail again (another copy, a resend): the case it made stands
          } else {
            auto routed = cs->route(e->pipeline(), mail.message, r);
            if (!routed.is_ok()) throw std::runtime_error(routed.status().message());
            tasks = routed.value().tasks.size();
          }
          nlohmann::ordered_json line = {{"at", iso(now)}, {"event", "mail"}, {"case", mail.message.id},
                                         {"message_id", mail.message.message_id}, {"queue_id", m.queue_id},
                                         {"state", state}, {"tasks", tasks}};
          if (!mail.problems.empty()) line["problems"] = mail.problems;
          emit(line);
          const std::string value = mail.message.id + (state != "routed" ? "; " + state
                                                       : tasks == 0 ? std::string("; nothing to ask")
                                                                    : "; " + std::to_string(tasks) + " to ask");
          return {"X-Tandem-Case", value};
        },
        [](std::string_view line) { std::cerr << "tandem serve: " << line << "\n"; });
    if (!started.is_ok()) {
      std::cerr << "tandem serve: error: " << started.status().message() << "\n";
      return kExitBadInput;
    }
    milter = std::move(started).value();
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
    if (!loop) {  // the milter alone: it works on its own threads; wait for a signal
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (o.once || o.until_idle) break;
      continue;
    }
    auto r = loop->step(now);
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
      emit(line);
    }
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
  if (milter) {
    milter->stop();
    const MilterStats ms = milter->stats();
    std::cerr << "tandem serve: milter: " << ms.messages << " messages; " << ms.passed << " not the assistant's, "
              << ms.handled << " read (" << ms.headers_added << " headers added), " << ms.late << " over budget, "
              << ms.failed << " failed, " << ms.oversized << " too large; none held or refused\n";
  }
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
  sub->add_option("--milter", o->milter,
                  "Also be the mail server's milter on this socket: inet:127.0.0.1:PORT or unix:/path (docs/mail.md)");
  sub->add_option("--milter-budget-ms", o->milter_budget_ms,
                  "How long a message may wait for tandem before the milter passes it on unchanged (default 5000)")
      ->check(CLI::Range(1, 600000));
  sub->add_option("--max-steps", o->max_steps, "Stop after this many steps (0: no limit)")->check(CLI::Range(0, 1000000));
  sub->callback([&chosen, o] { chosen.run = [o] { return run_serve(*o); }; });
}

}  // namespace tandem::cli
