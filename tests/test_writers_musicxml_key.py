"""The key to the marks (writers/musicxml_key.py): once per annotated score, under the first bar's bottom staff.

Looking at the rendered pages (benchmarks/phase26-eye26.md) nothing told a reader what "Motif A3" or
"Motif A3 = B1" meant. These tests run the real CLI on music21's corpus files, parse the output with
ElementTree and, where MuseScore 3 is installed, read the .mscx it saves.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_musescore import MuseScore, motif_env, musescore  # noqa: F401

music21 = pytest.importorskip("music21")
CORPUS = {p.name: p for p in music21.corpus.getPaths()}

KEY_LINES = ["Motifs: one colour per motif;", "\u201cA2\u201d: motif A, its 2nd statement;",
             "\u201cA3 = B1\u201d: the same notes in A and B."]


def is_key(text: str) -> bool:
    """The key's words, whatever line breaks a program saved them with (written out here, so the test
    pins the text a reader sees)."""
    return " ".join(text.split()) == " ".join(" ".join(KEY_LINES).split())


TWO_NOTES = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1"><part-list><score-part id="P1"><part-name>Flute</part-name></score-part></part-list>
<part id="P1"><measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type>
</time><clef><sign>G</sign><line>2</line></clef></attributes>
<note><pitch><step>C</step><octave>5</octave></pitch><duration>2</duration><voice>1</voice><type>half</type></note>
<note><pitch><step>D</step><octave>5</octave></pitch><duration>2</duration><voice>1</voice><type>half</type></note>
</measure></part></score-partwise>
"""


def annotate(src: Path, out: Path) -> Path:
    """``motif annotate SRC -f musicxml -o OUT`` (the defaults): the annotated score's path."""
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o", str(out)]
    proc = subprocess.run(cmd, env=motif_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (xml,) = out.glob("*.motifs.musicxml")
    return xml


def keys(root: ET.Element) -> list[tuple[str, int, ET.Element]]:
    """(part id, measure index, direction) of every direction whose words are the key."""
    found = []
    for part in root.iter("part"):
        for k, measure in enumerate(part.iter("measure")):
            for direction in measure.iter("direction"):
                if any(is_key(w.text or "") for w in direction.iter("words")):
                    found.append((part.get("id"), k, direction))
    return found


@pytest.mark.parametrize("name, last_part, staff", [("bwv66.6.mxl", "P4", None), ("movement1_exposition.mxl", "P1", "2")])
def test_the_key_stands_once_below_the_bottom_staff_of_the_first_bar(tmp_path: Path, name: str, last_part: str,
                                                                     staff: str | None) -> None:
    """A chorale (four parts: under the bass) and a piano sonata (one part on two staves: under the left hand)."""
    root = ET.parse(annotate(CORPUS[name], tmp_path)).getroot()
    (found,) = keys(root)
    part, measure, direction = found
    assert (part, measure) == (last_part, 0)
    assert direction.get("placement") == "below" and direction.findtext("staff") == staff
    assert direction.find("direction-type/words").text.split("\n") == KEY_LINES  # three lines, as written
    # it stands before the first note of its staff in that bar (MuseScore 3 files a direction with the notes after it)
    children = list(root.find(f"part[@id='{last_part}']/measure"))
    after = children[children.index(direction) + 1:]
    first_note = next(el for el in after if el.tag == "note")
    assert staff is None or first_note.findtext("staff") == staff


def test_annotating_the_annotated_score_again_keeps_one_key(tmp_path: Path) -> None:
    """musicxml_own takes the key out with the labels, so the second run writes the first's file again."""
    first = annotate(CORPUS["bwv66.6.mxl"], tmp_path / "one")
    second = annotate(first, tmp_path / "two")
    assert len(keys(ET.parse(second).getroot())) == 1
    assert second.read_bytes() == first.read_bytes()


def test_a_score_with_no_motif_gets_no_key(tmp_path: Path) -> None:
    src = tmp_path / "two-notes.musicxml"
    src.write_text(TWO_NOTES)
    root = ET.parse(annotate(src, tmp_path / "out")).getroot()
    assert keys(root) == [] and not list(root.iter("words"))


@pytest.mark.musescore
def test_musescore_shows_the_key_on_the_bottom_staff_of_the_first_bar(musescore: MuseScore, tmp_path: Path) -> None:
    """MuseScore 3 keeps the key as a staff text of the left hand's staff (the last), in bar 1, with its three lines."""
    xml = annotate(CORPUS["movement1_exposition.mxl"], tmp_path)
    mscx = tmp_path / "k545.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx)]}], tmp_path)
    score = ET.parse(mscx).getroot().find("Score")
    staves = score.findall("Staff")
    texts = {(int(staff.get("id")), k): "".join(t.itertext()) for staff in staves
             for k, measure in enumerate(staff.iter("Measure")) for t in measure.iter("text")}
    shown = {where: text for where, text in texts.items() if is_key(text)}
    assert list(shown) == [(int(staves[-1].get("id")), 0)]
