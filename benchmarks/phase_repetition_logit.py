"""Upper-bound check for the repetition cue: a conditional logit over the 4 candidate phases of the
whole-song ranker score plus the repetition scores at the 4 positions relative to the candidate
(so it can learn "bars cut a beat early repeat most"), 5-fold CV on the tune songs' dominant phase
and first mark (argmax, no path). Reads the rows ``phase_repetition.py measure`` wrote.

    PYTHONPATH=. python benchmarks/phase_repetition_logit.py [--json benchmarks/meter-results/phase_repetition.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

SETS = {
    "ranker only": [],
    "+ piano maxsim": [("piano", "maxsim")],
    "+ piano raw_maxsim": [("piano", "raw_maxsim")],
    "+ piano latent_maxsim": [("piano", "latent_maxsim")],
    "+ all maxsim": [("all", "maxsim")],
    "+ piano maxsim + raw_maxsim": [("piano", "maxsim"), ("piano", "raw_maxsim")],
    "+ all four (piano/all x maxsim/raw)": [("piano", "maxsim"), ("piano", "raw_maxsim"), ("all", "maxsim"),
                                            ("all", "raw_maxsim")],
}


def features(rows: list[dict], keys: list[tuple[str, str]], standardise: bool) -> np.ndarray:
    """x[song, candidate k, :] = ranker[k] then, per key, rep[(k + j) % 4] - mean(rep) for j = 0..3."""
    out = []
    for r in rows:
        cols = [np.asarray(r["ranker"], dtype=np.float64)[:, None]]
        for which, key in keys:
            rep = np.asarray(r[which][key], dtype=np.float64)
            rep = rep - rep.mean()
            if standardise:
                rep = rep / (rep.std() + 1e-9)
            cols.append(np.stack([np.roll(rep, -k) for k in range(4)]))
        out.append(np.concatenate(cols, axis=1))
    return np.stack(out)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    n, _, d = x.shape
    rows = np.arange(n)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        pen = np.r_[0.0, np.ones(d - 1)]  # the ranker's weight unpenalised
        value = -np.log(p[rows, y] + 1e-12).sum() + l2 * ((w * pen) @ w) / 2
        g = np.einsum("nk,nkd->d", p, x) - x[rows, y].sum(axis=0) + l2 * w * pen
        return float(value), g

    return minimize(loss, np.r_[1.0, np.zeros(d - 1)], jac=True, method="L-BFGS-B").x


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", default="benchmarks/meter-results/phase_repetition.json")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows = [r for r in json.loads(Path(args.json).read_text()) if r["dominant_k"]]
    y = np.array([r["dominant_k"][0] for r in rows])
    first_sets = [set(r["first_k"]) for r in rows]
    fold = np.arange(len(rows)) % args.folds
    print(f"{len(rows)} tune songs (4/4, grid holds the dominant phase); target: dominant phase")
    print("| features | standardised | CV dominant | CV first mark |\n|---|---|---|---|")
    for name, keys in SETS.items():
        for standardise in (False, True):
            if not keys and standardise:
                continue
            x = features(rows, keys, standardise)
            x = x / (x.reshape(-1, x.shape[2]).std(axis=0) + 1e-9)
            pick = np.zeros(len(rows), dtype=int)
            for f in range(args.folds):
                w = fit(x[fold != f], y[fold != f])
                pick[fold == f] = np.argmax(x[fold == f] @ w, axis=1)
            first = np.mean([p in s for p, s in zip(pick, first_sets)])
            print(f"| {name} | {'yes' if standardise else 'no'} | {np.mean(pick == y):.3f} | {first:.3f} |")


if __name__ == "__main__":
    main()
