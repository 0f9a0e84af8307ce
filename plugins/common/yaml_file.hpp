// plugins/common — reading a plugin's YAML files (language files, directories) with errors that name the
// place: "file:line:column: error: what", or "file: error: what" where yaml-cpp gives no position.
// Header-only; the including plugin links yaml-cpp.
//
// Thread-safety: pure functions. Ownership: return values.
#ifndef TANDEM_PLUGINS_COMMON_YAML_FILE_HPP_
#define TANDEM_PLUGINS_COMMON_YAML_FILE_HPP_

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::plugins::common {

// The prefix of an error at `mark` of `file`: "file:line:column: error: " (1-based), "file: error: " when the
// mark is null.
inline std::string yaml_where(const std::filesystem::path& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file.string() + ": error: ";
  return file.string() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": error: ";
}

// Reads `file` into `root`. On failure returns false and appends one error: the syntax error at its place, or
// "file: error: cannot read <what>: ..." (a missing or unreadable file).
inline bool load_yaml_file(const std::filesystem::path& file, std::string_view what, YAML::Node& root,
                           std::vector<std::string>& errors) {
  try {
    root = YAML::LoadFile(file.string());
    return true;
  } catch (const YAML::ParserException& e) {
    errors.push_back(yaml_where(file, e.mark) + e.msg);
  } catch (const YAML::Exception& e) {
    errors.push_back(file.string() + ": error: cannot read " + std::string(what) + ": " + e.msg);
  }
  return false;
}

}  // namespace tandem::plugins::common

#endif  // TANDEM_PLUGINS_COMMON_YAML_FILE_HPP_
