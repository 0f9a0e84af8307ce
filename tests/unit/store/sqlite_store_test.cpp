// SqliteStore: every record round-trips; a transaction is all or nothing; an answer is never doubled;
// claims are exclusive under concurrency (threads, and two Store objects on one file); a reopened file
// keeps everything; newer, foreign and non-SQLite files are refused with messages naming the file.
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "unit/store/store_test_support.hpp"

namespace tandem::store::testing {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

void expect_same_task(const TaskRecord& got, const TaskRecord& want) {
  EXPECT_EQ(got.task.id, want.task.id);
  EXPECT_EQ(got.task.case_id, want.task.case_id);
  EXPECT_EQ(got.task.variable, want.task.variable);
  EXPECT_EQ(got.task.options, want.task.options);
  EXPECT_EQ(got.task.allow_other, want.task.allow_other);
  EXPECT_EQ(got.task.instructions, want.task.instructions);
  EXPECT_EQ(got.task.snippet, want.task.snippet);
  EXPECT_EQ(got.task.highlight, want.task.highlight);
  EXPECT_EQ(got.task.language, want.task.language);
  EXPECT_EQ(got.task.created, want.task.created);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.tier, want.tier);
  EXPECT_EQ(got.max_answers, want.max_answers);
  EXPECT_EQ(got.max_cost, want.max_cost);
  EXPECT_EQ(got.answers, want.answers);
  EXPECT_DOUBLE_EQ(got.cost, want.cost);
  EXPECT_EQ(got.prior, want.prior);
  EXPECT_EQ(got.posterior, want.posterior);
  EXPECT_EQ(got.expert_reason, want.expert_reason);
  EXPECT_EQ(got.updated, want.updated);
}

void expect_same_answer(const AnswerRecord& got, const AnswerRecord& want) {
  EXPECT_EQ(got.seq, want.seq);
  EXPECT_EQ(got.answer.task_id, want.answer.task_id);
  EXPECT_EQ(got.answer.worker, want.answer.worker);
  EXPECT_EQ(got.answer.value, want.answer.value);
  EXPECT_EQ(got.answer.other_text, want.answer.other_text);
  EXPECT_EQ(got.answer.answered_at, want.answer.answered_at);
  EXPECT_EQ(got.variable, want.variable);
  EXPECT_EQ(got.tier, want.tier);
  EXPECT_EQ(got.cost, want.cost);
  EXPECT_EQ(got.posterior, want.posterior);
}

WorkerRecord make_worker(const std::string& id, std::vector<std::string> languages, std::string locale,
                         std::vector<std::string> skills, std::vector<std::string> tags) {
  WorkerRecord w;
  w.ref = {id, "files"};
  w.name = "Worker " + id;
  w.languages = std::move(languages);
  w.locale = std::move(locale);
  w.skills = std::move(skills);
  w.tags = std::move(tags);
  w.cost_per_answer = 0.05;
  w.created = kT0;
  return w;
}

ClaimRequest request_for(const std::string& worker, Seconds now = kT0) {
  ClaimRequest q;
  q.worker = {worker, "files"};
  q.now = now;
  q.lease = minutes(30);
  return q;
}

// ---- round trips ----------------------------------------------------------------------------------

using SqliteStoreRoundTrip = StoreTest;

TEST_F(SqliteStoreRoundTrip, CaseComesBackAsStoredAndUpdatesOnlyWhatIsSet) {
  auto store = open_store();
  ASSERT_TRUE(store);
  const CaseRecord c = make_case("case-1");
  ASSERT_TRUE(store->transact([&](Transaction& tx) { return tx.add_case(c); }).is_ok());
  auto got = store->get_case("case-1");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(*got, c);

  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    CaseUpdate u;
    u.case_id = "case-1";
    u.state = CaseState::failed;
    u.error = "stage solve: no calendar";
    u.at = kT0 + minutes(5);
    return tx.update_case(u);
  }).is_ok());
  CaseRecord want = c;
  want.state = CaseState::failed;
  want.error = "stage solve: no calendar";
  want.updated = kT0 + minutes(5);
  EXPECT_EQ(*store->get_case("case-1"), want);

  auto missing = store->get_case("case-2");
  EXPECT_EQ(missing.status().to_string(), "not_found: store " + file().string() + ": no case \"case-2\"");
}

