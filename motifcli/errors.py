"""The one error family motif raises on purpose.

Every problem a user can cause (a broken file, a bad flag, a model that does not fit the code) is a
:class:`MotifError`. The CLI prints it as one line and exits non-zero; anything else escaping is a
bug. Keeping a single documented base class lets fuzz tests say exactly which outcomes are allowed.
"""

from __future__ import annotations

from pathlib import Path


def quoted(name: object) -> str:
    """A file name as messages show it: as is when plain, else quoted like Python's ``repr``.

    The one helper every message uses, so that a name holding a newline, a control character or
    surrounding spaces stays on one line and can be told apart from the text around it.
    """
    text = str(name)
    if text and text.isprintable() and text == text.strip() and "'" not in text and '"' not in text:
        return text
    return repr(text)


def one_line(text: object) -> str:
    """One line, whatever a library put in an error message (the contract: one line per error)."""
    return " ".join(str(text).split())


def printable(text: object) -> str:
    """Text from a file (model metadata, track names) with control characters escaped."""
    value = str(text)
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in value)


class MotifError(Exception):
    """Base class of every error motif reports to the user."""

    def __init__(self, message: str, path: str | Path | None = None, *, name: str | None = None) -> None:
        """``path``: the file it is about; ``name``: what to call a piece that is no file (a music21 stream:
        ``Score.name``), which begins the message as a path would; ``.path`` stays None then."""
        self.path = str(path) if path is not None else None
        self.message = message
        where = self.path or name
        super().__init__(f"{quoted(where)}: {message}" if where else message)


class ScoreReadError(MotifError):
    """A score file could not be read: not MIDI/MusicXML, truncated, hostile, or too large."""


class ModelError(MotifError):
    """An ONNX model is missing, unreadable, or does not follow the metadata contract."""


class OutputError(MotifError):
    """An output could not be written where the user asked (read-only folder, same as input, ...)."""


class UsageError(MotifError):
    """The request itself is wrong (bad flag value, unknown format); the CLI exits with code 2."""
