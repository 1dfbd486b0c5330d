"""Hostile and broken inputs through the real ``motif annotate`` (issue 5, the CLI side).

Every file of the bad-input corpus (tests/data/bad, made by tests/data/make_bad_files.py; the expected
reader outcome of each is the table in tests/test_readers_bad.py) goes through ``python -m motifcli``
in a subprocess whose address space is capped at 1 GB (``RLIMIT_AS``) and whose time is capped; the
outcome must be a one-line ``path: reason`` on stderr and exit 1 (0 when the file reads), no
traceback, no output file for a failed input, and every other file of the batch still done.
Then paths that cannot be read or written, a file that vanishes mid-batch, killed batches
(SIGKILL) and broken models.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import mido
import numpy as np
import pytest
from conftest import DATA, build_rawroll_onnx, needs_data, rawroll_metadata, song_path, subprocess_env

import test_readers_bad as corpus  # the reader-level table: one expected outcome per corpus file
from motifcli.encoding import EncodingSpec
from motifcli.settings import Settings

BAD = corpus.BAD
GIGABYTE = 1024**3
FILE_SECONDS = 10.0
STARTUP_SECONDS = 15.0  # python, numpy, onnxruntime (and music21 for MusicXML) on a busy machine


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def build_projection_onnx(spec: EncodingSpec, path: Path, dim: int = 64) -> Path:
    """A contract model with a realistic embedding width: the flattened roll times a fixed random
    matrix (the shipped model has 128 dimensions; the raw roll's 2,688 make grouping needlessly slow)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    flat = spec.steps * spec.pitch_count
    weights = np.random.default_rng(5).normal(size=(flat, dim)).astype(np.float32)
    inp = helper.make_tensor_value_info("pianoroll", TensorProto.FLOAT, ["N", spec.steps, spec.pitch_count])
    out = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", dim])
    nodes = [
        helper.make_node("Flatten", ["pianoroll"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "W"], ["embedding"]),
    ]
    graph = helper.make_graph(nodes, "projection", [inp], [out], [numpy_helper.from_array(weights, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="motif-tests")
    model.ir_version = 8
    helper.set_model_props(model, rawroll_metadata(spec, method="projection", embedding_dim=str(dim)))
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIGABYTE, GIGABYTE))


CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def _without_root_powers() -> None:
    """Limit memory and, when root, drop the capabilities that bypass file permissions (from the
    bounding set: the exec'd program never gets them), so chmod 000 and read-only folders bite."""
    _limit_memory()
    if os.geteuid() == 0:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def motif(*args: object, cwd: Path, timeout: float, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m motifcli`` under a 1 GB address-space limit (without root's file powers if asked)."""
    return subprocess.run(
        [sys.executable, "-m", "motifcli", *map(str, args)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=cwd,
        timeout=timeout,
        preexec_fn=_without_root_powers if unprivileged else _limit_memory,
    )


def in_process(*args: object) -> subprocess.CompletedProcess[str]:
    """The same command through typer's CliRunner (no interpreter start-up), as a CompletedProcess."""
    from typer.testing import CliRunner

    from motifcli.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def check_output_complete(path: Path) -> None:
    """An output parses with an independent reader (mido, json): it was written whole."""
    if path.suffix == ".mid":
        midi = mido.MidiFile(path)
        assert midi.tracks, path
    elif path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data["motifs"], list), path
    elif path.suffix == ".musicxml":
        from xml.etree import ElementTree

        assert ElementTree.parse(path).getroot().tag == "score-partwise", path  # our outputs declare no entities
    elif path.suffix == ".csv":
        import csv

        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        assert rows[0][:2] == ["label", "family"] and all(len(r) == len(rows[0]) for r in rows), path
        sibling = path.with_suffix(".json")  # the same annotation in both: as many rows as occurrences
        if sibling.is_file():
            occurrences = sum(len(m["occurrences"]) for m in json.loads(sibling.read_text())["motifs"])
            assert len(rows) - 1 == occurrences, path
    else:
        raise AssertionError(f"unexpected output {path}")


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_projection_onnx(EncodingSpec(), tmp_path_factory.mktemp("model") / "projection.onnx")


# Read without error (test_readers_bad: Ok), but with no pitched note there is nothing to annotate: the CLI
# fails the file (one line, exit 1, nothing written), as it already failed such a MIDI file asked for as MusicXML.
NO_PITCHED_NOTES = {"midi_no_tracks.mid", "midi_tracks_without_notes.mid", "midi_drums_only.mid"}


def expected(name: str) -> corpus.Ok | corpus.Err:
    if name in NO_PITCHED_NOTES:
        return corpus.Err("no pitched notes to find motifs in")
    return BIG_EXPECTED[name] if name in BIG_EXPECTED else corpus.EXPECTED[name]


# The big inputs of the issue, built in the tmp dir (not committed) with the corpus generator.
BIG_FILES = {
    "big_200000_notes.mid": lambda: corpus.gen.many_notes_midi(200_000),
    "big_3_hours.mid": lambda: corpus.gen.long_midi(hours=3.0, bpm=120),
}
BIG_EXPECTED: dict[str, corpus.Ok | corpus.Err] = {
    # the default note level: 200,000 notes, over the 50,000-note discovery limit (at --unit bar, 50,000 beats
    # of sixteenths are 12,501 windows, over the 5,000-window grouping limit: test_limit_flags_... below)
    "big_200000_notes.mid": corpus.Err(
        "200,000 notes to search, over the 50,000-note limit of note-level discovery (raise it with --max-discovery-notes"
    ),
    # one long note every 8 beats: 2,700 windows, annotated
    "big_3_hours.mid": corpus.Ok(lambda s: True, "annotated"),
}
ALL_FILES = sorted(corpus.EXPECTED)


def wall_budget(seconds: float) -> float:
    """A wall-clock budget scaled by how oversubscribed the machine is (CI shares its cores):
    what must stay under ``seconds`` is the program's work, not the time it waits for a core."""
    return seconds * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


# ---------------------------------------------------------------------------------------------
# the whole corpus as one batch: one subprocess, 1 GB, every file judged on its own
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> dict:
    root = tmp_path_factory.mktemp("corpus")
    inputs = root / "in"
    shutil.copytree(BAD, inputs)
    out = root / "out"
    started = time.perf_counter()
    proc = motif("annotate", inputs, "-o", out, "--json", "--model", model_path, "--provider", "cpu",
                 cwd=root, timeout=STARTUP_SECONDS + FILE_SECONDS * len(ALL_FILES))
    seconds = time.perf_counter() - started
    summary = json.loads(proc.stdout)
    return {
        "proc": proc,
        "summary": summary,
        "results": {Path(r["path"]).name: r for r in summary["results"]},
        "inputs": inputs,
        "out": out,
        "seconds": seconds,
    }


def test_batch_of_the_whole_corpus_exits_1_and_lists_every_file(batch: dict) -> None:
    proc, summary = batch["proc"], batch["summary"]
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert set(batch["results"]) == set(ALL_FILES)
    failed = {n for n in ALL_FILES if isinstance(expected(n), corpus.Err)}
    assert (summary["failed"], summary["ok"]) == (len(failed), len(ALL_FILES) - len(failed))
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    # the only stderr lines besides the summary tables are the failures, one each
    failure_lines = [line for line in proc.stderr.splitlines() if line.startswith(str(batch["inputs"]))]
    assert len(failure_lines) == len(failed)


@pytest.mark.parametrize("name", ALL_FILES)
def test_each_bad_file_in_the_batch(batch: dict, name: str) -> None:
    result = batch["results"][name]
    want = expected(name)
    source = batch["inputs"] / name
    stem = name.rsplit(".", 1)[0]
    outputs = sorted(p for p in batch["out"].glob(f"{stem}.motifs.*"))
    seconds = sum(result.get("times", {}).values())
    assert seconds < wall_budget(FILE_SECONDS), f"{name}: {seconds:.1f} s"
    mentions = [line for line in batch["proc"].stderr.splitlines() if name in line]
    if isinstance(want, corpus.Err):
        assert result["status"] == "failed", result
        assert want.phrase in result["reason"], result["reason"]
        assert mentions == [f"{source}: {result['reason']}"]  # one line: the file and the problem
        assert outputs == []  # nothing written, not even a partial file
    else:
        assert result["status"] == "ok", result
        assert mentions == []
        assert [p.name for p in outputs] == sorted(Path(o).name for o in result["outputs"]) and len(outputs) == 2
        for path in outputs:
            check_output_complete(path)


def test_no_temporary_files_are_left_by_the_batch(batch: dict) -> None:
    assert [p for p in files_under(batch["out"]) if p.startswith(".") or p.endswith(".part")] == []


# ---------------------------------------------------------------------------------------------
# one file per process: the exit code and the single line belong to that file
# ---------------------------------------------------------------------------------------------

ALONE = ["midi_random_bytes.mid", "midi_type2.mid", "mx_billion_laughs.musicxml", "mxl_zip_bomb.mxl", *BIG_FILES]
STARTUP_CPU_SECONDS = 5.0  # imports (music21 for MusicXML), model load


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.parametrize("name", ALONE)
def test_one_bad_file_alone(tmp_path: Path, model_path: Path, name: str) -> None:
    """Exit code, the single line, no output; within 1 GB and 10 s of CPU (plus start-up)."""
    source = tmp_path / name
    source.write_bytes(BIG_FILES[name]() if name in BIG_FILES else (BAD / name).read_bytes())
    out = tmp_path / "out"
    cpu_before = child_cpu_seconds()
    proc = motif("annotate", source, "-o", out, "--model", model_path, cwd=tmp_path,
                 timeout=wall_budget(STARTUP_SECONDS + FILE_SECONDS) + 30)
    cpu = child_cpu_seconds() - cpu_before
    assert cpu < STARTUP_CPU_SECONDS + FILE_SECONDS, f"{name}: {cpu:.1f} s of CPU"
    want = expected(name)
    if isinstance(want, corpus.Err):
        assert proc.returncode == 1, proc.stderr
        assert len(lines(proc.stderr)) == 1 and lines(proc.stderr)[0].startswith(f"{source}: "), proc.stderr
        assert want.phrase in proc.stderr
        assert not out.exists() or files_under(out) == []
    else:
        assert proc.returncode == 0, proc.stderr
        assert lines(proc.stderr) == []
        assert len(files_under(out)) == 2
        for path in (out / p for p in files_under(out)):
            check_output_complete(path)
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("name", ["midi_20_tracks.mid", "midi_type0_says_3_tracks.mid", "midi_control_chars_in_names.mid"])
def test_odd_midi_files_give_every_format_quietly(tmp_path: Path, model_path: Path, name: str) -> None:
    """Issue 8: 20 tracks made music21 print "we are out of midi channels! help!" once per note
    (#18); a type-0 header over 3 tracks ended in "internal error: ValueError" (#13); NUL and ESC
    in track names made the MusicXML invalid, so the file failed (#10)."""
    source = tmp_path / name
    source.write_bytes((BAD / name).read_bytes())
    out = tmp_path / "out"
    formats = [arg for fmt in ("musicxml", "midi", "json", "csv") for arg in ("--format", fmt)]
    proc = motif("annotate", source, "-o", out, *formats, "--model", model_path, cwd=tmp_path,
                 timeout=wall_budget(STARTUP_SECONDS + FILE_SECONDS) + 30)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert lines(proc.stderr) == [], proc.stderr[-2000:]
    assert len(files_under(out)) == 4
    for path in (out / p for p in files_under(out)):
        check_output_complete(path)
    if name == "midi_type0_says_3_tracks.mid":
        written = mido.MidiFile(out / "midi_type0_says_3_tracks.motifs.mid")
        assert (written.type, len(written.tracks)) == (1, 3)


def test_notation_too_long_is_one_line_and_no_output(tmp_path: Path, model_path: Path) -> None:
    """Issue 8 #4: 4 notes 50,000 beats apart took 170 s and 2 GB as MusicXML; now refused at once."""
    source = tmp_path / "far.mid"
    source.write_bytes((BAD / "midi_notes_far_apart.mid").read_bytes())
    out = tmp_path / "out"
    proc = motif("annotate", source, "-o", out, "--format", "musicxml", "--format", "json", "--model", model_path,
                 cwd=tmp_path, timeout=wall_budget(STARTUP_SECONDS + FILE_SECONDS) + 30)
    assert proc.returncode == 1, proc.stderr
    assert len(lines(proc.stderr)) == 1 and "over the 20,000-bar limit" in proc.stderr, proc.stderr
    assert not out.exists() or files_under(out) == []  # all formats or none


def test_debug_adds_the_traceback(tmp_path: Path, model_path: Path) -> None:
    source = tmp_path / "random.mid"
    source.write_bytes((BAD / "midi_random_bytes.mid").read_bytes())
    debug = motif("annotate", source, "--model", model_path, "--debug", cwd=tmp_path, timeout=120)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr and "ScoreReadError" in debug.stderr
    assert lines(debug.stderr)[-1] == f"{source}: not a readable MIDI file (MThd not found. Probably not a MIDI file)"


# ---------------------------------------------------------------------------------------------
# limits: each refusal names the flag that lifts it, and the flag works
# ---------------------------------------------------------------------------------------------


def test_limit_flags_name_themselves_and_lift_the_limit(tmp_path: Path, model_path: Path) -> None:
    from typer.testing import CliRunner

    from motifcli.cli import app
    from motifcli.readers import read_score

    runner = CliRunner()
    parts = tmp_path / "parts.musicxml"
    parts.write_bytes((BAD / "mx_10000_parts.musicxml").read_bytes())
    small_mxl = tmp_path / "small.mxl"
    small_mxl.write_bytes((BAD / "mxl_no_container.mxl").read_bytes())
    one = tmp_path / "one.mid"
    one.write_bytes(corpus.gen.header(0, 1) + corpus.gen.track(corpus.gen.name(b"M") + corpus.gen.melody(64)))
    cases = [
        (one, ["--max-bytes", "100"], "(raise it with --max-bytes)"),
        (one, ["--max-notes", "10"], "--max-notes"),
        (one, ["--max-beats", "16"], "--max-beats"),
        # one window per bar of the estimated meter map (bar level); how many depends on the meter the
        # one-line estimate reads in this synthetic melody (phase 9's re-ranker: 3/4, 22 bars; before it 16)
        (one, ["--max-segments", "3", "--unit", "bar"],
         f"{len(read_score(one).meter_map.bars)} windows to group, over the 3-window limit (raise it with --max-segments"),
        (one, ["--max-discovery-notes", "10"],  # the default note level: its 64 notes
         "64 notes to search, over the 10-note limit of note-level discovery (raise it with --max-discovery-notes"),
        (small_mxl, ["--max-unzipped-bytes", "100"], "--max-unzipped-bytes"),
        (parts, [], "--max-parts"),
    ]
    for source, flags, phrase in cases:
        result = runner.invoke(app, ["annotate", str(source), "-o", str(tmp_path / "out"), "--model", str(model_path), *flags])
        assert result.exit_code == 1, (flags, result.output)
        assert phrase in result.stderr, (flags, result.stderr)
        assert lines(result.stderr) == [f"{source}: " + lines(result.stderr)[0].split(": ", 1)[1]]
    assert not (tmp_path / "out").exists()
    lifted = [
        (one, ["--max-bytes", "100000", "--max-notes", "64", "--max-beats", "64", "--max-discovery-notes", "64"]),
        (one, ["--unit", "bar", "--max-segments", str(len(read_score(one).meter_map.bars))]),
        (small_mxl, ["--max-unzipped-bytes", "100000"]),
    ]
    for source, flags in lifted:
        result = runner.invoke(app, ["annotate", str(source), "-o", str(tmp_path / "out"), "-f", "json",
                                     "--model", str(model_path), *flags])
        assert result.exit_code == 0, (flags, result.output)
    # the 10,000 parts hold no note: with the limit lifted the file is read, then refused for that
    result = runner.invoke(app, ["annotate", str(parts), "-o", str(tmp_path / "out"), "-f", "json", "--max-parts", "10000"])
    assert result.exit_code == 1 and lines(result.stderr) == [f"{parts}: no pitched notes to find motifs in"], result.output
    for flag in ("--max-bytes", "--max-notes", "--max-beats", "--max-parts", "--max-unzipped-bytes", "--max-segments",
                 "--max-discovery-notes"):
        result = runner.invoke(app, ["annotate", str(one), "--model", str(model_path), flag, "0"])
        assert result.exit_code == 2 and f"{flag} must be positive" in result.stderr, (flag, result.output)


# ---------------------------------------------------------------------------------------------
# paths
# ---------------------------------------------------------------------------------------------


def _melody(count: int = 32, first: int = 60) -> bytes:
    g = corpus.gen
    return g.header(0, 1) + g.track(g.name(b"MELODY") + g.melody(count, first=first))


def _can_drop_root_powers() -> bool:
    if os.geteuid() != 0:
        return True
    proc = subprocess.run(["true"], preexec_fn=_without_root_powers, capture_output=True)
    return proc.returncode == 0


needs_permissions = pytest.mark.skipif(not _can_drop_root_powers(), reason="cannot drop root's file capabilities")


RESTS_ONLY = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1"><part-list><score-part id="P1"><part-name>Flute</part-name></score-part></part-list>
<part id="P1"><measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type>
</time></attributes><note><rest/><duration>4</duration></note></measure></part></score-partwise>
"""


def test_a_score_without_notes_fails_alone_and_in_a_batch(tmp_path: Path, model_path: Path) -> None:
    """A MusicXML score of rests only was "annotated" (0 motifs, exit 0, an output of nothing);
    now it fails like any other file that cannot be annotated, and the batch goes on."""
    songs = tmp_path / "songs"
    songs.mkdir()
    (songs / "rests.musicxml").write_text(RESTS_ONLY, encoding="utf-8")
    (songs / "tune.mid").write_bytes(_melody())
    alone = motif("annotate", songs / "rests.musicxml", "-o", tmp_path / "alone", cwd=tmp_path, timeout=120)
    assert alone.returncode == 1, alone.stderr
    assert lines(alone.stderr) == [f"{songs / 'rests.musicxml'}: no pitched notes to find motifs in"]
    assert not (tmp_path / "alone").exists() or files_under(tmp_path / "alone") == []
    batch = motif("annotate", songs, "-o", tmp_path / "out", "-f", "json", "--model", model_path, cwd=tmp_path,
                  timeout=120)
    assert batch.returncode == 1, batch.stderr
    assert [line for line in lines(batch.stderr) if "rests" in line] == [
        f"{songs / 'rests.musicxml'}: no pitched notes to find motifs in"
    ]
    assert files_under(tmp_path / "out") == ["tune.motifs.json"]


def test_a_track_without_notes_asked_for_fails(tmp_path: Path, model_path: Path) -> None:
    """``--track`` naming a track that holds no note (a type-1 file's conductor track, track 0 of
    every POP909 song) was "annotated" (0 motifs, exit 0, an output of nothing); now it fails as a
    score without notes does, in both units, and names the track."""
    g = corpus.gen
    song = tmp_path / "song.mid"
    song.write_bytes(g.header(1, 2) + g.track(g.name(b"Conductor")) + g.track(g.name(b"MELODY") + g.melody(32)))
    want = [f"{song}: track 0 ('Conductor') has no notes to find motifs in"]
    for track in ("0", "Conductor"):
        for unit in ("note", "bar"):
            out = tmp_path / f"out-{track}-{unit}"
            proc = motif("annotate", song, "--track", track, "--unit", unit, "-o", out, "--model", model_path,
                         cwd=tmp_path, timeout=120)
            assert proc.returncode == 1, (track, unit, proc.stdout, proc.stderr)
            assert lines(proc.stderr) == want, (track, unit)
            assert not out.exists() or files_under(out) == []
    melody = motif("annotate", song, "--track", "MELODY", "-f", "json", "-o", tmp_path / "melody", "--model",
                   model_path, cwd=tmp_path, timeout=120)
    assert melody.returncode == 0, melody.stderr
    assert files_under(tmp_path / "melody") == ["song.motifs.json"]


def test_a_track_name_that_several_tracks_share_is_refused(tmp_path: Path, model_path: Path) -> None:
    """``--track Piano`` with two tracks named Piano took the first one silently (music21 writes every
    part of a MIDI file it exports as "MusicXML Part"); now the file fails naming the tracks, and
    ``--track INDEX`` picks one."""
    g = corpus.gen
    song = tmp_path / "song.mid"
    song.write_bytes(g.header(1, 2) + g.track(g.name(b"Piano") + g.melody(32))
                     + g.track(g.name(b"Piano") + g.melody(32, channel=1, first=48)))
    proc = motif("annotate", song, "--track", "piano", "-f", "json", "-o", tmp_path / "out", "--model", model_path,
                 cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert lines(proc.stderr) == [f"{song}: 2 tracks are named 'piano' (tracks 0, 1); give --track its index"]
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == []
    one = motif("annotate", song, "--track", "1", "-f", "json", "-o", tmp_path / "one", "--model", model_path,
                cwd=tmp_path, timeout=120)
    assert one.returncode == 0, one.stderr
    report = json.loads((tmp_path / "one" / "song.motifs.json").read_text())
    assert {o["track"] for m in report["motifs"] for o in m["occurrences"]} == {1}


def test_plot_and_embed_fail_a_score_without_notes_as_annotate_does(tmp_path: Path, model_path: Path) -> None:
    """``plot`` drew an empty picture and ``embed`` wrote 0 windows, both exit 0, for a drums-only file
    that ``annotate`` fails (audit11); now the three fail it alike, and write nothing."""
    g = corpus.gen
    drums = tmp_path / "drums.mid"
    drums.write_bytes(g.header(0, 1) + g.track(g.melody(16, channel=9, first=36)))
    for args in (("plot", drums, "-o", tmp_path / "t.png"), ("embed", drums, "-o", tmp_path / "e.npz", "--model", model_path)):
        proc = motif(*args, cwd=tmp_path, timeout=120)
        assert proc.returncode == 1, (args[0], proc.stdout, proc.stderr)
        assert lines(proc.stderr) == [f"error: {drums}: no pitched notes to find motifs in"], args[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drums.mid"]


@needs_permissions
def test_unreadable_files_in_a_folder(tmp_path: Path, model_path: Path) -> None:
    """Permissions bite only without privileges: as root the run drops CAP_DAC_OVERRIDE first."""
    songs = tmp_path / "songs"
    songs.mkdir()
    for name in ("a.mid", "b.mid", "c.mid"):
        (songs / name).write_bytes(_melody())
    (songs / "b.mid").chmod(0o000)
    proc = motif("annotate", songs, "-f", "json", "--model", model_path, cwd=tmp_path, timeout=120, unprivileged=True)
    assert proc.returncode == 1, proc.stderr
    assert lines(proc.stderr) == [f"{songs / 'b.mid'}: cannot read file (Permission denied)"]
    assert sorted(p.name for p in songs.glob("*.motifs.json")) == ["a.motifs.json", "c.motifs.json"]


@needs_permissions
def test_read_only_output_folder(tmp_path: Path, model_path: Path) -> None:
    songs = tmp_path / "songs"
    songs.mkdir()
    for name in ("a.mid", "b.mid"):
        (songs / name).write_bytes(_melody())
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.motifs.json").write_text("old")
    out.chmod(0o555)
    try:
        proc = motif("annotate", songs, "-o", out, "-f", "json", "--model", model_path, cwd=tmp_path, timeout=120,
                     unprivileged=True)
    finally:
        out.chmod(0o755)
    assert proc.returncode == 1
    assert lines(proc.stderr) == [
        f"{songs / n}: {out / n.replace('.mid', '.motifs.json')}: cannot write in {out} (Permission denied)"
        for n in ("a.mid", "b.mid")
    ]
    assert files_under(out) == ["a.motifs.json"] and (out / "a.motifs.json").read_text() == "old"


@needs_permissions
def test_read_only_output_folder_fails_each_file_before_its_work(tmp_path: Path, model_path: Path) -> None:
    """A read-only -o folder (or one that cannot be made in it) fails each file with the write's own
    line once its input is read, without annotating it: no discovery time in the report; an input's
    own error still comes first."""
    songs = tmp_path / "songs"
    songs.mkdir()
    (songs / "a.mid").write_bytes(_melody())
    (songs / "b.mid").write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        procs = [motif("annotate", songs, "-o", dest, "--json", "--model", model_path, cwd=tmp_path, timeout=120,
                       unprivileged=True) for dest in (out, out / "new" / "deeper")]
    finally:
        out.chmod(0o755)
    for proc, expected in zip(procs, (f"cannot write in {out}", f"cannot create folder {out / 'new' / 'deeper'}")):
        assert proc.returncode == 1
        results = json.loads(proc.stdout)["results"]
        assert [r["status"] for r in results] == ["failed", "failed"]
        assert results[0]["reason"].endswith(f": {expected} (Permission denied)")
        assert "read" in results[0]["times"] and "grouping" not in results[0]["times"]
        assert results[1]["reason"] == "file is empty"
    assert files_under(out) == []


def test_output_folder_that_cannot_be_made(tmp_path: Path, model_path: Path) -> None:
    """Even root cannot make a folder inside a regular file: every file fails, the inputs stay."""
    songs = tmp_path / "songs"
    songs.mkdir()
    (songs / "a.mid").write_bytes(_melody())
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder")
    proc = in_process("annotate", songs, "-o", blocker / "out", "--model", model_path)
    assert proc.returncode == 1
    assert lines(proc.stderr) == [
        f"{songs / 'a.mid'}: {blocker / 'out' / 'a.motifs.mid'}: cannot create folder {blocker / 'out'} (Not a directory)"
    ]
    assert files_under(songs) == ["a.mid"] and blocker.read_text() == "a file, not a folder"


def test_fifo_folder_named_like_a_score_and_symlink_loops(tmp_path: Path, model_path: Path) -> None:
    """Nothing blocks (a FIFO is never opened), nothing loops, nothing vanishes silently."""
    songs = tmp_path / "songs"
    (songs / "folder.mid").mkdir(parents=True)
    (songs / "folder.mid" / "inner.mid").write_bytes(_melody())
    (songs / "good.mid").write_bytes(_melody())
    os.mkfifo(songs / "fifo.mid")
    (songs / "loop.mid").symlink_to("loop.mid")
    (songs / "dangling.mid").symlink_to("nowhere.mid")
    (songs / "folder.mid" / "up").symlink_to("..")  # a folder loop: links to folders are not followed
    proc = motif("annotate", songs, "-f", "json", "--model", model_path, cwd=tmp_path, timeout=60)
    assert proc.returncode == 1
    assert lines(proc.stderr) == [
        f"{songs / 'dangling.mid'}: cannot read file (a symbolic link whose target does not exist)",
        f"{songs / 'fifo.mid'}: not a regular file (a FIFO); motif reads only regular files",
        f"{songs / 'loop.mid'}: cannot read file (a loop of symbolic links)",
    ]
    assert (songs / "good.motifs.json").is_file() and (songs / "folder.mid" / "inner.motifs.json").is_file()
    # named on the command line, a loop is a usage error
    proc = motif("annotate", songs / "loop.mid", "--model", model_path, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert lines(proc.stderr) == [f"error: {songs / 'loop.mid'} is a symbolic link to nothing (a loop of symbolic links)"]


def test_output_equal_to_the_input_or_a_link_to_it(tmp_path: Path, model_path: Path) -> None:
    song = tmp_path / "song.mid"
    song.write_bytes(_melody())
    before = song.read_bytes()
    link = tmp_path / "link.mid"
    link.symlink_to(song)
    for dest, reason in ((song, "is an input file; refusing to overwrite it"),
                         (link, "is the input file itself (a link to it); refusing to overwrite it")):
        proc = in_process("annotate", song, "-o", dest, "-f", "midi", "--model", model_path)
        assert proc.returncode == 1
        assert len(lines(proc.stderr)) == 1 and lines(proc.stderr)[0].startswith(f"{song}: ")
        assert reason in proc.stderr
        assert song.read_bytes() == before and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.mid", "song.mid"]


def test_a_file_that_vanishes_mid_batch(tmp_path: Path, model_path: Path) -> None:
    """The second file is deleted while the first is annotated: it fails, the third is done."""
    from motifcli import batch
    from motifcli.model import load_model

    for name in ("1.mid", "2.mid", "3.mid"):
        (tmp_path / name).write_bytes(_melody())
    jobs = batch.plan(batch.discover([tmp_path]), ["json"])
    model = load_model(model_path, provider="cpu", threads=1)

    def on_result(result: batch.FileResult) -> None:
        if Path(result.path).name == "1.mid":
            (tmp_path / "2.mid").unlink()

    summary = batch.run_batch(jobs, model, Settings(), on_result=on_result)
    assert [(Path(r.path).name, r.status, r.reason) for r in summary.results] == [
        ("1.mid", "ok", None),
        ("2.mid", "failed", "cannot read file (it no longer exists)"),
        ("3.mid", "ok", None),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.mid", "1.motifs.json", "3.mid", "3.motifs.json"]


# ---------------------------------------------------------------------------------------------
# safe writes: SIGKILL at random moments, then --resume
# ---------------------------------------------------------------------------------------------


def _outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".motifs." in p.name and not p.name.startswith("."))


@needs_data
@pytest.mark.slow
def test_sigkill_leaves_only_complete_outputs_and_resume_finishes(tmp_path: Path, model_path: Path) -> None:
    assert DATA is not None
    songs = tmp_path / "songs"
    songs.mkdir()
    for n in range(21, 41):
        shutil.copy(song_path(n), songs / f"{n:03d}.mid")
    model = tmp_path / "model.onnx"
    shutil.copy(model_path, model)
    args = [sys.executable, "-m", "motifcli", "annotate", str(songs), "-f", "midi,json,csv", "--model", str(model),
            "--resume", "--json"]
    rng = random.Random(20261125)
    kills = 0
    for target in (3, 17, 35):  # kill once this many outputs exist (+ a random delay): early, middle, late
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(),
                                cwd=tmp_path, preexec_fn=_limit_memory)
        deadline = time.monotonic() + 60
        while len(_outputs(songs)) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=30)
        for path in _outputs(songs):
            check_output_complete(path)
        # temporary files are hidden, end in .part, and are never taken as inputs or outputs
        for temp in (p for p in songs.iterdir() if p.name.startswith(".")):
            assert temp.name.endswith(".part"), temp
    assert kills >= 2
    done = subprocess.run(args, capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=120,
                          preexec_fn=_limit_memory)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["files"] == 20 and summary["ok"] + summary["skipped"] == 20 and summary["skipped"] >= 3
    assert len(_outputs(songs)) == 60
    for path in _outputs(songs):
        check_output_complete(path)
    assert [p.name for p in songs.iterdir() if p.name.startswith(".")] == []  # leftovers of the killed runs cleaned
    again = json.loads(subprocess.run(args, capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path,
                                      timeout=120).stdout)
    assert again["skipped"] == 20
    # a newer model makes every output stale: each JSON records it (the songs' pianos lead, so the
    # default note level grouped their texture bars with it); a JSON whose card is {} would stay
    # up to date (tests/test_batch.py)
    os.utime(model, (time.time() + 5, time.time() + 5))
    redone = json.loads(subprocess.run(args, capture_output=True, text=True, env=subprocess_env(),
                                       cwd=tmp_path, timeout=120).stdout)
    assert (redone["ok"], redone["skipped"]) == (20, 0)


def test_resume_redoes_an_output_that_is_not_complete(tmp_path: Path, model_path: Path) -> None:
    from typer.testing import CliRunner

    from motifcli.cli import app

    song = tmp_path / "song.mid"
    song.write_bytes(_melody())
    args = ["annotate", str(song), "--model", str(model_path), "--resume", "--json"]
    runner = CliRunner()
    assert json.loads(runner.invoke(app, args).stdout)["ok"] == 1
    assert json.loads(runner.invoke(app, args).stdout)["skipped"] == 1
    midi = tmp_path / "song.motifs.mid"
    midi.write_bytes(midi.read_bytes()[:-10])  # cut short by some other tool; still newer than the input
    assert json.loads(runner.invoke(app, args).stdout)["ok"] == 1
    check_output_complete(midi)
    stale = tmp_path / f".song.motifs.json.{2**22 + 7}.abcd1234.part"  # a temp file of a dead process
    stale.write_text("{half")
    song.touch()
    assert json.loads(runner.invoke(app, args).stdout)["ok"] == 1
    assert not stale.exists()


def test_outputs_get_ordinary_permissions(tmp_path: Path, model_path: Path) -> None:
    """Atomic writes go through mkstemp (mode 0600); the finished file must not keep that."""
    from typer.testing import CliRunner

    from motifcli.cli import app

    song = tmp_path / "song.mid"
    song.write_bytes(_melody())
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(app, ["annotate", str(song), "--model", str(model_path)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    for path in _outputs(tmp_path):
        assert (path.stat().st_mode & 0o777) == 0o644, path


# ---------------------------------------------------------------------------------------------
# models
# ---------------------------------------------------------------------------------------------


def _model_cases(folder: Path, good: Path) -> list[tuple[Path, str]]:
    spec = EncodingSpec()
    data = good.read_bytes()
    cases = []
    cases.append((folder / "missing.onnx", "model file not found"))
    for cut in (0.05, 0.5, 0.97):
        path = folder / f"truncated-{int(cut * 100)}.onnx"
        path.write_bytes(data[: int(len(data) * cut)])
        cases.append((path, "not a loadable ONNX model"))
    foreign = folder / "song-renamed.onnx"
    foreign.write_bytes(_melody())
    cases.append((foreign, "not a loadable ONNX model"))
    cases.append((build_rawroll_onnx(spec, folder / "no-metadata.onnx", metadata={}), "no metadata"))
    cases.append((build_rawroll_onnx(spec, folder / "other-grid.onnx", input_shape=("N", 16, 84)), "the metadata's grid needs"))
    cases.append((build_rawroll_onnx(spec, folder / "contract-2.onnx", metadata=rawroll_metadata(spec, motif_contract="2")),
                  "motif_contract '2'"))
    folder_model = folder / "a-folder.onnx"
    folder_model.mkdir()
    cases.append((folder_model, "model file not found"))
    return cases


def test_broken_models_through_the_cli(tmp_path: Path, model_path: Path) -> None:
    song = tmp_path / "song.mid"
    song.write_bytes(_melody())
    models = tmp_path / "models"
    models.mkdir()
    for path, phrase in _model_cases(models, model_path):
        proc = motif("annotate", song, "--model", path, cwd=tmp_path, timeout=60)
        assert proc.returncode == 1, (path.name, proc.stderr)
        assert len(lines(proc.stderr)) == 1, (path.name, proc.stderr)  # nothing from onnxruntime's own logger
        assert lines(proc.stderr)[0].startswith(f"error: {path}: "), proc.stderr
        assert phrase in proc.stderr, (path.name, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["models", "song.mid"]  # nothing written


def test_a_batch_lists_its_failures_last_beside_the_counts(tmp_path: Path) -> None:
    """The failures were printed before every ``wrote PATH`` line, so in a folder of many songs they
    scrolled away above thousands of lines; they now come after them, just above the summary table
    that counts them (one line each, as before)."""
    songs = tmp_path / "songs"
    songs.mkdir()
    (songs / "a.mid").write_bytes(_melody())
    (songs / "b.mid").write_bytes(b"not a MIDI file")
    (songs / "c.mid").write_bytes(_melody(first=64))
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(songs), "-f", "json", "--texture-model", "off"],
        cwd=tmp_path, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stdout
    out = lines(proc.stdout)
    failure = out.index(f"{songs / 'b.mid'}: not a readable MIDI file (MThd not found. Probably not a MIDI file)")
    wrote = [i for i, line in enumerate(out) if line.startswith("wrote ")]
    assert len(wrote) == 2 and max(wrote) < failure, out
    assert out[failure + 1] == "motif annotate", out  # the summary table follows at once
