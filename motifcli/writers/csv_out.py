"""One CSV row per occurrence, in time order, for spreadsheets and pandas.

Columns of schema 1 first (so old readers keep working), then ``rank`` (its family's, 1 = most
salient), ``transposition`` (semitones from the prototype; empty when not measured), and where in
its track it is: ``staff`` (a part on several staves), ``voice`` (the JSON note's number) and ``line``,
both in words ("Piano, staff 1, voice 2"; :attr:`Occurrence.line`); empty where not known; last,
``inverted`` ("true" for a statement in inversion, ``--inversions``; else "false") and ``time_scale``
(its note values over the prototype's: "2" augmented, "0.5" diminished, ``--augmentations``; else "1") and
``retrograde`` ("true" for a statement in retrograde, ``--retrogrades``; else "false").
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from motifcli.annotation import TRANSFORM_FIELDS, Annotation
from motifcli.atomic import atomic_write_bytes
from motifcli.score import Score
from motifcli.writers._common import clean_text, num, occurrence_notes
from motifcli.writers.options import DEFAULT, WriteOptions

COLUMNS = (
    "label", "family", "number", "track", "track_name", "start_beat", "end_beat", "start_bar",
    "end_bar", "start_seconds", "end_seconds", "similarity", "note_count", "rank", "transposition",
    "staff", "voice", "line", *TRANSFORM_FIELDS,
)


def render(annotation: Annotation, score: Score | None) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(COLUMNS)
    ranks = {m.name: m.rank for m in annotation.motifs}
    for occ in annotation.occurrences:
        first = occ.first_note
        if score is not None:
            start_s, end_s = (num(float(v)) for v in score.seconds_at([occ.start, occ.end]))
        else:
            start_s = end_s = ""
        out.writerow([
            clean_text(occ.label), clean_text(occ.family), occ.number, occ.track, clean_text(occ.track_name),
            num(occ.start), num(occ.end),
            occ.start_bar, occ.end_bar, start_s, end_s, num(occ.similarity),
            len(occurrence_notes(occ, score)), ranks.get(occ.family, 0),
            "" if occ.transposition is None else occ.transposition,
            _blank(first.staff if first is not None else None), _blank(first.voice if first is not None else None),
            clean_text(occ.line), *occ.transform_cells(),
        ])
    return buf.getvalue()


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def write(annotation: Annotation, score: Score | None, dest: Path, options: WriteOptions = DEFAULT) -> None:
    atomic_write_bytes(dest, render(annotation, score).encode("utf-8"))
