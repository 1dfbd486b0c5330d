"""Segments to piano rolls, the model's input.

The spec travels inside every exported model (ONNX metadata), so the runtime always feeds a model
exactly what it was trained on. ``binary-sustain`` is the paper's roll: 1 where a note sounds.
``onset-sustain`` marks onsets with 1 and held steps with 0.5, which keeps repeated notes apart.
Pitches outside the range are folded by octaves into it rather than dropped.
"""

from __future__ import annotations

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
    steps = spec.steps
    roll = np.zeros(spec.shape, dtype=np.float32)
    if len(onsets) == 0:
        return roll
    on = np.floor((np.asarray(onsets) - start) * spec.steps_per_beat + 0.5).astype(np.int64)
    off = np.floor((np.asarray(offsets) - start) * spec.steps_per_beat + 0.5).astype(np.int64)
    off = np.maximum(off, on + 1)
    cols = fold_pitches(np.asarray(pitches), spec.pitch_low, spec.pitch_count) - spec.pitch_low
    sustain = 0.5 if spec.encoding == "onset-sustain" else 1.0
    for a, b, c in zip(on.tolist(), off.tolist(), cols.tolist()):
        a0, b0 = max(a, 0), min(b, steps)
        if a0 < b0:
            roll[a0:b0, c] = np.maximum(roll[a0:b0, c], sustain)
        if spec.encoding == "onset-sustain" and 0 <= a < steps:
            roll[a, c] = 1.0
    return roll


def encode_segments(track: Track, segments: Sequence[Segment], spec: EncodingSpec) -> np.ndarray:
    """Rolls of the given segments of one track, float32 [N, steps, pitches]."""
    onsets, offsets, pitches = track.arrays()
    out = np.zeros((len(segments), *spec.shape), dtype=np.float32)
    for i, seg in enumerate(segments):
        idx = np.fromiter(seg.note_indices, dtype=np.int64, count=len(seg.note_indices))
        out[i] = encode_notes(onsets[idx], offsets[idx], pitches[idx], seg.start, spec)
    return out
