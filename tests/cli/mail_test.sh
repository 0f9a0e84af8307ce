#!/usr/bin/env bash
# The mail stage from the command line: `tandem mail parse` (the JSON of ARCHITECTURE.md's contract),
# `tandem mail reply` (an .eml or a bare body), and `tandem run` on .eml files, an mbox and a Maildir, with
# the errors an operator meets. Usage: mail_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
failures=0
pipeline=$src/config/default.yaml
mail=$src/examples/mail

# parse: the contract's keys, the thread, the people, the sender's context (known, or inferred and said so).
check "mail parse" 0 "$tandem" mail parse --pipeline "$pipeline" "$mail/coffee_tuesday_after.eml"
python3 - out <<'PY' || { echo "FAIL mail parse: keys or values" >&2; failures=$((failures + 1)); }
import json, sys
m = json.load(open(sys.argv[1]))
for k in ("subject", "from", "to", "cc", "date", "message_id", "in_reply_to", "references", "text", "reply_text", "language"):
    assert k in m, k
assert m["from"] == {"name": "Sam Carter", "address": "sam@example.com"}, m["from"]
# A sign-off and a name are the sender's closing (docs/mail.md, "Reply extraction").
assert m["reply_text"] == "Hi Dana,\n\nI'm out next week, but could we grab coffee the Tuesday after at 3?\n\nThanks,\nSam", m["reply_text"]
assert m["language"] == "en"
assert m["assistant"] == {"addressed": True, "cc": True, "address": "assistant@example.org", "by": "sam@example.com"}, m["assistant"]
assert m["sender"]["known"] is True and m["sender"]["zone"] == "America/New_York", m["sender"]
assert "inferred" not in m["sender"], m["sender"]                      # known: nothing guessed
assert m["sent"] == "2026-11-24T09:30:00-05:00", m["sent"]
PY
check "mail parse quoted reply" 0 "$tandem" mail parse --pipeline "$pipeline" "$mail/reunion_fr_reply.eml"
python3 - out <<'PY' || { echo "FAIL mail parse quoted reply" >&2; failures=$((failures + 1)); }
import json, sys
m = json.load(open(sys.argv[1]))
assert m["subject"] == "Re: Réunion de lundi", m["subject"]            # RFC 2047, ISO-8859-1
assert "réunion" in m["text"] and "a écrit" in m["text"]               # the body, charset converted
assert "a écrit" not in m["reply_text"] and "Pourrions-nous" in m["reply_text"], m["reply_text"]
assert m["in_reply_to"] == "r1@example.fr" and m["thread_id"] == "r1@example.fr", m
assert m["sender"]["known"] is False and m["sender"]["zone"] == "Europe/Paris", m["sender"]
z = m["sender"]["inferred"]["sender.zone"]
assert z["candidates"][0]["value"] == "Europe/Paris" and "+01:00" in z["note"], z
PY
check "mail parse missing" 1 "$tandem" mail parse nope.eml
contains "mail parse missing" err "nope.eml: error: cannot read the file"
: >empty.eml
check "mail parse empty" 1 "$tandem" mail parse empty.eml
contains "mail parse empty" err "empty.eml: error:"

# reply: an .eml, a bare body (as the reply fixtures are), and a body forced with --body.
check "mail reply eml" 0 "$tandem" mail reply "$mail/reunion_fr_reply.eml"
contains "mail reply eml" out "Je suis disponible mardi après-midi."
grep -q "a écrit" out && { echo "FAIL mail reply eml: the quoted history is in the reply" >&2; failures=$((failures + 1)); }
printf 'Tuesday at 3 works for me.\n\nOn Mon, Nov 23, 2026 at 9:12 AM Dana Kim <dana@example.com> wrote:\n> Could we meet on Tuesday?\n> Dana\n\n-- \nSam Carter\n' >body.txt
check "mail reply body" 0 "$tandem" mail reply body.txt
[[ $(cat out) == "Tuesday at 3 works for me." ]] || { echo "FAIL mail reply body: got: $(cat out)" >&2; failures=$((failures + 1)); }
printf 'From: someone\nSubject: looks like headers\n\nbut it is a body\n' >headers_body.txt
check "mail reply sniffed" 0 "$tandem" mail reply headers_body.txt   # a header block first: a message
[[ $(cat out) == "but it is a body" ]] || { echo "FAIL mail reply sniffed: got: $(cat out)" >&2; failures=$((failures + 1)); }
check "mail reply --body" 0 "$tandem" mail reply --body body.txt
check "mail reply --eml --body" 2 "$tandem" mail reply --eml --body body.txt

