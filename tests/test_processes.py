"""Signals, worker processes, worker counts, ``motif plot`` inputs and full disks (issue 8: 1-3, 7, 16, 21).

Real processes only: ``python -m motifcli`` in its own session (so that a Ctrl-C can be sent to the
whole process group, as a terminal does, and every process of the batch can be found afterwards),
real POP909 songs, the real forkserver and workers. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA, build_rawroll_onnx, needs_data, song_path, subprocess_env

from motifcli import batch
from motifcli.encoding import EncodingSpec

START_SECONDS = 60.0  # interpreter, numpy, onnxruntime, the forkserver and its workers on a busy machine


def load_scaled(seconds: float) -> float:
    """A wall-clock bound scaled by how oversubscribed the machine is (the test shares its cores)."""
    return seconds * max(1.0, os.getloadavg()[0] / len(os.sched_getaffinity(0)))


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rawroll_onnx(EncodingSpec(), tmp_path_factory.mktemp("model") / "rawroll.onnx")


def copy_songs(folder: Path, count: int, first: int = 21) -> Path:
    assert DATA is not None
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + count):
        shutil.copy(song_path(n), folder / f"{n:03d}.mid")
    return folder


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.motifs.json") if not p.name.startswith("."))


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


def group_pids(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            pids.append(int(entry.name))
    return pids


def wait_group_gone(pgid: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := group_pids(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def start_batch(songs: Path, out: Path, model: Path, *extra: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "motifcli", "annotate", str(songs), "-o", str(out), "-f", "json",
            "--model", str(model), "--provider", "cpu", "--json", *extra]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=subprocess_env(), start_new_session=True)


def wait_for_outputs(proc: subprocess.Popen[str], out: Path, count: int) -> None:
    deadline = time.monotonic() + load_scaled(START_SECONDS)
    while len(outputs(out)) < count and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()
    assert len(outputs(out)) >= count, "the batch did not start writing in time"


def workers_of(pgid: int, main: int) -> list[int]:
    """The batch's processes other than the main one (forkserver, workers, resource tracker)."""
    return [pid for pid in group_pids(pgid) if pid != main]


pytestmark = [needs_data, pytest.mark.skipif(not hasattr(os, "killpg") or not Path("/proc/self/stat").exists(),
                                             reason="needs POSIX process groups and /proc")]


# ---------------------------------------------------------------- 1: Ctrl-C stops a batch at once


@pytest.mark.slow
def test_ctrl_c_stops_a_two_worker_batch_at_once_and_resume_does_the_rest(tmp_path: Path, model: Path) -> None:
    total = 60
    songs = copy_songs(tmp_path / "songs", total)
    out = tmp_path / "out"
    proc = start_batch(songs, out, model, "--workers", "2")
    wait_for_outputs(proc, out, 3)
    assert len(workers_of(proc.pid, proc.pid)) >= 2  # forkserver + workers are running
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
    sent = time.monotonic()
    time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):  # an impatient second Ctrl-C, during the cleanup,
        os.killpg(proc.pid, signal.SIGINT)  # must neither hang it nor cut it short
    stdout, stderr = proc.communicate(timeout=load_scaled(20))
    seconds = time.monotonic() - sent
    assert proc.returncode == 130, stderr
    assert seconds < load_scaled(3.0), f"took {seconds:.1f} s to stop"
    err = [line for line in stderr.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("interrupted (SIGINT) after "), stderr
    assert "Traceback" not in stderr and stdout == ""
    done = outputs(out)
    assert 3 <= len(done) < total - 10, f"{len(done)} of {total} done: the batch went on after Ctrl-C"
    for path in done:
        assert isinstance(json.loads(path.read_text(encoding="utf-8"))["motifs"], list)
    assert hidden(out) == [], "staged or temporary files of the files in flight were left"
    assert wait_group_gone(proc.pid, load_scaled(5.0)) == [], "processes of the batch outlived it"

    resumed = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(songs), "-o", str(out), "-f", "json", "--model",
         str(model), "--provider", "cpu", "--json", "--workers", "2", "--resume"],
        capture_output=True, text=True, env=subprocess_env(), timeout=load_scaled(300),
    )
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert (summary["skipped"], summary["ok"]) == (len(done), total - len(done))
    assert len(outputs(out)) == total


