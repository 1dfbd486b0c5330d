"""The extent of voice families' statements: shifted windows of one run joined, agreeing ends extended.

Two faults of the global window caps (benchmarks/DISCOVERY-ALGO.md, phase 4 error analysis):
one labelled motif spread over several families that are shifted windows of one longer run
(most statements of B start k notes after a statement of A, in the same voice), and long motifs
cut at ``max_notes`` (raising the cap for every pattern was worse). Both are fixed per family,
after variants: :func:`join_shifted` makes the shifted families one family whose occurrences are
the unions, :func:`extend_statements` grows a family's statements note by note while most of them
keep agreeing. Both work on :class:`~motifcli.discovery.families.Chosen` in place of the caps.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from motifcli.discovery.candidates import Lines, interval_class_of
from motifcli.discovery.crowd import judges
from motifcli.discovery.families import Chosen, covered, set_statements
from motifcli.discovery.types import DiscoverySettings
from motifcli.quantiles import median


def join_shifted(chosen: list[Chosen], lines: Lines, share: float, reach: int, keep: bool = False) -> list[Chosen]:
    """Join each family into an earlier one whose statements it overlaps at one constant offset.

    B joins A when at least ``share`` of the smaller family's statements overlap a statement of the
    other, in the same voice, with B's first note ``k`` positions after A's (one ``k`` for all,
    ``|k| <= reach``). Each such pair becomes one occurrence (the union of their notes); the
    unpaired statements of both stay where they overlap no kept one. Repeated until nothing
    joins, so a run cut into three windows becomes one family. ``share <= 0``: off.
    """
    if share <= 0:
        return chosen
    kept: list[Chosen] = []
    sources: list[int] = []  # how many chosen families each kept one joins
    for fam in chosen:
        pending, n_src = fam, 1
        joined = True
        while joined:
            joined = False
            for i, other in enumerate(kept):
                pairs = _shifted_pairs(other, pending, share, reach)
                if pairs:
                    pending = _union(other, pending, pairs, len(lines))
                    n_src += sources.pop(i)
                    kept.pop(i)
                    joined = True
                    break
        kept.append(pending)
        sources.append(n_src)
    if not keep:
        return kept
    joined_only = [k for k, s in zip(kept, sources) if s > 1]
    return list(chosen) + joined_only


def _shifted_pairs(a: Chosen, b: Chosen, share: float, reach: int) -> list[tuple[int, int]]:
    """(statement of a, statement of b) pairs at the most common offset, when they are ``share`` of the smaller."""
    lo_a = np.array([int(p.min()) for p in a.notes])
    hi_a = np.array([int(p.max()) for p in a.notes])
    by_offset: dict[int, list[tuple[int, int]]] = {}
    for j, pos in enumerate(b.notes):
        lo, hi = int(pos.min()), int(pos.max())
        hit = np.flatnonzero((lo_a <= hi) & (hi_a >= lo) & (np.abs(lo - lo_a) <= reach))
        for i in hit.tolist():
            by_offset.setdefault(lo - int(lo_a[i]), []).append((i, j))
    if not by_offset:
        return []
    k, pairs = max(by_offset.items(), key=lambda kv: (len(kv[1]), -abs(kv[0])))
    # one to one: a statement of either family is in at most one pair
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i), used_b.add(j)
            out.append((i, j))
    if len(out) < 2 or len(out) < share * min(len(a.notes), len(b.notes)):
        return []
    return out


def _union(a: Chosen, b: Chosen, pairs: list[tuple[int, int]], size: int) -> Chosen:
    """One family: the paired statements' unions, then the unpaired ones that overlap nothing kept."""
    taken = np.zeros(size, dtype=bool)
    notes, dist, first = [], [], []
    for i, j in pairs:
        pos = np.union1d(a.notes[i], b.notes[j])
        taken[pos.min() : pos.max() + 1] = True
        notes.append(pos), dist.append(max(float(a.distance[i]), float(b.distance[j]))), first.append(int(pos[0]))
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    rest = [(a, i) for i in range(len(a.notes)) if i not in paired_a] + [(b, j) for j in range(len(b.notes)) if j not in paired_b]
    rest.sort(key=lambda fi: float(fi[0].distance[fi[1]]))
    for f, i in rest:
        pos = f.notes[i]
        if taken[pos.min() : pos.max() + 1].any():
            continue
        taken[pos.min() : pos.max() + 1] = True
        notes.append(pos), dist.append(float(f.distance[i])), first.append(int(pos[0]))
    out = Chosen(a.n, a.starts, a.distance, a.score, list(a.notes), a.discount)
    set_statements(out, notes, dist, first)
    out.n = int(median([len(p) for p, d in zip(out.notes, out.distance) if d == 0] or [len(out.notes[0])]))
    return out


