"""Cut a track into the windows that get embedded, on the encoding grid of ``encoding.py``.

The paper (and the POP909 labels) use one 4-beat bar per segment, counted from beat 0. Windows
start every ``hop`` beats from ``origin`` on the encoding grid anchored there
(``encoding.grid_steps``), and a note belongs to the window that holds its onset *after snapping
to that grid*, so a performed onset at beat 3.98 lands in the bar that starts at beat 4, where a
musician hears it. Membership is decided in whole grid steps, the same ones the renderer draws,
so every note of a window lands inside its roll whatever the origin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from motifcli.encoding import grid_step, grid_steps
from motifcli.score import Track

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.meter import MeterMap

BAR_FITS = ("pad", "resample")


@dataclass(frozen=True, slots=True)
class Segment:
    """A window of one track: ``start``/``end`` in beats, the indices of its notes, the grid's origin.

    ``start`` lies on the grid anchored at ``origin`` (a whole number of steps from it).
    """

    track: int
    start: float
    end: float
    note_indices: tuple[int, ...]
    origin: float = 0.0
    # How a bar of another length than the roll is fed to the model (``segment_bars``): the roll's
    # step 0 sits at beat ``roll_start`` (default ``start``; a pickup is drawn at the roll's end)
    # and time inside the window is stretched by ``scale`` about ``origin`` (1 = as written).
    roll_start: float | None = None
    scale: float = 1.0

    @property
    def note_count(self) -> int:
        return len(self.note_indices)


def snapped_onsets(onsets: np.ndarray, steps_per_beat: int, origin: float = 0.0) -> np.ndarray:
    """Onsets rounded to the encoding grid anchored at ``origin``, in beats (like the encoder)."""
    return origin + grid_steps(onsets, steps_per_beat, origin) / steps_per_beat


def window_start_steps(hop: float, k: np.ndarray, steps_per_beat: int) -> np.ndarray:
    """Grid step (from the origin) where window ``k`` starts: ``k * hop`` beats, rounded to the grid."""
    return grid_steps(np.asarray(k, dtype=np.float64) * hop, steps_per_beat)


def segment_track(
    track: Track,
    window_beats: float = 4.0,
    hop_beats: float | None = None,
    steps_per_beat: int = 8,
    origin: float = 0.0,
    min_notes: int = 1,
) -> list[Segment]:
    """Windows of ``window_beats`` every ``hop_beats`` (default: no overlap) from ``origin``.

    Windows with fewer than ``min_notes`` notes, or none, are left out (an empty bar holds no motif).
    """
    if not (window_beats > 0 and math.isfinite(window_beats)):
        raise ValueError("window_beats must be a positive number")
    hop = window_beats if hop_beats is None else hop_beats
    if not (hop > 0 and math.isfinite(hop)):
        raise ValueError("hop_beats must be a positive number")
    if not math.isfinite(origin):
        raise ValueError("origin must be a number")
    onsets, _, _ = track.arrays()
    if onsets.size == 0:
        return []
    width = max(1, grid_step(window_beats, steps_per_beat))  # window length in grid steps
    steps = grid_steps(onsets, steps_per_beat, origin)
    order = np.argsort(steps, kind="stable")
    sorted_steps = steps[order]
    lowest, highest = int(sorted_steps[0]), int(sorted_steps[-1])
    # candidate windows, one step of slack either side for the snapping of their starts
    first = math.floor((lowest - width) / (hop * steps_per_beat)) - 1
    last = math.floor(highest / (hop * steps_per_beat)) + 1
    if hop * steps_per_beat < 1:  # a hop under one grid step: every step starts a window
        starts = np.arange(lowest - width + 1, highest + 1, dtype=np.int64)
    else:  # snapped starts never repeat when hop >= one step
        starts = window_start_steps(hop, np.arange(first, last + 1, dtype=np.int64), steps_per_beat)
    lo = np.searchsorted(sorted_steps, starts, side="left")
    hi = np.searchsorted(sorted_steps, starts + width, side="left")
    segments: list[Segment] = []
    for start, a, b in zip(starts.tolist(), lo.tolist(), hi.tolist()):
        if b == a or b - a < min_notes:
            continue
        segments.append(Segment(track.index, origin + start / steps_per_beat, origin + (start + width) / steps_per_beat,
                                tuple(sorted(order[a:b].tolist())), float(origin)))
    return segments


def segment_bars(
    track: Track,
    meter: MeterMap,
    roll_beats: float,
    steps_per_beat: int = 8,
    min_notes: int = 1,
    fit: str = "pad",
    phase: float | None = None,
) -> list[Segment]:
    """One window per bar of ``meter`` (a 3/4 bar is 3 beats), for the model's ``roll_beats`` roll.

    A note belongs to the bar holding its onset snapped to the grid (anchored at each bar line).
    With ``phase`` (beats, from :func:`onset_phase`) the grid is one for the whole track, anchored at
    that phase, and each bar's roll starts at its bar line moved to the nearest grid point: a bar
    line estimated a fraction of a step early or late then draws the same roll (membership and
    every note's cells, offsets included, are counted on the one grid; phase11-pop11.md).
    ``fit`` says how a bar of another length fills the roll: ``pad`` draws it as written from the
    roll's start and leaves the rest empty (a bar longer than the roll is squeezed in); ``resample``
    stretches every bar's nominal length to the roll. A pickup (a first bar shorter than its
    meter's) is drawn where it would sit in a full bar, at its end.
    """
    if fit not in BAR_FITS:
        raise ValueError(f"bar fit {fit!r} is not one of {BAR_FITS}")
    onsets, _, _ = track.arrays()
    if onsets.size == 0:
        return []
    starts = meter.starts
    if phase is not None:  # bar lines and onsets on the track's one grid: sub-step shifts of a bar line change nothing
        _, lines, which = bars_on_grid(onsets, starts, steps_per_beat, phase)
        origins = phase + lines / steps_per_beat
    else:
        half = 0.5 / steps_per_beat  # an onset half a step before a bar line is heard on it
        which = np.clip(np.searchsorted(starts, onsets + half, side="right") - 1, 0, len(starts) - 1)
    order = np.argsort(which, kind="stable")
    sorted_bars = which[order]
    bounds = np.flatnonzero(np.diff(sorted_bars)) + 1
    segments: list[Segment] = []
    for chunk in np.split(order, bounds):
        if chunk.size < min_notes:
            continue
        i = int(which[chunk[0]])
        bar = meter.bars[i]
        nominal = max(bar.nominal_length, bar.length)
        scale = roll_beats / nominal if (fit == "resample" or nominal > roll_beats + 1e-9) else 1.0
        pickup = i == 0 and meter.has_pickup
        if phase is None:
            origin, end = bar.start, bar.end
        else:  # the bar's end moved to the grid too (a pickup is drawn back from it)
            origin = float(origins[i])
            end = float(origins[i + 1]) if i + 1 < len(origins) else origin + bar.length
        roll_start = end - nominal if pickup else origin
        segments.append(Segment(track.index, bar.start, bar.end, tuple(sorted(chunk.tolist())), origin,
                                roll_start, scale))
    return segments


def bars_on_grid(onsets: np.ndarray, starts, steps_per_beat: int, phase: float,
                 early: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Onsets and bar lines counted in whole steps of one grid anchored at ``phase`` (beats), and
    each onset's bar: the bar whose line is at or before its step (``early`` steps ahead: an onset
    that many steps before a bar line is heard on it). One rule for the bar level's rolls
    (:func:`segment_bars`) and the texture families' bars (phase11-pop11.md)."""
    at = grid_steps(onsets, steps_per_beat, phase)
    lines = grid_steps(np.asarray(starts, dtype=np.float64), steps_per_beat, phase)
    which = np.clip(np.searchsorted(lines, at + early, side="right") - 1, 0, len(lines) - 1)
    return at, lines, which


def onset_phase(onsets: np.ndarray, steps_per_beat: int) -> float:
    """Where a performance's onsets sit between the grid steps, in beats (0 for a score on the grid).

    POP909's onsets cluster a fixed fraction of a 1/8-beat step away from beat 0 (e.g. 0.45 step),
    while estimated bar lines lie on a 1/12-beat grid: anchoring the rolls at the bar lines puts
    cell edges wherever the estimate fell. The circular mean of the onsets' step fractions puts
    them at the cells' centres. Onsets on a written grid (1/8 or 1/12 beat: a score) give 0 exactly.
    """
    onsets = np.asarray(onsets, dtype=np.float64)
    if onsets.size == 0 or np.mean(np.abs(onsets * 24 - np.round(onsets * 24)) < 0.02) > 0.9:
        return 0.0  # written durations (1/8 and 1/12 beat alike): the bar lines' grid is the notes'
    frac = onsets * steps_per_beat
    frac = frac - np.floor(frac)
    angle = np.angle(np.mean(np.exp(2j * np.pi * frac))) / (2 * np.pi)
    return float(angle % 1.0) / steps_per_beat
