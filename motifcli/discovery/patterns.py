"""Repeated patterns: windows sharing a key, kept only where they are closed (maximal).

A pattern of n notes whose statements nearly all continue the same way (to the left or the
right) is a piece of a longer pattern, not a motif of its own; dropping it is what keeps one family
instead of three of different lengths. The pattern's statements are made non-overlapping.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motifcli.discovery.candidates import Lines
from motifcli.discovery.opening import opens_alone


@dataclass(frozen=True, slots=True)
class Pattern:
    """Start positions (in ``Lines``) of non-overlapping exact statements of n notes."""

    n: int
    starts: np.ndarray
    score: float


def groups_of(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group id per position (-1: invalid or unique), and the members of each group (CSR form)."""
    gid = np.full(len(keys), -1, dtype=np.int64)
    pos = np.flatnonzero(keys != -1)
    if len(pos) == 0:
        return gid, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    uniq, inv, counts = np.unique(keys[pos], return_inverse=True, return_counts=True)
    repeated = counts >= 2
    new_id = np.cumsum(repeated) - 1
    keep = repeated[inv]
    gid[pos[keep]] = new_id[inv[keep]]
    members = pos[keep][np.argsort(gid[pos[keep]], kind="stable")]
    indptr = np.concatenate([[0], np.cumsum(counts[repeated])])
    return gid, indptr, members


def non_overlapping(starts: np.ndarray, n: int, voice_id: np.ndarray) -> np.ndarray:
    """Greedy left-to-right choice of statements that share no note (positions are per voice)."""
    kept: list[int] = []
    last = -(10**12)
    for k in np.sort(starts).tolist():
        if k >= last + n:
            kept.append(k)
            last = k
    return np.asarray(kept, dtype=np.int64)


def closed_patterns(
    lines: Lines,
    keys: dict[int, np.ndarray],
    min_notes: int,
    max_notes: int,
    extend_share: float,
    oscillation_penalty: float = 1.0,
    drop_open_at_cap: bool = False,
    extend_kept: bool = False,
    opening_figure: float = 0.0,
    tiled: float = 0.0,
) -> list[Pattern]:
    """Every closed repeated pattern with at least two non-overlapping statements.

    With ``drop_open_at_cap`` (needs keys up to max_notes + 1) a pattern of max_notes whose
    statements extend is dropped too: it is a stretch of a longer repeat (a repeated phrase or
    section), not a motif. The beat cap still closes a pattern (judging closure beyond it too
    lost occurrence F on BPS tune: 0.446 -> 0.413, benchmarks/DISCOVERY-ALGO.md).

    With ``extend_kept`` a pattern counts as extending only into a longer pattern that can be kept,
    one with two statements that share no note: a phrase repeated back to back (Essen han2's bars 4-5 =
    6-7) extends into its next statement's first note, and that longer pattern overlaps itself, so
    without it neither was kept. Its rotations (the statements shifted by a note or more) are kept
    the same way; of those, only the earliest: one whose statements mostly overlap those of an earlier
    kept one of its length is not kept (benchmarks/phase16-shared16.md). With ``tiled`` > 0 a pattern is
    kept too where that share of its statements follow one another back to back: a phrase stated three
    times or more in a row extends into a longer pattern (the phrase and the next one's first note) whose
    every other statement shares no note, and that longer one halved the count (phase25-fixes25.md).
    """
    top = max_notes + 1 if drop_open_at_cap and (max_notes + 1) in keys else max_notes
    grouped = {n: groups_of(keys[n]) for n in range(min_notes, top + 1)}
    out: list[Pattern] = []
    for n in range(min_notes, max_notes + 1):
        gid, indptr, members = grouped[n]
        longer = grouped.get(n + 1)
        extends = None if longer is None else extending_groups(indptr, members, longer[0], lines, extend_share)
        kept = None  # with extend_kept: groups kept only because what they extend into overlaps itself
        if extend_kept and extends is not None:
            kept = extends & ~extending_groups(indptr, members, two_apart(*longer, n + 1), lines, extend_share)
            if tiled > 0:
                kept |= extends & back_to_back(indptr, members, n, tiled)
        if kept is not None:
            kept = _earliest_rotations(kept, indptr, members, n, lines)
        for g in range(len(indptr) - 1):
            mem = members[indptr[g] : indptr[g + 1]]
            if extends is not None and extends[g] and not (kept is not None and kept[g]):
                continue
            starts = non_overlapping(mem, n, lines.voice_id)
            if len(starts) < 2:
                continue
            # a rhythm on one pitch that opens the piece alone is a theme: no repeated-note discount (opening.py)
            theme = opening_figure > 0 and _repeats(lines, starts, n) and opens_alone(lines, starts, n, opening_figure)
            score = score_pattern(lines, starts, n, oscillation_penalty, repeats_discount=not theme)
            out.append(Pattern(n, starts, score))
    return out


