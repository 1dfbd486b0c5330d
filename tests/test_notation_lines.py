"""MIDI notated with a separated staff's lines as its voices (phase15-notation15.md).

Real files: music21 writes bwv1.6's keyboard reduction (benchmarks/written_voices.py) as MIDI, a track
per staff and no voices; discovery separates each track into two lines (JSON voice 101, 102,
:mod:`motifcli.streams`). The MusicXML writer notates the MIDI (writers/notation.py): the treble
track's soprano must be its voice 1 and the alto its voice 2, as motif's reader reads the file back
and as MuseScore 3 opens it (its saved .mscx). A staff that is not lines keeps the two-voice split.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_musescore import (  # noqa: F401 - musescore is a fixture
    DIVISION,
    MuseScore,
    assert_shown,
    motif_annotate,
    musescore,
    read_mscx,
)

import motifcli
from motifcli.annotation import Annotation
from motifcli.writers import musicxml as mx
from motifcli.writers.notation_lines import line_events, line_rows, separated_lines, staff_lines

music21 = pytest.importorskip("music21")

from benchmarks.written_voices import reduction, satb, vocal_parts  # noqa: E402

CHORALE = "bach/bwv1.6"


@pytest.fixture(scope="module")
def chorale(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[set[tuple[float, int]]]]:
    """(the reduction as MIDI, each vocal part's notes as (onset, pitch) but for the unisons of the
    two parts sharing a staff, whose voice no reader can tell)."""
    parts = vocal_parts(music21.corpus.parse(CHORALE))
    tmp = tmp_path_factory.mktemp("chorale")
    satb(parts).write("musicxml", fp=str(tmp / "satb.musicxml"))
    reduction(parts).write("midi", fp=str(tmp / "keys.mid"))
    four = motifcli.read_score(tmp / "satb.musicxml")
    notes = [{(round(n.onset, 4), n.pitch) for n in t.notes} for t in four.tracks]
    for a, b in ((0, 1), (2, 3)):
        shared = notes[a] & notes[b]
        notes[a], notes[b] = notes[a] - shared, notes[b] - shared
    return tmp / "keys.mid", notes


def test_a_midi_reductions_lines_are_its_written_voices(chorale, tmp_path: Path) -> None:  # noqa: ANN001
    """The treble track notated: every soprano note in one voice, every alto note in another below
    it, nothing else in that staff (before: the soprano in voices 1, 2 and 3)."""
    src, parts = chorale
    score = motifcli.read_score(src)
    assert sorted(len(lines) for lines in separated_lines(score).values()) == [2, 2]
    out = tmp_path / "keys.musicxml"
    out.write_bytes(mx.render(Annotation(source=str(src), motifs=[]), score))
    treble = motifcli.read_score(out).pitched_tracks()[0]
    voice_of = {(round(n.onset, 4), n.pitch): (n.staff, n.voice) for n in treble.notes}
    soprano = {voice_of[key] for key in parts[0]}
    alto = {voice_of[key] for key in parts[1]}
    assert len(soprano) == 1 and len(alto) == 1
    (s_staff, s_voice), (a_staff, a_voice) = soprano.pop(), alto.pop()
    assert s_staff == a_staff and s_voice < a_voice
    assert {v for _, v in voice_of.values()} == {s_voice, a_voice}


def test_lines_on_a_grand_staff_and_inner_notes() -> None:
    """A four-line track that needs a grand staff: lines with a median from middle C up in the treble
    staff, the others in the bass; a chord's inner note (no line's) joins the line nearest in pitch
    at its onset; a line's note held into its next one is cut there; a grand staff that would leave
    a staff without a line is one staff."""
    from fractions import Fraction as F

    rows = [(F(0), F(2), 72), (F(0), F(2), 64), (F(0), F(2), 55), (F(0), F(2), 43), (F(0), F(1), 60),
            (F(2), F(4), 71), (F(2), F(4), 62), (F(2), F(4), 53), (F(2), F(4), 41)]
    lines = line_rows(rows, [[0, 5], [1, 6], [2, 7], [3, 8]])
    assert lines[1] == [(F(0), F(1), 60), (F(0), F(2), 64), (F(2), F(4), 62)]  # 60 joins the alto (64)
    staves = staff_lines(lines, split=True)
    assert [len(s) for s in staves] == [2, 2] and staves[0][0][0][2] == 72
    assert staff_lines(lines[2:], split=True) == [lines[2:]]
    assert line_events([(F(0), F(3), 60), (F(2), F(4), 62)]) == [(F(0), F(2), [60]), (F(2), F(4), [62])]


@pytest.mark.musescore
def test_musescore_shows_the_soprano_as_voice_1_and_the_alto_as_voice_2(
    chorale, musescore: MuseScore, tmp_path: Path  # noqa: ANN001, F811
) -> None:
    """``motif annotate keys.mid -f musicxml``, opened and saved by MuseScore 3: in the treble staff
    the soprano's notes are voice 1 and the alto's voice 2 (stems up and down), and every
    occurrence's notes are coloured and bracketed where the report says."""
    src, parts = chorale
    xml, report = motif_annotate(src, tmp_path / "out")
    mscx_path = tmp_path / "keys.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx_path)]}], tmp_path)
    mscx = read_mscx(mscx_path)
    voice = {(n.tick, n.pitch): n.voice for n in mscx.notes if n.staff == 1 and not n.grace}
    for k, want in ((0, 1), (1, 2)):
        got = {voice[(round(on * DIVISION), p)] for on, p in parts[k]}
        assert got == {want}, f"part {k + 1} in MuseScore voices {got}"
    assert_shown(mscx, report)
