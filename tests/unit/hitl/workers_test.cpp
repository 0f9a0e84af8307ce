#include "hitl/workers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "hitl/quality.hpp"
#include "tandem/plugin_host.hpp"
#include "unit/store/store_test_support.hpp"

namespace tandem::hitl {
namespace {

using store::testing::kT0;
using store::testing::make_answer;
using store::testing::make_case;
using store::testing::make_task;
using store::testing::StoreTest;

const std::string kQualificationFile = std::string(TANDEM_SOURCE_DIR) + "/config/qualification/time.yaml";
const std::string kRosterFile = std::string(TANDEM_SOURCE_DIR) + "/config/workers/roster.example.yaml";

store::WorkerRecord worker(const std::string& id, const std::string& locale = "en_US") {
  store::WorkerRecord w;
  w.ref = {id, "files"};
  w.languages = {"en"};
  w.locale = locale;
  w.created = kT0;
  return w;
}

// ---- roster ----------------------------------------------------------------------------------------------

TEST(Roster, TheExampleReads) {
  const RosterResult r = read_roster(kRosterFile, kT0);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.workers.size(), 4u);
  EXPECT_EQ(r.workers[0].ref.id, "ana");
  EXPECT_EQ(r.workers[0].ref.backend, "files");
  EXPECT_EQ(r.workers[0].languages, (std::vector<std::string>{"pt", "en"}));
  EXPECT_EQ(r.workers[0].locale, "pt_BR");
  EXPECT_EQ(r.workers[0].tags, (std::vector<std::string>{"night-shift"}));
  EXPECT_DOUBLE_EQ(r.workers[0].cost_per_answer, 0.05);
  EXPECT_EQ(worker_tier(r.workers[0]), 0);
  EXPECT_EQ(worker_tier(r.workers[2]), 1);
  EXPECT_EQ(worker_tier(r.workers[3]), 2);
  EXPECT_EQ(r.workers[3].tags, (std::vector<std::string>{"staff", "tier:2"}));
}

TEST(Roster, ErrorsNameFileLineColumn) {
  const std::string text =
      "workers:\n"
      "  - id: ana\n"
      "    backend: files\n"
      "    languages: [pt, English]\n"
      "    tier: -1\n"
      "  - id: jonas\n"
      "    backnd: files\n"
      "  - id: ana\n"
      "    backend: files\n"
      "    tags: [tier:3]\n";
  const RosterResult r = parse_roster(text, "roster.yaml", kT0);
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0].rfind("roster.yaml:4:21: error: workers[0].languages[1]: ", 0), 0u) << r.errors[0];
  EXPECT_EQ(r.errors[1].rfind("roster.yaml:5:11: error: workers[0].tier: ", 0), 0u) << r.errors[1];
  EXPECT_EQ(r.errors[2].rfind("roster.yaml:6:5: error: workers[1]: ", 0), 0u) << r.errors[2];  // no backend
  EXPECT_NE(r.errors[2].find("backend"), std::string::npos) << r.errors[2];
  EXPECT_EQ(r.errors[3],
            "roster.yaml:7:5: error: workers[1]: unknown key \"backnd\" (did you mean \"backend\"? allowed: id, "
            "backend, name, languages, locale, skills, tags, tier, cost, active)");
  EXPECT_TRUE(r.workers.empty());

  // Once the schema holds, the registry's own checks.
  const RosterResult dup = parse_roster(
      "workers:\n  - {id: ana, backend: files}\n  - {id: ana, backend: files, tags: [tier:3]}\n", "r.yaml", kT0);
  ASSERT_EQ(dup.errors.size(), 1u);
  EXPECT_EQ(dup.errors[0], "r.yaml:3:10: error: workers[1].id: worker \"ana\" is listed twice (first at line 2)");
  const RosterResult tag = parse_roster("workers:\n  - {id: ana, backend: files, tags: [tier:3]}\n", "r.yaml", kT0);
  ASSERT_EQ(tag.errors.size(), 1u);
  EXPECT_EQ(tag.errors[0],
            "r.yaml:2:38: error: workers[0].tags[0]: tags starting with \"tier:\" are reserved (write the tier as "
            "tier: N), got \"tier:3\"");

  EXPECT_EQ(read_roster("nowhere.yaml", kT0).errors,
            (std::vector<std::string>{"nowhere.yaml: error: cannot open the roster"}));
}

// ---- variables ----------------------------------------------------------------------------------------------

