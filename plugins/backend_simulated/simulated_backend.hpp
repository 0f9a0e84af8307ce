// tandem.backend.simulated — a human-task backend whose people are simulated: workers with a skill from
// the config (an accuracy, a confusion matrix, a spam habit, per variable if wanted) answer the tasks
// posted to them, seeded and deterministic. Made for tests, the demo and the human-in-the-loop
// simulation.
//
//   post(task, worker)   draws the worker's answer at once (see README.md, "The answer rule") and holds
//                        it until it is due: the (delay_polls + 1)-th poll after the post
//   poll(out)            appends every answer that is due, once, in post order
//   cancel(task_id)      drops the answers of that task that are still held back
//
// Determinism: an answer is a function of (seed, task id, worker id) and the task, never of the order of
// the calls or of other tasks (common random numbers): the same worker gives the same task the same
// answer in every run with the same seed. post() is idempotent per (task id, worker id).
//
// Thread-safety: thread_safe; one internal mutex guards the posted pairs and the held answers; answers
// are drawn outside it from immutable config. State lives in memory only: a restarted service re-posts
// its live claims, and gets the same answers again.
// Ownership: keeps a reference to the host's Services, which outlives the instance.
#ifndef TANDEM_PLUGINS_BACKEND_SIMULATED_SIMULATED_BACKEND_HPP_
#define TANDEM_PLUGINS_BACKEND_SIMULATED_SIMULATED_BACKEND_HPP_

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins {

class SimulatedBackend final : public sdk::BackendPlugin {
 public:
  explicit SimulatedBackend(const sdk::PluginContext& ctx);

  // What the schema cannot say: confusion rows sum to 1; a worker (or variable entry) is a spammer or
  // has an accuracy, not both; worker ids are not empty.
  static void check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors);

 protected:
  sdk::Status on_post(const sdk::Task& task, const sdk::WorkerRef& worker) override;
  sdk::Status on_poll(std::vector<sdk::Answer>& out) override;
  sdk::Status on_cancel(std::string_view task_id) override;

 private:
  enum class Spam { none, uniform, first };

  // One way of answering: a worker's own, or that of one of its `variables` entries.
  struct Skill {
    double accuracy = 1.0;     // ignored by spammers
    double other_rate = 0.0;
    Spam spam = Spam::none;
    // Row (the truth) -> the answer distribution over labels, in file order.
    std::map<std::string, std::vector<std::pair<std::string, double>>, std::less<>> confusion;
  };
  struct Worker {
    Skill own;
    std::map<std::string, Skill, std::less<>> exact;          // `variables` keys without "[*]"
    std::vector<std::pair<std::string, Skill>> patterns;      // keys with "[*]", in file order
  };
  // The drawn answer: an option, or "none of these" with a text.
  struct Choice {
    std::string value;
    std::string other_text;
  };
  struct Held {
    std::uint64_t due_poll;  // the poll number that returns it
    sdk::Answer answer;
  };

  static Skill read_skill(const sdk::ConfigNode& node);
  // Reads the truth file into truth_; problems go to `errors` at the `truth` node.
  void read_truth(const sdk::ConfigNode& node, sdk::ConfigErrors& errors);

  const Skill& skill_for(const Worker& w, std::string_view variable) const;
  // The answer of `worker_id` to `task`; nullopt when the task has no truth and unknown_truth is skip.
  std::optional<Choice> answer(const sdk::Task& task, const std::string& worker_id, const Worker& w) const;
  std::string worker_list() const;

  // Immutable after construction.
  sdk::Services& services_;
  std::string instance_;
  std::uint64_t seed_ = 1;
  std::uint64_t delay_polls_ = 0;
  std::int64_t latency_seconds_ = 0;
  bool skip_unknown_truth_ = false;
  std::unordered_map<std::string, std::string> truth_;  // task id -> the true value
  std::map<std::string, Worker, std::less<>> workers_;
  std::vector<std::string> worker_order_;               // ids in file order, for messages

  std::mutex mu_;
  std::uint64_t polls_ = 0;                                // polls so far
  std::set<std::pair<std::string, std::string>> posted_;   // (task id, worker id), ever posted
  std::deque<Held> held_;                                  // in post order; due_poll never decreases
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_BACKEND_SIMULATED_SIMULATED_BACKEND_HPP_
