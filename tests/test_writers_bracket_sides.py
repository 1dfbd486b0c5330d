"""Brackets open together on a staff are drawn apart (writers/musicxml_sides.py, phase26-brackets26.md).

MuseScore 3 draws every bracket of a system at one height, so two statements opening at one note
showed one line with two end hooks. The writer now puts the second below its staff (hooks up), or,
where that staff holds lyrics or the staff under it has marks of ours meanwhile, above it dashed.
These tests run the real writer on small hand-written scores and the real CLI on music21's corpus,
parse the output with ElementTree and, where MuseScore 3 is installed, read the .mscx it saves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli.writers.musicxml_marks import Mark
from motifcli.writers.musicxml_sides import ABOVE, BELOW_WORDS_SIZE, Side, bracket_sides
from motifcli.writers.musicxml_splice import annotate_xml
from test_musescore import MuseScore, musescore  # noqa: F401
from test_writers_musicxml_key import CORPUS, annotate

NOTE = ('<note><pitch><step>{step}</step><octave>5</octave></pitch><duration>1</duration><voice>1</voice>'
        '<type>quarter</type>{staff}{lyric}</note>')


def one_staff(lyrics: bool) -> bytes:
    """A flute, two bars of quarters, with a lyric under every note or none."""
    notes = "".join(NOTE.format(step=s, staff="", lyric="<lyric><text>la</text></lyric>" if lyrics else "")
                    for s in "CDEFGABC")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list>'
            f'<score-part id="P1"><part-name>Flute</part-name></score-part></part-list><part id="P1">'
            f'<measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats>'
            f'<beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>'
            f'{notes[:len(notes) // 2]}</measure><measure number="2">{notes[len(notes) // 2:]}</measure>'
            f'</part></score-partwise>\n').encode()


def grand_staff() -> bytes:
    """A piano, one bar: four quarters in each hand."""
    right = "".join(NOTE.format(step=s, staff="<staff>1</staff>", lyric="") for s in "CDEF")
    left = "".join(NOTE.format(step=s, staff="<staff>2</staff>", lyric="").replace("<voice>1", "<voice>5")
                   for s in "CDEF")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list>'
            b'<score-part id="P1"><part-name>Piano</part-name></score-part></part-list><part id="P1">'
            b'<measure number="1"><attributes><divisions>1</divisions><staves>2</staves><time><beats>4</beats>'
            b'<beat-type>4</beat-type></time><clef number="1"><sign>G</sign><line>2</line></clef>'
            b'<clef number="2"><sign>F</sign><line>4</line></clef></attributes>'
            + right.encode() + b"<backup><duration>4</duration></backup>" + left.encode()
            + b"</measure></part></score-partwise>\n")


def mark(text: str, start: int, end: int, staff: int | None = None) -> Mark:
    return Mark("P1", text, "#E69F00", Fraction(start), Fraction(end), staff=staff)


def brackets(data: bytes) -> dict[str, dict[str, str | None]]:
    """Label -> its bracket's placement, line type, hooks and staff, and its stop's placement and hooks
    (the next stop of its number in its part)."""
    found: dict[str, dict[str, str | None]] = {}
    for part in ET.fromstring(data).iter("part"):
        waiting: dict[str, str] = {}  # bracket number -> the label that opened it
        for direction in part.iter("direction"):
            bracket, words = direction.find("direction-type/bracket"), direction.find("direction-type/words")
            if bracket is None:
                continue
            if bracket.get("type") == "start":
                assert words is not None
                waiting[bracket.get("number")] = words.text
                found[words.text] = {"placement": direction.get("placement"), "line": bracket.get("line-type"),
                                     "end": bracket.get("line-end"), "staff": direction.findtext("staff")}
            else:
                label = waiting.pop(bracket.get("number"))
                found[label] |= {"stop": direction.get("placement"), "stop_end": bracket.get("line-end")}
    return found


def test_rule_alone():
    """Above while free; then below; then the side with fewer open, in a line type none there has;
    touching brackets (one stops where the next starts) are not open together."""
    key = lambda beat, kind: (beat, Fraction(beat), kind)  # noqa: E731 (position, beat, 0 stop / 1 start)
    spans = [(key(0, 1), key(8, 0), 1), (key(0, 1), key(6, 0), 1), (key(1, 1), key(4, 0), 1),
             (key(8, 1), key(9, 0), 1)]
    assert bracket_sides(spans, [1, 2, 3, 1], set()) == [ABOVE, Side("below"), Side("above", "dashed"), ABOVE]
    assert bracket_sides(spans, [1, 2, 3, 1], {1}) == [ABOVE, Side("above", "dashed"), Side("above", "dotted"), ABOVE]
    assert bracket_sides(spans, [1, 2, 3, 1], set(), [True, False, True, True])[1] == Side("above", "dashed")
    assert bracket_sides(spans, [1, None, 2, 1], set())[:3] == [ABOVE, ABOVE, Side("below")]


def test_second_bracket_goes_below_its_staff():
    found = brackets(annotate_xml(one_staff(lyrics=False), [mark("Motif A1", 0, 3), mark("Motif B1", 0, 6)]))
    sides = {label: (b["placement"], b["line"], b["end"], b["stop"], b["stop_end"]) for label, b in found.items()}
    assert sides == {"Motif A1": ("above", "solid", "down", "above", "down"),
                     "Motif B1": ("below", "solid", "up", "below", "up")}


def test_staff_with_lyrics_keeps_its_brackets_above_and_dashes_the_second():
    found = brackets(annotate_xml(one_staff(lyrics=True), [mark("Motif A1", 0, 3), mark("Motif B1", 0, 6)]))
    sides = {label: (b["placement"], b["line"], b["end"], b["stop"]) for label, b in found.items()}
    assert sides == {"Motif A1": ("above", "solid", "down", "above"), "Motif B1": ("above", "dashed", "down", "above")}


@pytest.mark.parametrize("left_busy", [False, True])
def test_right_hand_goes_below_only_when_the_left_hand_has_no_mark_then(left_busy: bool):
    marks = [mark("Motif A1", 0, 2, staff=1), mark("Motif B1", 0, 4, staff=1)]
    if left_busy:
        marks.append(mark("Motif C1", 2, 4, staff=2))
    found = brackets(annotate_xml(grand_staff(), marks))
    assert (found["Motif A1"]["placement"], found["Motif A1"]["line"]) == ("above", "solid")
    assert found["Motif B1"]["staff"] == "1"
    assert (found["Motif B1"]["placement"], found["Motif B1"]["line"]) == \
        (("above", "dashed") if left_busy else ("below", "solid"))


def open_together(data: bytes) -> list[tuple[str, str]]:
    """(label, label already open) of every bracket that opens on a side and in a line type of its
    staff that a bracket open there already has: the pairs a reader could not tell apart."""
    clashes = []
    for part in ET.fromstring(data).iter("part"):
        open_: dict[str, tuple[str, tuple]] = {}  # number -> (label, (staff, placement, line type))
        for direction in part.iter("direction"):
            bracket, words = direction.find("direction-type/bracket"), direction.find("direction-type/words")
            if bracket is None:
                continue
            if bracket.get("type") == "stop":
                open_.pop(bracket.get("number"), None)
                continue
            look = (direction.findtext("staff") or "1", direction.get("placement"), bracket.get("line-type"))
            clashes += [(words.text, label) for label, other in open_.values() if other == look]
            open_[bracket.get("number")] = (words.text, look)
    return clashes


@pytest.fixture(scope="module")
def chorale(tmp_path_factory) -> Path:
    """music21's bwv130.6 annotated with the defaults (horn 1 bar 3: "Motif B2" and "A3" at one note)."""
    return annotate(CORPUS["bwv130.6.mxl"], tmp_path_factory.mktemp("bwv130"))