TEST(Variables, Families) {
  EXPECT_EQ(variable_family("time[2].polarity"), "time[*].polarity");
  EXPECT_EQ(variable_family("time[12].value"), "time[*].value");
  EXPECT_EQ(variable_family("request"), "request");
  EXPECT_EQ(variable_family("time[*].polarity"), "time[*].polarity");
  EXPECT_EQ(variable_family("a[x]"), "a[x]");
  EXPECT_TRUE(variable_matches("time[*].polarity", "time[3].polarity"));
  EXPECT_FALSE(variable_matches("time[*].polarity", "time[3].value"));
  EXPECT_FALSE(variable_matches("time[0].polarity", "time[3].polarity"));
  EXPECT_TRUE(variable_matches("request", "request"));
}

// ---- qualification ------------------------------------------------------------------------------------------

TEST(QualificationFile, TheShippedFileReads) {
  const auto r = read_qualification(kQualificationFile);
  ASSERT_TRUE(r.spec) << r.errors[0];
  EXPECT_EQ(r.spec->variable, "time[*].polarity");
  EXPECT_DOUBLE_EQ(r.spec->pass_mark, 0.8);
  EXPECT_DOUBLE_EQ(r.spec->gold_rate, 0.05);
  EXPECT_DOUBLE_EQ(r.spec->revocation.bar, 0.6);
  EXPECT_EQ(r.spec->tutorial.size(), 4u);
  EXPECT_EQ(r.spec->quiz.size(), 5u);
  EXPECT_EQ(r.spec->quiz[4].answer, "negative");
}

TEST(QualificationFile, ErrorsNameFileLineColumn) {
  const std::string text =
      "variable: time[*].polarity\n"
      "pass_mark: 1.5\n"
      "tutorial:\n"
      "  - id: a\n"
      "    snippet: Monday is out.\n"
      "    options: [positive, negative]\n"
      "    answer: negtive\n"
      "    feedback: Refused.\n"
      "quiz:\n"
      "  - id: a\n"
      "    snippet: Tuesday works.\n"
      "    highlight: Wednesday\n"
      "    options: [positive, negative]\n"
      "    answer: positive\n";
  auto r = parse_qualification(text, "q.yaml");
  ASSERT_EQ(r.errors.size(), 1u);  // the schema first
  EXPECT_EQ(r.errors[0].rfind("q.yaml:2:12: error: pass_mark: ", 0), 0u) << r.errors[0];
  r = parse_qualification(text.substr(0, 27) + "pass_mark: 0.5\n" + text.substr(text.find("tutorial:")), "q.yaml");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0],
            "q.yaml:7:13: error: tutorial[0].answer: expected one of the question's options, got \"negtive\" (did you "
            "mean \"negative\"?)");
  EXPECT_EQ(r.errors[1], "q.yaml:10:9: error: quiz[0].id: question id \"a\" is used twice (first at line 4)");
  EXPECT_EQ(r.errors[2], "q.yaml:12:16: error: quiz[0].highlight: expected words of the snippet, got \"Wednesday\"");
}

class Workers : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = open_store();
    ASSERT_NE(store_, nullptr);
    const auto spec = read_qualification(kQualificationFile);
    ASSERT_TRUE(spec.spec) << spec.errors[0];
    registry_ = std::make_unique<WorkerRegistry>(*store_, 7);
    registry_->define(*spec.spec);
  }

  void add_workers(std::initializer_list<const char*> ids) {
    ASSERT_TRUE(store_->transact([&](store::Transaction& tx) {
                        for (const char* id : ids)
                          if (auto s = tx.put_worker(worker(id)); !s.is_ok()) return s;
                        return sdk::Status::ok();
                      })
                    .is_ok());
  }

  void qualify(const std::string& id) {
    ASSERT_TRUE(registry_->start_tutorial(id, "time[0].polarity", kT0).is_ok());
    ASSERT_TRUE(registry_->start_quiz(id, "time[0].polarity", kT0).is_ok());
    auto r = registry_->submit_quiz(id, "time[0].polarity",
                                    {{"quiz-1", "negative"}, {"quiz-2", "positive"}, {"quiz-3", "neutral"},
                                     {"quiz-4", "positive"}, {"quiz-5", "negative"}},
                                    kT0);
    ASSERT_TRUE(r.is_ok() && r.value().passed);
  }

  // n gold questions "g0".."g<n-1>" of time[*].polarity whose correct answer is "positive".
  void add_gold(int n) {
    ASSERT_TRUE(store_->transact([&](store::Transaction& tx) {
                        for (int i = 0; i < n; ++i) {
                          auto t = make_task("g" + std::to_string(i), "", "time[*].polarity", 0);
                          if (auto s = tx.add_task(t); !s.is_ok()) return s;
                          if (auto s = tx.add_gold({t.task.id, "", "positive", "Could we ...? offers the time."});
                              !s.is_ok())
                            return s;
                        }
                        return sdk::Status::ok();
                      })
                    .is_ok());
  }

  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<WorkerRegistry> registry_;
};

