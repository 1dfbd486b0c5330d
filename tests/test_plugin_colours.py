"""The MuseScore plugin colours a note two families' statements hold as motif's MusicXML does (writers/colour_order.py).

``plugins/musescore/motif.js`` colours the score's notes itself; since phase 27 a note in statements of two
families takes the colour of one that contains no other of them (a cell inside a phrase), of overlapping ends
the earlier's, as the writer. The rule is written twice (Python and the plugin's JavaScript): run in Node
where it is installed (``reportColours`` needs no MuseScore), the plugin's colour of every note of a real
report is the colour motif's MusicXML writer wrote on that note.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli.annotation import family_color
from motifcli.writers import json_out
from motifcli.writers.musicxml import render
from test_musescore import PLUGIN_DIR, musescore, plugin_settings, read_mscx  # noqa: F401 - a fixture
from test_writers_colours import annotation, line, rag, written_colours  # noqa: F401 - a fixture

REPO = Path(__file__).resolve().parents[1]
JS = REPO / "plugins/musescore/motif.js"


def plugin_colours(report: dict, tmp_path: Path) -> dict[tuple[int, Fraction, int], str]:
    """(track, onset, pitch) -> the colour the plugin's ``reportColours`` gives that note of ``report``."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no Node.js")
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    script = (
        "const fs = require('fs');"
        f"eval(fs.readFileSync({json.dumps(str(JS))}, 'utf8').replace('.pragma library', ''));"
        f"console.log(JSON.stringify(reportColours(JSON.parse(fs.readFileSync({json.dumps(str(path))}, 'utf8')))));"
    )
    out = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    colours = {}
    for key, colour in out.items():
        track, onset, pitch = (int(x) for x in key.split("|"))
        colours[(track, Fraction(onset, 960), pitch)] = colour.upper()
    return colours


def test_the_plugin_colours_the_hand_made_overlaps_as_the_writer(tmp_path: Path):
    score = line(tmp_path)
    made = annotation(score, [("A", 0, 11), ("B", 4, 6), ("C", 10, 15), ("B", 13, 15)])
    written = written_colours(render(made, score))
    plugin = plugin_colours(json_out.to_json_dict(made, score), tmp_path)
    assert len(plugin) == 16
    assert {k: v for k, v in plugin.items()} == {k: v[0].upper() for k, v in written.items()}


def test_the_plugin_colours_the_rag_as_the_writer(rag, tmp_path: Path):  # noqa: F811
    xml, report = rag
    written = written_colours(xml)
    plugin = plugin_colours(report, tmp_path)
    both = [k for k in plugin if len(written.get(k, [])) == 1]  # a note written once (not a unison of two voices)
    assert len(both) >= 0.95 * len(plugin) and len(both) > 300
    differ = [(k, plugin[k], written[k][0]) for k in both if plugin[k] != written[k][0].upper()]
    assert differ == []


@pytest.mark.musescore
def test_the_plugin_in_musescore_colours_the_cell_inside_the_phrase(musescore, tmp_path: Path):  # noqa: F811
    """The plugin itself (motif.qml in MuseScore 3, applying a report): the cell inside the phrase and the cell
    at the phrase's end in their own colour, the overlapping ends in the earlier statement's, as the writer."""
    score = line(tmp_path)
    made = annotation(score, [("A", 0, 11), ("B", 4, 6), ("C", 10, 15), ("B", 13, 15)])
    report = tmp_path / "line.report.json"
    report.write_text(json.dumps(json_out.to_json_dict(made, score)))
    plugin_settings(musescore, tmp_path, reportPath=str(report))
    out = tmp_path / "plugin.mscx"
    log = musescore.job([{"in": str(score.path), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(out)]}],
                        tmp_path)
    shown = [(n.color or "").upper() for n in sorted(read_mscx(out).notes, key=lambda n: n.tick)]
    a, b, c = (family_color(k).upper() for k in range(3))
    assert shown == [a] * 4 + [b] * 3 + [a] * 5 + [c] + [b] * 3, log  # main: notes 4-6 in A's, 13-15 in C's colour
