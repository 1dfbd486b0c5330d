"""An Audacity / Sonic Visualiser label track: ``start<TAB>end<TAB>Motif A1 (Piano, staff 1, voice 2)`` in seconds.

A label runs from the occurrence's first note's onset to its last note's end (an occurrence is its
notes), in the order the occurrences start; its text is the occurrence's ("Motif A1") and, in
brackets, where it is (:attr:`Occurrence.line`: its track, and its voice in words), since a label
track shows no score.

Seconds follow the score's own tempo map (:meth:`Score.seconds_at`), so the labels line up with
audio rendered from the same file even when the tempo changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from motifcli.annotation import Annotation, Occurrence
from motifcli.atomic import atomic_write_bytes
from motifcli.score import Score
from motifcli.writers._common import clean_text, note_span
from motifcli.writers.options import DEFAULT, WriteOptions


def render(annotation: Annotation, score: Score) -> str:
    occurrences = annotation.occurrences
    if not occurrences:
        return ""
    spans = sorted(
        ((note_span(o, score), o) for o in occurrences), key=lambda p: (p[0][0], p[1].track, p[1].family, p[1].number)
    )
    occurrences = [o for _, o in spans]
    beats = np.array([span for span, _ in spans], dtype=np.float64)
    seconds = score.seconds_at(beats)
    rows = [f"{s:.6f}\t{e:.6f}\t{clean_text(label_text(o))}" for o, (s, e) in zip(occurrences, seconds)]
    return "\n".join(rows) + "\n"


def label_text(occ: Occurrence, text: str | None = None) -> str:
    """"Motif A1 (Piano, staff 1, voice 2)": the occurrence and where it is ("Motif A1" alone when
    its track has no name and its voice is not known). ``text`` in place of ``occ.text`` ("Motif A3 =
    B1": a statement of two families, writers/shared.py)."""
    text = occ.text if text is None else text
    line = occ.line
    return f"{text} ({line})" if line else text


def write(annotation: Annotation, score: Score, dest: Path, options: WriteOptions = DEFAULT) -> None:
    atomic_write_bytes(dest, render(annotation, score).encode("utf-8"))
