"""Where a played 4/4 song may hold a 2-beat bar: between two statements of its melody a lag of 2 (mod 4) beats apart.

Why: POP909's songs change bar phase (a 2-beat bar between phrases) in about 38% of songs, and the downbeat
path (``downbeats.viterbi_downbeats``) pays the same cost for an irregular bar everywhere. A tune that comes
back 2 (mod 4) beats later than a whole number of bars says there is such a bar between its two statements
(issue 9 phase 7: 0.286 of a song's melody repeats where beat_midi changes phase, 0.011 in steady songs). This
module finds those stretches and gives the path a per-beat cost for a half-bar shift of the phase: lower
there, the usual cost elsewhere. The melody is the skyline (highest note starting on each sixteenth), so no
track names are needed. Numpy only; a few ms a song.
"""

from __future__ import annotations

import numpy as np

ODD_BARS = False  # the cue in the path (benchmarks/phase12-odd12.md); False: one jump cost everywhere
ODD_PENALTY = 2.0  # cost of a half-bar phase shift where a lag-2 repeat spans the beat (JUMP_PENALTY elsewhere)
WINDOW_BEATS = 8  # length of a melody stretch compared with itself later
MATCH = 0.9  # share of the two stretches' onsets that coincide, same pitch, for a repeat
MIN_ONSETS = 4  # onsets each stretch needs (on average) to count
MIN_LAG, MAX_LAG = 8, 160  # lags tried, in beats (2 mod 4 only); below WINDOW_BEATS the statements overlap
GAP_ONLY = False  # True: only the beats between the first statement's end and the second's start
SLOTS = 4  # sixteenths per beat
STEADY_LAG = 0  # > 0: lag-0 (mod 4) repeats up to this lag forbid a jump between their statements
STEADY_PENALTY = 12.0  # cost of any irregular bar there
POOL_WEIGHT = 0.0  # weight of the other statement's log-odds at each repeated beat (0: no pooling)


def skyline(onsets: np.ndarray, pitches: np.ndarray, origin: float, size: int) -> np.ndarray:
    """Highest pitch starting on each sixteenth from ``origin`` (-1: none): the tune of a piano texture."""
    slot = np.rint((onsets - origin) * SLOTS).astype(np.int64)
    keep = (slot >= 0) & (slot < size)
    seq = np.full(size, -1, dtype=np.int64)
    order = np.argsort(pitches[keep], kind="stable")  # the highest written last wins
    seq[slot[keep][order]] = pitches[keep][order].astype(np.int64)
    return seq


def repeat_pairs(onsets: np.ndarray, pitches: np.ndarray, beats: np.ndarray, residue: int = 2,
                 max_lag: int | None = None) -> list[tuple[int, np.ndarray]]:
    """(lag, first beats) of melody stretches of WINDOW_BEATS that return ``lag`` beats later, lag = residue (mod 4)."""
    nb = len(beats)
    if nb < 2 * WINDOW_BEATS or len(onsets) == 0:
        return []
    size = nb * SLOTS
    seq = skyline(onsets, pitches, float(beats[0]), size)
    on = (seq >= 0).astype(np.float64)
    w = WINDOW_BEATS * SLOTS
    out = []
    top = MAX_LAG if max_lag is None else max_lag
    for lag in range(MIN_LAG + (residue - MIN_LAG) % 4, min(top, nb - WINDOW_BEATS) + 1, 4):
        ls = lag * SLOTS
        a, b = seq[:-ls], seq[ls:]
        cm = np.concatenate([[0.0], np.cumsum((a == b) & (a >= 0))])
        cb = np.concatenate([[0.0], np.cumsum(on[:-ls] + on[ls:])])
        starts = np.arange(0, len(a) - w + 1, SLOTS)
        both = cb[starts + w] - cb[starts]
        hit = (both >= 2 * MIN_ONSETS) & (2 * (cm[starts + w] - cm[starts]) >= MATCH * np.maximum(both, 1))
        if hit.any():
            out.append((lag, starts[hit] // SLOTS))
    return out


def repeat_spans(onsets: np.ndarray, pitches: np.ndarray, beats: np.ndarray,
                 pairs: list[tuple[int, np.ndarray]] | None = None) -> np.ndarray:
    """Per beat: True where a melody stretch and its return 2 (mod 4) beats off a whole bar span the beat."""
    nb = len(beats)
    cover = np.zeros(nb + 1)
    for lag, first in repeat_pairs(onsets, pitches, beats) if pairs is None else pairs:
        lo = first + (WINDOW_BEATS if GAP_ONLY else 1)
        np.add.at(cover, np.minimum(lo, nb), 1)
        np.add.at(cover, np.minimum(first + lag + 1, nb), -1)
    return np.cumsum(cover)[:nb] > 0


def pooled(logodds: np.ndarray, pairs: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """Each beat of a repeated stretch shares its log-odds with the same beat of the other statement
    (weight POOL_WEIGHT): the two statements then ask for the same bar position, which the whole-song
    phase score alone would deny the one on the song's other phase."""
    nb = len(logodds)
    acc = np.zeros(nb)
    cnt = np.zeros(nb)
    for lag, first in pairs:
        i = (first[:, None] + np.arange(WINDOW_BEATS)[None, :]).ravel()
        i = np.unique(i[i + lag < nb])
        np.add.at(acc, i, logodds[i + lag])
        np.add.at(cnt, i, 1)
        np.add.at(acc, i + lag, logodds[i])
        np.add.at(cnt, i + lag, 1)
    has = cnt > 0
    out = logodds.copy()
    out[has] = (logodds[has] + POOL_WEIGHT * acc[has] / cnt[has]) / (1 + POOL_WEIGHT)
    return out


def odd_bar_path_inputs(notes: tuple[np.ndarray, ...], beats: np.ndarray,
                        logodds: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(log-odds, per-beat cost of a half-bar phase shift) for the downbeat path: the log-odds pooled over
    lag-2 repeats and ODD_PENALTY inside their spans; unchanged and None when the option is off or the
    melody has no such repeat (the path then runs as before)."""
    if not ODD_BARS:
        return logodds, None
    beats = np.asarray(beats, dtype=np.float64)
    pairs = repeat_pairs(notes[0], notes[2], beats)
    spans = repeat_spans(notes[0], notes[2], beats, pairs)
    if POOL_WEIGHT > 0 and pairs:
        logodds = pooled(logodds, pairs)
    shift = np.where(spans, ODD_PENALTY, np.inf)
    if STEADY_LAG:  # a tune back a whole number of bars soon after: no phase change between its statements
        steady = repeat_spans(notes[0], notes[2], beats, repeat_pairs(notes[0], notes[2], beats, 0, STEADY_LAG))
        shift[steady & ~spans] = -np.inf  # marks "no jump here" for the path (STEADY_PENALTY)
    if (shift == np.inf).all():
        return logodds, None
    return logodds, shift
