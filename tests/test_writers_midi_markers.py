"""A MIDI marker says where its occurrence is (phase16-brackets16.md).

A marker (FF 06) sits on the conductor track, in no instrument's track, so a DAW user could not tell
which track "Motif A1" is in: its text names the track and line as a label track's does
("Motif A1 (Track 3, line 2 from the top)"). Annotating an annotated file still replaces the earlier
run's markers, in this form and in session 15's ("Motif A1"), and a track name with brackets of its
own. A chorale's keyboard reduction written by music21 (two lines per track), read back with mido;
MuseScore 3's MIDI import shows no marker, and reads the annotated file as it reads it without them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mido
import pytest

from conftest import subprocess_env
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


def annotate(src: Path, out: Path) -> tuple[Path, dict]:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "--format", "midi,json",
                           "-o", str(out) + "/", "-q"], capture_output=True, text=True, timeout=300,
                          env=subprocess_env(), cwd=out)
    assert proc.returncode == 0, proc.stderr
    return out / f"{src.stem}.motifs.mid", json.loads((out / f"{src.stem}.motifs.json").read_text())


def markers(path: Path) -> list[tuple[int, str]]:
    """(absolute tick, text) of every marker, read back with mido."""
    found, midi = [], mido.MidiFile(path)
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "marker":
                found.append((tick, msg.text))
    return sorted(found)


def test_a_marker_names_the_track_and_line_of_its_occurrence(keys_midi: Path, tmp_path: Path) -> None:
    out, report = annotate(keys_midi, tmp_path)
    tpb = mido.MidiFile(out).ticks_per_beat
    want = sorted((round(min(n["onset"] for n in o["notes"]) * tpb), f'{o["text"]} ({o["line"]})')
                  for m in report["motifs"] for o in m["occurrences"])
    assert markers(out) == want
    assert any("line 2 from the top" in text for _, text in want)  # a lower line, named


def test_an_earlier_runs_markers_are_replaced_in_either_form(keys_midi: Path, tmp_path: Path) -> None:
    first, _ = annotate(keys_midi, tmp_path / "once")
    edited = mido.MidiFile(first)
    own = [m for m in edited.tracks[0] if m.type == "marker"]
    # session 15's bare form, a track name with brackets of its own, and the user's marker
    for text in ("Motif A1", "Motif Q7 (Piano (right hand), line 1 from the top)", "Chorus"):
        edited.tracks[0].insert(1, mido.MetaMessage("marker", text=text, time=0))
    source = tmp_path / "keys.mid"
    edited.save(source)
    again, _ = annotate(source, tmp_path / "twice")
    assert markers(again) == sorted(markers(first) + [(0, "Chorus")])
    assert len(own) == len(markers(first))


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
