"""Where `motif plot` puts things: lanes, boxes in beats, bar ticks (no matplotlib here, so tests can read it).

At the note level a statement is often a beat or two (the Maple Leaf Rag's 2-note cell, 66 times); drawn over
whole bars in one row per track they were 120 overlapping boxes and labels (benchmarks/phase27-trial27.md). An
analyst reads a form chart instead: one lane per family within each track (most salient first), each statement a
box over its own beats, so a lane shows where its family comes back. Runs of back-to-back statements
(:mod:`motifcli.writers.runs`) carry one label ("5–8") as the score's brackets do.
"""

from __future__ import annotations

from dataclasses import dataclass

from motifcli.annotation import Annotation, Occurrence
from motifcli.meter import bar_lines_from_summary

MAX_TICKS = 24  # bar numbers on the axis: every bar up to this many, else every 2nd, 4th, 5th, 10th ... bar
MAX_GRID = 120  # bars: a faint line at every bar line up to this many, else at the numbered ones


@dataclass(frozen=True, slots=True)
class Lane:
    """One row: one family's statements in one track."""

    track: int
    track_name: str
    family: str
    color: str
    row: int  # 0 = top


@dataclass(frozen=True, slots=True)
class Box:
    """One statement over its own beats; ``text`` is the number shown in it ("5", or "5–8" on a run's first)."""

    row: int
    start: float  # beats
    end: float
    color: str
    text: str
    label: str  # "A5": the statement it draws
    text_end: float  # where the room for ``text`` ends: its own end, or a run's last statement's


@dataclass(frozen=True, slots=True)
class Layout:
    lanes: tuple[Lane, ...]
    boxes: tuple[Box, ...]
    x_range: tuple[float, float]  # beats, the whole piece (a pickup's beats included)
    ticks: tuple[tuple[float, str], ...]  # (beat of a bar line, its printed number) to label
    bar_lines: tuple[float, ...]  # drawn as a faint grid: every bar line, or the numbered ones in a long piece


def _bars_from_meter(annotation: Annotation) -> list[tuple[float, str]]:
    """Each bar's start beat and printed number: the run's meter map, else the JSON ``meter`` summary's
    (:func:`motifcli.meter.bar_lines_from_summary`), else none."""
    if annotation.meter_map is not None:
        return [(float(b.start), b.number) for b in annotation.meter_map.bars]
    return bar_lines_from_summary(annotation.meter or {})


def _tick_step(bar_count: int) -> int:
    """Every bar, or every 2nd/4th/5th/10th/... so that at most :data:`MAX_TICKS` numbers stand on the axis."""
    for step in (1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if bar_count <= MAX_TICKS * step:
            return step
    return max(1, bar_count // MAX_TICKS)


def _lanes(annotation: Annotation) -> list[Lane]:
    """Tracks in score order; within each, its families most salient first."""
    rank = {m.name: k for k, m in enumerate(annotation.ranked)}
    colors = {m.name: m.color for m in annotation.motifs}
    keys = sorted({(o.track, o.track_name, o.family) for o in annotation.occurrences},
                  key=lambda t: (t[0], t[1], rank.get(t[2], len(rank)), t[2]))
    return [Lane(t, name, fam, colors.get(fam, "#888888"), row) for row, (t, name, fam) in enumerate(keys)]


def _run_texts(occurrences: list[Occurrence]) -> dict[int, tuple[str, float]]:
    """``id(occurrence)`` -> the number it shows and where its room ends: its own, "5–8" over a whole run on the
    run's first statement, "" on a run's others."""
    from motifcli.writers.runs import RANGE_DASH, runs
    from motifcli.writers.shared import Statement

    texts: dict[int, tuple[str, float]] = {}
    for run in runs([Statement((o,)) for o in occurrences if o.notes]):
        first, last = run.first.lead, run.last.lead
        text = f"{first.number}{RANGE_DASH}{last.number}" if run.is_run else f"{first.number}"
        texts[id(first)] = (text, max(last.end, first.end))
        for statement in run.statements[1:]:
            texts[id(statement.lead)] = ("", statement.lead.end)
    return texts


def layout(annotation: Annotation) -> Layout:
    """The picture's plan: lanes, one box per statement over its beats, the x range and bar ticks."""
    lanes = _lanes(annotation)
    row = {(ln.track, ln.track_name, ln.family): ln.row for ln in lanes}
    occurrences = annotation.occurrences
    texts = _run_texts(occurrences)
    boxes = []
    for o in occurrences:
        lane = lanes[row[(o.track, o.track_name, o.family)]]
        text, text_end = texts.get(id(o), (f"{o.number}", o.end))
        boxes.append(Box(lane.row, o.start, max(o.end, o.start + 1e-3), lane.color, text, o.label, text_end))
    bars = _bars_from_meter(annotation)
    starts = [b.start for b in boxes] + [b[0] for b in bars[:1]]
    ends = [b.end for b in boxes]
    if bars:
        last_start = bars[-1][0]
        length = bars[-1][0] - bars[-2][0] if len(bars) > 1 else 4.0
        ends.append(last_start + length)
    lo, hi = min(starts, default=0.0), max(ends, default=4.0)
    if hi <= lo:
        hi = lo + 4.0
    shown = [b for b in bars if lo - 1e-6 <= b[0] <= hi + 1e-6]
    step = _tick_step(len(shown))
    ticks = tuple(b for b in shown if step == 1 or (b[1].isdigit() and int(b[1]) % step == 0))
    if not ticks and shown:
        ticks = (shown[0],)
    grid = shown if len(shown) <= MAX_GRID else [b for b in shown if b in ticks]  # 300 lines read as a grey wash
    return Layout(tuple(lanes), tuple(boxes), (lo, hi), ticks, tuple(b[0] for b in grid))
