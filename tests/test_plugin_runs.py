"""The MuseScore plugin condenses a run of statements back to back as motif's writers do (writers/runs.py).

``plugins/musescore/motif.js`` writes one staff text per statement; since phase 27 a run of short
statements back to back is one text "Motif B3–B8" at its first statement, as motif's MusicXML brackets it.
The rule is written twice (Python and the plugin's JavaScript): run in Node where it is installed (the
functions need no MuseScore), the plugin's texts for real reports are the writer's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from motifcli.annotation import Annotation
from motifcli.writers.musicxml_key import RUN_LINE
from motifcli.writers.runs import runs
from motifcli.writers.shared import statements
from test_musescore import motif_env

REPO = Path(__file__).resolve().parents[1]
JS = REPO / "plugins/musescore/motif.js"


def report_of(work: str, out: Path) -> Path:
    """The JSON report of a music21 corpus work annotated with the defaults (the real CLI)."""
    import music21

    src = Path(str(music21.corpus.getWork(work)))
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "json", "-o", str(out)]
    assert subprocess.run(cmd, env=motif_env(), capture_output=True, timeout=300).returncode == 0
    (report,) = out.glob("*.json")
    return report


# Joplin's rag (one piano part on two staves: 10 runs) and Haydn's op. 74/1 i (four parts: 3 runs in the violins)
@pytest.mark.parametrize("work", ["joplin/maple_leaf_rag.mxl", "haydn/opus74no1/movement1.mxl"])
def test_the_plugin_writes_the_writers_texts(work: str, tmp_path: Path):
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no Node.js")
    report = report_of(work, tmp_path)
    script = (
        "const fs = require('fs');"
        f"eval(fs.readFileSync({json.dumps(str(JS))}, 'utf8').replace('.pragma library', ''));"
        f"const r = JSON.parse(fs.readFileSync({json.dumps(str(report))}, 'utf8'));"
        "const order = inTimeOrder(r); const runs = runTexts(order);"
        "console.log(JSON.stringify(order.map((e, k) => runs[k] === undefined ? 'Motif ' + e.label : runs[k])"
        ".filter(t => t !== '')));"
    )
    texts = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    annotation = Annotation.from_dict(json.loads(report.read_text()))
    want = [run.text() for run in runs(statements(annotation))]
    assert sorted(texts) == sorted(want)
    assert any("\u2013" in t for t in want)


def test_the_plugin_key_and_patterns_are_the_writers():
    js = JS.read_text(encoding="utf-8")
    line = re.search(r'var RUN_LINE = ("(?:[^"\\]|\\.)*");', js)
    assert line is not None and json.loads(line.group(1)) == RUN_LINE
    # Clear knows the key with its run line: test_plugin_voices.test_the_plugin_knows_every_key_of_motifs_as_its_own
    assert "RUN_PATTERN.test(said)" in js  # and the run texts
