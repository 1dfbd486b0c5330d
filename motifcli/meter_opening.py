"""The opening's meter on the opening only: where a one-line tune leaves its opening's meter.

``meter_estimate.opening_stage1`` gives one-line notated input the opening's bar length when the first
bars clearly prefer another meter than the whole piece. When the meter-change search
(``meter_sections``) then finds no change, that meter would rule the whole piece, though the whole
piece preferred its own. Here one change is placed instead: the opening's bars up to one of its bar
lines, then the whole piece's own bars (its estimate's bar lines, a short bar between if they do not
meet). The change goes where the two maps' fits cross: each grid slot scores its accent (z-scored)
times its metric weight (the standardised template at its place in the bar) under each map, and the
change bar line maximises the opening map's sum before it plus the whole map's sum after it (the
one-change path of ``meter_sections``'s Viterbi, both phases fixed). No change when the opening's map
fits best to the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from motifcli.meter import Bar, MeterMap
from motifcli.meter_templates import standardised, template

MIN_OPENING_BARS = 1  # the opening keeps at least this many full bars of its own meter
MIN_JOIN_BEATS = 1.0  # a short bar between the two maps shorter than this (but not zero): not that bar line
# weight of the downbeat model's log-odds at each map's bar lines (as meter_sections.DOWNBEAT_WEIGHT); 0: off
DOWNBEAT_WEIGHT = 32.0  # phase 6b: 0 / 4 / 8 / 16 / 32 on two fresh dev samples, rising throughout (phase6-meter6b.md)


def slot_fit(z: np.ndarray, bars: Sequence[Bar], levels: dict[tuple[int, int], Sequence[tuple[float, float]]],
             resolution: int) -> np.ndarray:
    """Accent x metric weight at each slot under these bars (a pickup bar is the end of a full bar)."""
    out = np.zeros(len(z))
    for k, bar in enumerate(bars):
        key = (bar.numerator, bar.denominator)
        if key not in levels:
            continue
        t = standardised(template(bar.nominal_length, levels[key]))
        lo = int(round(bar.start * resolution))
        hi = min(int(round(bar.end * resolution)), len(z))
        if hi <= lo:
            continue
        idx = np.arange(lo, hi)
        short = bar.length < bar.nominal_length - 1e-6
        pos = (len(t) - (int(round(bar.end * resolution)) - idx)) if (short and k == 0) else (idx - lo)
        out[lo:hi] = z[lo:hi] * t[np.mod(pos, len(t))]
    return out


def _line_fit(n: int, bars: Sequence[Bar], resolution: int,
              logodds: Callable[[np.ndarray], np.ndarray] | None) -> np.ndarray:
    """DOWNBEAT_WEIGHT x the downbeat model's log-odds at each bar line, on the slot it falls on."""
    out = np.zeros(n)
    if logodds is None or not DOWNBEAT_WEIGHT:
        return out
    at = np.array([b.start for b in bars if b.number != "0" and round(b.start * resolution) < n])
    if len(at):
        np.add.at(out, np.rint(at * resolution).astype(np.int64), DOWNBEAT_WEIGHT * np.asarray(logodds(at)))
    return out


def split_opening(grid: np.ndarray, resolution: int, opening: MeterMap, whole: MeterMap,
                  levels: dict[tuple[int, int], Sequence[tuple[float, float]]],
                  logodds: Callable[[np.ndarray], np.ndarray] | None = None) -> tuple[Bar, ...]:
    """Bars of the opening's map up to its best change bar line, then the whole piece's map; () when the
    opening's map fits best to the end (or there is no room for a change)."""
    n = len(grid)
    sd = float(grid.std())
    if n == 0 or sd == 0:
        return ()
    z = (grid - grid.mean()) / sd
    f_open = np.concatenate([[0.0], np.cumsum(slot_fit(z, opening.bars, levels, resolution)
                                              + _line_fit(n, opening.bars, resolution, logodds))])
    f_whole = np.concatenate([[0.0], np.cumsum(slot_fit(z, whole.bars, levels, resolution)
                                               + _line_fit(n, whole.bars, resolution, logodds))])
    end = n / resolution
    full = [b for b in opening.bars if b.number != "0"]
    whole_starts = np.array([b.start for b in whole.bars])
    best, best_t = f_open[n], None  # no change: the opening's map to the end
    for bar in full[MIN_OPENING_BARS:]:
        t = bar.start
        if t >= end - 1e-6:
            break
        after = whole_starts[whole_starts >= t - 1e-6]
        if len(after) == 0:
            continue
        gap = float(after[0] - t)
        if 1e-6 < gap < MIN_JOIN_BEATS - 1e-6:
            continue
        s = int(round(t * resolution))
        score = f_open[s] + f_whole[n] - f_whole[s]
        if score > best + 1e-9:
            best, best_t = score, t
    if best_t is None:
        return ()
    bars = [b for b in opening.bars if b.start < best_t - 1e-6]
    later = [b for b in whole.bars if b.start >= best_t - 1e-6]
    if not later:
        return ()
    if later[0].start > best_t + 1e-6:  # a short bar of the later meter where the two maps do not meet
        nxt = later[0]
        bars.append(Bar(best_t, nxt.start - best_t, "", nxt.numerator, nxt.denominator))
    bars.extend(later)
    out: list[Bar] = []
    number = 1
    for b in bars:
        if b is bars[0] and b.number == "0":
            out.append(b)
            continue
        out.append(Bar(b.start, b.length, str(number), b.numerator, b.denominator))
        number += 1
    return tuple(out)
