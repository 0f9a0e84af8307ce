// `tandem plugins [--json] [--path DIR]...`: every plugin found on the search paths.
#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/cli.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

struct PluginsOptions {
  bool json = false;
  bool markdown = false;
  std::vector<std::filesystem::path> paths;
};

// The reference of every plugin's config keys, generated from the schemas (config/README.md embeds it).
void print_markdown(const std::vector<const PluginInfo*>& plugins) {
  for (const PluginInfo* p : plugins) {
    std::cout << "### `" << p->name << "` (" << p->kind << ", " << p->status << ")\n\n" << p->summary << "\n\n";
    std::cout << config_reference(*p) << "\n";
  }
}

int run(const PluginsOptions& o) {
  PluginHost host(make_services());
  print_load_problems(host.load_all(PluginHost::search_paths(o.paths)));
  const auto plugins = host.plugins();
  if (o.markdown) {
    print_markdown(plugins);
  } else if (o.json) {
    for (const PluginInfo* p : plugins) std::cout << to_json(*p).dump() << "\n";
  } else {
    if (plugins.empty()) std::cout << "no plugins found\n";
    for (const PluginInfo* p : plugins)
      std::cout << std::left << std::setw(36) << p->name << std::setw(11) << p->kind << std::setw(9) << p->version
                << std::setw(7) << p->status << "ABI " << p->abi_version << "  " << p->path.string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_plugins(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<PluginsOptions>();
  auto* sub = app.add_subcommand("plugins", "List every plugin found: name, kind, version, status, ABI and path.");
  sub->add_flag("--json", o->json, "One JSON object per plugin (JSON Lines)");
  sub->add_flag("--markdown", o->markdown, "The config reference of every plugin, from its schema (Markdown)");
  sub->add_option("--path", o->paths, "Search this folder first (repeatable)");
  sub->callback([&chosen, o] { chosen.run = [o] { return run(*o); }; });
}

}  // namespace tandem::cli
