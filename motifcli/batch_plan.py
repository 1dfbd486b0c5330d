"""Which files a batch reads and where each writes: discovery, shards, jobs and their output paths.

Planning happens before any score is read, so bad usage (two inputs writing one output, an output
that is an input) is refused or marked at once, and every worker gets a finished :class:`Job`.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motifcli.errors import OutputError, ScoreReadError, UsageError
from motifcli.readers import SCORE_SUFFIXES, score_format

OWN_OUTPUT_MARK = ".motifs."

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
    Inputs that differ only in their suffix (``song.mid``, ``song.musicxml``) name their shared formats after the
    whole input name (``_name_by_suffix``); outputs that still collide are a :class:`UsageError`; an output that
    is an input marks that job failed.
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
    _name_by_suffix(jobs)

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


def _name_by_suffix(jobs: list[Job]) -> None:
    """``song.mid`` and ``song.musicxml`` in one folder (a MuseScore export often holds both) would both write
    ``song.motifs.json``: each such output is named after its whole input name instead (``song.mid.motifs.json``,
    ``song.musicxml.motifs.json``), for both files, so a name never depends on which file came first. Outputs
    that still collide (two ``s.mid`` from different folders under one ``-o``) are left for ``plan`` to refuse."""
    from motifcli.writers import FORMATS

    users: dict[Path, set[Path]] = {}
    for job in jobs:
        for dest in job.outputs.values():
            users.setdefault(_key(dest), set()).add(job.source)
    for job in jobs:
        for fmt, dest in job.outputs.items():
            sharing = users[_key(dest)]
            if len(sharing) > 1 and len({src.name.lower() for src in sharing}) == len(sharing):
                job.outputs[fmt] = dest.with_name(f"{job.source.name}.motifs{FORMATS[fmt]}")


# names a file of the format may also have (-o song.midi, -o score.xml); .mxl is compressed, which motif does not write
_OTHER_NAMES = {"midi": (".midi", ".smf", ".kar"), "musicxml": (".xml",)}


def _single_file_outputs(out: Path, formats: list[str], extensions: dict[str, str]) -> dict[str, Path]:
    """The file ``-o`` names, exactly as named, for the format its extension is; the other formats
    beside it with their own extensions (``-o Song.MID`` -> ``Song.MID`` + ``Song.json``)."""
    name = out.name.lower()
    if "musicxml" in formats and name.endswith(".mxl"):  # MuseScore would open it as a zip and fail
        raise UsageError(f"-o {out}: motif writes MusicXML uncompressed; name it .musicxml (or .xml)")
    if len(formats) == 1:
        return {formats[0]: out}
    matching = [(ext, f) for f in formats for ext in (extensions[f], *_OTHER_NAMES.get(f, ()))
                if name.endswith(ext) and len(name) > len(ext)]
    if not matching:
        raise UsageError(
            f"-o {out} ends in no extension of the formats {', '.join(formats)}; "
            "give one --format, an -o ending in one of them, or an output folder"
        )
    ext, named = max(matching, key=lambda m: len(m[0]))
    stem = out.name[: len(out.name) - len(ext)]
    return {f: out if f == named else out.with_name(stem + extensions[f]) for f in formats}


def check_writable(job: Job) -> None:
    """Fail a job whose outputs cannot be written before it is annotated: a read-only ``-o`` folder
    (or file system) gives the one-line error the write would give, without the work (a folder of
    889 songs: minutes). Asks the permissions only (``os.access``); anything it cannot foresee is
    still met by the writes themselves. Formats in the order they are written (the report last)."""
    effective = os.access in os.supports_effective_ids
    for _, dest in sorted(job.outputs.items(), key=lambda item: item[0] == "json"):
        folder = dest.parent
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            continue  # a file where a folder should be: the write says so
        try:
            read_only = bool(os.statvfs(existing).f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):  # no statvfs (Windows)
            read_only = False
        if not read_only and os.access(existing, os.W_OK | os.X_OK, effective_ids=effective):
            continue
        reason = "Read-only file system" if read_only else "Permission denied"
        if existing == folder:
            raise OutputError(f"cannot write in {folder} ({reason})", dest)
        raise OutputError(f"cannot create folder {folder} ({reason})", dest)


def _key(path: Path) -> Path:
    return Path(os.path.normcase(os.path.abspath(path)))
