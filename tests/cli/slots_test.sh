#!/usr/bin/env bash
# `tandem slots` as operators use it: help, a missing and a broken request (every problem as
# file:line:column), a request answered with ranked slots and their reasons in the request's zone, the same
# calendars from another folder (--calendars), a loop in free order, and nothing fits: why, and the
# compromise with each broken rule, its person and by how much.
#
#   slots_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
failures=0

mkdir -p cal other
cat >people.yaml <<'YAML'
assistant: assistant@example.org
travel_minutes:
  - {from: Berlin office, to: Airport, minutes: 40}
people:
  emily:
    email: emily@example.org
    name: Emily Park
    tz: America/Chicago
    working_hours: {mon: ["08:00-18:00"], tue: ["08:00-18:00"], wed: ["08:00-18:00"], thu: ["08:00-18:00"], fri: ["08:00-18:00"]}
    calendar: cal/emily.ics
  ben:
    email: ben@example.org
    name: Ben Whitaker
    tz: America/Denver
    working_hours: {mon: ["08:00-16:30"], tue: ["08:00-16:30"], wed: ["08:00-16:30"], thu: ["08:00-16:30"], fri: ["08:00-16:30"]}
    preferences:
      preferred_hours: ["09:00-12:00"]
      off_limits: [{days: [wed], from: "08:00", to: "10:00", label: school run}]
    calendar: cal/ben.ics
  priya:
    email: priya@example.org
    name: Priya Raman
    tz: Asia/Kolkata
    working_hours: {mon: ["10:00-19:00"], tue: ["10:00-19:00"], wed: ["10:00-19:00"], thu: ["10:00-19:00"], fri: ["10:00-19:00"]}
    locations: {Berlin office: "Unter den Linden 1"}
  omar:
    email: omar@example.org
    name: Omar Said
    tz: America/Chicago
    working_hours: {mon: ["06:00-09:15"], tue: ["06:00-09:15"], wed: ["06:00-09:15"], thu: ["06:00-09:15"], fri: ["06:00-09:15"]}
    locations: {Airport: null}
YAML
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=America/Chicago:20260302T090000\r\nDTEND;TZID=America/Chicago:20260302T100000\r\nRRULE:FREQ=DAILY;COUNT=30\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >cal/emily.ics
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:review\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260311T190000Z\r\nDTEND:20260311T200000Z\r\nSUMMARY:Review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >cal/ben.ics
# Another folder: Ben is busy all Wednesday afternoon there.
cp cal/emily.ics other/emily.ics
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:offsite\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=America/Denver:20260311T120000\r\nDTEND;TZID=America/Denver:20260311T163000\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >other/ben.ics

check "help" 0 "$tandem" slots --help && contains help out "REQUEST" && contains help out "--calendars"
check "no request" 2 "$tandem" slots
check "missing file" 1 "$tandem" slots nowhere.yaml
contains "missing file" err "nowhere.yaml: error: cannot read the request file: no such file"

cat >bad.yaml <<'YAML'
people: people.yaml
now: "yesterday"
required: [emily, bem]
duration: 30
offered:
  - {from: "2026-03-11T13:00:00-05:00", to: "2026-03-11T12:00:00-05:00"}
  - {at: "2026-03-12T10:00"}
colour: blue
YAML
check "broken request" 1 "$tandem" slots bad.yaml
contains "broken request" err 'bad.yaml:2:6: error: now: expected an ISO 8601 date-time like 2026-03-11T13:00:00-05:00, got "yesterday"'
contains "broken request" err 'bad.yaml:3:19: error: required[1]: expected an address or the id of a person in the directory, got "bem" (did you mean "ben"?)'
contains "broken request" err 'bad.yaml:6:45: error: offered[0].to: expected `to` after `from`'
contains "broken request" err 'bad.yaml:7:10: error: offered[1].at: a time without a UTC offset needs `tz:`'
contains "broken request" err 'bad.yaml:8:1: error: unknown key "colour" (allowed: people, calendars, now, tz, required, optional, duration, sessions' 
lines "broken request" out 0

cat >good.yaml <<'YAML'
people: people.yaml
now: "2026-03-02T07:40:00-06:00"
tz: America/Chicago
required: [emily@example.org, ben]
optional: [carol@elsewhere.example]
duration: 30
offered:
  - {from: "2026-03-11T13:00", to: "2026-03-11T15:00"}
  - {from: "2026-03-13T08:00", to: "2026-03-13T12:00"}
  - {at: "2026-03-10T11:00"}
refused:
  - {from: "2026-03-12", to: "2026-03-13"}