TEST_F(SqliteStoreRoundTrip, TaskKeepsEveryFieldAndItsPosteriorStartsAsThePrior) {
  auto store = open_store();
  ASSERT_TRUE(store);
  TaskRecord t = make_task("task-1", "case-1");
  t.kind = TaskKind::audit;
  t.tier = 1;
  t.max_cost = 0.5;
  t.answers = 7;  // ignored: the store counts answers itself
  t.cost = 3;
  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    if (auto s = tx.add_case(make_case("case-1")); !s.is_ok()) return s;
    return tx.add_task(t);
  }).is_ok());
  TaskRecord want = t;
  want.answers = 0;
  want.cost = 0;
  want.posterior = t.prior;
  auto got = store->get_task("task-1");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  expect_same_task(*got, want);
  EXPECT_EQ(got->task.highlight.of(got->task.snippet), "the Tuesday after at 3");
}

TEST_F(SqliteStoreRoundTrip, AnswerUpdatesTheTasksCountersPosteriorAndClaim) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 1, 3).is_ok());
  ASSERT_TRUE(store->claim_next(request_for("w1")).is_ok());

  AnswerRecord a = make_answer("t0", "w1", "negative", kT0 + minutes(2));
  a.posterior = sdk::Distribution({{"negative", 0.7}, {"positive", 0.2}, {"neutral", 0.1}});
  auto stored = store->record_answer(a, std::nullopt);
  ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
  EXPECT_EQ(stored->seq, 1);
  EXPECT_EQ(stored->variable, "time[0].polarity");

  AnswerRecord other = make_answer("t0", "w2", "", kT0 + minutes(3));
  other.answer.other_text = "she means the Wednesday";
  other.cost = 0.25;
  auto stored2 = store->record_answer(other, std::nullopt);
  ASSERT_TRUE(stored2.is_ok()) << stored2.status().to_string();
  EXPECT_EQ(stored2->seq, 2);

  auto answers = store->answers_of_task("t0");
  ASSERT_TRUE(answers.is_ok());
  ASSERT_EQ(answers->size(), 2u);
  AnswerRecord want = a;
  want.seq = 1;
  want.variable = "time[0].polarity";
  expect_same_answer((*answers)[0], want);
  AnswerRecord want2 = other;
  want2.seq = 2;
  want2.variable = "time[0].polarity";
  expect_same_answer((*answers)[1], want2);

  auto task = store->get_task("t0");
  ASSERT_TRUE(task.is_ok());
  EXPECT_EQ(task->answers, 2);
  EXPECT_DOUBLE_EQ(task->cost, 0.30);
  EXPECT_EQ(task->posterior, a.posterior);  // the second answer carried none
  EXPECT_EQ(task->updated, kT0 + minutes(3));
  auto claims = store->query<std::vector<Claim>>([](Reader& r) { return r.claims_of_task("t0", kT0); });
  ASSERT_TRUE(claims.is_ok());
  EXPECT_TRUE(claims->empty());  // answering dropped w1's claim
}

