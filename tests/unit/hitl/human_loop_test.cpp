// The service loop (tandem/human_loop.hpp) over a real SQLite store and the real file backend plugin: who
// gets a task, what an answer does, escalation to an expert, qualification gates, gold mixing, refused
// answers, and a restart that loses no question.
#include "tandem/human_loop.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hitl/router.hpp"
#include "hitl/workers.hpp"
#include "store/sqlite_store.hpp"
#include "unit/hitl/hitl_test_support.hpp"
#include "unit/store/store_test_support.hpp"

namespace tandem {
namespace {

using store::testing::kT0;

const std::string kExtract =
    "  extract:\n"
    "    - plugin: tandem.extractor.cue_words\n"
    "      config: {variable: request, cues: {schedule: [meet]}}\n";

class HumanLoopTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    host_.load_directory(TANDEM_BUILD_PLUGIN_DIR);
  }

  // A pipeline whose human stage is a folder backend in the test's folder.
  PipelineSpec pipeline(const std::string& route) {
    const std::string yaml = "tandem: 1\nname: loop\nroute:\n" + route +
                             "stages:\n" + kExtract +
                             "  human:\n"
                             "    - plugin: tandem.backend.file\n"
                             "      name: desk\n"
                             "      config: {inbox: inbox, answers: answers}\n";
    const PipelineLoad load = parse_pipeline(yaml, (dir_ / "p.yaml").string(), dir_, host_);
    EXPECT_TRUE(load.ok()) << (load.errors.empty() ? std::string("no pipeline") : load.errors.front().to_string());
    return load.ok() ? *load.pipeline : PipelineSpec{};
  }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  // One German message with an unsure request and an unsure polarity, routed into the store.
  void route_german_message(const PipelineSpec& p) {
    auto s = store::SqliteStore::open(file());
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    auto plan = hitl::route_message(*s.value(), hitl::testing::german_message(),
                                    hitl::testing::german_annotations(0.6, 0.4), p.route, "loop", kT0);
    ASSERT_TRUE(plan.is_ok()) << plan.status().to_string();
    ASSERT_EQ(plan.value().tasks.size(), 2u);
  }

  // The task lines the backend wrote: "task id -> worker" for each post, in order.
  std::vector<std::string> posts() const {
    std::vector<std::string> out;
    std::ifstream in(dir_ / "inbox" / "tasks.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      if (j.at("type") == "task") out.push_back(j.at("id").get<std::string>() + " -> " + j.at("worker").at("id").get<std::string>());
      else out.push_back("cancel " + j.at("task_id").get<std::string>());
    }
    return out;
  }

  void answer(const std::string& file_name, const std::string& task, const std::string& worker, const std::string& value) {
    std::filesystem::create_directories(dir_ / "answers");
    std::ofstream(dir_ / "answers" / file_name, std::ios::app)
        << nlohmann::json{{"task_id", task}, {"worker", worker}, {"value", value}, {"other_text", ""},
                          {"answered_at", "2026-03-02T09:05:00Z"}}.dump()
        << "\n";
  }

  static std::vector<std::string> kinds(const StepReport& r, const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& e : r.events)
      if (e.kind == kind) out.push_back(e.task + (e.worker.empty() ? "" : " " + e.worker));
    return out;
  }

  std::unique_ptr<HumanLoop> open(const PipelineSpec& p, const std::string& roster,
                                  std::vector<std::filesystem::path> qualifications = {}) {
    HumanLoopOptions o;
    o.store = file();
    o.roster = write("roster.yaml", roster);
    o.qualifications = std::move(qualifications);
    o.refit_every = std::chrono::seconds(0);
    auto loop = HumanLoop::open(p, host_, o);
    EXPECT_TRUE(loop.is_ok()) << loop.status().to_string();
    return loop.is_ok() ? std::move(loop).value() : nullptr;
  }

  PluginHost host_;
};

const std::string kRoster =
    "workers:\n"
    "  - {id: ana, backend: desk, languages: [en], locale: en_US, cost: 1}\n"
    "  - {id: jonas, backend: desk, languages: [de, en], locale: de_DE, cost: 1}\n"
    "  - {id: lena, backend: desk, languages: [de], locale: de_AT, cost: 1}\n"
    "  - {id: remote, backend: elsewhere, languages: [de], cost: 1}\n";

const std::string kRoute =
    "  threshold: 0.75\n"
    "  audit_share: 0\n"
    "  budget: {answers: 3}\n"
    "  escalate_after: 0\n"
    "  targeting:\n"
    "    - require: {language: \"{message.language}\"}\n";

