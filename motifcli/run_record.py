"""The record of how one input's outputs were made, so that ``--resume`` can tell a rerun with other
options from a rerun of the same job.

The record: motif's version, the options that change what is found or written, the SHA-256 of the
input, of the model (null when the run never opened it) and of every other output. It lives in the
JSON report (its ``run`` field) when the job writes one (the default formats do); a job without a JSON
output (``-f midi``, ``-f musicxml``) gets a small hidden file beside its outputs instead
(``.song.motifs.run.json``; hidden, so file discovery never reads it; without it, the record of the JSON
report beside counts when it lists every output of the job). It is written with the outputs
and renamed into place last, so a record that names a set of outputs means those outputs are in
place and were made that way.

Options that only change how the run goes, not its result, are left out: ``--workers``,
``--threads``, ``--provider``, ``--json``, ``-q``, ``--shard``, and the input limits (``--max-notes``,
...; a limit refuses a file or lets it through, it never changes the outputs of one it lets through).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

RECORD_VERSION = 1
RECORD_SUFFIX = ".run.json"
# what --resume says when it redoes a file whose outputs exist and are complete
REDONE_REASONS = {
    "options": "other options",
    "model": "another model",
    "input": "a changed input",
    "outputs": "outputs changed since",
    "unknown": "no record of their options",
}
_NOT_OPTIONS = {"limits", "meter_map", "distance", "threshold_source", "bar_windows", "origin_from_score", "is_resolved"}
# options added later that the record names only when given: a default run's record stays as before, so
# --resume still trusts outputs made before the option existed (session 26: --motif-tracks)
_ONLY_WHEN_SET = {"motif_tracks"}


def record_path(outputs: dict[str, Path]) -> Path:
    """Where the record of a job with these outputs lives: beside its first output (in format name
    order), named after the outputs' common stem (``song.motifs.mid`` -> ``.song.motifs.run.json``)."""
    from motifcli.writers import FORMATS

    fmt = min(outputs)
    dest = outputs[fmt]
    ext = FORMATS[fmt]
    stem = dest.name[: -len(ext)] if dest.name.lower().endswith(ext) and len(dest.name) > len(ext) else dest.name
    return dest.with_name(f".{stem}{RECORD_SUFFIX}")


def options_of(settings: Any) -> dict[str, Any]:
    """The options of ``settings`` (as given, before defaults were resolved) that change the outputs."""
    from motifcli.version import __version__

    given = settings.unresolved()
    options = {f.name: getattr(given, f.name) for f in fields(given)
               if f.name not in _NOT_OPTIONS and (f.name not in _ONLY_WHEN_SET or getattr(given, f.name))}
    return json.loads(json.dumps({"motif": __version__, **options}, sort_keys=True))  # as read back


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hex), read in 1 MiB blocks (also the training checkpoints' digest)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_sha256(path: Path) -> str:
    """The model file's SHA-256, computed once per process for a given size and time stamp."""
    info = os.stat(path)
    return _cached_sha256(str(Path(path).resolve()), info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _cached_sha256(path: str, size: int, mtime_ns: int) -> str:  # noqa: ARG001 - size, mtime: the cache key
    return file_sha256(Path(path))


def make_record(settings: Any, input_sha: str, model_sha: str | None, staged: dict[str, tuple[str, Path]]) -> dict[str, Any]:
    """The record; ``staged`` maps each output but the JSON report to its final name and the file written."""
    return {
        "record_version": RECORD_VERSION,
        "options": options_of(settings),
        "input_sha256": input_sha,
        "model_sha256": model_sha,
        "outputs": {fmt: {"name": name, "sha256": file_sha256(path)} for fmt, (name, path) in sorted(staged.items())},
    }


def sidecar_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_record(outputs: dict[str, Path]) -> dict[str, Any] | None:
    """The record of a job with these outputs (the JSON report's ``run``, else the hidden file, else
    the report of a job that wrote these outputs with a JSON report beside them), or None when there
    is none (outputs made before this record existed, or by another tool) or it cannot be read."""
    path = outputs.get("json") or record_path(outputs)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None if "json" in outputs else _record_beside(outputs, path)
    except (OSError, ValueError):
        return None
    return record_in_report(data) if "json" in outputs else _valid(data)


def _record_beside(outputs: dict[str, Path], hidden: Path) -> dict[str, Any] | None:
    """``--resume -f midi`` after a run with the default formats: that run's record is in its report
    (``.song.motifs.run.json`` -> ``song.motifs.json``); it counts when it lists every output of this job
    (whose names and hashes :func:`mismatch` then checks), else there is no record."""
    from motifcli.writers import FORMATS

    report = hidden.with_name(hidden.name[1 : -len(RECORD_SUFFIX)] + FORMATS["json"])
    try:
        record = record_in_report(json.loads(report.read_bytes()))
    except (OSError, ValueError):
        return None
    made = record.get("outputs") if record is not None else None
    return record if isinstance(made, dict) and set(outputs) <= set(made) else None


def record_in_report(report: Any) -> dict[str, Any] | None:
    """The record in a parsed JSON report (its ``run`` field), None when it has none of this version."""
    return _valid(report.get("run") if isinstance(report, dict) else None)


def _valid(data: Any) -> dict[str, Any] | None:
    return data if isinstance(data, dict) and data.get("record_version") == RECORD_VERSION else None


def mismatch(record: dict[str, Any] | None, outputs: dict[str, Path], settings: Any, source: Path,
             model_path: Path | None) -> str | None:
    """Why the outputs in ``outputs`` (all present and complete) must be redone: a key of
    :data:`REDONE_REASONS`, or None when the record says they were made by this very job."""
    if record is None:
        return "unknown"
    if record.get("options") != options_of(settings):
        return "options"
    used = record.get("model_sha256")
    if used is not None and (model_path is None or not model_path.exists() or model_sha256(model_path) != used):
        return "model"
    if record.get("input_sha256") != file_sha256(source):
        return "input"
    made = record.get("outputs")
    for fmt, dest in outputs.items():
        if fmt == "json":
            continue  # holds the record itself
        entry = made.get(fmt) if isinstance(made, dict) else None
        if not isinstance(entry, dict) or entry.get("name") != dest.name or entry.get("sha256") != file_sha256(dest):
            return "outputs"
    return None
