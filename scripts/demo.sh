#!/usr/bin/env bash
# The main job on the bundled sample mail: installs what is missing, builds tandem and its plugins, and runs
# every sample thread of examples/mail/ through the whole flow of config/default.yaml — intake, extraction,
# routing, a simulated crowd for what the models are unsure of, aggregation, resolution, slots from the
# people's calendars (examples/people, examples/calendars), reply and invitation. The decisions go to
# var/run.jsonl (one JSON object per message), the drafts to var/drafts/; the progress, the summary table and
# the drafts are shown here.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${TANDEM_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target tandem all_plugins
mkdir -p var
rm -rf var/drafts
"$build/bin/tandem" run --progress --pipeline config/default.yaml examples/mail/ >var/run.jsonl
echo
echo "== The decisions: var/run.jsonl (one JSON object per message). The drafts: var/drafts/"
for f in var/drafts/*.txt var/drafts/held/*.txt; do
  [ -e "$f" ] || continue
  echo
  echo "---- $f"
  cat "$f"
  ics=${f%.txt}.ics
  if [ -e "$ics" ]; then
    echo "---- $ics"
    tr -d '\r' <"$ics"
  fi
done