def _repeats(lines: Lines, starts: np.ndarray, n: int) -> bool:
    """Half or more of the pattern's intervals are repeated notes (a rhythm on one pitch or nearly)."""
    return float(np.mean(lines.interval[int(starts[0]): int(starts[0]) + n - 1] == 0)) >= 0.5


def _earliest_rotations(kept: np.ndarray, indptr: np.ndarray, members: np.ndarray, n: int, lines: Lines) -> np.ndarray:
    """``kept`` without the later rotations: taken by first statement, a group whose statements (made
    non-overlapping) mostly overlap the statements of one taken before it is a rotation of that one."""
    out = kept.copy()
    taken: list[np.ndarray] = []
    for g in sorted(np.flatnonzero(kept).tolist(), key=lambda g: int(members[indptr[g]])):
        starts = non_overlapping(members[indptr[g] : indptr[g + 1]], n, lines.voice_id)
        if any(np.mean(np.abs(starts[:, None] - t[None, :]).min(axis=1) < n) >= 0.5 for t in taken):
            out[g] = False
        else:
            taken.append(starts)
    return out


def back_to_back(indptr: np.ndarray, members: np.ndarray, n: int, share: float) -> np.ndarray:
    """Per group (CSR, members ascending within a group): do ``share`` of its statements start ``n``
    after another one or ``n`` before one (a chain of statements back to back)?"""
    groups = len(indptr) - 1
    if len(members) == 0:
        return np.zeros(groups, dtype=bool)
    group_of = np.repeat(np.arange(groups, dtype=np.int64), np.diff(indptr))
    joined = (np.diff(members) == n) & (np.diff(group_of) == 0)  # member k and k+1 back to back
    chained = np.append(joined, False) | np.insert(joined, 0, False)
    return np.add.reduceat(chained.astype(np.int64), indptr[:-1]) >= share * np.diff(indptr)


def two_apart(gid: np.ndarray, indptr: np.ndarray, members: np.ndarray, n: int) -> np.ndarray:
    """``gid`` with -1 for groups whose statements cannot give two that share no note: the first and
    the last start are less than ``n`` apart (positions of different voices are at least ``n`` apart
    whenever both windows exist, so this is what :func:`non_overlapping` would find)."""
    if len(members) == 0:
        return gid
    first = np.minimum.reduceat(members, indptr[:-1])
    last = np.maximum.reduceat(members, indptr[:-1])
    ok = np.append(last - first >= n, False)  # index -1 -> False
    return np.where(ok[gid], gid, -1)


def extending_groups(indptr: np.ndarray, members: np.ndarray, gid_next: np.ndarray, lines: Lines,
                     share: float) -> np.ndarray:
    """Per group (CSR ``indptr``/``members``): do ``share`` of its statements continue into one longer
    pattern, to the right or (within the voice) to the left? All groups at once, as a boolean per group
    (tests/test_speed_paths.py checks it against the plain per-group test)."""
    groups = len(indptr) - 1
    sizes = np.diff(indptr)
    need = share * sizes
    group_of = np.repeat(np.arange(groups, dtype=np.int64), sizes)
    right = _most_to_one(group_of, gid_next[members], groups)
    inner = members > 0
    left_pos = members[inner] - 1
    same = lines.same_next[left_pos]
    left = _most_to_one(group_of[inner][same], gid_next[left_pos[same]], groups)
    return ((right > 0) & (right >= need)) | ((left > 0) & (left >= need))


def _most_to_one(group: np.ndarray, target: np.ndarray, groups: int) -> np.ndarray:
    """Per group, how many of its entries share the most common target (targets < 0 ignored; 0 if none)."""
    out = np.zeros(groups, dtype=np.int64)
    valid = target >= 0
    group, target = group[valid], target[valid]
    if len(group) == 0:
        return out
    span = int(target.max()) + 1
    pairs, counts = np.unique(group * span + target, return_counts=True)
    np.maximum.at(out, pairs // span, counts)
    return out


def score_pattern(lines: Lines, starts: np.ndarray, n: int, oscillation_penalty: float = 1.0,
                  repeats_discount: bool = True) -> float:
    """How much a pattern explains: statements x notes, discounted for accompaniment figures.

    Alberti basses, broken octaves and trills come back to (nearly) the pitch of two notes before;
    on BPS-motif such patterns were mostly unlabelled (return share 0.56 vs 0.31 for matched ones).
    Repeated notes are discounted again unless ``repeats_discount`` is False (a theme on one pitch).
    """
    count = len(starts)
    pitches = lines.pitches[starts[0] : starts[0] + n]
    back = float(np.mean(np.abs(pitches[2:] - pitches[:-2]) <= 2)) if n > 2 else 0.0
    still = float(np.mean(lines.interval[starts[0] : starts[0] + n - 1] == 0))
    repeats = 1.0 - 0.75 * still if repeats_discount else 1.0
    return float(count * n * max(0.05, 1.0 - oscillation_penalty * back) * repeats)
