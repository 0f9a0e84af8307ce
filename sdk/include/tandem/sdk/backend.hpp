// tandem SDK — human-task backend plugins: deliver tasks to people and bring their answers back.
//
// The engine decides what to ask and whom; a backend only carries tasks and answers (a folder of JSON
// Lines files, a web UI, a crowdsourcing service). Derive from BackendPlugin.
//
// Thread-safety: as for extractors. Delivery is at least once: post() of a task id already posted must
// not create a second question. Ownership: arguments are borrowed; answers appended to `out` are the
// caller's.
#ifndef TANDEM_SDK_BACKEND_HPP_
#define TANDEM_SDK_BACKEND_HPP_

#include <string_view>
#include <vector>

#include "tandem/sdk/detail_guard.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::sdk {

class Backend {
 public:
  using Interface = Backend;
  static constexpr std::string_view kKind = "backend";
  virtual ~Backend() = default;

  // Offers `task` to `worker`. unavailable: try again later; invalid_input: the task cannot be shown.
  virtual Status post(const Task& task, const WorkerRef& worker) noexcept = 0;
  // Appends every answer that arrived since the last poll. An answer is returned once by one instance;
  // the host calls poll again only after it has recorded the answers of the previous poll, so a backend
  // with durable input confirms them then (the file backend renames its files at the next poll), and
  // after a crash of the host may return them again: the host drops an answer it has already.
  virtual Status poll(std::vector<Answer>& out) noexcept = 0;
  // Withdraws a task (answered enough, or out of budget). Unknown ids are not an error.
  virtual Status cancel(std::string_view task_id) noexcept = 0;
};

class BackendPlugin : public Backend {
 public:
  Status post(const Task& task, const WorkerRef& worker) noexcept final {
    return detail::guard([&] { return on_post(task, worker); });
  }
  Status poll(std::vector<Answer>& out) noexcept final {
    return detail::guard([&] { return on_poll(out); });
  }
  Status cancel(std::string_view task_id) noexcept final {
    return detail::guard([&] { return on_cancel(task_id); });
  }

 protected:
  virtual Status on_post(const Task& task, const WorkerRef& worker) = 0;
  virtual Status on_poll(std::vector<Answer>& out) = 0;
  virtual Status on_cancel(std::string_view task_id) = 0;
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_BACKEND_HPP_
