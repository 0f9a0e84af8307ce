#!/usr/bin/env bash
# The milter's added latency per message through a real Postfix (issue 6, "Figures"): a Postfix instance of
# its own (tests/mail/postfix_lib.sh: config, queue and mail folders in a temporary directory, loopback
# only, the system's Postfix configuration untouched) with three listeners: one with `tandem serve
# --milter` attached, one with the bare baseline milter (bench/milter/bare_milter.c: the same protocol
# decisions, no work), one without a milter. N messages for the assistant go to each, in turn, then PASS_N
# not for the assistant (to dana only). smtp_latency.py times each SMTP transaction from the DATA command
# to the final reply and prints median and p99 per listener, their differences (what each milter adds) and
# messages/s. Postfix and both milters are stopped at the end, whatever happens.
#
#   bench/milter/run.sh [BUILD_DIR] [N]
#     BUILD_DIR  default: build beside this source tree (it needs bin/tandem, the plugins and
#                bin/tandem_bench_bare_milter)
#     N          messages to the assistant per listener, default 1000
#   Environment: PASS_N (messages not for the assistant per listener, default N/5), BUDGET_MS (the milter's
#   time budget, --milter-budget-ms, default tandem's own 5000), JSON (a file for every timing), SOCKET
#   (inet: the milters listen on TCP 127.0.0.1, the default; unix: on unix sockets in the temporary folder).
# The messages: the sample .eml files (shared/eval/mail/mime and reply when present, examples/mail,
# tests/data/mail) and scheduling mails made from the time cases (shared/eval/time/dev.jsonl, else the
# example texts), each with a fresh Message-ID. Needs root (Postfix); exits 77 where it cannot run Postfix.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" 2>/dev/null && pwd) || { echo "run.sh: error: no build directory ${1:-$src/build}" >&2; exit 1; }
n=${2:-1000}
pass_n=${PASS_N:-$((n / 5))}
[[ $n =~ ^[0-9]+$ && $n -gt 0 && $pass_n =~ ^[0-9]+$ ]] ||
  { echo "run.sh: error: N and PASS_N must be whole numbers (N > 0), not '$n' and '$pass_n'" >&2; exit 1; }
tandem=$build/bin/tandem
bare=$build/bin/tandem_bench_bare_milter
for b in "$tandem" "$bare"; do
  [[ -x $b ]] || { echo "run.sh: error: $b is missing (cmake --build $build --target $(basename "$b"))" >&2; exit 1; }
done

source "$src/tests/mail/postfix_lib.sh"
pf_install || { echo "SKIP: $pf_problem"; exit 77; }

work=$(mktemp -d)
serve_pid=""
bare_pid=""
stop_all() {
  if [[ -n $serve_pid ]]; then kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; fi
  if [[ -n $bare_pid ]]; then kill "$bare_pid" 2>/dev/null; wait "$bare_pid" 2>/dev/null; fi
  pf_stop
  rm -rf "$work"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The milters' sockets: TCP on 127.0.0.1 (SOCKET=inet, what tandem's docs show) or unix sockets in $work.
case ${SOCKET:-inet} in
  inet)
    tandem_milter=inet:127.0.0.1:$(pf_free_port)
    bare_port_m=$(pf_free_port)
    bare_milter=inet:$bare_port_m@127.0.0.1 bare_pf=inet:127.0.0.1:$bare_port_m ;;
  unix)
    tandem_milter=unix:$work/tandem.sock
    bare_milter=unix:$work/bare.sock bare_pf=unix:$work/bare.sock ;;
  *) echo "run.sh: error: SOCKET must be inet or unix, not '$SOCKET'" >&2; exit 1 ;;
esac
wait_milter() {  # wait_milter SPEC: its port listens, or its socket file is there (made writable for postfix)
  local spec=$1
  if [[ $spec == unix:* ]]; then
    for _ in $(seq 100); do [[ -S ${spec#unix:} ]] && { chmod 666 "${spec#unix:}"; return 0; }; sleep 0.1; done
    return 1
  fi
  spec=${spec#inet:}
  pf_wait_port "${spec##*:}"
}
pf_configure "$work/postfix" "$tandem_milter"   # sets pf, smtp_port (tandem's milter), plain_port (none)
# A third listener, with the bare baseline milter.
bare_port=$(pf_free_port)
postconf -c "$pf/conf" -M "127.0.0.1:$bare_port/inet=127.0.0.1:$bare_port inet n - n - - smtpd -o smtpd_milters=$bare_pf"
"$bare" "$bare_milter" assistant@tandem.test >"$work/bare.out" 2>&1 &
bare_pid=$!
wait_milter "$bare_pf" || { echo "run.sh: error: the bare milter did not open $bare_milter:" >&2; cat "$work/bare.out" >&2; exit 1; }
budget=()
[[ -n ${BUDGET_MS:-} ]] && budget=(--milter-budget-ms "$BUDGET_MS")
"$tandem" serve -p "$src/tests/data/mail/milter_pipeline.yaml" --store "$work/cases.db" \
  --milter "$tandem_milter" "${budget[@]}" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
wait_milter "$tandem_milter" || { echo "run.sh: error: the milter did not open $tandem_milter; serve said:" >&2; cat "$work/serve.err" >&2; exit 1; }
pf_start || { echo "SKIP: $pf_problem"; exit 77; }
pf_wait_port "$smtp_port" && pf_wait_port "$plain_port" && pf_wait_port "$bare_port" ||
  { echo "run.sh: error: postfix does not listen on $smtp_port, $plain_port and $bare_port" >&2; tail "$pf/postfix.log" >&2; exit 1; }

samples=()
[[ -d $src/../shared/eval/mail/mime ]] && samples+=("$src"/../shared/eval/mail/mime/*.eml)
[[ -d $src/../shared/eval/mail/reply ]] && while IFS= read -r f; do samples+=("$f"); done < <(find "$src/../shared/eval/mail/reply" -name '*.eml' | sort)
samples+=("$src"/examples/mail/*.eml)
while IFS= read -r f; do samples+=("$f"); done < <(find "$src/tests/data/mail" -name '*.eml' | sort)

echo "tandem serve --milter ${tandem_milter/#unix:$work/unix:TMP} (pipeline tests/data/mail/milter_pipeline.yaml, store in a temporary directory," \
     "budget ${BUDGET_MS:-5000} ms); postfix $(postconf -d -h mail_version 2>/dev/null); $(nproc) CPUs;" \
     "load average at the start $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/smtp_latency.py" --milter-port "$smtp_port" --bare-port "$bare_port" --plain-port "$plain_port" -n "$n" --pass-n "$pass_n" \
  --texts "$src/../shared/eval/time/dev.jsonl" --examples "$src/examples/mail" --maildir "$pf/mail" \
  ${JSON:+--json "$JSON"} "${samples[@]}"
status=$?

# tandem's own account of the run: its summary line when it stops, and the cases it wrote.
kill "$serve_pid" 2>/dev/null
wait "$serve_pid" 2>/dev/null
serve_pid=""
grep -h "milter: [0-9]* messages" "$work/serve.err" | sed 's/^tandem serve: /tandem: /'
routed=$(grep -c '"event":"mail"' "$work/serve.out")
echo "tandem: $routed mail events on stdout; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
# Anything else it logged (a message over budget, a failure), most frequent first.
grep -v "^tandem serve: milter: \|^tandem serve: [0-9]* steps\?; " "$work/serve.err" | sort | uniq -c | sort -rn | head -10 >"$work/said"
[[ -s $work/said ]] && { echo "tandem serve also said (count, line):"; cat "$work/said"; }
exit $status
