"""The MuseScore 3 plugin colours the notes motif's annotated MusicXML colours (phase15-formats15.md).

``plugins/musescore/motif.js`` matches a report's notes to the score's by part, pitch and tick. In a
part written in several voices (a keyboard reduction: soprano and alto in the treble staff, tenor
and bass in the bass staff) two voices may sound one pitch at one tick: the report note's staff and
voice (JSON ``staff``, ``voice`` 10 + n) pick the occurrence's own, as the writer picks it; a note in
two occurrences takes one's colour as in the writer (the one containing no other: tests/test_plugin_colours.py);
"Clear" knows every
family colour. Run headless in MuseScore 3, as tests/test_musescore.py runs the plugin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_musescore import (  # noqa: F401 - musescore is a fixture
    PLUGIN_DIR,
    MuseScore,
    motif_annotate,
    musescore,
    plugin_and_writer,
    plugin_settings,
    read_mscx,
)


def test_the_plugins_palette_is_motifs() -> None:
    """"Clear" resets the notes in motif's colours: the plugin's list must be motif's palette (it
    had black in place of family H's #117733, so Clear left family H coloured)."""
    import re

    from conftest import REPO
    from motifcli.annotation import FORMER_COLOURS, PALETTE

    js = (REPO / "plugins" / "musescore" / "motif.js").read_text(encoding="utf-8")
    listed = re.search(r"var PALETTE = \[(.*?)\];", js, re.S)
    assert listed is not None
    assert re.findall(r'"(#[0-9a-fA-F]{6})"', listed.group(1)) == [c.lower() for c in PALETTE]
    former = re.search(r"var FORMER = \[(.*?)\];", js, re.S)
    assert former is not None and re.findall(r'"(#[0-9a-fA-F]{6})"', former.group(1)) == [c.lower() for c in FORMER_COLOURS]


