"""Percentiles and medians of small arrays without importing ``numpy.ma``.

``np.median`` and ``np.percentile`` import ``numpy.ma`` on first use (~15 ms), which every
``motif annotate song.mid`` would pay for a handful of medians (meter estimation, transpositions).
These give numpy's default ("linear") results from one sort.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def percentiles(values: np.ndarray | Sequence[float], qs: Sequence[float]) -> list[float]:
    """The ``qs`` percentiles (0..100) of ``values``, as ``np.percentile(values, qs)`` gives them."""
    ordered = np.sort(np.asarray(values, dtype=np.float64).ravel())
    if ordered.size == 0:
        raise ValueError("percentiles of an empty array")
    last = ordered.size - 1
    out = []
    for q in qs:
        if not 0.0 <= q <= 100.0:
            raise ValueError(f"percentile {q} outside 0..100")
        position = q / 100.0 * last
        low = int(np.floor(position))
        high = min(low + 1, last)
        frac = position - low
        out.append(float(ordered[low] + (ordered[high] - ordered[low]) * frac))
    return out


def percentile(values: np.ndarray | Sequence[float], q: float) -> float:
    """One percentile (0..100), as ``np.percentile`` gives it."""
    return percentiles(values, [q])[0]


def median(values: np.ndarray | Sequence[float]) -> float:
    """The median, as ``np.median`` gives it (the mean of the middle two for an even count)."""
    return percentiles(values, [50.0])[0]
