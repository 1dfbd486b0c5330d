"""A staff that is a steady number of lines, separated into them by pitch proximity (MIDI has no
written voices).

A MIDI keyboard reduction of a chorale (soprano + alto in one track) or of polyphony's voices
sounds two notes at nearly every onset, and while one voice holds a note the other moves. The pitch
split of :mod:`motifcli.voices` puts each moving note into the skyline (it is the highest note
*starting* there), so the lower voice's statements are cut into pieces of both voices. Here such a
staff is separated into its lines in the spirit of contig mapping (Chew & Wu 2004): where all lines
sound together their order is their pitch order; a note starting while other lines hold goes to the
free line nearest in pitch that does not cross a held one.

Which staves: :func:`line_count` gives *k* (2 to ``MAX_LINES``) when *k* notes sound just after at
least ``STEADY`` of the staff's onsets and more than *k* notes start together at no more than
``OVER`` of them, and its notes starting together are not mostly one pitch class (more than
``DOUBLED``: a line doubled in octaves); a piano's chords (3-5 notes, their number changing), a
melody (one note) and a doubled melody give 0 and keep the pitch split. Numpy for the test; the
assignment is one pass over the onset groups of a staff that is lines, trying the few
order-keeping ways (at most 6 for 4 lines) to give a group's notes to the lines. music21's
``Stream.makeVoices`` splits overlapping notes for notation, not by pitch proximity.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

SEPARATED = 100  # SEPARATED + r: line r (1 = the highest) of a staff separated here (docs/json-schema.md)
MAX_LINES = 4  # more simultaneous lines than this are a chordal texture, not lines
STEADY = 0.8  # a staff is k lines when k notes sound just after at least this share of its onsets
OVER = 0.05  # ... and more than k notes start together at no more than this share
DOUBLED = 0.5  # ... unless more than this share of its notes starting together are one pitch class
HELD = 12.0  # cost (semitones) of cutting a line's held note to give it a new one
CROSS = 12.0  # cost of a new note crossing a held line (above a higher line, below a lower one)


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
    """How many lines the staff is (see the module doc), or 0 where it is no steady number of lines."""
    if len(onsets) < 8:
        return 0
    order = np.argsort(onsets, kind="stable")
    starts = onsets[order]
    group = np.concatenate([[True], np.diff(starts) > tolerance])
    times = starts[group] + tolerance  # just after each onset group
    sounding = np.searchsorted(starts, times, "right") - np.searchsorted(np.sort(offsets), times, "right")
    values, counts = np.unique(sounding[sounding > 0], return_counts=True)
    if len(values) == 0:
        return 0
    k = int(values[np.argmax(counts)])
    if not 2 <= k <= MAX_LINES or np.mean(sounding == k) < STEADY:
        return 0
    first = np.flatnonzero(group)
    sizes = np.diff(np.append(first, len(starts)))
    if np.mean(sizes > k) > OVER:
        return 0
    # one line doubled in octaves or unisons (a pop BRIDGE track, a melody written twice) is one line:
    # the pitch split gives it already, as skyline + its copy below (doubling.py drops the copy)
    chroma = pitches[order] % 12
    one_class = np.minimum.reduceat(chroma, first) == np.maximum.reduceat(chroma, first)
    together = sizes >= 2
    if together.any() and np.mean(one_class[together]) > DOUBLED:
        return 0
    return k


def separate(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, k: int,
             tolerance: float) -> list[np.ndarray]:
    """The note indices of each of ``k`` lines, highest first, each in onset order. A group of more
    than ``k`` notes gives its highest ``k`` - 1 and its lowest (inner notes of a chord are dropped,
    as the pitch split drops them)."""
    order, cut = highest_first(onsets, pitches, tolerance)  # onset groups as the pitch split forms them
    bounds = np.append(cut, len(order))
    full = [order[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b - a == k]
    # a line's register before it has sounded: the mean pitch of its rank in the groups of k notes
    last = [float(np.mean(pitches[[g[r] for g in full]])) if full else float(np.mean(pitches)) for r in range(k)]
    busy = [-np.inf] * k  # offset of each line's last note
    held = [0] * k  # pitch of each line's last note
    start = [np.nan] * k  # onset of each line's last note
    lines: list[list[int]] = [[] for _ in range(k)]
    for a, b in zip(bounds[:-1], bounds[1:]):
        notes = [int(i) for i in order[a:b]]  # pitch descending
        if len(notes) > k:
            notes = notes[: k - 1] + notes[-1:]
        now = float(onsets[notes[0]]) + tolerance
        best, best_cost = None, np.inf
        for chosen in combinations(range(k), len(notes)):
            cost = 0.0
            for i, r in zip(notes, chosen):
                p = int(pitches[i])
                cost += abs(p - last[r]) + (HELD if busy[r] > now else 0.0)
                cost += CROSS * sum(_crosses(p, r, u, held) and not _unison(r, u, held, start)
                                    for u in range(k) if u not in chosen and busy[u] > now)
            if cost < best_cost:
                best, best_cost = chosen, cost
        for i, r in zip(notes, best):
            p = int(pitches[i])
            for u in range(k):  # lines that sang one pitch together: the one held is the one not moving
                if u not in best and busy[u] > now and _crosses(p, r, u, held) and _unison(r, u, held, start):
                    lines[r][-1], lines[u][-1] = lines[u][-1], lines[r][-1]
                    busy[r], busy[u] = busy[u], busy[r]
                    r = u
                    break
            lines[r].append(i)
            last[r], held[r], busy[r], start[r] = float(p), p, float(offsets[i]), float(onsets[i])
    return [np.array(sorted(line, key=lambda i: onsets[i]), dtype=np.int64) for line in lines]


def _crosses(pitch: int, line: int, other: int, held: list[int]) -> bool:
    """A new note of ``line`` would cross ``other``'s held note (lines are numbered from the top)."""
    return (other < line and pitch > held[other]) or (other > line and pitch < held[other])


def _unison(line: int, other: int, held: list[int], start: list[float]) -> bool:
    """The two lines' last notes began together on one pitch (which one moves on is not yet known)."""
    return held[line] == held[other] and start[line] == start[other]
