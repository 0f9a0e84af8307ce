#!/usr/bin/env bash
# The main job on bundled sample data: installs what is missing, builds tandem and its plugins, shows the
# resolved default pipeline and runs the sample mail through it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${TANDEM_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target tandem all_plugins
"$build/bin/tandem" explain config/default.yaml
"$build/bin/tandem" run --pipeline config/default.yaml --sent 2026-11-24T09:30:00-08:00 \
  --tz America/Los_Angeles --locale en_US examples/mail/*.txt