def test_no_two_brackets_open_together_look_alike(chorale: Path):
    data = chorale.read_bytes()
    found = brackets(data)
    assert open_together(data) == []
    assert {b["placement"] for b in found.values()} == {"above", "below"}
    assert "dashed" in {b["line"] for b in found.values()}
    for label, b in found.items():  # hooks towards the staff, the stop on its start's side
        assert b["end"] == b["stop_end"] == ("down" if b["placement"] == "above" else "up"), label
        assert b["stop"] == b["placement"], label


def test_labels_below_say_musescores_own_size(chorale: Path):
    """A label below its staff says font-size="10" (MuseScore 3's staff text size: it looks the same), which a
    .mscx MuseScore saves keeps where it keeps no placement, so the plugin can put it below again after a save
    (phase28-save28.md); a label above says no size."""
    sizes: dict[str, list[str | None]] = {"above": [], "below": []}
    for direction in ET.fromstring(chorale.read_bytes()).iter("direction"):
        words = direction.find("direction-type/words")
        if words is not None and (words.text or "").startswith("Motif "):
            sizes[direction.get("placement")].append(words.get("font-size"))
    assert sizes["below"] and set(sizes["below"]) == {str(BELOW_WORDS_SIZE)}
    assert sizes["above"] and set(sizes["above"]) == {None}