TEST_F(HumanLoopTest, TasksGoToTargetedWorkersAndAnswersSettleThem) {
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  auto loop = open(p, kRoster);
  ASSERT_TRUE(loop);

  auto r1 = loop->step(kT0 + std::chrono::minutes(1));
  ASSERT_TRUE(r1.is_ok()) << r1.status().to_string();
  // German mail: only German readers of a backend of this pipeline; ties go to the smaller id.
  EXPECT_EQ(kinds(r1.value(), "posted"),
            (std::vector<std::string>{"case-7/request jonas", "case-7/time[0].polarity jonas"}));
  EXPECT_EQ(r1.value().open, 2);
  EXPECT_EQ(r1.value().in_progress, 2);
  EXPECT_EQ(posts(), (std::vector<std::string>{"case-7/request -> jonas", "case-7/time[0].polarity -> jonas"}));

  // Nobody answered yet: one worker at a time, nothing new is posted.
  auto r2 = loop->step(kT0 + std::chrono::minutes(2));
  ASSERT_TRUE(r2.is_ok());
  EXPECT_TRUE(r2.value().quiet());

  answer("a.jsonl", "case-7/request", "jonas", "schedule");
  answer("a.jsonl", "case-7/time[0].polarity", "jonas", "positive");
  auto r3 = loop->step(kT0 + std::chrono::minutes(6));
  ASSERT_TRUE(r3.is_ok());
  EXPECT_EQ(r3.value().answers, 2);
  EXPECT_EQ(r3.value().accepted, 2);
  EXPECT_EQ(r3.value().open, 0);
  EXPECT_EQ(kinds(r3.value(), "accept"),
            (std::vector<std::string>{"case-7/request jonas", "case-7/time[0].polarity jonas"}));
  EXPECT_EQ(posts(), (std::vector<std::string>{"case-7/request -> jonas", "case-7/time[0].polarity -> jonas",
                                               "cancel case-7/request", "cancel case-7/time[0].polarity"}));
  auto s = store::SqliteStore::open(file());
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value()->get_case("case-7").value().state, store::CaseState::ready);
  // The answers measured jonas: his matrix on the polarity family moved from the default.
  auto model = s.value()->query<store::WorkerModelRecord>(
      [](store::Reader& rd) { return rd.worker_model("jonas", "time[*].polarity"); });
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
}

TEST_F(HumanLoopTest, DisagreementAsksTheNextWorkerThenAnExpert) {
  const PipelineSpec p = pipeline(
      "  threshold: 0.99\n  audit_share: 0\n  budget: {answers: 2}\n  escalate_after: 0\n"
      "  targeting:\n    - require: {language: \"{message.language}\"}\n");
  route_german_message(p);
  auto loop = open(p, kRoster);
  ASSERT_TRUE(loop);
  ASSERT_TRUE(loop->step(kT0 + std::chrono::minutes(1)).is_ok());
  answer("a.jsonl", "case-7/request", "jonas", "schedule");
  auto r2 = loop->step(kT0 + std::chrono::minutes(6));
  ASSERT_TRUE(r2.is_ok());
  EXPECT_EQ(kinds(r2.value(), "ask"), std::vector<std::string>{"case-7/request jonas"});
  // The next German reader who has not answered it.
  EXPECT_EQ(kinds(r2.value(), "posted"), std::vector<std::string>{"case-7/request lena"});
  answer("b.jsonl", "case-7/request", "lena", "cancel");
  auto r3 = loop->step(kT0 + std::chrono::minutes(9));
  ASSERT_TRUE(r3.is_ok());
  ASSERT_EQ(kinds(r3.value(), "expert"), std::vector<std::string>{"case-7/request lena"});
  auto s = store::SqliteStore::open(file());
  ASSERT_TRUE(s.is_ok());
  const store::TaskRecord t = s.value()->get_task("case-7/request").value();
  EXPECT_EQ(t.state, store::TaskState::expert);
  EXPECT_NE(t.expert_reason.find("budget"), std::string::npos) << t.expert_reason;
  EXPECT_EQ(t.answers, 2);
}

