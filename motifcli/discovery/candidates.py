"""Note-anchored candidate windows over all voices, with transposition-invariant keys.

All voices are laid end to end in one array (``Lines``); a window is (start position, length in
notes) and is valid when it stays in one voice and spans at most ``max_beats``. Keys are built
incrementally (the key of n+1 notes from the key of n), so every length costs one O(N) pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motifcli.voices import Voice

# interval size (semitones) -> diatonic-ish class: steps 1-2, thirds 3-4, fourths 5-6, fifth 7, ...
_CLASS = np.array([0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7], dtype=np.int64)
_DIATONIC = np.array([0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6], dtype=np.int64)
_M1 = np.int64(1_000_003)
_M2 = np.int64(999_983)
# window_keys(scaled_from=...): rhythms matched up to a factor 2 ** SCALE_SHIFTS; in a score's 1/12-beat grid a
# sixteenth is 3 (2 ** 0), a quarter 12 (2 ** 2), a whole note 48 (2 ** 4): a motif in quarters and halves meets its
# augmentation in halves and wholes, while windows span at most max_beats anyway
SCALE_SHIFTS = 4


@dataclass(frozen=True, slots=True)
class Lines:
    """Every voice's notes end to end; ``voice_id[k]`` says whose note position ``k`` is."""

    voices: tuple[Voice, ...]
    voice_id: np.ndarray
    onsets: np.ndarray
    offsets: np.ndarray
    pitches: np.ndarray
    interval: np.ndarray  # semitones to the next note of the same voice (0 at a voice's end)
    ioi: np.ndarray  # beats to the next onset of the same voice (0 at a voice's end)
    same_next: np.ndarray  # True where the next position is in the same voice
    grid: float  # rhythm quantum used in keys (1/12 beat for quantised scores, 1/4 for performed)

    def __len__(self) -> int:
        return len(self.onsets)


def build_lines(voices: list[Voice]) -> Lines:
    """Concatenate voices and precompute intervals, inter-onset intervals and the rhythm grid."""
    voices = [v for v in voices if len(v)]
    if not voices:
        z = np.zeros(0)
        zi = np.zeros(0, dtype=np.int64)
        return Lines((), zi, z, z, zi, zi, z, np.zeros(0, dtype=bool), 1 / 12)
    vid = np.concatenate([np.full(len(v), i, dtype=np.int64) for i, v in enumerate(voices)])
    on = np.concatenate([v.onsets for v in voices])
    off = np.concatenate([v.offsets for v in voices])
    pi = np.concatenate([v.pitches for v in voices])
    same = np.zeros(len(on), dtype=bool)
    same[:-1] = vid[1:] == vid[:-1]
    interval = np.zeros(len(on), dtype=np.int64)
    ioi = np.zeros(len(on))
    interval[:-1] = np.where(same[:-1], pi[1:] - pi[:-1], 0)
    ioi[:-1] = np.where(same[:-1], on[1:] - on[:-1], 0.0)
    return Lines(tuple(voices), vid, on, off, pi, interval, ioi, same, rhythm_grid(on))


def rhythm_grid(onsets: np.ndarray) -> float:
    """1/12 beat when onsets sit on that grid (scores), else 1/4 beat (performances such as POP909)."""
    if len(onsets) == 0:
        return 1 / 12
    frac = np.abs(onsets * 12 - np.round(onsets * 12))
    return 1 / 12 if np.mean(frac < 0.02) > 0.9 else 0.25


