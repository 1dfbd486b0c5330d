"""A score to one vector per segment: segment every pitched track, encode, run the model.

Kept apart from grouping so that notebook users (``motifcli.embed``) and ``motif embed`` get the
same vectors that ``annotate`` clusters, and so the two stages can be timed separately.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from motifcli.encoding import encode_segments
from motifcli.errors import UsageError
from motifcli.model import MotifModel
from motifcli.score import Score, Track
from motifcli.segment import Segment, segment_bars, segment_track
from motifcli.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.meter import MeterMap


@dataclass(slots=True)
class EmbeddingResult:
    """Vectors [N, D] and, row for row, the segment each came from (track index, start/end beats)."""

    vectors: np.ndarray
    segments: list[Segment]
    track_names: list[str] = field(default_factory=list)  # of all Score.tracks, by index

    @property
    def track(self) -> np.ndarray:
        return np.array([s.track for s in self.segments], dtype=np.int64)

    @property
    def start(self) -> np.ndarray:
        return np.array([s.start for s in self.segments], dtype=np.float64)

    @property
    def end(self) -> np.ndarray:
        return np.array([s.end for s in self.segments], dtype=np.float64)

    def __len__(self) -> int:
        return len(self.segments)

    def __repr__(self) -> str:
        """One line, as the score's and the annotation's: a notebook cell ending in ``embed(...)``
        printed every window's segment (5,000 characters for a 4-part chorale, more for a sonata)."""
        counts: dict[int, int] = {}
        for s in self.segments:
            counts[s.track] = counts.get(s.track, 0) + 1
        names = [f"{self.track_names[t] if t < len(self.track_names) else t!r} {n}" for t, n in counts.items()]
        shown = ", ".join(names[:8]) + (f", ... {len(names) - 8} more" if len(names) > 8 else "")
        width = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        return f"<EmbeddingResult: {len(self.segments)} windows x {width} dims ({shown})>"


def select_tracks(score: Score, track: str | int | None = None) -> list[Track]:
    """The tracks motifs are searched in: all pitched ones, or one asked for by name or index."""
    if track is None:
        return score.pitched_tracks()
    if isinstance(track, int) or (isinstance(track, str) and track.isdigit()):
        i = int(track)
        if not 0 <= i < len(score.tracks):
            raise UsageError(f"no track {i}; the score has tracks 0..{len(score.tracks) - 1}")
        chosen = score.tracks[i]
    else:
        try:
            chosen = score.track_named(track)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from exc
        same = [i for i, t in enumerate(score.tracks) if t.name.lower() == chosen.name.lower()]
        if len(same) > 1:  # the first of them would be a silent guess
            raise UsageError(f"{len(same)} tracks are named {track!r} (tracks {', '.join(map(str, same))}); "
                             "give --track its index")
    if chosen.is_drum:
        raise UsageError(f"track {chosen.name!r} is percussion; motifs are searched in pitched tracks")
    return [chosen]


def bar_origin(meter: MeterMap | Score, window: float) -> float:
    """Where a fixed window grid (``--window``/``--hop``) starts: on the meter map's bar lines.

    The most common bar start modulo the window: a score with a one-beat pickup has bars starting
    at 0, 1, 5, 9 ...: windows then start at beat 1, so they hold whole bars. (The default
    windows are the map's bars themselves, see :func:`motifcli.segment.segment_bars`.)
    """
    if isinstance(meter, Score):
        meter = meter.meter_map
    starts = meter.starts
    if len(starts) < 2:
        return float(meter.first_downbeat) % window
    phases = np.round(np.asarray(starts, dtype=np.float64) % window, 6)
    values, counts = np.unique(phases, return_counts=True)
    return float(values[int(np.argmax(counts))])


def embed_score(
    score: Score,
    model: MotifModel,
    settings: Settings | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> EmbeddingResult:
    """Embed every window of the chosen tracks, as ``settings`` say (default: :class:`Settings`).

    Windows are the bars of the settings' meter map (no window/hop given), else start at the
    settings' origin + k * hop beats (origin None: :func:`bar_origin`);
    windows with fewer than ``min_notes`` notes are left out. ``timings`` gets the seconds spent in
    ``encode`` and ``inference`` added to it. The window limit is the pipeline's job
    (:func:`motifcli.pipeline.embed` checks it before this runs).
    """
    spec = model.spec
    run = (settings or Settings()).resolve(model).for_score(score)
    t0 = time.perf_counter()
    segments: list[Segment] = []
    rolls: list[np.ndarray] = []
    for tr in select_tracks(score, run.track):
        if run.bar_windows and run.meter_map is not None:
            segs = segment_bars(tr, run.meter_map, spec.segment_beats, spec.steps_per_beat, run.fewest_notes,
                                run.bar_fit)
        else:
            segs = segment_track(tr, run.window, run.hop, spec.steps_per_beat, origin=run.origin,
                                 min_notes=run.fewest_notes)
        if segs:
            segments.extend(segs)
            rolls.append(encode_segments(tr, segs, spec))
    stacked = np.concatenate(rolls) if rolls else np.zeros((0, *spec.shape), dtype=np.float32)
    t1 = time.perf_counter()
    vectors = embed_unique(model, stacked)
    t2 = time.perf_counter()
    if timings is not None:
        timings["encode"] = timings.get("encode", 0.0) + (t1 - t0)
        timings["inference"] = timings.get("inference", 0.0) + (t2 - t1)
    return EmbeddingResult(vectors, segments, [t.name for t in score.tracks])


def embed_unique(model: MotifModel, rolls: np.ndarray) -> np.ndarray:
    """``model.embed(rolls)``, running the model once per distinct roll.

    A song repeats itself: about a third of POP909's windows are exact copies of an earlier one
    (choruses, repeated accompaniment), so this saves that share of the inference time. Copies
    also get exactly the same vector, whatever batch they would have landed in.
    """
    n = rolls.shape[0]
    if n < 2:
        return model.embed(rolls)
    first: dict[bytes, int] = {}  # roll bytes -> its row among the distinct rolls
    keep: list[int] = []  # the first row of each distinct roll
    inverse = np.empty(n, dtype=np.int64)
    for i, row in enumerate(rolls.reshape(n, -1)):
        j = first.setdefault(row.tobytes(), len(keep))
        if j == len(keep):
            keep.append(i)
        inverse[i] = j
    if len(keep) == n:
        return model.embed(rolls)
    return model.embed(rolls[keep])[inverse]
