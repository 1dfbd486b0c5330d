"""Issue 9 phase 7: the phase ranker's windows (phase 3's formula) and the POP909 downbeat-phase dev tool
(``benchmarks/pop_phase_dev.py``), on real POP909 songs and beat_midi.txt. (The opening window,
``OPENING_BARS``, was measured, not kept and removed in session 8: benchmarks/phase8-tidy8.md.)"""

from __future__ import annotations

import numpy as np

from benchmarks import meter as bench
from benchmarks import pop_phase_dev
from conftest import DATA, needs_data
from motifcli import phase_ranker
from motifcli.downbeats import _clean, beat_features, downbeat_logodds
from motifcli.meter import estimate_meter
from motifcli.readers.midi import read_midi


def song(number: int):
    assert DATA is not None
    folder = DATA / "pop909" / f"{number:03d}"
    return folder, read_midi(folder / f"{folder.name}.mid")


def phase3_ranked(feats: np.ndarray, logodds: np.ndarray) -> np.ndarray:
    """ranked_logodds as phase 3 wrote it: the whole song and the 17-bar windows everywhere."""
    pos = np.arange(len(logodds)) % phase_ranker.POSITIONS
    whole = phase_ranker.phase_scores(feats, logodds)
    local = phase_ranker.windowed_scores(feats, logodds, phase_ranker.LOCAL_BARS)
    local = (local - local.max(axis=1, keepdims=True))[np.arange(len(logodds)) // phase_ranker.POSITIONS, pos]
    share = phase_ranker.LOCAL_SHARE
    return logodds - phase_ranker.folded_logodds(logodds)[pos] + (1 - share) * (whole - whole.max())[pos] + share * local


@needs_data
def test_ranked_logodds_are_phase3s_formula() -> None:
    """The ranked log-odds are phase 3's, beat for beat (song 153): the whole song and the 17-bar windows."""
    _, score = song(153)
    notes = _clean(score)
    beats = 0.5833 + np.arange(200)
    feats = beat_features(notes, beats)
    logodds = downbeat_logodds(notes, beats, feats=feats)
    assert np.allclose(phase_ranker.ranked_logodds(feats, logodds), phase3_ranked(feats, logodds))


@needs_data
def test_dev_tool_buckets_real_songs() -> None:
    """pop_phase_dev: song 262's beat_midi marks are steady and the estimate is one beat late there (a
    '1 or 3 beats' miss); song 094's marks change phase (2-beat bars) and the estimate picks the other
    half's phase (a '2 beats' miss); song 021 is right."""
    rows = {}
    for number in (21, 94, 262):
        folder, score = song(number)
        bar, downbeats, _ = bench.pop909_downbeats(folder, score)
        rows[number] = {"bar": bar, "downbeats": downbeats,
                        "est_downbeats": np.array(estimate_meter(score).downbeats)}
    assert pop_phase_dev.steady_share(rows[262]) >= pop_phase_dev.STEADY_SHARE
    assert pop_phase_dev.steady_share(rows[94]) < pop_phase_dev.STEADY_SHARE
    assert pop_phase_dev.bucket(rows[262], rows[262]["est_downbeats"], 4.0) == "1 or 3 beats"
    assert pop_phase_dev.bucket(rows[94], rows[94]["est_downbeats"], 4.0) == "2 beats (1 vs 3)"
    assert pop_phase_dev.bucket(rows[21], rows[21]["est_downbeats"], 4.0) == "right"
    assert pop_phase_dev.bucket(rows[21], rows[21]["est_downbeats"], 3.0) == "bar length"


def test_on_lines_counts_onsets_near_a_bar_line() -> None:
    lines = np.array([0.6, 4.6, 8.6, 12.6])
    assert pop_phase_dev.on_lines(np.array([0.0, 4.0, 9.0, 10.6]), lines) == 0.75