# run: .eml files, an mbox (with a ">From " line that is text), a Maildir; unreadable inputs said so.
{
  for f in "$mail"/*.eml; do echo "From sender@example.org Tue Nov 24 10:00:00 2026"; tr -d '\r' <"$f"; echo; done
  echo "From sender@example.org Tue Nov 24 10:00:00 2026"
  printf 'From: Lee <lee@example.com>\nTo: assistant@example.org\nSubject: quoting\nDate: Tue, 24 Nov 2026 11:00:00 +0000\nMessage-ID: <mbox-4@example.com>\n\nCan we meet Friday at 10?\n>From the notes: bring slides.\n'
} >inbox.mbox
mkdir -p Maildir/new Maildir/cur Maildir/tmp
cp "$mail/coffee_tuesday_after.eml" Maildir/new/1.host
cp "$mail/lunch_de.eml" Maildir/cur/2.host:2,S
echo "half written" >Maildir/tmp/3.host
check "run mbox" 0 "$tandem" run -q --pipeline "$pipeline" inbox.mbox
python3 - out "$mail" <<'PY' || { echo "FAIL run mbox" >&2; failures=$((failures + 1)); }
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n = len([f for f in os.listdir(sys.argv[2]) if f.endswith(".eml")]) + 1   # every sample .eml, then the last one
assert [r["file"].rsplit("#", 1)[1] for r in rows] == [str(i) for i in range(1, n + 1)], [r["file"] for r in rows]
assert all(r["state"] == "done" for r in rows), rows
last = rows[-1]
assert last["mail"]["message_id"] == "mbox-4@example.com", last["mail"]
texts = [a.get("text", "") for a in last["annotations"]]
assert any("Friday at 10" in t for t in texts), texts
PY
check "run maildir" 0 "$tandem" run -q --pipeline "$pipeline" Maildir
python3 - out <<'PY' || { echo "FAIL run maildir" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["file"].split("/")[-2] for r in rows] == ["new", "cur"], [r["file"] for r in rows]   # tmp/ is not read
assert rows[0]["mail"]["zone"] == "America/New_York" and rows[1]["mail"]["zone"] == "Europe/Berlin", rows
assert {p["role"] for p in rows[0]["mail"]["people"]} == {"from", "to", "cc"}, rows[0]["mail"]["people"]
PY
mkdir plain_folder
echo "notes, not mail" >plain_folder/README.md
check "run a folder without mail" 1 "$tandem" run -q --pipeline "$pipeline" plain_folder "$mail/lunch_de.eml" empty.eml
contains "run a folder without mail" err "plain_folder: error: is a folder without mail"
contains "run a folder without mail" err "empty.eml: error:"
contains "run a folder without mail" err "3 messages: 1 done, 0 failed, 2 unreadable"
# A plain folder of messages: its mail files by name (the sample folder: bodies and .eml), nothing else.
check "run a folder" 0 "$tandem" run -q --pipeline "$pipeline" "$mail"
python3 - out "$mail" <<'PY' || { echo "FAIL run a folder" >&2; failures=$((failures + 1)); }
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
want = sorted(f for f in os.listdir(sys.argv[2]) if f.endswith((".eml", ".txt")))
assert [os.path.basename(r["file"]) for r in rows] == want, [r["file"] for r in rows]
assert all(r["state"] == "done" for r in rows), rows
PY

# A message over the pipeline's mail.max_bytes is refused with the limit's name, not parsed.
python3 -c "import sys; sys.stdout.write('From: a@example.com\nSubject: big\n\n' + 'x' * 1200000 + '\n')" >big.eml
check "mail parse over the limit" 1 "$tandem" mail parse --pipeline "$src/tests/data/pipelines/good_mail.yaml" big.eml
contains "mail parse over the limit" err "over the limit of 1048576 (mail.max_bytes)"
exit $((failures > 0))
