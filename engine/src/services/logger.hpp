// Internal: the engine's logger — one line per entry, "tandem: <level>: <source>: <message>", to a stdio
// stream (stderr in production; a temporary file in tests).
//
// Thread-safety: log() may be called from many threads at once; each line is written whole, under a
// mutex, so lines of different threads never interleave.
// Ownership: the stream is borrowed and must outlive the logger (stderr always does).
#ifndef TANDEM_ENGINE_SERVICES_LOGGER_HPP_
#define TANDEM_ENGINE_SERVICES_LOGGER_HPP_

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "tandem/sdk/services.hpp"

namespace tandem::detail {

// "debug", "info", "warning", "error".
std::string_view log_level_name(sdk::LogLevel level) noexcept;

// The line for one entry, without the trailing newline. Line breaks inside `message` become "\n"
// (backslash, n) so that one entry is always one line for the tools that read the log.
std::string format_log_line(sdk::LogLevel level, std::string_view source, std::string_view message);

class StreamLogger final : public sdk::Logger {
 public:
  StreamLogger(std::FILE* stream, sdk::LogLevel min_level) noexcept : stream_(stream), min_level_(min_level) {}

  // Entries below the minimum level are dropped before anything is formatted.
  void log(sdk::LogLevel level, std::string_view source, std::string_view message) noexcept override;

 private:
  std::FILE* stream_;
  sdk::LogLevel min_level_;
  std::mutex mutex_;
};

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_SERVICES_LOGGER_HPP_
