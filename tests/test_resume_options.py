"""``--resume`` skips a file only when its outputs were made by this very job: same options, model and
input (by content), no output changed since (motifcli/run_record.py). Real POP909 songs, the real CLI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import mido
import pytest
from conftest import build_rawroll_onnx, needs_data, rawroll_metadata, song_path
from typer.testing import CliRunner

from motifcli.cli import app

pytestmark = pytest.mark.usefixtures("env_no_color")
OLD = 1_000_000_000  # a time stamp long before any output written here


def motif(*args: object) -> dict:
    result = CliRunner().invoke(app, [str(a) for a in args] + ["--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def statuses(summary: dict) -> list[tuple[str, str | None]]:
    return [(r["status"], r.get("redone")) for r in summary["results"]]


@pytest.fixture()
def song(tmp_path: Path) -> Path:
    if not song_path(21).exists():
        pytest.skip("POP909 data folder not found")
    return Path(shutil.copy(song_path(21), tmp_path / "021.mid"))


@needs_data
def test_resume_redoes_a_file_made_with_other_options(song: Path, rawroll_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = ("annotate", song, "-o", out, "--model", rawroll_path)
    assert statuses(motif(*base)) == [("ok", None)]
    redo = motif(*base, "--resume", "--sensitivity", "1")
    assert statuses(redo) == [("ok", "options")] and redo["redone"] == 1
    assert json.loads((out / "021.motifs.json").read_text())["settings"]["sensitivity"] == 1.0
    fresh = motif("annotate", song, "-o", tmp_path / "fresh", "--model", rawroll_path, "--sensitivity", "1")
    assert fresh["motifs"] == redo["motifs"] and fresh["occurrences"] == redo["occurrences"]
    assert (tmp_path / "fresh/021.motifs.mid").read_bytes() == (out / "021.motifs.mid").read_bytes()
    assert statuses(motif(*base, "--resume", "--sensitivity", "1")) == [("skipped", None)]
    # how the run goes is not an option of its result: workers, threads, limits
    again = motif(*base, "--resume", "--sensitivity", "1", "--threads", "1", "--max-notes", "900000")
    assert statuses(again) == [("skipped", None)]
    text = CliRunner().invoke(app, [str(a) for a in (*base, "--resume", "--unit", "bar")])
    assert "resume: redid 1 file whose outputs were made otherwise (other options: 1)" in text.stdout


@needs_data
def test_resume_compares_options_without_a_json_output(song: Path, rawroll_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = ("annotate", song, "-o", out, "--model", rawroll_path, "-f", "midi")
    assert statuses(motif(*base)) == [("ok", None)]
    assert sorted(p.name for p in out.iterdir()) == [".021.motifs.run.json", "021.motifs.mid"]
    assert statuses(motif(*base, "--resume")) == [("skipped", None)]
    assert statuses(motif(*base, "--resume", "--min-notes", "6")) == [("ok", "options")]
    assert statuses(motif(*base, "--resume", "--min-notes", "6")) == [("skipped", None)]
    (out / ".021.motifs.run.json").unlink()  # outputs whose options cannot be known: redone
    assert statuses(motif(*base, "--resume", "--min-notes", "6")) == [("ok", "unknown")]
    # asking for a format the last run did not write redoes the file
    both = motif("annotate", song, "-o", out, "--model", rawroll_path, "-f", "midi,json", "--resume", "--min-notes", "6")
    assert statuses(both) == [("ok", None)]


@needs_data
def test_resume_sees_another_model_input_or_output_by_content(song: Path, rawroll_path: Path, tmp_path: Path,
                                                              spec) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    other = build_rawroll_onnx(spec, tmp_path / "other.onnx", rawroll_metadata(spec, version="0.0-other"))
    os.utime(other, (OLD, OLD))  # older than the outputs: only its content tells it apart
    base = ("annotate", song, "-o", out)
    assert statuses(motif(*base, "--model", rawroll_path)) == [("ok", None)]
    assert json.loads((out / "021.motifs.json").read_text())["model"]  # the song's piano used the model
    assert statuses(motif(*base, "--model", other, "--resume")) == [("ok", "model")]
    assert statuses(motif(*base, "--model", other, "--resume")) == [("skipped", None)]

    shutil.copy(song_path(22), song)  # another song under the same name, with an old date
    os.utime(song, (OLD, OLD))
    assert statuses(motif(*base, "--model", other, "--resume")) == [("ok", "input")]

    midi = out / "021.motifs.mid"  # re-saved by another tool: complete, newer, but not what motif wrote
    edited = mido.MidiFile(midi)
    edited.tracks[0].insert(0, mido.MetaMessage("text", text="edited"))
    edited.save(midi)
    assert statuses(motif(*base, "--model", other, "--resume")) == [("ok", "outputs")]
    assert statuses(motif(*base, "--model", other, "--resume")) == [("skipped", None)]


@needs_data
def test_resume_reads_each_json_report_once(song: Path, rawroll_path: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The skip path parses the report once per job (completeness, model card and run record from one
    read), and a job redone for a newer input reads it once too; the answers are unchanged."""
    from motifcli import batch
    from motifcli.options import build_settings

    out = tmp_path / "out"
    assert statuses(motif("annotate", song, "-o", out, "--model", rawroll_path)) == [("ok", None)]
    job = batch.plan(batch.discover([song]), None, out, False)[0]
    report = job.outputs["json"]
    reads: list[Path] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or read_bytes(self))
    settings = build_settings()
    assert batch.resume_state(job, rawroll_path, settings) == (True, None)
    assert reads.count(report) == 1
    reads.clear()
    os.utime(song)  # the input is now newer than its outputs
    assert batch.resume_state(job, rawroll_path, settings) == (False, "input")
    assert reads.count(report) == 1
    reads.clear()
    report.write_text(report.read_text()[:-40])  # cut short: a job never finished, done but not "redone"
    assert batch.resume_state(job, rawroll_path, settings) == (False, None)


