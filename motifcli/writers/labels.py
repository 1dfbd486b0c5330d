"""An Audacity / Sonic Visualiser label track: ``start<TAB>end<TAB>Motif A1`` in seconds.

Seconds follow the score's own tempo map (:meth:`Score.seconds_at`), so the labels line up with
audio rendered from the same file even when the tempo changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_write_bytes
from motifcli.score import Score
from motifcli.writers._common import clean_text


def render(annotation: Annotation, score: Score) -> str:
    occurrences = annotation.occurrences
    if not occurrences:
        return ""
    beats = np.array([[o.start, o.end] for o in occurrences], dtype=np.float64)
    seconds = score.seconds_at(beats)
    rows = [f"{s:.6f}\t{e:.6f}\t{clean_text(o.text)}" for o, (s, e) in zip(occurrences, seconds)]
    return "\n".join(rows) + "\n"


def write(annotation: Annotation, score: Score, dest: Path, *, lyrics: bool = False) -> None:
    atomic_write_bytes(dest, render(annotation, score).encode("utf-8"))
