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


from benchmarks.meter_folk_fit import HELD_FOR_TESTS
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


# written signature -> (meter the re-ranker may say, the modulus its phase must match the written one in)
EQUIVALENT: dict[str, tuple[tuple[str, float], ...]] = {
    "2/4": (("2/4", 2.0), ("4/4", 2.0)),  # Essen's 2/4, MTC's 4/4: the same bar lines, either half
    "3/8": (("6/8", 1.5),),
    "2/2": (("4/4", 4.0),),
    "6/4": (("3/2", 6.0), ("12/8", 6.0)),
    "4/2": (("4/4", 4.0),),
    "4/1": (("4/4", 4.0),),
    "6/2": (("3/2", 6.0), ("12/8", 6.0)),
    "3/1": (("3/2", 6.0), ("12/8", 6.0)),
}


def targets(metas: np.ndarray, phases: np.ndarray, signature: str, phase: float) -> np.ndarray:
    """Which hypotheses are right for a piece written in ``signature`` with bar lines at ``phase``:
    the same meter (3/4 and 6/8 told apart), or EQUIVALENT's (module docstring)."""
    names = np.array([meter_rerank.METERS[k] for k in metas])
    ok = np.zeros(len(metas), dtype=bool)
    for name, mod in EQUIVALENT.get(signature, ((signature, None),)):
        if mod is None:
            mod = meter_rerank._BAR[meter_rerank.METERS.index(name)] if name in meter_rerank.METERS else 0.0
        if not mod:
            continue
        d = (phases - phase) % mod
        ok |= (names == name) & (np.minimum(d, mod - d) <= 0.125 + 1e-9)
    return ok


TARGETS = ("lenient", "half", "strict")


def retarget(r: dict, kind: str) -> np.ndarray:
    """A row set's right hypotheses under a fit target (issue 9 phase 23): ``lenient`` (phase 9's, ``targets``:
    a written 2/4 is also right as 4/4 on either half bar), ``half`` (as 4/4 only with the first full 2/4 bar
    on the 4/4 bar line, i.e. the phase mod 4), ``strict`` (2/4 only). Other signatures as ``targets``."""
    ok = r["ok"]  # phase 9's (lenient) targets, as cached
    if kind == "lenient" or r["signature"] != "2/4":
        return ok
    names = np.array([meter_rerank.METERS[k] for k in r["metas"]])
    four = names == "4/4"
    if kind == "strict":
        return ok & ~four
    d = (r["phases"] - r["written_phase"]) % 4.0
    return ok & ~(four & (np.minimum(d, 4.0 - d) > 0.125 + 1e-9))


def piece_rows(on: np.ndarray, off: np.ndarray, pit: np.ndarray) -> dict:
    """The re-ranker's hypotheses of one piece, and the two stages' own answer (meter name, phase)."""
    notes = (on, off, pit, np.full(len(on), 64.0))
    grid = me.accent_grid(notes)
    whole = me.stage1(grid, me.CANDIDATES)
    head = None
    if me.OPENING_BEATS is not None and len(grid) > me.OPENING_BEATS * RESOLUTION:
        head = me.stage1(grid[: int(round(me.OPENING_BEATS * RESOLUTION))], me.CANDIDATES)
    scored = meter_ranker.score(on, off, pit)
    top = me.opening_stage1(grid, me.CANDIDATES, whole)[0]  # the opening rule, as estimate_meter applies it
    base = meter_rerank.two_stages(scored, float(on.min()), top, me.NOTATED_RANKER_BARS)
    metas, phases, X = meter_rerank.hypotheses(scored, float(on.min()), float(len(grid)) / RESOLUTION, whole, head,
                                               me.NOTATED_RANKER_BARS, base)
    saved, meter_rerank.WEIGHTS = meter_rerank.WEIGHTS, ()
    try:
        est = me.estimate_meter(notes)  # the two stages as they are (the re-ranker off)
    finally:
        meter_rerank.WEIGHTS = saved
    return {"metas": metas, "phases": phases, "X": X, "base": (est.beats_per_bar, est.first_downbeat),
            "top": est.name}


