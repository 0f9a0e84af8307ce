// The YAML data files of a folder (*.yaml, *.yml), read whole, in name order: what the reply rules and the
// reply templates add to their bundled files (ReplyRules::load, Templates::load).
#ifndef TANDEM_UTIL_DATA_FOLDER_HPP_
#define TANDEM_UTIL_DATA_FOLDER_HPP_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace tandem::util {

// {path, text} of each file, sorted by path. On failure returns false with `error` naming the folder or the
// file ("DIR: error: not a readable directory of WHAT (*.yaml)").
inline bool read_data_folder(const std::string& directory, const std::string& what,
                             std::vector<std::pair<std::string, std::string>>& files, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    error = directory + ": error: not a readable directory of " + what + " (*.yaml)";
    return false;
  }
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".yaml" || it->path().extension() == ".yml") paths.push_back(it->path());
  if (ec) {
    error = directory + ": error: cannot list the directory: " + ec.message();
    return false;
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      error = p.string() + ": error: cannot read the file";
      return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.emplace_back(p.string(), text.str());
  }
  return true;
}

}  // namespace tandem::util

#endif  // TANDEM_UTIL_DATA_FOLDER_HPP_