@needs_data
def test_resume_with_fewer_formats_uses_the_report_beside(song: Path, rawroll_path: Path, tmp_path: Path) -> None:
    """``--resume -f midi`` after a run with the default formats (MIDI + JSON): the report beside holds the
    record of that MIDI file, so it is skipped when the options match and redone for "other options" when
    not (it was "no record of their options" before); a report that does not list the format: no record."""
    out = tmp_path / "out"
    base = ("annotate", song, "-o", out, "--model", rawroll_path)
    assert statuses(motif(*base)) == [("ok", None)]
    assert statuses(motif(*base, "--resume", "-f", "midi")) == [("skipped", None)]
    assert statuses(motif(*base, "--resume", "-f", "midi", "--min-notes", "6")) == [("ok", "options")]
    assert (out / ".021.motifs.run.json").exists()  # that run's own record now
    assert statuses(motif(*base, "--resume", "-f", "midi", "--min-notes", "6")) == [("skipped", None)]
    (out / ".021.motifs.run.json").unlink()  # the report beside is of the default options: another job
    assert statuses(motif(*base, "--resume", "-f", "midi", "--min-notes", "6")) == [("ok", "options")]
    assert statuses(motif(*base, "--resume", "-f", "csv")) == [("ok", None)]  # no CSV yet: done, not redone
    (out / ".021.motifs.run.json").unlink()
    assert statuses(motif(*base, "--resume", "-f", "csv")) == [("ok", "unknown")]  # the report lists no CSV


def test_resume_redoes_files_made_with_a_transform_option_or_as_a_collection(tmp_path: Path) -> None:
    """docs/cli.md lists what ``--resume`` compares: the note level's ``--inversions``, ``--augmentations`` and
    ``--retrogrades`` too (they change the families found), and whether the files were annotated together
    (``--across`` is in the record, so a plain ``--resume`` after a collection redoes its files)."""
    music21 = pytest.importorskip("music21")
    folder = tmp_path / "in"
    folder.mkdir()
    for work in ("bach/bwv130.6", "bach/bwv66.6"):
        shutil.copy(str(music21.corpus.getWork(work)), folder)
    out = tmp_path / "out"
    base = ("annotate", folder, "-o", out, "-f", "json")
    assert statuses(motif(*base)) == [("ok", None)] * 2
    assert statuses(motif(*base, "--resume")) == [("skipped", None)] * 2
    for flag in ("--inversions", "--augmentations", "--retrogrades"):
        assert statuses(motif(*base, "--resume", flag)) == [("ok", "options")] * 2, flag
        assert statuses(motif(*base, "--resume", flag)) == [("skipped", None)] * 2, flag
    assert statuses(motif(*base, "--across")) == [("ok", None)] * 2
    assert statuses(motif(*base, "--resume")) == [("ok", "options")] * 2
