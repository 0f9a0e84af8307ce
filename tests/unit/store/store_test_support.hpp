// Test support for the store tests: a fresh folder per test, and records with every field set.
#ifndef TANDEM_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_HPP_
#define TANDEM_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_HPP_

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "store/sqlite_store.hpp"

namespace tandem::store::testing {

inline Seconds at(std::int64_t unix_seconds) { return Seconds{std::chrono::seconds{unix_seconds}}; }

// 2026-03-02T09:00:00Z, a Monday.
inline const Seconds kT0 = at(1772442000);

// A folder of its own under the system's temporary folder, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem_store_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path file(const std::string& name = "cases.db") const { return dir_ / name; }

  std::unique_ptr<SqliteStore> open_store(const std::string& name = "cases.db") {
    auto s = SqliteStore::open(file(name));
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return s.is_ok() ? std::move(s).value() : nullptr;
  }

  std::filesystem::path dir_;
};

inline CaseRecord make_case(const std::string& id) {
  CaseRecord c;
  c.id = id;
  c.message_id = id + "@mail.example.org";
  c.thread_id = "thread-" + id;
  c.pipeline = "default";
  c.state = CaseState::waiting;
  c.payload = R"({"text":"could we grab coffee the Tuesday after at 3?"})";
  c.created = kT0;
  c.updated = kT0;
  return c;
}

inline TaskRecord make_task(const std::string& id, const std::string& case_id,
                            const std::string& variable = "time[0].polarity", int max_answers = 3) {
  TaskRecord t;
  t.task.id = id;
  t.task.case_id = case_id;
  t.task.variable = variable;
  t.task.options = {"positive", "negative", "neutral"};
  t.task.allow_other = true;
  t.task.instructions = "Is this time offered (positive) or refused (negative)?";
  t.task.snippet = "I'm out next week, but could we grab coffee the Tuesday after at 3?";
  t.task.highlight = {44, 66};  // "the Tuesday after at 3"
  t.task.language = "en";
  t.task.created = kT0;
  t.kind = case_id.empty() ? TaskKind::gold : TaskKind::routed;
  t.max_answers = max_answers;
  t.prior = sdk::Distribution({{"positive", 0.55}, {"negative", 0.3}, {"neutral", 0.15}});
  t.updated = kT0;
  return t;
}

inline AnswerRecord make_answer(const std::string& task_id, const std::string& worker, const std::string& value,
                                Seconds when = kT0) {
  AnswerRecord a;
  a.answer.task_id = task_id;
  a.answer.worker = {worker, "files"};
  a.answer.value = value;
  a.answer.answered_at = when;
  a.cost = 0.05;
  return a;
}

// Adds `n` cases ("c0".."c<n-1>") with one task each ("t0".. ) in one transaction.
inline sdk::Status add_cases_with_tasks(Store& store, int n, int max_answers = 1,
                                        const std::string& variable = "time[0].polarity") {
  return store.transact([&](Transaction& tx) {
    for (int i = 0; i < n; ++i) {
      const std::string c = "c" + std::to_string(i);
      if (auto s = tx.add_case(make_case(c)); !s.is_ok()) return s;
      auto t = make_task("t" + std::to_string(i), c, variable, max_answers);
      t.task.created = kT0 + std::chrono::seconds(i);
      if (auto s = tx.add_task(t); !s.is_ok()) return s;
    }
    return sdk::Status::ok();
  });
}

}  // namespace tandem::store::testing

#endif  // TANDEM_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_HPP_
