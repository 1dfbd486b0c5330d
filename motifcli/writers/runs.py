"""Runs: a family's statements stated back to back in one line, drawn as one bracket "Motif A5–A8".

A short cell heard many times (Joplin's Maple Leaf Rag: a 2-note syncopation, 66 statements) is
often restated several times in a row, in a sequence or a figuration. One bracket and one label per
statement then fills a page with labels a musician has to count, not read (benchmarks/phase27-runs27.md);
an analyst writes one bracket over the passage, "A5–A8", and colours the notes. So the drawing
writers (MusicXML brackets and labels, MIDI markers and lyrics) mark a :class:`Run` once; the JSON,
CSV, MIREX and label files keep one row per occurrence, and every note keeps its colour.

A run is :data:`MIN_RUN` or more statements of one family with consecutive numbers (so no other
statement of the family, in any line, comes between them, and "A5–A8" names exactly them), with no
statement of another family starting between them in their line (a run is not drawn over other
brackets), each in the same line (track, voice, staff of its first note), each short (at most :data:`MAX_SPAN` beats
from its first onset to its last note's end: labels of longer statements stand far enough apart to
be read, and their brackets show where each statement begins, a phrase's sequence in a chorale or
a sonata's scales), each starting at most one statement's length (the previous one's span) and at most
:data:`MAX_GAP` beats (in any case :data:`GAP`) after the previous one's last note ends: back to back,
or with the rest of a short figure between (the rag's cell restated every beat, an eighth apart), not
a cell at every bar's start with half a bar between. Only plain statements join one: a statement of
two families ("A3 = B1") or in a transformation (" inv.", " aug.") keeps its own label, as do
statements listing no notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from motifcli.annotation import Occurrence
from motifcli.writers.shared import Statement

MIN_RUN = 3  # statements: two back to back are two labels a reader takes in at a glance
MAX_SPAN = 2.0  # beats: a statement longer than this keeps its own bracket
GAP = 0.25  # beats: the gap always allowed between statements (first onset after the last note's end)
MAX_GAP = 0.5  # beats: the most ever allowed (an eighth of 4/4 or 2/4: the rest of a figure, not another idea)
RANGE_DASH = "\u2013"  # "A5–A8": an en dash, as a range is written (MIDI text, Latin-1, writes "-")


@dataclass(frozen=True, slots=True)
class Run:
    """One statement, or a run of :data:`MIN_RUN` or more, in time order: what one mark draws."""

    statements: tuple[Statement, ...]

    @property
    def first(self) -> Statement:
        return self.statements[0]

    @property
    def last(self) -> Statement:
        return self.statements[-1]

    @property
    def is_run(self) -> bool:
        return len(self.statements) > 1

    def text(self, dash: str = RANGE_DASH) -> str:
        """The statement's own text ("Motif A3 = B1"), or the run's "Motif A5–A8" (family, first and last number)."""
        if not self.is_run:
            return self.first.text
        first, last = self.first.lead, self.last.lead
        return f"{first.text}{dash}{last.label}"


def _span(occ: Occurrence) -> tuple[float, float]:
    """Its first onset and its last note's end, in beats."""
    return min(n.onset for n in occ.notes), max(n.offset for n in occ.notes)


def _line(occ: Occurrence) -> tuple[object, ...] | None:
    """The line a statement is in (track, and its first note's track, voice and staff); None for one listing no notes."""
    first = occ.first_note
    return None if first is None else (occ.track, first.track, first.voice, first.staff)


def _short(occ: Occurrence, max_span: float) -> bool:
    """Whether a statement may join a run: a plain one (no transformation) of at most ``max_span`` beats."""
    start, end = _span(occ)
    return not occ.marks and end - start <= max_span + 1e-6


def _follows(prev: Occurrence, occ: Occurrence, gap: float) -> bool:
    """Whether ``occ`` is the next statement of ``prev``'s family and starts at most ``prev``'s own
    span, at most :data:`MAX_GAP` and in any case ``gap`` beats, after ``prev`` ends, and not more than
    ``gap`` before (statements struck together, or overlapping, are not one after another)."""
    if occ.number != prev.number + 1:
        return False
    start, end = _span(prev)
    between = _span(occ)[0] - end  # negative: it starts before ``prev`` ends (by more than ``gap``: not after it)
    return -gap - 1e-6 <= between <= max(gap, min(end - start, MAX_GAP)) + 1e-6


def runs(statements: list[Statement], *, min_run: int = MIN_RUN, gap: float = GAP,
         max_span: float = MAX_SPAN) -> list[Run]:
    """``statements`` (in time order) grouped into :class:`Run` s, in the order of each one's first
    statement: runs of ``min_run`` or more back to back (module docstring), every other statement alone."""
    chains: list[list[int]] = []
    open_: dict[tuple[object, ...], int] = {}  # (family, line) -> its latest chain
    latest: dict[tuple[object, ...], int] = {}  # line -> the statement that started there last, of any family
    for k, statement in enumerate(statements):
        occ = statement.lead
        line = _line(occ)
        key = None if statement.shared or line is None or not _short(occ, max_span) else (occ.family, *line)
        c = open_.get(key) if key is not None else None
        if c is not None and latest.get(line) == chains[c][-1] and _follows(statements[chains[c][-1]].lead, occ, gap):
            chains[c].append(k)
        else:
            chains.append([k])
            if key is not None:
                open_[key] = len(chains) - 1
        if line is not None:
            latest[line] = k
    out: list[tuple[int, Run]] = []
    for chain in chains:
        members = [statements[k] for k in chain]
        if len(members) >= min_run:
            out.append((chain[0], Run(tuple(members))))
        else:
            out.extend((k, Run((statements[k],))) for k in chain)
    out.sort(key=lambda p: p[0])
    return [run for _, run in out]
