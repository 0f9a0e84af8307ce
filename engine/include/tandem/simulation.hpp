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
  std::vector<std::string> policies{"mv3",      "mv5",        "ds3", "ds5",         "model_only",
                                    "adaptive", "escalating", "voi", "model_worker"};
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

// What a policy's worker estimates (gold, incremental updates, refits) know of one worker type at the end
// of a run, and how fast they excluded the bad ones (SIMULATION.md §6, worker-model quality).
struct WorkerTypeReport {
  std::string type;               // a WorkerType name
  int workers = 0;                // of this type in the pool
  Figure diag_error;              // mean |estimated - true| diagonal cell of C_w, over the type's workers and classes
  Figure diag_error_effective;    // the same against (1 - mean difficulty) * C_w + mean difficulty / K, the matrix
                                  // the answers actually come from on average (what an estimate can learn)
  Figure excluded_share;          // estimated accuracy below min_worker_accuracy at the end
  Figure answers_before_exclusion;  // of the excluded: answers (gold included) given when they were excluded
  Figure answers_per_worker;      // answers given (gold included), all of the type
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
  Figure unresolved_accuracy;
  Figure nobody_left_share;      // stopped because no eligible worker was left to ask (every non-expert asked
                                 // or estimated below min_worker_accuracy); below tau these are unresolved too
  Figure expert_answer_share;    // of all answers on (non-gold) items, the experts'; undefined without answers
  Figure ece;                    // of the final posterior, 15 bins
  Figure confident_accuracy;     // accuracy among items whose final posterior is >= tau
  std::vector<double> answers_histogram;  // share of items with 0 .. max_answers answers (mean over seeds)
  std::vector<WorkerTypeReport> worker_types;  // adaptive policies only: one per type of the pool
};

// A point of a cost–accuracy curve (a policy at one tau).
struct CurvePoint {
  double cost = 0;
  double accuracy = 0;
};

// Where a target falls on a curve swept over tau.
enum class Reach {
  interpolated,  // between two points of the sweep (or on one): `value` is read off the line between them
  below_sweep,   // already met by the cheapest point (cost_to_reach: `value` is that point's cost, an upper
                 // bound), or the cost asked is below the cheapest point (accuracy_at: `value` is NaN)
  above_sweep,   // accuracy_at: the cost asked is beyond the costliest point; `value` is NaN
  not_reached,   // cost_to_reach: no point of the sweep is that accurate; `value` is NaN
};

struct Crossing {
  Reach reach = Reach::not_reached;
  double value = 0;
  // The point of the sweep that bounds the answer when it is not interpolated: the cheapest (below_sweep),
  // the costliest (above_sweep), the most accurate (not_reached); else the point at or above the crossing.
  CurvePoint end;
};

// The lowest cost at which the piecewise-linear accuracy–cost curve through `curve` (any order; sorted by
// cost here) reaches `accuracy`.
TANDEM_API Crossing cost_to_reach(std::vector<CurvePoint> curve, double accuracy);
// The curve's accuracy at `cost` (linear between the two points around it).
TANDEM_API Crossing accuracy_at(std::vector<CurvePoint> curve, double cost);

// SIMULATION.md §6's headline numbers for one adaptive policy, read off its tau sweep.
struct Headline {
  std::string policy;
  // The cost per item at which the policy's accuracy matches MV-5's: on the curve of the means over seeds
  // (`on_means`, target the mean MV-5 accuracy), and over seeds (each seed's curve against that seed's MV-5;
  // a Figure only when every seed interpolates, else NaN).
  Crossing cost_at_mv5_accuracy;
  Figure cost_at_mv5_accuracy_seeds;
  // The policy's accuracy at MV-3's cost per item, likewise.
  Crossing accuracy_at_mv3_cost;
  Figure accuracy_at_mv3_cost_seeds;
};

struct Report {
  std::vector<PolicyReport> policies;
  Figure model_accuracy;          // argmax of the model's probabilities
  Figure model_ece;               // of the reported (tempered) model probabilities, 15 bins
  Figure temperature;             // the calibrated T
  std::vector<Headline> headlines;  // every adaptive policy, when mv3 and mv5 ran too
  std::vector<std::string> notes;  // what was left out and why (e.g. DS baselines without an aggregator)
};

// Runs every policy of the spec on every seed. `dawid_skene` fits the DS baselines (DS-3 / DS-5) and the
// adaptive policies' periodic worker refit; nullptr leaves the DS baselines out (with a note) and the
// adaptive policies use their incremental estimates only.
TANDEM_API Report run(const Spec& spec, sdk::Aggregator* dawid_skene);

}  // namespace tandem::sim

#endif  // TANDEM_SIMULATION_HPP_
