"""The annotated MusicXML annotated again, and labels past six open brackets (phase15-musescore15.md).

* A file motif annotated, annotated again (as written, or after MuseScore 3 opened and saved it):
  the same families, and one set of marks: the earlier labels, brackets and colours are replaced,
  not stacked (musicxml_own.strip_marks); a user's own directions and colours stay.
* A document declaring MusicXML 4.0 numbers brackets 1-9 (MuseScore 3 reads those; 3.1 allows 1-6),
  so a seventh, eighth and ninth overlapping occurrence in a part keep their bracket; one declaring
  3.0 or 3.1 that needs them declares 4.0 instead (musicxml_version, phase15-notation15.md), unless
  it holds what 4.0 (or 3.1) removed, an empty ``<multiple-rest>``: there, and in older versions, 1-6.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from motifcli.writers.musicxml_own import strip_marks
from motifcli.writers.musicxml_scan import scan_parts
from motifcli.writers.musicxml_version import declare_4
from test_musescore import MuseScore, assert_shown, motif_annotate, musescore, read_mscx, statement_texts  # noqa: F401
from test_writers_musicxml_voices import annotate, document, note

music21 = pytest.importorskip("music21")

CORPUS = {p.name: p for p in music21.corpus.getPaths()}
LABEL = re.compile(rb"<words[^>]*>Motif [A-Z]+[0-9]+(?: = [A-Z]+[0-9]+)*(?:&#160;|\xc2\xa0)*</words>")  # musicxml_room
RUN = re.compile(rb"<words[^>]*>Motif ([A-Z]+)([0-9]+)&#8211;\1([0-9]+)(?:&#160;|\xc2\xa0)*</words>")  # "Motif B3–B8" (writers/runs.py)


def named(data: bytes) -> int:
    """How many statements the labels name: one each, a run's "Motif B3–B8" six."""
    return len(LABEL.findall(data)) + sum(int(m.group(3)) - int(m.group(2)) + 1 for m in RUN.finditer(data))


def families(report: dict) -> dict[str, list]:
    """Per family, its occurrences as (track, voice, notes' (onset, offset, pitch))."""
    return {m["name"]: sorted((o["track_name"], o["notes"][0]["voice"],
                               tuple((n["onset"], n["offset"], n["pitch"]) for n in o["notes"]))
                              for o in m["occurrences"]) for m in report["motifs"]}


def marked(report: dict) -> int:
    """How many labels motif writes: one per statement ("Motif A3 = B1" for two families' same notes)."""
    return len(set(statement_texts(report).values()))


def test_an_annotated_chorale_annotated_again_is_the_same_file(tmp_path: Path) -> None:
    """bwv66.6 (MusicXML 1.0, CR line ends): annotating the annotated file finds the same families
    and writes the same bytes (the first run's marks taken out, the same ones written again)."""
    first, report = motif_annotate(CORPUS["bwv66.6.mxl"], tmp_path / "first")
    second, again = motif_annotate(first, tmp_path / "second")
    assert families(again) == families(report)
    assert named(second.read_bytes()) == marked(report)  # a run's label names each of its statements
    assert second.read_bytes() == first.read_bytes()


def test_a_users_own_marks_stay(tmp_path: Path) -> None:
    """A user's words, bracket and note colour (not of motif's palette) survive a second run; a
    palette colour on a note no occurrence holds any more goes (with the label it came with)."""
    own = ('<direction placement="above"><direction-type><words>Motif of the horn</words></direction-type>'
           '<direction-type><bracket type="start" number="5" line-end="down"/></direction-type></direction>')
    stop = '<direction><direction-type><bracket type="stop" number="5" line-end="down"/></direction-type></direction>'
    bar1 = [own] + [note(p, 1, 1) for p in ("C4", "D4", "E4", "F4")]
    bar2 = [note(p, 1, 1) for p in ("C4", "D4", "E4", "F4")] + [stop]
    xml = document([bar1, bar2, [note("G4", 4, 1)]]).replace(
        "<note><pitch><step>F</step>", '<note color="#123456"><pitch><step>F</step>', 1)
    _, data = annotate(tmp_path, xml, [[(0.0, 60, 1.0), (1.0, 62, 2.0)], [(4.0, 60, 5.0), (5.0, 62, 6.0)]])
    # the annotated file as an earlier run left it, plus a stale label and colour on bar 3's G4
    stale = data.replace(b"<note><pitch><step>G</step>", b'<note color="#56B4E9"><pitch><step>G</step>').replace(
        b'<measure number="3">', b'<measure number="3"><direction placement="above"><direction-type>'
        b'<words color="#56B4E9">Motif B1</words></direction-type></direction>')
    stripped = strip_marks(stale, "utf-8")
    assert stripped == xml.encode()
    root = ET.fromstring(stripped)
    assert [w.text for w in root.iter("words")] == ["Motif of the horn"]
    assert len(list(root.iter("bracket"))) == 2
    assert [n.get("color") for n in root.iter("note")] == [None] * 3 + ["#123456"] + [None] * 5


