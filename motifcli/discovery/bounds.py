"""A family's start moved back to the strong place in the bar its statements share.

Why: on BPS-motif tune a fifth of our statements that match a labelled occurrence start one note
after it, most often on an off-beat where the labelled motif starts on the downbeat before
(benchmarks/phase11-bounds11.md, ``benchmarks.bounds_probe``): the motif's first note comes in
from varying pitches, so its exact repeats (and growing, which needs the same interval) begin on
the second note. Where the statements' preceding notes agree on a stronger place in the bar than
their present starts, that place is where the motif starts. Off by default: on BPS tune it moves the
figures by under 0.005 (the boundary loss left is per statement, not per family; see the write-up).
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.barpos import bar_positions, modal_position, position_tolerance
from motifcli.discovery.candidates import Lines
from motifcli.discovery.families import Chosen, covered, set_statements
from motifcli.discovery.types import DiscoverySettings
from motifcli.meter import MeterMap


def metric_weight(onsets: np.ndarray, meter: MeterMap, grid: float) -> np.ndarray:
    """3 on a downbeat, 2 on a half bar (even numerators), 1 on another beat, 0 off the beat."""
    tol = position_tolerance(grid)
    w = np.zeros(len(onsets), dtype=np.int64)
    for level in ("bar", "half", "beat"):
        w += np.abs(bar_positions(onsets, meter, level, tol)) <= tol
    return w


def strong_starts(chosen: list[Chosen], lines: Lines, meter: MeterMap, settings: DiscoverySettings) -> None:
    """Each family's statements started up to ``start_place_notes`` notes earlier (in place) where at
    least ``start_place_share`` of them then start at one place in the bar, metrically stronger than
    the place most of them start at now; the statements whose note that far back is at that place move,
    the others stay. Steps stay in the statement's voice, stop at a rest over ``grow_rest`` beats and
    at another statement of the family, and keep a statement within ``grow_max_beats``.

    ``start_place_trim``: also up to this many notes later (the first notes dropped, ``min_notes``
    kept), and with ``start_place_shift`` as many notes added after the end (the statement moves whole:
    exact repeats that begin on an upbeat before the motif's downbeat). ``start_place="strong"``: no
    shared place; a statement moves where its new first note is stronger than its old one."""
    if not chosen or (settings.start_place_notes <= 0 and settings.start_place_trim <= 0):
        return
    tol = position_tolerance(lines.grid)
    level = "bar" if settings.start_place == "strong" else settings.start_place
    place = bar_positions(lines.onsets, meter, level, tol)
    weight = metric_weight(lines.onsets, meter, lines.grid)
    steps = [*range(1, settings.start_place_notes + 1), *range(-1, -settings.start_place_trim - 1, -1)]
    for fam in chosen:
        if len(fam.notes) < 2:
            continue
        notes = [np.asarray(p, dtype=np.int64) for p in fam.notes]
        firsts = np.array([int(p.min()) for p in notes])
        lasts = np.array([int(p.max()) for p in notes])
        now, _ = modal_position(place[firsts], tol)
        now_w = int(np.round(np.median(weight[firsts[np.abs(place[firsts] - now) <= tol]])))
        taken = covered(fam, len(lines))
        best = None  # (share, k, statements that move)
        for k in steps:
            ok = _can_step(notes, firsts, lasts, k, lines, taken, settings)
            if ok.sum() < 2:
                continue
            new = np.where(ok, firsts - k, firsts)
            if settings.start_place == "strong":  # each moving statement lands on a stronger place than it leaves
                at = ok & (weight[new] > weight[firsts])
            else:
                where, _ = modal_position(place[new[ok]], tol)
                at = ok & (np.abs(place[new] - where) <= tol)
                if not at.any() or int(np.round(np.median(weight[new[at]]))) <= now_w:
                    continue
            share = at.sum() / len(notes)
            if share >= settings.start_place_share and (best is None or share > best[0]):
                best = (share, k, at)
        if best is None:
            continue
        _, k, at = best
        for i in np.flatnonzero(at).tolist():
            p = notes[i]
            notes[i] = np.concatenate((np.arange(firsts[i] - k, firsts[i]), p)) if k > 0 else p[p >= firsts[i] - k]
            if k < 0 and settings.start_place_shift:
                notes[i] = np.concatenate((notes[i], np.arange(lasts[i] + 1, lasts[i] + 1 - k)))
        set_statements(fam, notes, list(fam.distance), [int(p[0]) for p in notes])


def _can_step(notes: list[np.ndarray], firsts: np.ndarray, lasts: np.ndarray, k: int, lines: Lines,
              taken: np.ndarray, settings: DiscoverySettings) -> np.ndarray:
    """Which statements can start ``k`` notes earlier (k > 0: notes of their voice, free, no long rest, the
    statement within ``grow_max_beats``) or ``-k`` notes later (k < 0: ``min_notes`` notes left; with
    ``start_place_shift`` the ``-k`` notes after the end joined the same way)."""
    n = len(lines)
    if k < 0:
        ok = np.array([np.count_nonzero(p >= a - k) for p, a in zip(notes, firsts.tolist())]) >= settings.min_notes
        if settings.start_place_shift:  # the window moves: as many notes added after its end
            ok &= _joinable(lasts, -k, lines, taken, settings.grow_rest, first_new=1)
        return ok
    b = firsts - k
    ok = b >= 0
    ok[ok] &= lines.onsets[lasts[ok]] - lines.onsets[b[ok]] <= settings.grow_max_beats + 1e-9
    return ok & _joinable(np.clip(b, 0, n - 1), k, lines, taken, settings.grow_rest, first_new=0)


def _joinable(base: np.ndarray, k: int, lines: Lines, taken: np.ndarray, rest: float, first_new: int) -> np.ndarray:
    """For each ``base`` position: positions base .. base + k (a run of k + 1 in one voice, no rest over
    ``rest`` between them) exist, and the k new ones (from base + ``first_new``) are free."""
    n = len(lines)
    ok = base + k < n
    for j in range(k):
        a = np.clip(base + j, 0, n - 2)
        ok &= lines.same_next[a] & (lines.onsets[a + 1] - lines.offsets[a] <= rest + 1e-9)
        ok &= ~taken[np.clip(base + j + first_new, 0, n - 1)]
    return ok
