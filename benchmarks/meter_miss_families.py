"""MTC tune misses by tune family (issue 9 phase 23): how many of a kind of miss one family holds.

Each MTC tune piece's estimate is scored as ``benchmarks/meter_ambiguous.py`` does (right, or the miss kind:
ambiguous, one-bar opening, bar length, phase); rows are grouped by the tune family (``pieces.csv``), with each
piece's written first bars and the estimate, for the families that hold a miss. Tune half only.

Usage (PYTHONPATH=.):
    python benchmarks/meter_miss_families.py [--cache /tmp/meter_tune.pkl]
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks.meter_ambiguous import ambiguous, one_bar_opening  # noqa: E402
from benchmarks.meter_tune import load  # noqa: E402
from motifcli.meter_estimate import estimate_meter  # noqa: E402


def kind(est, truth) -> str:
    """right, or meter_ambiguous's miss kind."""
    bar = truth.bars[0].nominal_length
    if abs(est.beats_per_bar - bar) < 1e-6 and bench.phase_ok(est.first_downbeat, truth.first_downbeat, bar, tol=0.01):
        return "right"
    if ambiguous(est.beats_per_bar, est.first_downbeat, bar, truth.first_downbeat):
        return "ambiguous"
    if one_bar_opening(truth):
        return "one-bar opening"
    return "bar length" if abs(est.beats_per_bar - bar) > 1e-6 else "phase"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache")
    args = ap.parse_args(argv)
    with open(bench.DATA / "mtc_ann_dev" / "pieces.csv", newline="") as f:
        family = {r["piece"]: r["tunefamily"] for r in csv.DictReader(f)}
    rows = collections.defaultdict(list)
    for name, score, truth in load(args.cache)["mtc"]:
        est = estimate_meter(score)
        bars = " ".join(f"{b.start:g}:{b.numerator}/{b.denominator}" for b in truth.bars[:4])
        rows[family[name]].append((kind(est, truth), f"  {name} written {bars} | est {est.name}@{est.first_downbeat:g}"))
    for fam, items in sorted(rows.items(), key=lambda kv: -sum(k != "right" for k, _ in kv[1])):
        counts = collections.Counter(k for k, _ in items)
        if counts["right"] == len(items):
            continue
        print(fam, dict(counts))
        for k, line in items:
            if k != "right":
                print(line, "|", k)
    return 0


if __name__ == "__main__":
    sys.exit(main())
