"""One family per run of shifted windows (``DiscoverySettings.join_shifted``; phase17-join17.md).

A theme repeated as a whole is often found as several families of overlapping windows (op. 18/1/ii's
first phrase as seven families): statement k of family X overlaps statement k of family Y in the same
line, at one constant shift. Such families are joined into one whose statements are the unions, and
the places freed under the family cap are refilled from the greedy choice (phase 5 joined after the
choice, lost the places, and with them establishment precision; phase5-extent.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.families import Chosen, set_statements
from motifcli.quantiles import median


def shifted_pairs(a: list[np.ndarray], b: list[np.ndarray], share: float, of: str = "larger",
                  reach: int = 0) -> list[tuple[int, int]]:
    """(statement of ``a``, statement of ``b``) pairs overlapping at the most common shift (positions in one
    line's run of ``Lines``), one to one; empty unless they are at least ``share`` of the ``of`` ("larger" or
    "smaller") family's statements, and at least two. ``reach`` > 0: only shifts of at most that many positions."""
    lo_a = np.array([int(p.min()) for p in a])
    hi_a = np.array([int(p.max()) for p in a])
    by_shift: dict[int, list[tuple[int, int]]] = {}
    for j, pos in enumerate(b):
        lo, hi = int(pos.min()), int(pos.max())
        near = (lo_a <= hi) & (hi_a >= lo) & ((np.abs(lo - lo_a) <= reach) if reach > 0 else True)
        for i in np.flatnonzero(near).tolist():
            by_shift.setdefault(lo - int(lo_a[i]), []).append((i, j))
    if not by_shift:
        return []
    _, pairs = max(by_shift.items(), key=lambda kv: (len(kv[1]), -abs(kv[0])))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i), used_b.add(j)
            out.append((i, j))
    size = max(len(a), len(b)) if of == "larger" else min(len(a), len(b))
    return out if len(out) >= max(2.0, share * size) else []


def union(a: Chosen, b: Chosen, pairs: list[tuple[int, int]], size: int) -> Chosen:
    """One family (``a``'s score and discount): the paired statements' unions, then the unpaired ones of
    both, closest first, where they overlap nothing kept."""
    taken = np.zeros(size, dtype=bool)
    notes, dist, first = [], [], []
    for i, j in pairs:
        pos = np.union1d(a.notes[i], b.notes[j])
        taken[pos.min() : pos.max() + 1] = True
        notes.append(pos), dist.append(max(float(a.distance[i]), float(b.distance[j]))), first.append(int(pos[0]))
    paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
    rest = [(a, i) for i in range(len(a.notes)) if i not in paired_a]
    rest += [(b, j) for j in range(len(b.notes)) if j not in paired_b]
    rest.sort(key=lambda fi: float(fi[0].distance[fi[1]]))
    for f, i in rest:
        pos = f.notes[i]
        if not taken[pos.min() : pos.max() + 1].any():
            taken[pos.min() : pos.max() + 1] = True
            notes.append(pos), dist.append(float(f.distance[i])), first.append(int(pos[0]))
    out = Chosen(a.n, a.starts, a.distance, a.score, list(a.notes), a.discount)
    set_statements(out, notes, dist, first)
    exact = [len(p) for p, d in zip(out.notes, out.distance) if d == 0]
    out.n = int(median(exact or [len(p) for p in out.notes]))
    return out


def join_into(kept: list[Chosen], fam: Chosen, lines: Lines, share: float, of: str, reach: int = 0) -> int:
    """Join ``fam`` into ``kept`` (in place; most salient first): into a kept family it pairs with, the union
    taking that family's place and tested again until nothing pairs. Returns how many it joined (0: appended)."""
    pending, place, joins = fam, len(kept), 0
    while True:
        hit = next(((i, p) for i, k in enumerate(kept) if (p := shifted_pairs(k.notes, pending.notes, share, of, reach))), None)
        if hit is None:
            break
        i, pairs = hit
        pending, joins, place = union(kept.pop(i), pending, pairs, len(lines)), joins + 1, min(place, i)
        place = min(place, len(kept))
    kept.insert(place, pending)
    return joins


def join_refilled(pool: list[Chosen], cap: int, gather: Callable[[list[Chosen]], list[Chosen]], lines: Lines,
                  share: float, of: str, reach: int = 0, refill: bool = True) -> list[Chosen]:
    """The first ``cap`` of ``pool`` (greedy order) after ``gather`` (variants, filters), shifted windows joined;
    each join frees a place, filled by the next families of ``pool`` (gathered and joined in turn) until there
    are as many as without joining (``refill`` False: none, as phase 5's join after the choice)."""
    first = gather(pool[:cap])
    kept: list[Chosen] = []
    for fam in first:
        join_into(kept, fam, lines, share, of, reach)
    nxt = cap
    while refill and len(kept) < len(first) and nxt < len(pool):
        more = len(first) - len(kept)
        for fam in gather(pool[nxt : nxt + more]):
            join_into(kept, fam, lines, share, of, reach)
        nxt += more
    return kept
