// Internal: the durable store of the human-in-the-loop part — cases waiting for people, their tasks,
// the answers, the workers (registry, qualifications, skill models) and the gold questions.
//
// The rule: every state change is one transaction. A caller changes the store only inside
// `Store::transact`, whose body gets a Transaction and returns a Status: ok commits everything the body
// did, an error (or an exception) rolls all of it back. There is no other way to write, so no caller can
// leave half a state change behind. Reads outside a transaction (`Store::read` and the Store's query
// conveniences) each see one consistent snapshot.
//
// Guarantees every implementation keeps (the tests in tests/unit/store/ check them on SQLite):
//   - after `transact` returns ok, the change survives a crash of the process (and, with the default
//     settings, of the machine);
//   - an answer is unique per (task, worker): a second one is refused with invalid_input, never doubled;
//   - `Transaction::claim_next` is atomic: a task is never handed out beyond its budget, however many
//     threads, Store objects or processes claim at once (SQLite: one writer at a time; PostgreSQL:
//     `SELECT ... FOR UPDATE SKIP LOCKED`, docs/store.md);
//   - a task's counters (`answers`, `cost`) and its posterior are kept by the store from its answers, so
//     they always agree with them.
//
// Times are whole seconds (sys_seconds, UTC); ids are the caller's strings (the engine makes case and
// task ids), except answers, which the store numbers (`AnswerRecord::seq`, increasing in commit order).
// Enum values are stored under their wire names (`to_string`), readable in any SQL shell.
//
// Errors are values: every failure is a Status whose message starts "store FILE: " (FILE as opened) and
// says what failed. Codes: not_found (no such case/task/worker/...), invalid_input (a refused change: a
// duplicate id or answer, a record that does not fit; also a file that is not a store), unavailable
// (busy past the timeout, disk full, I/O: retrying may work), internal (a bug, an exception in a body).
//
// Thread-safety: a Store may be used from many threads (each implementation says how it serialises);
// a Transaction/Reader is valid only inside the body it was passed to, on that thread. Calling the same
// Store from inside a body is refused (internal), never a deadlock.
// Ownership: records are plain values; the caller owns what it passes and what it gets back.
#ifndef TANDEM_ENGINE_STORE_STORE_HPP_
#define TANDEM_ENGINE_STORE_STORE_HPP_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::store {

using Seconds = std::chrono::sys_seconds;

// ---- states and their wire names -----------------------------------------------------------------

enum class CaseState {
  waiting,  // tasks are out; the case waits for people
  ready,    // every task is settled; the engine may resume it
  done,     // resumed and finished
  failed,   // stopped with an error (CaseRecord::error), retryable by the engine
};

enum class TaskKind {
  routed,  // an unsure annotation the router sent to people
  audit,   // a confident annotation audited at random
  gold,    // a gold question (GoldRecord holds its correct value); has no case
};

enum class TaskState {
  open,       // may be claimed and answered
  accepted,   // the posterior passed its threshold
  expert,     // marked for an expert (TaskRecord::expert_reason says why); claimable only by id
  exhausted,  // the budget ran out below the threshold
  cancelled,  // withdrawn (its case failed or was resolved otherwise)
};

enum class QualificationState {
  tutorial,   // reading the instructions and worked examples
  quiz,       // answering the qualification quiz
  qualified,  // may answer tasks of the variable
  revoked,    // lost access (Qualification::reason says why)
};

std::string_view to_string(CaseState s) noexcept;
std::string_view to_string(TaskKind k) noexcept;
std::string_view to_string(TaskState s) noexcept;
std::string_view to_string(QualificationState s) noexcept;
// The inverse of to_string; nullopt for an unknown name.
std::optional<CaseState> case_state_from(std::string_view name) noexcept;
std::optional<TaskKind> task_kind_from(std::string_view name) noexcept;
std::optional<TaskState> task_state_from(std::string_view name) noexcept;
std::optional<QualificationState> qualification_state_from(std::string_view name) noexcept;

// ---- records ---------------------------------------------------------------------------------------

// A message waiting for people. The store does not read `payload`: it is what the engine needs to
// resume the case (the message and its annotations, as the engine serialises them).
struct CaseRecord {
  std::string id;
  std::string message_id;  // RFC 5322 Message-ID, for logs and look-ups
  std::string thread_id;
  std::string pipeline;    // the pipeline the case runs through
  CaseState state = CaseState::waiting;
  std::string payload;
  std::string error;       // why it failed; "" otherwise
  Seconds created{};
  Seconds updated{};
  friend bool operator==(const CaseRecord&, const CaseRecord&) = default;
};

