"""Fit the one-line notated re-ranker (motifcli/meter_rerank.py) on music21's folk tunes (issue 9 phase 9).

Input: the pieces cached by ``benchmarks/meter_folk_data.py`` (notes moved to start at the first note,
written meter and the phase of the first full bar, i.e. the pickup removed from the written bar lines
as ``benchmarks/meter.py written`` removes it). Kept: one-line pieces (``meter_estimate._is_monophonic``)
on the notation grid, not held out for the tests. Every piece's hypotheses (a stage-1 meter of
``meter_rerank.METERS`` x a ranker phase) get ``meter_rerank.FEATURES``; a conditional logit (softmax over
one piece's hypotheses, L2 on unit-spread features, the meter one-hot unscaled) is fitted by L-BFGS (scipy
here only).

Targets, written meter -> right hypotheses: the written bar length at the written phase; notation
conventions the candidates do not have, or where the folk corpora and MTC differ, also accept the
same bar lines in another length: 2/4 (Essen's habit, MTC writes 4/4) also 4/4 on either of its two
phases; 3/8 also 3/4 and 6/8 on either phase; bars of 8 quarters (4/2) 4/4 at the written phase mod 4;
12 (6/2, 3/1) 6-quarter bars at the phase mod 6; 16 (4/1) 4/4. So the model is never taught 2/4 over
4/4 (MTC's own convention; "right" counts them apart).

Reported: corpus accuracy by 5-fold cross-validation (folds by piece) against the two stages as they
are (stage 1's meter, the ranker's phase: in-sample for the ranker); the MTC-ANN and BPS tune halves
through the product (``meter_tune.evaluate``, the weights patched in). ``--test`` scores the test halves
(once, at the end). ``--write`` puts the weights into motifcli/meter_rerank.py.

Usage (PYTHONPATH=.):
    python benchmarks/meter_rerank_fit.py [--l2 10] [--drop GROUP,...] [--cv] [--write] [--test] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

from benchmarks.meter_folk_fit import HELD_FOR_TESTS, fit
from motifcli import meter_estimate as me
from motifcli import meter_ranker, meter_rerank
from motifcli.meter_templates import RESOLUTION

CACHE = Path("/tmp/mtcrank9")
GROUPS = {  # feature groups --drop may remove (their columns are zeroed: the weight stays 0)
    "onehot": [f for f in meter_rerank.FEATURES if f.startswith("is_")],
    "ranker_feats": list(meter_ranker.FEATURES),
    "opening": ["opening_margin", "opening_top"],
    "s1raw": ["s1"],
    "rankraw": ["rank_score", "rank_margin_all"],
    "bars": ["log_bars"],
}


def targets(metas: np.ndarray, phases: np.ndarray, bar: float, phase: float) -> np.ndarray:
    """Which hypotheses are right for a piece written in ``bar`` quarters at ``phase`` (module docstring)."""
    lengths = np.array([meter_rerank._BAR[k] for k in metas])

    def on(mod: float) -> np.ndarray:
        d = (phases - phase) % mod
        return np.minimum(d, mod - d) <= 0.125 + 1e-9

    ok = (np.abs(lengths - bar) < 1e-6) & on(bar)
    if abs(bar - 2.0) < 1e-6 or abs(bar - 1.5) < 1e-6:
        ok |= (np.abs(lengths - 2 * bar) < 1e-6) & on(bar)
    for k in (2, 3, 4):
        if bar >= 8 - 1e-6:
            ok |= (np.abs(lengths - bar / k) < 1e-6) & on(bar / k)
    return ok


def piece_rows(on: np.ndarray, off: np.ndarray, pit: np.ndarray) -> dict:
    """The re-ranker's hypotheses of one piece, and the two stages' own answer (meter name, phase)."""
    notes = (on, off, pit, np.full(len(on), 64.0))
    grid = me.accent_grid(notes)
    whole = me.stage1(grid, me.CANDIDATES)
    head = None
    if me.OPENING_BEATS is not None and len(grid) > me.OPENING_BEATS * RESOLUTION:
        head = me.stage1(grid[: int(round(me.OPENING_BEATS * RESOLUTION))], me.CANDIDATES)
    scored = meter_ranker.score(on, off, pit)
    metas, phases, X = meter_rerank.hypotheses(scored, float(on.min()), float(len(grid)) / RESOLUTION, whole, head)
    saved, meter_rerank.WEIGHTS = meter_rerank.WEIGHTS, ()
    try:
        est = me.estimate_meter(notes)  # the two stages as they are (the re-ranker off)
    finally:
        meter_rerank.WEIGHTS = saved
    return {"metas": metas, "phases": phases, "X": X, "base": (est.beats_per_bar, est.first_downbeat),
            "top": est.name}


def corpus(path: str) -> list[dict]:
    """Rows of every kept corpus piece, cached by the corpus and the features' code."""
    code = Path(meter_rerank.__file__).read_text() + Path(meter_ranker.__file__).read_text()
    code = re.sub(r"WEIGHTS: tuple\[float, \.\.\.\] = \(.*?\)\n", "", code, flags=re.S)
    key = hashlib.sha1((code + str(Path(path).stat().st_size)).encode()).hexdigest()[:10]
    cache = CACHE / f"rerank-{key}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    out = []
    for p in pickle.loads(Path(path).read_bytes()):
        if any(p["id"].startswith(h) for h in HELD_FOR_TESTS) or p.get("parts", 1) != 1:
            continue
        notes = (p["onsets"], p["offsets"], p["pitches"])
        if not (me._is_monophonic(me._clean(notes)) and me.is_notated(notes)):
            continue
        r = piece_rows(*notes)
        if not len(r["X"]):
            continue
        r["ok"] = targets(r["metas"], r["phases"], p["bar"], p["phase"])
        if not r["ok"].any():
            continue
        d = (r["base"][1] - p["phase"]) % p["bar"]
        r["base_right"] = abs(r["base"][0] - p["bar"]) < 1e-6 and min(d, p["bar"] - d) <= 0.125
        r.update(source=p["source"], id=p["id"], signature=p["signature"], bar=p["bar"])
        out.append(r)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(out))
    return out


