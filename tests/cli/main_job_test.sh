#!/usr/bin/env bash
# The README's main job on the bundled samples: `tandem run --pipeline config/default.yaml examples/mail/`
# takes every message through people, slots and drafts. Checks what a user would look at: one line per
# message with the decision's fields, slots with offsets and reasons, the summary table, the drafts as files
# (every invitation reads back through `tandem calendar expand`), a rerun deciding the same, held drafts.
# Usage: main_job_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"

check "main job" 0 "$tandem" run -q --pipeline "$src/config/default.yaml" --drafts drafts "$src/examples/mail/"
cp out first.jsonl
for row in "messages" "resolved automatically" "sent to people" "answers used" "slots proposed" "compromises" "failures"; do
  contains "main job summary" err "$row"
done
python3 - first.jsonl "$src/examples/mail" <<'PY' || { echo "FAIL main job output" >&2; failures=$((failures + 1)); }
import json, os, re, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
files = sorted(f for f in os.listdir(sys.argv[2]) if f.endswith((".eml", ".txt")))
assert [os.path.basename(r["file"]) for r in rows] == files, [r["file"] for r in rows]
need = ["file", "message_id", "request", "event_type", "duration_minutes", "location", "participants", "optional",
        "times", "slots", "nothing_fits", "asked"]
for r in rows:
    assert r["state"] == "done", r
    for k in need:
        assert k in r, (k, r["file"])
    for s in r["slots"]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s["start"]), s
        assert s["end"] > s["start"] and s["reasons"], s
    if r["nothing_fits"]:
        assert r["compromise"] and r["compromise"]["broken"], r["file"]
by = {os.path.basename(r["file"]): r for r in rows}
# A scheduling request gets slots or a compromise, and a reply; mail with nothing to schedule gets none.
scheduling = [r for r in rows if r["request"] in ("schedule_new", "reschedule", "propose_times", "accept_proposal")]
assert len(scheduling) >= 8, [r["request"] for r in rows]
for r in scheduling:
    assert r["draft"] and r["draft"]["body"], r["file"]
    # Slots, a compromise, or a reply that asks first for what is missing (the dates of "when you're in town").
    assert r["slots"] or r["nothing_fits"] or r["draft"]["kind"] == "need_info", r["file"]
# The visit the mail does not date: people were asked, said the sender must give the dates, and the reply asks.
town = by["lunch_when_in_town.eml"]
assert "when" in town["asked"] and town["answers_used"] > 0, town
assert town["draft"]["kind"] == "need_info" and "which dates" in town["draft"]["body"], town["draft"]
# A decline answers the meeting's organizer, in her language, signed by who declines.
dec = by["decline_es.eml"]
assert dec["draft"]["kind"] == "declined" and dec["draft"]["language"] == "fr", dec["draft"]
assert dec["draft"]["body"].startswith("Bonjour Camille") and "Inés Castillo" in dec["draft"]["body"], dec["draft"]
# German replies say "Sie", and greet with the whole name.
assert by["jour_fixe_de.eml"]["draft"]["body"].startswith("Guten Tag Jonas Weber,"), by["jour_fixe_de.eml"]["draft"]
# Bare bodies are read in their own language: the German lunch asks for a lunch.
assert by["lunch_de.txt"]["request"] == "schedule_new" and by["lunch_de.txt"]["event_type"] == "lunch", by["lunch_de.txt"]
assert all(r["draft"] is None for r in rows if r["request"] == "none"), [r["file"] for r in rows if r["request"] == "none"]
# Five languages of samples, each answered in its recipient's language.
assert {r["draft"]["language"] for r in rows if r.get("draft")} >= {"en", "de", "fr", "es"}, rows
# A confirmed slot comes with an invitation (REQUEST), a cancelled meeting with a CANCEL.
method = {"confirm": "REQUEST", "cancelled": "CANCEL"}
for r in rows:
    d = r.get("draft")
    if d and d["kind"] in method:
        assert d.get("invitation_method") == method[d["kind"]], (r["file"], d)
assert any(r.get("draft") and r["draft"]["kind"] in method for r in rows), [r.get("draft") for r in rows]
PY
invitations_read_back drafts
[[ $invitations -ge 1 ]] || { echo "FAIL main job: no invitation written" >&2; failures=$((failures + 1)); }
# A rerun decides the same (now is each message's sent instant); the simulated crowd is seeded.
check "main job again" 0 "$tandem" run -q --pipeline "$src/config/default.yaml" "$src/examples/mail/"
python3 - first.jsonl out <<'PY' || { echo "FAIL main job: a rerun decided otherwise" >&2; failures=$((failures + 1)); }
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
key = lambda r: (r["request"], r["participants"], [s["start"] for s in r["slots"]], r["nothing_fits"])
assert [key(r) for r in a] == [key(r) for r in b]
PY
# With the pipeline's review on, drafts wait in drafts/held/.
sed -e 's|review: false|review: true|' -e "s|\.\./|$src/|g" -e "s|^workers: workers/|workers: $src/config/workers/|" \
  "$src/config/default.yaml" >review.yaml
check "main job held" 0 "$tandem" run -q --pipeline review.yaml --drafts held_drafts "$src/examples/mail/video_call_accept.eml"
python3 -c 'import json,sys; r=json.loads(open("out").readline()); assert r["draft"]["held"] is True, r["draft"]' \
  || { echo "FAIL main job held: the draft is not held" >&2; failures=$((failures + 1)); }
ls held_drafts/held/*.txt >/dev/null 2>&1 || { echo "FAIL main job held: nothing in held/" >&2; failures=$((failures + 1)); }
# People through a task folder: the run leaves the case waiting; answers recorded later; the same mail run
# again resumes its case (nobody asked twice) and decides on what they settled.
sed -e "s|\.\./var/tasks|$PWD/tasks|g" -e "s|\.\./|$src/|g" -e "s|^workers: workers/|workers: $src/config/workers/|" \
  "$src/config/task-folder.yaml" >folder.yaml
town="$src/examples/mail/lunch_when_in_town.eml"
check "main job task folder" 0 "$tandem" run -q --pipeline folder.yaml --store folder.db --max-steps 0 "$town"
python3 -c 'import json; r=json.loads(open("out").readline()); assert r["state"] == "waiting" and r["asked"] == ["when"] and r["draft"] is None, r' \
  || { echo "FAIL main job task folder: not waiting for the when question" >&2; failures=$((failures + 1)); }
task=$(python3 -c 'import json; print(json.loads(open("out").readline())["case"] + "/when")')
for w in ana ben; do
  check "answer $w" 0 "$tandem" answer --store folder.db -p folder.yaml --task "$task" --worker "$w" --value ask
done
check "main job resumed" 0 "$tandem" run -q --pipeline folder.yaml --store folder.db --max-steps 0 "$town"
python3 -c '
import json
r = json.loads(open("out").readline())
assert r["state"] == "done" and r["resumed"] is True and r["answers_used"] == 2, r
assert r["draft"]["kind"] == "need_info" and r["slots"] == [], r' \
  || { echo "FAIL main job resumed: the answers did not decide" >&2; failures=$((failures + 1)); }
exit $((failures > 0))
