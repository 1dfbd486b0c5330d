"""A statement two families hold (same track, same notes) is marked once: "Motif B7 = C7" (phase17-shared17.md).

Discovery keeps it in both families (the JSON, CSV, MIREX and labels list it twice: mir_eval scores each
family alone, phase16-shared16.md); the drawing writers gave it two brackets over the same notes, two
colours for one note and two MIDI markers at one tick. Now one bracket / marker / lyric names every
family holding it, most salient first, in that family's colour; annotating the annotated file again
replaces it. Real file: Bach's chorale BWV 197.7 (music21's corpus, bach/bwv197.7-a.mxl), whose
default run has two such statements in the soprano (B7 = C7, B9 = C9; A7 = B7, A9 = B9 before phase 17's
order_exact / order_own).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path

import mido
import pytest

from conftest import REPO
from marker_lane import names_at, parts
from test_musescore import DIVISION, PLUGIN_DIR, assert_shown, musescore, plugin_settings, read_mscx  # noqa: F401 - a fixture
from motifcli import writers
from motifcli.annotation import Annotation
from motifcli.pipeline import annotate
from motifcli.readers import read_score
from motifcli.score import Score
from motifcli.writers.musicxml_scan import scan_parts
from motifcli.writers.shared import statements

music21 = pytest.importorskip("music21")

_WORDS = re.compile(r'<words color="(#[0-9A-Fa-f]{6})"(?: font-size="10")?>(Motif [^<]*?)(?:&#160;)*</words>')  # less musicxml_room


@pytest.fixture(scope="module")
def chorale() -> tuple[Score, Annotation]:
    score = read_score(Path(str(music21.corpus.getWork("bach/bwv197.7-a"))))
    return score, annotate(score)


def _markers(midi: mido.MidiFile, kind: str = "marker") -> list[tuple[int, str]]:
    out = []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == kind:
                out.append((tick, msg.text))
    return sorted(out)


def _shared(annotation: Annotation) -> list[tuple[str, ...]]:
    return [tuple(o.label for o in s.occurrences) for s in statements(annotation) if s.shared]


def test_the_chorale_has_statements_two_families_hold_and_the_json_keeps_both(chorale) -> None:
    score, annotation = chorale
    assert _shared(annotation) == [("B7", "C7"), ("B9", "C9")]
    a7, b7 = annotation.motif("B").occurrences[6], annotation.motif("C").occurrences[6]
    assert [(n.track, n.index) for n in a7.notes] == [(n.track, n.index) for n in b7.notes]
    report = annotation.to_dict()  # the JSON report lists the statement in both families, as before
    assert {o["label"] for m in report["motifs"] for o in m["occurrences"]} >= {"B7", "C7", "B9", "C9"}


def test_musicxml_draws_a_shared_statement_once_in_the_most_salient_familys_colour(chorale, tmp_path) -> None:
    score, annotation = chorale
    dest = tmp_path / "c.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    xml = dest.read_text(encoding="utf-8")
    words = _WORDS.findall(xml)
    assert sorted(t for _, t in words) == sorted(s.text for s in statements(annotation))
    assert len(words) == sum(len(m.occurrences) for m in annotation.motifs) - 2  # one label less per shared one
    colour = {m.name: m.color for m in annotation.motifs}
    assert [c for c, t in words if t == "Motif B7 = C7"] == [colour["B"]]  # B: the more salient of the two
    assert not [t for _, t in words if t in ("Motif B7", "Motif C7", "Motif B9", "Motif C9")]
    source_brackets = score.source.count(b'<bracket type="start"')
    assert xml.count('<bracket type="start"') - source_brackets == len(words)
    # the statement's notes are B's colour (before: the first of the two marks to claim them)
    a7 = annotation.motif("B").occurrences[6]
    written = [n for n in read_score(dest).tracks[a7.track].notes if any(
        abs(n.onset - m.onset) < 1e-6 and n.pitch == m.pitch for m in a7.notes)]
    assert len(written) == len(a7.notes)
    scan = scan_parts(dest.read_bytes())
    part = next(p for p in scan.parts.values() if p.id == score.tracks[a7.track].part_id)
    data = dest.read_bytes()
    tags = [data[n.pos: data.index(b">", n.pos)].decode() for n in part.notes if n.pitch is not None and any(
        abs(float(n.onset) - m.onset) < 1e-6 and n.pitch == m.pitch for m in a7.notes)]
    assert len(tags) == len(a7.notes) and all(f'color="{colour["B"]}"' in t for t in tags), tags
    assert xml.count(f'color="{colour["C"]}"') > 0


def test_ranks_not_names_choose_the_lead(chorale, tmp_path) -> None:
    """At bar level names follow first appearance and ``rank`` says which family matters most: the
    label and colour follow the rank (here B made the most salient)."""
    score, annotation = chorale
    swapped = copy.deepcopy(annotation)
    ranks = {m.name: m.rank for m in swapped.motifs}
    swapped.motif("B").rank, swapped.motif("C").rank = ranks["C"], ranks["B"]
    dest = tmp_path / "c.musicxml"
    writers.write(swapped, score, "musicxml", dest)
    words = _WORDS.findall(dest.read_text(encoding="utf-8"))
    assert [c for c, t in words if t == "Motif C7 = B7"] == [swapped.motif("C").color]


def test_midi_has_one_marker_and_lyric_per_statement(chorale, tmp_path) -> None:
    score, annotation = chorale
    dest = tmp_path / "c.mid"
    writers.write(annotation, score, "midi", dest, lyrics=True)
    midi = mido.MidiFile(dest)
    # one marker per moment (session 26) names each statement once: "Motif B7 = C7 (Soprano)", "Motif A3 (Alto);
    # B8 + C8 (Bass)" (a chorale voice is the only note of its track there: no "top line")
    named = names_at(midi)
    assert sum(len(at) for at in named.values()) == len(statements(annotation))
    assert all(len(at) == 1 for at in named.values())
    assert [w for _, w in named["B7 = C7"]] == ["Soprano"] and [w for _, w in named["B9 = C9"]] == ["Soprano"]
    assert not {"C7", "C9", "B7", "B9"} & set(named)
    assert len(named) > len(_markers(midi))  # some moments hold two statements
    lyrics = [t for _, t in _markers(midi, "lyrics")]
    # one lyric per note, naming each statement starting there once: "Motif B2 + C2" (two lyrics stacked on one note)
    sung = [name for text in lyrics for names, _ in parts(text) for name in names]
    assert sorted(sung) == sorted(named) and "Motif B7 = C7" in lyrics and "Motif B2 + C2" in lyrics
    assert all(len({t for t, _ in _markers(mido.MidiFile(tracks=[track]), "lyrics")}) == sum(
        m.type == "lyrics" for m in track) for track in midi.tracks)


@pytest.mark.parametrize("fmt", ["musicxml", "midi"])
def test_annotating_the_annotated_file_replaces_the_shared_labels(chorale, tmp_path, fmt) -> None:
    """An earlier run's "Motif B7 = C7" is motif's own, taken out like "Motif B7" (annotation.LABEL_TEXT)."""
    score, annotation = chorale
    first = tmp_path / f"once.{'musicxml' if fmt == 'musicxml' else 'mid'}"
    writers.write(annotation, score, fmt, first, lyrics=True)
    again = read_score(first)
    second = tmp_path / f"twice{first.suffix}"
    writers.write(annotation, again, fmt, second, lyrics=True)
    if fmt == "musicxml":
        assert second.read_text(encoding="utf-8").count("Motif B7 = C7") == 1
    else:
        assert names_at(mido.MidiFile(second)) == names_at(mido.MidiFile(first)) and len(names_at(mido.MidiFile(second))["B7 = C7"]) == 1
        assert [t for _, t in _markers(mido.MidiFile(second), "lyrics")].count("Motif B7 = C7") == 1


def test_the_musescore_plugin_groups_the_same_statements(chorale, tmp_path) -> None:
    """motif.js (run in Node where it is installed: the functions need no MuseScore) gives a shared
    statement one entry, labelled and coloured as the writers do, and knows "Motif B7 = C7" as its own."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no Node.js")
    score, annotation = chorale
    report = tmp_path / "r.json"
    report.write_text(json.dumps(annotation.to_dict()))
    script = (
        "const fs = require('fs');"
        f"eval(fs.readFileSync({json.dumps(str(REPO / 'plugins/musescore/motif.js'))}, 'utf8').replace('.pragma library', ''));"
        f"const r = JSON.parse(fs.readFileSync({json.dumps(str(report))}, 'utf8'));"
        "console.log(JSON.stringify({entries: inTimeOrder(r).map(e => [e.label, e.motif.color]),"
        " own: ['Motif B7 = C7', 'Motif B7', 'Motif B7 =', 'Motif B7 = b7'].map(t => TEXT_PATTERN.test(t))}));"
    )
    out = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    labels = [label for label, _ in out["entries"]]
    assert sorted(labels) == sorted(s.text.removeprefix("Motif ") for s in statements(annotation))
    assert ["B7 = C7", annotation.motif("B").color] in out["entries"]
    assert out["own"] == [True, True, False, False]