TEST_F(Workers, LoadRosterPutsEveryWorker) {
  auto n = registry_->load_roster(kRosterFile, kT0);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(n.value(), 4u);
  auto w = store_->query<store::WorkerRecord>([](store::Reader& r) { return r.get_worker("priya"); });
  ASSERT_TRUE(w.is_ok());
  EXPECT_EQ(w.value().locale, "en_IN");
  EXPECT_EQ(worker_tier(w.value()), 1);
}

TEST_F(Workers, TutorialQuizQualify) {
  add_workers({"ana", "jonas"});
  auto before = registry_->is_qualified("ana", "time[1].polarity");
  ASSERT_TRUE(before.is_ok());
  EXPECT_FALSE(before.value());
  // Out of order: no quiz before the tutorial.
  const sdk::Status early = registry_->start_quiz("ana", "time[*].polarity", kT0);
  EXPECT_EQ(early.code(), sdk::Code::invalid_input);
  EXPECT_EQ(early.message(), "worker \"ana\" has not started the tutorial of time[*].polarity");
  EXPECT_EQ(registry_->start_tutorial("ana", "request", kT0).message(),
            "no qualification is defined for the variable \"request\"");

  ASSERT_TRUE(registry_->start_tutorial("ana", "time[0].polarity", kT0).is_ok());
  auto f = registry_->answer_tutorial("ana", "time[0].polarity", "tut-refuse", "positive");
  ASSERT_TRUE(f.is_ok());
  EXPECT_FALSE(f.value().correct);
  EXPECT_EQ(f.value().feedback,
            "Not quite — the answer is \"negative\": \"I'm out next week\" says the writer is not available then: a "
            "refusal.");
  f = registry_->answer_tutorial("ana", "time[0].polarity", "tut-mention", "neutral");
  ASSERT_TRUE(f.is_ok());
  EXPECT_TRUE(f.value().correct);
  EXPECT_EQ(f.value().feedback.rfind("Right: Friday is a deadline", 0), 0u) << f.value().feedback;
  EXPECT_EQ(registry_->answer_tutorial("ana", "time[0].polarity", "tut-9", "neutral").status().code(),
            sdk::Code::not_found);

  // The quiz: 3 of 5 = 0.6 < 0.8 fails and keeps the score; 4 of 5 = 0.8 passes (the mark is inclusive).
  ASSERT_TRUE(registry_->start_quiz("ana", "time[0].polarity", kT0).is_ok());
  auto q = registry_->submit_quiz("ana", "time[0].polarity",
                                  {{"quiz-1", "negative"}, {"quiz-2", "positive"}, {"quiz-3", "neutral"},
                                   {"quiz-4", "negative"}},
                                  kT0);
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(q.value().correct, 3);
  EXPECT_EQ(q.value().total, 5);
  EXPECT_FALSE(q.value().passed);
  auto standing = store_->query<store::Qualification>(
      [](store::Reader& r) { return r.qualification("ana", "time[*].polarity"); });
  ASSERT_TRUE(standing.is_ok());
  EXPECT_EQ(standing.value().state, store::QualificationState::quiz);
  EXPECT_EQ(standing.value().quiz_correct, 3);
  EXPECT_FALSE(registry_->is_qualified("ana", "time[0].polarity").value());

  q = registry_->submit_quiz("ana", "time[0].polarity",
                             {{"quiz-1", "negative"}, {"quiz-2", "positive"}, {"quiz-3", "neutral"},
                              {"quiz-4", "positive"}, {"quiz-5", "positive"}},
                             kT0);
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(q.value().correct, 4);
  EXPECT_TRUE(q.value().passed);
  EXPECT_TRUE(registry_->is_qualified("ana", "time[3].polarity").value());   // the whole family
  EXPECT_FALSE(registry_->is_qualified("ana", "time[3].value").value());     // not another variable
  EXPECT_FALSE(registry_->is_qualified("jonas", "time[3].polarity").value());  // only the one who passed
  EXPECT_EQ(registry_->submit_quiz("ana", "time[0].polarity", {{"quiz-7", "x"}}, kT0).status().message(),
            "the quiz of time[*].polarity has no question \"quiz-7\"");
  EXPECT_EQ(registry_->start_tutorial("ana", "time[0].polarity", kT0).code(), sdk::Code::invalid_input);
}

