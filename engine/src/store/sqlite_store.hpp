// Internal: the default Store — SQLite in one file, zero set-up.
//
// open() creates the file and the schema when they are missing (schema version in PRAGMA user_version)
// and refuses a file written by a newer tandem, a file that is not SQLite, and an SQLite file that is
// not a tandem store, each with a message naming the file. The connection runs with
//   journal_mode=WAL     readers never wait for the writer, and a commit appends to the log only;
//   synchronous=FULL     the log is fsynced at every commit: a committed transaction survives a crash
//                        of the process and of the machine (NORMAL would survive only the former);
//   foreign_keys=ON      a task's case, an answer's task, a standing's worker must exist;
//   busy_timeout         how long a writer waits for another connection's write lock (options).
// Write transactions begin IMMEDIATE (they take the write lock first), so two connections never both
// read-then-write and deadlock: a body runs exactly once, and claims are exclusive across threads,
// Store objects and processes. The details and the crash test: docs/store.md.
//
// Thread-safety: one connection per SqliteStore, guarded by a mutex: calls from many threads are
// serialised (a transaction holds the connection for its whole body). For parallel readers, open more
// SqliteStore objects on the same file; they coordinate through SQLite's file locks.
// Ownership: the SqliteStore owns its connection and its cached prepared statements.
#ifndef TANDEM_ENGINE_STORE_SQLITE_STORE_HPP_
#define TANDEM_ENGINE_STORE_SQLITE_STORE_HPP_

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace tandem::store {

struct SqliteOptions {
  // How long a write transaction waits for another connection's write lock before it gives up
  // (unavailable, "database is locked").
  std::chrono::milliseconds busy_timeout{10000};
  // false: a missing file is not_found instead of a new, empty store.
  bool create = true;
};

class SqliteStore final : public Store {
 public:
  // The schema version this code writes and reads.
  static constexpr int kSchemaVersion = 1;

  static sdk::Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& file,
                                                        const SqliteOptions& options = {}) noexcept;
  ~SqliteStore() override;

  sdk::Status transact(const std::function<sdk::Status(Transaction&)>& body) noexcept override;
  sdk::Status read(const std::function<sdk::Status(Reader&)>& body) noexcept override;
  const std::string& location() const noexcept override;

  struct Impl;  // public so that the .cpp's helpers can name it; defined there only

 private:
  explicit SqliteStore(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::store

#endif  // TANDEM_ENGINE_STORE_SQLITE_STORE_HPP_
