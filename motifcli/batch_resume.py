"""``--resume``: is a job already done? Its outputs must be complete, newer than its input (and the model, if
it used it), and made by this very job: the same options, model, input (the job's record, :mod:`motifcli.run_record`).

A cheap structural check per format (not a parse of the music): motif's own writes are atomic, so
this catches files cut short by other tools or a full disk.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from motifcli.batch_plan import Job


def resume_state(job: Job, model_path: Path | None, settings: Any) -> tuple[bool, str | None]:
    """(skip the job?, why it is redone): skipped when :func:`is_up_to_date` and its record matches
    (:func:`motifcli.run_record.mismatch`); the reason (a key of ``REDONE_REASONS``) is given only
    when complete outputs exist but were made otherwise (options, model, input, or changed since)."""
    if not is_up_to_date(job, model_path):
        return False, _older_than_sources(job)
    from motifcli.run_record import mismatch, read_record

    try:
        why = mismatch(read_record(job.outputs), job.outputs, settings, job.source, model_path)
    except OSError:
        return False, None
    return why is None, why


def _older_than_sources(job: Job) -> str | None:
    """``input`` or ``model`` when every output is there and complete (so it is older than one of
    them), else None (a job never finished: done, not redone)."""
    try:
        if not all(output_is_complete(dest, fmt) for fmt, dest in job.outputs.items()):
            return None
        oldest = min(dest.stat().st_mtime for dest in job.outputs.values())
        return "input" if job.source.stat().st_mtime > oldest else "model"
    except OSError:
        return None


def is_up_to_date(job: Job, model_path: Path | None) -> bool:
    """All outputs are complete and newer than the input and the model (``--resume`` skips the job).

    Complete: a regular file that :func:`output_is_complete` accepts for its format (motif's own
    writes are atomic, so this catches files cut short by other tools or by a full disk). The model
    counts only when the job used it: a JSON output whose ``model`` card is ``{}`` (a note-level run
    that never opened the lazy model, e.g. a chorale) says it did not; without a JSON output the
    model counts whenever the run may use it (``model_path`` given).
    """
    try:
        newest_source = job.source.stat().st_mtime
        if model_path is not None and model_path.exists() and _may_have_used_model(job):
            newest_source = max(newest_source, model_path.stat().st_mtime)
        return all(
            dest.stat().st_mtime >= newest_source and output_is_complete(dest, fmt)
            for fmt, dest in job.outputs.items()
        )
    except OSError:
        return False


def _may_have_used_model(job: Job) -> bool:
    """False only when the job's JSON output records an empty model card."""
    dest = job.outputs.get("json")
    if dest is None:
        return True
    try:
        data = json.loads(dest.read_bytes())
    except (OSError, ValueError):
        return True
    return not (isinstance(data, dict) and data.get("model") == {})


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
