"""Open, save, reopen: what of motif's MusicXML marks MuseScore 3 keeps in its own file (phase28-save28.md).

MuseScore 3.2.3's MusicXML import sets a line's and a text's placement without marking it as set
(its writer stores a property only where it is not the style's), so a ``.mscx`` it saves keeps no
placement: motif's brackets below, their labels and the key stand above after a save and reopen
(docs/cli.md, "Saved in MuseScore"). These tests pin that limit on the machine's MuseScore (a
MuseScore that keeps the placement fails them: then the docs must change) and the way back the docs
give: export MusicXML from the saved score and annotate it again.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_musescore import MuseScore, musescore  # noqa: F401
from test_writers_musicxml_key import CORPUS, annotate

pytestmark = pytest.mark.musescore

KEY_START = "Motifs: one colour per motif;"


@pytest.fixture(scope="module")
def chorale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """music21's bwv130.6 annotated with the defaults: 34 brackets, some below their staff."""
    return annotate(CORPUS["bwv130.6.mxl"], tmp_path_factory.mktemp("bwv130"))


def below_labels(text: str) -> list[str]:
    """The labels of the brackets motif's MusicXML puts below a staff, in document order."""
    found = []
    for direction in re.findall(r'<direction placement="below">(.*?)</direction>', text, re.S):
        words = re.search(r"<words[^>]*>(Motif [^<]*?)(?:\u00a0|&#160;)*</words>", direction)
        if '<bracket type="start"' in direction and words:
            found.append(words.group(1))
    return found


def saved(musescore: MuseScore, src: Path, dest: Path) -> Path:  # noqa: F811
    proc = musescore.run("-o", str(dest), str(src), timeout=300)
    assert dest.exists(), proc.stderr
    return dest


def test_a_saved_mscx_keeps_the_hooks_but_not_the_placement_of_a_bracket_below(chorale: Path,
                                                                               musescore: MuseScore,  # noqa: F811
                                                                               tmp_path: Path):
    """Saved as .mscx: every line below keeps its hooks up (height -1.5) and nothing keeps "below"
    (not the lines, not their labels, not the key); saved again from that file, the same."""
    below = below_labels(chorale.read_text(encoding="utf-8"))
    assert below, "motif wrote no bracket below: nothing to check"
    first = saved(musescore, chorale, tmp_path / "saved.mscx")
    again = saved(musescore, first, tmp_path / "reopened.mscx")  # opened from MuseScore's own file
    for mscx in (first, again):
        root = ET.parse(mscx).getroot()
        lines = list(root.iter("TextLine"))
        assert sum(t.findtext("beginHookHeight") == "-1.5" for t in lines) == len(below)
        placed = [el.tag for el in root.iter() if el.find("placement") is not None]
        assert placed == [], f"MuseScore now keeps a placement ({placed}): update docs/cli.md 'Saved in MuseScore'"
        texts = ["".join(t.itertext()) for t in root.iter("StaffText")]
        assert sum(KEY_START in t for t in texts) == 1


def test_exporting_the_saved_score_and_annotating_it_again_puts_the_brackets_below_back(
        chorale: Path, musescore: MuseScore, tmp_path: Path):  # noqa: F811
    """The way back docs/cli.md gives: MusicXML exported from the saved .mscx has no bracket below; motif
    annotating it writes the same brackets below, under the same labels, and the key below again."""
    mscx = saved(musescore, chorale, tmp_path / "saved.mscx")
    exported = saved(musescore, mscx, tmp_path / "exported.musicxml")
    assert below_labels(exported.read_text(encoding="utf-8")) == []
    again = annotate(exported, tmp_path / "again").read_text(encoding="utf-8")
    assert below_labels(again) == below_labels(chorale.read_text(encoding="utf-8"))
    keys = re.findall(r'<direction placement="(\w+)"><direction-type><words[^>]*>' + re.escape(KEY_START), again)
    assert keys == ["below"]
