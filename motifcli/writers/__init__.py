"""Output writers: one module per format, all reading an :class:`~motifcli.annotation.Annotation`.

A statement is an occurrence, or the occurrences of two or more families with the same notes, which
the drawing writers (MusicXML, MIDI) mark once as "Motif A3 = B1" (:mod:`~motifcli.writers.shared`);
the tables (JSON, CSV, MIREX, labels) list every occurrence.

``write(annotation, score, fmt, dest)`` is the one entry point; it imports the format's module only
when that format is asked for (the MusicXML writer needs music21 for MIDI input, the others do not).
Every writer goes through :mod:`motifcli.atomic`, so a killed run never leaves half a file.

| format     | extension     | what it is                                                        |
|------------|---------------|-------------------------------------------------------------------|
| `musicxml` | `.musicxml`   | the score with coloured notes and a "Motif A1" bracket per statement |
| `midi`     | `.mid`        | the input's events plus a marker per moment naming its statements (+ lyrics, + a silent track per family), in the run's bars |
| `json`     | `.json`       | the annotation (schema in docs/json-schema.md)                    |
| `csv`      | `.csv`        | one row per occurrence                                            |
| `mirex`    | `.mirex.txt`  | MIREX discovery-of-patterns format (mir_eval.io.load_patterns)    |
| `labels`   | `.labels.txt` | Audacity / Sonic Visualiser label track, in seconds               |
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from motifcli.errors import MotifError, OutputError, UsageError
from motifcli.suffixes import SCORE_SUFFIXES

if TYPE_CHECKING:
    from motifcli.annotation import Annotation
    from motifcli.score import Score

FORMATS: dict[str, str] = {
    "musicxml": ".musicxml",
    "midi": ".mid",
    "json": ".json",
    "csv": ".csv",
    "mirex": ".mirex.txt",
    "labels": ".labels.txt",
}

# format -> module in this package that defines ``write(annotation, score, dest, options: WriteOptions)``
_MODULES: dict[str, str] = {
    "musicxml": "musicxml",
    "midi": "midi",
    "json": "json_out",
    "csv": "csv_out",
    "mirex": "mirex",
    "labels": "labels",
}



def check_format(fmt: str) -> str:
    """The format name, lower-cased, or :class:`UsageError` listing the known ones."""
    name = str(fmt).strip().lower()
    if name not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}")
    return name


def output_name(input_path: str | os.PathLike[str], fmt: str) -> str:
    """``song.mid`` -> ``song.motifs.mid`` (midi), ``song.motifs.json`` (json), ...; a music21 stream's
    annotation's ``source`` (``"<music21 Score: Herzog Ernst, no. 3, essenFolksong/altdeu10.abc>"``) ->
    ``Herzog_Ernst_no._3_essenFolksong_altdeu10.abc.motifs.json``: a name in the folder, whatever its title holds."""
    from motifcli.piece_names import file_stem, is_stream_name

    text = os.fspath(input_path)
    name = file_stem(text) if isinstance(text, str) and is_stream_name(text) else Path(input_path).name
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in SCORE_SUFFIXES or not stem:  # a score suffix is dropped, others kept
        stem = name
    return f"{stem}.motifs{FORMATS[check_format(fmt)]}"


def write(
    annotation: Annotation,
    score: Score,
    fmt: str,
    dest: str | os.PathLike[str],
    *,
    lyrics: bool = False,
    keep_time_signatures: bool = False,
    motif_tracks: bool = False,
) -> None:
    """Write ``annotation`` of ``score`` as ``fmt`` to ``dest`` atomically (``lyrics``,
    ``keep_time_signatures`` and ``motif_tracks``: MIDI output only, see :mod:`motifcli.writers.midi`; every
    writer gets them as one :class:`~motifcli.writers.options.WriteOptions` and reads what it needs).

    Raises :class:`UsageError` for an unknown format and :class:`OutputError` when the file cannot
    be written (folder missing or read-only, destination is the input itself, ...). Writes no
    ``--resume`` run record (that is ``motif annotate``'s, for a whole job: docs/cli.md, "Python").
    """
    name = check_format(fmt)
    dest = Path(dest)
    if score.path is not None and _same_file(Path(score.path), dest):
        raise OutputError("refusing to overwrite the input file; choose another output path", dest)
    if not dest.parent.is_dir():
        raise OutputError(f"folder {dest.parent} does not exist", dest)
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    from motifcli.writers.options import WriteOptions  # here, like the format's module: imports stay lazy

    try:
        module.write(annotation, score, dest, WriteOptions(lyrics=lyrics, keep_time_signatures=keep_time_signatures,
                                                           motif_tracks=motif_tracks))
    except MotifError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {name} output ({exc.strerror or exc})", dest) from exc


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False
