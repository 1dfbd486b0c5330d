"""Many files in one run: each file read, annotated and written on its own, then a summary.

A batch of thousands of songs must not stop at the first broken file, must be restartable after a
crash (``resume``), splittable over machines (``shard``), and must never write over its inputs.
Each file's failure is caught as a :class:`MotifError` and reported with its path; the rest go on.

The rooms: :mod:`motifcli.batch_plan` (discovery, shards, output paths), :mod:`motifcli.batch_resume`
(is a job already done?), :mod:`motifcli.batch_pool` (workers, threads, signals); this module runs
one file (:func:`process`, outputs all or none) and a whole batch (:func:`run_batch`), and
re-exports what callers of ``motifcli.batch`` use.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from motifcli.batch_plan import (  # noqa: F401 - re-exported: motifcli.batch is the batch API
    OWN_OUTPUT_MARK,
    SCORE_SUFFIXES,
    Job,
    Source,
    check_source,
    check_writable,
    default_formats,
    discover,
    is_own_output,
    parse_shard,
    plan,
    score_format,
    take_shard,
)
from motifcli.batch_pool import (  # noqa: F401 - re-exported
    Interrupted,
    Stop,
    job_scope,
    run_pool,
    stopped_by_signals,
    usable_cores,
    worker_count,
)
from motifcli.batch_resume import is_up_to_date, output_is_complete, resume_state  # noqa: F401 - re-exported
from motifcli.errors import MotifError, OutputError, ScoreReadError
from motifcli.settings import Settings

STAGES = ("read", "encode", "inference", "grouping", "write")

AnnotateSettings = Settings  # the old name, kept for callers of 0.1; use motifcli.Settings


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
    redone: str | None = None  # --resume: why complete outputs were redone (a key of run_record.REDONE_REASONS)
    note: str | None = None  # an ok file with no motif: why, in words (the summary prints it; phase25-fixes25.md)


def _stage_name(dest: Path) -> Path:
    """Where a job's output waits until all its formats are written (a temp name, see atomic.py)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}.staged.part")


class _Staged(NamedTuple):
    """One output of a job on its way: written to ``stage``, renamed to ``dest`` once all are."""

    fmt: str
    stage: Path
    dest: Path


class _Made(NamedTuple):
    """What the job's record (:mod:`motifcli.run_record`) says the outputs were made from; ``options``:
    more than the settings (``--across``: the collection), so ``--resume`` of another run redoes it."""

    input_sha: str
    model_sha: str | None
    options: dict[str, Any] | None = None


def _write_all(job: Job, annotation: Any, score: Any, settings: Settings, made: _Made) -> None:
    """Write every format of ``job``, or none: each goes to a staged temporary file first, and only
    when all are written are they renamed into place (a failure leaves the previous outputs); the
    job's record is staged last and so renamed last: a record names only outputs that are in place."""
    from motifcli.atomic import StagedSyncError, staged_writes, sync_folders

    staged: list[_Staged] = []
    try:
        try:
            with staged_writes():  # one stale-temp scan per output, fsyncs overlapped (atomic.py)
                _stage_all(job, annotation, score, settings, staged, made)
        except StagedSyncError as exc:  # named as writers.write names a failed write
            failed = next(s for s in staged if str(s.stage) == exc.filename)  # the stage it was written to
            raise OutputError(f"cannot write {failed.fmt} output ({exc.strerror or exc})", failed.dest) from exc
        for _, stage, dest in staged:
            try:
                os.replace(stage, dest)
            except OSError as exc:
                raise OutputError(f"cannot write output ({exc.strerror or exc})", dest) from exc
        sync_folders([s.dest for s in staged])
    finally:
        for _, stage, _ in staged:
            if stage.exists():
                with contextlib.suppress(OSError):
                    stage.unlink()


def _stage_all(job: Job, annotation: Any, score: Any, settings: Settings, staged: list[_Staged], made: _Made) -> None:
    """Write each format of ``job`` to its staged name, appending it to ``staged`` first (so the
    caller removes a half-written stage, and names the output whose stage failed to sync). The job's
    record goes last (it holds the other outputs' hashes): in the JSON report, else in its own file."""
    from dataclasses import replace

    from motifcli.atomic import remove_stale_temps
    from motifcli.writers import write

    for fmt, dest in sorted(job.outputs.items(), key=lambda item: item[0] == "json"):  # the report last
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
        if fmt == "json":
            annotation = replace(annotation, run=_record(settings, made, staged))
        staged.append(_Staged(fmt, stage, dest))
        try:
            write(annotation, score, fmt, stage, lyrics=settings.lyrics,
                  keep_time_signatures=settings.keep_time_signatures, motif_tracks=settings.motif_tracks)
        except MotifError as exc:
            if exc.path != str(stage):
                raise
            raise type(exc)(exc.message, dest) from exc  # name the output, not its staged copy
    if "json" not in job.outputs:
        _stage_record(job, settings, made, staged)


