"""``motif annotate FOLDER --across``: the batch's files as one collection (:mod:`motifcli.collection`).

A plain batch annotates each file on its own, in worker processes, one job a file. Here every file is
read first; a file that cannot be read (or has no notes to search, or outputs that cannot be written)
is reported on one line and left out, and the others go on as one collection: one discovery run in
this process (``--workers`` has nothing to share out), then each file's outputs written as a batch
writes them (all formats or none, never over an input), serially. The exit code says whether any file
failed; a collection over ``--max-discovery-notes`` in all is one error for the run (exit 1, nothing
written). ``--resume`` and ``--shard`` are refused (:func:`check_across`): every file's families depend
on every other file, so neither a file nor a shard of them is a job of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from motifcli.batch import FileResult, Job, Summary, _Made, _model_sha, failed_result, read_job, write_job
from motifcli.errors import MotifError, UsageError, one_line, quoted
from motifcli.settings import Settings


def check_across(resume: bool, shard: str | None, settings: Settings) -> None:
    """Refuse what a collection cannot do (a UsageError, exit 2, before any file is read)."""
    if resume:
        raise UsageError("--resume cannot be used with --across: every file's families depend on all the files")
    if shard:
        raise UsageError("--shard cannot be used with --across: the files are one collection, not jobs of their own")
    if settings.unit != "note":
        raise UsageError("--across needs the note level (--unit note, the default)")


def _left_out(failed: dict[int, FileResult]) -> str:
    """The files already left out of the collection, for the one error that ends the run: no summary
    follows it, so their own lines would be lost (a file over the note limit alone, an unreadable one)."""
    if not failed:
        return ""
    first = failed[min(failed)]
    more = f" and {len(failed) - 1:,} more" if len(failed) > 1 else ""
    return f"; left out before it: {quoted(first.path)}: {one_line(first.reason)}{more}"


def run_across(jobs: Sequence[Job], model: Any, settings: Settings,
               on_result: Callable[[FileResult], None] | None = None) -> Summary:
    """Read every job's file, annotate the readable ones as one collection, write each one's outputs."""
    from motifcli.collection import annotate_collection, check_collection_notes, per_piece_cap
    from motifcli.families import check_note_count

    started = time.perf_counter()
    notify = on_result or (lambda r: None)
    results: dict[int, FileResult] = {}
    kept: list[tuple[int, Any, str, dict[str, float]]] = []  # job, score, input sha, times
    for k, job in enumerate(jobs):
        times: dict[str, float] = {}
        try:
            score, sha = read_job(job, settings, times)
            check_note_count(score, settings)
            kept.append((k, score, sha, times))
        except Exception as exc:  # the file is left out of the collection; the others go on
            results[k] = failed_result(jobs[k], exc, times)
            notify(results[k])
    try:  # else one error for the run, no output
        check_collection_notes([score for _, score, _, _ in kept], settings)
    except MotifError as exc:
        raise MotifError(f"{exc}{_left_out(results)}") from exc
    annotations: list[Any] = []
    try:
        shared: dict[str, float] = {}
        annotations = annotate_collection([score for _, score, _, _ in kept], settings, model, timings=shared)
        for _, _, _, times in kept:  # one discovery for all: its time shared out evenly per file
            times["grouping"] = shared.get("grouping", 0.0) / len(kept)
    except Exception as exc:  # the discovery itself failed: every file of the collection fails with it
        for k, _, _, times in kept:
            results[k] = failed_result(jobs[k], exc, times)
            notify(results[k])
        kept = []
    extra = {"across": {"pieces": len(kept), "per_piece": per_piece_cap(settings)}}
    for (k, score, sha, times), annotation in zip(kept, annotations):
        job = jobs[k]
        try:
            results[k] = write_job(job, annotation, score, settings, _Made(sha, _model_sha(annotation, model), extra), times)
        except Exception as exc:
            results[k] = failed_result(job, exc, times)
        notify(results[k])
    return Summary([results[k] for k in range(len(jobs))], time.perf_counter() - started, 1)
