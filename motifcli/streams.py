"""A staff that is a steady number of lines, separated into them by pitch proximity (MIDI has no
written voices).

A MIDI keyboard reduction of a chorale (soprano + alto in one track) or of polyphony's voices
sounds two notes at nearly every onset, and while one voice holds a note the other moves. The pitch
split of :mod:`motifcli.voices` puts each moving note into the skyline (it is the highest note
*starting* there), so the lower voice's statements are cut into pieces of both voices. Here such a
staff is separated into its lines in the spirit of contig mapping (Chew & Wu 2004): where all lines
sound together their order is mostly their pitch order; a note starting while other lines hold goes
to the line nearest in pitch, crossing a held one only where the notes around make it cheaper.

Which staves: :func:`line_count` gives *k* (2 to ``MAX_LINES``) when *k* notes sound just after at
least ``STEADY`` of the staff's onsets and more than *k* notes start together at no more than
``OVER`` of them, and its notes starting together are not mostly one pitch class (more than
``DOUBLED``: a line doubled in octaves); a piano's chords (3-5 notes, their number changing), a
melody (one note) and a doubled melody give 0 and keep the pitch split. Where no number sounds
steadily at the onsets, a *notated* staff (onsets on a fine grid: not a performance, whose rolled
chords look like entries) is two lines when two notes sound within ``WINDOW`` beats of at least
``STEADY`` of its onsets (the same tests otherwise; a note counts there where it lasts half-way to the
next onset, so a legato melody, each note held a little into the next, stays one line): lines that enter one after another or rest (a
bass and a tenor entering after it, imitation); a held arpeggio (3-4 sounding) is not taken. Where a
voice rests for bars (Palestrina), no window shows two at ``STEADY`` of the onsets; a notated staff
is then two lines by *time* (:func:`resting_lines`): two notes sound for at least ``TOGETHER`` of the
time anything sounds, three or more for at most ``THREE`` of it, and more than two start together at
no more than ``OVER`` of its onsets (a piano's held broken chords and chords sound 3+ too long); the
separation gives a one-line stretch to the line it continues (``GAP``: a line resuming after a rest costs).
Numpy for the test; the assignment (:func:`separate`) is a beam search over the onset groups of a staff that is lines: the
lines may cross (a tenor below the bass) at a cost, and a choice is judged by the notes after it
too, as contig mapping connects fragments by their neighbours on both sides. music21's
``Stream.makeVoices`` splits overlapping notes for notation, not by pitch proximity.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

MAX_LINES = 4  # more simultaneous lines than this are a chordal texture, not lines
STEADY = 0.8  # a staff is k lines when k notes sound just after at least this share of its onsets
OVER = 0.05  # ... and more than k notes start together at no more than this share
DOUBLED = 0.5  # ... unless more than this share of its notes starting together are one pitch class
WINDOW = 2.0  # beats either side over which two lines sounding are counted where the onsets show no steady number (0: off)
TOGETHER = 0.5  # a notated staff whose voices rest is two lines when two notes sound for at least this share of its sounding time
THREE = 0.05  # ... and three or more for at most this share (phase16-midilines16.md)
DOUBLED_MIN = 8  # ... and the doubling test there needs this many groups of notes starting together (a final octave is no doubled line)
HELD = 12.0  # cost (semitones) of cutting a line's held note to give it a new one
BEAM = 8  # histories kept after each onset group (the look-ahead: a choice is judged by the notes after it)
GAP = 4.0  # cost of giving a note to a line that rests (its last note ended before the onset): a resting voice's stale pitch is a weak cue
CROSSED = 4.0  # cost, per onset group, of each pair of sounding lines out of pitch order (phase15-midilines15.md)
GRID = 48  # a notated (quantised) file's onsets lie on 1/GRID beat (a 64th-note triplet grid and coarser)
_SALT = np.sqrt(np.array([2.0, 3, 5, 7, 11, 13, 17, 19])) * 1000.0  # weights that make a state one number


def onset_groups(onsets: np.ndarray, tolerance: float) -> np.ndarray:
    """Group id of each onset (sorted input): a new group starts after a gap above ``tolerance``."""
    if len(onsets) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([[0], np.cumsum(np.diff(onsets) > tolerance)]).astype(np.int64)


def highest_first(onsets: np.ndarray, pitches: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """The notes in onset groups (:func:`onset_groups`), each group highest first, and where each group
    starts in that order: the groups the pitch split (:func:`motifcli.voices.split_track`) and the
    separation here both read."""
    by_onset = np.argsort(onsets, kind="stable")
    group = np.empty(len(onsets), dtype=np.int64)
    group[by_onset] = onset_groups(onsets[by_onset], tolerance)
    order = np.lexsort((-pitches, group))
    return order, np.flatnonzero(np.concatenate([[True], np.diff(group[order]) > 0]))


def line_count(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, tolerance: float) -> int:
    """How many lines the staff is (see the module doc), or 0 where it is no steady number of lines.
    Where no number sounds steadily at the onsets, a notated staff is two lines when two sound
    steadily within ``WINDOW`` beats (:func:`window_max`: lines entering one after another, resting),
    or for enough of its time (:func:`resting_lines`: voices resting for bars)."""
    if len(onsets) < 8:
        return 0
    order = np.argsort(onsets, kind="stable")
    starts, ends, chroma = onsets[order], np.sort(offsets), pitches[order] % 12
    group = np.concatenate([[True], np.diff(starts) > tolerance])
    times = starts[group] + tolerance  # just after each onset group
    sounding = np.searchsorted(starts, times, "right") - np.searchsorted(ends, times, "right")
    first = np.flatnonzero(group)
    sizes = np.diff(np.append(first, len(starts)))
    k = _steady(sounding, sizes, chroma, first, 1)
    if k == 0 and WINDOW > 0 and notated(starts):
        held = sounding_through(starts[group], starts, ends, tolerance)
        if _steady(window_max(times, held, WINDOW), sizes, chroma, first, DOUBLED_MIN) == 2:
            return 2
        return 2 if resting_lines(starts, ends, sizes) and not _doubled(sizes, chroma, first, DOUBLED_MIN) else 0
    return k


def resting_lines(starts: np.ndarray, ends: np.ndarray, sizes: np.ndarray) -> bool:
    """Two lines that rest for bars (sorted ``starts`` and ``ends``, onset group ``sizes``): two notes
    sound for at least ``TOGETHER`` of the time anything sounds, 3+ for at most ``THREE`` of it, and
    3+ start together at no more than ``OVER`` of the onsets. Judged by time, not by onsets, because
    a voice singing alone for bars has onsets in every window."""
    if TOGETHER <= 0 or np.mean(sizes > 2) > OVER:
        return False
    times = np.concatenate([starts, ends])
    step = np.concatenate([np.ones(len(starts)), -np.ones(len(ends))])
    by_time = np.lexsort((step, times))  # a note ending where another starts is not sounding with it
    count, span = np.cumsum(step[by_time])[:-1], np.diff(times[by_time])
    sounding = span[count > 0].sum()
    if sounding <= 0:
        return False
    return bool(span[count == 2].sum() >= TOGETHER * sounding and span[count >= 3].sum() <= THREE * sounding)


def sounding_through(group_times: np.ndarray, starts: np.ndarray, ends: np.ndarray, tolerance: float) -> np.ndarray:
    """Notes sounding at each onset group that last at least half-way to the next group (sorted
    ``starts`` and ``ends``): a second line holds its note while the other moves; a legato melody's
    note, held a little into the next one (POP909 566's MELODY: 0.03-0.4 beat), is one line."""
    gap = np.diff(group_times, append=np.inf)
    probe = group_times + np.where(np.isfinite(gap), np.maximum(tolerance, 0.5 * gap), tolerance)
    return np.searchsorted(starts, group_times + tolerance, "right") - np.searchsorted(ends, probe, "right")


def _steady(sounding: np.ndarray, sizes: np.ndarray, chroma: np.ndarray, first: np.ndarray, evidence: int) -> int:
    """The number of lines ``sounding`` (per onset group) gives, or 0 (see the module doc); the
    doubling test is made on at least ``evidence`` groups of notes starting together."""
    values, counts = np.unique(sounding[sounding > 0], return_counts=True)
    if len(values) == 0:
        return 0
    k = int(values[np.argmax(counts)])
    if not 2 <= k <= MAX_LINES or np.mean(sounding == k) < STEADY:
        return 0
    if np.mean(sizes > k) > OVER:
        return 0
    return 0 if _doubled(sizes, chroma, first, evidence) else k


def _doubled(sizes: np.ndarray, chroma: np.ndarray, first: np.ndarray, evidence: int) -> bool:
    """One line doubled in octaves or unisons (a pop BRIDGE track, a melody written twice) is one
    line: the pitch split gives it already, as skyline + its copy below (doubling.py drops the copy).
    More than ``DOUBLED`` of at least ``evidence`` groups of notes starting together are one pitch class."""
    one_class = np.minimum.reduceat(chroma, first) == np.maximum.reduceat(chroma, first)
    together = sizes >= 2
    return bool(together.sum() >= evidence and np.mean(one_class[together]) > DOUBLED)


def notated(onsets: np.ndarray) -> bool:
    """Nearly every onset on the ``GRID`` (a file written from notation, not a performance, whose
    rolled chords and uneven onsets would look like lines entering one after another)."""
    step = onsets * GRID
    return bool(np.mean(np.abs(step - np.round(step)) < 1e-3 * GRID) >= 0.95)


def restruck(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, tolerance: float) -> float:
    """Share of the notes that start more than ``tolerance`` before a note of the same pitch ends: a
    key struck while it still sounds. One player's keyboard has one key per pitch, so a recording from
    a digital piano has none (a key is released before it is struck again); a melody merged with its
    band has many (the tune doubled by the piano or the bridge: POP909's MELODY+BRIDGE+PIANO, 0.4-30%
    of the notes; phase21-perfpiano21.md). Notation has some too (two hands on one key, a held note
    under a repeated one), so this tells a performance's players apart, not notation's."""
    if len(onsets) == 0:
        return 0.0
    order = np.lexsort((onsets, pitches))
    p, a, b = pitches[order], onsets[order], offsets[order]
    rank = np.cumsum(np.r_[False, p[1:] != p[:-1]])  # each pitch's place: a running max never crosses pitches
    width = float(b.max() - b.min()) + 1.0
    latest = np.maximum.accumulate(rank * width + (b - b.min())) - rank * width + b.min()
    held = np.where(np.r_[False, p[1:] == p[:-1]], np.r_[-np.inf, latest[:-1]], -np.inf)  # earlier notes' latest end
    return float(np.mean(a < held - tolerance))


def window_max(times: np.ndarray, values: np.ndarray, width: float) -> np.ndarray:
    """The largest of ``values`` (small non-negative integers, at sorted ``times``) within ``width``
    of each time: one prefix count per value, so linear."""
    lo = np.searchsorted(times, times - width, "left")
    hi = np.searchsorted(times, times + width, "right")
    out = np.zeros(len(values), dtype=np.int64)
    for v in range(1, int(values.max(initial=0)) + 1):
        count = np.concatenate([[0], np.cumsum(values >= v)])
        out[count[hi] - count[lo] > 0] = v
    return out


def separate(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, k: int,
             tolerance: float) -> list[np.ndarray]:
    """The note indices of each of ``k`` lines, highest first, each in onset order. Onset groups in
    time order; every injective way of giving a group's notes to the lines is tried (crossings too),
    costing |pitch - the line's last pitch|, ``HELD`` for cutting a line's held note, ``GAP`` for
    giving it to a line that rests (a voice singing alone through the other's rest goes on in its own
    line, not in the one whose last, stale pitch is nearer) and ``CROSSED`` for each pair of sounding
    lines out of pitch order; the ``BEAM`` cheapest histories are kept, so
    a crossing, a unison's exit or a line resting is also judged by the notes that follow. A group
    of more than ``k`` notes gives its highest ``k`` - 1 and its lowest (inner notes of a chord are
    dropped, as the pitch split drops them). Numpy over the histories x ways of each group; one step
    per onset group, so linear in the notes."""
    order, cut = highest_first(onsets, pitches, tolerance)
    bounds = np.append(cut, len(order))
    sizes = np.diff(bounds)
    full = [order[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b - a == k]
    register = [float(np.mean(pitches[[g[r] for g in full]])) if full else float(np.mean(pitches)) for r in range(k)]
    ways = {m: np.array(list(permutations(range(k), m)), dtype=np.int64) for m in range(1, k + 1)}
    upper = np.triu(np.ones((k, k), dtype=bool), 1)  # pairs r < u (r the higher line)
    last = np.array([register], dtype=np.float64)  # per hypothesis: last pitch of each line
    busy = np.full((1, k), -np.inf)  # ... and its offset
    cost = np.zeros(1)
    steps: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per group: parent, way, notes
    for a, size in zip(bounds[:-1].tolist(), sizes.tolist()):
        notes = order[a:a + size]
        if size > k:
            notes = np.append(notes[: k - 1], notes[-1])
        m = len(notes)
        now = float(onsets[notes[0]]) + tolerance
        w = ways[m]  # (W, m) line of each note
        h, n = len(cost), len(w)
        p, o = pitches[notes].astype(np.float64), offsets[notes].astype(np.float64)
        rows = np.arange(h)[:, None, None]
        was = busy[rows, w[None, :, :]]
        step = np.abs(p[None, None, :] - last[rows, w[None, :, :]]) + HELD * (was > now) + GAP * (was < now - 2 * tolerance)
        new_last = np.repeat(last[:, None, :], n, axis=1)
        new_busy = np.repeat(busy[:, None, :], n, axis=1)
        hh, ww = np.meshgrid(np.arange(h), np.arange(n), indexing="ij")
        new_last[hh[..., None], ww[..., None], w[None, :, :]] = p
        new_busy[hh[..., None], ww[..., None], w[None, :, :]] = o
        on = new_busy > now
        crossed = on[..., :, None] & on[..., None, :] & (new_last[..., :, None] < new_last[..., None, :])
        total = (cost[:, None] + step.sum(axis=2) + CROSSED * crossed[..., upper].sum(axis=2)).ravel()
        flat_last, flat_busy = new_last.reshape(h * n, k), new_busy.reshape(h * n, k)
        by_cost = np.argsort(total, kind="stable")
        # one hypothesis per state (the lines' last pitches and offsets): a number that names it
        state = flat_last @ _SALT[:k] + np.maximum(flat_busy, -1.0) @ _SALT[k:2 * k]
        _, first = np.unique(state[by_cost], return_index=True)
        keep = by_cost[np.sort(first)][:BEAM]
        steps.append((keep // n, w[keep % n], notes))
        cost, last, busy = total[keep], flat_last[keep], flat_busy[keep]
    lines: list[list[int]] = [[] for _ in range(k)]
    best = 0
    for parent, chosen, notes in reversed(steps):
        for i, r in zip(notes.tolist(), chosen[best].tolist()):
            lines[r].append(i)
        best = int(parent[best])
    return [np.array(sorted(line, key=lambda i: onsets[i]), dtype=np.int64) for line in lines]
