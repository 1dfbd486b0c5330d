"""One statement per moment: a statement sounding under a higher statement of its own family is dropped.

When a motif is doubled or harmonised (octaves between the hands, parallel thirds or sixths in
one hand, a melody doubled by the piano), each line states it and discovery gathers every line's
copy as a statement of its own. The listener hears one statement, carried by the upper line; the
copies below it are its texture. So a statement for at least ``share`` of whose time span a
statement of the same family sounds in another line (another track, or the other voice of its
track) with a higher mean pitch is dropped. Imitation, where a line enters as another ends,
overlaps less and stays; an entry overlapping a higher one for half its span or more (a close
stretto, a chorale's inner voice) goes too, as the rule does not ask that the two start together
(that variant was measured and not adopted). It runs on the output, after families are chosen and
ranked: which families a piece gets and their order do not change, only their statements.
benchmarks/phase12-extra12.md: on BPS-motif tune these copies are 23% of the statements matching
no labelled occurrence of the reference their family establishes, 2% of those matching one.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from motifcli.discovery.types import Family


def doubled_statements(family: Family, share: float) -> np.ndarray:
    """Mask over ``family.occurrences``: True where a statement sounds, for at least ``share`` of its
    span, under a higher one of the family in another line (the prototype is never marked)."""
    occs = family.occurrences
    start = np.array([o.start for o in occs])
    end = np.array([o.end for o in occs])
    height = np.array([np.mean([n.pitch for n in o.notes]) for o in occs])
    line = np.unique(np.array([(o.track, o.notes[0].voice) for o in occs]), axis=0, return_inverse=True)[1].ravel()
    other = line[None, :] != line[:, None]
    span = np.maximum(end - start, 1e-9)
    over = np.clip(np.minimum(end[:, None], end[None, :]) - np.maximum(start[:, None], start[None, :]), 0, None)
    under = (over / span[:, None] >= share) & (height[None, :] > height[:, None]) & other
    out = under.any(axis=1)
    out[0] = False
    return out


def without_doubling(family: Family, share: float) -> Family:
    """``family`` without its doubled statements; its coverage counts the statements kept."""
    if len(family.occurrences) < 2:
        return family
    drop = doubled_statements(family, share)
    if not drop.any():
        return family
    kept = tuple(o for o, d in zip(family.occurrences, drop) if not d)
    notes = sum(len(o.notes) for o in family.occurrences)
    coverage = family.coverage * sum(len(o.notes) for o in kept) / notes
    return dataclasses.replace(family, occurrences=kept, coverage=coverage)
