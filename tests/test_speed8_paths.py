"""Phase 8's faster paths give exactly what they replace (benchmarks/phase8-speed8.md)."""

from __future__ import annotations

import numpy as np
from motifcli.discovery.align import _min_distance
from motifcli.discovery.candidates import interval_class, interval_class_of


def test_min_distance_is_the_plain_sum_formula() -> None:
    rng = np.random.default_rng(7)
    for s in (1, 3, 7, 8, 9, 15, 16, 17):
        iv = rng.integers(-14, 15, (500, s)).astype(np.float64)
        lr = np.log2(rng.choice([0.25, 0.5, 1, 1.5, 2, 3], size=(500, s)))
        ex_iv = rng.integers(-14, 15, (6, s)).astype(np.float64)
        ex_lr = np.log2(rng.choice([0.25, 0.5, 1, 1.5, 2, 3], size=(6, s)))
        allowed = rng.random((500, 6)) < 0.7
        for mask in (None, allowed):
            want = np.full(500, np.inf)
            for x in range(6):
                d = (np.abs(iv - ex_iv[x]) + np.abs(lr - ex_lr[x])).sum(axis=1)
                if mask is not None:
                    d[~mask[:, x]] = np.inf
                want = np.minimum(want, d)
            assert np.array_equal(_min_distance(iv, lr, ex_iv, ex_lr, mask), want / s)


def test_interval_class_of_one_interval_is_the_array_version() -> None:
    semitones = np.arange(-140, 141, dtype=np.int64)
    assert [interval_class_of(int(s)) for s in semitones] == interval_class(semitones).tolist()
    assert [interval_class_of(s) for s in semitones] == interval_class(semitones).tolist()  # numpy ints too
