"""Many files in one run: discovery, shards, output paths, resume, worker processes, a summary.

A batch of thousands of songs must not stop at the first broken file, must be restartable after a
crash (``resume``), splittable over machines (``shard``), and must never write over its inputs.
Each file's failure is caught as a :class:`MotifError` and reported with its path; the rest go on.
Workers are separate processes (spawned, not forked: onnxruntime's threads do not survive a fork),
each loading the model once.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from motifcli.errors import MotifError, OutputError, UsageError
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

    Folders contribute files with a score extension, except hidden ones and motif's own outputs
    (``*.motifs.*``); a file named explicitly is always taken. A path that does not exist is a
    :class:`UsageError`.
    """
    found: dict[Path, Source] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel_parts = f.relative_to(p).parts
                if (
                    f.is_file()
                    and f.suffix.lower() in SCORE_SUFFIXES
                    and not is_own_output(f)
                    and not any(part.startswith(".") for part in rel_parts)
                ):
                    found.setdefault(f.resolve(), Source(f, p))
        elif p.exists():
            found.setdefault(p.resolve(), Source(p, p.parent))
        else:
            raise UsageError(f"no such file or folder: {p}")
    return sorted(found.values(), key=lambda s: s.path.as_posix())


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
    """All outputs exist and are newer than the input and the model (``--resume`` skips the job)."""
    try:
        newest_source = job.source.stat().st_mtime
        if model_path is not None and model_path.exists():
            newest_source = max(newest_source, model_path.stat().st_mtime)
        return all(dest.stat().st_mtime >= newest_source for dest in job.outputs.values())
    except OSError:
        return False


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


def process(job: Job, model: Any, settings: AnnotateSettings) -> FileResult:
    """Read, annotate and write one file; every failure becomes a ``failed`` result, never a raise."""
    from motifcli import annotate, read_score
    from motifcli.writers import write

    times: dict[str, float] = {}
    try:
        if job.error:
            raise OutputError(job.error)
        t0 = time.perf_counter()
        score = read_score(job.source, settings.limits)
        times["read"] = time.perf_counter() - t0
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
        )
        t0 = time.perf_counter()
        for fmt, dest in job.outputs.items():
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot create folder {dest.parent} ({exc.strerror or exc})", dest) from exc
            write(annotation, score, fmt, dest, lyrics=settings.lyrics)
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
        return FileResult(str(job.source), "failed", exc.message if own else str(exc), times=times)
    except Exception as exc:  # a bug, but one file's bug must not end a batch of thousands
        reason = f"internal error: {type(exc).__name__}: {exc}"
        return FileResult(str(job.source), "failed", reason, times=times, detail=traceback.format_exc())


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


_WORKER_MODEL: Any = None


def _init_worker(model_path: str, provider: str, threads: int) -> None:
    global _WORKER_MODEL
    from motifcli.grouping import preload
    from motifcli.model import load_model

    preload()
    _WORKER_MODEL = load_model(model_path, provider=provider, threads=threads)


def _work(job: Job, settings: AnnotateSettings) -> FileResult:
    return process(job, _WORKER_MODEL, settings)


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
    the cores shared out between the workers, so two workers on two cores do not fight).
    """
    from motifcli.grouping import preload

    started = time.perf_counter()
    notify = on_result or (lambda r: None)
    results: dict[int, FileResult] = {}
    todo: list[int] = []
    for k, job in enumerate(jobs):
        if resume and job.error is None and is_up_to_date(job, model.path):
            results[k] = FileResult(str(job.source), "skipped", outputs=[str(p) for p in job.outputs.values()])
            notify(results[k])
        else:
            todo.append(k)
    n_workers = max(1, min(workers, len(todo)))
    if n_workers == 1:
        if todo:
            preload()
        for k in todo:
            results[k] = process(jobs[k], model, settings)
            notify(results[k])
    else:
        threads = threads or max(1, (os.cpu_count() or 1) // n_workers)
        results.update(_run_pool(jobs, todo, model, settings, n_workers, threads, notify))
    ordered = [results[k] for k in range(len(jobs))]
    return Summary(ordered, time.perf_counter() - started, n_workers)


def _run_pool(
    jobs: Sequence[Job],
    todo: list[int],
    model: Any,
    settings: AnnotateSettings,
    n_workers: int,
    threads: int,
    notify: Callable[[FileResult], None],
) -> dict[int, FileResult]:
    import multiprocessing

    from concurrent.futures.process import BrokenProcessPool

    provider = "cuda" if "CUDAExecutionProvider" in model.providers[:1] else "cpu"
    results: dict[int, FileResult] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        n_workers, mp_context=context, initializer=_init_worker, initargs=(str(model.path), provider, threads)
    ) as pool:
        futures = {pool.submit(_work, jobs[k], settings): k for k in todo}
        for future in as_completed(futures):
            k = futures[future]
            try:
                results[k] = future.result()
            except BrokenProcessPool as exc:
                results[k] = FileResult(str(jobs[k].source), "failed", f"worker process died ({exc})")
            notify(results[k])
    return results
