"""Downbeat evidence from the notes: per-beat features, the fitted logistic model, the Viterbi path.

The lower half of meter estimation (``meter_estimate.py`` picks the meter and calls these): what marks a
downbeat in played music (long, low, loud notes, harmonic change, bass onsets), the weights fitted on
POP909's tune songs (``benchmarks/meter_train.py``), and the best path of downbeats through the beats.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from motifcli.quantiles import median, percentiles

JUMP_PENALTY = 6.0  # log-odds a bar of irregular length costs in the downbeat path


# the same fitted on POP909's MELODY track alone (benchmarks/meter_train.py --melody): for one-line input
MELODY_WEIGHTS: tuple[float, ...] = (
    -0.389, -0.146, 0.550, 0.017, -0.059, -0.248, 0.606, 0.824, 0.342, 0.077, 1.371, 0.415, 0.116, -0.693,
    -0.422, -0.496, -0.048,
)


# logistic weights over FEATURES, then the bias: fitted by benchmarks/meter_train.py (see there)
ACCENT_WEIGHTS: tuple[float, ...] = (
    -1.387, 0.200, 0.595, 0.058, 0.627, 0.347, 0.401, 0.454, 1.197, 0.186, 0.322, -0.021, 0.043, -1.121,
    -0.441, -0.580, 0.508,
)


def note_arrays(notes: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(onsets, offsets, pitches, velocities) from a Score (pitched tracks) or a tuple of 3-4 arrays."""
    if hasattr(notes, "tracks"):
        tracks = [t for t in notes.tracks if t.is_pitched]
        parts = [t.arrays() for t in tracks]
        if not parts:
            empty = np.zeros(0)
            return empty, empty, empty, empty
        vel = [np.fromiter((n.velocity for n in t.notes), dtype=np.float64, count=len(t.notes)) for t in tracks]
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                np.concatenate([p[2] for p in parts]).astype(np.float64), np.concatenate(vel))
    onsets, offsets, pitches = (np.asarray(a, dtype=np.float64) for a in notes[:3])
    velocities = np.asarray(notes[3], dtype=np.float64) if len(notes) > 3 else np.full(len(onsets), 64.0)
    return onsets, offsets, pitches, velocities


