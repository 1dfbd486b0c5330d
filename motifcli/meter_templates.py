"""Metric templates and the folded accent profile: the primitives every meter stage shares.

The one-meter estimate (``meter_estimate``), the notated-input ranker (``meter_ranker``) and the
meter-change search (``meter_sections``) all score a meter by how well the accents of a grid
(``RESOLUTION`` slots per quarter beat) fit that meter's metric hierarchy. One definition of the
template, the fold and the correlation keeps their numbers comparable. numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RESOLUTION = 12  # grid slots per quarter beat: eighths, sixteenths and triplets all land on it
OFF_LEVEL = 0.04  # metric weight of a slot that starts no level of the hierarchy


def template(bar_beats: float, levels: Sequence[tuple[float, float]]) -> np.ndarray:
    """Metric weight of each grid slot in one bar (the strongest level that the slot starts);
    ``levels`` are (period in quarter beats, weight)."""
    out = np.full(int(round(bar_beats * RESOLUTION)), OFF_LEVEL)
    for period, weight in sorted(levels, key=lambda lw: lw[1]):
        step = int(round(period * RESOLUTION))
        out[::step] = np.maximum(out[::step], weight)
    return out


def standardised(values: np.ndarray) -> np.ndarray:
    """Zero mean, unit spread (a flat array stays centred at 0)."""
    return (values - values.mean()) / (values.std() or 1.0)


def fold(grid: np.ndarray, bar_slots: int) -> np.ndarray:
    """Mean accent at each slot of the bar, over all bars, lightly smoothed against timing jitter."""
    bars = -(-len(grid) // bar_slots)
    padded = np.zeros(bars * bar_slots)
    padded[: len(grid)] = grid
    profile = padded.reshape(bars, bar_slots).mean(axis=0)
    return 0.5 * profile + 0.25 * (np.roll(profile, 1) + np.roll(profile, -1))


def phase_correlations(profile: np.ndarray, bar_template: np.ndarray, phase_step: int = 1) -> np.ndarray:
    """Pearson correlation of the profile with the template placed at every ``phase_step``-th slot
    (rolling keeps the profile's mean and spread, so one matrix product does all phases)."""
    n = len(profile)
    phases = np.arange(0, n, phase_step)
    sd = profile.std()
    if sd == 0:
        return np.zeros(len(phases))
    rolled = profile[(phases[:, None] + np.arange(n)[None, :]) % n]
    return (rolled - profile.mean()) @ standardised(bar_template) / (n * sd)


def autocorrelation(centred: np.ndarray, lag: int) -> float:
    """Normalised autocorrelation of a centred accent grid ``lag`` slots apart: repeats fall a bar later."""
    if lag <= 0 or lag >= len(centred):
        return 0.0
    a, b = centred[:-lag], centred[lag:]
    # elementwise sums, not BLAS dot products: on a loaded machine BLAS's threads made each call ~50 ms
    denom = float(np.sqrt(np.sum(a * a) * np.sum(b * b)))
    return float(np.sum(a * b)) / denom if denom > 0 else 0.0