def test_the_plugin_knows_the_writers_size():
    """plugins/musescore/placement.js finds a label below by the size the writer gives it."""
    js = (Path(__file__).resolve().parents[1] / "plugins" / "musescore" / "placement.js").read_text(encoding="utf-8")
    assert re.search(r"var BELOW_WORDS_SIZE = (\d+);", js).group(1) == str(BELOW_WORDS_SIZE) == "10"


def test_reannotating_replaces_the_marks_below_too(chorale: Path, tmp_path: Path):
    """motif's own marks below a staff are taken out like those above: the second run's file is the first's."""
    again = annotate(chorale, tmp_path)
    assert again.read_bytes() == chorale.read_bytes()


@pytest.mark.musescore
def test_musescore_keeps_line_types_and_hooks(chorale: Path, musescore: MuseScore, tmp_path: Path):  # noqa: F811
    """MuseScore 3.2.3's .mscx keeps each dashed line and the hooks of a line below (its height -1.5:
    pointing up). It keeps no placement of an imported line (phase26-brackets26.md): after a save the
    lines below stand above again, told apart by those hooks and line types."""
    found = brackets(chorale.read_bytes())
    mscx = tmp_path / "bwv130.mscx"
    proc = musescore.run("-o", str(mscx), str(chorale), timeout=300)
    assert mscx.exists(), proc.stderr
    lines = list(ET.parse(mscx).getroot().iter("TextLine"))
    dashed = sum(b["line"] == "dashed" for b in found.values())
    below = sum(b["placement"] == "below" for b in found.values())
    assert dashed > 0 and below > 0
    assert len(lines) == len(found)
    assert sum(t.findtext("lineStyle") == "2" for t in lines) == dashed  # Qt.DashLine
    assert sum(t.findtext("beginHookHeight") == "-1.5" and t.findtext("endHookHeight") == "-1.5"
               for t in lines) == below


@pytest.mark.musescore
def test_reannotating_a_musescore_export_replaces_its_brackets_and_key(chorale: Path, musescore: MuseScore,  # noqa: F811
                                                                       tmp_path: Path):
    """Annotate, open in MuseScore, export MusicXML, annotate again: one set of marks. MuseScore 3 writes a
    label and its bracket as two directions (a note's labels first, then their brackets) and the key as one
    <words> a line; the brackets and the key were left in before (68 + 68 bracket starts/stops and two keys
    on bwv130.6 where 34 labels stand)."""
    exported = tmp_path / "exported.musicxml"
    proc = musescore.run("-o", str(exported), str(chorale), timeout=300)
    assert exported.exists(), proc.stderr
    text = exported.read_text(encoding="utf-8")
    assert text.count("<bracket") == chorale.read_text(encoding="utf-8").count("<bracket")  # MuseScore kept them
    again = annotate(exported, tmp_path / "again").read_text(encoding="utf-8")
    first = chorale.read_text(encoding="utf-8")
    labels = len(re.findall(r">Motif [A-Z]+[0-9]+", first))
    assert len(re.findall(r">Motif [A-Z]+[0-9]+", again)) == labels
    assert again.count('<bracket type="start"') == first.count('<bracket type="start"') == labels
    assert again.count('<bracket type="stop"') == labels
    assert again.count("one colour per motif") == 1
