// Test support: reading fixture files.
#ifndef TANDEM_TESTS_SUPPORT_TEXT_FILES_HPP_
#define TANDEM_TESTS_SUPPORT_TEXT_FILES_HPP_

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tandem::testing {

// The non-empty lines of a text file (an .expected file of error lines, say); none if it cannot be read.
inline std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace tandem::testing

#endif  // TANDEM_TESTS_SUPPORT_TEXT_FILES_HPP_
