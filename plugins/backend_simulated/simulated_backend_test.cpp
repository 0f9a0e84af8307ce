// Behaviour of tandem.backend.simulated, loaded through the real host: the answer rule, determinism,
// the shares a skill gives over many tasks, delivery (delay, once, cancel, idempotence) and config errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using tandem::conformance::PluginUnderTest;
using tandem::sdk::Answer;
using tandem::sdk::Backend;
using tandem::sdk::Code;
using tandem::sdk::Task;
using tandem::sdk::WorkerRef;

constexpr std::string_view kNoneOfThese = "simulated: none of these";

Task task(std::string id, std::vector<std::string> options, std::string variable = "time[0].polarity",
          bool allow_other = true) {
  Task t;
  t.id = std::move(id);
  t.case_id = "case-1";
  t.variable = std::move(variable);
  t.options = std::move(options);
  t.allow_other = allow_other;
  t.snippet = "not Tuesday at 3";
  t.highlight = {4, 16};
  t.language = "en";
  return t;
}

std::string id(int i) { return "t" + std::to_string(i); }

std::vector<Answer> poll(Backend& b) {
  std::vector<Answer> out;
  const auto s = b.poll(out);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return out;
}

// Posts every task to `worker`, polls once, and returns the answers by task id.
std::map<std::string, Answer> answers(Backend& b, const std::vector<Task>& tasks, const std::string& worker) {
  for (const auto& t : tasks) {
    const auto s = b.post(t, WorkerRef{worker, "crowd"});
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  std::map<std::string, Answer> by_task;
  for (auto& a : poll(b)) {
    EXPECT_TRUE(by_task.emplace(a.task_id, a).second) << "two answers to " << a.task_id;
  }
  EXPECT_EQ(by_task.size(), tasks.size());
  return by_task;
}

class SimulatedBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tandem-simulated-backend-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    plugin_.set_now(now_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the truth file `truth.jsonl` beside the config the tests name `dir_/p.yaml`.
  void write_truth(const std::vector<std::pair<std::string, std::string>>& truth) {
    std::ofstream out(dir_ / "truth.jsonl", std::ios::binary);
    for (const auto& [task, value] : truth) out << R"({"task": ")" << task << R"(", "value": ")" << value << "\"}\n";
  }
  std::shared_ptr<Backend> backend(const std::string& yaml) { return plugin_.backend(yaml, config_file()); }
  std::string config_file() const { return (dir_ / "p.yaml").string(); }
  std::vector<std::string> error_lines(const std::string& yaml) {
    std::vector<std::string> lines;
    for (const auto& e : plugin_.config_errors(yaml, config_file())) lines.push_back(e.to_string());
    return lines;
  }

  fs::path dir_;
  const std::chrono::sys_seconds now_ = std::chrono::sys_days{std::chrono::year{2026} / 11 / 21} + 8h;
  PluginUnderTest plugin_{PLUGIN_FILE};
};

const std::vector<std::string> kFour = {"a", "b", "c", "d"};

TEST_F(SimulatedBackend, TheSameSeedGivesTheSameAnswersAndAnotherSeedOtherOnes) {
  std::vector<Task> tasks;
  for (int i = 0; i < 300; ++i) tasks.push_back(task(id(i), kFour));
  const std::string crowd = "workers:\n  ana: {accuracy: 0.5}\n";
  const auto first = answers(*backend("seed: 7\n" + crowd), tasks, "ana");
  const auto again = answers(*backend("seed: 7\n" + crowd), tasks, "ana");
  const auto other = answers(*backend("seed: 8\n" + crowd), tasks, "ana");
  int same = 0, differ = 0;
  for (const auto& t : tasks) {
    EXPECT_EQ(first.at(t.id).value, again.at(t.id).value) << t.id;
    (first.at(t.id).value == other.at(t.id).value ? same : differ)++;
  }
  // Two independent draws at accuracy 0.5 over four options agree with probability 1/4 + 1/12 = 1/3.
  EXPECT_GT(differ, 150) << same << " answers of 300 were the same under seeds 7 and 8";
}

