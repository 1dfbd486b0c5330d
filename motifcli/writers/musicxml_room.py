"""Room after a label: so two labels close together in a staff are stacked, not drawn side by side touching.

MuseScore 3 lays each staff text against the staff's skyline: it lifts a label over another only where their
shapes share width, and a shape is the text's advance, spaces included (phase28-labels28.md). Two labels whose
texts end and start a hair apart stay side by side in one row: in a crowded bar of Haydn op. 74/1 iii "Motif A1
Motif B1" read as one phrase, 0.6 staff space apart (trial27). The writer cannot say where a label goes
(MuseScore 3 reads no ``default-y`` / ``relative-y`` on words: phase18-marks18.md) nor knows how wide a beat is
drawn, so it leaves the decision to MuseScore, which does know: a label that another label of its staff and side
may meet gets :data:`ROOM` (three no-break spaces, about 1.5 staff spaces) after its words, so a label starting
less than that after it shares its shape's width and is stacked above (below, for labels below the staff). Which labels may
meet is judged conservatively in beats (:func:`needs_room`); the words still read "Motif A1" to every reader
(``str.strip`` takes the spaces off: musicxml_own recognises the label on re-annotation).
"""

from __future__ import annotations

import bisect
from fractions import Fraction

# three no-break spaces (not white space that XML tools collapse): MuseScore 3 counts them in the text's shape; two
# reached too little (Haydn op. 74/1 i "Motif B44", 19.5 SVG units from B45, kept it beside: phase28-labels28.md)
ROOM = "\u00a0\u00a0\u00a0"
# a beat is taken as drawn no narrower than a staff space, and no character of a label wider (Motif A1: 0.92 space
# each in MuseScore 3's staff text font): a label takes at most its length in beats, and ROOM about two more
_BEATS_PER_CHARACTER = Fraction(1)
_ROOM_BEATS = Fraction(2)

Label = tuple[Fraction, int, str, str]  # (start beat, staff, placement "above"/"below", text)


def needs_room(labels: list[Label]) -> list[bool]:
    """Per label of one part: whether another label on its staff and side starts after it (not with it: labels
    at one note are stacked already) before its text, drawn at the narrowest beats, and :data:`ROOM` would end."""
    starts: dict[tuple[int, str], list[Fraction]] = {}
    for start, staff, side, _ in labels:
        starts.setdefault((staff, side), []).append(start)
    for row in starts.values():
        row.sort()
    out = []
    for start, staff, side, text in labels:
        row = starts[(staff, side)]
        reach = start + len(text) * _BEATS_PER_CHARACTER + _ROOM_BEATS
        later = bisect.bisect_right(row, start)  # the first label starting after this one
        out.append(later < len(row) and row[later] < reach)
    return out
