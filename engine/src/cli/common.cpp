#include <cstdio>
#include <iostream>
#include <string_view>

#include "cli/cli.hpp"

namespace tandem::cli {

// Calendar validity (no 30 February) through std::chrono's civil calendar.
bool parse_instant(const std::string& text, std::chrono::sys_seconds& out, int& offset_minutes) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5) return false;
  std::string_view rest(text);
  rest.remove_prefix(static_cast<std::size_t>(used));
  if (!rest.empty() && rest.front() == ':') {
    int more = 0;
    if (std::sscanf(text.c_str() + used, ":%2d%n", &s, &more) != 1) return false;
    rest.remove_prefix(static_cast<std::size_t>(more));
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return false;
  offset_minutes = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int hh = 0, mm = 0;
    if (std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &hh, &mm) != 2 || hh > 23 || mm > 59) return false;
    offset_minutes = (rest[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  } else {
    return false;
  }
  out = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s) -
        std::chrono::minutes(offset_minutes);
  return true;
}

void print_load_problems(const std::vector<LoadProblem>& problems) {
  for (const auto& p : problems) std::cerr << "tandem: warning: " << p.to_string() << "\n";
}

nlohmann::ordered_json to_json(const sdk::ConfigNode& node) {
  switch (node.type()) {
    case sdk::ConfigNode::Type::null:
      return nullptr;
    case sdk::ConfigNode::Type::scalar:
      if (!node.quoted()) {
        if (auto b = node.as_bool()) return *b;
        if (auto i = node.as_int()) return *i;
        if (auto d = node.as_double()) return *d;
      }
      return node.scalar();
    case sdk::ConfigNode::Type::sequence: {
      auto out = nlohmann::ordered_json::array();
      for (const auto& item : node.items()) out.push_back(to_json(item));
      return out;
    }
    case sdk::ConfigNode::Type::map: {
      auto out = nlohmann::ordered_json::object();
      for (const auto& e : node.entries()) out[e.key.scalar()] = to_json(e.value);
      return out;
    }
  }
  return nullptr;
}

nlohmann::ordered_json to_json(const PluginInfo& info) {
  return {{"name", info.name},
          {"kind", info.kind},
          {"version", info.version},
          {"status", info.status},
          {"abi", info.abi_version},
          {"toolchain", info.toolchain},
          {"thread_safe", info.thread_safe},
          {"summary", info.summary},
          {"path", info.path.string()}};
}

}  // namespace tandem::cli
