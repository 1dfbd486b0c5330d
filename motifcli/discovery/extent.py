"""The extent of voice families' statements: agreeing ends extended.

A fault of the global window caps (benchmarks/DISCOVERY-ALGO.md, phase 4 error analysis): long
motifs cut at ``max_notes`` (raising the cap for every pattern was worse). Fixed per family, after
variants: :func:`extend_statements` grows a family's statements note by note while most of them
keep agreeing, on :class:`~motifcli.discovery.families.Chosen` in place of the caps. (Joining
shifted windows of one run, ``join_share``, was measured and removed: benchmarks/phase5-extent.md.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from motifcli.discovery.barpos import bar_positions, position_tolerance
from motifcli.discovery.candidates import Lines, interval_class_of
from motifcli.discovery.families import Chosen, covered, set_statements, transformed
from motifcli.discovery.types import DiscoverySettings
from motifcli.meter import MeterMap
from motifcli.quantiles import median


def extend_statements(
    fam: Chosen, lines: Lines, share: float, max_notes: int, max_beats: float, rest: float, grow_all: bool = False,
    walls: list[tuple[int, int]] | None = None, pitch_key: str = "class", vary: int = 0,
    inverted: np.ndarray | None = None, scales: np.ndarray | None = None,
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
    ``vary`` times (a varied note inside a long phrase). ``inverted[i]``: statement i is in inversion,
    so its next interval agrees when it is the others' mirrored; ``scales[i]``: statement i is in
    other note values (2: augmented), so its next inter-onset interval agrees when it is the others' times that.
    """
    if share <= 0 or len(fam.notes) < 2:
        return
    notes = [np.asarray(p, dtype=np.int64) for p in fam.notes]
    ends = [[int(p.min()), int(p.max())] for p in notes]  # each statement's first and last position, kept as it grows
    walls = walls or [(10**12, -1)] * len(notes)  # no walls
    taken = covered(fam, len(lines))
    need = max(2.0, share * len(notes))
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
                    step = (-step[0], step[1]) if inverted is not None and inverted[i] else step
                    steps[i] = _unscaled(step, float(scales[i])) if scales is not None and scales[i] != 1 else step
            if not steps:
                break
            votes = Counter(steps.values())
            if not votes:
                break
            best, count = votes.most_common(1)[0]
            loose = [i for i, s in steps.items() if s != best and s[1] == best[1] and varied[i] < vary]
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


def _unscaled(step: tuple[int, int], scale: float) -> tuple[int, float]:
    """A scaled statement's step in the prime's note values (the quantised IOI over its scale)."""
    return step[0], step[1] / scale


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


def end_on_long_notes(fam: Chosen, lines: Lines, ratio: float, rest: float, max_notes: int, max_beats: float,
                      fixed: frozenset[int] = frozenset()) -> None:
    """Each statement followed (in its voice, after no rest over ``rest`` beats, on a note no other
    statement of the family holds, within ``max_notes`` / ``max_beats``) by a long note takes that
    note (in place). Long: its inter-onset interval (the note and any rest after it) is at least
    ``ratio`` times the longest inside the statement. A motif runs to the note it comes to rest on,
    whose pitch may differ from statement to statement, so growing, which needs statements that agree
    on the next interval and rhythm, stops before it (BPS 13-1 f; benchmarks/phase13-bounds13.md)."""
    if ratio <= 0:
        return

    def takes(lo: int, hi: int, b: int, inner: float) -> bool:
        held = float(lines.ioi[b]) if lines.same_next[b] else float(lines.offsets[b] - lines.onsets[b])
        return bool(held >= ratio * inner - 1e-9 and lines.onsets[b] - lines.offsets[hi] <= rest + 1e-9
                    and lines.onsets[b] - lines.onsets[lo] <= max_beats + 1e-9)

    _take_neighbours(fam, lines, max_notes, True, takes, fixed)


def start_on_long_notes(fam: Chosen, lines: Lines, ratio: float, rest: float, max_notes: int, max_beats: float,
                        strength: np.ndarray, fixed: frozenset[int] = frozenset()) -> None:
    """Each statement preceded (in its voice, after no rest over ``rest`` beats, within ``max_notes`` /
    ``max_beats``) by a long note that no other statement of the family holds, on a stronger metric
    place than the statement's first note (``strength``: :func:`metric_strength`), takes that note (in
    place). Long: its inter-onset interval, up to the statement, is at least ``ratio`` times the longest
    inside the statement. A quick figure springing from an accented held note starts on it (BPS 01-1:
    a held note on the downbeat, then a turn); the held note's pitch and length vary per statement, so
    growing, which needs agreement, stops after it. A held note on a weaker place than the figure's
    first note ends the phrase before it (13-1: a half-bar note before a run on the downbeat), so it
    stays (benchmarks/phase16-disc16.md)."""
    if ratio <= 0:
        return

    def takes(lo: int, hi: int, b: int, inner: float) -> bool:
        return bool(float(lines.ioi[b]) >= ratio * inner - 1e-9 and strength[b] > strength[lo]
                    and lines.onsets[lo] - lines.offsets[b] <= rest + 1e-9
                    and lines.onsets[hi] - lines.onsets[b] <= max_beats + 1e-9)

    _take_neighbours(fam, lines, max_notes, False, takes, fixed)


