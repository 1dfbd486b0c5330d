"""The numpy.ma-free percentiles give numpy's own answers (meter estimation and discovery use them)."""

from __future__ import annotations

import numpy as np
import pytest

from motifcli.quantiles import median, percentile, percentiles


@pytest.mark.parametrize("size", [1, 2, 3, 10, 101, 1000])
def test_percentiles_match_numpy(size: int) -> None:
    rng = np.random.default_rng(size)
    for values in (rng.normal(size=size), rng.integers(20, 100, size=size)):
        qs = [0, 10, 25, 33.3, 50, 75, 90, 100]
        assert percentiles(values, qs) == pytest.approx(np.percentile(values, qs).tolist(), abs=1e-12)
        assert median(values) == pytest.approx(float(np.median(values)), abs=1e-12)
        assert percentile(values, 25) == pytest.approx(float(np.percentile(values, 25)), abs=1e-12)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        median([])
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0, 2.0], 101)