TEST_F(Workers, GoldMixingRateAndReproducibility) {
  int gold = 0;
  constexpr int kDraws = 20000;
  for (int n = 0; n < kDraws; ++n) gold += registry_->gold_draw("ana", "time[0].polarity", n, 0.1);
  EXPECT_NEAR(static_cast<double>(gold) / kDraws, 0.1, 0.006);
  WorkerRegistry same(*store_, 7), other(*store_, 8);
  int same_draws = 0, other_draws = 0;
  for (int n = 0; n < 1000; ++n) {
    const bool d = registry_->gold_draw("ana", "time[0].polarity", n, 0.1);
    same_draws += d == same.gold_draw("ana", "time[5].polarity", n, 0.1);  // one schedule per family
    other_draws += d == other.gold_draw("ana", "time[0].polarity", n, 0.1);
  }
  EXPECT_EQ(same_draws, 1000);
  EXPECT_LT(other_draws, 1000);
  EXPECT_FALSE(registry_->gold_draw("ana", "x", 3, 0));
  EXPECT_TRUE(registry_->gold_draw("ana", "x", 3, 1));

  add_workers({"ana"});
  add_gold(3);
  auto due = registry_->gold_due("ana", "time[0].polarity");
  ASSERT_TRUE(due.is_ok());
  EXPECT_EQ(due.value(), registry_->gold_draw("ana", "time[*].polarity", 0, 0.05));
  // pick_gold hands out each gold question once per worker.
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    auto g = registry_->pick_gold("ana", "time[0].polarity");
    ASSERT_TRUE(g.is_ok() && g.value().has_value());
    EXPECT_TRUE(seen.insert(g.value()->task.id).second);
    auto a = make_answer(g.value()->task.id, "ana", "positive", kT0 + std::chrono::seconds(i));
    ASSERT_TRUE(registry_->submit_answer(a, kT0).is_ok());
  }
  auto none = registry_->pick_gold("ana", "time[0].polarity");
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none.value().has_value());
}

TEST_F(Workers, RevocationNeedsEvidenceNotThreeAnswers) {
  add_workers({"ana"});
  qualify("ana");
  add_gold(20);
  // Three wrong answers: Beta(2, 4) has its 95% quantile at 0.657 > 0.6: not enough evidence.
  for (int i = 0; i < 3; ++i) {
    auto r = registry_->submit_answer(make_answer("g" + std::to_string(i), "ana", "negative"), kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_TRUE(r.value().gold);
    EXPECT_FALSE(r.value().correct);
    EXPECT_EQ(r.value().explanation, "Could we ...? offers the time.");
    EXPECT_FALSE(r.value().revoked);
  }
  auto e = registry_->evidence("ana", "time[0].polarity");
  ASSERT_TRUE(e.is_ok());
  EXPECT_EQ(e.value().answers, 3);
  EXPECT_NEAR(e.value().high, 0.657408318001, 1e-9);
  EXPECT_TRUE(registry_->is_qualified("ana", "time[0].polarity").value());

  // The fourth: Beta(2, 5) has it at 0.582 < 0.6: revoked, at once, with the reason.
  auto r = registry_->submit_answer(make_answer("g3", "ana", "negative"), kT0 + std::chrono::seconds(60));
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r.value().revoked);
  EXPECT_EQ(r.value().reason, "accuracy upper bound 0.58 < bar 0.60 after 4 answers (0 right, 4 of them gold)");
  EXPECT_FALSE(registry_->is_qualified("ana", "time[2].polarity").value());

  // It survives reopening the store.
  registry_.reset();
  store_.reset();
  auto reopened = open_store();
  auto q = reopened->query<store::Qualification>(
      [](store::Reader& rd) { return rd.qualification("ana", "time[*].polarity"); });
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(q.value().state, store::QualificationState::revoked);
  EXPECT_EQ(q.value().reason, "accuracy upper bound 0.58 < bar 0.60 after 4 answers (0 right, 4 of them gold)");
  EXPECT_EQ(q.value().changed_at, kT0 + std::chrono::seconds(60));

  // What `tandem workers` lists for her.
  reopened.reset();
  auto rows = tandem::workers::list(file());
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  ASSERT_EQ(rows.value().size(), 1u);
  const tandem::workers::WorkerSummary& ana = rows.value()[0];
  ASSERT_EQ(ana.standings.size(), 1u);
  EXPECT_EQ(ana.standings[0].variable, "time[*].polarity");
  EXPECT_EQ(ana.standings[0].state, "revoked");
  EXPECT_EQ(ana.standings[0].reason, "accuracy upper bound 0.58 < bar 0.60 after 4 answers (0 right, 4 of them gold)");
  EXPECT_EQ(ana.standings[0].quiz_correct, 5);
  EXPECT_EQ(ana.answers, 4);
  EXPECT_EQ(ana.scored, 4);
  EXPECT_NEAR(ana.accuracy, 2.0 / 7.0, 1e-12);  // Beta(2, 5)
  EXPECT_EQ(tandem::workers::group_of(ana, "locale"), "en_US");
  EXPECT_EQ(tandem::workers::group_of(ana, "tag:staff"), "not staff");
  EXPECT_FALSE(tandem::workers::group_of(ana, "colour").has_value());
  EXPECT_EQ(tandem::workers::list(file("missing.db")).status().code(), sdk::Code::not_found);
}