// A question about one variable plus the state of its escalation. `task` is what a backend shows
// (options, "none of these" with free text, per-variable instructions, only the snippet needed).
struct TaskRecord {
  sdk::Task task;                      // task.case_id is "" for a gold question
  TaskKind kind = TaskKind::routed;
  TaskState state = TaskState::open;
  int tier = 0;                        // escalation tier: only workers of this tier or higher get it
  int max_answers = 0;                 // budget in answers; 0: no limit
  double max_cost = 0;                 // budget in cost; 0: no limit
  int answers = 0;                     // kept by the store: answers recorded (add_task ignores it)
  double cost = 0;                     // kept by the store: their summed cost (add_task ignores it)
  sdk::Distribution prior;             // the model's distribution when the task was made
  sdk::Distribution posterior;         // after the last answer that carried one (the prior before)
  std::string expert_reason;           // why it was marked for an expert; "" unless state == expert
  Seconds updated{};
};

// A change of a task's escalation state; only the fields that are set change.
struct TaskUpdate {
  std::string task_id;
  std::optional<TaskState> state;
  std::optional<int> tier;
  std::optional<int> max_answers;       // an escalation may raise the budget
  std::optional<double> max_cost;
  std::optional<sdk::Distribution> posterior;
  std::optional<std::string> expert_reason;  // required (non-empty) when state becomes expert
  Seconds at{};                          // becomes TaskRecord::updated
};

// A change of a case's state; only the fields that are set change.
struct CaseUpdate {
  std::string case_id;
  std::optional<CaseState> state;
  std::optional<std::string> payload;
  std::optional<std::string> error;
  Seconds at{};
};

// One answer as stored. add_answer fills `seq`, `variable` and `tier` from the task.
struct AnswerRecord {
  std::int64_t seq = 0;           // the store's number for it, increasing in commit order
  sdk::Answer answer;             // task, worker, value / other_text, answered_at
  std::string variable;           // the task's variable (kept with the answer for the window queries)
  int tier = 0;                   // the task's tier when it was answered
  double cost = 0;                // what the answer cost
  sdk::Distribution posterior;    // the task's posterior after this answer; may be empty
};

// A task handed to a worker and not answered yet. A claim counts against the task's budget until it
// is answered, released, or expires.
struct Claim {
  std::string task_id;
  sdk::WorkerRef worker;
  double cost = 0;
  Seconds claimed_at{};
  Seconds expires_at{};
  friend bool operator==(const Claim&, const Claim&) = default;
};

// What a worker may be given. claim_next picks the oldest open task (created, then id) that is not a
// gold question, has tier <= `tier`, a variable in `variables` and a language in `languages` (empty
// lists: any; a task without a language matches every list), that the worker has neither answered nor
// claimed, and whose budget has room for one more claim of `cost`.
struct ClaimRequest {
  sdk::WorkerRef worker;
  std::vector<std::string> variables;
  std::vector<std::string> languages;
  int tier = 0;
  double cost = 0;
  Seconds now{};
  std::chrono::seconds lease{std::chrono::minutes(30)};
};

// A worker in the registry, with the attributes tasks are targeted by.
struct WorkerRecord {
  sdk::WorkerRef ref;
  std::string name;
  std::vector<std::string> languages;  // ISO 639-1 codes
  std::string locale;                  // ICU id
  std::vector<std::string> skills;
  std::vector<std::string> tags;       // free-form, for targeting
  double cost_per_answer = 0;
  bool active = true;
  Seconds created{};
  friend bool operator==(const WorkerRecord&, const WorkerRecord&) = default;
};

// Which workers find_workers returns: every condition set must hold ("" = any).
struct WorkerQuery {
  std::string backend;
  std::string language;
  std::string locale;
  std::string skill;
  std::string tag;
  bool active_only = true;
};

// A worker's standing on one variable.
struct Qualification {
  std::string worker_id;
  std::string variable;
  QualificationState state = QualificationState::tutorial;
  std::string reason;      // required when revoked ("gold accuracy 0.41 < 0.70 over 20 answers")
  int quiz_correct = 0;
  int quiz_total = 0;
  Seconds changed_at{};
  friend bool operator==(const Qualification&, const Qualification&) = default;
};

// A worker's skill on one variable: the confusion matrix an aggregator fitted (sdk::WorkerModel: K
// labels, K×K row-major, the weight of the answers that counted) and when it was fitted.
struct WorkerModelRecord {
  std::string variable;
  sdk::WorkerModel model;   // model.worker is the worker id
  Seconds fitted_at{};
};

// The correct value of a gold question; the question itself is a task of kind gold.
struct GoldRecord {
  std::string task_id;
  std::string variable;     // filled by add_gold from the task
  std::string correct;      // one of the task's options, or the free text when it is none of them
  std::string explanation;  // shown to the worker after a wrong answer
  friend bool operator==(const GoldRecord&, const GoldRecord&) = default;
};

