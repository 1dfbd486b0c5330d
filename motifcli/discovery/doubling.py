"""One statement per moment: a statement sounding under a higher statement of its own family is dropped.

When a motif is doubled or harmonised (octaves between the hands, parallel thirds or sixths in
one hand, a melody doubled by the piano), each line states it and discovery gathers every line's
copy as a statement of its own. The listener hears one statement, carried by the upper line; the
copies below it are its texture. So a statement for at least ``share`` of whose time span a
statement of the same family sounds in another line (another track, or the other voice of its
track) with a higher mean pitch, and moving with it (most of its notes sound with the higher one's
at one steady interval: octaves, parallel thirds or sixths), is dropped. Imitation stays: a line
entering as another ends overlaps too little, and an entry a beat later (a close stretto, a
chorale's inner voice taking up the soprano's figure) meets other places of the motif however much
it overlaps (asking only for the overlap, 16 of bwv11.6's 42 statements went; asking for a common
start instead missed copies under statements our growing had started earlier). It runs on the
output, after families are chosen and ranked: which families a piece gets and their order do not
change, only their statements. benchmarks/phase12-extra12.md: on BPS-motif tune copies overlapping a
higher statement are 23% of the statements matching no labelled occurrence of the reference their
family establishes, 2% of those matching one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from motifcli.discovery.types import Family, Occurrence


TOGETHER = 0.13  # beats: two onsets this close sound together (a 1/8-beat step of a performance, and play)


def moves_with(copy: Occurrence, higher: Occurrence) -> float:
    """Share of ``copy``'s notes that sound with a note of ``higher`` at one steady interval below it
    (within a semitone of the pairs' median: octaves, parallel thirds or sixths). A doubling or a
    harmonisation moves with its upper line; an imitation entering later does not, even where its
    rhythm lines up, because its notes meet other places of the motif."""
    a = np.array([n.onset for n in copy.notes])
    b = np.array([n.onset for n in higher.notes])
    near = np.abs(a[:, None] - b[None, :])
    j = near.argmin(axis=1)
    with_ = near[np.arange(len(a)), j] <= TOGETHER
    if not with_.any():
        return 0.0
    gap = np.array([higher.notes[k].pitch - n.pitch for n, k in zip(copy.notes, j)])[with_]
    return float(np.sum(np.abs(gap - np.median(gap)) <= 1)) / len(a)


def doubled_statements(family: Family, share: float, parallel: float = 0.0,
                       staff: Mapping[tuple[int, int, int], int] | None = None) -> np.ndarray:
    """Mask over ``family.occurrences``: True where a statement sounds, for at least ``share`` of its
    span, under a higher one of the family in another line that it moves with (:func:`moves_with`
    at least ``parallel``; 0: any such statement) (the prototype is never marked). A line is a
    track's voice, in its staff where the track was split staff by staff (``staff``: (track, voice,
    note index) -> staff for those lines; a piano part's two hands are two lines, as two MIDI tracks)."""
    occs = family.occurrences
    start = np.array([o.start for o in occs])
    end = np.array([o.end for o in occs])
    height = np.array([np.mean([n.pitch for n in o.notes]) for o in occs])
    staff = staff or {}
    keys = [(o.track, o.notes[0].voice, staff.get((o.track, o.notes[0].voice, o.notes[0].index), 1)) for o in occs]
    line = np.unique(np.array(keys), axis=0, return_inverse=True)[1].ravel()
    other = line[None, :] != line[:, None]
    span = np.maximum(end - start, 1e-9)
    over = np.clip(np.minimum(end[:, None], end[None, :]) - np.maximum(start[:, None], start[None, :]), 0, None)
    under = (over / span[:, None] >= share) & (height[None, :] > height[:, None]) & other
    if parallel > 0:
        for i, j in zip(*np.nonzero(under)):
            under[i, j] = moves_with(occs[i], occs[j]) >= parallel
    out = under.any(axis=1)
    out[0] = False
    return out


def without_doubling(family: Family, share: float, parallel: float = 0.0,
                     staff: Mapping[tuple[int, int, int], int] | None = None) -> Family:
    """``family`` without its doubled statements; its coverage counts the statements kept."""
    if len(family.occurrences) < 2:
        return family
    drop = doubled_statements(family, share, parallel, staff)
    if not drop.any():
        return family
    kept = tuple(o for o, d in zip(family.occurrences, drop) if not d)
    notes = sum(len(o.notes) for o in family.occurrences)
    coverage = family.coverage * sum(len(o.notes) for o in kept) / notes
    return dataclasses.replace(family, occurrences=kept, coverage=coverage)
