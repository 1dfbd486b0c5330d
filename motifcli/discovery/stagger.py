"""One passage parsed as two families: statements of one family are shifted phrasings of the other's.

Growing and the windows can read a run twice, starting a beat or a note apart (Mozart K. 545's
exposition: two 15-note families of six statements each, one starting a few notes later). A reader sees
two labels for one idea. A cell inside a phrase (the phrase's statements hold the cell's) is a motif
of its own and stays. Criterion and measurements: benchmarks/phase27-stagger27.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from motifcli.discovery.types import Family, Occurrence

Key = tuple[int, int]  # (track, note index)


def _keys(o: Occurrence) -> set[Key]:
    return {(n.track, n.index) for n in o.notes}


def _span(o: Occurrence) -> tuple[float, float]:
    return o.notes[0].onset, o.notes[-1].onset


def family_notes(f: Family) -> set[Key]:
    """The notes (track, index) of all of ``f``'s statements."""
    return set().union(*map(_keys, f.occurrences))


def statement_pairs(x: Family, y: Family) -> tuple[int, int]:
    """Of the pairs of an ``x`` statement and a ``y`` statement sharing a note: how many are shifted (one starts
    and ends before the other) and how many nested (one's span holds the other's: a cell inside a phrase)."""
    shifted = nested = 0
    ys = [(_keys(t), _span(t)) for t in y.occurrences]
    for s in x.occurrences:
        keys, (s0, s1) = _keys(s), _span(s)
        for t_keys, (t0, t1) in ys:
            if keys & t_keys:
                if (s0 < t0 and s1 < t1) or (s0 > t0 and s1 > t1):
                    shifted += 1
                else:
                    nested += 1
    return shifted, nested


def staggered(x: Family, y: Family, share: float) -> bool:
    """Whether ``x`` and ``y`` are one passage read twice: each holds at least ``share`` of the other's
    notes in its statements, and at least half of their note-sharing statement pairs are shifted
    (:func:`statement_pairs`), not nested."""
    nx, ny = family_notes(x), family_notes(y)
    common = len(nx & ny)
    if common < share * len(nx) or common < share * len(ny) or not common:
        return False
    shifted, nested = statement_pairs(x, y)
    return shifted * 2 >= shifted + nested


def without_staggered(families: Sequence[Family], share: float) -> list[Family]:
    """``families`` (output order kept) less each line family staggered (:func:`staggered`) with one of
    larger coverage that is kept: of two readings of a passage the one that explains more notes stays.
    Texture families (whole bars) are neither judged nor judge."""
    by_coverage = sorted(range(len(families)), key=lambda i: -families[i].coverage)
    kept: list[int] = []
    for i in by_coverage:
        f = families[i]
        if f.is_texture or not any(
                not families[j].is_texture and staggered(f, families[j], share) for j in kept):
            kept.append(i)
    return [families[i] for i in sorted(kept)]
