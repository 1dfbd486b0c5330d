"""A MIDI marker says where its occurrences are (phase16-brackets16.md), one marker per moment (phase26-markers26.md).

A marker (FF 06) sits on the conductor track, in no instrument's track, so a DAW user could not tell
which track "Motif A1" is in: its text names the track and line as a label track's does
("Motif A1 (Track 3, line 2 from the top)"). Since session 26 one marker holds every statement starting
at its moment ("Motif A1 + B2 (PIANO); P1 (MELODY)"), since markers at one tick overdraw each other on a
DAW's timeline. Annotating an annotated file still replaces the earlier run's markers, in this form,
in session 16-25's one-per-occurrence form and in session 15's ("Motif A1"), and a track name with
brackets of its own. A chorale's keyboard reduction written by music21 (two lines per track), read back with mido;
MuseScore 3's MIDI import shows no marker, and reads the annotated file as it reads it without them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import mido
import pytest

from conftest import REPO, subprocess_env
from marker_lane import assert_lane, find, markers as lane, parts
from test_musescore import MuseScore, read_mscx  # noqa: F401 - musescore is a fixture
from test_musescore import musescore  # noqa: F401


@pytest.fixture(scope="module")
def keys_midi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bwv1.6 as a keyboard reduction (benchmarks/written_voices.py) written by music21 as MIDI."""
    music21 = pytest.importorskip("music21")
    from benchmarks.written_voices import reduction, vocal_parts

    path = tmp_path_factory.mktemp("keys") / "keys.mid"
    reduction(vocal_parts(music21.corpus.parse("bach/bwv1.6"))).write("midi", fp=str(path))
    return path


def annotate(src: Path, out: Path, *extra: str) -> tuple[Path, dict]:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "--format", "midi,json",
                           "-o", str(out) + "/", "-q", *extra], capture_output=True, text=True, timeout=300,
                          env=subprocess_env(), cwd=out)
    assert proc.returncode == 0, proc.stderr
    return out / f"{src.stem}.motifs.mid", json.loads((out / f"{src.stem}.motifs.json").read_text())


def markers(path: Path) -> list[tuple[int, str]]:
    """(absolute tick, text) of every marker of the file at ``path``, read back with mido."""
    return lane(mido.MidiFile(path))


def first_ticks(report: dict, tpb: int) -> dict[str, int]:
    """Occurrence label ("A1") -> its first note's tick, from the JSON report."""
    return {f'{m["name"]}{o["number"]}': round(min(n["onset"] for n in o["notes"]) * tpb)
            for m in report["motifs"] for o in m["occurrences"]}


def test_a_marker_names_the_track_and_line_of_its_occurrence(keys_midi: Path, tmp_path: Path) -> None:
    """Each occurrence in one marker at its first note, with its track, and its line where the track has
    another note starting there (a keyboard reduction: "line 2 from the top")."""
    out, report = annotate(keys_midi, tmp_path)
    midi = mido.MidiFile(out)
    assert_lane(midi, first_ticks(report, midi.ticks_per_beat))
    for m in report["motifs"]:
        for o in m["occurrences"]:
            (_, where), = find(midi, f'{m["name"]}{o["number"]}')
            assert where in (o["line"], o["line"].split(", ")[0]), (where, o["line"])
    assert any("line 2 from the top" in where for _, text in lane(midi) for _, where in parts(text))  # a lower line


@pytest.mark.parametrize("song", ["pop909-202", "pop909-303"])
def test_one_marker_per_moment_names_every_occurrence(song: str, tmp_path: Path) -> None:
    """A POP909 song (statements of two tracks start on one beat): no two markers at one tick, every
    occurrence's name in exactly one marker at its first note's tick, a texture statement's place its
    track's name (no "whole texture", the long form a producer read 8-14 times at one tick before)."""
    out, report = annotate(REPO / "examples" / f"{song}.mid", tmp_path)
    midi = mido.MidiFile(out)
    assert_lane(midi, first_ticks(report, midi.ticks_per_beat))
    occurrences = sum(len(m["occurrences"]) for m in report["motifs"])
    assert len(lane(midi)) < occurrences  # some moments hold two or more statements
    assert any(len(p) > 1 or len(p[0][0]) > 1 for p in (parts(t) for _, t in lane(midi)))
    for m in report["motifs"]:
        for o in m["occurrences"]:
            (_, where), = find(midi, f'{m["name"]}{o["number"]}')
            if o["line"].endswith(", whole texture"):
                assert where == o["line"].removesuffix(", whole texture")
            else:
                assert where in (o["line"], o["line"].split(", ")[0])
    assert not any("whole texture" in text for _, text in lane(midi))


