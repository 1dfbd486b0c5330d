"""The notation's time grid for MIDI input: where bar lines and notes go, and which note values fill a bar.

MIDI input is quantised to sixteenths (:data:`GRID`). Bar lines come from the run's meter map
(:func:`notation_bars`), put on the same grid; each note is written in the bar the report counts it
in (:func:`note_homes`, :func:`onset_on_grid`), so the bar numbers MuseScore prints are the report's.
Pure Python (no music21): :mod:`~motifcli.writers.notation` builds the score from these.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from motifcli.meter import ONSET_SNAP, SPAN_END_EPS, MeterMap

if TYPE_CHECKING:
    from motifcli.annotation import Annotation
    from motifcli.score import Score, TempoChange

GRID = Fraction(1, 4)  # MIDI input is quantised to sixteenth notes


def quantise(beat: float, grid: Fraction = GRID) -> Fraction:
    """A beat position on the grid (round half to even, as Python rounds)."""
    return round(Fraction(float(beat)).limit_denominator(1 << 20) / grid) * grid


@dataclass(frozen=True, slots=True)
class NotationBar:
    """One written measure: start and length on the notation's grid, printed number, signature."""

    start: Fraction
    length: Fraction
    number: str
    numerator: int
    denominator: int
    implicit: bool = False  # a pickup: MuseScore leaves it out of its count (the next bar is 1)
    beat: float | None = None  # where the meter map starts it (off the grid for performed MIDI)

    @property
    def end(self) -> Fraction:
        return self.start + self.length

    @property
    def lead(self) -> Fraction:
        """Beats missing at its start (a pickup is the end of a bar): positions are counted from
        where a full bar would start, so notes are split on the beats they sound on."""
        return max(Fraction(0), Fraction(4 * self.numerator, self.denominator) - self.length) if self.implicit else Fraction(0)


NoteKey = tuple[int, float, int]  # (track index, onset rounded to 1e-6 beat, pitch)


def note_homes(annotation: Annotation, score: Score, meter: MeterMap) -> dict[NoteKey, float]:
    """The bar each occurrence note is counted in by the report (as the start of that bar in ``meter``).

    That is the bar holding its onset (a note played up to ``ONSET_SNAP`` before a bar line in the
    bar after), kept within its occurrence's bars (as :meth:`MeterMap.span_bars` numbers them; a
    bar window may take a note from a little further before its line). Other notes go where
    :func:`onset_on_grid` puts them by default.
    """
    from motifcli.writers._common import occurrence_notes

    homes: dict[NoteKey, float] = {}
    for occ in annotation.occurrences:
        first = meter.bar_index_at(occ.start + ONSET_SNAP)
        last = max(first, meter.bar_index_at(max(occ.start, occ.end - SPAN_END_EPS)))
        for n in occurrence_notes(occ, score):
            i = min(max(meter.bar_index_at(n.onset + ONSET_SNAP), first), last)
            homes[(int(getattr(n, "track", occ.track)), round(float(n.onset), 6), int(n.pitch))] = meter.bars[i].start
    return homes


def onset_on_grid(
    beat: float, bars: list[NotationBar], bar_beats: list[float], grid: Fraction = GRID, home: float | None = None
) -> Fraction:
    """An onset on the grid, kept in its bar: the bar holding ``home`` in the meter map (default: the
    bar holding ``beat + ONSET_SNAP``, a note played a hair before a bar line being heard on it).

    Rounded freely, a note played just before a bar line (a performed anticipation) would land on
    the next bar's downbeat, and one that a window took from just before its bar line in the bar
    before: each is put on its own bar's nearest grid step instead, so every note is written in the
    bar whose number the report gives it (bar lines are on the grid, see :func:`notation_bars`).
    """
    on = quantise(beat, grid)
    where = float(beat) + ONSET_SNAP if home is None else float(home)
    i = bisect.bisect_right(bar_beats, where + 1e-6) - 1  # as MeterMap.bar_index_at
    if i < 0:
        return on
    if i + 1 < len(bars) and on >= bars[i + 1].start:
        on = bars[i + 1].start - grid
    return max(on, bars[i].start)


