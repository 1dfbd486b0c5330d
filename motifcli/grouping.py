"""Segment embeddings of one score to motif families (A, B, ...) and their occurrences (A1, A2, ...).

Segments of all pitched tracks are clustered together, because a motif may move from the melody
to the bass. Agglomerative clustering (:mod:`motifcli.clustering`) with a distance threshold, in the
distance the model card names (cosine for the shipped model), needs no number of
clusters, which nobody knows in advance. A run of adjacent windows of one track in the same
cluster is one occurrence (a four-bar phrase is one motif statement, not four), and a cluster
becomes a family only if it then still has two occurrences: a motif is something that recurs.

Sensitivity
    ``sensitivity`` in [0, 1] picks the distance threshold ``t`` under which segments join:
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

import numpy as np

from motifcli.annotation import Annotation, Motif, Occurrence, family_color, family_name, rank_motifs, salience
from motifcli.clustering import cluster_labels, pairwise_distances
from motifcli.embedding import EmbeddingResult, select_tracks
from motifcli.errors import ModelError
from motifcli.meter import SPAN_END_EPS, MeterMap
from motifcli.score import Score
from motifcli.segment import Segment
from motifcli.settings import DEFAULT_THRESHOLD, LINKAGES, MIN_THRESHOLD, Settings, threshold_for

__all__ = [
    "BAR_BEATS", "DEFAULT_THRESHOLD", "LINKAGES", "MIN_THRESHOLD", "cluster", "group", "threshold_for", "unit_rows",
]

BAR_BEATS = 4.0


def preload() -> None:
    """Nothing heavy left to import ahead of time (the clustering is numpy); kept for callers."""


def unit_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows scaled to length 1, and a mask of the rows that had a length (zero rows have no angle)."""
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1) if v.size else np.zeros(v.shape[0])
    ok = norms > 1e-12
    out = np.zeros_like(v)
    out[ok] = v[ok] / norms[ok, None]
    return out, ok


def cluster(vectors: np.ndarray, threshold: float, linkage: str = "average", metric: str = "cosine") -> np.ndarray:
    """Cluster labels per row (agglomerative, cut at ``threshold``); -1 for rows with no direction
    (cosine only: a zero vector has no angle to anything)."""
    units, ok = unit_rows(vectors)
    if metric == "euclidean":
        return _cluster_rows(np.asarray(vectors, dtype=np.float64), np.ones(len(ok), dtype=bool), threshold, linkage, metric)
    return _cluster_rows(units, ok, threshold, linkage, metric)


def _cluster_rows(rows: np.ndarray, ok: np.ndarray, threshold: float, linkage: str, metric: str) -> np.ndarray:
    labels = np.full(rows.shape[0], -1, dtype=np.int64)
    idx = np.flatnonzero(ok)
    if idx.size == 1:
        labels[idx] = 0
    elif idx.size > 1:
        labels[idx] = cluster_labels(pairwise_distances(rows[idx], metric), threshold, linkage)
    return labels


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


def score_end_limit(score: Score, meter: MeterMap | None = None) -> float:
    """Where occurrences must end at the latest: the end of the bar that holds the score's last sound.

    ``meter``: the run's bars (default: the score's own). A window shifted by a pickup, or a fixed
    grid's last window, can reach past it.
    """
    end = score.end_beat
    meter = meter if meter is not None else score.meter_map
    bar = meter.bar_at(max(end - SPAN_END_EPS, 0.0))
    return max(bar.end, end) if bar is meter.bars[-1] and end > bar.end else bar.end


def keep_most_salient(motifs: list[Motif], limit: int | None) -> list[Motif]:
    """The ``limit`` most salient families (all when None), renamed and recoloured A, B, ... by
    first appearance again so that names have no gaps."""
    if limit is None or len(motifs) <= limit:
        return motifs
    best = sorted(range(len(motifs)), key=lambda i: (-motifs[i].salience, i))[:limit]
    kept = [motifs[i] for i in sorted(best)]
    for k, motif in enumerate(kept):
        motif.name, motif.color = family_name(k), family_color(k)
        for occ in motif.occurrences:
            occ.family = motif.name
    return kept


def group(
    score: Score,
    embedded: EmbeddingResult,
    settings: Settings,
    model_card: dict[str, str] | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> Annotation:
    """Families of recurring segments as an :class:`Annotation` (see the module docstring).

    ``settings`` must be resolved (:meth:`Settings.resolve`): they carry the threshold and distance.
    """
    if not settings.resolved or settings.threshold is None:
        raise ValueError("group() needs resolved settings (Settings.resolve(model))")
    t0 = time.perf_counter()
    threshold = float(settings.threshold)
    segments = embedded.segments
    vectors = np.asarray(embedded.vectors)
    if vectors.size and not np.all(np.isfinite(vectors)):
        raise ModelError("the model returned NaN or infinite embeddings")
    units, ok = unit_rows(vectors)  # once: for wide embeddings this is not free
    if settings.distance == "euclidean":
        labels = _cluster_rows(vectors.astype(np.float64), np.ones(len(ok), dtype=bool), threshold, settings.linkage, "euclidean")
    else:
        labels = _cluster_rows(units, ok, threshold, settings.linkage, "cosine")
    runs = runs_of(segments, labels, settings.merge_adjacent)

    by_cluster: dict[int, list[_Run]] = {}
    for run in runs:
        by_cluster.setdefault(run.cluster, []).append(run)
    families = [rs for rs in by_cluster.values() if len(rs) >= settings.min_occurrences]
    families.sort(key=lambda rs: min((r.start, r.track) for r in rs))
    meter = settings.meter_map if settings.meter_map is not None else score.meter_map
    limit = score_end_limit(score, meter)
    pitched_notes = sum(len(t.notes) for t in select_tracks(score, settings.track))  # salience denominator

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
            start = max(run.start, 0.0)  # a pickup window may start before beat 0
            end = max(start, min(run.end, limit))  # ... and a shifted one may reach past the score
            occurrences.append(
                Occurrence(
                    family=name,
                    number=number,
                    track=run.track,
                    track_name=track.name,
                    start=start,
                    end=end,
                    **meter.span_bars(start, end),
                    similarity=min(1.0, max(-1.0, sim)),
                    notes=[track.notes[n] for n in note_idx],
                    note_indices=note_idx,
                )
            )
        motifs.append(Motif(name, family_color(k), occurrences, salience(occurrences, pitched_notes)))
    motifs = keep_most_salient(motifs, settings.max_families)
    rank_motifs(motifs)  # names stay by first appearance; rank says which matters most

    if timings is not None:
        timings["grouping"] = timings.get("grouping", 0.0) + (time.perf_counter() - t0)
    return Annotation(
        source=score.source_name,
        motifs=motifs,
        model=dict(model_card or {}),
        settings={**settings.to_dict(), "segments": len(segments)},
        tracks=[t.name for t in score.tracks],
        meter=settings.meter_dict() if settings.meter_map is not None else {**meter.to_dict()},
    )
