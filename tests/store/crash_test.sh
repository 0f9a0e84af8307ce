#!/usr/bin/env bash
# The SIGKILL durability test of the store (issue 5, item 8): a child answers tasks in a store file, one
# transaction per answer, printing each answer only after its commit; it is killed with SIGKILL three
# times at seeded random moments (after 100-299 acknowledged answers, plus 0-90 ms, so mostly in the
# middle of a transaction), restarted on the same file each time, and finally run to the end. Then the
# checker reads the file: every acknowledged answer is there, none twice, every case and task is
# there, every counter, posterior and state agrees with the answers, and at most one answer per kill
# was committed without being acknowledged.
#
# usage: crash_test.sh CHILD WORKDIR [SEED]
set -euo pipefail

child=$1
work=$2
seed=${3:-20260302}
rounds=3

rm -rf "$work"
mkdir -p "$work"
store=$work/cases.db
RANDOM=$seed

acks=()
for ((round = 1; round <= rounds; round++)); do
  target=$((100 + RANDOM % 200))
  pause=$(printf '0.%03d' $((RANDOM % 91)))
  out=$work/acks.$round
  acks+=("$out")
  "$child" run "$store" $((seed + round)) >"$out" 2>"$work/stderr.$round" &
  pid=$!
  while (($(grep -c '^answer ' "$out" || true) < target)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "crash_test: error: round $round: the child ended before $target answers:" >&2
      cat "$work/stderr.$round" >&2
      exit 1
    fi
    sleep 0.005
  done
  sleep "$pause"
  kill -KILL "$pid"
  status=0
  wait "$pid" 2>/dev/null || status=$?
  if ((status != 137)); then
    echo "crash_test: error: round $round: the child ended with status $status before the kill:" >&2
    cat "$work/stderr.$round" >&2
    exit 1
  fi
  echo "crash_test: round $round: killed after $(grep -c '^answer ' "$out" || true) acknowledged answers (target $target, +${pause}s)"
done

out=$work/acks.final
acks+=("$out")
if ! "$child" run "$store" $((seed + 99)) >"$out" 2>"$work/stderr.final"; then
  echo "crash_test: error: the final run failed:" >&2
  cat "$work/stderr.final" >&2
  exit 1
fi
echo "crash_test: final run: $(grep -c '^answer ' "$out" || true) more answers, $(tail -n 1 "$out")"
"$child" verify "$store" --kills "$rounds" --complete "${acks[@]}"

# The checker itself: with one acknowledged answer deleted behind the store's back, it must fail and
# name the answer.
cp "$store" "$work/tampered.db"
"$child" tamper "$work/tampered.db"
if "$child" verify "$work/tampered.db" --kills "$rounds" --complete "${acks[@]}" >"$work/tampered.out"; then
  echo "crash_test: error: the checker accepted a store that lost answer 1" >&2
  exit 1
fi
if ! grep -q '^error: .*: acknowledged answer 1 (.*) is lost$' "$work/tampered.out"; then
  echo "crash_test: error: the checker did not name the lost answer 1:" >&2
  cat "$work/tampered.out" >&2
  exit 1
fi
echo "crash_test: the checker refuses a store that lost an answer ($(grep -c '^error: ' "$work/tampered.out") errors)"
