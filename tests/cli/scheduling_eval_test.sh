#!/usr/bin/env bash
# The main job end to end on the shared scheduling set (../shared/eval/scheduling: threads as .eml, the
# people directory, their calendars, expect.jsonl):
#
#   scheduling_eval_test.sh TANDEM_BINARY SOURCE_DIR --bar X
#
# runs `tandem run --pipeline tests/data/pipelines/scheduling_eval.yaml SET/threads` (config/default.yaml's
# models, routing and scheduling on the set's directory and calendars) and scores it with
# scripts/eval_scheduling.py (request, event type, duration, participants, the top slot inside the acceptable
# starts, "nothing fits", a person asked where the set says so); fails when the share of threads fully
# right is under X. Also checks that every drafted invitation reads back through `tandem calendar expand`.
# Exits 77 (ctest SKIP_RETURN_CODE) when ../shared is absent.
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
shift 2
bar=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --bar) bar=$2; shift 2 ;;
    *) echo "scheduling_eval_test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
set_dir=$src/../shared/eval/scheduling
if [[ ! -f $set_dir/expect.jsonl ]]; then
  echo "SKIP: ../shared/eval/scheduling is not beside the source tree ($set_dir)"
  exit 77
fi
# The eval pipeline is config/default.yaml's routing, extractors and estimators with the set's directory:
# it must not drift from the default pipeline.
eval_pipeline=$src/tests/data/pipelines/scheduling_eval.yaml
if ! diff <(sed -n '/^route:/,/^schedule:/p' "$src/config/default.yaml") <(sed -n '/^route:/,/^schedule:/p' "$eval_pipeline") >/dev/null ||
   ! diff <(sed -n '/^  extract:/,/^  human:/p' "$src/config/default.yaml" | grep -v -e '^  human:' -e 'assistant: \[' |
              sed 's|people: ../examples/people/people.yaml .*|people: PEOPLE|') \
          <(sed -n '/^  extract:/,$p' "$eval_pipeline" | sed 's|people: ../../../../shared/eval/scheduling/people.yaml|people: PEOPLE|') >/dev/null; then
  echo "FAIL $eval_pipeline drifted from config/default.yaml (route, extract, estimate)" >&2
  failures=$((failures + 1))
fi
check "run" 0 "$tandem" run -q --pipeline "$eval_pipeline" --drafts drafts \
  "$set_dir/threads"
cp out run.jsonl
lines "run" run.jsonl "$(wc -l <"$set_dir/expect.jsonl")"
python3 "$src/scripts/eval_scheduling.py" "$set_dir/expect.jsonl" run.jsonl --bar "$bar" --show-misses \
  || failures=$((failures + 1))
# Every invitation reads back: libical parses it and its event expands to the slot the run chose.
invitations_read_back drafts
echo "scheduling set: $invitations invitations read back"
exit $((failures > 0))
