"""The re-ranker fit's targets for a written 2/4 (benchmarks/meter_rerank_fit.py, issue 9 phase 23): lenient
takes 4/4 on either half bar, half only with the first full 2/4 bar on the 4/4 bar line, strict 2/4 only."""

from __future__ import annotations

import numpy as np

from benchmarks.meter_rerank_fit import retarget, targets
from motifcli import meter_rerank


def _rows(signature: str, phase: float) -> dict:
    """One piece's hypotheses: 2/4 at 0.5, 4/4 at 0.5 and at 2.5, 3/4 at 0.5 (first full bar at ``phase``)."""
    names = ["2/4", "4/4", "4/4", "3/4"]
    metas = np.array([meter_rerank.METERS.index(n) for n in names])
    phases = np.array([0.5, 0.5, 2.5, 0.5])
    return {"metas": metas, "phases": phases, "signature": signature, "written_phase": phase,
            "ok": targets(metas, phases, signature, phase)}


def test_a_written_two_four_under_each_target() -> None:
    r = _rows("2/4", 0.5)
    assert retarget(r, "lenient").tolist() == [True, True, True, False]
    assert retarget(r, "half").tolist() == [True, True, False, False]
    assert retarget(r, "strict").tolist() == [True, False, False, False]


def test_the_half_target_follows_the_first_full_bar() -> None:
    r = _rows("2/4", 2.5)
    assert retarget(r, "half").tolist() == [True, False, True, False]


def test_other_signatures_keep_phase_nine_targets() -> None:
    r = _rows("4/4", 0.5)
    for kind in ("lenient", "half", "strict"):
        assert retarget(r, kind).tolist() == [False, True, False, False]
