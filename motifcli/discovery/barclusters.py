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
    if settings.texture_absorb > 0:
        near = dist if settings.texture_absorb_by == "model" else 1.0 - sim  # points: 1 - cardinality score
        reach = limit * settings.texture_absorb_reach if settings.texture_absorb_by == "model" else settings.texture_absorb_reach
        labels = absorbed(labels, near, bar_len, reach, settings.texture_absorb)
    if settings.texture_trim > 0:
        labels = trimmed(labels, dist, limit * settings.texture_trim)
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


def absorbed(labels: np.ndarray, dist: np.ndarray, bar_len: np.ndarray, reach: float, most: int) -> np.ndarray:
    """Clusters of at most ``most`` bars joined to a larger cluster whose medoid every one of their
    bars lies within ``reach`` of (the model's own distance, without the no-common-point floor).

    Why: a figure a song states in a few bars only, each as close to a larger figure's typical bar
    as that figure's own members, is a variant of it, not a motif of its own; kept apart, its 1-2
    statements split one labelled motif over several families (benchmarks/phase13-popocc13.md).
    The medoids are the larger clusters' before any joining, so nothing chains."""
    out = labels.copy()
    ids, sizes = np.unique(labels, return_counts=True)
    size = dict(zip(ids.tolist(), sizes.tolist()))
    medoid: dict[int, int] = {}
    for lab in ids.tolist():
        idx = np.flatnonzero(labels == lab)
        medoid[lab] = int(idx[np.argmin(dist[np.ix_(idx, idx)].sum(axis=1))])
    for lab in ids.tolist():
        if size[lab] > most:
            continue
        idx = np.flatnonzero(labels == lab)
        best, near = -1, reach
        for other in ids.tolist():
            m = medoid[other]
            if size[other] <= size[lab] or bar_len[m] != bar_len[idx[0]]:
                continue
            d = float(dist[idx, m].max())
            if d < near:
                best, near = other, d
        if best >= 0:
            out[idx] = best
    return out


def trimmed(labels: np.ndarray, dist: np.ndarray, reach: float) -> np.ndarray:
    """Bars farther than ``reach`` from their cluster's medoid leave it (each its own cluster):
    average linkage admits a bar close to a few members only; a statement of a figure should be
    near its typical bar (benchmarks/phase13-popocc13.md)."""
    out = labels.copy()
    new = int(labels.max()) + 1
    for lab in np.unique(labels).tolist():
        idx = np.flatnonzero(labels == lab)
        if len(idx) < 3:
            continue
        med = idx[np.argmin(dist[np.ix_(idx, idx)].sum(axis=1))]
        for i in idx[dist[idx, med] > reach].tolist():
            out[i] = new
            new += 1
    return out
