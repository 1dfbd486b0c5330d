"""Statements in retrograde: the motif's notes in reverse order (and, with inversions, retrograde inversion).

Crab canons (Bach's Musical Offering, canon 1 a 2), twelve-tone rows and motivic development state a
motif backwards. With ``DiscoverySettings.retrogrades`` (> 0) the window keys of that many notes or
more put a window's group and its written retrograde's in one
(:func:`~motifcli.discovery.candidates.retrograde_pairs`, ``merge_groups``), so a motif heard only as prime +
retrograde is a pattern. Strict: the intervals reversed and negated (in the classes the keys
compare) and the note values reversed, the last note's value included. A retrograde statement
does not grow (growing to the right would add notes before its start in the prime's reading), and
varied statements are aligned to the prime's statements only, as for inversion.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.inversion import reference, steps


def retrograde_statements(
    lines: Lines, notes: list[np.ndarray], distance: np.ndarray, chromatic: bool = False, mirror: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Per statement, whether it is the :func:`~motifcli.discovery.inversion.reference` statement's
    retrograde, and whether (``mirror``: inversions searched too) it is its retrograde inversion
    (then both are true). Only exact statements of the reference's length can be; the prime reading
    comes first, so a palindrome (its own retrograde) stays a prime, and an inversion stays an inversion."""
    back = np.zeros(len(notes), dtype=bool)
    both = np.zeros(len(notes), dtype=bool)
    ref = reference(lines, notes, distance)
    if ref is None:
        return back, both
    prime = steps(lines, notes[ref], chromatic)
    if not prime.any():
        return back, both
    for i in range(len(notes)):
        if distance[i] != 0 or len(notes[i]) != len(notes[ref]) or i == ref:
            continue
        own = steps(lines, notes[i], chromatic)
        if np.array_equal(own, prime) or (mirror and np.array_equal(own, -prime)):
            continue
        if np.array_equal(own, -prime[::-1]):
            back[i] = True
        elif mirror and np.array_equal(own, prime[::-1]):
            back[i] = both[i] = True
    return back, both
