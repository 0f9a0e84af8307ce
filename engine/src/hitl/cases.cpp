// tandem::CaseStore (tandem/cases.hpp): the public face of the router and the SQLite store.
#include "tandem/cases.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "hitl/escalation.hpp"
#include "hitl/router.hpp"
#include "store/sqlite_store.hpp"

namespace tandem {

struct CaseStore::Impl {
  std::unique_ptr<store::SqliteStore> store;
};

namespace {

AskedTask asked(const store::TaskRecord& r) {
  AskedTask t;
  t.id = r.task.id;
  t.case_id = r.task.case_id;
  t.variable = r.task.variable;
  t.kind = std::string(store::to_string(r.kind));
  t.state = std::string(store::to_string(r.state));
  t.options = r.task.options;
  t.allow_other = r.task.allow_other;
  t.instructions = r.task.instructions;
  t.snippet = r.task.snippet;
  t.highlight = r.task.highlight;
  t.top_p = r.prior.top_p();
  return t;
}

}  // namespace

CaseStore::CaseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaseStore::~CaseStore() = default;

sdk::Result<std::unique_ptr<CaseStore>> CaseStore::open(const std::filesystem::path& file) {
  auto s = store::SqliteStore::open(file);
  if (!s.is_ok()) return s.status();
  auto impl = std::make_unique<Impl>();
  impl->store = std::move(s.value());
  return std::unique_ptr<CaseStore>(new CaseStore(std::move(impl)));
}

sdk::Result<RoutedMessage> CaseStore::route(const PipelineSpec& pipeline, const sdk::Message& message,
                                            const MessageResult& result) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto plan = hitl::route_message(*impl_->store, message, result, pipeline.route, pipeline.name, now);
  if (!plan.is_ok()) return plan.status();
  RoutedMessage out;
  if (plan.value().tasks.empty()) return out;
  out.case_id = plan.value().case_record.id;
  for (const hitl::RoutedTask& t : plan.value().tasks) out.tasks.push_back(asked(t.record));
  return out;
}

sdk::Result<bool> CaseStore::has_case(std::string_view case_id) {
  auto c = impl_->store->get_case(case_id);
  if (c.is_ok()) return true;
  if (c.status().code() == sdk::Code::not_found) return false;
  return c.status();
}

sdk::Result<std::vector<TaskOutcome>> CaseStore::outcome(std::string_view case_id) {
  sdk::Result<std::vector<store::TaskRecord>> tasks = std::vector<store::TaskRecord>{};
  const sdk::Status read = impl_->store->read([&](store::Reader& r) -> sdk::Status {
    tasks = r.tasks_of_case(case_id);
    return tasks.is_ok() ? sdk::Status() : tasks.status();
  });
  if (!read.ok()) return read;
  if (!tasks.is_ok()) return tasks.status();
  std::vector<TaskOutcome> out;
  for (const store::TaskRecord& r : tasks.value()) {
    TaskOutcome o;
    o.task_id = r.task.id;
    o.variable = r.task.variable;
    o.state = std::string(store::to_string(r.state));
    if (!r.posterior.empty()) {
      o.value = r.posterior.top().value;
      o.p = r.posterior.top_p();
    }
    o.answers = r.answers;
    out.push_back(std::move(o));
  }
  return out;
}

sdk::Result<AnswerResult> CaseStore::answer(const PipelineSpec& pipeline, std::string_view task_id,
                                            std::string_view worker, std::string_view value,
                                            std::string_view other_text) {
  auto task = impl_->store->get_task(task_id);
  if (!task.is_ok()) return task.status();
  const store::TaskRecord& t = task.value();
  if (worker.empty()) return sdk::Status::invalid_input("an answer needs a worker id");
  if (value.empty() && other_text.empty())
    return sdk::Status::invalid_input("an answer needs a value, or \"none of these\" with a text");
  if (!value.empty() && std::find(t.task.options.begin(), t.task.options.end(), value) == t.task.options.end()) {
    std::string list;
    for (const auto& o : t.task.options) list += (list.empty() ? "\"" : ", \"") + o + "\"";
    return sdk::Status::invalid_input("task \"" + std::string(task_id) + "\": \"" + std::string(value) +
                                      "\" is not one of its options (" + list + ")");
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  store::AnswerRecord a;
  a.answer.task_id = std::string(task_id);
  a.answer.worker.id = std::string(worker);
  a.answer.worker.backend = "cli";
  a.answer.value = std::string(value);
  a.answer.other_text = std::string(other_text);
  a.answer.answered_at = now;
  a.variable = t.task.variable;
  a.tier = t.tier;
  auto outcome = hitl::record_answer(*impl_->store, a, pipeline.route.for_variable(t.task.variable), nullptr, now);
  if (!outcome.is_ok()) return outcome.status();
  AnswerResult out;
  out.verdict = std::string(hitl::to_string(outcome.value().decision.verdict));
  out.reason = outcome.value().decision.reason;
  const sdk::Distribution& post = outcome.value().answer.posterior;
  if (!post.empty()) {
    out.top_value = post.top().value;
    out.top_p = post.top_p();
  }
  auto after = impl_->store->get_task(task_id);
  if (after.is_ok()) out.answers = after.value().answers;
  out.case_ready = outcome.value().case_ready;
  return out;
}

sdk::Result<std::vector<AskedTask>> CaseStore::open_tasks(std::string_view variable) {
  std::vector<AskedTask> out;
  const sdk::Status st = impl_->store->read([&](store::Reader& r) -> sdk::Status {
    auto tasks = r.open_tasks(variable);
    if (!tasks.is_ok()) return tasks.status();
    for (const auto& t : tasks.value()) out.push_back(asked(t));
    return sdk::Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

const std::string& CaseStore::location() const noexcept { return impl_->store->location(); }

}  // namespace tandem
