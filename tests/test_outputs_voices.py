"""Every output names and marks the notes of the voice an occurrence is in (phase15-formats15.md).

Session 14 gave discovery two new kinds of lines: a MusicXML staff's written voices (JSON ``voice``
10 + n) and a MIDI staff separated into its lines (100 + r). Where two voices of one part sound the
same pitch at the same onset (a unison), an occurrence's note must still be only its own: the
annotated MusicXML colours the note of the occurrence's staff and voice, not its unison double.
Small scores written here, read and written by motif's reader and writer, checked with ElementTree.
Then a chorale's keyboard reduction as MIDI and as MusicXML through ``motif annotate``: every table
(JSON ``line``, CSV ``staff``/``voice``/``line``, labels) says in words which line an occurrence is
in, MIREX lists its own notes, and its MIDI lyric stands on its first note's track at that note (and
names the line where two notes of the track start there).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mido
import mir_eval.io
import pytest

from benchmarks.formats_voices import starts_and_lyrics
from conftest import REPO, subprocess_env
from marker_lane import parts
from motifcli.annotation import Annotation
from motifcli.readers import read_score
from test_writers_musicxml_voices import annotate, backup, document, note, walk


def coloured_voices(data: bytes) -> list[tuple[Fraction, str, str, str]]:
    """(time, pitch, staff, written voice) of every coloured note."""
    return [(t, el.findtext("pitch/step") + el.findtext("pitch/octave"), el.findtext("staff") or "1",
             el.findtext("voice")) for el, t, _ in walk(data) if el.tag == "note" and el.get("color")]


# voice 1: G4 A4 B4 C5 quarters; voice 2 starts on the same G4 (a unison) and descends in halves
UNISON = [note("G4", 1, 1), note("A4", 1, 1), note("B4", 1, 1), note("C5", 1, 1), backup(4),
          note("G4", 2, 2), note("F4", 2, 2)]


def test_an_occurrence_of_voice_1_colours_its_own_note_of_a_unison(tmp_path: Path) -> None:
    occ = [[(0.0, 67, 1.0), (1.0, 69, 2.0)], [(4.0, 67, 5.0), (5.0, 69, 6.0)]]
    report, data = annotate(tmp_path, document([UNISON, UNISON]), occ)
    assert coloured_voices(data) == [(Fraction(0), "G4", "1", "1"), (Fraction(1), "A4", "1", "1"),
                                     (Fraction(4), "G4", "1", "1"), (Fraction(5), "A4", "1", "1")]


def test_an_occurrence_of_voice_2_colours_its_own_note_of_a_unison(tmp_path: Path) -> None:
    occ = [[(0.0, 67, 2.0), (2.0, 65, 4.0)], [(4.0, 67, 6.0), (6.0, 65, 8.0)]]
    _, data = annotate(tmp_path, document([UNISON, UNISON]), occ)
    assert coloured_voices(data) == [(Fraction(0), "G4", "1", "2"), (Fraction(2), "F4", "1", "2"),
                                     (Fraction(4), "G4", "1", "2"), (Fraction(6), "F4", "1", "2")]


def test_a_unison_across_the_staves_of_a_part_colours_the_occurrences_staff(tmp_path: Path) -> None:
    """Alto (staff 1, voice 2) and tenor (staff 2, voice 5) meet on one F4, as in a keyboard
    reduction of Palestrina's Agnus Dei (music21's palestrina/Agnus_01, beat 65): the tenor's
    occurrence colours the tenor's F4 only."""
    bar = [note("C5", 4, 1, 1), backup(4), note("F4", 2, 2, 1), note("E4", 2, 2, 1), backup(4),
           note("F4", 1, 5, 2), note("G4", 1, 5, 2), note("A4", 2, 5, 2)]
    occ = [[(0.0, 65, 1.0), (1.0, 67, 2.0)], [(4.0, 65, 5.0), (5.0, 67, 6.0)]]
    _, data = annotate(tmp_path, document([bar, bar], staves=2), occ)
    assert coloured_voices(data) == [(Fraction(0), "F4", "2", "5"), (Fraction(1), "G4", "2", "5"),
                                     (Fraction(4), "F4", "2", "5"), (Fraction(5), "G4", "2", "5")]