// Sizes for reports.
struct StoreCounts {
  std::map<CaseState, std::int64_t> cases;   // every state present, 0 when none
  std::map<TaskState, std::int64_t> tasks;
  std::int64_t answers = 0;
  std::int64_t claims = 0;
  std::int64_t workers = 0;
  std::int64_t gold = 0;
  friend bool operator==(const StoreCounts&, const StoreCounts&) = default;
};

// ---- the interface ---------------------------------------------------------------------------------

// Queries; inside a Reader every query sees the same snapshot. Lists are ordered as each says.
class Reader {
 public:
  virtual ~Reader() = default;

  virtual sdk::Result<CaseRecord> get_case(std::string_view case_id) = 0;
  // Ordered by created, then id.
  virtual sdk::Result<std::vector<CaseRecord>> cases_in_state(CaseState state) = 0;

  virtual sdk::Result<TaskRecord> get_task(std::string_view task_id) = 0;
  // Ordered by created, then id (also for the two below).
  virtual sdk::Result<std::vector<TaskRecord>> tasks_of_case(std::string_view case_id) = 0;
  // Open tasks of a variable ("" = of every variable), gold questions excluded.
  virtual sdk::Result<std::vector<TaskRecord>> open_tasks(std::string_view variable) = 0;
  // Live claims (expires_at > now) of a task, ordered by claimed_at, then worker.
  virtual sdk::Result<std::vector<Claim>> claims_of_task(std::string_view task_id, Seconds now) = 0;

  // Ordered by seq.
  virtual sdk::Result<std::vector<AnswerRecord>> answers_of_task(std::string_view task_id) = 0;
  // Answers about `variable` with from <= answered_at < to (the sliding window of a skill refit),
  // ordered by answered_at, then seq.
  virtual sdk::Result<std::vector<AnswerRecord>> answers_in_window(std::string_view variable, Seconds from,
                                                                   Seconds to) = 0;
  // A worker's answers about `variable` ("" = every variable), ordered by seq.
  virtual sdk::Result<std::vector<AnswerRecord>> answers_of_worker(std::string_view worker_id,
                                                                   std::string_view variable) = 0;

  virtual sdk::Result<WorkerRecord> get_worker(std::string_view worker_id) = 0;
  // Ordered by id.
  virtual sdk::Result<std::vector<WorkerRecord>> find_workers(const WorkerQuery& query) = 0;
  // not_found when the worker has no standing on the variable yet.
  virtual sdk::Result<Qualification> qualification(std::string_view worker_id, std::string_view variable) = 0;
  // Ordered by variable.
  virtual sdk::Result<std::vector<Qualification>> qualifications_of(std::string_view worker_id) = 0;
  // Workers with state `state` on `variable`, ordered by worker id.
  virtual sdk::Result<std::vector<Qualification>> qualified_on(std::string_view variable,
                                                               QualificationState state) = 0;

  virtual sdk::Result<WorkerModelRecord> worker_model(std::string_view worker_id, std::string_view variable) = 0;
  // Ordered by worker id.
  virtual sdk::Result<std::vector<WorkerModelRecord>> worker_models(std::string_view variable) = 0;

  virtual sdk::Result<GoldRecord> gold(std::string_view task_id) = 0;
  // Ordered by task id.
  virtual sdk::Result<std::vector<GoldRecord>> gold_of_variable(std::string_view variable) = 0;

  virtual sdk::Result<StoreCounts> counts() = 0;
};

// Queries plus every write. Each write is checked before it changes anything; a refused write returns
// its error and leaves the transaction usable (the body decides whether to carry on or give up), but
// the usual body returns the first error, which rolls back everything.
class Transaction : public Reader {
 public:
  // invalid_input: the id exists already, or the id is empty.
  virtual sdk::Status add_case(const CaseRecord& record) = 0;
  // not_found: no such case.
  virtual sdk::Status update_case(const CaseUpdate& update) = 0;

  // invalid_input: the id exists, no options, a gold question with a case or another task without one,
  // a highlight outside the snippet. not_found: the case does not exist. `answers` and `cost` start at 0
  // whatever the record says; an empty posterior starts as the prior.
  virtual sdk::Status add_task(const TaskRecord& record) = 0;
  // not_found: no such task; invalid_input: state expert without a reason, a negative budget or tier.
  virtual sdk::Status update_task(const TaskUpdate& update) = 0;

