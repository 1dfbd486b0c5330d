"""Cut a track into the windows that get embedded.

The paper (and the POP909 labels) use one 4-beat bar per segment, counted from beat 0. A note
belongs to the window that holds its onset *after snapping to the encoding grid*, so a performed
onset at beat 3.98 lands in the bar that starts at beat 4, where a musician hears it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from motifcli.score import Track


@dataclass(frozen=True, slots=True)
class Segment:
    """A window of one track: ``start``/``end`` in beats, the indices of its notes in the track."""

    track: int
    start: float
    end: float
    note_indices: tuple[int, ...]

    @property
    def note_count(self) -> int:
        return len(self.note_indices)


def snapped_onsets(onsets: np.ndarray, steps_per_beat: int) -> np.ndarray:
    """Onsets rounded to the encoding grid, in beats (round half up, like the encoder)."""
    return np.floor(onsets * steps_per_beat + 0.5) / steps_per_beat


def segment_track(
    track: Track,
    window_beats: float = 4.0,
    hop_beats: float | None = None,
    steps_per_beat: int = 8,
    origin: float = 0.0,
    min_notes: int = 1,
) -> list[Segment]:
    """Windows of ``window_beats`` every ``hop_beats`` (default: no overlap) from ``origin``.

    Windows with fewer than ``min_notes`` notes are left out (an empty bar holds no motif).
    """
    if window_beats <= 0:
        raise ValueError("window_beats must be positive")
    hop = window_beats if hop_beats is None else hop_beats
    if hop <= 0:
        raise ValueError("hop_beats must be positive")
    onsets, _, _ = track.arrays()
    if onsets.size == 0:
        return []
    snapped = snapped_onsets(onsets, steps_per_beat)
    order = np.argsort(snapped, kind="stable")
    sorted_onsets = snapped[order]
    eps = 1e-9
    # the first window that holds the first note; it may start before ``origin`` (a pickup bar)
    first = math.floor((sorted_onsets[0] - origin - window_beats) / hop + eps) + 1
    last = math.floor((sorted_onsets[-1] - origin) / hop)
    segments: list[Segment] = []
    for k in range(first, last + 1):
        start = origin + k * hop
        end = start + window_beats
        lo = int(np.searchsorted(sorted_onsets, start - eps, side="left"))
        hi = int(np.searchsorted(sorted_onsets, end - eps, side="left"))
        if hi - lo < min_notes:
            continue
        segments.append(Segment(track.index, float(start), float(end), tuple(sorted(order[lo:hi].tolist()))))
    return segments
