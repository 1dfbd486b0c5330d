"""Inner Metric Analysis alone as a meter and downbeat estimator (issue 9, session 22, branch ima22).

Each candidate meter (stage 1's, ``meter_estimate.CANDIDATES``) is scored by the template correlation of
the IMA weight profile folded on its bar (``meter_ima.phase_fit``) at its best phase; the best candidate
wins (optionally plus stage 1's priors). Weights: ``spectral`` (every grid point, each local meter
extended over the piece), ``metric`` (onsets only), or ``stage1`` (the product's accent grid, stage 1
without its repetition term, for comparison). Measured on the MTC-ANN and BPS tune halves (never test)
and on music21's one-line folk tunes (``benchmarks/meter_folk_data.py``'s cache). "Right" as
``benchmarks/meter.py written``: the first section's bar length (quarter beats) and phase.

Usage (PYTHONPATH=.):
    python benchmarks/meter_ima_probe.py [--cache /tmp/ima22/tune.pkl] [--corpus /tmp/ima22/corpus.pkl]
        [--weights spectral,metric,stage1] [--priors] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks.meter_ambiguous import ambiguous, one_bar_opening  # noqa: E402
from benchmarks.meter_tune import load  # noqa: E402
from motifcli import meter_estimate as me  # noqa: E402
from benchmarks import meter_ima  # noqa: E402
from motifcli.downbeats import _clean  # noqa: E402
from motifcli.meter_templates import RESOLUTION  # noqa: E402


def profile(notes: tuple[np.ndarray, ...], kind: str) -> tuple[np.ndarray, float]:
    """The weight profile on the estimator's grid from the first onset, and that onset's beat."""
    on = notes[0]
    end = float(max(notes[1].max(), on.max())) if len(on) else 0.0
    if kind == "spectral":
        return meter_ima.grid_spectral_weight(on, end)
    if kind == "metric":
        return meter_ima.grid_metric_weight(on, end)
    first = float(on.min())
    grid = me.accent_grid(notes)
    return grid[int(round(first * RESOLUTION)):], first


def estimate(notes: tuple[np.ndarray, ...], kind: str, priors: bool,
             candidates: tuple = me.CANDIDATES) -> tuple[str, float, float, dict]:
    """(meter name, bar length, first downbeat mod bar, {name: score}) by the folded weight profile."""
    prof, first = profile(notes, kind)
    scores = {}
    best = None
    for cand in candidates:
        fit = meter_ima.phase_fit(prof, first, cand.bar_beats, cand.template())
        a = int(np.argmax(fit))
        total = float(fit[a]) + (cand.prior if priors else 0.0)
        scores[cand.name] = total
        if best is None or total > best[0]:
            best = (total, cand, a / RESOLUTION)
    _, cand, phase = best
    return cand.name, cand.bar_beats, phase % cand.bar_beats, scores


def verdict(bar: float, phase: float, truth_bar: float, truth_phase: float) -> str:
    """right, bar length, or phase (the written benchmark's tolerance)."""
    if abs(bar - truth_bar) > 1e-6:
        return "bar length"
    return "right" if bench.phase_ok(phase, truth_phase, truth_bar, tol=0.01) else "phase"


def tune_half(pieces: list, kind: str, priors: bool) -> dict:
    """Counts on one tune half, with the honest-ceiling kinds of ``meter_ambiguous``."""
    kinds: collections.Counter = collections.Counter()
    rows = []
    for name, score, truth in pieces:
        notes = _clean(score)
        est, bar, phase, _ = estimate(notes, kind, priors)
        tb, tp = truth.bars[0].nominal_length, truth.first_downbeat
        v = verdict(bar, phase, tb, tp)
        k = v
        if v != "right":
            if ambiguous(bar, phase, tb, tp):
                k = "ambiguous"
            elif one_bar_opening(truth):
                k = "one-bar opening"
        kinds[k] += 1
        kinds["bar_ok"] += v != "bar length"
        rows.append({"piece": name, "written": truth.sections()[0]["time_signature"], "phase": tp,
                     "est": est, "first": round(phase, 3), "verdict": v, "kind": k})
    return {"pieces": len(rows), **dict(kinds), "rows": rows}


def folk(path: str, kind: str, priors: bool) -> dict:
    """One-line notated music21 folk tunes (meter_rerank_fit's selection, held-out files included),
    strict: the first full bar's length and phase."""
    pieces = pickle.loads(open(path, "rb").read())
    by_source: dict = collections.defaultdict(collections.Counter)
    for p in pieces:
        if p.get("parts", 1) != 1 or p["source"] == "bach":
            continue
        notes = me._clean((p["onsets"], p["offsets"], p["pitches"], np.full(len(p["onsets"]), 64.0)))
        if not (me._is_monophonic(notes) and me.is_notated(notes)):
            continue
        _, bar, phase, _ = estimate(notes, kind, priors)
        v = verdict(bar, phase, p["bar"], p["phase"])
        c = by_source[p["source"]]
        c["pieces"] += 1
        c[v] += 1
    total: collections.Counter = collections.Counter()
    for c in by_source.values():
        total.update(c)
    return {"all": dict(total), **{s: dict(c) for s, c in sorted(by_source.items())}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="/tmp/ima22/tune.pkl")
    ap.add_argument("--corpus", default="/tmp/ima22/corpus.pkl")
    ap.add_argument("--weights", default="spectral,metric,stage1")
    ap.add_argument("--priors", action="store_true", help="add stage 1's priors to each candidate's fit")
    ap.add_argument("--no-folk", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    data = load(args.cache)
    out = {}
    for kind in args.weights.split(","):
        t0 = time.process_time()
        res = {c: tune_half(data[c], kind, args.priors) for c in ("mtc", "bps")}
        res["cpu_s_tune_halves"] = round(time.process_time() - t0, 2)
        if not args.no_folk:
            res["folk"] = folk(args.corpus, kind, args.priors)
        out[kind] = res
        print(kind, {c: {k: v for k, v in res[c].items() if k != "rows"} for c in ("mtc", "bps")},
              res.get("folk", {}).get("all"), res["cpu_s_tune_halves"], flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
