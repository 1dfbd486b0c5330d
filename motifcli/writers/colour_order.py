"""Which statement colours a note that statements of two families hold (a cell inside a phrase, two overlapping).

A note gets one colour. Statements with the same notes are one mark already (writers/shared.py); statements
with different note sets may still share notes. Session 26 gave such a note the colour of the statement that
starts first, so a cell inside a phrase (the rag's 4-note cell C1 inside its opening phrase A1) showed none of
its own colour under its own bracket. Since session 27 (``inner``, the default) a note takes the colour of
the statement, of those holding it, that contains no other of them (the cell inside the phrase; the phrase
keeps its other notes, and its bracket still shows its extent); of statements whose ends overlap, the one
that starts first keeps it, as before (the later one shows from where the earlier ends). The other policies
are kept for the measurement (benchmarks/colours27_probe.py, phase27-colours27.md). The MuseScore plugin
(plugins/musescore/motif.js ``colourWinner``) chooses the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

POLICIES = ("first", "shorter", "salient", "inner")
DEFAULT_POLICY = "inner"

Beat = float | Fraction


@dataclass(frozen=True, slots=True)
class Span:
    """What the order needs of a statement: where it starts and ends (beats), its colour, its family's rank."""

    start: Beat
    end: Beat
    color: str = ""
    rank: int = 0


def _contains(a: Span, b: Span) -> bool:
    """Whether ``b`` lies in ``a`` and is not ``a``'s own extent (a cell inside a phrase)."""
    return a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end)


def winner(spans: list[Span], policy: str = DEFAULT_POLICY) -> int:
    """Of the statements holding one note (``spans``, in the writer's order), the index of the one whose colour
    it takes: ``first`` the one starting first (then ending first), ``shorter`` the shortest (then first),
    ``salient`` the most salient family's (then first), ``inner`` of those containing no other, the first
    (a cell inside a phrase wins; of two overlapping ends, the earlier); ties: the earliest in ``spans``."""
    if policy == "first":
        key = lambda k: (spans[k].start, spans[k].end)  # noqa: E731
    elif policy == "shorter":
        key = lambda k: (spans[k].end - spans[k].start, spans[k].start, spans[k].end)  # noqa: E731
    elif policy == "salient":
        key = lambda k: (spans[k].rank, spans[k].start, spans[k].end)  # noqa: E731
    elif policy == "inner":
        key = lambda k: (any(_contains(spans[k], o) for o in spans), spans[k].start, spans[k].end)  # noqa: E731
    else:
        raise ValueError(f"unknown colour policy {policy!r}; policies: {POLICIES}")
    return min(range(len(spans)), key=key)
