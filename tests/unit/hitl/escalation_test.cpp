#include "hitl/escalation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hitl/router.hpp"
#include "unit/hitl/hitl_test_support.hpp"
#include "store/sqlite_store.hpp"
#include "unit/store/store_test_support.hpp"

namespace tandem::hitl {
namespace {

using store::testing::kT0;

sdk::WorkerModel model(const std::string& id, std::vector<std::string> labels, std::vector<double> confusion) {
  sdk::WorkerModel m;
  m.worker = id;
  m.labels = std::move(labels);
  m.confusion = std::move(confusion);
  m.answers = 10;
  return m;
}

WorkerCandidate candidate(const std::string& id, double cost, int tier, std::optional<sdk::WorkerModel> m,
                          std::vector<std::string> languages = {"de", "en"}) {
  WorkerCandidate c;
  c.worker.ref = {id, "task_folder"};
  c.worker.cost_per_answer = cost;
  c.worker.languages = std::move(languages);
  c.tier = tier;
  c.model = std::move(m);
  return c;
}

store::TaskRecord task_ab(double pa, int max_answers = 5, double max_cost = 0, int tier = 0) {
  store::TaskRecord t;
  t.task.id = "c/request";
  t.task.case_id = "c";
  t.task.variable = "request";
  t.task.options = {"a", "b"};
  t.prior = sdk::Distribution({{"a", pa}, {"b", 1 - pa}});
  t.posterior = t.prior;
  t.max_answers = max_answers;
  t.max_cost = max_cost;
  t.tier = tier;
  return t;
}

const sdk::WorkerModel kGood = model("good", {"a", "b"}, {0.9, 0.1, 0.2, 0.8});
const sdk::WorkerModel kPerfect = model("perfect", {"a", "b"}, {1, 0, 0, 1});

// ---- the posterior ------------------------------------------------------------------------------------

TEST(Posterior, MultipliesThePriorByTheWorkersConfusionColumn) {
  const sdk::Distribution prior({{"a", 0.6}, {"b", 0.4}});
  EscalationOptions exact;
  exact.smoothing = 0;
  // P(a) ∝ 0.6 · 0.9 = 0.54, P(b) ∝ 0.4 · 0.2 = 0.08: 0.54 / 0.62.
  sdk::Distribution post = update_posterior(prior, {"a", "b"}, "a", &kGood, exact);
  EXPECT_NEAR(post.p("a"), 0.54 / 0.62, 1e-12);
  EXPECT_NEAR(post.p("b"), 0.08 / 0.62, 1e-12);
  // Smoothed (ε = 0.01, K = 2): L(a|a) = 0.99 · 0.9 + 0.005 = 0.896, L(a|b) = 0.99 · 0.2 + 0.005 = 0.203.
  post = update_posterior(prior, {"a", "b"}, "a", &kGood);
  EXPECT_NEAR(post.p("a"), 0.6 * 0.896 / (0.6 * 0.896 + 0.4 * 0.203), 1e-12);
  // Answer b: L(b|a) = 0.99 · 0.1 + 0.005 = 0.104, L(b|b) = 0.99 · 0.8 + 0.005 = 0.797.
  post = update_posterior(prior, {"a", "b"}, "b", &kGood);
  EXPECT_NEAR(post.p("b"), 0.4 * 0.797 / (0.4 * 0.797 + 0.6 * 0.104), 1e-12);
  EXPECT_EQ(post.top().value, "b");
}

TEST(Posterior, AnUnknownWorkerHasTheDefaultModel) {
  const sdk::Distribution prior({{"x", 0.5}, {"y", 0.3}, {"z", 0.2}});
  // q = 0.7, K = 3: L(y|y) = 0.7, L(y|x) = L(y|z) = 0.15. 0.075, 0.21, 0.03 over 0.315.
  const sdk::Distribution post = update_posterior(prior, {"x", "y", "z"}, "y", nullptr);
  EXPECT_NEAR(post.p("x"), 0.075 / 0.315, 1e-12);
  EXPECT_NEAR(post.p("y"), 0.21 / 0.315, 1e-12);
  EXPECT_NEAR(post.p("z"), 0.03 / 0.315, 1e-12);
  // A model over other labels counts as unknown too.
  const sdk::WorkerModel other = model("w", {"p", "q"}, {1, 0, 0, 1});
  EXPECT_EQ(update_posterior(prior, {"x", "y", "z"}, "y", &other), post);
  // "None of these" is no evidence about the options.
  EXPECT_EQ(update_posterior(prior, {"x", "y", "z"}, "", &kGood), prior);
}

TEST(Posterior, ExpectedGainIsTheOneStepLookAhead) {
  const sdk::Distribution prior({{"a", 0.6}, {"b", 0.4}});
  EscalationOptions exact;
  exact.smoothing = 0;
  // Σ_a max_t π(t)L(a|t) = max(0.54, 0.08) + max(0.06, 0.32) = 0.86; minus 0.6.
  EXPECT_NEAR(expected_gain(prior, {"a", "b"}, &kGood, exact), 0.26, 1e-12);
  EXPECT_NEAR(expected_gain(prior, {"a", "b"}, &kPerfect, exact), 0.4, 1e-12);
  // Default q = 0.7: max(0.42, 0.12) + max(0.18, 0.28) = 0.70; minus 0.6.
  EXPECT_NEAR(expected_gain(prior, {"a", "b"}, nullptr, exact), 0.1, 1e-12);
  // A worker who answers at random tells nothing.
  const sdk::WorkerModel coin = model("coin", {"a", "b"}, {0.5, 0.5, 0.5, 0.5});
  EXPECT_NEAR(expected_gain(prior, {"a", "b"}, &coin, exact), 0, 1e-12);
}

// ---- assignment ---------------------------------------------------------------------------------------

TEST(Assignment, PicksTheBestExpectedGainPerCost) {
  EscalationOptions exact;
  exact.smoothing = 0;
  const store::TaskRecord t = task_ab(0.6, 5, 4);
  std::vector<WorkerCandidate> pool = {
      candidate("cheap", 0.5, 0, std::nullopt),       // gain 0.10 / 0.5 = 0.20
      candidate("good", 1, 0, kGood),                  // 0.26 / 1 = 0.26: the best
      candidate("dear", 5, 0, kPerfect),               // 0.40 / 5 = 0.08, and over the cost budget
      candidate("expert", 3, 0, kPerfect),             // 0.40 / 3 = 0.13
      candidate("asked", 0.1, 0, kPerfect),            // 4.0, but asked already
      candidate("french", 0.1, 0, kPerfect, {"fr"}),   // fails the targeting
      candidate("unqualified", 0.1, 0, kPerfect),      // fails the predicate
      candidate("away", 0.1, 0, kPerfect),             // inactive
  };
  pool[7].worker.active = false;
  const std::vector<Requirement> german = {{"language", "de"}};
  const auto qualified = [](const WorkerCandidate& c) { return c.worker.ref.id != "unqualified"; };
  Assignment a = choose_worker(t, pool, {"asked"}, german, qualified, 0, 0, exact);
  ASSERT_TRUE(a.chosen);
  EXPECT_EQ(pool[*a.chosen].worker.ref.id, "good");
  EXPECT_NEAR(a.gain, 0.26, 1e-12);
  EXPECT_EQ(a.reason, "worker good (tier 0): expected gain 0.26 per cost 1");

  // Without "good": "cheap" (0.20) beats "expert" (0.13).
  pool.erase(pool.begin() + 1);
  a = choose_worker(t, pool, {"asked"}, german, qualified, 0, 0, exact);
  ASSERT_TRUE(a.chosen);
  EXPECT_EQ(pool[*a.chosen].worker.ref.id, "cheap");
  // Without the targeting, "french" (0.4 / 0.1) wins.
  a = choose_worker(t, pool, {"asked"}, {}, qualified, 0, 0, exact);
  EXPECT_EQ(pool[*a.chosen].worker.ref.id, "french");
  // A live claim's cost counts against the budget: with 3.5 of 4 claimed only "cheap" fits.
  a = choose_worker(t, pool, {"asked"}, german, qualified, 1, 3.5, exact);
  EXPECT_EQ(pool[*a.chosen].worker.ref.id, "cheap");
}

TEST(Assignment, NobodyWhenTheBudgetIsTaken) {
  const store::TaskRecord t = task_ab(0.6, 2, 0);
  const std::vector<WorkerCandidate> pool = {candidate("w1", 1, 0, kGood)};
  Assignment a = choose_worker(t, pool, {}, {}, nullptr, 2, 2);
  EXPECT_FALSE(a.chosen);
  EXPECT_TRUE(a.budget_spent);
  EXPECT_EQ(a.reason, "budget spent: 0 answers and 2 open claims of 2");

  store::TaskRecord costly = task_ab(0.6, 0, 3);
  costly.cost = 2.5;
  a = choose_worker(costly, pool, {}, {}, nullptr, 0, 0);
  EXPECT_FALSE(a.chosen);
  EXPECT_TRUE(a.budget_spent);
  EXPECT_EQ(a.reason, "budget spent: cost 2.5 of 3, no eligible worker costs 0.5 or less");

  a = choose_worker(task_ab(0.6), pool, {"w1"}, {}, nullptr);
  EXPECT_FALSE(a.chosen);
  EXPECT_FALSE(a.budget_spent);
  EXPECT_EQ(a.reason,
            "no eligible worker of tier >= 0 is available (not asked yet, active, qualified and matching the targeting)");
}

TEST(Assignment, AnEscalatedTaskGoesOnlyToStrongerTiers) {
  const std::vector<WorkerCandidate> pool = {candidate("crowd", 0.2, 0, kPerfect), candidate("expert", 5, 1, kGood)};
  EXPECT_EQ(pool[*choose_worker(task_ab(0.6), pool, {}, {}).chosen].worker.ref.id, "crowd");
  EXPECT_EQ(pool[*choose_worker(task_ab(0.6, 5, 0, 1), pool, {}, {}).chosen].worker.ref.id, "expert");
}

// ---- decisions ----------------------------------------------------------------------------------------

TEST(Decision, AcceptsAsksAndEscalates) {
  VariableRoute settings;
  settings.threshold = 0.9;
  settings.escalate_after = 2;
  store::TaskRecord t = task_ab(0.5, 5);
  t.answers = 1;
  Decision d = decide(t, sdk::Distribution({{"a", 0.95}, {"b", 0.05}}), settings, 0);
  EXPECT_EQ(d.verdict, Verdict::accept);
  EXPECT_EQ(d.reason, "posterior 0.95 of \"a\" >= threshold 0.90 after 1 answer");
  d = decide(t, sdk::Distribution({{"a", 0.7}, {"b", 0.3}}), settings, 0);
  EXPECT_EQ(d.verdict, Verdict::ask);
  EXPECT_EQ(d.tier, 0);
  t.answers = 2;
  d = decide(t, sdk::Distribution({{"a", 0.7}, {"b", 0.3}}), settings, 0);
  EXPECT_EQ(d.verdict, Verdict::ask);
  EXPECT_EQ(d.tier, 1);
  EXPECT_EQ(d.reason, "posterior 0.70 of \"a\" < threshold 0.90 after 2 answers; ask a worker of tier >= 1");
  t.answers = 4;
  EXPECT_EQ(decide(t, sdk::Distribution({{"a", 0.7}, {"b", 0.3}}), settings, 0).tier, 2);
  d = decide(t, sdk::Distribution({{"a", 0.7}, {"b", 0.3}}), settings, 2);
  EXPECT_EQ(d.verdict, Verdict::expert);
  EXPECT_EQ(d.reason, "2 answers chose \"none of these\"; posterior 0.70 of \"a\" < threshold 0.90 after 4 answers");
  t.answers = 5;
  d = decide(t, sdk::Distribution({{"a", 0.7}, {"b", 0.3}}), settings, 0);
  EXPECT_EQ(d.verdict, Verdict::expert);
  EXPECT_EQ(d.reason, "budget spent: 5 of 5 answers; posterior 0.70 of \"a\" < threshold 0.90");
  settings.escalate_after = 0;
  t.answers = 4;
  EXPECT_EQ(decide(t, sdk::Distribution({{"a", 0.7}, {"b", 0.3}}), settings, 0).tier, 0);
}

// ---- through a real store -------------------------------------------------------------------------------

class EscalationStore : public store::testing::StoreTest {
 protected:
  // One German message with two unsure annotations, routed into the store.
  RoutePlan route(store::Store& s, RouteSpec r) {
    auto plan = route_message(s, testing::german_message(), testing::german_annotations(0.7, 0.3), r, "default", kT0);
    EXPECT_TRUE(plan.is_ok()) << plan.status().to_string();
    return plan.is_ok() ? std::move(plan).value() : RoutePlan{};
  }