@pytest.mark.musescore
def test_musescore_shows_one_bracket_for_the_shared_statement(musescore, chorale, tmp_path) -> None:  # noqa: F811
    """Round trip: the annotated chorale opened in MuseScore 3 shows every occurrence (its notes in a
    colour of a family holding them, its text at its first note, "Motif B7 = C7" for both B7 and C7),
    one line "Motif B7 = C7", none "Motif C7", and B7's notes (soprano: staff 1) in B's colour."""
    score, annotation = chorale
    xml = tmp_path / "c.musicxml"
    writers.write(annotation, score, "musicxml", xml)
    out = tmp_path / "c.mscx"
    musescore.job([{"in": str(xml), "out": [str(out)]}], tmp_path)
    mscx = read_mscx(out)
    assert_shown(mscx, annotation.to_dict())
    lines = [t.text for t in mscx.texts if t.kind == "TextLine"]  # (the .mscx keeps a line's colour in no form read here)
    assert lines.count("Motif B7 = C7") == 1 and lines.count("Motif B9 = C9") == 1, lines
    assert not [t for t in lines if t in ("Motif B7", "Motif C7", "Motif B9", "Motif C9")]
    a7 = {(round(n.onset * DIVISION), n.pitch) for n in annotation.motif("B").occurrences[6].notes}
    assert {m.color for m in mscx.notes if (m.tick, m.pitch) in a7 and m.staff == 1} == {annotation.motif("B").color.upper()}