def _stage_record(job: Job, settings: Settings, made: _Made, staged: list[_Staged]) -> None:
    """Stage the record of a job without a JSON report in its own hidden file (after every output)."""
    from motifcli.atomic import atomic_write_bytes, remove_stale_temps
    from motifcli.run_record import record_path, sidecar_bytes

    dest = record_path(job.outputs)
    remove_stale_temps(dest)
    stage = _stage_name(dest)
    staged.append(_Staged("run record", stage, dest))
    try:  # the record names the outputs staged before it (a hash that cannot be read fails here too)
        atomic_write_bytes(stage, sidecar_bytes(_record(settings, made, staged[:-1])))
    except OSError as exc:
        raise OutputError(f"cannot write the run record ({exc.strerror or exc})", dest) from exc


def _record(settings: Settings, made: _Made, staged: list[_Staged]) -> dict[str, Any]:
    """The job's record over the outputs staged so far (the JSON report and the hidden file alike)."""
    from motifcli.run_record import make_record

    record = make_record(settings, made.input_sha, made.model_sha, {s.fmt: (s.dest.name, s.stage) for s in staged})
    if made.options:
        record["options"] = {**record["options"], **made.options}
    return record


def _model_sha(annotation: Any, model: Any) -> str | None:
    """The SHA-256 of the model file the job used, None when it never opened one (an empty card)."""
    if not annotation.model:
        return None
    from motifcli.run_record import model_sha256

    path = getattr(model, "path", None)
    try:
        return model_sha256(Path(path)) if path else "unknown"
    except OSError:
        return "unknown"  # a record that never matches: --resume redoes the job


def _same_existing_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def process(job: Job, model: Any, settings: Settings) -> FileResult:
    """Read, annotate and write one file; every failure becomes a ``failed`` result, never a raise."""
    from motifcli.pipeline import annotate

    times: dict[str, float] = {}
    try:
        score, input_sha = read_job(job, settings, times)
        annotation = annotate(score, model, settings, timings=times)  # checks the window limit first
        return write_job(job, annotation, score, settings, _Made(input_sha, _model_sha(annotation, model)), times)
    except Exception as exc:  # a bug too (one file's bug must not end a batch of thousands): failed_result
        return failed_result(job, exc, times)


def read_job(job: Job, settings: Settings, times: dict[str, float]) -> tuple[Any, str]:
    """``job``'s score and its input's sha256, after the input's own checks and the outputs'
    (``check_writable``: after the input's errors, before the work); the read time into ``times``."""
    from motifcli.readers import read_score

    if job.error:
        raise OutputError(job.error)
    t0 = time.perf_counter()
    check_source(job.source)
    input_sha = _input_sha(job.source)
    score = read_score(job.source, settings.limits)
    times["read"] = time.perf_counter() - t0
    check_notes_to_search(score, settings, job.source)
    check_writable(job)
    return score, input_sha


def write_job(job: Job, annotation: Any, score: Any, settings: Settings, made: _Made,
              times: dict[str, float]) -> FileResult:
    """Write ``job``'s outputs (all or none) and its ``ok`` result; the write time into ``times``."""
    t0 = time.perf_counter()
    _write_all(job, annotation, score, settings, made)
    times["write"] = time.perf_counter() - t0
    return FileResult(str(job.source), "ok", motifs=len(annotation.motifs),
                      occurrences=sum(len(m.occurrences) for m in annotation.motifs),
                      outputs=[str(p) for p in job.outputs.values()], times=times,
                      note=None if annotation.motifs else no_motif_note(score))


def no_motif_note(score: Any) -> str:
    """Why a file got no motif, for a musician: a run that finds none said only "motifs 0" before."""
    from motifcli.discovery.core import SHORT_PIECE_MIN_NOTES as shortest  # the shortest motif, stated twice

    notes = sum(len(t.notes) for t in score.pitched_tracks())
    if notes < 2 * shortest:
        few = f"{notes} notes are" if notes != 1 else "1 note is"
        return f"no repeated motif found: {few} too few for a figure to come back"
    return (f"no repeated motif found: no figure of {shortest} notes or more comes back in the same rhythm and shape "
            "(or those that do were read as accompaniment)")


def failed_result(job: Job, exc: BaseException, times: dict[str, float]) -> FileResult:
    """The ``failed`` result of ``job`` for ``exc``, caught in its ``except`` block: a MotifError's one
    line (naming another path than the input's when it is about another file), memory, or a bug."""
    detail = traceback.format_exc()  # shown only with --debug
    if isinstance(exc, MotifError):
        own = exc.path is None or Path(exc.path) == job.source
        reason = exc.message if own else str(exc)
    elif isinstance(exc, MemoryError):
        reason = (
            "ran out of memory (the score is too large for this machine; lower --max-notes, "
            "--max-beats or --max-segments to refuse such files quickly)"
        )
    else:
        reason = f"internal error: {type(exc).__name__}: {_one_line(exc)}"
    return FileResult(str(job.source), "failed", reason, times=times, detail=detail)


