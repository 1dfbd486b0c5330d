"""Probes for new meter cues on one-line notated tunes before any goes into the product (issue 9 phase 10).

Three questions, each answered on music21's folk corpus (the only fit data) and the MTC tune half (the
only measure; never fitted, the test half never read):

``ranker``: does a candidate phase cue add to the notated ranker (motifcli/meter_ranker.py)? The ranker is
refitted phase-only (as ``meter_folk_fit.py --phase-only``: the softmax over the written bar length's
phases) with the extra columns appended, or with its own columns zeroed (``--drop``); reported: the
corpus 5-fold CV (folds as meter_folk_fit's) and the MTC tune half's "phase given the written bar length"
(100 pieces), by the written pickup's share of the bar. Extra cues (``--extra``, comma-separated):
  last_long   the last note starts on a bar line and lasts at least one beat of the meter
  last_2med   the last note starts on a bar line and lasts at least twice the median inter-onset interval
  tonic       share of bar-line onsets whose pitch class is the last note's, minus that share over all onsets
  tonic_fifth the same for the last note's pitch class and its fifth
  ima         Inner Metric Analysis (benchmarks/meter_ima.py, session 22): the spectral weight folded on the
              meter's bar, its template correlation at this phase (tiled over the piece)
  ima_metric  the same with the metric weight (onsets only)
  ima_fold, ima_metric_fold  the same, correlated with the folded profile (not tiled: long bars' folds flattered)
``barcues``: do two bar-length cues tell the written bar from the others (before fitting anything)?
  whole       the tune lasts a whole number of bars from its first note (the pickup completes the last bar)
  phrase      share of phrase starts (notes after a rest or a note twice the median length) a whole
              number of bars after the first note
``overrides``: on the MTC tune half, which estimates the opening rule and the re-ranker change, and
whether each was right before and after.

Usage (PYTHONPATH=.; the corpus from benchmarks/meter_folk_data.py, the tune cache from meter_tune.py):
    python benchmarks/meter_cue_probe.py ranker --extra last_long [--drop pickup_share,no_pickup] [--l2 1] [--no-cv]
    python benchmarks/meter_cue_probe.py barcues
    python benchmarks/meter_cue_probe.py overrides [--cache /tmp/meter_tune.pkl]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter_folk_fit as ff  # noqa: E402
from benchmarks import meter_ima  # noqa: E402
from motifcli import meter_ranker as mr  # noqa: E402
from motifcli.meter_templates import RESOLUTION as RES  # noqa: E402

CORPUS = "/tmp/meterfolk/corpus.pkl"
N_FEAT, N_METERS = len(mr.FEATURES), len(mr.METERS)


def _distinct(on: np.ndarray, pit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct onsets from the first note, each with its top pitch."""
    order = np.lexsort((-pit, on))
    on, pit = on[order] - on.min(), pit[order]
    keep = np.concatenate([[True], np.diff(on) > 1e-6])
    return on[keep], pit[keep]


def _on_line(times: np.ndarray, phase: float, bar: float) -> np.ndarray:
    d = (times - phase) % bar
    return np.minimum(d, bar - d) < 1e-3


