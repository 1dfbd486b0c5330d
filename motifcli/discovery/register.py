"""A melody's motif is heard in the melody: its varied copies buried under other lines are dropped.

A family whose exact statements mostly sound as the top line (nothing sounding above them) is a
tune's idea; the same shape met again, loosely, in the left hand's accompaniment or an inner voice
under a melody going on above it is a chance match of the shape, not a statement a listener hears.
On BPS-motif tune, of the varied statements of top-line families with a higher note over more than
a quarter of their notes, 82% match no labelled occurrence (top-line statements: 50%); nearly all
sit in families of 40 or more statements, the figures a movement is made of
(benchmarks/phase19-occ19.md). What stays: exact and transposed repeats (a motif handed to the bass
is restated there literally), a statement answering the family's statement in another line just
before it (imitation between the hands), and every statement of a family stated in the bass or an
inner voice, or of fewer than 20 statements. It runs on the output, after the order, as doubling.py:
which families a piece gets and their order do not change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from motifcli.discovery.types import Family, Occurrence
from motifcli.score import Score

EXACT = 1 - 1e-9
EPS = 1e-6  # beats: onsets this close are one


class Sounding:
    """The highest pitch sounding at every onset of a score (any pitched track), to ask what sounds above a note."""

    def __init__(self, score: Score) -> None:
        notes = [(n.onset, n.offset, n.pitch) for t in score.pitched_tracks() for n in t.notes]
        arr = np.array(notes, dtype=float).reshape(-1, 3)
        starts = np.sort(arr[:, 0])  # np.unique's values without its import of numpy.ma (motifcli/quantiles.py)
        self.onsets = starts[np.concatenate([[True], np.diff(starts) > 0])] if len(starts) else starts
        self.top = np.full(len(self.onsets), -np.inf)
        first = np.searchsorted(self.onsets, arr[:, 0] - EPS)
        past = np.searchsorted(self.onsets, arr[:, 1] - EPS)  # sounding at an onset: on <= it < off
        for i, j, pitch in zip(first, past, arr[:, 2]):
            np.maximum(self.top[i:j], pitch, out=self.top[i:j])

    def under_share(self, occ: Occurrence) -> float:
        """Share of ``occ``'s notes with a higher note sounding at their onset (any line, any track)."""
        at = np.searchsorted(self.onsets, np.array([n.onset for n in occ.notes]) - EPS)
        return float(np.mean(self.top[at] > np.array([n.pitch for n in occ.notes])))


def without_buried(family: Family, sounding: Sounding, share: float, top: float = 0.5, crowd: int = 20,
                   varied_only: bool = True, imitation: float = 4.0,
                   staff: Mapping[tuple[int, int, int], int] | None = None) -> Family:
    """``family`` without its statements having a higher note over more than ``share`` of their notes,
    when it gathers ``crowd`` statements or more and at least ``top`` of its exact statements have one
    over at most ``share`` (a top-line family); with ``varied_only`` only varied statements go. A
    statement answering one of the family in another line, which started at most ``imitation`` beats
    before it and ended by its start (half a beat of overlap allowed), stays: the motif handed from one
    hand to the other (0: none stays). A line is a track's voice, in its staff where the track was split
    staff by staff (``staff``, as doubling.py). The prototype is never dropped; texture families are
    left as they are."""
    occs = family.occurrences
    if family.is_texture or len(occs) < max(crowd, 2):
        return family
    buried = np.array([sounding.under_share(o) > share for o in occs])
    exact = np.array([o.similarity >= EXACT for o in occs])
    if (~buried[exact]).mean() < top:
        return family
    drop = buried & ~exact if varied_only else buried.copy()
    if imitation > 0:
        staff = staff or {}
        line = [(o.track, o.notes[0].voice, staff.get((o.track, o.notes[0].voice, o.notes[0].index), 1)) for o in occs]
        for k in np.nonzero(drop)[0]:
            o = occs[k]
            drop[k] = not any(line[q] != line[k] and o.start - imitation <= p.start < o.start
                              and p.end <= o.start + 0.5 for q, p in enumerate(occs))
    drop[0] = False
    if not drop.any():
        return family
    kept = tuple(o for o, d in zip(occs, drop) if not d)
    notes = sum(len(o.notes) for o in occs)
    coverage = family.coverage * sum(len(o.notes) for o in kept) / notes
    return dataclasses.replace(family, occurrences=kept, coverage=coverage)
