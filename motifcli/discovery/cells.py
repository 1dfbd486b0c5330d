"""Short rhythmic cells: 2-4-note figures grouped by rhythm and contour, not by exact intervals.

Why: on BPS-motif a fifth of the labelled occurrences are 2-3-note cells (a dotted figure, a
neighbour-note turn) whose intervals vary from statement to statement, so the coarse-interval keys
of :mod:`motifcli.discovery.candidates` never group them, and lowering ``min_notes`` floods the
ranking with scale fragments (benchmarks/DISCOVERY-ALGO.md, phase 4). A cell is taken as a
*group*: its window must be bounded by a segmentation cue (a longer inter-onset interval or a rest
on both sides, one of them strictly longer than any inside), so running notes never form cells.
Windows are keyed by their quantised inter-onset intervals and up/down/same contour; a key becomes
a family when it is frequent, not all repeated notes, and not mostly inside longer families.
Cell families have their own budget, so they never push a longer motif out.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.families import Chosen
from motifcli.discovery.patterns import groups_of, non_overlapping
from motifcli.discovery.types import DiscoverySettings

_M1 = np.int64(1_000_003)
_M2 = np.int64(999_983)


def cell_keys(lines: Lines, n: int) -> np.ndarray:
    """Key per start position of the n-note window (rhythm + contour), -1 where not one voice."""
    N = len(lines)
    key = np.zeros(N, dtype=np.int64)
    valid = np.ones(N, dtype=bool)
    rq = np.minimum(np.round(lines.ioi / lines.grid).astype(np.int64), 4000)
    code = (np.sign(lines.interval) + 1) * 4099 + rq  # one code per (up/down/same, ioi)
    for j in range(n - 1):
        pos = np.arange(N) + j
        inside = pos < N
        ok = np.zeros(N, dtype=bool)
        ok[inside] = lines.same_next[pos[inside]]
        valid &= ok
        step = np.zeros(N, dtype=np.int64)
        step[inside] = code[pos[inside]]
        key = key * _M1 + step * _M2 + np.int64(n)
    return np.where(valid, key, -1)


def bounded(lines: Lines, n: int, rest_share: float) -> np.ndarray:
    """True where the n-note window starting there is a group: set off by its neighbours' timing.

    The gap before its first note and the gap after its last (inter-onset interval, or a rest of at
    least ``rest_share`` of the longest inside interval) must be at least as long as every
    inter-onset interval inside, and one of them strictly longer; a voice's ends count as gaps.
    """
    N = len(lines)
    starts = np.arange(N)
    last = np.minimum(starts + n - 1, N - 1)
    inner = np.zeros(N)
    for j in range(n - 1):
        inner = np.maximum(inner, lines.ioi[np.minimum(starts + j, N - 1)])
    inf = np.inf
    after = np.where(lines.same_next[last], lines.ioi[last], inf)
    nxt = np.minimum(last + 1, N - 1)
    rest_after = np.where(lines.same_next[last], lines.onsets[nxt] - lines.offsets[last], inf)
    prev = np.maximum(starts - 1, 0)
    has_prev = (starts > 0) & lines.same_next[prev]
    before = np.where(has_prev, lines.ioi[prev], inf)
    rest_before = np.where(has_prev, lines.onsets - lines.offsets[prev], inf)
    tol = lines.grid / 2
    rest_gap = rest_share * inner
    after_ok = (after >= inner - tol) | (rest_after >= rest_gap - tol)
    before_ok = (before >= inner - tol) | (rest_before >= rest_gap - tol)
    strict = (after > inner + tol) | (before > inner + tol) | (rest_after >= rest_gap - tol) | (rest_before >= rest_gap - tol)
    return after_ok & before_ok & strict & (inner > 0)


def cell_families(lines: Lines, settings: DiscoverySettings, chosen: list[Chosen]) -> list[Chosen]:
    """Up to ``short_cells`` cell families, best first, sharing few notes with ``chosen`` or each other."""
    claimed = np.zeros(len(lines), dtype=bool)
    for fam in chosen:
        for pos in fam.notes:
            claimed[pos] = True
    lo = max(2, settings.cell_min_notes)
    candidates: list[tuple[float, int, np.ndarray]] = []
    for n in range(lo, settings.cell_max_notes + 1):
        keys = np.where(bounded(lines, n, settings.cell_rest_share), cell_keys(lines, n), -1)
        _, indptr, members = groups_of(keys)
        for g in range(len(indptr) - 1):
            mem = members[indptr[g] : indptr[g + 1]]
            if len(mem) < settings.cell_min_statements:
                continue
            k = int(mem[0])
            if not np.any(lines.interval[k : k + n - 1] != 0):  # repeated notes only: no figure
                continue
            starts = non_overlapping(mem, n, lines.voice_id)
            if len(starts) < settings.cell_min_statements:
                continue
            candidates.append((float(len(starts) * n), n, starts))
    out: list[Chosen] = []
    best = max((c[0] for c in candidates), default=0.0)
    for score, n, starts in sorted(candidates, key=lambda c: (-c[0], c[1], int(c[2][0]))):
        if len(out) >= settings.short_cells or score < settings.relative_salience * best:
            break
        idx = (starts[:, None] + np.arange(n)[None, :]).ravel()
        if claimed[idx].mean() > settings.cell_redundancy:
            continue
        claimed[idx] = True
        out.append(Chosen(n, starts, np.zeros(len(starts)), score, discount=1.0))
    return out