def notation_bars(meter: MeterMap, end: Fraction, grid: Fraction = GRID) -> list[NotationBar]:
    """The measures to write: the map's bars with their bar lines on the notes' grid, a bar before
    the map's first when it starts late, and bars of the last bar's signature after its end until
    ``end``. A bar shorter than the grid once quantised is merged into the bar before it."""
    out: list[NotationBar] = []
    first = meter.bars[0]
    start0 = quantise(first.start, grid)
    if start0 > 0:
        out.append(NotationBar(Fraction(0), start0, "0", first.numerator, first.denominator, True, 0.0))
    for i, bar in enumerate(meter.bars):
        start = quantise(bar.start, grid)
        stop = quantise(bar.end, grid) if i + 1 == len(meter.bars) else quantise(meter.bars[i + 1].start, grid)
        if stop - start < grid:
            continue
        if out and out[-1].end != start:  # a bar dropped before: the previous one reaches here
            prev = out[-1]
            out[-1] = NotationBar(prev.start, start - prev.start, prev.number, prev.numerator, prev.denominator,
                                  prev.implicit, prev.beat)
        pickup = i == 0 and meter.has_pickup and not out
        out.append(NotationBar(start, stop - start, bar.number, bar.numerator, bar.denominator, pickup, bar.start))
    if not out:
        out.append(NotationBar(Fraction(0), max(grid, quantise(first.nominal_length, grid)), first.number or "1",
                               first.numerator, first.denominator, beat=0.0))
    last = out[-1]
    full = max(grid, quantise(Fraction(4 * last.numerator, last.denominator), grid))
    number = _next_number(last.number, len(out))
    while out[-1].end < end:
        out.append(NotationBar(out[-1].end, full, str(number), last.numerator, last.denominator,
                               beat=float(out[-1].end)))
        number += 1
    return out


def _next_number(label: str, count: int) -> int:
    """The number after a bar labelled ``label`` ("16a" -> 17); its position + 1 if it has none."""
    match = re.match(r"\d+", label)
    return int(match.group()) + 1 if match else count + 1


_DOTTED = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))
_COMPOUND_BEAT = Fraction(3, 2)  # the beat of 6/8, 9/8, 12/8: a dotted quarter


def split_notatable(pos: Fraction, dur: Fraction, compound: bool = False) -> list[Fraction]:
    """``dur`` beats from ``pos`` (within one bar) as plain or dotted note values, split on beats
    (quarter beats; in a compound meter on its dotted-quarter beats, which get dotted values)."""
    out: list[Fraction] = []
    while dur > 0:
        if compound:
            into = pos % _COMPOUND_BEAT
            if into == 0 and dur >= _COMPOUND_BEAT:
                step = 2 * _COMPOUND_BEAT if dur >= 2 * _COMPOUND_BEAT and pos % (2 * _COMPOUND_BEAT) == 0 else _COMPOUND_BEAT
                out.append(step)
            else:
                step = min(dur, _COMPOUND_BEAT - into)
                out.extend(split_notatable(pos, step))
            pos += step
            dur -= step
            continue
        frac = pos - (pos.numerator // pos.denominator)
        if frac:
            step = min(dur, 1 - frac)
            if step not in _DOTTED:
                step = Fraction(1, 4) if step > Fraction(1, 4) else step
        elif dur >= 1:
            whole = dur.numerator // dur.denominator
            step = Fraction(next(v for v in (4, 3, 2, 1) if v <= whole))
        else:
            step = dur if dur in _DOTTED else min(dur, Fraction(1, 4))
        out.append(step)
        pos += step
        dur -= step
    return out


def is_compound(bar: NotationBar) -> bool:
    return bar.denominator == 8 and bar.numerator % 3 == 0 and bar.numerator > 3


TEMPO_STEP = 0.10  # a new metronome mark where the tempo has moved this much (relative) since the last one written


def tempo_marks(tempos: list[TempoChange], bar_beats: list[float]) -> dict[int, float]:
    """Metronome marks for MIDI written as MusicXML: bar index -> beats per minute, at the bars whose tempo
    (the MIDI tempo map's value at the bar line) differs by :data:`TEMPO_STEP` or more from the last mark
    written; bar 0 always gets one. A performed tempo map (POP909's drifts from beat to beat) would put a mark
    on every bar; this keeps its real changes (a 3/4 section at 140 after 90; a final ritardando) so that
    MuseScore plays the score near the MIDI file's timing, at most a mark a bar. 120 bpm without a tempo."""
    ordered = sorted(tempos, key=lambda t: t.beat)
    beats = [t.beat for t in ordered]

    def bpm_at(beat: float) -> float:
        i = bisect.bisect_right(beats, beat + 1e-9) - 1
        return 60_000_000 / ordered[max(i, 0)].microseconds_per_beat if ordered else 120.0

    marks: dict[int, float] = {}
    for i, beat in enumerate(bar_beats):
        bpm = bpm_at(beat)
        if not marks or abs(bpm - last) >= TEMPO_STEP * last:
            marks[i] = last = bpm
    return marks
