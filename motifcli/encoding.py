"""The one piano-roll renderer: notes on the encoding grid -> rolls, the model's input.

Runtime (``encode_segments``), training (``window_notes`` + ``render_rolls``, which lets the
augmentations move notes between the two) and the export parity check all draw rolls here, so
a model is fed exactly what it was trained on. The grid, defined once:

- the grid is anchored at the windows' origin (``Segment.origin``: beat 0, ``--bar-offset``, or
  the written bar lines): a time ``t`` in beats sits on step
  ``grid_steps(t, spb, origin) = floor((t - origin) * steps_per_beat + 0.5)`` (round half up);
- a window starts on a grid step (``segment.py``: ``origin + k * hop`` rounded to the grid, exact
  when the hop is a whole number of steps) and holds the notes whose onset step falls in
  ``[start, start + window steps)``;
- inside a window, a note covers steps ``[on - start, max(off, on + 1) - start)``, cut to the roll.

Integer steps make membership and drawing one computation: a note the segmenter puts in a
window always lands in its roll (with an origin off the 1/8-beat grid it once fell on step 32 and
was dropped by the runtime, while training clipped it to step 31). The spec travels inside every exported model (``motifcli.contract``).
``binary-sustain`` is the paper's roll: 1 where a note sounds. ``onset-sustain`` marks onsets
with 1 and held steps with 0.5, which keeps repeated notes apart. Pitches outside the range are
folded by octaves into it rather than dropped.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.score import Track
    from motifcli.segment import Segment

ENCODINGS = ("binary-sustain", "onset-sustain")
MAX_ROLL_CELLS = 1 << 16  # steps * pitches of one roll (256 KiB as float32); the paper's grid has 2,688


@dataclass(frozen=True, slots=True)
class EncodingSpec:
    """How a segment becomes a [steps, pitches] roll. Defaults follow the paper.

    Checked on construction, so a model card with ``segment_beats=nan`` or ``steps_per_beat=1e6``
    is refused when the model is loaded instead of failing (or allocating gigabytes) per file.
    """

    encoding: str = "binary-sustain"
    steps_per_beat: int = 8
    segment_beats: float = 4.0
    pitch_low: int = 24
    pitch_count: int = 84

    def __post_init__(self) -> None:
        if self.encoding not in ENCODINGS:
            raise ValueError(f"unknown encoding {self.encoding!r}; known: {', '.join(ENCODINGS)}")
        if not isinstance(self.steps_per_beat, int) or not 1 <= self.steps_per_beat <= 96:
            raise ValueError(f"steps_per_beat={self.steps_per_beat!r} is not a whole number in 1..96")
        if not math.isfinite(self.segment_beats) or not 0 < self.segment_beats <= 64:
            raise ValueError(f"segment_beats={self.segment_beats!r} is not a number of beats in (0, 64]")
        if not isinstance(self.pitch_low, int) or not isinstance(self.pitch_count, int):
            raise ValueError("pitch_low and pitch_count must be whole numbers")
        if not (0 <= self.pitch_low and 12 <= self.pitch_count and self.pitch_low + self.pitch_count <= 128):
            raise ValueError(f"pitches {self.pitch_low}..{self.pitch_low + self.pitch_count - 1} are not "
                             "an octave or more of MIDI's 0..127")
        if self.steps < 1 or self.steps * self.pitch_count > MAX_ROLL_CELLS:
            raise ValueError(f"a roll of {self.steps} x {self.pitch_count} cells is outside 1..{MAX_ROLL_CELLS}")

    @property
    def steps(self) -> int:
        return int(round(self.segment_beats * self.steps_per_beat))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.steps, self.pitch_count)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# ----------------------------------------------------------------------------------------------
# The grid


def grid_steps(beats: np.ndarray | float, steps_per_beat: int, origin: np.ndarray | float = 0.0) -> np.ndarray:
    """Grid steps of times in beats, counted from ``origin``: round half up, motif's one rounding rule."""
    t = np.asarray(beats, dtype=np.float64) - origin
    return np.floor(t * steps_per_beat + 0.5).astype(np.int64)


def grid_step(beats: float, steps_per_beat: int, origin: float = 0.0) -> int:
    """One time's grid step (see :func:`grid_steps`)."""
    return int(math.floor((float(beats) - origin) * steps_per_beat + 0.5))


def fold_pitches(pitches: np.ndarray, low: int, count: int) -> np.ndarray:
    """Move out-of-range pitches by whole octaves into [low, low + count)."""
    p = np.asarray(pitches).astype(np.int64).copy()
    high = low + count
    while (below := p < low).any():
        p[below] += 12
    while (above := p >= high).any():
        p[above] -= 12
    return p


