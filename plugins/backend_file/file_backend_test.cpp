// Behaviour of tandem.backend.file, loaded through the real host, on real folders.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using tandem::conformance::PluginUnderTest;
using tandem::sdk::Answer;
using tandem::sdk::Code;
using tandem::sdk::Task;
using tandem::sdk::WorkerRef;

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

Task task(std::string id) {
  Task t;
  t.id = std::move(id);
  t.case_id = "case-7";
  t.variable = "time[2].polarity";
  t.options = {"positive", "negative"};
  t.allow_other = true;
  t.instructions = "Offered or refused?";
  t.snippet = "not Tuesday at 3";
  t.highlight = {4, 16};
  t.language = "en";
  t.created = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 9h + 30min;
  return t;
}

class FileBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tandem-file-backend-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    plugin_.set_now(std::chrono::sys_days{std::chrono::year{2026} / 11 / 21} + 8h);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string config() const {
    return "inbox: " + (dir_ / "inbox").string() + "\nanswers: " + (dir_ / "answers").string() + "\n";
  }

  fs::path dir_;
  PluginUnderTest plugin_{PLUGIN_FILE};
};

TEST_F(FileBackend, PostAppendsOneLinePerTaskAndWorker) {
  auto b = plugin_.backend(config());
  ASSERT_TRUE(b->post(task("t1"), WorkerRef{"w1", "crowd"}).is_ok());
  ASSERT_TRUE(b->post(task("t1"), WorkerRef{"w1", "crowd"}).is_ok());  // at least once: written once
  ASSERT_TRUE(b->post(task("t1"), WorkerRef{"w2", "crowd"}).is_ok());  // another worker: a new question
  const auto lines = lines_of(dir_ / "inbox" / "tasks.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0]), nlohmann::json::parse(R"({
    "type": "task", "id": "t1", "case_id": "case-7", "variable": "time[2].polarity",
    "options": ["positive", "negative"], "allow_other": true, "instructions": "Offered or refused?",
    "snippet": "not Tuesday at 3", "highlight": {"begin": 4, "end": 16}, "language": "en",
    "created": "2026-11-20T09:30:00Z", "worker": {"id": "w1", "backend": "crowd"}})"));
  EXPECT_EQ(nlohmann::json::parse(lines[1])["worker"]["id"], "w2");
}

TEST_F(FileBackend, ARestartedBackendDoesNotPostAgain) {
  ASSERT_TRUE(plugin_.backend(config())->post(task("t1"), WorkerRef{"w1", ""}).is_ok());
  auto again = plugin_.backend(config());
  ASSERT_TRUE(again->post(task("t1"), WorkerRef{"w1", ""}).is_ok());
  ASSERT_TRUE(again->post(task("t2"), WorkerRef{"w1", ""}).is_ok());
  EXPECT_EQ(lines_of(dir_ / "inbox" / "tasks.jsonl").size(), 2u);
}

TEST_F(FileBackend, CancelAppendsACancelLineOnceForKnownTasks) {
  auto b = plugin_.backend(config());
  ASSERT_TRUE(b->post(task("t1"), WorkerRef{"w1", ""}).is_ok());
  EXPECT_TRUE(b->cancel("t1").is_ok());
  EXPECT_TRUE(b->cancel("t1").is_ok());
  EXPECT_TRUE(b->cancel("never-posted").is_ok());
  const auto lines = lines_of(dir_ / "inbox" / "tasks.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[1]),
            nlohmann::json::parse(R"({"type": "cancel", "task_id": "t1", "cancelled_at": "2026-11-21T08:00:00Z"})"));
}

TEST_F(FileBackend, PollReadsAnswersOnceAndKeepsRejectedLines) {
  auto b = plugin_.backend(config());
  std::vector<Answer> none;
  ASSERT_TRUE(b->poll(none).is_ok());  // creates the answers folder
  EXPECT_TRUE(none.empty());
  const fs::path file = dir_ / "answers" / "batch1.jsonl";
  write(file,
        R"({"task_id": "t1", "worker": "w1", "value": "negative", "answered_at": "2026-11-20T10:00:00Z"})" "\n"
        R"({"task_id": "t1", "worker": "w2", "answered_at": "2026-11-20T10:01:00Z"})" "\n"
        "\n"
        R"({"task_id": "t1", "worker": "w3", "value": "", "other_text": "Wednesday", "answered_at": "2026-11-20T10:02:03.250+00:00"})" "\n"
        R"({"task_id": "t1", "worker": "w4", "value": "positive", "answered_at": "2026-11-20T11:00:00+01:00"})" "\n");
  std::vector<Answer> got;
  ASSERT_TRUE(b->poll(got).is_ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].task_id, "t1");
  EXPECT_EQ(got[0].worker, (WorkerRef{"w1", "test"}));
  EXPECT_EQ(got[0].value, "negative");
  EXPECT_EQ(got[0].answered_at, std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 10h);
  EXPECT_EQ(got[1].worker.id, "w3");
  EXPECT_EQ(got[1].other_text, "Wednesday");
  EXPECT_EQ(got[1].answered_at, std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 10h + 2min + 3s);

  // Handed over, not yet confirmed: the file stays until the next poll.
  EXPECT_TRUE(fs::exists(file));
  EXPECT_EQ(lines_of(dir_ / "answers" / "batch1.jsonl.rejected"),
            (std::vector<std::string>{
                R"({"task_id": "t1", "worker": "w2", "answered_at": "2026-11-20T10:01:00Z"})",
                R"({"task_id": "t1", "worker": "w4", "value": "positive", "answered_at": "2026-11-20T11:00:00+01:00"})"}));
  const auto log = plugin_.take_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0], "warning: test: " + file.string() + ":2: answer rejected: neither \"value\" nor \"other_text\" is given; "
                    "the line is kept in " + file.string() + ".rejected");
  EXPECT_NE(log[1].find(file.string() + ":5: answer rejected: \"answered_at\": expected an ISO 8601 UTC time"),
            std::string::npos) << log[1];

  std::vector<Answer> again;
  ASSERT_TRUE(b->poll(again).is_ok());
  EXPECT_TRUE(again.empty());
  // The host polled again, so it has recorded the answers: now the file is done.
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(dir_ / "answers" / "batch1.jsonl.done"));
}

