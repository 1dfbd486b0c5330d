"""Agglomerative clustering cut at a distance threshold, in numpy alone.

Why not scikit-learn: importing ``sklearn.cluster`` takes 1.5-2 s, and scipy's hierarchy another
0.5 s, several times the rest of a ``motif annotate song.mid`` run (the MuseScore plugin starts the
CLI on every click). This module computes the same clusters as
``AgglomerativeClustering(n_clusters=None, distance_threshold=t, linkage=...)``:

* scikit-learn builds the tree with scipy's ``linkage`` (the nearest-neighbour-chain algorithm for
  average and complete linkage), then keeps the merges whose distance is below ``t``;
* here the same chain algorithm runs on a square numpy matrix, with the same Lance-Williams update
  in the same floating-point order (average: ``(nx * d_xi + ny * d_yi) / (nx + ny)``; complete:
  max; single: min) and the same tie rule (the previous link of the chain wins a tie, else the
  lowest index), and the clusters are the connected pieces of the merges below ``t``.

``tests/test_settings_pipeline.py`` checks the labels against scikit-learn on real songs. Cost: O(N^2)
memory (N = windows, at most ``--max-segments``) and O(N^2) work in O(N) numpy calls.
"""

from __future__ import annotations

import numpy as np

LINKAGES = ("average", "complete", "single")
METRICS = ("cosine", "euclidean")


def pairwise_distances(rows: np.ndarray, metric: str = "cosine") -> np.ndarray:
    """Square matrix of distances between rows; copies of a row get bit-identical distances.

    Songs repeat whole bars, so rows are deduplicated first: the matrix of the distinct rows is
    computed and expanded, which also halves the work on a typical song.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    rows = np.ascontiguousarray(rows, dtype=np.float64)
    first: dict[bytes, int] = {}
    keep: list[int] = []
    inverse = np.empty(rows.shape[0], dtype=np.int64)
    for i, row in enumerate(rows):
        j = first.setdefault(row.tobytes(), len(keep))
        if j == len(keep):
            keep.append(i)
        inverse[i] = j
    distinct = rows[keep]
    gram = distinct @ distinct.T  # numpy computes x @ x.T with syrk: exactly symmetric
    sq = np.diag(gram).copy()
    if metric == "cosine":
        with np.errstate(divide="ignore", invalid="ignore"):
            d = 1.0 - gram / np.sqrt(np.outer(sq, sq))
        np.clip(d, 0.0, 2.0, out=d)
    else:
        d = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * gram, 0.0))
    np.fill_diagonal(d, 0.0)
    return d if len(keep) == rows.shape[0] else d[np.ix_(inverse, inverse)]


def cluster_labels(distances: np.ndarray, threshold: float, linkage: str = "average") -> np.ndarray:
    """Labels 0.. (by first row) of the clusters whose merges all lie below ``threshold``.

    ``distances``: a square, symmetric matrix of finite distances (it is not modified).
    """
    return cut_tree(merge_tree(distances, linkage), distances.shape[0], threshold)


def merge_tree(distances: np.ndarray, linkage: str = "average") -> list[tuple[int, int, float]]:
    """The n-1 merges (x, y, distance) of the tree :func:`cluster_labels` cuts, built once so that a
    caller can choose where to cut it (texture families' gap cut, phase11-stable11.md)."""
    if linkage not in LINKAGES:
        raise ValueError(f"unknown linkage {linkage!r}; choose one of {', '.join(LINKAGES)}")
    n = distances.shape[0]
    if n == 0:
        return []
    if not np.all(np.isfinite(distances)):
        raise ValueError("distances must be finite")
    return _nn_chain(distances, linkage) if n > 1 else []


def merge_heights(distances: np.ndarray, linkage: str = "average") -> np.ndarray:
    """Sorted distances of the tree's merges: a cut anywhere between two neighbouring heights gives
    the same clusters."""
    return np.sort(np.array([m[2] for m in merge_tree(distances, linkage)], dtype=np.float64))


def cut_tree(merges: list[tuple[int, int, float]], n: int, threshold: float) -> np.ndarray:
    """Labels 0.. (by first row) of the ``n`` rows joined by the merges below ``threshold``."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for x, y, dist in merges:
        if dist < threshold:
            parent[find(x)] = find(y)
    roots = [find(i) for i in range(n)]
    first: dict[int, int] = {}
    return np.array([first.setdefault(r, len(first)) for r in roots], dtype=np.int64)


def _nn_chain(distances: np.ndarray, linkage: str) -> list[tuple[int, int, float]]:
    """The n-1 merges (x, y, distance) of the nearest-neighbour chain, as scipy's ``nn_chain``.

    Slot ``i`` holds the cluster that contains row ``i``; a merged pair lives on in the higher slot.
    Dead slots and the diagonal hold +inf so that ``argmin`` never picks them.
    """
    n = distances.shape[0]
    d = np.array(distances, dtype=np.float64, copy=True)
    np.fill_diagonal(d, np.inf)
    size = np.ones(n, dtype=np.float64)
    alive = np.ones(n, dtype=bool)
    chain: list[int] = []
    merges: list[tuple[int, int, float]] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(int(np.flatnonzero(alive)[0]))
        while True:
            x = chain[-1]
            row = d[x]
            y = int(np.argmin(row))
            best = row[y]
            if len(chain) > 1:
                prev = chain[-2]
                if not best < row[prev]:
                    y, best = prev, row[prev]
                if y == prev:
                    break
            chain.append(y)
        chain.pop()
        chain.pop()
        x, y = (x, y) if x < y else (y, x)
        nx, ny = size[x], size[y]
        merges.append((x, y, float(best)))
        if linkage == "average":
            new = (nx * d[x] + ny * d[y]) / (nx + ny)
        elif linkage == "complete":
            new = np.maximum(d[x], d[y])
        else:
            new = np.minimum(d[x], d[y])
        new[~alive] = np.inf
        new[x] = new[y] = np.inf
        alive[x] = False
        size[y] = nx + ny
        size[x] = 0.0
        d[x, :] = np.inf
        d[:, x] = np.inf
        d[y, :] = new
        d[:, y] = new
    return merges
