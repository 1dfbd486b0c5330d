"""benchmarks/uncertainty.py: bootstrap intervals over the committed per-piece discovery results."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import uncertainty


def test_interval_of_a_constant_is_that_constant() -> None:
    idx = uncertainty.resample_indices(5, np.random.default_rng(0))
    mean, lo, hi, above = uncertainty.interval([0.4] * 5, idx)
    assert mean == lo == hi == pytest.approx(0.4)
    assert above == 1.0


def test_interval_brackets_the_mean_and_widens_with_spread() -> None:
    idx = uncertainty.resample_indices(8, np.random.default_rng(0))
    narrow = uncertainty.interval([0.5, 0.52, 0.48, 0.5, 0.51, 0.49, 0.5, 0.5], idx)
    wide = uncertainty.interval([0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.5, 0.5], idx)
    for mean, lo, hi, _ in (narrow, wide):
        assert lo < mean < hi
    assert (wide[2] - wide[1]) > 5 * (narrow[2] - narrow[1])


def test_pooled_names_read_every_file_and_match_the_committed_means() -> None:
    tune = uncertainty.per_piece("discovery-bps-tune")
    both = uncertainty.per_piece("discovery-bps-tune+discovery-bps-test")
    assert len(tune) == 8 and len(both) == 16
    committed = json.loads((uncertainty.RESULTS / "discovery-bps-tune.json").read_text())["mean"]["F_est"]
    assert np.mean([row["F_est"] for row in tune.values()]) == pytest.approx(committed)
    assert uncertainty.label("discovery-bps-tune+discovery-bps-test") == "discovery-bps-{tune,test}"


def test_paired_rows_give_the_difference_of_the_two_means() -> None:
    rows = uncertainty.paired("discovery-pop909-val", "shipped-pop909-val")
    note = uncertainty.per_piece("discovery-pop909-val")
    bar = uncertainty.per_piece("shipped-pop909-val")
    diff = np.mean([note[p]["F_est"] - bar[p]["F_est"] for p in note])
    assert f"{diff:+.3f}" in rows[0] and "| F_est |" in rows[0]
