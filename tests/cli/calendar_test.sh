#!/usr/bin/env bash
# `tandem calendar expand` as operators use it: help, usage errors, a broken file named by line and property,
# the JSON Lines of occurrences (zones, offsets, all-day, overrides, cancelled, VFREEBUSY).
#
#   calendar_test.sh TANDEM_BINARY SOURCE_DIR
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
in_work_dir "$1" "$2"
data=$src/tests/data/calendar
failures=0

check "help" 0 "$tandem" calendar expand --help && contains help out "--from" && contains help out "--tz"
check "no subcommand" 2 "$tandem" calendar
check "no window" 2 "$tandem" calendar expand "$data/team_overrides.ics"
check "bad --from" 2 "$tandem" calendar expand "$data/team_overrides.ics" --from yesterday --to 2026-04-01
contains "bad --from" err 'error: --from: expected an ISO 8601 date or date-time'
check "bad --tz" 2 "$tandem" calendar expand "$data/team_overrides.ics" --from 2026-03-01 --to 2026-04-01 --tz Mars/Olympus
contains "bad --tz" err 'error: --tz: expected an IANA time zone such as "Europe/Berlin", got "Mars/Olympus"'
check "empty window" 2 "$tandem" calendar expand "$data/team_overrides.ics" --from 2026-04-01 --to 2026-03-01
check "missing file" 1 "$tandem" calendar expand nowhere.ics --from 2026-03-01 --to 2026-04-01
contains "missing file" err "nowhere.ics: cannot open the file"

# A broken file: every problem as FILE:LINE: PROPERTY: what, nothing on stdout.
cp "$data/bad_values.ics" team.ics
check "broken file" 1 "$tandem" calendar expand team.ics --from 2026-03-01 --to 2026-04-01
contains "broken file" err 'team.ics:7: DTSTART: "20261345T100000" is not a valid date-time'
contains "broken file" err 'team.ics:13: DTSTART: TZID "Europe/Atlantis" is neither an IANA zone name nor defined by a VTIMEZONE of the file'
contains "broken file" err 'team.ics:21: EXDATE: cannot read "garbage"'
lines "broken file" out 0
cp "$data/bad_rrule.ics" rule.ics
check "broken rule" 1 "$tandem" calendar expand rule.ics --from 2026-03-01 --to 2026-04-01
contains "broken rule" err 'rule.ics:8: RRULE: cannot read "FREQ=SOMETIMES;COUNT=3"'

# The event's own zone: offsets change with New York's DST; the override and the EXDATE applied, the
# cancelled instance dropped (or kept with --cancelled).
check "own zone" 0 "$tandem" calendar expand "$data/team_overrides.ics" --from 2026-03-01T00:00:00Z --to 2026-03-12T00:00:00Z
lines "own zone" out 3
python3 - out <<'PY' || { echo "FAIL own zone: wrong occurrences" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["start"] for r in rows] == ["2026-03-02T09:30:00-05:00", "2026-03-06T11:00:00-05:00", "2026-03-11T09:30:00-04:00"], rows
assert rows[1]["summary"] == "Standup (moved)" and rows[1]["overridden"] is True, rows[1]
assert all(r["zone"] == "America/New_York" and r["status"] == "none" and r["kind"] == "event" for r in rows), rows
assert all(set(r) >= {"uid", "summary", "start", "end", "all_day", "transparent", "status"} for r in rows), rows
PY
check "cancelled kept" 0 "$tandem" calendar expand "$data/team_overrides.ics" --from 2026-03-01 --to 2026-03-12 --cancelled
lines "cancelled kept" out 4
contains "cancelled kept" out '"start":"2026-03-09T09:30:00-04:00","end":"2026-03-09T09:45:00-04:00","zone":"America/New_York","all_day":false,"floating":false,"transparent":false,"status":"cancelled"'

# --tz: times shown in it, floating and all-day events read in it (the window too: dates are Berlin's).
check "tz" 0 "$tandem" calendar expand "$data/all_day_floating.ics" --from 2026-03-23 --to 2026-03-29 --tz Europe/Berlin
python3 - out <<'PY' || { echo "FAIL tz: wrong occurrences" >&2; failures=$((failures + 1)); }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows: by.setdefault(r["uid"], []).append(r)
off = by["offsite@team"][0]
assert off["all_day"] and off["floating"] and off["start"] == "2026-03-23T00:00:00+01:00" and off["end"] == "2026-03-26T00:00:00+01:00", off
assert [g["start"] for g in by["gym@me"]] == ["2026-03-24T07:00:00+01:00", "2026-03-25T07:00:00+01:00", "2026-03-26T07:00:00+01:00"], by["gym@me"]
trip = by["trip@me"][0]
assert trip["start"] == "2026-03-28T09:00:00+01:00" and trip["end"] == "2026-03-29T09:00:00+02:00", trip
focus = by["focus@me"][0]
assert focus["transparent"] and focus["status"] == "tentative", focus
assert "holiday@team" not in by
PY

# A VTIMEZONE that is not an IANA name, shown in New York; a VFREEBUSY's periods.
check "vtimezone" 0 "$tandem" calendar expand "$data/custom_vtimezone.ics" --from 2026-03-01 --to 2026-05-01 --tz America/New_York
contains "vtimezone" out '"start":"2026-04-02T04:00:00-04:00"'
check "freebusy" 0 "$tandem" calendar expand "$data/freebusy.ics" --from 2026-03-30 --to 2026-04-04
lines "freebusy" out 5
contains "freebusy" out '"kind":"busy","busy_type":"free"'
check "limit" 0 "$tandem" calendar expand "$data/dst_transitions.ics" --from 2026-01-01 --to 2027-01-01 --limit 2
lines "limit" out 2

if ((failures)); then
  echo "calendar_test: $failures check(s) failed" >&2
  exit 1
fi
echo "calendar_test: ok"
