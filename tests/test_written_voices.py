"""MusicXML's written voices are the lines motifs live in (benchmarks/phase14-voices14.md).

Real files: music21 writes a Bach chorale's four parts and its keyboard reduction (one part, two
staves, two written voices in each: benchmarks/written_voices.py) as MusicXML; motif's reader reads
them. A staff written in two voices that are lines gives those two lines (the alto is a line of its
own, not merged into a skyline); a staff whose voice holds chords, and MIDI, keep the pitch split.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import json_report_voices

import motifcli
from motifcli.score import Score
from motifcli.voice_ids import SEPARATED
from motifcli.voices import LOWER, UPPER, WRITTEN, split_voices

music21 = pytest.importorskip("music21")

from benchmarks.written_voices import reduction, satb, statements, vocal_parts  # noqa: E402

CHORALE = "bach/bwv1.6"


@pytest.fixture(scope="module")
def chorale(tmp_path_factory: pytest.TempPathFactory) -> tuple[Score, Score]:
    """(the four vocal parts, the two-staff reduction), each written by music21 and read by motif."""
    parts = vocal_parts(music21.corpus.parse(CHORALE))
    tmp = tmp_path_factory.mktemp("chorale")
    read = []
    for name, score in (("satb", satb(parts)), ("keys", reduction(parts))):
        dest = tmp / f"{name}.musicxml"
        score.write("musicxml", fp=str(dest))
        read.append(motifcli.read_score(dest))
    return read[0], read[1]


def _notes(onsets, pitches) -> list[tuple[float, int]]:  # noqa: ANN001
    return [(round(float(o), 4), int(p)) for o, p in zip(onsets, pitches)]


def test_reader_keeps_each_notes_written_voice(chorale: tuple[Score, Score]) -> None:
    four, keys = chorale
    assert len(keys.tracks) == 1
    counts = Counter((n.staff, n.voice) for n in keys.tracks[0].notes)
    assert counts == {(1, 1): len(four.tracks[0].notes), (1, 2): len(four.tracks[1].notes),
                      (2, 1): len(four.tracks[2].notes), (2, 2): len(four.tracks[3].notes)}
    assert {n.voice for t in four.tracks for n in t.notes} <= {0, 1}  # one voice per part


def test_two_voice_staves_give_their_written_voices_as_lines(chorale: tuple[Score, Score]) -> None:
    """Soprano, alto, tenor and bass come out as the reduction's four lines, note for note; without
    written voices each staff was a skyline plus a bass of its two-note chords (soprano and alto mixed)."""
    four, keys = chorale
    lines = split_voices(keys)
    assert [(v.staff, v.voice) for v in lines] == [(1, WRITTEN + 1), (1, WRITTEN + 2), (2, WRITTEN + 1), (2, WRITTEN + 2)]
    for line, part in zip(lines, four.tracks):
        onsets, _, pitches = part.arrays()
        assert _notes(line.onsets, line.pitches) == _notes(onsets, pitches)
        track = keys.tracks[0]
        assert [(track.notes[i].onset, track.notes[i].pitch) for i in line.note_indices] == \
            [(o, p) for o, p in zip(line.onsets.tolist(), line.pitches.tolist())]


def test_reduction_finds_what_the_four_parts_find(chorale: tuple[Score, Score]) -> None:
    """bwv1.6: every statement of the four parts is a statement of the reduction (before: 9 of 32 at
    75% of their notes, benchmarks/phase14-voices14.md); the alto's statements are found as the alto's."""
    from motifcli.discovery import discover
    from motifcli.model import LazyModel

    four, keys = chorale
    lazy = LazyModel()
    ours, theirs = discover(keys, lazy), discover(four, lazy)
    assert sorted(n for _, n in statements(ours)) == sorted(n for _, n in statements(theirs))
    assert any(n.voice == WRITTEN + 2 for f in ours for o in f.occurrences for n in o.notes)


def test_the_json_names_the_written_voice_and_stays_valid(chorale: tuple[Score, Score], tmp_path: Path) -> None:
    """The JSON's ``notes[].voice`` is 10 + the written voice; the schema (unchanged, 2.0) holds."""
    _, keys = chorale
    voices = json_report_voices(keys, tmp_path / "keys.motifs.json")
    assert voices <= {WRITTEN + 1, WRITTEN + 2} and WRITTEN + 2 in voices


