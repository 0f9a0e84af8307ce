// Shared machinery of the built-in truth-inference aggregators (Dawid–Skene, one-coin Dawid–Skene, MACE):
// the problem as dense integer ids over flat arrays, soft majority vote, the EM loop, and the output.
//
// This folder is not a plugin: its sources are compiled into each aggregator plugin that uses them, so
// every plugin stays one shared library that sees only the SDK.
//
// Ids: items, workers and labels are numbered in the order they first appear (labels: the problem's
// own list first when it has one; the model, as a worker, after the people). Answers are grouped by item
// (CSR: item i's answers are [begin[i], begin[i+1])) and keep their input order within an item, so every
// sum is taken in one fixed order and results do not depend on hashing or threads.
//
// Thread-safety: plain functions over values; a Dense is read-only once prepared. Ownership: a Dense
// holds string_views into the AggregationProblem (and the options) it was prepared from, which must
// outlive it.
#ifndef TANDEM_PLUGINS_COMMON_TRUTH_INFERENCE_HPP_
#define TANDEM_PLUGINS_COMMON_TRUTH_INFERENCE_HPP_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins::crowd {

// At most this many cells in one table (posteriors items × K, a confusion table workers × K × K):
// 2^26 doubles, 512 MiB. A larger problem is refused with invalid_input rather than exhausting memory.
inline constexpr std::size_t kMaxCells = std::size_t{1} << 26;

struct PrepareOptions {
  bool model_as_worker = true;     // the model's distribution per item counts as one more worker's soft answer
  double model_weight = 1.0;       // how many answers the model's distribution for an item is worth
  std::string model_worker = "model";  // the model's worker id (a vote with this worker id is the model's too)
  std::size_t max_labels = 256;    // more labels: invalid_input
};

// The votes as dense ids, grouped by item.
struct Dense {
  std::vector<std::string_view> items;
  std::vector<std::string_view> workers;
  std::vector<std::string_view> labels;
  std::vector<std::uint32_t> begin;   // items.size() + 1 offsets into the answer arrays
  std::vector<std::uint32_t> worker;  // per answer
  std::vector<std::uint32_t> label;   // per answer
  std::vector<double> weight;         // per answer: 1 for a vote, model_weight × p for a model candidate
  std::vector<double> worker_weight;  // per worker: the sum of its answers' weights
  double total_weight = 0;

  std::size_t k() const noexcept { return labels.size(); }
  std::size_t n_items() const noexcept { return items.size(); }
  std::size_t n_workers() const noexcept { return workers.size(); }
};

// Fills `out` from `problem`. Votes with no item, no worker or an empty label, votes and model
// candidates outside the problem's labels (when it lists any), and model priors that are empty or not
// finite are left out; `ignored` is then one sentence saying how many of each ("" when nothing was).
// Returns invalid_input when the problem has more than `max_labels` labels or a table would exceed
// kMaxCells (a worker's table has K^`worker_power` cells: 2 for a full confusion matrix, 1 for one row
// per worker, 0 for a scalar).
sdk::Status prepare(const sdk::AggregationProblem& problem, const PrepareOptions& options, int worker_power,
                    Dense& out, std::string& ignored);

// v.reserve(n), and asks the kernel to back the block with huge pages when it spans several of them:
// these tables are written once from start to end, and on virtual machines a 4 KiB page fault costs
// microseconds (a million answers touch tens of thousands of pages). Only a hint; harmless elsewhere.
void advise_huge_pages(const void* data, std::size_t bytes) noexcept;
template <typename T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// t[i*K + k] = the share of item i's answer weight given to label k.
void soft_majority_vote(const Dense& d, std::vector<double>& t);
// t[i*K + k] = 1 for item i's most voted label (ties share the mass equally), 0 elsewhere.
void hard_majority_vote(const Dense& d, std::vector<double>& t);

// Turns a row of log-weights into probabilities in place; returns log(sum(exp(row))).
double normalize_log_row(double* row, std::size_t k) noexcept;

// ψ(x), the digamma function, for x > 0 (recurrence to x >= 6, then the asymptotic series; |error| < 1e-12).
double digamma(double x) noexcept;

struct EmOptions {
  double tolerance = 1e-5;          // stop when |ΔLL| per unit of answer weight is below this
  std::size_t max_iterations = 100;
};

// How EM decides it has converged.
enum class Stopping {
  // |LL(t) − LL(t−1)| < tolerance × total answer weight, LL being the marginal log-likelihood of the
  // answers that E-step t computes: the textbook rule (EM never lowers it).
  log_likelihood,
  // crowd-kit 1.x's rule (DawidSkene.fit): after E-step t and M-step t, the model's "ELBO" per unit of
  // answer weight — Σ_answers Σ_k p_ik (log P(answer | k) + log π_k) + Σ_items H(p_i), the class prior
  // counted once per answer, not once per item — must rise by at least `tolerance`, else EM stops. That
  // quantity is not monotone under EM, so it stops early on some sets, which acts as a regulariser.
  answer_elbo,
};