def test_the_plugins_key_is_motifs() -> None:
    """The plugin writes the key motif's MusicXML writer writes (same words, same size), so a score
    annotated either way says the same, and each recognises the other's."""
    import json
    import re

    from conftest import REPO
    from motifcli.writers.musicxml_key import KEY_FONT_SIZE, KEY_LINES, OPTIONAL_LINES

    js = (REPO / "plugins" / "musescore" / "motif.js").read_text(encoding="utf-8")
    listed = re.search(r"var KEY_LINES = \[(.*?)\];", js, re.S)
    assert listed is not None
    assert [json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', listed.group(1))] == list(KEY_LINES)
    assert re.search(r"var KEY_FONT_SIZE = ([0-9]+);", js).group(1) == str(KEY_FONT_SIZE)
    optional = re.search(r"var KEY_OPTIONAL_LINES = \[(.*?)\];", js, re.S)
    assert optional is not None
    run_line = re.search(r'var RUN_LINE = ("(?:[^"\\]|\\.)*");', js)  # KEY_OPTIONAL_LINES names it
    assert run_line is not None
    listed_optional = re.findall(r'"(?:[^"\\]|\\.)*"|RUN_LINE', optional.group(1))
    assert [json.loads(run_line.group(1) if s == "RUN_LINE" else s) for s in listed_optional] == list(OPTIONAL_LINES)


def test_the_plugin_knows_every_key_of_motifs_as_its_own() -> None:
    """Clear and a rerun take out the key as the MusicXML writer writes it, with or without its line on brackets
    drawn apart and its run line (session 27), as MuseScore 3 shows it (line breaks, tags), and nothing more: motif.js's isKey run in
    Node where it is installed (it needs no MuseScore)."""
    import json
    import shutil
    import subprocess

    from conftest import REPO
    from motifcli.writers.musicxml_key import KEY_LINES, OVERLAP_LINE, RUN_LINE

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no Node.js")
    texts = ["\n".join(KEY_LINES), "\n".join([*KEY_LINES, OVERLAP_LINE]),
             "<font size=\"7\"/>" + "\n".join([*KEY_LINES, OVERLAP_LINE]), " ".join([*KEY_LINES, OVERLAP_LINE]),
             "\n".join([*KEY_LINES, RUN_LINE]), "\n".join([*KEY_LINES, RUN_LINE, OVERLAP_LINE]),
             "\n".join(KEY_LINES[:2]), "\n".join([*KEY_LINES, OVERLAP_LINE, "(my note)"]), OVERLAP_LINE,
             "\n".join([*KEY_LINES, OVERLAP_LINE, RUN_LINE])]  # out of the writer's order: not the key
    script = (
        "const fs = require('fs');"
        f"eval(fs.readFileSync({json.dumps(str(REPO / 'plugins/musescore/motif.js'))}, 'utf8').replace('.pragma library', ''));"
        f"console.log(JSON.stringify({json.dumps(texts)}.map(isKey)));"
    )
    out = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    assert out == [True, True, True, True, True, True, False, False, False, False]


@pytest.mark.musescore
def test_plugin_clear_resets_every_family_colour(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """A score motif annotated with 16 families (every palette colour), cleared by the plugin:
    every note black again."""
    from motifcli.annotation import PALETTE

    notes = "".join(f'<note color="{c}"><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration>'
                    f"<voice>1</voice><type>quarter</type></note>" for c in PALETTE)
    bars = "".join(f'<measure number="{i + 1}">'
                   + ("<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
                      "<clef><sign>G</sign><line>2</line></clef></attributes>" if i == 0 else "")
                   + notes[i * len(notes) // 4:(i + 1) * len(notes) // 4] + "</measure>" for i in range(4))
    src = tmp_path / "palette.musicxml"
    src.write_text('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
                   '<score-part id="P1"><part-name>P</part-name></score-part></part-list>'
                   f'<part id="P1">{bars}</part></score-partwise>')
    plugin_settings(musescore, tmp_path)
    out = tmp_path / "cleared.mscx"
    log = musescore.job([{"in": str(src), "plugin": str(PLUGIN_DIR / "motif-clear.qml"), "out": [str(out)]}], tmp_path)
    left = [n.color for n in read_mscx(out).notes if n.color not in (None, "#000000")]
    assert len(read_mscx(out).notes) == len(PALETTE) and left == [], log


def coloured_in(mscx_path: Path) -> dict[tuple[int, int, int, int], str]:
    """(staff, voice, tick, pitch) -> colour of every coloured note MuseScore holds."""
    return {(n.staff, n.voice, n.tick, n.pitch): n.color for n in read_mscx(mscx_path).notes
            if n.color not in (None, "#000000") and not n.grace}


@pytest.mark.musescore
@pytest.mark.slow
def test_plugin_colours_the_writers_notes_in_a_two_staff_reduction(
        musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """Palestrina's Agnus Dei (music21's palestrina/Agnus_01) as a keyboard reduction, saved by
    MuseScore as the plugin saves a score for motif (voices 1-2 in the treble staff, 5-6 in the
    bass): motif's report applied by the plugin colours exactly the notes, voices and colours that
    motif's annotated MusicXML shows in MuseScore, where alto and tenor meet on one pitch too."""
    music21 = pytest.importorskip("music21")
    from benchmarks.written_voices import reduction

    parts = list(music21.corpus.parse("palestrina/Agnus_01").parts)[:4]
    written = tmp_path / "agnus-keys-music21.musicxml"
    reduction(parts).write("musicxml", fp=str(written))
    src = tmp_path / "agnus-keys.musicxml"
    musescore.job([{"in": str(written), "out": [str(src)]}], tmp_path)  # MuseScore's own export
    xml, report = motif_annotate(src, tmp_path / "out")
    voices = {n["voice"] for m in report["motifs"] for o in m["occurrences"] for n in o["notes"]}
    assert {11, 12, 15, 16} & voices and all(n.get("staff") in (1, 2) for m in report["motifs"]
                                             for o in m["occurrences"] for n in o["notes"])
    by_plugin, by_writer, log = plugin_and_writer(musescore, src, xml, report, tmp_path)
    plugin, writer = coloured_in(by_plugin), coloured_in(by_writer)
    assert writer and plugin == writer, (log, sorted(set(plugin.items()) ^ set(writer.items()))[:10])
    # the case that needs the voices: one pitch at one tick in two voices of the part, coloured apart
    at: dict[tuple[int, int], set[tuple[int, int, str | None]]] = {}
    for n in read_mscx(by_writer).notes:
        at.setdefault((n.tick, n.pitch), set()).add((n.staff, n.voice, n.color))
    assert any(len(v) > 1 and len({c for *_, c in v}) > 1 for v in at.values())
