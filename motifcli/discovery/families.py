"""From repeated patterns to ranked families: greedy choice, varied statements, salience.

Patterns are taken best first; one that mostly re-covers notes already chosen is redundant and
skipped. Each chosen pattern then gathers varied statements: windows of the same length whose
melodic intervals and rhythm stay within ``variant_tolerance`` of one of its exact statements.
How many families a piece gets is relative to the piece itself (``relative_salience`` of its best
pattern's score), never an absolute per-genre threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motifcli.discovery.candidates import Lines, window_features
from motifcli.discovery.patterns import Pattern, non_overlapping
from motifcli.discovery.types import DiscoverySettings


@dataclass(slots=True)
class Chosen:
    """A family under construction: n notes, its statements' start positions and distances."""

    n: int
    starts: np.ndarray
    distance: np.ndarray
    score: float


def choose(patterns: list[Pattern], lines: Lines, settings: DiscoverySettings) -> list[Chosen]:
    """Greedy best-first choice of non-redundant patterns, up to the piece-relative cut-off."""
    chosen: list[Chosen] = []
    claimed = np.zeros(len(lines), dtype=bool)
    if not patterns:
        return chosen
    best = max(p.score for p in patterns)
    cap = min(settings.max_families, max(3, int(len(lines) // settings.notes_per_family)))
    for p in sorted(patterns, key=lambda p: (-p.score, p.n, int(p.starts[0]))):
        if p.score < settings.relative_salience * best or len(chosen) >= cap:
            break
        idx = (p.starts[:, None] + np.arange(p.n)[None, :]).ravel()
        if claimed[idx].mean() > settings.redundancy:
            continue
        if settings.parallel_repeats and any(runs_parallel(p.starts, c.starts, settings.max_notes) for c in chosen):
            continue
        claimed[idx] = True
        chosen.append(Chosen(p.n, p.starts, np.zeros(len(p.starts)), p.score))
    return chosen


def runs_parallel(starts: np.ndarray, other: np.ndarray, reach: int, share: float = 0.75) -> bool:
    """True when most statements sit at one fixed distance (in notes) from another family's.

    Two such patterns are two stretches of one longer repeat (a repeated phrase or section cut
    into windows); reporting both would give one section as many families.
    """
    if len(other) == 0:
        return False
    d = starts[:, None] - np.sort(other)[None, :]
    d = np.where(np.abs(d) <= 2 * reach, d, 10**9)
    nearest = d[np.arange(len(starts)), np.abs(d).argmin(axis=1)]
    nearest = nearest[nearest != 10**9]
    if len(nearest) == 0:
        return False
    _, counts = np.unique(nearest, return_counts=True)
    return bool(counts.max() >= share * len(starts) and counts.max() >= 2)


def add_variants(chosen: list[Chosen], lines: Lines, keys: dict[int, np.ndarray], settings: DiscoverySettings) -> None:
    """Add windows close to a family's exact statements (in place), keeping statements disjoint."""
    feats: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for fam in chosen:
        if fam.n not in feats:
            starts = np.flatnonzero(keys[fam.n] != -1)
            iv, lr = window_features(lines, starts, fam.n)
            feats[fam.n] = (starts, iv, lr)
        starts, iv, lr = feats[fam.n]
        piv, plr = window_features(lines, fam.starts[:8], fam.n)
        d = np.full(len(starts), np.inf)
        for a, b in zip(piv, plr):
            d = np.minimum(d, np.abs(iv - a).mean(axis=1) + np.abs(lr - b).mean(axis=1))
        near = d <= settings.variant_tolerance
        cand = np.union1d(fam.starts, starts[near])
        kept = non_overlapping_prefer(fam.starts, cand, fam.n)
        dist = dict(zip(starts.tolist(), d.tolist()))
        fam.starts = kept
        fam.distance = np.array([dist.get(k, 0.0) for k in kept.tolist()])


def non_overlapping_prefer(exact: np.ndarray, cand: np.ndarray, n: int) -> np.ndarray:
    """Exact statements first, then other candidates that overlap none already kept."""
    kept = non_overlapping(exact, n, exact)
    others = np.setdiff1d(cand, kept)
    taken = np.sort(kept)
    for k in others.tolist():
        i = np.searchsorted(taken, k)
        if (i < len(taken) and taken[i] < k + n) or (i > 0 and taken[i - 1] > k - n):
            continue
        taken = np.insert(taken, i, k)
    return taken
