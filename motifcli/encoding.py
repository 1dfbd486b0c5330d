"""Segments to piano rolls, the model's input.

The spec travels inside every exported model (ONNX metadata), so the runtime always feeds a model
exactly what it was trained on. ``binary-sustain`` is the paper's roll: 1 where a note sounds.
``onset-sustain`` marks onsets with 1 and held steps with 0.5, which keeps repeated notes apart.
Pitches outside the range are folded by octaves into it rather than dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np

from motifcli.errors import ModelError
from motifcli.score import Track
from motifcli.segment import Segment

ENCODINGS = ("binary-sustain", "onset-sustain")


@dataclass(frozen=True, slots=True)
class EncodingSpec:
    """How a segment becomes a [steps, pitches] roll. Defaults follow the paper."""

    encoding: str = "binary-sustain"
    steps_per_beat: int = 8
    segment_beats: float = 4.0
    pitch_low: int = 24
    pitch_count: int = 84

    def __post_init__(self) -> None:
        if self.encoding not in ENCODINGS:
            raise ValueError(f"unknown encoding {self.encoding!r}; known: {', '.join(ENCODINGS)}")
        if self.steps_per_beat < 1 or self.segment_beats <= 0 or self.pitch_count < 12:
            raise ValueError(f"invalid encoding spec {self}")

    @property
    def steps(self) -> int:
        return int(round(self.segment_beats * self.steps_per_beat))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.steps, self.pitch_count)

    def to_metadata(self) -> dict[str, str]:
        """String key/values for ONNX ``metadata_props``."""
        return {k: _fmt(v) for k, v in asdict(self).items()}

    @classmethod
    def from_metadata(cls, meta: Mapping[str, str]) -> EncodingSpec:
        """Rebuild the spec from a model's metadata; a missing or bad key is a :class:`ModelError`."""
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            if f.name not in meta:
                raise ModelError(f"model metadata lacks {f.name!r}")
            raw = meta[f.name]
            try:
                kwargs[f.name] = raw if f.name == "encoding" else (float(raw) if f.name == "segment_beats" else int(raw))
            except ValueError as exc:
                raise ModelError(f"model metadata {f.name}={raw!r} is not a number") from exc
        try:
            return cls(**kwargs)  # type: ignore[arg-type]
        except ValueError as exc:
            raise ModelError(str(exc)) from exc


def _fmt(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def fold_pitches(pitches: np.ndarray, low: int, count: int) -> np.ndarray:
    """Move out-of-range pitches by whole octaves into [low, low + count)."""
    p = pitches.astype(np.int64).copy()
    high = low + count
    while (below := p < low).any():
        p[below] += 12
    while (above := p >= high).any():
        p[above] -= 12
    return p


def encode_notes(
    onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, start: float, spec: EncodingSpec
) -> np.ndarray:
    """Roll of notes relative to a window starting at ``start`` (beats). Shape ``spec.shape``."""
    rows = np.zeros(len(onsets), dtype=np.int64)
    return _encode(np.asarray(onsets), np.asarray(offsets), np.asarray(pitches), rows, start, 1, spec)[0]


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
    starts = np.fromiter((s.start for s in segments), dtype=np.float64, count=len(segments))[row]
    return _encode(onsets[idx], offsets[idx], pitches[idx], row, starts, len(segments), spec)


def _encode(
    onsets: np.ndarray,
    offsets: np.ndarray,
    pitches: np.ndarray,
    row: np.ndarray,
    starts: np.ndarray | float,
    n_rows: int,
    spec: EncodingSpec,
) -> np.ndarray:
    """Rolls [n_rows, steps, pitches]; note k goes into roll ``row[k]``, whose window starts at ``starts[k]``.

    A cell is 1 under an onset (``onset-sustain``), else ``sustain`` where any note sounds, else 0:
    exactly what drawing the notes one by one with ``max`` gives, in any order. ``starts`` may be a
    scalar (one window), which keeps the arithmetic of the one-window encoder bit for bit.
    """
    steps, count = spec.steps, spec.pitch_count
    roll = np.zeros((n_rows, steps, count), dtype=np.float32)
    if len(onsets) == 0:
        return roll
    on = np.floor((onsets - starts) * spec.steps_per_beat + 0.5).astype(np.int64)
    off = np.floor((offsets - starts) * spec.steps_per_beat + 0.5).astype(np.int64)
    off = np.maximum(off, on + 1)
    cols = fold_pitches(pitches, spec.pitch_low, count) - spec.pitch_low
    onset_sustain = spec.encoding == "onset-sustain"
    a0, b0 = np.maximum(on, 0), np.minimum(off, steps)
    lengths = np.maximum(b0 - a0, 0)  # steps each note sounds inside its window (at most ``steps``)
    total = int(lengths.sum())
    if total:
        first = np.cumsum(lengths) - lengths  # where each note's run of cells begins in the flat list
        t = np.arange(total, dtype=np.int64) + np.repeat(a0 - first, lengths)
        roll[np.repeat(row, lengths), t, np.repeat(cols, lengths)] = 0.5 if onset_sustain else 1.0
    if onset_sustain:
        hit = (on >= 0) & (on < steps)
        roll[row[hit], on[hit], cols[hit]] = 1.0
    return roll