TEST_F(SqliteStoreRoundTrip, WorkersQualificationsModelsAndGold) {
  auto store = open_store();
  ASSERT_TRUE(store);
  const WorkerRecord ana = make_worker("ana", {"es", "en"}, "es_ES", {"scheduling"}, {"night-shift", "trusted"});
  WorkerRecord ben = make_worker("ben", {"en"}, "en_GB", {}, {"trusted"});
  ben.ref.backend = "web";
  WorkerRecord cleo = make_worker("cleo", {"de", "en"}, "de_DE", {"scheduling"}, {});
  cleo.active = false;
  const Qualification q{"ana", "time[0].polarity", QualificationState::revoked,
                        "gold accuracy 0.41 < 0.70 over 20 answers", 4, 5, kT0 + hours(1)};
  WorkerModelRecord m;
  m.variable = "time[0].polarity";
  m.model.worker = "ana";
  m.model.labels = {"negative", "positive"};
  m.model.confusion = {0.9, 0.1, 0.2, 0.8};
  m.model.answers = 42;
  m.fitted_at = kT0 + hours(2);
  TaskRecord gold_task = make_task("g1", "", "time[0].polarity", 0);
  const GoldRecord gold{"g1", "", "negative", "\"I'm out next week\" refuses next week"};

  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    for (const WorkerRecord* w : std::initializer_list<const WorkerRecord*>{&ana, &ben, &cleo})
      if (auto s = tx.put_worker(*w); !s.is_ok()) return s;
    if (auto s = tx.set_qualification(q); !s.is_ok()) return s;
    if (auto s = tx.put_worker_model(m); !s.is_ok()) return s;
    if (auto s = tx.add_task(gold_task); !s.is_ok()) return s;
    return tx.add_gold(gold);
  }).is_ok());

  std::vector<std::string> ids;
  const sdk::Status read = store->read([&](Reader& r) {
    auto w = r.get_worker("ana");
    if (!w.is_ok()) return w.status();
    EXPECT_EQ(*w, ana);
    WorkerQuery q_en;
    q_en.language = "en";
    auto by_language = r.find_workers(q_en);
    EXPECT_TRUE(by_language.is_ok());
    for (const auto& x : *by_language) ids.push_back(x.ref.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"ana", "ben"}));  // cleo is inactive
    q_en.active_only = false;
    auto inactive_too = r.find_workers(q_en);
    EXPECT_EQ(inactive_too->size(), 3u);
    WorkerQuery q_skill;
    q_skill.skill = "scheduling";
    q_skill.active_only = false;
    auto by_skill = r.find_workers(q_skill);
    EXPECT_EQ(by_skill->size(), 2u);
    WorkerQuery q_web;
    q_web.backend = "web";
    q_web.tag = "trusted";
    auto by_tag_backend = r.find_workers(q_web);
    EXPECT_EQ(*by_tag_backend, std::vector<WorkerRecord>{ben});
    WorkerQuery q_locale;
    q_locale.locale = "es_ES";
    auto by_locale = r.find_workers(q_locale);
    EXPECT_EQ(by_locale->size(), 1u);

    auto qual = r.qualification("ana", "time[0].polarity");
    EXPECT_TRUE(qual.is_ok());
    EXPECT_EQ(*qual, q);
    EXPECT_EQ(r.qualification("ben", "time[0].polarity").status().to_string(),
              "not_found: store " + file().string() + ": worker \"ben\" has no standing on \"time[0].polarity\"");
    EXPECT_EQ(r.qualified_on("time[0].polarity", QualificationState::revoked)->size(), 1u);
    EXPECT_EQ(r.qualified_on("time[0].polarity", QualificationState::qualified)->size(), 0u);

    auto model = r.worker_model("ana", "time[0].polarity");
    EXPECT_TRUE(model.is_ok());
    EXPECT_EQ(model->model.labels, m.model.labels);
    EXPECT_EQ(model->model.confusion, m.model.confusion);
    EXPECT_EQ(model->model.answers, 42);
    EXPECT_EQ(model->fitted_at, m.fitted_at);
    EXPECT_EQ(r.worker_models("time[0].polarity")->size(), 1u);

    GoldRecord want_gold = gold;
    want_gold.variable = "time[0].polarity";
    EXPECT_EQ(*r.gold("g1"), want_gold);
    EXPECT_EQ(*r.gold_of_variable("time[0].polarity"), std::vector<GoldRecord>{want_gold});
    return sdk::Status::ok();
  });
  EXPECT_TRUE(read.is_ok()) << read.to_string();

  // put_worker replaces, attributes included.
  WorkerRecord ana2 = ana;
  ana2.languages = {"pt"};
  ana2.tags = {};
  ASSERT_TRUE(store->transact([&](Transaction& tx) { return tx.put_worker(ana2); }).is_ok());
  EXPECT_EQ(*store->query<WorkerRecord>([](Reader& r) { return r.get_worker("ana"); }), ana2);
}

TEST_F(SqliteStoreRoundTrip, CountsEveryStateForReports) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 3, 2).is_ok());
  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    if (auto s = tx.update_case({"c0", CaseState::done, {}, {}, kT0}); !s.is_ok()) return s;
    TaskUpdate u;
    u.task_id = "t1";
    u.state = TaskState::expert;
    u.expert_reason = "two answers disagree after tier 2";
    if (auto s = tx.update_task(u); !s.is_ok()) return s;
    if (auto s = tx.put_worker(make_worker("w", {"en"}, "en_US", {}, {})); !s.is_ok()) return s;
    return tx.add_answer(make_answer("t0", "w", "positive")).status();
  }).is_ok());
  ASSERT_TRUE(store->claim_next(request_for("v")).is_ok());
  auto c = store->counts();
  ASSERT_TRUE(c.is_ok());
  StoreCounts want;
  want.cases = {{CaseState::waiting, 2}, {CaseState::ready, 0}, {CaseState::done, 1}, {CaseState::failed, 0}};
  want.tasks = {{TaskState::open, 2}, {TaskState::accepted, 0}, {TaskState::expert, 1}, {TaskState::exhausted, 0},
                {TaskState::cancelled, 0}};
  want.answers = 1;
  want.claims = 1;
  want.workers = 1;
  want.gold = 0;
  EXPECT_EQ(*c, want);
  auto waiting = store->cases_waiting();
  ASSERT_TRUE(waiting.is_ok());
  ASSERT_EQ(waiting->size(), 2u);
  EXPECT_EQ((*waiting)[0].id, "c1");
  auto expert = store->get_task("t1");
  EXPECT_EQ(expert->state, TaskState::expert);
  EXPECT_EQ(expert->expert_reason, "two answers disagree after tier 2");
}

