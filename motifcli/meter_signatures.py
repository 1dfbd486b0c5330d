"""Which bars a MIDI file's time signatures give, and the meter map a Score uses (overrides, written
measures, the file's signatures, else the estimate from the notes: :mod:`motifcli.meter_estimate`).

Split from ``meter_estimate`` in session 27 (pickup27) when notation software's MIDI of a piece with a
pickup got its own case (:func:`shifted_time_signatures`, benchmarks/phase27-pickup27.md). Session 28
(benchmarks/phase28-scoremidi28.md): MuseScore's own export (a short bar between meters where a repeat is
played out, a declared pickup) is taken as written, and a pickup missed at tick 0 (:func:`missed_pickup`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from motifcli import meter_sections
from motifcli.meter import PLAUSIBLE_BAR, MeterMap, _sorted_signatures, nominal_bar_length
from motifcli.meter_estimate import (
    PHASE_STEP,
    RESOLUTION,
    MeterEstimate,
    _clean,
    _ranker_scores,
    accent_grid,
    estimate_meter,
    is_quantised,
)


def time_signatures_consistent(
    events: Sequence[Any],
    notes: Any,
    end_beat: float | None = None,
    estimate: MeterEstimate | None = None,
    *,
    grid: np.ndarray | None = None,
    quantised: bool | None = None,
    ranker_scores: Callable[[], Any] | None = None,
) -> bool:
    """True when MIDI time-signature events describe the notes' bars: use them (source ``midi``).

    The bars must be plausible (at least 1.5 quarter beats: POP909's "1/4" is a placeholder); the
    notes' accents must peak on their bar lines (no shift of every bar line by a grid slot within
    the first bar gives a clearly stronger accent, 5% slack); and, for performed timing
    (:func:`is_quantised` false: a player's take, where signatures are often left at a default),
    they must agree with the estimate from the notes: the same bar length, and at least half the
    lines of the coarser grid within 1/4 beat of a line of the other (bar lines a beat early fail).
    On POP909 the first two checks alone let through 3 wrong signatures of the 6 they accepted.
    Quantised notes (a notation program's export, session 28) may hold one short bar between bars of
    meters (:func:`_written_short_bar`), and a declared pickup (1/8 then 6/8) skips the accent check.
    ``grid``, ``quantised`` and ``ranker_scores``, when given, are the notes' :func:`accent_grid`,
    :func:`is_quantised` and the ranker's scores for :func:`estimate_meter` (:func:`meter_map_for` computes
    them once for all its checks).
    """
    if not events or all(nominal_bar_length(e.numerator, e.denominator) < PLAUSIBLE_BAR for e in events):
        return False  # (POP909's lone "1/4": no bar of it can be plausible; decided before any work)
    notes = _clean(notes)
    if grid is None:
        grid = accent_grid(notes)
    end = float(end_beat) if end_beat is not None else len(grid) / RESOLUTION
    ts_map = MeterMap.from_time_signatures(events, end)
    # the meters, not the events: a pickup's or an irregular bar's own signature (1/4) is no meter,
    # but for a notation program's file, one such bar between bars of meters is a written short bar
    short = [i for i, bar in enumerate(ts_map.bars) if bar.nominal_length < PLAUSIBLE_BAR]
    # the caller's flag, else asked of the notes once, and only where a check needs it
    notes_quantised = functools.cache(lambda: quantised if quantised is not None else is_quantised(notes))
    written = bool(short or ts_map.has_pickup) and notes_quantised()  # a notation program's short bars
    if short and not (written and all(_written_short_bar(ts_map, i) for i in short)):
        return False
    # a notation program that declares the pickup in its own signature (1/8 then 6/8) wrote the measures
    # as printed, even where the tune's accents fall elsewhere (a 6/8 air stressing its half bars)
    if not (written and ts_map.has_pickup) and not _accents_on_bar_lines(grid, ts_map):
        return False
    if notes_quantised():  # notation software wrote it
        return True
    estimate = estimate if estimate is not None else estimate_meter(notes, grid=grid, quantised=False,
                                                                       ranker_scores=ranker_scores)
    if abs(meter_sections.main_bar_length(ts_map.bars) - estimate.beats_per_bar) > 1e-6:
        return False
    return _lines_agree(ts_map.starts, estimate.to_meter_map(end).starts, end)


def _written_short_bar(ts_map: MeterMap, index: int) -> bool:
    """Bar ``index`` is one whole bar of its own short signature (1/4, 1/8) between bars of meters, as
    MuseScore writes a repeat played out: the section's last bar cut short (3/4 in 4/4), then the
    pickup again in its own length (1/4 at beat 16 of bwv13.6, 1/8 at 16.5 of Aird's air 49), then
    the meter (benchmarks/phase28-scoremidi28.md). A run of such bars (POP909's 1/4) is no meter."""
    bars = ts_map.bars
    if index == 0 or index + 1 >= len(bars):
        return False
    bar, before, after = bars[index], bars[index - 1], bars[index + 1]
    return (abs(bar.length - bar.nominal_length) <= 1e-6
            and before.nominal_length >= PLAUSIBLE_BAR and after.nominal_length >= PLAUSIBLE_BAR
            and bar.length < after.nominal_length - 1e-6)


def _shift_strengths(grid: np.ndarray, ts_map: MeterMap) -> list[float]:
    """The mean accent on every bar line shifted by each grid slot within the first full bar."""
    starts = np.rint(ts_map.starts * RESOLUTION).astype(np.int64)
    first_len = int(round(ts_map.bars[min(1, len(ts_map.bars) - 1)].nominal_length * RESOLUTION))
    strength = []
    for shift in range(0, first_len, PHASE_STEP):
        idx = starts + shift
        idx = idx[(idx >= 0) & (idx < len(grid))]
        strength.append(float(grid[idx].mean()) if len(idx) else 0.0)
    return strength


def _accents_on_bar_lines(grid: np.ndarray, ts_map: MeterMap) -> bool:
    """No shift of every bar line by a grid slot within the first full bar gives clearly stronger
    accents (5% slack) than the bar lines themselves."""
    strength = _shift_strengths(grid, ts_map)
    return bool(strength[0] > 0 and strength[0] >= 0.95 * max(strength))


def missed_pickup(events: Sequence[Any], notes: Any, end_beat: float, estimate: MeterEstimate, *,
                  grid: np.ndarray | None = None, quantised: bool | None = None,
                  ranker_scores: Callable[[], Any] | None = None) -> MeterMap | None:
    """The bars after a pickup, for signatures :func:`time_signatures_consistent` took from tick 0 only
    thanks to its 5% slack (music21's MIDI of bwv86.6: 4/4 at tick 0, a one-beat pickup).

    Quantised notes, no declared pickup, bar lines from tick 0 that are not the strongest (under 99%
    of the best shift's accents), and :func:`shifted_time_signatures` finds a pickup whose shifted
    bar lines carry the strongest accents of all: that map. None otherwise (the tick-0 bars stand).
    ``grid``, ``quantised`` and ``ranker_scores`` as in :func:`time_signatures_consistent`.
    """
    plain = MeterMap.from_time_signatures(events, end_beat)
    if plain.has_pickup or not (quantised if quantised is not None else is_quantised(notes)):
        return None
    if grid is None:
        grid = accent_grid(_clean(notes))
    strength = _shift_strengths(grid, plain)
    if strength[0] >= 0.99 * max(strength):
        return None
    shifted = shifted_time_signatures(events, notes, end_beat, estimate, grid=grid, quantised=True,
                                      ranker_scores=ranker_scores)
    if shifted is None:
        return None
    slot = int(round(shifted.first_downbeat * RESOLUTION)) // PHASE_STEP
    return shifted if slot < len(strength) and strength[slot] >= max(strength) - 1e-9 else None


def _lines_agree(lines: np.ndarray, other: np.ndarray, end: float) -> bool:
    """At least half the lines of the coarser grid lie within 1/4 beat of a line of the other."""
    coarse, fine = (lines, other) if len(lines) <= len(other) else (other, lines)
    coarse = coarse[coarse < end - 0.25]
    if len(coarse) == 0 or len(fine) == 0:
        return False
    i = np.clip(np.searchsorted(fine, coarse), 1, max(len(fine) - 1, 1))
    near = np.minimum(np.abs(fine[np.minimum(i, len(fine) - 1)] - coarse), np.abs(fine[i - 1] - coarse))
    return bool(np.mean(near <= 0.25) >= 0.5)


def shifted_time_signatures(
    events: Sequence[Any],
    notes: Any,
    end_beat: float,
    estimate: MeterEstimate,
    *,
    grid: np.ndarray | None = None,
    quantised: bool | None = None,
    ranker_scores: Callable[[], Any] | None = None,
) -> MeterMap | None:
    """The file's bars after a pickup, for notation software's MIDI of a piece with an anacrusis.

    MIDI has no pickup: music21 writes the meter at tick 0 and the pickup's notes from tick 0 (MuseScore
    declares the pickup in a signature of its own length), so bar lines counted from there fall a
    pickup's length off and
    :func:`time_signatures_consistent` refuses them. For quantised notes only (:func:`is_quantised`;
    a player's take is never shifted) whose signatures are plausible meters: the phase comes from the
    notes (:func:`estimate_meter` with the file's first meter), the bar lengths and changes from the
    file; kept (source ``midi``) when every later signature falls on a shifted bar line (as music21
    writes them; MTC's MIDI pads a pickup to a full bar: its changes sit on bar lines from tick 0,
    NLB072714_01's 3/2 at beat 32 of 2/2), the accents then peak on the bar lines and the bar lines agree
    with the free estimate's (half of the coarser grid's within 1/4 beat: a wrong meter fails here).
    None otherwise (the estimate stands). A signature that repeats the one before is no change and
    no bar line (:func:`_changes`). ``grid``, ``quantised`` and ``ranker_scores`` as in
    :func:`time_signatures_consistent`.
    """
    if not events or not (quantised if quantised is not None else is_quantised(notes)):
        return None
    plain = MeterMap.from_time_signatures(events, end_beat)
    if plain.has_pickup or any(bar.nominal_length < PLAUSIBLE_BAR for bar in plain.bars):
        return None  # a declared pickup (1/4 then 4/4) or a one-beat meter: not this case
    first = plain.bars[0]
    fixed = estimate_meter(notes, meter=(first.numerator, first.denominator), grid=grid, quantised=True,
                           ranker_scores=ranker_scores)
    pickup = fixed.first_downbeat % first.nominal_length
    if pickup <= 1e-6 or first.nominal_length - pickup <= 1e-6:
        return None  # no pickup: the bars from tick 0 were refused on their own
    shifted = MeterMap.from_time_signatures(_changes(events), end_beat, first_downbeat=pickup)
    if any(abs(bar.length - bar.nominal_length) > 1e-6 for bar in shifted.bars[1:-1]):
        return None  # a later signature off the shifted bar lines: the file counts its bars from tick 0
    if not _accents_on_bar_lines(grid if grid is not None else accent_grid(notes), shifted):
        return None
    if not _lines_agree(shifted.starts, estimate.to_meter_map(end_beat).starts, end_beat):
        return None
    return shifted


def _changes(events: Sequence[Any]) -> list[tuple[float, int, int]]:
    """The events that change the meter: music21 writes a tune's meter again where a repeat starts
    again with its pickup (Aird's airs in 2/4 with a half-beat pickup: 2/4 at beats 0, 16, 48, 64),
    on the measure that holds the pickup, not on a bar line after it; the bars run on through it."""
    out: list[tuple[float, int, int]] = []
    for beat, num, den in _sorted_signatures(events):
        if not out or (num, den) != out[-1][1:]:
            out.append((beat, num, den))
    return out


def meter_map_for(
    score: Any,
    meter: str | tuple[int, int] | None = None,
    bar_offset: float | None = None,
) -> MeterMap:
    """The meter map a Score should use: overrides, else written measures, else consistent MIDI
    time signatures (after a pickup the notes give, where the bars from tick 0 passed only by the
    accent check's slack: :func:`missed_pickup`), else a quantised file's signatures after a pickup
    found in the notes (:func:`shifted_time_signatures`), else estimated from the notes.

    The notes are read from the Score, and their accent grid, quantised flag and the notated-input
    ranker's scores (on first use) computed, once for the estimate and every check (session 28,
    benchmarks/phase28-grid28.md); the grid is made read-only so no check can change what the next sees."""
    end = float(score.end_beat)
    if meter is not None or bar_offset is not None:
        est = estimate_meter(score, meter=meter, bar_offset=bar_offset)
        source = "user" if meter is not None and bar_offset is not None else "estimated"
        return est.to_meter_map(end, source=source)
    if getattr(score, "meter", None) is not None:  # the reader's (written measures)
        return score.meter
    notes = _clean(score)
    grid, quantised = accent_grid(notes), is_quantised(notes)
    grid.setflags(write=False)
    shared = {"grid": grid, "quantised": quantised, "ranker_scores": _ranker_scores(notes)}
    estimate = estimate_meter(notes, **shared)
    if score.time_signatures and time_signatures_consistent(score.time_signatures, notes, end, estimate, **shared):
        missed = missed_pickup(score.time_signatures, notes, end, estimate, **shared)
        return missed if missed is not None else MeterMap.from_time_signatures(score.time_signatures, end)
    if score.time_signatures:  # notation software's MIDI of a piece with a pickup: its bars, after the pickup
        shifted = shifted_time_signatures(score.time_signatures, notes, end, estimate, **shared)
        if shifted is not None:
            return shifted
    return estimate.to_meter_map(end)
