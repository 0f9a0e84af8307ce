// tandem conformance kit — checks a built plugin library through the engine's real plugin host.
//
// tandem_add_plugin() (cmake/TandemPlugin.cmake) generates a test program whose main() calls
// tandem::conformance::main and registers it with CTest as `<target>_conformance`:
//
//   <target>_conformance --plugin=PATH [--config=valid.yaml] [--bad-config=bad.yaml]...
//                        [--log-level=debug|info|warning|error] [--keep-temp] [GoogleTest flags]
//
// What it checks (each a GoogleTest test; see sdk/conformance/README.md): the library loads; its
// descriptor is well formed and matches the engine's ABI and toolchain; config errors name
// file:line:column and the key path (documents the kit derives from the schema, and each --bad-config
// file's "# expect: LINE:COLUMN: text" lines, exactly); no call crashes or returns insane output on
// hostile input; and a plugin that claims thread_safe gives the same results from 8 threads.
//
// Thread-safety: call main() once, from the program's main thread.
#ifndef TANDEM_CONFORMANCE_CONFORMANCE_HPP_
#define TANDEM_CONFORMANCE_CONFORMANCE_HPP_

namespace tandem::conformance {

// Parses the arguments (GoogleTest's own flags are accepted too), runs every check and returns the
// exit code: 0 when all passed, 1 when any failed, 2 for a wrong command line.
int main(int argc, char** argv);

}  // namespace tandem::conformance

#endif  // TANDEM_CONFORMANCE_CONFORMANCE_HPP_
