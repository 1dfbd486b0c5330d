"""The worker pool of a batch: how many workers and threads, their start, their signals, their stop.

Workers are separate processes, each loading the model once. They are never forked from the CLI
(onnxruntime's threads do not survive a fork): where the platform has it, a forkserver (a fresh
process that imports the readers and writers once, and never onnxruntime) forks them, so that each
does not pay a second of imports on its own; elsewhere they are spawned. Ctrl-C or SIGTERM stops
the pool within a second or two and no worker outlives the main process (issue 8, items 1-3).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and ``taskset`` cut down),
    not the machine's count: more busy processes or threads than these only wait for each other."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int, files: int) -> int:
    """Processes worth starting: at most one per usable core and one per file, at least one."""
    return max(1, min(requested, files, usable_cores()))


class Interrupted(KeyboardInterrupt):
    """A batch stopped by SIGINT (Ctrl-C) or SIGTERM. Files finished before it keep their outputs, the
    files in flight are discarded (their staged outputs removed), so ``--resume`` does the rest."""

    def __init__(self, signum: int, done: int, total: int) -> None:
        self.signum, self.done, self.total = signum, done, total
        name = _signal_name(signum)
        super().__init__(
            f"interrupted ({name}) after {done} of {total} files; their outputs are complete, "
            "the rest were not written (rerun with --resume to do them)"
        )

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class Stop(KeyboardInterrupt):
    """Raised by the signal handlers to unwind the work in progress (``finally`` removes staged files)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _signal_name(signum: int) -> str:
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """While a batch runs, SIGINT and SIGTERM raise :class:`Stop` in the main thread; once one has
    come, both are ignored until the cleanup is over (a second Ctrl-C must not break the cleanup,
    which is bounded in time). Outside the main thread (a library caller's thread) nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.getsignal(s) for s in watched}

    def stop(signum: int, frame: Any) -> None:
        for s in watched:
            signal.signal(s, signal.SIG_IGN)
        raise Stop(signum)

    for s in watched:
        signal.signal(s, stop)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


_WORKER_MODEL: Any = None
_IN_JOB = False  # a worker is inside a job: a SIGTERM unwinds it (cleanup) before the worker exits


def _init_worker(model_path: str | None, provider: str, threads: int, parent_pid: int) -> None:
    """Give each worker one lazy model (none when the run uses none): it is opened on the worker's
    first job that needs it, so a batch of chorales never imports onnxruntime in its workers (the
    main process has already checked an explicit --model). Ties the worker's life to the batch's
    main process."""
    global _WORKER_MODEL
    _tie_to_parent(parent_pid)
    _limit_blas_threads(threads)
    if model_path is not None:
        from motifcli.model import LazyModel

        _WORKER_MODEL = LazyModel(model_path, provider=provider, threads=threads)


def _tie_to_parent(parent_pid: int) -> None:
    """Ctrl-C reaches every process of the terminal's group: workers ignore it and leave the decision
    to the main process, which stops them with SIGTERM. SIGTERM ends a worker at once, or, inside a
    job, unwinds the job first (its staged outputs are removed).

    A worker whose main process dies without stopping it (SIGKILL, a crash) ends too: a thread polls
    the main process twice a second and sends the worker SIGTERM. (``PR_SET_PDEATHSIG`` is set as
    well on Linux, but it fires on the death of the direct parent, which for forkserver workers is
    the forkserver, and the forkserver lives as long as any worker does; it helps spawned workers.)
    """
    import signal
    import sys
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_on_term)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    alive = _parent_check(parent_pid)
    if not alive():  # died before the tie was made
        os._exit(128 + signal.SIGTERM)
    threading.Thread(target=_watch_parent, args=(alive,), name="motif-parent-watch", daemon=True).start()


def _parent_check(parent_pid: int) -> Callable[[], bool]:
    """A cheap "is the main process still there?" (on Windows ``os.kill`` would terminate it: there,
    the spawned worker's handle on its parent answers)."""
    if os.name == "nt":  # pragma: no cover - no forkserver there, workers are spawned by the main process
        import multiprocessing

        parent = multiprocessing.parent_process()
        return parent.is_alive if parent is not None else (lambda: True)
    return lambda: _pid_alive(parent_pid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    return True


def _watch_parent(alive: Callable[[], bool], every: float = 0.5) -> None:
    """End this worker (through its SIGTERM handler, so a job in flight unwinds) once the main process is gone."""
    import signal

    while alive():
        time.sleep(every)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker_on_term(signum: int, frame: Any) -> None:
    """The first SIGTERM inside a job unwinds it (Stop); any later one ends the worker at once. A
    worker can get two (the main process's shutdown and its own parent watch), and a second Stop
    raised while the first unwinds would escape as a traceback (seen in CI, session 8)."""
    global _IN_JOB
    if _IN_JOB:
        _IN_JOB = False
        raise Stop(signum)
    os._exit(128 + signum)


def _limit_blas_threads(threads: int) -> None:
    """Give numpy's BLAS a worker's share of the cores, like onnxruntime: with every core busy,
    BLAS threads only wait for each other (spinning, on a loaded machine). Only where threadpoolctl is
    installed (the ``train`` extra's scikit-learn brings it; ``pip install .`` does not): otherwise a
    worker keeps the one OpenBLAS thread the ``motif`` script set before numpy loaded (launch.py), the
    setting phase28-threads28.md measured as the cheaper one anyway."""
    try:
        from threadpoolctl import threadpool_limits  # optional (scikit-learn brings it)
    except ImportError:  # pragma: no cover
        return
    threadpool_limits(limits=threads, user_api="blas")

@contextlib.contextmanager
def job_scope() -> Iterator[Any]:
    """Inside a worker, around one job: yields the worker's model; a SIGTERM meanwhile unwinds the
    job (its ``finally`` removes staged outputs) and then ends the worker."""
    global _IN_JOB
    _IN_JOB = True
    try:
        yield _WORKER_MODEL
    except Stop as stop:  # the job unwound (staged outputs removed): the worker ends here
        os._exit(128 + stop.signum)
    finally:
        _IN_JOB = False


# Imported once in the forkserver and inherited by every worker it forks. Not onnxruntime: it starts
# threads on import; each worker imports it and opens its session after the fork.
FORKSERVER_PRELOAD = (
    "motifcli.batch",
    "motifcli.grouping",
    "motifcli.families",
    "motifcli.discovery",
    "motifcli.discovery.texture",  # the note level's lazily imported stages and the meter estimate:
    "motifcli.discovery.cells",  # every POP909 song needs them, so each worker would import them again
    "motifcli.discovery.accompaniment",
    "motifcli.meter_estimate",
    "motifcli.readers.midi",
    "motifcli.writers.midi",
    "motifcli.writers.json_out",
    "motifcli.pipeline",  # batch.process imports it on each worker's first file
    "threadpoolctl",  # _init_worker's BLAS limit (starts no thread on import)
    "numpy.ma",  # numpy.unique imports it on first use (the meter estimate's): ~17 ms of CPU per worker
)
STOP_GRACE_SECONDS = 1.5  # how long a stopped worker may take to unwind its job before SIGKILL


def _pool_context():  # noqa: ANN202 - a multiprocessing context
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(FORKSERVER_PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def start_early(workers: int, paths: Sequence[os.PathLike[str] | str]) -> bool:
    """Called first by ``motif annotate``: with ``workers`` > 1, several usable cores and inputs that
    may be several files (more than one path, or a folder), :func:`start_forkserver` now. True if
    it started one."""
    if workers < 2 or usable_cores() < 2:
        return False
    if len(paths) == 1:
        try:
            if os.path.isfile(paths[0]):
                return False  # one file: one worker, no pool
        except (OSError, ValueError):
            return False
    return start_forkserver()


def start_forkserver() -> bool:
    """Start the forkserver (and its imports of :data:`FORKSERVER_PRELOAD`, ~0.4 s of CPU) now, in
    the background, so that it runs on another core while this process still lists the files,
    imports its own modules and checks the model; the pool started later forks its workers from
    it at once instead of waiting for it (benchmarks/phase7-speed7.md). Only a head start: the
    same forkserver, with the same preload, that :func:`run_pool` would start; no output changes.
    False where workers are spawned (no forkserver on this platform) or the start failed (the
    pool then tries again and reports the reason)."""
    context = _pool_context()
    if context.get_start_method() != "forkserver":
        return False
    _quiet_resource_tracker()  # before the resource tracker starts (the forkserver starts it)
    from multiprocessing import forkserver

    try:
        with _sigint_ignored():
            forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - e.g. no file descriptors left: run_pool tries again and reports it
        return False
    return True


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while the forkserver is spawned: an ignored signal stays ignored across exec, so
    a Ctrl-C during its preload (~0.5 s, before its own main ignores SIGINT) no longer prints its
    KeyboardInterrupt traceback under the CLI's one line. This process handles Ctrl-C again a few
    milliseconds later (the spawn does not wait for the preload). Only in the main thread."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def _quiet_resource_tracker() -> None:
    """Keep multiprocessing's resource tracker from printing warnings after a Ctrl-C.

    When a signal stops the pool, a semaphore of the pool's queues can be unlinked by one process
    while the tracker still holds its registration; at exit the tracker then prints "leaked
    semaphore" / "No such file" warnings (two or four lines of traceback-like text under the CLI's
    one-line message) and cleans up anyway. The tracker is a separate Python process started from
    this environment, so the filter goes into ``PYTHONWARNINGS`` before the pool (and the tracker)
    starts: only that module's UserWarnings, nothing of ours or of the workers' own.
    """
    current = os.environ.get("PYTHONWARNINGS", "")
    if QUIET_TRACKER not in current.split(","):
        os.environ["PYTHONWARNINGS"] = f"{current},{QUIET_TRACKER}" if current else QUIET_TRACKER


def _worker_provider(model: Any) -> str:
    """The provider workers ask for: that of the main process's open model (cuda or cpu), else
    the one asked of a model not opened yet (``LazyModel.provider``: auto, cpu or cuda)."""
    if model is None:
        return "cpu"
    if getattr(model, "opened", True):
        return "cuda" if "CUDAExecutionProvider" in model.providers[:1] else "cpu"
    return str(model.provider)


def run_pool(
    jobs: Sequence[Any],
    todo: list[int],
    model: Any,
    settings: Any,
    n_workers: int,
    threads: int,
    notify: Callable[[Any], None],
    results: dict[int, Any],
    *,
    work: Callable[[Any, Any], Any],
    broken: Callable[[Any, BaseException], Any],
) -> None:
    """Run ``work(jobs[k], settings)`` for each ``k`` of ``todo`` on a pool of worker processes,
    filling ``results`` as files finish (so that what was done is known when a signal stops the
    pool); ``broken(job, exc)`` is the result of a job whose worker died. On any exception the
    workers are stopped. ``work`` must be a module-level function (it is pickled by name)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only with --workers > 1
    from concurrent.futures.process import BrokenProcessPool

    provider = _worker_provider(model)
    _quiet_resource_tracker()
    context = _pool_context()
    start_forkserver()  # a no-op if started early; else now, with its Ctrl-C traceback kept quiet
    pool = ProcessPoolExecutor(
        n_workers, mp_context=context, initializer=_init_worker,
        initargs=(str(model.path) if model is not None else None, provider, threads, os.getpid()),
    )
    try:
        futures = {pool.submit(work, jobs[k], settings): k for k in largest_first(jobs, todo)}
        for future in as_completed(futures):
            k = futures[future]
            try:
                results[k] = future.result()
            except BrokenProcessPool as exc:
                results[k] = broken(jobs[k], exc)
            notify(results[k])
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def largest_first(jobs: Sequence[Any], todo: list[int]) -> list[int]:
    """``todo`` with the largest input files first (ties and unreadable sizes in the given order).

    Work grows with a file's notes, so with big files first the batch ends on small ones and no
    worker waits long, idle, for the last big file of another (longest-processing-time-first
    scheduling). Results are still reported in the input order; only the order of the work changes."""
    def size(k: int) -> int:
        job = jobs[k]
        if getattr(job, "error", None):
            return 0
        try:
            return os.stat(job.source).st_size
        except (OSError, TypeError, ValueError):
            return 0

    return sorted(todo, key=lambda k: -size(k))  # sorted calls the key once per file


def _quiet_thread(thread: Any) -> None:
    """No traceback from ``thread`` once the pool is being stopped: the executor's manager thread
    finds the workers it was waiting on killed and its queues shut under it, and Python 3.11's
    ``terminate_broken`` can raise there (seen under load: a traceback under the CLI's one line
    "interrupted (SIGINT) ..."). What it would report is the stop we asked for."""
    if thread is None:
        return
    import threading

    previous = threading.excepthook

    def hook(args: Any) -> None:
        if args.thread is not thread:
            previous(args)

    threading.excepthook = hook


def _stop_pool(pool: ProcessPoolExecutor, grace: float = STOP_GRACE_SECONDS) -> None:
    """Cancel the queued files and end the workers: SIGTERM (each unwinds its job, removing staged
    outputs), then SIGKILL for any still alive after ``grace`` seconds. Bounded in time."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # ProcessPoolExecutor keeps no public list
    manager = getattr(pool, "_executor_manager_thread", None)
    _quiet_thread(manager)
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            proc.terminate()
    deadline = time.monotonic() + grace
    for proc in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            proc.join(max(0.0, deadline - time.monotonic()))
    for proc in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError, AttributeError):
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)
    # let the pool's manager thread see its workers gone and close its pipes now: otherwise the
    # interpreter's exit hook may write to a pipe that thread is closing (a traceback on stderr)
    if manager is not None:
        with contextlib.suppress(RuntimeError):
            manager.join(grace)
        if not manager.is_alive():  # ... and the exit hook has nothing left to wake (Python 3.11's
            from concurrent.futures import process  # hook can write to a pipe closed under it)

            with contextlib.suppress(AttributeError, TypeError):
                process._threads_wakeups.pop(manager, None)
