"""Pick the reader by file extension (the table is :mod:`motifcli.suffixes`), so callers never care
which format a score came in.

The MusicXML reader (music21) is imported only when a MusicXML file is actually read: music21
takes seconds to import and MIDI-only runs should not pay for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits
from motifcli.score import Score
from motifcli.suffixes import MIDI_SUFFIXES, MUSICXML_SUFFIXES, SCORE_SUFFIXES, score_format


def read_score(path: str | os.PathLike[str], limits: ReadLimits | None = None) -> Score:
    """Read a MIDI (.mid/.midi/.smf/.kar) or MusicXML (.musicxml/.xml/.mxl) file into a :class:`Score`."""
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


__all__ = ["MIDI_SUFFIXES", "MUSICXML_SUFFIXES", "SCORE_SUFFIXES", "read_score", "score_format"]