PUBLIC_31 = ('<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 Partwise//EN" '
             '"http://www.musicxml.org/dtds/partwise.dtd">')


def overlapping(count: int) -> tuple[str, list]:
    """A one-part 3.1 document (MuseScore's DOCTYPE) of four bars and ``count`` occurrences of two
    notes each, all open at once (the k-th note of bars 1-2 and of bars 3-4)."""
    pitches = ["C4", "D4", "E4", "F4", "G4", "A4", "B4", "C5"]
    bars = [[note(p, 1, 1) for p in pitches[4 * b: 4 * b + 4]] for b in range(2)] * 2
    xml = document(bars).replace("?><score-partwise", "?>\n" + PUBLIC_31 + "\n<score-partwise", 1)
    midi = {"C4": 60, "D4": 62, "E4": 64, "F4": 65, "G4": 67, "A4": 69, "B4": 71, "C5": 72}
    seq = [midi[p] for p in pitches] * 2
    return xml, [[(float(k), seq[k], k + 1.0), (k + 8.0, seq[k + 8], k + 9.0)] for k in range(count)]


def bracket_starts(data: bytes) -> list[int]:
    return sorted(int(b.get("number")) for b in ET.fromstring(data).iter("bracket") if b.get("type") == "start")


def test_brackets_past_six_in_a_musicxml_4_document(tmp_path: Path) -> None:
    """Eight occurrences open at once in one part: all eight bracketed (numbers 1-8) where the document
    declares MusicXML 4.0, and where it declares 3.1 too: it then declares 4.0 (its root's version and
    its DOCTYPE's public id, nothing else of the user's bytes)."""
    xml, occ = overlapping(8)
    for version in ("4.0", "3.1"):
        sub = tmp_path / version
        sub.mkdir()
        source = xml.replace('version="3.1"', f'version="{version}"').replace("MusicXML 3.1", f"MusicXML {version}")
        _, data = annotate(sub, source, occ)
        assert len(LABEL.findall(data)) == 8
        assert bracket_starts(data) == list(range(1, 9))
        assert b'<score-partwise version="4.0">' in data and b"MusicXML 3.1" not in data
        # the marks taken out and the declaration put back: the user's file, byte for byte
        back = strip_marks(data, "utf-8").replace(b'version="4.0"><part-list>',
                                                  f'version="{version}"><part-list>'.encode())
        assert back.replace(b"MusicXML 4.0 Partwise", f"MusicXML {version} Partwise".encode()) == source.encode()


def test_a_31_document_keeps_its_declaration_where_six_brackets_do(tmp_path: Path) -> None:
    """Six occurrences open at once in a 3.1 document: numbers 1-6, and the document still declares 3.1
    (its head byte for byte)."""
    xml, occ = overlapping(6)
    _, data = annotate(tmp_path, xml, occ)
    assert bracket_starts(data) == list(range(1, 7))
    assert data.startswith(xml[: xml.index("<part-list>")].encode())


