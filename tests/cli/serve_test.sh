#!/usr/bin/env bash
# `tandem serve` as operators run it: the sample mail through the simulated crowd of tests/data/pipelines/cues_crowd.yaml (the cue-word pipeline)
# until every task is settled; a second service on the same store finds nothing to do; and the durability
# check of issue 5: a service killed with SIGKILL again and again in the middle of its work, restarted on the
# same store each time, ends with exactly the cases, tasks and answers of a run that was never interrupted —
# nothing lost, nothing twice. Usage: serve_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
failures=0
pipeline=$src/tests/data/pipelines/cues_crowd.yaml
roster=$src/config/workers/demo-crowd.yaml
mail=("$src"/examples/mail/*.txt)

check "help serve" 0 "$tandem" serve --help && contains "help serve" out "--until-idle"
check "serve without a store" 2 "$tandem" serve -p "$pipeline"
check "serve --once and --until-idle" 2 "$tandem" serve -p "$pipeline" --store s.db --once --until-idle

# The sample mail: 10 unsure variables become tasks, the crowd answers, everything is settled.
check "run --store" 0 "$tandem" run -q --pipeline "$pipeline" --store cases.db \
  --sent 2026-11-24T09:30:00-08:00 --tz America/Los_Angeles --locale en_US "${mail[@]}"
contains "run --store" err "10 tasks in 5 new cases written to cases.db"
check "serve" 0 "$tandem" serve -p "$pipeline" --store cases.db --roster "$roster" --until-idle --interval 0
contains "serve" err "open tasks 0 (0 with a worker)"
contains "serve" err "refused 0"
contains "serve" err "errors 0"
python3 - out <<'PY' || { echo "FAIL serve: the event log is not what the loop did" >&2; failures=$((failures + 1)); }
import collections, json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
kinds = collections.Counter(e["event"] for e in events)
settled = {e["task"] for e in events if e["event"] in ("accept", "expert")}
assert len(settled) == 10, (len(settled), kinds)
assert kinds["answer"] == kinds["posted"], kinds            # every question posted was answered
assert kinds["cancelled"] == 10, kinds                        # every settled task withdrawn once
for e in events:
    assert set(e) <= {"at", "event", "task", "worker", "detail"}, e
    if e["event"] == "accept":
        assert ">= threshold" in e["detail"], e
PY
check "tasks after serve" 0 "$tandem" tasks --store cases.db
lines "tasks after serve" out 0
check "serve again" 0 "$tandem" serve -p "$pipeline" --store cases.db --once
contains "serve again" err "1 step; answers 0 (refused 0), accepted 0, expert 0, revoked 0, posted 0"

# A roster whose workers the pipeline cannot reach, and a bad qualification file: clear errors.
check "serve bad qualification" 1 "$tandem" serve -p "$pipeline" --store q.db --qualification "$src/config/default.yaml"
contains "serve bad qualification" err "default.yaml:"

# ---- SIGKILL in the middle of the work, again and again -------------------------------------------------
# 240 messages: 48 copies of the sample mail under other names (a few seconds of work for the loop).
mkdir -p many
for i in $(seq -w 1 48); do
  for m in "${mail[@]}"; do cp "$m" "many/$i-$(basename "$m")"; done
done
for db in calm.db killed.db; do
  check "run many ($db)" 0 "$tandem" run -q --pipeline "$pipeline" --store "$db" \
    --sent 2026-11-24T09:30:00-08:00 --tz America/Los_Angeles --locale en_US many/*.txt
done
# No scheduled refit: it would make the two runs differ by when each process started, not by the kills.
serve_args=(serve -p "$pipeline" --roster "$roster" --refit-every-minutes 0 --interval 0)
check "serve calm" 0 "$tandem" "${serve_args[@]}" --store calm.db --until-idle
# Kills that hit a service in the middle of its work — it had recorded answers since the last kill and tasks
# were still open: the ones that test something. Short delays, so that a fast machine is interrupted too;
# the loop ends once nothing is left.
interrupted=0
counts() { python3 -c "import sqlite3; db = sqlite3.connect('killed.db'); print(db.execute(\"SELECT COUNT(*) FROM answers\").fetchone()[0], db.execute(\"SELECT COUNT(*) FROM tasks WHERE state = 'open'\").fetchone()[0])"; }
read -r answers_before open <<<"$(counts)"
for delay in 0.3 0.15 0.25 0.2 0.35 0.15 0.3 0.2 0.4 0.15 0.25 0.3; do
  "$tandem" "${serve_args[@]}" --store killed.db >>killed.log 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  read -r answers open <<<"$(counts)"
  [[ $open -gt 0 ]] || break  # all done: a later kill would hit an idle service
  [[ $answers -gt $answers_before ]] && interrupted=$((interrupted + 1))
  answers_before=$answers
done
check "serve after the kills" 0 "$tandem" "${serve_args[@]}" --store killed.db --until-idle
[[ $interrupted -ge 3 ]] || { echo "FAIL serve kill: only $interrupted kills hit a service with work left" >&2; failures=$((failures + 1)); }
python3 - calm.db killed.db "$interrupted" <<'PY' || { echo "FAIL serve kill: the killed store lost or doubled something" >&2; failures=$((failures + 1)); }
import sqlite3, sys
# The killed service saw some answers earlier than the calm one (a restart re-posts what was in flight and
# collects it before asking on), so its choices of workers may differ; what must hold is that nothing was
# lost or doubled: every case and task is there and settled, every task's counter equals its answers, no
# claim is left, and every answer is the one the (deterministic) crowd gives for that task and worker.
def state(path):
    db = sqlite3.connect(path)
    cases = dict(db.execute("SELECT id, state FROM cases"))
    tasks = {r[0]: r[1:] for r in db.execute("SELECT id, state, answers, max_answers FROM tasks")}
    answers = {}
    for task, worker, value, other in db.execute("SELECT task_id, worker_id, value, other_text FROM answers"):
        assert (task, worker) not in answers, f"{path}: {task} answered twice by {worker}"
        answers[(task, worker)] = (value, other)
    counted = dict(db.execute("SELECT task_id, COUNT(*) FROM answers GROUP BY task_id"))
    for t, (st, n, budget) in tasks.items():
        assert n == counted.get(t, 0), f"{path}: {t} counts {n} answers, has {counted.get(t, 0)}"
        assert st in ("accepted", "expert"), f"{path}: {t} is {st}"
        assert 1 <= n <= budget, f"{path}: {t} has {n} answers (budget {budget})"
    for c, st in cases.items():
        assert st == "ready", f"{path}: case {c} is {st}"
    claims = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    assert claims == 0, f"{path}: {claims} claims left"
    return cases, tasks, answers
calm, killed = state(sys.argv[1]), state(sys.argv[2])
assert len(calm[0]) == 240 and len(calm[1]) > 400, (len(calm[0]), len(calm[1]))
assert set(calm[0]) == set(killed[0]), "the cases differ"
assert set(calm[1]) == set(killed[1]), "the tasks differ"
same = [k for k in calm[2] if k in killed[2]]
for k in same:
    assert calm[2][k] == killed[2][k], f"{k}: {calm[2][k]} calm, {killed[2][k]} killed"
assert same, "no (task, worker) pair in common: the crowd is not the same"
print(f"serve kill: {sys.argv[3]} kills in the middle of the work; {len(killed[0])} cases, {len(killed[1])} tasks, {len(killed[2])} answers "
      f"({len(calm[2])} calm, {len(same)} the same pairs, all the same values)")
PY

[[ $failures -eq 0 ]] && echo "serve: all checks passed" || { echo "serve: $failures failed" >&2; exit 1; }
