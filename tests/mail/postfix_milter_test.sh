#!/usr/bin/env bash
# The milter with a real Postfix (issue 6): a Postfix instance of its own (its own config, queue and mail
# folders in a temporary directory; the system's Postfix configuration is not touched, nothing listens
# beyond 127.0.0.1), `tandem serve --milter` attached to it, mail sent over SMTP. Checks: mail to the
# assistant is delivered with an X-Tandem-Case header naming a case that is in the store; mail not for the
# assistant is delivered untouched; every shared MIME sample is delivered (nothing rejected, held or dropped
# because of tandem); with tandem over its time budget mail is delivered unchanged and the case is still
# written; with tandem stopped Postfix passes mail on (milter_default_action = accept). Postfix is stopped
# at the end, whatever happens.
#   postfix_milter_test.sh TANDEM_BINARY SOURCE_DIR
# Exits 77 (skipped) where Postfix cannot be installed or started (not root, no package).
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../cli/lib.sh"
in_work_dir "$1" "$2"
failures=0

skip() { echo "SKIP: $*"; exit 77; }
source "$src/tests/mail/postfix_lib.sh"
pf_install || skip "$pf_problem"
milter_port=$(pf_free_port)
pf_configure "$work/postfix" "$milter_port"   # sets pf, smtp_port (with the milter), plain_port (without)

serve_pid=""
stop_all() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  pf_stop
  rm -rf "$work"
}
trap stop_all EXIT

start_serve() {  # start_serve EXTRA_ARGS...
  "$tandem" serve -p "$src/tests/data/mail/milter_pipeline.yaml" --store "$work/cases.db" --interval 0.2 \
    --milter "inet:127.0.0.1:$milter_port" "$@" >>serve.out 2>>serve.err &
  serve_pid=$!
  pf_wait_port "$milter_port" || { echo "FAIL: the milter did not open its port; serve said:" >&2; cat serve.err >&2; exit 1; }
}
stop_serve() { kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; serve_pid=""; }

start_serve
pf_start || skip "$pf_problem"
pf_wait_port "$smtp_port" || { echo "FAIL: postfix does not listen on $smtp_port" >&2; tail "$pf/postfix.log" >&2; exit 1; }

# send.py PORT FILE... | --new FROM TO CC SUBJECT BODY: one SMTP transaction per message; prints the
# queue id Postfix gave each ("sent QUEUEID FILE") or the refusal.
cat >send.py <<'PY'
import smtplib, sys, email.utils
port = int(sys.argv[1])
def send(raw, rcpts, name):
    s = smtplib.SMTP("127.0.0.1", port, timeout=60)
    try:
        s.ehlo()
        s.mail("sender@example.org")
        for r in rcpts:
            s.rcpt(r)
        code, reply = s.data(raw)
        print("sent" if code == 250 else "refused", code, reply.decode(errors="replace").split()[-1], name)
    except smtplib.SMTPResponseException as e:
        print("refused", e.smtp_code, e.smtp_error, name)
    finally:
        s.quit()
