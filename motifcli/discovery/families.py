"""From repeated patterns to ranked families: greedy choice, varied statements, salience.

Patterns are taken best first; one that mostly re-covers notes already chosen is redundant and
skipped. Each chosen pattern then gathers varied statements: windows of the same length whose
melodic intervals and rhythm stay within ``variant_tolerance`` of one of its exact statements.
How many families a piece gets is relative to the piece itself (``relative_salience`` of its best
pattern's score), never an absolute per-genre threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from motifcli.discovery.align import align
from motifcli.discovery.candidates import Lines
from motifcli.discovery.embed import Encoder, cosine_to_nearest
from motifcli.discovery.crowd import family_tolerance
from motifcli.discovery.patterns import Pattern
from motifcli.discovery.types import DiscoverySettings
from motifcli.quantiles import median


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
        if settings.parallel_repeats and any(runs_parallel(p.starts, c.starts, settings.max_notes) for c in chosen):
            continue
        claimed[idx] = True
        chosen.append(Chosen(p.n, p.starts, np.zeros(len(p.starts)), p.score, discount=p.score / (len(p.starts) * p.n)))
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


def add_variants(
    chosen: list[Chosen],
    lines: Lines,
    keys: dict[int, np.ndarray],
    settings: DiscoverySettings,
    model: Encoder | None = None,
) -> None:
    """Add stretches that align to a family's exact statements (in place), keeping statements disjoint.

    Candidates are windows of n - max_gaps .. n + max_gaps notes of one voice; each is aligned to
    the family's first exemplars (:func:`align`) and joins when its distance is within
    ``variant_tolerance`` and it shares no note with a statement already kept (exact statements
    first, then the closest variants first). With a ``model``, candidates up to ``model_tolerance``
    are considered and those beyond ``variant_tolerance`` must also pass the embedding check
    (:mod:`motifcli.discovery.embed`).
    """
    loose = max(settings.variant_tolerance, settings.model_tolerance) if model is not None else settings.variant_tolerance
    windows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for fam in chosen:
        ex = fam.starts[: settings.exemplars]
        tol = family_tolerance(len(fam.starts), settings, loose)  # crowded families: tighter (crowd.py)
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
            near = np.flatnonzero(res.distance <= tol)
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
        taken = np.zeros(len(lines), dtype=bool)
        notes, dist, first = [], [], []
        for k, pos in zip(fam.starts.tolist(), fam.notes):
            if not taken[k : k + fam.n].any():
                taken[k : k + fam.n] = True
                notes.append(pos), dist.append(0.0), first.append(k)
        room = int(settings.variant_ratio * len(notes)) if settings.variant_ratio > 0 else len(D)
        for i in np.lexsort((K, D)).tolist():
            k, m = int(K[i]), len(masks[i])
            if room <= 0:
                break
            if not ok[i] or taken[k : k + m].any():
                continue
            room -= 1
            taken[k : k + m] = True
            notes.append(positions(i)), dist.append(float(D[i])), first.append(k)
        set_statements(fam, notes, dist, first)


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


def family_exemplars(fam: Chosen, settings: DiscoverySettings) -> np.ndarray | None:
    """The family's exact contiguous statements of its median exact length [X, L], at most
    ``exemplars`` of them (None: fewer than 2, or shorter than ``min_notes``): what later searches
    (rescan.py, variants.py) align candidate windows to."""
    exact = [p for p, d in zip(fam.notes, fam.distance) if d == 0]
    if len(exact) < 2:
        return None
    L = int(median([len(p) for p in exact]))
    ex = [p for p in exact if len(p) == L and p[-1] - p[0] == L - 1][: settings.exemplars]
    return np.stack(ex) if len(ex) >= 2 and L >= settings.min_notes else None


def merge_aligned(chosen: list[Chosen], lines: Lines, settings: DiscoverySettings) -> list[Chosen]:
    """Fold a family into an earlier (better-scoring) one when its prototype aligns to that one's statements.

    Why: on BPS one labelled motif was often split over several families (22 of 33 found references
    matched by two or more at .5), each holding part of its occurrences, which costs occurrence
    recall. Alignment is the one used for varied statements (n +- ``max_gaps`` notes, within
    ``merge_tolerance``); merged statements keep their own notes and are taken only where they
    overlap none already kept. Off by default: on BPS tune it rarely fired and lowered F_est (most
    split families are shifted windows of one run, which an ends-keeping alignment cannot join;
    benchmarks/DISCOVERY-ALGO.md, phase 4).
    """
    if settings.merge_tolerance <= 0:
        return chosen
    kept: list[Chosen] = []
    for fam in chosen:
        proto = fam.notes[int(np.argmin(fam.distance))]  # an exact statement (variants were aligned to these)
        target = None
        for other in kept if len(proto) >= 2 and _one_voice(lines, proto) else []:
            if abs(len(proto) - other.n) > settings.max_gaps:
                continue
            ex = other.starts[other.distance == 0][: settings.exemplars]  # exact statements: n notes each
            if len(ex) == 0:
                continue
            span = ex[:, None] + np.arange(other.n)[None, :]
            res = align(lines.pitches[proto][None, :], lines.onsets[proto][None, :], lines.pitches[span],
                        lines.onsets[span], lines.grid / 2, settings.gap_cost)
            if float(res.distance[0]) <= settings.merge_tolerance:
                target = (other, float(res.distance[0]))
                break
        if target is None:
            kept.append(fam)
            continue
        other, d = target
        taken = np.zeros(len(lines), dtype=bool)
        for pos in other.notes:
            taken[pos.min() : pos.max() + 1] = True
        notes, dist, first = list(other.notes), list(other.distance), [int(p[0]) for p in other.notes]
        for pos, dd in zip(fam.notes, fam.distance.tolist()):
            if taken[pos.min() : pos.max() + 1].any():
                continue
            taken[pos.min() : pos.max() + 1] = True
            notes.append(pos), dist.append(max(dd, d)), first.append(int(pos[0]))
        set_statements(other, notes, dist, first)
    return kept


def _one_voice(lines: Lines, pos: np.ndarray) -> bool:
    """True when the positions are all notes of one voice (a statement never crosses voices)."""
    return bool((lines.voice_id[pos] == lines.voice_id[pos[0]]).all())
