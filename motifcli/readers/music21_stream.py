"""A music21 stream as a :class:`~motifcli.score.Score`, for the notebook user who already holds one.

``music21.corpus.parse(...)``, ``converter.parse`` of an ABC, Humdrum or MEI file (formats motif does
not read itself: the Essen folk songs of music21's corpus are ABC) or a score built in code: music21
exports it to MusicXML in memory and the MusicXML reader reads that document through the same checks
as a file, so the notes, bars and voices are those of the MusicXML file music21 would write. The score
has no ``path`` (its ``source`` is the document, so the MusicXML writer annotates it); its ``name`` is what
music21 knows of the stream (:func:`stream_name`), which its annotation's ``source`` and messages about it say.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from motifcli.errors import ScoreReadError, one_line
from motifcli.limits import ReadLimits
from motifcli.piece_names import NAME_START
from motifcli.quiet import library_quiet
from motifcli.score import Score


def is_music21_stream(item: object) -> bool:
    """Whether ``item`` is a music21 stream (a Score, Part, Opus, ...), without importing music21."""
    return any(cls.__module__.startswith("music21.stream") and cls.__name__ == "Stream" for cls in type(item).__mro__)


TITLE_CHARS = 80  # a title longer than this is cut (with "...") in the name


def stream_name(item: Any) -> str:
    """What the stream is called, for a reader telling twenty annotations apart: ``"<music21 Score: Herzog Ernst,
    no. 3, essenFolksong/altdeu10.abc>"`` (an ABC tune: its title, its reference number and, while it is still in
    its Opus, the collection's corpus path), ``"<music21 Score: bach/bwv66.6.mxl>"`` (``corpus.parse``: the corpus
    path; music21's movement name is that file's name), ``"<music21 Score>"`` when music21 knows nothing (a score
    built in code). One line, printable, in angle brackets: never taken for a file's path (motifcli.piece_names)."""
    kind = type(item).__name__
    meta = _metadata(item)
    facts: list[str] = []
    if meta is not None:
        where = _text(getattr(meta, "corpusFilePath", None)) or _file_name(getattr(meta, "filePath", None))
        site = getattr(item, "activeSite", None)
        if not where and type(site).__name__ == "Opus":  # a tune of a collection: the collection's path
            where = _text(getattr(_metadata(site), "corpusFilePath", None))
        title = _text(getattr(meta, "title", None)) or _text(getattr(meta, "movementName", None))
        if title and title != PurePosixPath(where).name:  # music21's movement name is often the file's name
            facts.append(title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 3].rstrip() + "...")
        if number := _text(getattr(meta, "number", None)):
            facts.append(f"no. {number}")
        if where:
            facts.append(where)
    return f"{NAME_START}{kind}: {', '.join(facts)}>" if facts else f"{NAME_START}{kind}>"


def _metadata(item: Any) -> Any:
    """The stream's music21 Metadata, or its score's (a Part in a Score has none of its own); None if neither."""
    try:
        meta = getattr(item, "metadata", None)
        if meta is None and hasattr(item, "getContextByClass"):
            meta = item.getContextByClass("Metadata")
        return meta
    except Exception:  # noqa: BLE001 - a stream music21 cannot answer for has no name
        return None


def _text(value: object) -> str:
    """A metadata value as one printable line ("" for none)."""
    if value is None:
        return ""
    return "".join(c for c in one_line(value) if c.isprintable())


def _file_name(path: object) -> str:
    """The name of the file music21 parsed the stream from ("" for none)."""
    text = _text(path)
    return PurePosixPath(text.replace("\\", "/")).name if text else ""


def read_stream(item: Any, limits: ReadLimits | None = None) -> Score:
    """The stream as music21 writes it in MusicXML, read back by the MusicXML reader. An ``Opus``
    (several scores: an ABC collection) is refused with a :class:`TypeError` that says to pass its
    ``.scores``; a stream music21 cannot export is a :class:`ScoreReadError` (its message begins with
    the stream's :func:`stream_name`, as does every refusal of the reader)."""
    from motifcli.readers.musicxml import read_musicxml_bytes
    from motifcli.readers.safe_xml import describe

    limits = limits or ReadLimits()
    if type(item).__name__ == "Opus":
        raise TypeError("a music21 Opus holds several scores: pass one of opus.scores, or the list "
                        "opus.scores to motifcli.annotate_collection")
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    name = stream_name(item)
    try:
        with library_quiet():
            data = GeneralObjectExporter(item).parse()
    except Exception as exc:  # noqa: BLE001 - music21 raises anything on a stream it cannot write
        raise ScoreReadError(f"music21 cannot write this {type(item).__name__} as MusicXML ({describe(exc)})",
                             name=name) from None
    if len(data) > limits.max_bytes:
        raise ScoreReadError(f"the stream's MusicXML is {len(data):,} bytes, over the {limits.max_bytes:,}-byte "
                             "limit (raise ReadLimits.max_bytes)", name=name)
    try:
        score = read_musicxml_bytes(data, None, limits)
    except ScoreReadError as exc:  # no file to name: the stream's name says which of a list it was
        raise ScoreReadError(exc.message, name=name) from None
    score.name = name
    return score