def interval_class(semitones: np.ndarray) -> np.ndarray:
    """Signed coarse class of a melodic interval, the same for most diatonic transpositions."""
    a = np.abs(semitones)
    cls = np.where(a <= 12, _CLASS[np.minimum(a, 12)], 8 + np.minimum(a - 12, 12) // 3)
    return np.sign(semitones) * cls


_CLASS_OF = tuple(int(c) for c in _CLASS)  # _CLASS as plain ints, for interval_class_of


def interval_class_of(semitones: int) -> int:
    """:func:`interval_class` of one interval, in plain integers (the same table and rule): growing
    asks for one at a time, where building a one-element array cost more than the rest of the step."""
    a = abs(int(semitones))
    cls = _CLASS_OF[a] if a <= 12 else 8 + min(a - 12, 12) // 3
    return cls if semitones > 0 else -cls if semitones < 0 else 0


def diatonic_steps(semitones: int) -> int:
    """Nearest diatonic interval (in steps) of a chromatic transposition; approximate for tritones."""
    octaves, rest = divmod(abs(int(semitones)), 12)
    steps = 7 * octaves + int(_DIATONIC[rest])
    return steps if semitones >= 0 else -steps


def window_keys(
    lines: Lines, max_notes: int, max_beats: float, chromatic: bool = False, absolute: bool = False,
    inverted_from: int = 0, scaled_from: int = 0, reversed_from: int = 0,
) -> dict[int, np.ndarray]:
    """For each length n (2..max_notes), an int64 key per start position, -1 where invalid.

    The key hashes the interval classes (or exact semitones with ``chromatic``) and the quantised
    inter-onset intervals of the window, so transposed repeats share a key. ``absolute`` (with
    ``chromatic``: the no-invariance ablation) also hashes the first note's pitch: only exact-pitch
    repeats share a key. ``inverted_from`` (> 0, not with ``absolute``): windows of at least that
    many notes are keyed with their first non-zero interval made rising, so a window and its strict
    inversion (every interval negated, the same rhythm) share a key (:mod:`motifcli.discovery.inversion`);
    only a window with a contour of its own: one that turns (not one way throughout: a scale, an
    arpeggio), not at every note (a trill, an Alberti figure) and leaps (a third or more: a stepwise
    line's inversion is another stepwise line). Those are everywhere upside down too.
    ``scaled_from`` (> 0): windows of at least that many notes are keyed with their quantised
    inter-onset intervals divided by the largest power of two (up to 2 ** SCALE_SHIFTS) dividing all
    of them, so a window and its augmentation or diminution by 2 (or 4, ...) share a key
    (:mod:`motifcli.discovery.timescale`); only a window in two note values or more (even running notes
    and repeated notes are everywhere at every speed) that turns and leaps, as for inversions.
    ``reversed_from`` (> 0, not with ``absolute``): where the piece states a window of at least that
    many notes and its written retrograde (the notes in reverse order: intervals reversed and negated,
    note values reversed; with ``inverted_from`` also its retrograde inversion: :func:`retrograde_pairs`),
    the two windows' key groups become one (:func:`merge_groups`); only a window that turns, not at
    every note, leaps and holds two note values or more (the inversion and augmentation guards: a
    zigzag or a one-value run is its own retrograde shifted by a note, benchmarks/phase18-aug18.md).
    """
    N = len(lines)
    if N == 0:
        return {}
    iv = lines.interval if chromatic else interval_class(lines.interval)
    rq = np.round(lines.ioi / lines.grid).astype(np.int64)
    step = (iv + 64) * 4099 + np.minimum(rq, 4000)  # one code per (interval, ioi)
    mirror = inverted_from > 0 and not absolute
    down = (-iv + 64) * 4099 + np.minimum(rq, 4000) if mirror else step  # the same window, intervals negated
    keys: dict[int, np.ndarray] = {}
    key = lines.pitches.astype(np.int64) + 1 if absolute else np.zeros(N, dtype=np.int64)
    key_down = key.copy()
    shifts = range(1, SCALE_SHIFTS + 1) if scaled_from > 0 else range(0)
    slow = {s: ((iv + 64) * 4099 + np.minimum(rq >> s, 4000), (-iv + 64) * 4099 + np.minimum(rq >> s, 4000)) for s in shifts}
    slow_keys = {s: [key.copy(), key.copy()] for s in shifts}  # per shift: the key up and mirrored
    twos = np.minimum(_twos(rq), SCALE_SHIFTS) if shifts else rq  # each IOI's power of two (only read with shifts)
    fewest = np.full(N, SCALE_SHIFTS, dtype=np.int64)  # the least power of two among the window's IOIs
    uneven = np.zeros(N, dtype=bool)  # the window has two note values (inter-onset intervals) or more
    lead = np.zeros(N, dtype=np.int64)  # sign of each window's first non-zero interval (0: none yet)
    last = np.zeros(N, dtype=np.int64)  # sign of its last interval
    one_way = np.ones(N, dtype=bool)  # every non-zero interval so far has the lead's sign
    zigzag = np.ones(N, dtype=bool)  # every interval so far turns back from the one before
    leaps = np.zeros(N, dtype=bool)  # some interval so far is a third or more
    valid = np.ones(N, dtype=bool)
    retro = reversed_from > 0 and not absolute
    for n in range(2, max_notes + 1):
        if mirror:
            key_down, _ = append_step(lines, key_down, valid, down, n - 2, n)
        if mirror or shifts or retro:  # the window's contour, for the guards
            at = np.minimum(np.arange(N) + n - 2, N - 1)
            sign = np.sign(iv[at])
            leaps |= np.abs(lines.interval[at]) >= 3
            lead = np.where(lead == 0, sign, lead)
            one_way &= (sign == 0) | (sign == lead)
            zigzag &= (sign != 0) & ((n == 2) | (sign == -last))
            last = sign
        if shifts:
            fewest = np.minimum(fewest, twos[at])
            uneven |= rq[at] != rq
            for s in shifts:
                up, down_s = slow[s]
                slow_keys[s][0], _ = append_step(lines, slow_keys[s][0], valid, up, n - 2, n)
                if mirror:
                    slow_keys[s][1], _ = append_step(lines, slow_keys[s][1], valid, down_s, n - 2, n)
        key, valid = append_step(lines, key, valid, step, n - 2, n)  # the step from note k+n-2 to k+n-1
        end = np.minimum(np.arange(N) + n - 1, N - 1)
        valid &= (lines.onsets[end] - lines.onsets) <= max_beats + 1e-9
        flip = mirror and n >= inverted_from
        turned = (lead < 0) & ~one_way & ~zigzag & leaps if flip else np.zeros(N, dtype=bool)
        chosen = np.where(turned, key_down, key) if flip else key
        if shifts and n >= scaled_from:  # the rhythm at its slowest power-of-two scale
            shift = np.where(uneven & (lead != 0) & ~one_way & leaps, fewest, 0)
            for s in shifts:
                scaled = np.where(turned, slow_keys[s][1], slow_keys[s][0])
                chosen = np.where(shift == s, scaled, chosen)
        if retro and n >= reversed_from:  # a window's group and its retrograde's: one group (retrograde_pairs)
            contour = valid & (lead != 0) & ~one_way & ~zigzag & leaps
            pairs = retrograde_pairs(lines, iv, n, contour, mirror and n >= inverted_from, bool(shifts) and n >= scaled_from)
            chosen = merge_groups(chosen, pairs)
        keys[n] = np.where(valid, chosen, -1)
    return keys


def note_values(lines: Lines) -> tuple[np.ndarray, np.ndarray]:
    """Each note's written value in grid units, as a retrograde reverses it: inside a window its
    inter-onset interval; as a window's last note (second array) its sounding length when that is
    shorter (a rest follows) or the voice ends: a retrograde states that note first, without the rest."""
    rq = np.round(lines.ioi / lines.grid).astype(np.int64)
    sounding = np.maximum(np.round((lines.offsets - lines.onsets) / lines.grid).astype(np.int64), 1)
    return np.where(lines.same_next, rq, sounding), np.where(lines.same_next, np.minimum(rq, sounding), sounding)


def retrograde_pairs(
    lines: Lines, iv: np.ndarray, n: int, eligible: np.ndarray, mirror: bool = False, scaled: bool = False,
) -> np.ndarray:
    """The (window, partner) starts, shape (m, 2), where the partner n-note window is the window's written
    retrograde (``mirror``: or its retrograde inversion): both ``eligible`` (the caller's contour guard), in two
    note values or more, not overlapping (or in another voice: a palindrome is its own retrograde, a run meets
    itself shifted by a note). Strict: every note's value is compared (the last note's included, which a
    retrograde states first and the ordinary keys leave out) and the intervals between them, read backwards
    and negated (with ``mirror`` also not negated); ``scaled``: the values divided by the largest power of two
    (up to 2 ** SCALE_SHIFTS) dividing them all, as the augmentation keys do."""
    N = len(lines)
    inner, end = note_values(lines)
    pos = np.minimum(np.arange(N)[:, None] + np.arange(n)[None, :], N - 1)  # the window's notes
    vals = inner[pos]
    vals[:, -1] = end[pos[:, -1]]
    steps = iv[pos[:, :-1]]
    ok = eligible & np.any(vals != vals[:, :1], axis=1)  # two note values or more
    if scaled:
        low = np.min(np.minimum(_twos(vals.ravel()).reshape(vals.shape), SCALE_SHIFTS), axis=1)
        vals = vals >> low[:, None]
    vals = np.minimum(vals, 4000)
    orders = [(steps, vals), (-steps[:, ::-1], vals[:, ::-1])]  # the window, its retrograde
    if mirror:  # its retrograde inversion
        orders.append((steps[:, ::-1], vals[:, ::-1]))
    hashed = []
    for st, va in orders:
        key = np.full(N, np.int64(7), dtype=np.int64)
        for j in range(n - 1):
            key = key * _M1 + ((st[:, j] + 64) * 4099 + va[:, j]) * _M2 + np.int64(n)
        hashed.append(key * _M1 + (va[:, -1] + 1) * _M2 + np.int64(-n))
    at = np.flatnonzero(ok)
    own = hashed[0][at]
    pairs: list[tuple[int, int]] = []
    for h in hashed[1:]:
        for w in at[np.isin(h[at], own) & (h[at] != own)].tolist():
            partners = at[own == h[w]]
            apart = (np.abs(partners - w) >= n) | (lines.voice_id[partners] != lines.voice_id[w])
            pairs.extend((w, int(q)) for q in partners[apart].tolist())
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def merge_groups(keys: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """``keys`` with the two key groups of every pair one group (union-find; each merged group takes its
    smallest key). A window's ordinary repeats and its retrograde's stay grouped as they were, so turning
    retrogrades on changes no statement of a piece that states none (BPS 21-1, phase18-retro18.md: keying the
    whole group by a hash with the last note's value split 148 ordinary statements)."""
    if len(pairs) == 0:
        return keys
    parent: dict[int, int] = {}

    def root(k: int) -> int:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    for w, q in pairs.tolist():
        a, b = root(int(keys[w])), root(int(keys[q]))
        if a != b:
            parent[max(a, b)] = min(a, b)
    out = keys.copy()
    for k in parent:
        out[keys == k] = root(k)
    return out


def _twos(rq: np.ndarray) -> np.ndarray:
    """Per quantised inter-onset interval, the power of two it holds (a large number for 0)."""
    r = np.where(rq > 0, rq, 1 << 30).astype(np.int64)
    return np.log2(r & -r).astype(np.int64)


def append_step(
    lines: Lines, key: np.ndarray, valid: np.ndarray, code: np.ndarray, j: int, salt: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Window keys one step longer: hash in each start's ``j``-th step code (note k+j to k+j+1);
    a window stays valid only while that step stays in one voice. Shared by the motif windows
    (:func:`window_keys`) and the rhythmic cells (:mod:`motifcli.discovery.cells`)."""
    N = len(lines)
    pos = np.arange(N) + j
    inside = pos < N
    ok = np.zeros(N, dtype=bool)
    ok[inside] = lines.same_next[pos[inside]]
    step = np.zeros(N, dtype=np.int64)
    step[inside] = code[pos[inside]]
    return key * _M1 + step * _M2 + np.int64(salt), valid & ok  # wraps modulo 2**64: a hash

