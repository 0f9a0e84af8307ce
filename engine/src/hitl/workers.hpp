// Internal: the worker side of the human-in-the-loop part, over the durable store (store/store.hpp):
//   - the roster: workers and their attributes from a YAML file (docs/workers.md), file:line:column errors;
//   - qualification per variable, defined in YAML: a tutorial (each answer gets feedback), then a quiz (no
//     feedback, a pass mark); only a qualified worker is eligible for the variable's tasks;
//   - gold mixing: a seeded, reproducible draw of whether a worker's next task is a gold question;
//   - scoring: a gold answer exactly, any other answer by the posterior of its task once accepted; after
//     every scored answer the worker's accuracy on the variable gets a Beta posterior, and the worker is
//     revoked when its upper credible bound is below the variable's bar (the evidence says "below");
//   - skill: the cheap incremental update of a worker's confusion matrix after one answer, and the refit
//     of every worker's matrix over a sliding window through an aggregator (Dawid–Skene).
//
// Variables and families: a qualification file names a family, "time[*].polarity", which covers
// time[0].polarity, time[1].polarity, ... Standings, evidence and worker models are kept under the family
// (variable_family), so one quiz qualifies a worker for every time expression of a message.
//
// Thread-safety: a WorkerRegistry holds only its definitions and a reference to the store; the store
// serialises writes. Define every variable before sharing the registry between threads.
// Ownership: the registry borrows the store, which must outlive it.
#ifndef TANDEM_ENGINE_HITL_WORKERS_HPP_
#define TANDEM_ENGINE_HITL_WORKERS_HPP_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "tandem/sdk/aggregator.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/workers.hpp"

namespace tandem::hitl {

// ---- variables ---------------------------------------------------------------------------------------

// "time[2].polarity" -> "time[*].polarity": every index in brackets becomes "*". A name without indices
// is its own family.
std::string variable_family(std::string_view variable);
// True when `variable` is `name`, or belongs to the family `name`.
bool variable_matches(std::string_view name, std::string_view variable);

// ---- the roster ---------------------------------------------------------------------------------------

// The store's WorkerRecord has no tier field: the roster's `tier` is kept as the tag "tier:N" (one per
// worker, written by the roster reader). 0 when absent.
int worker_tier(const store::WorkerRecord& worker);

struct RosterResult {
  std::vector<store::WorkerRecord> workers;  // in file order
  std::vector<std::string> errors;           // "file:line:column: error: path: ..." lines, sorted
};
RosterResult parse_roster(const std::string& text, const std::string& file_name, store::Seconds now);
RosterResult read_roster(const std::filesystem::path& file, store::Seconds now);

// ---- qualification --------------------------------------------------------------------------------------

struct QualificationQuestion {
  std::string id;
  std::string snippet;
  std::string highlight;               // the words asked about, "" for none
  std::vector<std::string> options;
  std::string answer;                  // one of options
  std::string feedback;                // tutorial only: shown after any answer
};

// Revocation of a variable: revoke when the `credible` quantile of Beta(right + prior_right,
// wrong + prior_wrong) is below `bar`, i.e. when P(accuracy >= bar | evidence) < 1 - credible.
struct RevocationRule {
  double bar = 0.6;
  double credible = 0.95;
  double prior_right = 2;
  double prior_wrong = 1;
};

struct QualificationSpec {
  std::string variable;                // a name or a family: "time[*].polarity"
  std::string instructions;
  double pass_mark = 0.8;              // share of quiz questions right to qualify
  double gold_rate = 0.05;             // share of a worker's tasks that are gold questions
  RevocationRule revocation;
  std::vector<QualificationQuestion> tutorial;
  std::vector<QualificationQuestion> quiz;
  // Gold questions (gold.questions): mixed into a qualified worker's tasks at gold_rate; `feedback` holds
  // the explanation shown after a wrong answer. install_gold writes them into the store.
  std::vector<QualificationQuestion> gold;
};

struct QualificationSpecResult {
  std::optional<QualificationSpec> spec;
  std::vector<std::string> errors;     // file:line:column lines, sorted
};
QualificationSpecResult parse_qualification(const std::string& text, const std::string& file_name);
QualificationSpecResult read_qualification(const std::filesystem::path& file);

struct TutorialFeedback {
  bool correct = false;
  std::string answer;                  // the right answer
  std::string feedback;                // "Right: ..." / "Not quite — the answer is \"negative\": ..."
};

struct QuizResult {
  int correct = 0;
  int total = 0;
  double score = 0;                    // correct / total
  double pass_mark = 0;
  bool passed = false;
};

// ---- evidence and scoring --------------------------------------------------------------------------------

// What a worker's answers say of its accuracy on a variable.
struct Evidence {
  int answers = 0;                     // answers that were scored (gold, or on an accepted task)
  int gold = 0;                        // of which gold questions
  double right = 0;                    // gold: 1 or 0; others: the accepted posterior of the answer given
  double wrong = 0;
  double mean = 0;                     // of the Beta posterior
  double low = 0;                      // its (1 - credible) quantile
  double high = 0;                     // its credible quantile: the bound revocation compares with the bar
};
// The Beta posterior of `right`, `wrong` under `rule`.
Evidence posterior_bounds(double right, double wrong, const RevocationRule& rule);

struct ScoredAnswer {
  store::AnswerRecord answer;          // as stored
  bool gold = false;
  bool correct = false;                // gold only
  std::string explanation;             // gold only, after a wrong answer
  Evidence evidence;                   // the worker's on the variable's family, after this answer
  bool revoked = false;                // revoked by this answer
  std::string reason;                  // why, when revoked
};

// ---- skill -------------------------------------------------------------------------------------------

using RefitSummary = tandem::workers::RefitSummary;

class WorkerRegistry {
 public:
  // `seed` keys the gold draws: the same seed gives the same gold schedule.
  explicit WorkerRegistry(store::Store& store, std::uint64_t seed = 1);

