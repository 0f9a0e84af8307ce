#include "hitl/escalation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "hitl/workers.hpp"  // variable_family

namespace tandem::hitl {

namespace {

std::string fixed2(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string fixed_cost(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::ptrdiff_t index_of(const std::vector<std::string>& list, std::string_view v) {
  const auto it = std::find(list.begin(), list.end(), v);
  return it == list.end() ? -1 : it - list.begin();
}

bool settled(store::TaskState s) { return s != store::TaskState::open; }

// Marks the case ready when none of its tasks is open any more; returns whether it did.
sdk::Result<bool> ready_if_settled(store::Transaction& tx, const std::string& case_id, store::Seconds now) {
  if (case_id.empty()) return false;  // a gold question has no case
  auto siblings = tx.tasks_of_case(case_id);
  if (!siblings.is_ok()) return siblings.status();
  for (const auto& sib : siblings.value())
    if (!settled(sib.state)) return false;
  store::CaseUpdate cu;
  cu.case_id = case_id;
  cu.state = store::CaseState::ready;
  cu.at = now;
  if (auto st = tx.update_case(cu); !st.is_ok()) return st;
  return true;
}

}  // namespace

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
    case Verdict::accept: return "accept";
    case Verdict::ask: return "ask";
    case Verdict::expert: return "expert";
    case Verdict::late: return "late";
  }
  return "unknown";
}

std::vector<double> answer_likelihood(const std::vector<std::string>& options, std::string_view answer,
                                      const sdk::WorkerModel* model, const EscalationOptions& opts) {
  const std::size_t k = options.size();
  std::vector<double> out(k, 1.0);
  const std::ptrdiff_t a_opt = index_of(options, answer);
  if (k == 0 || a_opt < 0) return out;  // "none of these": no evidence about the options
  const std::ptrdiff_t a = model != nullptr && model->size() * model->size() == model->confusion.size()
                               ? index_of(model->labels, answer)
                               : -1;
  const double eps = std::clamp(opts.smoothing, 0.0, 1.0);
  for (std::size_t t = 0; t < k; ++t) {
    const std::ptrdiff_t tm = a >= 0 ? index_of(model->labels, options[t]) : -1;
    if (tm >= 0) {
      out[t] = (1 - eps) * model->p(static_cast<std::size_t>(tm), static_cast<std::size_t>(a)) +
               eps / static_cast<double>(k);
    } else {
      const double q = opts.default_accuracy;
      out[t] = static_cast<std::ptrdiff_t>(t) == a_opt ? q : (k > 1 ? (1 - q) / static_cast<double>(k - 1) : 1.0);
    }
  }
  return out;
}

sdk::Distribution update_posterior(const sdk::Distribution& current, const std::vector<std::string>& options,
                                   std::string_view answer, const sdk::WorkerModel* model,
                                   const EscalationOptions& opts) {
  if (index_of(options, answer) < 0) return current;
  const std::vector<double> l = answer_likelihood(options, answer, model, opts);
  std::vector<sdk::Candidate> c;
  c.reserve(options.size());
  for (std::size_t t = 0; t < options.size(); ++t) c.push_back({options[t], current.p(options[t]) * l[t]});
  return sdk::Distribution(std::move(c));
}

double expected_gain(const sdk::Distribution& current, const std::vector<std::string>& options,
                     const sdk::WorkerModel* model, const EscalationOptions& opts) {
  double top = 0;
  for (const auto& o : options) top = std::max(top, current.p(o));
  double expected_top = 0;  // Σ_a max_t π(t)·L(a|t): the unnormalised top of each possible posterior
  for (const auto& a : options) {
    const std::vector<double> l = answer_likelihood(options, a, model, opts);
    double best = 0;
    for (std::size_t t = 0; t < options.size(); ++t) best = std::max(best, current.p(options[t]) * l[t]);
    expected_top += best;
  }
  return std::max(0.0, expected_top - top);
}

Assignment choose_worker(const store::TaskRecord& task, const std::vector<WorkerCandidate>& candidates,
                         const std::vector<std::string>& asked, const std::vector<Requirement>& requirements,
                         const std::function<bool(const WorkerCandidate&)>& eligible, int live_claims,
                         double claimed_cost, const EscalationOptions& opts) {
  Assignment out;
  if (task.max_answers > 0 && task.answers + live_claims >= task.max_answers) {
    out.budget_spent = true;
    out.reason = "budget spent: " + std::to_string(task.answers) + " answers and " + std::to_string(live_claims) +
                 " open claims of " + std::to_string(task.max_answers);
    return out;
  }
  int eligible_count = 0;    // would be asked but for the cost budget
  int over_cost = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const WorkerCandidate& c = candidates[i];
    if (!c.worker.active || c.tier < task.tier) continue;
    if (std::find(asked.begin(), asked.end(), c.worker.ref.id) != asked.end()) continue;
    if (!meets(c.worker, requirements)) continue;
    if (eligible && !eligible(c)) continue;
    ++eligible_count;
    const double cost = c.worker.cost_per_answer;
    if (task.max_cost > 0 && task.cost + claimed_cost + cost > task.max_cost + 1e-9) {
      ++over_cost;
      continue;
    }
    const double gain = expected_gain(task.posterior, task.task.options, c.model ? &*c.model : nullptr, opts);
    const double score = gain / std::max(cost, opts.min_cost);
    bool better = !out.chosen;
    if (!better) {
      const WorkerCandidate& b = candidates[*out.chosen];
      if (score != out.score) better = score > out.score;
      else if (gain != out.gain) better = gain > out.gain;
      else if (c.tier != b.tier) better = c.tier < b.tier;
      else better = c.worker.ref.id < b.worker.ref.id;
    }
    if (better) {
      out.chosen = i;
      out.gain = gain;
      out.score = score;
    }
  }
  if (out.chosen) {
    const WorkerCandidate& c = candidates[*out.chosen];
    out.reason = "worker " + c.worker.ref.id + " (tier " + std::to_string(c.tier) + "): expected gain " +
                 fixed2(out.gain) + " per cost " + fixed_cost(c.worker.cost_per_answer);
  } else if (eligible_count > 0 && over_cost == eligible_count) {
    out.budget_spent = true;
    out.reason = "budget spent: cost " + fixed_cost(task.cost + claimed_cost) + " of " + fixed_cost(task.max_cost) +
                 ", no eligible worker costs " + fixed_cost(task.max_cost - task.cost - claimed_cost) + " or less";
  } else {
    // Nobody now. When nobody could ever be — every active worker of the tier who matches the targeting has
    // answered — waiting is pointless; workers the `eligible` predicate turns away still count as left
    // (they may qualify later).
    bool anyone_left = false;
    for (const WorkerCandidate& c : candidates) {
      if (!c.worker.active || c.tier < task.tier || !meets(c.worker, requirements)) continue;
      if (std::find(asked.begin(), asked.end(), c.worker.ref.id) == asked.end()) anyone_left = true;
    }
    if (!anyone_left && task.answers > 0 && live_claims == 0) {
      out.pool_spent = true;
      out.reason = "nobody left to ask: every worker of tier >= " + std::to_string(task.tier) +
                   " who matches the targeting has answered (" + std::to_string(task.answers) +
                   (task.answers == 1 ? " answer)" : " answers)");
    } else {
      out.reason = "no eligible worker of tier >= " + std::to_string(task.tier) +
                   " is available (not asked yet, active, qualified and matching the targeting)";
    }
  }
  return out;
}

