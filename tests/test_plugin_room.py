"""The MuseScore plugin leaves room after a text another may meet as motif's MusicXML writer does (musicxml_room).

``plugins/musescore/motif.js`` writes "Motif A1" staff texts, which MuseScore 3 draws side by side touching where
two start close together, as it did the writer's labels (phase28-labels28.md). The rule is written twice (Python
and the plugin's JavaScript): run in Node where it is installed (the functions need no MuseScore), the plugin
decides as the writer for the same texts, leaves the same room, and its Clear still knows a text with room after
it as its own.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli.writers.musicxml_room import ROOM, needs_room
from test_musescore import MuseScore, musescore  # noqa: F401

JS = Path(__file__).resolve().parents[1] / "plugins/musescore/motif.js"


def node_eval(expression: str) -> object:
    """The JSON value of a JavaScript expression evaluated with the plugin's functions in scope."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no Node.js")
    script = (
        "const fs = require('fs');"
        f"eval(fs.readFileSync({json.dumps(str(JS))}, 'utf8').replace('.pragma library', ''));"
        f"console.log(JSON.stringify({expression}));"
    )
    return json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)


def test_the_plugin_leaves_the_writers_room() -> None:
    """300 texts at quarter-beat starts on 3 staves, 2 sides, labels and a run's text: the same decisions."""
    rng = random.Random(28)
    texts = ["Motif A1", "Motif B12", "Motif A3 = B1", "Motif C5\u2013C9", "Motif AB2 inv."]
    labels = [(Fraction(rng.randrange(0, 400), 4), rng.randrange(1, 4), rng.choice(["above", "below"]),
               rng.choice(texts)) for _ in range(300)]
    given = [{"start": float(s), "staff": st, "side": sd, "text": t} for s, st, sd, t in labels]
    decided = node_eval(f"needsRoom({json.dumps(given)})")
    want = needs_room(labels)
    assert decided == want
    assert 0 < sum(want) < len(want)  # both answers occur
    assert node_eval("ROOM") == ROOM


def test_the_plugins_clear_knows_a_text_with_room() -> None:
    """Clear matches a label less the room after it, however MuseScore spells the spaces; a user's text stays."""
    said = ["Motif A1" + ROOM, "Motif A1&nbsp;&nbsp;", "Motif B3\u2013B8" + ROOM, "Motif A1 extra" + ROOM]
    found = node_eval(f"{json.dumps(said)}.map(s => TEXT_PATTERN.test(labelOf(s)) || RUN_PATTERN.test(labelOf(s)))")
    assert found == [True, True, True, False]
    js = JS.read_text(encoding="utf-8")
    assert re.search(r"var said = labelOf\(anns\[a\]\.text\)", js)  # Clear tests the texts this way


@pytest.mark.musescore
def test_the_plugins_texts_close_together_are_stacked(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """The plugin applying the report of two statements close together (test_writers_label_room's A1 at beats 0-2,
    A2 at 3-5) in MuseScore 3: its texts are "Motif A1" with room after it and "Motif A2", no two texts of the
    page stand in one row less than a staff space apart, and Clear takes both texts out."""
    from benchmarks.label_collisions import label_boxes
    from benchmarks.labels28_touch import SPACE, pairs
    from test_musescore import PLUGIN_DIR, plugin_settings, read_mscx
    from test_writers_label_room import SCORE, two_notes
    from test_writers_musicxml_voices import annotate

    report, _ = annotate(tmp_path, SCORE, [two_notes(0), two_notes(3)])
    report_path, src = tmp_path / "report.json", tmp_path / "in.musicxml"
    report_path.write_text(json.dumps(report))
    plugin_settings(musescore, tmp_path, reportPath=str(report_path))
    mscx, svg, cleared = tmp_path / "plugin.mscx", tmp_path / "plugin.svg", tmp_path / "cleared.mscx"
    log = musescore.job([{"in": str(src), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(mscx)]}], tmp_path)
    assert musescore.run("-o", str(svg), str(mscx)).returncode == 0  # its layout, one SVG a page
    saved = [_raw(el) for el in ET.parse(mscx).getroot().iter("StaffText")]
    assert sorted(t for t in saved if t.startswith("Motif ")) == ["Motif A1" + ROOM, "Motif A2"], log
    pages = sorted(tmp_path.glob("plugin-*.svg"))
    assert len(pages) == 1, (pages, log)
    boxes = label_boxes(pages[0].read_text(encoding="utf-8"))
    assert len(boxes) == 2 + 3 and pairs(boxes, SPACE) == [], boxes
    musescore.job([{"in": str(mscx), "plugin": str(PLUGIN_DIR / "motif-clear.qml"), "out": [str(cleared)]}], tmp_path)
    assert [t for t in read_mscx(cleared).texts if t.text.startswith("Motif ")] == []


def _raw(staff_text: ET.Element) -> str:
    """A saved staff text's words as MuseScore stored them (no-break spaces kept)."""
    text = staff_text.find("text")
    return "" if text is None else "".join(text.itertext())
