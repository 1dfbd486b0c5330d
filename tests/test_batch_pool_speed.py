"""How a ``--workers N`` batch keeps both cores busy (benchmarks/phase7-speed7.md); no timing (the machine is noisy).

* The workers' forkserver starts first thing in ``motif annotate --workers N``: its imports run on
  another core while the CLI imports its own modules, lists the files and checks the model.
  Checked by the order of events in the real CLI process, and by :func:`batch_pool.start_early`'s decisions.
* Files go to the workers largest first (:func:`batch_pool.largest_first`), so that a batch ends
  on small files; results keep the input order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, logging_hook_env, needs_data, song_path, subprocess_env
from motifcli import batch_pool
from motifcli.batch_plan import Job

# Loaded into every process of the batch through PYTHONPATH: logs, in order, the forkserver's start
# (with the preload it was given, and whether the CLI had imported motifcli.batch yet) and each model load.
SITECUSTOMIZE = '''
from multiprocessing import forkserver as _fs

_ensure = _fs.ForkServer.ensure_running

def ensure_running(self):
    if self._forkserver_pid is None:
        _log(f"forkserver {os.getpid()} {','.join(self._preload_modules)} "
             f"{int('motifcli.batch' in __import__('sys').modules)}")
    return _ensure(self)

_fs.ForkServer.ensure_running = ensure_running
_fs.ensure_running = _fs._forkserver.ensure_running  # the module's alias is bound at import

import motifcli.model as _model

_load = _model.load_model

def load_model(*args, **kwargs):
    _log(f"load {os.getpid()}")
    return _load(*args, **kwargs)

_model.load_model = load_model
'''


def _cli_events(tmp_path: Path, songs: list[str], workers: int, model: Path) -> tuple[list[list[str]], dict]:
    log = tmp_path / "events.log"
    env = logging_hook_env(tmp_path, SITECUSTOMIZE, log)
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", *songs, "-o", str(tmp_path / "out"), "--format", "json",
         "--workers", str(workers), "--model", str(model), "--json"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return [line.split() for line in log.read_text().splitlines()], json.loads(proc.stdout)


@needs_data
@pytest.mark.skipif(batch_pool.usable_cores() < 2 or sys.platform != "linux", reason="needs 2 cores and a forkserver")
def test_the_forkserver_starts_before_the_cli_imports_the_batch_or_checks_the_model(tmp_path: Path) -> None:
    model = REPO / "exported_models" / "motif-default.onnx"
    songs = [str(song_path(n)) for n in (21, 22, 23)]
    events, summary = _cli_events(tmp_path, songs, 2, model)
    assert summary["ok"] == 3 and summary["workers"] == 2
    main_pid = events[0][1]
    kinds = [kind for kind, pid, *_ in events if pid == main_pid]
    # the CLI's own process starts the forkserver once, first, then checks the --model once (the
    # workers' own lazy loads come later, from other processes)
    assert kinds == ["forkserver", "load"], events
    _, _, preload, batch_imported = events[0]
    assert preload.split(",") == list(batch_pool.FORKSERVER_PRELOAD)  # the pool's own preload
    assert batch_imported == "0"  # before the CLI imports the batch (numpy, mido): those overlap the forkserver's


@needs_data
def test_one_file_or_one_worker_starts_no_forkserver_early(tmp_path: Path) -> None:
    song = song_path(21)
    assert batch_pool.start_early(2, [song]) is False  # one file: one worker, no pool
    assert batch_pool.start_early(1, [song, song_path(22)]) is False
    assert batch_pool.start_early(0, [tmp_path]) is False


def test_start_early_on_a_folder_starts_the_pools_forkserver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(batch_pool, "start_forkserver", lambda: started.append(True) or True)
    monkeypatch.setattr(batch_pool, "usable_cores", lambda: 2)
    assert batch_pool.start_early(2, [tmp_path]) is True  # a folder may hold many files
    assert batch_pool.start_early(2, [tmp_path / "a.mid", tmp_path / "b.mid"]) is True  # missing: the CLI reports them
    monkeypatch.setattr(batch_pool, "usable_cores", lambda: 1)
    assert batch_pool.start_early(2, [tmp_path]) is False  # --workers is capped to 1 core: no pool
    assert started == [True, True]


@pytest.mark.skipif(sys.platform != "linux", reason="a forkserver")
def test_start_forkserver_gives_the_pool_preload_and_is_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    """In this (test) process: the forkserver started early is the one the pool then uses."""
    from multiprocessing import forkserver

    monkeypatch.setenv("PYTHONWARNINGS", "")
    assert batch_pool.start_forkserver() is True
    server = forkserver._forkserver
    pid = server._forkserver_pid
    assert pid is not None and server._preload_modules == list(batch_pool.FORKSERVER_PRELOAD)
    assert batch_pool.QUIET_TRACKER in os.environ["PYTHONWARNINGS"]  # set before the tracker started
    assert batch_pool.start_forkserver() is True
    assert server._forkserver_pid == pid  # not a second one


def _job(path: Path, error: str | None = None) -> Job:
    return Job(path, {"json": path.with_suffix(".json")}, error)


def test_largest_first_orders_by_file_size_and_keeps_ties_in_order(tmp_path: Path) -> None:
    sizes = {"a.mid": 10, "b.mid": 300, "c.mid": 10, "d.mid": 50, "e.mid": 300}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    jobs = [_job(tmp_path / name) for name in sizes]
    jobs.append(_job(tmp_path / "missing.mid"))  # no size: last (its worker reports it at once)
    jobs.append(_job(tmp_path / "b.mid", error="collides"))  # will not run: last
    order = batch_pool.largest_first(jobs, list(range(len(jobs))))
    assert [jobs[k].source.name for k in order] == ["b.mid", "e.mid", "d.mid", "a.mid", "c.mid", "missing.mid", "b.mid"]
    assert order[-1] == 6
    assert batch_pool.largest_first(jobs, [3, 0, 2]) == [3, 0, 2]  # only what is to do (resume)


@needs_data
def test_two_workers_report_in_input_order_whatever_the_work_order(tmp_path: Path) -> None:
    """The workers take the songs largest first, which is not their order here; the summary still
    lists them as given, each with its own outputs."""
    songs = [song_path(n) for n in (21, 22, 23, 24)]
    by_size = sorted(songs, key=lambda p: -p.stat().st_size)
    assert by_size != songs  # the work order differs from the input order
    _, summary = _cli_events(tmp_path, [str(p) for p in songs], 2, REPO / "exported_models" / "motif-default.onnx")
    assert summary["ok"] == 4
    assert [r["path"] for r in summary["results"]] == [str(p) for p in songs]
    for r, song in zip(summary["results"], songs):
        assert [Path(o).name for o in r["outputs"]] == [f"{song.stem}.motifs.json"]


@pytest.mark.skipif(sys.platform != "linux", reason="a forkserver")
def test_a_ctrl_c_during_the_forkserver_preload_prints_nothing_and_leaves_it_running() -> None:
    """Started early, the forkserver spends ~0.5 s importing before its own main ignores SIGINT: a
    Ctrl-C then (it reaches the whole process group) printed a KeyboardInterrupt traceback under the
    CLI's one line. It is spawned with SIGINT ignored, so it keeps going and prints nothing. The handler
    is compared with the one the process started with: a non-interactive shell starts a background job
    (``cmd &``, as a CI script may) with SIGINT ignored, and Python then installs no handler of its own."""
    code = textwrap.dedent(
        """
        import os, signal, sys, time
        from multiprocessing import forkserver
        from motifcli import batch_pool
        before = signal.getsignal(signal.SIGINT)  # SIG_IGN where the shell started us in the background
        assert batch_pool.start_forkserver()
        pid = forkserver._forkserver._forkserver_pid
        os.kill(pid, signal.SIGINT)  # at once: it is still starting (interpreter, preload)
        time.sleep(3.0)
        alive = os.waitpid(pid, os.WNOHANG) == (0, 0)
        print("handler", signal.getsignal(signal.SIGINT) is before, "alive", alive)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["handler", "True", "alive", "True"]  # this process's Ctrl-C handling is back as it was
    assert proc.stderr == ""


def test_a_second_sigterm_while_a_job_unwinds_ends_the_worker_without_a_traceback() -> None:
    """Inside a job the first SIGTERM raises Stop (the job's cleanup runs); a second one, while the
    first unwinds (a worker gets one from the main process and one from its parent watch), ends the
    process at once with 128 + 15, instead of raising Stop again from inside the first's handling."""
    code = textwrap.dedent("""
        import os, signal
        from motifcli import batch_pool
        signal.signal(signal.SIGTERM, batch_pool._worker_on_term)
        # in a job, but where job_scope cannot catch the Stop: the first SIGTERM landed in its
        # __exit__ (as in CI), so the Stop escapes to concurrent.futures, which formats it
        batch_pool._IN_JOB = True
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        except batch_pool.Stop:
            print("unwinding", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)  # the second one, mid-handling
            print("still here", flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(),
                          cwd=REPO, timeout=60)
    assert proc.returncode == 143, proc.stderr
    assert proc.stdout.splitlines() == ["unwinding"]
    assert "Traceback" not in proc.stderr
