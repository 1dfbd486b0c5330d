"""One `motif annotate` run, all six formats: every output says the same thing about the same occurrences.

Issue 10, item 4 ("note-level output everywhere": MusicXML, MIDI markers and lyrics, JSON schema 2, MIREX,
CSV, labels) and issue 9 (printed bar numbers, nothing after the last note). The writers are tested one by
one elsewhere on hand-made families; this runs the CLI as a user does, on the default unit's own result for a
chorale in 3/4 with a pickup (bwv130.6: printed bars 0-16, parts with rests at the start), and cross-checks the
files it wrote against its JSON report.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import mido
import pytest

from conftest import REPO, subprocess_env
from marker_lane import assert_lane, find, parts
from test_musescore import statement_texts

music21 = pytest.importorskip("music21")
jsonschema = pytest.importorskip("jsonschema")
mir_eval = pytest.importorskip("mir_eval")

FORMATS = "musicxml,midi,json,csv,mirex,labels"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The outputs folder and the JSON report of one CLI run (default unit, every format, lyrics)."""
    src = Path(str(music21.corpus.getWork("bach/bwv130.6")))
    out = tmp_path_factory.mktemp("agree")
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "--format", FORMATS, "--lyrics",
                           "-o", str(out) + "/", "-q"], capture_output=True, text=True, timeout=300,
                          env=subprocess_env(), cwd=out)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "bwv130.6.motifs.json").read_text())
    assert report["settings"]["unit"] == "note" and report["motifs"]
    return out, report


def occurrences(report: dict) -> list[dict]:
    return [o for m in report["motifs"] for o in m["occurrences"]]


def test_json_validates_and_its_occurrences_are_their_notes(run: tuple[Path, dict]) -> None:
    _, report = run
    schema = json.loads((REPO / "docs" / "annotation.schema.json").read_text())
    jsonschema.validate(report, schema)
    assert report["meter"]["source"] == "written" and report["meter"]["sections"][0]["first_bar"] == "0"
    end = report["score"]["end_beat"]
    for o in occurrences(report):
        onsets = [n["onset"] for n in o["notes"]]
        assert o["start_beat"] == pytest.approx(min(onsets)) and o["end_beat"] == pytest.approx(
            max(n["offset"] for n in o["notes"]))
        assert o["end_beat"] <= end + 1e-9  # never after the last note (issue 9)
        assert int(o["start_bar"]) <= int(o["end_bar"]) <= 16  # printed numbers: pickup 0, last bar 16


def test_mirex_csv_and_labels_list_the_jsons_occurrences(run: tuple[Path, dict]) -> None:
    out, report = run
    ranked = sorted(report["motifs"], key=lambda m: m["rank"])
    patterns = mir_eval.io.load_patterns(str(out / "bwv130.6.motifs.mirex.txt"))
    assert [[sorted((round(t, 4), int(p)) for t, p in occ) for occ in pat] for pat in patterns] == [
        [sorted((round(n["onset"], 4), n["pitch"]) for n in o["notes"]) for o in m["occurrences"]] for m in ranked]

    by_label = {o["label"]: o for o in occurrences(report)}
    rows = list(csv.DictReader((out / "bwv130.6.motifs.csv").open(newline="")))
    assert sorted(r["label"] for r in rows) == sorted(by_label)
    for r in rows:
        o = by_label[r["label"]]
        assert int(r["note_count"]) == len(o["notes"]) and int(r["transposition"]) == o["transposition"]
        assert float(r["start_beat"]) == pytest.approx(o["start_beat"]) and float(r["end_beat"]) == pytest.approx(
            o["end_beat"])
        assert (r["start_bar"], r["end_bar"]) == (str(o["start_bar"]), str(o["end_bar"]))

    lines = [line.split("\t") for line in (out / "bwv130.6.motifs.labels.txt").read_text().splitlines()]
    # a label says the occurrence and where it is: "Motif A1 (Soprano, top line)" (the JSON's line)
    assert sorted(text for *_, text in lines) == sorted(f'{o["text"]} ({o["line"]})' for o in by_label.values())
    for start, stop, text in lines:
        o = next(o for o in by_label.values() if f'{o["text"]} ({o["line"]})' == text)
        assert float(start) == pytest.approx(o["start_seconds"], abs=1e-5)
        assert float(stop) == pytest.approx(o["end_seconds"], abs=1e-5)


def test_midi_markers_and_lyrics_sit_at_each_occurrences_first_note(run: tuple[Path, dict]) -> None:
    out, report = run
    midi = mido.MidiFile(out / "bwv130.6.motifs.mid")
    found: dict[str, list[tuple[str, float]]] = {"marker": [], "lyrics": []}
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type in found:
                found[msg.type].append((msg.text, tick / midi.ticks_per_beat))
    text_of = statement_texts(report)  # one mark per statement: "Motif A3 = B1" for two families' same notes
    want = sorted({(text_of[o["family"], o["number"]], min(n["onset"] for n in o["notes"])) for o in occurrences(report)})
    # one lyric per note: statements starting on one note of a track share it ("Motif A1 + B1"), one name each
    got = sorted((f"Motif {name}", beat) for text, beat in found["lyrics"] for names, _ in parts(text) for name in names)
    assert [t for t, _ in got] == [t for t, _ in want]
    assert [b for _, b in got] == pytest.approx([b for _, b in want], abs=1e-3)
    # one marker per moment (session 26), naming each statement there and where, as a label does:
    # "Motif A1 (Soprano, top line)"; the line's words where its track has another note starting there
    assert_lane(midi, {f'{o["family"]}{o["number"]}': round(min(n["onset"] for n in o["notes"]) * midi.ticks_per_beat)
                       for o in occurrences(report)})
    for o in occurrences(report):
        (_, where), = find(midi, f'{o["family"]}{o["number"]}')
        assert where in (o["line"], o["line"].split(", ")[0])


def test_musicxml_has_one_label_and_bracket_per_occurrence_in_its_colour(run: tuple[Path, dict]) -> None:
    """(One per statement: two families' occurrences of the same notes share one, "Motif A3 = B1".)"""
    out, report = run
    xml = (out / "bwv130.6.motifs.musicxml").read_text(encoding="utf-8")
    words = re.findall(r'<words color="(#[0-9A-Fa-f]{6})"(?: font-size="10")?>(Motif [A-Z]+[0-9]+(?: = [A-Z]+[0-9]+)*)(?:&#160;)*</words>',
                       xml)  # a label less its room (musicxml_room)
    colour = {m["name"]: m["color"] for m in report["motifs"]}
    assert sorted(w for _, w in words) == sorted(set(statement_texts(report).values()))
    assert all(c.lower() == colour[w.split()[1].rstrip("0123456789")].lower() for c, w in words)
    starts = len(re.findall(r'<bracket type="start"', xml))
    assert starts == len(re.findall(r'<bracket type="stop"', xml)) == len(words)  # <= 6 open at once here
