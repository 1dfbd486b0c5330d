"""Segmenting and encoding: the grid, snapping, pickups, the metadata round trip, real songs."""

from __future__ import annotations

import numpy as np
import pytest

from motifcli.encoding import EncodingSpec, encode_notes, encode_segments, fold_pitches
from motifcli.score import Note, Track
from motifcli.segment import segment_track

from conftest import needs_data, song_path


def track_of(*notes: tuple[float, float, int]) -> Track:
    return Track(0, "t", [Note(a, b, p) for a, b, p in notes])


def test_windows_hold_notes_by_snapped_onset() -> None:
    # a performed onset at 3.98 beats belongs to the bar that starts at 4 (it snaps to step 32)
    t = track_of((0.0, 1.0, 60), (3.98, 4.5, 62), (4.5, 5.0, 64), (9.0, 10.0, 65))
    segs = segment_track(t, 4.0)
    assert [(s.start, s.note_indices) for s in segs] == [(0.0, (0,)), (4.0, (1, 2)), (8.0, (3,))]


def test_empty_windows_and_min_notes() -> None:
    t = track_of((0.0, 1.0, 60), (0.5, 1.0, 61), (12.0, 13.0, 62))
    assert [s.start for s in segment_track(t, 4.0)] == [0.0, 12.0]
    assert [s.start for s in segment_track(t, 4.0, min_notes=2)] == [0.0]
    assert segment_track(track_of(), 4.0) == []


def test_origin_keeps_the_pickup_bar_and_hop_overlaps() -> None:
    t = track_of((0.0, 1.0, 60), (1.0, 2.0, 62), (5.0, 6.0, 64))
    segs = segment_track(t, 4.0, origin=1.0)
    assert [(s.start, s.note_indices) for s in segs] == [(-3.0, (0,)), (1.0, (1,)), (5.0, (2,))]
    overlapping = segment_track(t, 4.0, hop_beats=2.0)
    assert [s.start for s in overlapping] == [-2.0, 0.0, 2.0, 4.0]
    with pytest.raises(ValueError):
        segment_track(t, 0.0)


def test_binary_and_onset_sustain_rolls() -> None:
    spec = EncodingSpec()
    roll = encode_notes(np.array([0.0, 0.5]), np.array([0.5, 5.0]), np.array([60, 60]), 0.0, spec)
    assert roll.shape == (32, 84) and roll.dtype == np.float32
    assert roll[:, 36].tolist() == [1.0] * 32  # two notes merge, sustain clipped at the bar end
    onset = encode_notes(np.array([0.0, 0.5]), np.array([0.5, 5.0]), np.array([60, 60]), 0.0,
                         EncodingSpec(encoding="onset-sustain"))
    assert onset[0, 36] == 1.0 and onset[1, 36] == 0.5 and onset[4, 36] == 1.0 and onset[5, 36] == 0.5
    # a very short note still takes one step
    short = encode_notes(np.array([1.0]), np.array([1.01]), np.array([72]), 0.0, spec)
    assert short.sum() == 1.0 and short[8, 48] == 1.0


def test_out_of_range_pitches_fold_by_octaves() -> None:
    assert fold_pitches(np.array([0, 23, 24, 107, 108, 127]), 24, 84).tolist() == [24, 35, 24, 107, 96, 103]


@needs_data
def test_real_song_every_note_lands_in_exactly_one_window() -> None:
    from motifcli.readers.midi import read_midi

    score = read_midi(song_path(21))
    piano = score.track_named("PIANO")
    spec = EncodingSpec()
    segs = segment_track(piano, 4.0)
    seen = [i for s in segs for i in s.note_indices]
    assert sorted(seen) == list(range(len(piano.notes)))
    rolls = encode_segments(piano, segs, spec)
    assert rolls.shape == (len(segs), 32, 84)
    assert (rolls.reshape(len(segs), -1).sum(1) > 0).all()
    assert set(np.unique(rolls)) <= {0.0, 1.0}
