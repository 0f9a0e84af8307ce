#!/usr/bin/env bash
# Peak resident memory of `tandem times` on many cases (issue 4: 100,000): the cases are the texts of a
# case file repeated with new ids ("<id>-r<k>"), written to a temporary file; tandem's answers are
# discarded. Measured with /usr/bin/time -v when present, else from VmHWM in /proc/<pid>/status, read
# every 20 ms while the process runs (the high-water mark only grows, so the last reading is the peak
# up to 20 ms before the end).
#
#   scripts/peak_rss.sh [TANDEM] [CASES.jsonl] [N]
#     TANDEM  default: build/bin/tandem beside this source tree
#     CASES   default: shared/eval/time/dev.jsonl beside the source tree
#     N       default: 100000
#   PEAK_RSS_PROC=1 uses /proc even where /usr/bin/time exists.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tandem=${1:-$src/build/bin/tandem}
cases=${2:-$src/../shared/eval/time/dev.jsonl}
n=${3:-100000}
[[ -x "$tandem" ]] || { echo "peak_rss.sh: error: $tandem is not an executable" >&2; exit 1; }
[[ -f "$cases" ]] || { echo "peak_rss.sh: error: the case file $cases is absent" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$cases" "$n" "$tmp/cases.jsonl" <<'PY'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
n = int(sys.argv[2])
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for k in range(n):
        c = dict(src[k % len(src)])
        c["id"] = f"{c['id']}-r{k // len(src)}"
        out.write(json.dumps(c, ensure_ascii=False) + "\n")
PY
size=$(du -h "$tmp/cases.jsonl" | cut -f1)

start=$(date +%s.%N)
if [[ -x /usr/bin/time && -z "${PEAK_RSS_PROC:-}" ]]; then
  how="/usr/bin/time -v"
  set +e
  /usr/bin/time -v "$tandem" times "$tmp/cases.jsonl" >"$tmp/answers.jsonl" 2>"$tmp/err"
  rc=$?
  set -e
  peak_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/err")
else
  how="VmHWM from /proc"
  "$tandem" times "$tmp/cases.jsonl" >"$tmp/answers.jsonl" 2>"$tmp/err" &
  pid=$!
  peak_kb=0
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n "$hwm" ]] && peak_kb=$hwm
    sleep 0.02
  done
  set +e
  wait "$pid"
  rc=$?
  set -e
fi
end=$(date +%s.%N)
answered=$(wc -l <"$tmp/answers.jsonl")
if [[ $rc -ne 0 ]]; then
  echo "peak_rss.sh: warning: tandem times exited $rc; its first errors:" >&2
  grep -v '^[[:space:]]' "$tmp/err" | head -5 >&2
fi
echo "cases: $n ($size, from $(basename "$cases")), answered: $answered, exit $rc"
awk -v a="$start" -v b="$end" 'BEGIN { printf "wall time: %.1f s\n", b - a }'
echo "peak RSS: $peak_kb kB ($((peak_kb / 1024)) MiB), measured with $how"