// ---- transactions -------------------------------------------------------------------------------

using SqliteStoreTransaction = StoreTest;

TEST_F(SqliteStoreTransaction, AFailingStepInTheMiddleLeavesNothingBehind) {
  auto store = open_store();
  ASSERT_TRUE(store);
  const sdk::Status s = store->transact([&](Transaction& tx) {
    if (auto r = tx.add_case(make_case("c1")); !r.is_ok()) return r;
    if (auto r = tx.add_task(make_task("t1", "c1")); !r.is_ok()) return r;
    if (auto r = tx.add_answer(make_answer("t1", "w1", "positive")); !r.is_ok()) return r.status();
    // The step that fails: a value the task does not offer.
    if (auto r = tx.add_answer(make_answer("t1", "w2", "maybe")); !r.is_ok()) return r.status();
    return tx.add_task(make_task("t2", "c1"));
  });
  EXPECT_EQ(s.to_string(), "invalid_input: store " + file().string() +
                               ": task \"t1\": answer of worker \"w2\": \"maybe\" is not one of its options "
                               "[\"positive\",\"negative\",\"neutral\"]");
  auto c = store->counts();
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->cases[CaseState::waiting], 0);
  EXPECT_EQ(c->tasks[TaskState::open], 0);
  EXPECT_EQ(c->answers, 0);
  EXPECT_EQ(store->get_case("c1").status().code(), sdk::Code::not_found);

  // The store is usable afterwards, and answer numbers are not consumed by the rolled-back insert
  // in a way that matters: the next answer is stored and counted.
  ASSERT_TRUE(add_cases_with_tasks(*store, 1).is_ok());
  EXPECT_TRUE(store->record_answer(make_answer("t0", "w1", "positive"), std::nullopt).is_ok());
  EXPECT_EQ(store->counts()->answers, 1);
}

TEST_F(SqliteStoreTransaction, AnExceptionRollsBackAndBecomesAStatus) {
  auto store = open_store();
  ASSERT_TRUE(store);
  const sdk::Status s = store->transact([&](Transaction& tx) -> sdk::Status {
    if (auto r = tx.add_case(make_case("c1")); !r.is_ok()) return r;
    throw std::runtime_error("backend exploded");
  });
  EXPECT_EQ(s.to_string(), "internal: store " + file().string() + ": transaction aborted: backend exploded");
  EXPECT_EQ(store->get_case("c1").status().code(), sdk::Code::not_found);
}

TEST_F(SqliteStoreTransaction, ARecordAnswerWhoseTaskUpdateFailsKeepsNoAnswer) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 1).is_ok());
  TaskUpdate bad;
  bad.task_id = "t0";
  bad.state = TaskState::expert;  // without a reason
  auto r = store->record_answer(make_answer("t0", "w1", "positive"), bad);
  EXPECT_EQ(r.status().to_string(), "invalid_input: store " + file().string() +
                                        ": cannot update task \"t0\": marked for an expert without a reason");
  EXPECT_TRUE(store->answers_of_task("t0")->empty());
  EXPECT_EQ(store->get_task("t0")->answers, 0);
}

TEST_F(SqliteStoreTransaction, NestingOnTheSameStoreIsRefusedNotADeadlock) {
  auto store = open_store();
  ASSERT_TRUE(store);
  sdk::Status inner;
  const sdk::Status outer = store->transact([&](Transaction& tx) {
    if (auto r = tx.add_case(make_case("c1")); !r.is_ok()) return r;
    inner = store->read([](Reader&) { return sdk::Status::ok(); });
    return inner;
  });
  EXPECT_EQ(inner.to_string(), "internal: store " + file().string() +
                                   ": a transaction was started inside another one of the same store; nesting is "
                                   "not supported");
  EXPECT_EQ(outer.to_string(), inner.to_string());
  EXPECT_EQ(store->get_case("c1").status().code(), sdk::Code::not_found);
}

