"""Occurrence precision of voice families: how loose a family's varied statements may be.

Why: on BPS tune the largest occurrence error of found families is extra statements (benchmarks/
phase6-occ6.md, ``benchmarks/occ_errors.py``). They sit in crowded families - a figure with 20+
exact statements (scale fragments, repeated cadence figures) gathers two or three times as many
varied ones, of which about one in eight is a labelled statement, against one in two for the
variants of families with few exact statements, where variants are what reaches the motif at all.
So the tolerance is the family's own: ``variant_tolerance`` while it has fewer than
``crowd_exact`` exact statements, ``crowd_tolerance`` from there on.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.types import DiscoverySettings


def family_tolerance(exact_statements: int, settings: DiscoverySettings, loose: float) -> float:
    """Largest alignment distance a varied statement of this family may have: ``loose`` (the
    tolerance of every family) unless the family is crowded (``crowd_exact`` 0: never)."""
    if settings.crowd_exact > 0 and exact_statements >= settings.crowd_exact:
        return min(loose, settings.crowd_tolerance)
    return loose


def judges(fam: object, settings: DiscoverySettings) -> np.ndarray | None:
    """Which statements judge whether a family grows (extent.extend_statements): with ``grow_judges``
    > 0 those within that alignment distance (exact ones: 1e-9) when there are two or more, else all.

    Why: loose variants outnumber the exact statements of crowded families two to one and dilute
    ``grow_share``, so a motif whose exact statements agree on a longer extent stays cut short.
    """
    if settings.grow_judges <= 0:
        return None
    mask = np.asarray(fam.distance) <= settings.grow_judges  # type: ignore[attr-defined]
    return mask if mask.sum() >= 2 else None
