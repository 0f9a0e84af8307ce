// `tandem`: one executable, one subcommand per job (ARCHITECTURE.md, "The command line").
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  using namespace tandem::cli;
  CLI::App app{"tandem: scheduling email to confirmed meetings, models and people in tandem."};
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok; 1 bad input (an invalid pipeline, mail or case file, or a message that failed);\n"
      "2 usage (a wrong command line); 3 internal (a bug in tandem or a broken installation).\n"
      "Plugins are searched in a pipeline's plugin_paths, then TANDEM_PLUGIN_PATH (':'-separated), then\n"
      "the install prefix's lib/tandem/plugins.");
  Command chosen;
  add_version(app, chosen);
  add_plugins(app, chosen);
  add_validate(app, chosen);
  add_explain(app, chosen);
  add_run(app, chosen);
  add_times(app, chosen);
  add_aggregate(app, chosen);
  add_simulate(app, chosen);
  add_tasks(app, chosen);
  add_answer(app, chosen);
  add_workers(app, chosen);
  add_serve(app, chosen);
  add_qualify(app, chosen);
  add_mail(app, chosen);
  add_calendar(app, chosen);
  add_slots(app, chosen);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    return chosen.run ? chosen.run() : kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "tandem: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "tandem: internal error: unknown exception\n";
    return kExitInternal;
  }
}
