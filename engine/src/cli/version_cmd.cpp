#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/cli.hpp"
#include "tandem/version.hpp"

namespace tandem::cli {

void add_version(CLI::App& app, Command& chosen) {
  auto* sub = app.add_subcommand("version", "Print the engine version, the plugin ABI it speaks and its toolchain.");
  sub->callback([&chosen] {
    chosen.run = [] {
      std::cout << "tandem " << version() << "\n"
                << "plugin ABI " << sdk_abi_version() << "\n"
                << "toolchain " << toolchain() << "\n";
      return kExitOk;
    };
  });
}

}  // namespace tandem::cli
