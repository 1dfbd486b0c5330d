"""How many tune-half meter misses are notation-ambiguous (issue 9 phase 9): an honest ceiling for "right".

A miss (``benchmarks/meter.py written``'s "right": the first section's bar length and exact phase) is
counted *ambiguous* when the estimate's bar is twice or half the written one and the coarser grid's bar
lines all lie on the finer grid's (2/4 vs 4/4, 3/4 vs 3/2 or 6/4, 6/8 vs 12/8, with downbeats a superset or
subset): the same music, written either way. 6/8 vs 3/4 is already right (same bar lines). A miss is
counted *one-bar opening* (issue 9 phase 10) when the written first section holds at most one full bar
(its pickup aside) before a meter change: "right" then asks one estimate per piece for one bar's length.
Everything else (3/4 vs 4/4, a phase off within the right bar length, 5/4, ...) is a real miss. Tune halves only
(MTC-ANN tune families, BPS-motif tune pieces), through ``meter_tune.load`` (cached); ``--set`` as there
(e.g. ``meter_estimate.NOTATED_RERANK=True``) compares a setting with the defaults.

Usage (PYTHONPATH=.):
    python benchmarks/meter_ambiguous.py [--cache /tmp/meter_tune.pkl] [--set module.NAME=VALUE] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks.meter_tune import apply, load  # noqa: E402
from motifcli.meter_estimate import estimate_meter  # noqa: E402


def ambiguous(est_bar: float, est_phase: float, bar: float, phase: float) -> bool:
    """The two grids differ by a factor of two and the coarser one's bar lines are on the finer one's."""
    fine, coarse = (est_bar, bar) if est_bar < bar else (bar, est_bar)
    if abs(coarse - 2 * fine) > 1e-6:
        return False
    f_phase, c_phase = (est_phase, phase) if est_bar < bar else (phase, est_phase)
    d = (c_phase - f_phase) % fine
    return min(d, fine - d) < 0.01


def one_bar_opening(truth) -> bool:
    """The written first section is at most one full bar (a pickup aside) and a meter change follows."""
    sig = (truth.bars[0].numerator, truth.bars[0].denominator)
    head = next((k for k, b in enumerate(truth.bars) if (b.numerator, b.denominator) != sig), len(truth.bars))
    full = sum(abs(b.length - b.nominal_length) < 1e-6 for b in truth.bars[:head])
    return head < len(truth.bars) and full <= 1


def misses(pieces: list) -> dict:
    """Misses in four kinds: ambiguous (factor of two, nested grids), one-bar opening, bar length, phase."""
    kinds: collections.Counter = collections.Counter()
    rows = []
    for name, score, truth in pieces:
        est = estimate_meter(score)
        bar = truth.bars[0].nominal_length
        right = abs(est.beats_per_bar - bar) < 1e-6 and bench.phase_ok(est.first_downbeat, truth.first_downbeat,
                                                                       bar, tol=0.01)
        if right:
            kinds["right"] += 1
            continue
        if ambiguous(est.beats_per_bar, est.first_downbeat, bar, truth.first_downbeat):
            kind = "ambiguous"
        elif one_bar_opening(truth):
            kind = "one-bar opening"
        elif abs(est.beats_per_bar - bar) > 1e-6:
            kind = "bar length"
        else:
            kind = "phase"
        kinds[kind] += 1
        rows.append(f"{name} written {truth.sections()[0]['time_signature']}@{truth.first_downbeat:g} "
                    f"est {est.name}@{est.first_downbeat:g}: {kind}")
    return {"counts": dict(kinds), "misses": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache")
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    data = load(args.cache)
    out = {}
    for setting in ["", *args.set]:
        undo = [apply(one) for one in setting.split(";") if one]
        try:
            out[setting or "defaults"] = {c: misses(data[c]) for c in ("mtc", "bps")}
        finally:
            for u in reversed(undo):
                setattr(*u)
        print(setting or "defaults", {c: v["counts"] for c, v in out[setting or "defaults"].items()})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
