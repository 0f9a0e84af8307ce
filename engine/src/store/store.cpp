// The parts of the store interface every implementation shares: wire names of the states, and the
// one-transaction conveniences.
#include "store/store.hpp"

#include <array>
#include <utility>

namespace tandem::store {
namespace {

constexpr std::array<std::string_view, 4> kCaseStates = {"waiting", "ready", "done", "failed"};
constexpr std::array<std::string_view, 3> kTaskKinds = {"routed", "audit", "gold"};
constexpr std::array<std::string_view, 5> kTaskStates = {"open", "accepted", "expert", "exhausted", "cancelled"};
constexpr std::array<std::string_view, 4> kQualificationStates = {"tutorial", "quiz", "qualified", "revoked"};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view("unknown");
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::string_view, N>& names, std::string_view name) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseState s) noexcept { return name_of(kCaseStates, s); }
std::string_view to_string(TaskKind k) noexcept { return name_of(kTaskKinds, k); }
std::string_view to_string(TaskState s) noexcept { return name_of(kTaskStates, s); }
std::string_view to_string(QualificationState s) noexcept { return name_of(kQualificationStates, s); }

std::optional<CaseState> case_state_from(std::string_view name) noexcept {
  return value_of<CaseState>(kCaseStates, name);
}
std::optional<TaskKind> task_kind_from(std::string_view name) noexcept {
  return value_of<TaskKind>(kTaskKinds, name);
}
std::optional<TaskState> task_state_from(std::string_view name) noexcept {
  return value_of<TaskState>(kTaskStates, name);
}
std::optional<QualificationState> qualification_state_from(std::string_view name) noexcept {
  return value_of<QualificationState>(kQualificationStates, name);
}

sdk::Result<std::optional<TaskRecord>> Store::claim_next(const ClaimRequest& request) noexcept {
  std::optional<sdk::Result<std::optional<TaskRecord>>> out;
  const sdk::Status s = transact([&](Transaction& tx) {
    out.emplace(tx.claim_next(request));
    return out->status();
  });
  if (!s.is_ok()) return s;
  return std::move(*out);
}

sdk::Result<AnswerRecord> Store::record_answer(const AnswerRecord& answer,
                                               const std::optional<TaskUpdate>& task_update) noexcept {
  std::optional<AnswerRecord> stored;
  const sdk::Status s = transact([&](Transaction& tx) {
    auto added = tx.add_answer(answer);
    if (!added.is_ok()) return added.status();
    if (task_update) {
      if (auto u = tx.update_task(*task_update); !u.is_ok()) return u;
    }
    stored.emplace(std::move(added).value());
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return std::move(*stored);
}

}  // namespace tandem::store