Decision decide(const store::TaskRecord& task, const sdk::Distribution& posterior, const VariableRoute& settings,
                int other_answers, const EscalationOptions& opts) {
  Decision d;
  d.tier = task.tier;
  const std::string after = " after " + std::to_string(task.answers) + (task.answers == 1 ? " answer" : " answers");
  const std::string top = posterior.empty() ? std::string("none") : "\"" + posterior.top().value + "\"";
  if (!posterior.empty() && posterior.top_p() >= settings.threshold) {
    d.verdict = Verdict::accept;
    d.reason = "posterior " + fixed2(posterior.top_p()) + " of " + top + " >= threshold " +
               fixed2(settings.threshold) + after;
    return d;
  }
  const std::string below = "posterior " + fixed2(posterior.top_p()) + " of " + top + " < threshold " +
                            fixed2(settings.threshold);
  if (opts.other_answers_for_expert > 0 && other_answers >= opts.other_answers_for_expert) {
    d.verdict = Verdict::expert;
    d.reason = std::to_string(other_answers) + " answers chose \"none of these\"; " + below + after;
    return d;
  }
  if (task.max_answers > 0 && task.answers >= task.max_answers) {
    d.verdict = Verdict::expert;
    d.reason = "budget spent: " + std::to_string(task.answers) + " of " + std::to_string(task.max_answers) +
               " answers; " + below;
    return d;
  }
  if (task.max_cost > 0 && task.cost >= task.max_cost - 1e-9) {
    d.verdict = Verdict::expert;
    d.reason = "budget spent: cost " + fixed_cost(task.cost) + " of " + fixed_cost(task.max_cost) + "; " + below +
               after;
    return d;
  }
  d.verdict = Verdict::ask;
  if (settings.escalate_after > 0) d.tier = std::max(task.tier, task.answers / settings.escalate_after);
  d.reason = below + after + "; ask a worker of tier >= " + std::to_string(d.tier);
  return d;
}

