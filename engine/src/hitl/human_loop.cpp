// tandem::HumanLoop (tandem/human_loop.hpp): the service loop over the store, the worker registry, the
// router's escalation and the pipeline's backends.
#include "tandem/human_loop.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "hitl/escalation.hpp"
#include "hitl/router.hpp"
#include "hitl/workers.hpp"
#include "store/sqlite_store.hpp"
#include "tandem/sdk/aggregator.hpp"
#include "tandem/sdk/backend.hpp"

namespace tandem {

namespace {

constexpr const char* kRefitPlugin = "tandem.aggregator.dawid_skene";

std::string fixed2(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string given(const sdk::Answer& a) { return a.value.empty() ? "(none of these: " + a.other_text + ")" : a.value; }

}  // namespace

struct HumanLoop::Impl {
  const PipelineSpec* pipeline = nullptr;
  HumanLoopOptions options;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<hitl::WorkerRegistry> registry;
  std::map<std::string, std::shared_ptr<sdk::Backend>, std::less<>> backends;  // by instance name
  std::shared_ptr<sdk::Aggregator> refitter;                                  // null: no refit
  std::set<std::string> families;             // every variable family the loop has seen, for the refit
  std::optional<store::Seconds> last_refit;
  bool reposted = false;
  std::map<std::string, std::string> waiting;  // task -> the last "nobody to ask" reason logged
  // Who each open task was posted to by this process (or reposted after a restart): a worker whose claim
  // ran out without an answer is passed over while someone else can be asked.
  std::map<std::string, std::set<std::string>> posted_to;
  // Answers of a backend's last poll that the store could not take yet (unavailable, a full disk). While a
  // backend has any, it is not polled: a poll confirms the previous one's answers to the backend (the file
  // backend renames its files then), so polling on would lose them if this process died.
  std::map<std::string, std::vector<sdk::Answer>, std::less<>> held;

  void event(StepReport& r, std::string kind, std::string task, std::string worker, std::string detail) {
    r.events.push_back({std::move(kind), std::move(task), std::move(worker), std::move(detail)});
  }
  void error(StepReport& r, std::string task, std::string worker, std::string detail) {
    ++r.errors;
    event(r, "error", std::move(task), std::move(worker), std::move(detail));
  }

  void cancel_everywhere(StepReport& r, const std::string& task_id) {
    for (auto& [name, backend] : backends)
      if (const sdk::Status s = backend->cancel(task_id); !s.is_ok())
        error(r, task_id, "", "backend " + name + ": cancel: " + s.message());
    event(r, "cancelled", task_id, "", "withdrawn from every backend");
  }

