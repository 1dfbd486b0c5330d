"""A performed solo piano in one MIDI track (a digital piano's recording: onsets off the grid, rolled
chords, uneven lengths) is split into its hands; a melody doubled over its band in one track is not
(phase21-perfpiano21.md)."""

from __future__ import annotations

from pathlib import Path

import mido
import numpy as np

import motifcli
from benchmarks.perf_piano import perform
from motifcli.discovery import DiscoverySettings
from motifcli.hands import TOLERANCE, staves_of
from motifcli.score import Note
from motifcli.streams import notated, restruck

TPB = 480


def _written(name: str) -> tuple[list[Note], np.ndarray]:
    """A music21 corpus piano part's notes and each one's written staff (1 right hand, 2 left)."""
    from music21 import corpus

    (part,) = motifcli.read_score(Path(str(corpus.getWork(name)))).pitched_tracks()
    staff = part.staves()
    assert staff is not None
    return list(part.notes), staff


def _one_track(path: Path, notes: list[Note], first: mido.MetaMessage | None = None) -> motifcli.Score:
    """``notes`` written as a one-track, one-channel MIDI file (mido) at 120 bpm (or with the meta event
    ``first`` at its start instead), read back."""
    events = [(round(n.onset * TPB), 1, n.pitch, n.velocity) for n in notes]
    events += [(round(n.offset * TPB), 0, n.pitch, 0) for n in notes]
    track = mido.MidiTrack([first or mido.MetaMessage("set_tempo", tempo=500000, time=0)])
    last = 0
    for tick, _, pitch, vel in sorted(events):
        track.append(mido.Message("note_on", note=pitch, velocity=vel, channel=0, time=tick - last))
        last = tick
    mido.MidiFile(type=0, ticks_per_beat=TPB, tracks=[track]).save(path)
    return motifcli.read_score(path)


def _hands_right(score: motifcli.Score, notes: list[Note], staff: np.ndarray) -> float:
    """Share of the notes :func:`staves_of` gives their written staff ({} of a part left whole: 0)."""
    got = staves_of(score, TOLERANCE, DiscoverySettings().texture_chord_share)
    if not got:
        return 0.0
    truth = {(round(n.onset * TPB), n.pitch): int(s) for n, s in zip(notes, staff.tolist())}
    (track,) = score.pitched_tracks()
    (hand,) = got.values()
    return float(np.mean([truth.get((round(n.onset * TPB), n.pitch), 0) == h for n, h in zip(track.notes, hand)]))


def test_a_performed_piano_in_one_track_gets_its_hands(tmp_path: Path) -> None:
    notes, staff = _written("verdi/laDonnaEMobile.mxl")
    played = perform(notes, bpm=120.0, seed=len(notes))
    score = _one_track(tmp_path / "played.mid", played)
    on, off, pi = score.pitched_tracks()[0].arrays()
    assert not notated(on) and restruck(on, off, pi, TOLERANCE) == 0.0  # a performance, one key per pitch
    assert _hands_right(score, played, staff) >= 0.95  # 0.995 (main: left whole)


def test_a_melody_doubled_over_its_band_in_one_track_is_left_whole(tmp_path: Path) -> None:
    """The same performance with its tune sung over it (the upper staff again, a little late and held
    longer, as a MELODY track doubles a POP909 song's piano): two players on some keys at once."""
    notes, staff = _written("verdi/laDonnaEMobile.mxl")
    played = perform(notes, bpm=120.0, seed=len(notes))
    sung = [Note(n.onset + 0.1, n.offset + 0.5, n.pitch, 90) for n, s in zip(played, staff.tolist()) if s == 1]
    score = _one_track(tmp_path / "band.mid", played + sung)
    on, off, pi = score.pitched_tracks()[0].arrays()
    assert restruck(on, off, pi, TOLERANCE) > 0.002
    assert staves_of(score, TOLERANCE, DiscoverySettings().texture_chord_share) == {}


def test_restruck_counts_a_key_struck_while_it_sounds() -> None:
    onsets = np.array([0.0, 1.0, 2.0, 2.5, 4.0])
    offsets = np.array([1.0, 2.0, 3.0, 3.0, 4.5])
    pitches = np.array([60, 60, 60, 60, 62])  # the fourth C starts while the third sounds
    assert restruck(onsets, offsets, pitches, 0.05) == 0.2
    assert restruck(onsets[:3], offsets[:3], pitches[:3], 0.05) == 0.0  # legato, one key: released as struck