TEST_F(SqliteStoreTransaction, RefusedWritesNameWhatAndWhere) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 1).is_ok());
  const std::string f = "store " + file().string() + ": ";
  const sdk::Status s = store->transact([&](Transaction& tx) {
    EXPECT_EQ(tx.add_case(make_case("c0")).to_string(), "invalid_input: " + f + "case \"c0\" exists already");
    EXPECT_EQ(tx.add_task(make_task("t9", "nope")).to_string(),
              "not_found: " + f + "cannot add task \"t9\": no case \"nope\"");
    TaskRecord wide = make_task("t9", "c0");
    wide.task.highlight = {44, 80};
    EXPECT_EQ(tx.add_task(wide).to_string(),
              "invalid_input: " + f + "cannot add task \"t9\": its highlight [44, 80) is outside its snippet of 67 bytes");
    TaskUpdate accept;
    accept.task_id = "t9";
    accept.state = TaskState::accepted;
    EXPECT_EQ(tx.update_task(accept).to_string(),
              "not_found: " + f + "cannot update task \"t9\": no such task");
    CaseUpdate done;
    done.case_id = "c9";
    done.state = CaseState::done;
    EXPECT_EQ(tx.update_case(done).to_string(),
              "not_found: " + f + "cannot update case \"c9\": no such case");
    EXPECT_EQ(tx.add_answer(make_answer("t9", "w1", "positive")).status().to_string(),
              "not_found: " + f + "answer of worker \"w1\" to unknown task \"t9\"");
    EXPECT_EQ(tx.set_qualification({"zed", "request", QualificationState::qualified, "", 0, 0, kT0}).to_string(),
              "not_found: " + f + "cannot set the standing of worker \"zed\" on \"request\": no such worker");
    if (auto r = tx.put_worker(make_worker("zed", {"en"}, "en_US", {}, {})); !r.is_ok()) return r;
    EXPECT_EQ(tx.set_qualification({"zed", "request", QualificationState::revoked, "", 0, 0, kT0}).to_string(),
              "invalid_input: " + f + "cannot set the standing of worker \"zed\" on \"request\": revoked without a reason");
    WorkerModelRecord m;
    m.variable = "request";
    m.model.worker = "zed";
    m.model.labels = {"a", "b"};
    m.model.confusion = {0.5, 0.5, 0.5};
    EXPECT_EQ(tx.put_worker_model(m).to_string(),
              "invalid_input: " + f + "cannot store the model of worker \"zed\" on \"request\": the matrix has 3 "
                                      "cells, 2 labels need 4");
    m.model.confusion = {0.5, 0.5, 0.7, 0.2};
    EXPECT_EQ(tx.put_worker_model(m).to_string(),
              "invalid_input: " + f + "cannot store the model of worker \"zed\" on \"request\": row \"b\" sums to "
                                      "0.900000, not 1");
    EXPECT_EQ(tx.add_gold({"t0", "", "positive", ""}).to_string(),
              "invalid_input: " + f + "cannot add gold question \"t0\": the task is of kind routed, not gold");
    return sdk::Status::ok();
  });
  EXPECT_TRUE(s.is_ok()) << s.to_string();
}

// ---- answers are never doubled -----------------------------------------------------------------

TEST_F(StoreTest, ARepeatedAnswerIsRefusedAndNotCounted) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 1, 3).is_ok());
  ASSERT_TRUE(store->record_answer(make_answer("t0", "w1", "positive"), std::nullopt).is_ok());
  auto again = store->record_answer(make_answer("t0", "w1", "negative", kT0 + minutes(1)), std::nullopt);
  EXPECT_EQ(again.status().to_string(),
            "invalid_input: store " + file().string() +
                ": task \"t0\" already has an answer from worker \"w1\" (answer 1); a repeated answer is not recorded");
  auto answers = store->answers_of_task("t0");
  ASSERT_EQ(answers->size(), 1u);
  EXPECT_EQ((*answers)[0].answer.value, "positive");
  EXPECT_EQ(store->get_task("t0")->answers, 1);
}

