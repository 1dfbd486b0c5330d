"""The phase ranker (motifcli/phase_ranker.py): its inputs and outputs on a synthetic song with known
downbeats, and real POP909 songs against ``beat_midi.txt`` (the shipped examples and a held-out run)."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, REPO, needs_data
from motifcli import meter_estimate, phase_ranker
from motifcli.downbeats import FEATURES, beat_features, downbeat_logodds
from motifcli.meter import estimate_meter
from motifcli.readers.midi import read_midi

CHORDS = ((48, 60, 64, 67), (41, 60, 65, 69), (43, 59, 62, 67), (45, 60, 64, 69))  # C F G Am, bass first


def pop_song(bars: int = 24, pickup: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A 4/4 song whose downbeats are at ``pickup + 4k``: a new chord and a long loud bass on beat 1,
    the chord again on beat 3 with a short bass, eighth-note melody, beat 4 sparser; a melody
    pickup before the first bar."""
    on, off, pitch, vel = [], [], [], []

    def note(start: float, length: float, p: int, v: float = 70.0) -> None:
        on.append(start), off.append(start + length), pitch.append(p), vel.append(v)

    note(pickup - 0.5, 0.5, 72)
    jitter = np.random.default_rng(7)  # played, not quantised: onsets a few hundredths off the grid
    for b in range(bars):
        t = pickup + 4 * b
        bass, *chord = CHORDS[b % 4]
        note(t, 2.0, bass, 95)
        note(t + 2, 1.0, bass + 7, 70)
        for p in chord:
            note(t, 2.0, p, 80)
            note(t + 2, 1.0, p, 65)
        for k, step in enumerate((0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)):  # no eighth after beat 4
            note(t + step, 0.5, 72 + (k * 2 + b) % 7, 75)
    onsets = np.array(on) + jitter.normal(0.0, 0.02, len(on))
    return onsets, np.array(off), np.array(pitch, dtype=float), np.array(vel)


def test_profiles_and_candidates_roll_the_positions() -> None:
    feats = np.arange(12 * 2, dtype=float).reshape(12, 2) % 7  # 12 beats, 2 features
    profile = phase_ranker.position_profiles(feats)
    assert profile.shape == (4, 2)
    raw = np.stack([feats[k::4].mean(axis=0) for k in range(4)])
    assert np.allclose(profile, raw - raw.mean(axis=0))  # centred: what every candidate shares is gone
    vectors = phase_ranker.candidate_vectors(profile)
    assert vectors.shape == (4, 8)
    for k in range(4):  # candidate k: its downbeat's position first, then the 3 after it
        assert np.allclose(vectors[k].reshape(4, 2), profile[[(k + j) % 4 for j in range(4)]])
    assert len(phase_ranker.RANK_WEIGHTS) == phase_ranker.POSITIONS * len(FEATURES)


def test_synthetic_song_scores_its_downbeat_position_first(monkeypatch: pytest.MonkeyPatch) -> None:
    notes = pop_song(pickup=1.0)
    beats = np.arange(0.0, 100.0)  # quarter beats from 0: the downbeats are beats 1, 5, 9, ...
    feats = beat_features(notes, beats)
    logodds = downbeat_logodds(notes, beats, feats=feats)
    scores = phase_ranker.phase_scores(feats, logodds)
    assert scores.shape == (4,) and int(np.argmax(scores)) == 1
    assert scores[1] - np.sort(scores)[-2] > 1.0  # a clear margin, not a tie
    # a window wider than the song gives the whole-song scores at every bar (up to a constant)
    wide = phase_ranker.windowed_scores(feats, logodds, half_bars=len(beats))
    assert wide.shape == (25, 4)
    assert np.allclose(wide - wide.max(axis=1, keepdims=True), scores - scores.max())
    local = phase_ranker.windowed_scores(feats, logodds, half_bars=2)
    assert (np.argmax(local[1:-1], axis=1) == 1).all()  # every 5-bar window agrees (the song is uniform)
    monkeypatch.setattr(phase_ranker, "LOCAL_SHARE", 0.0)  # the whole-song part alone:
    ranked = phase_ranker.ranked_logodds(feats, logodds)
    # each position's mean becomes the ranker's score (best = 0); deviations within a position are kept
    means = phase_ranker.folded_logodds(ranked)
    assert np.allclose(means, phase_ranker.BIAS_WEIGHT * (scores - scores.max()))
    assert np.allclose(np.diff(ranked[1::4]), np.diff(logodds[1::4]))


