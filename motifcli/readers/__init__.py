"""Pick the reader by file extension (the table is :mod:`motifcli.suffixes`), so callers never care
which format a score came in.

The MusicXML reader (music21) is imported only when a MusicXML file is actually read: music21
takes seconds to import and MIDI-only runs should not pay for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits
from motifcli.score import Score
from motifcli.suffixes import MIDI_SUFFIXES, MUSICXML_SUFFIXES, SCORE_SUFFIXES, score_format

if TYPE_CHECKING:  # pragma: no cover - music21 is imported only to read MusicXML or a stream
    from music21.stream import Stream


def read_score(path: str | os.PathLike[str] | Stream, limits: ReadLimits | None = None) -> Score:
    """Read a MIDI (.mid/.midi/.smf/.kar) or MusicXML (.musicxml/.xml/.mxl) file into a :class:`Score`;
    ``path`` a ``str`` or ``pathlib.Path``, or a music21 stream (``music21.corpus.parse(...)``, an ABC
    tune: :mod:`motifcli.readers.music21_stream`). Anything else is a :class:`TypeError`."""
    if not isinstance(path, (str, os.PathLike)):
        from motifcli.readers.music21_stream import is_music21_stream, read_stream

        if is_music21_stream(path):
            return read_stream(path, limits)
        raise TypeError(f"read_score takes a file path (str or pathlib.Path) or a music21 stream, "
                        f"not {type(path).__name__}")
    path = Path(path)
    fmt = score_format(path)
    if fmt == "midi":
        from motifcli.readers.midi import read_midi

        return read_midi(path, limits)
    if fmt == "musicxml":
        try:
            from motifcli.readers.musicxml import read_musicxml
        except ModuleNotFoundError as exc:
            if exc.name not in ("motifcli.readers.musicxml", "music21"):
                raise
            raise ScoreReadError(f"MusicXML support is not available ({exc.name} is missing)", path) from exc
        return read_musicxml(path, limits)
    raise ScoreReadError(
        f"unsupported file type {path.suffix or '(none)'!r}; motif reads {', '.join(SCORE_SUFFIXES)}", path
    )


def as_score(item: Score | str | os.PathLike[str] | Stream, limits: ReadLimits | None = None) -> Score:
    """What ``annotate``, ``embed`` and ``annotate_collection`` take as a piece: a :class:`Score` as it
    is, else :func:`read_score` of it (a path or a music21 stream, read with ``limits``)."""
    if isinstance(item, Score):
        return item
    if not isinstance(item, (str, os.PathLike)):
        from motifcli.readers.music21_stream import is_music21_stream

        if not is_music21_stream(item):
            raise TypeError(f"a piece is a motifcli Score (motifcli.read_score), a file path (str or pathlib.Path) "
                            f"or a music21 stream, not {type(item).__name__}")
    return read_score(item, limits)


__all__ = ["MIDI_SUFFIXES", "MUSICXML_SUFFIXES", "SCORE_SUFFIXES", "as_score", "read_score", "score_format"]