top: 3
YAML
check "slots" 0 "$tandem" slots good.yaml
python3 - out <<'PY' || { echo "FAIL slots: wrong answer" >&2; failures=$((failures + 1)); }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["tz"] == "America/Chicago" and j["nothing_fits"] is False, j
s = j["slots"]
assert len(s) == 3, s
# Ben (Denver) prefers 09:00-12:00 his time: 10:00-13:00 Chicago (the offered Tuesday 11:00, Friday 10:00 on).
# The best slot of each day (a choice of days, best first), before a second slot on any day.
assert [x["start"] for x in s] == ["2026-03-10T11:00:00-05:00", "2026-03-13T10:00:00-05:00", "2026-03-11T13:00:00-05:00"], s
assert s[0]["end"] == "2026-03-10T11:30:00-05:00", s
assert s[0]["score"] >= s[1]["score"] >= s[2]["score"], s
r = " | ".join(s[1]["reasons"])
assert "Ben Whitaker: Fri 13 Mar 09:00-09:30 America/Denver, inside working hours 08:00-16:30, free, in preferred hours 09:00-12:00" in r, r
assert "Emily Park: Fri 13 Mar 10:00-10:30 America/Chicago, inside working hours 08:00-18:00, free" in r, r
assert "inside the offered window Fri 13 Mar 08:00-12:00 America/Chicago" in r, r
assert "optional carol@elsewhere.example is not in the directory: taken as free" in r, r
assert "at the offered time Tue 10 Mar 11:00 America/Chicago" in " | ".join(s[0]["reasons"]), s[0]
PY
check "all starts" 0 "$tandem" slots good.yaml --top 0
python3 - out <<'PY' || { echo "FAIL all starts: wrong answer" >&2; failures=$((failures + 1)); }
import json, sys
starts = sorted(x["start"] for x in json.load(open(sys.argv[1]))["slots"])
# Wednesday 13:00-15:00 (Ben's review 13:00-14:00 Denver is 14:00-15:00 Chicago), Friday from 09:00 (Ben's 08:00)
# but not Emily's standup (09:00-10:00 daily), the Tuesday point.
want = ["2026-03-10T11:00:00-05:00", "2026-03-11T13:00:00-05:00", "2026-03-11T13:15:00-05:00", "2026-03-11T13:30:00-05:00"]
want += ["2026-03-13T%s:00-05:00" % t for t in ("10:00", "10:15", "10:30", "10:45", "11:00", "11:15", "11:30")]
assert starts == want, starts
PY
check "other calendars" 0 "$tandem" slots good.yaml --top 0 --calendars other
python3 - out <<'PY' || { echo "FAIL other calendars: wrong answer" >&2; failures=$((failures + 1)); }
import json, sys
starts = [x["start"] for x in json.load(open(sys.argv[1]))["slots"]]
assert not any(s.startswith("2026-03-11") for s in starts), starts
PY

cat >none.yaml <<'YAML'
people: people.yaml
now: "2026-03-02T08:00:00-07:00"
required: [ben, priya]
duration: 30
offered: [{from: "2026-03-03T00:00:00-07:00", to: "2026-03-04T00:00:00-07:00"}]
horizon_days: 3
YAML
check "nothing fits" 0 "$tandem" slots none.yaml
python3 - out <<'PY' || { echo "FAIL nothing fits: wrong answer" >&2; failures=$((failures + 1)); }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["tz"] == "America/Denver" and j["nothing_fits"] is True and j["slots"] == [], j
assert j["why_none"][0].startswith("the offered windows and times give 95 possible starts"), j["why_none"]
assert j["why_none"][-1].startswith("working hours: left none of 95 (Ben Whitaker "), j["why_none"]
c = j["compromise"]
# Priya's day ends at 06:30 Denver time, Ben's starts at 08:00: 06:00 inside Priya's, 120 min before Ben's.
assert c["start"] == "2026-03-03T06:00:00-07:00", c
assert c["broken"] == [{"constraint": "working_hours", "person": "Ben Whitaker", "minutes": 120,
                        "text": "120 min outside Ben Whitaker's working hours (08:00-16:30 America/Denver)"}], c
PY

cat >loop.yaml <<'YAML'
people: people.yaml
now: "2026-03-02T08:00:00-06:00"
tz: America/Chicago
required: [cand@elsewhere.example]
sessions:
  - {with: [ben], minutes: 45}
  - {with: [omar], minutes: 45}
offered: [{from: "2026-03-05T06:00", to: "2026-03-05T11:00"}]
top: 1
YAML
# Ben starts at 09:00 Chicago time (08:00 Denver), Omar ends at 09:15: Ben first never fits.
check "loop" 0 "$tandem" slots loop.yaml
python3 - out <<'PY' || { echo "FAIL loop: wrong answer" >&2; failures=$((failures + 1)); }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["nothing_fits"] is True and j["slots"] == [], j
PY
echo "fixed_order: false" >>loop.yaml
check "loop free order" 0 "$tandem" slots loop.yaml
python3 - out <<'PY' || { echo "FAIL loop free order: wrong answer" >&2; failures=$((failures + 1)); }
import json, sys
s = json.load(open(sys.argv[1]))["slots"]
assert len(s) == 1 and s[0]["start"] == "2026-03-05T08:15:00-06:00", s
assert [(x["session"], x["start"]) for x in s[0]["sessions"]] == [(1, "2026-03-05T08:15:00-06:00"), (0, "2026-03-05T09:00:00-06:00")], s
assert any(r.startswith("loop: 08:15-09:00 with Omar Said; 09:00-09:45 with Ben Whitaker") for r in s[0]["reasons"]), s
PY

exit $((failures > 0))
