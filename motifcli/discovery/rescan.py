"""Statements at a family's grown length: a second search after growing (off by default).

Varied statements are searched at the core's length (``max_notes`` at most) before growing
(:func:`~motifcli.discovery.families.add_variants`); this searches again at the grown length.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.align import align
from motifcli.discovery.candidates import Lines, free_windows
from motifcli.discovery.families import Chosen, covered, family_exemplars, set_statements
from motifcli.discovery.types import DiscoverySettings


def rescan(fam: Chosen, lines: Lines, settings: DiscoverySettings) -> None:
    """Add statements of the family's grown length that the core search could not see (in place).

    Why: varied statements are searched at the core's length (``max_notes`` at most), before
    growing; a statement whose core differs more than ``variant_tolerance`` but whose grown
    length agrees is missed (missing statements are the largest recall error of found families
    on BPS tune). Windows of one voice of the grown length L (+- ``max_gaps``) are aligned to the
    family's exact statements of length L; those within ``rescan_tolerance`` that share no note
    with a statement of the family join, closest first. Only families grown beyond their core.
    """
    if settings.rescan_tolerance <= 0:
        return
    n_exact = sum(1 for d in fam.distance if d == 0)
    if 0 < settings.crowd_exact <= n_exact:
        return  # a crowded family (crowd.py: its loose statements are mostly extra)
    span = family_exemplars(fam, settings)
    if span is None:
        return  # too few exemplars, or too short
    L = span.shape[1]
    w = settings.rescan_pitch_weight  # intervals count this much against rhythm (1: as add_variants)
    pitches = lines.pitches * w if w != 1 else lines.pitches
    ex_p, ex_o = pitches[span], lines.onsets[span]
    taken = covered(fam, len(lines))
    cands: list[tuple[float, int, np.ndarray]] = []
    windows = free_windows(lines, taken, range(L - settings.max_gaps, L + settings.max_gaps + 1), settings.grow_max_beats)
    for m, starts in windows.items():
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