// ---- claims -------------------------------------------------------------------------------------

using SqliteStoreClaim = StoreTest;

TEST_F(SqliteStoreClaim, FollowsVariablesLanguagesTierAndSkipsGoldAndAnswered) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    if (auto s = tx.add_case(make_case("c")); !s.is_ok()) return s;
    auto add = [&](const std::string& id, const std::string& variable, const std::string& language, int tier,
                   int offset) {
      auto t = make_task(id, "c", variable, 2);
      t.task.language = language;
      t.tier = tier;
      t.task.created = kT0 + seconds(offset);
      return tx.add_task(t);
    };
    for (auto s : {add("de", "request", "de", 0, 1), add("tier1", "request", "en", 1, 2),
                   add("req", "request", "en", 0, 3), add("any", "event_type", "", 0, 4)})
      if (!s.is_ok()) return s;
    auto gold = make_task("gold", "", "request", 0);
    gold.task.created = kT0;
    return tx.add_task(gold);
  }).is_ok());

  auto next = [&](ClaimRequest q) -> std::string {
    auto r = store->claim_next(q);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() && r->has_value() ? (*r)->task.id : "none";
  };
  ClaimRequest en = request_for("ann");
  en.languages = {"en"};
  en.variables = {"request"};
  EXPECT_EQ(next(en), "req");   // not de (language), not tier1 (tier), not gold
  EXPECT_EQ(next(en), "none");  // ann holds req already
  en.tier = 1;
  EXPECT_EQ(next(en), "tier1");
  ClaimRequest any = request_for("bob");
  EXPECT_EQ(next(any), "de");
  EXPECT_EQ(next(any), "req");
  EXPECT_EQ(next(any), "any");
  EXPECT_EQ(next(any), "none");

  // The gold question is claimed by id only; an answered task is never claimed again.
  auto gold = store->transact([&](Transaction& tx) { return tx.claim_task("gold", request_for("bob")).status(); });
  EXPECT_TRUE(gold.is_ok()) << gold.to_string();
  ASSERT_TRUE(store->transact([](Transaction& tx) { return tx.release_claim("de", "bob"); }).is_ok());
  ASSERT_TRUE(store->record_answer(make_answer("de", "carl", "positive"), std::nullopt).is_ok());
  ClaimRequest carl = request_for("carl");
  carl.variables = {"request"};
  EXPECT_EQ(next(carl), "none");  // de answered by carl, req full (ann, bob), tier1 above carl's tier
  ClaimRequest dave = request_for("dave");
  dave.variables = {"request"};
  EXPECT_EQ(next(dave), "de");    // carl's answer and bob's released claim leave room for one
}

TEST_F(SqliteStoreClaim, BudgetCountsLiveClaimsAndExpiredOnesFreeIt) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 1, 2).is_ok());
  auto claim = [&](const std::string& w, Seconds now) {
    auto r = store->claim_next(request_for(w, now));
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() && r->has_value();
  };
  EXPECT_TRUE(claim("w1", kT0));
  EXPECT_TRUE(claim("w2", kT0));
  EXPECT_FALSE(claim("w3", kT0 + minutes(29)));  // two live claims fill a budget of two
  const std::string f = "store " + file().string() + ": ";
  EXPECT_EQ(store->transact([&](Transaction& tx) {
    return tx.claim_task("t0", request_for("w3", kT0 + minutes(29))).status();
  }).to_string(), "unavailable: " + f + "cannot claim task \"t0\" for worker \"w3\": its budget of 2 answers is taken "
                                         "(0 answered, 2 claimed)");
  ASSERT_TRUE(store->record_answer(make_answer("t0", "w1", "positive"), std::nullopt).is_ok());
  EXPECT_FALSE(claim("w3", kT0 + minutes(29)));  // 1 answer + w2's claim
  EXPECT_TRUE(claim("w3", kT0 + minutes(30)));   // w2's lease ran out
  EXPECT_EQ(store->transact([&](Transaction& tx) {
    return tx.claim_task("t0", request_for("w1", kT0 + minutes(30))).status();
  }).to_string(), "invalid_input: " + f + "cannot claim task \"t0\" for worker \"w1\": the worker has answered it "
                                           "already (answer 1)");

  // A cost budget: 0.3 with answers of 0.2 leaves room for one.
  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    auto t = make_task("tc", "c0", "request", 0);
    t.max_cost = 0.3;
    return tx.add_task(t);
  }).is_ok());
  ClaimRequest q = request_for("x", kT0);
  q.variables = {"request"};
  q.cost = 0.2;
  EXPECT_TRUE(store->claim_next(q)->has_value());
  q.worker.id = "y";
  EXPECT_FALSE(store->claim_next(q)->has_value());
}

