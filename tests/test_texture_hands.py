"""Phase 19 (hand19): a keyboard part in one MIDI track is split into hands (``motifcli.hands``) and
read as a two-staff part (``split_hands``): voices per hand, the leading hand's texture.

Before, a piano piece or a lead sheet in one track stated its texture with both hands: one family
over 70-94% of the notes, the tune inside it and no line family of its own
(benchmarks/phase19-hand19.md).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import mido
import numpy as np
import pytest

import motifcli
from motifcli.discovery import DiscoverySettings, discover
from motifcli.hands import hands, keyboard_hands, on_staves, split
from motifcli.score import Score
from motifcli.voices import TEXTURE


def as_discovery_reads_it(score: Score) -> Score:
    """The score as discovery reads it by default: a one-track keyboard part on its hands' staves
    (hands.keyboard_hands, then hands.on_staves, as discovery.core.discover and discovery.across do)."""
    return on_staves(score, keyboard_hands(score, DiscoverySettings()))


TPB = 480
# an 8-bar tune in 3/4 (pitch, beats), stated twice: the right hand's recurring phrase
TUNE = [(76, 1), (76, 0.5), (74, 0.5), (72, 1), (79, 2), (77, 1), (76, 1), (74, 1), (72, 1), (74, 3),
        (72, 1), (72, 0.5), (74, 0.5), (76, 1), (77, 2), (76, 1), (74, 1), (72, 1), (71, 1), (72, 3)]
CHORDS = [(48, 55, 64), (43, 53, 59), (48, 55, 64), (43, 53, 59)]  # oom-pah-pah: bass, then the chord twice


def one_track_piece(path: Path) -> tuple[Path, set[tuple[int, int]]]:
    """Tune over an oom-pah-pah left hand, 16 bars, both hands in one track on one channel (mido);
    returns the file and the (onset tick, pitch) of the right hand's notes."""
    events: list[tuple[int, int, int]] = []  # (tick, note, velocity)
    right: set[tuple[int, int]] = set()
    tick = 0
    for _ in range(2):
        for pitch, beats in TUNE:
            events += [(tick, pitch, 80), (tick + int(beats * TPB) - 10, pitch, 0)]
            right.add((tick, pitch))
            tick += int(beats * TPB)
    for bar in range(16):
        bass, *chord = CHORDS[(bar // 2) % len(CHORDS)]
        start = bar * 3 * TPB
        if bar % 8 == 7:  # each phrase's last bar: the bass held (sixteen equal bars would be one stretch, no family)
            events += [(start, bass, 70), (start + 3 * TPB - 10, bass, 0)]
            continue
        events += [(start, bass, 70), (start + TPB - 10, bass, 0)]
        for beat in (1, 2):
            for p in chord:
                events += [(start + beat * TPB, p, 60), (start + beat * TPB + TPB - 10, p, 0)]
    track = mido.MidiTrack([mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0)])
    last = 0
    for t, note, vel in sorted(events, key=lambda e: (e[0], e[2] > 0)):
        track.append(mido.Message("note_on", note=note, velocity=vel, channel=0, time=t - last))
        last = t
    mid = mido.MidiFile(type=0, ticks_per_beat=TPB, tracks=[track])
    mid.save(path)
    return path, right


def _cover(fams: list, total: int) -> float:
    """Share of the notes that the families' statements hold together."""
    return len({(n.track, n.index) for f in fams for o in f.occurrences for n in o.notes}) / total


def test_one_track_piece_states_left_hand_texture_and_the_tune(tmp_path: Path) -> None:
    path, right = one_track_piece(tmp_path / "waltz.mid")
    score = motifcli.read_score(path)
    (track,) = score.pitched_tracks()
    total = len(track.notes)
    before = discover(score, None, DiscoverySettings(split_hands=False, texture_tune=False))  # as before phase 19
    after = discover(score, None, DiscoverySettings())
    # before: both hands' bars are the texture, the tune's notes in it
    assert any((round(n.onset * TPB), n.pitch) in right for f in before if f.is_texture
               for o in f.occurrences for n in o.notes)
    texture = [f for f in after if f.is_texture]
    assert texture and _cover(texture, total) < 0.8
    for f in texture:  # the accompanying hand's bars, marked on the input's own track and notes
        for o in f.occurrences:
            for n in o.notes:
                note = track.notes[n.index]
                assert n.track == track.index and (n.onset, n.pitch) == (note.onset, note.pitch)
                assert (round(note.onset * TPB), note.pitch) not in right
    tunes = [f for f in after if not f.is_texture
             and all((round(n.onset * TPB), n.pitch) in right for o in f.occurrences for n in o.notes)]
    assert any(len(f.occurrences) >= 2 and f.notes_per_occurrence >= 8 for f in tunes)
    assert not any(not f.is_texture and all((round(n.onset * TPB), n.pitch) in right
                                            for o in f.occurrences for n in o.notes) for f in before)


def test_hand_split_of_the_made_piece(tmp_path: Path) -> None:
    path, right = one_track_piece(tmp_path / "waltz.mid")
    score = motifcli.read_score(path)
    (track,) = score.pitched_tracks()
    on, off, pi = track.arrays()
    truth = np.array([1 if (round(o * TPB), p) in right else 2 for o, p in zip(on.tolist(), pi.tolist())])
    got = split(on, off, pi)
    # one fixed cut plays every chord (hands.clean_cut), so every note is in its hand; the running split
    # alone gave 8 of the 112 to the wrong hand: the open chord's top (E4, 64) under the tune's C5 / E5
    assert (got == truth).all()
    assert (got[truth == 1] == 1).all()
    staves = as_discovery_reads_it(score).pitched_tracks()[0].staves()
    assert staves is not None and (staves == got).all()
    assert (staves == 2).sum() >= 1.5 * (staves == 1).sum()  # the left hand leads: its bars are the texture


@pytest.mark.parametrize(("name", "least"), [("mozart/k545/movement1_exposition.mxl", 0.99),  # 0.995
                                             ("verdi/laDonnaEMobile.mxl", 0.99)])  # 0.995 (0.92 before clean_cut)
def test_hand_split_against_the_written_staves(name: str, least: float) -> None:
    """music21's MusicXML piano parts say each note's staff: the truth a split of the same notes is measured by."""
    from music21 import corpus

    score = motifcli.read_score(Path(str(corpus.getWork(name))))
    (part,) = score.pitched_tracks()
    on, off, pi = part.arrays()
    staff = part.staves()
    assert staff is not None
    got = hands(on, off, pi)
    assert got is not None
    assert (got == staff).mean() >= least
    assert (got == staff).mean() > (np.where(pi >= 60, 1, 2) == staff).mean()  # better than a cut at middle C


def test_melody_and_multi_track_files_are_left_whole(tmp_path: Path) -> None:
    """A one-staff melody needs no second hand, a wide melody (no chords) is one hand, and a track
    beside others is never split."""
    path, _ = one_track_piece(tmp_path / "waltz.mid")
    score = motifcli.read_score(path)
    (track,) = score.pitched_tracks()
    melody = dataclasses.replace(track, notes=[n for n in track.notes if n.pitch >= 70])
    on, off, pi = melody.arrays()
    assert hands(on, off, pi) is None
    alone = dataclasses.replace(score, tracks=[melody])
    assert as_discovery_reads_it(alone) is alone
    wide = dataclasses.replace(melody, notes=[dataclasses.replace(n, pitch=n.pitch - 30 * (k % 2))
                                              for k, n in enumerate(melody.notes)])
    assert as_discovery_reads_it(dataclasses.replace(score, tracks=[wide])).pitched_tracks()[0] is wide
    low = dataclasses.replace(track, index=1, notes=[n for n in track.notes if n.pitch < 70])
    two = dataclasses.replace(score, tracks=[melody, low])
    assert as_discovery_reads_it(two) is two