TEST_F(Workers, WithoutAQualificationTheEvidenceStillRevokes) {
  // A registry that defines no qualification: everyone has access to the family until the evidence (the
  // default rule: bar 0.6 at 95%) takes it away — a spammer is not asked for ever.
  WorkerRegistry open_registry(*store_, 1);
  add_workers({"eve"});
  add_gold(6);
  for (int i = 0; i < 3; ++i) {
    auto r = open_registry.submit_answer(make_answer("g" + std::to_string(i), "eve", "neutral"), kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_FALSE(r.value().revoked) << i;
  }
  auto r = open_registry.submit_answer(make_answer("g3", "eve", "neutral"), kT0 + std::chrono::seconds(9));
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r.value().revoked);
  EXPECT_EQ(r.value().reason, "accuracy upper bound 0.58 < bar 0.60 after 4 answers (0 right, 4 of them gold)");
  auto q = store_->query<store::Qualification>(
      [](store::Reader& rd) { return rd.qualification("eve", "time[*].polarity"); });
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(q.value().state, store::QualificationState::revoked);
  EXPECT_EQ(q.value().changed_at, kT0 + std::chrono::seconds(9));
}

TEST_F(Workers, AMostlyRightWorkerStays) {
  add_workers({"ana"});
  qualify("ana");
  add_gold(20);
  // 14 right, 6 wrong: Beta(16, 7)'s upper bound is far above the bar.
  for (int i = 0; i < 20; ++i) {
    auto r = registry_->submit_answer(make_answer("g" + std::to_string(i), "ana", i % 10 < 7 ? "positive" : "neutral"),
                                      kT0);
    ASSERT_TRUE(r.is_ok());
    EXPECT_FALSE(r.value().revoked) << i;
  }
  auto e = registry_->evidence("ana", "time[*].polarity");
  ASSERT_TRUE(e.is_ok());
  EXPECT_EQ(e.value().gold, 20);
  EXPECT_DOUBLE_EQ(e.value().right, 14);
  EXPECT_NEAR(e.value().mean, 16.0 / 23.0, 1e-12);
}

TEST_F(Workers, AcceptedPosteriorsWeighNonGoldAnswers) {
  add_workers({"ana"});
  ASSERT_TRUE(store::testing::add_cases_with_tasks(*store_, 2, 3).is_ok());
  ASSERT_TRUE(registry_->submit_answer(make_answer("t0", "ana", "positive"), kT0).is_ok());
  ASSERT_TRUE(registry_->submit_answer(make_answer("t1", "ana", "negative"), kT0).is_ok());
  // Open tasks are not evidence yet.
  EXPECT_EQ(registry_->evidence("ana", "time[0].polarity").value().answers, 0);
  store::TaskUpdate u;
  u.task_id = "t0";
  u.state = store::TaskState::accepted;
  u.posterior = sdk::Distribution({{"positive", 0.9}, {"negative", 0.1}});
  u.at = kT0;
  ASSERT_TRUE(store_->transact([&](store::Transaction& tx) { return tx.update_task(u); }).is_ok());
  auto e = registry_->evidence("ana", "time[0].polarity");
  ASSERT_TRUE(e.is_ok());
  EXPECT_EQ(e.value().answers, 1);
  EXPECT_NEAR(e.value().right, 0.9, 1e-12);
  EXPECT_NEAR(e.value().wrong, 0.1, 1e-12);
}

