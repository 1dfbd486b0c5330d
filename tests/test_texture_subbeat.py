"""Texture families do not depend on where, within a fraction of a step, a bar line was estimated.

POP909's onsets sit a fixed fraction of a 1/8-beat step off beat 0, and its estimated bar lines lie
on a 1/12-beat grid: two estimates of one song (ours, beat_midi.txt's) can be 0.014 beat apart with
every bar line agreeing, yet moved POP909 val 024 by 0.14 F_est (benchmarks/phase11-pop11.md).
Real file (examples/pop909-101.mid), real reader, real onnxruntime.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import motifcli
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.encoding import encode_segments
from motifcli.meter import Bar, MeterMap
from motifcli.segment import onset_phase, segment_bars

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"
SHIFTS = (-0.03, -0.014, 0.014, 0.03)  # beats: well under half a 1/8-beat step


@pytest.fixture(scope="module")
def model() -> motifcli.MotifModel:
    return motifcli.load_model(provider="cpu")


def _moved(meter: MeterMap, delta: float) -> MeterMap:
    """Every bar line after the first ``delta`` beats later (the first bar absorbs it)."""
    starts = [b.start + (delta if i else 0.0) for i, b in enumerate(meter.bars)]
    ends = [*starts[1:], meter.bars[-1].end]
    bars = tuple(Bar(s, e - s, b.number, b.numerator, b.denominator) for s, e, b in zip(starts, ends, meter.bars))
    return MeterMap(bars, source=meter.source, confidence=meter.confidence)


def _keys(families) -> list[list[tuple[tuple[int, int], ...]]]:
    return [[tuple((n.track, n.index) for n in o.notes) for o in f.occurrences] for f in families]


def test_onset_phase_is_zero_on_a_written_grid_and_found_off_it() -> None:
    written = np.array([0.0, 0.5, 1 / 3, 2 / 3, 1.0, 1.125, 2.25, 3.0])
    assert onset_phase(written, 8) == 0.0
    rng = np.random.default_rng(0)
    played = np.arange(400) * 0.25 + 0.056 + rng.normal(0, 0.006, 400)  # 0.45 of a 1/8-beat step late
    assert abs(onset_phase(played, 8) - 0.056) < 0.004


def test_a_sub_step_shift_draws_the_same_bar_rolls(model) -> None:
    score = read_score(POP)
    piano = score.track_named("PIANO")
    spec = model.spec
    phase = onset_phase(piano.arrays()[0], spec.steps_per_beat)
    assert phase > 0  # a performance: onsets off the written grid

    def rolls(meter: MeterMap, phase: float | None) -> np.ndarray:
        segs = segment_bars(piano, meter, spec.segment_beats, spec.steps_per_beat, 4, "pad", phase)
        return encode_segments(piano, segs, spec)

    base = rolls(score.meter_map, phase)
    for d in SHIFTS:
        assert np.array_equal(rolls(_moved(score.meter_map, d), phase), base), d
    # anchored at each bar line (the --unit bar default) the same shifts move cells
    plain = rolls(score.meter_map, None)
    assert any(not np.array_equal(rolls(_moved(score.meter_map, d), None), plain) for d in SHIFTS)


def _families_under_shifts(settings: DiscoverySettings, model) -> tuple[list, list[list]]:
    score = read_score(POP)
    given = score.meter_map
    base = _keys(discover(score, model, settings))
    moved = []
    for d in SHIFTS:
        score.meter = _moved(given, d)
        moved.append(_keys(discover(score, model, settings)))
    return base, moved


def test_bar_lines_a_hair_apart_give_the_same_texture_families(model) -> None:
    assert DiscoverySettings().texture_roll_grid == "onsets_bars"  # the default since phase 11
    base, moved = _families_under_shifts(DiscoverySettings(), model)
    assert any(len(f[0]) > 20 for f in base)  # texture families (whole piano bars) are among them
    assert all(m == base for m in moved)


def test_anchored_at_each_bar_line_the_families_move(model) -> None:
    """The rule before phase 11 (``texture_roll_grid="bar"``) fails the test above on this file."""
    base, moved = _families_under_shifts(DiscoverySettings(texture_roll_grid="bar"), model)
    assert any(m != base for m in moved)


@pytest.mark.parametrize("with_model", [True, False])
def test_unknown_roll_grid_is_refused(model, with_model: bool) -> None:
    with pytest.raises(ValueError, match="texture_roll_grid"):
        discover(read_score(POP), model if with_model else None, DiscoverySettings(texture_roll_grid="beat"))
