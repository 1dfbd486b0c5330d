"""A melody's motif is heard in the melody: its varied copies buried under other lines are dropped.

A family whose exact statements mostly sound as the top line (nothing sounding above them) is a
tune's idea; the same shape met again, loosely, in the left hand's accompaniment or an inner voice
under a melody going on above it is a chance match of the shape, not a statement a listener hears.
On BPS-motif tune, of the varied statements of top-line families with a higher note over more than
a quarter of their notes, 82% match no labelled occurrence (top-line statements: 50%); nearly all
sit in families of 40 or more statements, the figures a movement is made of
(benchmarks/phase19-occ19.md). Exact and transposed repeats stay (a motif handed to the bass is
restated there literally), and a family stated in the bass or an inner voice keeps its statements. It
runs on the output, as doubling.py: which families a piece gets and their order do not change.
Off by default (``DiscoverySettings.buried`` = 0): it lowers establishment F a little wherever a
dropped copy was a stray match of some reference (BPS tune 29-1, POP909 train 074).
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


def without_buried(family: Family, sounding: Sounding, share: float, top: float = 0.5, crowd: int = 20,
                   varied_only: bool = True, imitation: float = 0.0) -> Family:
    """``family`` without its statements having a higher note over more than ``share`` of their notes,
    when it gathers ``crowd`` statements or more and at least ``top`` of its exact statements have one
    over at most ``share`` (a top-line family); with ``varied_only`` only varied statements go. The
    prototype is never dropped; texture families are left as they are."""
    occs = family.occurrences
    if family.is_texture or len(occs) < max(crowd, 2):
        return family
    buried = np.array([sounding.under_share(o) > share for o in occs])
    exact = np.array([o.similarity >= EXACT for o in occs])
    if (~buried[exact]).mean() < top:
        return family
    drop = buried & ~exact if varied_only else buried.copy()
    if imitation > 0:  # an answer: the family's statement in another line ended just before it (imitation)
        lines = [(o.track, o.notes[0].voice) for o in occs]
        for k, o in enumerate(occs):
            if drop[k] and any(lines[q] != lines[k] and o.start - imitation <= p.start < o.start
                               and p.end <= o.start + 0.5 for q, p in enumerate(occs)):
                drop[k] = False
    drop[0] = False
    if not drop.any():
        return family
    kept = tuple(o for o, d in zip(occs, drop) if not d)
    notes = sum(len(o.notes) for o in occs)
    coverage = family.coverage * sum(len(o.notes) for o in kept) / notes
    return dataclasses.replace(family, occurrences=kept, coverage=coverage)