TEST_F(FileBackend, AnswersHandedOverBeforeACrashComeAgainAfterARestart) {
  const fs::path file = dir_ / "answers" / "a.jsonl";
  write(file, R"({"task_id": "t1", "worker": "w1", "value": "negative", "answered_at": "2026-11-20T10:00:00Z"})" "\n");
  {
    auto b = plugin_.backend(config());
    std::vector<Answer> got;
    ASSERT_TRUE(b->poll(got).is_ok());
    ASSERT_EQ(got.size(), 1u);
  }  // the host stops before it polls again (it may not have recorded the answer)
  auto b = plugin_.backend(config());
  std::vector<Answer> got;
  ASSERT_TRUE(b->poll(got).is_ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].worker.id, "w1");
  std::vector<Answer> none;
  ASSERT_TRUE(b->poll(none).is_ok());
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(fs::exists(dir_ / "answers" / "a.jsonl.done"));
}

TEST_F(FileBackend, AnUnwritableFolderIsUnavailableAndNamed) {
  write(dir_ / "blocker", "a file, not a folder\n");
  auto b = plugin_.backend("inbox: " + (dir_ / "blocker" / "inbox").string() + "\nanswers: " +
                           (dir_ / "blocker" / "answers").string() + "\n");
  const auto posted = b->post(task("t1"), WorkerRef{"w1", ""});
  EXPECT_EQ(posted.code(), Code::unavailable);
  EXPECT_NE(posted.message().find((dir_ / "blocker" / "inbox").string()), std::string::npos) << posted.message();
  std::vector<Answer> out;
  const auto polled = b->poll(out);
  EXPECT_EQ(polled.code(), Code::unavailable);
  EXPECT_NE(polled.message().find((dir_ / "blocker" / "answers").string()), std::string::npos) << polled.message();
}

TEST_F(FileBackend, MissingFoldersAreNotCreatedWhenToldNot) {
  auto b = plugin_.backend(config() + "create_dirs: false\n");
  const auto posted = b->post(task("t1"), WorkerRef{"w1", ""});
  EXPECT_EQ(posted.code(), Code::unavailable);
  EXPECT_NE(posted.message().find("does not exist"), std::string::npos) << posted.message();
  EXPECT_FALSE(fs::exists(dir_ / "inbox"));
}

TEST_F(FileBackend, RelativeFoldersAreRelativeToTheConfigFile) {
  auto b = plugin_.backend("inbox: ../queue/in\nanswers: ../queue/out\n", (dir_ / "pipelines" / "p.yaml").string());
  ASSERT_TRUE(b->post(task("t1"), WorkerRef{"w1", ""}).is_ok());
  EXPECT_EQ(lines_of(dir_ / "queue" / "in" / "tasks.jsonl").size(), 1u);
}

TEST_F(FileBackend, TasksThatCannotBeShownAreInvalidInput) {
  auto b = plugin_.backend(config());
  EXPECT_EQ(b->post(task(""), WorkerRef{"w1", ""}).code(), Code::invalid_input);
  Task no_options = task("t1");
  no_options.options.clear();
  no_options.allow_other = false;
  EXPECT_EQ(b->post(no_options, WorkerRef{"w1", ""}).code(), Code::invalid_input);
  Task bad_highlight = task("t2");
  bad_highlight.highlight = {4, 99};
  const auto s = b->post(bad_highlight, WorkerRef{"w1", ""});
  EXPECT_EQ(s.code(), Code::invalid_input);
  EXPECT_EQ(s.message(), "task \"t2\": highlight [4, 99) does not fit the snippet of 16 bytes");
  EXPECT_FALSE(fs::exists(dir_ / "inbox" / "tasks.jsonl") && !lines_of(dir_ / "inbox" / "tasks.jsonl").empty());
}

}  // namespace
