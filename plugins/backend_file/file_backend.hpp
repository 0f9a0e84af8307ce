// tandem.backend.file — human tasks through a folder: tasks go out as JSON Lines, answers come back as
// JSON Lines files dropped into another folder. Made for tests, demos and simple setups where people (or
// a script) read tasks.jsonl and write answer files.
//
//   <inbox>/tasks.jsonl      post() appends {"type":"task", ...task fields..., "worker":{...}}
//                            cancel() appends {"type":"cancel","task_id":...}
//   <answers>/*.jsonl        poll() reads one answer per line, then renames the file to <file>.done;
//                            malformed lines are logged (file:line) and kept in <file>.rejected
//
// Delivery is idempotent: a (task id, worker id) pair already in tasks.jsonl — by this process or an
// earlier one — is not written again. See README.md for the config reference and the line formats.
//
// Thread-safety: thread_safe; one internal mutex serialises every call on an instance. Two instances
// (or processes) must not share an inbox or an answers folder.
// Ownership: keeps a reference to the host's Services, which outlives the instance.
#ifndef TANDEM_PLUGINS_BACKEND_FILE_FILE_BACKEND_HPP_
#define TANDEM_PLUGINS_BACKEND_FILE_FILE_BACKEND_HPP_

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins {

// "2026-12-01T15:00:00Z".
std::string format_utc(std::chrono::sys_seconds t);
// Parses an ISO 8601 UTC instant: "2026-12-01T15:00:00Z", optional fractional seconds (dropped),
// "+00:00" instead of "Z". Anything else (another offset, no zone, an invalid date) is nullopt.
std::optional<std::chrono::sys_seconds> parse_utc(std::string_view text);

class FileBackend final : public sdk::BackendPlugin {
 public:
  explicit FileBackend(const sdk::PluginContext& ctx);

 protected:
  sdk::Status on_post(const sdk::Task& task, const sdk::WorkerRef& worker) override;
  sdk::Status on_poll(std::vector<sdk::Answer>& out) override;
  sdk::Status on_cancel(std::string_view task_id) override;

 private:
  // The lines of one answers file, sorted into answers and rejects.
  struct Reject {
    std::size_t line;
    std::string text;
    std::string reason;
  };

  // Creates the inbox (when create_dirs) and reads tasks.jsonl back once. Caller holds mu_.
  sdk::Status open_inbox_locked();
  // Appends `line` and a newline to tasks.jsonl. Caller holds mu_.
  sdk::Status append_task_line_locked(const std::string& line);
  // Reads, renames and sorts one answers file. Caller holds mu_.
  sdk::Status take_answer_file_locked(const std::filesystem::path& file, std::vector<sdk::Answer>& out);
  void warn(const std::string& message) const;

  sdk::Services& services_;
  std::string instance_;
  std::filesystem::path inbox_;
  std::filesystem::path answers_;
  bool create_dirs_ = true;

  std::mutex mu_;
  bool inbox_open_ = false;                              // tasks.jsonl has been read back
  bool needs_newline_ = false;                           // tasks.jsonl ends inside a line
  std::set<std::pair<std::string, std::string>> posted_; // (task id, worker id)
  std::set<std::string> task_ids_;                       // every task id posted
  std::set<std::string> cancelled_;
  std::vector<std::filesystem::path> handed_;             // answer files returned, renamed to .done at the next poll
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_BACKEND_FILE_FILE_BACKEND_HPP_
