"""Metric position in the bar: where a family's statements start, as the context that tells them apart.

Why: on BPS-motif tune 74% of a labelled motif's occurrences start at one bar position (chance:
13%), but the varied statements discovery adds to a family start there only 12% of the time when
they match no labelled occurrence, against 28% when they do (benchmarks/phase10-barpos10.md,
``benchmarks.barpos_probe``). The notes of a window could not separate the two (phases 5-7); its
place in the bar can. Only families that over-collect are held to it (``bar_position_crowd``
statements or more, where the extras are) and only where their exact statements agree on a place
(``bar_position_agree``): elsewhere the extra statements are what establishes other references.
Positions come from ``Score.meter_map`` (written or MIDI bars; estimated for performed MIDI). The
filter compares a statement's place with its family's own, so a map whose bar lines are all a beat
off changes nothing and one of the wrong bar length scatters the exact statements' places until
they no longer agree, which turns the filter off (benchmarks/phase10-robust10.md).
"""

from __future__ import annotations

import numpy as np

from motifcli.meter import Bar, MeterMap

LEVELS = ("bar", "half", "beat")


def bar_positions(onsets: np.ndarray, meter: MeterMap, level: str = "bar", snap: float = 0.0) -> np.ndarray:
    """Each onset's place in its bar (quarter beats after its downbeat, :func:`downbeats`; a pickup counts back from its
    end), or in its half bar (even numerators) or beat (``level``): a motif restated half a bar
    later in 4/4 is "the same place" at the half-bar level.

    An onset up to ``snap`` before a bar line (half bar, beat) counts from it, a small negative
    place: played a little early, or under an estimated bar line a little late (POP909's estimated
    lines sit on a 1/12-beat grid), a downbeat statement is not "at the end of the bar before"."""
    if level not in LEVELS:
        raise ValueError(f"bar position level {level!r} is not one of {LEVELS}")
    if len(onsets) == 0:
        return np.zeros(0)
    starts = meter.starts
    idx = np.clip(np.searchsorted(starts, onsets + snap + 1e-6, side="right") - 1, 0, len(starts) - 1)
    bars = meter.bars
    nominal = np.array([b.nominal_length for b in bars])
    pos = onsets - downbeats(meter)[idx]
    if level == "half":
        even = np.array([b.numerator % 2 == 0 for b in bars])[idx]
        return np.where(even, np.mod(pos + snap, nominal[idx] / 2) - snap, pos)
    if level == "beat":
        beat = np.array([beat_length(b) for b in bars])
        return np.mod(pos + snap, beat[idx]) - snap
    return pos


def beat_length(bar: Bar) -> float:
    """The beat of the ``beat`` level, in quarter beats: a dotted quarter in 3/8, 6/8, 9/8, 12/8, else
    the time signature's denominator."""
    return 1.5 if bar.denominator == 8 and bar.numerator % 3 == 0 else 4.0 / bar.denominator


def position_tolerance(grid: float) -> float:
    """Two places in the bar are the same within this (1/12 beat; an eighth either side for performed
    timing, grid 1/4); also how early an onset may be and still count from the bar line after it."""
    return max(1 / 12, grid / 2) + 1e-6


def downbeats(meter: MeterMap) -> np.ndarray:
    """Each bar's downbeat. A full bar's is its start; so is that of a short bar that stands alone
    (a final bar completing the pickup, an irregular bar). A pickup's lies before it (its notes are
    the last beats of a full bar), and the second half of a split measure ("16a" after "16")
    continues its first half's bar, as music21 and a reader count beats."""
    eps = 1e-6
    out = meter.starts.astype(np.float64).copy()
    bars = meter.bars
    for i, bar in enumerate(bars):
        if bar.length >= bar.nominal_length - eps:
            continue
        if i == 0 and meter.has_pickup:
            out[0] = bar.start + bar.length - bar.nominal_length
        elif i > 0 and _split_half(bars[i - 1], bar, eps):
            out[i] = out[i - 1]
    return out


def _split_half(before: Bar, bar: Bar, eps: float) -> bool:
    """``bar`` continues ``before``: both short, one time signature, together one bar at most."""
    return (
        before.length < before.nominal_length - eps
        and (before.numerator, before.denominator) == (bar.numerator, bar.denominator)
        and before.length + bar.length <= bar.nominal_length + eps
        and bar.start - before.start <= before.length + eps
    )


def modal_position(positions: np.ndarray, tol: float) -> tuple[float, float]:
    """The most common of ``positions`` (within ``tol``; ties: the earliest) and the share at it."""
    if len(positions) == 0:
        return 0.0, 0.0
    p = np.sort(np.asarray(positions, dtype=float))
    counts = (np.abs(p[:, None] - p[None, :]) <= tol).sum(axis=1)
    best = int(np.argmax(counts))
    return float(p[best]), float(counts[best]) / len(p)


def at_position(positions: np.ndarray, where: float, tol: float) -> np.ndarray:
    """True where a position is ``where`` within ``tol``."""
    return np.abs(np.asarray(positions, dtype=float) - where) <= tol
