"""Which side of its staff a bracket goes, and in what line: so brackets open together can be told apart.

MuseScore 3 lays out every line of a system against the same skyline before it adds any, and
reads no ``default-y`` / ``relative-y`` on a bracket's direction, so two brackets open at once on
one staff are drawn at one height: a reader sees one line with several end hooks and cannot tell
which ends which label (benchmarks/phase26-eye26.md, phase26-brackets26.md). It does read a
direction's ``placement`` (its words go with it) and a bracket's ``line-type``. So, per staff of a
part, in document order:

* a bracket goes above its staff when no bracket of ours is open above it (solid, hooks down:
  every bracket of a piece without overlaps, as before);
* else below, when none is open below and the staff holds no lyrics (a voice's lyrics stand below
  it): solid, hooks up, towards its notes; its label below too;
* else on the side with fewer open (above on a staff with lyrics), in the first line type
  (solid, dashed, dotted) no bracket open on that side has.

A label written without a bracket (more overlaps than bracket numbers) stays above.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motifcli.writers.musicxml_scan import XmlPart, XmlScan

_Key = tuple[int, Fraction, int]  # (byte position, beat, 0 stop / 1 start): document order
LINE_TYPES = ("solid", "dashed", "dotted")
# The words of a label below its staff say font-size="10", MuseScore 3's own size for a staff text, so they look
# the same; its import keeps that in the text (<font size="10"/>) of a .mscx it saves, where it keeps no placement,
# so the plugin's "Restore motif placement" can tell such a label after a save (phase28-save28.md).
BELOW_WORDS_SIZE = 10


@dataclass(frozen=True, slots=True)
class Side:
    placement: str = "above"  # "above" / "below" its staff
    line_type: str = "solid"  # "solid" / "dashed" / "dotted"

    @property
    def line_end(self) -> str:
        """The hooks point at the staff: down from above, up from below."""
        return "down" if self.placement == "above" else "up"


ABOVE = Side()


def bracket_sides(spans: list[tuple[_Key, _Key, int]], numbers: list[int | None], no_below: set[int],
                  clear: list[bool] | None = None) -> list[Side]:
    """A side per (start, stop, staff) bracket, sorted by start (``numbers``: None for a label
    written alone); ``no_below``: the staves a bracket may not go below (they hold lyrics);
    ``clear``: per bracket, whether the staff under its own is free of our marks meanwhile
    (:func:`below_is_clear`; a label below would stand among that staff's labels)."""
    open_: list[tuple[_Key, int, Side]] = []  # (stop, staff, side) of the brackets open
    sides: list[Side] = []
    for k, ((start, stop, staff), number) in enumerate(zip(spans, numbers)):
        if number is None:
            sides.append(ABOVE)
            continue
        open_ = [o for o in open_ if not o[0] < start]
        here = {p: [s for _, st, s in open_ if st == staff and s.placement == p] for p in ("above", "below")}
        below = staff not in no_below and (clear is None or clear[k])
        if not here["above"]:
            side = ABOVE
        elif below and not here["below"]:
            side = Side("below")
        else:
            place = "below" if below and len(here["below"]) < len(here["above"]) else "above"
            used = {s.line_type for s in here[place]}
            side = Side(place, next((t for t in LINE_TYPES if t not in used), LINE_TYPES[-1]))
        sides.append(side)
        open_.append((stop, staff, side))
    return sides


_Spans = dict[tuple[int, int], list[tuple[Fraction, Fraction]]]


def staff_spans(parts: list[tuple[XmlPart, list[tuple[Fraction, Fraction, int]]]]) -> _Spans:
    """(part position, staff) -> the (start, end) beats of our marks there, from each part's
    (start, end, staff) of its marks."""
    spans: _Spans = {}
    for part, marks in parts:
        for start, end, staff in marks:
            spans.setdefault((part.position, staff), []).append((start, end))
    return spans


def below_is_clear(spans: _Spans, scan: XmlScan, part: XmlPart, staff: int, start: Fraction,
                   end: Fraction) -> bool:
    """Whether the staff under ``staff`` (the part's next staff, else the next part's top one)
    holds no mark of ours from ``start`` to ``end``: where it does, a label below ours would meet
    its labels above it, and a reader could not tell which staff each names."""
    if staff < part.staves:
        under = (part.position, staff + 1)
    else:
        later = [p.position for p in scan.parts.values() if p.position > part.position]
        if not later:
            return True
        under = (min(later), 1)
    return not any(s <= end and start <= e for s, e in spans.get(under, []))


def lyric_staves(scan: XmlScan, part: XmlPart) -> set[int]:
    """The staves of a part (1 = top) with a note that carries a ``<lyric>``, by the staff
    MuseScore 3 files the note under."""
    data, lyric, close = scan.data, scan.enc("<lyric"), scan.enc("</note>")
    staves: set[int] = set()
    for note in part.notes:
        if note.home in staves:
            continue
        end = data.find(close, note.pos)
        if end < 0:
            end = len(data)
        if data.find(lyric, note.pos, end) >= 0:
            staves.add(note.home)
    return staves
