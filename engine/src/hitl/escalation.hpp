// Internal: what happens to a task after the router made it (issue 5, steps 4 and 6): which worker is
// asked next (assignment by expected gain per unit cost, from the worker's confusion matrix), how each
// answer moves the posterior, and whether the value is then accepted, another worker is asked (a
// stronger tier after `escalate_after` answers per tier), or the task is marked for an expert with the
// reason. Every change to a task is one store transaction.
//
// The math (docs/hitl.md, "Routing in the engine"): the prior is the model's distribution over the
// task's options; an answer a multiplies each option t by L(a | t), the worker's confusion cell for
// (truth t, answer a), smoothed to (1 − ε)·C[t][a] + ε/K; an unknown worker (or a model without those
// labels) answers right with the default accuracy q and otherwise uniformly: L = q or (1 − q)/(K − 1).
// "None of these" leaves the posterior as it is.
//
// Thread-safety: the pure functions are re-entrant; the store functions serialise through the store.
// Ownership: plain values in and out; pointers given are borrowed for the call only.
#ifndef TANDEM_ENGINE_HITL_ESCALATION_HPP_
#define TANDEM_ENGINE_HITL_ESCALATION_HPP_

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitl/router.hpp"
#include "store/store.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::hitl {

struct EscalationOptions {
  double smoothing = 0.01;        // ε above
  double default_accuracy = 0.7;  // q above: an unknown worker is taken to be right 7 times in 10
  int other_answers_for_expert = 2;  // this many "none of these" answers send the task to an expert
  double min_cost = 0.01;         // a worker who costs nothing counts as costing this (gain per cost)
};

// L(answer | t) for each of `options` (same order), as above. `model` may be null (unknown worker).
std::vector<double> answer_likelihood(const std::vector<std::string>& options, std::string_view answer,
                                      const sdk::WorkerModel* model, const EscalationOptions& opts = {});

// The posterior after one answer: current(t) · L(answer | t), normalised, over `options`. An answer that
// is not an option ("none of these") returns `current` unchanged.
sdk::Distribution update_posterior(const sdk::Distribution& current, const std::vector<std::string>& options,
                                   std::string_view answer, const sdk::WorkerModel* model,
                                   const EscalationOptions& opts = {});

// One-step look-ahead: the expected drop of (1 − max posterior) if this worker answers,
// Σ_a max_t π(t)·L(a|t) − max_t π(t) over the options a (never negative).
double expected_gain(const sdk::Distribution& current, const std::vector<std::string>& options,
                     const sdk::WorkerModel* model, const EscalationOptions& opts = {});

// A worker who might be asked, with what assignment needs to know.
struct WorkerCandidate {
  store::WorkerRecord worker;             // id, attributes for targeting, cost_per_answer, active
  int tier = 0;                           // 0 = the default pool; higher = stronger (and usually dearer)
  std::optional<sdk::WorkerModel> model;  // their skill on this variable; nullopt: unknown (default model)
};

// Who to ask next, or why nobody.
struct Assignment {
  std::optional<std::size_t> chosen;  // index into the candidates
  double gain = 0;                    // expected_gain of the chosen worker
  double score = 0;                   // gain per unit cost
  bool budget_spent = false;          // nobody fits the task's remaining budget (answers or cost)
  bool pool_spent = false;            // every active worker of the tier who matches the targeting answered
  std::string reason;                 // why this worker, or why nobody
};

// Picks, among `candidates` that are active, pass `eligible` (qualification; null = everyone), meet
// `requirements`, have tier >= task.tier, are not in `asked` (answered or claimed already), and fit the
// budget (answers + live_claims < max_answers; cost + claimed_cost + their cost <= max_cost; 0 = no
// limit), the one with the highest expected_gain / max(cost, min_cost); ties: higher gain, lower tier,
// smaller id.
Assignment choose_worker(const store::TaskRecord& task, const std::vector<WorkerCandidate>& candidates,
                         const std::vector<std::string>& asked, const std::vector<Requirement>& requirements,
                         const std::function<bool(const WorkerCandidate&)>& eligible = nullptr,
                         int live_claims = 0, double claimed_cost = 0, const EscalationOptions& opts = {});

enum class Verdict {
  accept,  // the posterior reached the threshold: the top value is accepted
  ask,     // below the threshold with budget left: ask the next worker (of Decision::tier or higher)
  expert,  // out of budget, or too many "none of these": a person with authority decides
  late,    // the task was settled before this answer: recorded, changes nothing
};
std::string_view to_string(Verdict v) noexcept;

struct Decision {
  Verdict verdict = Verdict::ask;
  int tier = 0;         // the task's tier from now on
  std::string reason;   // "posterior 0.93 >= threshold 0.90 after 2 answers", "budget spent: ..."
};

// The decision after an answer. `task` carries the counters after it (answers, cost) and its tier
// before it; `other_answers` counts the "none of these" answers so far. The tier becomes
// answers / escalate_after when that is higher (escalate_after 0: never).
Decision decide(const store::TaskRecord& task, const sdk::Distribution& posterior, const VariableRoute& settings,
                int other_answers, const EscalationOptions& opts = {});

struct AnswerOutcome {
  store::AnswerRecord answer;     // as stored (seq, posterior)
  Decision decision;
  bool case_ready = false;        // the answer settled the last open task of its case
};

// The answering step, one transaction: updates the posterior with the worker's model (`model`, or when
// null the store's model of (worker, variable), then of the variable's family "time[*].value", then the
// default), stores the answer with it, decides, updates the task (state accepted / expert with the
// reason, or the new tier) and, when every task of the case is settled, marks the case ready. `then`,
// when given, runs last in the same transaction with the answer as stored and the decision (the service
// scores the worker there: WorkerRegistry::score_answer), also for a late answer; its error rolls
// everything back. On any error nothing stays.
using AfterAnswer = std::function<sdk::Status(store::Transaction&, const AnswerOutcome&)>;
sdk::Result<AnswerOutcome> record_answer(store::Store& store, const store::AnswerRecord& answer,
                                         const VariableRoute& settings, const sdk::WorkerModel* model,
                                         store::Seconds now, const EscalationOptions& opts = {},
                                         const AfterAnswer& then = nullptr);

// The asking step, one transaction: reads the task, who answered and who holds a claim, chooses with
// choose_worker and claims the task for the chosen worker (store claim_task, their cost). When nobody
// fits the remaining budget, or every worker who could be asked has answered (Assignment::pool_spent), the
// task is marked for an expert with the reason in the same transaction. The claim lasts `lease`: unanswered by then, the task is free for someone else. Returns the assignment
// (chosen indexes `candidates`).
sdk::Result<Assignment> assign_next(store::Store& store, std::string_view task_id,
                                    const std::vector<WorkerCandidate>& candidates,
                                    const std::vector<Requirement>& requirements, store::Seconds now,
                                    const std::function<bool(const WorkerCandidate&)>& eligible = nullptr,
                                    const EscalationOptions& opts = {},
                                    std::chrono::seconds lease = std::chrono::minutes(30));

}  // namespace tandem::hitl

#endif  // TANDEM_ENGINE_HITL_ESCALATION_HPP_
