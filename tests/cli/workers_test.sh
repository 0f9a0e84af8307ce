#!/usr/bin/env bash
# `tandem workers` as operators use it: usage and input errors with their exit codes, a roster loaded into a
# new store, the listing (plain, grouped, JSON) and the reports on it.
#
#   workers_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
failures=0

check "help" 0 "$tandem" workers --help && contains help out "docs/workers.md"
check "no store option" 2 "$tandem" workers
check "missing store" 1 "$tandem" workers --store nowhere.db && contains "missing store" err "tandem: error: store nowhere.db"

cat >bad.yaml <<'YAML'
workers:
  - id: ana
    backnd: files
  - id: jonas
    backend: files
    languages: [de, German]
YAML
check "bad roster" 1 "$tandem" workers --store cases.db --roster bad.yaml
contains "bad roster" err 'bad.yaml:2:5: error: workers[0]: '
contains "bad roster" err 'bad.yaml:3:5: error: workers[0]: unknown key "backnd" (did you mean "backend"?'
contains "bad roster" err 'bad.yaml:6:21: error: workers[1].languages[1]: '
lines "bad roster" err 3

check "roster" 0 "$tandem" workers --store cases.db --roster "$src/config/workers/roster.example.yaml"
contains "roster" err "tandem workers: 4 workers from"
contains "roster" out "  ana  tier 0  qualified: -  answers 0  accuracy -"
contains "roster" out "  expert-claire  tier 2  qualified: -  answers 0  accuracy -"
lines "roster" out 4

check "by locale" 0 "$tandem" workers --store cases.db --by locale
contains "by locale" out "locale = de_DE (1 worker)"
contains "by locale" out "locale = pt_BR (1 worker)"
check "by tag" 0 "$tandem" workers --store cases.db --by tag:night-shift
contains "by tag" out "tag:night-shift = night-shift (2 workers)"
contains "by tag" out "tag:night-shift = not night-shift (2 workers)"
check "bad attribute" 2 "$tandem" workers --store cases.db --by locle
contains "bad attribute" err 'tandem: error: --by: unknown worker attribute "locle" (did you mean "locale"?)'

check "json" 0 "$tandem" workers --store cases.db --json --by tier
python3 - out <<'PY' || failures=$((failures + 1))
import json, sys
rows = json.load(open(sys.argv[1]))
by = {r["id"]: r for r in rows}
assert [r["id"] for r in rows] == ["ana", "expert-claire", "jonas", "priya"], rows
assert by["priya"]["tier"] == 1 and by["priya"]["group"] == "1", by["priya"]
assert by["ana"]["languages"] == ["pt", "en"] and by["ana"]["tags"] == ["night-shift"], by["ana"]
assert by["ana"]["answers"] == 0 and by["ana"]["standings"] == [], by["ana"]
print("ok   json listing")
PY

# Standings as the registry writes them (docs/store.md: the store is readable and writable in any SQL shell).
python3 - cases.db <<'PY' || failures=$((failures + 1))
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO qualifications VALUES ('jonas', 'time[*].polarity', 'qualified', '', 5, 5, 1772442000)")
db.execute("INSERT INTO qualifications VALUES ('ana', 'time[*].polarity', 'revoked', "
           "'accuracy upper bound 0.58 < bar 0.60 after 4 answers (0 right, 4 of them gold)', 4, 5, 1772442000)")
db.commit()
PY
check "standings" 0 "$tandem" workers --store cases.db
contains "standings" out "  jonas  tier 0  qualified: time[*].polarity  answers 0  accuracy -"
contains "standings" out "  ana  tier 0  qualified: -  revoked: time[*].polarity (accuracy upper bound 0.58 < bar 0.60 after 4 answers (0 right, 4 of them gold))  answers 0  accuracy -"

check "quality" 0 "$tandem" workers --store cases.db --variable "time[*].polarity"
contains "quality" out "time[*].polarity: 0 delivered"
contains "quality" out "gold: none answered"
check "group report" 0 "$tandem" workers --store cases.db --variable "time[*].polarity" --by locale --json
python3 -c 'import json,sys; r=json.load(open("out")); assert r["df"]==0 and r["p_value"]==1 and r["groups"]==[], r' \
  || failures=$((failures + 1))
check "refit nothing" 0 "$tandem" workers --store cases.db --refit "time[*].polarity" --window-days 3
contains "refit nothing" out "refit time[*].polarity over 3 days: 0 answers, 0 tasks, 0 worker models written"
check "bad window" 2 "$tandem" workers --store cases.db --refit "time[*].polarity" --window-days 0

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all workers checks passed"
