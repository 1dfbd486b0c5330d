"""Texture bars' symbols from the bar model's distances: the clusters ``--unit bar`` would form.

Average linkage on the model's cosine distances between a chordal track's bars, the tree cut near the
run's threshold. Where exactly: ``texture_cut="threshold"`` cuts at it (before phase 11);
``"gap"`` (the default) cuts in the widest gap between the tree's merge heights within
``texture_cut_band`` (a share) of it, because a threshold that falls between two close merges
regrouped bars, and swung a POP909 song's scores by 0.1-0.2, when it moved by 0.02
(benchmarks/phase11-stable11.md). Used by :func:`motifcli.discovery.texture.track_bars`.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.types import DiscoverySettings

TEXTURE_CUTS = ("threshold", "gap")  # DiscoverySettings.texture_cut: where the bar clusters' tree is cut


def bar_symbols(bars: int, used: np.ndarray, rel_better: np.ndarray, bass: np.ndarray, bar_len: np.ndarray,
                sim: np.ndarray, dist: np.ndarray, limit: float,
                settings: DiscoverySettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per bar (``bars`` of them; the ``used`` ones clustered): symbol (-1: not used), transposition
    and match, symbols numbered by first bar.

    Bars of different lengths never join; bars with no point in common (``sim`` 0) are at least 2
    apart, however close the model puts them, so such a pair joins only inside a cluster that is
    otherwise close enough to carry it under the average (other floors were measured and removed:
    benchmarks/phase7-popocc7.md). A bar's match is 1 / (1 + its distance to its cluster's first
    bar), as a voice occurrence's is made from its distance; its transposition is the bass-aligned
    one where the points say so (``rel_better``)."""
    from motifcli.clustering import cut_tree, merge_tree

    apart = np.where(sim > 0.0, dist, np.maximum(dist, 2.0))
    apart[bar_len[:, None] != bar_len[None, :]] = 1e6
    if settings.texture_cut not in TEXTURE_CUTS:
        raise ValueError(f"unknown texture_cut {settings.texture_cut!r}; choose one of {TEXTURE_CUTS}")
    merges = merge_tree(apart, settings.texture_linkage)  # built once, cut where settings.texture_cut says
    if settings.texture_cut == "gap":
        limit = gap_cut(np.array([m[2] for m in merges]), limit, settings.texture_cut_band)
    labels = cut_tree(merges, len(apart), limit)
    symbols = np.full(bars, -1, dtype=np.int64)
    shift = np.zeros(bars, dtype=np.int64)
    match = np.zeros(bars)
    first: dict[int, int] = {}
    for i, lab in enumerate(labels.tolist()):
        lead = first.setdefault(lab, i)
        b = int(used[i])
        symbols[b] = list(first).index(lab)
        shift[b] = int(bass[i] - bass[lead]) if rel_better[i, lead] else 0
        match[b] = 1.0 if lead == i else float(1.0 / (1.0 + dist[i, lead]))
    return symbols, shift, match


def gap_cut(heights: np.ndarray, limit: float, band: float) -> float:
    """The cut in the widest gap between the tree's merge ``heights`` within ``band`` x ``limit`` of ``limit``.

    A threshold that falls between two close merge heights regroups bars when it moves a hair
    (phase11-pop11.md: POP909 songs swing by 0.1-0.2). The usual remedy in clustering practice is to
    cut the dendrogram where it is least crowded: the middle of the widest gap between neighbouring
    merge heights (the band's edges count as heights), so a threshold moved by less than the gap
    around it gives the same clusters. Without a merge in the band the cut is ``limit`` itself. The
    band is a share of ``limit``, so a tight threshold (sensitivity near 0: identical bars only)
    stays tight."""
    if band <= 0:
        return limit
    lo, hi = limit * (1.0 - band), limit * (1.0 + band)
    heights = np.sort(np.asarray(heights, dtype=np.float64))  # the tree lists merges in chain order
    inside = heights[(heights > lo) & (heights < hi)]
    if len(inside) == 0:
        return limit
    edges = np.concatenate([[lo], inside, [hi]])
    k = int(np.argmax(np.diff(edges)))
    return float((edges[k] + edges[k + 1]) / 2)