def _clean(notes: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Finite notes at or after beat 0, as (onsets, offsets, pitches, velocities) arrays."""
    onsets, offsets, pitches, velocities = note_arrays(notes)
    keep = np.isfinite(onsets) & (onsets >= 0) & np.isfinite(offsets)
    return onsets[keep], offsets[keep], pitches[keep], velocities[keep]


def _slot_max(slot: np.ndarray, values: np.ndarray, size: int, fill: float = 0.0) -> np.ndarray:
    """Largest value per slot (``fill`` where none), by sorting: much faster than ``np.maximum.at``."""
    out = np.full(size, fill)
    order = np.argsort(slot, kind="stable")
    sorted_slots = slot[order]
    starts = np.flatnonzero(np.concatenate([[True], sorted_slots[1:] != sorted_slots[:-1]]))
    out[sorted_slots[starts]] = np.maximum.reduceat(values[order], starts)
    return out


FEATURES = (
    "onset", "count", "longest", "bass25", "bass10", "depth", "velocity",
    "harmony1", "harmony2", "bass_change", "rest_before", "onset_half_before", "onset_half_after",
    "onset_beat_before", "onset_beat_after", "held_across",
)


FEATURE_RESOLUTION = 4  # slots per quarter beat for downbeat features (sixteenths: absorbs timing jitter)


def beat_features(notes: Any, beats: np.ndarray) -> np.ndarray:
    """The cues that mark downbeats, at each beat position: shape (len(beats), len(FEATURES)).

    Onset cues (how many notes start, how long the longest lasts, a low bass note, velocity), harmony
    cues (pitch classes before vs after over one and two quarter beats; a new bass pitch class), and
    context (a rest before, onsets half a beat and a beat around, notes held across the beat). The
    grid is laid from the first beat so performed onsets near a beat round onto it.
    """
    beats = np.asarray(beats, dtype=np.float64)
    onsets, offsets, pitches, velocities = _clean(notes)
    if len(onsets) == 0 or len(beats) == 0:
        return np.zeros((len(beats), len(FEATURES)))
    r = FEATURE_RESOLUTION
    origin = float(beats[0]) % (1.0 / r) if len(beats) else 0.0
    slot = np.rint((onsets - origin) * r).astype(np.int64)
    slot = np.maximum(slot, 0)
    end_slot = np.maximum(np.rint((offsets - origin) * r).astype(np.int64), slot + 1)
    rows = np.rint((beats - origin) * r).astype(np.int64)
    size = int(max(slot.max(), rows.max())) + 2 * r + 1
    pitches_i = pitches.astype(np.int64)
    count = np.bincount(slot, minlength=size).astype(np.float64)
    present = (count > 0).astype(np.float64)
    longest = _slot_max(slot, np.minimum(np.maximum(offsets - onsets, 0.0), 4.0), size)
    lowest = -_slot_max(slot, -pitches, size, fill=-999.0)
    p25, p10, p50 = percentiles(pitches, [25, 10, 50])
    depth = present * np.clip((p50 - np.minimum(lowest, p50)) / 12.0, 0.0, 3.0)
    loudest = _slot_max(slot, velocities, size)
    velocity = present * np.clip(loudest / (median(velocities) or 1.0) - 1.0, -0.5, 1.0)
    diff = np.bincount(slot + 1, minlength=size + 1)[: size + 1].astype(np.float64)
    diff -= np.bincount(np.minimum(end_slot, size), minlength=size + 1)[: size + 1]
    held = np.log1p(np.maximum(np.cumsum(diff)[:size], 0.0))
    has_bass = (present > 0) & (lowest <= p25)
    bass_pc = np.where(has_bass, lowest % 12, -1.0)
    idx = np.where(bass_pc >= 0, np.arange(size), 0)
    np.maximum.accumulate(idx, out=idx)
    carried = bass_pc[idx]
    prev = np.concatenate([np.full(r, -1.0), carried[:-r]])
    bass_change = (has_bass & (carried != prev) & (prev >= 0)).astype(np.float64)
    cum_onsets = np.concatenate([[0.0], np.cumsum(count)])
    t = np.arange(size)
    rest_before = present * (cum_onsets[t] - cum_onsets[np.maximum(t - r, 0)] == 0)

    at = np.clip(rows, 0, size - 1)
    here = present[at]
    return np.stack([
        here, np.log1p(count[at]), longest[at], here * (lowest[at] <= p25), here * (lowest[at] <= p10), depth[at],
        velocity[at],
        here * _harmony_change(slot, pitches_i, size, r, np.ones(len(slot)), at),
        here * _harmony_change(slot, pitches_i, size, 2 * r, np.minimum(offsets - onsets, 4.0), at),
        bass_change[at], rest_before[at],
        present[np.maximum(at - r // 2, 0)], present[np.minimum(at + r // 2, size - 1)],
        present[np.maximum(at - r, 0)], present[np.minimum(at + r, size - 1)],
        held[at],
    ], axis=1)


def downbeat_logodds(notes: Any, beats: np.ndarray, weights: Sequence[float] | None = None,
                     feats: np.ndarray | None = None) -> np.ndarray:
    """Log-odds that each beat is a downbeat: a logistic model over :func:`beat_features`.

    Its weights (``ACCENT_WEIGHTS``) were fitted on POP909 songs with id < 500 against
    ``beat_midi.txt``'s downbeats by ``benchmarks/meter_train.py``. ``feats``: the features at
    ``beats`` when the caller has them already (the phase ranker uses them too).
    """
    w = np.asarray(ACCENT_WEIGHTS if weights is None else weights, dtype=np.float64)
    feats = beat_features(notes, beats) if feats is None else feats
    if len(w) - 1 == feats.shape[1] * (1 + len(CONTEXT)):
        feats = with_context(feats)
    return feats @ w[:-1] + w[-1]


CONTEXT = (-2, -1, 1, 2)  # neighbouring beats whose features a downbeat model may also see


def with_context(feats: np.ndarray) -> np.ndarray:
    """Each beat's features followed by those of the beats CONTEXT away (zeros past either end):
    what tells beat 1 from beat 3 lies around it, not at it."""
    k = len(feats)
    parts = [feats]
    for offset in CONTEXT:
        shifted = np.zeros_like(feats)
        if offset > 0 and offset < k:
            shifted[:-offset] = feats[offset:]
        elif offset < 0 and -offset < k:
            shifted[-offset:] = feats[:offset]
        parts.append(shifted)
    return np.concatenate(parts, axis=1)


def viterbi_downbeats(logodds: np.ndarray, beats_per_bar: int, jump_penalty: float = JUMP_PENALTY) -> np.ndarray:
    """Indices of the downbeats among the beats: the best bar-position path, bars of ``beats_per_bar``
    beats, where a bar of another length (a jump of the position) costs ``jump_penalty``."""
    n = int(beats_per_bar)
    k = len(logodds)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    emit = logodds.tolist()
    score = [emit[0]] + [0.0] * (n - 1)
    back = [None] * k  # plain lists: a few hundred beats x <= 4 states is faster than numpy
    advance = [n - 1, *range(n - 1)]  # state s comes from s - 1
    states_range = range(n)
    for i in range(1, k):
        best_any, best = 0, score[0]
        for s in states_range:
            if score[s] > best:
                best_any, best = s, score[s]
        jump = best - jump_penalty
        new = [score[a] for a in advance]
        row = advance[:]
        for s in states_range:
            if jump > new[s]:
                new[s], row[s] = jump, best_any
        new[0] += emit[i]
        back[i] = row
        score = new
    states = [0] * k
    states[-1] = int(np.argmax(score))
    for i in range(k - 1, 0, -1):
        states[i - 1] = back[i][states[i]]
    return np.flatnonzero(np.array(states) == 0)


def _harmony_change(slot: np.ndarray, pitches: np.ndarray, size: int, window: int, weight: np.ndarray,
                    at: np.ndarray) -> np.ndarray:
    """1 - cosine between the pitch classes started in the ``window`` slots before and after slots ``at``."""
    flat = np.bincount((slot + 1) * 12 + pitches % 12, weights=weight, minlength=(size + 1) * 12)
    cum = np.cumsum(flat[: (size + 1) * 12].reshape(size + 1, 12), axis=0)  # cum[t] = what started in slots < t
    t = at
    before = cum[t] - cum[np.maximum(t - window, 0)]
    after = cum[np.minimum(t + window, size)] - cum[t]
    norms = np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1)
    cosine = np.where(norms > 0, (before * after).sum(axis=1) / np.where(norms > 0, norms, 1.0), 1.0)
    return 1.0 - cosine
