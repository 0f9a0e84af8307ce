// The store's wire names: what the SQL columns hold and reports print, and their inverse.
#include "store/store.hpp"

#include <gtest/gtest.h>

namespace tandem::store {
namespace {

TEST(StoreWireNames, EveryStateReadsBackAndUnknownNamesAreRefused) {
  for (auto s : {CaseState::waiting, CaseState::ready, CaseState::done, CaseState::failed})
    EXPECT_EQ(case_state_from(to_string(s)), s);
  for (auto k : {TaskKind::routed, TaskKind::audit, TaskKind::gold}) EXPECT_EQ(task_kind_from(to_string(k)), k);
  for (auto s : {TaskState::open, TaskState::accepted, TaskState::expert, TaskState::exhausted, TaskState::cancelled})
    EXPECT_EQ(task_state_from(to_string(s)), s);
  for (auto s : {QualificationState::tutorial, QualificationState::quiz, QualificationState::qualified,
                 QualificationState::revoked})
    EXPECT_EQ(qualification_state_from(to_string(s)), s);
  EXPECT_EQ(to_string(TaskState::exhausted), "exhausted");
  EXPECT_EQ(to_string(QualificationState::revoked), "revoked");
  EXPECT_EQ(task_state_from("Open"), std::nullopt);
  EXPECT_EQ(case_state_from(""), std::nullopt);
}

}  // namespace
}  // namespace tandem::store
