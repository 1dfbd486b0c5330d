"""The written-meter benchmark's misses on the tune halves, one line each, in buckets (issue 9 phase 6).

A miss is a piece whose first section's bar length or exact downbeat phase the one-meter estimate gets
wrong (``benchmarks/meter.py written``'s "right"). Buckets: the bar length (written -> estimated), or
the phase off by how many quarter beats; whether the piece changes meter and after how many bars;
for phase misses the notated-input ranker decided, the cue that most favoured the wrong phase over the
written one (weight x feature difference). Tune halves only (MTC-ANN tune families, BPS-motif tune
pieces), read through ``meter_tune.load`` (cached).

Usage (PYTHONPATH=.):
    python benchmarks/meter_misses.py [--cache /tmp/meter_tune.pkl] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks.meter_tune import load  # noqa: E402
from motifcli import meter_estimate, meter_ranker  # noqa: E402
from motifcli.downbeats import _clean  # noqa: E402


def first_section_bars(truth) -> int:
    """Bars (the pickup counted) before the first written meter change."""
    sig = (truth.bars[0].numerator, truth.bars[0].denominator)
    return next((k for k, b in enumerate(truth.bars) if (b.numerator, b.denominator) != sig), len(truth.bars))


def ranker_cue(score, truth, bar: float) -> str:
    """The ranker's cue that most favoured its phase over the written one ('' off the ranker's path)."""
    notes = _clean(score)
    if not (meter_estimate._ranker_knows(bar) and meter_estimate.is_notated(notes)):
        return ""
    scored = meter_ranker.score(notes[0], notes[1], notes[2])
    if scored is None:
        return ""
    same = np.array([abs(meter_ranker.METERS[i].bar - bar) < 1e-6 for i in scored.metas])
    s = np.where(same, scored.scores, -np.inf)
    best = int(np.argmax(s))
    phases = (float(notes[0].min()) + scored.phases) % bar
    d = (phases - truth.first_downbeat) % bar
    right = np.flatnonzero(same & (np.minimum(d, bar - d) < 0.01))
    if not len(right):
        return ""
    r = int(right[np.argmax(s[right])])
    terms = (scored.feats[best] - scored.feats[r]) * np.asarray(meter_ranker.WEIGHTS[: len(meter_ranker.FEATURES)])
    return meter_ranker.FEATURES[int(np.argmax(terms))]


def misses(pieces: list) -> tuple[list[dict], collections.Counter]:
    rows, buckets = [], collections.Counter()
    for name, score, truth in pieces:
        sections = truth.sections()
        bar = truth.bars[0].nominal_length
        est = meter_estimate.estimate_meter(score)
        meter_ok = abs(est.beats_per_bar - bar) < 1e-6
        changes = len(sections) - 1
        if meter_ok and bench.phase_ok(est.first_downbeat, truth.first_downbeat, bar, tol=0.01):
            buckets["right"] += 1
            continue
        if not meter_ok:
            bucket = f"bar length {sections[0]['time_signature']} -> {est.name}"
            cue = ""
        else:
            d = (est.first_downbeat - truth.first_downbeat) % bar
            bucket = f"phase off {min(d, bar - d):g} ({sections[0]['time_signature']})"
            cue = ranker_cue(score, truth, bar)
        buckets[bucket] += 1
        buckets["changing" if changes else "steady"] += 1
        rows.append({"piece": name, "written": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in sections),
                     "first_section_bars": first_section_bars(truth), "estimate": est.name,
                     "est_phase": round(est.first_downbeat, 3), "written_phase": round(truth.first_downbeat, 3),
                     "bucket": bucket, "ranker_cue": cue})
    return rows, buckets


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    data = load(args.cache)
    out = {}
    for corpus in ("mtc", "bps"):
        rows, buckets = misses(data[corpus])
        for r in rows:
            print(corpus, r["piece"], r["bucket"], "| written", r["written"][:60], "| first section",
                  r["first_section_bars"], "bars | est", r["estimate"], r["est_phase"], "written phase",
                  r["written_phase"], ("| cue " + r["ranker_cue"]) if r["ranker_cue"] else "")
        print(corpus, dict(sorted(buckets.items())))
        out[corpus] = {"misses": rows, "buckets": dict(buckets)}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return out


if __name__ == "__main__":
    main()