TEST_F(HumanLoopTest, NobodyLeftToAskCallsAnExpertInsteadOfWaitingForever) {
  // Only jonas reads German here; after his answer the task is below its threshold with budget left, but
  // nobody else can ever be asked: an expert decides, with the reason.
  const PipelineSpec p = pipeline(
      "  threshold: 0.99\n  audit_share: 0\n  budget: {answers: 5}\n  escalate_after: 0\n"
      "  targeting:\n    - require: {language: \"{message.language}\"}\n");
  route_german_message(p);
  auto loop = open(p, "workers:\n  - {id: jonas, backend: desk, languages: [de], cost: 1}\n"
                      "  - {id: ana, backend: desk, languages: [en], cost: 1}\n");
  ASSERT_TRUE(loop);
  ASSERT_TRUE(loop->step(kT0 + std::chrono::minutes(1)).is_ok());
  answer("a.jsonl", "case-7/request", "jonas", "schedule");
  auto r2 = loop->step(kT0 + std::chrono::minutes(6));
  ASSERT_TRUE(r2.is_ok());
  std::string reason;
  for (const auto& e : r2.value().events)
    if (e.kind == "expert" && e.task == "case-7/request") reason = e.detail;
  EXPECT_EQ(reason.rfind("nobody left to ask: every worker of tier >= 0 who matches the targeting has answered (1 "
                         "answer); posterior 0.",
                         0),
            0u)
      << reason;
  EXPECT_TRUE(kinds(r2.value(), "waiting").empty());
}

TEST_F(HumanLoopTest, NobodyEligibleYetWaitsAndSaysWhyOnce) {
  // Nobody reads German: the tasks wait (a German reader may join) and say why once.
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  auto loop = open(p, "workers:\n  - {id: ana, backend: desk, languages: [en], cost: 1}\n");
  ASSERT_TRUE(loop);
  auto r1 = loop->step(kT0 + std::chrono::minutes(1));
  ASSERT_TRUE(r1.is_ok());
  EXPECT_EQ(kinds(r1.value(), "waiting"), (std::vector<std::string>{"case-7/request", "case-7/time[0].polarity"}));
  auto r2 = loop->step(kT0 + std::chrono::minutes(2));
  ASSERT_TRUE(r2.is_ok());
  EXPECT_TRUE(kinds(r2.value(), "waiting").empty()) << "the same reason is logged once";
  EXPECT_TRUE(r2.value().quiet());
  EXPECT_EQ(r2.value().open, 2);
}

TEST_F(HumanLoopTest, QualificationGatesTasksAndGoldIsMixedIn) {
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  const auto qual = write("q.yaml",
                          "variable: time[*].polarity\n"
                          "pass_mark: 0.5\n"
                          "gold:\n"
                          "  rate: 1\n"
                          "  questions:\n"
                          "    - id: g1\n"
                          "      snippet: Montag geht leider nicht.\n"
                          "      highlight: Montag\n"
                          "      options: [positive, negative, neutral]\n"
                          "      answer: negative\n"
                          "      explanation: It says Monday does not work.\n"
                          "tutorial:\n"
                          "  - {id: t1, snippet: \"Dienstag passt.\", options: [positive, negative], answer: positive, "
                          "feedback: \"An offer.\"}\n"
                          "quiz:\n"
                          "  - {id: q1, snippet: \"Freitag nicht.\", options: [positive, negative], answer: negative}\n");
  auto loop = open(p, kRoster, {qual});
  ASSERT_TRUE(loop);
  auto r1 = loop->step(kT0 + std::chrono::minutes(1));
  ASSERT_TRUE(r1.is_ok());
  // Nobody is qualified on the polarity: only the request goes out.
  EXPECT_EQ(kinds(r1.value(), "posted"), std::vector<std::string>{"case-7/request jonas"});
  EXPECT_EQ(kinds(r1.value(), "waiting"), std::vector<std::string>{"case-7/time[0].polarity"});

  {  // lena takes the tutorial and the quiz (through the registry, as `tandem workers` would)
    auto s = store::SqliteStore::open(file());
    ASSERT_TRUE(s.is_ok());
    hitl::WorkerRegistry reg(*s.value());
    auto spec = hitl::read_qualification(qual);
    ASSERT_TRUE(spec.spec) << spec.errors.front();
    EXPECT_EQ(spec.spec->gold.size(), 1u);
    reg.define(*spec.spec);
    ASSERT_TRUE(reg.start_tutorial("lena", "time[*].polarity", kT0).is_ok());
    ASSERT_TRUE(reg.start_quiz("lena", "time[*].polarity", kT0).is_ok());
    auto quiz = reg.submit_quiz("lena", "time[*].polarity", {{"q1", "negative"}}, kT0);
    ASSERT_TRUE(quiz.is_ok() && quiz.value().passed);
    // The gold question was installed when the loop opened.
    auto g = s.value()->get_task("gold/time[*].polarity/g1");
    ASSERT_TRUE(g.is_ok()) << g.status().to_string();
    EXPECT_EQ(g.value().kind, store::TaskKind::gold);
  }
  auto r2 = loop->step(kT0 + std::chrono::minutes(2));
  ASSERT_TRUE(r2.is_ok());
  EXPECT_EQ(kinds(r2.value(), "posted"), std::vector<std::string>{"case-7/time[0].polarity lena"});
  // gold.rate 1: her next task is a gold question, posted with it.
  EXPECT_EQ(kinds(r2.value(), "gold"), std::vector<std::string>{"gold/time[*].polarity/g1 lena"});

  answer("g.jsonl", "gold/time[*].polarity/g1", "lena", "positive");  // wrong
  auto r3 = loop->step(kT0 + std::chrono::minutes(6));
  ASSERT_TRUE(r3.is_ok());
  ASSERT_EQ(r3.value().answers, 1);
  bool wrong_gold = false;
  for (const auto& e : r3.value().events)
    if (e.kind == "answer" && e.task == "gold/time[*].polarity/g1") wrong_gold = e.detail == "gold: positive (wrong)";
  EXPECT_TRUE(wrong_gold);
  // A gold answer settles no task: the polarity task is still lena's.
  EXPECT_EQ(r3.value().open, 2);
}