  // Records one answer; false when the store failed and it must be tried again (it is not lost).
  bool take_answer(StepReport& r, const std::string& backend_name, const sdk::Answer& answer, store::Seconds now);
  void repost(StepReport& r, store::Seconds now);
  // What the asking phase of one step reads once: nothing it reads changes while it asks (answers,
  // scores and revocations are recorded before it).
  struct AskingView {
    std::vector<store::WorkerRecord> workers;                               // active ones
    std::map<std::string, std::set<std::string>> standing;                 // by family (see assign)
    std::map<std::string, std::map<std::string, sdk::WorkerModel>> models;  // by variable name, then worker
    std::map<std::string, std::string> payloads;                           // by case id
  };
  void assign(StepReport& r, const store::TaskRecord& task, AskingView& view, store::Seconds now);
  // The models of `variable` (a name or a family) by worker, read once per step.
  const std::map<std::string, sdk::WorkerModel>* models_of(StepReport& r, AskingView& view, const std::string& variable);
  bool post(StepReport& r, const store::TaskRecord& task, const sdk::WorkerRef& worker, std::string_view kind);
  void maybe_post_gold(StepReport& r, const store::WorkerRecord& worker, const std::string& variable,
                       store::Seconds now);
};

HumanLoop::HumanLoop(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HumanLoop::~HumanLoop() = default;

sdk::Result<std::unique_ptr<HumanLoop>> HumanLoop::open(const PipelineSpec& pipeline, PluginHost& host,
                                                        const HumanLoopOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->pipeline = &pipeline;
  impl->options = options;
  std::vector<std::string> problems;

  sdk::ConfigErrors errors;
  for (const InstanceSpec* inst : pipeline.in_stage(Stage::human)) {
    if (inst->info == nullptr) continue;
    auto backend = host.make_backend(*inst->info, inst->name, inst->config, errors);
    if (backend) impl->backends.emplace(inst->name, std::move(backend));
  }
  for (const auto& e : errors.all()) problems.push_back(e.to_string());
  if (impl->backends.empty() && problems.empty())
    problems.push_back(pipeline.file.string() + ": error: stages.human: the service needs at least one backend "
                                                "instance (tandem.backend.file, tandem.backend.simulated, ...)");

  if (const PluginInfo* info = host.find(kRefitPlugin)) {
    sdk::ConfigErrors refit_errors;
    const sdk::ConfigNode config(sdk::ConfigNode::Type::map, sdk::Mark{"<tandem serve>", 0, 0}, "");
    impl->refitter = host.make_aggregator(*info, "refit", config, refit_errors);
    for (const auto& e : refit_errors.all()) problems.push_back(e.to_string());
  }

  std::vector<hitl::QualificationSpec> specs;
  for (const auto& file : options.qualifications) {
    auto q = hitl::read_qualification(file);
    for (auto& e : q.errors) problems.push_back(std::move(e));
    if (q.spec) specs.push_back(std::move(*q.spec));
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
    return sdk::Status::invalid_input(all);
  }

  store::SqliteOptions store_options;
  store_options.busy_timeout = options.store_busy_timeout;
  auto s = store::SqliteStore::open(options.store, store_options);
  if (!s.is_ok()) return s.status();
  impl->store = std::move(s.value());
  impl->registry = std::make_unique<hitl::WorkerRegistry>(*impl->store, options.seed);
  for (auto& spec : specs) {
    impl->families.insert(hitl::variable_family(spec.variable));
    impl->registry->define(std::move(spec));
  }
  for (const auto& v : pipeline.route.variables) impl->families.insert(hitl::variable_family(v.key));
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (options.roster)
    if (auto loaded = impl->registry->load_roster(*options.roster, now); !loaded.is_ok()) return loaded.status();
  if (auto gold = impl->registry->install_gold(now); !gold.is_ok()) return gold.status();
  return std::unique_ptr<HumanLoop>(new HumanLoop(std::move(impl)));
}

// ---- answers ---------------------------------------------------------------------------------------

bool HumanLoop::Impl::take_answer(StepReport& r, const std::string& backend_name, const sdk::Answer& given_answer,
                                  store::Seconds now) {
  sdk::Answer answer = given_answer;
  const std::string task_id = answer.task_id;
  const std::string worker_id = answer.worker.id;
  const auto refuse = [&](const std::string& why) {
    ++r.refused;
    event(r, "refused", task_id, worker_id, "backend " + backend_name + ": " + why);
    return true;
  };
  const auto failed = [&](const std::string& why) {
    error(r, task_id, worker_id, why + "; the answer is kept and tried again at the next step");
    return false;
  };
  if (answer.worker.backend.empty()) answer.worker.backend = backend_name;
  auto worker = store->query<store::WorkerRecord>([&](store::Reader& rd) { return rd.get_worker(worker_id); });
  if (!worker.is_ok()) {
    if (worker.status().code() == sdk::Code::not_found) return refuse("worker \"" + worker_id + "\" is not in the registry");
    return failed(worker.status().message());
  }
  auto task = store->get_task(task_id);
  if (!task.is_ok()) {
    if (task.status().code() == sdk::Code::not_found) return refuse("no task \"" + task_id + "\" in the store");
    return failed(task.status().message());
  }
  families.insert(hitl::variable_family(task.value().task.variable));
  store::AnswerRecord rec;
  rec.answer = std::move(answer);
  rec.cost = worker.value().cost_per_answer;
  if (rec.answer.answered_at == store::Seconds{}) rec.answer.answered_at = now;

  const auto scored_events = [&](const hitl::ScoredAnswer& scored) {
    if (scored.revoked) {
      ++r.revoked;
      event(r, "revoked", task_id, worker_id,
            "no more " + hitl::variable_family(scored.answer.variable) + " tasks: " + scored.reason);
    }
  };
  if (task.value().kind == store::TaskKind::gold) {
    auto scored = registry->submit_answer(rec, now);
    if (!scored.is_ok()) {
      if (scored.status().code() == sdk::Code::invalid_input) return refuse(scored.status().message());
      return failed(scored.status().message());
    }
    ++r.answers;
    event(r, "answer", task_id, worker_id,
          "gold: " + given(rec.answer) + (scored.value().correct ? " (right)" : " (wrong)"));
    scored_events(scored.value());
    return true;
  }

  std::optional<hitl::ScoredAnswer> scored;
  const auto settings = pipeline->route.for_variable(task.value().task.variable);
  auto outcome = hitl::record_answer(
      *store, rec, settings, nullptr, now, {},
      [&](store::Transaction& tx, const hitl::AnswerOutcome& o) -> sdk::Status {
        auto sc = registry->score_answer(tx, o.answer, now);
        if (!sc.is_ok()) return sc.status();
        scored = std::move(sc).value();
        return sdk::Status::ok();
      });
  if (!outcome.is_ok()) {
    if (outcome.status().code() == sdk::Code::invalid_input) return refuse(outcome.status().message());
    return failed(outcome.status().message());
  }
  ++r.answers;
  const hitl::AnswerOutcome& o = outcome.value();
  std::string detail = given(rec.answer);
  if (!o.answer.posterior.empty())
    detail += "; posterior " + o.answer.posterior.top().value + " " + fixed2(o.answer.posterior.top_p());
  event(r, "answer", task_id, worker_id, detail);
  const std::string verdict(hitl::to_string(o.decision.verdict));
  event(r, verdict, task_id, worker_id, o.decision.reason + (o.case_ready ? "; case " + task.value().task.case_id + " is ready" : ""));
  if (o.decision.verdict == hitl::Verdict::accept) ++r.accepted;
  if (o.decision.verdict == hitl::Verdict::expert) ++r.expert;
  if (scored) scored_events(*scored);
  if (o.decision.verdict == hitl::Verdict::accept || o.decision.verdict == hitl::Verdict::expert) {
    waiting.erase(task_id);
    posted_to.erase(task_id);
    cancel_everywhere(r, task_id);
  }
  return true;
}

// ---- asking ----------------------------------------------------------------------------------------

bool HumanLoop::Impl::post(StepReport& r, const store::TaskRecord& task, const sdk::WorkerRef& worker,
                           std::string_view kind) {
  auto it = backends.find(worker.backend);
  const sdk::Status s = it == backends.end()
                            ? sdk::Status::not_found("no backend instance \"" + worker.backend + "\" in the pipeline")
                            : it->second->post(task.task, worker);
  if (s.is_ok()) {
    if (task.kind != store::TaskKind::gold) posted_to[task.task.id].insert(worker.id);
    ++r.posted;
    event(r, std::string(kind), task.task.id, worker.id, "to backend " + worker.backend);
    return true;
  }
  error(r, task.task.id, worker.id, "backend " + worker.backend + ": post: " + s.message());
  // The worker cannot be reached now: free the task for the next step (maybe someone else).
  const sdk::Status released = store->transact(
      [&](store::Transaction& tx) { return tx.release_claim(task.task.id, worker.id); });
  if (!released.is_ok()) error(r, task.task.id, worker.id, released.message());
  return false;
}

void HumanLoop::Impl::repost(StepReport& r, store::Seconds now) {
  auto open = store->query<std::vector<store::TaskRecord>>([](store::Reader& rd) { return rd.open_tasks(""); });
  if (!open.is_ok()) return error(r, "", "", open.status().message());
  for (const auto& t : open.value()) {
    auto claims = store->query<std::vector<store::Claim>>(
        [&](store::Reader& rd) { return rd.claims_of_task(t.task.id, now); });
    if (!claims.is_ok()) {
      error(r, t.task.id, "", claims.status().message());
      continue;
    }
    for (const auto& c : claims.value()) {
      auto it = backends.find(c.worker.backend);
      if (it == backends.end()) continue;
      posted_to[t.task.id].insert(c.worker.id);
      if (const sdk::Status s = it->second->post(t.task, c.worker); s.is_ok())
        event(r, "reposted", t.task.id, c.worker.id, "to backend " + c.worker.backend + " after a restart");
      else
        error(r, t.task.id, c.worker.id, "backend " + c.worker.backend + ": post: " + s.message());
    }
  }
}

void HumanLoop::Impl::maybe_post_gold(StepReport& r, const store::WorkerRecord& worker, const std::string& variable,
                                      store::Seconds now) {
  if (registry->definition(variable) == nullptr) return;
  auto due = registry->gold_due(worker.ref.id, variable);
  if (!due.is_ok()) return error(r, "", worker.ref.id, due.status().message());
  if (!due.value()) return;
  auto gold = registry->pick_gold(worker.ref.id, variable);
  if (!gold.is_ok()) return error(r, "", worker.ref.id, gold.status().message());
  if (!gold.value()) return;  // every gold question of the family answered already
  const store::TaskRecord& g = *gold.value();
  store::ClaimRequest req;
  req.worker = worker.ref;
  req.tier = hitl::worker_tier(worker);
  req.cost = worker.cost_per_answer;
  req.now = now;
  req.lease = options.lease;
  const sdk::Status claimed = store->transact([&](store::Transaction& tx) -> sdk::Status {
    auto c = tx.claim_task(g.task.id, req);
    return c.is_ok() ? sdk::Status::ok() : c.status();
  });
  if (!claimed.is_ok()) {
    // Claimed by this worker and not answered yet: it is out already.
    if (claimed.code() != sdk::Code::invalid_input) error(r, g.task.id, worker.ref.id, claimed.message());
    return;
  }
  post(r, g, worker.ref, "gold");
}

const std::map<std::string, sdk::WorkerModel>* HumanLoop::Impl::models_of(StepReport& r, AskingView& view,
                                                                        const std::string& variable) {
  auto it = view.models.find(variable);
  if (it != view.models.end()) return &it->second;
  auto records = store->query<std::vector<store::WorkerModelRecord>>(
      [&](store::Reader& rd) { return rd.worker_models(variable); });
  if (!records.is_ok()) {
    error(r, "", "", records.status().message());
    return nullptr;
  }
  std::map<std::string, sdk::WorkerModel>& by_worker = view.models[variable];
  for (auto& m : records.value()) by_worker.emplace(m.model.worker, std::move(m.model));
  return &by_worker;
}

void HumanLoop::Impl::assign(StepReport& r, const store::TaskRecord& task, AskingView& view, store::Seconds now) {
  const std::string& variable = task.task.variable;
  const std::string family = hitl::variable_family(variable);
  families.insert(family);
  // Who may be asked: a worker of one of our backends, qualified when the variable has a qualification.
  // Without a qualification for the family everyone has access, except workers the evidence revoked.
  const bool needs_qualification = registry->definition(variable) != nullptr;
  auto standing = view.standing.find(family);
  if (standing == view.standing.end()) {
    const auto state = needs_qualification ? store::QualificationState::qualified : store::QualificationState::revoked;
    auto q = store->query<std::vector<store::Qualification>>(
        [&](store::Reader& rd) { return rd.qualified_on(family, state); });
    if (!q.is_ok()) return error(r, task.task.id, "", q.status().message());
    standing = view.standing.emplace(family, std::set<std::string>()).first;
    for (const auto& s : q.value()) standing->second.insert(s.worker_id);
  }
  const auto* by_variable = models_of(r, view, variable);
  const auto* by_family = models_of(r, view, family);
  if (by_variable == nullptr || by_family == nullptr) return;
  std::vector<hitl::WorkerCandidate> candidates;
  for (const auto& w : view.workers) {
    if (!backends.count(w.ref.backend)) continue;
    if (needs_qualification != (standing->second.count(w.ref.id) > 0)) continue;
    hitl::WorkerCandidate c;
    c.worker = w;
    c.tier = hitl::worker_tier(w);
    for (const auto* models : {by_variable, by_family})  // the variable's model, then the family's
      if (auto m = models->find(w.ref.id); m != models->end()) {
        c.model = m->second;
        break;
      }
    candidates.push_back(std::move(c));
  }
  // The task's targeting, as the router stored it with its case.
  std::vector<hitl::Requirement> requirements;
  if (!task.task.case_id.empty()) {
    auto payload = view.payloads.find(task.task.case_id);
    if (payload == view.payloads.end()) {
      auto c = store->get_case(task.task.case_id);
      if (!c.is_ok()) return error(r, task.task.id, "", c.status().message());
      payload = view.payloads.emplace(task.task.case_id, std::move(c.value().payload)).first;
    }
    auto parsed = hitl::requirements_from_payload(payload->second, task.task.id);
    if (!parsed.is_ok()) return error(r, task.task.id, "", parsed.status().message());
    requirements = std::move(parsed).value();
  }
  hitl::EscalationOptions opts;
  // Workers whose claim on this task lapsed are passed over while anyone else fits; when nobody else
  // does, they get it again rather than nobody.
  std::set<std::string>& lapsed = posted_to[task.task.id];
  const auto not_lapsed = [&lapsed](const hitl::WorkerCandidate& c) { return !lapsed.count(c.worker.ref.id); };
  auto a = hitl::assign_next(*store, task.task.id, candidates, requirements, now,
                             lapsed.empty() ? nullptr : std::function<bool(const hitl::WorkerCandidate&)>(not_lapsed),
                             opts, options.lease);
  if (a.is_ok() && !a.value().chosen && !a.value().budget_spent && !a.value().pool_spent && !lapsed.empty()) {
    lapsed.clear();
    a = hitl::assign_next(*store, task.task.id, candidates, requirements, now, nullptr, opts, options.lease);
  }
  if (!a.is_ok()) return error(r, task.task.id, "", a.status().message());
  if (!a.value().chosen) {
    if (a.value().budget_spent || a.value().pool_spent) {
      // assign_next marked it for an expert (when nobody holds a claim).
      auto after = store->get_task(task.task.id);
      if (after.is_ok() && after.value().state == store::TaskState::expert) {
        ++r.expert;
        event(r, "expert", task.task.id, "", after.value().expert_reason);
        waiting.erase(task.task.id);
        cancel_everywhere(r, task.task.id);
        return;
      }
    }
    std::string& last = waiting[task.task.id];
    if (last != a.value().reason) {
      last = a.value().reason;
      event(r, "waiting", task.task.id, "", a.value().reason);
    }
    return;
  }
  waiting.erase(task.task.id);
  const store::WorkerRecord& chosen = candidates[*a.value().chosen].worker;
  if (post(r, task, chosen.ref, "posted")) maybe_post_gold(r, chosen, variable, now);
}

// ---- the step --------------------------------------------------------------------------------------

std::vector<LoopEvent> HumanLoop::refit(std::chrono::sys_seconds now) {
  StepReport r;
  if (!impl_->refitter) {
    impl_->event(r, "error", "", "", std::string("no refit: the aggregator plugin ") + kRefitPlugin + " was not found");
    return r.events;
  }
  for (const std::string& family : impl_->families) {
    auto s = impl_->registry->refit(family, *impl_->refitter, now, impl_->options.refit_window);
    if (!s.is_ok()) {
      impl_->error(r, "", "", s.status().message());
      continue;
    }
    const auto& v = s.value();
    if (v.answers == 0) continue;  // nothing in the window: nothing changed
    impl_->event(r, "refit", "", "",
                 v.variable + ": " + std::to_string(v.answers) + " answers on " + std::to_string(v.tasks) + " tasks, " +
                     std::to_string(v.models) + " worker models, " + std::to_string(v.iterations) + " iterations" +
                     (v.converged ? "" : " (not converged)"));
  }
  impl_->last_refit = now;
  return r.events;
}

sdk::Result<StepReport> HumanLoop::step(std::chrono::sys_seconds now_precise) {
  const store::Seconds now = std::chrono::floor<std::chrono::seconds>(now_precise);
  Impl& m = *impl_;
  StepReport r;
  if (!m.reposted) {
    m.repost(r, now);
    m.reposted = true;
  }

  // 1. Answers: first those held back by a failure, then (once none is left) a new poll.
  for (auto& [name, backend] : m.backends) {
    std::vector<sdk::Answer>& held = m.held[name];
    std::vector<sdk::Answer> answers = std::move(held);
    held.clear();
    if (answers.empty()) {
      if (const sdk::Status s = backend->poll(answers); !s.is_ok())
        m.error(r, "", "", "backend " + name + ": poll: " + s.message());
    }
    for (const auto& a : answers)
      if (!m.take_answer(r, name, a, now)) held.push_back(a);
  }

  // 2. Asking.
  auto open = m.store->query<std::vector<store::TaskRecord>>([](store::Reader& rd) { return rd.open_tasks(""); });
  if (!open.is_ok()) return open.status();
  store::WorkerQuery active;
  auto workers = m.store->query<std::vector<store::WorkerRecord>>([&](store::Reader& rd) { return rd.find_workers(active); });
  if (!workers.is_ok()) return workers.status();
  Impl::AskingView view;
  view.workers = std::move(workers).value();
  for (const auto& t : open.value()) {
    auto claims = m.store->query<std::vector<store::Claim>>(
        [&](store::Reader& rd) { return rd.claims_of_task(t.task.id, now); });
    if (!claims.is_ok()) {
      m.error(r, t.task.id, "", claims.status().message());
      continue;
    }
    if (!claims.value().empty()) continue;  // one worker at a time: someone has it
    m.assign(r, t, view, now);
  }

  // 3. The scheduled refit.
  if (m.options.refit_every.count() > 0 && m.refitter &&
      (!m.last_refit || now - *m.last_refit >= m.options.refit_every)) {
    for (auto& e : refit(now)) {
      if (e.kind == "refit") ++r.refits;
      else ++r.errors;
      r.events.push_back(std::move(e));
    }
  }

  // What is left.
  auto left = m.store->query<std::vector<store::TaskRecord>>([](store::Reader& rd) { return rd.open_tasks(""); });
  if (!left.is_ok()) return left.status();
  r.open = static_cast<int>(left.value().size());
  // Forget what the loop remembered of tasks settled elsewhere (tandem answer, another service).
  std::set<std::string> still_open;
  for (const auto& t : left.value()) still_open.insert(t.task.id);
  std::erase_if(m.posted_to, [&](const auto& kv) { return !still_open.count(kv.first); });
  std::erase_if(m.waiting, [&](const auto& kv) { return !still_open.count(kv.first); });
  for (const auto& t : left.value()) {
    auto claims = m.store->query<std::vector<store::Claim>>(
        [&](store::Reader& rd) { return rd.claims_of_task(t.task.id, now); });
    if (claims.is_ok() && !claims.value().empty()) ++r.in_progress;
  }
  return r;
}

}  // namespace tandem
