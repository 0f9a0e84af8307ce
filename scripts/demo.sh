#!/usr/bin/env bash
# The main job on bundled sample data: installs what is missing, builds tandem and its plugins, shows the
# resolved default pipeline and runs the sample mail through it (bare bodies, then raw .eml messages); then the
# bodies through people (a simulated crowd) with the case store and the service loop.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${TANDEM_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target tandem all_plugins
"$build/bin/tandem" explain config/default.yaml
"$build/bin/tandem" run --pipeline config/default.yaml --sent 2026-11-24T09:30:00-08:00 \
  --tz America/Los_Angeles --locale en_US examples/mail/*.txt
# Raw mail (.eml): MIME decoded, the reply without its quoted history and signature, the thread, the people,
# the sender's zone and locale from the people directory or inferred with candidates.
"$build/bin/tandem" mail parse --pipeline config/default.yaml examples/mail/reunion_fr_reply.eml
"$build/bin/tandem" run --pipeline config/default.yaml examples/mail/*.eml
# People in the loop: the same mail into a fresh case store, then the service loop with the simulated
# crowd of config/demo-crowd.yaml until every task is settled, then what the registry learnt of the workers.
mkdir -p var
rm -f var/demo.db var/demo.db-wal var/demo.db-shm
"$build/bin/tandem" run -q --pipeline config/demo-crowd.yaml --store var/demo.db \
  --sent 2026-11-24T09:30:00-08:00 --tz America/Los_Angeles --locale en_US examples/mail/*.txt >/dev/null
"$build/bin/tandem" serve --pipeline config/demo-crowd.yaml --store var/demo.db \
  --roster config/workers/demo-crowd.yaml --until-idle --interval 0
"$build/bin/tandem" workers --store var/demo.db
