"""Note-level alignment of a candidate stretch to a motif's statements, allowing ornament notes.

Two stretches of one voice are compared under the best (time, pitch) translation: both are
reduced to their melodic intervals and log inter-onset intervals, which no translation changes.
A varied statement may carry up to ``max_gaps`` extra notes (a turn, a passing note) or lack as
many: dropping an interior note from the longer stretch merges its two neighbouring intervals
(pitch steps add, inter-onset intervals add), which is exactly the note-to-note correspondence that
remains. Every choice of dropped notes is tried (at most C(m-2, 2) per length), vectorised over all
candidate windows, so a family costs O(windows x exemplars x choices x notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np


@dataclass(frozen=True, slots=True)
class Matches:
    """Best alignment of each candidate window: distance and which of its notes correspond."""

    distance: np.ndarray  # [W] mean |interval change| + mean |log2 IOI ratio| + gap cost
    kept: np.ndarray  # [W, m] True for the candidate's notes aligned to the motif's notes


def features(pitches: np.ndarray, onsets: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Semitone intervals and log2 inter-onset intervals along the last axis."""
    return np.diff(pitches, axis=-1).astype(np.float64), np.log2(np.maximum(np.diff(onsets, axis=-1), floor))


def interior_subsets(m: int, k: int) -> list[np.ndarray]:
    """Index sets keeping the first and last of m notes and dropping k interior ones."""
    return [np.array([i for i in range(m) if i not in drop]) for drop in combinations(range(1, m - 1), k)]


def align(
    cand_p: np.ndarray,
    cand_o: np.ndarray,
    ex_p: np.ndarray,
    ex_o: np.ndarray,
    floor: float,
    gap_cost: float,
    transpose: bool = True,
) -> Matches:
    """Align candidate windows [W, m] to exemplar statements [X, n] (pitches, onsets).

    m > n: the candidate has m - n inserted notes (dropped from it before comparing);
    m < n: it lacks n - m of the motif's notes (dropped from the exemplars instead).
    ``transpose=False`` (the no-invariance ablation) accepts only pitch translation 0 (see
    :func:`_untransposed`).
    """
    W, m = cand_p.shape
    n = ex_p.shape[1]
    k = abs(m - n)
    best = np.full(W, np.inf)
    kept = np.ones((W, m), dtype=bool)
    if m >= n:
        ex_iv, ex_lr = features(ex_p, ex_o, floor)
        for sel in interior_subsets(m, k):
            iv, lr = features(cand_p[:, sel], cand_o[:, sel], floor)
            d = _min_distance(iv, lr, ex_iv, ex_lr, None if transpose else _untransposed(cand_p[:, sel], ex_p))
            better = d < best
            best = np.where(better, d, best)
            if k:
                mask = np.zeros(m, dtype=bool)
                mask[sel] = True
                kept[better] = mask
    else:
        iv, lr = features(cand_p, cand_o, floor)
        for sel in interior_subsets(n, k):
            ex_iv, ex_lr = features(ex_p[:, sel], ex_o[:, sel], floor)
            same = None if transpose else _untransposed(cand_p, ex_p[:, sel])
            best = np.minimum(best, _min_distance(iv, lr, ex_iv, ex_lr, same))
    return Matches(best + gap_cost * k / max(n, m), kept)


def _min_distance(
    iv: np.ndarray, lr: np.ndarray, ex_iv: np.ndarray, ex_lr: np.ndarray, allowed: np.ndarray | None = None,
) -> np.ndarray:
    """Distance of each window [W, s] to its nearest exemplar [X, s] (in place: 3x faster than means).

    ``allowed`` [W, X] (optional): pairs that may be compared at all (else infinitely far).
    """
    d = np.full(len(iv), np.inf)
    for x, (a, b) in enumerate(zip(ex_iv, ex_lr)):
        t = np.abs(iv - a)
        t += np.abs(lr - b)
        s = t.sum(axis=1)
        if allowed is not None:
            s[~allowed[:, x]] = np.inf
        np.minimum(d, s, out=d)
    return d / max(iv.shape[1], 1)


# --- no transposition invariance (DiscoverySettings.transpose=False, an ablation) -------------------
def _untransposed(cand_p: np.ndarray, ex_p: np.ndarray) -> np.ndarray:
    """[W, X] True where window w sits at pitch translation 0 from exemplar x.

    The translation is the rounded median pitch difference of the corresponding notes (as
    ``core._occurrence`` reports it), so a variant with one changed note still counts as untransposed.
    """
    diff = cand_p[:, None, :].astype(np.float64) - ex_p[None, :, :]
    return np.round(np.median(diff, axis=2)) == 0