TEST_F(HumanLoopTest, AWorkerTheEvidenceRevokedGetsNoMoreOfThatFamily) {
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  auto loop = open(p, kRoster);
  ASSERT_TRUE(loop);
  {  // jonas lost the request family (no qualification defines it: the evidence did)
    auto s = store::SqliteStore::open(file());
    ASSERT_TRUE(s.is_ok());
    store::Qualification q;
    q.worker_id = "jonas";
    q.variable = "request";
    q.state = store::QualificationState::revoked;
    q.reason = "accuracy upper bound 0.55 < bar 0.60 after 6 answers (1 right, 0 of them gold)";
    q.changed_at = kT0;
    ASSERT_TRUE(s.value()->transact([&](store::Transaction& tx) { return tx.set_qualification(q); }).is_ok());
  }
  auto r = loop->step(kT0 + std::chrono::minutes(1));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(kinds(r.value(), "posted"),
            (std::vector<std::string>{"case-7/request lena", "case-7/time[0].polarity jonas"}));
}

TEST_F(HumanLoopTest, AnswersTheStoreCannotTakeAreRefusedWithTheReason) {
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  auto loop = open(p, kRoster);
  ASSERT_TRUE(loop);
  ASSERT_TRUE(loop->step(kT0 + std::chrono::minutes(1)).is_ok());
  answer("a.jsonl", "case-7/request", "mallory", "schedule");
  answer("a.jsonl", "case-9/request", "jonas", "schedule");
  answer("a.jsonl", "case-7/request", "jonas", "maybe");
  auto r = loop->step(kT0 + std::chrono::minutes(6));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r.value().refused, 3);
  EXPECT_EQ(r.value().answers, 0);
  std::vector<std::string> details;
  for (const auto& e : r.value().events)
    if (e.kind == "refused") details.push_back(e.detail);
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0], "backend desk: worker \"mallory\" is not in the registry");
  EXPECT_EQ(details[1], "backend desk: no task \"case-9/request\" in the store");
  EXPECT_NE(details[2].find("maybe"), std::string::npos) << details[2];
}

TEST_F(HumanLoopTest, ARestartPostsLiveClaimsAgainWithoutAskingTwice) {
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  {
    auto loop = open(p, kRoster);
    ASSERT_TRUE(loop);
    ASSERT_TRUE(loop->step(kT0 + std::chrono::minutes(1)).is_ok());
  }
  // The inbox is lost (another disk, a cleaned folder): the restarted loop posts the claims again.
  std::filesystem::remove(dir_ / "inbox" / "tasks.jsonl");
  auto loop = open(p, kRoster);
  ASSERT_TRUE(loop);
  auto r = loop->step(kT0 + std::chrono::minutes(2));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(kinds(r.value(), "reposted"),
            (std::vector<std::string>{"case-7/request jonas", "case-7/time[0].polarity jonas"}));
  EXPECT_TRUE(kinds(r.value(), "posted").empty());
  EXPECT_EQ(posts(), (std::vector<std::string>{"case-7/request -> jonas", "case-7/time[0].polarity -> jonas"}));
  // Past the lease, the tasks go to the next worker.
  auto late = loop->step(kT0 + std::chrono::minutes(40));
  ASSERT_TRUE(late.is_ok());
  EXPECT_EQ(kinds(late.value(), "posted"),
            (std::vector<std::string>{"case-7/request lena", "case-7/time[0].polarity lena"}));
}

