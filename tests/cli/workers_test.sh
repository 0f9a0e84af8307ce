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

# qualify: a worker takes the qualification at the terminal (answers piped in, by number or by text).
q=$src/config/qualification/time.yaml
check "qualify unknown worker" 1 "$tandem" qualify --store cases.db --qualification "$q" --worker nobody
contains "qualify unknown worker" err 'worker "nobody" is not in the registry'
check "qualify bad file" 1 "$tandem" qualify --store cases.db --qualification "$src/config/default.yaml" --worker ana
contains "qualify bad file" err "default.yaml:"
check "qualify revoked" 1 "$tandem" qualify --store cases.db --qualification "$q" --worker ana
contains "qualify revoked" err "ana lost access to time[*].polarity: accuracy upper bound 0.58"
# The tutorial (4 questions, one answered wrong, one re-asked after a bad answer), then the quiz with 2 of
# 5 right: not qualified.
printf '1\n2\n1\nmaybe\npositive\n3\n1\n3\n3\n3\n' | "$tandem" qualify --store cases.db --qualification "$q" \
  --worker priya >out 2>err
check_exit=$?
[[ $check_exit -eq 0 ]] || { echo "FAIL qualify fail: exit $check_exit" >&2; failures=$((failures + 1)); }
contains "qualify fail" out 'Not quite — the answer is "neutral": Friday is a deadline'
contains "qualify fail" out "answer with a number from 1 to 3 or an option as written"
contains "qualify fail" out "Tutorial done: 3 of 4 right."
contains "qualify fail" out "2 of 5 right: not qualified yet; run the same command to retake the quiz."
# The retake skips the tutorial; the input ends half-way: exit 1, the standing kept.
printf '2\n1\n' | "$tandem" qualify --store cases.db --qualification "$q" --worker priya >out 2>err
[[ $? -eq 1 ]] || { echo "FAIL qualify stopped: expected exit 1" >&2; failures=$((failures + 1)); }
contains "qualify stopped" out "Retaking the quiz (last time 2 of 5)."
contains "qualify stopped" err "the input ended in the quiz; what was answered is kept"
printf '2\n1\n3\n1\n2\n' | "$tandem" qualify --store cases.db --qualification "$q" --worker priya >out 2>err
contains "qualify retake" out "5 of 5 right: qualified on time[*].polarity."
check "qualify again" 0 "$tandem" qualify --store cases.db --qualification "$q" --worker priya
contains "qualify again" out "priya is qualified on time[*].polarity already."
check "standing after qualify" 0 "$tandem" workers --store cases.db --json
python3 - out <<'PY' || { echo "FAIL standing after qualify" >&2; failures=$((failures + 1)); }
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
st = rows["priya"]["standings"]
assert st == [{"variable": "time[*].polarity", "state": "qualified", "quiz": {"correct": 5, "total": 5}}], st
PY

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all workers checks passed"