def standardise(rows: list[dict], drop: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, spread (one-hot columns unscaled) and the mask of columns kept."""
    allX = np.vstack([r["X"] for r in rows])
    mean, std = allX.mean(axis=0), allX.std(axis=0)
    onehot = np.array([f.startswith("is_") for f in meter_rerank.FEATURES])
    mean[onehot], std[onehot] = 0.0, 1.0
    std[std == 0] = 1.0
    keep = np.ones(len(meter_rerank.FEATURES), dtype=bool)
    for g in drop:
        for f in GROUPS[g]:
            keep[meter_rerank.FEATURES.index(f)] = False
    return mean, std, keep


def fit_raw(rows: list[dict], l2: float, mean: np.ndarray, std: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Weights on the raw features (dropped columns 0)."""
    data = [(np.where(keep, r["X"], mean), r["ok"]) for r in rows]
    w = fit(data, l2, mean, std)
    return np.where(keep, w / std, 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="/tmp/meterfolk/corpus.pkl")
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--drop", default="", help=f"feature groups left out: {','.join(GROUPS)}")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--cache", default="/tmp/mtcrank9_tune.pkl", help="meter_tune's cache of the tune pieces")
    ap.add_argument("--test", action="store_true", help="also score MTC/BPS test halves (once, at the end)")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    rows = corpus(args.corpus)
    drop = [g for g in args.drop.split(",") if g]
    mean, std, keep = standardise(rows, drop)
    report: dict = {"l2": args.l2, "drop": drop, "corpus_pieces": len(rows), "sources": {},
                    "hypotheses_per_piece": round(float(np.mean([len(r["X"]) for r in rows])), 1)}
    for r in rows:
        report["sources"][r["source"]] = report["sources"].get(r["source"], 0) + 1
    report["corpus_two_stages_right"] = round(float(np.mean([r["base_right"] for r in rows])), 4)
    if args.cv:
        fold = np.random.default_rng(0).integers(0, 5, len(rows))
        hits = np.zeros(len(rows), dtype=bool)
        for f in range(5):
            w = fit_raw([r for r, k in zip(rows, fold) if k != f], args.l2, mean, std, keep)
            for i in np.flatnonzero(fold == f):
                hits[i] = rows[i]["ok"][int(np.argmax(rows[i]["X"] @ w))]
        report["corpus_cv_right"] = round(float(hits.mean()), 4)
    w = fit_raw(rows, args.l2, mean, std, keep)
    report["corpus_in_sample_right"] = round(float(np.mean([r["ok"][int(np.argmax(r["X"] @ w))] for r in rows])), 4)
    from benchmarks import meter_tune

    saved = meter_rerank.WEIGHTS
    meter_rerank.WEIGHTS = tuple(float(v) for v in w)
    try:
        data = meter_tune.load(args.cache)
        for name in ("mtc", "bps"):
            res = meter_tune.evaluate(data[name])
            report[f"{name}_tune"] = {k: v for k, v in res.items() if k != "confusions"}
        if args.test:
            from benchmarks import meter as bench

            for name in ("mtc", "bps"):
                report[f"{name}_all"] = {k: v for k, v in bench.run_written(name).items()
                                         if k in ("right", "right_by_split", "bar_length_correct")}
    finally:
        meter_rerank.WEIGHTS = saved
    report["weights"] = {f: round(float(v), 4) for f, v in zip(meter_rerank.FEATURES, w)}
    print(json.dumps(report, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    if args.write:
        path = Path(meter_rerank.__file__)
        vals = [f"{float(v):.5g}" for v in w]
        block = "WEIGHTS: tuple[float, ...] = (\n"
        for i in range(0, len(vals), 8):
            block += "    " + ", ".join(vals[i:i + 8]) + ",\n"
        block += ")\n"
        text = re.sub(r"WEIGHTS: tuple\[float, \.\.\.\] = \(.*?\)\n", lambda _: block, path.read_text(), count=1,
                      flags=re.S)
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
