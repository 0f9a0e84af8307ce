#!/usr/bin/env python3
"""Scores `tandem run` output against an end-to-end scheduling set (shared/eval/scheduling's format).

    tandem run -p config/default.yaml --people SET/people.yaml SET/threads > run.jsonl
    scripts/eval_scheduling.py SET/expect.jsonl run.jsonl [--bar 0.90] [--show-misses]

Per thread (README of the set): request, event type, duration and participants right; the top proposed slot
inside the thread's acceptable_slots; "nothing fits" said where that list is empty for a scheduling request;
a person asked exactly where ask_human is true. A thread is fully right when every check holds. Prints each
figure and, with --show-misses, what went wrong per thread; exits 1 when the fully-right share is under --bar.
"""
import argparse
import datetime as dt
import json
import os
import sys

SCHEDULING = {"schedule_new", "reschedule", "propose_times", "accept_proposal"}


def instant(text):
    return dt.datetime.fromisoformat(text)


def key_of(row):
    return os.path.splitext(os.path.basename(row["file"]))[0]


def checks(expect, got):
    """What is right and what is not for one thread: {check: (ok, detail)}."""
    out = {}
    out["request"] = (got.get("request") == expect["request"], f'{got.get("request")} vs {expect["request"]}')
    out["event_type"] = (got.get("event_type") == expect["event_type"],
                         f'{got.get("event_type")} vs {expect["event_type"]}')
    if expect["request"] in ("cancel", "decline", "none"):
        out["duration"] = (True, "")
    else:
        out["duration"] = (got.get("duration_minutes") == expect["duration_minutes"],
                           f'{got.get("duration_minutes")} vs {expect["duration_minutes"]}')
    want = set(expect["participants"])
    have = set(got.get("participants") or [])
    out["participants"] = (want == have and set(expect["optional"]) == set(got.get("optional") or []),
                           f"missing {sorted(want - have)}, extra {sorted(have - want)}")
    slots = got.get("slots") or []
    acceptable = expect["acceptable_slots"]
    if expect["request"] in SCHEDULING:
        if acceptable:
            if not slots:
                out["slot"] = (False, "no slot proposed" + (" (nothing_fits)" if got.get("nothing_fits") else ""))
            else:
                top = instant(slots[0]["start"])
                inside = any(instant(a["starts_from"]) <= top <= instant(a["starts_until"]) for a in acceptable)
                out["slot"] = (inside, f'top {slots[0]["start"]} not in {[(a["starts_from"], a["starts_until"]) for a in acceptable][:3]}')
        else:
            out["slot"] = (bool(got.get("nothing_fits")) and not slots, "expected nothing_fits")
    else:
        out["slot"] = (not slots, "slots proposed for a non-scheduling request")
    asked = bool(got.get("asked"))
    out["ask_human"] = (asked == expect["ask_human"], f'asked {got.get("asked")} vs ask_human {expect["ask_human"]}')
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("expect")
    ap.add_argument("run")
    ap.add_argument("--bar", type=float, default=0.0)
    ap.add_argument("--show-misses", action="store_true")
    a = ap.parse_args()
    expects = [json.loads(l) for l in open(a.expect, encoding="utf-8") if l.strip()]
    rows = {}
    for line in open(a.run, encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            rows[key_of(row)] = row
    names = ["request", "event_type", "duration", "participants", "slot", "ask_human"]
    right = {n: 0 for n in names}
    full = 0
    misses = []
    for e in expects:
        got = rows.get(e["id"])
        if got is None:
            misses.append(f'{e["id"]}: no output line')
            continue
        c = checks(e, got)
        for n in names:
            right[n] += c[n][0]
        if all(ok for ok, _ in c.values()):
            full += 1
        else:
            misses.append(f'{e["id"]} ({e["locale"]}, {e["request"]}): ' +
                          "; ".join(f"{n}: {d}" for n, (ok, d) in c.items() if not ok))
    n = len(expects)
    for name in names:
        print(f"{name:14s} {right[name]:3d}/{n} = {right[name] / n:.3f}")
    print(f"{'fully right':14s} {full:3d}/{n} = {full / n:.3f}")
    if a.show_misses:
        for m in misses:
            print("  " + m)
    if full / n < a.bar:
        print(f"FAIL: {full / n:.3f} of threads fully right, under the bar {a.bar:.2f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
