"""Labels close together in a staff are stacked in MuseScore 3, not drawn side by side touching (phase28-labels28.md).

MuseScore 3 lifts a staff text over another only where their shapes share width: two labels whose texts end and
start a hair apart stayed in one row, "Motif A1Motif A2" (trial27: Haydn op. 74/1 iii "Motif A1 Motif B1"). The
writer leaves room after a label that another of its staff and side may meet (musicxml_room: three no-break spaces
in its words), so MuseScore stacks the later one. Here A1 (beats 0-2) and A2 (beats 3-5) of a scale in quarters:
on main MuseScore drew their words 11 SVG units (under half a staff space) apart in one row.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from benchmarks.label_collisions import label_boxes
from benchmarks.labels28_touch import SPACE, pairs
from motifcli.writers.musicxml_key import is_key
from motifcli.writers.musicxml_own import strip_marks
from test_musescore import MuseScore, musescore  # noqa: F401
from test_writers_musicxml_voices import annotate, document, note

NBSP3 = "\u00a0" * 3  # the room the writer leaves (musicxml_room.ROOM), spelled out: the test reads the file
SCALE = ["C5", "D5", "E5", "F5", "G5", "A5", "B5", "C6"]
MIDI = [72, 74, 76, 77, 79, 81, 83, 84]
SCORE = document([[note(p, 1, 1) for p in (SCALE[:4] if b % 2 == 0 else SCALE[4:])] for b in range(8)])


def two_notes(beat: int) -> list[tuple[float, int, float]]:
    """The scale's quarters at ``beat`` and the one after, as (onset, pitch, offset)."""
    return [(float(b), MIDI[b % 8], b + 1.0) for b in (beat, beat + 1)]


def label_words(data: bytes) -> list[str]:
    """The words of every label (not the key), as written, in document order."""
    return [w.text or "" for w in ET.fromstring(data).iter("words") if not is_key(w.text or "")]


def test_a_label_another_may_meet_has_room_after_it(tmp_path: Path) -> None:
    """A1's words end in the room (A2 starts three beats after it, above the same staff); A2's, with nothing
    after it, do not; the words read "Motif A1" once the spaces are stripped, as music21 and motif read them."""
    _, data = annotate(tmp_path, SCORE, [two_notes(0), two_notes(3)])
    assert label_words(data) == ["Motif A1" + NBSP3, "Motif A2"]
    assert b"Motif A1&#160;&#160;&#160;</words>" in data  # character references: any encoding holds them
    assert strip_marks(data, "utf-8") == SCORE.encode()  # re-annotation takes the label out, room and all


def test_labels_far_apart_have_no_room(tmp_path: Path) -> None:
    """Statements four bars apart: no label can meet the other, the words are as before."""
    _, data = annotate(tmp_path, SCORE, [two_notes(0), two_notes(16)])
    assert label_words(data) == ["Motif A1", "Motif A2"]


def test_music21_reads_the_label_without_the_room(tmp_path: Path) -> None:
    music21 = pytest.importorskip("music21")
    _, data = annotate(tmp_path, SCORE, [two_notes(0), two_notes(3)])
    path = tmp_path / "out.musicxml"
    path.write_bytes(data)
    texts = [t.content for t in music21.converter.parse(str(path)).recurse().getElementsByClass("TextExpression")]
    assert sorted(t for t in texts if not is_key(t)) == ["Motif A1", "Motif A2"]


def test_needs_room_by_staff_side_and_reach() -> None:
    """Only a later label of the same staff and side, starting before the earlier one's text and room could
    end at one staff space a beat and a character, asks for room; labels at one note are stacked anyway."""
    from motifcli.writers.musicxml_room import ROOM, needs_room

    assert ROOM == NBSP3
    b = Fraction
    labels = [(b(0), 1, "above", "Motif A1"), (b(9), 1, "above", "Motif A2"),  # 8 characters + 2: reach 10
              (b(9), 1, "below", "Motif B1"), (b(9), 2, "above", "Motif C1"), (b(20), 1, "above", "Motif A3"),
              (b(20), 1, "above", "Motif D1")]
    assert needs_room(labels) == [True, False, False, False, False, False]
    assert needs_room([(b(0), 1, "above", "Motif A1"), (b(10), 1, "above", "Motif A2")]) == [False, False]
    assert needs_room([(b(0), 1, "above", "Motif A1 = B1"), (b(14), 1, "above", "Motif A2")]) == [True, False]


@pytest.mark.musescore
def test_musescore_stacks_labels_close_together(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """MuseScore 3's own layout (its SVG page: each text's glyph outline): no two texts of the page stand in one
    row less than a staff space apart; the two labels and the key's three lines are all drawn."""
    _, data = annotate(tmp_path, SCORE, [two_notes(0), two_notes(3)])
    xml, svg = tmp_path / "out.musicxml", tmp_path / "out.svg"
    xml.write_bytes(data)
    proc = musescore.run("-o", str(svg), str(xml))
    assert proc.returncode == 0, proc.stderr
    pages = sorted(tmp_path.glob("out-*.svg"))
    assert len(pages) == 1, pages
    boxes = label_boxes(pages[0].read_text(encoding="utf-8"))
    assert len(boxes) == 2 + 3, boxes
    assert pairs(boxes, SPACE) == [], boxes
