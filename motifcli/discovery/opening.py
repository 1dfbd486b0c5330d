"""A rhythm on one pitch that opens the piece alone is a theme, not an accompaniment figure.

``patterns.score_pattern`` discounts patterns that return to the pitch of two notes before and
repeat notes (x0.075 for a rhythm on one pitch): Alberti basses, repeated chords and drum basses are
stated hundreds of times and are not what an analyst names. Some of music's best-known motifs are such
a rhythm (the cello's B-flat that opens Beethoven op. 59/1/ii): what marks them is that the piece
*presents* them, stated first alone (or doubled in unison or octaves, note against note; a chord under it
is the accompaniment of a theme still to come: op. 18/1/ii's repeated eighths), and
that they return separated by other music rather than back to back as a figure marking time.
benchmarks/phase17-fig17.md.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import Lines


def opens_alone(lines: Lines, starts: np.ndarray, n: int, back_to_back: float) -> bool:
    """True when the pattern's earliest statement starts within one beat of the piece's first note,
    every other line's note starting during it doubles one of its notes (same onset and pitch class:
    alone, in unison or octaves), other lines exist in the piece, and
    under ``back_to_back`` of its statements start within one inter-onset interval of the end of the
    statement before them in the same line (0: never)."""
    if back_to_back <= 0 or len(starts) < 2 or len(lines.voices) < 2:
        return False
    order = sorted(starts.tolist(), key=lambda k: float(lines.onsets[k]))
    first = order[0]
    on = float(lines.onsets[first])
    if on - float(lines.onsets.min()) > 1.0:
        return False
    mine = lines.onsets[first: first + n]
    end = max(float(lines.offsets[first + n - 1]), float(mine[-1]) + 1e-3)
    other = (lines.voice_id != lines.voice_id[first]) & (lines.onsets >= on - 1e-6) & (lines.onsets < end - 1e-6)
    tol = lines.grid / 2 + 1e-6
    classes = lines.pitches[first: first + n] % 12
    for t, pc in zip(lines.onsets[other].tolist(), (lines.pitches[other] % 12).tolist()):
        near = np.abs(mine - t) <= tol
        if not (near & (classes == pc)).any():  # another rhythm, or a chord: the statement is accompanied
            return False
    return _back_to_back_share(lines, order, n) < back_to_back


def _back_to_back_share(lines: Lines, order: list[int], n: int) -> float:
    """Share of statements (in time order) starting within one of the pattern's typical inter-onset
    intervals of the end of the statement before them in the same line."""
    step = float(np.median(lines.ioi[order[0]: order[0] + n - 1])) + 1e-6
    last: dict[int, float] = {}
    hits = 0
    for k in order:
        v, on = int(lines.voice_id[k]), float(lines.onsets[k])
        hits += v in last and on - last[v] <= step
        last[v] = float(lines.onsets[k + n - 1]) + step
    return hits / len(order)
