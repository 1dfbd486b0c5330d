"""The vectorised encoder against the original one-note-at-a-time encoder: bit-identical rolls.

``reference_encode_notes`` is the encoder as it was before vectorising (a Python loop drawing each
note with ``max``), kept here verbatim as the specification.
"""

from __future__ import annotations

import numpy as np
import pytest

from motifcli.encoding import EncodingSpec, encode_notes, encode_segments, fold_pitches
from motifcli.score import Note, Track
from motifcli.segment import segment_track

from conftest import needs_data, song_path

SPECS = [
    EncodingSpec(),
    EncodingSpec(encoding="onset-sustain"),
    EncodingSpec(encoding="onset-sustain", steps_per_beat=4, segment_beats=3.0, pitch_low=36, pitch_count=48),
]


def reference_encode_notes(onsets, offsets, pitches, start, spec):  # noqa: ANN001, ANN201
    steps = spec.steps
    roll = np.zeros(spec.shape, dtype=np.float32)
    if len(onsets) == 0:
        return roll
    on = np.floor((np.asarray(onsets) - start) * spec.steps_per_beat + 0.5).astype(np.int64)
    off = np.floor((np.asarray(offsets) - start) * spec.steps_per_beat + 0.5).astype(np.int64)
    off = np.maximum(off, on + 1)
    cols = fold_pitches(np.asarray(pitches), spec.pitch_low, spec.pitch_count) - spec.pitch_low
    sustain = 0.5 if spec.encoding == "onset-sustain" else 1.0
    for a, b, c in zip(on.tolist(), off.tolist(), cols.tolist()):
        a0, b0 = max(a, 0), min(b, steps)
        if a0 < b0:
            roll[a0:b0, c] = np.maximum(roll[a0:b0, c], sustain)
        if spec.encoding == "onset-sustain" and 0 <= a < steps:
            roll[a, c] = 1.0
    return roll


def reference_encode_segments(track, segments, spec):  # noqa: ANN001, ANN201
    onsets, offsets, pitches = track.arrays()
    out = np.zeros((len(segments), *spec.shape), dtype=np.float32)
    for i, seg in enumerate(segments):
        idx = np.fromiter(seg.note_indices, dtype=np.int64, count=len(seg.note_indices))
        out[i] = reference_encode_notes(onsets[idx], offsets[idx], pitches[idx], seg.start, spec)
    return out


def assert_identical(a: np.ndarray, b: np.ndarray) -> None:
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.encoding}-{s.steps_per_beat}-{s.segment_beats:g}")
def test_random_notes_match_the_reference(spec: EncodingSpec) -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(0, 40))
        onsets = rng.uniform(-2.0, spec.segment_beats + 2.0, n)
        if rng.random() < 0.3:
            onsets = np.round(onsets * spec.steps_per_beat) / spec.steps_per_beat  # on the grid, ties
        offsets = onsets + rng.choice([0.0, 0.01, 0.0625, 0.5, 1.0, 7.0], n) * rng.random(n)
        pitches = rng.integers(0, 128, n)
        start = float(rng.choice([0.0, 0.5, -1.0, 3.999]))
        for dtype in (np.float64, np.float32):
            args = (onsets.astype(dtype), offsets.astype(dtype), pitches, start, spec)
            assert_identical(encode_notes(*args), reference_encode_notes(*args))


def test_empty_and_list_inputs() -> None:
    spec = EncodingSpec(encoding="onset-sustain")
    assert_identical(encode_notes([], [], [], 0.0, spec), reference_encode_notes([], [], [], 0.0, spec))
    args = ([0.0, 0.5, 3.9], [4.0, 0.5, 9.0], [60, 60, 130], 0.0, spec)
    assert_identical(encode_notes(*args), reference_encode_notes(*args))
    track = Track(0, "t", [Note(0.0, 1.0, 60)])
    assert encode_segments(track, [], spec).shape == (0, *spec.shape)


@needs_data
@pytest.mark.parametrize("spec", SPECS[:2], ids=lambda s: s.encoding)
def test_real_songs_match_the_reference(spec: EncodingSpec) -> None:
    from motifcli.readers.midi import read_midi

    windows = 0
    for number in (21, 100, 137, 250, 512, 909):
        score = read_midi(song_path(number))
        for track in score.pitched_tracks():
            for window, hop, origin in ((4.0, None, 0.0), (4.0, 2.0, 1.0), (3.0, 1.5, 0.5)):
                segs = segment_track(track, window, hop, spec.steps_per_beat, origin=origin)
                assert_identical(encode_segments(track, segs, spec), reference_encode_segments(track, segs, spec))
                windows += len(segs)
    assert windows > 1000
