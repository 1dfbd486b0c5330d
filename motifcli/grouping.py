"""Segment embeddings of one score to motif families (A, B, ...) and their occurrences (A1, A2, ...).

Segments of all pitched tracks are clustered together, because a motif may move from the melody
to the bass. Agglomerative clustering with a cosine-distance threshold needs no number of
clusters, which nobody knows in advance. A run of adjacent windows of one track in the same
cluster is one occurrence (a four-bar phrase is one motif statement, not four), and a cluster
becomes a family only if it then still has two occurrences: a motif is something that recurs.

Sensitivity
    ``sensitivity`` in [0, 1] picks the cosine-distance threshold ``t`` under which segments join:
    0.5 gives the calibrated threshold ``t0`` (the model's ``grouping_threshold`` metadata, else
    :data:`DEFAULT_THRESHOLD`); from 0 to 0.5, ``t`` grows linearly from 0 (only identical segments
    group) to ``t0``; from 0.5 to 1 it grows linearly from ``t0`` to 1 (orthogonal vectors group).
    Higher sensitivity therefore means looser families: more segments in families, more families
    that reach two occurrences. An explicit ``threshold`` overrides ``sensitivity`` (for sweeps).
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from motifcli.annotation import Annotation, Motif, Occurrence, family_color, family_name
from motifcli.embedding import EmbeddingResult
from motifcli.errors import UsageError
from motifcli.score import Score
from motifcli.segment import Segment

DEFAULT_THRESHOLD = 0.25  # cosine distance used when the model carries no calibrated one
LINKAGES = ("average", "complete", "single")
MIN_THRESHOLD = 1e-6  # clustering merges below the threshold, so 0 would never merge twins
BAR_BEATS = 4.0
END_EPS = 1e-3  # the last bar is the one holding end - END_EPS (bar_number_at itself allows 1e-6)


def threshold_for(sensitivity: float, calibrated: float | None = None) -> float:
    """The cosine-distance threshold for a sensitivity in [0, 1] (see the module docstring)."""
    if not 0.0 <= sensitivity <= 1.0:
        raise UsageError(f"sensitivity must be between 0 and 1, not {sensitivity:g}")
    t0 = DEFAULT_THRESHOLD if calibrated is None else float(calibrated)
    t0 = min(max(t0, MIN_THRESHOLD), 1.0)
    if sensitivity <= 0.5:
        t = t0 * (sensitivity / 0.5)
    else:
        t = t0 + (1.0 - t0) * (sensitivity - 0.5) / 0.5
    return max(t, MIN_THRESHOLD)


@dataclass(frozen=True, slots=True)
class GroupingSettings:
    """How segments become families; ``threshold`` (cosine distance) wins over ``sensitivity``."""

    sensitivity: float = 0.5
    threshold: float | None = None
    linkage: str = "average"
    merge_adjacent: bool = True
    min_occurrences: int = 2

    def resolved_threshold(self, calibrated: float | None) -> float:
        if self.threshold is not None:
            if not self.threshold > 0:
                raise UsageError(f"threshold must be a positive cosine distance, not {self.threshold:g}")
            return float(self.threshold)
        return threshold_for(self.sensitivity, calibrated)

    def check(self) -> None:
        if self.linkage not in LINKAGES:
            raise UsageError(f"unknown linkage {self.linkage!r}; choose one of {', '.join(LINKAGES)}")
        if self.min_occurrences < 1:
            raise UsageError("min_occurrences must be at least 1")


def preload() -> None:
    """Import scikit-learn now (about a second), so per-file grouping times measure grouping."""
    import sklearn.cluster  # noqa: F401


def unit_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows scaled to length 1, and a mask of the rows that had a length (zero rows have no angle)."""
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1) if v.size else np.zeros(v.shape[0])
    ok = norms > 1e-12
    out = np.zeros_like(v)
    out[ok] = v[ok] / norms[ok, None]
    return out, ok


def cluster(vectors: np.ndarray, threshold: float, linkage: str = "average") -> np.ndarray:
    """Cluster labels per row (cosine distance, agglomerative); -1 for rows with no direction."""
    return _cluster_units(*unit_rows(vectors), threshold, linkage)


def _cluster_units(units: np.ndarray, ok: np.ndarray, threshold: float, linkage: str) -> np.ndarray:
    labels = np.full(units.shape[0], -1, dtype=np.int64)
    idx = np.flatnonzero(ok)
    if idx.size == 1:
        labels[idx] = 0
    elif idx.size > 1:
        from sklearn.cluster import AgglomerativeClustering  # lazy: a second to import

        rows = units[idx]
        if rows.shape[1] >= WIDE_DIMS and rows.shape[0] <= MAX_SQUARE_ROWS:
            model = AgglomerativeClustering(
                n_clusters=None, distance_threshold=threshold, metric="precomputed", linkage=linkage
            )
            labels[idx] = model.fit_predict(cosine_distances(rows))
        else:
            model = AgglomerativeClustering(
                n_clusters=None, distance_threshold=threshold, metric="cosine", linkage=linkage
            )
            labels[idx] = model.fit_predict(rows)
    return labels


