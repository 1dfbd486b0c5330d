"""Session 20 (lefthand20): a one-track keyboard part with a clean register boundary is cut there
(``motifcli.hands.clean_cut``), so a left hand that leads keeps its chords and its texture.

Before, the running centres gave a left-hand chord's upper notes to the right hand wherever the tune
rested (Verdi's oom-pah-pah: 92% of the notes in their hand, the left hand 1.27x the right instead
of the staves' 1.78x, so no texture family where the staff file has the left hand's), and a lead
sheet's middle C to the chords (benchmarks/phase20-lefthand20.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import motifcli
from benchmarks.hands_inputs import _lead_sheet, merged
from motifcli.discovery import DiscoverySettings, discover
from motifcli.hands import TOLERANCE, clean_cut, split
from motifcli.streams import onset_groups


def _written(name: str, out: Path) -> tuple[Path, Path, dict[str, int]]:
    """music21's ``name`` as a track-per-staff MIDI file and as one track, with each note's staff."""
    from music21 import corpus

    score = corpus.parse(name)
    if name.startswith("leadSheet"):
        score = _lead_sheet(score)
    staff = out / "staff.mid"
    score.write("midi", fp=str(staff))
    one, truth = merged(staff)
    one.save(out / "one.mid")
    return staff, out / "one.mid", truth


def _truth(score: motifcli.score.Score, truth: dict[str, int]) -> np.ndarray:
    (track,) = [t for t in score.pitched_tracks() if t.notes]
    tpb = score.ticks_per_beat or 480
    return np.array([truth.get(f"{round(n.onset * tpb)},{n.pitch}", 0) for n in track.notes])


def test_verdi_in_one_track_states_the_left_hands_texture(tmp_path: Path) -> None:
    staff, one, truth = _written("verdi/laDonnaEMobile.mxl", tmp_path)
    by_staff = discover(motifcli.read_score(staff), None, DiscoverySettings())
    assert any(f.is_texture for f in by_staff)  # the staff file: the left hand (1.78x the right) leads
    score = motifcli.read_score(one)
    hand = _truth(score, truth)
    fams = discover(score, None, DiscoverySettings())
    texture = [f for f in fams if f.is_texture]
    assert len(texture) == sum(f.is_texture for f in by_staff)  # main: none (its split: 1.27x)
    assert all(hand[n.index] == 2 for f in texture for o in f.occurrences for n in o.notes)


@pytest.mark.parametrize(("name", "least"), [("verdi/laDonnaEMobile.mxl", 0.99),  # main 0.922
                                             ("leadSheet/berlinAlexandersRagtime.mxl", 1.0),  # main 0.984
                                             ("leadSheet/fosterBrownHair.mxl", 0.99)])  # main 0.971
def test_hands_right_in_one_track(tmp_path: Path, name: str, least: float) -> None:
    _, one, truth = _written(name, tmp_path)
    score = motifcli.read_score(one)
    (track,) = score.pitched_tracks()
    on, off, pi = track.arrays()
    assert (split(on, off, pi) == _truth(score, truth)).mean() >= least


def _groups(chords: list[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    pitches = np.array([p for c in chords for p in sorted(c)])
    onsets = np.repeat(np.arange(len(chords), dtype=float), [len(c) for c in chords])
    group = onset_groups(onsets, TOLERANCE)
    return pitches, np.flatnonzero(np.concatenate([[True], np.diff(group) > 0, [True]]))


def test_clean_cut_only_where_a_fixed_cut_plays_every_chord() -> None:
    # a left hand's chords (F3 Bb3 D4) under a tune that rests: one cut plays every group
    chords = [(41,), (53, 58, 62, 72), (53, 58, 62, 70), (53, 58, 62)] * 4
    pitches, bounds = _groups(chords)
    rests = np.repeat([len(c) == 3 for c in chords], [len(c) for c in chords])
    running = np.where((pitches >= 70) | (rests & (pitches == 62)), 1, 2)  # the centres' mistake: D4 to the right hand as the tune rests
    cut = clean_cut(pitches, bounds, running)
    assert cut is not None and 62 < cut <= 70
    # hands that cross: the first group needs a cut in (52, 64], the second one in (70, 82]
    pitches, bounds = _groups([(40, 52, 64, 76), (58, 70, 82, 94)] * 4)
    assert clean_cut(pitches, bounds, np.where(pitches >= 64, 1, 2)) is None
    # one pitch (a drum-like line, named_hands splits any one-staff track): no cut, no error
    pitches, bounds = _groups([(60,), (60,), (60, 60)])
    assert clean_cut(pitches, bounds, np.ones(len(pitches), dtype=np.int64)) is None
    assert (split(np.array([0.0, 1.0]), np.array([1.0, 2.0]), np.array([60, 60])) == 1).all()