TEST_F(SimulatedBackend, AnAnswerDoesNotDependOnTheOrderOfPosts) {
  std::vector<Task> tasks;
  for (int i = 0; i < 200; ++i) tasks.push_back(task(id(i), kFour));
  const std::string config = "seed: 3\nworkers:\n  ana: {accuracy: 0.6}\n  bob: {accuracy: 0.6}\n";
  const auto forward = answers(*backend(config), tasks, "ana");

  // Reverse order, interleaved with another worker's posts and polls.
  auto b = backend(config);
  std::map<std::string, std::string> reverse;
  for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
    ASSERT_TRUE(b->post(*it, WorkerRef{"bob", ""}).is_ok());
    ASSERT_TRUE(b->post(*it, WorkerRef{"ana", ""}).is_ok());
    if (it->id.back() == '7')
      for (const auto& a : poll(*b))
        if (a.worker.id == "ana") reverse[a.task_id] = a.value;
  }
  for (const auto& a : poll(*b))
    if (a.worker.id == "ana") reverse[a.task_id] = a.value;
  ASSERT_EQ(reverse.size(), tasks.size());
  int bob_differs = 0;
  for (const auto& t : tasks) EXPECT_EQ(reverse.at(t.id), forward.at(t.id).value) << t.id;
  // ... while another worker's draws are independent of ana's.
  const auto bob = answers(*backend(config), tasks, "bob");
  for (const auto& t : tasks) bob_differs += bob.at(t.id).value != forward.at(t.id).value;
  EXPECT_GT(bob_differs, 50);
}

TEST_F(SimulatedBackend, AccuracyGivesTheRightShareAndSpreadsWrongAnswersOverTheOthers) {
  std::vector<Task> tasks;
  std::vector<std::pair<std::string, std::string>> truth;
  for (int i = 0; i < 2000; ++i) {
    tasks.push_back(task(id(i), kFour));
    truth.emplace_back(id(i), kFour[static_cast<std::size_t>(i % 4)]);
  }
  write_truth(truth);
  const auto got = answers(*backend("truth: truth.jsonl\nworkers:\n  ana: {accuracy: 0.8}\n"), tasks, "ana");
  int right = 0;
  std::map<int, int> wrong_by_offset;  // (answer - truth) mod 4: 1, 2 or 3
  for (int i = 0; i < 2000; ++i) {
    const Answer& a = got.at(id(i));
    ASSERT_TRUE(a.other_text.empty());
    const int answer = static_cast<int>(std::find(kFour.begin(), kFour.end(), a.value) - kFour.begin());
    ASSERT_LT(answer, 4) << a.value;
    if (answer == i % 4) ++right;
    else ++wrong_by_offset[(answer - i % 4 + 4) % 4];
  }
  const double share = right / 2000.0;
  EXPECT_GE(share, 0.76);
  EXPECT_LE(share, 0.84);
  const int wrong = 2000 - right;
  ASSERT_EQ(wrong_by_offset.size(), 3u);
  for (const auto& [offset, n] : wrong_by_offset) {
    EXPECT_GE(n, 0.27 * wrong) << "offset " << offset << ": " << n << " of " << wrong << " wrong answers";
    EXPECT_LE(n, 0.40 * wrong) << "offset " << offset << ": " << n << " of " << wrong << " wrong answers";
  }
}

