"""Where a chain of back-to-back statements is cut: at the line's strongest melodic boundary.

A figure repeated back to back (a sequence) repeats exactly from any of its notes, so the window the
exact repeats give may start a note or two into the motif: its statements then each take the next
statement's first note (benchmarks/phase13-bounds13.md, BPS 01-1 `d`: ...64 63 68 | 76 75 73...,
ours 75 ... 76). Which rotation is the motif is what a listener hears as the boundary: a leap, a
longer note or a rest between two notes (Cambouropoulos's local boundary detection model, LBDM).
:func:`rotate_chains` moves a family's chained statements together to the shift (up to ``reach``
notes either way) whose cuts have the most boundary strength.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.families import Chosen, set_statements


def boundary_strength(lines: Lines) -> np.ndarray:
    """LBDM strength of the boundary after each position (between k and k + 1; 1 at a voice's end).

    Per parameter (pitch interval size, inter-onset interval, rest) the strength of interval i is
    x_i (r(i-1, i) + r(i, i+1)) with r the relative change |a - b| / (a + b), scaled to the line's
    maximum; weights 0.25 / 0.5 / 0.25 as in Cambouropoulos (2001).
    """
    n = len(lines)
    out = np.ones(n)
    if n < 2:
        return out
    same = lines.same_next
    rest = np.zeros(n)
    rest[:-1] = np.where(same[:-1], np.maximum(lines.onsets[1:] - lines.offsets[:-1], 0.0), 0.0)
    total = np.zeros(n)
    for x, w in ((np.abs(lines.interval).astype(float), 0.25), (lines.ioi.astype(float), 0.5), (rest, 0.25)):
        x = np.where(same, x, 0.0)
        nxt = np.zeros(n)
        nxt[:-1] = np.where(same[1:], x[1:], 0.0)  # the interval after (none past a voice's end)
        prv = np.zeros(n)
        prv[1:] = np.where(same[:-1], x[:-1], 0.0)
        r_next = np.divide(np.abs(x - nxt), x + nxt, out=np.zeros(n), where=(x + nxt) > 0)
        r_prev = np.divide(np.abs(prv - x), prv + x, out=np.zeros(n), where=(prv + x) > 0)
        s = x * (r_prev + r_next)
        s = np.where(same, s, 0.0)
        top = s.max()
        if top > 0:
            total += w * s / top
    return np.where(same, total, 1.0)


def rotate_chains(fam: Chosen, lines: Lines, strength: np.ndarray, reach: int, margin: float) -> None:
    """Move the family's chained statements (each starting right after another ends) together by the
    shift in -reach .. reach whose statement cuts are, summed, strongest (in place); a shift must beat
    staying by ``margin`` (share of the present sum) and keep every moved statement in its voice,
    clear of the family's other statements."""
    if reach <= 0 or len(fam.notes) < 2:
        return
    los = np.array([int(p.min()) for p in fam.notes])
    his = np.array([int(p.max()) for p in fam.notes])
    order = np.argsort(los)
    chained = np.zeros(len(los), dtype=bool)
    for a, b in zip(order[:-1], order[1:]):
        if his[a] + 1 == los[b] and lines.same_next[his[a]]:
            chained[a] = chained[b] = True
    idx = np.flatnonzero(chained)
    if len(idx) < 2:
        return
    n = len(lines)
    vid = lines.voice_id
    still = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(~chained):
        still[los[k] : his[k] + 1] = True

    def score(d: int) -> float | None:
        total = 0.0
        for k in idx:
            lo, hi = los[k] + d, his[k] + d
            if lo < 0 or hi >= n or vid[lo] != vid[los[k]] or vid[hi] != vid[los[k]] or still[lo : hi + 1].any():
                return None
            total += (strength[lo - 1] if lo > 0 and vid[lo - 1] == vid[lo] else 1.0) + strength[hi]
        return total

    base = score(0) or 0.0
    best, best_d = base * (1 + margin), 0
    for d in [d for r in range(1, reach + 1) for d in (-r, r)]:
        s = score(d)
        if s is not None and s > best + 1e-9:
            best, best_d = s, d
    if best_d == 0:
        return
    notes = [p + best_d if chained[k] else p for k, p in enumerate(fam.notes)]
    set_statements(fam, notes, list(fam.distance), [int(p.min()) for p in notes])


def recut_chains(fam: Chosen, lines: Lines, strength: np.ndarray, reach: int, margin: float, min_notes: int) -> None:
    """Move every cut between two back-to-back statements of the family by one shared offset in
    -reach .. reach (the earlier statement gives notes to the later one, or takes them), the offset
    whose cuts are, summed, strongest (in place); the chain's outer ends stay where growing left them.
    A statement keeps at least ``min_notes`` notes; a shift must beat staying by ``margin``."""
    if reach <= 0 or len(fam.notes) < 2:
        return
    los = np.array([int(p.min()) for p in fam.notes])
    his = np.array([int(p.max()) for p in fam.notes])
    order = np.argsort(los)
    cuts = [(int(a), int(b)) for a, b in zip(order[:-1], order[1:]) if his[a] + 1 == los[b] and lines.same_next[his[a]]]
    if not cuts:
        return
    size = [len(p) for p in fam.notes]

    def score(d: int) -> float | None:
        total = 0.0
        for a, b in cuts:
            if size[a] + d < min_notes or size[b] - d < min_notes:
                return None
            total += strength[his[a] + d]
        return total

    base = score(0) or 0.0
    best, best_d = base * (1 + margin), 0
    for d in [d for r in range(1, reach + 1) for d in (-r, r)]:
        sc = score(d)
        if sc is not None and sc > best + 1e-9:
            best, best_d = sc, d
    if best_d == 0:
        return
    lo, hi = los.copy(), his.copy()
    for a, b in cuts:
        hi[a] += best_d
        lo[b] += best_d
    notes = []
    for k, p in enumerate(fam.notes):
        keep = p[(p >= lo[k]) & (p <= hi[k])]
        add_lo = np.arange(lo[k], los[k]) if lo[k] < los[k] else np.zeros(0, dtype=np.int64)
        add_hi = np.arange(his[k] + 1, hi[k] + 1) if hi[k] > his[k] else np.zeros(0, dtype=np.int64)
        notes.append(np.concatenate((add_lo, keep, add_hi)).astype(np.int64))
    set_statements(fam, notes, list(fam.distance), [int(p.min()) for p in notes])


def rotate_families(chosen: list[Chosen], lines: Lines, reach: int, margin: float, cut: bool = False,
                    min_notes: int = 4) -> None:
    """:func:`rotate_chains` (``cut``: :func:`recut_chains`) on every family (in place)."""
    strength = boundary_strength(lines)
    for fam in chosen:
        if cut:
            recut_chains(fam, lines, strength, reach, margin, min_notes)
        else:
            rotate_chains(fam, lines, strength, reach, margin)