// Several threads claim from one store until nothing is left: each task is handed out exactly as often
// as its budget allows, never twice to one worker.
void expect_exclusive_claims(const std::vector<Store*>& stores, int tasks, int budget, int threads) {
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> given;  // task -> workers
  std::vector<std::string> errors;
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      Store& store = *stores[static_cast<std::size_t>(i) % stores.size()];
      const std::string worker = "w" + std::to_string(i);
      for (;;) {
        auto r = store.claim_next(request_for(worker));
        std::lock_guard<std::mutex> lock(mutex);
        if (!r.is_ok()) {
          errors.push_back(r.status().to_string());
          return;
        }
        if (!r->has_value()) return;
        given[(*r)->task.id].push_back(worker);
      }
    });
  }
  for (auto& t : pool) t.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(given.size(), static_cast<std::size_t>(tasks));
  for (auto& [task, workers] : given) {
    EXPECT_EQ(workers.size(), static_cast<std::size_t>(budget)) << task;
    std::sort(workers.begin(), workers.end());
    EXPECT_EQ(std::adjacent_find(workers.begin(), workers.end()), workers.end()) << task << " given twice to one worker";
  }
  auto c = stores[0]->counts();
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->claims, tasks * budget);
}

TEST_F(SqliteStoreClaim, IsExclusiveAcrossThreadsOfOneStore) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 60, 2).is_ok());
  expect_exclusive_claims({store.get()}, 60, 2, 8);
}

TEST_F(SqliteStoreClaim, IsExclusiveAcrossTwoStoresOnOneFile) {
  auto a = open_store();
  auto b = open_store();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(add_cases_with_tasks(*a, 60, 3).is_ok());
  expect_exclusive_claims({a.get(), b.get()}, 60, 3, 6);
}

// ---- the file -----------------------------------------------------------------------------------

using SqliteStoreFile = StoreTest;

TEST_F(SqliteStoreFile, ReopeningKeepsEverything) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(add_cases_with_tasks(*store, 3, 2).is_ok());
    ASSERT_TRUE(store->claim_next(request_for("w1")).is_ok());
    ASSERT_TRUE(store->record_answer(make_answer("t1", "w2", "neutral"), std::nullopt).is_ok());
    ASSERT_TRUE(store->transact([&](Transaction& tx) {
      return tx.put_worker(make_worker("w1", {"en"}, "en_US", {"dates"}, {"pilot"}));
    }).is_ok());
  }
  auto store = open_store();
  ASSERT_TRUE(store);
  auto c = store->counts();
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->cases[CaseState::waiting], 3);
  EXPECT_EQ(c->tasks[TaskState::open], 3);
  EXPECT_EQ(c->answers, 1);
  EXPECT_EQ(c->claims, 1);
  EXPECT_EQ(c->workers, 1);
  EXPECT_EQ(store->get_task("t1")->answers, 1);
  EXPECT_EQ((*store->answers_of_task("t1"))[0].answer.value, "neutral");
  EXPECT_EQ(store->query<WorkerRecord>([](Reader& r) { return r.get_worker("w1"); })->tags,
            std::vector<std::string>{"pilot"});
  // The numbering goes on after a reopen.
  auto next = store->record_answer(make_answer("t2", "w2", "neutral"), std::nullopt);
  ASSERT_TRUE(next.is_ok());
  EXPECT_EQ(next->seq, 2);
}

TEST_F(SqliteStoreFile, UsesWalFullSyncAndRecordsItsSchemaVersion) {
  ASSERT_TRUE(open_store());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file().string().c_str(), &db), SQLITE_OK);
  auto one = [&](const char* sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(s), SQLITE_ROW);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
  };
  EXPECT_EQ(one("PRAGMA journal_mode"), "wal");  // persistent in the file
  EXPECT_EQ(one("PRAGMA user_version"), "1");
  sqlite3_close(db);
}

TEST_F(SqliteStoreFile, ANewerSchemaIsRefusedNamingTheFileAndBothVersions) {
  ASSERT_TRUE(open_store());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file().string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto r = SqliteStore::open(file());
  EXPECT_EQ(r.status().to_string(),
            "invalid_input: store " + file().string() +
                ": schema version 7 is newer than this tandem's 1; open it with the tandem that wrote it, or a "
                "newer one");
}