def extend_statements(
    fam: Chosen, lines: Lines, share: float, max_notes: int, max_beats: float, rest: float, grow_all: bool = False,
    walls: list[tuple[int, int]] | None = None, pitch_key: str = "class", vary: int = 0,
    judges: np.ndarray | None = None,
) -> None:
    """Grow the family's statements to the right, then to the left, one note at a time (in place).

    A step is taken when at least ``share`` of all statements (and two) can take it with the same
    next pitch key (see :func:`_step`) and inter-onset interval; those statements grow - with
    ``grow_all`` every statement able to take a step grows along - and the others stop there.
    A statement stops at its voice's end, at a rest longer than ``rest`` beats, at ``max_notes``
    notes or ``max_beats`` beats, where it would reach a note of another statement of the family,
    and (``walls[i]``: the outer ends of other families' statements holding statement i) inside
    such a statement, whose notes it would only copy. With ``vary`` a statement whose next note has
    the agreeing inter-onset interval but another pitch key counts as agreeing (and grows) up to
    ``vary`` times (a varied note inside a long phrase). ``judges`` (optional, a mask over statements):
    only these count towards ``share`` and the agreeing step (see :func:`motifcli.discovery.crowd.judges`).
    """
    if share <= 0 or len(fam.notes) < 2:
        return
    notes = [np.asarray(p, dtype=np.int64) for p in fam.notes]
    ends = [[int(p.min()), int(p.max())] for p in notes]  # each statement's first and last position, kept as it grows
    walls = walls or [(10**12, -1)] * len(notes)  # no walls
    taken = covered(fam, len(lines))
    judge = np.ones(len(notes), dtype=bool) if judges is None else judges
    need = max(2.0, share * int(judge.sum()))
    varied = [0] * len(notes)
    for side in (1, -1):
        active = list(range(len(notes)))
        while active:
            steps: dict[int, tuple] = {}
            for i in active:
                lo, hi = walls[i]
                if (side > 0 and ends[i][1] < hi) or (side < 0 and ends[i][0] > lo):
                    continue  # inside another family's statement: growing would copy it
                step = _step(ends[i], len(notes[i]), side, lines, taken, max_notes, max_beats, rest, pitch_key)
                if step is not None:
                    steps[i] = step
            if not steps:
                break
            votes = Counter(s for i, s in steps.items() if judge[i])
            if not votes:
                break
            best, count = votes.most_common(1)[0]
            loose = [i for i, s in steps.items() if s != best and s[1] == best[1] and varied[i] < vary and judge[i]]
            if count + len(loose) < need:
                break
            for i in loose:
                varied[i] += 1
            active = [i for i, s in steps.items() if grow_all or s == best or i in loose]
            for i in active:
                nxt = ends[i][1] + 1 if side > 0 else ends[i][0] - 1
                ends[i][1 if side > 0 else 0] = nxt
                taken[nxt] = True
                notes[i] = np.concatenate((notes[i], [nxt]) if side > 0 else ([nxt], notes[i]))  # np.append / np.insert
    set_statements(fam, notes, list(fam.distance), [int(p[0]) for p in notes])
    fam.n = max(fam.n, int(median([len(p) for p in notes])))


def _step(ends: list[int], count: int, side: int, lines: Lines, taken: np.ndarray, max_notes: int,
          max_beats: float, rest: float, pitch_key: str = "class") -> tuple[int, int] | None:
    """(pitch key, quantised inter-onset interval) of the note beyond a statement on ``side``; None where
    it stops. The statement: its first and last positions ``ends`` and its ``count`` of notes.

    The pitch key is what the window keys use (:func:`~motifcli.discovery.candidates.window_keys`):
    the interval class ("class"), the interval in semitones ("semitones") or, without
    transposition, the new note's own pitch ("pitch").
    """
    lo, hi = ends
    if count >= max_notes:
        return None
    if side > 0:
        if hi + 1 >= len(lines) or not lines.same_next[hi] or taken[hi + 1]:
            return None
        a, b = hi, hi + 1
        span = lines.onsets[b] - lines.onsets[lo]
    else:
        if lo == 0 or not lines.same_next[lo - 1] or taken[lo - 1]:
            return None
        a, b = lo - 1, lo
        span = lines.onsets[hi] - lines.onsets[a]
    if span > max_beats + 1e-9 or lines.onsets[b] - lines.offsets[a] > rest + 1e-9:
        return None
    if pitch_key == "pitch":
        key = int(lines.pitches[b if side > 0 else a])
    elif pitch_key == "semitones":
        key = int(lines.interval[a])
    else:
        key = interval_class_of(int(lines.interval[a]))
    return key, int(round(lines.ioi[a] / lines.grid))


def grow_families(chosen: list[Chosen], lines: Lines, settings: DiscoverySettings) -> None:
    """Every family's statements grown (in place; off at ``grow_share`` 0), those short of ``grow_from`` excepted."""
    fid = np.concatenate([np.full(len(fam.notes), f) for f, fam in enumerate(chosen)]) if chosen else np.zeros(0, int)
    los = np.array([int(p.min()) for fam in chosen for p in fam.notes], dtype=np.int64)
    his = np.array([int(p.max()) for fam in chosen for p in fam.notes], dtype=np.int64)
    pitch_key = "pitch" if not settings.transpose else "class" if settings.diatonic_keys else "semitones"
    for f, fam in enumerate(chosen):
        if _reach(fam, lines, settings) < settings.grow_from:
            continue
        walls = None
        if not settings.grow_inside:  # other families' statements (before growing) holding each statement
            walls = []
            for p in fam.notes:
                hold = (fid != f) & (los <= p.min()) & (his >= p.max())
                walls.append((int(los[hold].min()), int(his[hold].max())) if hold.any() else (10**12, -1))
        extend_statements(fam, lines, settings.grow_share, settings.grow_max_notes, settings.grow_max_beats,
                          settings.grow_rest, settings.grow_all, walls, pitch_key, settings.grow_vary,
                          judges(fam, settings))


def _reach(fam: Chosen, lines: Lines, settings: DiscoverySettings) -> float:
    """How near the family's statements come to the global caps: median of max(notes / max_notes, beats / max_beats)."""
    r = [max(len(p) / settings.max_notes, (lines.onsets[p.max()] - lines.onsets[p.min()]) / settings.max_beats)
         for p in fam.notes]
    return float(median(r))