def corpus(path: str) -> list[dict]:
    """Rows of every kept corpus piece, cached by the corpus and the features' code."""
    import inspect

    code = "".join(inspect.getsource(f) for f in (meter_rerank.hypotheses, meter_rerank.two_stages, targets))
    code += str(meter_rerank.FEATURES) + str(meter_rerank.METERS)
    code += str(meter_ranker.WEIGHTS)  # the rows' rank_score and the two stages' answer are the ranker's
    code += re.sub(r"WEIGHTS: tuple\[float, \.\.\.\] = \(.*?\)\n", "", Path(meter_ranker.__file__).read_text(), flags=re.S)
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
        r["ok"] = targets(r["metas"], r["phases"], p["signature"], p["phase"])
        if not r["ok"].any():
            continue
        r["base_right"] = (r["top"] in meter_rerank.METERS and bool(targets(
            np.array([meter_rerank.METERS.index(r["top"])]), np.array([r["base"][1]]), p["signature"], p["phase"])[0]))
        r.update(source=p["source"], id=p["id"], signature=p["signature"], bar=p["bar"], written_phase=p["phase"])
        out.append(r)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(out))
    return out


def standardise(rows: list[dict], drop: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, spread (one-hot columns unscaled) and the mask of columns kept."""
    allX = np.vstack([r["X"] for r in rows])
    mean, std = allX.mean(axis=0), allX.std(axis=0)
    onehot = np.array([f.startswith("is_") or f == "two_stages" for f in meter_rerank.FEATURES])
    mean[onehot], std[onehot] = 0.0, 1.0
    std[std == 0] = 1.0
    keep = np.ones(len(meter_rerank.FEATURES), dtype=bool)
    for g in drop:
        for f in GROUPS[g]:
            keep[meter_rerank.FEATURES.index(f)] = False
    return mean, std, keep


def fit(data: list, l2: float, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Conditional-logit weights on standardised inputs, L2 on every weight but ``two_stages``'s: a
    strong penalty leaves the two stages' answer (the re-ranker then changes nothing)."""
    from benchmarks.meter_folk_fit import conditional_logit

    pen = np.ones(data[0][0].shape[1])
    pen[meter_rerank.FEATURES.index("two_stages")] = 0.0
    return conditional_logit([(X - mean) / std for X, _ in data], [ok for _, ok in data], l2, pen)


def fit_raw(rows: list[dict], l2: float, mean: np.ndarray, std: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Weights on the raw features (dropped columns 0)."""
    data = [(np.where(keep, r["X"], mean), r["ok"]) for r in rows]
    w = fit(data, l2, mean, std)
    return np.where(keep, w / std, 0.0)


def _fold(ident: str, k: int = 5) -> int:
    """A piece's cross-validation fold, from its id (the same for the ranker's and the re-ranker's fits)."""
    return int(hashlib.sha1(ident.encode()).hexdigest(), 16) % k


def crossfit_ranker(rows: list[dict], corpus_path: str, l2: float = 1.0) -> list[dict]:
    """The rows with the ranker's columns recomputed by ranker weights fitted without the row's fold
    (stacking): the shipped ranker was fitted on this corpus, so its in-sample scores are surer here
    than on MTC. Needs every phase (cached rows before PHASE_FROM_RANKER's cut)."""
    from benchmarks import meter_folk_fit as mff

    cache = CACHE / f"ranker-folds-{Path(corpus_path).stat().st_size}-{l2}.pkl"
    if cache.exists():
        weights = pickle.loads(cache.read_bytes())
    else:
        data, kept = mff._cached(Path(corpus_path).stem + f"-{Path(corpus_path).stat().st_size}",
                                 lambda: mff.corpus_rows(corpus_path))
        data = mff.tight(data, kept)
        allX = np.vstack([X for X, _ in data])
        mean, std = allX.mean(axis=0), allX.std(axis=0)
        n = len(meter_ranker.FEATURES)
        mean[n:], std[n:] = 0.0, 1.0
        std[std == 0] = 1.0
        folds = np.array([_fold(p["id"]) for p in kept])
        weights = []
        for f in range(5):
            w = mff.fit([d for d, k in zip(data, folds) if k != f], l2, mean, std, phase_only=True)
            weights.append(w / std)
            print(f"ranker fold {f} fitted", file=sys.stderr, flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(weights))
    names = [m.name for m in meter_ranker.METERS]
    F = meter_rerank.FEATURES
    c = {k: F.index(k) for k in ("rank_score", "rank_margin_bar", "rank_best_bar", "rank_margin_all", "two_stages",
                                  "s1_phase")}
    first_feat = F.index(meter_ranker.FEATURES[0])
    out = []
    for r in rows:
        w = weights[_fold(r["id"])]
        X = r["X"].copy()
        rmeta = np.array([names.index(meter_rerank.METERS[k]) for k in r["metas"]])
        feats = X[:, first_feat:first_feat + len(meter_ranker.FEATURES)]
        rk = meter_ranker.design(rmeta, feats) @ w
        bars = np.array([meter_rerank._BAR[k] for k in r["metas"]])
        X[:, c["rank_score"]] = rk
        X[:, c["rank_margin_all"]] = rk - rk.max()
        for b in np.unique(bars):
            same = np.abs(bars - b) < 1e-6
            X[same, c["rank_margin_bar"]] = rk[same] - rk[same].max()
            X[same, c["rank_best_bar"]] = (rk[same] >= rk[same].max() - 1e-12).astype(float)
        # the two stages' answer with this ranker: stage 1's meter, the ranker's best phase of its bar length
        top = meter_rerank.METERS.index(r["top"])
        tb = meter_rerank._BAR[top]
        same = np.abs(bars - tb) < 1e-6
        if any(abs(tb - b) < 1e-6 for b in me.NOTATED_RANKER_BARS or (tb,)):
            p = r["phases"][np.flatnonzero(same)[np.argmax(rk[same])]]
            base = (r["metas"] == top) & (np.abs(((r["phases"] - p + tb / 2) % tb) - tb / 2) < 1e-6)
        else:
            base = (r["metas"] == top) & (X[:, c["s1_phase"]] > 0.5)
        X[:, c["two_stages"]] = base.astype(float)
        out.append({**r, "X": X, "base_right": bool((base & r["ok"]).any())})
    return out


def _only(r: dict, keep: np.ndarray) -> dict:
    """A piece's rows restricted to ``keep``."""
    return {**r, "metas": r["metas"][keep], "phases": r["phases"][keep], "X": r["X"][keep], "ok": r["ok"][keep]}


def _rows(pieces: list) -> list[dict]:
    """Per tune piece: the estimate's first-section meter and phase, and whether it is right."""
    from benchmarks import meter as bench

    out = []
    for name, score, truth in pieces:
        est = me.estimate_meter(score)
        bar = truth.bars[0].nominal_length
        out.append({"piece": name, "written": truth.sections()[0]["time_signature"], "phase": truth.first_downbeat,
                    "est": est.name, "first": round(est.first_downbeat, 3),
                    "right": abs(est.beats_per_bar - bar) < 1e-6
                    and bench.phase_ok(est.first_downbeat, truth.first_downbeat, bar, tol=0.01)})
    return out


def _phases(path: str) -> dict[str, float]:
    """Corpus id -> written phase of the first full bar (for rows cached without it)."""
    global _PHASES
    if _PHASES is None:
        _PHASES = {p["id"]: p["phase"] for p in pickle.loads(Path(path).read_bytes())}
    return _PHASES


_PHASES: dict[str, float] | None = None


def essen(cache: str) -> dict:
    """Held-out Essen kinder0.abc through the product (``meter_rerank_essen``'s tunes, read once and cached):
    right counts, strict (written bar length, exact phase), half (a written 2/4 as 4/4 with the first full
    bar on the 4/4 bar line) and lenient (2/4 as 4/4 on either half); and a written 2/4 read as 4/4 either way."""
    import os

    from benchmarks.meter_rerank_essen import right, tunes as kinder0

    if os.path.exists(cache):
        tunes = pickle.loads(Path(cache).read_bytes())
    else:
        sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
        tunes = kinder0()
        Path(cache).parent.mkdir(parents=True, exist_ok=True)
        Path(cache).write_bytes(pickle.dumps(tunes))
    out = {"tunes": len(tunes), "strict": 0, "half": 0, "lenient": 0, "two_four_as_four_four": 0}
    for _, bar, phase, score in tunes:
        est = me.estimate_meter(score)
        out["strict"] += right(est, bar, phase, False)
        out["lenient"] += right(est, bar, phase, True)
        four = abs(bar - 2) < 1e-6 and abs(est.beats_per_bar - 4) < 1e-6
        d = (est.first_downbeat - phase) % 4.0
        out["half"] += right(est, bar, phase, False) or (four and min(d, 4.0 - d) < 0.01)
        out["two_four_as_four_four"] += four
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="/tmp/meterfolk/corpus.pkl")
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--drop", default="", help=f"feature groups left out: {','.join(GROUPS)}")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--sources", help="comma-separated corpus sources to fit on (default: all)")
    ap.add_argument("--show", action="store_true", help="print the MTC tune pieces the re-ranker changes")
    ap.add_argument("--cache", default="/tmp/mtcrank9_tune.pkl", help="meter_tune's cache of the tune pieces")
    ap.add_argument("--test", action="store_true", help="also score MTC/BPS test halves (once, at the end)")
    ap.add_argument("--all-phases", action="store_true", help="every phase competes (meter_rerank.PHASE_FROM_RANKER off)")
    ap.add_argument("--crossfit", action="store_true", help="the ranker's columns from out-of-fold ranker weights")
    ap.add_argument("--choices", help="meters the re-ranker may pick (meter_rerank.CHOICES), e.g. 2/4,3/4,4/4,6/8,9/8")
    ap.add_argument("--target", default="lenient", choices=TARGETS, help="what the fit counts right for a written 2/4")
    ap.add_argument("--essen", action="store_true", help="also score held-out Essen kinder0 (strict / half / lenient)")
    ap.add_argument("--essen-cache", default="/tmp/fm23/kinder0.pkl")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    meter_rerank.PHASE_FROM_RANKER = not args.all_phases
    rows = corpus(args.corpus)
    for r in rows:
        if "written_phase" not in r:  # rows cached before phase 23: the phase from the corpus
            r["written_phase"] = _phases(args.corpus)[r["id"]]
    skipped = sum(r["top"] not in meter_rerank.METERS for r in rows)
    rows = [r for r in rows if r["top"] in meter_rerank.METERS]  # as at runtime: a 5/8 estimate keeps stage 1
    if args.crossfit:
        rows = crossfit_ranker(rows, args.corpus)
    if args.choices:
        meter_rerank.CHOICES = tuple(args.choices.split(","))
        rows = [r for r in rows if r["top"] in meter_rerank.CHOICES]
        rows = [_only(r, np.flatnonzero([meter_rerank.METERS[k] in meter_rerank.CHOICES for k in r["metas"]]))
                for r in rows]
        rows = [r for r in rows if len(r["X"]) and r["ok"].any()]
    if meter_rerank.PHASE_FROM_RANKER:  # the runtime's rows only (one per meter)
        rows = [_only(r, meter_rerank.phase_rows(r["metas"], r["phases"], r["X"], me.NOTATED_RANKER_BARS)) for r in rows]
        rows = [r for r in rows if len(r["X"]) and r["ok"].any()]
    if args.sources:
        rows = [r for r in rows if r["source"] in args.sources.split(",")]
    for r in rows:
        r["ok_by"] = {k: retarget(r, k) for k in TARGETS}
        r["ok"] = r["ok_by"][args.target]
    fit_rows = [r for r in rows if r["ok"].any()]  # a piece with no right hypothesis under the target: not fitted
    drop = [g for g in args.drop.split(",") if g]
    mean, std, keep = standardise(rows, drop)
    report: dict = {"l2": args.l2, "drop": drop, "sources_fitted": args.sources or "all", "target": args.target,
                    "corpus_pieces": len(rows), "fitted_pieces": len(fit_rows), "skipped_stage1_not_in_meters": skipped, "sources": {},
                    "hypotheses_per_piece": round(float(np.mean([len(r["X"]) for r in rows])), 1)}
    for r in rows:
        report["sources"][r["source"]] = report["sources"].get(r["source"], 0) + 1
    report["corpus_two_stages_right"] = round(float(np.mean([r["base_right"] for r in rows])), 4)
    if args.cv:
        fold = np.array([_fold(r["id"]) for r in rows])
        hits = {k: np.zeros(len(rows), dtype=bool) for k in TARGETS}
        for f in range(5):
            w = fit_raw([r for r, k in zip(rows, fold) if k != f and r["ok"].any()], args.l2, mean, std, keep)
            for i in np.flatnonzero(fold == f):
                pick = int(np.argmax(rows[i]["X"] @ w))
                for k in TARGETS:
                    hits[k][i] = rows[i]["ok_by"][k][pick]
        report["corpus_cv_right"] = round(float(hits["lenient"].mean()), 4)  # phase 9's measure (all pieces)
        report["corpus_cv_right_by_target"] = {k: round(float(v.mean()), 4) for k, v in hits.items()}
        two = [r["ok_by"] for r in rows]
        report["corpus_two_stages_by_target"] = {
            k: round(float(np.mean([o[k][r["X"][:, meter_rerank.FEATURES.index("two_stages")] > 0.5].any()
                                    for o, r in zip(two, rows)])), 4) for k in TARGETS}
    w = fit_raw(fit_rows, args.l2, mean, std, keep)
    report["corpus_in_sample_right"] = round(float(np.mean([r["ok"][int(np.argmax(r["X"] @ w))] for r in rows])), 4)
    from benchmarks import meter_tune

    saved, saved_on = meter_rerank.WEIGHTS, me.NOTATED_RERANK
    meter_rerank.WEIGHTS = tuple(float(v) for v in w)
    me.NOTATED_RERANK = True  # the product's switch (on by default since session 9): on for the measure
    try:
        data = meter_tune.load(args.cache)
        for name in ("mtc", "bps"):
            res = meter_tune.evaluate(data[name])
            if args.show:
                meter_rerank.WEIGHTS, on = (), meter_rerank.WEIGHTS  # the two stages alone
                before = _rows(data[name])
                meter_rerank.WEIGHTS = on
                after = _rows(data[name])
                for b, a in zip(before, after):
                    if (b["est"], b["first"]) != (a["est"], a["first"]):
                        print(f"{name} {a['piece']} written {a['written']}@{a['phase']:g}: {b['est']}@{b['first']:g}"
                              f" ({'right' if b['right'] else 'wrong'}) -> {a['est']}@{a['first']:g}"
                              f" ({'right' if a['right'] else 'wrong'})", file=sys.stderr)
            report[f"{name}_tune"] = {k: v for k, v in res.items() if k != "confusions"}
            if args.show:
                report[f"{name}_tune_pieces"] = {r["piece"]: f"{r['est']}@{r['first']:g} {'right' if r['right'] else 'wrong'}"
                                                 for r in after}
        if args.essen:
            report["essen_kinder0"] = essen(args.essen_cache)
        if args.test:
            from benchmarks import meter as bench

            for name in ("mtc", "bps"):
                report[f"{name}_all"] = {k: v for k, v in bench.run_written(name).items()
                                         if k in ("right", "right_by_split", "bar_length_correct")}
    finally:
        meter_rerank.WEIGHTS, me.NOTATED_RERANK = saved, saved_on
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
