"""benchmarks/phase_figstart.py (phase 25): the repeat-start cue must find figure starts and never see a meter."""

from __future__ import annotations

import numpy as np

from benchmarks.phase_figstart import disc_cues, feature, histogram, repeat_starts
from motifcli.score import Note, Score, Track

FIGURE = [(0.0, 60), (0.5, 62), (1.0, 64), (1.5, 65), (2.0, 67), (3.0, 64)]  # 6 notes, 2 bars of rest after


def _melody(starts: list[float], shifts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    on = np.array([s + t for s, k in zip(starts, shifts) for t, _ in FIGURE])
    pitch = np.array([p + k for _, k in zip(starts, shifts) for _, p in FIGURE])
    return on, pitch


def test_a_transposed_repeat_starts_where_both_statements_begin() -> None:
    on, pitch = _melody([1.0, 9.0], [0, 5])
    starts, weights = repeat_starts(on, pitch)
    assert starts.tolist() == [1.0, 9.0] and weights.tolist() == [1.0, 1.0]
    # a run shorter than MIN_RUN tokens is not a figure
    assert len(repeat_starts(on[[0, 1, 2, 6, 7, 8]], pitch[[0, 1, 2, 6, 7, 8]])[0]) == 0


def test_whole_bar_lags_only_keeps_repeats_a_multiple_of_4_beats_apart() -> None:
    on, pitch = _melody([0.0, 6.0], [0, 0])  # 6 beats apart
    assert len(repeat_starts(on, pitch)[0]) == 2
    assert len(repeat_starts(on, pitch, bar_lag=True)[0]) == 0


def test_the_feature_is_the_log_share_within_a_quarter_beat_of_each_candidate() -> None:
    h = histogram(np.array([0.5, 4.5, 8.75, 1.5]), offset=0.5)  # bins 0, 0, 1 (a quarter late), 4
    assert h[0] == 2 and h[1] == 1 and h[4] == 1 and sum(h) == 4
    assert np.allclose(feature(h), np.log((np.array([3, 1, 0, 0]) + 1.0) / 8.0))


def test_discovery_starts_are_found_without_estimating_the_meter() -> None:
    on, pitch = _melody([1.0, 9.0, 17.0, 25.0], [0, 2, 0, 2])
    notes = [Note(float(o), float(o) + 0.4, int(p)) for o, p in zip(on, pitch)]
    score = Score([Track(index=0, name="MELODY", notes=notes)])
    starts, longs = disc_cues(score)
    assert score.meter is None  # the cue would echo the estimate if discovery cut bars at its bar lines
    assert sorted(starts.tolist()) == [1.0, 9.0, 17.0, 25.0] and len(longs) == 4


def test_the_local_bias_follows_the_starts_near_each_beat() -> None:
    from benchmarks.phase_figstart_local import local_bias, start_beats

    # starts on beat 0 (mod 4) in the first 32 beats, on beat 2 (mod 4) after: each half prefers its own phase
    onsets = np.r_[np.arange(0, 32, 4.0), np.arange(34, 66, 4.0)] + 0.3
    beats = start_beats(onsets, 0.3)
    bias = local_bias(beats, 66, 1.0, 2)
    assert bias[4] == 0.0 and bias[6] < 0.0  # early: beat 0 of the bar is the best place
    assert bias[58] == 0.0 and bias[56] < 0.0  # late: beat 2 is
    assert len(start_beats(np.array([1.8]), 0.3)) == 0  # half a beat off the grid: no beat's start
