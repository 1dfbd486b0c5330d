"""Fit the phase ranker of motifcli/phase_ranker.py (RANK_WEIGHTS, FOLD_WEIGHT) on POP909's tune split.

    cd benchmarks && PYTHONPATH=.. python phase_train.py [--max-id 500] [--l2 10] [--folds 5]

For every song with id < --max-id whose estimated meter and ``beat_midi.txt``'s are both 4/4, the
4 candidate phases at the estimate's quarter beats (stage 1 of ``estimate_meter``) are scored by a
conditional logit (softmax over the candidates): a linear score over the rolled position profiles
of ``beat_features`` (L2 penalty ``--l2`` on features scaled to unit spread) plus an unpenalised
weight on the folded per-beat log-odds. The target is the candidate within 1/4 beat of
``beat_midi``'s dominant phase; songs where none is (the beat grid is off) are left out. Prints the
cross-validated accuracy on the tune songs (``--folds``, songs dealt round-robin), the folded
log-odds alone for comparison, and the weights to paste. Songs >= 500 are never read. scipy is used
here only, never at run time.
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.optimize import minimize

from meter import DATA, TOL, dominant_phase, phase_ok, pop909_downbeats  # benchmarks/meter.py
from motifcli.meter_estimate import RESOLUTION, _clean, accent_grid, beat_features, downbeat_logodds, estimate_meter
from motifcli.phase_ranker import POSITIONS, candidate_vectors, folded_logodds, position_profiles
from motifcli.readers.midi import read_midi


def song_beats(notes: tuple[np.ndarray, ...], first_downbeat: float, beat: float = 1.0) -> np.ndarray:
    """The quarter beats stage 1 of ``estimate_meter`` lays (same offset and end)."""
    end = float(len(accent_grid(notes))) / RESOLUTION
    offset = first_downbeat % beat
    return offset + beat * np.arange(int(max(end - offset, 0.0) // beat) + 1)


def collect(max_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """(candidate vectors N x 4 x D, folded log-odds N x 4, target index N, song names)."""
    xs, folds, ys, names = [], [], [], []
    for song in sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir() and int(p.name) < max_id):
        score = read_midi(song / f"{song.name}.mid")
        bar, downbeats, _ = pop909_downbeats(song, score)
        est = estimate_meter(score)
        if bar != 4.0 or est.name != "4/4":
            continue
        notes = _clean(score)
        beats = song_beats(notes, est.first_downbeat)
        truth = dominant_phase(downbeats, bar)
        hits = [k for k in range(POSITIONS) if phase_ok(float(beats[k]), truth, bar)]
        if not hits or len(beats) < 2 * POSITIONS:
            continue
        feats = beat_features(notes, beats)
        xs.append(candidate_vectors(position_profiles(feats)))
        folds.append(folded_logodds(downbeat_logodds(notes, beats)))
        ys.append(hits[0])
        names.append(song.name)
    return np.stack(xs), np.stack(folds), np.array(ys), names


def fit(x: np.ndarray, base: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Conditional logit: softmax over candidates of x @ w + a * base; L2 on w only."""
    n, _, d = x.shape
    rows = np.arange(n)

    def loss(wa: np.ndarray) -> tuple[float, np.ndarray]:
        w, a = wa[:-1], wa[-1]
        s = x @ w + a * base
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        value = -np.log(p[rows, y] + 1e-12).sum() + l2 * (w @ w) / 2
        gw = np.einsum("nk,nkd->d", p, x) - x[rows, y].sum(axis=0) + l2 * w
        ga = (p * base).sum() - base[rows, y].sum()
        return float(value), np.append(gw, ga)

    wa = minimize(loss, np.append(np.zeros(d), 1.0), jac=True, method="L-BFGS-B", options={"maxiter": 1000}).x
    return wa[:-1], float(wa[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-id", type=int, default=500)
    parser.add_argument("--l2", type=float, default=10.0)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    x, base, y, names = collect(args.max_id)
    scale = x.reshape(-1, x.shape[2]).std(axis=0) + 1e-6
    xs = x / scale
    right = np.zeros(len(y), dtype=bool)
    for f in range(args.folds):
        held = np.arange(len(y)) % args.folds == f
        w, a = fit(xs[~held], base[~held], y[~held], args.l2)
        right[held] = np.argmax(xs[held] @ w + a * base[held], axis=1) == y[held]
    print(f"{len(y)} songs (4/4, beat grid right); TOL {TOL}")
    print(f"  folded per-beat log-odds alone: {np.mean(np.argmax(base, axis=1) == y):.3f}")
    print(f"  ranker, {args.folds}-fold cross-validated: {right.mean():.3f}")
    w, a = fit(xs, base, y, args.l2)
    print(f"  ranker, fitted on all of them: {np.mean(np.argmax(xs @ w + a * base, axis=1) == y):.3f}")
    weights = w / scale
    print("RANK_WEIGHTS: tuple[float, ...] = (" + ", ".join(f"{v:.4g}" for v in weights) + ")")
    print(f"FOLD_WEIGHT: float = {a:.4g}")


if __name__ == "__main__":
    main()
