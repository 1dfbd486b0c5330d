"""Short rhythmic cells: 2-3-note figures grouped by rhythm and contour, not by exact intervals.

Why: on BPS-motif tune a quarter of the labelled occurrences (378 of 1448) are 2-3-note cells
(a dotted figure, a neighbour-note turn) whose intervals vary from statement to statement, so the coarse-interval keys
of :mod:`motifcli.discovery.candidates` never group them, and lowering ``min_notes`` floods the
ranking with scale fragments (benchmarks/DISCOVERY-ALGO.md, phase 4). A cell is taken as a
*group*: its window must be bounded by a segmentation cue (a longer inter-onset interval or a rest
on both sides, one of them strictly longer than any inside), so running notes never form cells.
Windows are keyed by their quantised inter-onset intervals and up/down/same contour; a key becomes
a family when it is frequent (a 2-note cell far more so: ``cell_pair_statements``), not all repeated
notes, and not mostly inside longer families.
Cell families have their own budget (``short_cells``), skip the texture step, and rank with a
reduced salience (``cell_salience``) in the final ``max_families`` cut.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines, append_step
from motifcli.discovery.families import Chosen
from motifcli.discovery.patterns import extending_groups, groups_of, non_overlapping
from motifcli.discovery.types import DiscoverySettings

def cell_keys(lines: Lines, n: int) -> np.ndarray:
    """Key per start position of the n-note window (rhythm + up/down/same contour), -1 where not one voice."""
    N = len(lines)
    key = np.zeros(N, dtype=np.int64)
    valid = np.ones(N, dtype=bool)
    rq = np.minimum(np.round(lines.ioi / lines.grid).astype(np.int64), 4000)
    contour = np.sign(lines.interval)
    code = (contour + 2) * 4099 + rq  # one code per (contour, ioi)
    for j in range(n - 1):
        key, valid = append_step(lines, key, valid, code, j, n)
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
    rested = (rest_after >= rest_gap - tol) | (rest_before >= rest_gap - tol)
    strict = (after > inner + tol) | (before > inner + tol) | rested
    return after_ok & before_ok & strict & (inner > 0)


def in_runs(lines: Lines, starts: np.ndarray, reach: float) -> np.ndarray:
    """Statements with another one of the same cell within ``reach`` beats in the same voice.

    A motif cell comes back at once (sequences, answers); a lone rhythm coincidence does not.
    """
    on, vid = lines.onsets[starts], lines.voice_id[starts]
    near = np.zeros(len(starts), dtype=bool)
    same = vid[1:] == vid[:-1]
    close = same & (on[1:] - on[:-1] <= reach + 1e-9)
    near[1:] |= close
    near[:-1] |= close
    return starts[near]


def fewest_statements(settings: DiscoverySettings, n: int) -> int:
    """Statements an n-note cell family needs: a 2-note cell more (``cell_pair_statements``), since a
    pair of notes stated a few times is a passing step or a sigh, not a motif (phase26-cells26.md)."""
    return max(settings.cell_min_statements, settings.cell_pair_statements if n == 2 else 0)


def cell_families(lines: Lines, settings: DiscoverySettings, chosen: list[Chosen]) -> list[Chosen]:
    """Up to ``short_cells`` cell families, best first, sharing few notes with ``chosen`` or each other.

    With ``cell_notated_only`` only for notated rhythm (onsets on the 1/12-beat grid): in performed
    timing (POP909) the inter-onset cues that bound a cell are noise, and there the cells matched no
    labelled motif and cost establishment precision (benchmarks/phase5-shortcells.md).
    """
    if not settings.transpose or (settings.cell_notated_only and lines.grid > 1 / 12 + 1e-9):
        return []  # the no-invariance ablation keeps exact-pitch repeats only; cells vary their pitches
    claimed = np.zeros(len(lines), dtype=bool)
    for fam in chosen:
        for pos in fam.notes:
            claimed[pos] = True
    by_cells = np.zeros(len(lines), dtype=bool)  # notes of cells chosen here (cell_free_of_lines=False)
    lo = max(2, settings.cell_min_notes)
    hi = settings.cell_max_notes
    grouped = {n: groups_of(np.where(bounded(lines, n, settings.cell_rest_share),
                                      cell_keys(lines, n), -1))
               for n in range(lo, hi + 2)}
    candidates: list[tuple[float, int, np.ndarray]] = []
    for n in range(lo, hi + 1):
        _, indptr, members = grouped[n]
        extends = (extending_groups(indptr, members, grouped[n + 1][0], lines, settings.extend_share)
                   if settings.cell_closed else None)
        for g in range(len(indptr) - 1):
            mem = members[indptr[g] : indptr[g + 1]]
            if extends is not None and extends[g]:
                continue  # a piece of a longer cell (or of a longer cell's n + 1 window)
            fewest = fewest_statements(settings, n)
            if len(mem) < fewest:
                continue
            k = int(mem[0])
            if not np.any(lines.interval[k : k + n - 1] != 0):  # repeated notes only: no figure
                continue
            starts = non_overlapping(mem, n, lines.voice_id)
            if settings.cell_neighbourhood > 0:
                starts = in_runs(lines, starts, settings.cell_neighbourhood)
            if len(starts) < fewest:
                continue
            candidates.append((float(len(starts) * n), n, starts))
    out: list[Chosen] = []
    best = max((c[0] for c in candidates), default=0.0)
    def order(c: tuple[float, int, np.ndarray]) -> tuple[float, float, int]:
        return (-c[1], -c[0], int(c[2][0])) if settings.cell_longest_first else (-c[0], c[1], int(c[2][0]))

    for score, n, starts in sorted(candidates, key=order):
        if len(out) >= settings.short_cells:
            break
        if score < settings.relative_salience * best:
            continue
        idx = starts[:, None] + np.arange(n)[None, :]
        if claimed[idx.ravel()].mean() > settings.cell_redundancy:
            continue
        if settings.cell_free_statements:  # statements on notes already taken go; the rest must still be frequent
            taken = claimed if settings.cell_free_of_lines else by_cells
            starts = starts[~taken[idx].any(axis=1)]
            if len(starts) < fewest_statements(settings, n):
                continue
            idx = starts[:, None] + np.arange(n)[None, :]
        claimed[idx.ravel()] = True
        by_cells[idx.ravel()] = True
        out.append(Chosen(n, starts, np.zeros(len(starts)), float(len(starts) * n), discount=settings.cell_salience))
    return out
