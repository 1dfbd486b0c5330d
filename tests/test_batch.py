"""Batch processing: discovery, shards, output plans, resume, failures that do not stop a batch."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import needs_data, song_path
from hypothesis import given
from hypothesis import strategies as st

from motifcli import batch
from motifcli.settings import Settings
from motifcli.errors import UsageError
from motifcli.readers.midi import read_midi


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_discover_walks_folders_sorted_and_skips_outputs(tmp_path: Path) -> None:
    for rel in ("b.mid", "a/z.MID", "a/y.musicxml", "a/deep/x.mxl", "c.xml", "song.motifs.mid",
                "a/song.motifs.json", "notes.txt", ".hidden/h.mid", "a/.part.mid"):
        touch(tmp_path / rel)
    found = batch.discover([tmp_path])
    assert [s.relative.as_posix() for s in found] == ["a/deep/x.mxl", "a/y.musicxml", "a/z.MID", "b.mid", "c.xml"]
    explicit = batch.discover([tmp_path / "notes.txt", tmp_path / "b.mid", tmp_path])
    assert sum(s.path.name == "b.mid" for s in explicit) == 1
    assert any(s.path.name == "notes.txt" for s in explicit)
    with pytest.raises(UsageError, match="no such file"):
        batch.discover([tmp_path / "missing"])


def test_parse_shard() -> None:
    assert batch.parse_shard("2/8") == (2, 8)
    for bad in ("0/4", "5/4", "1/0", "x/4", "3", "1/2/3"):
        with pytest.raises(UsageError, match="shard"):
            batch.parse_shard(bad)


@given(st.integers(0, 40), st.integers(1, 7))
def test_shards_partition_exactly(count: int, n: int) -> None:
    items = list(range(count))
    shards = [batch.take_shard(items, (i, n)) for i in range(1, n + 1)]
    assert sorted(x for s in shards for x in s) == items
    assert max(map(len, shards)) - min(map(len, shards)) <= 1
    assert batch.take_shard(items, None) == items


def test_plan_beside_inputs_and_into_a_folder(tmp_path: Path) -> None:
    touch(tmp_path / "in/pop/a.mid")
    touch(tmp_path / "in/b.musicxml")
    sources = batch.discover([tmp_path / "in"])
    beside = {j.source.name: j.outputs for j in batch.plan(sources)}
    assert beside["a.mid"] == {"midi": tmp_path / "in/pop/a.motifs.mid", "json": tmp_path / "in/pop/a.motifs.json"}
    assert beside["b.musicxml"] == {
        "musicxml": tmp_path / "in/b.motifs.musicxml",
        "json": tmp_path / "in/b.motifs.json",
    }
    out = tmp_path / "out"
    folder = {j.source.name: j.outputs for j in batch.plan(sources, ["csv", "json"], out)}
    assert folder["a.mid"] == {"csv": out / "pop/a.motifs.csv", "json": out / "pop/a.motifs.json"}
    assert folder["b.musicxml"]["csv"] == out / "b.motifs.csv"


def test_plan_single_output_file(tmp_path: Path) -> None:
    sources = batch.discover([touch(tmp_path / "a.mid")])
    (job,) = batch.plan(sources, None, tmp_path / "x/result.mid", single_file_output=True)
    assert job.outputs == {"midi": tmp_path / "x/result.mid", "json": tmp_path / "x/result.json"}
    (job,) = batch.plan(sources, ["csv"], tmp_path / "table.txt", single_file_output=True)
    assert job.outputs == {"csv": tmp_path / "table.txt"}
    with pytest.raises(UsageError, match="no extension"):
        batch.plan(sources, ["midi", "json"], tmp_path / "result.txt", single_file_output=True)


def test_plan_never_targets_an_input_and_refuses_collisions(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.mid")
    (job,) = batch.plan(batch.discover([a]), ["midi"], a, single_file_output=True)
    assert job.error and "refusing to overwrite" in job.error
    # an input that looks like another input's output, named explicitly
    other = touch(tmp_path / "a.motifs.mid")
    jobs = batch.plan(batch.discover([a, other]), ["midi"])
    assert [j.error is not None for j in jobs] == [True, False]  # a.motifs.mid -> a.motifs.motifs.mid is fine
    touch(tmp_path / "one/s.mid")
    touch(tmp_path / "two/s.mid")
    with pytest.raises(UsageError, match="would both write"):
        batch.plan(batch.discover([tmp_path / "one/s.mid", tmp_path / "two/s.mid"]), ["json"], tmp_path / "out")


def test_up_to_date_needs_every_output_newer_than_input_and_model(tmp_path: Path) -> None:
    src, model = touch(tmp_path / "a.mid"), touch(tmp_path / "m.onnx")
    job = batch.Job(src, {"midi": tmp_path / "a.motifs.mid", "json": tmp_path / "a.motifs.json"})
    assert not batch.is_up_to_date(job, model)
    # complete outputs (a MIDI header with no tracks, an annotation JSON with no motifs)
    touch(job.outputs["midi"], b"MThd\x00\x00\x00\x06\x00\x01\x00\x00\x01\xe0")
    touch(job.outputs["json"], b'{"motifs": []}')
    for path, t in ((src, 100), (model, 100), (job.outputs["midi"], 200), (job.outputs["json"], 200)):
        os.utime(path, (t, t))
    assert batch.is_up_to_date(job, model)
    os.utime(model, (300, 300))
    assert not batch.is_up_to_date(job, model)
    os.utime(model, (100, 100))
    os.utime(src, (250, 250))
    assert not batch.is_up_to_date(job, model)


def test_up_to_date_ignores_a_newer_model_the_job_did_not_use(tmp_path: Path) -> None:
    """A JSON output whose model card is ``{}`` (the note level never opened the lazy model: no
    leading chordal track) stays up to date when the model file changes; a card, or no JSON to
    tell, makes the model count."""
    src, model = touch(tmp_path / "a.mid"), touch(tmp_path / "m.onnx")
    job = batch.Job(src, {"json": tmp_path / "a.motifs.json"})
    touch(job.outputs["json"], b'{"motifs": [], "model": {}}')
    for path, t in ((src, 100), (job.outputs["json"], 200), (model, 300)):
        os.utime(path, (t, t))
    assert batch.is_up_to_date(job, model)
    touch(job.outputs["json"], b'{"motifs": [], "model": {"method": "vicreg"}}')
    os.utime(job.outputs["json"], (200, 200))
    assert not batch.is_up_to_date(job, model)
    midi_only = batch.Job(src, {"midi": tmp_path / "a.motifs.mid"})
    touch(midi_only.outputs["midi"], b"MThd\x00\x00\x00\x06\x00\x01\x00\x00\x01\xe0")
    os.utime(midi_only.outputs["midi"], (200, 200))
    assert not batch.is_up_to_date(midi_only, model)
    assert batch.is_up_to_date(midi_only, None)


@needs_data
@pytest.mark.parametrize("unit", ["note", "bar"])
def test_batch_goes_on_after_a_broken_file_and_resumes(tmp_path: Path, rawroll_model, unit: str) -> None:
    shutil.copy(song_path(21), tmp_path / "021.mid")
    shutil.copy(song_path(22), tmp_path / "022.mid")
    touch(tmp_path / "000-broken.mid", b"MThd\x00\x00\x00\x06\x00\x01")  # truncated header
    jobs = batch.plan(batch.discover([tmp_path]), ["midi", "json"])
    seen: list[str] = []
    summary = batch.run_batch(jobs, rawroll_model, Settings(unit=unit), on_result=lambda r: seen.append(r.status))
    assert [r.status for r in summary.results] == ["failed", "ok", "ok"] and sorted(seen) == sorted(["failed", "ok", "ok"])
    broken = summary.failures[0]
    assert broken.path.endswith("000-broken.mid") and "MIDI" in broken.reason
    assert not (tmp_path / "000-broken.motifs.json").exists()
    for r in summary.results[1:]:
        assert r.motifs > 0 and r.occurrences >= 2 * r.motifs
        # the note level has no encode or inference stage (discovery, its texture bars' model included, is timed as grouping)
        assert set(r.times) == (set(batch.STAGES) if unit == "bar" else {"read", "grouping", "write"})
        data = json.loads(Path(r.outputs[1]).read_text())
        assert len(data["motifs"]) == r.motifs
        assert read_midi(r.outputs[0]).note_count >= read_midi(r.path).note_count
    d = summary.to_dict()
    assert (d["files"], d["ok"], d["failed"], d["skipped"]) == (3, 2, 1, 0)
    assert d["motifs"] == sum(r.motifs for r in summary.results)

    again = batch.run_batch(jobs, rawroll_model, Settings(unit=unit), resume=True)
    assert [r.status for r in again.results] == ["failed", "skipped", "skipped"]
    os.utime(tmp_path / "022.mid")  # touched: newer than its outputs
    third = batch.run_batch(jobs, rawroll_model, Settings(unit=unit), resume=True)
    assert [r.status for r in third.results] == ["failed", "skipped", "ok"]


@needs_data
def test_unwritable_output_is_a_failure_not_a_crash(tmp_path: Path, rawroll_model) -> None:
    src = Path(shutil.copy(song_path(21), tmp_path / "021.mid"))
    blocker = touch(tmp_path / "blocker")  # a file where the output folder should be
    (job,) = batch.plan(batch.discover([src]), ["json"], blocker / "out")
    (result,) = batch.run_batch([job], rawroll_model, Settings()).results
    assert result.status == "failed" and "cannot create folder" in result.reason


@needs_data
def test_two_workers_give_the_same_results(songs_dir: Path, rawroll_model, tmp_path: Path) -> None:
    sources = batch.discover([songs_dir])
    one = batch.run_batch(batch.plan(sources, ["json"], tmp_path / "one"), rawroll_model, Settings())
    two = batch.run_batch(
        batch.plan(sources, ["json"], tmp_path / "two"), rawroll_model, Settings(), workers=2
    )
    assert two.workers == 2 and not two.failures
    assert [(r.path, r.motifs, r.occurrences) for r in one.results] == [(r.path, r.motifs, r.occurrences) for r in two.results]
    for name in ("021", "022", "023"):
        a = json.loads((tmp_path / "one" / f"{name}.motifs.json").read_text())
        b = json.loads((tmp_path / "two" / f"{name}.motifs.json").read_text())
        assert a["motifs"] == b["motifs"]


def test_plan_single_output_file_keeps_the_name_given(tmp_path: Path) -> None:
    """``-o`` names the file as the user spelled it (case, ``.midi``, ``.xml``); the other formats sit
    beside it; ``.mxl`` (compressed, which motif does not write) says what to name it instead."""
    sources = batch.discover([touch(tmp_path / "a.mid")])
    (job,) = batch.plan(sources, None, tmp_path / "Song.MID", single_file_output=True)
    assert job.outputs == {"midi": tmp_path / "Song.MID", "json": tmp_path / "Song.json"}
    (job,) = batch.plan(sources, None, tmp_path / "song.midi", single_file_output=True)
    assert job.outputs == {"midi": tmp_path / "song.midi", "json": tmp_path / "song.json"}
    (job,) = batch.plan(sources, ["musicxml", "json"], tmp_path / "score.xml", single_file_output=True)
    assert job.outputs == {"musicxml": tmp_path / "score.xml", "json": tmp_path / "score.json"}
    for formats in (["musicxml", "json"], ["musicxml"]):
        with pytest.raises(UsageError, match=r"uncompressed; name it \.musicxml"):
            batch.plan(sources, formats, tmp_path / "score.mxl", single_file_output=True)