sdk::Result<AnswerOutcome> record_answer(store::Store& store, const store::AnswerRecord& answer,
                                         const VariableRoute& settings, const sdk::WorkerModel* model,
                                         store::Seconds now, const EscalationOptions& opts,
                                         const AfterAnswer& then) {
  std::optional<AnswerOutcome> out;
  const sdk::Status s = store.transact([&](store::Transaction& tx) -> sdk::Status {
    out.reset();
    auto task = tx.get_task(answer.answer.task_id);
    if (!task.is_ok()) return task.status();
    store::TaskRecord t = std::move(task).value();
    AnswerOutcome o;
    store::AnswerRecord rec = answer;
    if (settled(t.state)) {
      rec.posterior = sdk::Distribution();
      auto stored = tx.add_answer(rec);
      if (!stored.is_ok()) return stored.status();
      o.answer = std::move(stored).value();
      o.decision = {Verdict::late, t.tier,
                    "task " + t.task.id + " was " + std::string(store::to_string(t.state)) +
                        " already; the answer is recorded and changes nothing"};
      if (then)
        if (auto st = then(tx, o); !st.is_ok()) return st;
      out = std::move(o);
      return sdk::Status::ok();
    }
    // The worker's model: given, or the store's for the variable, then for its family; else the default.
    std::optional<sdk::WorkerModel> stored_model;
    if (model == nullptr) {
      for (const std::string& v : {t.task.variable, variable_family(t.task.variable)}) {
        auto m = tx.worker_model(answer.answer.worker.id, v);
        if (m.is_ok()) {
          stored_model = std::move(m).value().model;
          break;
        }
        if (m.status().code() != sdk::Code::not_found) return m.status();
      }
    }
    const sdk::WorkerModel* used = model != nullptr ? model : (stored_model ? &*stored_model : nullptr);
    rec.posterior = update_posterior(t.posterior, t.task.options, rec.answer.value, used, opts);
    auto stored = tx.add_answer(rec);
    if (!stored.is_ok()) return stored.status();
    o.answer = std::move(stored).value();

    auto answers = tx.answers_of_task(t.task.id);
    if (!answers.is_ok()) return answers.status();
    int others = 0;
    for (const auto& a : answers.value())
      if (index_of(t.task.options, a.answer.value) < 0) ++others;
    t.answers += 1;
    t.cost += rec.cost;
    o.decision = decide(t, rec.posterior, settings, others, opts);

    store::TaskUpdate u;
    u.task_id = t.task.id;
    u.at = now;
    u.posterior = rec.posterior;
    if (o.decision.verdict == Verdict::accept) u.state = store::TaskState::accepted;
    if (o.decision.verdict == Verdict::expert) {
      u.state = store::TaskState::expert;
      u.expert_reason = o.decision.reason;
    }
    if (o.decision.tier != t.tier) u.tier = o.decision.tier;
    if (auto st = tx.update_task(u); !st.is_ok()) return st;

    if (u.state) {
      auto ready = ready_if_settled(tx, t.task.case_id, now);
      if (!ready.is_ok()) return ready.status();
      o.case_ready = ready.value();
    }
    if (then)
      if (auto st = then(tx, o); !st.is_ok()) return st;
    out = std::move(o);
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return std::move(*out);
}

sdk::Result<Assignment> assign_next(store::Store& store, std::string_view task_id,
                                    const std::vector<WorkerCandidate>& candidates,
                                    const std::vector<Requirement>& requirements, store::Seconds now,
                                    const std::function<bool(const WorkerCandidate&)>& eligible,
                                    const EscalationOptions& opts, std::chrono::seconds lease) {
  std::optional<Assignment> out;
  const sdk::Status s = store.transact([&](store::Transaction& tx) -> sdk::Status {
    out.reset();
    auto task = tx.get_task(task_id);
    if (!task.is_ok()) return task.status();
    const store::TaskRecord& t = task.value();
    if (t.state != store::TaskState::open) {
      Assignment a;
      a.reason = "task " + t.task.id + " is " + std::string(store::to_string(t.state)) + "; nobody is asked";
      out = std::move(a);
      return sdk::Status::ok();
    }
    if (auto released = tx.release_expired_claims(now); !released.is_ok()) return released.status();
    auto answers = tx.answers_of_task(task_id);
    if (!answers.is_ok()) return answers.status();
    auto claims = tx.claims_of_task(task_id, now);
    if (!claims.is_ok()) return claims.status();
    std::vector<std::string> asked;
    for (const auto& a : answers.value()) asked.push_back(a.answer.worker.id);
    double claimed_cost = 0;
    for (const auto& c : claims.value()) {
      asked.push_back(c.worker.id);
      claimed_cost += c.cost;
    }
    Assignment a = choose_worker(t, candidates, asked, requirements, eligible,
                                 static_cast<int>(claims.value().size()), claimed_cost, opts);
    if (a.chosen) {
      const WorkerCandidate& c = candidates[*a.chosen];
      store::ClaimRequest req;
      req.worker = c.worker.ref;
      req.tier = c.tier;
      req.cost = c.worker.cost_per_answer;
      req.now = now;
      req.lease = lease;
      auto claimed = tx.claim_task(task_id, req);
      if (!claimed.is_ok()) return claimed.status();
    } else if ((a.budget_spent || a.pool_spent) && claims.value().empty()) {
      // Nobody can be asked within the budget, or nobody is left, and nobody is still answering: an
      // expert decides.
      store::TaskUpdate u;
      u.task_id = std::string(task_id);
      u.state = store::TaskState::expert;
      u.expert_reason = a.reason + "; posterior " + fixed2(t.posterior.top_p()) + " < its threshold";
      u.at = now;
      if (auto st = tx.update_task(u); !st.is_ok()) return st;
      if (auto ready = ready_if_settled(tx, t.task.case_id, now); !ready.is_ok()) return ready.status();
    }
    out = std::move(a);
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return std::move(*out);
}

}  // namespace tandem::hitl
