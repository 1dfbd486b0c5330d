"""Size and count limits that keep a hostile or huge file from eating time and memory.

Every reader checks them and fails with a clear :class:`ScoreReadError` that names the flag that
raises the limit; the defaults are far above any real score (POP909 songs: ~50 KB, ~3,000 notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from motifcli.errors import ScoreReadError


def counted(amount: float, noun: str) -> str:
    """``1 part``, ``1,000 parts``, ``2 beats``: a limit's message reads right when the limit is 1."""
    text = f"{amount:,.0f}"
    return f"{text} {noun}" if text == "1" else f"{text} {noun}s"


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_bytes: int = 64 * 1024 * 1024  # size of the file on disk
    max_notes: int = 500_000  # notes in the whole score
    max_beats: float = 200_000.0  # length of any track (about 28 hours at 120 bpm)
    max_parts: int = 1_000  # MusicXML parts
    max_unzipped_bytes: int = 256 * 1024 * 1024  # inside a .mxl container
    max_segments: int = 5_000  # windows annotate embeds and clusters (grouping is quadratic in them)
    max_discovery_notes: int = 50_000  # pitched notes note-level discovery searches (~0.1-0.15 ms of CPU each)

    def check_file_size(self, path: Path) -> None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ScoreReadError(f"cannot read file ({exc.strerror or exc})", path) from exc
        if size > self.max_bytes:
            raise ScoreReadError(
                f"file is {size:,} bytes, over the {self.max_bytes:,}-byte limit (raise it with --max-bytes)",
                path,
            )
        if size == 0:
            raise ScoreReadError("file is empty", path)

    def read_file(self, path: Path) -> bytes:
        """The whole file, after the size check; an unreadable file is a :class:`ScoreReadError`."""
        self.check_file_size(path)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ScoreReadError(f"cannot read file ({exc.strerror or exc})", path) from exc