  static store::AnswerRecord answer(const std::string& task, const std::string& worker, const std::string& value,
                                    double cost = 1) {
    store::AnswerRecord a;
    a.answer.task_id = task;
    a.answer.worker = {worker, "task_folder"};
    a.answer.value = value;
    a.answer.other_text = value.empty() ? "Mittwoch" : "";
    a.answer.answered_at = kT0 + std::chrono::minutes(5);
    a.cost = cost;
    return a;
  }
};

TEST_F(EscalationStore, AMessageBecomesACaseWhoseAnswersAreAccepted) {
  RouteSpec r;
  r.threshold = 0.9;
  r.defaults.audit_share = 0;
  r.defaults.targeting = {TargetRule{{}, {{"language", "{message.language}"}}}};
  {
    auto s = open_store();
    ASSERT_TRUE(s);
    const RoutePlan plan = route(*s, r);
    ASSERT_EQ(plan.tasks.size(), 2u);
    auto counts = s->counts();
    ASSERT_TRUE(counts.is_ok());
    EXPECT_EQ(counts.value().tasks.at(store::TaskState::open), 2);
    auto stored = s->get_task("case-7/time[0].polarity");
    ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
    EXPECT_EQ(stored.value().task.snippet, "Passt dir Dienstag um 15 Uhr?");
    EXPECT_EQ(stored.value().task.highlight.of(stored.value().task.snippet), "Dienstag um 15 Uhr");

    auto c = s->get_case("case-7");
    ASSERT_TRUE(c.is_ok());
    auto reqs = requirements_from_payload(c.value().payload, "case-7/request");
    ASSERT_TRUE(reqs.is_ok());
    EXPECT_EQ(reqs.value(), (std::vector<Requirement>{{"language", "de"}}));

    const std::vector<WorkerCandidate> pool = {
        candidate("anna", 1, 0, model("anna", {"schedule", "cancel"}, {0.95, 0.05, 0.05, 0.95})),
        candidate("ben", 1, 0, std::nullopt),
        candidate("english", 0.1, 0, std::nullopt, {"en"}),
    };
    for (const char* task : {"case-7/request", "case-7/time[0].polarity"}) {
      auto a = assign_next(*s, task, pool, reqs.value(), kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      ASSERT_TRUE(a.value().chosen);
      const WorkerCandidate& w = pool[*a.value().chosen];
      // anna's model covers request only; on the polarity she is unknown, like ben: the tie goes by id.
      EXPECT_EQ(w.worker.ref.id, "anna") << task;
    }
    // anna says schedule: 0.6 · 0.9455 / (0.6 · 0.9455 + 0.4 · 0.0545) = 0.963 >= 0.9.
    const sdk::WorkerModel anna = *pool[0].model;
    auto o = record_answer(*s, answer("case-7/request", "anna", "schedule"), r.for_variable("request"), &anna, kT0);
    ASSERT_TRUE(o.is_ok()) << o.status().to_string();
    EXPECT_EQ(o.value().decision.verdict, Verdict::accept);
    EXPECT_FALSE(o.value().case_ready);
    const double p = 0.6 * 0.9455 / (0.6 * 0.9455 + 0.4 * 0.0545);
    EXPECT_NEAR(o.value().answer.posterior.p("schedule"), p, 1e-12);
    // The polarity: anna (default model) says positive: 0.7·0.7 / (0.49 + 0.09) = 0.845 < 0.9; ben too:
    // 0.845·0.7 / (0.845·0.7 + 0.155·0.3) = 0.927.
    o = record_answer(*s, answer("case-7/time[0].polarity", "anna", "positive"), r.for_variable("time[0].polarity"),
                      nullptr, kT0);
    ASSERT_TRUE(o.is_ok()) << o.status().to_string();
    EXPECT_EQ(o.value().decision.verdict, Verdict::ask);
    auto next = assign_next(*s, "case-7/time[0].polarity", pool, reqs.value(), kT0);
    ASSERT_TRUE(next.is_ok());
    ASSERT_TRUE(next.value().chosen);
    EXPECT_EQ(pool[*next.value().chosen].worker.ref.id, "ben");  // anna has answered
    o = record_answer(*s, answer("case-7/time[0].polarity", "ben", "positive"), r.for_variable("time[0].polarity"),
                      nullptr, kT0);
    ASSERT_TRUE(o.is_ok());
    EXPECT_EQ(o.value().decision.verdict, Verdict::accept);
    EXPECT_TRUE(o.value().case_ready);
    EXPECT_NEAR(o.value().answer.posterior.p("positive"), 0.49 / 0.58 * 0.7 / (0.49 / 0.58 * 0.7 + 0.09 / 0.58 * 0.3),
                1e-12);
    // A repeated answer is refused and changes nothing.
    EXPECT_FALSE(record_answer(*s, answer("case-7/request", "anna", "cancel"), r.for_variable("request"), &anna, kT0)
                     .is_ok());
  }
  // Reopened: everything is there.
  auto s = open_store();
  ASSERT_TRUE(s);
  auto c = s->get_case("case-7");
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c.value().state, store::CaseState::ready);
  auto req = s->get_task("case-7/request");
  ASSERT_TRUE(req.is_ok());
  EXPECT_EQ(req.value().state, store::TaskState::accepted);
  EXPECT_EQ(req.value().posterior.top().value, "schedule");
  EXPECT_EQ(req.value().answers, 1);
  auto pol = s->get_task("case-7/time[0].polarity");
  ASSERT_TRUE(pol.is_ok());
  EXPECT_EQ(pol.value().state, store::TaskState::accepted);
  EXPECT_EQ(pol.value().answers, 2);
  EXPECT_DOUBLE_EQ(pol.value().cost, 2);
  auto answers = s->answers_of_task("case-7/time[0].polarity");
  ASSERT_TRUE(answers.is_ok());
  ASSERT_EQ(answers.value().size(), 2u);
  EXPECT_EQ(answers.value()[1].answer.worker.id, "ben");
  EXPECT_EQ(answers.value()[1].posterior, pol.value().posterior);
}

TEST_F(EscalationStore, AFailedMessageIsNotRoutedAndAConfidentOneMakesNoCase) {
  auto s = open_store();
  ASSERT_TRUE(s);
  sdk::Message m;
  m.id = "case-9";
  m.text = "Kaffee am Dienstag?";
  MessageResult failed;
  failed.state = MessageResult::State::failed;
  failed.error = "stage extract, instance 'cues': boom";
  failed.annotations = {sdk::Annotation{{"request", sdk::Distribution({{"schedule", 0.5}, {"cancel", 0.5}})}, {}, "", ""}};
  RouteSpec r;
  r.defaults.audit_share = 0;
  auto routed = route_message(*s, m, failed, r, "default", kT0);
  ASSERT_FALSE(routed.is_ok());
  EXPECT_EQ(routed.status().to_string(),
            "invalid_input: route: message case-9 failed (stage extract, instance 'cues': boom); a failed message is "
            "not routed");
  MessageResult confident;
  confident.annotations = {sdk::Annotation{{"request", sdk::Distribution({{"schedule", 0.95}, {"cancel", 0.05}})}, {}, "", ""}};
  routed = route_message(*s, m, confident, r, "default", kT0);
  ASSERT_TRUE(routed.is_ok()) << routed.status().to_string();
  EXPECT_TRUE(routed.value().tasks.empty());
  auto counts = s->counts();
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(counts.value().cases.at(store::CaseState::waiting), 0);
}

TEST_F(EscalationStore, TheCaseAndItsTasksAreWrittenTogetherOrNotAtAll) {
  auto s = open_store();
  ASSERT_TRUE(s);
  // A task id the router will make exists already (under another case): its second task fails, so the
  // case and its first task must not stay either.
  ASSERT_TRUE(s->transact([](store::Transaction& tx) {
                 if (auto st = tx.add_case(store::testing::make_case("other")); !st.is_ok()) return st;
                 return tx.add_task(store::testing::make_task("case-7/time[0].polarity", "other"));
               }).is_ok());
  RouteSpec r;
  r.threshold = 0.9;
  r.defaults.audit_share = 0;
  sdk::Message m;
  m.id = "case-7";
  m.text = "Passt dir Dienstag um 15 Uhr?";
  sdk::Annotation req;
  req.variable = {"request", sdk::Distribution({{"schedule", 0.6}, {"cancel", 0.4}})};
  sdk::Annotation pol;
  pol.variable = {"time[0].polarity", sdk::Distribution({{"positive", 0.7}, {"negative", 0.3}})};
  pol.span = {10, 28};
  auto routed = route_message(*s, m, {req, pol}, r, "default", kT0);
  ASSERT_FALSE(routed.is_ok());
  EXPECT_EQ(routed.status().code(), sdk::Code::invalid_input) << routed.status().to_string();
  EXPECT_EQ(s->get_case("case-7").status().code(), sdk::Code::not_found);
  EXPECT_EQ(s->get_task("case-7/request").status().code(), sdk::Code::not_found);
  auto counts = s->counts();
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(counts.value().tasks.at(store::TaskState::open), 1);
}

TEST_F(EscalationStore, EscalatesToAStrongerTierAndThenToAnExpert) {
  RouteSpec r;
  r.threshold = 0.9;
  r.defaults.audit_share = 0;
  r.defaults.escalate_after = 2;
  r.defaults.max_answers = 3;
  auto s = open_store();
  ASSERT_TRUE(s);
  route(*s, r);
  const std::string task = "case-7/time[0].polarity";
  const VariableRoute settings = r.for_variable("time[0].polarity");
  const std::vector<WorkerCandidate> pool = {candidate("c1", 0.5, 0, std::nullopt),
                                             candidate("c2", 0.5, 0, std::nullopt),
                                             candidate("c3", 0.5, 0, std::nullopt),
                                             candidate("pro", 4, 1, std::nullopt)};
  // Two crowd answers that disagree: 0.7 → 0.845 → 0.7, below 0.9; the task moves to tier 1.
  for (const auto& [worker, value] : std::vector<std::pair<std::string, std::string>>{{"c1", "positive"},
                                                                                     {"c2", "negative"}}) {
    auto a = assign_next(*s, task, pool, {}, kT0);
    ASSERT_TRUE(a.is_ok());
    ASSERT_TRUE(a.value().chosen);
    EXPECT_EQ(pool[*a.value().chosen].tier, 0);
    auto o = record_answer(*s, answer(task, worker, value, 0.5), settings, nullptr, kT0);
    ASSERT_TRUE(o.is_ok()) << o.status().to_string();
    EXPECT_EQ(o.value().decision.verdict, Verdict::ask);
  }
  auto t = s->get_task(task);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t.value().tier, 1);
  auto a = assign_next(*s, task, pool, {}, kT0);
  ASSERT_TRUE(a.is_ok());
  ASSERT_TRUE(a.value().chosen);
  EXPECT_EQ(pool[*a.value().chosen].worker.ref.id, "pro");  // c3 is cheaper, but tier 0
  // The professional says positive: 0.7 · 0.7 / (0.49 + 0.3 · 0.3) = 0.845: the budget of 3 is spent.
  auto o = record_answer(*s, answer(task, "pro", "positive", 4), settings, nullptr, kT0);
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(o.value().decision.verdict, Verdict::expert);
  t = s->get_task(task);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t.value().state, store::TaskState::expert);
  EXPECT_EQ(t.value().expert_reason, "budget spent: 3 of 3 answers; posterior 0.84 of \"positive\" < threshold 0.90");
  // The case still waits for its request task.
  EXPECT_EQ(s->get_case("case-7").value().state, store::CaseState::waiting);
  // Nobody is asked about a settled task.
  a = assign_next(*s, task, pool, {}, kT0);
  ASSERT_TRUE(a.is_ok());
  EXPECT_FALSE(a.value().chosen);
  // A late answer is kept and changes nothing.
  o = record_answer(*s, answer(task, "c3", "positive", 0.5), settings, nullptr, kT0);
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(o.value().decision.verdict, Verdict::late);
  EXPECT_EQ(s->get_task(task).value().state, store::TaskState::expert);
}