def _take_neighbours(fam: Chosen, lines: Lines, max_notes: int, after: bool,
                     takes: Callable[[int, int, int, float], bool], fixed: frozenset[int] = frozenset()) -> None:
    """Each statement (of 2 to ``max_notes`` - 1 notes) takes the next note of its voice (``after``) or
    the one before, where no other statement of the family holds it and ``takes(lo, hi, that note,
    the longest inter-onset interval inside)`` says so (in place): the walk both long-note rules share.
    A statement starting at a position in ``fixed`` (a retrograde one) takes none."""
    if not fam.notes:
        return
    taken = covered(fam, len(lines))
    notes = []
    for p in fam.notes:
        lo, hi = int(p.min()), int(p.max())
        b = hi + 1 if after else lo - 1
        if lo not in fixed and 2 <= len(p) < max_notes and 0 <= b < len(lines) and lines.same_next[hi if after else b] and not taken[b]:
            inner = float(lines.ioi[lo:hi].max())
            if inner > 0 and takes(lo, hi, b, inner):
                taken[b] = True
                p = np.concatenate((p, [b]) if after else ([b], p))
        notes.append(p)
    set_statements(fam, notes, list(fam.distance), [int(p.min()) for p in notes])


def metric_strength(lines: Lines, meter: MeterMap) -> np.ndarray:
    """Each position's metric weight: 3 on a downbeat, 2 on a half bar, 1 on a beat, 0 between."""
    tol = position_tolerance(lines.grid)
    out = np.zeros(len(lines), dtype=np.int64)
    for weight, level in ((1, "beat"), (2, "half"), (3, "bar")):
        out[np.abs(bar_positions(lines.onsets, meter, level, tol)) <= tol] = weight
    return out


def grow_families(chosen: list[Chosen], lines: Lines, settings: DiscoverySettings, meter: MeterMap | None = None) -> None:
    """Every family's statements grown (in place; off at ``grow_share`` 0). ``meter`` places notes in
    their bars for ``grow_from_long`` (None: that step is skipped)."""
    strength = metric_strength(lines, meter) if meter is not None and settings.grow_from_long > 0 else None
    fid = np.concatenate([np.full(len(fam.notes), f) for f, fam in enumerate(chosen)]) if chosen else np.zeros(0, int)
    los = np.array([int(p.min()) for fam in chosen for p in fam.notes], dtype=np.int64)
    his = np.array([int(p.max()) for fam in chosen for p in fam.notes], dtype=np.int64)
    pitch_key = "pitch" if not settings.transpose else "class" if settings.diatonic_keys else "semitones"
    for f, fam in enumerate(chosen):
        walls: list[tuple[int, int]] = []  # other families' statements (before growing) holding each statement
        for p in fam.notes:
            hold = (fid != f) & (los <= p.min()) & (his >= p.max())
            walls.append((int(los[hold].min()), int(his[hold].max())) if hold.any() else (10**12, -1))
        # mirrored statements grow mirrored, scaled ones in their note values; a retrograde one does not grow
        inverted, scales, back = transformed(lines, fam.notes, fam.distance, settings)
        fixed = frozenset(int(fam.notes[i].min()) for i in np.flatnonzero(back))
        if fixed:
            walls = [(-1, 10**12) if b else w for b, w in zip(back, walls)]  # walled in on both sides
        extend_statements(fam, lines, settings.grow_share, settings.grow_max_notes, settings.grow_max_beats,
                          settings.grow_rest, settings.grow_all, walls, pitch_key, settings.grow_vary, inverted, scales)
        end_on_long_notes(fam, lines, settings.grow_to_long, settings.grow_rest, settings.grow_max_notes,
                          settings.grow_max_beats, fixed)
        if strength is not None:
            start_on_long_notes(fam, lines, settings.grow_from_long, settings.grow_rest, settings.grow_max_notes,
                                settings.grow_max_beats, strength, fixed)

