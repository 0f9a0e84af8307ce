#!/usr/bin/env bash
# The `tandem` command line as operators use it: help on every command, exit codes, validate, explain,
# plugins, run. Usage: cli_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
failures=0

# Help on every command; usage errors exit 2.
check help 0 "$tandem" --help && contains help out "Exit codes"
for cmd in version plugins validate explain run tasks answer serve qualify workers; do
  check "help $cmd" 0 "$tandem" "$cmd" --help && contains "help $cmd" out "Usage"
done
check "no command" 2 "$tandem"
check "unknown command" 2 "$tandem" frobnicate
check "missing argument" 2 "$tandem" validate
check "bad option" 2 "$tandem" plugins --jsn

check version 0 "$tandem" version && contains version out "plugin ABI 3"

# One plugin of each kind, as JSON Lines.
check "plugins --json" 0 "$tandem" plugins --json
python3 - out <<'PY' || { echo "FAIL plugins --json: not one of each kind" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert {"extractor", "estimator", "backend", "aggregator"} <= {r["kind"] for r in rows}
for r in rows:
    assert set(r) >= {"name", "kind", "version", "status", "abi", "path"}, r
PY

# config/README.md embeds the config reference generated from the plugins' schemas: it must be current.
check "plugins --markdown" 0 "$tandem" plugins --markdown
python3 - out "$src/config/README.md" <<'PY' || { echo "FAIL config/README.md is out of date: run scripts/gen-config-docs.sh" >&2; failures=$((failures + 1)); }
import sys
generated = open(sys.argv[1], encoding="utf-8").read().strip()
readme = open(sys.argv[2], encoding="utf-8").read()
section = readme.split("<!-- BEGIN GENERATED: plugins -->", 1)[1].split("<!-- END GENERATED: plugins -->", 1)[0]
assert generated and section.strip() == generated
PY

# Every shipped pipeline validates.
check "validate shipped" 0 "$tandem" validate "$src"/config/*.yaml && contains "validate shipped" out ": ok ("

# A broken pipeline: exit 1, every error as file:line:column, a suggestion.
cat >broken.yaml <<'YAML'
tandem: 1
stages:
  extract:
    - plugin: tandem.extractor.cue_word
      config: {variable: request, cues: {schedule: [meet]}}
  agregate: []
YAML
check "validate broken" 1 "$tandem" validate broken.yaml
contains "validate broken" err 'broken.yaml:4:15: error: stages.extract[0].plugin: unknown plugin "tandem.extractor.cue_word" (did you mean "tandem.extractor.cue_words"?)'
contains "validate broken" err 'broken.yaml:6:3: error: stages: unknown key "agregate" (did you mean "aggregate"?'
check "validate missing file" 1 "$tandem" validate does_not_exist.yaml
contains "validate missing file" err "does_not_exist.yaml"

# explain: stages, instances, versions, where each was loaded from.
check explain 0 "$tandem" explain "$src/config/default.yaml"
for text in "stage extract" "intent: tandem.extractor.intent" "stage human" "loaded from" \
            "stage aggregate" "route: below 0.8 a person is asked; request below 0.85" \
            "audit 2% of confident annotations (seed 1); tasks show 80 characters each side of the span; budget 5 answers, no cost limit, then an expert; stronger tiers after every 2 answers; 1 targeting rule" \
            "time[*].polarity: below 0.8 asked; instructions: Is the highlighted time offered"; do
  contains explain out "$text"
done
check "explain --json" 0 "$tandem" explain --json "$src/config/default.yaml"
python3 -c 'import json,sys; d=json.load(open("out")); assert [s["stage"] for s in d["stages"]]==["extract","estimate","human","aggregate"]; assert d["stages"][0]["instances"][0]["path"]; r=d["route"]; assert r["budget"]=={"answers":5,"cost":0} and r["audit_share"]==0.02 and r["targeting"]==[{"when":{},"require":{"language":"{message.language}"}}] and "instructions" in r["variables"]["time[*].value"]' \
  || { echo "FAIL explain --json" >&2; failures=$((failures + 1)); }

# run: one JSON object per message; a file that cannot be read is reported, the others still run.
check run 0 "$tandem" run -q --pipeline "$src/config/default.yaml" --sent 2026-11-24T09:30:00-08:00 \
  --tz America/Los_Angeles "$src/examples/mail/coffee_tuesday_after.txt" "$src/examples/mail/cancel_review.txt"
python3 - out <<'PY' || { echo "FAIL run output" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2 and all(r["state"] == "done" for r in rows), rows
top = lambda r, v: [a for a in r["annotations"] if a["variable"] == v][0]["candidates"][0]["value"]
assert top(rows[0], "request") == "schedule_new" and top(rows[0], "event_type") == "coffee", rows[0]
# "I'm out next week, but could we grab coffee the Tuesday after at 3?" sent Tuesday 24 Nov 2026
assert top(rows[0], "time[0].value") == "2026-11-29T00:00/2026-12-06T00:00", rows[0]
assert top(rows[0], "time[0].polarity") == "negative", rows[0]
assert top(rows[0], "time[1].value") == "2026-12-08T15:00/2026-12-08T15:00", rows[0]
assert top(rows[0], "time[1].polarity") == "positive", rows[0]
assert top(rows[1], "request") == "cancel", rows[1]
PY
contains run err "2 messages: 2 done, 0 failed"
check "run unreadable" 1 "$tandem" run -q --pipeline "$src/config/default.yaml" nope.txt \
  "$src/examples/mail/cancel_review.txt"
contains "run unreadable" err "nope.txt: error: cannot read the file"
# Every input gets its line, the unreadable one saying so; the readable one is processed all the same.
python3 - out <<'PY' || { echo "FAIL run unreadable: not one line per input" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["state"] for r in rows] == ["unreadable", "done"], rows
assert "cannot read the file" in rows[0]["error"], rows[0]
PY
check "run bad zone" 2 "$tandem" run --pipeline "$src/config/default.yaml" --tz Mars/Olympus x.txt
contains "run bad zone" err '"Mars/Olympus" is not an IANA time zone'

# run --store: what needs people becomes a case with its tasks (one transaction) — with the cue-word
# pipeline of tests/data/pipelines, whose tasks these checks know; tasks lists them with
# only a bounded snippet of the mail; the same message twice is refused, nothing is asked twice.
cues=$src/tests/data/pipelines/cues_folder.yaml
check "run --store" 0 "$tandem" run -q --pipeline "$cues" --store cases.db \
  --sent 2026-11-24T09:30:00-08:00 --tz America/Los_Angeles "$src/examples/mail/cancel_review.txt" \
  "$src/examples/mail/coffee_tuesday_after.txt"
contains "run --store" err "tasks in 2 new cases written to cases.db"
check "tasks" 0 "$tandem" tasks --store cases.db
python3 - out "$src/examples/mail/cancel_review.txt" <<'PY' || { echo "FAIL tasks output" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
mail = open(sys.argv[2], encoding="utf-8").read()
by = {r["id"]: r for r in rows}
req = by["cancel_review.txt/request"]
assert req["options"][0] == "cancel" and req["allow_other"] and "cancel" in req["instructions"], req
assert len(req["snippet"]) < len(mail) and req["snippet"] in mail, req            # never the whole mail
b, e = req["highlight"]
assert req["snippet"].encode()[b:e].decode() == "cancel", req                      # the span, highlighted
assert all(r["case"] in ("cancel_review.txt", "coffee_tuesday_after.txt") for r in rows), rows
PY
contains tasks err "open in cases.db"
check "tasks of a variable" 0 "$tandem" tasks --store cases.db --variable request
lines "tasks of a variable" out 2
# The same mail again resumes its case: nobody is asked twice.
check "run --store twice" 0 "$tandem" run -q --pipeline "$cues" --store cases.db \
  --sent 2026-11-24T09:30:00-08:00 --tz America/Los_Angeles "$src/examples/mail/cancel_review.txt"
python3 -c 'import json; r=json.loads(open("out").readline()); assert r["resumed"] is True and r["case"] == "cancel_review.txt", r' \
  || { echo "FAIL run --store twice: not resumed" >&2; failures=$((failures + 1)); }
check "tasks after the rerun" 0 "$tandem" tasks --store cases.db --variable request
lines "tasks after the rerun" out 2
check "tasks without a store" 1 "$tandem" tasks --store nowhere.db
contains "tasks without a store" err "nowhere.db: error: no case store here"
# answer: the posterior moves with each answer, and the task is accepted at its threshold (request: 0.85);
# a value that is no option, a second answer of the same worker and an unknown task are refused.
check "answer" 0 "$tandem" answer --store cases.db -p "$cues" --task cancel_review.txt/request \
  --worker ana --value cancel
contains answer out '"verdict":"accept","reason":"posterior 0.90 of \"cancel\" >= threshold 0.85 after 1 answer"'
check "answer late" 0 "$tandem" answer --store cases.db -p "$cues" \
  --task cancel_review.txt/request --worker ben --value cancel
contains "answer late" out '"verdict":"late"'
check "answer twice" 1 "$tandem" answer --store cases.db -p "$cues" \
  --task cancel_review.txt/request --worker ben --value cancel
contains "answer twice" err 'task "cancel_review.txt/request" already has an answer from worker "ben"'
check "answer no option" 1 "$tandem" answer --store cases.db -p "$cues" \
  --task cancel_review.txt/event_type --worker ana --value lunch
contains "answer no option" err '"lunch" is not one of its options ("meeting", "call", "coffee", "meal")'
check "answer unknown task" 1 "$tandem" answer --store cases.db -p "$cues" --task nope \
  --worker ana --value x
contains "answer unknown task" err 'no task "nope"'
check "answer neither" 2 "$tandem" answer --store cases.db -p "$cues" --task nope --worker ana
check "tasks after answers" 0 "$tandem" tasks --store cases.db --variable request
lines "tasks after answers" out 1

if ((failures)); then
  echo "$failures CLI check(s) failed" >&2
  exit 1
fi
echo "CLI: all checks passed"
