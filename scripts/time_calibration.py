#!/usr/bin/env python3
"""Calibration of `tandem times` answers: expected calibration error (ECE) over 10 bins, and a reliability table.

usage: time_calibration.py CASES.jsonl ANSWERS.jsonl [--scorer DIR] [--main-only] [--json]

Every item the engine returned (every entry of an answer's "times") counts once: its confidence (the top
candidate's p) against whether its value matched an expected item, matched exactly as score_times.py
matches (its same_value and readings, the same greedy pass in text order; an expected item's
alternatives count as matches; with --main-only only the expected main reading does, which asks whether the
top reading is the one the case prefers). Items the engine missed have no confidence and are not counted here
(value recall says how many there are).

Bins are [0, 0.1), [0.1, 0.2), ... [0.9, 1.0]. ECE = sum over bins of (items in bin / items) *
|accuracy in bin - mean confidence in bin|. Lower is better; 0 is perfectly calibrated.

score_times.py is imported from --scorer DIR, by default the folder of CASES, else ../shared/eval/time
beside the source tree.
"""
import argparse
import json
import os
import sys

N_BINS = 10


def import_scorer(explicit, cases_path):
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [explicit] if explicit else [os.path.dirname(os.path.abspath(cases_path)),
                                        os.path.join(here, "..", "..", "shared", "eval", "time")]
    for d in dirs:
        if os.path.isfile(os.path.join(d, "score_times.py")):
            sys.path.insert(0, d)
            import score_times  # noqa: E402  (found at run time)
            return score_times
    sys.exit(f"time_calibration.py: error: score_times.py not found in {', '.join(dirs)} (use --scorer DIR)")


def matched_items(st, cases, answers, main_only=False):
    """(confidence, matched) for every returned item, matched as score_times.score matches."""
    by_id = {a.get("id"): a for a in answers}
    out = []
    for case in cases:
        got = list(by_id.get(case["id"], {}).get("times", []))
        unmatched = list(got)
        hits = []
        for exp in case["expect"]:
            for g in unmatched:
                accepted = st.readings(exp)[:1] if main_only else st.readings(exp)
                if any(st.same_value(r, g) for r in accepted):
                    hits.append(g)
                    unmatched.remove(g)
                    break
        for g in got:
            out.append((float(g.get("confidence", 1.0)), any(g is h for h in hits)))
    return out


def calibration(items):
    bins = [[] for _ in range(N_BINS)]
    for conf, ok in items:
        bins[min(int(conf * N_BINS), N_BINS - 1)].append((conf, ok))
    rows, ece = [], 0.0
    for i, b in enumerate(bins):
        row = {"bin": f"[{i / N_BINS:.1f}, {(i + 1) / N_BINS:.1f}{']' if i == N_BINS - 1 else ')'}", "items": len(b)}
        if b:
            conf = sum(c for c, _ in b) / len(b)
            acc = sum(1 for _, ok in b if ok) / len(b)
            row.update(confidence=conf, accuracy=acc, gap=acc - conf)
            ece += len(b) / len(items) * abs(acc - conf)
        rows.append(row)
    return ece, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cases")
    ap.add_argument("answers")
    ap.add_argument("--scorer", help="folder holding score_times.py")
    ap.add_argument("--main-only", action="store_true",
                    help="an item matches only the expected main reading, not its alternatives")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    a = ap.parse_args()
    st = import_scorer(a.scorer, a.cases)
    items = matched_items(st, st.load(a.cases), st.load(a.answers), a.main_only)
    if not items:
        sys.exit("time_calibration.py: error: the answers hold no items")
    ece, rows = calibration(items)
    accuracy = sum(1 for _, ok in items if ok) / len(items)
    mean_conf = sum(c for c, _ in items) / len(items)
    if a.json:
        print(json.dumps({"items": len(items), "accuracy": accuracy, "mean_confidence": mean_conf, "ece": ece,
                          "bins": rows}))
        return 0
    print(f"{'bin':<12} {'items':>6} {'confidence':>11} {'accuracy':>9} {'gap':>7}")
    for r in rows:
        if r["items"]:
            print(f"{r['bin']:<12} {r['items']:>6} {r['confidence']:>11.3f} {r['accuracy']:>9.3f} {r['gap']:>+7.3f}")
        else:
            print(f"{r['bin']:<12} {0:>6} {'-':>11} {'-':>9} {'-':>7}")
    print(f"items: {len(items)}  accuracy: {accuracy:.3f}  mean confidence: {mean_conf:.3f}")
    print(f"ece={ece:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
