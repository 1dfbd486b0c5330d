"""Varied statements by a symbolic similarity: contour / diatonic classes and rhythm (off by default).

Why: the reference statements families miss on BPS (benchmarks/phase6-occ6.md) lie in one voice
but at alignment distance ~3 from the family in semitones; a changed interval (a third for a
second, a leap filled in) costs the semitone alignment several units per note. Here the same
alignment (:func:`~motifcli.discovery.align.align`: ornaments and missing notes allowed) runs on a
coarser *view* of the notes: intervals as contour classes (repeat / step / leap, signed) or coarse
diatonic classes (``candidates.interval_class``), so a changed interval inside one class costs 0 and
a step for a leap costs 1 class. Windows at the family's grown length join a family when closer to
it than to any other family, within ``vary_tolerance``, sharing no note with the family.
Candidates come from :func:`~motifcli.discovery.candidates.free_windows`, exemplars from
:func:`~motifcli.discovery.families.family_exemplars`, as for the rescan (rescan.py).
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.align import Matches, align
from motifcli.discovery.candidates import Lines, free_windows, interval_class
from motifcli.discovery.families import Chosen, covered, family_exemplars, set_statements
from motifcli.discovery.types import DiscoverySettings


def view(lines: Lines, idx: np.ndarray, kind: str, normalise_rhythm: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Pseudo-pitches and onsets [W, m] of windows ``idx`` under one view of the intervals.

    ``kind``: "raw" (semitones), "contour" (signed 0 repeat / 1 step / 2 leap), "diatonic" (signed
    coarse interval class), "none" (pitch ignored). Pseudo-pitches are running sums of the view's
    intervals, so :func:`align` (which compares intervals) compares the classes.
    ``normalise_rhythm``: onsets in units of the window's median inter-onset interval (augmentation
    and diminution cost nothing).
    """
    if kind == "raw":
        p = lines.pitches.astype(np.float64)
    else:
        iv = lines.interval
        if kind == "contour":
            cls = np.sign(iv) * np.where(np.abs(iv) <= 2, 1, 2)
        elif kind == "diatonic":
            cls = interval_class(iv)
        else:
            cls = np.zeros_like(iv)
        p = np.concatenate([[0.0], np.cumsum(cls[:-1], dtype=np.float64)])
    o = lines.onsets[idx]
    if normalise_rhythm and idx.shape[1] > 1:
        unit = np.median(np.maximum(np.diff(o, axis=1), lines.grid / 2), axis=1)
        o = (o - o[:, :1]) / unit[:, None]
    return p[idx], o


def _exact_count(fam: Chosen) -> int:
    return int((np.asarray(fam.distance) == 0).sum())


def family_candidates(fam: Chosen, lines: Lines, settings: DiscoverySettings) -> list[tuple[int, int, float, np.ndarray]]:
    """(start, length, distance, note positions) of the windows within ``vary_tolerance`` of one
    family under ``vary_view`` (empty when the family is skipped: too few exemplars, crowded, short,
    or generic by ``vary_specific``)."""
    if 0 < settings.vary_max_exact <= _exact_count(fam):
        return []  # crowded figures: their loose statements are mostly extra (crowd.py)
    ex = family_exemplars(fam, settings)
    if ex is None or ex.shape[1] < settings.vary_min_notes:
        return []
    L, w, gaps = ex.shape[1], settings.vary_pitch_weight, settings.max_gaps
    ex_p, ex_o = view(lines, ex, settings.vary_view, settings.vary_augment)
    ex_p = ex_p * w
    phases = np.round(np.mod(lines.onsets[ex[:, 0]], settings.vary_phase), 3) if settings.vary_phase > 0 else None
    out: list[tuple[int, int, float, np.ndarray]] = []
    seen = 0
    windows = free_windows(lines, covered(fam, len(lines)), range(L - gaps, L + gaps + 1), settings.grow_max_beats)
    for m, starts in windows.items():
        if phases is not None:
            starts = starts[np.isin(np.round(np.mod(lines.onsets[starts], settings.vary_phase), 3), phases)]
            if len(starts) == 0:
                continue
        idx = starts[:, None] + np.arange(m)[None, :]
        p, o = view(lines, idx, settings.vary_view, settings.vary_augment)
        p = p * w
        res = align(p, o, ex_p, ex_o, lines.grid / 2, settings.gap_cost, True)
        if settings.vary_inversion:
            inv = align(-p, o, ex_p, ex_o, lines.grid / 2, settings.gap_cost, True)
            better = inv.distance < res.distance
            res = Matches(np.where(better, inv.distance, res.distance), np.where(better[:, None], inv.kept, res.kept))
        seen += len(starts)
        for i in np.flatnonzero(res.distance <= settings.vary_tolerance).tolist():
            pos = idx[i] if settings.keep_inserted else idx[i][res.kept[i]]
            out.append((int(starts[i]), m, float(res.distance[i]), pos))
    if settings.vary_specific > 0 and len(out) > settings.vary_specific * max(seen, 1):
        return []  # a generic shape (a scale run, a broken chord): its near windows are mostly not statements
    return out


def add_symbolic_variants(chosen: list[Chosen], lines: Lines, settings: DiscoverySettings) -> None:
    """Add varied statements found under the ``vary_view`` similarity to the families (in place).

    A window near several families (:func:`family_candidates`) goes to the one it is strictly
    closest to (a tie: to none); windows join closest first, no two statements of a family share a
    note, at most ``vary_ratio`` per exact statement. An added statement records the distance
    ``variant_tolerance + d``: it ranks below every semitone variant.
    """
    if settings.vary_tolerance <= 0:
        return
    options: dict[tuple[int, int], list[tuple[float, int, np.ndarray]]] = {}
    for f, fam in enumerate(chosen):
        for start, m, d, pos in family_candidates(fam, lines, settings):
            options.setdefault((start, m), []).append((d, f, pos))
    picks: list[tuple[float, int, int, np.ndarray]] = []
    for (start, _), near in options.items():
        near.sort(key=lambda c: c[0])
        if len(near) > 1 and near[1][0] <= near[0][0]:
            continue  # as close to two families: neither takes it
        d, f, pos = near[0]
        picks.append((d, start, f, pos))
    taken = {f: covered(fam, len(lines)) for f, fam in enumerate(chosen)}
    room = {f: settings.vary_ratio * _exact_count(fam) if settings.vary_ratio > 0 else np.inf
            for f, fam in enumerate(chosen)}
    added: dict[int, list[tuple[np.ndarray, float, int]]] = {}
    for d, start, f, pos in sorted(picks, key=lambda c: (c[0], c[1])):
        t = taken[f]
        if t[pos.min() : pos.max() + 1].any() or len(added.get(f, [])) >= room[f]:
            continue
        t[pos.min() : pos.max() + 1] = True
        added.setdefault(f, []).append((pos, settings.variant_tolerance + d, start))
    for f, new in added.items():
        fam = chosen[f]
        set_statements(fam, [*fam.notes, *(n for n, _, _ in new)], [*fam.distance, *(d for _, d, _ in new)],
                       [*(int(p[0]) for p in fam.notes), *(s for _, _, s in new)])
