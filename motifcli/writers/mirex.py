"""MIREX "discovery of repeated themes and sections" pattern files (what mir_eval.io.load_patterns reads).

::

    pattern1
    occurrence1
    0.00000, 64.00000
    ...

One ``patternN`` per motif family, most salient first (by ``rank``, as MIREX's "first five
patterns" metrics expect), one ``occurrenceM`` per occurrence (in time order), one ``onset, pitch``
line per note of the occurrence's own notes (nothing else of its track): onset in quarter-note
beats, pitch as a MIDI number. The format has no comment lines and no empty occurrences, so
occurrences without notes are left out (and a family left with none is skipped).
"""

from __future__ import annotations

from pathlib import Path

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_write_bytes
from motifcli.score import Score
from motifcli.writers._common import occurrence_notes
from motifcli.writers.options import DEFAULT, WriteOptions


def render(annotation: Annotation, score: Score | None) -> str:
    lines: list[str] = []
    pattern_no = 0
    for motif in annotation.ranked:
        occurrences = sorted(motif.occurrences, key=lambda o: (o.start, o.track, o.number))
        blocks = [notes for notes in (occurrence_notes(o, score) for o in occurrences) if notes]
        if not blocks:
            continue
        pattern_no += 1
        lines.append(f"pattern{pattern_no}")
        for occ_no, notes in enumerate(blocks, start=1):
            lines.append(f"occurrence{occ_no}")
            lines.extend(f"{n.onset:.5f}, {float(n.pitch):.5f}" for n in notes)
    return "\n".join(lines) + ("\n" if lines else "")


def write(annotation: Annotation, score: Score | None, dest: Path, options: WriteOptions = DEFAULT) -> None:
    atomic_write_bytes(dest, render(annotation, score).encode("ascii"))
