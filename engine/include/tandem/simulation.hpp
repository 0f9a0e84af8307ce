// tandem — the human-in-the-loop simulation (shared/eval/crowd/SIMULATION.md): seeded items, a model,
// a worker pool with hidden confusion matrices, and routing policies compared on the same draws.
//
//   auto spec = tandem::sim::read_spec("config/simulation/default.yaml");     // errors: file:line:column
//   if (!spec.spec) { for (auto& e : spec.errors) std::cerr << e << "\n"; return 1; }
//   tandem::sim::Report r = tandem::sim::run(*spec.spec, dawid_skene.get());
//
// Common random numbers: every draw comes from a counter-based stream named by what it is for
// ("items", "model", "pool", ("answers", item, worker), ("order", item)), so the answer a worker gives
// on an item is the same for every policy; policies differ only in whom they ask and when they stop.
//
// Thread-safety: run() is reentrant; the aggregator passed in is called from the calling thread only.
// Ownership: run() borrows the aggregator for the duration of the call.
#ifndef TANDEM_SIMULATION_HPP_
#define TANDEM_SIMULATION_HPP_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/aggregator.hpp"

namespace tandem::sim {

// One worker type of the pool (SIMULATION.md §4).
struct WorkerType {
  std::string name;     // expert | good | sloppy | uniform_spammer | biased_spammer | adversarial
  double share = 0;     // of the pool
  double cost = 1;      // per answer
};

struct Spec {
  std::uint64_t first_seed = 1;
  int seeds = 20;                      // R: seeds first_seed .. first_seed + seeds - 1
  int items = 10000;                   // N
  int classes = 4;                     // K
  std::vector<double> skewed_prior;    // empty: Dirichlet(alpha) per seed
  double prior_alpha = 2;
  // The model (§3): logits beta * (1 - d) * s on the true class plus N(0, sigma^2) noise.
  double model_signal = 3, model_noise = 1, model_beta = 1;
  std::string calibration = "calibrated";  // calibrated | over | under (T, T/2, 2T)
  int heldout_items = 1000;
  double audit_share = 0.02;           // auto-accepted items still routed
  int workers = 200;                   // M
  std::vector<WorkerType> pool{        // shares sum to 1 (SIMULATION.md §4)
      {"expert", 0.10, 5.0},          {"good", 0.50, 1.0},           {"sloppy", 0.20, 1.0},
      {"uniform_spammer", 0.10, 1.0}, {"biased_spammer", 0.05, 1.0}, {"adversarial", 0.05, 1.0}};
  double expert_answer_cap = 0.10;     // experts give at most this share of all answers
  int gold_items = 200;                // G, mixed in at gold_rate
  double gold_rate = 0.05;
  int window = 2000;                   // W: the refit window of answers
  int refit_every = 500;
  double min_worker_accuracy = 0.6;    // adaptive policies ask only workers estimated at least this good
  int max_answers = 7;                 // B_max
  double max_cost = 10;                // C_max
  std::vector<double> thresholds{0.95};  // tau; the first is the headline
  std::vector<std::string> policies{"mv3", "mv5", "ds3", "ds5", "model_only", "adaptive", "escalating"};
};

struct SpecResult {
  std::optional<Spec> spec;
  std::vector<std::string> errors;  // "file:line:column: error: path: ..." lines
};
TANDEM_API SpecResult read_spec(const std::filesystem::path& file);
// Parses YAML text as read_spec does; `file_name` is used in errors.
TANDEM_API SpecResult parse_spec(const std::string& text, const std::string& file_name);

// A figure over the seeds: the mean and a 95% interval (mean +- 1.96 sd / sqrt(R)).
struct Figure {
  double mean = 0;
  double low = 0;
  double high = 0;
};

struct PolicyReport {
  std::string policy;
  double threshold = 0;          // tau (baselines: the headline tau, unused by them)
  Figure accuracy;               // final labels vs truth, non-gold items
  Figure answers_per_item;
  Figure cost_per_item;
  Figure auto_accept_share;      // items accepted on the model's word (confident, not audited)
  Figure auto_accept_accuracy;
  Figure routed_accuracy;        // items with at least one answer
  Figure unresolved_share;       // stopped by budget below tau
  Figure ece;                    // of the final posterior, 15 bins
  Figure confident_accuracy;     // accuracy among items whose final posterior is >= tau
  std::vector<double> answers_histogram;  // share of items with 0 .. max_answers answers (mean over seeds)
};

struct Report {
  std::vector<PolicyReport> policies;
  Figure model_accuracy;          // argmax of the model's probabilities
  Figure model_ece;               // of the reported (tempered) model probabilities, 15 bins
  Figure temperature;             // the calibrated T
  std::vector<std::string> notes;  // what was left out and why (e.g. DS baselines without an aggregator)
};

// Runs every policy of the spec on every seed. `dawid_skene` fits the DS baselines (DS-3 / DS-5) and the
// adaptive policies' periodic worker refit; nullptr leaves the DS baselines out (with a note) and the
// adaptive policies use their incremental estimates only.
TANDEM_API Report run(const Spec& spec, sdk::Aggregator* dawid_skene);

}  // namespace tandem::sim

#endif  // TANDEM_SIMULATION_HPP_