@pytest.mark.musescore
def test_the_plugin_writes_one_text_for_the_shared_statement(musescore, chorale, tmp_path) -> None:  # noqa: F811
    """The plugin, applying the chorale's report in MuseScore: one staff text "Motif B7 = C7" in A's
    colour, every occurrence shown (assert_shown), and Clear takes the text out again."""
    score, annotation = chorale
    report = tmp_path / "c.report.json"
    report.write_text(json.dumps(annotation.to_dict()))
    plugin_settings(musescore, tmp_path, reportPath=str(report))
    out, cleared = tmp_path / "plugin.mscx", tmp_path / "cleared.mscx"
    log = musescore.job([{"in": str(score.path), "plugin": str(PLUGIN_DIR / "motif.qml"), "out": [str(out)]}],
                        tmp_path)
    mscx = read_mscx(out)
    assert_shown(mscx, annotation.to_dict(), text_kinds=("StaffText",))
    texts = [(t.text, t.color) for t in mscx.texts if t.kind == "StaffText"]
    assert texts.count(("Motif B7 = C7", annotation.motif("B").color.upper())) == 1, log
    assert not [t for t, _ in texts if t in ("Motif B7", "Motif C7")]
    musescore.job([{"in": str(out), "plugin": str(PLUGIN_DIR / "motif-clear.qml"), "out": [str(cleared)]}], tmp_path)
    assert not [t for t in read_mscx(cleared).texts if t.text.startswith("Motif ")]
