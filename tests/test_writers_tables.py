"""JSON (against its published schema), CSV, MIREX (through mir_eval) and label-track outputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import mido
import numpy as np
import pytest

from motifcli import writers
from motifcli.annotation import Annotation
from motifcli.readers.midi import read_midi
from writers_fixtures import labelled_annotation, needs_data, pop909_path

pytestmark = needs_data
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def song():
    score = read_midi(pop909_path("039"))  # 14 tempo changes
    return score, labelled_annotation(score, "039", "MELODY")


def test_json_validates_against_the_schema_and_reads_back(song, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    score, annotation = song
    dest = tmp_path / "039.motifs.json"
    writers.write(annotation, score, "json", dest)
    text = dest.read_text(encoding="utf-8")
    assert text.startswith('{\n  "schema_version": "2.0"')  # indent 2; schema 2 = note-level occurrences
    data = json.loads(text)
    schema = json.loads((DOCS / "annotation.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    back = Annotation.from_dict(data)
    assert back.to_dict() == annotation.to_dict()
    first = data["motifs"][0]["occurrences"][0]
    assert first["text"] == "Motif A1"
    assert first["start_seconds"] == pytest.approx(float(score.seconds_at(first["start_beat"])), abs=1e-5)
    # the schema is not a rubber stamp: broken documents fail it
    broken = json.loads(text)
    broken["motifs"][0]["occurrences"][0]["start_bar"] = -1  # 0 is a pickup bar, below is nothing
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    del broken["motifs"][0]["color"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_json_example_in_the_docs_validates():
    jsonschema = pytest.importorskip("jsonschema")
    doc = (DOCS / "json-schema.md").read_text()
    example = doc.split("```json", 1)[1].split("```", 1)[0]
    schema = json.loads((DOCS / "annotation.schema.json").read_text())
    jsonschema.validate(json.loads(example), schema)


def test_csv_one_row_per_occurrence(song, tmp_path):
    score, annotation = song
    dest = tmp_path / "039.motifs.csv"
    writers.write(annotation, score, "csv", dest)
    with open(dest, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "label", "family", "number", "track", "track_name", "start_beat", "end_beat", "start_bar",
        "end_bar", "start_seconds", "end_seconds", "similarity", "note_count", "rank", "transposition",
        "staff", "voice", "line", "inverted", "time_scale", "retrograde",
    ]  # schema 2 adds rank, transposition, where it is and (session 18) inverted, time_scale, retrograde at the end (schema 1 readers keep their columns)
    occurrences = annotation.occurrences
    ranks = {m.name: m.rank for m in annotation.motifs}
    assert [r["label"] for r in rows] == [o.label for o in occurrences]
    for row, occ in zip(rows, occurrences):
        assert row["family"] + row["number"] == occ.label
        assert (int(row["track"]), row["track_name"]) == (occ.track, "MELODY")
        assert float(row["start_beat"]) == pytest.approx(occ.start, abs=1e-6)
        assert float(row["end_beat"]) == pytest.approx(occ.end, abs=1e-6)
        assert (int(row["start_bar"]), int(row["end_bar"])) == (occ.start_bar, occ.end_bar)
        assert int(row["note_count"]) == len(occ.notes)
        assert float(row["end_seconds"]) > float(row["start_seconds"])
        assert float(row["similarity"]) == pytest.approx(occ.similarity, abs=1e-6)
        assert int(row["rank"]) == ranks[occ.family]
        assert row["transposition"] == ("" if occ.transposition is None else str(occ.transposition))


def test_mirex_loads_in_mir_eval_and_scores_one_against_itself(song, tmp_path):
    mir_eval = pytest.importorskip("mir_eval")
    score, annotation = song
    dest = tmp_path / "039.motifs.mirex.txt"
    writers.write(annotation, score, "mirex", dest)
    patterns = mir_eval.io.load_patterns(str(dest))
    kept = [m for m in annotation.motifs if any(o.notes for o in m.occurrences)]
    assert len(patterns) == len(kept) >= 3
    for pattern, motif in zip(patterns, kept):
        occs = sorted((o for o in motif.occurrences if o.notes), key=lambda o: o.start)
        assert len(pattern) == len(occs)
        for got, occ in zip(pattern, occs):
            assert got == [(pytest.approx(n.onset, abs=1e-5), float(n.pitch)) for n in occ.notes]
    assert mir_eval.pattern.establishment_FPR(patterns, patterns) == pytest.approx((1.0, 1.0, 1.0))
    # and it tells a different answer apart
    other = patterns[1:]
    f, p, r = mir_eval.pattern.establishment_FPR(patterns, other)
    assert p == pytest.approx(1.0) and r < 1.0 and f < 1.0


def test_labels_follow_the_real_tempo_map(song, tmp_path):
    score, annotation = song
    dest = tmp_path / "039.motifs.labels.txt"
    writers.write(annotation, score, "labels", dest)
    lines = dest.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(annotation.occurrences)

    # seconds computed independently with mido from the file's own tempo events
    midi = mido.MidiFile(score.path)
    tempos = sorted(
        (tick, msg.tempo)
        for track in midi.tracks
        for tick, msg in _absolute(track)
        if msg.type == "set_tempo"
    )
    assert len({t for _, t in tempos}) >= 5  # really a song with several tempos

    def seconds(beat: float) -> float:
        target = beat * midi.ticks_per_beat
        total, last_tick, tempo = 0.0, 0, 500_000
        for tick, new_tempo in tempos:
            if tick >= target:
                break
            total += mido.tick2second(tick - last_tick, midi.ticks_per_beat, tempo)
            last_tick, tempo = tick, new_tempo
        return total + mido.tick2second(target - last_tick, midi.ticks_per_beat, tempo)

    constant = 60 / (60_000_000 / tempos[0][1])

    def span(occ):  # an occurrence is its notes: first note's onset to last note's end
        if not occ.notes:
            return occ.start, occ.end
        return min(n.onset for n in occ.notes), max(n.offset for n in occ.notes)

    expected = sorted(annotation.occurrences, key=lambda o: (span(o)[0], o.track, o.family, o.number))
    assert any(span(o) != (o.start, o.end) for o in expected)  # the notes, not the labelled region
    for line, occ in zip(lines, expected):
        start, end, label = line.split("\t")
        assert label == f"{occ.text} ({occ.line})" and label.startswith("Motif ")
        assert float(start) == pytest.approx(seconds(span(occ)[0]), abs=2e-6)
        assert float(end) == pytest.approx(seconds(span(occ)[1]), abs=2e-6)
    # late labels really differ from a one-tempo guess
    last = annotation.occurrences[-1]
    assert abs(seconds(last.start) - last.start * constant) > 0.5


def _absolute(track):
    tick = 0
    for msg in track:
        tick += msg.time
        yield tick, msg


def test_empty_annotation_writes_valid_empty_files(song, tmp_path):
    score, _ = song
    empty = Annotation(source=str(score.path), motifs=[])
    for fmt in ("json", "csv", "mirex", "labels"):
        writers.write(empty, score, fmt, tmp_path / f"e{writers.FORMATS[fmt]}")
    assert (tmp_path / "e.mirex.txt").read_text() == ""
    assert (tmp_path / "e.labels.txt").read_text() == ""
    assert (tmp_path / "e.csv").read_text().count("\n") == 1
    assert json.loads((tmp_path / "e.json").read_text())["motifs"] == []
