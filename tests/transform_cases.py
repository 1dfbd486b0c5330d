"""What the tests of the three transformation options share (inversions, augmentations, retrogrades).

Each option's test file builds a two-voice case (a subject in one part, its transformed answer in the
other) written with music21 to MusicXML and MIDI, and checks the report (JSON against the schema, CSV,
labels), the MuseScore plugin, the CLI flag and MuseScore's rendering the same way: those steps live
here once, each file keeps what is its option's own (the answer, the expected fields and marks).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from music21 import meter, note, stream

import motifcli
from conftest import REPO
from test_musescore import MuseScore, motif_annotate, plugin_and_writer, read_mscx

SUBJECT = [(60, 0.5), (62, 0.25), (64, 0.25), (65, 0.5), (62, 0.5), (67, 1.0), (64, 0.5), (72, 0.5)]  # C D E F D G E C'


def part(events: list[tuple[int | None, float]], name: str) -> stream.Part:
    """A part in 4/4 from (MIDI pitch or None for a rest, quarter length) events."""
    out = stream.Part()
    out.partName = name
    out.append(meter.TimeSignature("4/4"))
    for pitch, length in events:
        out.append(note.Rest(quarterLength=length) if pitch is None else note.Note(pitch, quarterLength=length))
    return out


def write(parts: list[stream.Part], folder: Path, name: str) -> dict[str, Path]:
    """The parts as one score, written to MusicXML and MIDI (both readers are tested)."""
    score = stream.Score(parts)
    paths = {"musicxml": folder / f"{name}.musicxml", "midi": folder / f"{name}.mid"}
    score.write("musicxml", fp=paths["musicxml"])
    score.write("midi", fp=paths["midi"])
    return paths


def one_family(path: Path, **option: int) -> tuple:
    """The case read back: without the option no family (each line alone does not repeat), with it one
    family of two statements, returned as (prime, answer)."""
    from motifcli.discovery import DiscoverySettings, discover

    score = motifcli.read_score(path)
    assert discover(score) == []  # each line alone does not repeat
    (family,) = discover(score, None, DiscoverySettings(**option))
    prime, answer = family.occurrences
    return prime, answer


def report(path: Path, option: str, tmp_path: Path) -> tuple[list[dict], dict, list[dict[str, str]]]:
    """``motif annotate`` with ``option`` on: the JSON valid against the schema and read back equal, every
    label a label of motif's, and off by default (no family, no settings key). Returns the first motif's
    occurrences, the JSON's settings and the CSV rows."""
    jsonschema = pytest.importorskip("jsonschema")
    from motifcli import writers
    from motifcli.annotation import LABEL_TEXT, Annotation
    from motifcli.settings import Settings
    from motifcli.writers import csv_out
    from motifcli.writers.shared import statements

    score = motifcli.read_score(path)
    annotation = motifcli.annotate(score, settings=Settings(**{option: True}))
    writers.write(annotation, score, "json", tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text())
    jsonschema.validate(data, json.loads((REPO / "docs" / "annotation.schema.json").read_text()))
    assert Annotation.from_dict(data).to_dict() == annotation.to_dict()
    rows = list(csv.DictReader(io.StringIO(csv_out.render(annotation, score))))
    assert all(LABEL_TEXT.fullmatch(s.text) for s in statements(annotation))
    plain = motifcli.annotate(score)  # off by default: no family, and no settings key written
    writers.write(plain, score, "json", tmp_path / "plain.json")
    assert plain.motifs == [] and option not in json.loads((tmp_path / "plain.json").read_text())["settings"]
    return data["motifs"][0]["occurrences"], data["settings"], rows


def plugin_js() -> str:
    return (REPO / "plugins" / "musescore" / "motif.js").read_text(encoding="utf-8")


def assert_plugin_knows(js: str, texts: tuple[str, ...]) -> None:
    """The plugin's label pattern (how it knows a label as its own) is the writers' (annotation._LABEL) and
    its TEXT_PATTERN, built from it, matches every text."""
    from motifcli.annotation import _LABEL, LABEL_TEXT

    label = re.search(r'^var LABEL = "(.*)";$', js, re.M)
    assert label is not None and "var TEXT_PATTERN = new RegExp(\"^Motif \" + LABEL + \"(?: = \" + LABEL + \")*$\");" in js
    assert label.group(1).replace("\\\\", "\\") == _LABEL  # a JS string literal: each backslash doubled
    for text in texts:
        assert LABEL_TEXT.fullmatch(text), text


def cli_lengths(option: str) -> tuple[int, int, int, int]:
    """The option's note length from the CLI flag: on, on with --min-notes 8, off, and with --inversions only."""
    from motifcli.families import discovery_settings
    from motifcli.options import build_settings

    return (getattr(discovery_settings(build_settings(**{option: True})), option),
            getattr(discovery_settings(build_settings(**{option: True, "min_notes": 8})), option),
            getattr(discovery_settings(build_settings()), option),
            getattr(discovery_settings(build_settings(inversions=True)), option))


def musescore_shows(xml_in: Path, tmp_path: Path, musescore: MuseScore, flag: str, mark: str) -> list[dict]:
    """``motif annotate FLAG`` on ``xml_in``: the annotated MusicXML and the plugin applying the JSON report,
    both opened in MuseScore, show "Motif A1" and ``mark``. Returns the report's first motif's occurrences."""
    xml, report = motif_annotate(xml_in, tmp_path / "out", flag)
    by_plugin, by_writer, log = plugin_and_writer(musescore, xml_in, xml, report, tmp_path)
    for path in (by_plugin, by_writer):
        texts = {t.text for t in read_mscx(path).texts}
        assert {"Motif A1", mark} <= texts, (path.name, texts, log)
    return report["motifs"][0]["occurrences"]
