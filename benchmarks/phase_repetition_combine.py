"""``phase_repetition.py combine``: the repetition score added to the shipped estimate, weight by cross-validation.

For every tune song (id < 500) and every variant (feature, weight, gate), ``estimate_meter`` is rerun
with the Viterbi path's input changed: each beat's log-odds gains ``weight x (rep[k] - max rep)``,
k its candidate phase (bar position from the estimate's first beat), only on 4/4 grids and, with a
gate, only where the whole-song ranker's top-two margin is below the gate. Scored as ``meter.py
pop909`` scores (first mark, dominant phase, within 1/4 beat) over all tune songs. Cross-validation:
songs dealt round-robin into folds; on each fold the variant with the best first + dominant sum on
the other folds is picked and scored on the held-out fold. The test songs are never read.
"""

from __future__ import annotations

import time

import numpy as np
from meter import DATA, dominant_phase, phase_ok, pop909_truth

from motifcli import meter_estimate
from motifcli.readers.midi import read_midi

FEATURES = (("piano", "maxsim"), ("piano", "latent_maxsim"), ("piano", "raw_maxsim"), ("all", "maxsim"), ("all", "raw_maxsim"))
WEIGHTS = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
GATES = (None, 1.0, 0.5)  # ranker top-two margin below which the cue is used (None: always)

_BIAS: dict[str, np.ndarray | None] = {"bias": None}
_viterbi = meter_estimate.viterbi_downbeats


def _patched(logodds: np.ndarray, per_bar: int, jump_penalty: float = 6.0) -> np.ndarray:
    bias = _BIAS["bias"]
    if bias is not None and per_bar == 4 and len(logodds):
        logodds = np.asarray(logodds, dtype=np.float64) + bias[np.arange(len(logodds)) % 4]
    return _viterbi(logodds, per_bar, jump_penalty)


def margin(ranker: list[float]) -> float:
    s = np.sort(np.asarray(ranker))
    return float(s[-1] - s[-2])


def evaluate(rows: list[dict], variants: list[tuple]) -> np.ndarray:
    """ok[variant, song, 0 = first mark / 1 = dominant]; variant 0 is the shipped estimate."""
    ok = np.zeros((len(variants), len(rows), 2), dtype=bool)
    meter_estimate.viterbi_downbeats = _patched
    times = []
    try:
        for s, row in enumerate(rows):
            song = DATA / "pop909" / row["song"]
            score = read_midi(song / f"{song.name}.mid")
            bar, first, dominant, _ = pop909_truth(song, score)
            for v, variant in enumerate(variants):
                if variant is None or (variant[2] is not None and margin(row["ranker"]) >= variant[2]):
                    _BIAS["bias"] = None
                else:
                    (which, key), w, _ = variant
                    rep = np.asarray(row[which][key])
                    _BIAS["bias"] = w * (rep - rep.max())
                if v > 0 and _BIAS["bias"] is None:  # same as the shipped estimate
                    ok[v, s] = ok[0, s]
                    continue
                t0 = time.perf_counter()
                est = meter_estimate.estimate_meter(score)
                if v == 0:
                    times.append(time.perf_counter() - t0)
                ok[v, s, 0] = phase_ok(est.first_downbeat, first, bar)
                ok[v, s, 1] = phase_ok(dominant_phase(est.downbeats, est.beats_per_bar), dominant, bar)
    finally:
        meter_estimate.viterbi_downbeats = _viterbi
        _BIAS["bias"] = None
    print(f"estimate_meter median {1000 * float(np.median(times)):.1f} ms a song (shipped)")
    return ok


def combine(rows: list[dict], folds: int) -> None:
    variants: list[tuple | None] = [None] + [(f, w, g) for f in FEATURES for w in WEIGHTS for g in GATES]
    ok = evaluate(rows, variants)
    print("| variant | first mark | dominant phase |\n|---|---|---|")
    for v, variant in enumerate(variants):
        name = "shipped estimate" if variant is None else f"{variant[0][0]} {variant[0][1]}, w {variant[1]}, gate {variant[2]}"
        print(f"| {name} | {ok[v, :, 0].mean():.3f} | {ok[v, :, 1].mean():.3f} |")
    fold = np.arange(len(rows)) % folds
    cv = np.zeros((len(rows), 2), dtype=bool)
    picked = []
    for f in range(folds):
        train = fold != f
        total = ok[:, train].sum(axis=(1, 2))
        best = int(np.argmax(total))  # ties: the earliest, i.e. the shipped estimate first
        picked.append(variants[best])
        cv[fold == f] = ok[best, fold == f]
    gain_first = cv[:, 0].mean() - ok[0, :, 0].mean()
    gain_dom = cv[:, 1].mean() - ok[0, :, 1].mean()
    print(f"{folds}-fold CV over {len(rows)} tune songs: first mark {cv[:, 0].mean():.3f} ({gain_first:+.3f}), "
          f"dominant {cv[:, 1].mean():.3f} ({gain_dom:+.3f}); picked per fold: {picked}")
    gated = {g: sum(1 for r in rows if g is not None and margin(r["ranker"]) < g) for g in GATES}
    print(f"songs under each gate (ranker margin below): {gated}")
