"""From repeated patterns to ranked families: greedy choice, varied statements, salience.

Patterns are taken best first; one that mostly re-covers notes already chosen is redundant and
skipped. Each chosen pattern then gathers varied statements: windows of the same length whose
melodic intervals and rhythm stay within ``variant_tolerance`` of one of its exact statements.
How many families a piece gets is relative to the piece itself (one per ``notes_per_family`` of its
voiced notes, at most ``max_families``), never an absolute per-genre threshold; a floor relative to the
piece's best pattern (``relative_salience``) is off by default: it judged a family by how dominant
another one is (benchmarks/phase20-est20.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from motifcli.discovery.align import align
from motifcli.discovery.barpos import at_position, bar_positions, modal_position, position_tolerance
from motifcli.discovery.candidates import Lines
from motifcli.discovery.embed import Encoder, cosine_to_nearest
from motifcli.discovery.inversion import inverted_statements
from motifcli.discovery.patterns import Pattern
from motifcli.discovery.retrograde import retrograde_statements
from motifcli.discovery.timescale import time_scales
from motifcli.discovery.types import DiscoverySettings
from motifcli.meter import MeterMap


@dataclass(slots=True)
class Chosen:
    """A family under construction: n notes, its statements' start positions, notes and distances.

    ``notes[i]`` holds the positions (in ``Lines``) of statement i's notes: n consecutive ones for
    exact statements; a varied statement may have a few more or fewer (see ``align``).
    """

    n: int
    starts: np.ndarray
    distance: np.ndarray
    score: float
    notes: list[np.ndarray] = field(default_factory=list)
    discount: float = 1.0  # the pattern's accompaniment-figure discount (score / (statements x notes))

    def __post_init__(self) -> None:
        if not self.notes:
            self.notes = [np.arange(k, k + self.n) for k in self.starts.tolist()]


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
        claimed[idx] = True
        chosen.append(Chosen(p.n, p.starts, np.zeros(len(p.starts)), p.score, discount=p.score / (len(p.starts) * p.n)))
    return chosen


def transformed(
    lines: Lines, notes: list[np.ndarray], distance: np.ndarray, settings: DiscoverySettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per statement: inverted, its time scale, retrograde, against the family's reference statement,
    for the transformations ``settings`` searches (plain where none is). One reading for the variants
    (:func:`add_variants`: of the prime only) and the output family (``core._family``); a retrograde
    inversion is both inverted and retrograde. Intervals are compared as the keys compare them."""
    k = len(notes)
    inverted, scale, backwards = np.zeros(k, dtype=bool), np.ones(k), np.zeros(k, dtype=bool)
    chromatic = not settings.diatonic_keys
    if settings.inversions > 0 and settings.transpose:  # inversion.py
        inverted = inverted_statements(lines, notes, distance, chromatic)
    if settings.augmentations > 0:  # timescale.py
        scale = time_scales(lines, notes, distance)
    if settings.retrogrades > 0 and settings.transpose:  # retrograde.py
        backwards, both = retrograde_statements(lines, notes, distance, chromatic, settings.inversions > 0)
        inverted = inverted | both
    return inverted, scale, backwards