def extra_cues(on, off, pit, metas: np.ndarray, phases: np.ndarray) -> dict[str, np.ndarray]:
    """Each extra cue's value for every (meter, phase) hypothesis (phases counted from the first note)."""
    on, off, pit = (np.asarray(a, float) for a in (on, off, pit))
    first = on.min()
    last = on.max() - first
    last_len = off[on >= on.max() - 1e-6].max() - on.max()
    onsets, top = _distinct(on, pit)
    med = float(np.median(np.diff(np.concatenate([onsets, [off.max() - first]]))))
    pc = np.rint(top).astype(int) % 12
    tonic = (pc == pc[-1]).astype(float)
    fifth = np.isin(pc, [pc[-1], (pc[-1] + 7) % 12]).astype(float)
    out = {k: np.zeros(len(metas)) for k in ("last_long", "last_2med", "tonic", "tonic_fifth", "ima", "ima_metric",
                                             "ima_fold", "ima_metric_fold")}
    templates = {m.name: (m.bar, m.template()) for m in mr.METERS}
    ima = meter_ima.fits(on - first, float(off.max() - first), templates)
    ima_fold = meter_ima.fits(on - first, float(off.max() - first), templates, tiled=False)
    for i, (mi, p) in enumerate(zip(metas, phases)):
        m = mr.METERS[mi]
        at_end = bool(_on_line(np.array([last]), p, m.bar)[0])
        out["last_long"][i] = float(at_end and last_len >= m.beat - 1e-6)
        out["last_2med"][i] = float(at_end and last_len >= 2 * med)
        ob = _on_line(onsets, p, m.bar)
        out["tonic"][i] = tonic[ob].mean() - tonic.mean() if ob.any() else 0.0
        out["tonic_fifth"][i] = fifth[ob].mean() - fifth.mean() if ob.any() else 0.0
        spectral, metric = ima[m.name]
        k = int(round(p * RES)) % len(spectral)
        out["ima"][i], out["ima_metric"][i] = spectral[k], metric[k]
        out["ima_fold"][i], out["ima_metric_fold"][i] = ima_fold[m.name][0][k], ima_fold[m.name][1][k]
    return out


def _corpus_rows(path: str) -> tuple[list, list]:
    """(design with every extra cue appended, targets within meter_folk_fit.FIT_TOL) and the piece, cached."""
    cache = Path(path).parent / "cache" / f"cueprobe-ima2-{Path(path).stat().st_size}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    data, kept = [], []
    for p in pickle.loads(Path(path).read_bytes()):
        if (any(p["id"].startswith(h) for h in ff.HELD_FOR_TESTS)
                or not any(abs(m.bar - p["bar"]) < 1e-6 for m in mr.METERS)):
            continue
        X, _, metas, phases = ff.piece_rows(p["onsets"], p["offsets"], p["pitches"], p["bar"], p["phase"])
        bars = np.array([mr.METERS[i].bar for i in metas])
        d = (phases - p["phase"]) % p["bar"]
        ok = (np.abs(bars - p["bar"]) < 1e-6) & (np.minimum(d, p["bar"] - d) <= ff.FIT_TOL + 1e-9)
        if ok.any():
            cues = extra_cues(p["onsets"], p["offsets"], p["pitches"], metas, phases)
            data.append((X, cues, ok))
            kept.append({k: p[k] for k in ("source", "id", "bar", "phase")})
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps((data, kept)))
    return data, kept


def _same_bar(X: np.ndarray, ok: np.ndarray) -> np.ndarray:
    bars = np.array([mr.METERS[i].bar for i in np.argmax(X[:, N_FEAT:N_FEAT + N_METERS], axis=1)])
    return np.flatnonzero(np.abs(bars - bars[np.flatnonzero(ok)[0]]) < 1e-6)


def _pickup_kind(share: float) -> str:
    return next((f"{c:.3g}" for c in (0, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4) if abs(share - c) < 0.02), "other")


