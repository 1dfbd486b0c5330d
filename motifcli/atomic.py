"""Writes that are all-or-nothing: a temporary file in the destination folder, renamed into place.

Killing the process at any moment leaves either the old file or the complete new one, never half a
file, because ``os.replace`` within one folder is atomic on POSIX and Windows.

The temporary file is ``.<name>.<pid>.<random>.part`` beside the destination: hidden (motif's file
discovery skips hidden files), never named like an output, and it carries the id of the process that
writes it. A process killed with SIGKILL cannot remove its temporary file; the next write of the same
destination removes such leftovers (:func:`remove_stale_temps`: the writing process no longer exists,
or the file is more than a day old). The finished file gets the permissions a plain ``open`` would
give it (``0o666`` less the umask), or keeps those of the file it replaces.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from motifcli.errors import OutputError

TEMP_SUFFIX = ".part"
STALE_SECONDS = 24 * 3600  # a temporary file this old is abandoned whoever wrote it
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.part$")
_STAGING: ContextVar[list[_Fsync] | None] = ContextVar("motif_atomic_staging", default=None)


def temp_prefix(dest: Path) -> str:
    return f".{dest.name}.{os.getpid()}."


def is_temp_file(path: str | os.PathLike[str]) -> bool:
    """True for the temporary files :func:`atomic_path` makes (finished or abandoned)."""
    return _TEMP.match(Path(path).name) is not None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (someone else's) or cannot tell: keep the file
    return True


def remove_stale_temps(dest: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Remove temporary files of ``dest`` left by killed processes; return what was removed.

    A temporary file is stale when the process that made it no longer exists on this machine, or
    when it is older than :data:`STALE_SECONDS` (it may come from another machine sharing the folder).
    Files of other destinations and of live writers are left alone; errors are ignored.
    """
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    own = (f".{dest.name}.", f"..{dest.name}.")  # what dest's (and its staged copies') temp names start with
    for entry in entries:
        if not entry.name.startswith(own):  # most entries of a batch's output folder: no regex (phase 7)
            continue
        m = _TEMP.match(entry.name)
        # the temporary files of dest, and those of dest's staged copies (".dest.PID.staged.part")
        if m is None or not (m.group("name") == dest.name or m.group("name").startswith(f".{dest.name}.")):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            if _pid_alive(int(m.group("pid"))) and now - info.st_mtime < STALE_SECONDS:
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _final_mode(dest: Path) -> int:
    try:
        return stat.S_IMODE(dest.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest``, on error it is removed."""
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    staging = _STAGING.get() is not None
    if not staging:
        remove_stale_temps(dest)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(dest), suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder} ({exc.strerror or exc})", dest) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with contextlib.suppress(OSError):
            os.chmod(tmp, _final_mode(dest))  # mkstemp makes 0o600 files
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if not staging:
        _fsync_folder(folder)


class StagedSyncError(OSError):
    """The fsync of a staged file (``filename``) failed; raised when :func:`staged_writes` ends."""


class _Fsync:
    """A written file's fsync, in a thread of its own (``os.fsync`` releases the GIL), on a
    duplicate of its descriptor: the caller renders its next output meanwhile."""

    def __init__(self, fd: int, path: Path) -> None:
        self.path = path
        self.error: OSError | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, args=(fd,), name="motif-fsync", daemon=True
        )
        try:
            self._thread.start()
        except RuntimeError:  # no thread to be had (a process at its limit): sync here instead
            self._thread = None
            self._run(fd)

    def _run(self, fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            self.error = exc
        finally:
            os.close(fd)

    def wait(self) -> OSError | None:
        if self._thread is not None:
            self._thread.join()
        return self.error


@contextlib.contextmanager
def staged_writes() -> Iterator[None]:
    """For a caller that writes each output to a staged name with :func:`atomic_write_bytes` and
    renames the staged files into place itself (``batch._write_all``). Inside:

    * :func:`atomic_path` does not scan the folder for stale temporary files (the caller's
      :func:`remove_stale_temps` of the final name already removed those of its staged copies);
    * it does not fsync the folder after the rename to the staged name (a staged name is renamed
      again at once); the caller calls :func:`sync_folders` after its final renames instead, so
      the final rename is the one made durable;
    * :func:`atomic_write_bytes` fsyncs each file in a thread while the caller renders the next
      output; every fsync has finished when the block ends, before the caller's final renames
      (a failed one raises :class:`StagedSyncError` naming the staged file).

    A MIDI + JSON batch file thus costs one folder scan per output, one folder fsync per file and
    overlapping file fsyncs, instead of two scans, two folder fsyncs and two file fsyncs in a row
    (benchmarks/phase8-speed8.md). Same bytes, same names, data durable before the final rename.
    """
    pending: list[_Fsync] = []
    token = _STAGING.set(pending)
    try:
        yield
    finally:
        _STAGING.reset(token)
        failed = [(job.path, error) for job in pending if (error := job.wait()) is not None]
    if failed:
        path, error = failed[0]
        raise StagedSyncError(error.errno, error.strerror, str(path))


def sync_folders(paths: Iterator[Path] | list[Path]) -> None:
    """fsync each distinct folder holding ``paths`` once (makes their renames durable; best effort)."""
    for folder in dict.fromkeys(p.parent if str(p.parent) else Path(".") for p in paths):
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(dest: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``dest`` atomically (fsync before the rename)."""
    pending = _STAGING.get()
    with atomic_path(dest) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            if pending is None:
                os.fsync(fh.fileno())
            else:  # inside staged_writes: fsynced in a thread, done before the caller's final rename
                pending.append(_Fsync(os.dup(fh.fileno()), Path(dest)))


def atomic_write_text(dest: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(dest, text.encode("utf-8"))


@contextlib.contextmanager
def output_errors(dest: str | os.PathLike[str]) -> Iterator[None]:
    """An :class:`OSError` while writing ``dest`` (a full disk, a quota, an I/O error) becomes a
    one-line :class:`OutputError` naming ``dest``. Wrap an :func:`atomic_path` write with it: the
    temporary file is already gone when the error arrives, so nothing half-written is left."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write output ({exc.strerror or exc})", dest) from exc
