"""Statements at a family's grown length: a second search after growing (off by default).

Varied statements are searched at the core's length (``max_notes`` at most) before growing
(:func:`~motifcli.discovery.families.add_variants`); this searches again at the grown length.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.align import align
from motifcli.discovery.candidates import Lines
from motifcli.discovery.families import Chosen, set_statements
from motifcli.discovery.types import DiscoverySettings
from motifcli.quantiles import median


def rescan(fam: Chosen, lines: Lines, settings: DiscoverySettings) -> None:
    """Add statements of the family's grown length that the core search could not see (in place).

    Why: varied statements are searched at the core's length (``max_notes`` at most), before
    growing; a statement whose core differs more than ``variant_tolerance`` but whose grown
    length agrees is missed (missing statements are the largest recall error of found families
    on BPS tune). Windows of one voice of the grown length L (+- ``max_gaps``) are aligned to the
    family's exact statements of length L; those within ``rescan_tolerance`` that share no note
    with a statement of the family join, closest first. Only families grown beyond their core.
    """
    exact = [p for p, d in zip(fam.notes, fam.distance) if d == 0]
    if settings.rescan_tolerance <= 0 or len(exact) < 2 or 0 < settings.crowd_exact <= len(exact):
        return  # off, too few exemplars, or a crowded family (crowd.py: its loose statements are mostly extra)
    L = int(median([len(p) for p in exact]))
    ex = [p for p in exact if len(p) == L and p[-1] - p[0] == L - 1][: settings.exemplars]
    if L < settings.min_notes or len(ex) < 2:
        return
    span = np.stack(ex)
    w = settings.rescan_pitch_weight  # intervals count this much against rhythm (1: as add_variants)
    pitches = lines.pitches * w if w != 1 else lines.pitches
    ex_p, ex_o = pitches[span], lines.onsets[span]
    taken = np.zeros(len(lines), dtype=bool)
    for p in fam.notes:
        taken[p.min() : p.max() + 1] = True
    breaks = np.concatenate([[0], np.cumsum(~lines.same_next)])  # voice ends before each position
    free = np.concatenate([[0], np.cumsum(taken)])  # statements' notes before each position
    cands: list[tuple[float, int, np.ndarray]] = []
    for m in range(max(2, L - settings.max_gaps), L + settings.max_gaps + 1):
        if m > len(lines):
            continue
        starts = np.arange(len(lines) - m + 1)
        ok = breaks[starts + m - 1] == breaks[starts]  # no voice end inside the window
        ok &= lines.onsets[starts + m - 1] - lines.onsets[starts] <= settings.grow_max_beats + 1e-9
        ok &= free[starts + m] == free[starts]
        starts = starts[ok]
        if len(starts) == 0:
            continue
        idx = starts[:, None] + np.arange(m)[None, :]
        res = align(pitches[idx], lines.onsets[idx], ex_p, ex_o, lines.grid / 2, settings.gap_cost,
                    settings.transpose)
        for i in np.flatnonzero(res.distance <= settings.rescan_tolerance).tolist():
            pos = idx[i] if settings.keep_inserted else idx[i][res.kept[i]]
            cands.append((float(res.distance[i]), int(starts[i]), pos))
    notes, dist, first = list(fam.notes), list(fam.distance), [int(p[0]) for p in fam.notes]
    for d, k, pos in sorted(cands, key=lambda c: (c[0], c[1])):
        if taken[pos.min() : pos.max() + 1].any():
            continue
        taken[pos.min() : pos.max() + 1] = True
        notes.append(pos), dist.append(d), first.append(k)
    set_statements(fam, notes, dist, first)
