"""A melody's motif is heard in the melody: its copies buried under other lines are dropped.

A family whose exact statements mostly sound as the top line (nothing sounding above them) is a
tune's idea; the same shape met again in the left hand's accompaniment or an inner voice, under a
melody going on above it, is a chance match of the shape, not a statement a listener hears (BPS-motif
tune: of the statements of establishing families with a higher note over more than a quarter of their
notes, 82% match no labelled occurrence; of the top-line ones 50%; benchmarks/phase19-occ19.md). A
family stated in the bass or an inner voice (its exact statements there) keeps such statements. It
runs on the output, as doubling.py: which families a piece gets and their order do not change.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from motifcli.discovery.types import Family, Occurrence
from motifcli.score import Score

EXACT = 1 - 1e-9


class Sounding:
    """Every pitched note of a score, sorted by onset, to ask what sounds above a note."""

    def __init__(self, score: Score) -> None:
        notes = sorted((n.onset, n.offset, n.pitch) for t in score.pitched_tracks() for n in t.notes)
        arr = np.array(notes, dtype=float).reshape(-1, 3)
        self.on, self.off, self.pitch = arr[:, 0], arr[:, 1], arr[:, 2]
        self.longest = float((self.off - self.on).max()) if len(arr) else 0.0

    def under_share(self, occ: Occurrence) -> float:
        """Share of ``occ``'s notes with a higher note sounding at their onset (any line, any track)."""
        hits = 0
        for n in occ.notes:
            lo = np.searchsorted(self.on, n.onset - self.longest - 1e-6)
            hi = np.searchsorted(self.on, n.onset + 1e-6, side="right")
            live = self.off[lo:hi] > n.onset + 1e-6
            hits += bool(np.any(self.pitch[lo:hi][live] > n.pitch))
        return hits / len(occ.notes)


def without_buried(family: Family, sounding: Sounding, share: float, top: float, varied_only: bool,
                   away: bool = False, long: int = 0, below: float = 0.0, crowd: int = 0) -> Family:
    """``family`` without statements having a higher note over more than ``share`` of their notes, when
    at least ``top`` of its exact statements have one over at most ``share`` (a top-line family); with
    ``varied_only`` only varied statements go; with ``away`` only statements in a line (track, voice) holding
    none of its exact statements; a statement of ``long`` notes or more (0: none) stays: a whole phrase
    taken up in the bass is heard there; with ``below`` > 0 only statements whose mean pitch lies this many
    semitones or more under the mean of the family's exact statements (a copy down in the accompaniment,
    not the tune itself under another part's high notes); only in a family of ``crowd`` statements or more
    (a figure the piece is made of, as ``bar_position_crowd``). The prototype is never dropped."""
    occs = family.occurrences
    if family.is_texture or len(occs) < max(crowd, 2):
        return family
    buried = np.array([sounding.under_share(o) > share for o in occs])
    exact = np.array([o.similarity >= EXACT for o in occs])
    if (~buried[exact]).mean() < top:
        return family
    drop = buried & (~exact if varied_only else True)
    if below > 0:
        home = np.mean([np.mean([n.pitch for n in o.notes]) for o, e in zip(occs, exact) if e])
        drop &= np.array([np.mean([n.pitch for n in o.notes]) <= home - below for o in occs])
    if long > 0:
        drop &= np.array([len(o.notes) < long for o in occs])
    if away:
        lines = {(o.track, o.notes[0].voice) for o, e in zip(occs, exact) if e}
        drop &= np.array([(o.track, o.notes[0].voice) not in lines for o in occs])
    drop[0] = False
    if not drop.any():
        return family
    kept = tuple(o for o, d in zip(occs, drop) if not d)
    notes = sum(len(o.notes) for o in occs)
    coverage = family.coverage * sum(len(o.notes) for o in kept) / notes
    return dataclasses.replace(family, occurrences=kept, coverage=coverage)