def test_statements_a_fraction_of_a_beat_apart_share_a_marker() -> None:
    """Performed timing: statements starting less than 1/8 beat apart are one moment, at the first one's
    tick; 1/8 beat or more apart (a quantised 16th is 1/4) they are two."""
    from motifcli.writers.midi_markers import moments

    starts = [(0, "Motif A1", "PIANO"), (10, "Motif P1", "MELODY"), (59, "Motif B1", "PIANO"),
              (60, "Motif A2", "PIANO"), (480, "Motif A3 = C1", ""), (480, "Motif Q1", "MELODY, top line")]
    assert moments(starts, 480) == [(0, "Motif A1 + B1 (PIANO); P1 (MELODY)"), (60, "Motif A2 (PIANO)"),
                                    (480, "Motif A3 = C1; Q1 (MELODY, top line)")]


def test_one_lyric_per_note_names_every_statement_starting_there(tmp_path: Path) -> None:
    """`--lyrics`: two statements starting on one note of one track (pop909-101's piano: A1 and B1) get one
    lyric "Motif A1 + B1" (two lyrics at one tick stack on one note); each occurrence named in exactly one lyric,
    at its first note's tick, on its track."""
    out, report = annotate(REPO / "examples" / "pop909-101.mid", tmp_path, "--lyrics")
    midi = mido.MidiFile(out)
    sung: dict[str, list[tuple[int, int]]] = {}
    for number, track in enumerate(midi.tracks):
        tick, ticks = 0, []
        for msg in track:
            tick += msg.time
            if msg.type == "lyrics":
                ticks.append(tick)
                for names, _ in parts(msg.text):
                    for name in names:
                        for label in re.findall(r"[A-Z]+\d+", name):
                            sung.setdefault(label, []).append((number, tick))
        assert len(ticks) == len(set(ticks)), number  # no two lyrics at one tick of a track
    want = first_ticks(report, midi.ticks_per_beat)
    assert {label: [tick for _, tick in at] for label, at in sung.items()} == {label: [t] for label, t in want.items()}
    names = {track.name: number for number, track in enumerate(midi.tracks)}
    for m in report["motifs"]:
        for o in m["occurrences"]:
            assert sung[f'{m["name"]}{o["number"]}'][0][0] == names[o["track_name"]]
    assert any(" + " in m.text for t in midi.tracks for m in t if m.type == "lyrics")


def test_an_earlier_runs_markers_are_replaced_in_either_form(keys_midi: Path, tmp_path: Path) -> None:
    first, _ = annotate(keys_midi, tmp_path / "once")
    edited = mido.MidiFile(first)
    own = [m for m in edited.tracks[0] if m.type == "marker"]
    # session 15's bare form, sessions 16-25's one per occurrence (a track name with brackets of its own,
    # two families' statement), this form edited by hand, and the user's markers (one starting "Motif")
    for text in ("Motif A1", "Motif Q7 (Piano (right hand), line 1 from the top)", "Motif A1 (PIANO, whole texture)",
                 "Motif A3 = B1 inv. (Violin I, top line)", "Motif C2 + D1 (Piano); E3 aug. (Piano, line 2 from the top)",
                 "Chorus", "Motif of love"):
        edited.tracks[0].insert(1, mido.MetaMessage("marker", text=text, time=0))
    source = tmp_path / "keys.mid"
    edited.save(source)
    again, _ = annotate(source, tmp_path / "twice")
    assert markers(again) == sorted(markers(first) + [(0, "Chorus"), (0, "Motif of love")])
    assert len(own) == len(markers(first))


def test_annotating_the_output_again_replaces_its_markers(tmp_path: Path) -> None:
    """The marker lane of an annotated POP909 song, annotated again, is the same lane (not two stacked)."""
    first, _ = annotate(REPO / "examples" / "pop909-303.mid", tmp_path / "once")
    again, _ = annotate(first, tmp_path / "twice")
    assert markers(again) == markers(first) and any(" + " in t or "; " in t for _, t in markers(first))


@pytest.mark.musescore
def test_musescore_reads_the_marked_file_as_without_its_markers(musescore: MuseScore, keys_midi: Path,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    from motifcli.writers.midi import without_own_marks

    out, _ = annotate(keys_midi, tmp_path)
    bare = mido.MidiFile(out)
    bare.tracks = [without_own_marks(track) for track in bare.tracks]
    assert not any(m.type == "marker" for t in bare.tracks for m in t)
    bare.save(tmp_path / "bare.mid")
    jobs = [{"in": str(p), "out": [str(tmp_path / f"{p.stem}.mscx")]} for p in (tmp_path / "bare.mid", out)]
    musescore.job(jobs, tmp_path)
    shown, marked = read_mscx(tmp_path / "bare.mscx"), read_mscx(tmp_path / f"{out.stem}.mscx")
    assert [(n.staff, n.tick, n.pitch) for n in marked.notes] == [(n.staff, n.tick, n.pitch) for n in shown.notes]
    assert marked.measure_ticks == shown.measure_ticks
    assert "Motif" not in (tmp_path / f"{out.stem}.mscx").read_text()  # MuseScore 3 imports no marker