def add_variants(
    chosen: list[Chosen],
    lines: Lines,
    keys: dict[int, np.ndarray],
    settings: DiscoverySettings,
    model: Encoder | None = None,
    meter: MeterMap | None = None,
) -> None:
    """Add stretches that align to a family's exact statements (in place), keeping statements disjoint.

    Candidates are windows of n - max_gaps .. n + max_gaps notes of one voice; each is aligned to
    the family's first exemplars (:func:`align`) and joins when its distance is within
    ``variant_tolerance`` and it shares no note with a statement already kept (exact statements
    first, then the closest variants first). With a ``model``, candidates up to ``model_tolerance``
    are considered and those beyond ``variant_tolerance`` must also pass the embedding check
    (:mod:`motifcli.discovery.embed`). With ``meter`` and ``bar_position``, statements start where
    the family's exact statements mostly start in the bar (:func:`_metric_filter`).
    """
    loose = max(settings.variant_tolerance, settings.model_tolerance) if model is not None else settings.variant_tolerance
    windows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    bar_pos = None
    if meter is not None and settings.bar_position != "off":
        bar_pos = bar_positions(lines.onsets, meter, settings.bar_position, position_tolerance(lines.grid))
    for fam in chosen:
        inverted, scale, backwards = transformed(lines, fam.notes, fam.distance, settings)
        prime = ~inverted & (scale == 1) & ~backwards  # varied statements of the prime only
        ex = fam.starts[prime][: settings.exemplars]
        span = ex[:, None] + np.arange(fam.n)[None, :]
        ex_p, ex_o = lines.pitches[span], lines.onsets[span]
        dists, starts_all, masks = [], [], []
        lo = max(settings.min_notes, fam.n - settings.max_gaps)  # --min-notes / max_notes keep their meaning
        for m in range(lo, min(fam.n + settings.max_gaps, settings.max_notes) + 1):
            if m not in keys:
                continue
            if m not in windows:
                starts = np.flatnonzero(keys[m] != -1)
                idx = starts[:, None] + np.arange(m)[None, :]
                windows[m] = (starts, lines.pitches[idx], lines.onsets[idx])
            starts, wp, wo = windows[m]
            res = align(wp, wo, ex_p, ex_o, lines.grid / 2, settings.gap_cost, settings.transpose)
            near = np.flatnonzero(res.distance <= loose)
            dists.append(res.distance[near]), starts_all.append(starts[near]), masks.extend(res.kept[near])
        D = np.concatenate(dists) if dists else np.zeros(0)
        K = np.concatenate(starts_all).astype(np.int64) if starts_all else np.zeros(0, dtype=np.int64)

        def positions(i: int) -> np.ndarray:
            mask = masks[i]
            return K[i] + (np.arange(len(mask)) if settings.keep_inserted else np.flatnonzero(mask))

        ok = np.ones(len(D), dtype=bool)
        if model is not None:
            vet = np.flatnonzero(D > settings.variant_tolerance)
            if len(vet):
                cos, spread = cosine_to_nearest(model, lines, fam.notes[:8], [positions(i) for i in vet.tolist()])
                ok[vet[cos > spread]] = False
        order = np.lexsort((K, D)).tolist()
        crowd = settings.bar_position_crowd if bar_pos is not None else None
        notes, dist, first = _gather(fam, order, K, D, ok, masks, positions, len(lines), stop_at=crowd)
        if crowd is not None and len(notes) >= crowd:  # crowded: held to its place in the bar, gathered in full once
            ok &= _metric_filter(bar_pos, fam.starts, K, lines.grid, settings)
            notes, dist, first = _gather(fam, order, K, D, ok, masks, positions, len(lines))
        set_statements(fam, notes, dist, first)


def _gather(
    fam: Chosen, order: list[int], K: np.ndarray, D: np.ndarray, ok: np.ndarray, masks: list[np.ndarray],
    positions: Callable[[int], np.ndarray], n: int, stop_at: int | None = None,
) -> tuple[list[np.ndarray], list[float], list[int]]:
    """Disjoint statements: the exact ones first, then the ``ok`` candidates in ``order`` (closest first).

    With ``stop_at``, it stops once it holds that many (enough to call the family crowded, where
    :func:`add_variants` gathers again under the bar-position filter); fewer means it ran to the end.
    """
    taken = np.zeros(n, dtype=bool)
    notes, dist, first = [], [], []
    for k, pos in zip(fam.starts.tolist(), fam.notes):
        if not taken[k : k + fam.n].any():
            taken[k : k + fam.n] = True
            notes.append(pos), dist.append(0.0), first.append(k)
    for i in order:
        if stop_at is not None and len(notes) >= stop_at:
            break
        k, m = int(K[i]), len(masks[i])
        if not ok[i] or taken[k : k + m].any():
            continue
        taken[k : k + m] = True
        notes.append(positions(i)), dist.append(float(D[i])), first.append(k)
    return notes, dist, first


def _metric_filter(
    bar_pos: np.ndarray, exact: np.ndarray, varied: np.ndarray, grid: float, settings: DiscoverySettings,
) -> np.ndarray:
    """Which candidate varied statements (start positions) may join: those starting at the bar
    position most of the family's ``exact`` statements start at, where at least
    ``bar_position_agree`` of them agree on it (else all)."""
    tol = position_tolerance(grid)
    where, share = modal_position(bar_pos[exact], tol)
    if share < settings.bar_position_agree:
        return np.ones(len(varied), dtype=bool)
    return at_position(bar_pos[varied], where, tol)


def set_statements(fam: Chosen, notes: list[np.ndarray], dist: list[float], first: list[int]) -> None:
    """A family's statements (note positions, alignment distance, first position), in time order."""
    order = np.argsort(first, kind="stable")
    fam.starts = np.asarray(first, dtype=np.int64)[order]
    fam.distance = np.asarray(dist)[order]
    fam.notes = [notes[i] for i in order]


def covered(fam: Chosen, n: int) -> np.ndarray:
    """Positions (of ``n``) from the first to the last note of each of the family's statements."""
    taken = np.zeros(n, dtype=bool)
    for p in fam.notes:
        taken[p.min() : p.max() + 1] = True
    return taken