def ranker(extra: list[str], drop: list[str], l2: float, cv: bool) -> dict:
    """Phase-only refit with ``extra`` cues appended and ``drop`` columns zeroed: corpus CV and MTC tune."""
    cols = [mr.FEATURES.index(f) for f in drop]

    def design(X: np.ndarray, cues: dict[str, np.ndarray]) -> np.ndarray:
        X = X.copy()
        X[:, cols] = 0.0
        return np.hstack([X, *(cues[e][:, None] for e in extra)]) if extra else X

    raw, kept = _corpus_rows(CORPUS)
    data = [(design(X, cues), ok) for X, cues, ok in raw]
    allX = np.vstack([X for X, _ in data])
    mean, std = allX.mean(axis=0), allX.std(axis=0)
    mean[N_FEAT:N_FEAT + N_METERS], std[N_FEAT:N_FEAT + N_METERS] = 0.0, 1.0
    std[std == 0] = 1.0

    def fit(rows: list) -> np.ndarray:
        rows = [(X[s], ok[s]) for X, ok in rows for s in [_same_bar(X, ok)]]
        return ff.conditional_logit([(X - mean) / std for X, _ in rows], [ok for _, ok in rows], l2)

    def pick(X: np.ndarray, w: np.ndarray) -> int:
        return int(np.argmax(((X - mean) / std) @ w))

    report: dict = {"extra": extra, "drop": drop, "l2": l2, "corpus_pieces": len(data)}
    if cv:
        fold = np.random.default_rng(0).integers(0, 5, len(data))
        hits = np.zeros(len(data), dtype=bool)
        for f in range(5):
            w = fit([d for d, k in zip(data, fold) if k != f])
            for i in np.flatnonzero(fold == f):
                X, ok = data[i]
                s = _same_bar(X, ok)
                hits[i] = ok[s[pick(X[s], w)]]
        report["corpus_cv_phase_given_bar"] = round(float(hits.mean()), 4)
        by: dict[str, list] = collections.defaultdict(list)
        for p, h in zip(kept, hits):
            by[p["source"]].append(h)
        report["corpus_cv_by_source"] = {k: round(float(np.mean(v)), 4) for k, v in by.items()}
    w = fit(data)
    right, count = collections.Counter(), collections.Counter()
    for r in ff.load_benchmark("mtc"):
        if r["split"] != "tune":
            continue
        first = float(r["onsets"].min())
        metas, phases, _ = mr.hypotheses(r["onsets"] - first, r["offsets"] - first, r["pitches"])
        X = design(r["X"], extra_cues(r["onsets"], r["offsets"], r["pitches"], metas, phases))
        s = np.flatnonzero([abs(mr.METERS[i].bar - r["bar"]) < 1e-6 for i in r["metas"]])
        kind = _pickup_kind(((r["phase"] - first) % r["bar"]) / r["bar"])
        count[kind] += 1
        count["all"] += 1
        if len(s) and r["ok"][s[pick(X[s], w)]]:
            right[kind] += 1
            right["all"] += 1
    report["mtc_tune_phase_given_bar"] = right["all"]
    report["mtc_tune_by_pickup_share"] = {k: f"{right[k]}/{count[k]}" for k in sorted(count)}
    report["extra_weights"] = {e: round(float(v), 4) for e, v in zip(extra, (w / std)[N_FEAT + N_METERS:])}
    return report


def bar_cues(on, off, bar: float) -> tuple[bool, float]:
    """(whole number of bars from the first note to the end, share of phrase starts a whole number of bars in)."""
    on, off = np.asarray(on, float), np.asarray(off, float)
    onsets = np.unique(np.round((on - on.min()) * 48) / 48)
    end = float(off.max() - on.min())
    ioi = np.diff(np.concatenate([onsets, [end]]))
    last_off = np.array([off[np.abs(on - on.min() - t) < 0.03].max() - on.min() for t in onsets])
    rest = (np.concatenate([onsets[1:], [np.inf]]) - last_off) > 0.1
    starts = onsets[1:][(rest | (ioi >= 2 * np.median(ioi)))[:-1]]
    whole = bool(_on_line(np.array([end]), 0.0, bar)[0])
    return whole, float(_on_line(starts, 0.0, bar).mean()) if len(starts) else float("nan")


