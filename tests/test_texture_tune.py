"""Phase 21 (melband21): a song's tune over its band in one MIDI track states its texture without the
tune (``texture_tune``, :mod:`motifcli.discovery.texture_tune`).

POP909's piano bars repeat as the song's texture; merged with the melody into one track, every bar also
held the tune, so the bars were the tune's and the piano's together and seldom repeated
(benchmarks/phase21-melband21.md).
"""

from __future__ import annotations

from pathlib import Path

import mido
import numpy as np
import pytest

from motifcli.discovery import DiscoverySettings, discover
from motifcli.readers import read_score
from motifcli.voice_ids import ACCOMPANIMENT, TEXTURE, TEXTURES

SONG = Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid"


def one_track(path: Path) -> Path:
    """``SONG``'s MELODY, BRIDGE and PIANO merged into one track on one channel (mido), as a whole song
    played into one MIDI track arrives."""
    song = mido.MidiFile(SONG)
    merged = mido.merge_tracks(song.tracks)
    track = mido.MidiTrack(m.copy(channel=0) if hasattr(m, "channel") else m for m in merged)
    out = mido.MidiFile(type=0, ticks_per_beat=song.ticks_per_beat, tracks=[track])
    out.save(path)
    return path


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = one_track(tmp_path_factory.mktemp("melband") / "pop909-101-one.mid")
    score = read_score(path)
    assert len(score.pitched_tracks()) == 1
    tracks = read_score(SONG).pitched_tracks()
    melody = {(round(n.onset, 3), n.pitch) for t in tracks if t.name == "MELODY" for n in t.notes}
    return score, melody


def _texture_notes(families) -> list[tuple[float, int]]:  # noqa: ANN001
    return [(round(n.onset, 3), n.pitch) for f in families for o in f.occurrences for n in o.notes
            if n.voice in TEXTURES]


def test_texture_families_on_the_accompaniment_without_the_tune(song) -> None:  # noqa: ANN001
    score, melody = song
    notes = _texture_notes(discover(score, None, DiscoverySettings()))
    assert len(notes) > 300  # the piano's bars are families
    share = sum(k in melody for k in notes) / len(notes)
    assert share < 0.05, share  # the tune's notes are not in them


def test_before_the_tune_was_inside_the_bars(song) -> None:  # noqa: ANN001
    score, melody = song
    notes = _texture_notes(discover(score, None, DiscoverySettings(texture_tune=False)))
    assert sum(k in melody for k in notes) / max(len(notes), 1) > 0.1


def test_a_chord_under_a_held_tune_note_is_not_the_top_line() -> None:
    from motifcli.discovery.texture_tune import sounding_top

    # tune: C5 held 2 beats, D5; under it a chord struck on each beat
    onsets = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0])
    offsets = np.array([2.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0])
    pitches = np.array([72, 60, 64, 62, 65, 74, 60, 64])
    assert sounding_top(onsets, offsets, pitches).tolist() == [0, 5]


def test_the_accompaniment_is_named_so(song) -> None:  # noqa: ANN001
    """Its statements are not the track's whole texture: their notes carry ACCOMPANIMENT and the report
    says "accompaniment" (JSON/CSV ``line``, labels); read whole (``texture_tune=False``) they stay the
    "whole texture" (voice 2)."""
    import motifcli

    score, _ = song
    voices = {n.voice for f in discover(score, None, DiscoverySettings()) if f.is_texture
              for o in f.occurrences for n in o.notes}
    assert voices == {ACCOMPANIMENT}
    lines = {o.line for m in motifcli.annotate(score).motifs for o in m.occurrences}
    assert any(line.endswith(", accompaniment") for line in lines), lines
    assert not any("whole texture" in line for line in lines), lines
    whole = {n.voice for f in discover(score, None, DiscoverySettings(texture_tune=False)) if f.is_texture
             for o in f.occurrences for n in o.notes}
    assert whole == {TEXTURE}