TEST_F(SqliteStoreFile, AFileThatIsNotSqliteIsRefusedNamingTheFile) {
  {
    std::ofstream out(file("notes.db"));
    out << "Subject: not a database\n\nThis is a mail, not an SQLite file; tandem must say so.\n"
        << std::string(200, 'x') << "\n";
  }
  auto r = SqliteStore::open(file("notes.db"));
  EXPECT_EQ(r.status().to_string(), "invalid_input: store " + file("notes.db").string() +
                                        ": cannot read the schema: file is not a database");
}

TEST_F(SqliteStoreFile, ACorruptStoreIsRefusedNamingTheFile) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(add_cases_with_tasks(*store, 20).is_ok());
  }
  // Overwrite every page after the first with garbage: the header still says SQLite, the schema does not.
  std::filesystem::remove(file().string() + "-wal");
  std::filesystem::remove(file().string() + "-shm");
  const auto size = std::filesystem::file_size(file());
  {
    std::fstream io(file(), std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(100);
    const std::string junk(size - 100, '\x5a');
    io.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto r = SqliteStore::open(file());
  EXPECT_EQ(r.status().to_string(), "invalid_input: store " + file().string() +
                                        ": cannot read the schema: database disk image is malformed");
}

TEST_F(SqliteStoreFile, AnSqliteFileOfAnotherProgramIsRefused) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file("other.db").string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE songs (title TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto r = SqliteStore::open(file("other.db"));
  EXPECT_EQ(r.status().to_string(), "invalid_input: store " + file("other.db").string() +
                                        ": is an SQLite database but not a tandem store (it has tables and no tandem "
                                        "schema version)");
}

TEST_F(SqliteStoreFile, AMissingFileIsNotFoundWhenCreationIsOff) {
  SqliteOptions options;
  options.create = false;
  auto r = SqliteStore::open(file("absent.db"), options);
  EXPECT_EQ(r.status().to_string(), "not_found: store " + file("absent.db").string() + ": no such file");
  EXPECT_FALSE(std::filesystem::exists(file("absent.db")));
}

// ---- the sliding window of a refit ---------------------------------------------------------------

TEST_F(StoreTest, AnswersInWindowAreThoseOfTheVariableFromInclusiveToExclusive) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(add_cases_with_tasks(*store, 4, 5).is_ok());
  ASSERT_TRUE(store->transact([&](Transaction& tx) {
    if (auto s = tx.add_task(make_task("other", "c0", "request", 5)); !s.is_ok()) return s;
    const Seconds now = kT0 + days(30);
    const std::pair<const char*, Seconds> answers[] = {
        {"t0", now - days(7) - seconds(1)},  // just before the window
        {"t1", now - days(7)},               // its first second
        {"t2", now - hours(1)},
        {"t3", now},                         // the window's end is excluded
    };
    for (const auto& [task, when] : answers)
      if (auto r = tx.add_answer(make_answer(task, "w1", "positive", when)); !r.is_ok()) return r.status();
    if (auto r = tx.add_answer(make_answer("t2", "w2", "negative", now - days(8))); !r.is_ok()) return r.status();
    return tx.add_answer(make_answer("other", "w1", "positive", now - hours(2))).status();
  }).is_ok());
  const Seconds now = kT0 + days(30);
  auto window = store->query<std::vector<AnswerRecord>>(
      [&](Reader& r) { return r.answers_in_window("time[0].polarity", now - days(7), now); });
  ASSERT_TRUE(window.is_ok()) << window.status().to_string();
  std::vector<std::string> got;
  for (const auto& a : *window) got.push_back(a.answer.task_id + "/" + a.answer.worker.id);
  EXPECT_EQ(got, (std::vector<std::string>{"t1/w1", "t2/w1"}));

  auto of_worker = store->query<std::vector<AnswerRecord>>(
      [&](Reader& r) { return r.answers_of_worker("w1", "time[0].polarity"); });
  EXPECT_EQ(of_worker->size(), 4u);
  auto everything = store->query<std::vector<AnswerRecord>>([&](Reader& r) { return r.answers_of_worker("w1", ""); });
  EXPECT_EQ(everything->size(), 5u);
}

}  // namespace
}  // namespace tandem::store::testing
