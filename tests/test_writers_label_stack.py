"""Labels of brackets that start together are drawn apart in MuseScore 3 (phase18-marks18.md).

MuseScore 3.2.3 makes ``<words>`` that come before a ``<bracket type="start"/>`` in one direction the
line's own text, and lays out the lines of a system together without moving one's text off another's:
two statements starting at one note got "Motif A1" and "Motif A2" drawn over each other. Words after
the bracket are a staff text at the line's start, which it stacks clear of the lines and of other
labels. So the writer puts the bracket first; a label written alone (past nine open brackets) is a
staff text as before, and re-annotation still takes out exactly motif's marks, in either order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from benchmarks.label_collisions import collisions, label_boxes
from motifcli.writers.musicxml_key import is_key
from motifcli.writers.musicxml_own import strip_marks
from test_musescore import MuseScore, assert_shown, musescore, read_mscx  # noqa: F401
from test_writers_musicxml_voices import annotate, document, note

# eight quarter notes; two statements start on the first: A1 its first four, A2 its first six
NOTES = ["C5", "D5", "E5", "F5", "G5", "A5", "B5", "C6"]
SCORE = document([[note(p, 1, 1) for p in NOTES[:4]], [note(p, 1, 1) for p in NOTES[4:]]])
A1 = [(0.0, 72, 1.0), (1.0, 74, 2.0), (2.0, 76, 3.0), (3.0, 77, 4.0)]
A2 = A1 + [(4.0, 79, 5.0), (5.0, 81, 6.0)]
_WORDS_AFTER = re.compile(r"(<direction-type><bracket [^>]*/></direction-type>)(<direction-type><words[^>]*>[^<]*</words></direction-type>)")


def starts(data: bytes) -> list[ET.Element]:
    """The directions that open a bracket, in document order."""
    root = ET.fromstring(data)
    return [d for d in root.iter("direction") if d.find("direction-type/bracket[@type='start']") is not None]


def test_the_bracket_comes_before_its_label(tmp_path: Path) -> None:
    """Each start direction holds its bracket, then its words (MuseScore 3: a staff text), then
    where it goes; the stops and the colours are as before."""
    _, data = annotate(tmp_path, SCORE, [A1, A2])
    found = starts(data)
    assert len(found) == 2
    for d in found:
        kinds = [child[0].tag if child.tag == "direction-type" else child.tag for child in d]
        assert kinds == ["bracket", "words"], kinds
    assert sorted(d.findtext("direction-type/words") for d in found) == ["Motif A1", "Motif A2"]
    assert data.count(b'<bracket type="stop"') == 2
    assert data.count(b'color="#E69F00"') == 6 + 2 * 2  # six notes, and each start's bracket and words


def test_music21_reads_both_labels_and_brackets(tmp_path: Path) -> None:
    """Another reader: music21 finds both words and both brackets of the stacked form."""
    music21 = pytest.importorskip("music21")
    _, data = annotate(tmp_path, SCORE, [A1, A2])
    path = tmp_path / "out.musicxml"
    path.write_bytes(data)
    score = music21.converter.parse(str(path))
    words = sorted(t.content for t in score.recurse().getElementsByClass("TextExpression") if not is_key(t.content))
    assert words == ["Motif A1", "Motif A2"]
    assert len(score.spannerBundle.getByClass("Line")) == 2


def test_re_annotation_takes_out_either_order(tmp_path: Path) -> None:
    """An earlier run's marks go whether its words came before the bracket (before this change) or
    after it (now): the file comes back as it was."""
    _, data = annotate(tmp_path, SCORE, [A1, A2])
    assert strip_marks(data, "utf-8") == SCORE.encode()
    text = data.decode()
    old, swapped = _WORDS_AFTER.subn(r"\2\1", text)  # the words first, as main wrote them before
    assert swapped == 2
    assert [[c[0].tag for c in d if c.tag == "direction-type"] for d in starts(old.encode())] == [["words", "bracket"]] * 2
    assert strip_marks(old.encode(), "utf-8") == SCORE.encode()


@pytest.mark.musescore
def test_musescore_draws_labels_at_one_note_apart(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """In MuseScore 3 each label is a staff text at its line's start (one line per statement, to its
    last note), and the two labels' boxes on the page do not overlap."""
    report, data = annotate(tmp_path, SCORE, [A1, A2])
    xml, mscx, svg = tmp_path / "out.musicxml", tmp_path / "out.mscx", tmp_path / "out.svg"
    xml.write_bytes(data)
    musescore.job([{"in": str(xml), "out": [str(mscx)]}], tmp_path)
    proc = musescore.run("-o", str(svg), str(xml))  # SVG: one file per page, out-1.svg ...
    assert proc.returncode == 0, proc.stderr
    saved = ET.parse(mscx).getroot()
    texts = ["".join(t.find("text").itertext()) for t in saved.iter("StaffText")]
    assert sorted(t for t in texts if not is_key(t)) == ["Motif A1", "Motif A2"] and sum(map(is_key, texts)) == 1
    assert len([s for s in saved.iter("Spanner") if s.find("TextLine") is not None]) == 2
    assert_shown(read_mscx(mscx), report)
    pages = sorted(tmp_path.glob("out-*.svg"))
    assert pages, "MuseScore wrote no SVG page"
    boxes = label_boxes(pages[0].read_text(encoding="utf-8"))
    # the two labels and the key's four lines (musicxml_key: A2 opens while A1 is open, so its bracket is below the
    # staff and the key says why), which overlap nothing
    assert len(boxes) == 2 + 4
    assert collisions(boxes) == (0, 0), boxes