# --------------------------------------------------------------------------------------------
# Every table says which line an occurrence is in, in words (a DAW user, a notebook user)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chorale_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """bwv1.6 as a keyboard reduction (benchmarks/written_voices.py), written by music21 as MIDI (a
    track per staff: discovery separates each into its lines, voices 101, 102) and as MusicXML (one
    part on two staves in written voices 1 and 2 each: voices 11, 12 and the note's staff)."""
    music21 = pytest.importorskip("music21")
    from benchmarks.written_voices import reduction, vocal_parts

    parts = vocal_parts(music21.corpus.parse("bach/bwv1.6"))
    folder = tmp_path_factory.mktemp("keys")
    out = {}
    for form, suffix in (("midi", "mid"), ("musicxml", "musicxml")):
        out[form] = folder / f"bwv1.6-keys.{suffix}"
        reduction(parts).write(form, fp=str(out[form]))
    return out


def run_cli(src: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "--format",
                           "midi,json,csv,mirex,labels", "--lyrics", "-o", str(out) + "/", "-q"],
                          capture_output=True, text=True, timeout=300, env=subprocess_env(), cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / f"{src.stem}.motifs.json").read_text())


@pytest.mark.parametrize("form", ["midi", "musicxml"])
def test_each_table_says_the_line_the_json_notes_are_in(chorale_keys: dict[str, Path], tmp_path: Path,
                                                        form: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    src = chorale_keys[form]
    out = tmp_path / "out"
    report = run_cli(src, out)
    jsonschema.validate(report, json.loads((REPO / "docs" / "annotation.schema.json").read_text()))
    occs = {o["label"]: o for m in report["motifs"] for o in m["occurrences"]}
    firsts = {label: min(o["notes"], key=lambda n: (n["onset"], n["pitch"])) for label, o in occs.items()}
    if form == "midi":  # a track per staff, each separated into two lines: no staff, voices 101 and 102
        assert {n["voice"] for n in firsts.values()} == {101, 102}
        assert all("staff" not in n for o in occs.values() for n in o["notes"])
        want = {label: f'{o["track_name"]}, line {firsts[label]["voice"] - 100} from the top' for label, o in occs.items()}
    else:  # one part on two staves: voice 11 is the soprano in staff 1 and the tenor in staff 2
        assert {(n["staff"], n["voice"]) for n in firsts.values()} >= {(1, 11), (2, 12)}
        want = {label: f'{o["track_name"]}, staff {firsts[label]["staff"]}, voice {firsts[label]["voice"] - 10}'
                for label, o in occs.items()}
    assert {label: o["line"] for label, o in occs.items()} == want

    rows = list(csv.DictReader((out / f"{src.stem}.motifs.csv").open(newline="", encoding="utf-8")))
    assert sorted(r["label"] for r in rows) == sorted(occs)
    for r in rows:
        first = firsts[r["label"]]
        assert (r["voice"], r["staff"], r["line"]) == (str(first["voice"]), str(first.get("staff", "")), want[r["label"]])
        assert int(r["note_count"]) == len(occs[r["label"]]["notes"])
    labels = [line.split("\t")[2] for line in (out / f"{src.stem}.motifs.labels.txt").read_text().splitlines()]
    assert sorted(labels) == sorted(f'{o["text"]} ({want[label]})' for label, o in occs.items())

    # MIREX: each occurrence's own notes (onset, pitch), families most salient first
    ranked = sorted(report["motifs"], key=lambda m: m["rank"])
    patterns = mir_eval.io.load_patterns(str(out / f"{src.stem}.motifs.mirex.txt"))
    assert [[sorted((round(t, 4), int(p)) for t, p in occ) for occ in pat] for pat in patterns] == [
        [sorted((round(n["onset"], 4), n["pitch"]) for n in o["notes"])
         for o in sorted(m["occurrences"], key=lambda o: (o["start_beat"], o["track"], o["number"]))] for m in ranked]

    # MIDI: a lyric on the track of the occurrence's first note, where that note starts
    midi = mido.MidiFile(out / f"{src.stem}.motifs.mid")
    score = read_score(src)
    starts, sung = starts_and_lyrics(midi)
    # one lyric per note (session 26): statements starting on one note share it ("Motif A1; B1 (line 2 from the
    # top)"); read back as one (text, track, tick) per statement, as before
    assert len({(number, tick) for _, number, tick in sung}) == len(sung)
    lyrics = [(f"Motif {name}" + (f" ({words})" if words else ""), number, tick)
              for text, number, tick in sung for names, words in parts(text) for name in names]
    assert len(lyrics) == len(occs)
    for text, number, tick in lyrics:
        label = text.split()[1]
        first = firsts[label]
        if form == "midi":
            assert number == score.tracks[first["track"]].source_index
        assert tick == round(first["onset"] * midi.ticks_per_beat) and first["pitch"] in starts[(number, tick)]
        # a lyric names a tick, not a note: where its track starts two notes there, it says which line
        words = want[label].split(", ", 1)[1]
        assert text == (f"Motif {label} ({words})" if len(starts[(number, tick)]) > 1 else f"Motif {label}")
    assert sum("(" in text for text, _, _ in lyrics) >= len(lyrics) // 2


def test_a_notebook_shows_where_an_occurrence_is(chorale_keys: dict[str, Path]) -> None:
    """The library's occurrence says its line in words (``Occurrence.line``, and in its repr)."""
    import motifcli

    annotation = motifcli.annotate(motifcli.read_score(chorale_keys["musicxml"]))
    occ = next(o for m in annotation.ranked for o in m.occurrences if o.first_note.voice == 12)
    assert occ.first_note.staff in (1, 2)
    assert occ.line == f"{occ.track_name}, staff {occ.first_note.staff}, voice 2"
    assert f"(staff {occ.first_note.staff}, voice 2)" in repr(occ)
    back = Annotation.from_dict(json.loads(json.dumps(annotation.to_dict())))
    assert [o.line for o in back.occurrences] == [o.line for o in annotation.occurrences]


def test_a_texture_statements_lyric_names_no_line(tmp_path: Path) -> None:
    """A texture occurrence is its bars' every note, chords included: its lyric stands under the
    chord it names, so it stays "Motif A1" (the bundled POP909 song's piano)."""
    import motifcli
    from motifcli import writers

    score = motifcli.read_score(REPO / "examples" / "pop909-101.mid")
    annotation = motifcli.annotate(score)
    dest = tmp_path / "song.motifs.mid"
    writers.write(annotation, score, "midi", dest, lyrics=True)
    texts = [m.text for t in mido.MidiFile(dest).tracks for m in t if m.type == "lyrics"]
    texture = {o.text for o in annotation.occurrences if o.first_note.voice == 2}
    bare = {f"Motif {name}" for text in texts for names, words in parts(text) if not words for name in names}
    assert texture and texture <= bare  # ("Motif A1 + B1" where two start on one chord: both without a line)


def test_a_texture_statement_over_both_staves_names_no_staff() -> None:
    """Schubert's Lindenbaum (music21's corpus): the piano part on two staves beside the voice; its
    texture families hold both hands' notes; their line said "Piano, staff 2, whole texture" (the staff
    of the lowest first note), sending a reader to the left hand alone. (Session 16 found it on Clara
    Schumann's polonaise op. 1/3, a piano part alone in its score, whose texture has since session 18 been
    its left hand's bars only: that names its staff, as a MIDI file's track per staff would.)"""
    music21 = pytest.importorskip("music21")
    import motifcli

    path = Path(str(music21.corpus.getWork("schubert/Lindenbaum.xml")))
    annotation = motifcli.annotate(motifcli.read_score(path))
    texture = [o for o in annotation.occurrences if o.first_note.voice == 2]
    both = [o for o in texture if {n.staff for n in o.notes} == {1, 2}]
    assert both and all(o.line == "Piano, whole texture" for o in both)
    assert all("(whole texture)" in repr(o) for o in both)
    one = [o for o in annotation.occurrences if len({n.staff for n in o.notes}) == 1 and o.track_name == "Piano"]
    assert one and all(o.line.startswith(f"Piano, staff {o.first_note.staff}, ") for o in one)
    polonaise = Path(str(music21.corpus.getWork("schumann_clara/polonaise_op1n3.mxl")))
    left = [o for o in motifcli.annotate(motifcli.read_score(polonaise)).occurrences if o.first_note.voice == 2]
    assert left and {o.line for o in left} == {"Piano, staff 2, whole texture"}
