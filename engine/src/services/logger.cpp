#include "services/logger.hpp"

#include <exception>

namespace tandem::detail {

std::string_view log_level_name(sdk::LogLevel level) noexcept {
  switch (level) {
    case sdk::LogLevel::debug: return "debug";
    case sdk::LogLevel::info: return "info";
    case sdk::LogLevel::warning: return "warning";
    case sdk::LogLevel::error: return "error";
  }
  return "unknown";
}

std::string format_log_line(sdk::LogLevel level, std::string_view source, std::string_view message) {
  std::string line = "tandem: ";
  line.reserve(line.size() + 10 + source.size() + message.size());
  line.append(log_level_name(level)).append(": ");
  if (!source.empty()) line.append(source).append(": ");
  for (char c : message) {
    if (c == '\n') line.append("\\n");
    else if (c == '\r') line.append("\\r");
    else line.push_back(c);
  }
  return line;
}

void StreamLogger::log(sdk::LogLevel level, std::string_view source, std::string_view message) noexcept {
  if (static_cast<int>(level) < static_cast<int>(min_level_) || stream_ == nullptr) return;
  try {
    std::string line = format_log_line(level, source, message);
    line.push_back('\n');
    const std::lock_guard<std::mutex> lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stream_);
    std::fflush(stream_);
  } catch (...) {
    // Out of memory or a mutex failure: a log line is not worth taking the engine down for.
  }
}

}  // namespace tandem::detail
