"""``--resume``: is a job already done? Its outputs must be complete, newer than its input (and the model, if
it used it), and made by this very job: the same options, model, input (the job's record, :mod:`motifcli.run_record`).

A cheap structural check per format (not a parse of the music): motif's own writes are atomic, so
this catches files cut short by other tools or a full disk. The JSON report is read once per job: its
completeness, its model card and its run record all come from that one parse (a POP909 report is
0.2-0.5 MB, and parsing it was most of the time of a batch whose files are all skipped).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from motifcli.batch_plan import Job

UNREADABLE = object()  # a JSON report that is missing, not a regular file, or not JSON


def resume_state(job: Job, model_path: Path | None, settings: Any) -> tuple[bool, str | None]:
    """(skip the job?, why it is redone): skipped when :func:`is_up_to_date` and its record matches
    (:func:`motifcli.run_record.mismatch`); the reason (a key of ``REDONE_REASONS``) is given only
    when complete outputs exist but were made otherwise (options, model, input, or changed since)."""
    report = _report_of(job)
    fresh = _freshness(job, model_path, report)
    if fresh != "fresh":
        return False, None if fresh == "incomplete" else fresh
    from motifcli.run_record import mismatch, read_record, record_in_report

    try:
        record = record_in_report(report) if "json" in job.outputs else read_record(job.outputs)
        why = mismatch(record, job.outputs, settings, job.source, model_path)
    except OSError:
        return False, None
    return why is None, why


def is_up_to_date(job: Job, model_path: Path | None) -> bool:
    """All outputs are complete and newer than the input and the model (``--resume`` skips the job).

    Complete: a regular file that :func:`output_is_complete` accepts for its format (motif's own
    writes are atomic, so this catches files cut short by other tools or by a full disk). The model
    counts only when the job used it: a JSON output whose ``model`` card is ``{}`` (a note-level run
    that never opened the lazy model, e.g. a chorale) says it did not; without a JSON output the
    model counts whenever the run may use it (``model_path`` given).
    """
    return _freshness(job, model_path, _report_of(job)) == "fresh"


def _report_of(job: Job) -> Any:
    """The job's JSON report, parsed (None when the job writes none, ``UNREADABLE`` when it cannot be read)."""
    dest = job.outputs.get("json")
    return None if dest is None else read_json(dest)


def read_json(path: Path) -> Any:
    """The parsed file when it is a regular file holding JSON, else ``UNREADABLE``."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return UNREADABLE
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return UNREADABLE


def _freshness(job: Job, model_path: Path | None, report: Any) -> str:
    """``fresh`` (every output complete and newer than its sources), ``incomplete`` (an output is
    missing or cut short, or a file cannot be read: a job never finished, done but not "redone"),
    or which source is newer than the oldest output, ``input`` or ``model``."""
    try:
        for fmt, dest in job.outputs.items():
            if not (_is_report(report) if fmt == "json" else output_is_complete(dest, fmt)):
                return "incomplete"
        source_time = job.source.stat().st_mtime
        newest_source = source_time
        if model_path is not None and model_path.exists() and _may_have_used_model(report):
            newest_source = max(newest_source, model_path.stat().st_mtime)
        oldest = min(dest.stat().st_mtime for dest in job.outputs.values())
    except OSError:
        return "incomplete"
    if oldest >= newest_source:
        return "fresh"
    return "input" if source_time > oldest else "model"


def _may_have_used_model(report: Any) -> bool:
    """False only when the job's JSON report records an empty model card (None: the job writes no report)."""
    return not (isinstance(report, dict) and report.get("model") == {})


def _is_report(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("motifs"), list)


def output_is_complete(path: Path, fmt: str) -> bool:
    """A cheap structural check that an output file is whole (not a parse of the music)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return False
        if fmt == "json":
            return _is_report(read_json(path))
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