TEST_F(SimulatedBackend, AConfusionRowIsFollowedAndRestrictedToTheOptions) {
  const std::vector<std::string> three = {"positive", "negative", "neutral"};
  std::vector<Task> tasks;
  std::vector<std::pair<std::string, std::string>> truth;
  for (int i = 0; i < 2000; ++i) {
    tasks.push_back(task(id(i), three));
    truth.emplace_back(id(i), i % 2 == 0 ? "positive" : "negative");
  }
  // Rows for a truth that is not shown, and for a truth without a row.
  for (int i = 0; i < 1000; ++i) {
    tasks.push_back(task("hidden" + std::to_string(i), {"positive", "neutral"}, "time[0].polarity", i % 2 == 0));
    truth.emplace_back("hidden" + std::to_string(i), "negative");
    tasks.push_back(task("norow" + std::to_string(i), three));
    truth.emplace_back("norow" + std::to_string(i), "neutral");
  }
  write_truth(truth);
  const auto got = answers(*backend("truth: truth.jsonl\n"
                                    "workers:\n"
                                    "  carla:\n"
                                    "    accuracy: 0.8\n"
                                    "    confusion:\n"
                                    "      positive: {positive: 0.9, negative: 0.05, neutral: 0.05}\n"
                                    "      negative: {positive: 0.3, negative: 0.7}\n"),
                           tasks, "carla");
  std::map<std::string, std::map<std::string, int>> counts;  // truth -> answer -> n
  for (int i = 0; i < 2000; ++i) counts[truth[static_cast<std::size_t>(i)].second][got.at(id(i)).value]++;
  const auto share = [&](const std::string& t, const std::string& a) { return counts[t][a] / 1000.0; };
  EXPECT_NEAR(share("positive", "positive"), 0.90, 0.03);
  EXPECT_NEAR(share("positive", "negative"), 0.05, 0.02);
  EXPECT_NEAR(share("positive", "neutral"), 0.05, 0.02);
  EXPECT_NEAR(share("negative", "positive"), 0.30, 0.045);
  EXPECT_NEAR(share("negative", "negative"), 0.70, 0.045);
  EXPECT_EQ(counts["negative"]["neutral"], 0);

  // Truth "negative" not shown: with "other" allowed, the row's 0.7 for it becomes "none of these" with
  // the truth as text; without, only the row's other shown label (positive) is left.
  int said_truth = 0, without_other_positive = 0, norow_right = 0;
  for (int i = 0; i < 1000; ++i) {
    const Answer& a = got.at("hidden" + std::to_string(i));
    if (i % 2 == 0) {
      if (a.value.empty()) {
        EXPECT_EQ(a.other_text, "negative");
        ++said_truth;
      } else {
        EXPECT_EQ(a.value, "positive");
      }
    } else {
      without_other_positive += a.value == "positive" && a.other_text.empty();
    }
    norow_right += got.at("norow" + std::to_string(i)).value == "neutral";
  }
  EXPECT_NEAR(said_truth / 500.0, 0.7, 0.065);
  EXPECT_EQ(without_other_positive, 500);
  // No row for "neutral": accuracy 0.8 decides.
  EXPECT_NEAR(norow_right / 1000.0, 0.8, 0.04);
}

TEST_F(SimulatedBackend, SpammersIgnoreTheTruth) {
  const std::vector<std::string> three = {"x", "y", "z"};
  std::vector<Task> tasks;
  std::vector<std::pair<std::string, std::string>> truth;
  for (int i = 0; i < 3000; ++i) {
    tasks.push_back(task(id(i), three));
    truth.emplace_back(id(i), "y");
  }
  write_truth(truth);
  auto b = backend("truth: truth.jsonl\nworkers:\n  uni: {spam: uniform}\n  fst: {spam: first}\n");
  const auto uniform = answers(*b, tasks, "uni");
  const auto first = answers(*b, tasks, "fst");
  std::map<std::string, int> counts;
  for (const auto& [task_id, a] : uniform) counts[a.value]++;
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [value, n] : counts) {
    EXPECT_GE(n, 0.30 * 3000) << value;
    EXPECT_LE(n, 0.37 * 3000) << value;
  }
  for (const auto& [task_id, a] : first) EXPECT_EQ(a.value, "x") << task_id;
}

