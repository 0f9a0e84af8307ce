// tandem — the milter: a mail server (Postfix, Sendmail) hands each message to tandem as it passes, and
// tandem never stands in its way (docs/mail.md, "The milter").
//
//   tandem::MilterOptions options;
//   options.socket = "inet:127.0.0.1:8899";               // or "unix:/run/tandem/milter.sock"
//   options.assistant = {"assistant@example.org"};
//   auto server = tandem::MilterServer::start(options, [&](const tandem::MilterMessage& m) {
//     return tandem::MilterVerdict{"X-Tandem-Case", take_in(m.raw)};   // runs on a worker thread
//   }, log);
//   ...; server.value()->stop();
//
// Promises to the mail server: every message is accepted, unchanged unless a header is added; a message
// that is not addressed to the assistant (no envelope recipient and no To/Cc address is one of
// `assistant`) is accepted as soon as its headers are read, its body never collected; a message the
// handler does not answer within `budget` (or that throws, or is over `max_bytes`) is accepted unchanged
// and the reason logged — the handler's work goes on in the background and is not lost. tandem never
// rejects, holds or drops mail because of itself.
//
// Thread-safety: libmilter keeps process-wide state, so one MilterServer runs per process at a time
// (start() refuses a second). The handler is called from many threads at once. stop() may be called from
// any thread (not from a signal handler: set a flag there and call stop() after).
// Ownership: the server owns its threads; stop() (or the destructor) returns when libmilter's loop has
// ended and every handler call still running has returned (or `drain` has passed).
#ifndef TANDEM_MILTER_HPP_
#define TANDEM_MILTER_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/status.hpp"

namespace tandem {

struct MilterOptions {
  // "inet:HOST:PORT" ("inet:127.0.0.1:8899"), libmilter's own "inet:PORT@HOST", "inet6:PORT@HOST", or
  // "unix:/path/to/socket" (a stale socket file is removed first).
  std::string socket;
  std::vector<std::string> assistant;              // the assistant's addresses (the pipeline's mail.assistant)
  std::chrono::milliseconds budget{5000};          // how long a message may wait for the handler
  std::size_t max_bytes = 25u << 20;               // larger messages are passed on without being read
  int timeout_seconds = 60;                        // libmilter's I/O timeout towards the mail server
  std::chrono::milliseconds drain{10000};          // how long stop() waits for running handler calls
};

// One message as the mail server handed it over.
struct MilterMessage {
  std::string raw;                       // header lines as received (CRLF ends), a blank line, the body
  std::string envelope_from;             // MAIL FROM, without angle brackets
  std::vector<std::string> recipients;   // RCPT TO, without angle brackets
  std::string queue_id;                  // the mail server's queue id, when it says ("" otherwise)
};

// What to add to the message: one header, or nothing (an empty name).
struct MilterVerdict {
  std::string header_name;
  std::string header_value;
};

struct MilterStats {
  std::uint64_t messages = 0;     // every message seen
  std::uint64_t passed = 0;       // not the assistant's: accepted after the headers
  std::uint64_t handled = 0;      // the handler answered in time
  std::uint64_t headers_added = 0;
  std::uint64_t late = 0;         // the handler was over budget: accepted unchanged
  std::uint64_t failed = 0;       // the handler threw, or adding the header failed: accepted unchanged
  std::uint64_t oversized = 0;    // over max_bytes: accepted unchanged
};

using MilterHandler = std::function<MilterVerdict(const MilterMessage&)>;
using MilterLog = std::function<void(std::string_view line)>;

class TANDEM_API MilterServer {
 public:
  // Opens the socket and starts serving on a thread of its own. Errors: a bad socket spec, a socket that
  // cannot be opened (in use, no permission), another MilterServer running in this process.
  static sdk::Result<std::unique_ptr<MilterServer>> start(const MilterOptions& options, MilterHandler handler,
                                                          MilterLog log);
  ~MilterServer();
  MilterServer(const MilterServer&) = delete;
  MilterServer& operator=(const MilterServer&) = delete;

  void stop();
  MilterStats stats() const;

  struct Impl;

 private:
  explicit MilterServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;  // shared with handler calls still running after stop()
};

// "inet:127.0.0.1:8899" -> "inet:8899@127.0.0.1" (libmilter's spelling); other forms unchanged. Empty for a
// spec that is not inet:, inet6:, unix: or local:.
TANDEM_API std::string milter_socket_spec(std::string_view socket);

}  // namespace tandem

#endif  // TANDEM_MILTER_HPP_
