"""The writers' contract: formats, file names, errors, atomic writes, lazy imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from motifcli import writers
from motifcli.errors import OutputError, UsageError
from motifcli.readers.midi import read_midi
from writers_fixtures import labelled_annotation, needs_data, pop909_path

pytestmark = needs_data


@pytest.fixture(scope="module")
def song():
    score = read_midi(pop909_path("021"))
    return score, labelled_annotation(score, "021", "MELODY")


def test_formats_and_names():
    assert writers.FORMATS == {
        "musicxml": ".musicxml", "midi": ".mid", "json": ".json", "csv": ".csv",
        "mirex": ".mirex.txt", "labels": ".labels.txt",
    }
    assert writers.output_name(Path("in/song.mid"), "midi") == "song.motifs.mid"
    assert writers.output_name(Path("song.mid"), "json") == "song.motifs.json"
    assert writers.output_name(Path("song.mxl"), "musicxml") == "song.motifs.musicxml"
    assert writers.output_name(Path("a.b.musicxml"), "csv") == "a.b.motifs.csv"
    assert writers.output_name(Path("take 2.MIDI"), "labels") == "take 2.motifs.labels.txt"
    assert writers.output_name(Path("x.mid"), "mirex") == "x.motifs.mirex.txt"
    with pytest.raises(UsageError, match="unknown output format"):
        writers.output_name(Path("x.mid"), "pdf")


def test_unknown_format_is_a_usage_error(song, tmp_path):
    score, annotation = song
    with pytest.raises(UsageError, match="musicxml, midi, json, csv, mirex, labels"):
        writers.write(annotation, score, "wav", tmp_path / "x.wav")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "csv", "mirex", "labels", "midi"])
def test_every_format_writes_atomically(song, tmp_path, fmt):
    score, annotation = song
    dest = tmp_path / writers.output_name(score.path, fmt)
    dest.write_bytes(b"old")
    writers.write(annotation, score, fmt, dest)
    assert dest.read_bytes() != b"old" and dest.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == [dest.name]  # no temporary file left


def test_every_writer_takes_one_options_object(song, tmp_path, monkeypatch):
    """The run's writer options reach every format's writer as one WriteOptions, whatever the format
    (before, ``keep_time_signatures`` went to the MIDI writer alone, by name): each reads what it needs."""
    import importlib
    import inspect

    from motifcli.writers.options import WriteOptions

    score, annotation = song
    seen: dict[str, object] = {}
    for fmt, module_name in writers._MODULES.items():
        module = importlib.import_module(f"motifcli.writers.{module_name}")
        params = list(inspect.signature(module.write).parameters)
        assert params == ["annotation", "score", "dest", "options"], (fmt, params)
        real = module.write
        monkeypatch.setattr(module, "write", lambda a, s, d, options, fmt=fmt, real=real: (
            seen.__setitem__(fmt, options), real(a, s, d, options))[1])
    for fmt in writers.FORMATS:
        writers.write(annotation, score, fmt, tmp_path / writers.output_name(score.path, fmt),
                      lyrics=True, keep_time_signatures=True)
    assert seen == {fmt: WriteOptions(lyrics=True, keep_time_signatures=True) for fmt in writers.FORMATS}


def test_missing_folder_and_input_as_output_are_output_errors(song, tmp_path):
    score, annotation = song
    with pytest.raises(OutputError, match="does not exist"):
        writers.write(annotation, score, "json", tmp_path / "nope" / "x.json")
    with pytest.raises(OutputError, match="overwrite the input"):
        writers.write(annotation, score, "midi", Path(score.path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_folder_is_an_output_error(song, tmp_path):
    score, annotation = song
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write"):
            writers.write(annotation, score, "csv", folder / "x.csv")
    finally:
        folder.chmod(0o700)


def test_a_failing_writer_leaves_the_old_file(song, tmp_path, monkeypatch):
    score, annotation = song
    dest = tmp_path / "x.json"
    dest.write_text("keep me")
    from motifcli.writers import json_out

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(json_out, "to_json_dict", broken)
    with pytest.raises(RuntimeError):
        writers.write(annotation, score, "json", dest)
    assert dest.read_text() == "keep me"


def test_writers_import_lazily_and_never_music21_for_midi_input(tmp_path):
    code = f"""
import sys
import motifcli.writers as w
assert not any(m.startswith("motifcli.writers.") for m in sys.modules), sorted(sys.modules)
sys.path.insert(0, {str(Path(__file__).parent)!r})
from writers_fixtures import labelled_annotation, pop909_path
from motifcli.readers.midi import read_midi
score = read_midi(pop909_path("021"))
ann = labelled_annotation(score, "021", "MELODY")
for fmt in ("json", "csv", "mirex", "labels", "midi"):
    w.write(ann, score, fmt, {str(tmp_path)!r} + "/x" + w.FORMATS[fmt])
assert "music21" not in sys.modules and "torch" not in sys.modules
assert "motifcli.writers.musicxml" not in sys.modules
"""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr


BAD = Path(__file__).parent / "data" / "bad"


@pytest.mark.skipif(not BAD.is_dir(), reason="tests/data/bad not generated")
def test_odd_files_that_read_also_write_or_fail_cleanly(tmp_path):
    """Every file of the hostile/odd set that the readers accept gets every output written, or a
    one-line MotifError (a drums-only file has nothing to notate, notes 50,000 beats apart too many
    bars), never a crash."""
    pytest.importorskip("music21")
    from motifcli.annotation import Annotation, Motif, Occurrence
    from motifcli.errors import MotifError
    from motifcli.readers import read_score

    written = 0
    for path in sorted(BAD.iterdir()):
        try:
            score = read_score(path)
        except MotifError:
            continue
        motifs = []
        pitched = score.pitched_tracks()
        if pitched:
            t = pitched[0]

            def occ(number, start, end):
                idx = [i for i, n in enumerate(t.notes) if start <= n.onset < end]
                return Occurrence("A", number, t.index, t.name, start, end, 1, 1, 1.0, [t.notes[i] for i in idx], idx)

            motifs = [Motif("A", "#E69F00", [occ(1, 0.0, 2.0), occ(2, 1.0, 4.0)])]
        annotation = Annotation(str(path), motifs)
        for fmt in writers.FORMATS:
            dest = tmp_path / writers.output_name(path, fmt)
            try:
                writers.write(annotation, score, fmt, dest, lyrics=True)
            except MotifError as exc:
                # drums only: nothing to notate; notes 50,000 beats apart: too many bars to notate
                assert fmt == "musicxml" and ("no pitched notes" in str(exc) or "-bar limit" in str(exc)), (
                    path.name, fmt, exc)
            else:
                assert dest.stat().st_size > 0 or fmt in ("mirex", "labels")
                written += 1
    assert written >= 40
