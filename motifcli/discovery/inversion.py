"""Statements in strict inversion: the motif's intervals mirrored, its rhythm kept.

Canons, fugues and inventions state a subject upside down, and an analyst names that statement the
motif's. With ``DiscoverySettings.inversions`` (> 0) the window keys of that many notes or more put
a window and its mirror image in one group (:func:`~motifcli.discovery.candidates.window_keys`), so a
motif heard only as prime + inversion (Webern op. 16/2, a canon in inversion) is a pattern, and
inverted statements join their prime's family as exact statements. Strict: every interval negated
in the classes the keys compare (interval classes by default, so a tonal inversion, a major third
answered by a minor one, counts like a chromatic one; semitones with ``diatonic_keys=False``) and
the same inter-onset intervals. Varied statements are aligned to the prime's statements only
(loose inversion views let in hundreds of background windows: benchmarks/phase7-vary7.md).
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines, interval_class


def inverted_statements(lines: Lines, notes: list[np.ndarray], distance: np.ndarray, chromatic: bool = False) -> np.ndarray:
    """Per statement, whether it is the mirror image of the family's :func:`reference` statement.
    Only exact statements of the reference's length can be; one that is its own inversion (repeated
    notes) is not."""
    out = np.zeros(len(notes), dtype=bool)
    ref = reference(lines, notes, distance)
    if ref is None:
        return out
    exact = [i for i in range(len(notes)) if distance[i] == 0]
    prime = steps(lines, notes[ref], chromatic)
    if not prime.any():
        return out
    for i in exact:
        if len(notes[i]) == len(notes[ref]):
            out[i] = bool(np.array_equal(steps(lines, notes[i], chromatic), -prime))
    return out


def reference(lines: Lines, notes: list[np.ndarray], distance: np.ndarray) -> int | None:
    """The statement the others are prime or inverted against: the exact one (distance 0) heard first
    (then the lowest position), the leader of a canon; a family holding inverted statements names it
    its prototype (:func:`motifcli.discovery.core._family`). None: no exact statement."""
    exact = [i for i in range(len(notes)) if distance[i] == 0]
    if not exact:
        return None
    return min(exact, key=lambda i: (float(lines.onsets[notes[i][0]]), int(notes[i][0])))


def mirrored(pitches: np.ndarray) -> np.ndarray:
    """A statement's pitches mirrored about its first note (the axis an inverted statement's
    transposition is measured from: the prototype's first note)."""
    return 2 * pitches[0] - pitches


def steps(lines: Lines, pos: np.ndarray, chromatic: bool) -> np.ndarray:
    """A statement's intervals as the keys compare them (interval classes; semitones if ``chromatic``):
    what inversion and retrograde (retrograde.py) mirror and reverse."""
    iv = np.diff(lines.pitches[pos])
    return iv if chromatic else interval_class(iv)
