"""The phase-11 meter truths (benchmarks/meter_truths.py): main meter and bar-line agreement.

Hand-made pairs of maps whose right answers are worked out by hand: a tune with one 3/4 bar before
ten 4/4 bars, estimated as 4/4 throughout (right on the main meter, wrong on the first section), and
POP909-style downbeat marks with an irregular opening bar.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import meter_truths as mt  # noqa: E402
from motifcli.meter import Bar, MeterMap  # noqa: E402


def _written() -> MeterMap:
    """A 1-beat pickup, one 3/4 bar (beats 1-4), then ten 4/4 bars (beats 4-44)."""
    bars = [Bar(0.0, 1.0, "0", 3, 4), Bar(1.0, 3.0, "1", 3, 4)]
    bars += [Bar(4.0 + 4 * k, 4.0, str(k + 2), 4, 4) for k in range(10)]
    return MeterMap(tuple(bars), source="written")


def test_main_section_is_the_longest_run_with_its_phase() -> None:
    sections = mt.map_sections(_written())
    assert [(s.bar, s.start, s.end) for s in sections] == [(3.0, 0.0, 4.0), (4.0, 4.0, 44.0)]
    assert sections[0].phase == 1.0  # the pickup is not a full bar: the 3/4 bar starts on beat 1
    main = mt.main_section(sections)
    assert (main.bar, main.phase, main.duration) == (4.0, 0.0, 40.0)


def test_one_meter_estimate_right_on_the_main_meter_and_its_bar_lines_counted() -> None:
    est = MeterMap.regular(4.0, 0.0, 44.0, 4, 4)  # 4/4 from beat 0: the opening's 3/4 bar missed
    row = mt.main_meter(mt.map_sections(_written()), est)
    assert row["main_ok"] and row["main_bar_ok"] and row["main_phase_ok"]
    assert row["main_share"] == pytest.approx(40 / 44, abs=1e-3)
    # written lines 1, 4, 8, ..., 40 (11); estimated 0, 4, ..., 40 (11); 10 shared
    agree = mt.agreement(mt.bar_lines(_written()), mt.bar_lines(est), 44.0)
    assert (agree["lines_written"], agree["lines_estimated"]) == (11, 11)
    assert (agree["written_found"], agree["estimated_written"]) == (10, 10)
    assert agree["line_f"] == pytest.approx(10 / 11, abs=1e-4)


def test_wrong_phase_and_wrong_length_over_the_main_section() -> None:
    shifted = MeterMap.regular(4.0, 2.0, 44.0, 4, 4)  # half a bar off
    row = mt.main_meter(mt.map_sections(_written()), shifted)
    assert row["main_bar_ok"] and not row["main_phase_ok"] and not row["main_ok"]
    triple = MeterMap.regular(3.0, 1.0, 44.0, 3, 4)  # the opening's 3/4 throughout
    row = mt.main_meter(mt.map_sections(_written()), triple)
    assert not row["main_bar_ok"] and row["main_est_bar"] == 3.0
    agree = mt.agreement(mt.bar_lines(_written()), mt.bar_lines(triple), 44.0)
    # 3/4 lines 1, 4, 7, ..., 43 (15) meet the written 1, 4, 16, 28, 40: 5 each way
    assert (agree["written_found"], agree["estimated_written"], agree["lines_estimated"]) == (5, 5, 15)
    assert agree["line_recall"] == pytest.approx(5 / 11, abs=1e-4)


def test_within_a_quarter_beat_counts_and_summary_pools() -> None:
    agree = mt.agreement(np.array([0.0, 4.0, 8.0]), np.array([0.2, 4.3, 8.0, 10.0]), 12.0)
    assert (agree["written_found"], agree["estimated_written"]) == (2, 2)  # 4.3 is 0.3 off: no
    rows = [{**agree, "main_ok": True, "main_bar_ok": True, "main_phase_ok": True, "main_share": 1.0},
            {**mt.agreement(np.array([0.0, 3.0]), np.array([0.0, 3.0]), 6.0),
             "main_ok": False, "main_bar_ok": True, "main_phase_ok": False, "main_share": 0.5}]
    s = mt.summarise(rows)
    assert s["main_meter_right"] == 0.5 and s["main_phase_correct"] == 0.5
    assert s["line_recall_pooled"] == pytest.approx(4 / 5, abs=1e-4) and s["line_precision_pooled"] == pytest.approx(4 / 6, abs=1e-4)


def test_pop909_marks_with_an_irregular_first_bar() -> None:
    # a 6-beat first bar from beat 1, then 4-beat bars from 7 to the end (31): main = 4/4 at phase 3
    marks = np.array([1.0, 7.0, 11.0, 15.0, 19.0, 23.0, 27.0])
    sections = mt.marks_sections(marks, 31.0)
    main = mt.main_section(sections)
    assert (main.bar, main.phase, main.start, main.end) == (4.0, 3.0, 7.0, 31.0)
    est = MeterMap.regular(4.0, 3.0, 31.0, 4, 4)
    row = mt.main_meter(sections, est)
    assert row["main_ok"]
    assert not mt.main_meter(sections, MeterMap.regular(4.0, 1.0, 31.0, 4, 4))["main_ok"]