@pytest.mark.slow
def test_ctrl_c_stops_a_one_worker_batch_without_partial_outputs(tmp_path: Path, model: Path) -> None:
    songs = copy_songs(tmp_path / "songs", 30)
    out = tmp_path / "out"
    proc = start_batch(songs, out, model)
    wait_for_outputs(proc, out, 2)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=load_scaled(20))
    assert proc.returncode == 130, stderr
    assert "interrupted (SIGINT)" in stderr and "Traceback" not in stderr
    assert len(outputs(out)) < 30 and hidden(out) == []


# ---------------------------------------------------------------- 2: workers die with their parent


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_workers_die_with_the_main_process(tmp_path: Path, model: Path, sig: signal.Signals) -> None:
    songs = copy_songs(tmp_path / "songs", 60)
    out = tmp_path / "out"
    proc = start_batch(songs, out, model, "--workers", "2")
    wait_for_outputs(proc, out, 3)
    others = workers_of(proc.pid, proc.pid)
    assert len(others) >= 2, others
    os.kill(proc.pid, sig)  # the main process alone, as `kill PID` or an OOM killer does
    proc.wait(timeout=load_scaled(20))
    left = wait_group_gone(proc.pid, load_scaled(8.0))
    if left:
        shown = subprocess.run(["ps", "-o", "pid,ppid,stat,etime,wchan:20,cmd", "-g", str(proc.pid)],
                               capture_output=True, text=True).stdout
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        pytest.fail(f"orphaned processes after {sig.name} of the main process:\n{shown}")
    _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == (143 if sig == signal.SIGTERM else -signal.SIGKILL), stderr
    if sig == signal.SIGTERM:
        assert "interrupted (SIGTERM) after " in stderr and "Traceback" not in stderr
    if sig == signal.SIGTERM:
        assert hidden(out) == []
    for path in outputs(out):  # whatever was written is whole
        assert isinstance(json.loads(path.read_text(encoding="utf-8"))["motifs"], list)


# ---------------------------------------------------------------- 3 and 21: worker and thread counts


def test_worker_count_is_capped_by_cores_and_files() -> None:
    cores = batch.usable_cores()
    assert cores == len(os.sched_getaffinity(0))
    assert batch.worker_count(1000, 50) == min(50, cores)
    assert batch.worker_count(2, 1) == 1
    assert batch.worker_count(1, 0) == 1
    assert batch.worker_count(cores, 10 * cores) == cores


def test_a_thousand_workers_and_threads_are_capped_with_a_note(tmp_path: Path, model: Path) -> None:
    songs = copy_songs(tmp_path / "songs", 3, first=21)
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(songs), "-o", str(tmp_path / "out"), "-f", "json",
         "--model", str(model), "--provider", "cpu", "--json", "--workers", "1000", "--threads", "1000"],
        capture_output=True, text=True, env=subprocess_env(), timeout=load_scaled(120),
    )
    assert proc.returncode == 0, proc.stderr
    cores = batch.usable_cores()
    notes = [line for line in proc.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: --workers 1000 is more than the {cores} usable cores; using {cores}",
        f"note: --threads 1000 is more than the {cores} usable cores; using {cores}",
    ], proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["ok"] == 3 and summary["workers"] == min(3, cores)


def test_no_more_workers_than_files(tmp_path: Path, model: Path) -> None:
    song = copy_songs(tmp_path / "songs", 1, first=21)
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(song), "-o", str(tmp_path / "out"), "-f", "json",
         "--model", str(model), "--provider", "cpu", "--json", "--workers", "2"],
        capture_output=True, text=True, env=subprocess_env(), timeout=load_scaled(120),
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["workers"] == 1
    assert "note:" not in proc.stderr or batch.usable_cores() < 2


# ---------------------------------------------------------------- 7: motif plot reads only regular files


def plot(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "motifcli", "plot", *map(str, args)], capture_output=True,
                          text=True, env=subprocess_env(), timeout=load_scaled(timeout))


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    err = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(err) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return err[0]