def _relative(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, origins: np.ndarray | float,
              start_steps: np.ndarray | int, spec: EncodingSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(onset step, offset step, pitch column) relative to each note's window start step."""
    on = grid_steps(onsets, spec.steps_per_beat, origins)
    off = np.maximum(grid_steps(offsets, spec.steps_per_beat, origins), on + 1)
    cols = fold_pitches(pitches, spec.pitch_low, spec.pitch_count) - spec.pitch_low
    return on - start_steps, off - start_steps, cols


def window_notes(track: Track, segment: Segment, spec: EncodingSpec) -> np.ndarray:
    """Note array int16 [n, 3] = (onset step, offset step, pitch column) of one window.

    The form training keeps bars in (augmentations move its notes before rendering). Offsets are
    cut at the roll's end, which the renderer would do anyway; onsets are left as they are.
    """
    onsets, offsets, pitches = track.arrays()
    idx = np.asarray(segment.note_indices, dtype=np.int64)
    start = grid_step(_roll_start(segment), spec.steps_per_beat, segment.origin)
    on_b, off_b = _stretched(onsets[idx], offsets[idx], segment.origin, segment.scale)
    on, off, cols = _relative(on_b, off_b, pitches[idx], segment.origin, start, spec)
    return np.stack([on, np.minimum(off, spec.steps), cols], axis=1).astype(np.int16)


# ----------------------------------------------------------------------------------------------
# Rendering


def render_rolls(bars: Sequence[np.ndarray] | np.ndarray, spec: EncodingSpec) -> np.ndarray:
    """Note arrays ``[n_i, 3]`` (see :func:`window_notes`) -> rolls float32 [N, steps, pitches]."""
    bars = list(bars)
    counts = np.fromiter((len(b) for b in bars), dtype=np.int64, count=len(bars))
    row = np.repeat(np.arange(len(bars), dtype=np.int64), counts)
    flat = np.concatenate([np.asarray(b, dtype=np.int64).reshape(-1, 3) for b in bars]) if bars else np.zeros((0, 3), np.int64)
    return _draw(flat[:, 0], flat[:, 1], flat[:, 2], row, len(bars), spec)


def render_roll(notes: np.ndarray, spec: EncodingSpec) -> np.ndarray:
    """One note array -> one roll [steps, pitches]."""
    return render_rolls([notes], spec)[0]


def encode_notes(
    onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, start: float, spec: EncodingSpec
) -> np.ndarray:
    """Roll of notes in one window starting at ``start`` beats (the grid's origin). Shape ``spec.shape``.

    Notes whose onset falls outside the window draw only the part they sound inside it.
    """
    on, off, cols = _relative(np.asarray(onsets), np.asarray(offsets), np.asarray(pitches), float(start), 0, spec)
    return _draw(on, off, cols, np.zeros(len(on), dtype=np.int64), 1, spec)[0]


def encode_segments(track: Track, segments: Sequence[Segment], spec: EncodingSpec) -> np.ndarray:
    """Rolls of the given segments of one track, float32 [N, steps, pitches].

    All notes of all segments are encoded at once (no Python loop over notes): this runs for every
    window of every track of every file, and the per-note loop was most of ``encode``'s time.
    """
    onsets, offsets, pitches = track.arrays()
    counts = np.fromiter((len(s.note_indices) for s in segments), dtype=np.int64, count=len(segments))
    total = int(counts.sum())
    idx = np.fromiter(itertools.chain.from_iterable(s.note_indices for s in segments), dtype=np.int64, count=total)
    row = np.repeat(np.arange(len(segments), dtype=np.int64), counts)
    origins = np.fromiter((s.origin for s in segments), dtype=np.float64, count=len(segments))
    scales = np.fromiter((s.scale for s in segments), dtype=np.float64, count=len(segments))
    starts = np.fromiter((grid_step(_roll_start(s), spec.steps_per_beat, s.origin) for s in segments),
                         dtype=np.int64, count=len(segments))
    on_b, off_b = _stretched(onsets[idx], offsets[idx], origins[row], scales[row])
    on, off, cols = _relative(on_b, off_b, pitches[idx], origins[row], starts[row], spec)
    return _draw(on, off, cols, row, len(segments), spec)


def _roll_start(segment: Segment) -> float:
    """Beat of the roll's step 0 (stretched like the notes): the window's start unless a pickup moved it."""
    start = segment.start if segment.roll_start is None else segment.roll_start
    return segment.origin + (start - segment.origin) * segment.scale


def _stretched(onsets: np.ndarray, offsets: np.ndarray, origins: np.ndarray | float,
               scales: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Note times stretched by ``scales`` about ``origins`` (a bar resampled to the roll; 1 = unchanged)."""
    if np.all(np.asarray(scales) == 1.0):
        return onsets, offsets
    return origins + (onsets - origins) * scales, origins + (offsets - origins) * scales


def _draw(on: np.ndarray, off: np.ndarray, cols: np.ndarray, row: np.ndarray, n_rows: int,
          spec: EncodingSpec) -> np.ndarray:
    """Rolls [n_rows, steps, pitches]; note k covers steps [on, off) of pitch column ``cols[k]`` in roll ``row[k]``.

    A cell is 1 under an onset (``onset-sustain``), else ``sustain`` where any note sounds, else 0:
    exactly what drawing the notes one by one with ``max`` gives, in any order. Steps outside the
    roll are cut; an onset outside it marks nothing.
    """
    steps, count = spec.steps, spec.pitch_count
    roll = np.zeros((n_rows, steps, count), dtype=np.float32)
    if len(on) == 0:
        return roll
    on, off, cols, row = (np.asarray(a, dtype=np.int64) for a in (on, off, cols, row))
    onset_sustain = spec.encoding == "onset-sustain"
    a0, b0 = np.maximum(on, 0), np.minimum(off, steps)
    lengths = np.maximum(b0 - a0, 0)  # steps each note sounds inside its roll (at most ``steps``)
    total = int(lengths.sum())
    if total:
        first = np.cumsum(lengths) - lengths  # where each note's run of cells begins in the flat list
        t = np.arange(total, dtype=np.int64) + np.repeat(a0 - first, lengths)
        roll[np.repeat(row, lengths), t, np.repeat(cols, lengths)] = 0.5 if onset_sustain else 1.0
    if onset_sustain:
        hit = (on >= 0) & (on < steps)
        roll[row[hit], on[hit], cols[hit]] = 1.0
    return roll
