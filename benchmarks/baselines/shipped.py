"""Today's shipped product (bar windows clustered by the ONNX embedding) as note-level patterns.

``motifcli.annotate(score, motifcli.load_model(), unit="bar")`` at the bar level's defaults (the
unit must be named: since note level became the default unit, a bare ``annotate`` call is the note
level, and this baseline silently scored that); each occurrence becomes the
notes of its track whose onset lies in ``[start_beat, end_beat)``, each family one pattern, in the
product's own order (A, B, ... = first appearance). This is what a user gets today, scored with the
same metrics as the note-level methods.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import motifcli
from motifcli.model import MotifModel

from benchmarks.motif_corpora import Pattern, Piece


MODEL_PATH: list[Path] = []  # ``discovery_eval --model FILE``: another encoder in the shipped one's place


@lru_cache(maxsize=1)
def shipped_model() -> MotifModel:
    """The shipped ONNX model (or ``MODEL_PATH``'s), loaded once per process (CPU)."""
    return motifcli.load_model(MODEL_PATH[0] if MODEL_PATH else None, provider="cpu")


def shipped_patterns(piece: Piece, sensitivity: float = 0.5) -> list[Pattern]:
    """One pattern per family of today's annotation; occurrences = their track's notes in their span."""
    annotation = motifcli.annotate(piece.score, shipped_model(), sensitivity=sensitivity, unit="bar")
    patterns: list[Pattern] = []
    for motif in annotation.motifs:
        occs = []
        for occ in motif.occurrences:
            notes = piece.score.tracks[occ.track].notes
            pts = sorted({(n.onset, n.pitch) for n in notes if occ.start - 1e-9 <= n.onset < occ.end - 1e-9})
            if pts:
                occs.append(pts)
        if occs:
            patterns.append(sorted(occs, key=lambda o: o[0]))
    return patterns
