"""benchmarks/barpos_robust.py's replaced meter maps: what phase10-robust10.md's rows rest on."""

from __future__ import annotations

import numpy as np

from benchmarks.barpos_robust import agreement, regular_like, shifted, wrong_length
from motifcli.discovery.barpos import bar_positions
from motifcli.meter import MeterMap


def test_a_shifted_map_moves_every_bar_line_a_beat_and_keeps_the_pickup_a_pickup() -> None:
    given = MeterMap.regular(4.0, 1.5, 40.0, 4, 4)  # a 1.5-beat pickup
    moved = shifted(given)
    assert moved.has_pickup and moved.bars[0].length == 2.5
    assert np.allclose(moved.starts[1:], given.starts[1:] + 1.0)
    assert agreement(moved, given) == 1 / len(given.bars)  # only the shared start at beat 0
    onsets = np.array([0.0, 1.5, 2.0, 5.5, 6.0, 9.25, 30.0])
    # every place one beat earlier in the bar, modulo the bar: the filter's "same place" is unchanged
    assert np.allclose(bar_positions(onsets, moved), np.mod(bar_positions(onsets, given) - 1.0, 4.0))


def test_wrong_half_and_double_maps_have_the_bar_lengths_they_name() -> None:
    four = MeterMap.regular(4.0, 0.0, 48.0, 4, 4)
    three = MeterMap.regular(3.0, 0.0, 48.0, 3, 4)
    assert {b.length for b in wrong_length(four, 48.0).bars} == {3.0}
    assert {b.length for b in wrong_length(three, 48.0).bars} == {4.0}
    assert {b.length for b in regular_like(four, 48.0, 0.5).bars} == {2.0}
    assert regular_like(three, 48.0, 0.5) is three  # an odd bar is not halved
    assert {b.length for b in regular_like(three, 48.0, 2.0).bars} == {6.0}
    assert agreement(regular_like(four, 48.0, 0.5), four) == 1.0