def barcues() -> dict:
    """Each cue's mean for the written bar length and for the other lengths, by written length and corpus."""
    lengths = (2.0, 3.0, 4.0, 4.5, 6.0)
    sets: dict[str, list] = {"essen": [], "other folk": []}
    for p in pickle.loads(Path(CORPUS).read_bytes()):
        if p["source"] != "bach" and not any(p["id"].startswith(h) for h in ff.HELD_FOR_TESTS):
            sets["essen" if p["source"] == "essenFolksong" else "other folk"].append(p)
    sets["mtc tune"] = [r for r in ff.load_benchmark("mtc") if r["split"] == "tune"]
    report: dict = {}
    for name, pieces in sets.items():
        agg: dict = collections.defaultdict(list)
        for p in pieces:
            if not any(abs(p["bar"] - b) < 1e-6 for b in lengths):
                continue
            for b in lengths:
                whole, phrase = bar_cues(p["onsets"], p["offsets"], b)
                side = "written" if abs(b - p["bar"]) < 1e-6 else "other"
                agg[(b, side, "whole")].append(whole)
                agg[(b, side, "phrase")].append(phrase)
        report[name] = {f"{b:g}": {f"{cue} {side}": round(float(np.nanmean(agg[(b, side, cue)])), 3)
                                   for cue in ("whole", "phrase") for side in ("written", "other")
                                   if agg[(b, side, cue)]} | {"n": len(agg[(b, "written", "whole")])}
                        for b in lengths}
    return report


def overrides(cache: str | None) -> dict:
    """MTC tune pieces whose estimate the opening rule or the re-ranker changes, right before and after."""
    from benchmarks import meter as bench
    from benchmarks.meter_tune import load
    from motifcli import meter_estimate as me
    from motifcli.downbeats import _clean

    counts: collections.Counter = collections.Counter()
    changed = []
    for name, score, truth in load(cache)["mtc"]:
        bar = truth.bars[0].nominal_length
        notes = _clean(score)
        if not (me.is_notated(notes) and me._is_monophonic(notes)):
            counts["not one-line notated"] += 1
            continue
        grid = me.accent_grid(notes)
        whole = me.stage1(grid, me.CANDIDATES)
        opening = me.opening_stage1(grid, me.CANDIDATES, whole)[0][1].name
        on = me.estimate_meter(score)
        saved, me.NOTATED_RERANK = me.NOTATED_RERANK, False
        try:
            two = me.estimate_meter(score)
        finally:
            me.NOTATED_RERANK = saved

        def right(e) -> bool:
            return abs(e.beats_per_bar - bar) < 1e-6 and bench.phase_ok(
                e.first_downbeat, truth.first_downbeat, bar, tol=0.01)

        key = (f"opening rule {'fired' if opening != whole[0][1].name else 'quiet'}, "
               f"re-ranker {'changed the meter' if on.name != two.name else 'kept the meter'}, "
               f"{'right' if right(two) else 'wrong'} -> {'right' if right(on) else 'wrong'}")
        counts[key] += 1
        if opening != whole[0][1].name or on.name != two.name:
            written = f"{truth.bars[0].numerator}/{truth.bars[0].denominator}@{truth.first_downbeat:g}"
            changed.append(f"{name} written {written}: whole {whole[0][1].name}, opening {opening}, "
                           f"two stages {two.name}@{two.first_downbeat:g}, "
                           f"re-ranker {on.name}@{on.first_downbeat:g}")
    return {"counts": dict(sorted(counts.items())), "changed": changed}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("probe", choices=("ranker", "barcues", "overrides"))
    ap.add_argument("--extra", default="", help="extra cues for 'ranker': last_long,last_2med,tonic,tonic_fifth")
    ap.add_argument("--drop", default="", help="ranker features zeroed for 'ranker', e.g. pickup_share,no_pickup")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--cache", default="/tmp/meter_tune.pkl", help="meter_tune's cache of the tune pieces")
    ap.add_argument("--corpus", default=CORPUS, help="benchmarks/meter_folk_data.py's cache")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    globals()["CORPUS"] = args.corpus
    runs: dict[str, Callable[[], dict]] = {
        "ranker": lambda: ranker([e for e in args.extra.split(",") if e], [d for d in args.drop.split(",") if d],
                                 args.l2, not args.no_cv),
        "barcues": barcues,
        "overrides": lambda: overrides(args.cache),
    }
    report = runs[args.probe]()
    print(json.dumps(report, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    return report


if __name__ == "__main__":
    main()