# Wide embeddings (a residual-roll model's 128 + 2688 dimensions) make scipy's pairwise cosine
# loop the slowest stage of a song (~26 ms of CPU, more than the model). Songs repeat whole bars,
# which get identical vectors, so the loop is run over the distinct rows only and the square
# matrix filled in from it: the very numbers ``metric="cosine"`` would compute, hence the same
# clustering bit for bit, for about half the work. The square matrix costs memory, hence the
# row limit (4000 rows: 128 MB); narrow embeddings are fast enough as they are.
WIDE_DIMS = 512
MAX_SQUARE_ROWS = 4000


def cosine_distances(units: np.ndarray) -> np.ndarray:
    """``squareform(pdist(units, "cosine"))``, computing each distinct pair of rows once."""
    from scipy.spatial.distance import pdist, squareform

    n = units.shape[0]
    first: dict[bytes, int] = {}
    keep: list[int] = []
    inverse = np.empty(n, dtype=np.int64)
    for i, row in enumerate(units):
        j = first.setdefault(row.tobytes(), len(keep))
        if j == len(keep):
            keep.append(i)
        inverse[i] = j
    distinct = units[keep]
    square = squareform(pdist(distinct, "cosine"))
    # two copies of a row are as far apart as pdist says (a rounding error from 0, or exactly 0)
    for j in np.flatnonzero(np.bincount(inverse, minlength=len(keep)) > 1):
        square[j, j] = pdist(distinct[[j, j]], "cosine")[0]
    full = square[np.ix_(inverse, inverse)]
    np.fill_diagonal(full, 0.0)
    return full


@dataclass(slots=True)
class _Run:
    """Adjacent segments of one track in one cluster: one occurrence to be."""

    cluster: int
    track: int
    rows: list[int]
    start: float
    end: float


def runs_of(segments: list[Segment], labels: np.ndarray, merge_adjacent: bool = True) -> list[_Run]:
    """Merge each track's windows that touch or overlap and share a cluster into runs."""
    order = sorted(range(len(segments)), key=lambda i: (segments[i].track, segments[i].start))
    runs: list[_Run] = []
    for i in order:
        seg, lab = segments[i], int(labels[i])
        if lab < 0:
            continue
        last = runs[-1] if runs else None
        if (
            merge_adjacent
            and last is not None
            and last.cluster == lab
            and last.track == seg.track
            and seg.start <= last.end + 1e-9
        ):
            last.rows.append(i)
            last.end = max(last.end, seg.end)
        else:
            runs.append(_Run(lab, seg.track, [i], seg.start, seg.end))
    return runs


def group(
    score: Score,
    embedded: EmbeddingResult,
    settings: GroupingSettings | None = None,
    calibrated_threshold: float | None = None,
    model_card: dict[str, str] | None = None,
    extra_settings: dict[str, Any] | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> Annotation:
    """Families of recurring segments as an :class:`Annotation` (see the module docstring)."""
    settings = settings or GroupingSettings()
    settings.check()
    t0 = time.perf_counter()
    threshold = settings.resolved_threshold(calibrated_threshold)
    segments = embedded.segments
    units, ok = unit_rows(embedded.vectors)  # once: for wide embeddings this is not free
    labels = _cluster_units(units, ok, threshold, settings.linkage)
    runs = runs_of(segments, labels, settings.merge_adjacent)

    by_cluster: dict[int, list[_Run]] = {}
    for run in runs:
        by_cluster.setdefault(run.cluster, []).append(run)
    families = [rs for rs in by_cluster.values() if len(rs) >= settings.min_occurrences]
    families.sort(key=lambda rs: min((r.start, r.track) for r in rs))

    motifs: list[Motif] = []
    for k, family_runs in enumerate(families):
        name = family_name(k)
        rows = [i for r in family_runs for i in r.rows]
        centre = units[rows].mean(axis=0)
        norm = np.linalg.norm(centre)
        centre = centre / norm if norm > 1e-12 else centre
        occurrences = []
        for number, run in enumerate(sorted(family_runs, key=lambda r: (r.start, r.track)), start=1):
            track = score.tracks[run.track]
            note_idx = sorted({n for i in run.rows for n in segments[i].note_indices})
            sim = float(np.mean(units[run.rows] @ centre))
            occurrences.append(
                Occurrence(
                    family=name,
                    number=number,
                    track=run.track,
                    track_name=track.name,
                    start=max(run.start, 0.0),  # a pickup window may start before beat 0
                    end=run.end,
                    start_bar=score.bar_number_at(max(run.start, 0.0), BAR_BEATS),
                    end_bar=score.bar_number_at(max(run.start, run.end - END_EPS), BAR_BEATS),
                    similarity=min(1.0, max(-1.0, sim)),
                    notes=[track.notes[n] for n in note_idx],
                    note_indices=note_idx,
                )
            )
        motifs.append(Motif(name, family_color(k), occurrences))

    if timings is not None:
        timings["grouping"] = timings.get("grouping", 0.0) + (time.perf_counter() - t0)
    recorded = {
        "sensitivity": settings.sensitivity,
        "threshold": round(threshold, 6),
        "threshold_source": "explicit"
        if settings.threshold is not None
        else ("model" if calibrated_threshold is not None else "default"),
        "linkage": settings.linkage,
        "metric": "cosine",
        "merge_adjacent": settings.merge_adjacent,
        "min_occurrences": settings.min_occurrences,
        "segments": len(segments),
        **(extra_settings or {}),
    }
    return Annotation(
        source=str(score.path) if score.path is not None else "",
        motifs=motifs,
        model=dict(model_card or {}),
        settings=recorded,
        tracks=[t.name for t in score.tracks],
    )
