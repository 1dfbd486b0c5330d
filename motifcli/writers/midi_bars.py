"""The time-signature events that put a meter map's bars on a MIDI file's bar ruler.

A MIDI file's time signatures are its bars: a reader lays bars of the current signature from each
event on. When the run's bars were estimated (or given with ``--meter``/``--bar-offset``), the
annotated MIDI must carry them, or "Motif A1, bars 12-13" cannot be found in a DAW. The events:

* at tick 0 a pickup's own length (MuseScore writes a pickup the same way: 1/4 then 4/4, and its
  MIDI import reads a first bar shorter than the next as an uncounted pickup); one of 1.5 beats or
  more in 32nds (2 beats: 16/32), a signature no written meter uses, so that our reader too can
  tell it from a first bar in a meter of its own (MTC's 6/8 bar before 9/8);
* each section's signature at its first bar line;
* an irregular bar's own length at its start, and the section's signature again after it.

A signature is numerator / power-of-two denominator, so a pickup or irregular bar whose length is
not a multiple of 1/32 beat (performed input: a pickup of 2.1667 beats) is declared at the longest
such length that does not pass the bar's end, counted from where a reader going by declared
lengths has its start (a bar that is a multiple, the usual 2- or 6-beat bar, keeps its plain
length: 2/4, 6/4); the next event stays at the map's exact bar-line tick. So:

* a reader that starts a bar at every event's tick (ours, :meth:`motifcli.meter.MeterMap.from_time_signatures`,
  which absorbs a rest of bar of up to 1/32 beat into the bar before) gets the map's bar lines to
  the tick (rounding: 1/(2 x ticks per beat) beat);
* a reader that lays bars by declared lengths and moves an event to the bar line before it
  (MuseScore 3's import) has bar lines at most 1/32 beat early (inclusive), never late, and the
  error does not add up over several rounded bars.

Rounded down, never to the nearest: MuseScore 3 drops a first signature whose bar the next event
cuts short (its bars then start at tick 0, 2 beats off). For performed input a pickup is declared
short of its end even on the grid (2 beats: 63/128), as MuseScore 3 reads a plain first signature
(2/4) of what it takes for a human performance as the meter of the whole piece; notated input keeps
exact pickups (1/4, 16/32), whose notes MuseScore then writes without ties over the bar line.
benchmarks/phase9-midibars9.md has the experiments.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from motifcli.meter import PICKUP_DENOMINATOR, PLAUSIBLE_BAR, MeterMap

GRID = 32  # declared lengths are multiples of 1/GRID beat (a 1/128 note: MIDI's finest common denominator)
_EPS = 1e-6
MAX_NUMERATOR = 255  # one byte in the event


def declared_signature(beats: float | Fraction) -> tuple[int, int]:
    """The signature of the longest multiple of 1/32 beat not above ``beats`` (at least 1/32 beat),
    in the simplest form with a denominator of at least 4 (2.0 -> 2/4, 1.5 -> 3/8, 2.1667 -> 69/128)."""
    units = max(1, math.floor(float(beats) * GRID + _EPS))
    numerator, denominator = units, 4 * GRID  # 1/32 beat = a 1/128 note
    while numerator % 2 == 0 and denominator > 4:
        numerator //= 2
        denominator //= 2
    while numerator > MAX_NUMERATOR:  # over ~8 beats in 1/128 notes: a coarser, shorter declaration
        numerator //= 2
        denominator //= 2
    return numerator, max(denominator, 1)


def signature_below(beats: float | Fraction) -> tuple[int, int]:
    """The signature of the longest multiple of 1/32 beat strictly below ``beats`` (at least 1/32
    beat), with a denominator of 32 or more (2 beats -> 63/128; 2.1667 -> 69/128)."""
    units = max(1, math.ceil(float(beats) * GRID - _EPS) - 1)
    return pickup_signature(*declared_signature(Fraction(units, GRID)), finest=True)


def pickup_signature(numerator: int, denominator: int, finest: bool = False) -> tuple[int, int]:
    """A pickup of 1.5 quarter beats or more in 32nds (2 beats: 16/32, not 2/4), so that no reader
    takes it for a first bar in a meter of its own (meter.py ``_opens_with_pickup``); shorter ones
    (1/4, 3/16) stay as written, as MuseScore writes them."""
    if 4 * numerator / denominator < PLAUSIBLE_BAR - _EPS and not finest:
        return numerator, denominator
    while denominator < PICKUP_DENOMINATOR and 2 * numerator <= MAX_NUMERATOR:
        numerator, denominator = 2 * numerator, 2 * denominator
    return numerator, denominator


def _on_grid(beats: float) -> bool:
    return abs(beats * GRID - round(beats * GRID)) < _EPS * GRID


def signature_events(meter: MeterMap, ticks_per_beat: int,
                     quantised: bool | Callable[[], bool] = True) -> list[tuple[int, int, int]]:
    """(tick, numerator, denominator) of every time-signature event that carries ``meter``'s bars.

    ``quantised=False`` (performed input, ``meter_estimate.is_quantised``): the pickup is declared
    1/32 beat or less short of its end even when its length is a whole number of 32nds (2 beats:
    63/128, not 16/32), since MuseScore 3's import, when it takes the notes for a human performance,
    keeps a plain first signature (2/4, 16/32, 1/4) for the whole piece and drops the rest. A callable
    is asked only for a pickup on the 1/32 grid (the only case it decides)."""
    bars = meter.bars
    last = len(bars) - 1
    declared = Fraction(0)  # where a reader going by declared lengths has this bar's start
    events: list[tuple[int, int, int]] = []
    current: tuple[int, int] | None = None
    after_odd = False
    for i, bar in enumerate(bars):
        # the last bar holds what is left of the piece: the file's end closes it, whatever its length
        odd = i < last and abs(bar.length - bar.nominal_length) > _EPS
        if odd:
            end = Fraction(bar.end).limit_denominator(1 << 20)
            if not _on_grid(bar.length):  # counted from where a length reader is: the error never adds up
                sig = declared_signature(end - declared)  # (a pickup: strictly short, as below)
            elif i == 0 and not (quantised() if callable(quantised) else quantised):
                sig = signature_below(end)
            else:  # the usual irregular bar (2, 6, 7 beats), a notated pickup: its plain length
                sig = declared_signature(bar.length)
            if i == 0:
                sig = pickup_signature(*sig)
        else:
            sig = (bar.numerator, bar.denominator)
        if i == 0 or odd or after_odd or sig != current:
            events.append((max(0, round(bar.start * ticks_per_beat)), *sig))
            current = sig
        declared += Fraction(4 * sig[0], sig[1])
        after_odd = odd
    return events