def test_plot_refuses_a_fifo_a_device_and_a_huge_json(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.motifs.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.motifs.json"
    zero.symlink_to("/dev/zero")
    huge = tmp_path / "huge.motifs.json"
    with open(huge, "wb") as fh:  # sparse: 65 MB on paper, nothing on disk
        fh.truncate(65 * 1024 * 1024)
    picture = tmp_path / "x.png"
    cases = [
        (fifo, [], "not a regular file (a FIFO)"),
        (zero, [], "not a regular file (a device)"),
        (huge, [], "over the 67,108,864-byte limit (raise it with --max-bytes)"),
        (huge, ["--max-bytes", "1000"], "over the 1,000-byte limit"),
    ]
    for path, extra, reason in cases:
        proc = plot(path, "-o", picture, *extra, timeout=30)  # a FIFO used to block forever
        assert proc.returncode == 1, (path, proc.stderr)
        line = one_error_line(proc)
        assert line.startswith(f"error: {path}: ") and reason in line, line
        assert not picture.exists()


def test_plot_of_a_json_written_by_annotate_still_works(tmp_path: Path, model: Path) -> None:
    pytest.importorskip("matplotlib")
    shutil.copy(song_path(21), tmp_path / "song.mid")
    done = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(tmp_path / "song.mid"), "-f", "json", "--model",
         str(model), "--provider", "cpu"], capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    proc = plot(tmp_path / "song.motifs.json", "-o", tmp_path / "t.png")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- 16: a full disk in embed and plot


def _tmpfs(folder: Path, size: str) -> bool:
    """Mount a tiny tmpfs (a really full disk) where we may: root on Linux; else the test is skipped."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # writes past 4 KB fail (EFBIG; Python ignores SIGXFSZ)


@pytest.mark.parametrize("command", ["embed", "plot"])
@pytest.mark.parametrize("how", ["tmpfs", "rlimit"])
def test_a_full_disk_is_one_line_exit_1_and_no_partial_file(tmp_path: Path, model: Path, command: str,
                                                            how: str) -> None:
    if command == "plot":
        pytest.importorskip("matplotlib")
    song = tmp_path / "song.mid"
    shutil.copy(song_path(21), song)
    disk = tmp_path / "disk"
    if how == "tmpfs":
        if not _tmpfs(disk, "8k"):
            pytest.skip("cannot mount a tmpfs here (needs root)")
    else:
        disk.mkdir()
    try:
        dest = disk / ("song.npz" if command == "embed" else "song.png")
        args = [sys.executable, "-m", "motifcli", command, str(song), "-o", str(dest), "--model", str(model),
                "--provider", "cpu"]
        proc = subprocess.run(args, capture_output=True, text=True, env=subprocess_env(), timeout=load_scaled(120),
                              preexec_fn=_limit_file_size if how == "rlimit" else None)
        assert proc.returncode == 1, proc.stderr
        line = one_error_line(proc)
        reason = "No space left on device" if how == "tmpfs" else "File too large"
        assert line == f"error: {dest}: cannot write output ({reason})", line
        assert list(disk.iterdir()) == [], "a partial or temporary file was left"
    finally:
        if how == "tmpfs":
            subprocess.run(["umount", str(disk)], capture_output=True)


def test_output_errors_keeps_other_errors_and_names_the_output(tmp_path: Path) -> None:
    import errno

    from motifcli.atomic import output_errors
    from motifcli.errors import OutputError

    dest = tmp_path / "x.npz"
    with pytest.raises(OutputError) as info, output_errors(dest):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert str(info.value) == f"{dest}: cannot write output (No space left on device)"
    with pytest.raises(ValueError), output_errors(dest):
        raise ValueError("not a disk problem")


def test_resource_tracker_filter_is_added_once_and_keeps_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's tracker filter joins a user's own PYTHONWARNINGS, once; and it silences exactly the
    tracker's UserWarnings in a child process (where the tracker runs)."""
    from motifcli import batch_pool

    monkeypatch.setenv("PYTHONWARNINGS", "error::DeprecationWarning")
    batch_pool._quiet_resource_tracker()
    batch_pool._quiet_resource_tracker()
    assert os.environ["PYTHONWARNINGS"] == f"error::DeprecationWarning,{batch_pool.QUIET_TRACKER}"
    code = ("import multiprocessing.resource_tracker as rt, warnings\n"
            "exec('import warnings\\nwarnings.warn(\"leaked\", UserWarning)', rt.__dict__)\n"
            "warnings.warn('ours', UserWarning)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "leaked" not in proc.stderr and "ours" in proc.stderr, proc.stderr
