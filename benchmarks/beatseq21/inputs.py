"""Per-beat inputs for a temporal downbeat model (issue 9, session 21): numpy only, on the estimate's beat grid.

Why these: the logistic model sees 16 summaries of one beat; a sequence model can learn the *rhythm* of a
bar if it sees each beat's sub-beat onset pattern (4 sixteenth slots) in three register bands (bass, middle,
top: a left-hand pattern and the melody's pickups differ), how loud and how long the notes started there
are, and how the harmony changes at the beat over 1, 2 and 4 beats (chord changes on bar lines), beside
the 16 hand-made features. Pitch classes enter only as changes (transposition does not move them).
"""

from __future__ import annotations

import numpy as np

from motifcli.downbeats import _clean, beat_features
from motifcli.quantiles import median, percentiles

SLOTS = 4  # sub-beat slots per beat (sixteenths: absorbs a player's timing)
BANDS = 3  # register bands: below the song's 25th pitch percentile, middle, above the 75th
CHANGE_SPANS = (1, 2, 4)  # beats before vs after each beat whose pitch classes are compared


def _chroma_change(slot: np.ndarray, pc: np.ndarray, weight: np.ndarray, size: int, rows: np.ndarray,
                   span: int) -> np.ndarray:
    """1 - cosine of the pitch classes started in the ``span`` slots before and after each row slot."""
    flat = np.bincount((slot + 1) * 12 + pc, weights=weight, minlength=(size + 1) * 12)
    cum = np.cumsum(flat[: (size + 1) * 12].reshape(size + 1, 12), axis=0)
    t = np.clip(rows, 0, size)
    before = cum[t] - cum[np.maximum(t - span, 0)]
    after = cum[np.minimum(t + span, size)] - cum[t]
    norms = np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1)
    return np.where(norms > 0, 1.0 - (before * after).sum(axis=1) / np.where(norms > 0, norms, 1.0), 0.0)


def beat_inputs(notes, beats: np.ndarray) -> np.ndarray:
    """Shape (len(beats), n_inputs): per beat, onsets per (slot, band) (log counts), the loudest velocity and
    the longest note per slot, chroma and bass changes over CHANGE_SPANS, then ``beat_features``'s 16."""
    beats = np.asarray(beats, dtype=np.float64)
    onsets, offsets, pitches, velocities = _clean(notes)
    k = len(beats)
    n_in = SLOTS * BANDS + 2 * SLOTS + 2 * len(CHANGE_SPANS) + 16
    if len(onsets) == 0 or k == 0:
        return np.zeros((k, n_in))
    origin = float(beats[0])
    pos = np.rint((onsets - origin) * SLOTS).astype(np.int64)  # sub-beat slot from the first beat
    keep = (pos >= -SLOTS // 2) & (pos < k * SLOTS)
    pos = np.clip(pos, 0, k * SLOTS - 1)
    p25, p75 = percentiles(pitches, [25, 75])
    band = np.where(pitches < p25, 0, np.where(pitches > p75, 2, 1))
    beat_of, sub = pos // SLOTS, pos % SLOTS
    counts = np.zeros((k, SLOTS, BANDS))
    np.add.at(counts, (beat_of[keep], sub[keep], band[keep]), 1.0)
    vel_rel = np.clip(velocities / (median(velocities) or 1.0) - 1.0, -0.5, 1.0) + 0.5  # 0 .. 1.5, 0 = none
    loud = np.zeros((k, SLOTS))
    np.maximum.at(loud, (beat_of[keep], sub[keep]), vel_rel[keep])
    dur = np.log1p(np.clip(offsets - onsets, 0.0, 4.0) * 4.0)
    longest = np.zeros((k, SLOTS))
    np.maximum.at(longest, (beat_of[keep], sub[keep]), dur[keep])
    rows = np.arange(k) * SLOTS
    size = k * SLOTS
    pcs = pitches.astype(np.int64) % 12
    weight = np.minimum(offsets - onsets, 4.0)
    chroma = [_chroma_change(pos, pcs, weight, size, rows, s * SLOTS) for s in CHANGE_SPANS]
    bass = pitches < p25
    bass_change = [_chroma_change(pos[bass], pcs[bass], weight[bass], size, rows, s * SLOTS) for s in CHANGE_SPANS]
    return np.concatenate([
        np.log1p(counts).reshape(k, -1), loud, longest,
        np.stack(chroma, axis=1), np.stack(bass_change, axis=1),
        beat_features((onsets, offsets, pitches, velocities), beats),
    ], axis=1)
