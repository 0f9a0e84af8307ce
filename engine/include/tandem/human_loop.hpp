// tandem — the human loop as a service: the cases in the store meet the people of the pipeline's
// backends. What `tandem serve` runs, one step at a time (docs/hitl.md, "The service loop").
//
// One step (HumanLoop::step) does, in this order:
//   1. poll every backend of the pipeline's `human` stage (a backend with answers the store could not take
//      yet is not polled: those are tried again first, so that no answer is lost); each answer is recorded
//      in one transaction
//      with the task's new posterior, the decision (accept / ask the next worker / expert), the worker's
//      score (gold exactly, otherwise by the posterior), the incremental update of their confusion matrix,
//      and the revocation of their access when the evidence says their accuracy is below the bar;
//      a settled task is withdrawn (cancel) from every backend;
//   2. for every open task nobody is working on, choose the worker with the best expected gain per cost
//      among the active workers of a backend of the pipeline who meet the task's targeting, are qualified
//      for its variable (when a qualification file defines it) and have not been asked yet; claim the task
//      for them (the claim is the lease: unanswered by its end, the task goes to someone else) and post it
//      to their backend; when their next task is due to be a gold question, a gold question is posted too;
//      when nobody fits the budget any more, the task goes to an expert with the reason;
//   3. on schedule (refit_every), refit every worker's confusion matrices over the sliding window through
//      the Dawid–Skene aggregator plugin.
// The first step also posts again every task that was claimed and not answered when the service last
// stopped: backends take a post twice without asking twice, so a restart loses no question.
//
//   tandem::HumanLoopOptions o;  o.store = "var/tandem.db";
//   auto loop = tandem::HumanLoop::open(pipeline, host, o);          // errors name the file / instance
//   while (running) { auto r = (*loop)->step(now()); ...; sleep(1s); }
//
// Thread-safety: one thread steps a HumanLoop; other processes (tandem run --store, tandem answer) may use
// the same store at the same time. Ownership: the loop owns its backends, aggregator and store connection;
// the PluginHost must outlive it.
#ifndef TANDEM_HUMAN_LOOP_HPP_
#define TANDEM_HUMAN_LOOP_HPP_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/export.h"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem {

struct HumanLoopOptions {
  std::filesystem::path store;                        // the case store (SQLite), created when missing
  std::optional<std::filesystem::path> roster;        // workers to add or replace at open (docs/workers.md)
  std::vector<std::filesystem::path> qualifications;  // qualification files; their gold questions are installed
  std::uint64_t seed = 1;                             // keys the gold schedule
  std::chrono::seconds lease{std::chrono::minutes(30)};      // a posted task waits this long for its worker
  std::chrono::seconds refit_every{std::chrono::hours(1)};   // 0: no scheduled refit
  std::chrono::seconds refit_window{std::chrono::hours(24 * 7)};
  // How long a write waits for another process's write to the store before the step gives up on it (the
  // answer is kept and tried again at the next step).
  std::chrono::milliseconds store_busy_timeout{10000};
};

// One thing a step did, for the log (JSON Lines in `tandem serve`).
struct LoopEvent {
  // posted, gold, reposted, answer, accept, ask, expert, late, revoked, cancelled, refused, waiting, refit,
  // error
  std::string kind;
  std::string task;
  std::string worker;
  std::string detail;  // the decision's reason, the error, the refit's figures
};

struct StepReport {
  int answers = 0;    // recorded (late ones included)
  int refused = 0;    // answers the store refused (unknown task or worker, a second answer, not an option)
  int accepted = 0;
  int expert = 0;
  int revoked = 0;
  int posted = 0;     // tasks posted to a worker (gold questions included)
  int refits = 0;
  int errors = 0;     // backend or store failures (retried by the next step)
  int open = 0;       // open tasks after the step
  int in_progress = 0;  // of which posted to someone who has not answered yet
  std::vector<LoopEvent> events;
  // Nothing happened: no answer came, nothing was posted or refitted.
  bool quiet() const noexcept { return answers == 0 && refused == 0 && posted == 0 && refits == 0 && expert == 0; }
};

class TANDEM_API HumanLoop {
 public:
  // Makes the pipeline's backends (stage `human`; at least one) and the refit aggregator
  // (tandem.aggregator.dawid_skene when the host has it; without it the scheduled refit is off), opens
  // the store, loads the roster and the qualification files and installs their gold questions.
  // invalid_input with every problem ("file:line:column: error: ..." lines joined by "\n").
  static sdk::Result<std::unique_ptr<HumanLoop>> open(const PipelineSpec& pipeline, PluginHost& host,
                                                      const HumanLoopOptions& options);
  ~HumanLoop();
  HumanLoop(const HumanLoop&) = delete;
  HumanLoop& operator=(const HumanLoop&) = delete;

  // One step at `now` (UTC). A backend or store failure is an event (and counted), not an error: the step
  // goes on with the rest and the next step retries. An error is returned only when the store cannot be
  // read at all.
  sdk::Result<StepReport> step(std::chrono::sys_seconds now);

  // Refits every family now (what the schedule does); the events are refit lines (one per family with
  // answers in the window) or error lines.
  std::vector<LoopEvent> refit(std::chrono::sys_seconds now);

 private:
  struct Impl;
  explicit HumanLoop(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem

#endif  // TANDEM_HUMAN_LOOP_HPP_