TEST_F(Workers, IncrementalUpdateAfterOneAnswer) {
  add_workers({"ana"});
  add_gold(1);
  ASSERT_TRUE(registry_->submit_answer(make_answer("g0", "ana", "neutral"), kT0).is_ok());
  auto m = store_->query<store::WorkerModelRecord>(
      [](store::Reader& r) { return r.worker_model("ana", "time[*].polarity"); });
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m.value().model.labels, (std::vector<std::string>{"positive", "negative", "neutral"}));
  EXPECT_DOUBLE_EQ(m.value().model.answers, 1);
  // Row "positive" (the truth): (0.7, 0.15, 0.15) weighing 1, plus the answer "neutral" -> (0.35, 0.075, 0.575).
  EXPECT_NEAR(m.value().model.p(0, 0), 0.35, 1e-12);
  EXPECT_NEAR(m.value().model.p(0, 1), 0.075, 1e-12);
  EXPECT_NEAR(m.value().model.p(0, 2), 0.575, 1e-12);
  EXPECT_NEAR(m.value().model.p(1, 1), 0.7, 1e-12);  // other rows untouched
}

TEST_F(Workers, RefitWritesWorkerModelsFromTheWindow) {
  PluginHost host;
  host.load_directory(TANDEM_BUILD_PLUGIN_DIR);
  const PluginInfo* info = host.find("tandem.aggregator.dawid_skene");
  ASSERT_NE(info, nullptr);
  sdk::ConfigErrors errors;
  auto ds = host.make_aggregator(*info, "ds", sdk::ConfigNode(sdk::ConfigNode::Type::map, sdk::Mark{}, ""), errors);
  ASSERT_NE(ds, nullptr);

  add_workers({"good1", "good2", "good3", "contrarian"});
  constexpr int kTasks = 30;
  ASSERT_TRUE(store::testing::add_cases_with_tasks(*store_, kTasks, 5).is_ok());
  const store::Seconds now = kT0 + std::chrono::hours(24);
  ASSERT_TRUE(store_->transact([&](store::Transaction& tx) {
                      for (int i = 0; i < kTasks; ++i) {
                        const std::string t = "t" + std::to_string(i);
                        const std::string truth = i % 3 == 0 ? "negative" : "positive";
                        const std::string flip = truth == "positive" ? "negative" : "positive";
                        for (const char* w : {"good1", "good2", "good3"})
                          if (auto a = tx.add_answer(make_answer(t, w, truth, kT0)); !a.is_ok()) return a.status();
                        // The contrarian's answers are 8 days old: outside the 7-day window.
                        if (auto a = tx.add_answer(make_answer(t, "contrarian", flip, now - std::chrono::hours(24 * 8)));
                            !a.is_ok())
                          return a.status();
                      }
                      return sdk::Status::ok();
                    })
                  .is_ok());
  auto r = registry_->refit("time[0].polarity", *ds, now);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r.value().variable, "time[*].polarity");  // a variable's skill is its family's
  EXPECT_EQ(r.value().answers, 3 * kTasks);
  EXPECT_EQ(r.value().tasks, kTasks);
  EXPECT_EQ(r.value().models, 3);
  auto models = store_->query<std::vector<store::WorkerModelRecord>>(
      [](store::Reader& rd) { return rd.worker_models("time[*].polarity"); });
  ASSERT_TRUE(models.is_ok());
  ASSERT_EQ(models.value().size(), 3u);
  EXPECT_EQ(models.value()[0].model.worker, "good1");
  EXPECT_EQ(models.value()[0].fitted_at, now);
  const sdk::WorkerModel& m = models.value()[0].model;
  for (std::size_t t = 0; t < m.size(); ++t) {
    if (m.labels[t] == "neutral") continue;  // never the truth: its row is the method's prior
    EXPECT_GT(m.p(t, t), 0.9) << m.labels[t];
  }

  // A 10-day window takes the contrarian in.
  r = registry_->refit("time[0].polarity", *ds, now, std::chrono::hours(24 * 10));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r.value().answers, 4 * kTasks);
  EXPECT_EQ(r.value().models, 4);
}

}  // namespace
}  // namespace tandem::hitl