// The EM loop shared by the methods. `Model` provides
//   void m_step(const Dense&, const std::vector<double>& t);   // parameters from the posteriors
//   double e_step(const Dense&, std::vector<double>& t);       // posteriors from the parameters; returns the LL
// and, for Stopping::answer_elbo, double per_answer_objective(const Dense&, const std::vector<double>& t).
// Starting from the posteriors in `t`: M, then E, M, E, ... until the stopping rule holds or
// max_iterations E-steps ran. With Stopping::log_likelihood the parameters left in `model` are the ones
// the final E-step used, so posteriors, worker models and LL agree; with Stopping::answer_elbo they are
// the M-step's after the final E-step, as crowd-kit leaves them.
template <typename Model>
void run_em(const Dense& d, Model& model, const EmOptions& options, std::vector<double>& t, sdk::AggregationResult& out,
            Stopping stopping = Stopping::log_likelihood) {
  out.iterations = 0;
  out.converged = false;
  out.log_likelihood = std::numeric_limits<double>::quiet_NaN();
  if (d.n_items() == 0) {
    out.converged = true;
    return;
  }
  model.m_step(d, t);
  double previous = -std::numeric_limits<double>::infinity();
  const double threshold = options.tolerance * d.total_weight;
  for (std::size_t it = 1; it <= options.max_iterations; ++it) {
    const double ll = model.e_step(d, t);
    out.iterations = it;
    out.log_likelihood = ll;
    if constexpr (requires { model.per_answer_objective(d, t); }) {
      if (stopping == Stopping::answer_elbo) {
        model.m_step(d, t);
        const double objective = model.per_answer_objective(d, t);
        if (objective - previous < options.tolerance) {
          out.converged = true;
          return;
        }
        previous = objective;
        continue;
      }
    }
    if (std::abs(ll - previous) < threshold) {
      out.converged = true;
      return;
    }
    previous = ll;
    if (it == options.max_iterations) return;
    model.m_step(d, t);
  }
}

// Appends one posterior per item (labels with p > 0), in item order.
void append_posteriors(const Dense& d, const std::vector<double>& t, std::vector<sdk::Posterior>& out);

// Appends a worker model; `confusion` is K×K row-major, rows = truth; each row is renormalised.
void append_worker_model(const Dense& d, std::size_t worker, std::vector<double> confusion,
                         std::vector<sdk::WorkerModel>& out);

// The schema properties every truth-inference aggregator shares (JSON members, no braces), for each
// plugin's schema to embed; read_common_config reads them.
#define TANDEM_CROWD_COMMON_SCHEMA_PROPERTIES \
  "\"tolerance\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 1, \"default\": 1e-5, \"description\": \"EM stops when its objective (the log-likelihood, or what `stopping` names) changes by less than this per unit of answer weight between two iterations.\"}," \
  "\"max_iterations\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 100000, \"default\": 100, \"description\": \"EM stops after this many iterations even if it has not converged (the result says so).\"}," \
  "\"init\": {\"enum\": [\"soft_majority_vote\", \"majority_vote\"], \"default\": \"soft_majority_vote\", \"description\": \"Where EM starts: each label's share of the votes per item, or all mass on the most voted label (ties share it).\"}," \
  "\"model_as_worker\": {\"type\": \"boolean\", \"default\": true, \"description\": \"Count the model's distribution per item as one more worker's soft answer, with its own learned skill.\"}," \
  "\"model_weight\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 100, \"default\": 1, \"description\": \"How many answers the model's distribution for an item is worth when it counts as a worker.\"}," \
  "\"model_worker\": {\"type\": \"string\", \"minLength\": 1, \"default\": \"model\", \"description\": \"The worker id the model's answers and skill go under.\"}," \
  "\"max_labels\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 65536, \"default\": 256, \"description\": \"A problem with more labels than this is refused (invalid input) rather than run.\"}"

struct CommonConfig {
  EmOptions em;
  PrepareOptions prepare;
  bool hard_init = false;
};
CommonConfig read_common_config(const sdk::ConfigNode& c);

// The ignored-votes warning, logged through the host's logger when `ignored` is not empty.
void log_ignored(sdk::Services& services, const std::string& instance, const std::string& ignored);

}  // namespace tandem::plugins::crowd

#endif  // TANDEM_PLUGINS_COMMON_TRUTH_INFERENCE_HPP_
