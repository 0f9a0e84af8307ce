// tandem — the worker registry of a case store, for operators: load a roster, list workers with their
// standing per variable and their estimated accuracy, split a variable's answers by a worker attribute
// (chi-square), report the delivered quality of a variable, refit the workers' confusion matrices.
// What `tandem workers` runs; the formats and formulas are in docs/workers.md.
//
//   auto rows = tandem::workers::list("cases.db");          // errors: sdk::Status naming the file
//   auto report = tandem::workers::group_report("cases.db", "time[*].polarity", "locale");
//
// Thread-safety: each call opens the store, does its work in one snapshot or one transaction, and closes
// it; calls may run concurrently (the store serialises writers).
// Ownership: results are plain values; refit borrows the aggregator for the call.
#ifndef TANDEM_WORKERS_HPP_
#define TANDEM_WORKERS_HPP_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/aggregator.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem::workers {

struct Standing {
  std::string variable;    // a name or a family ("time[*].polarity")
  std::string state;       // tutorial | quiz | qualified | revoked
  std::string reason;      // why it was revoked
  int quiz_correct = 0;
  int quiz_total = 0;
};

struct WorkerSummary {
  std::string id;
  std::string backend;
  std::string name;
  std::vector<std::string> languages;
  std::string locale;
  std::vector<std::string> skills;
  std::vector<std::string> tags;      // without the tier tag
  int tier = 0;
  double cost = 0;
  bool active = true;
  std::vector<Standing> standings;    // by variable
  std::int64_t answers = 0;           // every answer given
  int scored = 0;                     // answers scored (gold, or on an accepted task)
  double right = 0;                   // their weight of right
  double accuracy = 0;                // Beta posterior mean over every variable (prior 2 right, 1 wrong)
  double low = 0, high = 0;           // its 90% credible interval
};

struct Interval {
  double low = 0;
  double high = 0;
};

struct GroupRow {
  std::string group;                 // the attribute's value ("pt_BR"; "(none)" when the worker has none)
  std::int64_t workers = 0;
  std::vector<std::int64_t> counts;  // per GroupReport::values
  std::int64_t total = 0;
  double chi_square = 0;             // this group against all the others (2 × values table)
  int df = 0;
  double p_value = 1;
  bool flagged = false;              // p_value < GroupReport::alpha
};

struct GroupReport {
  std::string variable;
  std::string attribute;
  std::vector<std::string> values;   // the answer values, sorted; "(other)" for free text
  std::vector<GroupRow> groups;      // sorted by group
  double chi_square = 0;             // Pearson's, groups × values
  int df = 0;                        // (groups − 1)(values − 1), empty rows and columns left out
  double p_value = 1;                // 1 when df == 0
  double alpha = 0.01;
};

struct DeliveredQuality {
  std::string variable;
  // Delivered values: accepted tasks (not gold) with at least one answer about the variable.
  std::int64_t delivered = 0;
  // The mean of the accepted posteriors' top probability.
  double estimated_accuracy = 0;
  // Wilson on the gold checks when there are any ("wilson_gold"), otherwise the normal interval of a sum of
  // independent Bernoulli(p_i) ("posterior"); "none" when nothing was delivered.
  Interval interval;
  std::string interval_method;
  // Gold questions the crowd answered: the most frequent answer (ties: the earliest) against the truth.
  std::int64_t gold_checked = 0;
  std::int64_t gold_right = 0;
  double gold_accuracy = 0;
  Interval gold_interval;
  std::int64_t gold_answers = 0;      // single answers to gold questions
  std::int64_t gold_answers_right = 0;
};

struct RefitSummary {
  std::string variable;
  std::int64_t answers = 0;           // answers in the window that were used
  std::int64_t tasks = 0;
  std::int64_t models = 0;            // worker models written
  std::size_t iterations = 0;
  bool converged = true;
};

// Every call opens an existing store (a missing file is not_found: "store FILE: ...").
TANDEM_API sdk::Result<std::vector<WorkerSummary>> list(const std::filesystem::path& store);
// Creates the store when missing; adds or replaces every worker of the roster in one transaction.
// invalid_input with one "file:line:column: error: ..." line per problem (joined by "\n") for a bad roster.
TANDEM_API sdk::Result<std::size_t> load_roster(const std::filesystem::path& store,
                                                const std::filesystem::path& roster);
// The attribute's value for a worker ("(none)" when empty); nullopt for an unknown attribute. Attributes:
// backend, locale, languages, skills, tags, tier, tag:NAME, skill:NAME, language:NAME.
TANDEM_API std::optional<std::string> group_of(const WorkerSummary& worker, std::string_view attribute);
TANDEM_API const std::vector<std::string>& attributes();
TANDEM_API sdk::Result<GroupReport> group_report(const std::filesystem::path& store, std::string_view variable,
                                                 std::string_view attribute);
TANDEM_API sdk::Result<DeliveredQuality> delivered_quality(const std::filesystem::path& store,
                                                           std::string_view variable);
// Refits the confusion matrices of `variable` from the answers of the last `window` before `now`.
TANDEM_API sdk::Result<RefitSummary> refit(const std::filesystem::path& store, std::string_view variable,
                                           sdk::Aggregator& aggregator, std::chrono::sys_seconds now,
                                           std::chrono::seconds window);

// ---- qualification, as a worker takes it (`tandem qualify`) --------------------------------------------

struct QuestionView {
  std::string id;
  std::string snippet;
  std::string highlight;               // words of the snippet the question is about; "" for none
  std::vector<std::string> options;
};
struct QualificationView {
  std::string variable;                // the family it qualifies for: "time[*].polarity"
  std::string instructions;
  double pass_mark = 0;
  std::vector<QuestionView> tutorial;  // answers get feedback
  std::vector<QuestionView> quiz;      // no feedback; the answers are the worker's, never shown
};
struct TutorialAnswer {
  bool correct = false;
  std::string answer;                  // the right one
  std::string feedback;                // "Right: ..." / "Not quite — the answer is \"negative\": ..."
};
struct QuizOutcome {
  int correct = 0;
  int total = 0;
  double score = 0;
  double pass_mark = 0;
  bool passed = false;
};

// One worker taking one qualification: the tutorial (start_tutorial, then answer_tutorial per question),
// then the quiz (start_quiz, submit_quiz with every answer). Every step is one transaction on the store,
// so a session may stop anywhere and a later one carries on from the standing.
class TANDEM_API QualificationSession {
 public:
  // Opens an existing store and reads the qualification file (invalid_input: its "file:line:column:
  // error: ..." lines joined by "\n"); not_found when the worker is not in the registry.
  static sdk::Result<std::unique_ptr<QualificationSession>> open(const std::filesystem::path& store,
                                                                 const std::filesystem::path& qualification,
                                                                 std::string_view worker);
  ~QualificationSession();
  QualificationSession(const QualificationSession&) = delete;
  QualificationSession& operator=(const QualificationSession&) = delete;

  const QualificationView& qualification() const noexcept;
  // The worker's standing on the family: "" (none yet), tutorial, quiz, qualified, revoked; with the
  // reason when revoked.
  sdk::Result<Standing> standing();
  sdk::Status start_tutorial();
  sdk::Result<TutorialAnswer> answer_tutorial(std::string_view question_id, std::string_view value);
  sdk::Status start_quiz();
  sdk::Result<QuizOutcome> submit_quiz(const std::map<std::string, std::string>& answers);

 private:
  struct Impl;
  explicit QualificationSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::workers

#endif  // TANDEM_WORKERS_HPP_
