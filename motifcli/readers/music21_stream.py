"""A music21 stream as a :class:`~motifcli.score.Score`, for the notebook user who already holds one.

``music21.corpus.parse(...)``, ``converter.parse`` of an ABC, Humdrum or MEI file (formats motif does
not read itself: the Essen folk songs of music21's corpus are ABC) or a score built in code: music21
exports it to MusicXML in memory and the MusicXML reader reads that document through the same checks
as a file, so the notes, bars and voices are those of the MusicXML file music21 would write. The score
has no ``path`` (its ``source`` is the document, so the MusicXML writer annotates it).
"""

from __future__ import annotations

from typing import Any

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits
from motifcli.quiet import library_quiet
from motifcli.score import Score


def is_music21_stream(item: object) -> bool:
    """Whether ``item`` is a music21 stream (a Score, Part, Opus, ...), without importing music21."""
    return any(cls.__module__.startswith("music21.stream") and cls.__name__ == "Stream" for cls in type(item).__mro__)


def read_stream(item: Any, limits: ReadLimits | None = None) -> Score:
    """The stream as music21 writes it in MusicXML, read back by the MusicXML reader. An ``Opus``
    (several scores: an ABC collection) is refused with a :class:`TypeError` that says to pass its
    ``.scores``; a stream music21 cannot export is a :class:`ScoreReadError`."""
    from motifcli.readers.musicxml import read_musicxml_bytes
    from motifcli.readers.safe_xml import describe

    limits = limits or ReadLimits()
    if type(item).__name__ == "Opus":
        raise TypeError("a music21 Opus holds several scores: pass one of opus.scores, or the list "
                        "opus.scores to motifcli.annotate_collection")
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    try:
        with library_quiet():
            data = GeneralObjectExporter(item).parse()
    except Exception as exc:  # noqa: BLE001 - music21 raises anything on a stream it cannot write
        raise ScoreReadError(f"music21 cannot write this {type(item).__name__} as MusicXML ({describe(exc)})") from None
    if len(data) > limits.max_bytes:
        raise ScoreReadError(f"the stream's MusicXML is {len(data):,} bytes, over the {limits.max_bytes:,}-byte "
                             "limit (raise ReadLimits.max_bytes)")
    return read_musicxml_bytes(data, None, limits)