TEST_F(EscalationStore, MarksAnExpertWhenNoWorkerFitsTheCostLeft) {
  RouteSpec r;
  r.threshold = 0.99;
  r.defaults.audit_share = 0;
  r.defaults.max_answers = 0;
  r.defaults.max_cost = 2;
  r.defaults.escalate_after = 0;
  auto s = open_store();
  ASSERT_TRUE(s);
  route(*s, r);
  const std::string task = "case-7/request";
  const std::vector<WorkerCandidate> pool = {candidate("c1", 1.5, 0, std::nullopt),
                                             candidate("c2", 1.5, 0, std::nullopt)};
  auto a = assign_next(*s, task, pool, {}, kT0);
  ASSERT_TRUE(a.is_ok());
  ASSERT_TRUE(a.value().chosen);
  ASSERT_TRUE(record_answer(*s, answer(task, "c1", "schedule", 1.5), r.for_variable("request"), nullptr, kT0).is_ok());
  a = assign_next(*s, task, pool, {}, kT0);
  ASSERT_TRUE(a.is_ok());
  EXPECT_FALSE(a.value().chosen);
  EXPECT_TRUE(a.value().budget_spent);
  auto t = s->get_task(task);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t.value().state, store::TaskState::expert);
  // 0.6 · 0.7 / (0.42 + 0.12) = 0.78.
  EXPECT_EQ(t.value().expert_reason,
            "budget spent: cost 1.5 of 2, no eligible worker costs 0.5 or less; posterior 0.78 < its threshold");
}