def _staff(voice_two: str) -> str:
    """One 4/4 staff: 12 bars of voice 1 and, after a backup, voice 2 (given)."""
    attrs = ("<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
             "<clef><sign>G</sign><line>2</line></clef></attributes>")
    bars = []
    for k in range(12):
        bars.append(f'<measure number="{k + 1}">' + (attrs if k == 0 else "") + voice_two + "</measure>")
    return ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
            '<score-part id="P1"><part-name>Piano</part-name></score-part></part-list><part id="P1">'
            + "".join(bars) + "</part></score-partwise>")


def _note(step: str, octave: int, voice: int, chord: bool = False) -> str:
    return (f"<note>{'<chord/>' if chord else ''}<pitch><step>{step}</step><octave>{octave}</octave></pitch>"
            f"<duration>1</duration><voice>{voice}</voice><type>quarter</type></note>")


def test_a_voice_of_chords_keeps_the_pitch_split(tmp_path: Path) -> None:
    """Voice 1 in triads over a voice 2 line: the written voices are not lines, so the staff is split
    by pitch as before (skyline + bass of the chords)."""
    triads = "".join(_note("E", 5, 1) + _note("G", 5, 1, True) + _note("C", 6, 1, True) for _ in range(4))
    line = "<backup><duration>4</duration></backup>" + "".join(_note(s, 4, 2) for s in "CDEF")
    src = tmp_path / "chords.musicxml"
    src.write_text(_staff(triads + line), encoding="utf-8")
    score = motifcli.read_score(src)
    assert {n.voice for n in score.tracks[0].notes} == {1, 2}
    assert [v.voice for v in split_voices(score)] == [UPPER, LOWER]
    lines_only = "".join(_note("C", 6, 1) for _ in range(4))
    src.write_text(_staff(lines_only + line), encoding="utf-8")
    assert [v.voice for v in split_voices(motifcli.read_score(src))] == [WRITTEN + 1, WRITTEN + 2]


def test_midi_has_no_written_voices(chorale: tuple[Score, Score], tmp_path: Path) -> None:
    """The same reduction as MIDI: no note has a written voice; its staves' lines are separated
    from the pitches (motifcli.streams, SEPARATED + r; tests/test_midi_lines.py), never written ones."""
    parts = vocal_parts(music21.corpus.parse(CHORALE))
    dest = tmp_path / "keys.mid"
    reduction(parts).write("midi", fp=str(dest))
    score = motifcli.read_score(dest)
    assert all(n.voice == 0 for t in score.tracks for n in t.notes)
    assert all(t.written_voices() is None for t in score.tracks)
    assert {v.voice for v in split_voices(score)} == {SEPARATED + 1, SEPARATED + 2}
    assert {v.voice for v in split_voices(score, separate=False)} <= {UPPER, LOWER}


def test_a_keyboard_beside_other_parts_keeps_its_written_lines(tmp_path: Path) -> None:
    """The reduction beside the four vocal parts (a choir with its keyboard part): the keyboard is
    not split per staff by default (``staff_voices="alone"``), but each of its staves is written in
    voices that are lines, so those are its lines, staff by staff; with a staff of chords it would
    be split whole, as before."""
    import copy

    from motifcli.discovery import DiscoverySettings

    parts = vocal_parts(music21.corpus.parse(CHORALE))
    both = reduction(parts)
    for part in parts:
        both.insert(0, copy.deepcopy(part))
    dest = tmp_path / "choir.musicxml"
    both.write("musicxml", fp=str(dest))
    score = motifcli.read_score(dest)
    keys = next(t.index for t in score.tracks if t.staves() is not None)
    lines = [(v.staff, v.voice) for v in split_voices(score, by_staff=DiscoverySettings().staff_voices)
             if v.track == keys]
    assert lines == [(1, WRITTEN + 1), (1, WRITTEN + 2), (2, WRITTEN + 1), (2, WRITTEN + 2)]
