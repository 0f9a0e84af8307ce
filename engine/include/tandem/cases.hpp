// tandem — the case store as an embedder (and the CLI) reaches it: after Engine::process, what the models
// were unsure of (and a seeded share of what they were sure of) becomes a case whose tasks wait for
// people, written in one transaction (docs/hitl.md "Routing in the engine", docs/store.md).
//
//   auto store = tandem::CaseStore::open("var/tandem.db");            // SQLite, created when missing
//   tandem::MessageResult r = engine->process(message);
//   auto routed = (*store)->route(engine->pipeline(), message, r);    // tasks asked, or none
//
// Thread-safety: a CaseStore may be used from many threads (the store serialises writes); several
// processes may share one file. Ownership: the CaseStore owns its connection; results are plain values.
#ifndef TANDEM_CASES_HPP_
#define TANDEM_CASES_HPP_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/engine.hpp"
#include "tandem/export.h"
#include "tandem/pipeline.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem {

// One question for people, as it waits in the store.
struct AskedTask {
  std::string id;                    // "<case id>/<variable>"
  std::string case_id;
  std::string variable;              // "time[0].polarity"
  std::string kind;                  // "routed" (below its threshold) or "audit" (confident, asked anyway)
  std::string state;                 // "open", "accepted", "expert", "exhausted", "cancelled"
  std::vector<std::string> options;  // the candidates, most probable first; "none of these" comes on top
  bool allow_other = true;
  std::string instructions;
  std::string snippet;               // the span and a bounded window of the mail, never the whole mail
  sdk::Span highlight;               // the span, as bytes of `snippet`
  double top_p = 0;                  // the model's probability of its first option
};

// What routing one message did: no tasks (and no case) when every annotation was confident and none was
// drawn for an audit.
struct RoutedMessage {
  std::string case_id;
  std::vector<AskedTask> tasks;
};

// What one answer did to its task.
struct AnswerResult {
  std::string verdict;        // "accept", "ask" (the next worker), "expert" (out of budget), "late" (settled before)
  std::string reason;         // "posterior 0.93 >= threshold 0.90 after 2 answers", ...
  std::string top_value;      // the task's most probable option after the answer
  double top_p = 0;
  int answers = 0;            // answers on the task so far
  bool case_ready = false;    // the answer settled the last open task of its case
};

// Where one task of a case stands: what people (and the model's vote) made of its variable so far.
struct TaskOutcome {
  std::string task_id;
  std::string variable;
  std::string state;     // "open", "accepted", "expert", "exhausted", "cancelled"
  std::string value;     // the posterior's top value (the model's first candidate before any answer)
  double p = 0;          // its probability
  int answers = 0;       // answers recorded
  bool settled() const noexcept { return state == "accepted"; }
};

class TANDEM_API CaseStore {
 public:
  // Opens (creating when missing) the SQLite store `file`. Errors name the file.
  static sdk::Result<std::unique_ptr<CaseStore>> open(const std::filesystem::path& file);
  ~CaseStore();
  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  // Routes a processed message by the pipeline's `route` section. A failed result is refused
  // (invalid_input): nothing of a failed message goes to people. A message whose id is already a case
  // is refused too (invalid_input), so that running the same mail twice asks nobody twice.
  sdk::Result<RoutedMessage> route(const PipelineSpec& pipeline, const sdk::Message& message,
                                   const MessageResult& result);
  // Records `worker`'s answer to `task_id` and decides, in one transaction (docs/hitl.md): the posterior
  // is updated with the worker's skill model (a default one for a worker not yet measured), then the
  // value is accepted at the variable's threshold, the next worker is asked, or an expert is called.
  // `value` must be one of the task's options; "" with `other_text` is "none of these". invalid_input
  // for an unknown task, a value that is no option, or a second answer of the same worker.
  sdk::Result<AnswerResult> answer(const PipelineSpec& pipeline, std::string_view task_id, std::string_view worker,
                                   std::string_view value, std::string_view other_text = {});
  // Whether a case of this id is in the store (a message routed before: the same mail read again).
  sdk::Result<bool> has_case(std::string_view case_id);
  // Every task of a case (audits included), oldest first; empty for an unknown case.
  sdk::Result<std::vector<TaskOutcome>> outcome(std::string_view case_id);
  // Tasks waiting for an answer, oldest first; "" for every variable.
  sdk::Result<std::vector<AskedTask>> open_tasks(std::string_view variable = {});

  const std::string& location() const noexcept;

 private:
  struct Impl;
  explicit CaseStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem

#endif  // TANDEM_CASES_HPP_