TEST_F(SimulatedBackend, OtherRateAnswersNoneOfTheseWhenTheTaskAllowsIt) {
  std::vector<Task> allowed, refused;
  for (int i = 0; i < 4000; ++i) {
    allowed.push_back(task(id(i), kFour));
    refused.push_back(task("r" + std::to_string(i), kFour, "time[0].polarity", false));
  }
  const std::string config = "workers:\n  bob: {accuracy: 0.6, other_rate: 0.05}\n";
  int other = 0;
  for (const auto& [task_id, a] : answers(*backend(config), allowed, "bob")) {
    if (!a.value.empty()) continue;
    EXPECT_EQ(a.other_text, kNoneOfThese);
    ++other;
  }
  EXPECT_GE(other, 0.04 * 4000);
  EXPECT_LE(other, 0.06 * 4000);
  for (const auto& [task_id, a] : answers(*backend(config), refused, "bob")) {
    EXPECT_FALSE(a.value.empty()) << task_id;
    EXPECT_TRUE(a.other_text.empty()) << task_id;
  }
}

TEST_F(SimulatedBackend, TheTruthFileIsUsedAndATruthNotAmongTheOptionsBecomesOtherText) {
  write_truth({{"t1", "negative"}, {"t2", "Wednesday"}, {"t3", "Wednesday"}});
  const auto got = answers(*backend("truth: truth.jsonl\nworkers:\n  ana: {accuracy: 1}\n"),
                           {task("t1", {"positive", "negative"}),
                            task("t2", {"Tuesday", "Thursday"}, "time[0].value"),
                            task("t3", {"Tuesday", "Thursday"}, "time[0].value", false),
                            task("t4", {"positive", "negative"})},
                           "ana");
  EXPECT_EQ(got.at("t1").value, "negative");
  EXPECT_EQ(got.at("t2").value, "");
  EXPECT_EQ(got.at("t2").other_text, "Wednesday");
  // "other" is not allowed: right is impossible, the worker answers as if wrong.
  EXPECT_TRUE(got.at("t3").value == "Tuesday" || got.at("t3").value == "Thursday") << got.at("t3").value;
  EXPECT_EQ(got.at("t3").other_text, "");
  // Absent from the file (unknown_truth: first_option): the first option is taken as true.
  EXPECT_EQ(got.at("t4").value, "positive");
}

TEST_F(SimulatedBackend, UnknownTruthSkipNeverAnswersATaskWithoutTruth) {
  write_truth({{"t1", "b"}});
  auto b = backend("truth: truth.jsonl\nunknown_truth: skip\nworkers:\n  ana: {accuracy: 1}\n");
  ASSERT_TRUE(b->post(task("t9", kFour), WorkerRef{"ana", ""}).is_ok());
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"ana", ""}).is_ok());
  const auto got = poll(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].task_id, "t1");
  EXPECT_EQ(got[0].value, "b");
  EXPECT_TRUE(poll(*b).empty());
  EXPECT_TRUE(poll(*b).empty());
}

TEST_F(SimulatedBackend, VariablesChooseTheSkillExactNameFirstThenFamily) {
  write_truth({{"own", "b"}, {"family", "b"}, {"exact", "b"}, {"empty_index", "b"}, {"letters", "b"}});
  const auto got = answers(*backend("truth: truth.jsonl\n"
                                    "workers:\n"
                                    "  vera:\n"
                                    "    accuracy: 1\n"
                                    "    variables:\n"
                                    "      \"time[*].value\": {spam: first}\n"
                                    "      \"time[2].value\": {accuracy: 1, other_rate: 1}\n"),
                           {task("own", {"a", "b", "c"}, "request"), task("family", {"a", "b", "c"}, "time[12].value"),
                            task("exact", {"a", "b", "c"}, "time[2].value"),
                            task("empty_index", {"a", "b", "c"}, "time[].value"),
                            task("letters", {"a", "b", "c"}, "time[x].value")},
                           "vera");
  EXPECT_EQ(got.at("own").value, "b");
  EXPECT_EQ(got.at("family").value, "a");
  EXPECT_EQ(got.at("exact").other_text, kNoneOfThese);
  EXPECT_EQ(got.at("empty_index").value, "b");
  EXPECT_EQ(got.at("letters").value, "b");
}

