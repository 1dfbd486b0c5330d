"""Inner Metric Analysis (benchmarks/meter_ima.py): the weights of Nestke & Noll's model, checked against
the reference implementation's output (pyinmean 0.1.1, van Kranenburg and Dyer's imacpp), and the fold
that reads a bar's phase off the spectral weight."""

from __future__ import annotations

import numpy as np

from benchmarks import meter_ima
from motifcli.meter_templates import RESOLUTION, template

ONSETS = np.array([0, 1, 4, 5, 6, 7, 10, 14, 20])
# pyinmean.get_normalized_ima(ONSETS, False) and (..., True): the reference implementation's weights
METRIC = [0.5454545454545454, 0.4090909090909091, 0.8181818181818182, 0.5909090909090909, 0.5909090909090909,
          1.0, 0.9545454545454546, 0.36363636363636365, 0.18181818181818182]
SPECTRAL = [0.7, 0.6, 0.43333333333333335, 0.3, 0.6, 0.43333333333333335, 0.43333333333333335,
            0.7333333333333333, 0.3, 0.3, 1.0, 0.3, 0.3, 0.6, 0.5666666666666667, 0.43333333333333335, 0.6, 0.3,
            0.43333333333333335, 0.6, 0.5666666666666667]


def test_weights_equal_the_reference_implementation() -> None:
    meters = meter_ima.local_meters(ONSETS)
    metric = meter_ima.metric_weight(meters, ONSETS)
    spectral = meter_ima.spectral_weight(meters, int(ONSETS[-1]) + 1)
    assert np.allclose(metric / metric.max(), METRIC)
    assert np.allclose(spectral / spectral.max(), SPECTRAL)


def test_a_chain_inside_a_shorter_period_is_no_local_meter() -> None:
    meters = meter_ima.local_meters(np.array([0, 1, 2, 3, 4, 7, 10]))
    found = set(zip(meters.starts.tolist(), meters.periods.tolist(), meters.lengths.tolist()))
    assert (0, 1, 4) in found and (1, 3, 3) in found
    assert (0, 2, 2) not in found  # 0, 2, 4 lies inside 0, 1, 2, 3, 4


def test_the_spectral_fold_finds_a_bar_after_a_pickup() -> None:
    # a 3/4 tune: a one-beat pickup, then bars whose only onset in common is the bar line (IMA reads
    # chains of onsets, not accents: a rhythm whose odd beats all sound would read as two-beat bars)
    bars = [[0.0, 1.5, 2.0], [0.0, 0.5, 1.0, 2.5], [0.0, 1.0], [0.0, 2.0, 2.5]] * 3
    onsets = np.array([0.0] + [1.0 + 3.0 * k + t for k, bar in enumerate(bars) for t in bar])
    sw, first = meter_ima.grid_spectral_weight(onsets, float(onsets[-1]) + 1.0)
    fit = meter_ima.phase_fit(sw, first, 3.0, template(3.0, ((3, 1.0), (1, 0.5), (0.5, 0.25))), tiled=True)
    assert int(np.argmax(fit)) == 1 * RESOLUTION  # bar lines one beat after the first note
