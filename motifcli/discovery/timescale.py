"""Statements in augmentation or diminution: the motif's intervals kept, every note value doubled or halved.

A fugue states its subject in long values against itself (Bach's Art of Fugue, Contrapunctus 7), a
development in half values. With ``DiscoverySettings.augmentations`` (> 0) the window keys of that
many notes or more hold the rhythm at its slowest power-of-two scale
(:func:`~motifcli.discovery.candidates.window_keys`), so a motif heard only as prime + augmentation
is a pattern, and its augmented and diminished statements join the family as exact statements.
Strict: the same intervals (in the classes the keys compare) and every inter-onset interval times
the same power of two. Powers of two only: augmentation and diminution double or halve; a family
holding both (prime, half and double values) has 4 between them, so any power of two belongs to it,
and the keys cannot tell 2 from 4 (a key is an equivalence). 3/2 (a motif in triplets against duplets, a
hemiola) is left out: no classical transformation, and dotted figures would meet themselves by chance.
Varied statements are aligned to the prime's statements only (loose augmentation views let in noise:
benchmarks/phase7-vary7.md).
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.inversion import reference


def time_scales(lines: Lines, notes: list[np.ndarray], distance: np.ndarray) -> np.ndarray:
    """Per statement, its note values over the :func:`~motifcli.discovery.inversion.reference`
    statement's (2: augmented, 0.5: diminished; 1 for the rest). Only exact statements of the
    reference's length are measured, and only a power of two (from 1/16 to 16) counts."""
    out = np.ones(len(notes))
    ref = reference(lines, notes, distance)
    if ref is None:
        return out
    span = _span(lines, notes[ref])
    if span <= 0:
        return out
    for i in range(len(notes)):
        if distance[i] == 0 and len(notes[i]) == len(notes[ref]) and i != ref:
            ratio = _span(lines, notes[i]) / span
            power = round(float(np.log2(ratio))) if ratio > 0 else 0
            if power and abs(power) <= 4 and abs(ratio / 2.0**power - 1) < 0.1:
                out[i] = 2.0**power
    return out


def _span(lines: Lines, pos: np.ndarray) -> float:
    """Beats from the statement's first onset to its last."""
    return float(lines.onsets[pos[-1]] - lines.onsets[pos[0]])
