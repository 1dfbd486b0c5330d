"""A batch file's outputs (phase 8, atomic.staged_writes): one stale-temp scan per output, the
file fsyncs in threads but finished before the final renames, one folder fsync after them, the
same bytes as a plain write, and a failed fsync still fails that file with writers.write's message."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import needs_data, song_path

from motifcli import atomic, batch
from motifcli.readers import read_score
from motifcli.settings import Settings
from motifcli.writers import write


def _fd_path(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _one_job(tmp_path: Path) -> batch.Job:
    src = Path(shutil.copy(song_path(21), tmp_path / "021.mid"))
    (job,) = batch.plan(batch.discover([src]), ["midi", "json"], tmp_path / "out")
    return job


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@needs_data
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fsynced descriptor")
def test_staged_outputs_are_synced_before_their_final_rename(tmp_path: Path, rawroll_model,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    job = _one_job(tmp_path)
    events: list[tuple[str, str, bool]] = []  # (what, path, in the main thread)
    real_fsync, real_replace, real_scandir = os.fsync, os.replace, os.scandir

    def fsync(fd: int) -> None:
        path = _fd_path(fd)
        real_fsync(fd)
        events.append(("fsync", path, threading.current_thread() is threading.main_thread()))

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        real_replace(src, dst)
        events.append(("replace", str(dst), True))

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        events.append(("scan", str(path), True))
        return real_scandir(path)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "scandir", scandir)
    result = batch.process(job, rawroll_model, Settings())
    monkeypatch.undo()
    assert result.status == "ok", result.reason
    out = tmp_path / "out"
    dests = [str(d) for d in job.outputs.values()]
    final = [i for i, e in enumerate(events) if e[0] == "replace" and e[1] in dests]
    assert len(final) == 2
    data_syncs = [i for i, e in enumerate(events) if e[0] == "fsync" and ".part" in e[1]]  # staged/temp names
    folder_syncs = [i for i, e in enumerate(events) if e[0] == "fsync" and e[1] == str(out)]
    assert len(data_syncs) == 2 and all(i < min(final) for i in data_syncs)  # data durable before any rename into place
    assert not any(events[i][2] for i in data_syncs)  # in threads: the worker renders meanwhile
    assert folder_syncs == [len(events) - 1] and folder_syncs[0] > max(final)  # one, after the final renames
    assert sum(e[0] == "scan" for e in events) == 2  # one stale-temp scan per output
    assert _hidden(out) == []

    # the same bytes as plain (unstaged) writes of the same annotation
    from motifcli.pipeline import annotate

    score = read_score(job.source)
    annotation = annotate(score, rawroll_model, Settings())
    for fmt, dest in job.outputs.items():
        plain = tmp_path / "plain" / dest.name
        plain.parent.mkdir(exist_ok=True)
        if fmt == "json":  # the batch's report also holds the job's record (--resume; run_record.py)
            annotation.run = json.loads(dest.read_bytes())["run"]
        write(annotation, score, fmt, plain)
        assert plain.read_bytes() == dest.read_bytes(), fmt


@needs_data
def test_a_failed_fsync_fails_the_file_and_leaves_nothing(tmp_path: Path, rawroll_model,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    job = _one_job(tmp_path)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".json." in _fd_path(fd):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = batch.process(job, rawroll_model, Settings())
    monkeypatch.undo()
    assert result.status == "failed"
    dest = job.outputs["json"]  # writers.write's words, naming the output (as before phase 8)
    assert result.reason == f"{dest}: cannot write json output ({os.strerror(errno.EIO)})"
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == []  # neither output, no staged or temporary file


def test_plain_atomic_writes_still_sync_inline_and_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bool]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append((os.readlink(f"/proc/self/fd/{fd}") if Path("/proc/self/fd").is_dir() else "?",
                      threading.current_thread() is threading.main_thread()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic.atomic_write_bytes(tmp_path / "a.json", b"{}")
    monkeypatch.undo()
    assert (tmp_path / "a.json").read_bytes() == b"{}"
    assert len(calls) == 2 and all(main for _, main in calls)  # the file, then the folder, in this thread
    if calls[1][0] != "?":
        assert calls[1][0] == str(tmp_path)


def test_staged_writes_wait_for_every_sync_and_name_the_failed_file(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync
    started = threading.Event()

    def slow_or_failing(fd: int) -> None:
        started.set()
        if "b.bin" in os.path.basename(os.readlink(f"/proc/self/fd/{fd}")):  # temporary or final name
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc")
    monkeypatch.setattr(os, "fsync", slow_or_failing)
    with pytest.raises(atomic.StagedSyncError) as caught:
        with atomic.staged_writes():
            atomic.atomic_write_bytes(tmp_path / "a.bin", b"a")
            atomic.atomic_write_bytes(tmp_path / "b.bin", b"b")
    monkeypatch.undo()
    assert started.is_set()
    assert caught.value.filename == str(tmp_path / "b.bin") and caught.value.errno == errno.ENOSPC
    assert not [t for t in threading.enumerate() if t.name == "motif-fsync"]  # all joined
    assert (tmp_path / "a.bin").read_bytes() == b"a"


def test_staged_writes_sync_in_place_when_no_thread_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that cannot start another thread still gets its files synced, before the block ends."""
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(threading.Thread, "start", no_thread)
    with atomic.staged_writes():
        atomic.atomic_write_bytes(tmp_path / "a.bin", b"a")
        assert len(synced) == 1  # already, in this thread
    monkeypatch.undo()
    assert (tmp_path / "a.bin").read_bytes() == b"a"


@needs_data
def test_a_failed_fsync_names_its_output_from_the_stage_it_was_written_to(tmp_path: Path, rawroll_model,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The failed stage is mapped back to its output by what was staged, not by working the stage name
    out again: with a stage name that differs on every call (nothing promises it is a pure
    function of the output), the failure still names the JSON output (before: StopIteration, an
    "internal error")."""
    job = _one_job(tmp_path)
    real_fsync, real_stage_name = os.fsync, batch._stage_name
    calls = iter(range(1_000))

    def fsync(fd: int) -> None:
        if ".json." in _fd_path(fd):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(batch, "_stage_name", lambda dest: real_stage_name(dest).with_suffix(f".{next(calls)}.part"))
    result = batch.process(job, rawroll_model, Settings())
    monkeypatch.undo()
    assert result.status == "failed", result
    assert result.reason == f"{job.outputs['json']}: cannot write json output ({os.strerror(errno.EIO)})"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
