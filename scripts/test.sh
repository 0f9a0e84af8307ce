#!/usr/bin/env bash
# Every test: installs what is missing, builds everything (engine, CLI, plugins, tests, benchmarks) and
# runs ctest, which prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${TANDEM_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