@pytest.mark.parametrize("pickup", [0.0, 1.0, 2.0, 3.0])
def test_estimate_finds_the_synthetic_downbeats(pickup: float) -> None:
    estimate = estimate_meter(pop_song(pickup=pickup))
    assert estimate.name == "4/4"
    assert estimate.first_downbeat == pytest.approx(pickup)
    assert np.allclose(np.array(estimate.downbeats) % 4, pickup)


def beat_midi_dominant_phase(song: Path, score) -> float:  # noqa: ANN001 - a Score
    """The phase (mod 4) most of beat_midi.txt's column-3 marks share (4/4 songs)."""
    rows = np.loadtxt(song / "beat_midi.txt", ndmin=2)
    marks = score.beats_at(rows[rows[:, 2] == 1, 0])
    return collections.Counter((np.round(marks % 4 * 8) / 8 % 4).tolist()).most_common(1)[0][0]


def phase_right(estimate, truth: float) -> bool:  # noqa: ANN001 - a MeterEstimate
    found = collections.Counter((np.round(np.array(estimate.downbeats) % 4 * 8) / 8 % 4).tolist()).most_common(1)[0][0]
    d = (found - truth) % 4
    return estimate.name == "4/4" and min(d, 4 - d) <= 0.25


@needs_data
@pytest.mark.parametrize("number", [101, 202, 303])
def test_examples_get_their_beat_midi_phase(number: int) -> None:
    """The POP909 songs shipped in examples/ (read from there) against their beat_midi.txt."""
    assert DATA is not None
    score = read_midi(REPO / "examples" / f"pop909-{number}.mid")
    truth = beat_midi_dominant_phase(DATA / "pop909" / f"{number:03d}", score)
    assert phase_right(estimate_meter(score), truth)


@needs_data
def test_held_out_pop909_songs_with_the_ranker() -> None:
    """Songs 516-575 (test split, never fitted on): 52 of 60 right with the ranker, 48 without it."""
    assert DATA is not None
    right = 0
    for number in range(516, 576):
        song = DATA / "pop909" / f"{number:03d}"
        score = read_midi(song / f"{song.name}.mid")
        right += phase_right(estimate_meter(score), beat_midi_dominant_phase(song, score))
    assert right >= 50


def test_runtime_imports_no_scipy_or_sklearn() -> None:
    """The ranker's weights were fitted with scipy (benchmarks/phase_train.py); the runtime is numpy."""
    code = ("import sys, motifcli.meter_estimate, motifcli.phase_ranker; "
            "bad = [m for m in ('scipy', 'sklearn', 'torch') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ranker_only_for_four_four_polyphony(monkeypatch: pytest.MonkeyPatch) -> None:
    """3/4 input and one-line input keep the per-beat model's path (the ranker is fitted on 4/4
    piano textures); 4/4 polyphony goes through it."""
    calls = []
    real = phase_ranker.ranked_logodds
    monkeypatch.setattr(phase_ranker, "ranked_logodds", lambda *a, **k: calls.append(1) or real(*a, **k))
    on, off, pitch, vel = pop_song(pickup=0.0)
    assert estimate_meter((on * 0.75, off * 0.75, pitch, vel)).beats_per_bar == 3.0  # squeezed: 3 beats a bar
    melody = pitch >= 72
    estimate_meter((on[melody], off[melody], pitch[melody], vel[melody]))
    assert calls == []
    assert estimate_meter((on, off, pitch, vel)).name == "4/4" and calls == [1]
    assert estimate_meter((np.round(on * 4) / 4, off, pitch, vel)).name == "4/4" and calls == [1]  # quantised: not


def test_a_two_beat_bar_mid_song_moves_the_bar_lines() -> None:
    """12 bars from beat 0, a 2-beat bar, 12 more: the path follows the new phase after it (the local
    path's jump), not one phase for the whole song: the ranker's bias does not pin the phase."""
    first, second = pop_song(12, pickup=0.0), pop_song(12, pickup=0.0)
    shift = 12 * 4 + 2.0
    notes = tuple(np.concatenate([a, b + shift if i < 2 else b]) for i, (a, b) in enumerate(zip(first, second)))
    truth = np.concatenate([np.arange(0, 48, 4.0), shift + np.arange(0, 48, 4.0)])
    estimate = estimate_meter(notes)
    found = np.array(estimate.downbeats)
    near = np.abs(found[None, :] - truth[:, None]).min(axis=1) <= 0.25
    assert near.mean() >= 0.9
    assert {round(d % 4) for d in found} == {0, 2}