TEST_F(SimulatedBackend, DelayPollsHoldsAnAnswerUntilItIsDue) {
  auto b = backend("delay_polls: 2\nworkers:\n  ana: {accuracy: 1}\n");
  ASSERT_TRUE(b->post(task("A", kFour), WorkerRef{"ana", ""}).is_ok());
  EXPECT_TRUE(poll(*b).empty());  // poll 1: the 1st after A
  ASSERT_TRUE(b->post(task("B", kFour), WorkerRef{"ana", ""}).is_ok());
  EXPECT_TRUE(poll(*b).empty());  // poll 2: the 2nd after A, the 1st after B
  const auto third = poll(*b);    // poll 3: the 3rd after A
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].task_id, "A");
  const auto fourth = poll(*b);   // poll 4: the 3rd after B
  ASSERT_EQ(fourth.size(), 1u);
  EXPECT_EQ(fourth[0].task_id, "B");
  EXPECT_TRUE(poll(*b).empty());
}

TEST_F(SimulatedBackend, EachAnswerIsReturnedOnceInPostOrderWithItsFields) {
  auto b = backend("latency_seconds: 45\nworkers:\n  ana: {accuracy: 1}\n  bob: {accuracy: 1}\n");
  std::vector<Answer> out(1);
  out[0].task_id = "already there";
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(b->post(task(id(i), kFour), WorkerRef{"ana", "crowd"}).is_ok());
    ASSERT_TRUE(b->post(task(id(i), kFour), WorkerRef{"bob", "crowd"}).is_ok());
  }
  ASSERT_TRUE(b->poll(out).is_ok());
  ASSERT_EQ(out.size(), 11u);
  EXPECT_EQ(out[0].task_id, "already there");
  for (std::size_t k = 1; k < out.size(); ++k) {
    const int i = static_cast<int>(k - 1) / 2;
    EXPECT_EQ(out[k].task_id, id(i));
    EXPECT_EQ(out[k].worker, (WorkerRef{k % 2 == 1 ? "ana" : "bob", "test"}));  // the instance's name
    EXPECT_EQ(out[k].value, "a");
    EXPECT_EQ(out[k].other_text, "");
    EXPECT_EQ(out[k].answered_at, now_ + 45s);
  }
  EXPECT_TRUE(poll(*b).empty());
}

TEST_F(SimulatedBackend, CancelDropsTheAnswersStillHeld) {
  auto b = backend("delay_polls: 1\nworkers:\n  ana: {accuracy: 1}\n  bob: {accuracy: 1}\n");
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"ana", ""}).is_ok());
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"bob", ""}).is_ok());
  ASSERT_TRUE(b->post(task("t2", kFour), WorkerRef{"ana", ""}).is_ok());
  EXPECT_TRUE(b->cancel("t1").is_ok());
  EXPECT_TRUE(b->cancel("never-posted").is_ok());
  EXPECT_TRUE(poll(*b).empty());
  const auto got = poll(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].task_id, "t2");
  // A settled task posted again to the same worker is not asked twice.
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"ana", ""}).is_ok());
  EXPECT_TRUE(poll(*b).empty());
  EXPECT_TRUE(poll(*b).empty());
}

TEST_F(SimulatedBackend, PostingTheSameTaskToTheSameWorkerTwiceGivesOneAnswer) {
  auto b = backend("workers:\n  ana: {accuracy: 0.5}\n");
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"ana", ""}).is_ok());
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"ana", ""}).is_ok());
  EXPECT_EQ(poll(*b).size(), 1u);
  ASSERT_TRUE(b->post(task("t1", kFour), WorkerRef{"ana", ""}).is_ok());  // after it was returned, too
  EXPECT_TRUE(poll(*b).empty());
}

