"""One statement per moment: a family's statement sounding under a higher one of the same family is dropped.

When a motif is doubled or harmonised (octaves between the hands, parallel thirds or sixths in
one hand), each line states it and discovery gathers every line's copy as a statement of its own.
The listener hears one statement, carried by the upper line; the copies below it are texture. So
a statement whose time span is, for at least ``doubled`` of its length, inside the span of a
statement of the same family in another line with a higher mean pitch, is dropped
(benchmarks/phase12-extra12.md). Imitation, where one line enters as another is ending, overlaps
less and stays.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.families import Chosen, set_statements


def without_doubling(chosen: list[Chosen], lines: Lines, doubled: float, onset: float = 0.0, closer: bool = False) -> None:
    """Drop (in place) each family's statements sounding under a higher statement of it in another line
    (``onset`` > 0: starting within that many beats of it; ``closer``: aligning no closer than it)."""
    for fam in chosen:
        if len(fam.notes) < 2:
            continue
        start = np.array([lines.onsets[p].min() for p in fam.notes])
        end = np.array([lines.offsets[p].max() for p in fam.notes])
        height = np.array([lines.pitches[p].mean() for p in fam.notes])
        line = np.array([lines.voice_id[p[0]] for p in fam.notes])
        span = np.maximum(end - start, 1e-9)
        over = np.clip(np.minimum(end[:, None], end[None, :]) - np.maximum(start[:, None], start[None, :]), 0, None)
        under = (over / span[:, None] >= doubled) & (height[None, :] > height[:, None]) & (line[None, :] != line[:, None])
        if onset > 0:  # only copies starting with the higher statement (parallel doubling, not overlap)
            under &= np.abs(start[None, :] - start[:, None]) <= onset
        if closer:  # only copies no closer to the family than the higher statement
            under &= fam.distance[None, :] <= fam.distance[:, None]
        keep = np.flatnonzero(~under.any(axis=1))
        if len(keep) < len(fam.notes):
            set_statements(fam, [fam.notes[i] for i in keep], fam.distance[keep].tolist(), fam.starts[keep].tolist())
