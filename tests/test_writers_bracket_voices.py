"""A bracket's directions name the written voice of the notes they mark (phase16-brackets16.md).

MusicXML's ``<direction>`` takes a ``<voice>`` (after ``<offset>``, before ``<staff>``): in a part
written in two or more voices the start names its occurrence's first note's voice and the stop its
last note's, as the file reads after musicxml_voices renumbering, where the direction stands in that
voice's stream (among its notes, between two <backup>s); one standing among another voice's notes names
none, since Verovio files the notes after a direction under the voice it names (SATB_LIKE's bar 2: the
soprano and alto merged into one 8-beat voice; phase28-engrave28.md). MuseScore 3.2.3 reads no
``<voice>`` on a direction (its bracket hangs on voice 1 of the staff either way: measured in the
write-up), so the MuseScore test only checks nothing it showed is lost.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_musescore import MuseScore, assert_shown, read_mscx  # noqa: F401 - musescore is a fixture
from test_musescore import musescore  # noqa: F401
from test_writers_musicxml_voices import annotate, backup, document, music21_like_piano, note, walk

# soprano (voice 1) over alto (voice 2) in one staff, two bars: each line states C-D-E-F / its transposition
SATB_LIKE = document([
    [note(p, 1, 1) for p in ("C5", "D5", "E5", "F5")] + [backup(4)] + [note(p, 1, 2) for p in ("E4", "F4", "G4", "A4")],
    [note(p, 1, 1) for p in ("G5", "A5", "B5", "C5")] + [backup(4)] + [note(p, 1, 2) for p in ("C4", "D4", "E4", "F4")],
])
ALTO = [(4.0, 60, 5.0), (5.0, 62, 6.0), (6.0, 64, 7.0), (7.0, 65, 8.0)]
SOPRANO = [(0.0, 72, 1.0), (1.0, 74, 2.0), (2.0, 76, 3.0), (3.0, 77, 4.0)]


def bracket_voices(data: bytes) -> list[tuple[str, str | None, list[str]]]:
    """(start / stop, its <voice>, the tags after <direction-type>) of every bracket direction."""
    out = []
    for el, _, _ in walk(data):
        bracket = el.find(".//bracket") if el.tag == "direction" else None
        if bracket is not None:
            tail = [c.tag for c in el if c.tag != "direction-type"]
            out.append((bracket.get("type"), el.findtext("voice"), tail))
    return out


def test_a_lower_voices_bracket_names_its_voice(tmp_path: Path) -> None:
    """The soprano's directions stand among its notes and name voice 1; the alto's, at the soprano's first note
    and last note's end in bar 2 (before the <backup>), stand among the soprano's and name none."""
    _, data = annotate(tmp_path, SATB_LIKE, [SOPRANO, ALTO])
    got = bracket_voices(data)
    assert [(kind, voice) for kind, voice, _ in got] == [("start", "1"), ("stop", "1"), ("start", None), ("stop", None)]
    for _, _, tail in got:  # the schema's order: offset, voice, staff
        assert tail == sorted(tail, key=["offset", "voice", "staff"].index)


def test_a_renumbered_staff_names_the_voice_as_written_out(tmp_path: Path) -> None:
    """music21's piano: staff 2's voices 5, 7, 2 are renumbered to 5-8; the bracket names the new number."""
    occ = [[(4.0 * b, 48, 4.0 * b + 1), (4.0 * b + 1, 50, 4.0 * b + 2)] for b in range(3)]
    _, data = annotate(tmp_path, music21_like_piano(), occ)
    first_voice = {}
    for el, t, _ in walk(data):
        if el.tag == "note" and el.findtext("pitch/step") == "C" and el.findtext("pitch/octave") == "3":
            first_voice[t] = el.findtext("voice")
    starts = [(t, el.findtext("voice")) for el, t, _ in walk(data)
              if el.tag == "direction" and el.find(".//bracket[@type='start']") is not None]
    assert starts == [(t, first_voice[t]) for t, _ in starts] and len(starts) == 3
    assert {v for _, v in starts} <= {"5", "6", "7", "8"}


def test_a_part_in_one_voice_writes_no_voice(tmp_path: Path) -> None:
    one = document([[note(p, 1, 1) for p in ("C5", "D5", "E5", "F5")], [note(p, 1, 1) for p in ("G5", "A5", "B5", "C5")]])
    _, data = annotate(tmp_path, one, [SOPRANO])
    assert [voice for _, voice, _ in bracket_voices(data)] == [None, None]


def test_an_annotated_file_with_voiced_brackets_annotated_again_is_the_same(tmp_path: Path) -> None:
    _, data = annotate(tmp_path, SATB_LIKE, [SOPRANO, ALTO])
    (tmp_path / "again").mkdir()
    _, again = annotate(tmp_path / "again", data.decode(), [SOPRANO, ALTO])
    assert again == data


@pytest.mark.musescore
def test_musescore_shows_voiced_brackets(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    report, data = annotate(tmp_path, SATB_LIKE, [SOPRANO, ALTO])
    xml, mscx = tmp_path / "out.musicxml", tmp_path / "out.mscx"
    xml.write_bytes(data)
    musescore.job([{"in": str(xml), "out": [str(mscx)]}], tmp_path)
    assert ET.parse(mscx).getroot() is not None
    assert_shown(read_mscx(mscx), report)
