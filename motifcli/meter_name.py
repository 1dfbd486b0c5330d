"""An estimate whose name and bars agree: the meter it names is the meter of the bars it draws.

``estimate_meter`` names one meter and downbeat phase (stage 1, the ranker, the re-ranker), then the
change search (``meter_sections``) or the opening split may lay bars of another meter or phase: on
MTC-ANN tune, five songs were named 3/2 under 3/4 bars. The map is what the product draws (MusicXML,
MIDI, the report's ``meter`` sections), so a name that disagrees with it describes bars nobody sees.

``settle`` is the last step of ``estimate_meter``: ``BARS_RULE`` decides whose bars win where the two
disagree, then the name is read off the bars' first full bar (``NAME_FROM_BARS``). Issue 9 phase 12,
benchmarks/phase12-name12.md has the measurements.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from motifcli import downbeats, meter_opening
from motifcli.meter import Bar, MeterMap
from motifcli.meter_templates import RESOLUTION

if TYPE_CHECKING:
    from motifcli.meter_estimate import Candidate, MeterEstimate

_EPS = 1e-6
# where the change search's first full bar disagrees with the name (bar length or phase):
#   "path": keep the search's bars (sessions 4-11);
#   "half": the name's one-meter bars when the path's first full bar is half the name's (3/4 under 3/2);
#   "name": the name's one-meter bars (session 11's KEEP_OPENING_METER, phase too);
#   "split": the name's bars, then the path's from where their fits cross (meter_opening.split_opening);
#   "half_split": "half" where it applies, else "split";
#   "half_split_bar": "half" where it applies, else "split" where the bar lengths differ, else the path's
BARS_RULE = "half_split"
NAME_FROM_BARS = True  # the name (meter, first downbeat, downbeats) read off the bars the map draws

Splitter = Callable[[MeterMap, MeterMap], tuple[Bar, ...]]


def first_full_bar(bars: tuple[Bar, ...]) -> Bar:
    """The first bar that is not a pickup (a first bar shorter than its meter, with bars after it)."""
    if len(bars) > 1 and bars[0].length < bars[0].nominal_length - _EPS:
        return bars[1]
    return bars[0]


def agrees(est: MeterEstimate, bars: tuple[Bar, ...]) -> bool:
    """The bars open with a full bar of the name's length on the name's phase."""
    first = first_full_bar(bars)
    bar = est.beats_per_bar
    d = (first.start - est.first_downbeat) % bar
    return abs(first.nominal_length - bar) < _EPS and min(d, bar - d) < _EPS


def settle(est: MeterEstimate, split: Splitter | None = None) -> MeterEstimate:
    """``est`` with bars chosen by ``BARS_RULE`` and, with ``NAME_FROM_BARS``, named after them.

    ``split`` (unused by the kept rules) lays a name's map then a path's map where their fits cross."""
    if est.sections and not agrees(est, est.sections):
        est = dataclasses.replace(est, sections=_rule_bars(est, split))
    if not NAME_FROM_BARS or not est.sections or agrees(est, est.sections):
        return est
    first = first_full_bar(est.sections)
    full = [b.start for b in est.sections if b.length >= b.nominal_length - _EPS]
    return dataclasses.replace(
        est, numerator=first.numerator, denominator=first.denominator,
        first_downbeat=first.start % first.nominal_length, downbeats=tuple(full))


def _rule_bars(est: MeterEstimate, split: Splitter | None) -> tuple[Bar, ...]:
    """The bars ``BARS_RULE`` keeps where the change search's path disagrees with the name."""
    first = first_full_bar(est.sections)
    if BARS_RULE.startswith("half") and abs(2 * first.nominal_length - est.beats_per_bar) < _EPS:
        return ()
    if BARS_RULE == "name":
        return ()
    if BARS_RULE == "half_split_bar" and abs(first.nominal_length - est.beats_per_bar) < _EPS:
        return est.sections  # the same bar at another phase: the path's
    if "split" in BARS_RULE and split is not None:
        named = MeterMap.from_downbeats(est.downbeats, est.sections[-1].end, est.numerator, est.denominator)
        return split(named, MeterMap(est.sections))
    return est.sections


def splitter(notes: tuple[np.ndarray, ...], grid: np.ndarray, candidates: Sequence[Candidate], mono: bool) -> Splitter:
    """meter_opening.split_opening on these notes: a name's map, then a path's, where their fits cross."""
    levels = {(c.numerator, c.denominator): c.levels for c in candidates}
    weights = downbeats.MELODY_WEIGHTS if mono else None
    end = float(notes[1].max()) if len(notes[1]) else len(grid) / RESOLUTION
    cut = grid[: int(np.ceil(end * RESOLUTION))]
    return lambda named, path: meter_opening.split_opening(
        cut, RESOLUTION, named, path, levels, logodds=lambda at: downbeats.downbeat_logodds(notes, at, weights))
