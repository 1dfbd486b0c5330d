"""Same-rhythm variants: statements of a family's rhythm whose intervals vary beyond the alignment tolerance.

Why: on BPS-motif tune most labelled statements that lie in one voice yet share no note with the
family recalling their motif keep the motif's rhythm and change its intervals more than
``variant_tolerance`` allows (a rhythmic motif restated over other pitches; benchmarks/inline_probe.py,
benchmarks/phase12-inline12.md). A window of the family's length, in a voice holding one of its exact
statements, with the same quantised inter-onset intervals as an exemplar, may join up to
``rhythm_variants`` mean |interval change| (semitones), when at least ``rhythm_contour`` of its
intervals move in the exemplar's direction.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import interval_class


def same_rhythm_distance(
    wp: np.ndarray, wo: np.ndarray, ex_p: np.ndarray, ex_o: np.ndarray, grid: float, contour: float,
    tail: np.ndarray | None = None, ex_tail: np.ndarray | None = None,
) -> np.ndarray:
    """Per window [W, n], the smallest mean |interval change| to an exemplar [X, n] of identical
    rhythm (IOIs equal on the ``grid``) and at least ``contour`` share of same-direction intervals
    (inf where none qualifies). With ``tail`` [W] and ``ex_tail`` [X] (each last note's inter-onset
    interval to the next note of its voice), those must be equal too."""
    iv = np.diff(wp, axis=1).astype(np.float64)
    rq = np.round(np.diff(wo, axis=1) / grid).astype(np.int64)
    ex_iv = np.diff(ex_p, axis=1).astype(np.float64)
    ex_rq = np.round(np.diff(ex_o, axis=1) / grid).astype(np.int64)
    if tail is not None and ex_tail is not None:
        rq = np.concatenate([rq, np.round(tail / grid).astype(np.int64)[:, None]], axis=1)
        ex_rq = np.concatenate([ex_rq, np.round(ex_tail / grid).astype(np.int64)[:, None]], axis=1)
    best = np.full(len(wp), np.inf)
    for a, r in zip(ex_iv, ex_rq):
        same = (rq == r[None, :]).all(axis=1)
        agree = (np.sign(iv) == np.sign(a)[None, :]).mean(axis=1) >= contour - 1e-9
        d = np.abs(iv - a[None, :]).mean(axis=1)
        np.minimum(best, np.where(same & agree, d, np.inf), out=best)
    return best


def same_classes_distance(wp: np.ndarray, wo: np.ndarray, ex_p: np.ndarray, ex_o: np.ndarray, floor: float) -> np.ndarray:
    """Per window [W, n], the smallest mean |log2 inter-onset ratio| to an exemplar [X, n] whose
    interval classes (:func:`~motifcli.discovery.candidates.interval_class`: a diatonic transposition)
    are its own (inf where none)."""
    cls = interval_class(np.diff(wp, axis=1).astype(np.int64))
    lr = np.log2(np.maximum(np.diff(wo, axis=1), floor))
    ex_cls = interval_class(np.diff(ex_p, axis=1).astype(np.int64))
    ex_lr = np.log2(np.maximum(np.diff(ex_o, axis=1), floor))
    best = np.full(len(wp), np.inf)
    for c, r in zip(ex_cls, ex_lr):
        same = (cls == c[None, :]).all(axis=1)
        np.minimum(best, np.where(same, np.abs(lr - r[None, :]).mean(axis=1), np.inf), out=best)
    return best


def inside_exemplar(wp: np.ndarray, wo: np.ndarray, ex_p: np.ndarray, ex_o: np.ndarray, grid: float,
                    prefix_only: bool) -> np.ndarray:
    """Per window [W, m] (m below the family's n), True where its interval classes and quantised
    inter-onset intervals are those of m consecutive notes of an exemplar [X, n] (its first m with
    ``prefix_only``): a statement of part of the motif."""
    def codes(p: np.ndarray, o: np.ndarray) -> np.ndarray:
        cls = interval_class(np.diff(p, axis=1).astype(np.int64))
        return (cls + 64) * 100_003 + np.round(np.diff(o, axis=1) / grid).astype(np.int64)

    m = wp.shape[1]
    c = codes(wp, wo)
    e = codes(ex_p, ex_o)
    hit = np.zeros(len(wp), dtype=bool)
    for off in range(0, 1 if prefix_only else ex_p.shape[1] - m + 1):
        sub = e[:, off : off + m - 1]
        hit |= (c[:, None, :] == sub[None, :, :]).all(axis=2).any(axis=1)
    return hit