  // Adds the qualification of spec.variable (replacing an earlier definition of it).
  void define(QualificationSpec spec);
  // The definition covering `variable` (by family); nullptr when none.
  const QualificationSpec* definition(std::string_view variable) const;

  // Inserts or replaces every worker of the roster in one transaction (nothing when it has errors).
  // invalid_input with the error lines joined by "\n" when the file is bad.
  sdk::Result<std::size_t> load_roster(const std::filesystem::path& file, store::Seconds now);

  // The flow: start_tutorial -> answer_tutorial (any number, feedback each) -> start_quiz -> submit_quiz.
  // not_found: an unknown worker, a variable without a definition, an unknown question id;
  // invalid_input: a step out of order (a quiz before the tutorial, a revoked worker, ...).
  sdk::Status start_tutorial(std::string_view worker, std::string_view variable, store::Seconds now);
  sdk::Result<TutorialFeedback> answer_tutorial(std::string_view worker, std::string_view variable,
                                                std::string_view question_id, std::string_view value);
  sdk::Status start_quiz(std::string_view worker, std::string_view variable, store::Seconds now);
  // Scores every quiz question (an unanswered one is wrong); passed: state qualified; failed: the state
  // stays quiz with the score kept (a retake is a new submit_quiz). One transaction.
  sdk::Result<QuizResult> submit_quiz(std::string_view worker, std::string_view variable,
                                      const std::map<std::string, std::string>& answers, store::Seconds now);
  // Writes the gold questions of every definition into the store as gold tasks ("gold/<family>/<id>", the
  // family as variable, no budget) with their correct answers, in one transaction; questions already
  // there are left as they are. Returns how many were added.
  sdk::Result<std::size_t> install_gold(store::Seconds now);

  // Qualified (not revoked) on the family of `variable`, and the worker is active.
  sdk::Result<bool> is_qualified(std::string_view worker, std::string_view variable);

  // Whether task number `n` (0-based) a worker gets on a variable is a gold question, at `rate`: a pure
  // function of (seed, worker, family, n). gold_due uses the definition's rate and the number of answers
  // the worker has given on the family.
  bool gold_draw(std::string_view worker, std::string_view variable, std::int64_t n, double rate) const;
  sdk::Result<bool> gold_due(std::string_view worker, std::string_view variable);
  // A gold question of the family the worker has not answered (drawn with the same seed); nullopt
  // when none is left.
  sdk::Result<std::optional<store::TaskRecord>> pick_gold(std::string_view worker, std::string_view variable);

  // Records the answer, scores it, updates the worker's matrix incrementally and revokes the worker
  // when the evidence says so: one transaction.
  sdk::Result<ScoredAnswer> submit_answer(const store::AnswerRecord& answer, store::Seconds now);
  // The same after add_answer, inside the caller's transaction (the router's answering step).
  sdk::Result<ScoredAnswer> score_answer(store::Transaction& tx, const store::AnswerRecord& stored,
                                         store::Seconds now) const;

  // The evidence on the family of `variable` (rule: the definition's, or the default).
  sdk::Result<Evidence> evidence(std::string_view worker, std::string_view variable);

  // Refits every worker's confusion matrix on the family of `variable` from the answers with
  // now - window <= answered_at < now, through `aggregator`, and writes the models in one transaction.
  // Free-text ("none of these") answers are left out. The service calls this on a schedule.
  sdk::Result<RefitSummary> refit(std::string_view variable, sdk::Aggregator& aggregator, store::Seconds now,
                                  std::chrono::seconds window = std::chrono::hours(24 * 7));

 private:
  RevocationRule rule_for(std::string_view family) const;

  store::Store& store_;
  std::uint64_t seed_;
  std::map<std::string, QualificationSpec, std::less<>> specs_;  // by family
};

// Evidence of `worker` on the family of `variable` read in the caller's snapshot.
sdk::Result<Evidence> read_evidence(store::Reader& reader, std::string_view worker, std::string_view variable,
                                    const RevocationRule& rule);
// The answers about the family of `variable` with from <= answered_at < to, ordered by answered_at, seq.
sdk::Result<std::vector<store::AnswerRecord>> answers_of_family(store::Reader& reader, std::string_view variable,
                                                                store::Seconds from, store::Seconds to);
// The incremental update of the worker's matrix on the family after one answer whose task's posterior
// is `posterior`: the answer adds posterior(t) to count(t, answer) and the rows are renormalised
// (docs/workers.md: the stored rows weigh answers/K each). A missing model starts from the task's
// options with 0.7 on the diagonal.
sdk::Status update_worker_model(store::Transaction& tx, const store::AnswerRecord& answer,
                                const std::vector<std::string>& options, const sdk::Distribution& posterior,
                                store::Seconds now);

}  // namespace tandem::hitl

#endif  // TANDEM_ENGINE_HITL_WORKERS_HPP_