TEST_F(SimulatedBackend, TasksThatCannotBeAnsweredAreInvalidInputNamingTaskAndWorker) {
  auto b = backend("workers:\n  ana: {accuracy: 0.9}\n  bob: {accuracy: 0.6}\n  spammer: {spam: uniform}\n");
  const auto unknown = b->post(task("t1", kFour), WorkerRef{"anna", "crowd"});
  EXPECT_EQ(unknown.code(), Code::invalid_input);
  EXPECT_EQ(unknown.message(),
            "task \"t1\": worker \"anna\" is not in the simulated crowd (did you mean \"ana\"? workers: ana, bob, "
            "spammer)");
  EXPECT_EQ(b->post(task("t1", kFour), WorkerRef{"zoe", ""}).message(),
            "task \"t1\": worker \"zoe\" is not in the simulated crowd (workers: ana, bob, spammer)");
  const auto no_id = b->post(task("", kFour), WorkerRef{"ana", ""});
  EXPECT_EQ(no_id.code(), Code::invalid_input);
  EXPECT_EQ(no_id.message(), "a task without an id was posted to worker \"ana\"");
  const auto no_options = b->post(task("t2", {}), WorkerRef{"bob", ""});
  EXPECT_EQ(no_options.code(), Code::invalid_input);
  EXPECT_EQ(no_options.message(),
            "task \"t2\": no options to answer (posted to worker \"bob\"); a simulated worker chooses one of the options");
  EXPECT_TRUE(poll(*b).empty());
}

TEST_F(SimulatedBackend, SchemaErrorsNameLineColumnAndKeyPath) {
  EXPECT_EQ(error_lines("workers:\n"
                        "  ana: {acuracy: 0.9}\n"
                        "  bob: {accuracy: 1.5}\n"),
            (std::vector<std::string>{
                config_file() + ":2:9: error: workers.ana: unknown key \"acuracy\" (did you mean \"accuracy\"? allowed: "
                                "accuracy, other_rate, confusion, spam, variables)",
                config_file() + ":3:19: error: workers.bob.accuracy: expected a number in [0, 1], got 1.5",
            }));
}

TEST_F(SimulatedBackend, OwnChecksNameLineColumnAndKeyPath) {
  EXPECT_EQ(error_lines("workers:\n"
                        "  carla:\n"
                        "    accuracy: 0.8\n"
                        "    confusion:\n"
                        "      positive: {positive: 0.9, negative: 0.05}\n"
                        "      negative: {positive: 0.3, negative: 0.7}\n"
                        "  dan: {other_rate: 0.1}\n"
                        "  eve: {spam: first, accuracy: 0.5}\n"),
            (std::vector<std::string>{
                config_file() + ":5:17: error: workers.carla.confusion.positive: expected a distribution summing to 1 "
                                "(within 1e-6), got a sum of 0.95",
                config_file() + ":7:8: error: workers.dan: missing key \"accuracy\" (a worker answers by accuracy, or is "
                                "a spammer: give accuracy, or spam)",
                config_file() + ":8:15: error: workers.eve.spam: \"first\" ignores the truth, so it cannot be given with "
                                "accuracy or confusion (remove one or the other)",
            }));
}

TEST_F(SimulatedBackend, BadTruthLinesAreNamedByFileAndLine) {
  std::ofstream(dir_ / "truth.jsonl", std::ios::binary) << "{\"task\": \"t1\", \"value\": \"a\"}\n"
                                                           "{\"task\": \"t2\"}\n"
                                                           "\n"
                                                           "{\"task\": \"t1\", \"value\": \"b\"}\n"
                                                           "not json\n";
  const std::string file = (dir_ / "truth.jsonl").string();
  const std::string at = config_file() + ":1:8: error: truth: ";
  EXPECT_EQ(error_lines("truth: truth.jsonl\nworkers:\n  ana: {accuracy: 0.9}\n"),
            (std::vector<std::string>{
                at + file + ":2: \"value\" is missing",
                at + file + ":4: task \"t1\" is given twice (first on line 1)",
                at + file + ":5: not JSON at column 2: syntax error while parsing value - invalid literal; last read: 'no'",
            }));
  EXPECT_EQ(error_lines("truth: missing.jsonl\nworkers:\n  ana: {accuracy: 0.9}\n"),
            (std::vector<std::string>{at + "cannot read \"" + (dir_ / "missing.jsonl").string() +
                                      "\": No such file or directory"}));
}

}  // namespace
