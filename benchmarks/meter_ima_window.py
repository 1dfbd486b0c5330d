"""Windowed (local) Inner Metric Analysis over a tune's opening as a cue to its first bar (issue 9 phase 23).

Lead 1 of session 22's write-up: MTC tune songs whose first section is a single bar (a pickup or an opening
bar in another meter) might be read by a local cue, as Volk used local IMA for metric change. Here the
local meters (``benchmarks/meter_ima.py``, on a 1/4-quarter grid) that start within the first W quarter
beats give a spectral weight over those W beats; given the written first bar length, the phase whose tiled
metric template correlates best with it is the cue's first downbeat. Counted on MTC tune only (one-bar
openings as ``meter_ambiguous.one_bar_opening``, and the rest), against the product's "right".

Usage (PYTHONPATH=.):
    python benchmarks/meter_ima_window.py [--cache /tmp/meter_tune.pkl] [--windows 6,8,12,16,24]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks import meter_ima as mi  # noqa: E402
from benchmarks.meter_ambiguous import one_bar_opening  # noqa: E402
from benchmarks.meter_tune import load  # noqa: E402
from motifcli import meter_estimate as me  # noqa: E402
from motifcli.meter_templates import RESOLUTION  # noqa: E402

STEP = 3  # grid slots per IMA step: a quarter of a quarter beat


def window_phase(onsets: np.ndarray, bar: float, template: np.ndarray, window: float) -> float | None:
    """The first downbeat (quarter beats from the first note) the opening's local meters put best, or None."""
    slots = np.unique(np.rint(onsets * RESOLUTION).astype(np.int64))
    slots -= slots[0]
    lm = mi.local_meters(slots // STEP)
    keep = lm.starts * STEP < window * RESOLUTION
    lm = mi.LocalMeters(lm.starts[keep], lm.periods[keep], lm.lengths[keep])
    size = int(window * RESOLUTION)
    sw = np.zeros(size)
    sw[::STEP] = mi.spectral_weight(lm, size // STEP)[: len(sw[::STEP])]
    if not sw.std():
        return None
    tiled = np.tile(template, -(-size // len(template)))[:size]
    scores = [np.corrcoef(sw, np.roll(tiled, p))[0, 1] for p in range(len(template))]
    return int(np.nanargmax(scores)) / RESOLUTION


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache")
    ap.add_argument("--windows", default="6,8,12,16,24")
    args = ap.parse_args(argv)
    data = load(args.cache)
    templates: dict[float, np.ndarray] = {}
    for c in me.CANDIDATES + me.MORE_CANDIDATES:
        templates.setdefault(c.bar_beats, c.template())
    product = {}
    for name, score, truth in data["mtc"]:
        est = me.estimate_meter(score)
        bar = truth.bars[0].nominal_length
        product[name] = abs(est.beats_per_bar - bar) < 1e-6 and bench.phase_ok(
            est.first_downbeat, truth.first_downbeat, bar, tol=0.01)
    for window in (float(w) for w in args.windows.split(",")):
        counts: collections.Counter = collections.Counter()
        for name, score, truth in data["mtc"]:
            bar = truth.bars[0].nominal_length
            if bar not in templates:
                counts["no template"] += 1
                continue
            p = window_phase(me._clean(score)[0], bar, templates[bar], window)
            ok = p is not None and bench.phase_ok(p, truth.first_downbeat, bar, tol=0.01)
            kind = "one-bar" if one_bar_opening(truth) else "other"
            counts[f"{kind} pieces"] += 1
            counts[f"{kind} window phase right"] += ok
            counts[f"{kind} product right"] += product[name]
            counts[f"{kind} window right, product wrong"] += ok and not product[name]
            counts[f"{kind} window wrong, product right"] += (not ok) and product[name]
        print(f"W {window:g}", dict(sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
