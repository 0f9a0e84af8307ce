#!/usr/bin/env bash
# Issue 5's figures: every aggregator on every crowd set in shared/eval/crowd (accuracy against gold.csv),
# Dawid–Skene's wall time, and the ratio to crowd-kit's DS seconds listed in that folder's README.md.
#
#   scripts/crowd_figures.sh [TANDEM] [RUNS]
#     TANDEM  default: build/bin/tandem beside this source tree
#     RUNS    timing runs per set (default 3); the best is reported, the machine being shared
#   scripts/crowd_figures.sh --scale [TANDEM]
#     writes a generated crowd of 1,000,000 answers (100,000 tasks × 10, 1,000 workers with random
#     confusion matrices, 5 classes, fixed seed) as CSV and runs `tandem aggregate` on it for each method,
#     printing wall time, peak resident memory (/usr/bin/time) and accuracy against the generated truth.
#
# Two times per set: `aggregate` is the plugin call alone (what `tandem aggregate` prints as
# aggregate_seconds: interning, EM, output — the counterpart of crowd-kit's fit_predict on a loaded
# DataFrame), `command` the whole process (start, plugin loading, CSV reading, scoring). The ratios are
# crowd-kit's DS seconds over ours. Prints a Markdown table.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ${1:-} == --scale ]]; then
  tandem=${2:-$src/build/bin/tandem}
  [[ -x /usr/bin/time ]] || { echo "crowd_figures.sh: error: --scale needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 - "$tmp" <<'PY'
import random, sys
rng = random.Random(20261124)
K, W, T, A = 5, 1000, 100000, 10
cum = []
for w in range(W):
    rows = []
    for t in range(K):
        rest = {a: 0.05 + rng.random() for a in range(K) if a != t}
        s = sum(rest.values())
        d = 0.35 + 0.6 * rng.random()
        row = [d if a == t else (1 - d) * rest[a] / s for a in range(K)]
        c, acc = 0.0, []
        for p in row:
            c += p
            acc.append(c)
        rows.append(acc)
    cum.append(rows)
with open(sys.argv[1] + "/answers.csv", "w") as out, open(sys.argv[1] + "/gold.csv", "w") as gold:
    out.write("task,worker,label\n")
    gold.write("task,label\n")
    for i in range(T):
        t = rng.randrange(K)
        gold.write(f"t{i},c{t}\n")
        for w in rng.sample(range(W), A):
            u, a = rng.random(), 0
            while a + 1 < K and u >= cum[w][t][a]:
                a += 1
            out.write(f"t{i},w{w},c{a}\n")
PY
  echo "| method | accuracy | iterations | aggregate s | command s | peak RSS MiB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for m in majority_vote dawid_skene one_coin mace; do
    TANDEM_PLUGIN_PATH= /usr/bin/time -f "%e %M" -o "$tmp/time" "$tandem" aggregate --method "$m" "$tmp/answers.csv" \
      --gold "$tmp/gold.csv" >"$tmp/out" 2>/dev/null || true
    read -r secs kib <"$tmp/time"
    acc=$(sed -n 's/.*accuracy=\([^ ]*\).*/\1/p' "$tmp/out")
    it=$(sed -n 's/.*iterations=\([^ ]*\).*/\1/p' "$tmp/out")
    agg=$(sed -n 's/.*aggregate_seconds=\([^ ]*\).*/\1/p' "$tmp/out")
    echo "| $m | $acc | $it | $agg | $secs | $((kib / 1024)) |"
  done
  exit 0
fi
tandem=${1:-$src/build/bin/tandem}
runs=${2:-3}
sets=$src/../shared/eval/crowd
[[ -x "$tandem" ]] || { echo "crowd_figures.sh: error: $tandem is not an executable" >&2; exit 1; }
[[ -d "$sets" ]] || { echo "crowd_figures.sh: error: $sets is absent" >&2; exit 1; }
export TANDEM_PLUGIN_PATH=
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'stopping: log_likelihood\n' >"$tmp/ll.yaml"

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }

{
  for dir in "$sets"/*/; do
    set=$(basename "$dir")
    [[ -f $dir/answers.csv && -f $dir/gold.csv ]] || continue
    line="$set"
    for m in majority_vote dawid_skene dawid_skene_ll one_coin mace; do
      method=$m config=()
      [[ $m == dawid_skene_ll ]] && method=dawid_skene config=(--config "$tmp/ll.yaml")
      "$tandem" aggregate --method "$method" "${config[@]}" "$dir/answers.csv" --gold "$dir/gold.csv" >"$tmp/out" 2>/dev/null || true
      line+=" $(field accuracy "$tmp/out")"
      [[ $m == dawid_skene ]] && line+=" $(field iterations "$tmp/out")"
    done
    best_agg=999 best_cmd=999
    for ((r = 0; r < runs; r++)); do
      start=$(date +%s.%N)
      "$tandem" aggregate --method dawid_skene "$dir/answers.csv" --gold "$dir/gold.csv" >"$tmp/out" 2>/dev/null || true
      end=$(date +%s.%N)
      best_agg=$(python3 -c "print(min($best_agg, $(field aggregate_seconds "$tmp/out")))")
      best_cmd=$(python3 -c "print(min($best_cmd, $end - $start))")
    done
    echo "$line $best_agg $best_cmd"
  done
} >"$tmp/rows"

python3 - "$tmp/rows" "$sets/README.md" <<'PY'
import re, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ck = {}
for line in open(sys.argv[2], encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    # The "Measured here" table: set | np-MV | np-DS | ck-MV | ck-Wawa | ck-DS | ...
    if len(cells) >= 9 and re.match(r"^[0-9.]+ \([0-9.]+ s\)$", cells[5] or ""):
        acc, sec = re.match(r"^([0-9.]+) \(([0-9.]+) s\)$", cells[5]).groups()
        ck[cells[0]] = (float(acc), float(sec))
print("| set | MV | DS | DS iterations | DS (stopping: log_likelihood) | one-coin | MACE | ck-DS | DS bar (ck-DS − 0.005) | ck-DS s | our DS s (aggregate) | ratio | our DS s (command) | ratio |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    s, mv, ds, it, dsll, oc, mace, agg, cmd = r
    a, sec = ck.get(s, (float("nan"), float("nan")))
    bar = "ok" if float(ds) >= a - 0.005 - 1e-9 else "**MISSED**"
    print(f"| {s} | {mv} | {ds} | {it} | {dsll} | {oc} | {mace} | {a:.4f} | {bar} | {sec:.2f} | {float(agg):.4f} | "
          f"{sec / max(float(agg), 1e-6):.0f}× | {float(cmd):.3f} | {sec / float(cmd):.1f}× |")
PY
