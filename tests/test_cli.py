"""End to end through the real CLI: real POP909 songs, real readers, writers and onnxruntime."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import mido
import numpy as np
import pytest
from conftest import needs_data, song_path, subprocess_env
from marker_lane import assert_lane, find
from typer.testing import CliRunner

from motifcli.cli import app

pytestmark = pytest.mark.usefixtures("env_no_color")
runner = CliRunner()


def motif(*args: object):  # noqa: ANN201
    return runner.invoke(app, [str(a) for a in args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def markers(path: Path) -> list[str]:
    return [m.text for t in mido.MidiFile(path).tracks for m in t if m.type == "marker"]


@pytest.fixture()
def songs(songs_dir: Path, tmp_path: Path) -> Path:
    """A fresh writable copy of three songs for each test."""
    return Path(shutil.copytree(songs_dir, tmp_path / "songs"))


@needs_data
def test_annotate_one_song_writes_midi_and_json_beside_it(songs: Path, rawroll_path: Path) -> None:
    song = songs / "021.mid"
    before = digest(song)
    result = motif("annotate", song, "--model", rawroll_path)
    assert result.exit_code == 0, result.output
    assert digest(song) == before
    data = json.loads((songs / "021.motifs.json").read_text())
    # the default unit (note) groups the leading piano's texture bars with the explicit --model: recorded
    assert data["motifs"] and data["model"]["method"] == "raw-roll" and data["settings"]["unit"] == "note"
    # one marker per moment names the occurrences starting there and where, as a label does (a texture
    # statement by its track's name): "Motif A1 + B1 (PIANO); C2 (MELODY)" (session 26: markers at one tick overdrew)
    midi = mido.MidiFile(songs / "021.motifs.mid")
    assert_lane(midi, {o["label"]: round(min(n["onset"] for n in o["notes"]) * midi.ticks_per_beat)
                       for m in data["motifs"] for o in m["occurrences"]})
    for o in (o for m in data["motifs"] for o in m["occurrences"]):
        (_, where), = find(midi, o["label"])
        assert where in (o["line"].removesuffix(", whole texture"), o["line"].split(", ")[0]), (where, o["line"])
    assert "motif annotate" in result.stdout and "grouping" in result.stdout
    assert sorted(p.name for p in songs.iterdir()) == ["021.mid", "021.motifs.json", "021.motifs.mid", "022.mid", "023.mid"]


@needs_data
def test_batch_with_a_broken_file_exits_1_and_writes_the_rest(songs: Path, rawroll_path: Path, tmp_path: Path) -> None:
    (songs / "sub").mkdir()
    (songs / "sub" / "broken.mid").write_bytes(b"not midi at all")
    out = tmp_path / "out"
    result = motif("annotate", songs, "-o", out, "--format", "json", "--format", "csv", "--model", rawroll_path, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["ok"], summary["failed"]) == (4, 3, 1)
    failure_lines = [line for line in result.stderr.splitlines() if "broken.mid" in line]
    assert len(failure_lines) == 1
    assert failure_lines[0].startswith(f"{songs / 'sub' / 'broken.mid'}: not a readable MIDI file (")
    assert "Traceback" not in result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [f"{n}.motifs.{ext}" for n in ("021", "022", "023") for ext in ("csv", "json")]
    assert set(summary["stage_seconds"]) == {"read", "encode", "inference", "grouping", "write"}


@needs_data
def test_output_file_equal_to_input_is_refused(songs: Path, rawroll_path: Path) -> None:
    song = songs / "022.mid"
    before = digest(song)
    result = motif("annotate", song, "-o", song, "--format", "midi", "--model", rawroll_path)
    assert result.exit_code == 1
    assert "refusing to overwrite" in result.stderr
    assert digest(song) == before


@needs_data
def test_single_output_file_names_the_other_formats(songs: Path, rawroll_path: Path, tmp_path: Path) -> None:
    result = motif("annotate", songs / "023.mid", "-o", tmp_path / "r" / "marked.mid", "--model", rawroll_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["marked.json", "marked.mid"]


@needs_data
def test_shards_split_a_folder_exactly(songs: Path, rawroll_path: Path, tmp_path: Path) -> None:
    done = []
    for i in (1, 2):
        result = motif("annotate", songs, "-o", tmp_path / "out", "-f", "json", "--shard", f"{i}/2",
                       "--model", rawroll_path, "--json")
        assert result.exit_code == 0, result.output
        done.append({Path(r["path"]).name for r in json.loads(result.stdout)["results"]})
    assert done[0] | done[1] == {"021.mid", "022.mid", "023.mid"} and not done[0] & done[1]
    assert len(list((tmp_path / "out").glob("*.motifs.json"))) == 3


@needs_data
def test_resume_skips_finished_files(songs: Path, rawroll_path: Path) -> None:
    args = ("annotate", songs, "-f", "json", "--model", rawroll_path, "--json", "--resume")
    first = json.loads(motif(*args).stdout)
    assert (first["ok"], first["skipped"]) == (3, 0)
    (songs / "022.motifs.json").unlink()
    second = json.loads(motif(*args).stdout)
    assert [r["status"] for r in second["results"]] == ["skipped", "ok", "skipped"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annotate", "{song}", "--sensitivity", "1.5"], "sensitivity"),
        (["annotate", "{song}", "--format", "pdf"], "unknown output format"),
        (["annotate", "{song}", "--shard", "3/2"], "shard"),
        (["annotate", "{song}", "--workers", "0"], "workers"),
        (["annotate", "{song}", "--threads", "0"], "threads"),
        (["annotate", "{song}", "--min-notes", "0"], "min-notes"),
        # a one-note "motif" has no interval: note-level discovery ended in "internal error: KeyError: 1"
        (["annotate", "{song}", "--min-notes", "1"], "--min-notes must be at least 2 with --unit note, not 1"),
        (["annotate", "{song}", "--max-notes", "0"], "must be positive"),
        (["annotate", "/nonexistent/song.mid"], "no such file"),
        (["annotate", "{song}", "--no-such-flag"], "No such option"),
        (["annotate"], "Missing argument"),
        (["embed", "{song}", "-o", "x.txt"], ".npz"),
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, rawroll_path: Path, args: list[str], message: str) -> None:
    song = tmp_path / "s.mid"
    song.write_bytes(b"MThd")
    result = motif(*[a.format(song=song) for a in args], *(["--model", rawroll_path] if len(args) > 1 else []))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_model_is_one_line_and_exit_1(tmp_path: Path) -> None:
    song = tmp_path / "s.mid"
    song.write_bytes(b"MThd")
    result = motif("annotate", song, "--model", tmp_path / "none.onnx")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'none.onnx'}: model file not found"


@needs_data
def test_read_limits_are_flags(songs: Path, rawroll_path: Path) -> None:
    result = motif("annotate", songs / "021.mid", "--max-notes", "100", "--model", rawroll_path)
    assert result.exit_code == 1
    assert "more than 100 notes (raise the limit with --max-notes)" in result.stderr


@needs_data
def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = motif("annotate", song_path(21), "-o", tmp_path, "--model", tmp_path / "none.onnx", "--debug")
    assert result.exit_code == 1 and "Traceback" in result.stderr


@needs_data
def test_embed_writes_npz(songs: Path, rawroll_path: Path, tmp_path: Path) -> None:
    dest = tmp_path / "e.npz"
    result = motif("embed", songs / "021.mid", "-o", dest, "--track", "MELODY", "--hop", "2", "--model", rawroll_path)
    assert result.exit_code == 0, result.output
    with np.load(dest) as npz:
        assert set(npz.files) == {"embeddings", "track", "track_name", "start", "end"}
        n = npz["embeddings"].shape[0]
        assert npz["embeddings"].shape == (n, 32 * 84) and n > 50
        assert set(npz["track_name"].tolist()) == {"MELODY"}
        # --hop: a fixed grid from the song's (estimated, fractional) first downbeat
        assert np.all(np.diff(npz["start"]) >= 2 - 1e-9) and np.allclose(npz["end"] - npz["start"], 4)


def test_info_shows_the_model_card(rawroll_path: Path) -> None:
    result = motif("info", "--model", rawroll_path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"]["metadata"]["method"] == "raw-roll"
    assert "CPUExecutionProvider" in data["providers"]
    assert set(data["versions"]) >= {"motif", "onnxruntime", "numpy"}
    table = motif("info", "--model", rawroll_path)
    assert table.exit_code == 0 and "binary-sustain" in table.stdout and "onnxruntime" in table.stdout


def test_cuda_without_cuda_is_a_clear_error(rawroll_path: Path) -> None:
    import onnxruntime

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this machine has CUDA")
    result = motif("info", "--model", rawroll_path, "--provider", "cuda")
    assert result.exit_code == 1 and "no CUDAExecutionProvider" in result.stderr


def musicxml_of(bars: list[list[str]]) -> str:
    """A one-part MusicXML file in 4/4, one quarter note per step name ("C4", "E5", ...)."""
    measures = []
    for number, notes in enumerate(bars, start=1):
        attrs = (
            "<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
            "<clef><sign>G</sign><line>2</line></clef></attributes>"
            if number == 1
            else ""
        )
        body = "".join(
            f"<note><pitch><step>{n[0]}</step><octave>{n[1]}</octave></pitch><duration>1</duration><type>quarter</type></note>"
            for n in notes
        )
        measures.append(f'<measure number="{number}">{attrs}{body}</measure>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<score-partwise version="3.1"><part-list><score-part id="P1"><part-name>Flute</part-name></score-part>'
        f'</part-list><part id="P1">{"".join(measures)}</part></score-partwise>'
    )


def test_musicxml_input_defaults_to_musicxml_and_json(tmp_path: Path, rawroll_path: Path) -> None:
    x, y, z = ["C4", "D4", "E4", "F4"], ["G4", "G4", "A4", "A4"], ["B4", "C5", "B4", "C5"]
    score = tmp_path / "tune.musicxml"
    score.write_text(musicxml_of([x, y, x, z, x]), encoding="utf-8")
    result = motif("annotate", score, "--model", rawroll_path, "--unit", "bar")  # bar grouping of bars 1, 3, 5
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tune.motifs.musicxml").stat().st_size > 0
    data = json.loads((tmp_path / "tune.motifs.json").read_text())
    found = [(o["label"], o["track_name"], o["start_bar"], o["end_bar"]) for m in data["motifs"] for o in m["occurrences"]]
    assert found == [("A1", "Flute", 1, 1), ("A2", "Flute", 3, 3), ("A3", "Flute", 5, 5)]


def test_version() -> None:
    import motifcli

    result = motif("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"motif {motifcli.__version__}"


@needs_data
def test_plot_from_score_and_from_json(songs: Path, rawroll_path: Path, tmp_path: Path) -> None:
    result = motif("plot", songs / "021.mid", "-o", tmp_path / "t.png", "--model", rawroll_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert motif("annotate", songs / "021.mid", "-f", "json", "--model", rawroll_path).exit_code == 0
    again = motif("plot", songs / "021.motifs.json", "-o", tmp_path / "j.svg")
    assert again.exit_code == 0 and b"<svg" in (tmp_path / "j.svg").read_bytes()[:1000]


def test_plot_refuses_a_picture_format_before_any_work(tmp_path: Path) -> None:
    """``motif plot score -o x.txt`` annotated the score (10 s for a quartet movement) and then failed
    with exit 1; the format is now checked first, as ``embed`` checks its ``.npz``: a usage error."""
    from test_readers_midi import EXAMPLE

    broken = tmp_path / "broken.mid"
    broken.write_bytes(EXAMPLE.read_bytes()[:300])  # reading it would fail: the -o check must come first
    for source in (EXAMPLE, broken):
        result = motif("plot", source, "-o", tmp_path / "t.txt")
        assert result.exit_code == 2, result.output
        assert "cannot save a plot as 'txt'; use one of" in result.output and "png" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.mid"]


@needs_data
def test_python_m_motifcli_end_to_end(songs: Path, rawroll_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(songs / "022.mid"), str(songs / "023.mid"),
         "-o", str(out), "--model", str(rawroll_path), "--json"],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] == 2
    assert sorted(p.name for p in out.iterdir()) == ["022.motifs.json", "022.motifs.mid", "023.motifs.json", "023.motifs.mid"]
    bad = subprocess.run([sys.executable, "-m", "motifcli", "annotate", "--sensitivity", "x", "a.mid"],
                         capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=60)
    assert bad.returncode == 2


def test_help_imports_neither_torch_nor_music21(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "motifcli", "--help"],
                          capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and "annotate" in proc.stdout
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "motifcli.cli" in imported  # the check below means something only if importtime worked
    assert not {m for m in imported if m.split(".")[0] in ("torch", "music21")}


def test_a_type0_file_gets_the_families_of_its_type1_original(tmp_path: Path) -> None:
    """The README's example song merged into one track (type 0, each instrument on its own channel)
    gave 11 families and 80 occurrences found in the mixture of melody, bridge and piano; read one
    track per channel it gets the type-1 file's 17 families (16 with the 0.1 bar model) with the same notes, and its MIDI output
    (still type 0, one track) carries every occurrence's marker."""
    from test_readers_midi import EXAMPLE, type0_copy

    source = type0_copy(EXAMPLE, tmp_path / "song0.mid")
    shutil.copy(EXAMPLE, tmp_path / "song1.mid")
    result = motif("annotate", tmp_path / "song0.mid", tmp_path / "song1.mid", "-o", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    reports = [json.loads((tmp_path / "out" / f"song{k}.motifs.json").read_text()) for k in (0, 1)]

    def families(report: dict) -> list[list[tuple[float, list[tuple[float, int]]]]]:
        return [[(o["start_beat"], [(n["onset"], n["pitch"]) for n in o["notes"]]) for o in m["occurrences"]]
                for m in report["motifs"]]

    assert families(reports[0]) == families(reports[1]) and len(reports[0]["motifs"]) == 17
    out = mido.MidiFile(tmp_path / "out" / "song0.motifs.mid")
    assert out.type == 0 and len(out.tracks) == 1
    assert_lane(out, {o["label"]: round(min(n["onset"] for n in o["notes"]) * out.ticks_per_beat)
                      for m in reports[0]["motifs"] for o in m["occurrences"]})  # every occurrence named once
    assert source.read_bytes() == type0_copy(EXAMPLE, tmp_path / "again.mid").read_bytes()  # input untouched
