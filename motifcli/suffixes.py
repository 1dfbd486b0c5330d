"""The one table of score file suffixes: which names motif reads, and as which format.

Readers (which parser), the batch (which files of a folder), and writers (which suffix to drop
before ``.motifs<ext>``) all look here, so a suffix known to one is known to all. ``.smf`` and
``.kar`` (karaoke) files are Standard MIDI Files under other names.
"""

from __future__ import annotations

import os
from pathlib import Path

MIDI_SUFFIXES = (".mid", ".midi", ".smf", ".kar")
MUSICXML_SUFFIXES = (".musicxml", ".xml", ".mxl")
SCORE_SUFFIXES = MIDI_SUFFIXES + MUSICXML_SUFFIXES


def score_format(path: str | os.PathLike[str]) -> str | None:
    """``"midi"``, ``"musicxml"``, or None for a suffix motif does not read."""
    suffix = Path(path).suffix.lower()
    if suffix in MIDI_SUFFIXES:
        return "midi"
    if suffix in MUSICXML_SUFFIXES:
        return "musicxml"
    return None
