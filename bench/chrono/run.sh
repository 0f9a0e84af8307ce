#!/usr/bin/env bash
# tandem's time understanding vs chrono-node on the same texts, in one run: installs chrono-node (the
# version in package.json) into bench/chrono/node_modules with npm, runs bench/time_bench (built in
# BUILD_DIR) and chrono_bench.js on the texts of CASES, and prints sentences per second on one core for
# both and the ratio (issue 4's goal: >= 20x chrono).
#
#   bench/chrono/run.sh [BUILD_DIR] [CASES.jsonl]
#     BUILD_DIR  default: build beside this source tree (it needs tandem_bench_time and the time plugin)
#     CASES      default: shared/eval/time/dev.jsonl beside the source tree
#   Environment: MIN_TIME (CPU seconds per round and tool, default 1), REPETITIONS (rounds, default 9).
# The two alternate, round by round, so that a changing load on a shared machine falls on both alike;
# rates are per CPU second of the measuring process. Each round gives a ratio of the two rates measured
# seconds apart; the ratio printed is the median of the rounds' ratios (a load that comes and goes between
# rounds moves a round's two rates together, and the median drops the rounds it split). The rates printed
# are the medians of the rounds, and their ratio is printed beside it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
cases=${2:-$src/../shared/eval/time/dev.jsonl}
min_time=${MIN_TIME:-1}
reps=${REPETITIONS:-9}

[[ -f "$cases" ]] || { echo "run.sh: error: the case file $cases is absent" >&2; exit 1; }
bench="$build/bin/tandem_bench_time"
[[ -x "$bench" ]] || { echo "run.sh: error: $bench is missing (cmake --build $build --target tandem_bench_time)" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "run.sh: error: node and npm are needed for the chrono-node baseline" >&2; exit 1; }

if [[ ! -f "$here/node_modules/chrono-node/package.json" ]]; then
  echo "installing chrono-node with npm into $here/node_modules ..." >&2
  (cd "$here" && npm install --no-audit --no-fund --no-package-lock >&2) ||
    { echo "run.sh: error: npm could not install chrono-node" >&2; exit 1; }
fi
chrono_version=$(node -p "require('$here/node_modules/chrono-node/package.json').version")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "tandem: $bench --cases=$cases; chrono-node $chrono_version on node $(node --version);" \
     "$reps rounds of ${min_time} CPU s each, alternating" >&2
for ((r = 1; r <= reps; r++)); do
  "$bench" --cases="$cases" --benchmark_min_time="$min_time" --benchmark_format=json >"$tmp/tandem.$r.json"
  node "$here/chrono_bench.js" "$cases" --min-time "$min_time" --repetitions 1 >"$tmp/chrono.$r.json"
done

python3 - "$tmp" "$reps" "$chrono_version" <<'PY'
import json, os, statistics, sys
tmp, reps, version = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ours, theirs, ratios, ctx = [], [], [], {}
for r in range(1, reps + 1):
    t = json.load(open(os.path.join(tmp, f"tandem.{r}.json")))
    ctx = t.get("context", ctx)
    mine = [b["items_per_second"] for b in t["benchmarks"] if b["name"].startswith("BM_TimeRules_DevTexts")]
    chrono = json.load(open(os.path.join(tmp, f"chrono.{r}.json")))["sentences_per_second"]
    ours += mine
    theirs.append(chrono)
    ratios += [m / chrono for m in mine]
texts = json.load(open(os.path.join(tmp, "chrono.1.json")))["texts"]
o, c = statistics.median(ours), statistics.median(theirs)
print(f"texts: {texts}; rates per CPU second of one thread; machine: {ctx.get('num_cpus')} CPUs, "
      f"load average at the end {[round(x, 2) for x in ctx.get('load_avg', [])]}")
print(f"tandem time_rules   : {o:10.0f} sentences/s per core  (median of {len(ours)}: {[round(x) for x in ours]})")
print(f"chrono-node {version:<8}: {c:10.0f} sentences/s per core  (median of {len(theirs)}: {[round(x) for x in theirs]})")
print(f"rounds' ratios      : {[round(x, 2) for x in ratios]}")
print(f"ratio tandem / chrono = {statistics.median(ratios):.2f}  (median of the rounds' ratios; "
      f"ratio of the medians {o / c:.2f}; goal >= 20)")
PY
