"""Note-level output (issue 10 item 4): an occurrence is its notes, in every output.

Families are built the way :mod:`motifcli.discovery` hands them over (note references, a
transposition, a similarity, a salience) from real notes of real scores, turned into an
Annotation by :func:`motifcli.families.to_annotation`, and written by the real writers; what
comes out is read back with independent parsers (music21, mido, mir_eval, csv, jsonschema).
"""

from __future__ import annotations

import csv
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import mido
import pytest

import motifcli
from motifcli import writers
from motifcli.annotation import Annotation
from motifcli.errors import UsageError
from motifcli.families import discovery_options, to_annotation
from motifcli.readers import read_score
from motifcli.score import Score
from motifcli.settings import Settings
from writers_fixtures import pop909_path

music21 = pytest.importorskip("music21")

DOCS = Path(__file__).resolve().parents[1] / "docs"
CORPUS = {p.name: p for p in music21.corpus.getPaths()}


# discovery's hand-over types, as motifcli/discovery/types.py defines them (duck-typed here so
# these tests run before and after the discovery stage is merged)
@dataclass(frozen=True)
class NoteRef:
    track: int
    index: int
    voice: int
    onset: float
    offset: float
    pitch: int


@dataclass(frozen=True)
class Occ:
    notes: tuple[NoteRef, ...]
    transposition: int
    similarity: float


@dataclass(frozen=True)
class Fam:
    label: str
    occurrences: tuple[Occ, ...]
    salience: float


def refs(score: Score, track: int, indices: list[int], voice: int = 0) -> tuple[NoteRef, ...]:
    notes = score.tracks[track].notes
    return tuple(NoteRef(track, i, voice, notes[i].onset, notes[i].offset, notes[i].pitch) for i in indices)


def rag_families(score: Score) -> list[Fam]:
    """Two families on the Maple Leaf Rag's one (grand-staff) part: the most salient in the right
    hand's top notes, the second in the left hand's low notes (staff 2), one occurrence transposed."""
    notes = score.tracks[0].notes
    high = [i for i, n in enumerate(notes) if n.pitch >= 72]
    low = [i for i, n in enumerate(notes) if n.pitch <= 45]
    a = Fam("A", (Occ(refs(score, 0, high[0:5]), 0, 1.0), Occ(refs(score, 0, high[40:45]), 2, 0.8)), 0.3)
    b = Fam("B", (Occ(refs(score, 0, low[10:14], 1), 0, 1.0), Occ(refs(score, 0, low[2:6], 1), -5, 0.9),
                  Occ(refs(score, 0, low[30:34], 1), 0, 0.7)), 0.1)
    return [a, b]


@pytest.fixture(scope="module")
def rag() -> tuple[Score, Annotation, list[Fam]]:
    score = read_score(CORPUS["maple_leaf_rag.mxl"])
    families = rag_families(score)
    return score, to_annotation(score, families, Settings(unit="note", min_notes=3)), families


def test_families_become_schema_2_occurrences_of_exactly_their_notes(rag):
    score, annotation, families = rag
    assert [m.name for m in annotation.motifs] == ["A", "B"]  # discovery's order: most salient first
    assert [m.rank for m in annotation.motifs] == [1, 2]
    assert [m.salience for m in annotation.motifs] == [0.3, 0.1]
    b = annotation.motifs[1]
    # numbered in time order; each keeps its own transposition and similarity
    assert [o.start for o in b.occurrences] == sorted(o.start for o in b.occurrences)
    assert [o.transposition for o in b.occurrences] == [-5, 0, 0]
    assert [o.similarity for o in b.occurrences] == [0.9, 1.0, 0.7]
    for motif, family in zip(annotation.motifs, families):
        given = {tuple((r.track, r.index) for r in o.notes) for o in family.occurrences}
        got = {tuple((n.track, n.index) for n in o.notes) for o in motif.occurrences}
        assert got == given
        for occ in motif.occurrences:
            track = score.tracks[occ.track].notes
            assert all((n.onset, n.offset, n.pitch, n.velocity) == (track[n.index].onset, track[n.index].offset,
                       track[n.index].pitch, track[n.index].velocity) for n in occ.notes)
            # beats and bars are summaries of the notes
            assert occ.start == min(n.onset for n in occ.notes) and occ.end == max(n.offset for n in occ.notes)
            assert occ.start_bar == score.bar_number_at(occ.start) <= occ.end_bar
            assert occ.note_indices == [n.index for n in occ.notes]
    assert {n.voice for o in b.occurrences for n in o.notes} == {1}


