"""Notation software's MIDI of a piece with a pickup keeps its written meter (session 27, pickup27).

MIDI has no pickup: music21 (and MuseScore) write the meter at tick 0 and the pickup's notes from tick 0,
so bar lines counted from there fall a pickup's length off. Before, such signatures were refused and the
meter estimated from the notes (the Maple Leaf Rag: 4/4 for its 2/4); now the file's bar lengths are kept
and the pickup taken from the notes (``meter_signatures.shifted_time_signatures``). Files are written by
music21 in the test from its corpus (no BPS, no MTC).
"""

from __future__ import annotations

from pathlib import Path

import mido
import music21
import numpy as np
import pytest

from motifcli.meter import meter_map_for
from motifcli.readers.midi import read_midi


def _midi(stream: music21.stream.Score, dest: Path) -> Path:
    stream.write("midi", fp=str(dest))
    return dest


def _retime_signatures(src: Path, dest: Path, signatures: list[tuple[float, int, int]]) -> Path:
    """The same file with its time signatures replaced: (beat, numerator, denominator) each."""
    midi = mido.MidiFile(str(src))
    tpb = midi.ticks_per_beat
    tracks = []
    for k, track in enumerate(midi.tracks):
        events, tick = [], 0
        for msg in track:
            tick += msg.time
            if msg.type != "time_signature":
                events.append((tick, msg))
        if k == 0:
            events += [(int(round(b * tpb)), mido.MetaMessage("time_signature", numerator=n, denominator=d))
                       for b, n, d in signatures]
            events.sort(key=lambda e: (e[0], e[1].type != "time_signature", e[1].type == "end_of_track"))
        out, last = mido.MidiTrack(), 0
        for tick, msg in events:
            out.append(msg.copy(time=tick - last))
            last = tick
        tracks.append(out)
    midi.tracks = tracks
    midi.save(str(dest))
    return dest


@pytest.fixture(scope="module")
def rag(tmp_path_factory: pytest.TempPathFactory) -> tuple[music21.stream.Score, Path]:
    score = music21.corpus.parse("joplin/maple_leaf_rag")
    return score, _midi(score, tmp_path_factory.mktemp("rag") / "rag.mid")


def test_the_rags_midi_keeps_its_two_four_bars_after_the_pickup(rag: tuple[music21.stream.Score, Path]) -> None:
    """2/4 at tick 0, a half-beat pickup: bars of 2 beats from beat 0.5 (main: 4/4 estimated)."""
    score, path = rag
    midi = read_midi(path)
    assert [(t.beat, t.numerator, t.denominator) for t in midi.time_signatures] == [(0.0, 2, 4)]
    meter_map = meter_map_for(midi)
    assert meter_map.source == "midi" and meter_map.has_pickup and meter_map.first_downbeat == 0.5
    assert all((b.length, b.numerator, b.denominator) == (2.0, 2, 4) for b in meter_map.bars[1:-1])
    # the score's measures as it prints them, up to its first repeat (MIDI plays repeats out)
    written = [(m.number, float(m.offset)) for m in score.parts[0].getElementsByClass("Measure")[:16]]
    assert [(int(b.number), b.start) for b in meter_map.bars[:16]] == written


def test_a_folk_tunes_midi_keeps_its_bar_after_the_pickup(tmp_path: Path) -> None:
    """An Essen tune (ABC) in 4/2 with a two-beat pickup: 8-beat bars from beat 2 (main: 6/4 estimated)."""
    tune = music21.corpus.parse("essenFolksong/altdeu10.abc", number=1)
    first = tune.parts[0].getElementsByClass("Measure")[0]
    assert (first.duration.quarterLength, first.barDuration.quarterLength) == (2.0, 8.0)  # the written pickup
    meter_map = meter_map_for(read_midi(_midi(tune, tmp_path / "tune.mid")))
    assert meter_map.source == "midi" and meter_map.first_downbeat == 2.0
    assert meter_map.bars[1].length == 8.0 and meter_map.bars[0].number == "0"