def _input_sha(source: Path) -> str:
    from motifcli.run_record import file_sha256

    try:
        return file_sha256(source)
    except OSError as exc:
        raise ScoreReadError(f"cannot read file ({exc.strerror or exc})", source) from exc


def check_notes_to_search(score: Any, settings: Settings, source: Path) -> None:
    """Fail a score whose searched tracks (all pitched ones, or ``--track``'s) hold no note: an
    output of nothing would look like a result (a bad or percussion ``--track`` fails here too).
    ``annotate``, ``plot`` and ``embed`` all check it."""
    from motifcli.embedding import select_tracks

    tracks = select_tracks(score, settings.track)
    if any(t.notes for t in tracks):
        return
    if settings.track is None:
        raise ScoreReadError("no pitched notes to find motifs in", source)
    raise ScoreReadError(f"track {tracks[0].index} ({tracks[0].name!r}) has no notes to find motifs in", source)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("..." if len(text) > 300 else "")


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
            "redone": sum(1 for r in self.results if r.redone is not None),
            "motifs": sum(r.motifs for r in self.results),
            "occurrences": sum(r.occurrences for r in self.results),
            "seconds": round(self.seconds, 3),
            "workers": self.workers,
            "stage_seconds": {k: round(v, 4) for k, v in self.stage_seconds.items()},
            "results": [
                {k: v for k, v in asdict(r).items() if k != "detail" and v is not None} for r in self.results
            ],
        }


def _work(job: Job, settings: Settings) -> FileResult:
    """One job in a worker process (the pool pickles this function by name)."""
    with job_scope() as model:
        return process(job, model, settings)


def _broken(job: Job, exc: BaseException) -> FileResult:
    return FileResult(str(job.source), "failed", f"worker process died ({exc})")


def run_batch(
    jobs: Sequence[Job],
    model: Any,
    settings: Settings,
    *,
    workers: int = 1,
    resume: bool = False,
    threads: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Summary:
    """Process ``jobs`` (in order with one worker); ``on_result`` is called as each file finishes.

    ``model``: the model (loaded, or a ``LazyModel`` opened on first use: the default note level), or
    None for a run that does not use one (``settings.uses_model`` false, e.g. ``texture_model="off"``;
    a model given to such a run is ignored): workers then get none. Workers get a lazy model of the
    same file, so a batch of pieces without a leading chordal track never imports onnxruntime.

    With several workers each opens its own session with ``threads`` intra-op threads (default:
    the cores shared out between the workers, so two workers on two cores do not fight). Workers
    are capped at the usable cores and at the files to do, threads at the usable cores.

    SIGINT or SIGTERM (from the main thread) stops the batch within a second or two: the files in
    flight are discarded, the workers end, and :class:`Interrupted` is raised (exit 130 or 143 in
    the CLI); finished files keep their outputs, so a rerun with ``resume`` does the rest.
    """
    started = time.perf_counter()
    if model is not None and not settings.uses_model:
        model = None  # a run that uses no model (--texture-model off): workers get none, --resume ignores its file
    notify = on_result or (lambda r: None)
    results: dict[int, FileResult] = {}
    todo: list[int] = []
    redone: dict[int, str] = {}  # --resume: jobs whose complete outputs were made otherwise
    with stopped_by_signals():
        try:
            for k, job in enumerate(jobs):
                done, why = (False, None)
                if resume and job.error is None:
                    done, why = resume_state(job, model.path if model is not None else None, settings)
                if why is not None:
                    redone[k] = why
                if done:
                    results[k] = FileResult(str(job.source), "skipped", outputs=[str(p) for p in job.outputs.values()])
                    notify(results[k])
                else:
                    todo.append(k)
            n_workers = worker_count(workers, len(todo))
            if n_workers == 1:
                for k in todo:
                    results[k] = process(jobs[k], model, settings)
                    notify(results[k])
            else:
                cores = usable_cores()
                threads = min(threads, cores) if threads else max(1, cores // n_workers)
                run_pool(jobs, todo, model, settings, n_workers, threads, notify, results,
                         work=_work, broken=_broken)
        except Stop as stop:
            raise Interrupted(stop.signum, sum(1 for r in results.values() if r.status != "skipped"),
                              len(todo)) from None
    for k, why in redone.items():
        results[k].redone = why
    ordered = [results[k] for k in range(len(jobs))]
    return Summary(ordered, time.perf_counter() - started, n_workers)