  // Claims the next task for request.worker (see ClaimRequest); nullopt when none is free. Expired
  // claims are released first.
  virtual sdk::Result<std::optional<TaskRecord>> claim_next(const ClaimRequest& request) = 0;
  // Claims one given task (a gold question, an expert's task) for request.worker; the filters of the
  // request do not apply, the budget and the state (open or expert) do. not_found: no such task;
  // invalid_input: already answered or claimed by that worker, or the task is settled;
  // unavailable: its budget is taken by live claims (may free up later).
  virtual sdk::Result<TaskRecord> claim_task(std::string_view task_id, const ClaimRequest& request) = 0;
  // Unknown claims are not an error (a claim may have expired and been released).
  virtual sdk::Status release_claim(std::string_view task_id, std::string_view worker_id) = 0;
  // Releases every claim with expires_at <= now; returns how many.
  virtual sdk::Result<std::int64_t> release_expired_claims(Seconds now) = 0;

  // Records an answer: refuses a second answer of the same worker to the same task (invalid_input,
  // "task T already has an answer from worker W"), refuses an unknown task (not_found) and a value that
  // is neither an option nor "" with other_text on a task that allows other (invalid_input). Adds 1 and
  // the cost to the task's counters, makes a non-empty `posterior` the task's posterior, drops the
  // worker's claim on it. Returns the record as stored (seq, variable, tier filled). An answer to a
  // settled task is still recorded (a late answer still measures its worker); the caller decides what
  // it changes.
  virtual sdk::Result<AnswerRecord> add_answer(const AnswerRecord& record) = 0;

  // Inserts or replaces the worker (and its attributes). invalid_input: an empty id.
  virtual sdk::Status put_worker(const WorkerRecord& record) = 0;
  // Inserts or replaces the standing. not_found: unknown worker; invalid_input: revoked without reason.
  virtual sdk::Status set_qualification(const Qualification& record) = 0;
  // Inserts or replaces the model of (model.worker, variable). invalid_input: no labels, a matrix that
  // is not K×K, or a row that is not a distribution (finite, >= 0, sums to 1 within 1e-6).
  virtual sdk::Status put_worker_model(const WorkerModelRecord& record) = 0;
  // not_found: no such task; invalid_input: the task is not of kind gold, or has a gold record already.
  virtual sdk::Status add_gold(const GoldRecord& record) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `body` in one transaction: commits when it returns ok, rolls back when it returns an error
  // (which is returned unchanged) or throws (internal, "store FILE: transaction aborted: what").
  // A failed commit is returned as such, and nothing of the body stays. The body must keep its side
  // effects inside the transaction: an implementation may run it again after a conflict it could not
  // wait out (SQLite never does; see docs/store.md).
  virtual sdk::Status transact(const std::function<sdk::Status(Transaction&)>& body) noexcept = 0;
  // Runs `body` on one consistent read snapshot; nothing can be written.
  virtual sdk::Status read(const std::function<sdk::Status(Reader&)>& body) noexcept = 0;

  // Where the data lives, as used in error messages ("store.db", "postgresql://host/db").
  virtual const std::string& location() const noexcept = 0;

  // ---- conveniences: one call, one snapshot or one transaction --------------------------------------

  template <typename T, typename F>
  sdk::Result<T> query(F&& f) noexcept {
    std::optional<sdk::Result<T>> out;
    const sdk::Status s = read([&](Reader& r) {
      out.emplace(f(r));
      return out->status();
    });
    if (!s.is_ok()) return s;
    return std::move(*out);
  }

  sdk::Result<CaseRecord> get_case(std::string_view id) noexcept {
    return query<CaseRecord>([&](Reader& r) { return r.get_case(id); });
  }
  sdk::Result<std::vector<CaseRecord>> cases_waiting() noexcept {
    return query<std::vector<CaseRecord>>([&](Reader& r) { return r.cases_in_state(CaseState::waiting); });
  }
  sdk::Result<TaskRecord> get_task(std::string_view id) noexcept {
    return query<TaskRecord>([&](Reader& r) { return r.get_task(id); });
  }
  sdk::Result<std::vector<AnswerRecord>> answers_of_task(std::string_view id) noexcept {
    return query<std::vector<AnswerRecord>>([&](Reader& r) { return r.answers_of_task(id); });
  }
  sdk::Result<StoreCounts> counts() noexcept {
    return query<StoreCounts>([&](Reader& r) { return r.counts(); });
  }

  // claim_next in a transaction of its own.
  sdk::Result<std::optional<TaskRecord>> claim_next(const ClaimRequest& request) noexcept;
  // The usual answering step as one transaction: add_answer, then (when given) update_task. Returns
  // the stored answer; on any error nothing of it stays.
  sdk::Result<AnswerRecord> record_answer(const AnswerRecord& answer,
                                          const std::optional<TaskUpdate>& task_update) noexcept;
};

}  // namespace tandem::store

#endif  // TANDEM_ENGINE_STORE_STORE_HPP_