def test_a_piece_without_pickup_keeps_the_bars_from_tick_zero(tmp_path: Path) -> None:
    piece = music21.corpus.parse("mozart/k155/movement1").measures(1, 24)
    meter_map = meter_map_for(read_midi(_midi(piece, tmp_path / "k155.mid")))
    assert meter_map.source == "midi" and not meter_map.has_pickup and meter_map.first_downbeat == 0.0
    assert all(b.length == 4.0 for b in meter_map.bars[:-1]) and meter_map.bars[0].number == "1"


def test_a_wrong_signature_still_falls_back_to_the_estimate(rag: tuple[music21.stream.Score, Path],
                                                            tmp_path: Path) -> None:
    """3/4 on the rag's 2/4 music: no shift makes it fit (its bar lines miss the notes' downbeats)."""
    wrong = read_midi(_retime_signatures(rag[1], tmp_path / "three.mid", [(0.0, 3, 4)]))
    meter_map = meter_map_for(wrong)
    assert meter_map.source == "estimated" and meter_map.bars[1].length != 3.0


def test_a_later_signature_off_the_shifted_bar_lines_keeps_the_estimate(rag: tuple[music21.stream.Score, Path],
                                                                        tmp_path: Path) -> None:
    """3/4 from beat 250, a bar line counted from tick 0 and not from the pickup (MTC's MIDI pads a
    pickup to a full bar and writes its changes so): the file counts its bars from tick 0, the shift is
    not taken (its accents and bar lines would pass: only this rule refuses it). At beat 250.5, on a
    bar line after the pickup (where music21 writes a change), it is taken."""
    events = [(0.0, 2, 4), (250.0, 3, 4)]
    padded = read_midi(_retime_signatures(rag[1], tmp_path / "padded.mid", events))
    assert meter_map_for(padded).source == "estimated"
    events = [(0.0, 2, 4), (250.5, 3, 4)]
    shifted = meter_map_for(read_midi(_retime_signatures(rag[1], tmp_path / "shifted.mid", events)))
    assert shifted.source == "midi" and shifted.first_downbeat == 0.5
    changed = shifted.bars[shifted.bar_index_at(250.5)]
    assert (changed.start, changed.numerator, changed.denominator) == (250.5, 3, 4)


def test_a_repeated_signature_is_no_bar_line(tmp_path: Path) -> None:
    """An Aird's air in 2/4 with a half-beat pickup, repeats played out: music21 writes 2/4 again where
    each repeat starts with its pickup (beats 16, 48, 64), not on a bar line; the bars run on through."""
    tune = music21.corpus.parse("airdsAirs/book1.abc", number=49)
    midi = read_midi(_midi(tune, tmp_path / "air.mid"))
    assert [t.beat for t in midi.time_signatures] == [0.0, 16.0, 48.0, 64.0]
    meter_map = meter_map_for(midi)
    assert meter_map.source == "midi" and meter_map.first_downbeat == 0.5
    assert all(b.length == 2.0 for b in meter_map.bars[1:-1])


def test_the_annotated_midi_declares_the_pickup(rag: tuple[music21.stream.Score, Path], tmp_path: Path) -> None:
    """The annotated file's time signatures are the report's bars (a half-beat pickup at tick 0, then 2/4),
    so a DAW's bar ruler and a second run read the same bars; every note keeps its tick."""
    import motifcli
    from motifcli import writers

    score = read_midi(rag[1])
    annotation = motifcli.annotate(score)
    out = tmp_path / "rag.motifs.mid"
    writers.write(annotation, score, "midi", out)
    again = read_midi(out)
    assert [(t.beat, t.numerator, t.denominator) for t in again.time_signatures] == [(0.0, 1, 8), (0.5, 2, 4)]
    assert again.meter_map.source == "midi" and again.meter_map.bars == score.meter_map.bars
    for ours, theirs in zip(again.pitched_tracks(), score.pitched_tracks(), strict=True):
        assert all(np.array_equal(a, b) for a, b in zip(ours.arrays(), theirs.arrays(), strict=True))
