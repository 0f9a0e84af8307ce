#!/usr/bin/env bash
# `tandem simulate` as operators use it: spec errors with file:line:column, and the issue's goal on a
# small world (adaptive routing reaches at least MV-5's accuracy with at most half its answers).
#
#   simulate_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
failures=0

check "help" 0 "$tandem" simulate --help && contains help out "SIMULATION.md"
check "missing spec" 1 "$tandem" simulate nowhere.yaml && contains "missing spec" err "nowhere.yaml: error: cannot open the simulation spec"
cat >bad.yaml <<'YAML'
items: 500
clases: 3
workers:
  types:
    good: {share: 0.7}
    spamer: {share: 0.3}
YAML
check "bad spec" 1 "$tandem" simulate bad.yaml
contains "bad spec" err 'bad.yaml:2:1: error: unknown key "clases" (did you mean "classes"?'
contains "bad spec" err 'bad.yaml:6:5: error: workers.types.spamer: unknown worker type "spamer" (known: expert, good,'
lines "bad spec" err 2

# The shipped spec is valid (its keys are the documented defaults).

cat >small.yaml <<'YAML'
seeds: {count: 4}
items: 4000
gold: {items: 150}
thresholds: [0.95]
YAML
check "small world" 0 "$tandem" simulate small.yaml --json
python3 - out <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
by = {p["policy"]: p for p in r["policies"]}
mv5, ad = by["mv5"], by["adaptive"]
ok = True
def need(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
need(mv5["answers_per_item"]["mean"] == 5, "MV-5 asks five people per item")
need(ad["accuracy"]["mean"] >= mv5["accuracy"]["mean"],
     f"adaptive accuracy {ad['accuracy']['mean']:.3f} >= MV-5 {mv5['accuracy']['mean']:.3f}")
need(ad["answers_per_item"]["mean"] <= 0.5 * mv5["answers_per_item"]["mean"],
     f"adaptive answers/item {ad['answers_per_item']['mean']:.2f} <= half of MV-5's")
need(0.7 < r["model_accuracy"]["mean"] < 0.9, f"model accuracy {r['model_accuracy']['mean']:.3f} in SIMULATION.md's range")
if "ds5" in by:
    need(by["ds5"]["accuracy"]["mean"] >= by["mv5"]["accuracy"]["mean"] - 0.01, "DS-5 is not worse than MV-5")
for name in ("voi", "model_worker"):  # policy 7 and variant 5 of SIMULATION.md
    p = by[name]
    need(p["accuracy"]["mean"] >= mv5["accuracy"]["mean"] and p["answers_per_item"]["mean"] <= 2.5,
         f"{name}: accuracy {p['accuracy']['mean']:.3f} >= MV-5 with {p['answers_per_item']['mean']:.2f} answers/item")
    need(sum(p["answers_histogram"]) > 0 and len(p["answers_histogram"]) == 8, f"{name}: answers histogram 0..7")
heads = {h["policy"]: h for h in r["headlines"]}
need(set(heads) >= {"adaptive", "escalating", "voi", "model_worker"}, "a headline per adaptive policy")
need(heads["adaptive"]["cost_at_mv5_accuracy"]["reach"] in ("below_sweep", "reached"),
     "adaptive reaches MV-5's accuracy within its sweep")
sys.exit(0 if ok else 1)
PY

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all simulate checks passed"
