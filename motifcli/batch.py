"""Many files in one run: discovery, shards, output paths, resume, worker processes, a summary.

A batch of thousands of songs must not stop at the first broken file, must be restartable after a
crash (``resume``), splittable over machines (``shard``), and must never write over its inputs.
Each file's failure is caught as a :class:`MotifError` and reported with its path; the rest go on.
Workers are separate processes, each loading the model once. They are never forked from the CLI
(onnxruntime's threads do not survive a fork): where the platform has it, a forkserver (a fresh
process that imports scikit-learn and the readers and writers once, and never onnxruntime) forks
them, so that each does not pay a second of imports on its own; elsewhere they are spawned.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from motifcli.errors import MotifError, OutputError, ScoreReadError, UsageError
from motifcli.limits import ReadLimits
from motifcli.readers import SCORE_SUFFIXES, score_format

STAGES = ("read", "encode", "inference", "grouping", "write")
OWN_OUTPUT_MARK = ".motifs."


# ---------------------------------------------------------------- discovery and planning


@dataclass(frozen=True, slots=True)
class Source:
    """An input file and the folder its output path is taken relative to (with ``-o FOLDER``)."""

    path: Path
    base: Path

    @property
    def relative(self) -> Path:
        return self.path.relative_to(self.base)


def is_own_output(path: Path) -> bool:
    return OWN_OUTPUT_MARK in path.name


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Source]:
    """Score files under the given files and folders (recursive), sorted, without duplicates.

    Folders contribute entries with a score extension, except hidden ones and motif's own outputs
    (``*.motifs.*``); symbolic links to folders are not followed (no loops, no escaping the tree).
    An entry with a score extension that is not a readable regular file (a dangling link, a link
    loop, a FIFO) is kept, so that it fails with its reason instead of silently vanishing from the
    batch; folders named like scores are searched, not read. A file named explicitly is always
    taken. A path that does not exist is a :class:`UsageError`.
    """
    found: dict[Path, Source] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel_parts = f.relative_to(p).parts
                if (
                    f.suffix.lower() in SCORE_SUFFIXES
                    and not is_own_output(f)
                    and not any(part.startswith(".") for part in rel_parts)
                    and not _is_real_dir(f)
                ):
                    found.setdefault(_resolved_or_own(f), Source(f, p))
        elif p.exists():
            found.setdefault(p.resolve(), Source(p, p.parent))
        elif p.is_symlink():
            raise UsageError(f"{p} is a symbolic link to nothing ({_stat_problem(p)})")
        else:
            raise UsageError(f"no such file or folder: {p}")
    return sorted(found.values(), key=lambda s: s.path.as_posix())


def _resolved_or_own(path: Path) -> Path:
    """The file a path leads to (two links to one file are one input), or the path itself when it
    leads nowhere (kept, so that it fails with its reason)."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return _key(path)


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _stat_problem(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links"
        if exc.errno == errno.ENOENT:
            return "its target does not exist"
        return exc.strerror or str(exc)
    return "unknown problem"


def check_source(path: Path) -> None:
    """Refuse, before any reader opens it, a source that is not a regular file (a FIFO would block)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise ScoreReadError("cannot read file (a symbolic link whose target does not exist)", path) from exc
        raise ScoreReadError("cannot read file (it no longer exists)", path) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScoreReadError("cannot read file (a loop of symbolic links)", path) from exc
        raise ScoreReadError(f"cannot read file ({exc.strerror or exc})", path) from exc
    if stat.S_ISDIR(mode):
        raise ScoreReadError("is a folder, not a score file", path)
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise ScoreReadError(f"not a regular file ({kind}); motif reads only regular files", path)
    if not os.access(path, os.R_OK):
        raise ScoreReadError("cannot read file (Permission denied)", path)


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` (1-based: shards 1/4 .. 4/4) -> (I, N)."""
    try:
        i_text, n_text = text.split("/")
        i, n = int(i_text), int(n_text)
    except ValueError as exc:
        raise UsageError(f"--shard must look like I/N (e.g. 2/8), not {text!r}") from exc
    if n < 1 or not 1 <= i <= n:
        raise UsageError(f"--shard {text}: need 1 <= I <= N")
    return i, n


def take_shard(items: Sequence[Any], shard: tuple[int, int] | None) -> list[Any]:
    """Every N-th item of the sorted list, starting at I-1: the N shards partition it exactly."""
    if shard is None:
        return list(items)
    i, n = shard
    return [item for k, item in enumerate(items) if k % n == i - 1]


@dataclass(slots=True)
class Job:
    """One input and where each of its formats goes; ``error`` is set when it must not run."""

    source: Path
    outputs: dict[str, Path]
    error: str | None = None


def default_formats(path: Path) -> list[str]:
    """The input's own format (so the annotated score opens where it came from) plus JSON."""
    own = score_format(path)
    return [own, "json"] if own else ["json"]


def plan(
    sources: Sequence[Source],
    formats: Sequence[str] | None = None,
    out: Path | None = None,
    single_file_output: bool = False,
) -> list[Job]:
    """Output paths per input: beside it, under ``out`` (relative paths kept), or ``out`` itself.

    ``single_file_output`` means ``out`` names the file of a single input; with several formats the
    others take the same name with their own extension (``-o x.mid`` also writes ``x.json``).
    Outputs that collide are a :class:`UsageError`; an output that is an input marks that job failed.
    """
    from motifcli.writers import FORMATS, check_format, output_name

    fmts = [check_format(f) for f in formats] if formats else None
    jobs: list[Job] = []
    for src in sources:
        job_formats = list(dict.fromkeys(fmts or default_formats(src.path)))
        if single_file_output:
            assert out is not None
            outputs = _single_file_outputs(out, job_formats, FORMATS)
        elif out is not None:
            folder = out / src.relative.parent
            outputs = {f: folder / output_name(src.path, f) for f in job_formats}
        else:
            outputs = {f: src.path.parent / output_name(src.path, f) for f in job_formats}
        jobs.append(Job(src.path, outputs))

    inputs = {_key(s.path) for s in sources}
    seen: dict[Path, Path] = {}
    for job in jobs:
        for dest in job.outputs.values():
            k = _key(dest)
            if k in inputs:
                job.error = f"output {dest} is an input file; refusing to overwrite it"
            elif k in seen and seen[k] != job.source:
                raise UsageError(f"{seen[k]} and {job.source} would both write {dest}")
            elif k in seen:
                raise UsageError(f"two formats of {job.source} would both write {dest}")
            seen[k] = job.source
    return jobs


def _single_file_outputs(out: Path, formats: list[str], extensions: dict[str, str]) -> dict[str, Path]:
    if len(formats) == 1:
        return {formats[0]: out}
    name = out.name.lower()
    matching = [f for f in formats if name.endswith(extensions[f])]
    if not matching:
        raise UsageError(
            f"-o {out} ends in no extension of the formats {', '.join(formats)}; "
            "give one --format, an -o ending in one of them, or an output folder"
        )
    ext = max((extensions[f] for f in matching), key=len)
    stem = out.name[: len(out.name) - len(ext)]
    return {f: out.with_name(stem + extensions[f]) for f in formats}


def _key(path: Path) -> Path:
    return Path(os.path.normcase(os.path.abspath(path)))


def is_up_to_date(job: Job, model_path: Path | None) -> bool:
    """All outputs are complete and newer than the input and the model (``--resume`` skips the job).

    Complete: a regular file that :func:`output_is_complete` accepts for its format (motif's own
    writes are atomic, so this catches files cut short by other tools or by a full disk).
    """
    try:
        newest_source = job.source.stat().st_mtime
        if model_path is not None and model_path.exists():
            newest_source = max(newest_source, model_path.stat().st_mtime)
        return all(
            dest.stat().st_mtime >= newest_source and output_is_complete(dest, fmt)
            for fmt, dest in job.outputs.items()
        )
    except OSError:
        return False


def output_is_complete(path: Path, fmt: str) -> bool:
    """A cheap structural check that an output file is whole (not a parse of the music)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return False
        if fmt == "json":
            data = json.loads(path.read_bytes())
            return isinstance(data, dict) and isinstance(data.get("motifs"), list)
        if fmt == "midi":
            return _midi_chunks_complete(path, info.st_size)
        if fmt == "musicxml":
            with open(path, "rb") as fh:
                bom = fh.read(2)
                fh.seek(max(0, info.st_size - 512))
                tail = fh.read()
            if bom in (b"\xff\xfe", b"\xfe\xff"):  # the writer keeps a UTF-16 input's encoding
                tail = tail[len(tail) % 2 :].decode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be", "replace").encode()
            return tail.rstrip().endswith((b"</score-partwise>", b"</score-timewise>"))
        return True  # csv, mirex, labels: may legitimately be short; atomic writes keep them whole
    except (OSError, ValueError):
        return False


def _midi_chunks_complete(path: Path, size: int) -> bool:
    """The MThd chunk and every chunk after it end exactly at the end of the file."""
    with open(path, "rb") as fh:
        head = fh.read(14)
        if len(head) < 14 or head[:4] != b"MThd":
            return False
        at = 8 + int.from_bytes(head[4:8], "big")
        tracks = int.from_bytes(head[10:12], "big")
        for _ in range(tracks):
            fh.seek(at)
            chunk = fh.read(8)
            if len(chunk) < 8:
                return False
            at += 8 + int.from_bytes(chunk[4:8], "big")
        return at == size


# ---------------------------------------------------------------- processing


@dataclass(frozen=True, slots=True)
class AnnotateSettings:
    """What every file of a batch is annotated with (picklable, sent to the workers)."""

    sensitivity: float = 0.5
    threshold: float | None = None
    linkage: str = "average"
    track: str | None = None
    window: float | None = None
    hop: float | None = None
    min_notes: int = 1
    origin: float | None = None  # beat where bars start (MIDI pickup); None = written bars / beat 0
    lyrics: bool = False
    limits: ReadLimits = field(default_factory=ReadLimits)
    debug: bool = False


@dataclass(slots=True)
class FileResult:
    """What happened to one input: ``ok``, ``skipped`` (resume) or ``failed`` with a reason."""

    path: str
    status: str
    reason: str | None = None
    motifs: int = 0
    occurrences: int = 0
    outputs: list[str] = field(default_factory=list)
    times: dict[str, float] = field(default_factory=dict)
    detail: str | None = None  # traceback of an unexpected error, shown with --debug


def count_windows(score: Any, model: Any, settings: AnnotateSettings) -> int:
    """How many windows annotate would embed and cluster (an upper bound when ``min_notes`` > 1).

    Computed from note onsets alone, before any roll is made: grouping needs memory and time that
    grow with the square of this number, so it is what :attr:`ReadLimits.max_segments` bounds.
    """
    import math

    import numpy as np

    from motifcli.embedding import bar_origin, select_tracks
    from motifcli.segment import snapped_onsets

    window = float(settings.window) if settings.window is not None else float(model.spec.segment_beats)
    hop = float(settings.hop) if settings.hop is not None else window
    if not (window > 0 and hop > 0):
        return 0  # annotate itself reports the bad values
    origin = bar_origin(score, window) if settings.origin is None else settings.origin
    per_onset = max(1, math.ceil(window / hop - 1e-9))
    total = 0
    for track in select_tracks(score, settings.track):
        onsets, _, _ = track.arrays()
        if onsets.size:
            snapped = snapped_onsets(onsets, model.spec.steps_per_beat)
            total += int(np.unique(np.floor((snapped - origin) / hop + 1e-9)).size) * per_onset
    return total


def _stage_name(dest: Path) -> Path:
    """Where a job's output waits until all its formats are written (a temp name, see atomic.py)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}.staged.part")


def _write_all(job: Job, annotation: Any, score: Any, settings: AnnotateSettings) -> None:
    """Write every format of ``job``, or none: each goes to a staged temporary file first, and only
    when all are written are they renamed into place (a failure leaves the previous outputs)."""
    from motifcli.atomic import remove_stale_temps
    from motifcli.writers import write

    staged: list[tuple[Path, Path]] = []
    try:
        for fmt, dest in job.outputs.items():
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot create folder {dest.parent} ({exc.strerror or exc})", dest) from exc
            if not dest.parent.is_dir():
                raise OutputError(f"cannot write in {dest.parent} (not a folder)", dest)
            if dest.exists() and _same_existing_file(dest, job.source):
                raise OutputError("is the input file itself (a link to it); refusing to overwrite it", dest)
            if dest.is_dir():
                raise OutputError("a folder is in the way of this output", dest)
            remove_stale_temps(dest)
            stage = _stage_name(dest)
            staged.append((stage, dest))
            try:
                write(annotation, score, fmt, stage, lyrics=settings.lyrics)
            except MotifError as exc:
                if exc.path != str(stage):
                    raise
                raise type(exc)(exc.message, dest) from exc  # name the output, not its staged copy
        for stage, dest in staged:
            try:
                os.replace(stage, dest)
            except OSError as exc:
                raise OutputError(f"cannot write output ({exc.strerror or exc})", dest) from exc
    finally:
        for stage, _ in staged:
            if stage.exists():
                with contextlib.suppress(OSError):
                    stage.unlink()


def _same_existing_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def process(job: Job, model: Any, settings: AnnotateSettings) -> FileResult:
    """Read, annotate and write one file; every failure becomes a ``failed`` result, never a raise."""
    from motifcli import annotate, read_score

    times: dict[str, float] = {}
    try:
        if job.error:
            raise OutputError(job.error)
        t0 = time.perf_counter()
        check_source(job.source)
        score = read_score(job.source, settings.limits)
        times["read"] = time.perf_counter() - t0
        windows = count_windows(score, model, settings)
        if windows > settings.limits.max_segments:
            raise ScoreReadError(
                f"{windows:,} windows to group, over the {settings.limits.max_segments:,}-window limit "
                "(raise it with --max-segments; grouping time and memory grow with its square)",
                job.source,
            )
        annotation = annotate(
            score,
            model,
            settings.sensitivity,
            threshold=settings.threshold,
            linkage=settings.linkage,
            track=settings.track,
            window=settings.window,
            hop=settings.hop,
            min_notes=settings.min_notes,
            timings=times,
            origin=settings.origin,
        )
        t0 = time.perf_counter()
        _write_all(job, annotation, score, settings)
        times["write"] = time.perf_counter() - t0
        return FileResult(
            str(job.source),
            "ok",
            motifs=len(annotation.motifs),
            occurrences=sum(len(m.occurrences) for m in annotation.motifs),
            outputs=[str(p) for p in job.outputs.values()],
            times=times,
        )
    except MotifError as exc:
        own = exc.path is None or Path(exc.path) == job.source
        reason = exc.message if own else str(exc)
        detail = traceback.format_exc() if settings.debug else None
        return FileResult(str(job.source), "failed", reason, times=times, detail=detail)
    except MemoryError:
        reason = (
            "ran out of memory (the score is too large for this machine; lower --max-notes, "
            "--max-beats or --max-segments to refuse such files quickly)"
        )
        return FileResult(str(job.source), "failed", reason, times=times, detail=traceback.format_exc())
    except Exception as exc:  # a bug, but one file's bug must not end a batch of thousands
        reason = f"internal error: {type(exc).__name__}: {_one_line(exc)}"
        return FileResult(str(job.source), "failed", reason, times=times, detail=traceback.format_exc())


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("..." if len(text) > 300 else "")


# ---------------------------------------------------------------- the batch


@dataclass(slots=True)
class Summary:
    """Totals of a batch; ``to_dict`` is what ``motif annotate --json`` prints."""

    results: list[FileResult]
    seconds: float = 0.0
    workers: int = 1

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def stage_seconds(self) -> dict[str, float]:
        return {s: sum(r.times.get(s, 0.0) for r in self.results) for s in STAGES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": len(self.results),
            "ok": self.count("ok"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "motifs": sum(r.motifs for r in self.results),
            "occurrences": sum(r.occurrences for r in self.results),
            "seconds": round(self.seconds, 3),
            "workers": self.workers,
            "stage_seconds": {k: round(v, 4) for k, v in self.stage_seconds.items()},
            "results": [
                {k: v for k, v in asdict(r).items() if k != "detail" and v is not None} for r in self.results
            ],
        }


# ---------------------------------------------------------------- cores, signals, the worker pool


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


class _Stop(KeyboardInterrupt):
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
def _stopped_by_signals() -> Iterator[None]:
    """While a batch runs, SIGINT and SIGTERM raise :class:`_Stop` in the main thread; once one has
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
        raise _Stop(signum)

    for s in watched:
        signal.signal(s, stop)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


_WORKER_MODEL: Any = None
_IN_JOB = False  # a worker is inside a job: a SIGTERM unwinds it (cleanup) before the worker exits


def _init_worker(model_path: str, provider: str, threads: int, parent_pid: int) -> None:
    """Load the model once per worker, and tie the worker's life to the batch's main process."""
    global _WORKER_MODEL
    _tie_to_parent(parent_pid)
    from motifcli.grouping import preload
    from motifcli.model import load_model

    preload()
    _limit_blas_threads(threads)
    _WORKER_MODEL = load_model(model_path, provider=provider, threads=threads)


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
    if _IN_JOB:
        raise _Stop(signum)
    os._exit(128 + signum)


def _limit_blas_threads(threads: int) -> None:
    """Give numpy's BLAS a worker's share of the cores, like onnxruntime: with every core busy,
    BLAS threads only wait for each other (spinning, on a loaded machine)."""
    try:
        from threadpoolctl import threadpool_limits  # comes with scikit-learn
    except ImportError:  # pragma: no cover
        return
    threadpool_limits(limits=threads, user_api="blas")


def _work(job: Job, settings: AnnotateSettings) -> FileResult:
    global _IN_JOB
    _IN_JOB = True
    try:
        return process(job, _WORKER_MODEL, settings)
    except _Stop as stop:  # the job unwound (staged outputs removed): the worker ends here
        os._exit(128 + stop.signum)
    finally:
        _IN_JOB = False


def run_batch(
    jobs: Sequence[Job],
    model: Any,
    settings: AnnotateSettings,
    *,
    workers: int = 1,
    resume: bool = False,
    threads: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Summary:
    """Process ``jobs`` (in order with one worker); ``on_result`` is called as each file finishes.

    With several workers each opens its own session with ``threads`` intra-op threads (default:
    the cores shared out between the workers, so two workers on two cores do not fight). Workers
    are capped at the usable cores and at the files to do, threads at the usable cores.

    SIGINT or SIGTERM (from the main thread) stops the batch within a second or two: the files in
    flight are discarded, the workers end, and :class:`Interrupted` is raised (exit 130 or 143 in
    the CLI); finished files keep their outputs, so a rerun with ``resume`` does the rest.
    """
    from motifcli.grouping import preload

    started = time.perf_counter()
    notify = on_result or (lambda r: None)
    results: dict[int, FileResult] = {}
    todo: list[int] = []
    with _stopped_by_signals():
        try:
            for k, job in enumerate(jobs):
                if resume and job.error is None and is_up_to_date(job, model.path):
                    results[k] = FileResult(str(job.source), "skipped", outputs=[str(p) for p in job.outputs.values()])
                    notify(results[k])
                else:
                    todo.append(k)
            n_workers = worker_count(workers, len(todo))
            if n_workers == 1:
                if todo:
                    preload()
                for k in todo:
                    results[k] = process(jobs[k], model, settings)
                    notify(results[k])
            else:
                cores = usable_cores()
                threads = min(threads, cores) if threads else max(1, cores // n_workers)
                _run_pool(jobs, todo, model, settings, n_workers, threads, notify, results)
        except _Stop as stop:
            raise Interrupted(stop.signum, sum(1 for r in results.values() if r.status != "skipped"),
                              len(todo)) from None
    ordered = [results[k] for k in range(len(jobs))]
    return Summary(ordered, time.perf_counter() - started, n_workers)


# Imported once in the forkserver and inherited by every worker it forks. Not onnxruntime: it starts
# threads on import; each worker imports it and opens its session after the fork.
FORKSERVER_PRELOAD = (
    "motifcli.batch",
    "motifcli.grouping",
    "motifcli.readers.midi",
    "motifcli.writers.midi",
    "motifcli.writers.json_out",
    "sklearn.cluster",
)
STOP_GRACE_SECONDS = 1.5  # how long a stopped worker may take to unwind its job before SIGKILL


def _pool_context():  # noqa: ANN202 - a multiprocessing context
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(FORKSERVER_PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def _run_pool(
    jobs: Sequence[Job],
    todo: list[int],
    model: Any,
    settings: AnnotateSettings,
    n_workers: int,
    threads: int,
    notify: Callable[[FileResult], None],
    results: dict[int, FileResult],
) -> None:
    """Run ``todo`` on a pool of worker processes, filling ``results`` as files finish (so that what
    was done is known when a signal stops the pool); on any exception the workers are stopped."""
    from concurrent.futures.process import BrokenProcessPool

    provider = "cuda" if "CUDAExecutionProvider" in model.providers[:1] else "cpu"
    context = _pool_context()
    pool = ProcessPoolExecutor(
        n_workers, mp_context=context, initializer=_init_worker,
        initargs=(str(model.path), provider, threads, os.getpid()),
    )
    try:
        futures = {pool.submit(_work, jobs[k], settings): k for k in todo}
        for future in as_completed(futures):
            k = futures[future]
            try:
                results[k] = future.result()
            except BrokenProcessPool as exc:
                results[k] = FileResult(str(jobs[k].source), "failed", f"worker process died ({exc})")
            notify(results[k])
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _stop_pool(pool: ProcessPoolExecutor, grace: float = STOP_GRACE_SECONDS) -> None:
    """Cancel the queued files and end the workers: SIGTERM (each unwinds its job, removing staged
    outputs), then SIGKILL for any still alive after ``grace`` seconds. Bounded in time."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # ProcessPoolExecutor keeps no public list
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
