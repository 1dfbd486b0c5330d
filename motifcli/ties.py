"""Which tied pieces of written notes make one sounding note: one rule for the MusicXML reader and writer.

The reader merges tied pieces into notes (:mod:`motifcli.readers.musicxml`); the writer must find the
written pieces of exactly those notes again to colour them (:mod:`motifcli.writers.musicxml_scan`).
When the two followed ties differently, MuseScore showed coloured notes that no occurrence has
(benchmarks/phase14-clara14.md), so both call :func:`tie_links`.

The rule is per pitch, not per chord: a piece whose tie stops (or continues) joins an earlier open
chain of its pitch that ends where it starts; a stop that meets none (MuseScore writes a few) is a
note of its own. music21's ``stripTies`` mis-handles a chord in which only some notes are tied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# (piece id, onset, end, pitch, its tie stops or continues, its tie starts or continues)
Piece = tuple[int, Any, Any, int, bool, bool]


def tie_links(pieces: Iterable[Piece]) -> dict[int, int]:
    """piece id -> the id of the piece tied on to it. ``pieces`` come in (onset, pitch) order."""
    links: dict[int, int] = {}
    waiting: dict[int, list[tuple[int, Any]]] = {}  # pitch -> (last piece of an open chain, the chain's end)
    for piece, onset, end, pitch, stops, starts in pieces:
        until = end
        if stops:
            chains = waiting.get(pitch, [])
            for k, (last, chain_end) in enumerate(chains):
                if abs(chain_end - onset) < 1e-6:
                    links[last] = piece
                    until = max(chain_end, end)
                    del chains[k]
                    break
        if starts:
            waiting.setdefault(pitch, []).append((piece, until))
    return links