def test_json_schema_2_validates_and_reads_back(rag, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    score, annotation, _ = rag
    dest = tmp_path / "rag.motifs.json"
    writers.write(annotation, score, "json", dest)
    data = json.loads(dest.read_text())
    schema = json.loads((DOCS / "annotation.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["schema_version"] == "2.0"
    assert [(m["name"], m["rank"]) for m in data["motifs"]] == [("A", 1), ("B", 2)]
    note = data["motifs"][1]["occurrences"][0]["notes"][0]
    assert set(note) == {"track", "index", "onset", "offset", "pitch", "velocity", "voice", "staff"}  # a piano: 2 staves
    assert Annotation.from_dict(data).to_dict() == annotation.to_dict()
    for broken in ({"transposition": 1.5}, {"notes": [{"onset": 1.0, "offset": 2.0, "pitch": 60}]}):
        bad = json.loads(json.dumps(data))
        bad["motifs"][0]["occurrences"][0].update(broken)  # a fractional transposition, a note with no track
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    bad = json.loads(json.dumps(data))
    del bad["motifs"][0]["rank"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_schema_1_files_still_read():
    old = {
        "schema_version": "1.0", "source": "x.mid", "model": {}, "settings": {}, "tracks": ["T0", "MELODY"],
        "motifs": [{"name": "A", "color": "#E69F00", "occurrences": [
            {"label": "A1", "family": "A", "number": 1, "track": 1, "track_name": "MELODY", "start_beat": 4.0,
             "end_beat": 8.0, "start_bar": 2, "end_bar": 2, "similarity": 1.0,
             "notes": [{"onset": 4.5, "offset": 5.0, "pitch": 65, "velocity": 100}], "note_indices": [7]},
        ]}],
    }
    back = Annotation.from_dict(old)
    note = back.motifs[0].occurrences[0].notes[0]
    assert (note.track, note.index, note.pitch, note.voice) == (1, 7, 65, None)
    assert back.motifs[0].rank == 0 and back.motifs[0].occurrences[0].transposition is None
    assert back.to_dict()["schema_version"] == "2.0"
    with pytest.raises(ValueError, match="schema_version"):
        Annotation.from_dict({**old, "schema_version": "3.0"})


def test_musicxml_colours_exactly_the_notes_and_brackets_them_in_their_staff(rag, tmp_path):
    score, annotation, _ = rag
    dest = tmp_path / "rag.motifs.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    parsed = music21.converter.parse(dest, forceSource=True)
    staves = list(parsed.parts)  # a grand staff comes back as two PartStaffs: right hand, left hand
    assert len(staves) == 2
    coloured = {}
    for staff_no, staff in enumerate(staves, start=1):
        for n in staff.recurse().notes:
            for sub in (n.notes if n.isChord else [n]):
                colour = (sub.style.color if sub.hasStyleInformation else None) or (
                    n.style.color if n.isChord and n.hasStyleInformation else None)
                if colour:
                    coloured[(float(n.getOffsetInHierarchy(parsed)), sub.pitch.midi)] = (colour.upper(), staff_no)
    expected = {}
    for motif in annotation.motifs:
        for occ in motif.occurrences:
            for n in occ.notes:
                expected[(n.onset, n.pitch)] = motif.color.upper()
    # every note of every occurrence, in its family's colour; nothing else but their tied pieces
    assert {k: coloured[k][0] for k in expected if k in coloured} == expected
    for (onset, pitch), (colour, _) in coloured.items():
        assert any(n.pitch == pitch and n.onset <= onset < n.offset for o in annotation.occurrences for n in o.notes)
    assert {coloured[(n.onset, n.pitch)][1] for o in annotation.motif("B").occurrences for n in o.notes} == {2}
    # the label (and its bracket) at the first note, in the staff of that note
    texts = {}
    for staff_no, staff in enumerate(staves, start=1):
        for te in staff.recurse().getElementsByClass("TextExpression"):
            if te.content.startswith("Motif "):
                texts[te.content] = (float(te.getOffsetInHierarchy(parsed)), staff_no)
    for occ in annotation.occurrences:
        assert texts[occ.text] == (occ.notes[0].onset, 2 if occ.family == "B" else 1)
    raw = dest.read_bytes()
    # start + stop, and the key to the marks under the bottom staff (musicxml_key)
    assert raw.count(b"<staff>2</staff></direction>") == 2 * len(annotation.motif("B").occurrences) + 1


def test_midi_markers_at_the_first_note_and_mirex_lists_the_notes(tmp_path):
    mir_eval = pytest.importorskip("mir_eval")
    score = read_score(pop909_path("021"))
    melody = next(t for t in score.tracks if t.name == "MELODY")
    fams = [
        Fam("A", (Occ(refs(score, melody.index, [3, 4, 5, 6]), 0, 1.0),
                  Occ(refs(score, melody.index, [40, 41, 42, 43]), 0, 0.8)), 0.2),
        Fam("B", (Occ(refs(score, melody.index, [10, 11, 12]), 0, 1.0),
                  Occ(refs(score, melody.index, [60, 61, 62]), 3, 0.75)), 0.1),
    ]
    annotation = to_annotation(score, fams, Settings(unit="note", min_notes=3))
    dest = tmp_path / "021.motifs.mid"
    writers.write(annotation, score, "midi", dest, lyrics=True)
    out = mido.MidiFile(dest)
    tpb = out.ticks_per_beat

    def metas(track, kind):
        tick, found = 0, []
        for msg in track:
            tick += msg.time
            if msg.type == kind:
                found.append((tick, msg.text))
        return sorted(found)

    want = sorted((round(o.notes[0].onset * tpb), o.text) for o in annotation.occurrences)
    # (the melody's first note is the only note of its track starting there: the marker names the track, no
    # "top line", since session 26's one-marker-per-moment lane; these four start on four different ticks)
    assert metas(out.tracks[0], "marker") == sorted((t, f"{text} ({melody.name})") for t, text in want)
    assert metas(out.tracks[melody.source_index], "lyrics") == want

    mirex = tmp_path / "021.motifs.mirex.txt"
    writers.write(annotation, score, "mirex", mirex)
    patterns = mir_eval.io.load_patterns(str(mirex))
    assert [[[(round(t, 5), p) for t, p in occ] for occ in pat] for pat in patterns] == [
        [[(round(n.onset, 5), float(n.pitch)) for n in o.notes] for o in m.occurrences] for m in annotation.ranked
    ]

    table = tmp_path / "021.motifs.csv"
    writers.write(annotation, score, "csv", table)
    rows = list(csv.DictReader(table.open(newline="")))
    assert [(r["label"], r["rank"], r["transposition"], r["note_count"]) for r in rows] == [
        (o.label, str(annotation.motif(o.family).rank), str(o.transposition), str(len(o.notes)))
        for o in annotation.occurrences
    ]
    labels = tmp_path / "021.motifs.labels.txt"
    writers.write(annotation, score, "labels", labels)
    first = labels.read_text().splitlines()[0].split("\t")
    occ = min(annotation.occurrences, key=lambda o: o.notes[0].onset)
    assert float(first[0]) == pytest.approx(float(score.seconds_at(occ.notes[0].onset)), abs=1e-6)
    assert float(first[1]) == pytest.approx(float(score.seconds_at(max(n.offset for n in occ.notes))), abs=1e-6)


def test_max_families_min_notes_and_order_in_to_annotation(rag):
    score, _, families = rag
    capped = to_annotation(score, families, Settings(unit="note", max_families=1, min_notes=3))
    assert [m.name for m in capped.motifs] == ["A"]
    strict = to_annotation(score, families, Settings(unit="note", min_notes=5))
    assert [m.name for m in strict.motifs] == ["A"]  # B's statements have 4 notes
    assert strict.motifs[0].occurrences[0].notes[0].pitch >= 72


def test_sensitivity_and_min_notes_reach_discovery():
    assert discovery_options(Settings(unit="note")) == {
        "min_notes": 4, "variant_tolerance": 1.0, "use_variants": True, "texture_similarity": 0.4,
        "texture_model": "cluster", "texture_model_sensitivity": 0.5,
    }
    opts = discovery_options(Settings(unit="note", sensitivity=0.0, min_notes=6, max_families=3))
    assert opts == {"min_notes": 6, "max_families": 3, "variant_tolerance": 0.0, "use_variants": False,
                    "texture_similarity": 1.0,  # sensitivity also sets texture families' bar similarity ...
                    "texture_model": "cluster", "texture_model_sensitivity": 0.0,  # ... and the model's cut
                    "cell_min_notes": 6,  # an explicit --min-notes bounds the short cells too
                    "short_piece_notes": 0}  # ... and a short tune's motifs (no 3-note search, phase19-folk19.md)
    assert Settings(unit="bar").fewest_notes == 1 and Settings(unit="note").fewest_notes == 4
    assert Settings().unit == "note" and Settings().fewest_notes == 4  # note is the default unit


@pytest.mark.parametrize(
    "options, message",
    [({"unit": "beat"}, "unit must be one of bar, note"), ({"max_families": 0}, "max_families"),
     ({"min_notes": 0}, "min_notes")],
)
def test_bad_unit_and_counts_are_usage_errors(options, message):
    with pytest.raises(UsageError, match=message):
        Settings(**options)


def test_unit_note_runs_discovery_or_says_it_is_not_there(rawroll_model):
    score = read_score(pop909_path("021"))
    if importlib.util.find_spec("motifcli.discovery") is None:
        with pytest.raises(UsageError, match="--unit note is not available yet"):
            motifcli.annotate(score, rawroll_model, unit="note")
        return
    annotation = motifcli.annotate(score, rawroll_model, unit="note", max_families=5)
    assert 0 < len(annotation.motifs) <= 5
    assert [m.rank for m in annotation.motifs] == list(range(1, len(annotation.motifs) + 1))
    assert all(len(o.notes) >= 4 for o in annotation.occurrences)


def test_bar_level_max_families_keeps_the_most_salient(rawroll_model):
    score = read_score(pop909_path("021"))
    full = motifcli.annotate(score, rawroll_model, sensitivity=0.3, unit="bar")
    assert len(full.motifs) > 2
    assert sorted(m.rank for m in full.motifs) == list(range(1, len(full.motifs) + 1))
    by_rank = full.ranked
    assert [m.salience for m in by_rank] == sorted((m.salience for m in full.motifs), reverse=True)
    capped = motifcli.annotate(score, rawroll_model, sensitivity=0.3, max_families=2, unit="bar")
    assert [m.name for m in capped.motifs] == ["A", "B"]  # renamed by first appearance, no gaps
    kept = sorted(by_rank[:2], key=lambda m: min((o.start, o.track) for o in m.occurrences))
    assert [[(o.track, o.start, o.end) for o in m.occurrences] for m in capped.motifs] == [
        [(o.track, o.start, o.end) for o in m.occurrences] for m in kept
    ]


@pytest.mark.parametrize(
    "flags, message",
    [(["--unit", "beat"], "--unit must be one of bar, note"), (["--max-families", "0"], "--max-families must be"),
     (["--min-notes", "0"], "--min-notes must be")],
)
def test_cli_bad_unit_and_counts_exit_2(tmp_path, rawroll_path, flags, message):
    from typer.testing import CliRunner

    from motifcli.cli import app

    song = tmp_path / "021.mid"
    song.write_bytes(pop909_path("021").read_bytes())
    result = CliRunner().invoke(app, ["annotate", str(song), "--model", str(rawroll_path), *flags])
    assert result.exit_code == 2 and message in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["021.mid"]  # nothing written


def test_cli_max_families_and_unit(tmp_path, rawroll_path):
    from typer.testing import CliRunner

    from motifcli.cli import app

    song = tmp_path / "021.mid"
    song.write_bytes(pop909_path("021").read_bytes())
    runner = CliRunner()
    result = runner.invoke(app, ["annotate", str(song), "--model", str(rawroll_path), "-f", "json",
                                 "--max-families", "2", "--sensitivity", "0.3", "-q", "--unit", "bar"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "021.motifs.json").read_text())
    assert [m["name"] for m in data["motifs"]] == ["A", "B"] and sorted(m["rank"] for m in data["motifs"]) == [1, 2]
    assert data["settings"]["unit"] == "bar" and data["settings"]["max_families"] == 2
    result = runner.invoke(app, ["annotate", str(song), "--model", str(rawroll_path), "-f", "json",
                                 "-o", str(tmp_path / "note.json")])  # no --unit: the default, note
    if importlib.util.find_spec("motifcli.discovery") is None:
        assert result.exit_code == 2 and "--unit note is not available yet" in result.output
        assert not (tmp_path / "note.json").exists()
    else:
        assert result.exit_code == 0, result.output
        assert json.loads((tmp_path / "note.json").read_text())["settings"]["unit"] == "note"


def test_note_level_bars_come_from_the_runs_meter_map(rag):
    """--unit note numbers an occurrence's bars (and labels) by the run's meter map (--meter /
    --bar-offset), else the score's own; the report records that map in its ``meter`` field."""
    from dataclasses import replace

    from motifcli.meter import MeterMap

    score, annotation, families = rag
    assert annotation.meter is not None and annotation.meter["source"] == "written"
    for occ in annotation.occurrences:  # the score's written bars
        assert occ.start_bar_label == score.bar_label_at(occ.start)
        assert occ.end_bar == score.bar_number_at(occ.end - 1e-3)
    # a run in 3/4 with a one-beat pickup: other bars than the rag's written 2/4
    meter = MeterMap.regular(3.0, 1.0, float(score.end_beat), 3, 4, source="user")
    run = replace(Settings(unit="note", min_notes=3, meter="3/4"), meter_map=meter)
    other = to_annotation(score, families, run)
    assert other.meter == run.meter_dict() and other.meter["source"] == "user"
    moved = 0
    for occ, before in zip(other.occurrences, annotation.occurrences):
        first, last = meter.bar_index_at(occ.start), meter.bar_index_at(occ.end - 1e-3)
        assert (occ.start_bar, occ.end_bar) == (meter.bar_value(first), meter.bar_value(last))
        assert (occ.start_bar_label, occ.end_bar_label) == (meter.bars[first].number, meter.bars[last].number)
        moved += occ.start_bar != before.start_bar
    assert moved > 0  # the map was really used
    doc = other.to_dict()["motifs"][0]["occurrences"][0]
    assert doc["start_bar_label"] == other.motifs[0].occurrences[0].start_bar_label


def test_track_restricts_note_level_discovery_to_that_track():
    """``--track`` at note level: discovery sees that track only (its notes keep their track
    numbers); all tracks give families in several; an unknown track is a usage error."""
    score = read_score(Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid")
    names = [t.name for t in score.tracks]
    everything = motifcli.annotate(score)
    assert len({o.track for m in everything.motifs for o in m.occurrences}) > 1
    for track, index in (("MELODY", names.index("MELODY")), (str(names.index("PIANO")), names.index("PIANO"))):
        only = motifcli.annotate(score, track=track)
        assert only.motifs, track
        assert {n.track for m in only.motifs for o in m.occurrences for n in o.notes} == {index}
        assert {o.track for m in only.motifs for o in m.occurrences} == {index}
        for m in only.motifs:  # the notes are the score's own, at their own indices
            for o in m.occurrences:
                for n in o.notes:
                    assert score.tracks[index].notes[n.index].pitch == n.pitch
    with pytest.raises(UsageError, match="no track named"):
        motifcli.annotate(score, track="NOPE")
