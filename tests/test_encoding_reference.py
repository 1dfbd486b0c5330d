"""Runtime and training draw the same rolls: one renderer, one grid, any origin.

The runtime path is ``segment_track`` -> ``encode_segments`` (what ``embed``/``annotate`` run); the
training path is ``segment_track`` -> ``window_notes`` -> augmentation-ready note arrays ->
``render_rolls`` (what ``training/data.py`` and the export parity check run). On random tracks and
random origins, on and off the 1/8-beat grid, they must agree bit for bit, and every note the
segmenter put in a window must show in its roll (an off-grid origin once dropped it at step 32).
"""

from __future__ import annotations

import numpy as np
import pytest

from motifcli.encoding import EncodingSpec, encode_segments, grid_steps, render_rolls, window_notes
from motifcli.score import Note, Track
from motifcli.segment import segment_track

from conftest import needs_data, song_path

SPECS = [
    EncodingSpec(),
    EncodingSpec(encoding="onset-sustain"),
    EncodingSpec(encoding="onset-sustain", steps_per_beat=4, segment_beats=3.0, pitch_low=36, pitch_count=48),
]


def random_track(rng: np.random.Generator, spec: EncodingSpec) -> Track:
    n = int(rng.integers(1, 60))
    onsets = rng.uniform(-3.0, 40.0, n)
    if rng.random() < 0.4:
        onsets = np.round(onsets * spec.steps_per_beat) / spec.steps_per_beat  # on the grid: ties
    if rng.random() < 0.2:  # exact half steps: the rounding rule decides
        onsets = (np.floor(onsets * spec.steps_per_beat) + 0.5) / spec.steps_per_beat
    durations = rng.choice([0.0, 0.01, 0.0625, 0.5, 1.0, 7.0], n) * rng.random(n)
    pitches = rng.integers(0, 128, n)
    return Track(0, "t", [Note(float(a), float(a + d), int(p)) for a, d, p in zip(onsets, durations, pitches)])


def check_paths(track: Track, segments, spec: EncodingSpec) -> int:  # noqa: ANN001
    """Runtime rolls == training rolls, bit for bit, and every note of a window shows in its roll."""
    runtime = encode_segments(track, segments, spec)
    notes = [window_notes(track, s, spec) for s in segments]  # as training keeps bars
    training = render_rolls(notes, spec)
    assert runtime.dtype == training.dtype == np.float32 and runtime.shape == training.shape
    assert runtime.tobytes() == training.tobytes()
    if segments:
        row = np.repeat(np.arange(len(notes)), [len(n) for n in notes])
        flat = np.concatenate(notes).astype(np.int64)
        assert (flat[:, 0] >= 0).all() and (flat[:, 0] < spec.steps).all()
        assert (runtime[row, flat[:, 0], flat[:, 2]] == 1.0).all()  # an onset is 1 in both encodings
    return len(segments)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.encoding}-{s.steps_per_beat}-{s.segment_beats:g}")
def test_runtime_and_training_paths_give_identical_rolls(spec: EncodingSpec) -> None:
    rng = np.random.default_rng(11)
    windows = off_grid = 0
    for _ in range(250):
        track = random_track(rng, spec)
        origin = float(rng.choice([0.0, 1.0, 2.0, 0.5]) if rng.random() < 0.5 else rng.uniform(-2.0, 4.0))
        window = float(rng.choice([spec.segment_beats, spec.segment_beats / 2, 1.3]))
        hop = None if rng.random() < 0.5 else float(rng.choice([window, window / 2, 0.7] + [0.01] * (rng.random() < 0.05)))
        windows += check_paths(track, segment_track(track, window, hop, spec.steps_per_beat, origin=origin), spec)
        off_grid += (origin * spec.steps_per_beat) % 1 != 0
    assert windows > 2000 and off_grid > 50


@pytest.mark.parametrize("spec", SPECS[:2], ids=lambda s: s.encoding)
def test_each_note_is_in_one_window_when_hop_is_the_window(spec: EncodingSpec) -> None:
    rng = np.random.default_rng(5)
    for _ in range(100):
        track = random_track(rng, spec)
        origin = float(rng.uniform(-1.0, 1.0))
        segments = segment_track(track, spec.segment_beats, None, spec.steps_per_beat, origin=origin)
        seen = sorted(i for s in segments for i in s.note_indices)
        assert seen == list(range(len(track.notes)))
        for s in segments:  # windows start on the grid anchored at the origin, a window apart
            assert ((s.start - origin) * spec.steps_per_beat) == pytest.approx(round((s.start - origin) * spec.steps_per_beat))
            assert s.end - s.start == pytest.approx(spec.segment_beats) and s.origin == origin


def test_the_off_grid_note_that_was_dropped() -> None:
    """Origin 0.3, a note at 4.27: it snaps to step 32 from the origin = the next window's start.

    The old segmenter snapped it on the absolute grid (4.25 < 4.3) into the first window, whose
    encoder then put it on step 32 and dropped it. Now it lands on step 0 of the second window.
    """
    spec = EncodingSpec(encoding="onset-sustain")
    track = Track(0, "t", [Note(0.3, 1.0, 60), Note(4.27, 4.5, 62)])
    segments = segment_track(track, 4.0, None, spec.steps_per_beat, origin=0.3)
    assert [(s.start, s.note_indices) for s in segments] == [(0.3, (0,)), (4.3, (1,))]
    rolls = encode_segments(track, segments, spec)
    assert rolls[1, 0, 62 - spec.pitch_low] == 1.0
    assert int(grid_steps(4.27, 8, 0.3)) == 32


def test_empty_inputs() -> None:
    spec = EncodingSpec(encoding="onset-sustain")
    track = Track(0, "t", [Note(0.0, 1.0, 60)])
    assert encode_segments(track, [], spec).shape == (0, *spec.shape)
    assert render_rolls([], spec).shape == (0, *spec.shape)
    assert render_rolls([np.zeros((0, 3), np.int16)], spec).sum() == 0


@needs_data
@pytest.mark.parametrize("spec", SPECS[:2], ids=lambda s: s.encoding)
def test_real_songs_identical_on_and_off_the_grid(spec: EncodingSpec) -> None:
    from motifcli.readers.midi import read_midi

    windows = 0
    for number in (21, 512, 909):
        score = read_midi(song_path(number))
        for track in score.pitched_tracks():
            for window, hop, origin in ((4.0, None, 0.0), (4.0, 2.0, 1.0), (3.0, 1.5, 0.5), (4.0, None, 0.3),
                                        (4.0, None, 1.0 / 3.0)):
                windows += check_paths(track, segment_track(track, window, hop, spec.steps_per_beat, origin=origin), spec)
    assert windows > 1000
