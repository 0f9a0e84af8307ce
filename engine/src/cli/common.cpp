#include <iostream>

#include "cli/cli.hpp"

namespace tandem::cli {

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