TEST_F(HumanLoopTest, AnswersTheStoreCannotWriteNowAreKeptAndTheFileIsNotConfirmed) {
  const PipelineSpec p = pipeline(kRoute);
  route_german_message(p);
  HumanLoopOptions o;
  o.store = file();
  o.roster = write("roster.yaml", kRoster);
  o.refit_every = std::chrono::seconds(0);
  o.store_busy_timeout = std::chrono::milliseconds(50);
  auto loop = HumanLoop::open(p, host_, o);
  ASSERT_TRUE(loop.is_ok()) << loop.status().to_string();
  ASSERT_TRUE(loop.value()->step(kT0 + std::chrono::minutes(1)).is_ok());
  answer("a.jsonl", "case-7/request", "jonas", "schedule");

  // Another process holds the store's write lock for a while.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto r1 = loop.value()->step(kT0 + std::chrono::minutes(6));
  ASSERT_TRUE(r1.is_ok());
  EXPECT_EQ(r1.value().answers, 0);
  ASSERT_GE(r1.value().errors, 1);
  std::string why;
  for (const auto& e : r1.value().events)
    if (e.kind == "error" && e.task == "case-7/request") why = e.detail;
  EXPECT_NE(why.find("the answer is kept and tried again at the next step"), std::string::npos) << why;
  auto r2 = loop.value()->step(kT0 + std::chrono::minutes(7));  // still locked: kept, the file not confirmed
  ASSERT_TRUE(r2.is_ok());
  EXPECT_EQ(r2.value().answers, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "answers" / "a.jsonl"));
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  auto r3 = loop.value()->step(kT0 + std::chrono::minutes(8));
  ASSERT_TRUE(r3.is_ok());
  EXPECT_EQ(r3.value().answers, 1);
  EXPECT_EQ(kinds(r3.value(), "accept"), std::vector<std::string>{"case-7/request jonas"});
  ASSERT_TRUE(loop.value()->step(kT0 + std::chrono::minutes(9)).is_ok());  // now the file is confirmed
  EXPECT_FALSE(std::filesystem::exists(dir_ / "answers" / "a.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "answers" / "a.jsonl.done"));
}

TEST_F(HumanLoopTest, OpenSaysWhatIsWrong) {
  const PipelineLoad no_human = parse_pipeline("tandem: 1\nname: x\nstages:\n" + kExtract, (dir_ / "p.yaml").string(), dir_, host_);
  ASSERT_TRUE(no_human.ok());
  HumanLoopOptions o;
  o.store = file();
  auto a = HumanLoop::open(*no_human.pipeline, host_, o);
  ASSERT_FALSE(a.is_ok());
  EXPECT_EQ(a.status().message(), (dir_ / "p.yaml").string() +
                                      ": error: stages.human: the service needs at least one backend instance "
                                      "(tandem.backend.file, tandem.backend.simulated, ...)");
  const PipelineSpec p = pipeline(kRoute);
  o.qualifications = {write("q.yaml", "variable: time[*].polarity\npass_mark: 2\n")};
  auto b = HumanLoop::open(p, host_, o);
  ASSERT_FALSE(b.is_ok());
  EXPECT_NE(b.status().message().find("q.yaml:2:12: error: pass_mark"), std::string::npos) << b.status().message();
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

// config/task-folder.yaml is config/default.yaml with another `human` stage: the rest must not drift.
std::vector<std::string> without_header_and_human_stage(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  std::string line;
  bool started = false;
  bool in_human = false;
  while (std::getline(in, line)) {
    if (line == "mail:" || line == "route:") started = true;
    if (!started) continue;
    if (line == "  human:") in_human = true;
    else if (in_human && line.size() > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ') in_human = false;
    if (!in_human) out.push_back(line);
  }
  return out;
}

TEST(TaskFolderPipeline, IsTheDefaultPipelineWithAFolderOfTasks) {
  const std::filesystem::path config = std::filesystem::path(TANDEM_SOURCE_DIR) / "config";
  const auto demo = without_header_and_human_stage(config / "task-folder.yaml");
  ASSERT_GT(demo.size(), 20u);
  EXPECT_EQ(demo, without_header_and_human_stage(config / "default.yaml"));
}

}  // namespace
}  // namespace tandem