if sys.argv[2] == "--new":
    frm, to, cc, subject, body, mid = sys.argv[3:9]
    headers = [f"From: {frm}", f"To: {to}"] + ([f"Cc: {cc}"] if cc else []) + [
        f"Subject: {subject}", f"Date: {email.utils.formatdate(localtime=False)}", f"Message-ID: <{mid}>",
        "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(headers) + "\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n").encode()
    send(raw, [a for a in (to, cc) if a], mid)
else:
    for f in sys.argv[2:]:
        send(open(f, "rb").read(), ["assistant@tandem.test"], f)
PY
delivered() { grep -rlF -- "$2" "$pf/mail/$1/new" 2>/dev/null | head -1; }
wait_delivered() {  # wait_delivered MAILBOX TEXT -> the file
  local f
  for _ in $(seq 100); do f=$(delivered "$1" "$2"); [[ -n $f ]] && { echo "$f"; return 0; }; sleep 0.1; done
  return 1
}
case_of() { sed -n 's/^X-Tandem-Case: \(m-[0-9a-f]*\).*/\1/p' "$1" | head -1; }

# 1. CC'd on a scheduling mail: delivered to both with the case header; the case is in the store.
python3 send.py "$smtp_port" --new "Sam Carter <sam@example.com>" dana@tandem.test assistant@tandem.test \
  "Coffee" $'Hi Dana,\n\nI\'m out next week, but could we grab coffee the Tuesday after at 3?\n\nSam' coffee-1@example.com >sent1
grep -q "^sent 250" sent1 || { echo "FAIL cc: not accepted: $(cat sent1)" >&2; failures=$((failures + 1)); }
f_assistant=$(wait_delivered assistant coffee-1@example.com) || { echo "FAIL cc: not delivered to the assistant" >&2; failures=$((failures + 1)); }
f_dana=$(wait_delivered dana coffee-1@example.com) || { echo "FAIL cc: not delivered to dana" >&2; failures=$((failures + 1)); }
case1=$(case_of "${f_dana:-/dev/null}")
[[ -n $case1 ]] || { echo "FAIL cc: no X-Tandem-Case header in the delivered mail" >&2; failures=$((failures + 1)); }
[[ $(case_of "${f_assistant:-/dev/null}") == "$case1" ]] || { echo "FAIL cc: the two copies name different cases" >&2; failures=$((failures + 1)); }
grep -q "Tuesday after at 3" "${f_dana:-/dev/null}" || { echo "FAIL cc: the body was changed" >&2; failures=$((failures + 1)); }

# 2. Not for the assistant: delivered exactly as sent through the listener without the milter.
python3 send.py "$smtp_port" --new "Sam Carter <sam@example.com>" dana@tandem.test "" "Lunch" "Lunch on Friday?" other-1@example.com >sent2
python3 send.py "$plain_port" --new "Sam Carter <sam@example.com>" dana@tandem.test "" "Lunch" "Lunch on Friday?" other-2@example.com >sent3
f1=$(wait_delivered dana other-1@example.com) && f2=$(wait_delivered dana other-2@example.com) ||
  { echo "FAIL pass-through: not delivered" >&2; failures=$((failures + 1)); }
if [[ -n ${f1:-} && -n ${f2:-} ]]; then
  grep -q "^X-Tandem" "$f1" && { echo "FAIL pass-through: tandem touched a message not for the assistant" >&2; failures=$((failures + 1)); }
  # Same headers apart from the trace and the Message-ID and Date lines Python made.
  diff <(sed '/^Received:/,/^[^ \t]/{/^Received:/d;/^[ \t]/d}; /^Message-ID:/d; /^Date:/d; /^Delivered-To:/d; /^Return-Path:/d' "$f1") \
       <(sed '/^Received:/,/^[^ \t]/{/^Received:/d;/^[ \t]/d}; /^Message-ID:/d; /^Date:/d; /^Delivered-To:/d; /^Return-Path:/d' "$f2") >/dev/null ||
    { echo "FAIL pass-through: the message differs from one sent without the milter" >&2; failures=$((failures + 1)); }
fi

# 3. Every shared MIME sample and reply .eml to the assistant: all delivered, none refused.
samples=()
[[ -d $src/../shared/eval/mail/mime ]] && samples+=("$src"/../shared/eval/mail/mime/*.eml)
[[ -d $src/../shared/eval/mail/reply ]] && while IFS= read -r f; do samples+=("$f"); done < <(find "$src/../shared/eval/mail/reply" -name '*.eml' | sort)
samples+=("$src"/tests/data/mail/*.eml)
python3 send.py "$smtp_port" "${samples[@]}" >sent4
refused=$(grep -vc "^sent 250" sent4)
[[ $refused -eq 0 ]] || { echo "FAIL samples: $refused refused:" >&2; grep -v "^sent 250" sent4 | head >&2; failures=$((failures + 1)); }
want=${#samples[@]}
for _ in $(seq 150); do
  got=$(grep -rl "^X-Original-To: assistant@tandem.test\|^Delivered-To: assistant@tandem.test" "$pf/mail/assistant/new" | wc -l)
  [[ $got -ge $((want + 1)) ]] && break
  sleep 0.2
done
[[ $got -ge $((want + 1)) ]] || { echo "FAIL samples: $got of $((want + 1)) delivered to the assistant" >&2; failures=$((failures + 1)); }
with_case=$(grep -l "^X-Tandem-Case: m-" "$pf"/mail/assistant/new/* | wc -l)
echo "samples: ${#samples[@]} sent, all delivered; $with_case of $got messages to the assistant carry a case header"

# The cases in the store: every header names one (or a confident message, said in the header).
"$tandem" tasks --store "$work/cases.db" >tasks.json 2>tasks.err ||
  { echo "FAIL store: tandem tasks failed: $(cat tasks.err)" >&2; failures=$((failures + 1)); }
if [[ -n $case1 ]] && ! grep -q "X-Tandem-Case: $case1; nothing to ask" "$f_dana" && ! grep -q "\"$case1" tasks.json; then
  echo "FAIL store: case $case1 of the header is not in the store" >&2; failures=$((failures + 1))
fi

# 4. Over its time budget: the mail goes on unchanged at once; the case is written all the same.
stop_serve
start_serve --milter-budget-ms 1
python3 send.py "$smtp_port" --new "Jonas Weber <jonas@example.de>" assistant@tandem.test "" "Termin" \
  $'Hallo,\n\nhättest du nächste Woche Zeit für ein Treffen? Dienstag um 10 Uhr passt mir gut.\n\nJonas' late-1@example.de >sent5
f_late=$(wait_delivered assistant late-1@example.de) || { echo "FAIL budget: not delivered" >&2; failures=$((failures + 1)); }
grep -q "^X-Tandem" "${f_late:-/dev/null}" && { echo "FAIL budget: a header was added after the budget" >&2; failures=$((failures + 1)); }
for _ in $(seq 50); do grep -q "late-1@example.de" serve.out && break; sleep 0.2; done
grep -q "did not answer within 1 ms" serve.err || { echo "FAIL budget: the late message was not logged" >&2; failures=$((failures + 1)); }
grep "late-1@example.de" serve.out | grep -q '"case":"m-' ||
  { echo "FAIL budget: the late message was not read to the end (no mail event with its case)" >&2; failures=$((failures + 1)); }

# 5. tandem stopped: Postfix passes mail on (milter_default_action = accept).
stop_serve
python3 send.py "$smtp_port" --new "Sam Carter <sam@example.com>" assistant@tandem.test "" "Down" "Are you there?" down-1@example.com >sent6
wait_delivered assistant down-1@example.com >/dev/null || { echo "FAIL down: mail not delivered while tandem was stopped" >&2; failures=$((failures + 1)); }

grep -q "error" "$pf/postfix.log" && grep "error" "$pf/postfix.log" | head -3 >&2
if [[ $failures -ne 0 ]]; then
  echo "serve said:" >&2; tail -20 serve.err >&2
  exit 1
fi
echo "postfix + milter: all checks passed"