def test_which_documents_may_declare_40() -> None:
    """MusicXML 4.0 no longer allows an empty ``<multiple-rest/>`` (its one removal from 3.1): such a
    document may not declare 4.0 (so it keeps six brackets). music21, motif's reader, cannot read one
    either, so this is the writer's guard alone; a 3.1 document without one gets the two edits, one
    declaring 4.0 already none; a 3.0 one with ``<extend font-size>`` (removed in 3.1) and one of
    2.0 or older (removals not checked) none either."""
    xml, _ = overlapping(8)
    assert [e[-1] for e in declare_4(scan_parts(xml.encode()))] == [
        b'<score-partwise version="4.0">', b"4.0"]
    assert declare_4(scan_parts(xml.replace('version="3.1"', 'version="4.0"').encode())) == []
    assert declare_4(scan_parts(xml.replace(' version="3.1"', "").encode())) is None  # none written: 1.0
    assert declare_4(scan_parts(xml.replace('version="3.1"', 'version="2.0"').encode())) is None
    font = xml.replace("</note>", '<lyric><text>a</text><extend font-size="10"/></lyric></note>', 1)
    assert declare_4(scan_parts(font.replace('version="3.1"', 'version="3.0"').encode())) is None  # 3.1 removed it
    assert declare_4(scan_parts(font.encode())) is not None  # (in 3.1 itself no longer allowed: not ours to judge)
    assert declare_4(scan_parts(xml.replace('version="3.1"', 'version="3.0"').encode())) is not None
    for empty in ("<multiple-rest/>", '<multiple-rest use-symbols="no"></multiple-rest>'):
        bad = xml.replace("</time></attributes>", f"</time><measure-style>{empty}</measure-style></attributes>", 1)
        assert declare_4(scan_parts(bad.encode())) is None
    assert declare_4(scan_parts(xml.replace("</time></attributes>", "</time><measure-style><multiple-rest>2"
                                            "</multiple-rest></measure-style></attributes>", 1).encode())) is not None


@pytest.mark.musescore
def test_musescore_shows_brackets_seven_to_nine(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """MuseScore 3 reads bracket numbers 1-9 (10 and up: the whole direction, words too, is dropped):
    the eight overlapping occurrences of a 4.0 document are eight lines with their labels."""
    pitches = ["C4", "D4", "E4", "F4", "G4", "A4", "B4", "C5"]
    bars = [[note(p, 1, 1) for p in pitches[4 * b: 4 * b + 4]] for b in range(2)] * 2
    midi = {"C4": 60, "D4": 62, "E4": 64, "F4": 65, "G4": 67, "A4": 69, "B4": 71, "C5": 72}
    seq = [midi[p] for p in pitches] * 2
    occ = [[(float(k), seq[k], k + 1.0), (k + 8.0, seq[k + 8], k + 9.0)] for k in range(8)]
    report, data = annotate(tmp_path, document(bars).replace('version="3.1"', 'version="4.0"'), occ)
    src = tmp_path / "annotated.musicxml"
    src.write_bytes(data)
    out = tmp_path / "annotated.mscx"
    musescore.job([{"in": str(src), "out": [str(out)]}], tmp_path)
    mscx = read_mscx(out)
    assert sorted(t.text for t in mscx.texts if t.kind == "TextLine") == [f"Motif A{k}" for k in range(1, 9)]
    assert_shown(mscx, report)


@pytest.mark.musescore
def test_annotated_saved_by_musescore_and_annotated_again(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """bwv66.6 annotated, opened and saved as MusicXML by MuseScore 3 (labels without colour, note
    colours on the noteheads), annotated again: the same families, one label per occurrence, no
    notehead left in an earlier colour, and MuseScore shows every occurrence."""
    first, report = motif_annotate(CORPUS["bwv66.6.mxl"], tmp_path / "first")
    saved = tmp_path / "saved.musicxml"
    musescore.job([{"in": str(first), "out": [str(saved)]}], tmp_path)
    assert b"<notehead color=" in saved.read_bytes() and len(LABEL.findall(saved.read_bytes())) == marked(report)
    second, again = motif_annotate(saved, tmp_path / "second")
    data = second.read_bytes()
    assert {k: [o[2] for o in v] for k, v in families(again).items()} == {
        k: [o[2] for o in v] for k, v in families(report).items()}
    assert len(LABEL.findall(data)) == marked(again)
    assert b"<notehead color=" not in data
    mscx = tmp_path / "second.mscx"
    musescore.job([{"in": str(second), "out": [str(mscx)]}], tmp_path)
    assert_shown(read_mscx(mscx), again)


@pytest.mark.slow
def test_the_piano_trio_annotated_again(tmp_path: Path) -> None:
    """Schumann (Clara) op. 17 iii written by music21: its piano's voices are renumbered in the
    annotated file; annotated again, the same families and one set of marks."""
    src = tmp_path / "clara.musicxml"
    music21.corpus.parse("schumann_clara/opus17/movement3").write("musicxml", fp=str(src))
    first, report = motif_annotate(src, tmp_path / "first")
    second, again = motif_annotate(first, tmp_path / "second")
    assert families(again) == families(report)
    assert named(second.read_bytes()) == marked(report)  # a run's label names each of its statements
    assert second.read_bytes() == first.read_bytes()
