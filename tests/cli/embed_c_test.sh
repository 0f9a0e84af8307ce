#!/usr/bin/env bash
# The C API from C (examples/embed-c/main.c): the sample .eml messages through the cue-word test pipeline (tests/data/pipelines/cues_folder.yaml) into a
# store, one JSON line each; an unreadable message is said so and the others are still done; the same mail
# again asks nobody twice. Usage: embed_c_test.sh EMBED_C_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
embed=$tandem
failures=0
mail=("$src"/examples/mail/*.eml)

check "embed usage" 2 "$embed"
check "embed bad pipeline" 2 "$embed" nope.yaml cases.db "${mail[0]}"
contains "embed bad pipeline" err "cannot open the engine: nope.yaml"

check "embed" 0 "$embed" "$src/tests/data/pipelines/cues_folder.yaml" cases.db "${mail[@]}"
python3 - out "${#mail[@]}" <<'PY' || { echo "FAIL embed: the results are not what the messages say" >&2; failures=$((failures + 1)); }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert "tandem" in lines[0], lines[0]
rows = {r["message_id"]: r for r in lines[1:]}
assert len(rows) == int(sys.argv[2]), rows.keys()
for r in rows.values():
    assert r["state"] in ("done", "asked"), r
    assert r["case_id"].startswith("m-") and len(r["case_id"]) == 18, r
coffee = rows["coffee-1@example.com"]
assert coffee["zone"] == "America/New_York" and coffee["locale"] == "en_US", coffee     # from the people directory
assert coffee["language"] == "en", coffee
times = [a for a in coffee["annotations"] if a["variable"].startswith("time[")]
assert times, coffee
lunch = rows["lunch-7@example.de"]
assert lunch["zone"] == "Europe/Berlin" and lunch["language"] == "de", lunch          # inferred: +01:00, German
assert any(a["variable"] == "sender.zone" for a in lunch["annotations"]), lunch
reply = rows["r2@example.fr"]
assert reply["thread_id"] == "r1@example.fr", reply
PY

# An empty message: unreadable, said so; the rest done all the same. The same mail again: seen before.
: >empty.eml
check "embed unreadable" 1 "$embed" "$src/tests/data/pipelines/cues_folder.yaml" cases.db empty.eml "${mail[0]}"
python3 - out <<'PY' || { echo "FAIL embed unreadable" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])][1:]
assert rows[0]["state"] == "unreadable" and "empty" in rows[0]["error"], rows[0]
assert rows[1].get("seen_before") is True, rows[1]
PY
exit $((failures > 0))
