// plugins/common — reading the line-oriented files plugins are given (JSON Lines answers, truth files) and
// the paths their configs name. Header-only: a plugin includes it and stays one library that sees only the
// SDK.
//
// Thread-safety: pure functions. Ownership: the views returned point into the caller's text.
#ifndef TANDEM_PLUGINS_COMMON_LINE_FILES_HPP_
#define TANDEM_PLUGINS_COMMON_LINE_FILES_HPP_

#include <algorithm>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/config.hpp"

namespace tandem::plugins::common {

// The lines of `text` ("\n" or "\r\n"), without their ends; no empty last line for a final "\n".
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Only spaces and tabs.
inline bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// nlohmann's "[json.exception.parse_error.101] parse error at ..." without the bracketed id.
inline std::string json_error(const std::exception& e) {
  std::string m = e.what();
  if (!m.empty() && m.front() == '[') {
    const std::size_t close = m.find("] ");
    if (close != std::string::npos) m.erase(0, close + 2);
  }
  return m;
}

inline std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The path a config value names, relative to the folder of the file it was written in (as written when
// the value has no file), lexically normal.
inline std::filesystem::path config_path(const sdk::ConfigNode& node) {
  std::filesystem::path p(node.as_string().value_or(""));
  if (p.is_relative() && !node.mark().file.empty()) {
    const std::filesystem::path base = std::filesystem::path(node.mark().file).parent_path();
    if (!base.empty()) p = base / p;
  }
  return p.lexically_normal();
}

}  // namespace tandem::plugins::common

#endif  // TANDEM_PLUGINS_COMMON_LINE_FILES_HPP_
