"""An estimate whose name and bars agree: the meter it names is the meter of the bars it draws.

``estimate_meter`` names one meter and downbeat phase (stage 1, the ranker, the re-ranker), then the
change search (``meter_sections``) may lay bars of another meter or phase: on MTC-ANN tune, 12 songs
(four named 3/2 under 3/4 bars). The map is what the product draws (MusicXML, MIDI, the report's
``meter`` sections and first downbeat), so a name that disagrees with it describes bars nobody sees,
and "right" (benchmarks/meter.py, read off the name) scored bars nobody draws.

``settle``, the last step of ``estimate_meter``: where the path's first full bar is not the name's,
- half the name's bar (3/4 under 3/2, 2/4 under 4/4): the name's one-meter bars (the path split the
  name's bars in two, and the name had the evidence of the whole bar);
- else, for one-line input: the name's bars, then the path's from where their fits cross, or the name's
  to the end (``meter_opening.split_opening``, the opening rule's one-change path: at least one bar of the
  name, whose re-ranker reads a folk tune's opening better than the search); polyphony keeps the path
  (split_opening is a one-line rule; bwv171.6: a right 4/4 path under a 3/4 name);
and the name (meter, first downbeat, downbeats) is read off the bars kept (polyphony only, in practice).
Chosen on MTC tune among seven rules (issue 9 phase 12, benchmarks/phase12-name12.md).
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


def settle(est: MeterEstimate, split: Splitter | None) -> MeterEstimate:
    """``est`` with bars that open in its named meter (the rules above), named after the bars it keeps."""
    if not est.sections or agrees(est, est.sections):
        return est
    first = first_full_bar(est.sections)
    if abs(2 * first.nominal_length - est.beats_per_bar) < _EPS:
        return dataclasses.replace(est, sections=())
    named = MeterMap.from_downbeats(est.downbeats, est.sections[-1].end, est.numerator, est.denominator)
    if split is not None:
        est = dataclasses.replace(est, sections=split(named, MeterMap(est.sections)))
    if not est.sections or agrees(est, est.sections):
        return est
    first = first_full_bar(est.sections)
    return dataclasses.replace(
        est, numerator=first.numerator, denominator=first.denominator, first_downbeat=first.start % first.nominal_length,
        downbeats=tuple(b.start for b in est.sections if b.length >= b.nominal_length - _EPS))


def splitter(notes: tuple[np.ndarray, ...], grid: np.ndarray, candidates: Sequence[Candidate], mono: bool) -> Splitter | None:
    """meter_opening.split_opening on these notes: a name's map, then a path's, where their fits cross; None
    for polyphony (split_opening is the one-line rule; bwv171.6's right 4/4 path under a 3/4 name stays)."""
    if not mono:
        return None
    levels = {(c.numerator, c.denominator): c.levels for c in candidates}
    end = float(notes[1].max()) if len(notes[1]) else len(grid) / RESOLUTION
    cut = grid[: int(np.ceil(end * RESOLUTION))]
    weights = downbeats.MELODY_WEIGHTS
    return lambda named, path: meter_opening.split_opening(
        cut, RESOLUTION, named, path, levels, logodds=lambda at: downbeats.downbeat_logodds(notes, at, weights))
