"""Pattern choice by compression (minimum description length), an option beside ``families.choose``.

As in Meredith's COSIATEC / SIATECCompress: a pattern is worth the notes it newly explains minus what
it costs to describe, its notes and its statements (one translator each),

    gain = discount ** compress_discount x newly covered notes - compress_cost x (notes + statements),

statements' notes counted once, notes already explained by a chosen pattern not counted again. The
patterns are taken greedily by gain (recomputed as notes are claimed: gains only fall, so a lazy heap
is exact) until the best gain is no longer positive: one criterion for length, redundancy and how many,
instead of the claimed-share test (``redundancy``), the count cap (``notes_per_family``) and the
length discounts. ``discount`` is the pattern's accompaniment-figure discount (``score_pattern``'s
score over statements x notes; ``compress_discount`` 0: plain compression). With ``compress_cap`` the
piece-relative cap still bounds the count. benchmarks/phase22-mdl22.md measured it.
"""

from __future__ import annotations

import heapq

import numpy as np

from motifcli.discovery.candidates import Lines, interval_class
from motifcli.discovery.families import Chosen
from motifcli.discovery.patterns import Pattern
from motifcli.discovery.types import DiscoverySettings


def compression_gain(new: float, n: int, statements: int, discount: float, settings: DiscoverySettings,
                     translator: float = 1.0) -> float:
    """Notes newly explained (discounted) minus the description's cost (its notes and statements, a
    statement costing ``translator`` notes)."""
    return discount ** settings.compress_discount * new - settings.compress_cost * (n + translator * statements)


def translator_cost(lines: Lines) -> float:
    """What a statement costs in notes, in bits: naming its position (log2 of the positions) over naming a
    note (log2 of the piece's distinct (interval class, inter-onset interval) pairs): piece-relative."""
    pairs = np.unique(np.stack([interval_class(lines.interval), np.round(lines.ioi / lines.grid)]), axis=1).shape[1]
    return float(np.log2(max(len(lines), 2)) / np.log2(max(pairs, 2)))


def choose_compressed(patterns: list[Pattern], lines: Lines, settings: DiscoverySettings) -> list[Chosen]:
    """Greedy choice by :func:`compression_gain`, best first, until no pattern gains."""
    chosen: list[Chosen] = []
    if not patterns:
        return chosen
    cap = settings.max_families
    if settings.compress_cap:
        cap = min(cap, max(3, int(len(lines) // settings.notes_per_family)))
    claimed = np.zeros(len(lines), dtype=bool)
    translator = translator_cost(lines) if settings.compress_bits else 1.0
    spans = [(p.starts[:, None] + np.arange(p.n)[None, :]).ravel() for p in patterns]
    discounts = [p.score / (len(p.starts) * p.n) for p in patterns]

    def free(i: int) -> np.ndarray:
        """The pattern's statements: all, or (``compress_residual``) those on no claimed note."""
        p = patterns[i]
        if not settings.compress_residual:
            return p.starts
        return p.starts[~claimed[spans[i]].reshape(len(p.starts), p.n).any(axis=1)]

    def gain(i: int) -> float:
        p = patterns[i]
        starts = free(i)
        if len(starts) < 2:
            return -np.inf
        if settings.compress_residual:
            new = float(len(starts) * p.n)
        else:  # notes explained again count compress_overlap each (0: MDL proper)
            free_notes = ~claimed[spans[i]]
            if settings.compress_nested:  # a statement inside one chosen statement describes its inside: new
                st = p.starts
                inside = (lo_of[st] >= 0) & (lo_of[st] <= st) & (hi_of[st] >= st + p.n - 1)
                free_notes = free_notes | np.repeat(inside, p.n)
            fresh = int(np.count_nonzero(free_notes))
            new = fresh + settings.compress_overlap * (len(spans[i]) - fresh)
        g = compression_gain(new, p.n, len(starts), discounts[i], settings, translator)
        if settings.compress_rank == "ratio" and g > 0:  # SIATECCompress: explained over described, > 1 iff g > 0
            cost = settings.compress_cost * (p.n + translator * len(starts))
            return (g + cost) / cost
        if settings.compress_rank == "per_note":  # the gain per note of the pattern: no bias to long repeats
            return g / p.n
        return g

    lo_of = np.full(len(lines), -1, dtype=np.int64)  # per note: the widest chosen statement holding it
    hi_of = np.full(len(lines), -1, dtype=np.int64)

    def _take(i: int) -> None:
        p, starts = patterns[i], free(i)
        claimed[(starts[:, None] + np.arange(p.n)[None, :]).ravel()] = True
        for k in starts.tolist():
            wider = (lo_of[k : k + p.n] < 0) | (hi_of[k : k + p.n] - lo_of[k : k + p.n] < p.n - 1)
            lo_of[k : k + p.n][wider], hi_of[k : k + p.n][wider] = k, k + p.n - 1
        chosen.append(Chosen(p.n, starts, np.zeros(len(starts)), p.score, discount=discounts[i]))

    # ties as families.choose orders them: score, then shorter, then earlier
    order = {i: r for r, i in enumerate(sorted(range(len(patterns)),
                                               key=lambda i: (-patterns[i].score, patterns[i].n, int(patterns[i].starts[0]))))}
    if settings.compress_rank == "score":  # the score's order, a pattern taken while it gains (no redundancy test)
        for i in sorted(order, key=order.get):
            if len(chosen) >= cap:
                break
            if settings.compress_redundancy and claimed[spans[i]].mean() > settings.redundancy:
                continue  # families.choose's claimed-share test kept: the gain then replaces only the cap
            if gain(i) > 0:
                _take(i)
        return chosen
    heap = [(-gain(i), order[i], i) for i in range(len(patterns))]
    heapq.heapify(heap)
    while heap and len(chosen) < cap:
        _, rank, i = heapq.heappop(heap)
        g = gain(i)
        if heap and g < -heap[0][0] - 1e-12:  # stale: its notes were claimed since; back with its new gain
            heapq.heappush(heap, (-g, rank, i))
            continue
        if g <= 0:
            break
        _take(i)
    return chosen