TEST_F(EscalationStore, TwoNoneOfTheseAnswersGoToAnExpert) {
  RouteSpec r;
  r.threshold = 0.9;
  r.defaults.audit_share = 0;
  auto s = open_store();
  ASSERT_TRUE(s);
  route(*s, r);
  const std::string task = "case-7/time[0].polarity";
  const VariableRoute settings = r.for_variable("time[0].polarity");
  auto o = record_answer(*s, answer(task, "c1", ""), settings, nullptr, kT0);
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_EQ(o.value().decision.verdict, Verdict::ask);
  EXPECT_EQ(o.value().answer.posterior, sdk::Distribution({{"positive", 0.7}, {"negative", 0.3}}));
  o = record_answer(*s, answer(task, "c2", ""), settings, nullptr, kT0);
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(o.value().decision.verdict, Verdict::expert);
  EXPECT_EQ(s->get_task(task).value().expert_reason,
            "2 answers chose \"none of these\"; posterior 0.70 of \"positive\" < threshold 0.90 after 2 answers");
}

TEST_F(EscalationStore, UsesTheStoredModelOfTheVariableFamily) {
  RouteSpec r;
  r.threshold = 0.95;
  r.defaults.audit_share = 0;
  auto s = open_store();
  ASSERT_TRUE(s);
  route(*s, r);
  store::WorkerRecord w;
  w.ref = {"ida", "task_folder"};
  store::WorkerModelRecord m;
  m.variable = "time[*].polarity";
  m.model = model("ida", {"positive", "negative"}, {0.8, 0.2, 0.1, 0.9});
  m.fitted_at = kT0;
  ASSERT_TRUE(s->transact([&](store::Transaction& tx) {
                 if (auto st = tx.put_worker(w); !st.is_ok()) return st;
                 return tx.put_worker_model(m);
               }).is_ok());
  const std::string task = "case-7/time[0].polarity";
  auto o = record_answer(*s, answer(task, "ida", "positive"), r.for_variable("time[0].polarity"), nullptr, kT0);
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  // L(positive|positive) = 0.99 · 0.8 + 0.005 = 0.797; L(positive|negative) = 0.99 · 0.1 + 0.005 = 0.104.
  EXPECT_NEAR(o.value().answer.posterior.p("positive"), 0.7 * 0.797 / (0.7 * 0.797 + 0.3 * 0.104), 1e-12);
}

}  // namespace
}  // namespace tandem::hitl
